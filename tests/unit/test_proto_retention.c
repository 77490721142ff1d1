/*
 * Room retention on the wire (PROTOCOL.md section 19): room.configure's
 * retention_days and ephemeral parts, decoded (bounds, null as absent, the
 * "at least one of" rule, the order of field errors) and encoded (has_*);
 * the room object's retention_days and ephemeral, always written, read as
 * 0 / false when absent or null, refused when malformed; a truncated
 * history page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define CONFIGURE "{\"type\":\"room.configure\",\"id\":\"k\",\"room\":\"circle\","
#define AT_LEAST_ONE                                                                      \
    "Give at least one of 'meeting', 'format', 'share_seconds', 'retention_days' or " \
    "'ephemeral'."
#define RETENTION_MSG "Field 'retention_days' must be an integer between 0 and 3650."
#define EPHEMERAL_MSG "Field 'ephemeral' must be true or false."

/* ------------------------------------------------------ room.configure in */

Test(retention_request, retention_days_bounds)
{
    static const struct {
        const char *value;
        bool ok;
        uint32_t want;
    } cases[] = {
        {"0", true, 0},         {"1", true, 1},         {"30", true, 30},
        {"3649", true, 3649},   {"3650", true, 3650},   {"3651", false, 0},
        {"-1", false, 0},       {"4294967296", false, 0}, {"4294967326", false, 0},
        {"30.0", false, 0},     {"1.5", false, 0},      {"\"30\"", false, 0},
        {"true", false, 0},     {"[]", false, 0},       {"{}", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[160];
        struct proto_request r;
        struct proto_decode_error e;

        snprintf(buf, sizeof buf, CONFIGURE "\"retention_days\":%s}", cases[i].value);
        if (cases[i].ok) {
            must_decode(buf, &r);
            cr_expect(r.u.configure.has_retention, "case %zu", i);
            cr_expect_eq(r.u.configure.retention_days, cases[i].want, "case %zu", i);
            cr_expect_not(r.u.configure.has_ephemeral, "case %zu", i);
            cr_expect_not(r.u.configure.has_meeting, "case %zu", i);
            cr_expect_not(r.u.configure.has_share, "case %zu", i);
            cr_expect_null(r.u.configure.format, "case %zu", i);
            proto_request_free(&r);
        } else {
            cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "case %zu", i);
            cr_expect_str_eq(e.message, RETENTION_MSG, "case %zu", i);
            cr_expect_str_eq(e.id, "k", "case %zu", i);
        }
    }
}

Test(retention_request, ephemeral_is_a_boolean)
{
    static const char *const bad[] = {"\"true\"", "\"false\"", "1", "0", "[]", "{}", "\"\""};
    struct proto_request r;
    struct proto_decode_error e;

    must_decode(CONFIGURE "\"ephemeral\":true}", &r);
    cr_expect(r.u.configure.has_ephemeral);
    cr_expect(r.u.configure.ephemeral);
    cr_expect_not(r.u.configure.has_retention);
    proto_request_free(&r);

    must_decode(CONFIGURE "\"ephemeral\":false}", &r);
    cr_expect(r.u.configure.has_ephemeral, "false is given, not absent");
    cr_expect_not(r.u.configure.ephemeral);
    proto_request_free(&r);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[160];
        snprintf(buf, sizeof buf, CONFIGURE "\"ephemeral\":%s}", bad[i]);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "case %zu", i);
        cr_expect_str_eq(e.message, EPHEMERAL_MSG, "case %zu", i);
        cr_expect_str_eq(e.id, "k", "case %zu", i);
    }
}

