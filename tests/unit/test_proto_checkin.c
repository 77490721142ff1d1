/*
 * Settings and daily check-ins in the codec (PROTOCOL.md sections 5.71 to
 * 5.78 and 23): the new names, the calendar rule of days, and the settings.*
 * and checkin.* requests (decoded values, defaults, bounds, refusals that
 * name the field, encoding, round trips), beyond what the golden vectors
 * check. Their results and events are in test_proto_checkin_results.c; the
 * card, the plan and clean time in test_proto_checkin_plan.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define SET "{\"type\":\"settings.set\",\"id\":\"x\","
#define SUBMIT "{\"type\":\"checkin.submit\",\"id\":\"x\","
#define LIST "{\"type\":\"checkin.list\",\"id\":\"x\","

/* ------------------------------------------------------------------ names */

Test(checkin_names, requests_and_errors)
{
    static const struct { enum proto_req_type t; const char *name; } req[] = {
        {PROTO_REQ_SETTINGS_GET, "settings.get"},
        {PROTO_REQ_SETTINGS_SET, "settings.set"},
        {PROTO_REQ_CHECKIN_SUBMIT, "checkin.submit"},
        {PROTO_REQ_CHECKIN_LIST, "checkin.list"},
        {PROTO_REQ_CHECKIN_SUMMARY, "checkin.summary"},
        {PROTO_REQ_CHECKIN_JOURNAL, "checkin.journal"},
        {PROTO_REQ_CHECKIN_SIGNS, "checkin.signs"},
        {PROTO_REQ_CHECKIN_FEED, "checkin.feed"},
        {PROTO_REQ_CARD_GET, "card.get"},
        {PROTO_REQ_CARD_SET, "card.set"},
        {PROTO_REQ_PLAN_GET, "plan.get"},
        {PROTO_REQ_PLAN_SET, "plan.set"},
        {PROTO_REQ_SOBRIETY_SET, "sobriety.set"},
        {PROTO_REQ_SOBRIETY_GET, "sobriety.get"},
        {PROTO_REQ_ACCOUNT_EXPORT, "account.export"},
        {PROTO_REQ_ACCOUNT_DELETE, "account.delete"},
    };
    /* PROTOCOL.md section 9 fixes these sentences. */
    static const struct { enum proto_err e; const char *code, *sentence; } err[] = {
        {PROTO_E_UNKNOWN_SIGN, "unknown_sign",
         "That warning sign is not on this server's list; checkin.signs lists them."},
        {PROTO_E_FUTURE_DATE, "future_date", "That date is after today."},
    };

    cr_assert_eq(sizeof req / sizeof req[0], PROTO_REQ_ROOM_READ - PROTO_REQ_SETTINGS_GET,
                 "every request of issue 5 is listed here");
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        enum proto_req_type t = PROTO_REQ_PING;
        cr_expect_str_eq(proto_req_name(req[i].t), req[i].name);
        cr_expect(proto_req_parse(req[i].name, &t) && t == req[i].t, "%s", req[i].name);
        cr_expect_not(proto_req_allowed_unauthenticated(req[i].t), "%s", req[i].name);
    }
    cr_expect_eq(PROTO_REQ_ACCOUNT_DELETE + 1, PROTO_REQ_ROOM_READ, "issue 5's last request");
    cr_expect_not(proto_req_parse("checkin", &(enum proto_req_type){0}));
    cr_expect_not(proto_req_parse("Checkin.Submit", &(enum proto_req_type){0}));

    cr_assert_eq(sizeof err / sizeof err[0], PROTO_E_NOT_A_CONVERSATION - PROTO_E_UNKNOWN_SIGN);
    for (size_t i = 0; i < sizeof err / sizeof err[0]; i++) {
        enum proto_err e = PROTO_E_INTERNAL;
        cr_expect_str_eq(proto_err_code(err[i].e), err[i].code);
        cr_expect_str_eq(proto_err_sentence(err[i].e), err[i].sentence);
        cr_expect(proto_err_parse(err[i].code, &e) && e == err[i].e, "%s", err[i].code);
    }
    cr_expect_eq(PROTO_E_FUTURE_DATE + 1, PROTO_E_NOT_A_CONVERSATION, "issue 5's last code");
}

