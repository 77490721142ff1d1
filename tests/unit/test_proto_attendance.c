/*
 * meeting.attendance (PROTOCOL.md sections 5.43 and 14.8) in the codec: its
 * name, the request's two optional members (bounds, defaults, order of
 * checks, encoding), and the result's weeks (encoding, decoding, the shape of
 * a week's date, what a failed decode leaves), beyond what the golden
 * vectors check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define OFFSET_MSG "Field 'utc_offset_minutes' must be an integer between -720 and 840."
#define WEEKS_MSG "Field 'weeks' must be an integer between 1 and 52."
/* The start of a request with id "x", up to its first member. */
#define REQ "{\"type\":\"meeting.attendance\",\"id\":\"x\""

/* ---------------------------------------------------------------- helpers */

/* Decodes `text`, which must succeed, and checks the two members. */
static void decodes_to(const char *text, int32_t offset, uint32_t weeks)
{
    struct proto_request r;
    must_decode(text, &r);
    cr_expect_eq(r.type, PROTO_REQ_MEETING_ATTENDANCE, "%s", text);
    cr_expect_eq(r.u.attendance.utc_offset_minutes, offset, "%s", text);
    cr_expect_eq(r.u.attendance.weeks, weeks, "%s", text);
    proto_request_free(&r);
}

/* Decoding fails with invalid_field, keeps the id "x", leaves nothing and
 * says exactly `message`. */
static void refused_saying(const char *text, const char *message)
{
    struct proto_decode_error e;
    cr_expect_eq(must_fail(text, &e), PROTO_E_INVALID_FIELD, "%s", text);
    cr_expect_eq(e.code, PROTO_E_INVALID_FIELD, "%s", text);
    cr_expect_str_eq(e.id, "x", "%s", text);
    cr_expect_str_eq(e.message, message, "%s", text);
}

/* Decoding the data `d` (whose reference the caller keeps) fails with
 * invalid_field and keeps nothing: no root, no allocation, no reference. */
static void data_refused(json_t *d, const char *what)
{
    struct proto_result out;
    cr_assert(d, "%s", what);
    cr_expect_eq(proto_result_decode(PROTO_REQ_MEETING_ATTENDANCE, d, &out), PROTO_E_INVALID_FIELD,
                 "%s", what);
    cr_expect_null(out._root, "%s", what);
    cr_expect_null(out._alloc, "%s", what);
    cr_expect_eq(out.type, PROTO_REQ_MEETING_ATTENDANCE, "%s", what);
    cr_expect_eq(d->refcount, 1, "%s", what);
}

/* A result with one week whose "week" member is `week` (a JSON value). */
static void week_refused(json_t *week)
{
    json_t *d =
        json_pack("{s:[{s:o,s:i,s:i}]}", "weeks", "week", week, "meetings", 1, "minutes", 5);
    char *what = json_dumps(d, JSON_COMPACT);
    data_refused(d, what);
    free(what);
    json_decref(d);
}

/* ------------------------------------------------------------------ names */

Test(attendance_names, name_and_authentication)
{
    enum proto_req_type t = PROTO_REQ_PING;
    cr_expect_str_eq(proto_req_name(PROTO_REQ_MEETING_ATTENDANCE), "meeting.attendance");
    cr_expect(proto_req_parse("meeting.attendance", &t));
    cr_expect_eq(t, PROTO_REQ_MEETING_ATTENDANCE);
    cr_expect_not(proto_req_parse("meeting.Attendance", &t));
    cr_expect_not(proto_req_parse("meeting.attend", &t));
    cr_expect_not(proto_req_parse("attendance", &t));
    /* Its number stays: the schedule requests came after it. */
    cr_expect_eq(PROTO_REQ_MEETING_ATTENDANCE + 1, PROTO_REQ_MEETING_SCHEDULE);
    /* One's own attendance needs an account. */
    cr_expect_not(proto_req_allowed_unauthenticated(PROTO_REQ_MEETING_ATTENDANCE));
}

/* ---------------------------------------------------------------- decode */

