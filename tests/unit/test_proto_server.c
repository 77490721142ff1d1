/*
 * What the server sends: results (encode + decode of data), errors,
 * events, and proto_frame_decode (single messages and batches).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

static json_t *parse(const char *s)
{
    json_t *v;
    cr_assert(s, "encoder returned NULL");
    v = json_loads(s, 0, NULL);
    cr_assert(v, "not JSON: %s", s);
    return v;
}

/* Encodes res as a reply, parses it back and decodes its data. */
static void round_trip(const struct proto_result *res, struct proto_result *out)
{
    char *s = proto_result_encode("r-1", res);
    json_t *v = parse(s);
    cr_expect_str_eq(json_string_value(json_object_get(v, "type")), "result");
    cr_expect_str_eq(json_string_value(json_object_get(v, "id")), "r-1");
    cr_assert_eq(proto_result_decode(res->type, json_object_get(v, "data"), out), PROTO_OK, "%s", s);
    json_decref(v);   /* out holds its own reference on data */
    free(s);
}

Test(result, auth_variants)
{
    struct proto_result in = {.type = PROTO_REQ_AUTH_LOGIN}, out;
    char *s;
    in.u.auth.user = (struct proto_user){"alice", PROTO_ROLE_MODERATOR, PROTO_STATUS_AWAY};
    in.u.auth.token = "tok";
    round_trip(&in, &out);
    cr_expect_str_eq(out.u.auth.user.handle, "alice");
    cr_expect_eq(out.u.auth.user.role, PROTO_ROLE_MODERATOR);
    cr_expect_eq(out.u.auth.user.status, PROTO_STATUS_AWAY);
    cr_expect_str_eq(out.u.auth.token, "tok");
    proto_result_free(&out);

    in.type = PROTO_REQ_AUTH_RESUME;
    s = proto_result_encode("x", &in);
    cr_expect_null(strstr(s, "token"), "resume carries no token: %s", s);
    free(s);
    round_trip(&in, &out);
    cr_expect_null(out.u.auth.token);
    proto_result_free(&out);

    in.type = PROTO_REQ_AUTH_PASSWORD;
    s = proto_result_encode("x", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"x\",\"data\":{\"token\":\"tok\"}}");
    free(s);

    in.type = PROTO_REQ_AUTH_LOGOUT;
    s = proto_result_encode("x", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"x\",\"data\":{}}");
    free(s);
}

Test(result, arrays)
{
    struct proto_room rooms[2] = {
        {"lobby", "Lobby", "Say hi", PROTO_VIS_OPEN, 40, 12, 1234, true},
        {"circle", "Circle", NULL, PROTO_VIS_INVITE, 3, 0, 0, false},
    };
    struct proto_member members[3] = {
        {"alice", PROTO_STATUS_AVAILABLE}, {"bob", PROTO_STATUS_OFFLINE}, {"me", PROTO_STATUS_INVISIBLE}};
    struct proto_room_event evs[3] = {
        {PROTO_EV_JOINED, "lobby", 3, 1795000000000, "bob", NULL, NULL},
        {PROTO_EV_MESSAGE, "lobby", 4, 1795000001000, "bob", "hi \xf0\x9f\x8c\xb1", "b-1"},
        {PROTO_EV_LEFT, "lobby", 5, 1795000002000, "bob", "ignored", "ignored"},
    };
    struct proto_result in = {.type = PROTO_REQ_ROOM_LIST}, out;

    in.u.list.rooms = rooms;
    in.u.list.n = 2;
    round_trip(&in, &out);
    cr_assert_eq(out.u.list.n, 2);
    cr_expect_str_eq(out.u.list.rooms[0].room, "lobby");
    cr_expect_eq(out.u.list.rooms[0].last_seq, 1234);
    cr_expect_eq(out.u.list.rooms[0].present, 12);
    cr_expect_str_eq(out.u.list.rooms[1].topic, "", "NULL topic is sent as \"\"");
    cr_expect_eq(out.u.list.rooms[1].visibility, PROTO_VIS_INVITE);
    cr_expect_not(out.u.list.rooms[1].joined);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_JOIN};
    in.u.join.room = rooms[0];
    in.u.join.members = members;
    in.u.join.n = 3;
    round_trip(&in, &out);
    cr_expect_str_eq(out.u.join.room.title, "Lobby");
    cr_assert_eq(out.u.join.n, 3);
    cr_expect_eq(out.u.join.members[1].status, PROTO_STATUS_OFFLINE);
    cr_expect_eq(out.u.join.members[2].status, PROTO_STATUS_INVISIBLE);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_HISTORY};
    in.u.history.events = evs;
    in.u.history.n = 3;
    in.u.history.has_more = true;
    round_trip(&in, &out);
    cr_assert_eq(out.u.history.n, 3);
    cr_expect(out.u.history.has_more);
    cr_expect_not(out.u.history.truncated);
    cr_expect_eq(out.u.history.events[0].kind, PROTO_EV_JOINED);
    cr_expect_null(out.u.history.events[0].text);
    cr_expect_str_eq(out.u.history.events[1].text, "hi \xf0\x9f\x8c\xb1");
    cr_expect_str_eq(out.u.history.events[1].cid, "b-1");
    cr_expect_eq(out.u.history.events[1].ts, 1795000001000);
    cr_expect_null(out.u.history.events[2].text, "text only for messages");
    cr_expect_null(out.u.history.events[2].cid);
    proto_result_free(&out);

    /* Empty arrays decode to n == 0 without allocating. */
    in = (struct proto_result){.type = PROTO_REQ_ROOM_MEMBERS};
    round_trip(&in, &out);
    cr_expect_eq(out.u.members.n, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
}

