/*
 * Buddies and private conversations in the codec (PROTOCOL.md sections 5.48
 * to 5.53, 6.16, 6.17 and 20): the new names, conversation names in every
 * room member, room objects of kind buddy and support, the buddy requests
 * (decoded values, refusals that name the field, encoding, round trips),
 * their results and events, beyond what the golden vectors check. Pings are
 * in test_proto_pings.c, the matching pool in test_proto_match.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define CONV "~k3j9aa11"

/* ------------------------------------------------------------------ names */

Test(buddy_names, requests_errors_and_enums)
{
    static const struct { enum proto_req_type t; const char *name; } req[] = {
        {PROTO_REQ_BUDDY_REQUEST, "buddy.request"}, {PROTO_REQ_BUDDY_ACCEPT, "buddy.accept"},
        {PROTO_REQ_BUDDY_DECLINE, "buddy.decline"}, {PROTO_REQ_BUDDY_CANCEL, "buddy.cancel"},
        {PROTO_REQ_BUDDY_END, "buddy.end"},         {PROTO_REQ_BUDDY_LIST, "buddy.list"},
        {PROTO_REQ_BUDDY_PING, "buddy.ping"},       {PROTO_REQ_BUDDY_PING_SEEN, "buddy.ping_seen"},
        {PROTO_REQ_BUDDY_PINGS, "buddy.pings"},     {PROTO_REQ_MATCH_JOIN, "match.join"},
        {PROTO_REQ_MATCH_LEAVE, "match.leave"},     {PROTO_REQ_MATCH_STATUS, "match.status"},
        {PROTO_REQ_MATCH_ACCEPT, "match.accept"},   {PROTO_REQ_MATCH_DECLINE, "match.decline"},
    };
    /* PROTOCOL.md section 9 fixes these sentences. */
    static const struct { enum proto_err e; const char *code, *sentence; } err[] = {
        {PROTO_E_ALREADY_BUDDIES, "already_buddies", "You are already buddies."},
        {PROTO_E_NOT_BUDDIES, "not_buddies", "You can only do that with a buddy."},
        {PROTO_E_BUDDY_LIMIT, "buddy_limit",
         "That would be more buddies than this server allows; end a pairing first."},
        {PROTO_E_REQUEST_NOT_FOUND, "request_not_found", "There is no such request waiting for you."},
        {PROTO_E_PING_NOT_FOUND, "ping_not_found", "There is no such ping for you."},
        {PROTO_E_NOT_IN_POOL, "not_in_pool", "You are not in the matching pool."},
        {PROTO_E_CONVERSATION, "conversation", "That can't be done in a private conversation."},
    };

    cr_assert_eq(sizeof req / sizeof req[0], PROTO_REQ_SUPPORT_ASK - PROTO_REQ_BUDDY_REQUEST,
                 "every request of buddies and matching is listed here");
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        enum proto_req_type t = PROTO_REQ_PING;
        cr_expect_str_eq(proto_req_name(req[i].t), req[i].name);
        cr_expect(proto_req_parse(req[i].name, &t) && t == req[i].t, "%s", req[i].name);
        cr_expect_not(proto_req_allowed_unauthenticated(req[i].t), "%s", req[i].name);
    }
    cr_expect_eq(PROTO_REQ_MATCH_DECLINE + 1, PROTO_REQ_SUPPORT_ASK, "the support requests follow");

    cr_assert_eq(sizeof err / sizeof err[0], PROTO_E_SUPPORT_TAKEN - PROTO_E_ALREADY_BUDDIES);
    for (size_t i = 0; i < sizeof err / sizeof err[0]; i++) {
        enum proto_err e = PROTO_E_INTERNAL;
        cr_expect_str_eq(proto_err_code(err[i].e), err[i].code);
        cr_expect_str_eq(proto_err_sentence(err[i].e), err[i].sentence);
        cr_expect(proto_err_parse(err[i].code, &e) && e == err[i].e, "%s", err[i].code);
    }
    cr_expect_eq(PROTO_E_CONVERSATION + 1, PROTO_E_SUPPORT_TAKEN, "the support codes follow");
}