Test(attendance_request, members_and_defaults)
{
    decodes_to(REQ ",\"utc_offset_minutes\":-300,\"weeks\":8}", -300, 8);
    decodes_to(REQ "}", 0, 12);
    decodes_to(REQ ",\"utc_offset_minutes\":60}", 60, 12);
    decodes_to(REQ ",\"weeks\":4}", 0, 4);
    decodes_to(REQ ",\"utc_offset_minutes\":null,\"weeks\":null}", 0, 12);
    decodes_to(REQ ",\"utc_offset_minutes\":0,\"weeks\":12}", 0, 12);
    /* Offsets that are not whole hours exist (India, Nepal, Chatham Islands). */
    decodes_to(REQ ",\"utc_offset_minutes\":330}", 330, 12);
    decodes_to(REQ ",\"utc_offset_minutes\":345}", 345, 12);
    decodes_to(REQ ",\"utc_offset_minutes\":-570}", -570, 12);
    /* Asking about someone else is not possible: such members are unknown, ignored. */
    decodes_to(REQ ",\"handle\":\"bob\",\"room\":\"x y\"}", 0, 12);
}

Test(attendance_request, bounds)
{
    decodes_to(REQ ",\"utc_offset_minutes\":-720}", -720, 12);
    decodes_to(REQ ",\"utc_offset_minutes\":840}", 840, 12);
    decodes_to(REQ ",\"weeks\":1}", 0, 1);
    decodes_to(REQ ",\"weeks\":52}", 0, 52);
    refused_saying(REQ ",\"utc_offset_minutes\":-721}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":841}", OFFSET_MSG);
    refused_saying(REQ ",\"weeks\":0}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":53}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":-1}", WEEKS_MSG);
    /* Far out of range, where a narrowing cast would wrap into range. */
    refused_saying(REQ ",\"utc_offset_minutes\":4294967296}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":-9223372036854775808}", OFFSET_MSG);
    refused_saying(REQ ",\"weeks\":4294967308}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":9223372036854775807}", WEEKS_MSG);
}

Test(attendance_request, types)
{
    refused_saying(REQ ",\"utc_offset_minutes\":\"-300\"}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":-300.0}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":true}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":[60]}", OFFSET_MSG);
    refused_saying(REQ ",\"weeks\":\"8\"}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":8.0}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":false}", WEEKS_MSG);
    refused_saying(REQ ",\"weeks\":{}}", WEEKS_MSG);
}

Test(attendance_request, order_of_checks)
{
    struct proto_decode_error e;
    /* utc_offset_minutes is checked before weeks, whatever the order in the frame. */
    refused_saying(REQ ",\"weeks\":0,\"utc_offset_minutes\":900}", OFFSET_MSG);
    refused_saying(REQ ",\"utc_offset_minutes\":-60,\"weeks\":99}", WEEKS_MSG);
    /* The id comes before the members: an unreadable id is reported first, with no id. */
    cr_expect_eq(must_fail("{\"type\":\"meeting.attendance\",\"id\":7,\"weeks\":0}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.id, "");
    cr_expect(strstr(e.message, "'id'"), "%s", e.message);
}

/* ---------------------------------------------------------------- encode */

Test(attendance_request, encode_round_trips)
{
    struct proto_request in = {.type = PROTO_REQ_MEETING_ATTENDANCE, .id = "7"}, out;
    char *s;

    in.u.attendance.utc_offset_minutes = -300;
    in.u.attendance.weeks = 8;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.attendance\",\"id\":\"7\",\"utc_offset_minutes\":-300,"
                        "\"weeks\":8}");
    cr_expect_eq(out.u.attendance.utc_offset_minutes, -300);
    cr_expect_eq(out.u.attendance.weeks, 8);
    free(s);
    proto_request_free(&out);

    /* The bounds. */
    in.u.attendance.utc_offset_minutes = -720;
    in.u.attendance.weeks = 1;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.attendance\",\"id\":\"7\",\"utc_offset_minutes\":-720,"
                        "\"weeks\":1}");
    free(s);
    proto_request_free(&out);
    in.u.attendance.utc_offset_minutes = 840;
    in.u.attendance.weeks = 52;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.attendance\",\"id\":\"7\",\"utc_offset_minutes\":840,"
                        "\"weeks\":52}");
    free(s);
    proto_request_free(&out);
}

Test(attendance_request, encode_writes_the_defaults)
{
    struct proto_request in = {.type = PROTO_REQ_MEETING_ATTENDANCE, .id = "a"}, out;
    char *s;

    /* A zeroed request asks for the defaults, written out like the decoded form has them. */
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"meeting.attendance\",\"id\":\"a\",\"utc_offset_minutes\":0,"
                        "\"weeks\":12}");
    cr_expect_eq(out.u.attendance.weeks, 12);
    free(s);
    proto_request_free(&out);

    /* Decoding the bare request and encoding it again gives the same. */
    must_decode("{\"type\":\"meeting.attendance\",\"id\":\"a\"}", &out);
    expect_json(proto_request_encode(&out),
                "{\"type\":\"meeting.attendance\",\"id\":\"a\",\"utc_offset_minutes\":0,"
                "\"weeks\":12}");
    proto_request_free(&out);
}

