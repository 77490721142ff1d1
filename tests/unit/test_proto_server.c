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
        {"lobby", "Lobby", "Say hi", PROTO_VIS_OPEN, 40, 12, 1234, true, false, PROTO_RROLE_MEMBER,
         {0}},
        {"circle", "Circle", NULL, PROTO_VIS_INVITE, 3, 0, 0, false, true, PROTO_RROLE_MEMBER, {0}},
    };
    struct proto_member members[3] = {
        {"alice", PROTO_STATUS_AVAILABLE, PROTO_RROLE_MEMBER},
        {"bob", PROTO_STATUS_OFFLINE, PROTO_RROLE_MEMBER},
        {"me", PROTO_STATUS_INVISIBLE, PROTO_RROLE_HOST}};
    struct proto_room_event evs[3] = {
        {PROTO_EV_JOINED, "lobby", 3, 1795000000000, "bob", NULL, NULL, false, false, 0},
        {PROTO_EV_MESSAGE, "lobby", 4, 1795000001000, "bob", "hi \xf0\x9f\x8c\xb1", "b-1", false,
         false, 0},
        {PROTO_EV_LEFT, "lobby", 5, 1795000002000, "bob", "ignored", "ignored", false, false, 0},
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
                                          "hello", "c1", false, false, 0};
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
            snprintf(p, 64, "room %s %llu%s%s%s", m->event.u.room.room,
                     (unsigned long long)m->event.u.room.seq,
                     m->event.u.room.removed ? " removed" : "",
                     m->event.u.room.by_moderator ? " by_moderator" : "",
                     m->event.u.room.kind == PROTO_EV_REMOVED ? " target" : "");
        else if (m->event.type == PROTO_EVT_PRESENCE)
            snprintf(p, 64, "presence %s %s", m->event.u.presence.handle,
                     proto_status_name(m->event.u.presence.status));
        else if (m->event.type == PROTO_EVT_HELLO)
            snprintf(p, 64, "hello %u %u", m->event.u.hello.protocol,
                     m->event.u.hello.limits.rate_burst);
        else if (m->event.type == PROTO_EVT_MEETING_STATE)
            snprintf(p, 64, "meeting %s %zu %s", m->event.u.meeting.room, m->event.u.meeting.n_queue,
                     m->event.u.meeting.n_queue ? m->event.u.meeting.queue[m->event.u.meeting.n_queue - 1]
                                                : "-");
        else if (m->event.type == PROTO_EVT_MEETING_OPENED)
            snprintf(p, 64, "opened %s %s [%s]", m->event.u.opened.room,
                     m->event.u.opened.chair ? m->event.u.opened.chair : "(null)",
                     m->event.u.opened.format);
        else if (m->event.type == PROTO_EVT_MEETING_WARNING)
            snprintf(p, 64, "warning %s %s %u", m->event.u.warning.room, m->event.u.warning.handle,
                     m->event.u.warning.seconds_left);
        else if (m->event.type == PROTO_EVT_ROOM_ROLE)
            snprintf(p, 64, "role %s %s %s", m->event.u.role.room, m->event.u.role.handle,
                     proto_room_role_name(m->event.u.role.role));
        else if (m->event.type == PROTO_EVT_MODERATED)
            snprintf(p, 64, "moderated %s %s %lld [%s]",
                     m->event.u.moderated.room ? m->event.u.moderated.room : "(null)",
                     m->event.u.moderated.action, (long long)m->event.u.moderated.until,
                     m->event.u.moderated.reason);
        else if (m->event.type == PROTO_EVT_ROOM_SETTINGS)
            snprintf(p, 64, "settings %s %u %d %u %u", m->event.u.settings.room,
                     m->event.u.settings.settings.slow_seconds, m->event.u.settings.settings.locked,
                     m->event.u.settings.settings.member_limit,
                     m->event.u.settings.settings.newcomer_seconds);
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

/* -------------------------------------------------------------- meetings */

static const char *QUEUE3[] = {"carol", "dan", "erin"};

static struct proto_meeting sample_meeting(void)
{
    struct proto_meeting m = {
        .room = "circle", .open = true, .chair = "alice", .mode = PROTO_MODE_ONE_SPEAKER,
        .auto_floor = false, .speaker = "bob", .share_ends_at = 1795000300000,
        .share_seconds = 300, .queue = QUEUE3, .n_queue = 3};
    return m;
}

Test(meeting_result, state_round_trip_every_meeting_type)
{
    static const enum proto_req_type types[] = {
        PROTO_REQ_MEETING_CHAIR, PROTO_REQ_MEETING_OPEN, PROTO_REQ_MEETING_CLOSE,
        PROTO_REQ_MEETING_HAND, PROTO_REQ_MEETING_FLOOR, PROTO_REQ_MEETING_DONE,
        PROTO_REQ_MEETING_MODE, PROTO_REQ_MEETING_STATE};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct proto_result in = {.type = types[i]}, out;
        char *s;
        in.u.meeting = sample_meeting();
        in.u.meeting.mode = PROTO_MODE_OPEN;
        in.u.meeting.auto_floor = true;
        s = proto_result_encode("m", &in);
        cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"m\",\"data\":{\"meeting\":{\"room\":\"circle\","
                            "\"open\":true,\"chair\":\"alice\",\"mode\":\"open\",\"auto\":true,"
                            "\"speaker\":\"bob\",\"share_ends_at\":1795000300000,\"share_seconds\":300,"
                            "\"queue\":[\"carol\",\"dan\",\"erin\"]}}}", "%s", proto_req_name(types[i]));
        free(s);
        round_trip(&in, &out);
        cr_expect_str_eq(out.u.meeting.room, "circle");
        cr_expect(out.u.meeting.open);
        cr_expect_str_eq(out.u.meeting.chair, "alice");
        cr_expect_eq(out.u.meeting.mode, PROTO_MODE_OPEN);
        cr_expect(out.u.meeting.auto_floor);
        cr_expect_str_eq(out.u.meeting.speaker, "bob");
        cr_expect_eq(out.u.meeting.share_ends_at, 1795000300000);
        cr_expect_eq(out.u.meeting.share_seconds, 300);
        cr_assert_eq(out.u.meeting.n_queue, 3);
        cr_assert_not_null(out.u.meeting.queue);
        for (int k = 0; k < 3; k++)
            cr_expect_str_eq(out.u.meeting.queue[k], QUEUE3[k], "queue order is kept");
        cr_expect_eq(out._alloc, (void *)out.u.meeting.queue, "the queue is released by free");
        proto_result_free(&out);
        cr_expect_null(out._alloc);
    }
}