Test(buddy_names, kinds_and_approaches)
{
    static const char *const rooms[] = {"room", "buddy", "support"};
    static const char *const pings[] = {"thinking_of_you", "call_me", "struggling", "text"};
    static const char *const approaches[] = {"any", "12_step", "smart", "other"};
    enum proto_room_kind k = PROTO_KIND_SUPPORT;
    enum proto_ping_kind p = PROTO_PING_TEXT;
    enum proto_approach a = PROTO_APPROACH_OTHER;

    cr_assert_eq(PROTO_KIND__COUNT, 3);
    cr_assert_eq(PROTO_PING__COUNT, 4);
    cr_assert_eq(PROTO_APPROACH__COUNT, 4);
    for (int i = 0; i < PROTO_KIND__COUNT; i++) {
        cr_expect_str_eq(proto_room_kind_name(i), rooms[i]);
        cr_expect(proto_room_kind_parse(rooms[i], &k) && (int)k == i, "%s", rooms[i]);
    }
    for (int i = 0; i < PROTO_PING__COUNT; i++) {
        cr_expect_str_eq(proto_ping_kind_name(i), pings[i]);
        cr_expect(proto_ping_kind_parse(pings[i], &p) && (int)p == i, "%s", pings[i]);
    }
    for (int i = 0; i < PROTO_APPROACH__COUNT; i++) {
        cr_expect_str_eq(proto_approach_name(i), approaches[i]);
        cr_expect(proto_approach_parse(approaches[i], &a) && (int)a == i, "%s", approaches[i]);
    }
    cr_expect_null(proto_room_kind_name(PROTO_KIND__COUNT));
    cr_expect_null(proto_room_kind_name((enum proto_room_kind)-1));
    cr_expect_null(proto_ping_kind_name(PROTO_PING__COUNT));
    cr_expect_null(proto_approach_name(PROTO_APPROACH__COUNT));
    k = PROTO_KIND_BUDDY;
    cr_expect_not(proto_room_kind_parse("Buddy", &k));
    cr_expect_not(proto_room_kind_parse(NULL, &k));
    cr_expect_eq(k, PROTO_KIND_BUDDY, "a failed parse leaves *out alone");
    cr_expect_not(proto_ping_kind_parse("hug", &p));
    cr_expect_not(proto_ping_kind_parse("call-me", &p));
    cr_expect_not(proto_approach_parse("SMART", &a));
    cr_expect_not(proto_approach_parse("12-step", &a));
    /* A zeroed room is an ordinary room. */
    cr_expect_eq(PROTO_KIND_ROOM, 0);
}

