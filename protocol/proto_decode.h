/*
 * proto_decode: the state of a request being decoded and the field readers
 * that proto_request.c (every request) and proto_support.c (the support
 * requests) share. Each reader reports the first bad field with a sentence
 * that names it. Internal to protocol/; static inline, so a file that uses
 * only some of them compiles without unused-function warnings.
 */
#ifndef HEARTH_PROTO_DECODE_H
#define HEARTH_PROTO_DECODE_H

#include <stdarg.h>
#include <stdio.h>

#include "hproto.h"

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

/* The members of a support request (support.*, PROTOCOL.md sections 5.62 to
 * 5.70), in proto_support.c. */
enum proto_err proto__support_request_decode(struct dec *d);

#endif
