/*
 * proto_result_decode: reading the `data` of a reply the client matched to
 * its request, per request type (the inverse of proto_result.c), and freeing
 * what decoding allocated.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

/*
 * Decodes the array `key` of `d` into a calloc'd array of `size`-byte items
 * (NULL when empty), recorded in out->_alloc.
 */
static enum proto_err decode_array(json_t *d, const char *key, size_t size,
                                   bool (*one)(json_t *o, void *item), struct proto_result *out,
                                   void **items, size_t *n)
{
    json_t *a = json_object_get(d, key);
    size_t len;
    char *mem;

    if (!json_is_array(a))
        return PROTO_E_INVALID_FIELD;
    len = json_array_size(a);
    *items = NULL;
    *n = 0;
    if (len == 0)
        return PROTO_OK;
    mem = calloc(len, size);
    if (!mem)
        return PROTO_E_INTERNAL;
    out->_alloc = mem;
    for (size_t i = 0; i < len; i++)
        if (!one(json_array_get(a, i), mem + i * size))
            return PROTO_E_INVALID_FIELD;
    *items = mem;
    *n = len;
    return PROTO_OK;
}

/* A result's list: the array `key` of `d` into the typed array `arr` with its
 * count `n` (inside decode_data, whose `e` and `items` it uses). */
#define DECODE_LIST(key, arr, n, one)                                                    \
    ((e = decode_array(d, (key), sizeof *(arr), (one), out, &items, &(n))), (arr) = items, e)

static bool member_from(json_t *o, void *m) { return proto__member_from_json(o, m); }
static bool room_from(json_t *o, void *r) { return proto__room_from_json(o, r); }
static bool event_from(json_t *o, void *e) { return proto__room_event_from_json(o, e); }

static bool report_from(json_t *o, void *r) { return proto__report_from_json(o, r); }

/* A week of meeting.attendance: all three members required, the week in the
 * shape "YYYY-MM-DD", the counts integers of 0 or more. */
static bool attendance_from(json_t *o, void *p)
{
    struct proto_attendance_week *w = p;
    json_t *week = json_object_get(o, "week");
    if (!json_is_object(o) || !json_is_string(week) ||
        !proto__date_ok(json_string_value(week), json_string_length(week)) ||
        !proto__get_u32(o, "meetings", &w->meetings) || !proto__get_u32(o, "minutes", &w->minutes))
        return false;
    w->week = json_string_value(week);
    return true;
}

/* An audit entry: room absent (or null) for a server-wide action; seq is
 * required for a delete, optional (0) otherwise. */
static bool audit_from(json_t *o, void *p)
{
    struct proto_audit_entry *a = p;
    if (!json_is_object(o) || !proto__get_i64(o, "id", &a->id) ||
        !proto__get_i64(o, "ts", &a->ts) || !proto__get_opt_str(o, "room", &a->room) ||
        !proto__get_str(o, "actor", &a->actor) ||
        !proto__get_str(o, "action", &a->action) ||
        !proto__get_nullable_str(o, "target", &a->target) ||
        !proto__get_str(o, "reason", &a->reason) ||
        !proto__get_time_or_null(o, "until", &a->until))
        return false;
    a->seq = 0;
    if (strcmp(a->action, "delete") == 0 || json_object_get(o, "seq"))
        return proto__get_u64(o, "seq", &a->seq);
    return true;
}

/* A sanction in force: every member required; kind "mute" or "ban" (another
 * makes it malformed); until and actor may be null. */
static bool sanction_from(json_t *o, void *p)
{
    struct proto_sanction *x = p;
    const char *kind;
    return json_is_object(o) && proto__get_str(o, "handle", &x->handle) &&
           proto__get_str(o, "kind", &kind) && proto_sanction_kind_parse(kind, &x->kind) &&
           proto__get_i64(o, "ts", &x->ts) && proto__get_time_or_null(o, "until", &x->until) &&
           proto__get_str(o, "reason", &x->reason) &&
           proto__get_nullable_str(o, "actor", &x->actor);
}

static bool slot_from(json_t *o, void *s) { return proto__slot_from_json(o, s); }

