/*
 * What the server answers: proto_result_encode and proto_result_decode of
 * every result's data (rooms, members, history, meetings, moderation),
 * their defaults and their failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

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

/* Decoding `text` as the data of a `type` result fails with invalid_field
 * and leaves nothing behind: no root, no allocation, and the reference the
 * caller holds on the data is again the only one. */
static void expect_refused_leaving_nothing(enum proto_req_type type, const char *text, size_t i)
{
    struct proto_result out;
    json_t *d = json_loads(text, 0, NULL);
    cr_assert(d, "case %zu: %s", i, text);
    cr_expect_eq(proto_result_decode(type, d, &out), PROTO_E_INVALID_FIELD, "case %zu", i);
    cr_expect_null(out._root);
    cr_expect_null(out._alloc);
    cr_expect_eq(d->refcount, 1);
    json_decref(d);
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
    expect_json(proto_result_encode("x", &in),
                "{\"type\":\"result\",\"id\":\"x\",\"data\":{\"token\":\"tok\"}}");

    in.type = PROTO_REQ_AUTH_LOGOUT;
    expect_json(proto_result_encode("x", &in), "{\"type\":\"result\",\"id\":\"x\",\"data\":{}}");
}

Test(result, arrays)
{
    struct proto_room rooms[2] = {
        {"lobby", "Lobby", "Say hi", PROTO_VIS_OPEN, 40, 12, 1234, true, false, PROTO_RROLE_MEMBER,
         {0}, 0, false, PROTO_KIND_ROOM, NULL, 0, 0},
        {"circle", "Circle", NULL, PROTO_VIS_INVITE, 3, 0, 0, false, true, PROTO_RROLE_MEMBER, {0},
         0, false, PROTO_KIND_ROOM, NULL, 0, 0},
    };
    struct proto_member members[3] = {
        {"alice", PROTO_STATUS_AVAILABLE, PROTO_RROLE_MEMBER},
        {"bob", PROTO_STATUS_OFFLINE, PROTO_RROLE_MEMBER},
        {"me", PROTO_STATUS_INVISIBLE, PROTO_RROLE_HOST}};
    struct proto_room_event evs[3] = {
        {.kind = PROTO_EV_JOINED, .room = "lobby", .seq = 3, .ts = 1795000000000, .handle = "bob"},
        {.kind = PROTO_EV_MESSAGE, .room = "lobby", .seq = 4, .ts = 1795000001000, .handle = "bob",
         .text = "hi \xf0\x9f\x8c\xb1", .cid = "b-1"},
        {.kind = PROTO_EV_LEFT, .room = "lobby", .seq = 5, .ts = 1795000002000, .handle = "bob",
         .text = "ignored", .cid = "ignored"},
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

/* -------------------------------------------------------------- meetings */

Test(meeting_result, state_round_trip_every_meeting_type)
{
    static const char *const queue[] = {"carol", "dan", "erin"};   /* sample_meeting()'s */
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
                            "\"queue\":[\"carol\",\"dan\",\"erin\"],\"format\":\"\"}}}", "%s",
                         proto_req_name(types[i]));
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
            cr_expect_str_eq(out.u.meeting.queue[k], queue[k], "queue order is kept");
        cr_expect_eq(out._alloc, (void *)out.u.meeting.queue, "the queue is released by free");
        proto_result_free(&out);
        cr_expect_null(out._alloc);
    }
}

Test(meeting_result, nulls_and_empty_queue)
{
    struct proto_result in = {.type = PROTO_REQ_MEETING_STATE}, out;
    in.u.meeting = (struct proto_meeting){.room = "circle", .share_seconds = 300};
    expect_json(proto_result_encode("m", &in),
                "{\"type\":\"result\",\"id\":\"m\",\"data\":{\"meeting\":{\"room\":\"circle\","
                "\"open\":false,\"chair\":null,\"mode\":\"one_speaker\",\"auto\":false,"
                "\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[],"
                "\"format\":\"\"}}}");
    round_trip(&in, &out);
    cr_expect_str_eq(out.u.meeting.format, "", "no format text reads back as \"\"");
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
                                PROTO_RROLE_HOST, {0}, 0, false, PROTO_KIND_ROOM, NULL, 0, 0};
    struct proto_result in = {.type = PROTO_REQ_ROOM_CONFIGURE}, out;

    in.u.configure.room = circle;
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"room\":{\"room\":\"circle\","
                "\"title\":\"Circle\",\"topic\":\"\",\"visibility\":\"invite\",\"members\":6,"
                "\"present\":4,\"last_seq\":87,\"joined\":true,\"meeting\":true,\"role\":\"host\","
                "\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,\"newcomer_seconds\":0,"
                "\"retention_days\":0,\"ephemeral\":false}}}");
    round_trip(&in, &out);
    cr_expect(out.u.configure.room.meeting);
    cr_expect_eq(out.u.configure.room.role, PROTO_RROLE_HOST);
    cr_expect_str_eq(out.u.configure.room.room, "circle");
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_ROLE};
    expect_json(proto_result_encode("r", &in), "{\"type\":\"result\",\"id\":\"r\",\"data\":{}}");
    round_trip(&in, &out);
    proto_result_free(&out);
}

