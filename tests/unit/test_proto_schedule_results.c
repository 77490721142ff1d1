/*
 * The results of weekly schedules, coming meetings, invites and the
 * server-wide audit log in the codec (PROTOCOL.md sections 5.14, 5.33, 5.44
 * to 5.47, 14.9 and 15.8): round trips and refusals, beyond what the golden
 * vectors check. Their requests are in test_proto_schedule.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

/* A good slot: Monday and Wednesday, 19:00 New York time, for an hour. */
#define NY "{\"days\":[\"mon\",\"wed\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"America/New_York\"}"
#define MON (1u << PROTO_MON)
#define WED (1u << PROTO_WED)
#define TZ_64 "America/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define TZ_65 TZ_64 "A"

/* ---------------------------------------------------------------- results */

Test(schedule_result, round_trip)
{
    struct proto_slot slots[] = {
        {.days = MON | WED, .start_minute = 1140, .minutes = 60, .tz = "America/New_York"},
        {.days = 1u << PROTO_SAT, .start_minute = 570, .minutes = 90, .tz = "Europe/London"},
    };
    struct proto_result in = {.type = PROTO_REQ_MEETING_SCHEDULE}, out;

    in.u.schedule.room = "evening-circle";
    in.u.schedule.slots = slots;
    in.u.schedule.n = 2;
    expect_json(proto_result_encode("62", &in),
                "{\"type\":\"result\",\"id\":\"62\",\"data\":{\"room\":\"evening-circle\","
                "\"slots\":[{\"days\":[\"mon\",\"wed\"],\"start\":\"19:00\",\"minutes\":60,"
                "\"tz\":\"America/New_York\"},{\"days\":[\"sat\"],\"start\":\"09:30\","
                "\"minutes\":90,\"tz\":\"Europe/London\"}]}}");
    round_trip_result(&in, &out);
    cr_expect_str_eq(out.u.schedule.room, "evening-circle");
    cr_assert_eq(out.u.schedule.n, 2);
    cr_expect_eq((void *)out.u.schedule.slots, out._alloc, "freed with the result");
    cr_expect_eq(out.u.schedule.slots[0].days, MON | WED);
    cr_expect_eq(out.u.schedule.slots[0].start_minute, 1140);
    cr_expect_str_eq(out.u.schedule.slots[1].tz, "Europe/London");
    cr_expect_eq(out.u.schedule.slots[1].minutes, 90);
    proto_result_free(&out);

    in.u.schedule.slots = NULL;
    in.u.schedule.n = 0;
    expect_json(proto_result_encode("60", &in),
                "{\"type\":\"result\",\"id\":\"60\",\"data\":{\"room\":\"evening-circle\","
                "\"slots\":[]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.schedule.n, 0);
    cr_expect_null(out.u.schedule.slots);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    in.u.schedule.room = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no room");
    in.u.schedule.room = "circle";
    in.u.schedule.n = 1;
    cr_expect_null(proto_result_encode("x", &in), "n slots and no array");
}

Test(schedule_result, decode_refusals)
{
#define SLOT(days, start, minutes, tz)                                                             \
    "{\"room\":\"c\",\"slots\":[{\"days\":" days ",\"start\":" start ",\"minutes\":" minutes      \
    ",\"tz\":" tz "}]}"
    static const char *const bad[] = {
        "{}",
        "{\"slots\":[]}",
        "{\"room\":null,\"slots\":[]}",
        "{\"room\":\"c\"}",
        "{\"room\":\"c\",\"slots\":null}",
        "{\"room\":\"c\",\"slots\":{}}",
        "{\"room\":\"c\",\"slots\":[null]}",
        SLOT("[\"Monday\"]", "\"19:00\"", "60", "\"UTC\""),
        SLOT("[]", "\"19:00\"", "60", "\"UTC\""),
        SLOT("[\"wed\",\"wed\"]", "\"19:00\"", "60", "\"UTC\""),
        SLOT("\"mon\"", "\"19:00\"", "60", "\"UTC\""),
        SLOT("[\"mon\"]", "\"7:00\"", "60", "\"UTC\""),
        SLOT("[\"mon\"]", "\"24:00\"", "60", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:60\"", "60", "\"UTC\""),
        SLOT("[\"mon\"]", "1140", "60", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:00\"", "4", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:00\"", "721", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:00\"", "-60", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:00\"", "\"60\"", "\"UTC\""),
        SLOT("[\"mon\"]", "\"19:00\"", "60", "\"America/New York\""),
        SLOT("[\"mon\"]", "\"19:00\"", "60", "\"\""),
        SLOT("[\"mon\"]", "\"19:00\"", "60", "\"" TZ_65 "\""),
        SLOT("[\"mon\"]", "\"19:00\"", "60", "null"),
        /* a bad slot after a good one: the array allocated so far is released */
        "{\"room\":\"c\",\"slots\":[" NY ",{\"days\":[\"mon\"],\"start\":\"19:00\"}]}",
    };
#undef SLOT
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_MEETING_SCHEDULE, bad[i]);
}