Test(retention_request, all_five_parts)
{
    struct proto_request r;
    must_decode("{\"type\":\"room.configure\",\"id\":\"k\",\"room\":\"Circle\",\"meeting\":true,"
                "\"format\":\"Stays here \xf0\x9f\x8c\xb1\",\"share_seconds\":300,"
                "\"retention_days\":7,\"ephemeral\":true,\"colour\":\"red\"}", &r);
    cr_expect_str_eq(r.u.configure.room, "circle");
    cr_expect(r.u.configure.has_meeting && r.u.configure.meeting);
    cr_expect_str_eq(r.u.configure.format, "Stays here \xf0\x9f\x8c\xb1");
    cr_expect(r.u.configure.has_share);
    cr_expect_eq(r.u.configure.share_seconds, 300);
    cr_expect(r.u.configure.has_retention);
    cr_expect_eq(r.u.configure.retention_days, 7);
    cr_expect(r.u.configure.has_ephemeral && r.u.configure.ephemeral);
    /* Re-encoding gives the frame back, folded, without the unknown member. */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"k\",\"room\":\"circle\",\"meeting\":true,"
                "\"format\":\"Stays here \xf0\x9f\x8c\xb1\",\"share_seconds\":300,"
                "\"retention_days\":7,\"ephemeral\":true}");
    proto_request_free(&r);
}

Test(retention_request, null_is_absent)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode(CONFIGURE "\"retention_days\":null,\"ephemeral\":true}", &r);
    cr_expect_not(r.u.configure.has_retention, "null is absent");
    cr_expect_eq(r.u.configure.retention_days, 0);
    cr_expect(r.u.configure.has_ephemeral);
    proto_request_free(&r);

    must_decode(CONFIGURE "\"retention_days\":0,\"ephemeral\":null}", &r);
    cr_expect(r.u.configure.has_retention, "0 is given: keep messages");
    cr_expect_not(r.u.configure.has_ephemeral, "null is absent");
    cr_expect_not(r.u.configure.ephemeral);
    proto_request_free(&r);

    cr_expect_eq(must_fail(CONFIGURE "\"meeting\":null,\"format\":null,\"share_seconds\":null,"
                                     "\"retention_days\":null,\"ephemeral\":null}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, AT_LEAST_ONE);
    cr_expect_str_eq(e.id, "k");
}

Test(retention_request, each_part_is_enough)
{
    static const char *const parts[] = {"\"meeting\":false", "\"format\":\"\"",
                                        "\"share_seconds\":60", "\"retention_days\":0",
                                        "\"ephemeral\":false"};
    struct proto_request r;
    struct proto_decode_error e;

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char buf[160];
        snprintf(buf, sizeof buf, CONFIGURE "%s}", parts[i]);
        must_decode(buf, &r);
        proto_request_free(&r);
    }
    cr_expect_eq(must_fail(CONFIGURE "\"colour\":\"red\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, AT_LEAST_ONE);
}

Test(retention_request, order_of_field_errors)
{
    struct proto_decode_error e;

    /* room, meeting, format, share_seconds, retention_days, ephemeral: the first bad one. */
    must_fail("{\"type\":\"room.configure\",\"id\":\"k\",\"room\":\"c\",\"retention_days\":-1}", &e);
    cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    must_fail(CONFIGURE "\"meeting\":1,\"retention_days\":-1}", &e);
    cr_expect(strstr(e.message, "'meeting'"), "%s", e.message);
    must_fail(CONFIGURE "\"share_seconds\":59,\"retention_days\":3651,\"ephemeral\":1}", &e);
    cr_expect(strstr(e.message, "'share_seconds'"), "%s", e.message);
    must_fail(CONFIGURE "\"retention_days\":3651,\"ephemeral\":1}", &e);
    cr_expect_str_eq(e.message, RETENTION_MSG);
    must_fail(CONFIGURE "\"retention_days\":30,\"ephemeral\":1}", &e);
    cr_expect_str_eq(e.message, EPHEMERAL_MSG);
}

/* ----------------------------------------------------- room.configure out */

Test(retention_request, encode_optional_parts)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_CONFIGURE, .id = "c"}, back;

    r.u.configure.room = "circle";
    r.u.configure.has_retention = true;
    r.u.configure.retention_days = 0;
    r.u.configure.ephemeral = true;   /* ignored: has_ephemeral is false */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"retention_days\":0}");

    r.u.configure.has_retention = false;
    r.u.configure.retention_days = 30;   /* ignored: has_retention is false */
    r.u.configure.has_ephemeral = true;
    r.u.configure.ephemeral = false;
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"ephemeral\":false}");

    r.u.configure.has_retention = true;
    r.u.configure.retention_days = 3650;
    r.u.configure.ephemeral = true;
    r.u.configure.has_share = true;
    r.u.configure.share_seconds = 120;
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"share_seconds\":120,"
                "\"retention_days\":3650,\"ephemeral\":true}");

    /* What the encoder writes, the decoder reads back the same. */
    {
        char *s = proto_request_encode(&r);
        cr_assert_not_null(s);
        must_decode(s, &back);
        cr_expect(back.u.configure.has_retention);
        cr_expect_eq(back.u.configure.retention_days, 3650);
        cr_expect(back.u.configure.has_ephemeral && back.u.configure.ephemeral);
        cr_expect(back.u.configure.has_share);
        cr_expect_not(back.u.configure.has_meeting);
        proto_request_free(&back);
        free(s);
    }
}

