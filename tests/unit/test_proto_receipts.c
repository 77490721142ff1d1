/*
 * Receipts in private conversations in the codec (PROTOCOL.md section
 * 20.1): room.read and its result, the room.receipt event, a conversation's
 * peer_delivered and peer_seen in the room object, and the read_receipts
 * setting.
 */
#include "proto_fixture.h"

#define CONV "~k3j9aa11"

/* ---------------------------------------------------------------- room.read */

Test(room_read, request)
{
    struct proto_request r, out;
    char *s;

    must_decode("{\"type\":\"room.read\",\"id\":\"1\",\"room\":\"" CONV "\",\"seq\":7}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_READ);
    cr_expect_str_eq(r.u.read.room, CONV);
    cr_expect_eq(r.u.read.seq, 7);
    s = round_trip_request(&r, &out);
    cr_expect_str_eq(s, "{\"type\":\"room.read\",\"id\":\"1\",\"room\":\"" CONV "\",\"seq\":7}");
    free(s);
    proto_request_free(&out);
    proto_request_free(&r);

    /* A room's name decodes (folded): whether it is a conversation is the server's to say. */
    must_decode("{\"type\":\"room.read\",\"id\":\"1\",\"room\":\"Lobby\",\"seq\":9007199254740991}",
                &r);
    cr_expect_str_eq(r.u.read.room, "lobby");
    cr_expect_eq(r.u.read.seq, 9007199254740991ULL);
    proto_request_free(&r);

    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\"}", "seq", "required");
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\",\"seq\":null}", "seq",
            "required");
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\",\"seq\":0}", "seq", NULL);
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\",\"seq\":-3}", "seq", NULL);
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\",\"seq\":7.5}", "seq", NULL);
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"" CONV "\",\"seq\":true}", "seq", NULL);
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"seq\":7}", "room", NULL);
    refused("{\"type\":\"room.read\",\"id\":\"x\",\"room\":\"~K3J9AA11\",\"seq\":7}", "room", NULL);
}

Test(room_read, encoder_refuses_seq_zero)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_READ, .id = "1"};
    r.u.read.room = CONV;
    cr_expect_null(proto_request_encode(&r), "seq 0");
    r.u.read.seq = 1;
    char *s = proto_request_encode(&r);
    cr_expect_not_null(s);
    free(s);
}

Test(room_read, result)
{
    struct proto_result in = {.type = PROTO_REQ_ROOM_READ}, out;

    in.u.read.seen = 12;
    expect_json(proto_result_encode("r", &in),
                "{\"type\":\"result\",\"id\":\"r\",\"data\":{\"seen\":12}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.read.seen, 12);
    proto_result_free(&out);

    result_refused(PROTO_REQ_ROOM_READ, "{}");
    result_refused(PROTO_REQ_ROOM_READ, "{\"seen\":null}");
    result_refused(PROTO_REQ_ROOM_READ, "{\"seen\":-1}");
    result_refused(PROTO_REQ_ROOM_READ, "{\"seen\":\"12\"}");
}

Test(room_read, error_code)
{
    enum proto_err e;
    cr_expect_str_eq(proto_err_code(PROTO_E_NOT_A_CONVERSATION), "not_a_conversation");
    cr_expect_str_eq(proto_err_sentence(PROTO_E_NOT_A_CONVERSATION),
                     "Read receipts are only kept in private conversations.");
    cr_expect(proto_err_parse("not_a_conversation", &e) && e == PROTO_E_NOT_A_CONVERSATION);
}

/* ------------------------------------------------------------- room.receipt */

Test(room_receipt, round_trip)
{
    struct proto_event ev = {.type = PROTO_EVT_ROOM_RECEIPT};
    ev.u.receipt.room = CONV;
    ev.u.receipt.handle = "bob";
    ev.u.receipt.delivered = 9;
    ev.u.receipt.seen = 7;
    event_round_trip(&ev, "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\","
                          "\"delivered\":9,\"seen\":7}");
    ev.u.receipt.seen = 0;   /* read receipts off between the two */
    event_round_trip(&ev, "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\","
                          "\"delivered\":9,\"seen\":0}");
    ev.u.receipt.seen = 9;
    event_round_trip(&ev, "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\","
                          "\"delivered\":9,\"seen\":9}");
}

Test(room_receipt, encode_refusals)
{
    struct proto_event ev = {.type = PROTO_EVT_ROOM_RECEIPT};
    ev.u.receipt.room = CONV;
    ev.u.receipt.handle = "bob";
    ev.u.receipt.delivered = 5;
    ev.u.receipt.seen = 6;
    cr_expect_null(proto_event_encode(&ev), "seen above delivered");
    ev.u.receipt.seen = 5;
    ev.u.receipt.room = "lobby";
    cr_expect_null(proto_event_encode(&ev), "a room that is not a conversation");
    ev.u.receipt.room = NULL;
    cr_expect_null(proto_event_encode(&ev), "no room");
    ev.u.receipt.room = CONV;
    ev.u.receipt.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "no handle");
}

Test(room_receipt, decode_refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\",\"delivered\":5,"
        "\"seen\":6}",
        "{\"type\":\"room.receipt\",\"room\":\"lobby\",\"handle\":\"bob\",\"delivered\":5,"
        "\"seen\":5}",
        "{\"type\":\"room.receipt\",\"handle\":\"bob\",\"delivered\":5,\"seen\":5}",
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"delivered\":5,\"seen\":5}",
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\",\"seen\":0}",
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\",\"delivered\":5}",
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\",\"delivered\":-1,"
        "\"seen\":0}",
        "{\"type\":\"room.receipt\",\"room\":\"" CONV "\",\"handle\":\"bob\",\"delivered\":5,"
        "\"seen\":null}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct one_event o;
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        free(o.enc);
    }
}