Test(meeting_result, room_and_member_roles)
{
    struct proto_room rooms[2] = {
        {"lobby", "Lobby", "", PROTO_VIS_OPEN, 3, 1, 5, true, false, PROTO_RROLE_MODERATOR, {0}, 0,
         false, PROTO_KIND_ROOM, NULL, 0, 0},
        {"circle", "Circle", "", PROTO_VIS_OPEN, 3, 1, 5, false, true, PROTO_RROLE_MEMBER, {0}, 0,
         false, PROTO_KIND_ROOM, NULL, 0, 0}};
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
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused_leaving_nothing(PROTO_REQ_MEETING_STATE, bad[i], i);
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

/* ------------------------------------------------------------ moderation */

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
    in.u.modset.settings = sample_settings();
    expect_json(proto_result_encode("t", &in),
                "{\"type\":\"result\",\"id\":\"t\",\"data\":{\"settings\":{\"slow_seconds\":30,"
                "\"locked\":true,\"member_limit\":100000,\"newcomer_seconds\":86400}}}");
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

    in.u.modlog.entries = (struct proto_audit_entry *)ENTRIES;
    in.u.modlog.n = 4;
    in.u.modlog.has_more = true;
    expect_json(proto_result_encode("l", &in),
                "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"entries\":["
                "{\"id\":14,\"ts\":1795000800000,\"actor\":\"mona\",\"action\":\"delete\","
                "\"target\":null,\"reason\":\"Personal details\",\"seq\":17,\"until\":null},"
                "{\"id\":13,\"ts\":1795000700000,\"actor\":\"hal\",\"action\":\"ban\","
                "\"target\":\"troll\",\"reason\":\"\",\"until\":1795086400000},"
                "{\"id\":12,\"ts\":1795000600000,\"actor\":\"mona\",\"action\":\"mute\","
                "\"target\":\"troll\",\"reason\":\"spam \xf0\x9f\x8c\xb1\",\"until\":null},"
                "{\"id\":11,\"ts\":1795000500000,\"actor\":\"mona\",\"action\":\"settings\","
                "\"target\":null,\"reason\":\"\",\"until\":null}],\"has_more\":true}}");
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
        expect_refused_leaving_nothing(PROTO_REQ_MOD_LOG, buf, i);
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
                               PROTO_RROLE_MODERATOR, sample_settings(), 0, false,
                               PROTO_KIND_ROOM, NULL, 0, 0};
    struct proto_result in = {.type = PROTO_REQ_ROOM_CREATE}, out;
    char *s;
    json_t *d;

    in.u.create.room = lobby;
    s = proto_result_encode("c", &in);
    cr_expect(strstr(s, "\"role\":\"moderator\",\"slow_seconds\":30,\"locked\":true,"
                        "\"member_limit\":100000,\"newcomer_seconds\":86400,"), "%s", s);
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

    in.u.history.events = evs;
    in.u.history.n = 3;
    expect_json(proto_result_encode("h", &in),
                "{\"type\":\"result\",\"id\":\"h\",\"data\":{\"events\":["
                "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":1,"
                "\"handle\":\"troll\",\"removed\":true,\"cid\":\"t-4\"},"
                "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":19,\"ts\":3,\"target_seq\":17},"
                "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":20,\"ts\":4,\"handle\":\"troll\","
                "\"by_moderator\":true}],\"has_more\":false,\"truncated\":false}}");
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