Test(meeting_result, nulls_and_empty_queue)
{
    struct proto_result in = {.type = PROTO_REQ_MEETING_STATE}, out;
    char *s;
    in.u.meeting = (struct proto_meeting){.room = "circle", .share_seconds = 300};
    s = proto_result_encode("m", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"m\",\"data\":{\"meeting\":{\"room\":\"circle\","
                        "\"open\":false,\"chair\":null,\"mode\":\"one_speaker\",\"auto\":false,"
                        "\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[]}}}");
    free(s);
    round_trip(&in, &out);
    cr_expect_null(out.u.meeting.chair);
    cr_expect_null(out.u.meeting.speaker);
    cr_expect_eq(out.u.meeting.share_ends_at, 0);
    cr_expect_eq(out.u.meeting.n_queue, 0);
    cr_expect_null(out.u.meeting.queue);
    cr_expect_null(out._alloc);
    cr_expect_not(out.u.meeting.open);
    proto_result_free(&out);
}

Test(meeting_result, configure_and_role)
{
    struct proto_room circle = {"circle", "Circle", "", PROTO_VIS_INVITE, 6, 4, 87, true, true,
                                PROTO_RROLE_HOST, {0}};
    struct proto_result in = {.type = PROTO_REQ_ROOM_CONFIGURE}, out;
    char *s;

    in.u.configure.room = circle;
    s = proto_result_encode("c", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"room\":{\"room\":\"circle\","
                        "\"title\":\"Circle\",\"topic\":\"\",\"visibility\":\"invite\",\"members\":6,"
                        "\"present\":4,\"last_seq\":87,\"joined\":true,\"meeting\":true,\"role\":\"host\","
                        "\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,\"newcomer_seconds\":0}}}");
    free(s);
    round_trip(&in, &out);
    cr_expect(out.u.configure.room.meeting);
    cr_expect_eq(out.u.configure.room.role, PROTO_RROLE_HOST);
    cr_expect_str_eq(out.u.configure.room.room, "circle");
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_ROLE};
    s = proto_result_encode("r", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"r\",\"data\":{}}");
    free(s);
    round_trip(&in, &out);
    proto_result_free(&out);
}

Test(meeting_result, room_and_member_roles)
{
    struct proto_room rooms[2] = {
        {"lobby", "Lobby", "", PROTO_VIS_OPEN, 3, 1, 5, true, false, PROTO_RROLE_MODERATOR, {0}},
        {"circle", "Circle", "", PROTO_VIS_OPEN, 3, 1, 5, false, true, PROTO_RROLE_MEMBER, {0}}};
    struct proto_member members[3] = {{"alice", PROTO_STATUS_AVAILABLE, PROTO_RROLE_HOST},
                                      {"bob", PROTO_STATUS_AWAY, PROTO_RROLE_MODERATOR},
                                      {"carol", PROTO_STATUS_OFFLINE, PROTO_RROLE_MEMBER}};
    struct proto_result in = {.type = PROTO_REQ_ROOM_LIST}, out;
    char *s;

    in.u.list.rooms = rooms;
    in.u.list.n = 2;
    round_trip(&in, &out);
    cr_assert_eq(out.u.list.n, 2);
    cr_expect_not(out.u.list.rooms[0].meeting);
    cr_expect_eq(out.u.list.rooms[0].role, PROTO_RROLE_MODERATOR);
    cr_expect(out.u.list.rooms[1].meeting);
    cr_expect_eq(out.u.list.rooms[1].role, PROTO_RROLE_MEMBER);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_MEMBERS};
    in.u.members.members = members;
    in.u.members.n = 3;
    s = proto_result_encode("x", &in);
    cr_expect(strstr(s, "{\"handle\":\"carol\",\"status\":\"offline\",\"role\":\"member\"}"),
              "role is always written: %s", s);
    free(s);
    round_trip(&in, &out);
    cr_assert_eq(out.u.members.n, 3);
    cr_expect_eq(out.u.members.members[0].role, PROTO_RROLE_HOST);
    cr_expect_eq(out.u.members.members[1].role, PROTO_RROLE_MODERATOR);
    cr_expect_eq(out.u.members.members[2].role, PROTO_RROLE_MEMBER);
    proto_result_free(&out);

    /* Bad enums are refused by the encoder. */
    members[1].role = PROTO_RROLE__COUNT;
    cr_expect_null(proto_result_encode("x", &in));
    rooms[0].role = (enum proto_room_role)-1;
    in = (struct proto_result){.type = PROTO_REQ_ROOM_LIST};
    in.u.list.rooms = rooms;
    in.u.list.n = 1;
    cr_expect_null(proto_result_encode("x", &in));
}

