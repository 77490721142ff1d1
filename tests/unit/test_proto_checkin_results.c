/*
 * Settings and daily check-ins in the codec, the server's side (PROTOCOL.md
 * sections 5.71 to 5.78, 6.25, 6.26 and 23): the settings, check-in,
 * warning sign, summary period and journal entry objects in the results of
 * settings.* and checkin.*, and the checkin.shared and checkin.alert events
 * (round trips, decoded values, what a reader drops, what is never shared,
 * refusals), beyond what the golden vectors check. The requests are in
 * test_proto_checkin.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */

static const char *SIGNS[] = {"isolating", "high_stress", "boredom"};
static const char *RESOURCES[] = {"Call 988 " SEEDLING};

/* The defaults of a new member's settings. */
static struct proto_settings defaults(void)
{
    return (struct proto_settings){.tz = "UTC", .warning_threshold = 3, .isolation_days = 2,
                                   .read_receipts = true};
}

#define DEFAULTS_JSON                                                                          \
    "{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"                  \
    "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"                \
    "\"meeting_goal\":0,\"sobriety_share\":\"private\",\"read_receipts\":true}"

/* alice's check-in of 22 November, with everything said. */
static struct proto_checkin sample_checkin(void)
{
    return (struct proto_checkin){.handle = "alice", .day = "2026-11-22", .ts = 1795000000000,
                                  .mood = 2, .craving = 6, .signs = SIGNS, .n_signs = 3,
                                  .grateful = "my sister " SEEDLING, .win = "called Sam",
                                  .note = "payday tomorrow"};
}

#define SHARED_JSON                                                                            \
    "{\"handle\":\"alice\",\"day\":\"2026-11-22\",\"ts\":1795000000000,\"mood\":2,"            \
    "\"craving\":6,\"signs\":[\"isolating\",\"high_stress\",\"boredom\"],"                     \
    "\"grateful\":\"my sister " SEEDLING "\",\"win\":\"called Sam\"}"
#define OWN_JSON                                                                               \
    "{\"handle\":\"alice\",\"day\":\"2026-11-22\",\"ts\":1795000000000,\"mood\":2,"            \
    "\"craving\":6,\"signs\":[\"isolating\",\"high_stress\",\"boredom\"],"                     \
    "\"grateful\":\"my sister " SEEDLING "\",\"win\":\"called Sam\","                          \
    "\"note\":\"payday tomorrow\"}"

/* --------------------------------------------------------------- settings */

Test(settings_result, round_trip)
{
    struct proto_result in = {.type = PROTO_REQ_SETTINGS_GET}, out;

    in.u.settings = defaults();
    expect_json(proto_result_encode("g", &in),
                "{\"type\":\"result\",\"id\":\"g\",\"data\":{\"settings\":" DEFAULTS_JSON "}}");
    round_trip_result(&in, &out);
    cr_expect_str_eq(out.u.settings.tz, "UTC");
    cr_expect_eq(out.u.settings.checkin_share, PROTO_SHARE_PRIVATE);
    cr_expect_null(out.u.settings.checkin_room);
    cr_expect_eq(out.u.settings.warning_threshold, 3);
    cr_expect_eq(out.u.settings.isolation_days, 2);
    cr_expect_null(out.u.settings.milestone_room);
    cr_expect(out.u.settings.read_receipts);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    in.type = PROTO_REQ_SETTINGS_SET;
    in.u.settings = (struct proto_settings){
        .tz = "America/New_York", .checkin_share = PROTO_SHARE_ROOM, .checkin_room = "porch",
        .warning_threshold = 11, .alert_buddies = true, .isolation_nudges = true,
        .isolation_days = 14, .meeting_goal = 21, .sobriety_share = PROTO_SHARE_EVERYONE,
        .milestone_room = "milestones", .read_receipts = false};
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"settings\":{\"tz\":"
                "\"America/New_York\",\"checkin_share\":\"room\",\"checkin_room\":\"porch\","
                "\"warning_threshold\":11,\"alert_buddies\":true,\"isolation_nudges\":true,"
                "\"isolation_days\":14,\"meeting_goal\":21,\"sobriety_share\":\"everyone\","
                "\"milestone_room\":\"milestones\",\"read_receipts\":false}}}");
    round_trip_result(&in, &out);
    cr_expect_not(out.u.settings.read_receipts);
    cr_expect_eq(out.u.settings.checkin_share, PROTO_SHARE_ROOM);
    cr_expect_str_eq(out.u.settings.checkin_room, "porch");
    cr_expect_str_eq(out.u.settings.milestone_room, "milestones");
    cr_expect(out.u.settings.alert_buddies && out.u.settings.isolation_nudges);
    proto_result_free(&out);

    /* "" is no milestone room. */
    in.u.settings.milestone_room = "";
    in.u.settings.checkin_share = PROTO_SHARE_BUDDIES;
    in.u.settings.checkin_room = NULL;
    round_trip_result(&in, &out);
    cr_expect_null(out.u.settings.milestone_room);
    proto_result_free(&out);
}

