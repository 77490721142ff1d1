/*
 * proto_request: client requests. Decoding (server side) validates every
 * field against PROTOCOL.md and reports the first bad one with a sentence
 * that names it; encoding (client side) is the plain inverse.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

struct dec {
    json_t *root;
    struct proto_request *out;
    struct proto_decode_error *err;
};

static enum proto_err fail(struct dec *d, enum proto_err code, const char *fmt, ...)
{
    va_list ap;
    d->err->code = code;
    va_start(ap, fmt);
    vsnprintf(d->err->message, sizeof d->err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* Absent and JSON null both mean "not given" for optional fields. */
static json_t *field(struct dec *d, const char *key)
{
    json_t *v = json_object_get(d->root, key);
    return json_is_null(v) ? NULL : v;
}

/*
 * A string field of min..max bytes. Missing (when required) or not a string
 * is invalid_field; out of bounds is `range_code`. *out is NULL when an
 * optional field is absent.
 */
static enum proto_err get_bytes(struct dec *d, const char *key, bool required, size_t min,
                                size_t max, enum proto_err range_code, const char *range_msg,
                                const char **out)
{
    json_t *v = field(d, key);
    size_t n;

    *out = NULL;
    if (!v) {
        if (!required)
            return PROTO_OK;
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' is required.", key);
    }
    if (!json_is_string(v))
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' must be a string.", key);
    n = json_string_length(v);
    if (n < min || n > max)
        return fail(d, range_code, range_msg, key);
    *out = json_string_value(v);
    return PROTO_OK;
}