Test(meeting_result, legacy_objects_default)
{
    struct proto_result out;
    json_t *d = json_loads("{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\","
                           "\"visibility\":\"open\",\"members\":1,\"present\":1,\"last_seq\":0,"
                           "\"joined\":true},\"members\":[{\"handle\":\"alice\",\"status\":\"away\"}]}",
                           0, NULL);
    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_JOIN, d, &out), PROTO_OK);
    cr_expect_not(out.u.join.room.meeting);
    cr_expect_eq(out.u.join.room.role, PROTO_RROLE_MEMBER);
    cr_assert_eq(out.u.join.n, 1);
    cr_expect_eq(out.u.join.members[0].role, PROTO_RROLE_MEMBER);
    proto_result_free(&out);
    json_decref(d);

    /* Present but wrong is refused, even where absence would be fine. */
    d = json_loads("{\"members\":[{\"handle\":\"alice\",\"status\":\"away\",\"role\":\"owner\"}]}", 0,
                   NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_ROOM_MEMBERS, d, &out), PROTO_E_INVALID_FIELD);
    cr_expect_null(out._alloc);
    json_decref(d);
}

Test(meeting_result, decode_failures_leave_nothing)
{
    static const char *const bad[] = {
        /* a bad queue entry after a good one: the array was allocated and must be freed */
        "{\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,\"mode\":\"open\",\"auto\":false,"
        "\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[\"a\",null]}}",
        "{\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,\"mode\":\"open\",\"auto\":false,"
        "\"speaker\":null,\"share_ends_at\":0,\"share_seconds\":300,\"queue\":[]}}",
        "{\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,\"mode\":\"open\",\"auto\":false,"
        "\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":-1,\"queue\":[]}}",
        "{\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,\"mode\":\"open\",\"auto\":false,"
        "\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[]}}",
        "{\"meeting\":{\"room\":\"c\",\"open\":1,\"chair\":null,\"mode\":\"open\",\"auto\":false,"
        "\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[]}}",
        "{\"meeting\":[]}",
        "{}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct proto_result out;
        json_t *d = json_loads(bad[i], 0, NULL);
        cr_assert(d, "%zu", i);
        cr_expect_eq(proto_result_decode(PROTO_REQ_MEETING_STATE, d, &out), PROTO_E_INVALID_FIELD,
                     "case %zu", i);
        cr_expect_null(out._root);
        cr_expect_null(out._alloc);
        cr_expect_eq(d->refcount, 1);
        json_decref(d);
    }
    /* The same object with a good queue decodes: the cases above fail for their one fault. */
    json_t *d = json_loads("{\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,\"mode\":\"open\","
                           "\"auto\":false,\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":300,"
                           "\"queue\":[\"a\",\"b\"]}}", 0, NULL);
    struct proto_result out;
    cr_assert_eq(proto_result_decode(PROTO_REQ_MEETING_STATE, d, &out), PROTO_OK);
    cr_expect_eq(out.u.meeting.n_queue, 2);
    proto_result_free(&out);
    json_decref(d);
}

Test(meeting_result, encode_failures)
{
    struct proto_result in = {.type = PROTO_REQ_MEETING_STATE};
    const char *holes[] = {"carol", NULL};
    char *s;
    in.u.meeting = sample_meeting();
    in.u.meeting.queue = NULL;   /* n_queue 3 and no array */
    cr_expect_null(proto_result_encode("m", &in));
    in.u.meeting.queue = holes;
    in.u.meeting.n_queue = 2;
    cr_expect_null(proto_result_encode("m", &in), "a NULL handle in the queue");
    in.u.meeting = sample_meeting();
    in.u.meeting.mode = PROTO_MODE__COUNT;
    cr_expect_null(proto_result_encode("m", &in), "bad mode");
    in.u.meeting = sample_meeting();
    in.u.meeting.room = NULL;
    cr_expect_null(proto_result_encode("m", &in), "room missing");
    in.u.meeting = sample_meeting();
    s = proto_result_encode("m", &in);
    cr_expect_not_null(s, "the sample itself encodes: the cases above fail for their one fault");
    free(s);
}

Test(meeting_event, encode_each)
{
    struct proto_event ev = {.type = PROTO_EVT_MEETING_STATE};
    char *s;

    ev.u.meeting = sample_meeting();
    ev.u.meeting.n_queue = 1;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                        "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":\"bob\","
                        "\"share_ends_at\":1795000300000,\"share_seconds\":300,\"queue\":[\"carol\"]}}");
    free(s);

    ev = (struct proto_event){.type = PROTO_EVT_MEETING_OPENED};
    ev.u.opened.room = "circle";
    ev.u.opened.chair = "alice";
    ev.u.opened.format = "Welcome \xf0\x9f\x8c\xb1";
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":\"alice\","
                        "\"format\":\"Welcome \xf0\x9f\x8c\xb1\"}");
    free(s);
    ev.u.opened.chair = NULL;
    ev.u.opened.format = NULL;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":null,\"format\":\"\"}");
    free(s);
    ev.u.opened.room = NULL;
    cr_expect_null(proto_event_encode(&ev));

    ev = (struct proto_event){.type = PROTO_EVT_MEETING_WARNING};
    ev.u.warning.room = "circle";
    ev.u.warning.handle = "bob";
    ev.u.warning.seconds_left = PROTO_SHARE_WARNING_S;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"meeting.warning\",\"room\":\"circle\",\"handle\":\"bob\","
                        "\"seconds_left\":60}");
    free(s);
    ev.u.warning.handle = NULL;
    cr_expect_null(proto_event_encode(&ev));

    ev = (struct proto_event){.type = PROTO_EVT_ROOM_ROLE};
    ev.u.role.room = "circle";
    ev.u.role.handle = "bob";
    ev.u.role.role = PROTO_RROLE_MODERATOR;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"bob\","
                        "\"role\":\"moderator\"}");
    free(s);
    ev.u.role.role = PROTO_RROLE__COUNT;
    cr_expect_null(proto_event_encode(&ev));
}