Test(settings_result, refusals)
{
    static const char *const bad[] = {
        "{}", "{\"settings\":null}",
        "{\"settings\":{\"checkin_share\":\"private\",\"warning_threshold\":3,\"alert_buddies\":"
        "false,\"isolation_nudges\":false,\"isolation_days\":2,\"meeting_goal\":0,"
        "\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"everyone\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"room\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"room\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"room\",\"checkin_room\":\"\","
        "\"warning_threshold\":3,\"alert_buddies\":false,\"isolation_nudges\":false,"
        "\"isolation_days\":2,\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":12,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":0,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":15,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":22,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":\"no\",\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"Mars Base\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\"}}",
        "{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"private\",\"warning_threshold\":3,"
        "\"alert_buddies\":false,\"isolation_nudges\":false,\"isolation_days\":2,"
        "\"meeting_goal\":0,\"sobriety_share\":\"private\",\"milestone_room\":5}}"};
    struct proto_result in = {.type = PROTO_REQ_SETTINGS_GET}, out;
    json_t *d;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_SETTINGS_GET, bad[i]);
    /* A stray checkin_room beside another share is dropped. */
    d = json_loads("{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"buddies\","
                   "\"checkin_room\":\"porch\",\"warning_threshold\":3,\"alert_buddies\":false,"
                   "\"isolation_nudges\":false,\"isolation_days\":2,\"meeting_goal\":0,"
                   "\"sobriety_share\":\"buddies\",\"milestone_room\":null}}", 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SETTINGS_SET, d, &out), PROTO_OK);
    cr_expect_null(out.u.settings.checkin_room);
    cr_expect_null(out.u.settings.milestone_room);
    proto_result_free(&out);
    json_decref(d);

    in.u.settings = defaults();
    in.u.settings.checkin_room = "porch";
    cr_expect_null(proto_result_encode("x", &in), "a room beside private");
    in.u.settings.checkin_room = NULL;
    in.u.settings.checkin_share = PROTO_SHARE_ROOM;
    cr_expect_null(proto_result_encode("x", &in), "room without its room");
    in.u.settings.checkin_share = PROTO_SHARE_EVERYONE;
    cr_expect_null(proto_result_encode("x", &in), "check-ins shared with everyone");
    in.u.settings = defaults();
    in.u.settings.sobriety_share = PROTO_SHARE_ROOM;
    cr_expect_null(proto_result_encode("x", &in), "clean time shared with a room");
    in.u.settings = defaults();
    in.u.settings.tz = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no tz");
    in.u.settings = defaults();
    in.u.settings.warning_threshold = 0;
    cr_expect_null(proto_result_encode("x", &in), "threshold 0 (a zeroed struct)");
    in.u.settings = defaults();
    in.u.settings.isolation_days = 0;
    cr_expect_null(proto_result_encode("x", &in), "isolation_days 0");
    in.u.settings = defaults();
    in.u.settings.meeting_goal = 22;
    cr_expect_null(proto_result_encode("x", &in), "meeting_goal 22");
}

/* --------------------------------------------------------- checkin.submit */

