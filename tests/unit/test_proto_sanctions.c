/*
 * mod.sanctions in the codec (PROTOCOL.md 5.88, section 15.2-15.3): the
 * request, its result (the mutes and bans in force) and their failures.
 */
#include "proto_fixture.h"

/* ------------------------------------------------------------ the request */

Test(mod_sanctions, request)
{
    struct proto_request r, out;
    char *s;

    must_decode("{\"type\":\"mod.sanctions\",\"id\":\"1\",\"room\":\"Lobby\",\"limit\":3}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_SANCTIONS);
    cr_expect_str_eq(r.u.room.room, "lobby", "folded; unknown members ignored");
    s = round_trip_request(&r, &out);
    cr_expect_str_eq(s, "{\"type\":\"mod.sanctions\",\"id\":\"1\",\"room\":\"lobby\"}");
    free(s);
    proto_request_free(&out);
    proto_request_free(&r);

    /* A conversation's name decodes: the server answers `conversation`. */
    must_decode("{\"type\":\"mod.sanctions\",\"id\":\"1\",\"room\":\"~k3j9aa11\"}", &r);
    cr_expect_str_eq(r.u.room.room, "~k3j9aa11");
    proto_request_free(&r);

    refused("{\"type\":\"mod.sanctions\",\"id\":\"x\"}", "room", NULL);
    refused("{\"type\":\"mod.sanctions\",\"id\":\"x\",\"room\":null}", "room", NULL);
    refused("{\"type\":\"mod.sanctions\",\"id\":\"x\",\"room\":\"a b\"}", "room", NULL);
    refused("{\"type\":\"mod.sanctions\",\"id\":\"x\",\"room\":7}", "room", NULL);

    struct proto_request in = {.type = PROTO_REQ_MOD_SANCTIONS, .id = "2"};
    cr_expect_null(proto_request_encode(&in), "no room: nothing to send");
}

/* ------------------------------------------------------------- the result */

static const struct proto_sanction LIST[3] = {
    {.handle = "spammer", .kind = PROTO_SANCTION_MUTE, .ts = 1795000100000, .until = 0,
     .reason = NULL, .actor = NULL},
    {.handle = "troll", .kind = PROTO_SANCTION_BAN, .ts = 1795000300000, .until = 1795086700000,
     .reason = "Harassment \xf0\x9f\x8c\xb1", .actor = "hal"},
    {.handle = "troll", .kind = PROTO_SANCTION_MUTE, .ts = 1795000200000, .until = 1795003800000,
     .reason = "Spamming links", .actor = "mona"},
};

Test(mod_sanctions, result_round_trip)
{
    struct proto_result in = {.type = PROTO_REQ_MOD_SANCTIONS}, out;

    in.u.sanctions.sanctions = (struct proto_sanction *)LIST;
    in.u.sanctions.n = 3;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"sanctions\":["
                "{\"handle\":\"spammer\",\"kind\":\"mute\",\"ts\":1795000100000,\"until\":null,"
                "\"reason\":\"\",\"actor\":null},"
                "{\"handle\":\"troll\",\"kind\":\"ban\",\"ts\":1795000300000,"
                "\"until\":1795086700000,\"reason\":\"Harassment \xf0\x9f\x8c\xb1\","
                "\"actor\":\"hal\"},"
                "{\"handle\":\"troll\",\"kind\":\"mute\",\"ts\":1795000200000,"
                "\"until\":1795003800000,\"reason\":\"Spamming links\",\"actor\":\"mona\"}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.sanctions.n, 3);
    cr_expect_eq((void *)out.u.sanctions.sanctions, out._alloc, "released by free");
    cr_expect_str_eq(out.u.sanctions.sanctions[0].handle, "spammer", "order is kept");
    cr_expect_eq(out.u.sanctions.sanctions[0].until, 0, "null: until lifted");
    cr_expect_null(out.u.sanctions.sanctions[0].actor);
    cr_expect_str_eq(out.u.sanctions.sanctions[0].reason, "", "a NULL reason is sent as \"\"");
    cr_expect_eq(out.u.sanctions.sanctions[1].kind, PROTO_SANCTION_BAN);
    cr_expect_eq(out.u.sanctions.sanctions[1].until, 1795086700000);
    cr_expect_str_eq(out.u.sanctions.sanctions[1].actor, "hal");
    cr_expect_eq(out.u.sanctions.sanctions[2].kind, PROTO_SANCTION_MUTE);
    cr_expect_eq(out.u.sanctions.sanctions[2].ts, 1795000200000);
    proto_result_free(&out);

    in.u.sanctions.n = 0;
    in.u.sanctions.sanctions = NULL;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"sanctions\":[]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.sanctions.n, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
}

Test(mod_sanctions, result_encode_failures)
{
    struct proto_sanction x[1];
    struct proto_result in = {.type = PROTO_REQ_MOD_SANCTIONS};
    char *s;
    in.u.sanctions.sanctions = x;
    in.u.sanctions.n = 1;

    x[0] = LIST[1];
    x[0].handle = NULL;
    cr_expect_null(proto_result_encode("s", &in), "no handle");
    x[0] = LIST[1];
    x[0].kind = PROTO_SANCTION__COUNT;
    cr_expect_null(proto_result_encode("s", &in), "a kind that is neither");
    in.u.sanctions.sanctions = NULL;
    cr_expect_null(proto_result_encode("s", &in), "n 1 and no array");
    in.u.sanctions.sanctions = x;
    x[0] = LIST[1];
    s = proto_result_encode("s", &in);
    cr_expect_not_null(s, "the sanction itself encodes: the cases above fail for their one fault");
    free(s);
}

Test(mod_sanctions, result_decode_failures)
{
    static const char GOOD[] = "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":null,"
                               "\"reason\":\"\",\"actor\":\"a\"}";
    static const char *const bad[] = {
        "{\"kind\":\"ban\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":null,\"kind\":\"ban\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"kick\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"BAN\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":\"2\",\"until\":null,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":0,\"reason\":\"\",\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":null,\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":null,\"reason\":null,\"actor\":\"a\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":null,\"reason\":\"\"}",
        "{\"handle\":\"t\",\"kind\":\"ban\",\"ts\":2,\"until\":null,\"reason\":\"\",\"actor\":5}",
        "[]",
    };
    char buf[512];
    struct proto_result out;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* A good one first, so the array is allocated before the bad one is met. */
        snprintf(buf, sizeof buf, "{\"sanctions\":[%s,%s]}", GOOD, bad[i]);
        result_refused(PROTO_REQ_MOD_SANCTIONS, buf);
    }
    snprintf(buf, sizeof buf, "{\"sanctions\":[%s,%s]}", GOOD, GOOD);
    json_t *d = json_loads(buf, 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_MOD_SANCTIONS, d, &out), PROTO_OK,
                 "two good ones decode: the cases above fail for their one fault");
    cr_expect_eq(out.u.sanctions.n, 2);
    proto_result_free(&out);
    json_decref(d);

    result_refused(PROTO_REQ_MOD_SANCTIONS, "{}");
    result_refused(PROTO_REQ_MOD_SANCTIONS, "{\"sanctions\":null}");
    result_refused(PROTO_REQ_MOD_SANCTIONS, "{\"sanctions\":{}}");
}

Test(mod_sanctions, kind_names)
{
    enum proto_sanction_kind k;
    cr_expect_str_eq(proto_sanction_kind_name(PROTO_SANCTION_MUTE), "mute");
    cr_expect_str_eq(proto_sanction_kind_name(PROTO_SANCTION_BAN), "ban");
    cr_expect_null(proto_sanction_kind_name(PROTO_SANCTION__COUNT));
    cr_expect(proto_sanction_kind_parse("ban", &k) && k == PROTO_SANCTION_BAN);
    cr_expect_not(proto_sanction_kind_parse("remove", &k));
}