Test(meeting_frame, events_decode_in_order)
{
    struct seen s;
    cr_assert_eq(frame("[{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":null,\"format\":\"Hi.\"},"
                       "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                       "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":null,"
                       "\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[\"carol\",\"dan\"]}},"
                       "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                       "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":\"carol\","
                       "\"share_ends_at\":1795000300000,\"share_seconds\":300,\"queue\":[]}},"
                       "{\"type\":\"meeting.warning\",\"room\":\"circle\",\"handle\":\"carol\",\"seconds_left\":60},"
                       "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"bob\",\"role\":\"host\"}]",
                       &s),
                 PROTO_OK);
    cr_assert_eq(s.n, 5);
    cr_expect_str_eq(s.log[0], "opened circle (null) [Hi.]");
    cr_expect_str_eq(s.log[1], "meeting circle 2 dan");
    cr_expect_str_eq(s.log[2], "meeting circle 0 -");
    cr_expect_str_eq(s.log[3], "warning circle carol 60");
    cr_expect_str_eq(s.log[4], "role circle bob host");
}

Test(meeting_frame, bad_meeting_stops_the_batch)
{
    struct seen s;
    /* The second state has a bad queue entry after an allocated good one: no leak, no delivery. */
    cr_expect_eq(frame("[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,"
                       "\"chair\":null,\"mode\":\"open\",\"auto\":true,\"speaker\":null,"
                       "\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"a\"]}},"
                       "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,"
                       "\"chair\":null,\"mode\":\"open\",\"auto\":true,\"speaker\":null,"
                       "\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"a\",{}]}},"
                       "{\"type\":\"presence\",\"handle\":\"d\",\"status\":\"away\"}]", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(s.n, 1);
    cr_expect_str_eq(s.log[0], "meeting c 1 a");
    cr_expect_eq(frame("{\"type\":\"meeting.opened\",\"room\":\"c\",\"format\":\"x\"}", &s),
                 PROTO_E_INVALID_FIELD, "chair is always present");
    cr_expect_eq(frame("{\"type\":\"meeting.warning\",\"room\":\"c\",\"handle\":\"b\",\"seconds_left\":1.5}",
                       &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.role\",\"room\":\"c\",\"handle\":\"b\"}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(s.n, 0);
}

/* The queue lives while the callback runs; each message gets its own. */
struct queue_copy {
    int n;
    char first[4][16];
};

static void copy_queue(const struct proto_server_msg *m, void *ud)
{
    struct queue_copy *c = ud;
    if (m->kind != PROTO_MSG_EVENT || m->event.type != PROTO_EVT_MEETING_STATE)
        return;
    cr_assert(m->event.u.meeting.n_queue >= 1 && m->event.u.meeting.queue);
    snprintf(c->first[c->n++], 16, "%s", m->event.u.meeting.queue[0]);
}

Test(meeting_frame, queue_per_message)
{
    struct queue_copy c = {0};
    static const char text[] =
        "[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,"
        "\"mode\":\"open\",\"auto\":true,\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":60,"
        "\"queue\":[\"ann\",\"ben\"]}},"
        "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,"
        "\"mode\":\"open\",\"auto\":true,\"speaker\":\"ann\",\"share_ends_at\":5,\"share_seconds\":60,"
        "\"queue\":[\"ben\"]}}]";
    cr_assert_eq(proto_frame_decode(text, sizeof text - 1, copy_queue, &c), PROTO_OK);
    cr_assert_eq(c.n, 2);
    cr_expect_str_eq(c.first[0], "ann");
    cr_expect_str_eq(c.first[1], "ben");
    /* Without a callback the queue is still released (ASan reports a leak otherwise). */
    cr_expect_eq(proto_frame_decode(text, sizeof text - 1, NULL, NULL), PROTO_OK);
}

/* ------------------------------------------------------------ moderation */

static const struct proto_mod_settings SETTINGS = {.slow_seconds = 30, .locked = true,
                                                   .member_limit = 100000, .newcomer_seconds = 86400};

Test(mod_result, no_data_types)
{
    static const enum proto_req_type types[] = {
        PROTO_REQ_MOD_MUTE, PROTO_REQ_MOD_UNMUTE, PROTO_REQ_MOD_REMOVE, PROTO_REQ_MOD_BAN,
        PROTO_REQ_MOD_UNBAN, PROTO_REQ_MOD_DELETE, PROTO_REQ_MOD_SUSPEND, PROTO_REQ_MOD_UNSUSPEND};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct proto_result in = {.type = types[i]}, out;
        char *s = proto_result_encode("d", &in);
        cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"d\",\"data\":{}}", "%s",
                         proto_req_name(types[i]));
        free(s);
        round_trip(&in, &out);
        cr_expect_eq(out.type, types[i]);
        cr_expect_null(out._alloc);
        proto_result_free(&out);
    }
}

Test(mod_result, settings_round_trip)
{
    struct proto_result in = {.type = PROTO_REQ_MOD_SETTINGS}, out;
    char *s;
    in.u.modset.settings = SETTINGS;
    s = proto_result_encode("t", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"t\",\"data\":{\"settings\":{\"slow_seconds\":30,"
                        "\"locked\":true,\"member_limit\":100000,\"newcomer_seconds\":86400}}}");
    free(s);
    round_trip(&in, &out);
    cr_expect_eq(out.u.modset.settings.slow_seconds, 30);
    cr_expect(out.u.modset.settings.locked);
    cr_expect_eq(out.u.modset.settings.member_limit, 100000);
    cr_expect_eq(out.u.modset.settings.newcomer_seconds, 86400);
    proto_result_free(&out);

    /* Every member is required in a settings object. */
    static const char *const bad[] = {
        "{\"settings\":{\"locked\":true,\"member_limit\":0,\"newcomer_seconds\":0}}",
        "{\"settings\":{\"slow_seconds\":0,\"member_limit\":0,\"newcomer_seconds\":0}}",
        "{\"settings\":{\"slow_seconds\":0,\"locked\":true,\"newcomer_seconds\":0}}",
        "{\"settings\":{\"slow_seconds\":0,\"locked\":true,\"member_limit\":0}}",
        "{\"settings\":{\"slow_seconds\":0,\"locked\":1,\"member_limit\":0,\"newcomer_seconds\":0}}",
        "{\"settings\":{\"slow_seconds\":-5,\"locked\":true,\"member_limit\":0,\"newcomer_seconds\":0}}",
        "{\"settings\":[]}",
        "{}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *d = json_loads(bad[i], 0, NULL);
        cr_assert(d);
        cr_expect_eq(proto_result_decode(PROTO_REQ_MOD_SETTINGS, d, &out), PROTO_E_INVALID_FIELD,
                     "case %zu", i);
        cr_expect_null(out._root);
        json_decref(d);
    }
}

static const struct proto_audit_entry ENTRIES[4] = {
    {.id = 14, .ts = 1795000800000, .actor = "mona", .action = "delete", .target = NULL,
     .reason = "Personal details", .seq = 17, .until = 0},
    {.id = 13, .ts = 1795000700000, .actor = "hal", .action = "ban", .target = "troll",
     .reason = NULL, .seq = 0, .until = 1795086400000},
    {.id = 12, .ts = 1795000600000, .actor = "mona", .action = "mute", .target = "troll",
     .reason = "spam \xf0\x9f\x8c\xb1", .seq = 99, .until = 0},
    {.id = 11, .ts = 1795000500000, .actor = "mona", .action = "settings", .target = NULL,
     .reason = "", .seq = 0, .until = -5},
};

Test(mod_result, log_round_trip)
{
    struct proto_result in = {.type = PROTO_REQ_MOD_LOG}, out;
    char *s;

    in.u.modlog.entries = (struct proto_audit_entry *)ENTRIES;
    in.u.modlog.n = 4;
    in.u.modlog.has_more = true;
    s = proto_result_encode("l", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"entries\":["
                        "{\"id\":14,\"ts\":1795000800000,\"actor\":\"mona\",\"action\":\"delete\","
                        "\"target\":null,\"reason\":\"Personal details\",\"seq\":17,\"until\":null},"
                        "{\"id\":13,\"ts\":1795000700000,\"actor\":\"hal\",\"action\":\"ban\","
                        "\"target\":\"troll\",\"reason\":\"\",\"until\":1795086400000},"
                        "{\"id\":12,\"ts\":1795000600000,\"actor\":\"mona\",\"action\":\"mute\","
                        "\"target\":\"troll\",\"reason\":\"spam \xf0\x9f\x8c\xb1\",\"until\":null},"
                        "{\"id\":11,\"ts\":1795000500000,\"actor\":\"mona\",\"action\":\"settings\","
                        "\"target\":null,\"reason\":\"\",\"until\":null}],\"has_more\":true}}");
    free(s);
    round_trip(&in, &out);
    cr_assert_eq(out.u.modlog.n, 4);
    cr_assert_not_null(out.u.modlog.entries);
    cr_expect_eq((void *)out.u.modlog.entries, out._alloc, "the entries are released by free");
    cr_expect(out.u.modlog.has_more);
    cr_expect_eq(out.u.modlog.entries[0].id, 14, "order is kept (newest first)");
    cr_expect_eq(out.u.modlog.entries[0].seq, 17);
    cr_expect_null(out.u.modlog.entries[0].target);
    cr_expect_eq(out.u.modlog.entries[0].until, 0);
    cr_expect_str_eq(out.u.modlog.entries[1].actor, "hal");
    cr_expect_str_eq(out.u.modlog.entries[1].target, "troll");
    cr_expect_str_eq(out.u.modlog.entries[1].reason, "", "a NULL reason is sent as \"\"");
    cr_expect_eq(out.u.modlog.entries[1].until, 1795086400000);
    cr_expect_eq(out.u.modlog.entries[1].seq, 0);
    cr_expect_eq(out.u.modlog.entries[2].seq, 0, "seq is written for a delete only");
    cr_expect_str_eq(out.u.modlog.entries[2].reason, "spam \xf0\x9f\x8c\xb1");
    cr_expect_str_eq(out.u.modlog.entries[3].action, "settings");
    cr_expect_eq(out.u.modlog.entries[3].until, 0);
    cr_expect_eq(out.u.modlog.entries[3].ts, 1795000500000);
    proto_result_free(&out);
    cr_expect_null(out._alloc);

    in.u.modlog.n = 0;
    in.u.modlog.entries = NULL;
    in.u.modlog.has_more = false;
    round_trip(&in, &out);
    cr_expect_eq(out.u.modlog.n, 0);
    cr_expect_null(out.u.modlog.entries);
    cr_expect_null(out._alloc);
    cr_expect_not(out.u.modlog.has_more);
    proto_result_free(&out);
}

Test(mod_result, log_encode_failures)
{
    struct proto_audit_entry e[1];
    struct proto_result in = {.type = PROTO_REQ_MOD_LOG};
    char *s;
    in.u.modlog.entries = e;
    in.u.modlog.n = 1;

    e[0] = ENTRIES[1];
    e[0].actor = NULL;
    cr_expect_null(proto_result_encode("l", &in), "actor missing");
    e[0] = ENTRIES[1];
    e[0].action = NULL;
    cr_expect_null(proto_result_encode("l", &in), "action missing");
    e[0] = ENTRIES[0];
    e[0].seq = (uint64_t)INT64_MAX + 1;
    cr_expect_null(proto_result_encode("l", &in), "a delete's seq past 2^63");
    in.u.modlog.entries = NULL;
    cr_expect_null(proto_result_encode("l", &in), "n 1 and no array");
    in.u.modlog.entries = e;
    e[0] = ENTRIES[1];
    s = proto_result_encode("l", &in);
    cr_expect_not_null(s, "the entry itself encodes: the cases above fail for their one fault");
    free(s);
}

Test(mod_result, log_decode_failures_leave_nothing)
{
    static const char GOOD[] = "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\","
                               "\"reason\":\"\",\"until\":null}";
    static const char *const bad_entries[] = {
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"delete\",\"target\":null,\"reason\":\"\",\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"delete\",\"target\":null,\"reason\":\"\",\"seq\":-1,\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"reason\":\"\",\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":5,\"reason\":\"\",\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":null,\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\"}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\",\"until\":0}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\",\"until\":\"x\"}",
        "{\"id\":1,\"ts\":2,\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\",\"until\":null}",
        "{\"id\":1,\"ts\":2,\"actor\":\"a\",\"target\":\"t\",\"reason\":\"\",\"until\":null}",
        "{\"id\":\"1\",\"ts\":2,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\",\"until\":null}",
        "{\"id\":1,\"actor\":\"a\",\"action\":\"mute\",\"target\":\"t\",\"reason\":\"\",\"until\":null}",
        "[]",
    };
    char buf[512];
    struct proto_result out;
    json_t *d;

    for (size_t i = 0; i < sizeof bad_entries / sizeof bad_entries[0]; i++) {
        /* A good entry first, so the array is allocated before the bad one is met. */
        snprintf(buf, sizeof buf, "{\"entries\":[%s,%s],\"has_more\":false}", GOOD, bad_entries[i]);
        d = json_loads(buf, 0, NULL);
        cr_assert(d, "%s", buf);
        cr_expect_eq(proto_result_decode(PROTO_REQ_MOD_LOG, d, &out), PROTO_E_INVALID_FIELD,
                     "case %zu", i);
        cr_expect_null(out._root);
        cr_expect_null(out._alloc);
        cr_expect_eq(d->refcount, 1);
        json_decref(d);
    }
    snprintf(buf, sizeof buf, "{\"entries\":[%s,%s],\"has_more\":false}", GOOD, GOOD);
    d = json_loads(buf, 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_MOD_LOG, d, &out), PROTO_OK,
                 "two good entries decode: the cases above fail for their one fault");
    cr_expect_eq(out.u.modlog.n, 2);
    proto_result_free(&out);
    json_decref(d);

    d = json_loads("{\"entries\":[]}", 0, NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_MOD_LOG, d, &out), PROTO_E_INVALID_FIELD, "has_more");
    json_decref(d);
    d = json_loads("{\"entries\":null,\"has_more\":true}", 0, NULL);
    cr_expect_eq(proto_result_decode(PROTO_REQ_MOD_LOG, d, &out), PROTO_E_INVALID_FIELD);
    json_decref(d);
}