Test(schedule_result, decode_checks_lengths_not_c_strings)
{
    /* A NUL inside a day or a start makes it no day and no time. */
    json_t *day = json_pack("{s:s,s:[{s:[o],s:s,s:i,s:s}]}", "room", "c", "slots", "days",
                            json_stringn("mon\0x", 5), "start", "19:00", "minutes", 60, "tz",
                            "UTC");
    json_t *start = json_pack("{s:s,s:[{s:[s],s:o,s:i,s:s}]}", "room", "c", "slots", "days", "mon",
                              "start", json_stringn("19:00\0", 6), "minutes", 60, "tz", "UTC");
    json_t *tz = json_pack("{s:s,s:[{s:[s],s:s,s:i,s:o}]}", "room", "c", "slots", "days", "mon",
                           "start", "19:00", "minutes", 60, "tz", json_stringn("UTC\0", 4));
    json_t *all[] = {day, start, tz};
    struct proto_result out;

    for (size_t i = 0; i < 3; i++) {
        cr_assert_not_null(all[i]);
        cr_expect_eq(proto_result_decode(PROTO_REQ_MEETING_SCHEDULE, all[i], &out),
                     PROTO_E_INVALID_FIELD, "case %zu", i);
        cr_expect_null(out._alloc);
        cr_expect_eq(all[i]->refcount, 1);
        json_decref(all[i]);
    }
}

Test(upcoming_result, round_trip_and_refusals)
{
    struct proto_upcoming meetings[] = {
        {.room = "evening-circle", .title = "Evening circle", .starts_at = 1795039200000,
         .ends_at = 1795042800000, .tz = "America/New_York", .open = true},
        {.room = "morning-pages", .title = "Morning pages \xf0\x9f\x8c\xb1",
         .starts_at = 1795071600000, .ends_at = 1795077000000, .tz = "Europe/London"},
    };
    struct proto_result in = {.type = PROTO_REQ_MEETING_UPCOMING}, out;
    static const char *const bad[] = {
        "{}",
        "{\"meetings\":null}",
        "{\"meetings\":[null]}",
        "{\"meetings\":[{\"title\":\"T\",\"starts_at\":1,\"ends_at\":2,\"tz\":\"UTC\","
        "\"open\":false}]}",
        "{\"meetings\":[{\"room\":\"r\",\"starts_at\":1,\"ends_at\":2,\"tz\":\"UTC\","
        "\"open\":false}]}",
        "{\"meetings\":[{\"room\":\"r\",\"title\":\"T\",\"ends_at\":2,\"tz\":\"UTC\","
        "\"open\":false}]}",
        "{\"meetings\":[{\"room\":\"r\",\"title\":\"T\",\"starts_at\":1,\"ends_at\":\"2\","
        "\"tz\":\"UTC\",\"open\":false}]}",
        "{\"meetings\":[{\"room\":\"r\",\"title\":\"T\",\"starts_at\":1,\"ends_at\":2,"
        "\"open\":false}]}",
        "{\"meetings\":[{\"room\":\"r\",\"title\":\"T\",\"starts_at\":1,\"ends_at\":2,"
        "\"tz\":\"UTC\"}]}",
        "{\"meetings\":[{\"room\":\"r\",\"title\":\"T\",\"starts_at\":1,\"ends_at\":2,"
        "\"tz\":\"UTC\",\"open\":\"no\"}]}",
    };

    in.u.upcoming.meetings = meetings;
    in.u.upcoming.n = 2;
    expect_json(proto_result_encode("70", &in),
                "{\"type\":\"result\",\"id\":\"70\",\"data\":{\"meetings\":["
                "{\"room\":\"evening-circle\",\"title\":\"Evening circle\","
                "\"starts_at\":1795039200000,\"ends_at\":1795042800000,"
                "\"tz\":\"America/New_York\",\"open\":true},"
                "{\"room\":\"morning-pages\",\"title\":\"Morning pages \xf0\x9f\x8c\xb1\","
                "\"starts_at\":1795071600000,\"ends_at\":1795077000000,\"tz\":\"Europe/London\","
                "\"open\":false}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.upcoming.n, 2);
    cr_expect_eq((void *)out.u.upcoming.meetings, out._alloc);
    cr_expect_str_eq(out.u.upcoming.meetings[0].room, "evening-circle");
    cr_expect(out.u.upcoming.meetings[0].open);
    cr_expect_eq(out.u.upcoming.meetings[0].starts_at, 1795039200000);
    cr_expect_eq(out.u.upcoming.meetings[1].ends_at, 1795077000000);
    cr_expect_str_eq(out.u.upcoming.meetings[1].tz, "Europe/London");
    cr_expect_not(out.u.upcoming.meetings[1].open);
    proto_result_free(&out);

    in.u.upcoming.n = 0;
    in.u.upcoming.meetings = NULL;
    expect_json(proto_result_encode("71", &in),
                "{\"type\":\"result\",\"id\":\"71\",\"data\":{\"meetings\":[]}}");
    in.u.upcoming.n = 1;
    cr_expect_null(proto_result_encode("x", &in), "n meetings and no array");
    in.u.upcoming.meetings = meetings;
    meetings[0].tz = NULL;
    cr_expect_null(proto_result_encode("x", &in), "a meeting without its zone");

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_MEETING_UPCOMING, bad[i]);
}