/* A coming meeting: every member required. */
static bool upcoming_from(json_t *o, void *p)
{
    struct proto_upcoming *m = p;
    return json_is_object(o) && proto__get_str(o, "room", &m->room) &&
           proto__get_str(o, "title", &m->title) &&
           proto__get_i64(o, "starts_at", &m->starts_at) &&
           proto__get_i64(o, "ends_at", &m->ends_at) && proto__get_str(o, "tz", &m->tz) &&
           proto__get_bool(o, "open", &m->open);
}

/* A live invite code: code and created_at required; created_by absent (or
 * null) when the account is gone, expires_at absent (or null) for never,
 * uses_left absent (or null) for unlimited. */
static bool invite_from(json_t *o, void *p)
{
    struct proto_invite *v = p;
    json_t *expires = json_object_get(o, "expires_at"), *left = json_object_get(o, "uses_left");
    uint32_t uses;

    v->expires_at = 0;
    v->uses_left = -1;
    if (!json_is_object(o) || !proto__get_str(o, "code", &v->code) ||
        !proto__get_opt_str(o, "created_by", &v->created_by) ||
        !proto__get_i64(o, "created_at", &v->created_at) ||
        (expires && !json_is_null(expires) &&
         !proto__get_time_or_null(o, "expires_at", &v->expires_at)))
        return false;
    if (!left || json_is_null(left))
        return true;
    if (!proto__get_u32(o, "uses_left", &uses) || uses > INT32_MAX)
        return false;
    v->uses_left = (int32_t)uses;
    return true;
}

static bool ping_from(json_t *o, void *p) { return proto__ping_from_json(o, p); }
static bool support_from(json_t *o, void *p) { return proto__support_from_json(o, p); }
static bool support_day_from(json_t *o, void *p) { return proto__support_day_from_json(o, p); }

/*
 * buddy.list's three arrays in one allocation, recorded in out->_alloc: the
 * buddies, then the incoming and the outgoing requests (each NULL when
 * empty), and the limit.
 */
static enum proto_err buddy_list_from(json_t *d, struct proto_result *out)
{
    json_t *b = json_object_get(d, "buddies"), *in = json_object_get(d, "incoming"),
           *og = json_object_get(d, "outgoing");
    size_t nb = json_array_size(b), ni = json_array_size(in), no = json_array_size(og);
    struct proto_buddy *buddies;
    struct proto_buddy_request *reqs;

    if (!json_is_array(b) || !json_is_array(in) || !json_is_array(og) ||
        !proto__get_u32(d, "limit", &out->u.buddies.limit))
        return PROTO_E_INVALID_FIELD;
    if (nb + ni + no == 0)
        return PROTO_OK;
    /* Both structs are aligned like a pointer, so the requests may follow the buddies. */
    out->_alloc = calloc(1, nb * sizeof *buddies + (ni + no) * sizeof *reqs);
    if (!out->_alloc)
        return PROTO_E_INTERNAL;
    buddies = out->_alloc;
    reqs = (struct proto_buddy_request *)(buddies + nb);
    for (size_t i = 0; i < nb; i++)
        if (!proto__buddy_from_json(json_array_get(b, i), &buddies[i]))
            return PROTO_E_INVALID_FIELD;
    for (size_t i = 0; i < ni + no; i++)
        if (!proto__buddy_request_from_json(i < ni ? json_array_get(in, i)
                                                   : json_array_get(og, i - ni), &reqs[i]))
            return PROTO_E_INVALID_FIELD;
    out->u.buddies.buddies = nb ? buddies : NULL;
    out->u.buddies.n = nb;
    out->u.buddies.incoming = ni ? reqs : NULL;
    out->u.buddies.n_incoming = ni;
    out->u.buddies.outgoing = no ? reqs + ni : NULL;
    out->u.buddies.n_outgoing = no;
    return PROTO_OK;
}

/* match.status: prefs required in the pool (and dropped out of it); a
 * proposal absent (or null) when none waits. */
static enum proto_err match_status_from(json_t *d, struct proto_result *out)
{
    json_t *proposal = json_object_get(d, "proposal");