Test(checkin_names, shares)
{
    static const char *const names[] = {"private", "buddies", "room", "everyone"};
    enum proto_share s = PROTO_SHARE_ROOM;

    cr_assert_eq(PROTO_SHARE__COUNT, 4);
    for (int i = 0; i < PROTO_SHARE__COUNT; i++) {
        cr_expect_str_eq(proto_share_name(i), names[i]);
        cr_expect(proto_share_parse(names[i], &s) && (int)s == i, "%s", names[i]);
    }
    cr_expect_null(proto_share_name(PROTO_SHARE__COUNT));
    cr_expect_null(proto_share_name((enum proto_share)-1));
    s = PROTO_SHARE_BUDDIES;
    cr_expect_not(proto_share_parse("Private", &s));
    cr_expect_not(proto_share_parse("friends", &s));
    cr_expect_not(proto_share_parse("", &s));
    cr_expect_not(proto_share_parse(NULL, &s));
    cr_expect_eq(s, PROTO_SHARE_BUDDIES, "a failed parse leaves *out alone");
    /* Private by default: a zeroed settings struct shares nothing. */
    cr_expect_eq(PROTO_SHARE_PRIVATE, 0);
}

/* ------------------------------------------------------------------- days */

Test(checkin_days, real_calendar_dates)
{
    static const char *const good[] = {"2026-01-01", "2026-12-31", "2028-02-29", "2000-02-29",
                                       "2026-04-30", "2026-02-28", "1999-12-31", "2400-02-29"};
    static const char *const bad[] = {
        "2026-02-29", "1900-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
        "2026-01-00", "2026-01-32", "2026-1-01", "2026-01-1", "2026/01/01", "26-01-01",
        "2026-01-01 ", " 2026-01-01", "2026-01-01T00:00", "tomorrow", "", "2026-0a-01",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-01-01"};
    struct proto_request r;
    char buf[160];

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(buf, sizeof buf, LIST "\"from\":\"%s\"}", good[i]);
        must_decode(buf, &r);
        cr_expect_str_eq(r.u.range.from, good[i]);
        proto_request_free(&r);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, LIST "\"from\":\"%s\"}", bad[i]);
        refused(buf, "from", "\"YYYY-MM-DD\" that exists");
    }
    refused(LIST "\"from\":20260101}", "from", "string");
    refused(LIST "\"to\":[\"2026-01-01\"]}", "to", "string");
}

/* ----------------------------------------------------------- settings.set */