Test(checkin_result, submit_without_and_with_a_warning)
{
    struct proto_plan_line lines[] = {{.when = "payday", .then = "groceries first"}};
    const char *reasons[] = {"my kids"};
    struct proto_contact contacts[] = {{.name = "Sam", .phone = "555 0100"}};
    struct proto_result in = {.type = PROTO_REQ_CHECKIN_SUBMIT}, out;

    in.u.submitted.checkin = sample_checkin();
    in.u.submitted.checkin.n_signs = 1;
    in.u.submitted.streak = 12;
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"checkin\":{\"handle\":\"alice\","
                "\"day\":\"2026-11-22\",\"ts\":1795000000000,\"mood\":2,\"craving\":6,"
                "\"signs\":[\"isolating\"],\"grateful\":\"my sister " SEEDLING "\","
                "\"win\":\"called Sam\",\"note\":\"payday tomorrow\"},\"updated\":false,"
                "\"streak\":12,\"warning\":false}}");
    round_trip_result(&in, &out);
    cr_expect_str_eq(out.u.submitted.checkin.note, "payday tomorrow", "one's own: the note");
    cr_assert_eq(out.u.submitted.checkin.n_signs, 1);
    cr_expect_eq((void *)out.u.submitted.checkin.signs, out._alloc);
    cr_expect_eq(out.u.submitted.streak, 12);
    cr_expect_not(out.u.submitted.warning);
    cr_expect_not(out.u.submitted.has_plan);
    proto_result_free(&out);

    /* At the threshold: the plan and the card, with the resources. */
    in.u.submitted.checkin.n_signs = 3;
    in.u.submitted.updated = true;
    in.u.submitted.warning = in.u.submitted.has_plan = true;
    in.u.submitted.lines = lines;
    in.u.submitted.n_lines = 1;
    in.u.submitted.reasons = reasons;
    in.u.submitted.n_reasons = 1;
    in.u.submitted.contacts = contacts;
    in.u.submitted.n_contacts = 1;
    in.u.submitted.resources = RESOURCES;
    in.u.submitted.n_resources = 1;
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"checkin\":" OWN_JSON ","
                "\"updated\":true,\"streak\":12,\"warning\":true,\"plan\":{\"lines\":["
                "{\"when\":\"payday\",\"then\":\"groceries first\"}],\"reasons\":[\"my kids\"]},"
                "\"card\":{\"contacts\":[{\"name\":\"Sam\",\"phone\":\"555 0100\"}],"
                "\"resources\":[\"Call 988 " SEEDLING "\"]}}}");
    round_trip_result(&in, &out);
    cr_expect(out.u.submitted.updated && out.u.submitted.warning && out.u.submitted.has_plan);
    cr_assert_eq(out.u.submitted.checkin.n_signs, 3);
    cr_expect_str_eq(out.u.submitted.checkin.signs[2], "boredom");
    cr_assert_eq(out.u.submitted.n_lines, 1);
    cr_expect_str_eq(out.u.submitted.lines[0].when, "payday");
    cr_assert_eq(out.u.submitted.n_reasons, 1);
    cr_expect_str_eq(out.u.submitted.reasons[0], "my kids");
    cr_assert_eq(out.u.submitted.n_contacts, 1);
    cr_expect_str_eq(out.u.submitted.contacts[0].phone, "555 0100");
    cr_assert_eq(out.u.submitted.n_resources, 1);
    cr_expect_str_eq(out.u.submitted.resources[0], "Call 988 " SEEDLING);
    proto_result_free(&out);
    /* An empty plan and card still come with a warning. */
    in.u.submitted.n_lines = in.u.submitted.n_reasons = in.u.submitted.n_contacts = 0;
    in.u.submitted.n_resources = 0;
    round_trip_result(&in, &out);
    cr_expect(out.u.submitted.has_plan);
    cr_expect_eq(out.u.submitted.n_lines + out.u.submitted.n_contacts, 0);
    proto_result_free(&out);

    in.u.submitted.has_plan = false;
    cr_expect_null(proto_result_encode("x", &in), "a warning without the plan");
    in.u.submitted.warning = false;
    in.u.submitted.has_plan = true;
    cr_expect_null(proto_result_encode("x", &in), "the plan without a warning");
    in.u.submitted.has_plan = false;
    in.u.submitted.checkin.day = "2026-02-29";
    cr_expect_null(proto_result_encode("x", &in), "a day that does not exist");
}

