/*
 * Weekly schedules, coming meetings, invite lifetimes and lists, and the
 * server-wide audit log in the codec (PROTOCOL.md sections 5.14, 5.33, 5.44
 * to 5.47, 14.9 and 15.8): the new names and every new or changed request
 * (decoded values, defaults, refusals that name the field, encoding, round
 * trips), beyond what the golden vectors check. Their results are in
 * test_proto_schedule_results.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

/* The start of a meeting.schedule request with id "x" for room "circle",
 * up to its slots. */
#define SCHED "{\"type\":\"meeting.schedule\",\"id\":\"x\",\"room\":\"circle\",\"slots\":"
/* A good slot: Monday and Wednesday, 19:00 New York time, for an hour. */
#define NY "{\"days\":[\"mon\",\"wed\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"America/New_York\"}"
#define MON (1u << PROTO_MON)
#define WED (1u << PROTO_WED)
#define TZ_64 "America/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define TZ_65 TZ_64 "A"

/* ------------------------------------------------------------------ names */

Test(schedule_names, requests_and_the_error)
{
    static const struct { enum proto_req_type t; const char *name; } want[] = {
        {PROTO_REQ_MEETING_SCHEDULE, "meeting.schedule"},
        {PROTO_REQ_MEETING_UPCOMING, "meeting.upcoming"},
        {PROTO_REQ_ROOM_INVITES, "room.invites"},
        {PROTO_REQ_ROOM_INVITE_REVOKE, "room.invite_revoke"},
    };
    enum proto_err e = PROTO_E_INTERNAL;

    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        enum proto_req_type t = PROTO_REQ_PING;
        cr_expect_str_eq(proto_req_name(want[i].t), want[i].name);
        cr_expect(proto_req_parse(want[i].name, &t), "%s", want[i].name);
        cr_expect_eq(t, want[i].t, "%s", want[i].name);
        cr_expect_not(proto_req_allowed_unauthenticated(want[i].t), "%s", want[i].name);
    }
    /* Their numbers stay (buddies and matching came after them). */
    cr_expect_eq(PROTO_REQ_ROOM_INVITE_REVOKE + 1, PROTO_REQ_BUDDY_REQUEST);

    cr_expect_str_eq(proto_err_code(PROTO_E_UNKNOWN_TIME_ZONE), "unknown_time_zone");
    cr_expect_str_eq(proto_err_sentence(PROTO_E_UNKNOWN_TIME_ZONE),
                     "That time zone is not one the server knows; use a name such as "
                     "'Europe/London' or 'America/New_York'.");
    cr_expect(proto_err_parse("unknown_time_zone", &e));
    cr_expect_eq(e, PROTO_E_UNKNOWN_TIME_ZONE);
    cr_expect_eq(PROTO_E_UNKNOWN_TIME_ZONE + 1, PROTO_E_ALREADY_BUDDIES);
}

/* ------------------------------------------------------------ room.invite */

Test(invite_request, members_and_defaults)
{
    struct proto_request r;

    must_decode("{\"type\":\"room.invite\",\"id\":\"1\",\"room\":\"Evening-Circle\"}", &r);
    cr_expect_str_eq(r.u.invite.room, "evening-circle");
    cr_expect_eq(r.u.invite.hours, 168, "a week unless asked otherwise");
    cr_expect_eq(r.u.invite.uses, 0, "0: without limit");
    cr_expect_null(r.u.invite.code);
    /* room.invite's room is where the other room requests have theirs. */
    cr_expect_eq(offsetof(struct proto_request, u.invite.room),
                 offsetof(struct proto_request, u.room.room));
    cr_expect_str_eq(r.u.room.room, "evening-circle");
    proto_request_free(&r);

    must_decode("{\"type\":\"room.invite\",\"id\":\"1\",\"room\":\"circle\",\"hours\":24,"
                "\"uses\":10}", &r);
    cr_expect_eq(r.u.invite.hours, 24);
    cr_expect_eq(r.u.invite.uses, 10);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.invite\",\"id\":\"1\",\"room\":\"circle\",\"hours\":null,"
                "\"uses\":null}", &r);
    cr_expect_eq(r.u.invite.hours, 168);
    cr_expect_eq(r.u.invite.uses, 0);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.invite\",\"id\":\"1\",\"room\":\"circle\",\"hours\":1,"
                "\"uses\":1}", &r);
    cr_expect_eq(r.u.invite.hours, 1);
    cr_expect_eq(r.u.invite.uses, 1);
    proto_request_free(&r);
    must_decode("{\"type\":\"room.invite\",\"id\":\"1\",\"room\":\"circle\",\"hours\":720,"
                "\"uses\":1000}", &r);
    cr_expect_eq(r.u.invite.hours, 720);
    cr_expect_eq(r.u.invite.uses, 1000);
    proto_request_free(&r);
}