Test(invites_result, round_trip_and_refusals)
{
    struct proto_invite invites[] = {
        {.code = "Zq81-xk", .created_by = "alice", .created_at = 1795000500000,
         .expires_at = 1795086900000, .uses_left = 9},
        {.code = "k3J9-aa", .created_by = "bob", .created_at = 1795000000000,
         .expires_at = 1795604800000, .uses_left = -1},
        {.code = "adm-7Hh2", .created_by = NULL, .created_at = 1794000000000, .expires_at = 0,
         .uses_left = 0},
    };
    struct proto_result in = {.type = PROTO_REQ_ROOM_INVITES}, out;
    static const char *const bad[] = {
        "{}",
        "{\"invites\":{}}",
        "{\"invites\":[\"k3J9-aa\"]}",
        "{\"invites\":[{\"created_at\":1}]}",
        "{\"invites\":[{\"code\":null,\"created_at\":1}]}",
        "{\"invites\":[{\"code\":\"c\"}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":\"1\"}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"created_by\":7}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"expires_at\":0}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"expires_at\":-5}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"expires_at\":\"never\"}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"uses_left\":-1}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"uses_left\":2147483648}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1,\"uses_left\":1.0}]}",
        "{\"invites\":[{\"code\":\"c\",\"created_at\":1},{\"code\":\"d\"}]}",
    };

    in.u.invites.invites = invites;
    in.u.invites.n = 3;
    expect_json(proto_result_encode("20", &in),
                "{\"type\":\"result\",\"id\":\"20\",\"data\":{\"invites\":["
                "{\"code\":\"Zq81-xk\",\"created_by\":\"alice\",\"created_at\":1795000500000,"
                "\"expires_at\":1795086900000,\"uses_left\":9},"
                "{\"code\":\"k3J9-aa\",\"created_by\":\"bob\",\"created_at\":1795000000000,"
                "\"expires_at\":1795604800000},"
                "{\"code\":\"adm-7Hh2\",\"created_at\":1794000000000,\"uses_left\":0}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.invites.n, 3);
    cr_expect_eq((void *)out.u.invites.invites, out._alloc);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_str_eq(out.u.invites.invites[i].code, invites[i].code, "%zu", i);
        cr_expect_eq(out.u.invites.invites[i].created_at, invites[i].created_at, "%zu", i);
        cr_expect_eq(out.u.invites.invites[i].expires_at, invites[i].expires_at, "%zu", i);
        cr_expect_eq(out.u.invites.invites[i].uses_left, invites[i].uses_left, "%zu", i);
    }
    cr_expect_str_eq(out.u.invites.invites[0].created_by, "alice");
    cr_expect_null(out.u.invites.invites[2].created_by, "the account is gone");
    proto_result_free(&out);

    /* Absent and null optional members read the same. */
    {
        struct proto_result r;
        json_t *d = json_loads("{\"invites\":[{\"code\":\"c\",\"created_at\":5,\"created_by\":null,"
                               "\"expires_at\":null,\"uses_left\":null}]}", 0, NULL);
        cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_INVITES, d, &r), PROTO_OK);
        cr_expect_null(r.u.invites.invites[0].created_by);
        cr_expect_eq(r.u.invites.invites[0].expires_at, 0);
        cr_expect_eq(r.u.invites.invites[0].uses_left, -1);
        proto_result_free(&r);
        json_decref(d);
    }

    in.u.invites.n = 0;
    in.u.invites.invites = NULL;
    expect_json(proto_result_encode("21", &in),
                "{\"type\":\"result\",\"id\":\"21\",\"data\":{\"invites\":[]}}");
    in.u.invites.invites = invites;
    in.u.invites.n = 1;
    invites[0].uses_left = -2;
    cr_expect_null(proto_result_encode("x", &in), "uses_left -2");
    invites[0].uses_left = 1;
    invites[0].expires_at = -1;
    cr_expect_null(proto_result_encode("x", &in), "a negative expiry");
    invites[0].expires_at = 0;
    invites[0].code = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no code");

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_ROOM_INVITES, bad[i]);
}