Test(buddy_names, conversation_names)
{
    static const char *const good[] = {
        CONV, "~abcdefgh", "~12345678", "~" "abcdefghijklmnopqrstuvwxyz01234" /* 31 */,
    };
    static const char *const bad[] = {
        NULL, "", "~", "~abc", "~abcdefg" /* 7 */, "~abcdefghijklmnopqrstuvwxyz012345" /* 32 */,
        "~ABCdefgh1", "~abc_defgh", "~abc-defgh", "~abcdefg\xc3\xa9", "k3j9aa11x",
        "~~abcdefgh", " ~abcdefgh", "~abcdefgh ", "lobby",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_expect(proto_is_conversation_name(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_not(proto_is_conversation_name(bad[i]), "%s", bad[i] ? bad[i] : "NULL");
    /* The longest fits where folded names are kept. */
    cr_expect_eq(strlen(good[3]), PROTO_HANDLE_MAX);
}

/* ------------------------------------------------------ conversation names */

/* Every request with a room member, with "%s" where the room goes. */
static const char *const ROOM_REQUESTS[] = {
    "{\"type\":\"room.join\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.leave\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.send\",\"id\":\"x\",\"room\":%s,\"text\":\"hi\",\"cid\":\"c\"}",
    "{\"type\":\"room.history\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.members\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.invite\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.invites\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"room.invite_revoke\",\"id\":\"x\",\"room\":%s,\"code\":\"k\"}",
    "{\"type\":\"room.configure\",\"id\":\"x\",\"room\":%s,\"meeting\":true}",
    "{\"type\":\"room.role\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\",\"role\":\"member\"}",
    "{\"type\":\"meeting.chair\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"meeting.open\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.close\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.hand\",\"id\":\"x\",\"room\":%s,\"raised\":true}",
    "{\"type\":\"meeting.floor\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.done\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.mode\",\"id\":\"x\",\"room\":%s,\"auto\":true}",
    "{\"type\":\"meeting.state\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.schedule\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"meeting.upcoming\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"mod.mute\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"mod.unmute\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"mod.remove\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"mod.ban\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"mod.unban\",\"id\":\"x\",\"room\":%s,\"handle\":\"bob\"}",
    "{\"type\":\"mod.delete\",\"id\":\"x\",\"room\":%s,\"seq\":3}",
    "{\"type\":\"mod.settings\",\"id\":\"x\",\"room\":%s,\"locked\":true}",
    "{\"type\":\"mod.log\",\"id\":\"x\",\"room\":%s}",
    "{\"type\":\"report.create\",\"id\":\"x\",\"room\":%s,\"seq\":3,\"reason\":\"r\"}",
    "{\"type\":\"report.list\",\"id\":\"x\",\"room\":%s}",
};
#define N_ROOM_REQUESTS (sizeof ROOM_REQUESTS / sizeof ROOM_REQUESTS[0])

Test(conversation_request, every_room_member_takes_one)
{
    char buf[256], *s;
    struct proto_request r;

    for (size_t i = 0; i < N_ROOM_REQUESTS; i++) {
        snprintf(buf, sizeof buf, ROOM_REQUESTS[i], "\"" CONV "\"");
        must_decode(buf, &r);
        /* Kept as it is, in the folded-name slot too; encoded back the same. */
        cr_expect_str_eq(r._folded[0], CONV, "%s", buf);
        s = proto_request_encode(&r);
        cr_expect(s && strstr(s, "\"room\":\"" CONV "\""), "%s -> %s", buf, s ? s : "NULL");
        free(s);
        proto_request_free(&r);
    }
}

Test(conversation_request, bad_names_are_refused_everywhere)
{
    static const char *const bad[] = {
        "\"~abc\"", "\"~ABCdefgh1\"", "\"~abc_defgh\"", "\"~abcdefg\"", "\"~\"",
        "\"~abcdefghijklmnopqrstuvwxyz012345\"", "\"~K3J9AA11\"",
    };
    char buf[256];

    for (size_t i = 0; i < N_ROOM_REQUESTS; i++)
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            snprintf(buf, sizeof buf, ROOM_REQUESTS[i], bad[k]);
            refused(buf, "room", "conversation's name");
        }
    /* An ordinary bad room name keeps its own message. */
    refused("{\"type\":\"room.send\",\"id\":\"x\",\"room\":\"a b\",\"text\":\"t\",\"cid\":\"c\"}",
            "room", "3 to 32 characters");
}

Test(conversation_request, room_create_refuses_one)
{
    struct proto_request r;

    refused("{\"type\":\"room.create\",\"id\":\"x\",\"room\":\"" CONV "\",\"title\":\"T\"}", "room",
            "conversation");
    /* Other names with a tilde are bad room names as before. */
    refused("{\"type\":\"room.create\",\"id\":\"x\",\"room\":\"~abc\",\"title\":\"T\"}", "room",
            "3 to 32 characters");
    refused("{\"type\":\"room.create\",\"id\":\"x\",\"room\":\"~K3J9AA11\",\"title\":\"T\"}", "room",
            "3 to 32 characters");
    must_decode("{\"type\":\"room.create\",\"id\":\"x\",\"room\":\"K3J9AA11\",\"title\":\"T\"}", &r);
    cr_expect_str_eq(r.u.create.room, "k3j9aa11");
    proto_request_free(&r);
}

Test(conversation_request, survives_struct_copy)
{
    struct proto_request r, *copy = malloc(sizeof *copy);
    cr_assert_not_null(copy);
    must_decode("{\"type\":\"room.send\",\"id\":\"1\",\"room\":\"" CONV "\",\"text\":\"hi\","
                "\"cid\":\"c\"}", &r);
    *copy = r;
    memset(&r, 0x5A, sizeof r);
    cr_expect_str_eq(copy->u.send.room, CONV);
    proto_request_free(copy);
    free(copy);
}

/* ------------------------------------------------------------ room objects */

static struct proto_room sample_conversation(void)
{
    return (struct proto_room){.room = CONV, .title = "", .topic = "",
                               .visibility = PROTO_VIS_INVITE, .members = 2, .present = 1,
                               .last_seq = 7, .joined = true, .kind = PROTO_KIND_BUDDY,
                               .peer = "bob"};
}

#define CONV_JSON(kind, peer)                                                                   \
    "{\"room\":\"" CONV "\",\"title\":\"\",\"topic\":\"\",\"visibility\":\"invite\","        \
    "\"members\":2,\"present\":1,\"last_seq\":7,\"joined\":true,\"meeting\":false,"            \
    "\"role\":\"member\",\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,"              \
    "\"newcomer_seconds\":0,\"retention_days\":0,\"ephemeral\":false,\"kind\":\"" kind "\","   \
    "\"peer\":\"" peer "\",\"peer_delivered\":0,\"peer_seen\":0}"

Test(conversation_room, encode_and_decode)
{
    struct proto_room rooms[3] = {sample_conversation(), sample_conversation(),
                                  {.room = "lobby", .title = "Lobby", .topic = ""}};
    struct proto_result in = {.type = PROTO_REQ_ROOM_LIST}, out;
    char *s;

    rooms[1].kind = PROTO_KIND_SUPPORT;
    rooms[1].peer = "dan";
    in.u.list.rooms = rooms;
    in.u.list.n = 2;
    s = proto_result_encode("7", &in);
    cr_assert_not_null(s);
    cr_expect(strstr(s, CONV_JSON("buddy", "bob")), "%s", s);
    cr_expect(strstr(s, "\"kind\":\"support\",\"peer\":\"dan\",\"peer_delivered\":0,"
                        "\"peer_seen\":0}"), "%s", s);
    free(s);

    /* An ordinary room writes neither kind nor peer. */
    in.u.list.rooms = &rooms[2];
    in.u.list.n = 1;
    s = proto_result_encode("7", &in);
    cr_assert_not_null(s);
    cr_expect_null(strstr(s, "\"kind\""), "%s", s);
    cr_expect_null(strstr(s, "\"peer\""), "%s", s);
    free(s);

    in.u.list.rooms = rooms;
    in.u.list.n = 3;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.list.n, 3);
    cr_expect_eq(out.u.list.rooms[0].kind, PROTO_KIND_BUDDY);
    cr_expect_str_eq(out.u.list.rooms[0].peer, "bob");
    cr_expect_str_eq(out.u.list.rooms[0].room, CONV);
    cr_expect_eq(out.u.list.rooms[1].kind, PROTO_KIND_SUPPORT);
    cr_expect_str_eq(out.u.list.rooms[1].peer, "dan");
    cr_expect_eq(out.u.list.rooms[2].kind, PROTO_KIND_ROOM);
    cr_expect_null(out.u.list.rooms[2].peer);
    proto_result_free(&out);
}

Test(conversation_room, encode_refusals)
{
    struct proto_room r = sample_conversation();
    struct proto_result in = {.type = PROTO_REQ_ROOM_CONFIGURE};

    in.u.configure.room = r;
    in.u.configure.room.peer = NULL;
    cr_expect_null(proto_result_encode("x", &in), "a conversation without its peer");
    in.u.configure.room.kind = PROTO_KIND_ROOM;
    in.u.configure.room.peer = "bob";
    cr_expect_null(proto_result_encode("x", &in), "a room with a peer");
    in.u.configure.room.kind = PROTO_KIND__COUNT;
    cr_expect_null(proto_result_encode("x", &in), "a kind out of range");
}

Test(conversation_room, decode_rules)
{
    static const char *const bad[] = {
        "{\"rooms\":[" CONV_JSON("group", "bob") "]}",
        "{\"rooms\":[" CONV_JSON("Buddy", "bob") "]}",
        "{\"rooms\":[{\"room\":\"~k3j9aa11\",\"title\":\"b\",\"topic\":\"\",\"visibility\":\"invite\","
        "\"members\":2,\"present\":1,\"last_seq\":7,\"joined\":true,\"kind\":\"buddy\"}]}",
        "{\"rooms\":[{\"room\":\"~k3j9aa11\",\"title\":\"b\",\"topic\":\"\",\"visibility\":\"invite\","
        "\"members\":2,\"present\":1,\"last_seq\":7,\"joined\":true,\"kind\":\"support\","
        "\"peer\":null}]}",
        "{\"rooms\":[{\"room\":\"l\",\"title\":\"b\",\"topic\":\"\",\"visibility\":\"open\","
        "\"members\":2,\"present\":1,\"last_seq\":7,\"joined\":true,\"kind\":2}]}",
    };
    struct proto_result out;
    json_t *d = json_loads("{\"rooms\":[{\"room\":\"l\",\"title\":\"L\",\"topic\":\"\","
                           "\"visibility\":\"open\",\"members\":2,\"present\":1,\"last_seq\":7,"
                           "\"joined\":true,\"kind\":null,\"peer\":\"stray\"}]}", 0, NULL);

    /* kind null is a room; a peer beside a room is dropped. */
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_LIST, d, &out), PROTO_OK);
    cr_expect_eq(out.u.list.rooms[0].kind, PROTO_KIND_ROOM);
    cr_expect_null(out.u.list.rooms[0].peer);
    proto_result_free(&out);
    json_decref(d);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_ROOM_LIST, bad[i]);
}