    out->u.match.prefs.clean_days = -1;
    if (!proto__get_bool(d, "in_pool", &out->u.match.in_pool) ||
        (out->u.match.in_pool &&
         !proto__match_prefs_from_json(json_object_get(d, "prefs"), &out->u.match.prefs)))
        return PROTO_E_INVALID_FIELD;
    out->u.match.has_proposal = proposal && !json_is_null(proposal);
    if (out->u.match.has_proposal &&
        !proto__proposal_from_json(proposal, &out->u.match.proposal))
        return PROTO_E_INVALID_FIELD;
    return PROTO_OK;
}

/* support.ask: the resources array (NULL when empty) in out->_alloc, required
 * with a crisis and optional (absent or null: none) beside another urgency;
 * support.accept: the request has its conversation. */
static enum proto_err asked_from(json_t *d, struct proto_result *out)
{
    struct proto_support *q = &out->u.asked.request;
    json_t *res = json_object_get(d, "resources");

    if (!proto__support_from_json(json_object_get(d, "request"), q))
        return PROTO_E_INVALID_FIELD;
    if (out->type == PROTO_REQ_SUPPORT_ACCEPT)
        return FIELD_OK(q->conversation);
    if (q->urgency != PROTO_URGENCY_CRISIS && (!res || json_is_null(res)))
        return PROTO_OK;
    if (!proto__strings_from_json(res, &out->u.asked.resources, &out->u.asked.n_resources))
        return PROTO_E_INVALID_FIELD;
    out->_alloc = (void *)out->u.asked.resources;
    return PROTO_OK;
}

/*
 * support.status: "mine" absent (or null) when the caller has no request;
 * "available" and "offers" absent (or null) from servers before them: off,
 * and none. The two arrays in one allocation, recorded in out->_alloc: the
 * offers, then the requests helped in (each NULL when empty).
 */
static enum proto_err support_status_from(json_t *d, struct proto_result *out)
{
    json_t *mine = json_object_get(d, "mine"), *helping = json_object_get(d, "helping"),
           *offers = json_object_get(d, "offers"), *on = json_object_get(d, "available");
    size_t nh = json_array_size(helping), no = json_array_size(offers);
    struct proto_support_offer *ov;
    struct proto_support *hv;

    out->u.support.has_mine = mine && !json_is_null(mine);
    if (out->u.support.has_mine && !proto__support_from_json(mine, &out->u.support.mine))
        return PROTO_E_INVALID_FIELD;
    if (!json_is_array(helping) || (offers && !json_is_null(offers) && !json_is_array(offers)) ||
        (on && !json_is_null(on) && !json_is_boolean(on)))
        return PROTO_E_INVALID_FIELD;
    out->u.support.available = json_is_true(on);
    if (nh + no == 0)
        return PROTO_OK;
    /* Both structs are aligned like an int64_t, so the requests may follow the offers. */
    out->_alloc = calloc(1, no * sizeof *ov + nh * sizeof *hv);
    if (!out->_alloc)
        return PROTO_E_INTERNAL;
    ov = out->_alloc;
    hv = (struct proto_support *)(ov + no);
    for (size_t i = 0; i < no; i++)
        if (!proto__support_offer_from_json(json_array_get(offers, i), &ov[i]))
            return PROTO_E_INVALID_FIELD;
    for (size_t i = 0; i < nh; i++)
        if (!proto__support_from_json(json_array_get(helping, i), &hv[i]))
            return PROTO_E_INVALID_FIELD;
    out->u.support.offers = no ? ov : NULL;
    out->u.support.n_offers = no;
    out->u.support.requests = nh ? hv : NULL;
    out->u.support.n = nh;
    return PROTO_OK;
}

static enum proto_err decode_data(json_t *d, struct proto_result *out)
{
    const char *s;
    void *items;
    enum proto_err e;