Test(invite_request, refusals)
{
#define INV "{\"type\":\"room.invite\",\"id\":\"x\",\"room\":\"circle\","
    static const char *const hours[] = {"0", "721", "-1", "4294967320", "24.0", "\"24\"", "true"};
    static const char *const uses[] = {"0", "1001", "-1", "4294967297", "5.0", "\"5\"", "[]"};
    char buf[160];

    for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++) {
        snprintf(buf, sizeof buf, INV "\"hours\":%s}", hours[i]);
        refused(buf, "hours", "between 1 and 720");
    }
    for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
        snprintf(buf, sizeof buf, INV "\"uses\":%s}", uses[i]);
        refused(buf, "uses", "between 1 and 1000");
    }
    /* room, then hours, then uses. */
    refused("{\"type\":\"room.invite\",\"id\":\"x\",\"room\":\"a b\",\"hours\":0}", "room", NULL);
    refused(INV "\"uses\":0,\"hours\":0}", "hours", NULL);
#undef INV
}

Test(invite_request, encode)
{
    struct proto_request in = {.type = PROTO_REQ_ROOM_INVITE, .id = "7"}, out;
    char *s;

    /* Unset hours and uses are not written: the server's week, no limit. */
    in.u.invite.room = "circle";
    expect_json(proto_request_encode(&in),
                "{\"type\":\"room.invite\",\"id\":\"7\",\"room\":\"circle\"}");
    /* A room set through u.room (the same place) encodes the same. */
    in.u.room.room = "circle";
    expect_json(proto_request_encode(&in),
                "{\"type\":\"room.invite\",\"id\":\"7\",\"room\":\"circle\"}");

    in.u.invite.hours = 24;
    in.u.invite.uses = 10;
    in.u.invite.code = "ignored";   /* room.invite_revoke's member */
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"room.invite\",\"id\":\"7\",\"room\":\"circle\",\"hours\":24,"
                        "\"uses\":10}");
    cr_expect_eq(out.u.invite.hours, 24);
    cr_expect_eq(out.u.invite.uses, 10);
    free(s);
    proto_request_free(&out);

    in.u.invite.hours = 721;
    cr_expect_null(proto_request_encode(&in), "hours 721");
    in.u.invite.hours = 720;
    in.u.invite.uses = 1001;
    cr_expect_null(proto_request_encode(&in), "uses 1001");
    in.u.invite.uses = 1000;
    in.u.invite.room = NULL;
    cr_expect_null(proto_request_encode(&in), "no room");
}

/* ------------------------------------------------- room.invites, revoke */

