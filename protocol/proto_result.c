/*
 * proto_result: encoding the `data` of a successful reply, per request type:
 * the whole reply frame (server side). proto_result_decode.c reads it back
 * (client side). The results of settings and check-ins are in
 * proto_checkin.c, those of the card, the plan and clean time in
 * proto_plan.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

static json_t *member_one(const void *p) { return proto__member_to_json(p); }
static json_t *room_one(const void *p) { return proto__room_to_json(p); }
static json_t *event_one(const void *p) { return proto__room_event_to_json(p); }

static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

static json_t *seq(uint64_t v)
{
    return v > (uint64_t)LLONG_MAX ? NULL : json_integer((json_int_t)v);
}

/*
 * One audit log entry: "room" is written only for an action in a room,
 * "target" and "until" are null when empty, "reason" is "" when none, and
 * "seq" is written for a delete only.
 */
static json_t *audit_to_json(const struct proto_audit_entry *a)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "id", json_integer(a->id)) ||
        !proto__set(o, "ts", json_integer(a->ts)) ||
        (a->room && !proto__set(o, "room", json_string(a->room))) ||
        !proto__set(o, "actor", str(a->actor)) ||
        !proto__set(o, "action", str(a->action)) ||
        !proto__set(o, "target", a->target ? json_string(a->target) : json_null()) ||
        !proto__set(o, "reason", str(a->reason ? a->reason : "")) ||
        (strcmp(a->action, "delete") == 0 && !proto__set(o, "seq", seq(a->seq))) ||
        !proto__set(o, "until", proto__time_or_null(a->until))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *audit_one(const void *p) { return audit_to_json(p); }

/* One sanction in force: every member always written ("until" and "actor"
 * null when empty, "reason" "" when none). */
static json_t *sanction_one(const void *p)
{
    const struct proto_sanction *x = p;
    const char *kind = proto_sanction_kind_name(x->kind);
    json_t *o = json_object();
    if (!o || !kind || !x->handle || !proto__set(o, "handle", json_string(x->handle)) ||
        !proto__set(o, "kind", json_string(kind)) ||
        !proto__set(o, "ts", json_integer(x->ts)) ||
        !proto__set(o, "until", proto__time_or_null(x->until)) ||
        !proto__set(o, "reason", str(x->reason ? x->reason : "")) ||
        !proto__set(o, "actor", x->actor ? json_string(x->actor) : json_null())) {
        json_decref(o);
        return NULL;
    }
    return o;
}
static json_t *report_one(const void *p) { return proto__report_to_json(p); }

/* One week of meeting.attendance: {"week","meetings","minutes"}; NULL on a
 * malformed week. */
static json_t *attendance_to_json(const struct proto_attendance_week *w)
{
    json_t *o;
    if (!w->week || !proto__date_ok(w->week, strlen(w->week)))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "week", json_string(w->week)) ||
        !proto__set(o, "meetings", json_integer(w->meetings)) ||
        !proto__set(o, "minutes", json_integer(w->minutes))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *attendance_one(const void *p) { return attendance_to_json(p); }

/* One coming meeting of meeting.upcoming: every member always written. */
static json_t *upcoming_to_json(const struct proto_upcoming *m)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "room", str(m->room)) || !proto__set(o, "title", str(m->title)) ||
        !proto__set(o, "starts_at", json_integer(m->starts_at)) ||
        !proto__set(o, "ends_at", json_integer(m->ends_at)) || !proto__set(o, "tz", str(m->tz)) ||
        !proto__set(o, "open", json_boolean(m->open))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *upcoming_one(const void *p) { return upcoming_to_json(p); }

/* One live invite code of room.invites: "created_by", "expires_at" and
 * "uses_left" are written only when there is one (not NULL, not 0 = never,
 * not -1 = unlimited); a negative time or fewer than -1 uses is refused. */