Test(mod_result, room_settings_in_room_objects)
{
    struct proto_room lobby = {"lobby", "Lobby", "", PROTO_VIS_OPEN, 3, 1, 5, true, false,
                               PROTO_RROLE_MODERATOR, SETTINGS};
    struct proto_result in = {.type = PROTO_REQ_ROOM_CREATE}, out;
    char *s;
    json_t *d;

    in.u.create.room = lobby;
    s = proto_result_encode("c", &in);
    cr_expect(strstr(s, "\"role\":\"moderator\",\"slow_seconds\":30,\"locked\":true,"
                        "\"member_limit\":100000,\"newcomer_seconds\":86400}"), "%s", s);
    free(s);
    round_trip(&in, &out);
    cr_expect_eq(out.u.create.room.mod.slow_seconds, 30);
    cr_expect(out.u.create.room.mod.locked);
    cr_expect_eq(out.u.create.room.mod.member_limit, 100000);
    cr_expect_eq(out.u.create.room.mod.newcomer_seconds, 86400);
    proto_result_free(&out);

    /* Absent (an older server) or null reads as off; present but wrong is refused. */
    d = json_loads("{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\",\"visibility\":\"open\","
                   "\"members\":1,\"present\":1,\"last_seq\":0,\"joined\":true,\"slow_seconds\":null,"
                   "\"member_limit\":7}}", 0, NULL);
    memset(&out, 0x5A, sizeof out);
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_CREATE, d, &out), PROTO_OK);
    cr_expect_eq(out.u.create.room.mod.slow_seconds, 0);
    cr_expect_not(out.u.create.room.mod.locked);
    cr_expect_eq(out.u.create.room.mod.member_limit, 7);
    cr_expect_eq(out.u.create.room.mod.newcomer_seconds, 0);
    proto_result_free(&out);
    json_decref(d);
    static const char *const bad[] = {"\"locked\":0", "\"slow_seconds\":true", "\"member_limit\":-1",
                                      "\"newcomer_seconds\":4294967296", "\"newcomer_seconds\":1.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\","
                 "\"visibility\":\"open\",\"members\":1,\"present\":1,\"last_seq\":0,\"joined\":true,%s}}",
                 bad[i]);
        d = json_loads(buf, 0, NULL);
        cr_assert(d, "%s", buf);
        cr_expect_eq(proto_result_decode(PROTO_REQ_ROOM_CREATE, d, &out), PROTO_E_INVALID_FIELD,
                     "%s", bad[i]);
        json_decref(d);
    }
}

