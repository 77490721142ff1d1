/*
 * proto_request: decoding client requests (server side). Every field is
 * validated against PROTOCOL.md and the first bad one is reported with a
 * sentence that names it (the shared field readers are in proto_decode.h, the
 * support requests' members in proto_support.c, those of settings and
 * check-ins in proto_checkin.c, of the card, the plan and clean time in
 * proto_plan.c). proto_request_encode.c is the inverse.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_decode.h"
#include "proto_internal.h"

static enum proto_err get_name(struct dec *d, const char *key, bool strict, const char **out)
{
    return get_name_in(d, key, true, strict, 0, out);
}

#define CONV_MSG                                                                                \
    "Field '%s' must be a room name, or a conversation's name: \"~\" and 8 to 31 of a-z or 0-9 " \
    "(lowercase)."

/*
 * The `room` member of every request but room.create: a room name (folded,
 * as get_name_in, slot 0) or a conversation's name (PROTOCOL.md section
 * 20.1). A conversation's name is never folded: one that starts with "~" and
 * breaks the rule (capitals included) is refused.
 */
static enum proto_err get_room_in(struct dec *d, bool required, const char **out)
{
    const char *s = json_string_value(field(d, "room"));

    if (!s || s[0] != PROTO_CONV_PREFIX)
        return get_name_in(d, "room", required, true, 0, out);
    *out = NULL;
    /* A decoded request holds no NUL (bad_json), so strlen is the whole name. */
    if (!proto_is_conversation_name(s))
        return fail(d, PROTO_E_INVALID_FIELD, CONV_MSG, "room");
    memcpy(d->out->_folded[0], s, strlen(s) + 1);
    *out = s;
    return PROTO_OK;
}

static enum proto_err get_room(struct dec *d, const char **out)
{
    return get_room_in(d, true, out);
}

/* An optional integer seq of at least `min` (before: 1; after: 0, which
 * means "from the very start"); *present tells whether it was given. */
static enum proto_err get_seq(struct dec *d, const char *key, json_int_t min, uint64_t *out,
                              bool *present)
{
    json_t *v = field(d, key);
    *out = 0;
    *present = v != NULL;
    if (!v)
        return PROTO_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min)
        return fail(d, PROTO_E_INVALID_FIELD,
                    min ? "Field '%s' must be a positive integer."
                        : "Field '%s' must be an integer of 0 or more.", key);
    *out = (uint64_t)json_integer_value(v);
    return PROTO_OK;
}

/* Bounds of the moderation requests (PROTOCOL.md section 5, mod.*). */
#define MOD_MINUTES_MAX 525600     /* a year */
#define MOD_DAYS_MAX 3650          /* ten years */
#define MOD_SLOW_MAX 3600
#define MOD_LIMIT_MAX 100000
#define MOD_NEWCOMER_MAX 86400
#define MOD_LOG_DEFAULT 50
#define MOD_LOG_MAX 100

/* room.configure's retention_days (PROTOCOL.md section 19): 0 = messages are kept. */
#define ROOM_RETENTION_MAX 3650    /* ten years */

/* A moderator's optional reason: 0..PROTO_REASON_MAX code points. */
static enum proto_err get_reason(struct dec *d, const char **out)
{
    return get_chars(d, "reason", false, 0, PROTO_REASON_MAX,
                     "Field '%s' must be at most 500 characters.", out);
}

/* A report's reason: 1..PROTO_REASON_MAX code points, required. */
static enum proto_err get_report_reason(struct dec *d, const char **out)
{
    return get_chars(d, "reason", true, 1, PROTO_REASON_MAX,
                     "Field '%s' must be between 1 and 500 characters.", out);
}

bool proto__is_outcome(const char *s)
{
    return s && (strcmp(s, "actioned") == 0 || strcmp(s, "dismissed") == 0);
}

/* "utc_offset_minutes": UTC_OFFSET_MIN..MAX; *out stays 0 when an optional one
 * is absent. */