Test(settings_request, every_member)
{
    struct proto_request r;

    must_decode(SET "\"tz\":\"America/New_York\",\"checkin_share\":\"room\","
                "\"checkin_room\":\"Porch\",\"warning_threshold\":11,\"alert_buddies\":true,"
                "\"isolation_nudges\":false,\"isolation_days\":14,\"meeting_goal\":21,"
                "\"sobriety_share\":\"everyone\",\"milestone_room\":\"Milestones\"}", &r);
    cr_expect(r.u.settings.has_tz && r.u.settings.has_checkin_share &&
              r.u.settings.has_checkin_room && r.u.settings.has_threshold &&
              r.u.settings.has_alert && r.u.settings.has_nudges &&
              r.u.settings.has_isolation_days && r.u.settings.has_goal &&
              r.u.settings.has_sobriety_share && r.u.settings.has_milestone_room);
    cr_expect_str_eq(r.u.settings.set.tz, "America/New_York");
    cr_expect_eq(r.u.settings.set.checkin_share, PROTO_SHARE_ROOM);
    cr_expect_str_eq(r.u.settings.set.checkin_room, "porch", "folded");
    cr_expect_eq(r.u.settings.set.warning_threshold, 11);
    cr_expect(r.u.settings.set.alert_buddies);
    cr_expect_not(r.u.settings.set.isolation_nudges);
    cr_expect_eq(r.u.settings.set.isolation_days, 14);
    cr_expect_eq(r.u.settings.set.meeting_goal, 21);
    cr_expect_eq(r.u.settings.set.sobriety_share, PROTO_SHARE_EVERYONE);
    cr_expect_str_eq(r.u.settings.set.milestone_room, "milestones", "folded");
    proto_request_free(&r);

    /* One member is enough; the others are not given. */
    must_decode(SET "\"warning_threshold\":1}", &r);
    cr_expect(r.u.settings.has_threshold);
    cr_expect_eq(r.u.settings.set.warning_threshold, 1);
    cr_expect_not(r.u.settings.has_tz || r.u.settings.has_checkin_share ||
                  r.u.settings.has_checkin_room || r.u.settings.has_alert ||
                  r.u.settings.has_nudges || r.u.settings.has_isolation_days ||
                  r.u.settings.has_goal || r.u.settings.has_sobriety_share ||
                  r.u.settings.has_milestone_room);
    cr_expect_null(r.u.settings.set.tz);
    proto_request_free(&r);
    must_decode(SET "\"meeting_goal\":0,\"tz\":null}", &r);
    cr_expect(r.u.settings.has_goal);
    cr_expect_eq(r.u.settings.set.meeting_goal, 0);
    cr_expect_not(r.u.settings.has_tz, "null is absent");
    proto_request_free(&r);

    /* "" clears a room; null leaves it alone. */
    must_decode(SET "\"checkin_room\":\"\",\"milestone_room\":null}", &r);
    cr_expect(r.u.settings.has_checkin_room);
    cr_expect_str_eq(r.u.settings.set.checkin_room, "");
    cr_expect_not(r.u.settings.has_milestone_room);
    proto_request_free(&r);
    must_decode(SET "\"milestone_room\":\"\"}", &r);
    cr_expect(r.u.settings.has_milestone_room);
    cr_expect_str_eq(r.u.settings.set.milestone_room, "");
    proto_request_free(&r);
    /* Clearing the room while leaving the share is the server's to judge;
     * sharing with a room without naming one is too. */
    must_decode(SET "\"checkin_share\":\"room\"}", &r);
    proto_request_free(&r);
    must_decode(SET "\"checkin_share\":\"buddies\",\"checkin_room\":\"\"}", &r);
    proto_request_free(&r);
}

Test(settings_request, refusals_name_the_field)
{
    char *tz = repeated(SET "\"tz\":\"", "A", 65);

    refused(SET "\"mood\":3}", "tz", "Give at least one setting");
    refused(SET "\"tz\":null,\"checkin_room\":null}", "warning_threshold", "at least one");
    refused(SET "\"tz\":\"Mars Base\"}", "tz", "time zone name");
    refused(SET "\"tz\":\"\"}", "tz", "time zone name");
    refused(SET "\"tz\":5}", "tz", "string");
    refused(tz, "tz", "1 to 64 bytes");
    /* a share value in the wrong field */
    refused(SET "\"checkin_share\":\"everyone\"}", "checkin_share",
            "\"private\", \"buddies\" or \"room\"");
    refused(SET "\"sobriety_share\":\"room\"}", "sobriety_share",
            "\"private\", \"buddies\" or \"everyone\"");
    refused(SET "\"checkin_share\":\"Private\"}", "checkin_share", NULL);
    refused(SET "\"sobriety_share\":\"friends\"}", "sobriety_share", NULL);
    refused(SET "\"checkin_share\":true}", "checkin_share", "string");
    refused(SET "\"checkin_room\":\"ab\"}", "checkin_room", "3 to 32 characters");
    refused(SET "\"checkin_room\":\"~k3j9aa11\"}", "checkin_room", NULL);
    refused(SET "\"checkin_room\":\"the porch\"}", "checkin_room", NULL);
    refused(SET "\"milestone_room\":7}", "milestone_room", "string");
    refused(SET "\"warning_threshold\":0}", "warning_threshold", "between 1 and 11");
    refused(SET "\"warning_threshold\":12}", "warning_threshold", "between 1 and 11");
    refused(SET "\"warning_threshold\":\"3\"}", "warning_threshold", NULL);
    refused(SET "\"isolation_days\":0}", "isolation_days", "between 1 and 14");
    refused(SET "\"isolation_days\":15}", "isolation_days", "between 1 and 14");
    refused(SET "\"meeting_goal\":22}", "meeting_goal", "between 0 and 21");
    refused(SET "\"meeting_goal\":-1}", "meeting_goal", "between 0 and 21");
    refused(SET "\"meeting_goal\":2.0}", "meeting_goal", NULL);
    refused(SET "\"alert_buddies\":\"true\"}", "alert_buddies", "true or false");
    refused(SET "\"isolation_nudges\":1}", "isolation_nudges", "true or false");
    refused(SET "\"checkin_share\":\"room\",\"checkin_room\":\"\"}", "checkin_room",
            "cannot be cleared");
    /* in the order of the settings object */
    refused(SET "\"meeting_goal\":99,\"tz\":\"a b\"}", "tz", NULL);
    refused(SET "\"sobriety_share\":\"room\",\"isolation_days\":0}", "isolation_days", NULL);
    free(tz);
}