Test(mod_result, history_with_removed)
{
    struct proto_room_event evs[3] = {
        {.kind = PROTO_EV_MESSAGE, .room = "lobby", .seq = 17, .ts = 1, .handle = "troll",
         .text = "erased?", .cid = "t-4", .removed = true},
        {.kind = PROTO_EV_REMOVED, .room = "lobby", .seq = 19, .ts = 3, .handle = "mona",
         .target_seq = 17},
        {.kind = PROTO_EV_LEFT, .room = "lobby", .seq = 20, .ts = 4, .handle = "troll",
         .by_moderator = true},
    };
    struct proto_result in = {.type = PROTO_REQ_ROOM_HISTORY}, out;
    char *s;

    in.u.history.events = evs;
    in.u.history.n = 3;
    s = proto_result_encode("h", &in);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"h\",\"data\":{\"events\":["
                        "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":1,"
                        "\"handle\":\"troll\",\"removed\":true,\"cid\":\"t-4\"},"
                        "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":19,\"ts\":3,\"target_seq\":17},"
                        "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":20,\"ts\":4,\"handle\":\"troll\","
                        "\"by_moderator\":true}],\"has_more\":false,\"truncated\":false}}");
    free(s);
    round_trip(&in, &out);
    cr_assert_eq(out.u.history.n, 3);
    cr_expect(out.u.history.events[0].removed);
    cr_expect_null(out.u.history.events[0].text, "a removed message has no text");
    cr_expect_str_eq(out.u.history.events[0].cid, "t-4");
    cr_expect_eq(out.u.history.events[1].kind, PROTO_EV_REMOVED);
    cr_expect_eq(out.u.history.events[1].target_seq, 17);
    cr_expect_null(out.u.history.events[1].handle, "the moderator is not named");
    cr_expect_not(out.u.history.events[1].removed);
    cr_expect(out.u.history.events[2].by_moderator);
    cr_expect_not(out.u.history.events[2].removed);
    proto_result_free(&out);
}