Test(checkin_result, submit_decoding)
{
    static const char *const bad[] = {
        "{}",
        "{\"checkin\":" OWN_JSON ",\"updated\":false,\"streak\":1}",
        "{\"checkin\":" OWN_JSON ",\"streak\":1,\"warning\":false}",
        "{\"checkin\":" OWN_JSON ",\"updated\":false,\"streak\":-1,\"warning\":false}",
        "{\"checkin\":" OWN_JSON ",\"updated\":false,\"streak\":1,\"warning\":true}",
        "{\"checkin\":" OWN_JSON ",\"updated\":false,\"streak\":1,\"warning\":true,"
        "\"plan\":{\"lines\":[],\"reasons\":[]}}",
        "{\"checkin\":" OWN_JSON ",\"updated\":false,\"streak\":1,\"warning\":true,"
        "\"card\":{\"contacts\":[],\"resources\":[]}}",
        "{\"checkin\":{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":2},\"updated\":false,"
        "\"streak\":1,\"warning\":false}"};
    struct proto_result out;
    json_t *d = json_loads("{\"checkin\":{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,"
                           "\"signs\":[]},\"updated\":false,\"streak\":1,\"warning\":false,"
                           "\"plan\":5,\"card\":null}", 0, NULL);

    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_CHECKIN_SUBMIT, d, &out), PROTO_OK,
                 "no warning: a stray plan and card are dropped");
    cr_expect_not(out.u.submitted.has_plan);
    cr_expect_null(out.u.submitted.checkin.handle);
    cr_expect_eq(out.u.submitted.checkin.craving, -1);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
    json_decref(d);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_CHECKIN_SUBMIT, bad[i]);
}

/* ------------------------------------------------------ list, feed: object */