/* ---------------------------------------------------------- buddy.request */

Test(buddy_request, handle_requests)
{
    static const enum proto_req_type types[] = {PROTO_REQ_BUDDY_REQUEST, PROTO_REQ_BUDDY_ACCEPT,
                                                PROTO_REQ_BUDDY_DECLINE, PROTO_REQ_BUDDY_CANCEL,
                                                PROTO_REQ_BUDDY_END};
    char buf[160], *s;

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const char *name = proto_req_name(types[i]);
        struct proto_request r, in = {.type = types[i], .id = "b"}, out;

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"b\",\"handle\":\"Bob\"}", name);
        must_decode(buf, &r);
        cr_expect_str_eq(r.u.buddy.handle, "bob", "%s", name);
        cr_expect_str_eq(r._folded[1], "bob", "%s: a handle is slot 1", name);
        proto_request_free(&r);

        in.u.buddy.handle = "bob";
        s = round_trip_request(&in, &out);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"b\",\"handle\":\"bob\"}", name);
        cr_expect_str_eq(s, buf);
        free(s);
        proto_request_free(&out);
        in.u.buddy.handle = NULL;
        cr_expect_null(proto_request_encode(&in), "%s without a handle", name);

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\"}", name);
        refused(buf, "handle", "required");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"handle\":null}", name);
        refused(buf, "handle", "required");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"handle\":\"b ob\"}", name);
        refused(buf, "handle", "3 to 32 characters");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"handle\":\"" CONV "\"}", name);
        refused(buf, "handle", "3 to 32 characters");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"handle\":[]}", name);
        refused(buf, "handle", "string");
    }
}