Test(mod_event, room_events_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_ROOM};
    char *s;

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_REMOVED, .room = "lobby", .seq = 42,
                                          .ts = 1795000042000, .target_seq = 17};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":1795000042000,"
                        "\"target_seq\":17}");
    free(s);
    ev.u.room.handle = "mona";      /* never written: the moderator is not named */
    ev.u.room.removed = true;       /* flags of other kinds are not written */
    ev.u.room.by_moderator = true;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":1795000042000,"
                        "\"target_seq\":17}");
    free(s);
    ev.u.room.target_seq = 0;
    cr_expect_null(proto_event_encode(&ev), "room.removed needs a target");

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_MESSAGE, .room = "lobby", .seq = 17,
                                          .ts = 5, .handle = "troll", .removed = true};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":5,"
                        "\"handle\":\"troll\",\"removed\":true}", "no text needed when removed");
    free(s);
    ev.u.room.text = "secret";
    ev.u.room.by_moderator = true;
    s = proto_event_encode(&ev);
    cr_expect_null(strstr(s, "secret"), "a removed message never carries its text: %s", s);
    cr_expect_null(strstr(s, "by_moderator"), "%s", s);
    free(s);
    ev.u.room.removed = false;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":5,"
                        "\"handle\":\"troll\",\"text\":\"secret\"}", "removed is written only when true");
    free(s);

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_LEFT, .room = "lobby", .seq = 43,
                                          .ts = 6, .handle = "troll", .by_moderator = true};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":6,"
                        "\"handle\":\"troll\",\"by_moderator\":true}");
    free(s);
    ev.u.room.by_moderator = false;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":6,"
                        "\"handle\":\"troll\"}");
    free(s);
    ev.u.room.kind = PROTO_EV_JOINED;
    ev.u.room.by_moderator = true;
    s = proto_event_encode(&ev);
    cr_expect_null(strstr(s, "by_moderator"), "%s", s);
    free(s);
    ev.u.room.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "a joined event needs its handle");
}

Test(mod_event, moderated_and_settings_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_MODERATED};
    char *s;

    ev.u.moderated.room = "lobby";
    ev.u.moderated.action = "mute";
    ev.u.moderated.until = 1795004200000;
    ev.u.moderated.reason = "Spam \xf0\x9f\x8c\xb1";
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"moderated\",\"room\":\"lobby\",\"action\":\"mute\","
                        "\"until\":1795004200000,\"reason\":\"Spam \xf0\x9f\x8c\xb1\"}");
    free(s);
    ev.u.moderated.room = NULL;
    ev.u.moderated.action = "suspend";
    ev.u.moderated.until = 0;
    ev.u.moderated.reason = NULL;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"moderated\",\"room\":null,\"action\":\"suspend\",\"until\":null,"
                        "\"reason\":\"\"}");
    free(s);
    ev.u.moderated.action = NULL;
    cr_expect_null(proto_event_encode(&ev), "action missing");

    ev = (struct proto_event){.type = PROTO_EVT_ROOM_SETTINGS};
    ev.u.settings.room = "lobby";
    ev.u.settings.settings = SETTINGS;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.settings\",\"room\":\"lobby\",\"settings\":{\"slow_seconds\":30,"
                        "\"locked\":true,\"member_limit\":100000,\"newcomer_seconds\":86400}}");
    free(s);
    ev.u.settings.room = NULL;
    cr_expect_null(proto_event_encode(&ev), "room missing");
}