static json_t *invite_to_json(const struct proto_invite *v)
{
    json_t *o;
    if (v->expires_at < 0 || v->uses_left < -1)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "code", str(v->code)) ||
        (v->created_by && !proto__set(o, "created_by", json_string(v->created_by))) ||
        !proto__set(o, "created_at", json_integer(v->created_at)) ||
        (v->expires_at && !proto__set(o, "expires_at", json_integer(v->expires_at))) ||
        (v->uses_left >= 0 && !proto__set(o, "uses_left", json_integer(v->uses_left)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *invite_one(const void *p) { return invite_to_json(p); }
static json_t *buddy_one(const void *p) { return proto__buddy_to_json(p); }
static json_t *buddy_request_one(const void *p) { return proto__buddy_request_to_json(p); }
static json_t *ping_one(const void *p) { return proto__ping_to_json(p); }
static json_t *support_one(const void *p) { return proto__support_to_json(p); }
static json_t *support_day_one(const void *p) { return proto__support_day_to_json(p); }
static json_t *offer_one(const void *p) { return proto__support_offer_to_json(p); }

/*
 * support.ask: the request, with the crisis resources when it is a crisis
 * (then always, [] when the deployment lists none) or when some are given
 * (the caller asked with crisis and an open request of theirs is answered);
 * support.accept: the request as its helper sees it, conversation included,
 * and no resources.
 */
static bool asked_to_json(json_t *d, const struct proto_result *res)
{
    const struct proto_support *q = &res->u.asked.request;
    size_t n = res->u.asked.n_resources;
    bool ask = res->type == PROTO_REQ_SUPPORT_ASK;

    if (!ask && (n || !q->conversation))
        return false;
    return proto__set(d, "request", proto__support_to_json(q)) &&
           ((!n && (!ask || q->urgency != PROTO_URGENCY_CRISIS)) ||
            proto__set(d, "resources", proto__strings_to_json(res->u.asked.resources, n)));
}

/* Requests whose result is {}: one list for the encoder and the decoder. */
bool proto__no_data(enum proto_req_type t)
{
    switch (t) {
    case PROTO_REQ_ACCOUNT_DELETE:
    case PROTO_REQ_AUTH_LOGOUT:
    case PROTO_REQ_ROOM_LEAVE:
    case PROTO_REQ_ROOM_ROLE:
    case PROTO_REQ_MOD_MUTE:
    case PROTO_REQ_MOD_UNMUTE:
    case PROTO_REQ_MOD_REMOVE:
    case PROTO_REQ_MOD_BAN:
    case PROTO_REQ_MOD_UNBAN:
    case PROTO_REQ_MOD_DELETE:
    case PROTO_REQ_MOD_SUSPEND:
    case PROTO_REQ_MOD_UNSUSPEND:
    case PROTO_REQ_BLOCK_ADD:
    case PROTO_REQ_BLOCK_REMOVE:
    case PROTO_REQ_REPORT_RESOLVE:
    case PROTO_REQ_ROOM_INVITE_REVOKE:
    case PROTO_REQ_BUDDY_REQUEST:
    case PROTO_REQ_BUDDY_DECLINE:
    case PROTO_REQ_BUDDY_CANCEL:
    case PROTO_REQ_BUDDY_END:
    case PROTO_REQ_BUDDY_PING_SEEN:
    case PROTO_REQ_MATCH_JOIN:
    case PROTO_REQ_MATCH_LEAVE:
    case PROTO_REQ_MATCH_ACCEPT:
    case PROTO_REQ_MATCH_DECLINE:
    case PROTO_REQ_SUPPORT_CANCEL:
    case PROTO_REQ_SUPPORT_CLOSE:
    case PROTO_REQ_SUPPORT_HANDBACK:
        return true;
    default:
        return false;
    }
}

/* Fills `d` with the data of `res`; false on a bad value or no memory. */
static bool encode_data(json_t *d, const struct proto_result *res)
{
    switch (res->type) {
    case PROTO_REQ_AUTH_REGISTER:
    case PROTO_REQ_AUTH_LOGIN:
        return proto__set(d, "user", proto__user_to_json(&res->u.auth.user)) &&
               proto__set(d, "token", str(res->u.auth.token));
    case PROTO_REQ_AUTH_RESUME:
        return proto__set(d, "user", proto__user_to_json(&res->u.auth.user));
    case PROTO_REQ_AUTH_PASSWORD:
        return proto__set(d, "token", str(res->u.auth.token));
    case PROTO_REQ_PRESENCE_SET:
        return proto__set(d, "status", str(proto_status_name(res->u.presence.status)));
    case PROTO_REQ_ROOM_LIST:
        return proto__set(d, "rooms", proto__array_of(res->u.list.rooms, res->u.list.n, sizeof *res->u.list.rooms,
                                               room_one));
    case PROTO_REQ_ROOM_CREATE:
        return proto__set(d, "room", proto__room_to_json(&res->u.create.room));
    case PROTO_REQ_ROOM_JOIN:
        return proto__set(d, "room", proto__room_to_json(&res->u.join.room)) &&
               proto__set(d, "members", proto__array_of(res->u.join.members, res->u.join.n,
                                                 sizeof *res->u.join.members, member_one));
    case PROTO_REQ_ROOM_SEND:
        return proto__set(d, "seq", seq(res->u.send.seq)) &&
               proto__set(d, "ts", json_integer(res->u.send.ts)) &&
               proto__set(d, "duplicate", json_boolean(res->u.send.duplicate));
    case PROTO_REQ_ROOM_HISTORY:
        return proto__set(d, "events", proto__array_of(res->u.history.events, res->u.history.n,
                                                sizeof *res->u.history.events, event_one)) &&
               proto__set(d, "has_more", json_boolean(res->u.history.has_more)) &&
               proto__set(d, "truncated", json_boolean(res->u.history.truncated));
    case PROTO_REQ_ROOM_READ:
        return proto__set(d, "seen", seq(res->u.read.seen));
    case PROTO_REQ_ROOM_MEMBERS:
        return proto__set(d, "members", proto__array_of(res->u.members.members, res->u.members.n,
                                                  sizeof *res->u.members.members, member_one));
    case PROTO_REQ_ROOM_INVITE:
        return proto__set(d, "code", str(res->u.invite.code)) &&
               proto__set(d, "expires_at", json_integer(res->u.invite.expires_at));
    case PROTO_REQ_PING:
        return proto__set(d, "ts", json_integer(res->u.ping.ts));
    case PROTO_REQ_ROOM_CONFIGURE:
        return proto__set(d, "room", proto__room_to_json(&res->u.configure.room));
    case PROTO_REQ_MEETING_CHAIR:
    case PROTO_REQ_MEETING_OPEN:
    case PROTO_REQ_MEETING_CLOSE:
    case PROTO_REQ_MEETING_HAND:
    case PROTO_REQ_MEETING_FLOOR:
    case PROTO_REQ_MEETING_DONE:
    case PROTO_REQ_MEETING_MODE:
    case PROTO_REQ_MEETING_STATE:
        return proto__set(d, "meeting", proto__meeting_to_json(&res->u.meeting));
    case PROTO_REQ_MOD_SETTINGS:
        return proto__set(d, "settings", proto__mod_settings_to_json(&res->u.modset.settings));
    case PROTO_REQ_MOD_LOG:
        return proto__set(d, "entries", proto__array_of(res->u.modlog.entries, res->u.modlog.n,
                                                 sizeof *res->u.modlog.entries, audit_one)) &&
               proto__set(d, "has_more", json_boolean(res->u.modlog.has_more));
    case PROTO_REQ_MOD_SANCTIONS:
        return proto__set(d, "sanctions",
                          proto__array_of(res->u.sanctions.sanctions, res->u.sanctions.n,
                                          sizeof *res->u.sanctions.sanctions, sanction_one));
    case PROTO_REQ_BLOCK_LIST:
        return proto__set(d, "handles",
                          proto__strings_to_json(res->u.blocks.handles, res->u.blocks.n));
    case PROTO_REQ_REPORT_CREATE:
        /* A report's id is 1 or more. */
        return res->u.report.id >= 1 && proto__set(d, "id", json_integer(res->u.report.id));
    case PROTO_REQ_REPORT_LIST:
        return proto__set(d, "reports", proto__array_of(res->u.reports.reports, res->u.reports.n,
                                                 sizeof *res->u.reports.reports, report_one));
    case PROTO_REQ_SAFETY_RESOURCES:
        return proto__set(d, "resources",
                          proto__strings_to_json(res->u.safety.resources, res->u.safety.n)) &&
               proto__set(d, "notice", str(res->u.safety.notice));
    case PROTO_REQ_MEETING_ATTENDANCE:
        return proto__set(d, "weeks", proto__array_of(res->u.attendance.weeks, res->u.attendance.n,
                                               sizeof *res->u.attendance.weeks, attendance_one));
    case PROTO_REQ_MEETING_SCHEDULE:
        return proto__set(d, "room", str(res->u.schedule.room)) &&
               proto__set(d, "slots",
                          proto__slots_to_json(res->u.schedule.slots, res->u.schedule.n));
    case PROTO_REQ_MEETING_UPCOMING:
        return proto__set(d, "meetings", proto__array_of(res->u.upcoming.meetings, res->u.upcoming.n,
                                                  sizeof *res->u.upcoming.meetings, upcoming_one));
    case PROTO_REQ_ROOM_INVITES:
        return proto__set(d, "invites", proto__array_of(res->u.invites.invites, res->u.invites.n,
                                                 sizeof *res->u.invites.invites, invite_one));
    case PROTO_REQ_BUDDY_ACCEPT:
        return proto__set(d, "buddy", proto__buddy_to_json(&res->u.paired.buddy));
    case PROTO_REQ_BUDDY_LIST:
        return proto__set(d, "buddies", proto__array_of(res->u.buddies.buddies, res->u.buddies.n,
                                                 sizeof *res->u.buddies.buddies, buddy_one)) &&
               proto__set(d, "incoming",
                          proto__array_of(res->u.buddies.incoming, res->u.buddies.n_incoming,
                                   sizeof *res->u.buddies.incoming, buddy_request_one)) &&
               proto__set(d, "outgoing",
                          proto__array_of(res->u.buddies.outgoing, res->u.buddies.n_outgoing,
                                   sizeof *res->u.buddies.outgoing, buddy_request_one)) &&
               proto__set(d, "limit", json_integer(res->u.buddies.limit));
    case PROTO_REQ_BUDDY_PING:
        /* "duplicate" is written only when true. */
        return proto__set(d, "ping", proto__ping_to_json(&res->u.sent_ping.ping)) &&
               (!res->u.sent_ping.duplicate || proto__set(d, "duplicate", json_true()));
    case PROTO_REQ_BUDDY_PINGS:
        return proto__set(d, "pings", proto__array_of(res->u.pings.pings, res->u.pings.n,
                                               sizeof *res->u.pings.pings, ping_one));
    case PROTO_REQ_MATCH_STATUS:
        /* prefs only in the pool, proposal only when one waits. */
        return proto__set(d, "in_pool", json_boolean(res->u.match.in_pool)) &&
               (!res->u.match.in_pool ||
                proto__set(d, "prefs", proto__match_prefs_to_json(&res->u.match.prefs))) &&
               (!res->u.match.has_proposal ||
                proto__set(d, "proposal", proto__proposal_to_json(&res->u.match.proposal)));
    case PROTO_REQ_SUPPORT_ASK:
    case PROTO_REQ_SUPPORT_ACCEPT:
        return asked_to_json(d, res);
    case PROTO_REQ_SUPPORT_AVAILABLE:
        return proto__set(d, "on", json_boolean(res->u.available.on));
    case PROTO_REQ_SUPPORT_QUEUE:
        return proto__set(d, "requests", proto__array_of(res->u.support.requests, res->u.support.n,
                                                  sizeof *res->u.support.requests, support_one));
    case PROTO_REQ_SUPPORT_STATUS:
        /* "mine" only when the caller has an open or accepted request. */
        return (!res->u.support.has_mine ||
                proto__set(d, "mine", proto__support_to_json(&res->u.support.mine))) &&
               proto__set(d, "helping", proto__array_of(res->u.support.requests, res->u.support.n,
                                                 sizeof *res->u.support.requests, support_one)) &&
               proto__set(d, "available", json_boolean(res->u.support.available)) &&
               proto__set(d, "offers", proto__array_of(res->u.support.offers,
                                                res->u.support.n_offers,
                                                sizeof *res->u.support.offers, offer_one));
    case PROTO_REQ_SUPPORT_STATS:
        return proto__set(d, "days", proto__array_of(res->u.stats.days, res->u.stats.n,
                                              sizeof *res->u.stats.days, support_day_one));
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
    case PROTO_REQ_CHECKIN_SUBMIT:
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_SUMMARY:
    case PROTO_REQ_CHECKIN_JOURNAL:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return proto__checkin_result_encode(d, res);
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
    case PROTO_REQ_SOBRIETY_SET:
    case PROTO_REQ_SOBRIETY_GET:
        return proto__plan_result_encode(d, res);
    case PROTO_REQ_ACCOUNT_EXPORT:
        return proto__account_result_encode(d, res);
    default:
        return proto__no_data(res->type);
    }
}

char *proto_result_encode(const char *id, const struct proto_result *res)
{
    json_t *o, *d;

    if (!id || !res)
        return NULL;
    o = json_object();
    d = json_object();
    if (!o || !d || !proto__set(o, "type", json_string("result")) ||
        !proto__set(o, "id", json_string(id)) || !encode_data(d, res)) {
        json_decref(o);
        json_decref(d);
        return NULL;
    }
    if (!proto__set(o, "data", d)) {
        json_decref(o);
        return NULL;
    }
    return proto__dump_and_free(o);
}
