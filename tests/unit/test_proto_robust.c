/*
 * Robustness: every truncation and many deterministic byte mutations of
 * good frames must decode or fail cleanly (no crash, no leak, no sanitizer
 * report), and a failure must always carry a code and a sentence.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

static const char *const client_frames[] = {
    "{\"type\":\"auth.register\",\"id\":\"1\",\"handle\":\"Alice\",\"password\":\"correct horse battery\",\"invite\":\"x\"}",
    "{\"type\":\"auth.login\",\"id\":\"2\",\"handle\":\"alice\",\"password\":\"pw\"}",
    "{\"type\":\"auth.resume\",\"id\":\"3\",\"token\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    "{\"type\":\"room.create\",\"id\":\"4\",\"room\":\"Lobby\",\"title\":\"L\\u00e9\",\"topic\":\"t\",\"visibility\":\"invite\"}",
    "{\"type\":\"room.send\",\"id\":\"5\",\"room\":\"lobby\",\"text\":\"h\xc3\xa9llo \xf0\x9f\x8c\xb1\",\"cid\":\"c\"}",
    "{\"type\":\"room.history\",\"id\":\"6\",\"room\":\"lobby\",\"after\":5,\"limit\":10}",
    "{\"type\":\"presence.set\",\"id\":\"7\",\"status\":\"away\"}",
    "{\"type\":\"room.configure\",\"id\":\"8\",\"room\":\"Circle\",\"meeting\":true,\"format\":\"W\xc3\xa9lcome \xf0\x9f\x8c\xb1\",\"share_seconds\":300}",
    "{\"type\":\"room.role\",\"id\":\"9\",\"room\":\"circle\",\"handle\":\"Bob\",\"role\":\"moderator\"}",
    "{\"type\":\"meeting.floor\",\"id\":\"10\",\"room\":\"circle\",\"handle\":\"carol\"}",
    "{\"type\":\"meeting.mode\",\"id\":\"11\",\"room\":\"circle\",\"mode\":\"open\",\"auto\":true}",
    "{\"type\":\"meeting.hand\",\"id\":\"12\",\"room\":\"circle\",\"raised\":false}",
};

static const char *const server_frames[] = {
    "[{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":1,\"ts\":2,\"handle\":\"a\",\"text\":\"\xf0\x9f\x8c\xb1\",\"cid\":\"c\"},"
    "{\"type\":\"presence\",\"handle\":\"b\",\"status\":\"away\"},"
    "{\"type\":\"result\",\"id\":\"1\",\"data\":{\"events\":[{\"type\":\"room.left\",\"room\":\"l\",\"seq\":3,\"ts\":4,\"handle\":\"x\"}],\"has_more\":true,\"truncated\":false}},"
    "{\"type\":\"error\",\"id\":null,\"code\":\"rate_limited\",\"message\":\"m\",\"retry_after_ms\":5}]",
    "{\"type\":\"hello\",\"protocol\":1,\"server\":\"s\",\"limits\":{\"max_frame_bytes\":1,\"max_text_chars\":2,"
    "\"history_page_max\":3,\"rate_per_sec\":4,\"rate_burst\":5,\"auth_timeout_ms\":6}}",
    "[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":\"a\",\"mode\":\"one_speaker\","
    "\"auto\":false,\"speaker\":\"b\",\"share_ends_at\":17,\"share_seconds\":300,\"queue\":[\"x\",\"y\",\"z\"]}},"
    "{\"type\":\"result\",\"id\":\"2\",\"data\":{\"meeting\":{\"room\":\"c\",\"open\":false,\"chair\":null,"
    "\"mode\":\"open\",\"auto\":true,\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"q\",\"r\"]}}},"
    "{\"type\":\"meeting.opened\",\"room\":\"c\",\"chair\":null,\"format\":\"\xf0\x9f\x8c\xb1\"},"
    "{\"type\":\"meeting.warning\",\"room\":\"c\",\"handle\":\"b\",\"seconds_left\":60},"
    "{\"type\":\"room.role\",\"room\":\"c\",\"handle\":\"b\",\"role\":\"moderator\"}]",
    "{\"type\":\"result\",\"id\":\"3\",\"data\":{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\","
    "\"visibility\":\"open\",\"members\":1,\"present\":1,\"last_seq\":0,\"joined\":true,\"meeting\":true,"
    "\"role\":\"host\"},\"members\":[{\"handle\":\"a\",\"status\":\"away\",\"role\":\"moderator\"}]}}",
};

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void check_client(const char *buf, size_t len)
{
    struct proto_request r;
    struct proto_decode_error e;
    enum proto_err c = proto_request_decode(buf, len, &r, &e);
    if (c == PROTO_OK) {
        char *s = proto_request_encode(&r);
        cr_expect(s, "a decoded request must re-encode");
        free(s);
        proto_request_free(&r);
    } else {
        cr_expect(c > PROTO_OK && c < PROTO_E__COUNT);
        cr_expect(e.code == c && e.message[0], "failure without a sentence");
        cr_expect_null(r._root);
    }
}

/* Every result is tried as each request type whose data has arrays or
 * nested objects; every event is re-encoded. */
static void on_msg(const struct proto_server_msg *m, void *ud)
{
    static const enum proto_req_type types[] = {PROTO_REQ_ROOM_HISTORY, PROTO_REQ_MEETING_STATE,
                                                PROTO_REQ_ROOM_JOIN, PROTO_REQ_ROOM_CONFIGURE};
    struct proto_result r;
    (void)ud;
    if (m->kind == PROTO_MSG_RESULT) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
            if (proto_result_decode(types[i], m->data, &r) == PROTO_OK) {
                char *s = proto_result_encode("x", &r);
                cr_expect(s, "a decoded result must re-encode");
                free(s);
                proto_result_free(&r);
            } else {
                cr_expect_null(r._alloc);
            }
        }
    } else if (m->kind == PROTO_MSG_EVENT) {
        char *s = proto_event_encode(&m->event);
        cr_expect(s, "a decoded event must re-encode");
        free(s);
    }
}

static void mutate_all(const char *const *frames, size_t n, void (*check)(const char *, size_t))
{
    for (size_t f = 0; f < n; f++) {
        size_t len = strlen(frames[f]);
        char *buf = malloc(len + 1);
        for (size_t cut = 0; cut <= len; cut++) {
            memcpy(buf, frames[f], cut);   /* exact-length copy: ASan sees any overread */
            check(buf, cut);
        }
        for (int i = 0; i < 3000; i++) {
            memcpy(buf, frames[f], len);
            for (int k = 1 + (int)(next() % 3); k > 0; k--) {
                static const char interesting[] = "\"{}[],:0-9\\ \x80\xc3\xff";
                buf[next() % len] = (next() & 1) ? (char)(next() & 0xff)
                                                 : interesting[next() % (sizeof interesting - 1)];
            }
            check(buf, len);
        }
        free(buf);
    }
}

static void check_server(const char *buf, size_t len)
{
    enum proto_err c = proto_frame_decode(buf, len, on_msg, NULL);
    cr_expect(c >= PROTO_OK && c < PROTO_E__COUNT);
}

Test(robust, client_frames)
{
    mutate_all(client_frames, sizeof client_frames / sizeof client_frames[0], check_client);
}

Test(robust, server_frames)
{
    mutate_all(server_frames, sizeof server_frames / sizeof server_frames[0], check_server);
}