static enum proto_err get_utc_offset(struct dec *d, bool required, int32_t *out)
{
    json_t *v = field(d, "utc_offset_minutes");
    *out = 0;
    if (!v)
        return required ? fail(d, PROTO_E_INVALID_FIELD, "Field 'utc_offset_minutes' is required.")
                        : PROTO_OK;
    if (!json_is_integer(v) || json_integer_value(v) < UTC_OFFSET_MIN ||
        json_integer_value(v) > UTC_OFFSET_MAX)
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'utc_offset_minutes' must be an integer between -720 and 840.");
    *out = (int32_t)json_integer_value(v);
    return PROTO_OK;
}

#define REPORT_SHAPE_MSG "Report either a message ('room' and 'seq') or a person ('handle')."

#define PASSWORD_MSG "Field '%s' must be between 12 and 256 bytes."
#define INVITE_MSG "Field '%s' must be between 1 and 64 bytes."

/* meeting.schedule's slots (PROTOCOL.md section 5.44). */
#define SLOTS_MSG "Field 'slots' must be an array of at most 14 slot objects."
#define DAYS_MSG                                                                          \
    "Field 'days' must be an array of one or more different days: \"mon\", \"tue\", \"wed\", " \
    "\"thu\", \"fri\", \"sat\", \"sun\"."
#define START_MSG "Field '%s' must be a 24-hour time \"HH:MM\" from 00:00 to 23:59."

/* A slot's members, in order: days, start, minutes, tz; `d` decodes the slot
 * object, so the request's own readers check them. */
static enum proto_err get_slot_members(struct dec *d, struct proto_slot *s)
{
    const char *start;
    uint32_t minutes;
    bool has_minutes;

    if (!proto__slot_days_from_json(field(d, "days"), &s->days))
        return fail(d, PROTO_E_INVALID_FIELD, DAYS_MSG);
    TRY(get_bytes(d, "start", true, 5, 5, PROTO_E_INVALID_FIELD, START_MSG, &start));
    if (!proto__slot_start_parse(start, 5, &s->start_minute))
        return fail(d, PROTO_E_INVALID_FIELD, START_MSG, "start");
    TRY(get_range(d, "minutes", PROTO_SLOT_MINUTES_MIN, PROTO_SLOT_MINUTES_MAX, &has_minutes,
                  &minutes));
    if (!has_minutes)
        return fail(d, PROTO_E_INVALID_FIELD, "Field 'minutes' is required.");
    s->minutes = (uint16_t)minutes;
    return get_tz(d, true, &s->tz);
}

/*
 * Absent (or null) slots read the schedule; an array of 0..PROTO_SLOTS_MAX
 * slot objects replaces it. The slots are calloc'd into out->_alloc (NULL
 * when there are none), which proto_request_free, or a failed decode, frees.
 */
static enum proto_err get_slots(struct dec *d)
{
    struct proto_request *r = d->out;
    json_t *a = field(d, "slots");
    size_t n = json_array_size(a);   /* 0 when not an array */

    r->u.schedule.has_slots = a != NULL;
    if (!a)
        return PROTO_OK;
    if (!json_is_array(a) || n > PROTO_SLOTS_MAX)
        return fail(d, PROTO_E_INVALID_FIELD, SLOTS_MSG);
    if (n == 0)
        return PROTO_OK;
    r->u.schedule.slots = r->_alloc = calloc(n, sizeof *r->u.schedule.slots);
    if (!r->_alloc)
        return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
    r->u.schedule.n = n;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(a, i);
        struct dec slot = {.root = o, .out = r, .err = d->err};
        if (!json_is_object(o))
            return fail(d, PROTO_E_INVALID_FIELD, SLOTS_MSG);
        TRY(in_item(d, "slot", i, get_slot_members(&slot, &r->u.schedule.slots[i])));
    }
    return PROTO_OK;
}

/* buddy.ping (section 5.54): handle, kind, then text (required for, and only
 * allowed with, kind "text"), then cid. */
static enum proto_err get_ping(struct dec *d)
{
    struct proto_request *r = d->out;
    const char *kind;
    long n;