Test(settings_request, encode)
{
    struct proto_request in = {.type = PROTO_REQ_SETTINGS_SET, .id = "s"}, out;
    char *s;

    cr_expect_null(proto_request_encode(&in), "nothing to set");
    in.u.settings.has_tz = in.u.settings.has_checkin_share = in.u.settings.has_checkin_room = true;
    in.u.settings.has_threshold = in.u.settings.has_alert = in.u.settings.has_nudges = true;
    in.u.settings.has_isolation_days = in.u.settings.has_goal = true;
    in.u.settings.has_sobriety_share = in.u.settings.has_milestone_room = true;
    in.u.settings.set = (struct proto_settings){
        .tz = "Europe/London", .checkin_share = PROTO_SHARE_ROOM, .checkin_room = "porch",
        .warning_threshold = 3, .alert_buddies = true, .isolation_nudges = true,
        .isolation_days = 2, .meeting_goal = 0, .sobriety_share = PROTO_SHARE_BUDDIES,
        .milestone_room = NULL};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"settings.set\",\"id\":\"s\",\"tz\":\"Europe/London\","
                        "\"checkin_share\":\"room\",\"checkin_room\":\"porch\","
                        "\"warning_threshold\":3,\"alert_buddies\":true,\"isolation_nudges\":true,"
                        "\"isolation_days\":2,\"meeting_goal\":0,\"sobriety_share\":\"buddies\","
                        "\"milestone_room\":\"\"}");
    cr_expect_str_eq(out.u.settings.set.milestone_room, "", "NULL with has_: cleared");
    cr_expect(out.u.settings.has_milestone_room);
    free(s);
    proto_request_free(&out);

    in = (struct proto_request){.type = PROTO_REQ_SETTINGS_SET, .id = "s"};
    in.u.settings.has_alert = true;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"settings.set\",\"id\":\"s\",\"alert_buddies\":false}");
    free(s);
    proto_request_free(&out);

    /* Values decoding would refuse are refused. */
    in.u.settings.has_checkin_share = true;
    in.u.settings.set.checkin_share = PROTO_SHARE_EVERYONE;
    cr_expect_null(proto_request_encode(&in), "check-ins shared with everyone");
    in.u.settings.set.checkin_share = PROTO_SHARE_ROOM;
    in.u.settings.has_checkin_room = true;
    cr_expect_null(proto_request_encode(&in), "a room share and the room cleared");
    in.u.settings.has_checkin_room = false;
    in.u.settings.has_sobriety_share = true;
    in.u.settings.set.sobriety_share = PROTO_SHARE_ROOM;
    cr_expect_null(proto_request_encode(&in), "clean time shared with a room");
    in.u.settings.set.sobriety_share = PROTO_SHARE_PRIVATE;
    in.u.settings.has_threshold = true;
    in.u.settings.set.warning_threshold = 12;
    cr_expect_null(proto_request_encode(&in), "threshold 12");
    in.u.settings.set.warning_threshold = 0;
    cr_expect_null(proto_request_encode(&in), "threshold 0");
    in.u.settings.set.warning_threshold = 11;
    in.u.settings.has_isolation_days = true;
    in.u.settings.set.isolation_days = 15;
    cr_expect_null(proto_request_encode(&in), "15 quiet days");
    in.u.settings.set.isolation_days = 1;
    in.u.settings.has_goal = true;
    in.u.settings.set.meeting_goal = 22;
    cr_expect_null(proto_request_encode(&in), "22 meetings a week");
    in.u.settings.set.meeting_goal = 21;
    in.u.settings.has_tz = true;
    cr_expect_null(proto_request_encode(&in), "a tz to set, and none");
    in.u.settings.set.tz = "Mars Base";
    cr_expect_null(proto_request_encode(&in), "a malformed tz");
    in.u.settings.set.tz = "UTC";
    cr_assert_not_null(s = proto_request_encode(&in));
    free(s);
}