Test(attendance_request, encode_refuses_what_decoding_would)
{
    struct proto_request r = {.type = PROTO_REQ_MEETING_ATTENDANCE, .id = "e"};
    char *s;

    r.u.attendance.utc_offset_minutes = 841;
    cr_expect_null(proto_request_encode(&r), "offset 841");
    r.u.attendance.utc_offset_minutes = -721;
    cr_expect_null(proto_request_encode(&r), "offset -721");
    r.u.attendance.utc_offset_minutes = INT32_MIN;
    cr_expect_null(proto_request_encode(&r), "offset INT32_MIN");
    r.u.attendance.utc_offset_minutes = INT32_MAX;
    cr_expect_null(proto_request_encode(&r), "offset INT32_MAX");
    r.u.attendance.utc_offset_minutes = 0;
    r.u.attendance.weeks = 53;
    cr_expect_null(proto_request_encode(&r), "53 weeks");
    r.u.attendance.weeks = UINT32_MAX;
    cr_expect_null(proto_request_encode(&r), "UINT32_MAX weeks");
    r.u.attendance.weeks = 52;
    r.id = NULL;
    cr_expect_null(proto_request_encode(&r), "no id");
    r.id = "e";
    s = proto_request_encode(&r);
    cr_expect_not_null(s);
    free(s);
}

/* ---------------------------------------------------------------- results */

Test(attendance_result, encode_and_decode)
{
    struct proto_attendance_week weeks[] = {{"2026-11-16", 2, 95}, {"2026-11-02", 1, 60}};
    struct proto_result in = {.type = PROTO_REQ_MEETING_ATTENDANCE}, out;

    in.u.attendance.weeks = weeks;
    in.u.attendance.n = 2;
    expect_json(proto_result_encode("7", &in),
                "{\"type\":\"result\",\"id\":\"7\",\"data\":{\"weeks\":["
                "{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95},"
                "{\"week\":\"2026-11-02\",\"meetings\":1,\"minutes\":60}]}}");

    round_trip_result(&in, &out);
    cr_expect_eq(out.type, PROTO_REQ_MEETING_ATTENDANCE);
    cr_assert_eq(out.u.attendance.n, 2);
    cr_assert_not_null(out.u.attendance.weeks);
    cr_expect_eq((void *)out.u.attendance.weeks, out._alloc, "freed with the result");
    cr_expect_str_eq(out.u.attendance.weeks[0].week, "2026-11-16");
    cr_expect_eq(out.u.attendance.weeks[0].meetings, 2);
    cr_expect_eq(out.u.attendance.weeks[0].minutes, 95);
    cr_expect_str_eq(out.u.attendance.weeks[1].week, "2026-11-02");
    cr_expect_eq(out.u.attendance.weeks[1].meetings, 1);
    cr_expect_eq(out.u.attendance.weeks[1].minutes, 60);
    proto_result_free(&out);
    cr_expect_null(out._alloc);
    cr_expect_null(out._root);
    cr_expect_null(out.u.attendance.weeks);
    proto_result_free(&out);   /* a freed result may be freed again */
}

Test(attendance_result, empty)
{
    struct proto_result in = {.type = PROTO_REQ_MEETING_ATTENDANCE}, out;
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"weeks\":[]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.attendance.n, 0);
    cr_expect_null(out.u.attendance.weeks);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
}

Test(attendance_result, counts_of_zero_and_the_largest)
{
    struct proto_attendance_week weeks[] = {{"2026-01-05", 0, 0},
                                            {"1999-12-27", UINT32_MAX, UINT32_MAX}};
    struct proto_result in = {.type = PROTO_REQ_MEETING_ATTENDANCE}, out;
    in.u.attendance.weeks = weeks;
    in.u.attendance.n = 2;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.attendance.n, 2);
    cr_expect_eq(out.u.attendance.weeks[0].meetings, 0);
    cr_expect_eq(out.u.attendance.weeks[0].minutes, 0);
    cr_expect_eq(out.u.attendance.weeks[1].meetings, UINT32_MAX);
    cr_expect_eq(out.u.attendance.weeks[1].minutes, UINT32_MAX);
    cr_expect_str_eq(out.u.attendance.weeks[1].week, "1999-12-27");
    proto_result_free(&out);
}