Test(buddy_request, lists_have_no_members)
{
    static const enum proto_req_type types[] = {PROTO_REQ_BUDDY_LIST, PROTO_REQ_BUDDY_PINGS};
    for (size_t i = 0; i < 2; i++) {
        struct proto_request in = {.type = types[i], .id = "l"}, out;
        char want[64], *s = round_trip_request(&in, &out);
        snprintf(want, sizeof want, "{\"type\":\"%s\",\"id\":\"l\"}", proto_req_name(types[i]));
        cr_expect_str_eq(s, want);
        free(s);
        proto_request_free(&out);
    }
}

/* ---------------------------------------------------------------- results */

Test(buddy_result, no_data)
{
    static const enum proto_req_type types[] = {
        PROTO_REQ_BUDDY_REQUEST, PROTO_REQ_BUDDY_DECLINE, PROTO_REQ_BUDDY_CANCEL,
        PROTO_REQ_BUDDY_END, PROTO_REQ_BUDDY_PING_SEEN, PROTO_REQ_MATCH_JOIN,
        PROTO_REQ_MATCH_LEAVE, PROTO_REQ_MATCH_ACCEPT, PROTO_REQ_MATCH_DECLINE};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct proto_result in = {.type = types[i]}, out;
        expect_json(proto_result_encode("n", &in), "{\"type\":\"result\",\"id\":\"n\",\"data\":{}}");
        round_trip_result(&in, &out);
        cr_expect_eq(out.type, types[i]);
        cr_expect_null(out._alloc);
        proto_result_free(&out);
    }
}