Test(result, scalars)
{
    struct proto_result in = {.type = PROTO_REQ_ROOM_SEND}, out;
    in.u.send.seq = 9007199254740991ULL;
    in.u.send.ts = 1795000000000;
    in.u.send.duplicate = true;
    round_trip(&in, &out);
    cr_expect_eq(out.u.send.seq, 9007199254740991ULL);
    cr_expect(out.u.send.duplicate);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_INVITE};
    in.u.invite.code = "abc";
    in.u.invite.expires_at = 1795086400000;
    round_trip(&in, &out);
    cr_expect_str_eq(out.u.invite.code, "abc");
    cr_expect_eq(out.u.invite.expires_at, 1795086400000);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_PRESENCE_SET};
    in.u.presence.status = PROTO_STATUS_INVISIBLE;
    round_trip(&in, &out);
    cr_expect_eq(out.u.presence.status, PROTO_STATUS_INVISIBLE);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_PING};
    in.u.ping.ts = 42;
    round_trip(&in, &out);
    cr_expect_eq(out.u.ping.ts, 42);
    proto_result_free(&out);
}

Test(result, encode_failures)
{
    struct proto_result in = {.type = PROTO_REQ_AUTH_LOGIN};
    in.u.auth.user.handle = "alice";
    cr_expect_null(proto_result_encode("1", &in), "token missing");
    in.u.auth.token = "t";
    cr_expect_null(proto_result_encode(NULL, &in), "id missing");
    in.u.auth.user.role = PROTO_ROLE__COUNT;
    cr_expect_null(proto_result_encode("1", &in), "bad role");
    in.type = PROTO_REQ__COUNT;
    cr_expect_null(proto_result_encode("1", &in));
    cr_expect_null(proto_result_encode("1", NULL));
}

Test(result, decode_failures_leave_nothing)
{
    struct proto_result out;
    json_t *d = json_loads("{\"members\":[{\"handle\":\"a\",\"status\":\"available\"},{\"handle\":1}]}",
                           0, NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_ROOM_MEMBERS, d, &out), PROTO_E_INVALID_FIELD);
    cr_expect_null(out._root);
    cr_expect_null(out._alloc);
    cr_expect_eq(d->refcount, 1, "the failed decode dropped its reference");
    cr_expect_eq(proto_result_decode(PROTO_REQ__COUNT, d, &out), PROTO_E_INTERNAL);
    json_decref(d);

    d = json_array();
    cr_expect_eq(proto_result_decode(PROTO_REQ_PING, d, &out), PROTO_E_BAD_JSON);
    cr_expect_eq(proto_result_decode(PROTO_REQ_PING, NULL, &out), PROTO_E_BAD_JSON);
    json_decref(d);

    d = json_loads("{\"seq\":-1,\"ts\":1,\"duplicate\":false}", 0, NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_ROOM_SEND, d, &out), PROTO_E_INVALID_FIELD);
    json_decref(d);
    d = json_loads("{\"ts\":1.5}", 0, NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_PING, d, &out), PROTO_E_INVALID_FIELD);
    json_decref(d);
}

/* ---------------------------------------------------------------- errors */

Test(error, encode)
{
    char *s = proto_error_encode("7", PROTO_E_RATE_LIMITED, "Slow down.", 2000);
    cr_expect_str_eq(s, "{\"type\":\"error\",\"id\":\"7\",\"code\":\"rate_limited\","
                        "\"message\":\"Slow down.\",\"retry_after_ms\":2000}");
    free(s);
    s = proto_error_encode(NULL, PROTO_E_BAD_JSON, NULL, -1);
    cr_expect_str_eq(s, "{\"type\":\"error\",\"id\":null,\"code\":\"bad_json\","
                        "\"message\":\"The message is not a JSON object.\"}");
    free(s);
    /* "" is what an unreadable id decodes to: it is sent as null. */
    s = proto_error_encode("", PROTO_E_INVALID_FIELD, "x.", -1);
    cr_expect(strstr(s, "\"id\":null"), "%s", s);
    free(s);
    /* A message that is not UTF-8 falls back to the default sentence. */
    s = proto_error_encode("1", PROTO_E_FORBIDDEN, "bad \xff", 0);
    cr_expect(strstr(s, proto_err_sentence(PROTO_E_FORBIDDEN)), "%s", s);
    cr_expect(strstr(s, "\"retry_after_ms\":0"), "%s", s);
    free(s);
}