Test(checkin_result, list_keeps_the_note_and_feed_never_shares_it)
{
    struct proto_checkin c[2] = {sample_checkin(), sample_checkin()};
    struct proto_result in = {.type = PROTO_REQ_CHECKIN_LIST}, out;

    c[1].day = "2026-11-21";
    c[1].handle = NULL;
    c[1].craving = -1;
    c[1].n_signs = 0;
    c[1].signs = NULL;
    c[1].grateful = "";
    c[1].win = NULL;
    c[1].note = NULL;
    in.u.checkins.checkins = c;
    in.u.checkins.n = 2;
    expect_json(proto_result_encode("l", &in),
                "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"checkins\":[" OWN_JSON ","
                "{\"day\":\"2026-11-21\",\"ts\":1795000000000,\"mood\":2,\"signs\":[]}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.checkins.n, 2);
    cr_expect_eq((void *)out.u.checkins.checkins, out._alloc, "one block: check-ins, signs");
    cr_expect_str_eq(out.u.checkins.checkins[0].note, "payday tomorrow");
    cr_assert_eq(out.u.checkins.checkins[0].n_signs, 3);
    cr_expect_str_eq(out.u.checkins.checkins[0].signs[1], "high_stress");
    cr_expect_null(out.u.checkins.checkins[1].handle);
    cr_expect_eq(out.u.checkins.checkins[1].craving, -1);
    cr_expect_eq(out.u.checkins.checkins[1].n_signs, 0);
    cr_expect_null(out.u.checkins.checkins[1].grateful);
    proto_result_free(&out);

    /* The feed: the same check-ins as buddies see them. */
    in.type = PROTO_REQ_CHECKIN_FEED;
    in.u.checkins.n = 1;
    expect_json(proto_result_encode("f", &in),
                "{\"type\":\"result\",\"id\":\"f\",\"data\":{\"checkins\":[" SHARED_JSON "]}}");
    round_trip_result(&in, &out);
    cr_expect_null(out.u.checkins.checkins[0].note);
    cr_expect_str_eq(out.u.checkins.checkins[0].handle, "alice");
    proto_result_free(&out);
    in.u.checkins.n = 2;
    cr_expect_null(proto_result_encode("x", &in), "a shared check-in without its handle");
    in.u.checkins.n = 0;
    in.u.checkins.checkins = NULL;
    expect_json(proto_result_encode("f", &in),
                "{\"type\":\"result\",\"id\":\"f\",\"data\":{\"checkins\":[]}}");
}

Test(checkin_result, object_rules)
{
    static const char *const bad[] = {
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":0,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":6,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"craving\":11,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"craving\":-1,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[\"Isolating\"]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[\"a\",\"a\"]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":\"a\"}",
        "{\"day\":\"2026-02-29\",\"ts\":1,\"mood\":3,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"mood\":3,\"signs\":[]}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[],\"grateful\":5}",
        "{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[],\"note\":5}",
        "{\"handle\":7,\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[]}",
        "[]"};
    static const char *signs33[33] = {
        "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b0", "b1", "b2", "b3", "b4",
        "b5", "b6", "b7", "b8", "b9", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9",
        "d0", "d1", "d2"};
    struct proto_checkin c = sample_checkin();
    struct proto_result in = {.type = PROTO_REQ_CHECKIN_LIST}, out;
    char buf[512];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, "{\"checkins\":[%s]}", bad[i]);
        result_refused(PROTO_REQ_CHECKIN_LIST, buf);
        result_refused(PROTO_REQ_CHECKIN_FEED, buf);
    }
    /* A shared view names whose check-in it is; a stray note is dropped. */
    result_refused(PROTO_REQ_CHECKIN_FEED,
                   "{\"checkins\":[{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":3,\"signs\":[]}]}");
    result_refused(PROTO_REQ_CHECKIN_LIST, "{}");
    result_refused(PROTO_REQ_CHECKIN_FEED, "{\"checkins\":null}");

    in.u.checkins.checkins = &c;
    in.u.checkins.n = 1;
    c.signs = signs33;
    c.n_signs = 33;
    cr_expect_null(proto_result_encode("x", &in), "33 signs");
    c.n_signs = 32;
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.checkins.checkins[0].n_signs, 32);
    proto_result_free(&out);
    c = sample_checkin();
    c.mood = 0;
    cr_expect_null(proto_result_encode("x", &in), "mood 0");
    c = sample_checkin();
    c.craving = 11;
    cr_expect_null(proto_result_encode("x", &in), "craving 11");
    c = sample_checkin();
    c.day = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no day");
    c = sample_checkin();
    c.signs = (const char *[]){"isolating", "isolating", "boredom"};
    cr_expect_null(proto_result_encode("x", &in), "a sign twice");
}

/* ------------------------------------------------- summary, journal, signs */