    TRY(get_name_in(d, "handle", true, true, 1, &r->u.ping.handle));
    TRY(get_bytes(d, "kind", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &kind));
    if (!proto_ping_kind_parse(kind, &r->u.ping.kind))
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'kind' must be \"thinking_of_you\", \"call_me\", \"struggling\" or "
                    "\"text\".");
    TRY(get_bytes(d, "text", false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &r->u.ping.text));
    if ((r->u.ping.text != NULL) != (r->u.ping.kind == PROTO_PING_TEXT)) {
        r->u.ping.text = NULL;
        return fail(d, PROTO_E_INVALID_FIELD, "%s",
                    r->u.ping.kind == PROTO_PING_TEXT
                        ? "Field 'text' is required with kind \"text\"."
                        : "Field 'text' is only allowed with kind \"text\".");
    }
    if (r->u.ping.text) {
        n = proto_utf8_chars(r->u.ping.text, strlen(r->u.ping.text));
        if (n < 1 || n > PROTO_PING_TEXT_MAX) {
            r->u.ping.text = NULL;
            return fail(d, n < 1 ? PROTO_E_INVALID_FIELD : PROTO_E_TEXT_TOO_LONG,
                        "Field 'text' must be between 1 and 500 characters.");
        }
    }
    return get_bytes(d, "cid", false, 1, PROTO_CID_MAX, PROTO_E_INVALID_FIELD,
                     "Field '%s' must be between 1 and 64 bytes.", &r->u.ping.cid);
}

/* match.join (section 5.57): utc_offset_minutes, language, approach (all
 * required), then clean_days (absent: -1) and want_more_clean_time (absent:
 * false). */
static enum proto_err get_prefs(struct dec *d)
{
    struct proto_match_prefs *p = &d->out->u.match;
    const char *s;
    uint32_t days;
    bool has_days;

    TRY(get_utc_offset(d, true, &p->utc_offset_minutes));
    TRY(get_bytes(d, "language", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &p->language));
    if (!proto__language_ok(p->language, strlen(p->language))) {
        p->language = NULL;
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'language' must be 2 to 8 lowercase letters a-z, such as \"en\".");
    }
    TRY(get_bytes(d, "approach", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
    if (!proto_approach_parse(s, &p->approach))
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'approach' must be \"12_step\", \"smart\", \"other\" or \"any\".");
    TRY(get_range(d, "clean_days", 0, CLEAN_DAYS_MAX, &has_days, &days));
    p->clean_days = has_days ? (int32_t)days : -1;
    return get_flag(d, "want_more_clean_time", false, NULL, &p->want_more_clean_time);
}

static enum proto_err decode_fields(struct dec *d)
{
    struct proto_request *r = d->out;
    const char *s;
    json_t *v;