/* ------------------------------------------------- the conversation's marks */

static struct proto_room conversation(void)
{
    return (struct proto_room){.room = CONV, .title = "", .topic = "",
                               .visibility = PROTO_VIS_INVITE, .members = 2, .present = 2,
                               .last_seq = 9, .joined = true, .kind = PROTO_KIND_BUDDY,
                               .peer = "bob", .peer_delivered = 9, .peer_seen = 4};
}

Test(room_marks, written_for_a_conversation_only)
{
    struct proto_room rooms[2] = {conversation(),
                                  {.room = "lobby", .title = "Lobby", .topic = "",
                                   .peer_delivered = 3, .peer_seen = 2}};
    struct proto_result in = {.type = PROTO_REQ_ROOM_LIST}, out;
    char *s;

    in.u.list.rooms = rooms;
    in.u.list.n = 2;
    s = proto_result_encode("7", &in);
    cr_assert_not_null(s);
    cr_expect(strstr(s, "\"peer\":\"bob\",\"peer_delivered\":9,\"peer_seen\":4}"), "%s", s);
    cr_expect_null(strstr(s, "\"peer_delivered\":3"), "a room has no marks: %s", s);
    free(s);

    round_trip_result(&in, &out);
    cr_assert_eq(out.u.list.n, 2);
    cr_expect_eq(out.u.list.rooms[0].peer_delivered, 9);
    cr_expect_eq(out.u.list.rooms[0].peer_seen, 4);
    cr_expect_eq(out.u.list.rooms[1].peer_delivered, 0);
    cr_expect_eq(out.u.list.rooms[1].peer_seen, 0);
    proto_result_free(&out);

    rooms[0].peer_seen = 10;
    cr_expect_null(proto_result_encode("7", &in), "seen above delivered");
}

Test(room_marks, decoding)
{
    static const char conv_head[] =
        "{\"rooms\":[{\"room\":\"" CONV "\",\"title\":\"\",\"topic\":\"\",\"visibility\":\"invite\","
        "\"members\":2,\"present\":1,\"last_seq\":7,\"joined\":true,\"kind\":\"buddy\","
        "\"peer\":\"bob\"";
    struct proto_result out;
    char buf[512];
    json_t *d;

    /* Absent (a server before receipts) and null read as 0. */
    snprintf(buf, sizeof buf, "%s,\"peer_delivered\":null}]}", conv_head);
    d = json_loads(buf, 0, NULL);
    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_LIST, d, &out), PROTO_OK);
    cr_expect_eq(out.u.list.rooms[0].peer_delivered, 0);
    cr_expect_eq(out.u.list.rooms[0].peer_seen, 0);
    proto_result_free(&out);
    json_decref(d);

    snprintf(buf, sizeof buf, "%s,\"peer_delivered\":7,\"peer_seen\":8}]}", conv_head);
    result_refused(PROTO_REQ_ROOM_LIST, buf);
    snprintf(buf, sizeof buf, "%s,\"peer_delivered\":\"7\",\"peer_seen\":0}]}", conv_head);
    result_refused(PROTO_REQ_ROOM_LIST, buf);
    snprintf(buf, sizeof buf, "%s,\"peer_delivered\":7,\"peer_seen\":-1}]}", conv_head);
    result_refused(PROTO_REQ_ROOM_LIST, buf);
}

/* ------------------------------------------------------ the read_receipts setting */

Test(read_receipts, settings_set)
{
    struct proto_request r, out;
    char *s;

    must_decode("{\"type\":\"settings.set\",\"id\":\"1\",\"read_receipts\":false}", &r);
    cr_expect(r.u.settings.has_read_receipts);
    cr_expect_not(r.u.settings.set.read_receipts);
    s = round_trip_request(&r, &out);
    cr_expect_str_eq(s, "{\"type\":\"settings.set\",\"id\":\"1\",\"read_receipts\":false}");
    free(s);
    proto_request_free(&out);
    proto_request_free(&r);

    /* null is absent: nothing to change is refused. */
    refused("{\"type\":\"settings.set\",\"id\":\"x\",\"read_receipts\":null}", "tz", NULL);
    refused("{\"type\":\"settings.set\",\"id\":\"x\",\"read_receipts\":\"off\"}", "read_receipts",
            NULL);
    refused("{\"type\":\"settings.set\",\"id\":\"x\",\"read_receipts\":0}", "read_receipts", NULL);
}

Test(read_receipts, settings_object)
{
    static const char base[] =
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"";
    struct proto_result out;
    char buf[512];
    json_t *d;

    /* A server before receipts does not say: on. */
    snprintf(buf, sizeof buf, "%s}}", base);
    d = json_loads(buf, 0, NULL);
    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SETTINGS_GET, d, &out), PROTO_OK);
    cr_expect(out.u.settings.read_receipts);
    proto_result_free(&out);
    json_decref(d);

    snprintf(buf, sizeof buf, "%s,\"read_receipts\":false}}", base);
    d = json_loads(buf, 0, NULL);
    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SETTINGS_GET, d, &out), PROTO_OK);
    cr_expect_not(out.u.settings.read_receipts);
    proto_result_free(&out);
    json_decref(d);

    snprintf(buf, sizeof buf, "%s,\"read_receipts\":\"yes\"}}", base);
    result_refused(PROTO_REQ_SETTINGS_GET, buf);
}