Test(mod_frame, events_decode_in_order)
{
    struct seen s;
    cr_assert_eq(frame("[{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":1,\"handle\":\"t\","
                       "\"removed\":true},"
                       "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":2,\"target_seq\":17},"
                       "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":3,\"handle\":\"t\","
                       "\"by_moderator\":true},"
                       "{\"type\":\"moderated\",\"room\":\"lobby\",\"action\":\"ban\",\"until\":1795086400000,"
                       "\"reason\":\"x\"},"
                       "{\"type\":\"moderated\",\"room\":null,\"action\":\"suspend\",\"until\":null,"
                       "\"reason\":\"\"},"
                       "{\"type\":\"room.settings\",\"room\":\"lobby\",\"settings\":{\"slow_seconds\":30,"
                       "\"locked\":true,\"member_limit\":0,\"newcomer_seconds\":600}},"
                       "{\"type\":\"error\",\"id\":\"s\",\"code\":\"slow_mode\",\"message\":\"m\","
                       "\"retry_after_ms\":12000},"
                       "{\"type\":\"error\",\"id\":\"t\",\"code\":\"suspended\",\"message\":\"m\"},"
                       "{\"type\":\"session.revoked\",\"reason\":\"suspended\"}]", &s),
                 PROTO_OK);
    cr_assert_eq(s.n, 9);
    cr_expect_str_eq(s.log[0], "room lobby 17 removed");
    cr_expect_str_eq(s.log[1], "room lobby 42 target");
    cr_expect_str_eq(s.log[2], "room lobby 43 by_moderator");
    cr_expect_str_eq(s.log[3], "moderated lobby ban 1795086400000 [x]");
    cr_expect_str_eq(s.log[4], "moderated (null) suspend 0 []");
    cr_expect_str_eq(s.log[5], "settings lobby 30 1 0 600");
    cr_expect_str_eq(s.log[6], "error s slow_mode/slow_mode 12000");
    cr_expect_str_eq(s.log[7], "error t suspended/suspended -1");
    cr_expect_str_eq(s.log[8], "revoked suspended");
}

/* Reads a frame's single room event into *ev (strings borrowed: checked in the callback). */
struct one_room_event {
    int n;
    bool text_null, handle_null, removed, by_moderator;
    uint64_t target_seq;
};

static void grab_room_event(const struct proto_server_msg *m, void *ud)
{
    struct one_room_event *c = ud;
    cr_assert(m->kind == PROTO_MSG_EVENT && m->event.type == PROTO_EVT_ROOM);
    c->n++;
    c->text_null = m->event.u.room.text == NULL;
    c->handle_null = m->event.u.room.handle == NULL;
    c->removed = m->event.u.room.removed;
    c->by_moderator = m->event.u.room.by_moderator;
    c->target_seq = m->event.u.room.target_seq;
}

Test(mod_frame, room_event_rules)
{
    struct one_room_event c;
    struct seen s;
    static const char removed_with_text[] =
        "{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\",\"removed\":true,"
        "\"text\":\"gone\"}";
    static const char removed_with_handle[] =
        "{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"handle\":\"mona\",\"target_seq\":1}";

    memset(&c, 0, sizeof c);
    cr_assert_eq(proto_frame_decode(removed_with_text, sizeof removed_with_text - 1, grab_room_event, &c),
                 PROTO_OK);
    cr_expect_eq(c.n, 1);
    cr_expect(c.removed);
    cr_expect(c.text_null, "the text of a removed message is never handed out");
    memset(&c, 0, sizeof c);
    cr_assert_eq(proto_frame_decode(removed_with_handle, sizeof removed_with_handle - 1,
                                    grab_room_event, &c), PROTO_OK);
    cr_expect(c.handle_null, "room.removed names nobody");
    cr_expect_eq(c.target_seq, 1);

    /* Only removed messages may lack text; the flags are booleans; target_seq >= 1. */
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\"}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"removed\":false}", &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"removed\":null,\"text\":\"x\"}", &s), PROTO_OK, "null reads as false");
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"removed\":true}", &s),
                 PROTO_E_INVALID_FIELD, "a removed message keeps its author");
    cr_expect_eq(frame("{\"type\":\"room.left\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"by_moderator\":\"yes\"}", &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":0}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":\"1\"}",
                       &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":1}", &s),
                 PROTO_OK);
}

Test(mod_frame, moderated_and_settings_rules)
{
    struct seen s;
    static const char *const bad[] = {
        "{\"type\":\"moderated\",\"action\":\"mute\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":5,\"action\":\"mute\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":null,\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":0,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":-1,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":1.5,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":null}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":null,\"reason\":null}",
        "{\"type\":\"room.settings\",\"room\":\"l\"}",
        "{\"type\":\"room.settings\",\"settings\":{\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,"
        "\"newcomer_seconds\":0}}",
        "{\"type\":\"room.settings\",\"room\":\"l\",\"settings\":{\"slow_seconds\":0,\"locked\":false,"
        "\"member_limit\":0}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(frame(bad[i], &s), PROTO_E_INVALID_FIELD, "case %zu: %s", i, bad[i]);
    cr_expect_eq(s.n, 0);
    /* An action this client does not know is still delivered (the set may grow). */
    cr_expect_eq(frame("{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"warn\",\"until\":null,"
                       "\"reason\":\"\"}", &s), PROTO_OK);
    cr_expect_str_eq(s.log[0], "moderated l warn 0 []");
}