Test(invite_request, list_and_revoke)
{
    struct proto_request r, in = {.type = PROTO_REQ_ROOM_INVITES, .id = "l"}, out;
    char *s;

    must_decode("{\"type\":\"room.invites\",\"id\":\"l\",\"room\":\"CIRCLE\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_INVITES);
    cr_expect_str_eq(r.u.room.room, "circle");
    proto_request_free(&r);
    refused("{\"type\":\"room.invites\",\"id\":\"x\"}", "room", "required");
    in.u.room.room = "circle";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"room.invites\",\"id\":\"l\",\"room\":\"circle\"}");
    free(s);
    proto_request_free(&out);

    must_decode("{\"type\":\"room.invite_revoke\",\"id\":\"v\",\"room\":\"Circle\","
                "\"code\":\"k3J9-AA\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_INVITE_REVOKE);
    cr_expect_str_eq(r.u.invite.room, "circle");
    cr_expect_str_eq(r.u.invite.code, "k3J9-AA", "a code is not folded");
    cr_expect_eq(r.u.invite.hours, 0);
    cr_expect_eq(r.u.invite.uses, 0);
    proto_request_free(&r);

    in = (struct proto_request){.type = PROTO_REQ_ROOM_INVITE_REVOKE, .id = "v"};
    in.u.invite.room = "circle";
    in.u.invite.code = "k3J9-aa";
    in.u.invite.hours = 5;   /* room.invite's members are not written */
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"room.invite_revoke\",\"id\":\"v\",\"room\":\"circle\","
                        "\"code\":\"k3J9-aa\"}");
    cr_expect_str_eq(out.u.invite.code, "k3J9-aa");
    free(s);
    proto_request_free(&out);
    in.u.invite.code = NULL;
    cr_expect_null(proto_request_encode(&in), "no code");
}

static const char *revoke_code(const struct proto_request *r) { return r->u.invite.code; }

Test(invite_request, revoke_code_bounds)
{
#define REV "{\"type\":\"room.invite_revoke\",\"id\":\"x\",\"room\":\"circle\""
    /* 64 bytes, not characters: 16 four-byte characters fit, 17 do not. */
    static const struct string_bound code = {
        .head = REV ",\"code\":\"", .field = "code", .id = "x", .max = 16,
        .err = PROTO_E_INVALID_FIELD, .value = revoke_code};
    expect_string_bound(&code, "\xf0\x9f\x8c\xb1");
    refused(REV ",\"code\":\"\"}", "code", "between 1 and 64 bytes");
    refused(REV "}", "code", "required");
    refused(REV ",\"code\":null}", "code", "required");
    refused(REV ",\"code\":42}", "code", "string");
    refused("{\"type\":\"room.invite_revoke\",\"id\":\"x\",\"code\":\"\"}", "room", "required");
#undef REV
}

/* ---------------------------------------------------------------- mod.log */

Test(modlog_request, server_wide)
{
    struct proto_request r, in = {.type = PROTO_REQ_MOD_LOG, .id = "a"}, out;
    char *s;

    must_decode("{\"type\":\"mod.log\",\"id\":\"a\"}", &r);
    cr_expect_null(r.u.modlog.room, "no room: the server-wide log");
    cr_expect_eq(r.u.modlog.limit, 50);
    proto_request_free(&r);
    must_decode("{\"type\":\"mod.log\",\"id\":\"a\",\"room\":null,\"before\":9}", &r);
    cr_expect_null(r.u.modlog.room);
    cr_expect_eq(r.u.modlog.before, 9);
    proto_request_free(&r);
    refused("{\"type\":\"mod.log\",\"id\":\"x\",\"room\":\"a b\"}", "room", NULL);
    refused("{\"type\":\"mod.log\",\"id\":\"x\",\"room\":false}", "room", NULL);

    in.u.modlog.limit = 100;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"mod.log\",\"id\":\"a\",\"limit\":100}");
    cr_expect_null(out.u.modlog.room);
    free(s);
    proto_request_free(&out);
}

/* ------------------------------------------------------- meeting.schedule */

Test(schedule_request, read_and_clear)
{
    struct proto_request r;

    must_decode("{\"type\":\"meeting.schedule\",\"id\":\"x\",\"room\":\"Circle\"}", &r);
    cr_expect_str_eq(r.u.schedule.room, "circle");
    cr_expect_not(r.u.schedule.has_slots, "no slots: a read");
    cr_expect_null(r.u.schedule.slots);
    cr_expect_eq(r.u.schedule.n, 0);
    cr_expect_null(r._alloc);
    proto_request_free(&r);

    must_decode(SCHED "null}", &r);
    cr_expect_not(r.u.schedule.has_slots, "null slots: a read too");
    proto_request_free(&r);

    must_decode(SCHED "[]}", &r);
    cr_expect(r.u.schedule.has_slots, "[]: clear the schedule");
    cr_expect_null(r.u.schedule.slots);
    cr_expect_eq(r.u.schedule.n, 0);
    cr_expect_null(r._alloc);
    proto_request_free(&r);
}