/* --------------------------------------------------------- checkin.submit */

Test(checkin_request, submit_members)
{
    struct proto_request r;

    must_decode(SUBMIT "\"mood\":4,\"craving\":2,\"signs\":[\"isolating\",\"high_stress\"],"
                "\"grateful\":\"my sister called " SEEDLING "\",\"win\":\"went to a meeting\","
                "\"note\":\"slept badly\"}", &r);
    cr_expect_eq(r.u.checkin.mood, 4);
    cr_expect_eq(r.u.checkin.craving, 2);
    cr_assert_eq(r.u.checkin.n_signs, 2);
    cr_expect_eq((void *)r.u.checkin.signs, r._alloc);
    cr_expect_str_eq(r.u.checkin.signs[0], "isolating");
    cr_expect_str_eq(r.u.checkin.signs[1], "high_stress");
    cr_expect_str_eq(r.u.checkin.grateful, "my sister called " SEEDLING);
    cr_expect_str_eq(r.u.checkin.win, "went to a meeting");
    cr_expect_str_eq(r.u.checkin.note, "slept badly");
    cr_expect_null(r.u.checkin.day, "the server says the day");
    cr_expect_null(r.u.checkin.handle);
    proto_request_free(&r);

    /* Only the mood is required: no craving is -1, no signs none, "" is not said. */
    must_decode(SUBMIT "\"mood\":1}", &r);
    cr_expect_eq(r.u.checkin.mood, 1);
    cr_expect_eq(r.u.checkin.craving, -1);
    cr_expect_eq(r.u.checkin.n_signs, 0);
    cr_expect_null(r.u.checkin.signs);
    cr_expect_null(r._alloc);
    proto_request_free(&r);
    must_decode(SUBMIT "\"mood\":5,\"craving\":null,\"signs\":[],\"grateful\":\"\","
                "\"win\":null,\"note\":\"\"}", &r);
    cr_expect_eq(r.u.checkin.craving, -1);
    cr_expect_eq(r.u.checkin.n_signs, 0);
    cr_expect_null(r._alloc);
    cr_expect_null(r.u.checkin.grateful);
    cr_expect_null(r.u.checkin.win);
    cr_expect_null(r.u.checkin.note);
    proto_request_free(&r);
    must_decode(SUBMIT "\"mood\":3,\"craving\":0,\"signs\":[\"a\",\"z9_\"]}", &r);
    cr_expect_eq(r.u.checkin.craving, 0);
    cr_expect_eq(r.u.checkin.n_signs, 2);
    proto_request_free(&r);
    must_decode(SUBMIT "\"mood\":3,\"craving\":10}", &r);
    cr_expect_eq(r.u.checkin.craving, 10);
    proto_request_free(&r);
}

/* A signs array of n names s0, s1, ... (each distinct), with name `last` in
 * the last place when given. The caller frees it. */
static char *with_signs(int n, const char *last)
{
    size_t size = 64 + (size_t)n * 48;
    char *buf = malloc(size), *p = buf;
    cr_assert(buf);
    p += sprintf(p, SUBMIT "\"mood\":2,\"signs\":[");
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s\"%s%d\"", i ? "," : "", (last && i == n - 1) ? last : "s",
                     (last && i == n - 1) ? 0 : i);
    strcpy(p, "]}");
    return buf;
}

