/*
 * proto_request for meetings: room.configure, room.role and the meeting.*
 * requests, decoded (values, defaults, bounds, the order of field errors)
 * and encoded (optional parts, refusals).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

Test(meeting_request, configure_parts)
{
    struct proto_request r;
    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"Circle\",\"meeting\":true}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_CONFIGURE);
    cr_expect_str_eq(r.u.configure.room, "circle");
    cr_expect(r.u.configure.has_meeting);
    cr_expect(r.u.configure.meeting);
    cr_expect_null(r.u.configure.format, "format NULL when absent");
    cr_expect_not(r.u.configure.has_share);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"meeting\":false,"
                "\"format\":\"\",\"share_seconds\":1800}", &r);
    cr_expect(r.u.configure.has_meeting);
    cr_expect_not(r.u.configure.meeting);
    cr_assert_not_null(r.u.configure.format, "an empty format is given, not absent");
    cr_expect_str_eq(r.u.configure.format, "");
    cr_expect(r.u.configure.has_share);
    cr_expect_eq(r.u.configure.share_seconds, 1800);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"share_seconds\":60,"
                "\"meeting\":null}", &r);
    cr_expect_not(r.u.configure.has_meeting, "null is absent");
    cr_expect(r.u.configure.has_share);
    cr_expect_eq(r.u.configure.share_seconds, 60);
    proto_request_free(&r);
}

Test(meeting_request, configure_share_bounds)
{
    static const struct { long v; bool ok; } cases[] = {
        {59, false}, {60, true}, {61, true}, {300, true}, {1799, true}, {1800, true},
        {1801, false}, {0, false}, {-60, false}, {4294967356L, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[160];
        struct proto_request r;
        struct proto_decode_error e;
        snprintf(buf, sizeof buf,
                 "{\"type\":\"room.configure\",\"id\":\"s\",\"room\":\"circle\",\"share_seconds\":%ld}",
                 cases[i].v);
        if (cases[i].ok) {
            must_decode(buf, &r);
            cr_expect_eq(r.u.configure.share_seconds, (uint32_t)cases[i].v);
            proto_request_free(&r);
        } else {
            cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "%ld", cases[i].v);
            cr_expect(strstr(e.message, "'share_seconds'"), "%s", e.message);
            cr_expect_str_eq(e.id, "s");
        }
    }
}

static const char *configure_format(const struct proto_request *r) { return r->u.configure.format; }

Test(meeting_request, configure_format_bounds_by_code_point)
{
    static const struct string_bound format = {
        .head = "{\"type\":\"room.configure\",\"id\":\"f\",\"room\":\"circle\",\"format\":\"",
        .field = "format", .id = "f", .max = PROTO_FORMAT_MAX, .err = PROTO_E_TEXT_TOO_LONG,
        .value = configure_format};
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1",
                                         "\\n", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
        expect_string_bound(&format, widths[w]);
}

Test(meeting_request, configure_needs_a_part)
{
    struct proto_decode_error e;
    cr_expect_eq(must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'meeting', 'format', 'share_seconds', "
                                "'retention_days' or 'ephemeral'.");
    cr_expect_eq(must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\","
                           "\"meeting\":null,\"format\":null,\"share_seconds\":null}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'meeting', 'format', 'share_seconds', "
                                "'retention_days' or 'ephemeral'.");
    /* A bad room is reported first, before the missing parts. */
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"c\"}", &e);
    cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\",\"meeting\":\"true\"}", &e);
    cr_expect(strstr(e.message, "'meeting'"), "%s", e.message);
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\",\"format\":[]}", &e);
    cr_expect(strstr(e.message, "'format'"), "%s", e.message);
}

Test(meeting_request, role_fields_and_folding)
{
    struct proto_request r, *copy = malloc(sizeof *copy);
    struct proto_decode_error e;

    must_decode("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"CIRCLE\",\"handle\":\"BoB\","
                "\"role\":\"moderator\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_ROLE);
    cr_expect_eq(r.u.role.role, PROTO_RROLE_MODERATOR);
    cr_expect_str_eq(r._folded[0], "circle");
    cr_expect_str_eq(r._folded[1], "bob");
    /* Both folded names survive a struct copy (they point into _root). */
    *copy = r;
    memset(&r, 0x5A, sizeof r);
    cr_expect_str_eq(copy->u.role.room, "circle");
    cr_expect_str_eq(copy->u.role.handle, "bob");
    proto_request_free(copy);
    free(copy);

    must_decode("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                "\"role\":\"member\"}", &r);
    cr_expect_eq(r.u.role.role, PROTO_RROLE_MEMBER);
    proto_request_free(&r);

    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                           "\"role\":\"host\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'role'") && strstr(e.message, "host"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                           "\"role\":\"admin\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'role'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"b\u00f6b\","
                           "\"role\":\"member\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
    /* Order: room, handle, role. */
    must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"b\",\"role\":\"x\"}", &e);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
}