Test(schedule_request, slots)
{
    struct proto_request r, *copy;

    must_decode(SCHED "[" NY ",{\"tz\":\"Europe/London\",\"minutes\":90,\"start\":\"09:30\","
                "\"days\":[\"sun\",\"sat\"],\"title\":\"ignored\"}]}", &r);
    cr_expect(r.u.schedule.has_slots);
    cr_assert_eq(r.u.schedule.n, 2);
    cr_assert_not_null(r.u.schedule.slots);
    cr_expect_eq((void *)r.u.schedule.slots, r._alloc, "freed with the request");
    cr_expect_eq(r.u.schedule.slots[0].days, MON | WED);
    cr_expect_eq(r.u.schedule.slots[0].start_minute, 19 * 60);
    cr_expect_eq(r.u.schedule.slots[0].minutes, 60);
    cr_expect_str_eq(r.u.schedule.slots[0].tz, "America/New_York");
    cr_expect_eq(r.u.schedule.slots[1].days, (1u << PROTO_SAT) | (1u << PROTO_SUN));
    cr_expect_eq(r.u.schedule.slots[1].start_minute, 9 * 60 + 30);
    cr_expect_eq(r.u.schedule.slots[1].minutes, 90);
    cr_expect_str_eq(r.u.schedule.slots[1].tz, "Europe/London");

    /* The server copies requests into work items: the copy owns the slots. */
    copy = malloc(sizeof *copy);
    cr_assert_not_null(copy);
    *copy = r;
    memset(&r, 0x5A, sizeof r);
    cr_expect_str_eq(copy->u.schedule.slots[1].tz, "Europe/London");
    proto_request_free(copy);
    cr_expect_null(copy->_alloc);
    free(copy);
}

Test(schedule_request, slot_bounds)
{
    struct proto_request r;
    char buf[2048];

    must_decode(SCHED "[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
                "\"start\":\"00:00\",\"minutes\":5,\"tz\":\"Z\"},"
                "{\"days\":[\"thu\"],\"start\":\"23:59\",\"minutes\":720,\"tz\":\"" TZ_64 "\"},"
                "{\"days\":[\"fri\"],\"start\":\"12:00\",\"minutes\":45,"
                "\"tz\":\"America/Argentina/Buenos_Aires\"},"
                "{\"days\":[\"sat\"],\"start\":\"12:00\",\"minutes\":45,\"tz\":\"Etc/GMT+5\"}]}",
                &r);
    cr_assert_eq(r.u.schedule.n, 4);
    cr_expect_eq(r.u.schedule.slots[0].days, 0x7F);
    cr_expect_eq(r.u.schedule.slots[0].start_minute, 0);
    cr_expect_eq(r.u.schedule.slots[0].minutes, 5);
    cr_expect_str_eq(r.u.schedule.slots[0].tz, "Z");
    cr_expect_eq(r.u.schedule.slots[1].days, 1u << PROTO_THU);
    cr_expect_eq(r.u.schedule.slots[1].start_minute, 1439);
    cr_expect_eq(r.u.schedule.slots[1].minutes, 720);
    cr_expect_eq(strlen(r.u.schedule.slots[1].tz), 64);
    cr_expect_str_eq(r.u.schedule.slots[3].tz, "Etc/GMT+5");
    proto_request_free(&r);

    /* 14 slots are the most; a 15th is refused, naming slots. */
    strcpy(buf, SCHED "[" NY);
    for (int i = 1; i < PROTO_SLOTS_MAX; i++)
        strcat(buf, "," NY);
    strcat(buf, "]}");
    must_decode(buf, &r);
    cr_expect_eq(r.u.schedule.n, 14);
    proto_request_free(&r);
    buf[strlen(buf) - 2] = '\0';
    strcat(buf, "," NY "]}");
    refused(buf, "slots", "at most 14");
}