Test(invites_result, revoke_has_no_data)
{
    struct proto_result in = {.type = PROTO_REQ_ROOM_INVITE_REVOKE}, out;
    expect_json(proto_result_encode("21", &in), "{\"type\":\"result\",\"id\":\"21\",\"data\":{}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.type, PROTO_REQ_ROOM_INVITE_REVOKE);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
}

Test(modlog_result, entries_carry_their_room)
{
    static const struct proto_audit_entry entries[] = {
        {.id = 52, .ts = 1795001200000, .room = "evening-circle", .actor = "alice",
         .action = "revoke_invite", .target = "bob", .reason = ""},
        {.id = 51, .ts = 1795001100000, .room = "evening-circle", .actor = "alice",
         .action = "schedule", .reason = ""},
        {.id = 50, .ts = 1795001000000, .actor = "root", .action = "suspend", .target = "troll",
         .reason = "Repeated abuse", .until = 1795605800000},
    };
    struct proto_result in = {.type = PROTO_REQ_MOD_LOG}, out;

    in.u.modlog.entries = (struct proto_audit_entry *)entries;
    in.u.modlog.n = 3;
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"entries\":["
                "{\"id\":52,\"ts\":1795001200000,\"room\":\"evening-circle\",\"actor\":\"alice\","
                "\"action\":\"revoke_invite\",\"target\":\"bob\",\"reason\":\"\",\"until\":null},"
                "{\"id\":51,\"ts\":1795001100000,\"room\":\"evening-circle\",\"actor\":\"alice\","
                "\"action\":\"schedule\",\"target\":null,\"reason\":\"\",\"until\":null},"
                "{\"id\":50,\"ts\":1795001000000,\"actor\":\"root\",\"action\":\"suspend\","
                "\"target\":\"troll\",\"reason\":\"Repeated abuse\",\"until\":1795605800000}],"
                "\"has_more\":false}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.modlog.n, 3);
    cr_expect_str_eq(out.u.modlog.entries[0].room, "evening-circle");
    cr_expect_str_eq(out.u.modlog.entries[1].action, "schedule");
    cr_expect_null(out.u.modlog.entries[1].target);
    cr_expect_null(out.u.modlog.entries[2].room, "a server-wide action");
    proto_result_free(&out);

    result_refused(PROTO_REQ_MOD_LOG,
                   "{\"entries\":[{\"id\":1,\"ts\":1,\"room\":7,\"actor\":\"a\",\"action\":\"mute\","
                   "\"target\":\"b\",\"reason\":\"\",\"until\":null}],\"has_more\":false}");
}