Test(meeting_request, chair_and_floor)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode("{\"type\":\"meeting.chair\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"Alice\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MEETING_CHAIR);
    cr_expect_str_eq(r.u.who.room, "circle");
    cr_expect_str_eq(r.u.who.handle, "alice");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.chair\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);

    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MEETING_FLOOR);
    cr_expect_null(r.u.who.handle, "no handle: next in line");
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":null}", &r);
    cr_expect_null(r.u.who.handle);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"DAN\"}", &r);
    cr_expect_str_eq(r.u.who.handle, "dan");
    cr_expect_str_eq(r._folded[1], "dan");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
}

Test(meeting_request, hand_and_mode)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":true}", &r);
    cr_expect(r.u.hand.raised);
    cr_expect_str_eq(r.u.hand.room, "circle");
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":false}", &r);
    cr_expect_not(r.u.hand.raised);
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'raised'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":0}", &e),
                 PROTO_E_INVALID_FIELD);

    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"open\"}", &r);
    cr_expect(r.u.mode.has_mode);
    cr_expect_eq(r.u.mode.mode, PROTO_MODE_OPEN);
    cr_expect_not(r.u.mode.has_auto);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"auto\":true}", &r);
    cr_expect_not(r.u.mode.has_mode);
    cr_expect(r.u.mode.has_auto);
    cr_expect(r.u.mode.auto_floor);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"one_speaker\","
                "\"auto\":false}", &r);
    cr_expect(r.u.mode.has_mode && r.u.mode.has_auto);
    cr_expect_eq(r.u.mode.mode, PROTO_MODE_ONE_SPEAKER);
    cr_expect_not(r.u.mode.auto_floor);
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'mode' or 'auto'.");
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"host\"}",
                           &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'mode'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"auto\":\"yes\"}",
                           &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'auto'"), "%s", e.message);
}

Test(meeting_request, room_only_types)
{
    static const struct { const char *name; enum proto_req_type t; } types[] = {
        {"meeting.open", PROTO_REQ_MEETING_OPEN}, {"meeting.close", PROTO_REQ_MEETING_CLOSE},
        {"meeting.done", PROTO_REQ_MEETING_DONE}, {"meeting.state", PROTO_REQ_MEETING_STATE}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char buf[128];
        struct proto_request r;
        struct proto_decode_error e;
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\",\"room\":\"Circle\"}", types[i].name);
        must_decode(buf, &r);
        cr_expect_eq(r.type, types[i].t, "%s", types[i].name);
        cr_expect_str_eq(r.u.room.room, "circle");
        cr_expect_not(proto_req_allowed_unauthenticated(r.type), "%s needs auth", types[i].name);
        proto_request_free(&r);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\"}", types[i].name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
        cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    }
}

Test(meeting_request, encode_optional_parts)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_CONFIGURE, .id = "c"};
    char *s;

    r.u.configure.room = "circle";
    r.u.configure.has_share = true;
    r.u.configure.share_seconds = 120;
    r.u.configure.meeting = true;   /* ignored: has_meeting is false */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"share_seconds\":120}");
    r.u.configure.has_share = false;
    r.u.configure.has_meeting = true;
    r.u.configure.meeting = false;
    r.u.configure.format = "";
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"meeting\":false,"
                "\"format\":\"\"}");

    r = (struct proto_request){.type = PROTO_REQ_MEETING_MODE, .id = "m"};
    r.u.mode.room = "circle";
    r.u.mode.has_auto = true;
    r.u.mode.mode = PROTO_MODE_OPEN;   /* ignored: has_mode is false */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"meeting.mode\",\"id\":\"m\",\"room\":\"circle\",\"auto\":false}");

    r = (struct proto_request){.type = PROTO_REQ_MEETING_FLOOR, .id = "f"};
    r.u.who.room = "circle";
    expect_json(proto_request_encode(&r),
                "{\"type\":\"meeting.floor\",\"id\":\"f\",\"room\":\"circle\"}");

    r = (struct proto_request){.type = PROTO_REQ_MEETING_HAND, .id = "h"};
    r.u.hand.room = "circle";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"meeting.hand\",\"id\":\"h\",\"room\":\"circle\",\"raised\":false}",
                     "raised is always written");
    free(s);
}

Test(meeting_request, encode_refuses_missing_required)
{
    struct proto_request r = {.type = PROTO_REQ_MEETING_CHAIR, .id = "1"};
    r.u.who.room = "circle";
    char *cleared = proto_request_encode(&r);
    cr_expect_str_eq(cleared, "{\"type\":\"meeting.chair\",\"id\":\"1\",\"room\":\"circle\","
                              "\"handle\":null}", "no handle clears the chair: written as null");
    free(cleared);
    r = (struct proto_request){.type = PROTO_REQ_ROOM_ROLE, .id = "1"};
    r.u.role.room = "circle";
    r.u.role.handle = "bob";
    r.u.role.role = PROTO_RROLE__COUNT;
    cr_expect_null(proto_request_encode(&r), "bad role");
    r = (struct proto_request){.type = PROTO_REQ_MEETING_MODE, .id = "1"};
    r.u.mode.room = "circle";
    r.u.mode.has_mode = true;
    r.u.mode.mode = PROTO_MODE__COUNT;
    cr_expect_null(proto_request_encode(&r), "bad mode");
    r = (struct proto_request){.type = PROTO_REQ_MEETING_STATE, .id = "1"};
    cr_expect_null(proto_request_encode(&r), "room missing");
}