Test(schedule_request, refusals_name_the_member_and_the_slot)
{
    static const struct { const char *slot, *field, *also; } cases[] = {
        /* days */
        {"{\"days\":[\"monday\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":[\"Mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":[\"mon\",\"wed\",\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}",
         "days", "different"},
        {"{\"days\":[],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", "one or more"},
        {"{\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":null,\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":\"mon\",\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":[0],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":[\"mon\",null],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        {"{\"days\":[\"\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\"}", "days", NULL},
        /* start */
        {"{\"days\":[\"mon\"],\"start\":\"7:00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", "HH:MM"},
        {"{\"days\":[\"mon\"],\"start\":\"24:00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", "23:59"},
        {"{\"days\":[\"mon\"],\"start\":\"19:60\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"99:99\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00:00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19.00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\" 9:00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"+9:00\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"1900\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"\",\"minutes\":60,\"tz\":\"UTC\"}", "start", NULL},
        {"{\"days\":[\"mon\"],\"start\":1140,\"minutes\":60,\"tz\":\"UTC\"}", "start", "string"},
        {"{\"days\":[\"mon\"],\"minutes\":60,\"tz\":\"UTC\"}", "start", "required"},
        /* minutes */
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":4,\"tz\":\"UTC\"}", "minutes",
         "between 5 and 720"},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":721,\"tz\":\"UTC\"}", "minutes", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":65596,\"tz\":\"UTC\"}", "minutes",
         NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60.0,\"tz\":\"UTC\"}", "minutes", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":\"60\",\"tz\":\"UTC\"}", "minutes",
         NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"tz\":\"UTC\"}", "minutes", "required"},
        /* tz */
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"America/New York\"}",
         "tz", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"" TZ_65 "\"}", "tz",
         "64 bytes"},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"\"}", "tz", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"../etc/passwd\"}", "tz",
         NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"Europe/Z\xc3\xbcrich\"}",
         "tz", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"UTC\\n\"}", "tz", NULL},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":-5}", "tz", "string"},
        {"{\"days\":[\"mon\"],\"start\":\"19:00\",\"minutes\":60}", "tz", "required"},
        /* the members are checked days, start, minutes, tz */
        {"{\"tz\":\"\",\"minutes\":0,\"start\":\"25:00\",\"days\":[]}", "days", NULL},
        {"{\"tz\":\"\",\"minutes\":0,\"start\":\"25:00\",\"days\":[\"sun\"]}", "start", NULL},
        {"{\"tz\":\"\",\"minutes\":0,\"start\":\"05:00\",\"days\":[\"sun\"]}", "minutes", NULL},
    };
    char buf[512];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* alone, it is slot 1; after a good slot, slot 2 (the first is released) */
        snprintf(buf, sizeof buf, SCHED "[%s]}", cases[i].slot);
        refused(buf, cases[i].field, cases[i].also);
        refused(buf, cases[i].field, "(slot 1).");
        snprintf(buf, sizeof buf, SCHED "[" NY ",%s]}", cases[i].slot);
        refused(buf, cases[i].field, "(slot 2).");
    }
}

Test(schedule_request, refusals_of_the_array_and_the_room)
{
    static const char *const bad[] = {"{}", "\"mon 19:00\"", "7", "true", "[\"mon\"]", "[null]",
                                      "[" NY ",[]]", "[" NY "," NY ",7]"};
    char buf[512];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, SCHED "%s}", bad[i]);
        refused(buf, "slots", "slot objects");
    }
    /* The room comes first. */
    refused("{\"type\":\"meeting.schedule\",\"id\":\"x\",\"slots\":[]}", "room", "required");
    refused("{\"type\":\"meeting.schedule\",\"id\":\"x\",\"room\":\"a b\",\"slots\":7}", "room",
            NULL);
}