/* ---------------------------------------------------------------- events */

Test(event, encode_each)
{
    struct proto_event ev = {.type = PROTO_EVT_HELLO};
    char *s;

    ev.u.hello.protocol = PROTO_VERSION;
    ev.u.hello.server = "hearthd/0.1.0";
    ev.u.hello.limits = (struct proto_limits){65536, 4000, 100, 10, 20, 10000};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"hello\",\"protocol\":1,\"server\":\"hearthd/0.1.0\",\"limits\":"
                        "{\"max_frame_bytes\":65536,\"max_text_chars\":4000,\"history_page_max\":100,"
                        "\"rate_per_sec\":10,\"rate_burst\":20,\"auth_timeout_ms\":10000}}");
    free(s);

    ev = (struct proto_event){.type = PROTO_EVT_ROOM};
    ev.u.room = (struct proto_room_event){PROTO_EV_MESSAGE, "lobby", 12, 1795000000000, "alice",
                                          "hello", "c1"};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":12,"
                        "\"ts\":1795000000000,\"handle\":\"alice\",\"text\":\"hello\",\"cid\":\"c1\"}");
    free(s);
    ev.u.room.kind = PROTO_EV_JOINED;   /* text and cid are dropped */
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.joined\",\"room\":\"lobby\",\"seq\":12,"
                        "\"ts\":1795000000000,\"handle\":\"alice\"}");
    free(s);
    ev.u.room.kind = PROTO_EV_LEFT;
    s = proto_event_encode(&ev);
    cr_expect(strstr(s, "\"type\":\"room.left\""));
    free(s);
    ev.u.room.kind = 7;
    cr_expect_null(proto_event_encode(&ev));
    ev.u.room.kind = PROTO_EV_MESSAGE;
    ev.u.room.text = NULL;
    cr_expect_null(proto_event_encode(&ev), "a message needs text");

    ev = (struct proto_event){.type = PROTO_EVT_PRESENCE};
    ev.u.presence.handle = "bob";
    ev.u.presence.status = PROTO_STATUS_OFFLINE;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"presence\",\"handle\":\"bob\",\"status\":\"offline\"}");
    free(s);

    ev = (struct proto_event){.type = PROTO_EVT_SESSION_REVOKED};
    ev.u.revoked.reason = "password_changed";
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"session.revoked\",\"reason\":\"password_changed\"}");
    free(s);

    ev.type = PROTO_EVT__COUNT;
    cr_expect_null(proto_event_encode(&ev));
    cr_expect_null(proto_event_encode(NULL));
}

/* ---------------------------------------------------------------- frames */

struct seen {
    int n;
    char log[16][64];
};

static void record(const struct proto_server_msg *m, void *ud)
{
    struct seen *s = ud;
    char *p = s->log[s->n++];
    switch (m->kind) {
    case PROTO_MSG_RESULT:
        snprintf(p, 64, "result %s", m->id);
        break;
    case PROTO_MSG_ERROR:
        snprintf(p, 64, "error %s %s/%s %lld", m->id ? m->id : "null", proto_err_code(m->error.code),
                 m->error.code_str, (long long)m->error.retry_after_ms);
        break;
    case PROTO_MSG_EVENT:
        if (m->event.type == PROTO_EVT_ROOM)
            snprintf(p, 64, "room %s %llu", m->event.u.room.room,
                     (unsigned long long)m->event.u.room.seq);
        else if (m->event.type == PROTO_EVT_PRESENCE)
            snprintf(p, 64, "presence %s %s", m->event.u.presence.handle,
                     proto_status_name(m->event.u.presence.status));
        else if (m->event.type == PROTO_EVT_HELLO)
            snprintf(p, 64, "hello %u %u", m->event.u.hello.protocol,
                     m->event.u.hello.limits.rate_burst);
        else
            snprintf(p, 64, "revoked %s", m->event.u.revoked.reason);
        break;
    }
}

static enum proto_err frame(const char *text, struct seen *s)
{
    memset(s, 0, sizeof *s);
    return proto_frame_decode(text, strlen(text), record, s);
}