/* ------------------------------------------------------------ room object */

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
    cr_assert_eq(proto_result_decode(res->type, json_object_get(v, "data"), out), PROTO_OK, "%s", s);
    json_decref(v);
    free(s);
}

static struct proto_room sample_room(void)
{
    return (struct proto_room){.room = "circle", .title = "Circle", .topic = "",
                               .visibility = PROTO_VIS_INVITE, .members = 6, .present = 4,
                               .last_seq = 87, .joined = true, .meeting = true,
                               .role = PROTO_RROLE_HOST};
}

Test(retention_room, always_written)
{
    struct proto_result in = {.type = PROTO_REQ_ROOM_CONFIGURE};

    in.u.configure.room = sample_room();
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"room\":{\"room\":\"circle\","
                "\"title\":\"Circle\",\"topic\":\"\",\"visibility\":\"invite\",\"members\":6,"
                "\"present\":4,\"last_seq\":87,\"joined\":true,\"meeting\":true,\"role\":\"host\","
                "\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,\"newcomer_seconds\":0,"
                "\"retention_days\":0,\"ephemeral\":false}}}");

    in.u.configure.room.retention_days = 30;
    in.u.configure.room.ephemeral = true;
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"room\":{\"room\":\"circle\","
                "\"title\":\"Circle\",\"topic\":\"\",\"visibility\":\"invite\",\"members\":6,"
                "\"present\":4,\"last_seq\":87,\"joined\":true,\"meeting\":true,\"role\":\"host\","
                "\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,\"newcomer_seconds\":0,"
                "\"retention_days\":30,\"ephemeral\":true}}}");
}

Test(retention_room, round_trip_in_every_result)
{
    struct proto_room rooms[2] = {sample_room(), sample_room()};
    struct proto_member me = {"alice", PROTO_STATUS_AVAILABLE, PROTO_RROLE_HOST};
    struct proto_result in, out;

    rooms[0].retention_days = 3650;
    rooms[1].room = "porch";
    rooms[1].ephemeral = true;

    in = (struct proto_result){.type = PROTO_REQ_ROOM_CREATE};
    in.u.create.room = rooms[0];
    round_trip(&in, &out);
    cr_expect_eq(out.u.create.room.retention_days, 3650);
    cr_expect_not(out.u.create.room.ephemeral);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_JOIN};
    in.u.join.room = rooms[1];
    in.u.join.members = &me;
    in.u.join.n = 1;
    round_trip(&in, &out);
    cr_expect_eq(out.u.join.room.retention_days, 0);
    cr_expect(out.u.join.room.ephemeral);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_CONFIGURE};
    in.u.configure.room = rooms[1];
    in.u.configure.room.retention_days = 1;
    round_trip(&in, &out);
    cr_expect_eq(out.u.configure.room.retention_days, 1);
    cr_expect(out.u.configure.room.ephemeral);
    proto_result_free(&out);

    in = (struct proto_result){.type = PROTO_REQ_ROOM_LIST};
    in.u.list.rooms = rooms;
    in.u.list.n = 2;
    round_trip(&in, &out);
    cr_assert_eq(out.u.list.n, 2);
    cr_expect_eq(out.u.list.rooms[0].retention_days, 3650);
    cr_expect_not(out.u.list.rooms[0].ephemeral);
    cr_expect_eq(out.u.list.rooms[1].retention_days, 0);
    cr_expect(out.u.list.rooms[1].ephemeral);
    proto_result_free(&out);
}