Test(checkin_result, summary_averages_have_one_decimal)
{
    struct proto_checkin_period p[3] = {
        {.start = "2026-11-16", .checkins = 6, .avg_mood = 11.0 / 3, .avg_craving = 2.0 / 3,
         .meetings = 2},
        {.start = "2026-11-09", .checkins = 1, .avg_mood = 4, .avg_craving = -1, .meetings = 0},
        {.start = "2026-11-02", .checkins = 0, .avg_mood = 0, .avg_craving = -1, .meetings = 1}};
    struct proto_result in = {.type = PROTO_REQ_CHECKIN_SUMMARY}, out;
    json_t *d;

    in.u.summary.periods = p;
    in.u.summary.n = 3;
    in.u.summary.streak = 6;
    in.u.summary.longest = 41;
    in.u.summary.goal = 3;
    in.u.summary.meetings_this_week = 2;
    expect_json(proto_result_encode("m", &in),
                "{\"type\":\"result\",\"id\":\"m\",\"data\":{\"periods\":["
                "{\"start\":\"2026-11-16\",\"checkins\":6,\"avg_mood\":3.7,\"avg_craving\":0.7,"
                "\"meetings\":2},{\"start\":\"2026-11-09\",\"checkins\":1,\"avg_mood\":4.0,"
                "\"meetings\":0},{\"start\":\"2026-11-02\",\"checkins\":0,\"avg_mood\":0.0,"
                "\"meetings\":1}],\"streak\":6,\"longest\":41,\"goal\":3,"
                "\"meetings_this_week\":2}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.summary.n, 3);
    cr_expect_eq((void *)out.u.summary.periods, out._alloc);
    cr_expect_float_eq(out.u.summary.periods[0].avg_mood, 3.7, 1e-9);
    cr_expect_float_eq(out.u.summary.periods[0].avg_craving, 0.7, 1e-9);
    cr_expect_eq(out.u.summary.periods[1].avg_craving, -1, "no craving said");
    cr_expect_eq(out.u.summary.longest, 41);
    cr_expect_eq(out.u.summary.meetings_this_week, 2);
    proto_result_free(&out);

    /* A reader takes integers, and rounds more decimals to one. */
    d = json_loads("{\"periods\":[{\"start\":\"2026-11-01\",\"checkins\":2,\"avg_mood\":4,"
                   "\"avg_craving\":2.25,\"meetings\":0}],\"streak\":0,\"longest\":0,\"goal\":0,"
                   "\"meetings_this_week\":0}", 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_CHECKIN_SUMMARY, d, &out), PROTO_OK);
    cr_expect_float_eq(out.u.summary.periods[0].avg_mood, 4.0, 1e-9);
    cr_expect_float_eq(out.u.summary.periods[0].avg_craving, 2.3, 1e-9);
    expect_json(proto_result_encode("m", &out),
                "{\"type\":\"result\",\"id\":\"m\",\"data\":{\"periods\":[{\"start\":"
                "\"2026-11-01\",\"checkins\":2,\"avg_mood\":4.0,\"avg_craving\":2.3,"
                "\"meetings\":0}],\"streak\":0,\"longest\":0,\"goal\":0,"
                "\"meetings_this_week\":0}}");
    proto_result_free(&out);
    json_decref(d);

    in.u.summary.n = 1;
    p[0].avg_mood = 5.01;
    cr_expect_null(proto_result_encode("x", &in), "a mood over 5");
    p[0].avg_mood = -0.5;
    cr_expect_null(proto_result_encode("x", &in), "a negative mood");
    p[0].avg_mood = 3;
    p[0].avg_craving = 10.5;
    cr_expect_null(proto_result_encode("x", &in), "a craving over 10");
    p[0].avg_craving = 0;
    p[0].start = "2026-11-31";
    cr_expect_null(proto_result_encode("x", &in), "31 November");
}

Test(checkin_result, summary_refusals)
{
    static const char *const bad[] = {
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":\"3.5\",\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":5.5,\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":-1,\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":3,\"avg_craving\":11,"
        "\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":3,\"avg_craving\":-1,"
        "\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":-1,\"avg_mood\":3,\"meetings\":0}",
        "{\"start\":\"2026-11-16\",\"checkins\":1,\"avg_mood\":3}",
        "{\"start\":\"16 Nov\",\"checkins\":1,\"avg_mood\":3,\"meetings\":0}"};
    char buf[512];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, "{\"periods\":[%s],\"streak\":0,\"longest\":0,\"goal\":0,"
                 "\"meetings_this_week\":0}", bad[i]);
        result_refused(PROTO_REQ_CHECKIN_SUMMARY, buf);
    }
    result_refused(PROTO_REQ_CHECKIN_SUMMARY, "{\"periods\":[],\"streak\":0,\"longest\":0,"
                                              "\"goal\":0}");
    result_refused(PROTO_REQ_CHECKIN_SUMMARY, "{\"streak\":0,\"longest\":0,\"goal\":0,"
                                              "\"meetings_this_week\":0}");
}