Test(checkin_request, signs)
{
    struct proto_request r;
    char *s;

    s = with_signs(32, NULL);
    must_decode(s, &r);
    cr_expect_eq(r.u.checkin.n_signs, 32);
    cr_expect_str_eq(r.u.checkin.signs[31], "s31");
    proto_request_free(&r);
    free(s);
    s = with_signs(33, NULL);
    refused(s, "signs", "at most 32");
    free(s);
    /* A name of 32 characters is one; 33 is not. */
    s = with_signs(1, "abcdefghijklmnopqrstuvwxyz_1234");   /* 31 + the "0" */
    must_decode(s, &r);
    cr_expect_eq(strlen(r.u.checkin.signs[0]), 32);
    proto_request_free(&r);
    free(s);
    s = with_signs(1, "abcdefghijklmnopqrstuvwxyz_12345");
    refused(s, "signs", "1 to 32 of a-z, 0-9 or '_'");
    free(s);

    refused(SUBMIT "\"mood\":2,\"signs\":[\"isolating\",\"isolating\"]}", "signs", "twice");
    refused(SUBMIT "\"mood\":2,\"signs\":[\"boredom\",\"isolating\",\"boredom\"]}", "signs",
            "twice");
    refused(SUBMIT "\"mood\":2,\"signs\":[\"Isolating\"]}", "signs", "warning sign names");
    refused(SUBMIT "\"mood\":2,\"signs\":[\"\"]}", "signs", "warning sign names");
    refused(SUBMIT "\"mood\":2,\"signs\":[\"high-stress\"]}", "signs", NULL);
    refused(SUBMIT "\"mood\":2,\"signs\":[\"high stress\"]}", "signs", NULL);
    refused(SUBMIT "\"mood\":2,\"signs\":[\"caf\\u00e9\"]}", "signs", NULL);
    refused(SUBMIT "\"mood\":2,\"signs\":[3]}", "signs", NULL);
    refused(SUBMIT "\"mood\":2,\"signs\":[null]}", "signs", NULL);
    refused(SUBMIT "\"mood\":2,\"signs\":\"isolating\"}", "signs", "array");
    refused(SUBMIT "\"mood\":2,\"signs\":{}}", "signs", "array");
}

static const char *grateful(const struct proto_request *r) { return r->u.checkin.grateful; }
static const char *win(const struct proto_request *r) { return r->u.checkin.win; }
static const char *note(const struct proto_request *r) { return r->u.checkin.note; }

Test(checkin_request, words_bounds)
{
    static const struct string_bound bounds[] = {
        {.head = SUBMIT "\"mood\":3,\"grateful\":\"", .field = "grateful", .id = "x", .max = 500,
         .err = PROTO_E_TEXT_TOO_LONG, .value = grateful},
        {.head = SUBMIT "\"mood\":3,\"win\":\"", .field = "win", .id = "x", .max = 500,
         .err = PROTO_E_TEXT_TOO_LONG, .value = win},
        {.head = SUBMIT "\"mood\":3,\"note\":\"", .field = "note", .id = "x", .max = 500,
         .err = PROTO_E_TEXT_TOO_LONG, .value = note},
    };
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", SEEDLING, "\\n",
                                         "\\ud83c\\udf31"};
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
            expect_string_bound(&bounds[b], widths[w]);
    refused(SUBMIT "\"mood\":3,\"grateful\":5}", "grateful", "string");
    refused(SUBMIT "\"mood\":3,\"win\":[\"x\"]}", "win", "string");
    refused(SUBMIT "\"mood\":3,\"note\":true}", "note", "string");
}

Test(checkin_request, submit_refusals_in_order)
{
    struct proto_decode_error e;
    char *long_note = repeated(SUBMIT "\"mood\":0,\"note\":\"", "a", 501);

    refused(SUBMIT "\"craving\":2}", "mood", "required");
    refused(SUBMIT "\"mood\":null}", "mood", "required");
    refused(SUBMIT "\"mood\":0}", "mood", "between 1 and 5");
    refused(SUBMIT "\"mood\":6}", "mood", "between 1 and 5");
    refused(SUBMIT "\"mood\":\"4\"}", "mood", NULL);
    refused(SUBMIT "\"mood\":4.0}", "mood", NULL);
    refused(SUBMIT "\"mood\":3,\"craving\":11}", "craving", "between 0 and 10");
    refused(SUBMIT "\"mood\":3,\"craving\":-1}", "craving", "between 0 and 10");
    refused(SUBMIT "\"mood\":3,\"craving\":\"low\"}", "craving", NULL);
    /* mood, craving, signs, grateful, win, note */
    refused(long_note, "mood", NULL);
    refused(SUBMIT "\"mood\":3,\"craving\":11,\"signs\":[\"X\"]}", "craving", NULL);
    refused(SUBMIT "\"mood\":3,\"signs\":[\"X\"],\"grateful\":5}", "signs", NULL);
    refused(SUBMIT "\"mood\":3,\"grateful\":5,\"win\":5}", "grateful", NULL);
    refused(SUBMIT "\"mood\":3,\"win\":5,\"note\":5}", "win", NULL);
    long_note[strlen(SUBMIT "\"mood\":")] = '1';
    cr_expect_eq(must_fail(long_note, &e), PROTO_E_TEXT_TOO_LONG);
    cr_expect(strstr(e.message, "'note'") && strstr(e.message, "at most 500"), "%s", e.message);
    cr_expect_str_eq(e.id, "x");
    free(long_note);
}

