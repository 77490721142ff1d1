/*
 * proto_request_encode: encoding client requests (client side), the plain
 * inverse of proto_request.c; the struct's fields are as in the decoded form.
 * The members of settings and check-ins are encoded in proto_checkin.c, those
 * of the card, the plan and clean time in proto_plan.c.
 */
#include <limits.h>

#include "hproto.h"
#include "proto_internal.h"

static bool put_str(json_t *o, const char *key, const char *s)
{
    return s && proto__set(o, key, json_string(s));
}

static bool put_opt_str(json_t *o, const char *key, const char *s)
{
    return !s || proto__set(o, key, json_string(s));
}

static bool put_int(json_t *o, const char *key, uint64_t v)
{
    return v <= (uint64_t)LLONG_MAX ? proto__set(o, key, json_integer((json_int_t)v)) : false;
}

static bool put_opt_int(json_t *o, const char *key, uint64_t v)
{
    return !v || put_int(o, key, v);
}

static bool put_opt_bool(json_t *o, const char *key, bool present, bool v)
{
    return !present || proto__set(o, key, json_boolean(v));
}

/* A support request's note or thanks: "" is none, like NULL. */
static bool put_words(json_t *o, const char *key, const char *s)
{
    return !s || !*s || put_str(o, key, s);
}