Test(frame, batch_in_order)
{
    struct seen s;
    cr_assert_eq(frame("[{\"type\":\"room.joined\",\"room\":\"lobby\",\"seq\":3,\"ts\":1,\"handle\":\"b\"},"
                       "{\"type\":\"presence\",\"handle\":\"b\",\"status\":\"away\"},"
                       "{\"type\":\"result\",\"id\":\"9\",\"data\":{}},"
                       "{\"type\":\"error\",\"id\":null,\"code\":\"bad_json\",\"message\":\"x\"},"
                       "{\"type\":\"error\",\"id\":\"4\",\"code\":\"rate_limited\",\"message\":\"x\","
                       "\"retry_after_ms\":1500},"
                       "{\"type\":\"session.revoked\",\"reason\":\"logout\"}]", &s),
                 PROTO_OK);
    cr_assert_eq(s.n, 6);
    cr_expect_str_eq(s.log[0], "room lobby 3");
    cr_expect_str_eq(s.log[1], "presence b away");
    cr_expect_str_eq(s.log[2], "result 9");
    cr_expect_str_eq(s.log[3], "error null bad_json/bad_json -1");
    cr_expect_str_eq(s.log[4], "error 4 rate_limited/rate_limited 1500");
    cr_expect_str_eq(s.log[5], "revoked logout");
}

Test(frame, single_object_and_hello)
{
    struct seen s;
    cr_assert_eq(frame("{\"type\":\"hello\",\"protocol\":1,\"server\":\"hearthd/0.1.0\",\"limits\":"
                       "{\"max_frame_bytes\":65536,\"max_text_chars\":4000,\"history_page_max\":100,"
                       "\"rate_per_sec\":10,\"rate_burst\":20,\"auth_timeout_ms\":10000},"
                       "\"motd\":\"welcome\"}", &s),
                 PROTO_OK);
    cr_assert_eq(s.n, 1);
    cr_expect_str_eq(s.log[0], "hello 1 20");
}

Test(frame, unknown_types_and_codes)
{
    struct seen s;
    /* A newer server's message types are skipped; its error codes read as internal. */
    cr_assert_eq(frame("[{\"type\":\"room.reaction\",\"x\":1},"
                       "{\"type\":\"error\",\"id\":\"5\",\"code\":\"quota_exceeded\",\"message\":\"m\"},"
                       "{\"type\":\"presence\",\"handle\":\"c\",\"status\":\"busy\"}]", &s),
                 PROTO_OK);
    cr_assert_eq(s.n, 2);
    cr_expect_str_eq(s.log[0], "error 5 internal/quota_exceeded -1");
    cr_expect_str_eq(s.log[1], "presence c busy");
}

Test(frame, stops_at_first_bad_message)
{
    struct seen s;
    cr_expect_eq(frame("[{\"type\":\"presence\",\"handle\":\"c\",\"status\":\"busy\"},"
                       "{\"type\":\"presence\",\"handle\":\"c\"},"
                       "{\"type\":\"presence\",\"handle\":\"d\",\"status\":\"away\"}]", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(s.n, 1, "messages before the bad one were delivered, none after");
    cr_expect_eq(frame("[{\"type\":\"ping\"},5]", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("\"hello\"", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(proto_frame_decode(NULL, 0, record, &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("{\"type\":\"result\",\"id\":\"1\",\"id\":\"2\",\"data\":{}}", &s),
                 PROTO_E_BAD_JSON, "duplicate keys");
    cr_expect_eq(s.n, 0);
}

Test(frame, null_callback_and_empty_batch)
{
    cr_expect_eq(proto_frame_decode("[]", 2, NULL, NULL), PROTO_OK);
    static const char one[] = "{\"type\":\"result\",\"id\":\"1\",\"data\":{}}";
    cr_expect_eq(proto_frame_decode(one, sizeof one - 1, NULL, NULL), PROTO_OK);
}

struct decode_in_cb {
    int results;
    uint64_t seq;
};

/* The documented client pattern: decode result data inside the callback,
 * keep the decoded result after the frame is gone. */
static void decode_send(const struct proto_server_msg *m, void *ud)
{
    struct decode_in_cb *c = ud;
    struct proto_result r;
    if (m->kind != PROTO_MSG_RESULT)
        return;
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_SEND, m->data, &r), PROTO_OK);
    c->results++;
    c->seq = r.u.send.seq;
    proto_result_free(&r);
}

Test(frame, result_data_for_proto_result_decode)
{
    struct decode_in_cb c = {0};
    const char *text = "[{\"type\":\"result\",\"id\":\"1\",\"data\":{\"seq\":5,\"ts\":1,\"duplicate\":false}},"
                       "{\"type\":\"result\",\"id\":\"2\",\"data\":{\"seq\":6,\"ts\":2,\"duplicate\":true}}]";
    cr_assert_eq(proto_frame_decode(text, strlen(text), decode_send, &c), PROTO_OK);
    cr_expect_eq(c.results, 2);
    cr_expect_eq(c.seq, 6);
}