Test(checkin_request, submit_encode)
{
    static const char *signs[] = {"isolating", "boredom"};
    struct proto_request in = {.type = PROTO_REQ_CHECKIN_SUBMIT, .id = "c"}, out;
    char *s;

    in.u.checkin = (struct proto_checkin){.mood = 3, .craving = -1};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.submit\",\"id\":\"c\",\"mood\":3}");
    free(s);
    proto_request_free(&out);

    in.u.checkin = (struct proto_checkin){
        .mood = 2, .craving = 0, .signs = signs, .n_signs = 2, .grateful = "tea " SEEDLING,
        .win = "", .note = "hard day", .day = "2026-11-22", .handle = "alice", .ts = 9};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.submit\",\"id\":\"c\",\"mood\":2,\"craving\":0,"
                        "\"signs\":[\"isolating\",\"boredom\"],\"grateful\":\"tea " SEEDLING
                        "\",\"note\":\"hard day\"}");
    cr_expect_eq(out.u.checkin.n_signs, 2);
    cr_expect_null(out.u.checkin.win);
    free(s);
    proto_request_free(&out);

    /* Values decoding would refuse are refused. */
    in.u.checkin.mood = 0;
    cr_expect_null(proto_request_encode(&in), "mood 0");
    in.u.checkin.mood = 6;
    cr_expect_null(proto_request_encode(&in), "mood 6");
    in.u.checkin.mood = 5;
    in.u.checkin.craving = 11;
    cr_expect_null(proto_request_encode(&in), "craving 11");
    in.u.checkin.craving = -2;
    cr_expect_null(proto_request_encode(&in), "craving -2");
    in.u.checkin.craving = 5;
    signs[1] = "isolating";
    cr_expect_null(proto_request_encode(&in), "a sign twice");
    signs[1] = "Boredom";
    cr_expect_null(proto_request_encode(&in), "a capital");
    signs[1] = "boredom";
    in.u.checkin.n_signs = 33;
    cr_expect_null(proto_request_encode(&in), "33 signs");
    in.u.checkin.n_signs = 1;
    in.u.checkin.signs = NULL;
    cr_expect_null(proto_request_encode(&in), "one sign and no array");
    in.u.checkin.n_signs = 0;
    cr_assert_not_null(s = proto_request_encode(&in));
    free(s);
}

/* ------------------------------------------ list, journal, summary, reads */