Test(checkin_result, journal_and_signs)
{
    struct proto_journal_entry e[2] = {{.day = "2026-11-22", .grateful = "tea " SEEDLING},
                                       {.day = "2026-11-20", .grateful = "", .win = "a walk"}};
    struct proto_sign s[2] = {{.name = "isolating", .label = "Isolating"},
                              {.name = "skipping_support", .label = "Skipping meetings or support"}};
    struct proto_result in = {.type = PROTO_REQ_CHECKIN_JOURNAL}, out;

    in.u.journal.entries = e;
    in.u.journal.n = 2;
    expect_json(proto_result_encode("j", &in),
                "{\"type\":\"result\",\"id\":\"j\",\"data\":{\"entries\":[{\"day\":\"2026-11-22\","
                "\"grateful\":\"tea " SEEDLING "\"},{\"day\":\"2026-11-20\",\"win\":\"a walk\"}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.journal.n, 2);
    cr_expect_null(out.u.journal.entries[0].win);
    cr_expect_null(out.u.journal.entries[1].grateful);
    cr_expect_str_eq(out.u.journal.entries[1].win, "a walk");
    proto_result_free(&out);
    e[1].win = "";
    cr_expect_null(proto_result_encode("x", &in), "a day with neither");
    result_refused(PROTO_REQ_CHECKIN_JOURNAL, "{\"entries\":[{\"day\":\"2026-11-22\"}]}");
    result_refused(PROTO_REQ_CHECKIN_JOURNAL,
                   "{\"entries\":[{\"day\":\"2026-11-22\",\"grateful\":\"\",\"win\":null}]}");
    result_refused(PROTO_REQ_CHECKIN_JOURNAL,
                   "{\"entries\":[{\"day\":\"2026-02-29\",\"grateful\":\"x\"}]}");
    result_refused(PROTO_REQ_CHECKIN_JOURNAL, "{\"entries\":[{\"grateful\":\"x\"}]}");
    result_refused(PROTO_REQ_CHECKIN_JOURNAL, "{}");

    in = (struct proto_result){.type = PROTO_REQ_CHECKIN_SIGNS};
    in.u.signs.signs = s;
    in.u.signs.n = 2;
    expect_json(proto_result_encode("g", &in),
                "{\"type\":\"result\",\"id\":\"g\",\"data\":{\"signs\":[{\"name\":\"isolating\","
                "\"label\":\"Isolating\"},{\"name\":\"skipping_support\","
                "\"label\":\"Skipping meetings or support\"}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.signs.n, 2);
    cr_expect_str_eq(out.u.signs.signs[1].label, "Skipping meetings or support");
    proto_result_free(&out);
    s[1].name = "Skipping";
    cr_expect_null(proto_result_encode("x", &in), "a capital in a name");
    s[1].name = "skipping_support";
    s[1].label = "";
    cr_expect_null(proto_result_encode("x", &in), "no label");
    result_refused(PROTO_REQ_CHECKIN_SIGNS, "{\"signs\":[{\"name\":\"a b\",\"label\":\"A\"}]}");
    result_refused(PROTO_REQ_CHECKIN_SIGNS, "{\"signs\":[{\"name\":\"ab\",\"label\":\"\"}]}");
    result_refused(PROTO_REQ_CHECKIN_SIGNS, "{\"signs\":[{\"name\":\"ab\"}]}");
    result_refused(PROTO_REQ_CHECKIN_SIGNS, "{\"signs\":[\"ab\"]}");
}

/* The extended day rule reaches the older results too. */
Test(checkin_result, older_days_are_real_dates_too)
{
    result_refused(PROTO_REQ_MEETING_ATTENDANCE,
                   "{\"weeks\":[{\"week\":\"2026-02-30\",\"meetings\":1,\"minutes\":60}]}");
    result_refused(PROTO_REQ_SUPPORT_STATS,
                   "{\"days\":[{\"day\":\"2026-13-01\",\"requests\":1,\"answered\":0,"
                   "\"median_wait_ms\":0,\"worst_wait_ms\":0}]}");
}

/* ----------------------------------------------------------------- events */

/* The strings of a checkin.shared, read while its frame is alive. */
struct shared_seen {
    int n;
    size_t n_signs;
    char handle[32], last_sign[40], note[32];
    int32_t craving;
};

static void keep_shared(const struct proto_server_msg *m, void *ud)
{
    struct shared_seen *s = ud;
    const struct proto_checkin *c = &m->event.u.shared;
    s->n++;
    cr_assert_eq(m->event.type, PROTO_EVT_CHECKIN_SHARED);
    s->n_signs = c->n_signs;
    snprintf(s->handle, sizeof s->handle, "%s", c->handle);
    snprintf(s->last_sign, sizeof s->last_sign, "%s", c->n_signs ? c->signs[c->n_signs - 1] : "");
    snprintf(s->note, sizeof s->note, "%s", c->note ? c->note : "");
    s->craving = c->craving;
}

Test(checkin_event, shared_never_carries_the_note)
{
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_SHARED};
    struct shared_seen s = {0};
    const char *frame = "{\"type\":\"checkin.shared\",\"checkin\":{\"handle\":\"alice\","
                        "\"day\":\"2026-11-22\",\"ts\":1,\"mood\":4,\"signs\":[\"a\",\"boredom\"],"
                        "\"note\":\"private words\"}}";

    ev.u.shared = sample_checkin();
    event_round_trip(&ev, "{\"type\":\"checkin.shared\",\"checkin\":" SHARED_JSON "}");
    ev.u.shared.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "a shared check-in names whose it is");

    cr_assert_eq(proto_frame_decode(frame, strlen(frame), keep_shared, &s), PROTO_OK);
    cr_expect_eq(s.n, 1);
    cr_expect_str_eq(s.handle, "alice");
    cr_expect_eq(s.n_signs, 2);
    cr_expect_str_eq(s.last_sign, "boredom");
    cr_expect_str_eq(s.note, "", "a stray note is never read");
    cr_expect_eq(s.craving, -1);
}