static bool encode_fields(json_t *o, const struct proto_request *r)
{
    switch (r->type) {
    case PROTO_REQ_AUTH_REGISTER:
        return put_str(o, "handle", r->u.reg.handle) && put_str(o, "password", r->u.reg.password) &&
               put_opt_str(o, "invite", r->u.reg.invite);
    case PROTO_REQ_AUTH_LOGIN:
        return put_str(o, "handle", r->u.login.handle) &&
               put_str(o, "password", r->u.login.password);
    case PROTO_REQ_AUTH_RESUME:
        return put_str(o, "token", r->u.resume.token);
    case PROTO_REQ_AUTH_PASSWORD:
        return put_str(o, "old_password", r->u.password.old_password) &&
               put_str(o, "new_password", r->u.password.new_password);
    case PROTO_REQ_PRESENCE_SET:
        return put_str(o, "status", proto_status_name(r->u.presence.status));
    case PROTO_REQ_ROOM_CREATE:
        return put_str(o, "room", r->u.create.room) && put_str(o, "title", r->u.create.title) &&
               put_opt_str(o, "topic", r->u.create.topic) &&
               put_str(o, "visibility", proto_visibility_name(r->u.create.visibility));
    case PROTO_REQ_ROOM_JOIN:
        return put_str(o, "room", r->u.join.room) && put_opt_str(o, "invite", r->u.join.invite);
    case PROTO_REQ_ROOM_LEAVE:
    case PROTO_REQ_ROOM_MEMBERS:
    case PROTO_REQ_ROOM_INVITES:
        return put_str(o, "room", r->u.room.room);
    case PROTO_REQ_ROOM_INVITE:
        /* hours and uses 0: unset (the server's default week, no limit on uses). */
        return r->u.invite.hours <= INVITE_HOURS_MAX && r->u.invite.uses <= INVITE_USES_MAX &&
               put_str(o, "room", r->u.invite.room) &&
               put_opt_int(o, "hours", r->u.invite.hours) &&
               put_opt_int(o, "uses", r->u.invite.uses);
    case PROTO_REQ_ROOM_INVITE_REVOKE:
        return put_str(o, "room", r->u.invite.room) && put_str(o, "code", r->u.invite.code);
    case PROTO_REQ_ROOM_SEND:
        return put_str(o, "room", r->u.send.room) && put_str(o, "text", r->u.send.text) &&
               put_str(o, "cid", r->u.send.cid);
    case PROTO_REQ_ROOM_HISTORY:
        return put_str(o, "room", r->u.history.room) &&
               put_opt_int(o, "before", r->u.history.before) &&
               (!r->u.history.has_after ||
                put_int(o, "after", r->u.history.after)) &&
               put_opt_int(o, "limit", r->u.history.limit);
    case PROTO_REQ_ROOM_READ:
        return r->u.read.seq >= 1 && put_str(o, "room", r->u.read.room) &&
               put_int(o, "seq", r->u.read.seq);
    case PROTO_REQ_ROOM_CONFIGURE:
        return put_str(o, "room", r->u.configure.room) &&
               put_opt_bool(o, "meeting", r->u.configure.has_meeting, r->u.configure.meeting) &&
               put_opt_str(o, "format", r->u.configure.format) &&
               (!r->u.configure.has_share ||
                put_int(o, "share_seconds", r->u.configure.share_seconds)) &&
               (!r->u.configure.has_retention ||
                put_int(o, "retention_days", r->u.configure.retention_days)) &&
               put_opt_bool(o, "ephemeral", r->u.configure.has_ephemeral,
                            r->u.configure.ephemeral);
    case PROTO_REQ_ROOM_ROLE:
        return put_str(o, "room", r->u.role.room) && put_str(o, "handle", r->u.role.handle) &&
               put_str(o, "role", proto_room_role_name(r->u.role.role));
    case PROTO_REQ_MEETING_CHAIR:   /* a NULL handle clears the chair: "handle":null */
        return put_str(o, "room", r->u.who.room) &&
               (r->u.who.handle ? put_str(o, "handle", r->u.who.handle)
                                : proto__set(o, "handle", json_null()));
    case PROTO_REQ_MEETING_FLOOR:
        return put_str(o, "room", r->u.who.room) && put_opt_str(o, "handle", r->u.who.handle);
    case PROTO_REQ_MEETING_HAND:
        return put_str(o, "room", r->u.hand.room) &&
               proto__set(o, "raised", json_boolean(r->u.hand.raised));
    case PROTO_REQ_MEETING_MODE:
        return put_str(o, "room", r->u.mode.room) &&
               (!r->u.mode.has_mode ||
                put_str(o, "mode", proto_meeting_mode_name(r->u.mode.mode))) &&
               put_opt_bool(o, "auto", r->u.mode.has_auto, r->u.mode.auto_floor);
    case PROTO_REQ_MEETING_OPEN:
    case PROTO_REQ_MEETING_CLOSE:
    case PROTO_REQ_MEETING_DONE:
    case PROTO_REQ_MEETING_STATE:
    case PROTO_REQ_MOD_SANCTIONS:
        return put_str(o, "room", r->u.room.room);
    case PROTO_REQ_MOD_MUTE:
    case PROTO_REQ_MOD_BAN:
        return put_str(o, "room", r->u.mod.room) && put_str(o, "handle", r->u.mod.handle) &&
               put_opt_int(o, "minutes", r->u.mod.minutes) &&
               put_opt_str(o, "reason", r->u.mod.reason);
    case PROTO_REQ_MOD_UNMUTE:
    case PROTO_REQ_MOD_REMOVE:
    case PROTO_REQ_MOD_UNBAN:
        return put_str(o, "room", r->u.mod.room) && put_str(o, "handle", r->u.mod.handle) &&
               put_opt_str(o, "reason", r->u.mod.reason);
    case PROTO_REQ_MOD_DELETE:
        /* seq is required: 0 (unset) is refused like a missing string. */
        return put_str(o, "room", r->u.mod.room) && r->u.mod.seq != 0 &&
               put_int(o, "seq", r->u.mod.seq) && put_opt_str(o, "reason", r->u.mod.reason);
    case PROTO_REQ_MOD_SUSPEND:
        return put_str(o, "handle", r->u.mod.handle) && put_opt_int(o, "days", r->u.mod.days) &&
               put_opt_str(o, "reason", r->u.mod.reason);
    case PROTO_REQ_MOD_UNSUSPEND:
        return put_str(o, "handle", r->u.mod.handle) && put_opt_str(o, "reason", r->u.mod.reason);
    case PROTO_REQ_MOD_SETTINGS:
        return put_str(o, "room", r->u.modset.room) &&
               (!r->u.modset.has_slow ||
                put_int(o, "slow_seconds", r->u.modset.set.slow_seconds)) &&
               put_opt_bool(o, "locked", r->u.modset.has_locked, r->u.modset.set.locked) &&
               (!r->u.modset.has_limit ||
                put_int(o, "member_limit", r->u.modset.set.member_limit)) &&
               (!r->u.modset.has_newcomer ||
                put_int(o, "newcomer_seconds", r->u.modset.set.newcomer_seconds));
    case PROTO_REQ_MOD_LOG:
        return put_opt_str(o, "room", r->u.modlog.room) && r->u.modlog.before >= 0 &&
               put_opt_int(o, "before", (uint64_t)r->u.modlog.before) &&
               put_opt_int(o, "limit", r->u.modlog.limit);
    case PROTO_REQ_BLOCK_ADD:
    case PROTO_REQ_BLOCK_REMOVE:
        return put_str(o, "handle", r->u.block.handle);
    case PROTO_REQ_REPORT_CREATE:
        /* A message (room + seq) or a person (handle, room optional), never both. */
        if ((r->u.report.seq != 0) == (r->u.report.handle != NULL) ||
            (r->u.report.seq && !r->u.report.room))
            return false;
        return put_opt_str(o, "room", r->u.report.room) &&
               put_opt_int(o, "seq", r->u.report.seq) &&
               put_opt_str(o, "handle", r->u.report.handle) &&
               put_str(o, "reason", r->u.report.reason);
    case PROTO_REQ_REPORT_LIST:
        return put_opt_str(o, "room", r->u.reports.room) &&
               put_str(o, "status", r->u.reports.all ? "all" : "open");
    case PROTO_REQ_REPORT_RESOLVE:
        return r->u.resolve.id >= 1 && put_int(o, "report", (uint64_t)r->u.resolve.id) &&
               proto__is_outcome(r->u.resolve.outcome) &&
               put_str(o, "outcome", r->u.resolve.outcome) &&
               put_opt_str(o, "note", r->u.resolve.note);
    case PROTO_REQ_MEETING_ATTENDANCE:
        /* Both members always written, like the decoded form has them; weeks 0 (unset)
         * is the default, 12. Values decoding would refuse are refused. */
        if (r->u.attendance.utc_offset_minutes < UTC_OFFSET_MIN ||
            r->u.attendance.utc_offset_minutes > UTC_OFFSET_MAX ||
            r->u.attendance.weeks > ATTENDANCE_WEEKS_MAX)
            return false;
        return proto__set(o, "utc_offset_minutes",
                          json_integer(r->u.attendance.utc_offset_minutes)) &&
               put_int(o, "weeks", r->u.attendance.weeks ? r->u.attendance.weeks
                                                         : ATTENDANCE_WEEKS_DEFAULT);
    case PROTO_REQ_MEETING_SCHEDULE:
        /* Without has_slots a read; with it the new schedule, [] clearing it. */
        return put_str(o, "room", r->u.schedule.room) &&
               (!r->u.schedule.has_slots ||
                (r->u.schedule.n <= PROTO_SLOTS_MAX &&
                 proto__set(o, "slots",
                            proto__slots_to_json(r->u.schedule.slots, r->u.schedule.n))));
    case PROTO_REQ_MEETING_UPCOMING:
        /* days and limit 0: unset (the server's defaults, 7 and 50). */
        return r->u.upcoming.days <= PROTO_UPCOMING_DAYS_MAX &&
               r->u.upcoming.limit <= PROTO_UPCOMING_MAX &&
               put_opt_str(o, "room", r->u.upcoming.room) &&
               put_opt_int(o, "days", r->u.upcoming.days) &&
               put_opt_int(o, "limit", r->u.upcoming.limit);
    case PROTO_REQ_BUDDY_REQUEST:
    case PROTO_REQ_BUDDY_ACCEPT:
    case PROTO_REQ_BUDDY_DECLINE:
    case PROTO_REQ_BUDDY_CANCEL:
    case PROTO_REQ_BUDDY_END:
        return put_str(o, "handle", r->u.buddy.handle);
    case PROTO_REQ_BUDDY_PING:
        /* text with kind "text" only, and always with it. */
        if ((r->u.ping.text != NULL) != (r->u.ping.kind == PROTO_PING_TEXT))
            return false;
        return put_str(o, "handle", r->u.ping.handle) &&
               put_str(o, "kind", proto_ping_kind_name(r->u.ping.kind)) &&
               put_opt_str(o, "text", r->u.ping.text) && put_opt_str(o, "cid", r->u.ping.cid);
    case PROTO_REQ_BUDDY_PING_SEEN:
        return r->u.by_id.id >= 1 && put_int(o, "ping", (uint64_t)r->u.by_id.id);
    case PROTO_REQ_MATCH_ACCEPT:
    case PROTO_REQ_MATCH_DECLINE:
        return r->u.by_id.id >= 1 && put_int(o, "proposal", (uint64_t)r->u.by_id.id);
    case PROTO_REQ_MATCH_JOIN: {
        /* The members of a preferences object (section 21.1), beside type and id:
         * want_more_clean_time always, clean_days unless unsaid (-1). */
        json_t *prefs = proto__match_prefs_to_json(&r->u.match);
        bool ok = prefs && json_object_update(o, prefs) == 0;
        json_decref(prefs);
        return ok;
    }
    case PROTO_REQ_SUPPORT_ASK:
        return put_str(o, "urgency", proto_urgency_name(r->u.ask.urgency)) &&
               put_words(o, "note", r->u.ask.note) && put_opt_str(o, "cid", r->u.ask.cid);
    case PROTO_REQ_SUPPORT_CANCEL:
    case PROTO_REQ_SUPPORT_ACCEPT:
    case PROTO_REQ_SUPPORT_HANDBACK:
        /* thanks go with support.close only. */
        return r->u.support.request >= 1 && !r->u.support.thanks &&
               put_int(o, "request", (uint64_t)r->u.support.request);
    case PROTO_REQ_SUPPORT_CLOSE:
        return r->u.support.request >= 1 &&
               put_int(o, "request", (uint64_t)r->u.support.request) &&
               put_words(o, "thanks", r->u.support.thanks);
    case PROTO_REQ_SUPPORT_AVAILABLE:
        return proto__set(o, "on", json_boolean(r->u.available.on));
    case PROTO_REQ_SUPPORT_STATS:
        /* Always written, like the decoded form has it: days 0 (unset) is the default, 14. */
        return r->u.stats.days <= SUPPORT_DAYS_MAX &&
               put_int(o, "days", r->u.stats.days ? r->u.stats.days : SUPPORT_DAYS_DEFAULT);
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
    case PROTO_REQ_CHECKIN_SUBMIT:
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_SUMMARY:
    case PROTO_REQ_CHECKIN_JOURNAL:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return proto__checkin_request_encode(o, r);
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
    case PROTO_REQ_SOBRIETY_SET:
    case PROTO_REQ_SOBRIETY_GET:
        return proto__plan_request_encode(o, r);
    case PROTO_REQ_ACCOUNT_EXPORT:
    case PROTO_REQ_ACCOUNT_DELETE:
        return proto__account_request_encode(o, r);
    case PROTO_REQ_AUTH_LOGOUT:
    case PROTO_REQ_ROOM_LIST:
    case PROTO_REQ_PING:
    case PROTO_REQ_BLOCK_LIST:
    case PROTO_REQ_SAFETY_RESOURCES:
    case PROTO_REQ_BUDDY_LIST:
    case PROTO_REQ_BUDDY_PINGS:
    case PROTO_REQ_MATCH_LEAVE:
    case PROTO_REQ_MATCH_STATUS:
    case PROTO_REQ_SUPPORT_QUEUE:
    case PROTO_REQ_SUPPORT_STATUS:
        return true;
    case PROTO_REQ__COUNT:
        break;
    }
    return false;
}

char *proto_request_encode(const struct proto_request *r)
{
    json_t *o;
    if (!r || !proto_req_name(r->type))
        return NULL;
    o = json_object();
    if (!o || !put_str(o, "type", proto_req_name(r->type)) || !put_str(o, "id", r->id) ||
        !encode_fields(o, r)) {
        json_decref(o);
        return NULL;
    }
    return proto__dump_and_free(o);
}