Test(schedule_request, encode)
{
    struct proto_slot slots[] = {
        {.days = (1u << PROTO_SUN) | MON | (1u << PROTO_FRI), .start_minute = 7 * 60 + 5,
         .minutes = 30, .tz = "Asia/Kolkata"},
        {.days = 0x7F, .start_minute = 1439, .minutes = 720, .tz = TZ_64},
        {.days = WED, .start_minute = 0, .minutes = 5, .tz = "Z"},
    };
    struct proto_request in = {.type = PROTO_REQ_MEETING_SCHEDULE, .id = "s"}, out;
    char *s;

    in.u.schedule.room = "circle";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.schedule\",\"id\":\"s\",\"room\":\"circle\"}");
    cr_expect_not(out.u.schedule.has_slots);
    free(s);
    proto_request_free(&out);

    in.u.schedule.has_slots = true;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.schedule\",\"id\":\"s\",\"room\":\"circle\","
                        "\"slots\":[]}");
    cr_expect(out.u.schedule.has_slots);
    free(s);
    proto_request_free(&out);

    in.u.schedule.slots = slots;
    in.u.schedule.n = 3;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.schedule\",\"id\":\"s\",\"room\":\"circle\",\"slots\":["
                        "{\"days\":[\"mon\",\"fri\",\"sun\"],\"start\":\"07:05\",\"minutes\":30,"
                        "\"tz\":\"Asia/Kolkata\"},"
                        "{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],"
                        "\"start\":\"23:59\",\"minutes\":720,\"tz\":\"" TZ_64 "\"},"
                        "{\"days\":[\"wed\"],\"start\":\"00:00\",\"minutes\":5,\"tz\":\"Z\"}]}");
    cr_assert_eq(out.u.schedule.n, 3);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(out.u.schedule.slots[i].days, slots[i].days, "slot %zu", i);
        cr_expect_eq(out.u.schedule.slots[i].start_minute, slots[i].start_minute, "slot %zu", i);
        cr_expect_eq(out.u.schedule.slots[i].minutes, slots[i].minutes, "slot %zu", i);
        cr_expect_str_eq(out.u.schedule.slots[i].tz, slots[i].tz, "slot %zu", i);
    }
    free(s);
    proto_request_free(&out);
}

/* A slot that breaks a rule is refused by the encoders of the request and of
 * the result alike. */
static void slot_refused(struct proto_slot bad, const char *what)
{
    struct proto_slot slots[] = {{.days = MON, .start_minute = 60, .minutes = 60, .tz = "UTC"}, bad};
    struct proto_request req = {.type = PROTO_REQ_MEETING_SCHEDULE, .id = "e"};
    struct proto_result res = {.type = PROTO_REQ_MEETING_SCHEDULE};

    req.u.schedule.room = "circle";
    req.u.schedule.has_slots = true;
    req.u.schedule.slots = slots;
    req.u.schedule.n = 2;
    cr_expect_null(proto_request_encode(&req), "request: %s", what);
    res.u.schedule.room = "circle";
    res.u.schedule.slots = slots;
    res.u.schedule.n = 2;
    cr_expect_null(proto_result_encode("e", &res), "result: %s", what);
}

Test(schedule_request, encoders_refuse_bad_slots)
{
#define GOOD .start_minute = 1140, .minutes = 60
    static const struct { struct proto_slot slot; const char *what; } bad[] = {
        {{.days = 0, GOOD, .tz = "UTC"}, "no day"},
        {{.days = 0x80, GOOD, .tz = "UTC"}, "a day past Sunday"},
        {{.days = 0xFF, GOOD, .tz = "UTC"}, "every bit"},
        {{.days = WED, .start_minute = 1440, .minutes = 60, .tz = "UTC"}, "24:00"},
        {{.days = WED, .start_minute = 1140, .minutes = 4, .tz = "UTC"}, "4 minutes"},
        {{.days = WED, .start_minute = 1140, .minutes = 721, .tz = "UTC"}, "721 minutes"},
        {{.days = WED, GOOD, .tz = NULL}, "no zone"},
        {{.days = WED, GOOD, .tz = ""}, "an empty zone"},
        {{.days = WED, GOOD, .tz = "America/New York"}, "a zone with a space"},
        {{.days = WED, GOOD, .tz = TZ_65}, "a zone of 65 bytes"},
    };
#undef GOOD
    const struct proto_slot good = {.days = WED, .start_minute = 1140, .minutes = 60,
                                     .tz = "America/New_York"};
    struct proto_slot many[PROTO_SLOTS_MAX + 1];
    struct proto_request req = {.type = PROTO_REQ_MEETING_SCHEDULE, .id = "e"};
    char *enc;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        slot_refused(bad[i].slot, bad[i].what);

    /* 15 slots, and n slots with no array. */
    for (size_t i = 0; i < sizeof many / sizeof many[0]; i++)
        many[i] = good;
    req.u.schedule.room = "circle";
    req.u.schedule.has_slots = true;
    req.u.schedule.slots = many;
    req.u.schedule.n = PROTO_SLOTS_MAX;
    enc = proto_request_encode(&req);
    cr_expect_not_null(enc, "14 slots");
    free(enc);
    req.u.schedule.n = PROTO_SLOTS_MAX + 1;
    cr_expect_null(proto_request_encode(&req), "15 slots");
    req.u.schedule.slots = NULL;
    req.u.schedule.n = 1;
    cr_expect_null(proto_request_encode(&req), "n slots and no array");
}

