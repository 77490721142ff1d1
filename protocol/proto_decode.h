/*
 * proto_decode: the state of a request being decoded and the field readers
 * that proto_request.c (every request), proto_support.c (the support
 * requests), proto_checkin.c (settings and check-ins) and proto_plan.c (the
 * card, the plan and clean time) share. Each reader reports the first bad
 * field with a sentence that names it. Internal to protocol/; static inline,
 * so a file that uses only some of them compiles without unused-function
 * warnings.
 */
#ifndef HEARTH_PROTO_DECODE_H
#define HEARTH_PROTO_DECODE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

struct dec {
    json_t *root;
    struct proto_request *out;
    struct proto_decode_error *err;
};

static inline enum proto_err fail(struct dec *d, enum proto_err code, const char *fmt, ...)
{
    va_list ap;
    d->err->code = code;
    va_start(ap, fmt);
    vsnprintf(d->err->message, sizeof d->err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* Absent and JSON null both mean "not given" for optional fields. */
static inline json_t *field(struct dec *d, const char *key)
{
    json_t *v = json_object_get(d->root, key);
    return json_is_null(v) ? NULL : v;
}

/*
 * A string field of min..max bytes. Missing (when required) or not a string
 * is invalid_field; out of bounds is `range_code`. *out is NULL when an
 * optional field is absent.
 */
static inline enum proto_err get_bytes(struct dec *d, const char *key, bool required, size_t min,
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

/* A boolean; *present tells whether an optional one was given. */
static inline enum proto_err get_flag(struct dec *d, const char *key, bool required, bool *present,
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

/*
 * An optional integer field of min..max; *present tells whether it was
 * given (absent or null: no, and *out is 0).
 */
static inline enum proto_err get_range(struct dec *d, const char *key, json_int_t min,
                                       json_int_t max, bool *present, uint32_t *out)
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

/* An optional integer of min..max that reads as `def` when absent or null. */
static inline enum proto_err get_range_or(struct dec *d, const char *key, json_int_t min,
                                          json_int_t max, uint32_t def, uint32_t *out)
{
    bool present;
    enum proto_err e = get_range(d, key, min, max, &present, out);
    if (e == PROTO_OK && !present)
        *out = def;
    return e;
}

/* A report's, ping's, proposal's or support request's number: an integer of 1 or more. */
static inline enum proto_err get_number(struct dec *d, const char *key, int64_t *out)
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

#define TRY(expr)                       \
    do {                                \
        enum proto_err e_ = (expr);     \
        if (e_ != PROTO_OK)             \
            return e_;                  \
    } while (0)

/* A string field counted in Unicode code points, min..max (invalid_field). */
static inline enum proto_err get_chars(struct dec *d, const char *key, bool required, long min,
                                       long max, const char *range_msg, const char **out)
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
 * Free words that may be left out (a support request's note, a requester's
 * thanks, a check-in's grateful, win and note): optional, at most `max`
 * code points (more is text_too_long); "" is none, like an absent or null
 * one (*out NULL).
 */
static inline enum proto_err get_words(struct dec *d, const char *key, long max, const char **out)
{
    TRY(get_bytes(d, key, false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", out));
    if (*out && proto_utf8_chars(*out, strlen(*out)) > max) {
        *out = NULL;
        return fail(d, PROTO_E_TEXT_TOO_LONG, "Field '%s' must be at most %ld characters.", key,
                    max);
    }
    if (*out && !**out)
        *out = NULL;
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
static inline enum proto_err get_name_in(struct dec *d, const char *key, bool required,
                                         bool strict, int slot, const char **out)
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

#define TZ_MSG                                                                                     \
    "Field '%s' must be a time zone name such as \"America/New_York\": 1 to 64 bytes of A-Z, "    \
    "a-z, 0-9, '_', '+', '-' or '/'."

/* "tz" (a schedule slot's, the settings'): 1..PROTO_TZ_MAX bytes of A-Z a-z
 * 0-9 _ + - /; whether the zone exists is the server's to say. */
static inline enum proto_err get_tz(struct dec *d, bool required, const char **out)
{
    TRY(get_bytes(d, "tz", required, 1, PROTO_TZ_MAX, PROTO_E_INVALID_FIELD, TZ_MSG, out));
    /* A decoded request holds no NUL (bad_json), so strlen is the whole name. */
    if (*out && !proto__tz_name_ok(*out, strlen(*out))) {
        *out = NULL;
        return fail(d, PROTO_E_INVALID_FIELD, TZ_MSG, "tz");
    }
    return PROTO_OK;
}

#define DAY_MSG "Field '%s' must be a date \"YYYY-MM-DD\" that exists, such as \"2026-11-22\"."

/* A day "YYYY-MM-DD" that is a real date (a check-in range, a sobriety date). */
static inline enum proto_err get_day(struct dec *d, const char *key, bool required,
                                     const char **out)
{
    TRY(get_bytes(d, key, required, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", out));
    if (*out && !proto__date_ok(*out, strlen(*out))) {
        *out = NULL;
        return fail(d, PROTO_E_INVALID_FIELD, DAY_MSG, key);
    }
    return PROTO_OK;
}

/* Tells which item of an array a member's error is about, counted from 1:
 * "... (slot 2).", "... (contact 3)." */
static inline enum proto_err in_item(struct dec *d, const char *what, size_t i, enum proto_err e)
{
    char *m = d->err->message;
    size_t len = strlen(m);
    if (e != PROTO_OK && len > 0 && m[len - 1] == '.')
        snprintf(m + len - 1, sizeof d->err->message - (len - 1), " (%s %zu).", what, i + 1);
    return e;
}

/* The members of a support request (support.*, PROTOCOL.md sections 5.62 to
 * 5.70), in proto_support.c. */
enum proto_err proto__support_request_decode(struct dec *d);
/* The members of settings.* and checkin.* (sections 5.71 to 5.78), in
 * proto_checkin.c; of card.*, plan.* and sobriety.* (sections 5.79 to 5.84),
 * in proto_plan.c. */
enum proto_err proto__checkin_request_decode(struct dec *d);
enum proto_err proto__plan_request_decode(struct dec *d);
enum proto_err proto__account_request_decode(struct dec *d);

#endif