#define BOB_JSON                                                                                \
    "{\"handle\":\"bob\",\"status\":\"available\",\"since\":1795000005000,"                    \
    "\"conversation\":\"" CONV "\"}"

Test(buddy_result, accept)
{
    struct proto_result in = {.type = PROTO_REQ_BUDDY_ACCEPT}, out;

    in.u.paired.buddy = (struct proto_buddy){.handle = "bob", .status = PROTO_STATUS_AVAILABLE,
                                             .since = 1795000005000, .conversation = CONV};
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"buddy\":" BOB_JSON "}}");
    round_trip_result(&in, &out);
    cr_expect_str_eq(out.u.paired.buddy.handle, "bob");
    cr_expect_eq(out.u.paired.buddy.status, PROTO_STATUS_AVAILABLE);
    cr_expect_eq(out.u.paired.buddy.since, 1795000005000);
    cr_expect_str_eq(out.u.paired.buddy.conversation, CONV);
    proto_result_free(&out);

    in.u.paired.buddy.conversation = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no conversation");
    in.u.paired.buddy.conversation = CONV;
    in.u.paired.buddy.status = PROTO_STATUS__COUNT;
    cr_expect_null(proto_result_encode("x", &in), "a status out of range");
    result_refused(PROTO_REQ_BUDDY_ACCEPT, "{}");
    result_refused(PROTO_REQ_BUDDY_ACCEPT, "{\"buddy\":{\"handle\":\"bob\",\"status\":\"away\","
                                           "\"since\":\"1\",\"conversation\":\"" CONV "\"}}");
}

