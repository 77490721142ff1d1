/*
 * Helpers the proto unit tests share: checking an encoder's output,
 * decoding requests that must decode or must fail, building a request
 * with one long string member, and the sample meeting and moderation
 * settings that the result and event tests encode.
 *
 * Everything is static inline, so a test file that uses only some of it
 * compiles without unused-function warnings.
 */
#ifndef HEARTH_TESTS_PROTO_FIXTURE_H
#define HEARTH_TESTS_PROTO_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

/* s, an encoder's output (freed here), is exactly `want`. */
static inline void expect_json(char *s, const char *want)
{
    cr_expect_str_eq(s, want);
    free(s);
}

/* -------------------------------------------------------------- requests */

static inline enum proto_err dec(const char *text, struct proto_request *r,
                                 struct proto_decode_error *e)
{
    return proto_request_decode(text, strlen(text), r, e);
}

static inline void must_decode(const char *text, struct proto_request *r)
{
    struct proto_decode_error e;
    enum proto_err rc = dec(text, r, &e);
    cr_assert(rc == PROTO_OK, "%s -> %s (%s)", text, proto_err_code(rc), e.message);
}

/* Decoding must fail and leave nothing allocated; returns the code, and
 * the error in *e. */
static inline enum proto_err must_fail(const char *text, struct proto_decode_error *e)
{
    struct proto_request r;
    enum proto_err rc = dec(text, &r, e);
    cr_assert(rc != PROTO_OK, "%s decoded but should not", text);
    cr_expect_null(r._root);
    return rc;
}

/* A request: `head`, which ends with the opening quote of its last
 * member's string value, then `n` copies of `ch` (a UTF-8 sequence or a
 * JSON escape), then the closing "}. The caller frees it. */
static inline char *repeated(const char *head, const char *ch, int n)
{
    size_t hl = strlen(head), cl = strlen(ch);
    char *buf = malloc(hl + cl * (size_t)n + 3), *p = buf + hl;
    cr_assert_not_null(buf);
    memcpy(buf, head, hl);
    for (int i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    strcpy(p, "\"}");
    return buf;
}

/* A string member bounded in code points (not bytes), as repeated() fills
 * it in after `head`. */
struct string_bound {
    const char *head;
    const char *field;          /* the member, as error messages quote it */
    const char *id;             /* the request id written in head */
    long max;                   /* code points allowed */
    enum proto_err err;         /* the error for one more */
    const char *(*value)(const struct proto_request *r);   /* the decoded member */
};

/* `max` copies of ch decode, to exactly max code points; max + 1 fail with
 * the bound's error, which names the field and keeps the request's id. */
static inline void expect_string_bound(const struct string_bound *b, const char *ch)
{
    struct proto_request r;
    struct proto_decode_error e;
    char quoted[64];
    char *ok = repeated(b->head, ch, (int)b->max), *bad = repeated(b->head, ch, (int)b->max + 1);
    must_decode(ok, &r);
    cr_expect_eq(proto_utf8_chars(b->value(&r), strlen(b->value(&r))), b->max, "width of %s", ch);
    proto_request_free(&r);
    cr_expect_eq(must_fail(bad, &e), b->err, "width of %s", ch);
    snprintf(quoted, sizeof quoted, "'%s'", b->field);
    cr_expect(strstr(e.message, quoted), "%s", e.message);
    cr_expect_str_eq(e.id, b->id);
    free(ok);
    free(bad);
}

/* ------------------------------------------------------- server messages */

/* An open one-speaker meeting in "circle": alice chairs, bob has the floor
 * until 1795000300000 (shares of 300 s), carol, dan and erin wait in that
 * order. */
static inline struct proto_meeting sample_meeting(void)
{
    static const char *queue[] = {"carol", "dan", "erin"};
    struct proto_meeting m = {
        .room = "circle", .open = true, .chair = "alice", .mode = PROTO_MODE_ONE_SPEAKER,
        .auto_floor = false, .speaker = "bob", .share_ends_at = 1795000300000,
        .share_seconds = 300, .queue = queue, .n_queue = 3};
    return m;
}

/* Every moderation setting on, none at its default. */
static inline struct proto_mod_settings sample_settings(void)
{
    return (struct proto_mod_settings){.slow_seconds = 30, .locked = true,
                                       .member_limit = 100000, .newcomer_seconds = 86400};
}

#endif
