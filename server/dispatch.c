#include "dispatch.h"

#include <stdio.h>

#include "accounts.h"
#include "blocks.h"
#include "checkins.h"
#include "export.h"
#include "buddies.h"
#include "invites.h"
#include "log.h"
#include "match.h"
#include "meetings.h"
#include "moderation.h"
#include "pings.h"
#include "plan.h"
#include "presence.h"
#include "receipts.h"
#include "reports.h"
#include "rooms.h"
#include "safety.h"
#include "schedule.h"
#include "server.h"
#include "settings.h"
#include "sobriety.h"
#include "support.h"

typedef void (*handler_fn)(struct session *s, const struct proto_request *req);

static void handle_ping(struct session *s, const struct proto_request *req)
{
    struct proto_result res = {.type = PROTO_REQ_PING};
    res.u.ping.ts = clock_wall_ms(s->srv->clock);
    session_reply(s, req->id, &res);
}

static const handler_fn handlers[PROTO_REQ__COUNT] = {
    [PROTO_REQ_AUTH_REGISTER] = accounts_handle_register,
    [PROTO_REQ_AUTH_LOGIN] = accounts_handle_login,
    [PROTO_REQ_AUTH_RESUME] = accounts_handle_resume,
    [PROTO_REQ_AUTH_LOGOUT] = accounts_handle_logout,
    [PROTO_REQ_AUTH_PASSWORD] = accounts_handle_password,
    [PROTO_REQ_PRESENCE_SET] = presence_handle_set,
    [PROTO_REQ_ROOM_LIST] = rooms_handle_list,
    [PROTO_REQ_ROOM_CREATE] = rooms_handle_create,
    [PROTO_REQ_ROOM_JOIN] = rooms_handle_join,
    [PROTO_REQ_ROOM_LEAVE] = rooms_handle_leave,
    [PROTO_REQ_ROOM_SEND] = rooms_handle_send,
    [PROTO_REQ_ROOM_HISTORY] = rooms_handle_history,
    [PROTO_REQ_ROOM_MEMBERS] = rooms_handle_members,
    [PROTO_REQ_ROOM_READ] = receipts_handle_read,
    [PROTO_REQ_ROOM_INVITE] = invites_handle_create,
    [PROTO_REQ_PING] = handle_ping,
    [PROTO_REQ_ROOM_CONFIGURE] = rooms_handle_configure,
    [PROTO_REQ_ROOM_ROLE] = rooms_handle_role,
    [PROTO_REQ_MEETING_CHAIR] = meetings_handle_chair,
    [PROTO_REQ_MEETING_OPEN] = meetings_handle_open,
    [PROTO_REQ_MEETING_CLOSE] = meetings_handle_close,
    [PROTO_REQ_MEETING_HAND] = meetings_handle_hand,
    [PROTO_REQ_MEETING_FLOOR] = meetings_handle_floor,
    [PROTO_REQ_MEETING_DONE] = meetings_handle_done,
    [PROTO_REQ_MEETING_MODE] = meetings_handle_mode,
    [PROTO_REQ_MEETING_STATE] = meetings_handle_state,
    [PROTO_REQ_MOD_MUTE] = moderation_handle_action,
    [PROTO_REQ_MOD_UNMUTE] = moderation_handle_action,
    [PROTO_REQ_MOD_REMOVE] = moderation_handle_action,
    [PROTO_REQ_MOD_BAN] = moderation_handle_action,
    [PROTO_REQ_MOD_UNBAN] = moderation_handle_action,
    [PROTO_REQ_MOD_DELETE] = moderation_handle_action,
    [PROTO_REQ_MOD_SUSPEND] = moderation_handle_action,
    [PROTO_REQ_MOD_UNSUSPEND] = moderation_handle_action,
    [PROTO_REQ_MOD_SETTINGS] = moderation_handle_settings,
    [PROTO_REQ_MOD_LOG] = moderation_handle_log,
    [PROTO_REQ_MOD_SANCTIONS] = moderation_handle_sanctions,
    [PROTO_REQ_BLOCK_ADD] = blocks_handle_add,
    [PROTO_REQ_BLOCK_REMOVE] = blocks_handle_remove,
    [PROTO_REQ_BLOCK_LIST] = blocks_handle_list,
    [PROTO_REQ_REPORT_CREATE] = reports_handle_create,
    [PROTO_REQ_REPORT_LIST] = reports_handle_list,
    [PROTO_REQ_REPORT_RESOLVE] = reports_handle_resolve,
    [PROTO_REQ_SAFETY_RESOURCES] = safety_handle_resources,
    [PROTO_REQ_MEETING_ATTENDANCE] = meetings_handle_attendance,
    [PROTO_REQ_MEETING_SCHEDULE] = schedule_handle,
    [PROTO_REQ_MEETING_UPCOMING] = schedule_handle_upcoming,
    [PROTO_REQ_ROOM_INVITES] = invites_handle_list,
    [PROTO_REQ_ROOM_INVITE_REVOKE] = invites_handle_revoke,
    [PROTO_REQ_BUDDY_REQUEST] = buddies_handle_request,
    [PROTO_REQ_BUDDY_ACCEPT] = buddies_handle_accept,
    [PROTO_REQ_BUDDY_DECLINE] = buddies_handle_end,
    [PROTO_REQ_BUDDY_CANCEL] = buddies_handle_end,
    [PROTO_REQ_BUDDY_END] = buddies_handle_end,
    [PROTO_REQ_BUDDY_LIST] = buddies_handle_list,
    [PROTO_REQ_BUDDY_PING] = pings_handle_send,
    [PROTO_REQ_BUDDY_PING_SEEN] = pings_handle_seen,
    [PROTO_REQ_BUDDY_PINGS] = pings_handle_list,
    [PROTO_REQ_SUPPORT_ASK] = support_handle_ask,
    [PROTO_REQ_SUPPORT_CANCEL] = support_handle_cancel,
    [PROTO_REQ_SUPPORT_ACCEPT] = support_handle_accept,
    [PROTO_REQ_SUPPORT_CLOSE] = support_handle_close,
    [PROTO_REQ_SUPPORT_HANDBACK] = support_handle_handback,
    [PROTO_REQ_SUPPORT_AVAILABLE] = support_handle_available,
    [PROTO_REQ_SUPPORT_QUEUE] = support_handle_queue,
    [PROTO_REQ_SUPPORT_STATUS] = support_handle_status,
    [PROTO_REQ_SUPPORT_STATS] = support_handle_stats,
    [PROTO_REQ_SETTINGS_GET] = settings_handle_get,
    [PROTO_REQ_SETTINGS_SET] = settings_handle_set,
    [PROTO_REQ_CHECKIN_SUBMIT] = checkins_handle_submit,
    [PROTO_REQ_CHECKIN_LIST] = checkins_handle_list,
    [PROTO_REQ_CHECKIN_SUMMARY] = checkins_handle_summary,
    [PROTO_REQ_CHECKIN_JOURNAL] = checkins_handle_journal,
    [PROTO_REQ_CHECKIN_SIGNS] = checkins_handle_signs,
    [PROTO_REQ_CHECKIN_FEED] = checkins_handle_feed,
    [PROTO_REQ_CARD_GET] = plan_handle_card_get,
    [PROTO_REQ_CARD_SET] = plan_handle_card_set,
    [PROTO_REQ_PLAN_GET] = plan_handle_plan_get,
    [PROTO_REQ_PLAN_SET] = plan_handle_plan_set,
    [PROTO_REQ_SOBRIETY_SET] = sobriety_handle_set,
    [PROTO_REQ_SOBRIETY_GET] = sobriety_handle_get,
    [PROTO_REQ_ACCOUNT_EXPORT] = export_handle,
    [PROTO_REQ_ACCOUNT_DELETE] = accounts_handle_delete,
    [PROTO_REQ_MATCH_JOIN] = match_handle_join,
    [PROTO_REQ_MATCH_LEAVE] = match_handle_leave,
    [PROTO_REQ_MATCH_STATUS] = match_handle_status,
    [PROTO_REQ_MATCH_ACCEPT] = match_handle_accept,
    [PROTO_REQ_MATCH_DECLINE] = match_handle_decline,
};