Test(buddy_result, list_round_trip)
{
    struct proto_buddy buddies[] = {
        {.handle = "bob", .status = PROTO_STATUS_AVAILABLE, .since = 1795000005000,
         .conversation = CONV},
        {.handle = "carol", .status = PROTO_STATUS_OFFLINE, .since = 1795000009000,
         .conversation = "~x7p2q9zz4m"}};
    struct proto_buddy_request incoming[] = {{.handle = "dan", .ts = 1795000010000}};
    struct proto_buddy_request outgoing[] = {{.handle = "erin", .ts = 1795000011000},
                                             {.handle = "finn", .ts = 1795000012000}};
    struct proto_result in = {.type = PROTO_REQ_BUDDY_LIST}, out;
    char *base;

    in.u.buddies.buddies = buddies;
    in.u.buddies.n = 2;
    in.u.buddies.incoming = incoming;
    in.u.buddies.n_incoming = 1;
    in.u.buddies.outgoing = outgoing;
    in.u.buddies.n_outgoing = 2;
    in.u.buddies.limit = 5;
    expect_json(proto_result_encode("l", &in),
                "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"buddies\":[" BOB_JSON ","
                "{\"handle\":\"carol\",\"status\":\"offline\",\"since\":1795000009000,"
                "\"conversation\":\"~x7p2q9zz4m\"}],"
                "\"incoming\":[{\"handle\":\"dan\",\"ts\":1795000010000}],"
                "\"outgoing\":[{\"handle\":\"erin\",\"ts\":1795000011000},"
                "{\"handle\":\"finn\",\"ts\":1795000012000}],\"limit\":5}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.buddies.n, 2);
    cr_assert_eq(out.u.buddies.n_incoming, 1);
    cr_assert_eq(out.u.buddies.n_outgoing, 2);
    cr_expect_eq(out.u.buddies.limit, 5);
    /* One allocation holds the three arrays; the result frees it. */
    base = out._alloc;
    cr_expect_eq((void *)out.u.buddies.buddies, out._alloc);
    cr_expect((char *)out.u.buddies.incoming >= base && (char *)out.u.buddies.outgoing > base);
    cr_expect_str_eq(out.u.buddies.buddies[1].conversation, "~x7p2q9zz4m");
    cr_expect_eq(out.u.buddies.buddies[1].status, PROTO_STATUS_OFFLINE);
    cr_expect_str_eq(out.u.buddies.incoming[0].handle, "dan");
    cr_expect_eq(out.u.buddies.incoming[0].ts, 1795000010000);
    cr_expect_str_eq(out.u.buddies.outgoing[0].handle, "erin");
    cr_expect_str_eq(out.u.buddies.outgoing[1].handle, "finn");
    cr_expect_eq(out.u.buddies.outgoing[1].ts, 1795000012000);
    proto_result_free(&out);

    /* Only requests, only buddies: the empty arrays are NULL. */
    in.u.buddies.n = 0;
    in.u.buddies.buddies = NULL;
    in.u.buddies.n_incoming = 0;
    round_trip_result(&in, &out);
    cr_expect_null(out.u.buddies.buddies);
    cr_expect_null(out.u.buddies.incoming);
    cr_expect_eq((void *)out.u.buddies.outgoing, out._alloc);
    cr_expect_str_eq(out.u.buddies.outgoing[1].handle, "finn");
    proto_result_free(&out);

    in.u.buddies.n_outgoing = 0;
    expect_json(proto_result_encode("l", &in),
                "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"buddies\":[],\"incoming\":[],"
                "\"outgoing\":[],\"limit\":5}}");
    round_trip_result(&in, &out);
    cr_expect_null(out._alloc, "nothing to allocate");
    proto_result_free(&out);
    in.u.buddies.n_incoming = 1;
    in.u.buddies.incoming = NULL;
    cr_expect_null(proto_result_encode("x", &in), "n requests and no array");
}

Test(buddy_result, list_refusals)
{
#define LIST(b, i, o, rest) "{\"buddies\":" b ",\"incoming\":" i ",\"outgoing\":" o rest "}"
    static const char *const bad[] = {
        "{}",
        LIST("[]", "[]", "[]", ""),
        LIST("[]", "[]", "[]", ",\"limit\":-1"),
        LIST("[]", "[]", "[]", ",\"limit\":\"5\""),
        LIST("null", "[]", "[]", ",\"limit\":5"),
        LIST("[]", "{}", "[]", ",\"limit\":5"),
        LIST("[]", "[]", "\"x\"", ",\"limit\":5"),
        LIST("[" BOB_JSON ",{\"handle\":\"c\"}]", "[]", "[]", ",\"limit\":5"),
        LIST("[]", "[{\"handle\":\"d\"}]", "[]", ",\"limit\":5"),
        LIST("[" BOB_JSON "]", "[{\"handle\":\"d\",\"ts\":1}]", "[{\"ts\":1}]", ",\"limit\":5"),
        LIST("[" BOB_JSON "]", "[]", "[null]", ",\"limit\":5"),
    };
#undef LIST
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_BUDDY_LIST, bad[i]);
}

