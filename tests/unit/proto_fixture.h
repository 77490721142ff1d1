/*
 * Helpers the proto unit tests share: checking an encoder's output,
 * decoding requests that must decode or must fail (naming a field), round
 * trips of requests and results, refused results, building a request with
 * one long string member, round trips of events through a frame, and the
 * sample meeting and moderation settings that the result and event tests
 * encode.
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

/* Decoding fails with invalid_field, keeps the id "x", and the message names
 * `field` (in single quotes), contains `also` when given, and is a sentence. */
static inline void refused(const char *text, const char *field, const char *also)
{
    struct proto_decode_error e;
    char quoted[64];
    cr_expect_eq(must_fail(text, &e), PROTO_E_INVALID_FIELD, "%s", text);
    cr_expect_eq(e.code, PROTO_E_INVALID_FIELD, "%s", text);
    cr_expect_str_eq(e.id, "x", "%s", text);
    snprintf(quoted, sizeof quoted, "'%s'", field);
    cr_expect(strstr(e.message, quoted), "%s: '%s' does not name %s", text, e.message, quoted);
    if (also)
        cr_expect(strstr(e.message, also), "%s: '%s' does not say %s", text, e.message, also);
    cr_expect_eq(e.message[strlen(e.message) - 1], '.', "%s: '%s'", text, e.message);
}

/* Encodes `in`, decodes it into *out and encodes that again: both encodings
 * are the same. Returns the first (the caller frees it and *out). */
static inline char *round_trip_request(const struct proto_request *in, struct proto_request *out)
{
    struct proto_decode_error e;
    char *s = proto_request_encode(in), *s2;
    cr_assert(s, "encode %s", proto_req_name(in->type));
    cr_assert_eq(proto_request_decode(s, strlen(s), out, &e), PROTO_OK, "%s: %s", s, e.message);
    cr_expect_eq(out->type, in->type);
    s2 = proto_request_encode(out);
    cr_expect_str_eq(s, s2);
    free(s2);
    return s;
}

/* ------------------------------------------------------- server messages */

/* Encodes res as a reply and decodes its data into *out (the caller frees it). */
static inline void round_trip_result(const struct proto_result *res, struct proto_result *out)
{
    char *s = proto_result_encode("r-1", res);
    json_t *v;
    cr_assert(s, "encode %s", proto_req_name(res->type));
    v = json_loads(s, 0, NULL);
    cr_assert(v, "not JSON: %s", s);
    cr_assert_eq(proto_result_decode(res->type, json_object_get(v, "data"), out), PROTO_OK, "%s",
                 s);
    json_decref(v);   /* out holds its own reference on data */
    free(s);
}

/* Decoding `data` as a `type` result fails with invalid_field and keeps
 * nothing: no root, no allocation, no reference on the data. */
static inline void result_refused(enum proto_req_type type, const char *data)
{
    struct proto_result out;
    json_t *d = json_loads(data, 0, NULL);
    cr_assert(d, "%s", data);
    cr_expect_eq(proto_result_decode(type, d, &out), PROTO_E_INVALID_FIELD, "%s", data);
    cr_expect_null(out._root, "%s", data);
    cr_expect_null(out._alloc, "%s", data);
    cr_expect_eq(out.type, type, "%s", data);
    cr_expect_eq(d->refcount, 1, "%s", data);
    json_decref(d);
}

/* A frame's one event, and its encoding made while the frame was alive (its
 * strings borrow from the frame: only the scalars of `ev` stay readable). */
struct one_event {
    int n;
    char *enc;   /* malloc'd: the caller frees it */
    struct proto_event ev;
};

static inline void keep_event(const struct proto_server_msg *m, void *ud)
{
    struct one_event *o = ud;
    o->n++;
    cr_assert_eq(m->kind, PROTO_MSG_EVENT);
    o->ev = m->event;
    free(o->enc);
    o->enc = proto_event_encode(&m->event);
}

/* Decodes `text`, a frame of one event, into *o; returns the frame's code. */
static inline enum proto_err event_frame(const char *text, struct one_event *o)
{
    memset(o, 0, sizeof *o);
    return proto_frame_decode(text, strlen(text), keep_event, o);
}

/* ev encodes to exactly `want`, which decodes as a frame to the same type
 * and encodes again to `want`. */
static inline void event_round_trip(const struct proto_event *ev, const char *want)
{
    struct one_event o;
    char *s = proto_event_encode(ev);
    cr_assert(s, "encode event %d", ev->type);
    cr_expect_str_eq(s, want);
    cr_assert_eq(event_frame(s, &o), PROTO_OK, "%s", s);
    cr_expect_eq(o.n, 1);
    cr_expect_eq(o.ev.type, ev->type);
    cr_expect_str_eq(o.enc, want);
    free(o.enc);
    free(s);
}

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