    switch (out->type) {
    case PROTO_REQ_AUTH_REGISTER:
    case PROTO_REQ_AUTH_LOGIN:
        return FIELD_OK(proto__user_from_json(json_object_get(d, "user"), &out->u.auth.user) &&
                        proto__get_str(d, "token", &out->u.auth.token));
    case PROTO_REQ_AUTH_RESUME:
        return FIELD_OK(proto__user_from_json(json_object_get(d, "user"), &out->u.auth.user));
    case PROTO_REQ_AUTH_PASSWORD:
        return FIELD_OK(proto__get_str(d, "token", &out->u.auth.token));
    case PROTO_REQ_PRESENCE_SET:
        return FIELD_OK(proto__get_str(d, "status", &s) &&
                        proto_status_parse(s, &out->u.presence.status));
    case PROTO_REQ_ROOM_LIST:
        return DECODE_LIST("rooms", out->u.list.rooms, out->u.list.n, room_from);
    case PROTO_REQ_ROOM_CREATE:
        return FIELD_OK(proto__room_from_json(json_object_get(d, "room"), &out->u.create.room));
    case PROTO_REQ_ROOM_JOIN:
        if (!proto__room_from_json(json_object_get(d, "room"), &out->u.join.room))
            return PROTO_E_INVALID_FIELD;
        return DECODE_LIST("members", out->u.join.members, out->u.join.n, member_from);
    case PROTO_REQ_ROOM_SEND:
        return FIELD_OK(proto__get_u64(d, "seq", &out->u.send.seq) &&
                        proto__get_i64(d, "ts", &out->u.send.ts) &&
                        proto__get_bool(d, "duplicate", &out->u.send.duplicate));
    case PROTO_REQ_ROOM_HISTORY:
        if (!proto__get_bool(d, "has_more", &out->u.history.has_more) ||
            !proto__get_bool(d, "truncated", &out->u.history.truncated))
            return PROTO_E_INVALID_FIELD;
        return DECODE_LIST("events", out->u.history.events, out->u.history.n, event_from);
    case PROTO_REQ_ROOM_READ:
        return FIELD_OK(proto__get_u64(d, "seen", &out->u.read.seen));
    case PROTO_REQ_ROOM_MEMBERS:
        return DECODE_LIST("members", out->u.members.members, out->u.members.n, member_from);
    case PROTO_REQ_ROOM_INVITE:
        return FIELD_OK(proto__get_str(d, "code", &out->u.invite.code) &&
                        proto__get_i64(d, "expires_at", &out->u.invite.expires_at));
    case PROTO_REQ_PING:
        return FIELD_OK(proto__get_i64(d, "ts", &out->u.ping.ts));
    case PROTO_REQ_ROOM_CONFIGURE:
        return FIELD_OK(proto__room_from_json(json_object_get(d, "room"), &out->u.configure.room));
    case PROTO_REQ_MEETING_CHAIR:
    case PROTO_REQ_MEETING_OPEN:
    case PROTO_REQ_MEETING_CLOSE:
    case PROTO_REQ_MEETING_HAND:
    case PROTO_REQ_MEETING_FLOOR:
    case PROTO_REQ_MEETING_DONE:
    case PROTO_REQ_MEETING_MODE:
    case PROTO_REQ_MEETING_STATE:
        if (!proto__meeting_from_json(json_object_get(d, "meeting"), &out->u.meeting))
            return PROTO_E_INVALID_FIELD;
        out->_alloc = (void *)out->u.meeting.queue;   /* the queue array, or NULL */
        return PROTO_OK;
    case PROTO_REQ_MOD_SETTINGS:
        return FIELD_OK(proto__mod_settings_from_json(json_object_get(d, "settings"),
                                                      &out->u.modset.settings));
    case PROTO_REQ_MOD_LOG:
        if (!proto__get_bool(d, "has_more", &out->u.modlog.has_more))
            return PROTO_E_INVALID_FIELD;
        return DECODE_LIST("entries", out->u.modlog.entries, out->u.modlog.n, audit_from);
    case PROTO_REQ_MOD_SANCTIONS:
        return DECODE_LIST("sanctions", out->u.sanctions.sanctions, out->u.sanctions.n,
                           sanction_from);
    case PROTO_REQ_BLOCK_LIST:
        /* The handles array, or NULL when empty. */
        if (!proto__strings_from_json(json_object_get(d, "handles"), &out->u.blocks.handles,
                                      &out->u.blocks.n))
            return PROTO_E_INVALID_FIELD;
        out->_alloc = (void *)out->u.blocks.handles;
        return PROTO_OK;
    case PROTO_REQ_REPORT_CREATE:
        return FIELD_OK(proto__get_i64(d, "id", &out->u.report.id) && out->u.report.id >= 1);
    case PROTO_REQ_REPORT_LIST:
        return DECODE_LIST("reports", out->u.reports.reports, out->u.reports.n, report_from);
    case PROTO_REQ_SAFETY_RESOURCES:
        if (!proto__get_str(d, "notice", &out->u.safety.notice) ||
            !proto__strings_from_json(json_object_get(d, "resources"), &out->u.safety.resources,
                                      &out->u.safety.n))
            return PROTO_E_INVALID_FIELD;
        out->_alloc = (void *)out->u.safety.resources;
        return PROTO_OK;
    case PROTO_REQ_MEETING_ATTENDANCE:
        return DECODE_LIST("weeks", out->u.attendance.weeks, out->u.attendance.n, attendance_from);
    case PROTO_REQ_MEETING_SCHEDULE:
        if (!proto__get_str(d, "room", &out->u.schedule.room))
            return PROTO_E_INVALID_FIELD;
        return DECODE_LIST("slots", out->u.schedule.slots, out->u.schedule.n, slot_from);
    case PROTO_REQ_MEETING_UPCOMING:
        return DECODE_LIST("meetings", out->u.upcoming.meetings, out->u.upcoming.n, upcoming_from);
    case PROTO_REQ_ROOM_INVITES:
        return DECODE_LIST("invites", out->u.invites.invites, out->u.invites.n, invite_from);
    case PROTO_REQ_BUDDY_ACCEPT:
        return FIELD_OK(proto__buddy_from_json(json_object_get(d, "buddy"),
                                               &out->u.paired.buddy));
    case PROTO_REQ_BUDDY_LIST:
        return buddy_list_from(d, out);
    case PROTO_REQ_BUDDY_PING: {
        /* "duplicate" absent (or null) is false. */
        json_t *dup = json_object_get(d, "duplicate");
        return FIELD_OK(proto__ping_from_json(json_object_get(d, "ping"),
                                              &out->u.sent_ping.ping) &&
                        (!dup || json_is_null(dup) ||
                         proto__get_bool(d, "duplicate", &out->u.sent_ping.duplicate)));
    }
    case PROTO_REQ_BUDDY_PINGS:
        return DECODE_LIST("pings", out->u.pings.pings, out->u.pings.n, ping_from);
    case PROTO_REQ_MATCH_STATUS:
        return match_status_from(d, out);
    case PROTO_REQ_SUPPORT_ASK:
    case PROTO_REQ_SUPPORT_ACCEPT:
        return asked_from(d, out);
    case PROTO_REQ_SUPPORT_AVAILABLE:
        return FIELD_OK(proto__get_bool(d, "on", &out->u.available.on));
    case PROTO_REQ_SUPPORT_QUEUE:
        return DECODE_LIST("requests", out->u.support.requests, out->u.support.n, support_from);
    case PROTO_REQ_SUPPORT_STATUS:
        return support_status_from(d, out);
    case PROTO_REQ_SUPPORT_STATS:
        return DECODE_LIST("days", out->u.stats.days, out->u.stats.n, support_day_from);
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
    case PROTO_REQ_CHECKIN_SUBMIT:
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_SUMMARY:
    case PROTO_REQ_CHECKIN_JOURNAL:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return proto__checkin_result_decode(d, out);
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
    case PROTO_REQ_SOBRIETY_SET:
    case PROTO_REQ_SOBRIETY_GET:
        return proto__plan_result_decode(d, out);
    case PROTO_REQ_ACCOUNT_EXPORT:
        return proto__account_result_decode(d, out);
    default:
        return proto__no_data(out->type) ? PROTO_OK : PROTO_E_INTERNAL;
    }
}

enum proto_err proto_result_decode(enum proto_req_type type, json_t *data, struct proto_result *out)
{
    enum proto_err e;

    memset(out, 0, sizeof *out);
    out->type = type;
    if (!proto_req_name(type))
        return PROTO_E_INTERNAL;
    if (!json_is_object(data))
        return PROTO_E_BAD_JSON;
    out->_root = json_incref(data);
    e = decode_data(data, out);
    if (e != PROTO_OK) {
        proto_result_free(out);
        out->type = type;
    }
    return e;
}

void proto_result_free(struct proto_result *r)
{
    if (!r)
        return;
    json_decref(r->_root);
    free(r->_alloc);
    memset(r, 0, sizeof *r);
}