#define ROOM_HEAD                                                                         \
    "{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\",\"visibility\":\"open\"," \
    "\"members\":1,\"present\":1,\"last_seq\":0,\"joined\":true"

Test(retention_room, absent_or_null_reads_as_off)
{
    static const char *const tails[] = {"", ",\"retention_days\":null,\"ephemeral\":null",
                                        ",\"retention_days\":null", ",\"ephemeral\":null"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char buf[320];
        struct proto_result out;
        json_t *d;

        snprintf(buf, sizeof buf, ROOM_HEAD "%s}}", tails[i]);
        d = json_loads(buf, 0, NULL);
        cr_assert(d, "case %zu", i);
        memset(&out, 0x5A, sizeof out);
        cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_CREATE, d, &out), PROTO_OK, "case %zu", i);
        cr_expect_eq(out.u.create.room.retention_days, 0, "case %zu", i);
        cr_expect_not(out.u.create.room.ephemeral, "case %zu", i);
        proto_result_free(&out);
        json_decref(d);
    }
}

Test(retention_room, malformed_is_refused)
{
    static const char *const bad[] = {
        "\"retention_days\":-1", "\"retention_days\":1.5", "\"retention_days\":\"30\"",
        "\"retention_days\":true", "\"retention_days\":4294967296", "\"ephemeral\":\"yes\"",
        "\"ephemeral\":1", "\"ephemeral\":0", "\"ephemeral\":[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[320];
        struct proto_result out;
        json_t *d;

        snprintf(buf, sizeof buf, ROOM_HEAD ",%s}}", bad[i]);
        d = json_loads(buf, 0, NULL);
        cr_assert(d, "case %zu: %s", i, buf);
        cr_expect_eq(proto_result_decode(PROTO_REQ_ROOM_CREATE, d, &out), PROTO_E_INVALID_FIELD,
                     "case %zu: %s", i, bad[i]);
        cr_expect_null(out._root, "case %zu", i);
        cr_expect_null(out._alloc, "case %zu", i);
        cr_expect_eq(d->refcount, 1, "case %zu", i);
        json_decref(d);
    }
}

/* ------------------------------------------------------- history with holes */

Test(retention_history, truncated_page)
{
    struct proto_room_event evs[2] = {
        {.kind = PROTO_EV_JOINED, .room = "circle", .seq = 3, .ts = 1795000003000, .handle = "bob"},
        {.kind = PROTO_EV_MESSAGE, .room = "circle", .seq = 12, .ts = 1795000012000,
         .handle = "alice", .text = "still here", .cid = "a-3"}};
    struct proto_result in = {.type = PROTO_REQ_ROOM_HISTORY}, out;

    in.u.history.events = evs;
    in.u.history.n = 2;
    in.u.history.truncated = true;
    round_trip(&in, &out);
    cr_assert_eq(out.u.history.n, 2);
    cr_expect_eq(out.u.history.events[0].seq, 3);
    cr_expect_eq(out.u.history.events[1].seq, 12, "the hole between is kept as it is");
    cr_expect(out.u.history.truncated);
    cr_expect_not(out.u.history.has_more);
    proto_result_free(&out);
}