/* A string field counted in Unicode code points, min..max. */
static enum proto_err get_chars(struct dec *d, const char *key, bool required, long min, long max,
                                const char *range_msg, const char **out)
{
    enum proto_err e = get_bytes(d, key, required, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", out);
    long n;

    if (e != PROTO_OK || !*out)
        return e;
    /* jansson only produces valid UTF-8, so -1 cannot happen here. */
    n = proto_utf8_chars(*out, strlen(*out));
    if (n < min || n > max) {
        *out = NULL;
        return fail(d, PROTO_E_INVALID_FIELD, range_msg, key);
    }
    return PROTO_OK;
}

/*
 * A handle or room name. With `strict`, a malformed name is invalid_field;
 * without it (login) the raw string passes through so the server answers it
 * like any wrong handle. The folded form replaces the value in the JSON
 * tree, so the pointer stays valid if the caller copies the struct; it is
 * also kept in out->_folded[slot] (the room in slot 0, a second name such as
 * room.role's handle in slot 1). An optional name (`required` false) that
 * is absent or null gives *out NULL.
 */
static enum proto_err get_name_in(struct dec *d, const char *key, bool required, bool strict,
                                  int slot, const char **out)
{
    char folded[PROTO_HANDLE_MAX + 1];
    json_t *v;
    enum proto_err e = get_bytes(d, key, required, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", out);

    if (e != PROTO_OK || !*out)
        return e;
    if (!proto_name_fold(*out, folded)) {
        if (!strict)
            return PROTO_OK;
        *out = NULL;
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field '%s' must be 3 to 32 characters of a-z, 0-9, '_' or '-'.", key);
    }
    if (strcmp(folded, *out) != 0) {
        v = json_string(folded);
        if (!v || json_object_set_new(d->root, key, v) != 0) {
            *out = NULL;
            return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
        }
        *out = json_string_value(json_object_get(d->root, key));
    }
    memcpy(d->out->_folded[slot], folded, sizeof folded);
    return PROTO_OK;
}

static enum proto_err get_name(struct dec *d, const char *key, bool strict, const char **out)
{
    return get_name_in(d, key, true, strict, 0, out);
}

/* A boolean; *present tells whether an optional one was given. */
static enum proto_err get_flag(struct dec *d, const char *key, bool required, bool *present,
                               bool *out)
{
    json_t *v = field(d, key);
    *out = false;
    if (present)
        *present = v != NULL;
    if (!v)
        return required ? fail(d, PROTO_E_INVALID_FIELD, "Field '%s' is required.", key)
                        : PROTO_OK;
    if (!json_is_boolean(v))
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' must be true or false.", key);
    *out = json_is_true(v);
    return PROTO_OK;
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

/*
 * An optional integer field of min..max; *present tells whether it was
 * given (absent or null: no, and *out is 0).
 */
static enum proto_err get_range(struct dec *d, const char *key, json_int_t min, json_int_t max,
                                bool *present, uint32_t *out)
{
    json_t *v = field(d, key);
    *out = 0;
    if (present)
        *present = v != NULL;
    if (!v)
        return PROTO_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' must be an integer between %lld and %lld.",
                    key, (long long)min, (long long)max);
    *out = (uint32_t)json_integer_value(v);
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

/* report.resolve's outcome and report.list's status: one of two words. */
static bool is_outcome(const char *s)
{
    return s && (strcmp(s, "actioned") == 0 || strcmp(s, "dismissed") == 0);
}

/* A report's number: an integer of 1 or more. */
static enum proto_err get_report_id(struct dec *d, const char *key, int64_t *out)
{
    json_t *v = field(d, key);
    *out = 0;
    if (!v)
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' is required.", key);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' must be a positive integer.", key);
    *out = (int64_t)json_integer_value(v);
    return PROTO_OK;
}

/* Bounds of meeting.attendance (PROTOCOL.md section 5, meeting.attendance): the
 * asker's offset from UTC in minutes (UTC-12:00 to UTC+14:00), and how many weeks. */
#define ATTENDANCE_OFFSET_MIN (-720)
#define ATTENDANCE_OFFSET_MAX 840
#define ATTENDANCE_WEEKS_DEFAULT 12
#define ATTENDANCE_WEEKS_MAX 52

#define REPORT_SHAPE_MSG "Report either a message ('room' and 'seq') or a person ('handle')."

#define PASSWORD_MSG "Field '%s' must be between 12 and 256 bytes."
#define TRY(expr)                       \
    do {                                \
        enum proto_err e_ = (expr);     \
        if (e_ != PROTO_OK)             \
            return e_;                  \
    } while (0)

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
        TRY(get_bytes(d, "invite", false, 1, PROTO_INVITE_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 64 bytes.", &r->u.reg.invite));
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
        TRY(get_name(d, "room", true, &r->u.join.room));
        TRY(get_bytes(d, "invite", false, 1, PROTO_INVITE_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 64 bytes.", &r->u.join.invite));
        return PROTO_OK;
    case PROTO_REQ_ROOM_LEAVE:
    case PROTO_REQ_ROOM_MEMBERS:
    case PROTO_REQ_ROOM_INVITE:
        return get_name(d, "room", true, &r->u.room.room);
    case PROTO_REQ_ROOM_SEND: {
        long n;
        TRY(get_name(d, "room", true, &r->u.send.room));
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
        TRY(get_name(d, "room", true, &r->u.history.room));
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
    case PROTO_REQ_ROOM_CONFIGURE: {
        TRY(get_name(d, "room", true, &r->u.configure.room));
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
        TRY(get_name(d, "room", true, &r->u.role.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.role.handle));
        TRY(get_bytes(d, "role", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
        if (!proto_room_role_parse(s, &r->u.role.role) || r->u.role.role == PROTO_RROLE_HOST)
            return fail(d, PROTO_E_INVALID_FIELD, "%s",
                        r->u.role.role == PROTO_RROLE_HOST
                            ? "Field 'role' cannot be \"host\": the host role cannot be given."
                            : "Field 'role' must be \"member\" or \"moderator\".");
        return PROTO_OK;
    case PROTO_REQ_MEETING_CHAIR:
        TRY(get_name(d, "room", true, &r->u.who.room));
        return get_name_in(d, "handle", true, true, 1, &r->u.who.handle);
    case PROTO_REQ_MEETING_FLOOR:
        TRY(get_name(d, "room", true, &r->u.who.room));
        return get_name_in(d, "handle", false, true, 1, &r->u.who.handle);
    case PROTO_REQ_MEETING_HAND:
        TRY(get_name(d, "room", true, &r->u.hand.room));
        return get_flag(d, "raised", true, NULL, &r->u.hand.raised);
    case PROTO_REQ_MEETING_MODE:
        TRY(get_name(d, "room", true, &r->u.mode.room));
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
        return get_name(d, "room", true, &r->u.room.room);
    /* moderation: the room (when there is one), then the handle, then the
     * request's own members, the reason last */
    case PROTO_REQ_MOD_MUTE:
    case PROTO_REQ_MOD_BAN:
        TRY(get_name(d, "room", true, &r->u.mod.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        TRY(get_range(d, "minutes", 1, MOD_MINUTES_MAX, NULL, &r->u.mod.minutes));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_UNMUTE:
    case PROTO_REQ_MOD_REMOVE:
    case PROTO_REQ_MOD_UNBAN:
        TRY(get_name(d, "room", true, &r->u.mod.room));
        TRY(get_name_in(d, "handle", true, true, 1, &r->u.mod.handle));
        return get_reason(d, &r->u.mod.reason);
    case PROTO_REQ_MOD_DELETE: {
        bool has_seq;
        TRY(get_name(d, "room", true, &r->u.mod.room));
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
        TRY(get_name(d, "room", true, &r->u.modset.room));
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
        bool has_before, has_limit;
        uint64_t before;
        TRY(get_name(d, "room", true, &r->u.modlog.room));
        TRY(get_seq(d, "before", 1, &before, &has_before));
        r->u.modlog.before = (int64_t)before;   /* a JSON integer: at most INT64_MAX */
        TRY(get_range(d, "limit", 1, MOD_LOG_MAX, &has_limit, &r->u.modlog.limit));
        if (!has_limit)
            r->u.modlog.limit = MOD_LOG_DEFAULT;
        return PROTO_OK;
    }
    /* blocks, reports, safety: a handle is a name like any other (slot 1), a
     * room slot 0 */
    case PROTO_REQ_BLOCK_ADD:
    case PROTO_REQ_BLOCK_REMOVE:
        return get_name_in(d, "handle", true, true, 1, &r->u.block.handle);
    case PROTO_REQ_REPORT_CREATE: {
        bool has_seq;
        TRY(get_name_in(d, "room", false, true, 0, &r->u.report.room));
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
        TRY(get_name_in(d, "room", false, true, 0, &r->u.reports.room));
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
        TRY(get_report_id(d, "report", &r->u.resolve.id));
        TRY(get_bytes(d, "outcome", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "",
                      &r->u.resolve.outcome));
        if (!is_outcome(r->u.resolve.outcome)) {
            r->u.resolve.outcome = NULL;
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'outcome' must be \"actioned\" or \"dismissed\".");
        }
        return get_chars(d, "note", false, 0, PROTO_REASON_MAX,
                         "Field '%s' must be at most 500 characters.", &r->u.resolve.note);
    case PROTO_REQ_MEETING_ATTENDANCE: {
        /* Both optional; the defaults are made explicit (offset 0, 12 weeks). */
        bool has_weeks;
        v = field(d, "utc_offset_minutes");
        if (v) {
            if (!json_is_integer(v) || json_integer_value(v) < ATTENDANCE_OFFSET_MIN ||
                json_integer_value(v) > ATTENDANCE_OFFSET_MAX)
                return fail(d, PROTO_E_INVALID_FIELD,
                            "Field 'utc_offset_minutes' must be an integer between -720 and 840.");
            r->u.attendance.utc_offset_minutes = (int32_t)json_integer_value(v);
        }
        TRY(get_range(d, "weeks", 1, ATTENDANCE_WEEKS_MAX, &has_weeks, &r->u.attendance.weeks));
        if (!has_weeks)
            r->u.attendance.weeks = ATTENDANCE_WEEKS_DEFAULT;
        return PROTO_OK;
    }
    case PROTO_REQ_AUTH_LOGOUT:
    case PROTO_REQ_ROOM_LIST:
    case PROTO_REQ_PING:
    case PROTO_REQ_BLOCK_LIST:
    case PROTO_REQ_SAFETY_RESOURCES:
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
    memset(out, 0, sizeof *out);
    return e;
}

void proto_request_free(struct proto_request *r)
{
    if (!r)
        return;
    json_decref(r->_root);
    memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- encode */

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
    case PROTO_REQ_ROOM_INVITE:
        return put_str(o, "room", r->u.room.room);
    case PROTO_REQ_ROOM_SEND:
        return put_str(o, "room", r->u.send.room) && put_str(o, "text", r->u.send.text) &&
               put_str(o, "cid", r->u.send.cid);
    case PROTO_REQ_ROOM_HISTORY:
        return put_str(o, "room", r->u.history.room) &&
               put_opt_int(o, "before", r->u.history.before) &&
               (!r->u.history.has_after ||
                put_int(o, "after", r->u.history.after)) &&
               put_opt_int(o, "limit", r->u.history.limit);
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
    case PROTO_REQ_MEETING_CHAIR:
        return put_str(o, "room", r->u.who.room) && put_str(o, "handle", r->u.who.handle);
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
        return put_str(o, "room", r->u.modlog.room) && r->u.modlog.before >= 0 &&
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
               is_outcome(r->u.resolve.outcome) && put_str(o, "outcome", r->u.resolve.outcome) &&
               put_opt_str(o, "note", r->u.resolve.note);
    case PROTO_REQ_MEETING_ATTENDANCE:
        /* Both members always written, like the decoded form has them; weeks 0 (unset)
         * is the default, 12. Values decoding would refuse are refused. */
        if (r->u.attendance.utc_offset_minutes < ATTENDANCE_OFFSET_MIN ||
            r->u.attendance.utc_offset_minutes > ATTENDANCE_OFFSET_MAX ||
            r->u.attendance.weeks > ATTENDANCE_WEEKS_MAX)
            return false;
        return proto__set(o, "utc_offset_minutes",
                          json_integer(r->u.attendance.utc_offset_minutes)) &&
               put_int(o, "weeks", r->u.attendance.weeks ? r->u.attendance.weeks
                                                         : ATTENDANCE_WEEKS_DEFAULT);
    case PROTO_REQ_AUTH_LOGOUT:
    case PROTO_REQ_ROOM_LIST:
    case PROTO_REQ_PING:
    case PROTO_REQ_BLOCK_LIST:
    case PROTO_REQ_SAFETY_RESOURCES:
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