/* ------------------------------------------------------- meeting.upcoming */

Test(upcoming_request, members_defaults_and_refusals)
{
#define UP "{\"type\":\"meeting.upcoming\",\"id\":\"x\""
    struct proto_request r, in = {.type = PROTO_REQ_MEETING_UPCOMING, .id = "u"}, out;
    char *s;

    must_decode(UP "}", &r);
    cr_expect_null(r.u.upcoming.room, "every room the caller may see");
    cr_expect_eq(r.u.upcoming.days, 7);
    cr_expect_eq(r.u.upcoming.limit, 50);
    proto_request_free(&r);
    must_decode(UP ",\"room\":\"Circle\",\"days\":14,\"limit\":200}", &r);
    cr_expect_str_eq(r.u.upcoming.room, "circle");
    cr_expect_eq(r.u.upcoming.days, 14);
    cr_expect_eq(r.u.upcoming.limit, 200);
    proto_request_free(&r);
    must_decode(UP ",\"room\":null,\"days\":null,\"limit\":null}", &r);
    cr_expect_null(r.u.upcoming.room);
    cr_expect_eq(r.u.upcoming.days, 7);
    cr_expect_eq(r.u.upcoming.limit, 50);
    proto_request_free(&r);
    must_decode(UP ",\"days\":1,\"limit\":1}", &r);
    cr_expect_eq(r.u.upcoming.days, 1);
    cr_expect_eq(r.u.upcoming.limit, 1);
    proto_request_free(&r);

    refused(UP ",\"days\":0}", "days", "between 1 and 14");
    refused(UP ",\"days\":15}", "days", "between 1 and 14");
    refused(UP ",\"days\":4294967297}", "days", NULL);
    refused(UP ",\"days\":\"7\"}", "days", NULL);
    refused(UP ",\"limit\":0}", "limit", "between 1 and 200");
    refused(UP ",\"limit\":201}", "limit", "between 1 and 200");
    refused(UP ",\"limit\":50.0}", "limit", NULL);
    refused(UP ",\"room\":\"a b\"}", "room", NULL);
    refused(UP ",\"limit\":0,\"days\":0,\"room\":7}", "room", NULL);
    refused(UP ",\"limit\":0,\"days\":0}", "days", NULL);

    /* Unset days and limit are not written (the server's defaults). */
    expect_json(proto_request_encode(&in), "{\"type\":\"meeting.upcoming\",\"id\":\"u\"}");
    in.u.upcoming.room = "circle";
    in.u.upcoming.days = 3;
    in.u.upcoming.limit = 10;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.upcoming\",\"id\":\"u\",\"room\":\"circle\","
                        "\"days\":3,\"limit\":10}");
    free(s);
    proto_request_free(&out);
    in.u.upcoming.days = 15;
    cr_expect_null(proto_request_encode(&in), "15 days");
    in.u.upcoming.days = 14;
    in.u.upcoming.limit = 201;
    cr_expect_null(proto_request_encode(&in), "limit 201");
#undef UP
}