Test(checkin_request, list_journal_summary)
{
    struct proto_request r, in = {.type = PROTO_REQ_CHECKIN_LIST, .id = "l"}, out;
    char *s;

    must_decode("{\"type\":\"checkin.list\",\"id\":\"x\"}", &r);
    cr_expect_null(r.u.range.from);
    cr_expect_null(r.u.range.to);
    cr_expect_eq(r.u.range.limit, 30, "the default");
    proto_request_free(&r);
    must_decode(LIST "\"from\":\"2026-11-01\",\"to\":\"2026-11-01\",\"limit\":366}", &r);
    cr_expect_str_eq(r.u.range.from, "2026-11-01");
    cr_expect_str_eq(r.u.range.to, "2026-11-01");
    cr_expect_eq(r.u.range.limit, 366);
    proto_request_free(&r);
    refused(LIST "\"from\":\"2026-11-02\",\"to\":\"2026-11-01\"}", "to", "before 'from'");
    refused(LIST "\"limit\":0}", "limit", "between 1 and 366");
    refused(LIST "\"limit\":367}", "limit", "between 1 and 366");

    must_decode("{\"type\":\"checkin.journal\",\"id\":\"x\",\"before\":null}", &r);
    cr_expect_null(r.u.range.before);
    cr_expect_eq(r.u.range.limit, 30);
    proto_request_free(&r);
    must_decode("{\"type\":\"checkin.journal\",\"id\":\"x\",\"before\":\"2028-02-29\","
                "\"limit\":100}", &r);
    cr_expect_str_eq(r.u.range.before, "2028-02-29");
    cr_expect_eq(r.u.range.limit, 100);
    proto_request_free(&r);
    refused("{\"type\":\"checkin.journal\",\"id\":\"x\",\"limit\":101}", "limit",
            "between 1 and 100");
    refused("{\"type\":\"checkin.journal\",\"id\":\"x\",\"before\":\"2027-02-29\"}", "before",
            NULL);

    must_decode("{\"type\":\"checkin.summary\",\"id\":\"x\"}", &r);
    cr_expect_not(r.u.summary.months);
    cr_expect_eq(r.u.summary.count, 8);
    proto_request_free(&r);
    must_decode("{\"type\":\"checkin.summary\",\"id\":\"x\",\"period\":\"month\",\"count\":52}",
                &r);
    cr_expect(r.u.summary.months);
    cr_expect_eq(r.u.summary.count, 52);
    proto_request_free(&r);
    refused("{\"type\":\"checkin.summary\",\"id\":\"x\",\"period\":\"year\"}", "period",
            "\"week\" or \"month\"");
    refused("{\"type\":\"checkin.summary\",\"id\":\"x\",\"period\":\"Week\"}", "period", NULL);
    refused("{\"type\":\"checkin.summary\",\"id\":\"x\",\"period\":7}", "period", NULL);
    refused("{\"type\":\"checkin.summary\",\"id\":\"x\",\"count\":53}", "count",
            "between 1 and 52");
    refused("{\"type\":\"checkin.summary\",\"id\":\"x\",\"count\":0}", "count", NULL);

    /* Encoding writes the limits and the period always, like the decoded form. */
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.list\",\"id\":\"l\",\"limit\":30}");
    free(s);
    proto_request_free(&out);
    in.u.range.to = "2026-11-30";
    in.u.range.limit = 7;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.list\",\"id\":\"l\",\"to\":\"2026-11-30\","
                        "\"limit\":7}");
    free(s);
    proto_request_free(&out);
    in.u.range.from = "2026-12-01";
    cr_expect_null(proto_request_encode(&in), "from after to");
    in.u.range.from = "2026-02-29";
    cr_expect_null(proto_request_encode(&in), "a day that does not exist");
    in.u.range.from = NULL;
    in.u.range.limit = 367;
    cr_expect_null(proto_request_encode(&in), "limit 367");

    in = (struct proto_request){.type = PROTO_REQ_CHECKIN_JOURNAL, .id = "j"};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.journal\",\"id\":\"j\",\"limit\":30}");
    free(s);
    proto_request_free(&out);
    in.u.range.before = "2026-13-01";
    cr_expect_null(proto_request_encode(&in), "month 13");

    in = (struct proto_request){.type = PROTO_REQ_CHECKIN_SUMMARY, .id = "m"};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"checkin.summary\",\"id\":\"m\",\"period\":\"week\","
                        "\"count\":8}");
    free(s);
    proto_request_free(&out);
    in.u.summary.months = true;
    in.u.summary.count = 53;
    cr_expect_null(proto_request_encode(&in), "count 53");
}

Test(checkin_request, reads_have_no_members)
{
    static const enum proto_req_type none[] = {
        PROTO_REQ_SETTINGS_GET, PROTO_REQ_CHECKIN_SIGNS, PROTO_REQ_CHECKIN_FEED,
        PROTO_REQ_CARD_GET, PROTO_REQ_PLAN_GET};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct proto_request in = {.type = none[i], .id = "n"}, out;
        char want[64], *s = round_trip_request(&in, &out);
        snprintf(want, sizeof want, "{\"type\":\"%s\",\"id\":\"n\"}", proto_req_name(none[i]));
        cr_expect_str_eq(s, want);
        free(s);
        proto_request_free(&out);
    }
}