/* Refuses the request when the connection or its user is over its rate.
 * The frame is already decoded (bounded by the 64 KiB frame cap, so cheap)
 * so the refusal carries the request's id and clients can match it. A
 * client that keeps flooding after being told is cut with 1008. */
static bool over_rate(struct session *s, const char *id)
{
    struct server *srv = s->srv;
    int64_t now = clock_mono_ms(srv->clock);
    int64_t wait = ratebucket_take(&s->rate, now, srv->cfg.rate_per_sec, srv->cfg.rate_burst);
    if (!wait && s->user)
        wait = ratebucket_take(&s->user->rate, now, srv->cfg.user_rate_per_sec,
                               srv->cfg.user_rate_burst);
    if (!wait)
        return false;

    if (now - s->flood_window_start > FLOOD_WINDOW_MS) {
        s->flood_window_start = now;
        s->flood_refusals = 0;
    }
    if (++s->flood_refusals > FLOOD_MAX_REFUSALS) {
        log_warn("session %llu from %s: flooding, closing 1008", (unsigned long long)s->id,
                 s->addr);
        session_close(s, 1008, "flooding");
        return true;
    }
    char msg[96];
    snprintf(msg, sizeof msg, "You are sending too fast; try again in %lld ms.",
             (long long)wait);
    session_reply_error(s, id, PROTO_E_RATE_LIMITED, msg, wait);
    return true;
}

void dispatch_frame(struct session *s, const char *buf, size_t len)
{
    if (!session_alive(s))
        return;

    struct proto_request req;
    struct proto_decode_error err;
    if (proto_request_decode(buf, len, &req, &err) != PROTO_OK) {
        if (!over_rate(s, err.id))
            session_reply_error(s, err.id, err.code, err.message, -1);
        return;
    }
    if (over_rate(s, req.id)) {
        /* refused: nothing more to do */
    } else if (s->srv->shutting_down) {
        session_reply_error(s, req.id, PROTO_E_SHUTTING_DOWN, NULL, -1);
    } else if (!s->user && !proto_req_allowed_unauthenticated(req.type)) {
        session_reply_error(s, req.id, PROTO_E_NOT_AUTHENTICATED, NULL, -1);
    } else if (s->user && (req.type == PROTO_REQ_AUTH_REGISTER || req.type == PROTO_REQ_AUTH_LOGIN ||
                           req.type == PROTO_REQ_AUTH_RESUME)) {
        session_reply_error(s, req.id, PROTO_E_ALREADY_AUTHENTICATED, NULL, -1);
    } else if (!s->user && s->auth_in_flight && req.type != PROTO_REQ_PING) {
        /* One authentication at a time per connection: no racing logins. */
        session_reply_error(s, req.id, PROTO_E_SERVER_BUSY,
                            "Your sign-in is still being checked; wait for its answer.", -1);
    } else if (!handlers[req.type]) {
        /* a request the codec knows but this server does not serve yet */
        session_reply_error(s, req.id, PROTO_E_UNKNOWN_TYPE, NULL, -1);
    } else {
        handlers[req.type](s, &req);
    }
    proto_request_free(&req);
}