Test(checkin_event, alert_says_how_many_never_which)
{
    static const char *const bad[] = {
        "{\"type\":\"checkin.shared\"}",
        "{\"type\":\"checkin.shared\",\"checkin\":null}",
        "{\"type\":\"checkin.shared\",\"checkin\":{\"day\":\"2026-11-22\",\"ts\":1,\"mood\":4,"
        "\"signs\":[]}}",
        "{\"type\":\"checkin.shared\",\"checkin\":{\"handle\":\"a\",\"day\":\"2026-11-22\","
        "\"ts\":1,\"mood\":4,\"signs\":[\"a\",\"a\"]}}",
        "{\"type\":\"checkin.shared\",\"handle\":\"a\",\"day\":\"2026-11-22\",\"ts\":1,"
        "\"mood\":4,\"signs\":[]}",
        "{\"type\":\"checkin.alert\",\"day\":\"2026-11-22\",\"signs\":3}",
        "{\"type\":\"checkin.alert\",\"handle\":\"alice\",\"signs\":3}",
        "{\"type\":\"checkin.alert\",\"handle\":\"alice\",\"day\":\"2026-11-31\",\"signs\":3}",
        "{\"type\":\"checkin.alert\",\"handle\":\"alice\",\"day\":\"2026-11-22\"}",
        "{\"type\":\"checkin.alert\",\"handle\":\"alice\",\"day\":\"2026-11-22\",\"signs\":0}",
        "{\"type\":\"checkin.alert\",\"handle\":\"alice\",\"day\":\"2026-11-22\","
        "\"signs\":[\"isolating\"]}"};
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_ALERT};
    struct one_event o;

    ev.u.checkin_alert.handle = "alice";
    ev.u.checkin_alert.day = "2026-11-22";
    ev.u.checkin_alert.signs = 3;
    event_round_trip(&ev, "{\"type\":\"checkin.alert\",\"handle\":\"alice\","
                          "\"day\":\"2026-11-22\",\"signs\":3}");
    ev.u.checkin_alert.signs = 0;
    cr_expect_null(proto_event_encode(&ev), "an alert without a sign");
    ev.u.checkin_alert.signs = 3;
    ev.u.checkin_alert.day = "22 November";
    cr_expect_null(proto_event_encode(&ev), "a day of the wrong shape");
    ev.u.checkin_alert.day = "2026-11-22";
    ev.u.checkin_alert.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "no handle");

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
        free(o.enc);
    }
}