    switch (r->type) {
    case PROTO_REQ_AUTH_REGISTER:
        TRY(get_name(d, "handle", true, &r->u.reg.handle));
        TRY(get_bytes(d, "password", true, PROTO_PASSWORD_MIN, PROTO_PASSWORD_MAX,
                      PROTO_E_PASSWORD_POLICY, PASSWORD_MSG, &r->u.reg.password));
        TRY(get_bytes(d, "invite", false, 1, PROTO_INVITE_MAX, PROTO_E_INVALID_FIELD, INVITE_MSG,
                      &r->u.reg.invite));
        return PROTO_OK;
    case PROTO_REQ_AUTH_LOGIN:
        TRY(get_name(d, "handle", false, &r->u.login.handle));
        TRY(get_bytes(d, "password", true, 1, PROTO_PASSWORD_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 256 bytes.", &r->u.login.password));
        return PROTO_OK;
    case PROTO_REQ_AUTH_RESUME:
        TRY(get_bytes(d, "token", true, PROTO_TOKEN_CHARS, PROTO_TOKEN_CHARS,
                      PROTO_E_INVALID_FIELD, "Field '%s' must be 64 lowercase hexadecimal characters.",
                      &r->u.resume.token));
        for (s = r->u.resume.token; *s; s++)
            if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
                return fail(d, PROTO_E_INVALID_FIELD,
                            "Field 'token' must be 64 lowercase hexadecimal characters.");
        return PROTO_OK;
    case PROTO_REQ_AUTH_PASSWORD:
        TRY(get_bytes(d, "old_password", true, 1, PROTO_PASSWORD_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 256 bytes.", &r->u.password.old_password));
        TRY(get_bytes(d, "new_password", true, PROTO_PASSWORD_MIN, PROTO_PASSWORD_MAX,
                      PROTO_E_PASSWORD_POLICY, PASSWORD_MSG, &r->u.password.new_password));
        return PROTO_OK;
    case PROTO_REQ_PRESENCE_SET:
        TRY(get_bytes(d, "status", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
        if (!proto_status_parse(s, &r->u.presence.status) ||
            r->u.presence.status == PROTO_STATUS_OFFLINE)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'status' must be one of available, away, busy or invisible.");
        return PROTO_OK;
    case PROTO_REQ_ROOM_CREATE:
        /* People cannot create conversations (section 20.1). */
        if (proto_is_conversation_name(json_string_value(field(d, "room"))))
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'room' cannot be a conversation's name: only rooms are created.");
        TRY(get_name(d, "room", true, &r->u.create.room));
        TRY(get_chars(d, "title", true, 1, PROTO_TITLE_MAX,
                      "Field '%s' must be between 1 and 80 characters.", &r->u.create.title));
        TRY(get_chars(d, "topic", false, 0, PROTO_TOPIC_MAX,
                      "Field '%s' must be at most 300 characters.", &r->u.create.topic));
        if (!r->u.create.topic)
            r->u.create.topic = "";
        r->u.create.visibility = PROTO_VIS_OPEN;
        v = field(d, "visibility");
        if (v && !(json_is_string(v) &&
                   proto_visibility_parse(json_string_value(v), &r->u.create.visibility)))
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'visibility' must be \"open\" or \"invite\".");
        return PROTO_OK;
    case PROTO_REQ_ROOM_JOIN:
        TRY(get_room(d, &r->u.join.room));
        TRY(get_bytes(d, "invite", false, 1, PROTO_INVITE_MAX, PROTO_E_INVALID_FIELD, INVITE_MSG,
                      &r->u.join.invite));
        return PROTO_OK;
    case PROTO_REQ_ROOM_LEAVE:
    case PROTO_REQ_ROOM_MEMBERS:
    case PROTO_REQ_ROOM_INVITES:
        return get_room(d, &r->u.room.room);
    case PROTO_REQ_ROOM_INVITE:
        TRY(get_room(d, &r->u.invite.room));
        TRY(get_range_or(d, "hours", 1, INVITE_HOURS_MAX, INVITE_HOURS_DEFAULT,
                         &r->u.invite.hours));
        return get_range(d, "uses", 1, INVITE_USES_MAX, NULL, &r->u.invite.uses);
    case PROTO_REQ_ROOM_INVITE_REVOKE:
        /* The code: the same rule as room.join's invite. */
        TRY(get_room(d, &r->u.invite.room));
        return get_bytes(d, "code", true, 1, PROTO_INVITE_MAX, PROTO_E_INVALID_FIELD, INVITE_MSG,
                         &r->u.invite.code);
    case PROTO_REQ_ROOM_SEND: {
        long n;
        TRY(get_room(d, &r->u.send.room));
        TRY(get_bytes(d, "text", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &r->u.send.text));
        n = proto_utf8_chars(r->u.send.text, strlen(r->u.send.text));
        if (n < 1 || n > PROTO_MAX_TEXT_CHARS)
            return fail(d, n < 1 ? PROTO_E_INVALID_FIELD : PROTO_E_TEXT_TOO_LONG,
                        "Field 'text' must be between 1 and 4000 characters.");
        TRY(get_bytes(d, "cid", true, 1, PROTO_CID_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 64 bytes.", &r->u.send.cid));
        return PROTO_OK;
    }
    case PROTO_REQ_ROOM_HISTORY: {
        bool has_before;
        TRY(get_room(d, &r->u.history.room));
        TRY(get_seq(d, "before", 1, &r->u.history.before, &has_before));
        TRY(get_seq(d, "after", 0, &r->u.history.after, &r->u.history.has_after));
        if (has_before && r->u.history.has_after)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Fields 'before' and 'after' cannot be used together.");
        r->u.history.limit = PROTO_HISTORY_DEFAULT;
        v = field(d, "limit");
        if (v) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > PROTO_HISTORY_MAX)
                return fail(d, PROTO_E_INVALID_FIELD,
                            "Field 'limit' must be an integer between 1 and 100.");
            r->u.history.limit = (uint32_t)json_integer_value(v);
        }
        return PROTO_OK;
    }
    case PROTO_REQ_ROOM_READ: {
        /* A conversation's name or a room's: the server says which it is. */
        bool has_seq;
        TRY(get_room(d, &r->u.read.room));
        TRY(get_seq(d, "seq", 1, &r->u.read.seq, &has_seq));
        if (!has_seq)
            return fail(d, PROTO_E_INVALID_FIELD, "Field 'seq' is required.");
        return PROTO_OK;
    }
    case PROTO_REQ_ROOM_CONFIGURE: {
        TRY(get_room(d, &r->u.configure.room));
        TRY(get_flag(d, "meeting", false, &r->u.configure.has_meeting, &r->u.configure.meeting));
        TRY(get_bytes(d, "format", false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "",
                      &r->u.configure.format));
        if (r->u.configure.format &&
            proto_utf8_chars(r->u.configure.format, strlen(r->u.configure.format)) >
                PROTO_FORMAT_MAX) {
            r->u.configure.format = NULL;
            return fail(d, PROTO_E_TEXT_TOO_LONG, "Field 'format' must be at most 4000 characters.");
        }
        v = field(d, "share_seconds");
        r->u.configure.has_share = v != NULL;
        if (v) {
            if (!json_is_integer(v) || json_integer_value(v) < PROTO_SHARE_MIN_S ||
                json_integer_value(v) > PROTO_SHARE_MAX_S)
                return fail(d, PROTO_E_INVALID_FIELD,
                            "Field 'share_seconds' must be an integer between 60 and 1800.");
            r->u.configure.share_seconds = (uint32_t)json_integer_value(v);
        }
        TRY(get_range(d, "retention_days", 0, ROOM_RETENTION_MAX, &r->u.configure.has_retention,
                      &r->u.configure.retention_days));
        TRY(get_flag(d, "ephemeral", false, &r->u.configure.has_ephemeral,
                     &r->u.configure.ephemeral));
        if (!r->u.configure.has_meeting && !r->u.configure.format && !r->u.configure.has_share &&
            !r->u.configure.has_retention && !r->u.configure.has_ephemeral)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Give at least one of 'meeting', 'format', 'share_seconds', "
                        "'retention_days' or 'ephemeral'.");
        return PROTO_OK;
    }
    case PROTO_REQ_ROOM_ROLE:
        TRY(get_room(d, &r->u.role.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.role.handle));
        TRY(get_bytes(d, "role", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
        if (!proto_room_role_parse(s, &r->u.role.role) || r->u.role.role == PROTO_RROLE_HOST)
            return fail(d, PROTO_E_INVALID_FIELD, "%s",
                        r->u.role.role == PROTO_RROLE_HOST
                            ? "Field 'role' cannot be \"host\": the host role cannot be given."
                            : "Field 'role' must be \"member\" or \"moderator\".");
        return PROTO_OK;
    case PROTO_REQ_MEETING_CHAIR:
        TRY(get_room(d, &r->u.who.room));
        /* Required, but null is a value here: no chair, the host chairs again. */
        if (json_is_null(json_object_get(d->root, "handle")))
            return PROTO_OK;
        return get_name_in(d, "handle", true, true, 1, &r->u.who.handle);
    case PROTO_REQ_MEETING_FLOOR:
        TRY(get_room(d, &r->u.who.room));
        return get_name_in(d, "handle", false, true, 1, &r->u.who.handle);
    case PROTO_REQ_MEETING_HAND:
        TRY(get_room(d, &r->u.hand.room));
        return get_flag(d, "raised", true, NULL, &r->u.hand.raised);
    case PROTO_REQ_MEETING_MODE:
        TRY(get_room(d, &r->u.mode.room));
        v = field(d, "mode");
        r->u.mode.has_mode = v != NULL;
        if (v && !(json_is_string(v) && proto_meeting_mode_parse(json_string_value(v),
                                                                  &r->u.mode.mode)))
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'mode' must be \"one_speaker\" or \"open\".");
        TRY(get_flag(d, "auto", false, &r->u.mode.has_auto, &r->u.mode.auto_floor));
        if (!r->u.mode.has_mode && !r->u.mode.has_auto)
            return fail(d, PROTO_E_INVALID_FIELD, "Give at least one of 'mode' or 'auto'.");
        return PROTO_OK;
    case PROTO_REQ_MEETING_OPEN:
    case PROTO_REQ_MEETING_CLOSE:
    case PROTO_REQ_MEETING_DONE:
    case PROTO_REQ_MEETING_STATE:
    case PROTO_REQ_MOD_SANCTIONS:
        return get_room(d, &r->u.room.room);
    /* moderation: the room (when there is one), then the handle, then the
     * request's own members, the reason last */
    case PROTO_REQ_MOD_MUTE:
    case PROTO_REQ_MOD_BAN:
        TRY(get_room(d, &r->u.mod.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        TRY(get_range(d, "minutes", 1, MOD_MINUTES_MAX, NULL, &r->u.mod.minutes));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_UNMUTE:
    case PROTO_REQ_MOD_REMOVE:
    case PROTO_REQ_MOD_UNBAN:
        TRY(get_room(d, &r->u.mod.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_DELETE: {
        bool has_seq;
        TRY(get_room(d, &r->u.mod.room));
        TRY(get_seq(d, "seq", 1, &r->u.mod.seq, &has_seq));
        if (!has_seq)
            return fail(d, PROTO_E_INVALID_FIELD, "Field 'seq' is required.");
        return get_reason(d, &r->u.mod.reason);
    }
    case PROTO_REQ_MOD_SUSPEND:
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        TRY(get_range(d, "days", 1, MOD_DAYS_MAX, NULL, &r->u.mod.days));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_UNSUSPEND:
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_SETTINGS:
        TRY(get_room(d, &r->u.modset.room));
        TRY(get_range(d, "slow_seconds", 0, MOD_SLOW_MAX, &r->u.modset.has_slow,
                      &r->u.modset.set.slow_seconds));
        TRY(get_flag(d, "locked", false, &r->u.modset.has_locked, &r->u.modset.set.locked));
        TRY(get_range(d, "member_limit", 0, MOD_LIMIT_MAX, &r->u.modset.has_limit,
                      &r->u.modset.set.member_limit));
        TRY(get_range(d, "newcomer_seconds", 0, MOD_NEWCOMER_MAX, &r->u.modset.has_newcomer,
                      &r->u.modset.set.newcomer_seconds));
        if (!r->u.modset.has_slow && !r->u.modset.has_locked && !r->u.modset.has_limit &&
            !r->u.modset.has_newcomer)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Give at least one of 'slow_seconds', 'locked', 'member_limit' or "
                        "'newcomer_seconds'.");
        return PROTO_OK;
    case PROTO_REQ_MOD_LOG: {
        /* No room: the server-wide log. */
        bool has_before;
        uint64_t before;
        TRY(get_room_in(d, false, &r->u.modlog.room));
        TRY(get_seq(d, "before", 1, &before, &has_before));
        r->u.modlog.before = (int64_t)before;   /* a JSON integer: at most INT64_MAX */
        return get_range_or(d, "limit", 1, MOD_LOG_MAX, MOD_LOG_DEFAULT, &r->u.modlog.limit);
    }
    /* blocks, reports, safety: a handle is a name like any other (slot 1), a
     * room slot 0 */
    case PROTO_REQ_BLOCK_ADD:
    case PROTO_REQ_BLOCK_REMOVE:
        return get_name_in(d, "handle", true, true, 1, &r->u.block.handle);
    case PROTO_REQ_REPORT_CREATE: {
        bool has_seq;
        TRY(get_room_in(d, false, &r->u.report.room));
        TRY(get_seq(d, "seq", 1, &r->u.report.seq, &has_seq));
        TRY(get_name_in(d, "handle", false, true, 1, &r->u.report.handle));
        /* exactly one of a message (room + seq) and a person (handle, room optional) */
        if (has_seq == (r->u.report.handle != NULL))
            return fail(d, PROTO_E_INVALID_FIELD, REPORT_SHAPE_MSG);
        if (has_seq && !r->u.report.room)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'room' is required to report a message (with 'seq').");
        return get_report_reason(d, &r->u.report.reason);
    }
    case PROTO_REQ_REPORT_LIST:
        TRY(get_room_in(d, false, &r->u.reports.room));
        v = field(d, "status");
        if (v) {
            s = json_string_value(v);
            if (!s || (strcmp(s, "open") != 0 && strcmp(s, "all") != 0))
                return fail(d, PROTO_E_INVALID_FIELD, "Field 'status' must be \"open\" or \"all\".");
            r->u.reports.all = strcmp(s, "all") == 0;
        }
        return PROTO_OK;
    case PROTO_REQ_REPORT_RESOLVE:
        /* The report's number is "report": "id" is the request's own id. */
        TRY(get_number(d, "report", &r->u.resolve.id));
        TRY(get_bytes(d, "outcome", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "",
                      &r->u.resolve.outcome));
        if (!proto__is_outcome(r->u.resolve.outcome)) {
            r->u.resolve.outcome = NULL;
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'outcome' must be \"actioned\" or \"dismissed\".");
        }
        return get_chars(d, "note", false, 0, PROTO_REASON_MAX,
                         "Field '%s' must be at most 500 characters.", &r->u.resolve.note);
    case PROTO_REQ_MEETING_ATTENDANCE:
        /* Both optional; the defaults are made explicit (offset 0, 12 weeks). */
        TRY(get_utc_offset(d, false, &r->u.attendance.utc_offset_minutes));
        return get_range_or(d, "weeks", 1, ATTENDANCE_WEEKS_MAX, ATTENDANCE_WEEKS_DEFAULT,
                            &r->u.attendance.weeks);
    case PROTO_REQ_MEETING_SCHEDULE:
        TRY(get_room(d, &r->u.schedule.room));
        return get_slots(d);
    case PROTO_REQ_MEETING_UPCOMING:
        TRY(get_room_in(d, false, &r->u.upcoming.room));
        TRY(get_range_or(d, "days", 1, PROTO_UPCOMING_DAYS_MAX, PROTO_UPCOMING_DAYS_DEFAULT,
                         &r->u.upcoming.days));
        return get_range_or(d, "limit", 1, PROTO_UPCOMING_MAX, PROTO_UPCOMING_DEFAULT,
                            &r->u.upcoming.limit);
    /* buddies, pings, matching (sections 20, 21): the person is a name like any
     * other (slot 1); a ping's or a proposal's number is "ping" or "proposal",
     * as "id" is the request's own id */
    case PROTO_REQ_BUDDY_REQUEST:
    case PROTO_REQ_BUDDY_ACCEPT:
    case PROTO_REQ_BUDDY_DECLINE:
    case PROTO_REQ_BUDDY_CANCEL:
    case PROTO_REQ_BUDDY_END:
        return get_name_in(d, "handle", true, true, 1, &r->u.buddy.handle);
    case PROTO_REQ_BUDDY_PING:
        return get_ping(d);
    case PROTO_REQ_BUDDY_PING_SEEN:
        return get_number(d, "ping", &r->u.by_id.id);
    case PROTO_REQ_MATCH_ACCEPT:
    case PROTO_REQ_MATCH_DECLINE:
        return get_number(d, "proposal", &r->u.by_id.id);
    case PROTO_REQ_MATCH_JOIN:
        return get_prefs(d);
    /* support requests (section 22): proto_support.c */
    case PROTO_REQ_SUPPORT_ASK:
    case PROTO_REQ_SUPPORT_CANCEL:
    case PROTO_REQ_SUPPORT_ACCEPT:
    case PROTO_REQ_SUPPORT_CLOSE:
    case PROTO_REQ_SUPPORT_HANDBACK:
    case PROTO_REQ_SUPPORT_AVAILABLE:
    case PROTO_REQ_SUPPORT_QUEUE:
    case PROTO_REQ_SUPPORT_STATUS:
    case PROTO_REQ_SUPPORT_STATS:
        return proto__support_request_decode(d);
    /* settings and check-ins (section 23): proto_checkin.c */
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
    case PROTO_REQ_CHECKIN_SUBMIT:
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_SUMMARY:
    case PROTO_REQ_CHECKIN_JOURNAL:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return proto__checkin_request_decode(d);
    /* the crisis card, the plan and clean time (section 23): proto_plan.c */
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
    case PROTO_REQ_SOBRIETY_SET:
    case PROTO_REQ_SOBRIETY_GET:
        return proto__plan_request_decode(d);
    /* your data: proto_account.c */
    case PROTO_REQ_ACCOUNT_EXPORT:
    case PROTO_REQ_ACCOUNT_DELETE:
        return proto__account_request_decode(d);
    case PROTO_REQ_AUTH_LOGOUT:
    case PROTO_REQ_ROOM_LIST:
    case PROTO_REQ_PING:
    case PROTO_REQ_BLOCK_LIST:
    case PROTO_REQ_SAFETY_RESOURCES:
    case PROTO_REQ_BUDDY_LIST:
    case PROTO_REQ_BUDDY_PINGS:
    case PROTO_REQ_MATCH_LEAVE:
    case PROTO_REQ_MATCH_STATUS:
        return PROTO_OK;
    case PROTO_REQ__COUNT:
        break;
    }
    return fail(d, PROTO_E_UNKNOWN_TYPE, "%s", proto_err_sentence(PROTO_E_UNKNOWN_TYPE));
}

/*
 * Order of checks (PROTOCOL.md "Decoding order"): JSON object, "type",
 * known type, "id", then the type's fields in their documented order. The
 * id is copied into err->id as soon as it is readable, whatever fails.
 */
enum proto_err proto_request_decode(const char *buf, size_t len, struct proto_request *out,
                                    struct proto_decode_error *err)
{
    struct dec d = {.out = out, .err = err};
    json_error_t jerr;
    json_t *type, *id;
    enum proto_err e;

    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);

    d.root = buf ? json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!d.root)
        return fail(&d, PROTO_E_BAD_JSON, "The message is not valid JSON.");
    if (!json_is_object(d.root)) {
        e = fail(&d, PROTO_E_BAD_JSON, "The message must be a single JSON object.");
        goto out_err;
    }

    id = json_object_get(d.root, "id");
    if (json_is_string(id) && json_string_length(id) >= 1 && json_string_length(id) <= PROTO_ID_MAX)
        memcpy(err->id, json_string_value(id), json_string_length(id) + 1);

    type = json_object_get(d.root, "type");
    if (!json_is_string(type)) {
        e = fail(&d, PROTO_E_INVALID_FIELD, "Field 'type' is required and must be a string.");
        goto out_err;
    }
    if (!proto_req_parse(json_string_value(type), &out->type)) {
        e = fail(&d, PROTO_E_UNKNOWN_TYPE, "%s", proto_err_sentence(PROTO_E_UNKNOWN_TYPE));
        goto out_err;
    }
    if (!err->id[0]) {
        e = fail(&d, PROTO_E_INVALID_FIELD, "Field 'id' must be a string of 1 to 64 bytes.");
        goto out_err;
    }
    out->id = json_string_value(id);
    out->_root = d.root;

    e = decode_fields(&d);
    if (e != PROTO_OK)
        goto out_err;
    return PROTO_OK;

out_err:
    json_decref(d.root);
    free(out->_alloc);
    memset(out, 0, sizeof *out);
    return e;
}

void proto_request_free(struct proto_request *r)
{
    if (!r)
        return;
    json_decref(r->_root);
    free(r->_alloc);
    memset(r, 0, sizeof *r);
}