Test(attendance_result, encode_refuses_a_bad_week)
{
    static const char *const bad[] = {
        NULL, "", "2026-11-1", "2026-11-160", "2026/11/16", "2026-11-16T00:00", "26-11-16",
        "2026-Nov-16", "2026-11--6", "-2026-11-16", "2026 11 16",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-11-16",   /* fullwidth digits */
    };
    struct proto_attendance_week weeks[] = {{"2026-11-16", 2, 95}, {NULL, 1, 60}};
    struct proto_result in = {.type = PROTO_REQ_MEETING_ATTENDANCE};

    in.u.attendance.weeks = weeks;
    in.u.attendance.n = 2;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        weeks[1].week = bad[i];
        cr_expect_null(proto_result_encode("x", &in), "week '%s'", bad[i] ? bad[i] : "(null)");
    }
    /* n weeks and no array is refused, not a crash. */
    in.u.attendance.weeks = NULL;
    cr_expect_null(proto_result_encode("x", &in));
}

Test(attendance_result, decode_refuses_a_bad_week)
{
    static const char *const bad[] = {
        "", "2026-11-1", "2026-11-160", "2026/11/16", "2026-11-16T00:00", "26-11-16",
        "2026-Nov-16", "2026-11--6", "-2026-11-16", "2026 11 16", "2026.11.16", "20261116xx",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-11-16",   /* fullwidth digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        week_refused(json_string(bad[i]));
    week_refused(json_integer(20261116));
    week_refused(json_null());
    week_refused(json_true());
    week_refused(json_pack("[s]", "2026-11-16"));
    /* The length counts, not the C string: a NUL inside makes it no date. */
    week_refused(json_stringn("2026-11-16\0junk", 15));
    week_refused(json_stringn("2026-11-1\0", 10));
}

Test(attendance_result, decode_refuses_bad_members)
{
    static const char *const bad[] = {
        "{}",
        "{\"weeks\":null}",
        "{\"weeks\":{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95}}",
        "{\"weeks\":\"2026-11-16\"}",
        "{\"weeks\":[\"2026-11-16\"]}",
        "{\"weeks\":[null]}",
        "{\"weeks\":[{\"meetings\":2,\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":-1,\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":-95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2.0,\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":\"95\"}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":null,\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":4294967296,\"minutes\":95}]}",
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":4294967296}]}",
        /* a bad week after good ones: the array allocated so far is released */
        "{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95},"
        "{\"week\":\"2026-11-09\",\"meetings\":1,\"minutes\":30},"
        "{\"week\":\"2026-11-2\",\"meetings\":1,\"minutes\":60}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_MEETING_ATTENDANCE, bad[i]);
}

Test(attendance_result, decode_ignores_unknown_members)
{
    struct proto_result out;
    json_t *d = json_loads("{\"weeks\":[{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95,"
                           "\"rooms\":[\"circle\"]}],\"total\":2}", 0, NULL);
    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_MEETING_ATTENDANCE, d, &out), PROTO_OK);
    cr_assert_eq(out.u.attendance.n, 1);
    cr_expect_str_eq(out.u.attendance.weeks[0].week, "2026-11-16");
    expect_json(proto_result_encode("z", &out),
                "{\"type\":\"result\",\"id\":\"z\",\"data\":{\"weeks\":["
                "{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95}]}}");
    proto_result_free(&out);
    cr_expect_eq(d->refcount, 1);
    json_decref(d);
}

/* A whole reply frame, as a client receives it. */
static void on_msg(const struct proto_server_msg *m, void *ud)
{
    struct proto_result res;
    int *seen = ud;
    cr_assert_eq(m->kind, PROTO_MSG_RESULT);
    cr_expect_str_eq(m->id, "7");
    cr_assert_eq(proto_result_decode(PROTO_REQ_MEETING_ATTENDANCE, m->data, &res), PROTO_OK);
    cr_assert_eq(res.u.attendance.n, 2);
    cr_expect_str_eq(res.u.attendance.weeks[0].week, "2026-11-16");
    cr_expect_str_eq(res.u.attendance.weeks[1].week, "2026-11-02");
    proto_result_free(&res);
    (*seen)++;
}

Test(attendance_result, from_a_frame)
{
    const char *frame = "{\"type\":\"result\",\"id\":\"7\",\"data\":{\"weeks\":["
                        "{\"week\":\"2026-11-16\",\"meetings\":2,\"minutes\":95},"
                        "{\"week\":\"2026-11-02\",\"meetings\":1,\"minutes\":60}]}}";
    int seen = 0;
    cr_expect_eq(proto_frame_decode(frame, strlen(frame), on_msg, &seen), PROTO_OK);
    cr_expect_eq(seen, 1);
}