/* ----------------------------------------------------------------- events */

Test(buddy_event, each_round_trips)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_REQUEST};

    ev.u.buddy_request = (struct proto_buddy_request){.handle = "carol", .ts = 1795000010000};
    event_round_trip(&ev, "{\"type\":\"buddy.request\",\"handle\":\"carol\",\"ts\":1795000010000}");

    ev = (struct proto_event){.type = PROTO_EVT_BUDDY_UPDATE};
    ev.u.buddy_update.state = "paired";
    ev.u.buddy_update.buddy = (struct proto_buddy){
        .handle = "bob", .status = PROTO_STATUS_BUSY, .since = 1795000005000, .conversation = CONV};
    event_round_trip(&ev, "{\"type\":\"buddy.update\",\"state\":\"paired\",\"handle\":\"bob\","
                          "\"status\":\"busy\",\"since\":1795000005000,\"conversation\":\"" CONV
                          "\"}");
    /* Ended: the handle and nothing else, never a reason. */
    ev.u.buddy_update.state = "ended";
    event_round_trip(&ev, "{\"type\":\"buddy.update\",\"state\":\"ended\",\"handle\":\"bob\"}");
}

Test(buddy_event, decoded_values)
{
    struct one_event o;
    const char *text =
        "{\"type\":\"buddy.update\",\"state\":\"paired\",\"handle\":\"bob\",\"status\":\"away\","
        "\"since\":5,\"conversation\":\"" CONV "\",\"extra\":1}";

    cr_assert_eq(event_frame(text, &o), PROTO_OK);
    free(o.enc);
    cr_expect_eq(o.ev.type, PROTO_EVT_BUDDY_UPDATE);
    /* The strings borrow from the frame: only the scalars are checked after it. */
    cr_expect_eq(o.ev.u.buddy_update.buddy.status, PROTO_STATUS_AWAY);
    cr_expect_eq(o.ev.u.buddy_update.buddy.since, 5);

    /* An ended update drops stray members; a state a client does not know yet
     * reads like ended (the handle only). */
    text = "{\"type\":\"buddy.update\",\"state\":\"ended\",\"handle\":\"bob\",\"status\":7}";
    cr_assert_eq(event_frame(text, &o), PROTO_OK);
    cr_expect_str_eq(o.enc, "{\"type\":\"buddy.update\",\"state\":\"ended\",\"handle\":\"bob\"}");
    free(o.enc);
    text = "{\"type\":\"buddy.update\",\"state\":\"paused\",\"handle\":\"bob\"}";
    cr_assert_eq(event_frame(text, &o), PROTO_OK);
    cr_expect_str_eq(o.enc, text);
    free(o.enc);
}

Test(buddy_event, refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"buddy.request\",\"handle\":\"carol\"}",
        "{\"type\":\"buddy.request\",\"ts\":1}",
        "{\"type\":\"buddy.update\",\"handle\":\"bob\"}",
        "{\"type\":\"buddy.update\",\"state\":\"ended\"}",
        "{\"type\":\"buddy.update\",\"state\":7,\"handle\":\"bob\"}",
        "{\"type\":\"buddy.update\",\"state\":\"paired\",\"handle\":\"bob\",\"status\":\"busy\","
        "\"since\":1}",
        "{\"type\":\"buddy.update\",\"state\":\"paired\",\"handle\":\"bob\",\"status\":\"gone\","
        "\"since\":1,\"conversation\":\"" CONV "\"}",
    };
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_UPDATE};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct one_event o;
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
    }

    ev.u.buddy_update.buddy.handle = "bob";
    cr_expect_null(proto_event_encode(&ev), "no state");
    ev.u.buddy_update.state = "paired";
    cr_expect_null(proto_event_encode(&ev), "paired without the conversation");
    ev = (struct proto_event){.type = PROTO_EVT_BUDDY_REQUEST};
    cr_expect_null(proto_event_encode(&ev), "no handle");
}
