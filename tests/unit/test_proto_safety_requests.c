/*
 * Blocks, reports and safety (PROTOCOL.md sections 16 to 18) in the codec,
 * the client's side: names and sentences, the unauthenticated allowance of
 * safety.resources, and request decoding and encoding, beyond what the
 * golden vectors check. Results, events, hidden room messages and frames
 * are in test_proto_safety_messages.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define SHAPE_MSG "Report either a message ('room' and 'seq') or a person ('handle')."

/* ---------------------------------------------------------------- helpers */

/* Decoding fails with invalid_field, leaves nothing (must_fail checks that),
 * keeps the id, and the message names `field` (in single quotes) or equals
 * `message`. */
static void must_refuse(const char *text, const char *field, const char *message)
{
    struct proto_decode_error e;
    enum proto_err rc = must_fail(text, &e);
    cr_assert_eq(rc, PROTO_E_INVALID_FIELD, "%s -> %s (%s)", text, proto_err_code(rc), e.message);
    cr_expect_eq(e.code, rc);
    cr_expect_str_eq(e.id, "x", "%s", text);
    if (field) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", field);
        cr_expect(strstr(e.message, quoted), "%s: '%s' does not name %s", text, e.message, quoted);
    }
    if (message)
        cr_expect_str_eq(e.message, message, "%s", text);
}

/* ------------------------------------------------------------------ names */

Test(safety_names, report_not_found_code_and_sentence)
{
    enum proto_err e = PROTO_E_INTERNAL;
    cr_expect_str_eq(proto_err_code(PROTO_E_REPORT_NOT_FOUND), "report_not_found");
    cr_expect_str_eq(proto_err_sentence(PROTO_E_REPORT_NOT_FOUND), "There is no such report.");
    cr_expect(proto_err_parse("report_not_found", &e));
    cr_expect_eq(e, PROTO_E_REPORT_NOT_FOUND);
    /* Its number stays (unknown_time_zone came after it); past the last is still "internal". */
    cr_expect_eq(PROTO_E_REPORT_NOT_FOUND + 1, PROTO_E_UNKNOWN_TIME_ZONE);
    cr_expect_str_eq(proto_err_code(PROTO_E__COUNT), "internal");
    cr_expect_str_neq(proto_err_sentence(PROTO_E_REPORT_NOT_FOUND),
                      proto_err_sentence(PROTO_E_INTERNAL));
}

Test(safety_names, request_names)
{
    static const struct { enum proto_req_type t; const char *name; } want[] = {
        {PROTO_REQ_BLOCK_ADD, "block.add"},
        {PROTO_REQ_BLOCK_REMOVE, "block.remove"},
        {PROTO_REQ_BLOCK_LIST, "block.list"},
        {PROTO_REQ_REPORT_CREATE, "report.create"},
        {PROTO_REQ_REPORT_LIST, "report.list"},
        {PROTO_REQ_REPORT_RESOLVE, "report.resolve"},
        {PROTO_REQ_SAFETY_RESOURCES, "safety.resources"},
    };
    enum proto_req_type t;
    cr_assert_eq(sizeof want / sizeof want[0],
                 PROTO_REQ_SAFETY_RESOURCES + 1 - PROTO_REQ_BLOCK_ADD,
                 "every request of blocks, reports and safety is listed here");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_expect_str_eq(proto_req_name(want[i].t), want[i].name);
        cr_expect(proto_req_parse(want[i].name, &t) && t == want[i].t, "%s", want[i].name);
    }
    cr_expect_not(proto_req_parse("block", &t));
    cr_expect_not(proto_req_parse("report.delete", &t));
    cr_expect_not(proto_req_parse("safety", &t));
    cr_expect_not(proto_req_parse("Safety.Resources", &t));
}

/* Someone in crisis must not need an account to see where to get help. */
Test(safety_names, safety_resources_allowed_before_auth)
{
    cr_expect(proto_req_allowed_unauthenticated(PROTO_REQ_SAFETY_RESOURCES));
    for (int t = PROTO_REQ_BLOCK_ADD; t < PROTO_REQ_SAFETY_RESOURCES; t++)
        cr_expect_not(proto_req_allowed_unauthenticated(t), "%s needs an account",
                      proto_req_name(t));
    /* The earlier ones are unchanged. */
    cr_expect(proto_req_allowed_unauthenticated(PROTO_REQ_PING));
    cr_expect(proto_req_allowed_unauthenticated(PROTO_REQ_AUTH_LOGIN));
    cr_expect_not(proto_req_allowed_unauthenticated(PROTO_REQ_ROOM_LIST));
    cr_expect_not(proto_req_allowed_unauthenticated(PROTO_REQ__COUNT));
}

/* ------------------------------------------------------------ block.* */

Test(block_request, handle_folded_and_checked)
{
    struct proto_request r, *copy;
    must_decode("{\"type\":\"block.add\",\"id\":\"b1\",\"handle\":\"TrOy\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_BLOCK_ADD);
    cr_expect_str_eq(r.u.block.handle, "troy");
    cr_expect_str_eq(r._folded[1], "troy");
    /* The folded name survives a copy of the struct. */
    copy = malloc(sizeof *copy);
    *copy = r;
    memset(&r, 0x5A, sizeof r);
    cr_expect_str_eq(copy->u.block.handle, "troy");
    proto_request_free(copy);
    free(copy);

    must_decode("{\"type\":\"block.remove\",\"id\":\"b2\",\"handle\":\"vex\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_BLOCK_REMOVE);
    cr_expect_str_eq(r.u.block.handle, "vex");
    proto_request_free(&r);

    must_refuse("{\"type\":\"block.add\",\"id\":\"x\"}", "handle", "Field 'handle' is required.");
    must_refuse("{\"type\":\"block.add\",\"id\":\"x\",\"handle\":null}", "handle", NULL);
    must_refuse("{\"type\":\"block.add\",\"id\":\"x\",\"handle\":\"t\"}", "handle", NULL);
    must_refuse("{\"type\":\"block.remove\",\"id\":\"x\",\"handle\":\"tr oy\"}", "handle", NULL);
    must_refuse("{\"type\":\"block.remove\",\"id\":\"x\",\"handle\":3}", "handle",
                "Field 'handle' must be a string.");
}

Test(block_request, list_and_resources_have_no_members)
{
    struct proto_request r;
    must_decode("{\"type\":\"block.list\",\"id\":\"b3\",\"handle\":\"ignored\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_BLOCK_LIST);
    expect_json(proto_request_encode(&r), "{\"type\":\"block.list\",\"id\":\"b3\"}");
    proto_request_free(&r);
    must_decode("{\"type\":\"safety.resources\",\"id\":\"s1\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_SAFETY_RESOURCES);
    expect_json(proto_request_encode(&r), "{\"type\":\"safety.resources\",\"id\":\"s1\"}");
    proto_request_free(&r);
}

/* ------------------------------------------------------- report.create */

Test(report_request, message_and_person)
{
    struct proto_request r;
    must_decode("{\"type\":\"report.create\",\"id\":\"p1\",\"room\":\"Porch\",\"seq\":42,"
                "\"reason\":\"cruel\"}", &r);
    cr_expect_str_eq(r.u.report.room, "porch");
    cr_expect_str_eq(r._folded[0], "porch");
    cr_expect_eq(r.u.report.seq, 42);
    cr_expect_null(r.u.report.handle);
    cr_expect_str_eq(r.u.report.reason, "cruel");
    proto_request_free(&r);

    must_decode("{\"type\":\"report.create\",\"id\":\"p2\",\"handle\":\"TROY\",\"reason\":\"x\"}",
                &r);
    cr_expect_null(r.u.report.room);
    cr_expect_eq(r.u.report.seq, 0);
    cr_expect_str_eq(r.u.report.handle, "troy");
    cr_expect_str_eq(r._folded[1], "troy");
    proto_request_free(&r);

    /* A person, with the room it happens in: both names folded, each in its slot. */
    must_decode("{\"type\":\"report.create\",\"id\":\"p3\",\"handle\":\"Troy\",\"room\":\"PORCH\","
                "\"reason\":\"hostile\",\"seq\":null}", &r);
    cr_expect_str_eq(r.u.report.room, "porch");
    cr_expect_str_eq(r.u.report.handle, "troy");
    cr_expect_str_eq(r._folded[0], "porch");
    cr_expect_str_eq(r._folded[1], "troy");
    cr_expect_eq(r.u.report.seq, 0);
    proto_request_free(&r);
}

Test(report_request, exactly_one_target)
{
    /* both, neither, nothing at all: the same sentence, naming all three members */
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"porch\",\"seq\":4,"
                "\"handle\":\"troy\",\"reason\":\"r\"}", NULL, SHAPE_MSG);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"porch\",\"reason\":\"r\"}",
                NULL, SHAPE_MSG);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"reason\":\"r\"}", NULL, SHAPE_MSG);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"seq\":null,\"handle\":null,"
                "\"reason\":\"r\"}", NULL, SHAPE_MSG);
    /* a seq needs its room */
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"seq\":4,\"reason\":\"r\"}", "room",
                NULL);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":null,\"seq\":4,\"reason\":\"r\"}",
                "room", NULL);
    /* the shape is checked before the reason (which comes last) */
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"seq\":4,\"handle\":\"troy\"}", NULL,
                SHAPE_MSG);
    /* each member before the shape, in order: room, seq, handle */
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"p\",\"seq\":0,"
                "\"handle\":\"!\"}", "room", NULL);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"porch\",\"seq\":0,"
                "\"handle\":\"!\"}", "seq", "Field 'seq' must be a positive integer.");
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"porch\",\"seq\":\"4\"}", "seq",
                NULL);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"seq\":-1}", "seq", NULL);
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"handle\":\"tr.oy\"}", "handle", NULL);
}

Test(report_request, reason_bounds_by_code_point)
{
    static const char *const heads[] = {
        "{\"type\":\"report.create\",\"id\":\"x\",\"handle\":\"troy\",\"reason\":\"",
        "{\"type\":\"report.create\",\"id\":\"x\",\"room\":\"porch\",\"seq\":9,\"reason\":\"",
    };
    for (size_t h = 0; h < 2; h++) {
        static const struct { const char *ch; int n; bool ok; } cases[] = {
            {"a", 1, true}, {"a", 500, true}, {SEEDLING, 500, true}, {"\xc3\xa9", 500, true},
            {"a", 0, false}, {"a", 501, false}, {SEEDLING, 501, false},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *s = repeated(heads[h], cases[i].ch, cases[i].n);
            struct proto_request r;
            if (cases[i].ok) {
                must_decode(s, &r);
                cr_expect_eq(proto_utf8_chars(r.u.report.reason, strlen(r.u.report.reason)),
                             cases[i].n);
                proto_request_free(&r);
            } else {
                must_refuse(s, "reason", "Field 'reason' must be between 1 and 500 characters.");
            }
            free(s);
        }
    }
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"handle\":\"troy\"}", "reason",
                "Field 'reason' is required.");
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"handle\":\"troy\",\"reason\":null}",
                "reason", "Field 'reason' is required.");
    must_refuse("{\"type\":\"report.create\",\"id\":\"x\",\"handle\":\"troy\",\"reason\":[]}",
                "reason", NULL);
}

/* --------------------------------------------------- report.list, resolve */

Test(report_request, list_status_and_room)
{
    struct proto_request r;
    must_decode("{\"type\":\"report.list\",\"id\":\"l\"}", &r);
    cr_expect_null(r.u.reports.room);
    cr_expect_not(r.u.reports.all);
    /* the default is made explicit */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"report.list\",\"id\":\"l\",\"status\":\"open\"}");
    proto_request_free(&r);
    must_decode("{\"type\":\"report.list\",\"id\":\"l\",\"room\":\"Porch\",\"status\":\"all\"}", &r);
    cr_expect_str_eq(r.u.reports.room, "porch");
    cr_expect(r.u.reports.all);
    expect_json(proto_request_encode(&r),
                "{\"type\":\"report.list\",\"id\":\"l\",\"room\":\"porch\",\"status\":\"all\"}");
    proto_request_free(&r);
    must_decode("{\"type\":\"report.list\",\"id\":\"l\",\"status\":\"open\",\"room\":null}", &r);
    cr_expect_not(r.u.reports.all);
    cr_expect_null(r.u.reports.room);
    proto_request_free(&r);

    static const char *const bad[] = {"\"closed\"", "\"Open\"", "\"ALL\"", "\"\"", "true", "1",
                                      "[\"all\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "{\"type\":\"report.list\",\"id\":\"x\",\"status\":%s}", bad[i]);
        must_refuse(s, "status", "Field 'status' must be \"open\" or \"all\".");
    }
    must_refuse("{\"type\":\"report.list\",\"id\":\"x\",\"room\":\"a b\",\"status\":\"nope\"}",
                "room", NULL);
}

Test(report_request, resolve_fields)
{
    struct proto_request r;
    must_decode("{\"type\":\"report.resolve\",\"id\":\"v\",\"report\":12,\"outcome\":\"actioned\","
                "\"note\":\"Muted for a day.\"}", &r);
    cr_expect_eq(r.u.resolve.id, 12);
    cr_expect_str_eq(r.u.resolve.outcome, "actioned");
    cr_expect_str_eq(r.u.resolve.note, "Muted for a day.");
    cr_expect_str_eq(r.id, "v", "the request id is not the report's number");
    proto_request_free(&r);
    must_decode("{\"type\":\"report.resolve\",\"id\":\"v\",\"report\":9007199254740991,"
                "\"outcome\":\"dismissed\",\"note\":null}", &r);
    cr_expect_eq(r.u.resolve.id, 9007199254740991LL);
    cr_expect_str_eq(r.u.resolve.outcome, "dismissed");
    cr_expect_null(r.u.resolve.note);
    proto_request_free(&r);

    must_refuse("{\"type\":\"report.resolve\",\"id\":\"x\",\"outcome\":\"actioned\"}", "report",
                "Field 'report' is required.");
    static const char *const bad_id[] = {"0", "-1", "\"12\"", "12.0", "true", "null"};
    for (size_t i = 0; i < sizeof bad_id / sizeof bad_id[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":%s,"
                              "\"outcome\":\"actioned\"}", bad_id[i]);
        must_refuse(s, "report", NULL);
    }
    static const char *const bad_outcome[] = {"\"resolved\"", "\"Actioned\"", "\"open\"", "\"\"",
                                              "1", "null"};
    for (size_t i = 0; i < sizeof bad_outcome / sizeof bad_outcome[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":3,"
                              "\"outcome\":%s}", bad_outcome[i]);
        must_refuse(s, "outcome", NULL);
    }
    /* note: 0..500 code points */
    char *s = repeated("{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":3,"
                       "\"outcome\":\"dismissed\",\"note\":\"", SEEDLING, 500);
    must_decode(s, &r);
    proto_request_free(&r);
    free(s);
    s = repeated("{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":3,"
                 "\"outcome\":\"dismissed\",\"note\":\"", SEEDLING, 501);
    must_refuse(s, "note", "Field 'note' must be at most 500 characters.");
    free(s);
    must_decode("{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":3,\"outcome\":\"dismissed\","
                "\"note\":\"\"}", &r);
    cr_expect_str_eq(r.u.resolve.note, "");
    proto_request_free(&r);
}

/* "id" is the request's own id: a report number there makes it unreadable. */
Test(report_request, report_number_is_not_the_request_id)
{
    struct proto_request r;
    struct proto_decode_error e;
    const char *t = "{\"type\":\"report.resolve\",\"id\":12,\"outcome\":\"actioned\"}";
    cr_expect_eq(dec(t, &r, &e), PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.id, "");
    cr_expect(strstr(e.message, "'id'"), "%s", e.message);
    /* A duplicate "id" (request id and report number) is bad JSON. */
    t = "{\"type\":\"report.resolve\",\"id\":\"x\",\"id\":12,\"outcome\":\"actioned\"}";
    cr_expect_eq(dec(t, &r, &e), PROTO_E_BAD_JSON);
}

/* ---------------------------------------------------------- request encode */

Test(safety_request, encode_round_trips)
{
    struct proto_request in = {.id = "e"}, out;
    char *s;

    in.type = PROTO_REQ_BLOCK_ADD;
    in.u.block.handle = "troy";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"block.add\",\"id\":\"e\",\"handle\":\"troy\"}");
    cr_expect_str_eq(out.u.block.handle, "troy");
    free(s);
    proto_request_free(&out);

    in.type = PROTO_REQ_BLOCK_REMOVE;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"block.remove\",\"id\":\"e\",\"handle\":\"troy\"}");
    free(s);
    proto_request_free(&out);

    in = (struct proto_request){.type = PROTO_REQ_REPORT_CREATE, .id = "e"};
    in.u.report.room = "porch";
    in.u.report.seq = 42;
    in.u.report.reason = "cruel " SEEDLING;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.create\",\"id\":\"e\",\"room\":\"porch\",\"seq\":42,"
                        "\"reason\":\"cruel " SEEDLING "\"}");
    cr_expect_eq(out.u.report.seq, 42);
    free(s);
    proto_request_free(&out);

    in.u.report.seq = 0;
    in.u.report.handle = "troy";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.create\",\"id\":\"e\",\"room\":\"porch\","
                        "\"handle\":\"troy\",\"reason\":\"cruel " SEEDLING "\"}");
    free(s);
    proto_request_free(&out);

    in.u.report.room = NULL;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.create\",\"id\":\"e\",\"handle\":\"troy\","
                        "\"reason\":\"cruel " SEEDLING "\"}");
    cr_expect_null(out.u.report.room);
    free(s);
    proto_request_free(&out);

    in = (struct proto_request){.type = PROTO_REQ_REPORT_LIST, .id = "e"};
    in.u.reports.all = true;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.list\",\"id\":\"e\",\"status\":\"all\"}");
    cr_expect(out.u.reports.all);
    free(s);
    proto_request_free(&out);

    in = (struct proto_request){.type = PROTO_REQ_REPORT_RESOLVE, .id = "e"};
    in.u.resolve.id = 12;
    in.u.resolve.outcome = "dismissed";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.resolve\",\"id\":\"e\",\"report\":12,"
                        "\"outcome\":\"dismissed\"}");
    free(s);
    proto_request_free(&out);
    in.u.resolve.note = "";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"report.resolve\",\"id\":\"e\",\"report\":12,"
                        "\"outcome\":\"dismissed\",\"note\":\"\"}");
    cr_expect_str_eq(out.u.resolve.note, "");
    free(s);
    proto_request_free(&out);

    in = (struct proto_request){.type = PROTO_REQ_BLOCK_LIST, .id = "e"};
    s = round_trip_request(&in, &out);
    free(s);
    proto_request_free(&out);
    in.type = PROTO_REQ_SAFETY_RESOURCES;
    s = round_trip_request(&in, &out);
    free(s);
    proto_request_free(&out);
}

Test(safety_request, encode_refuses_what_decoding_would)
{
    struct proto_request r = {.type = PROTO_REQ_BLOCK_ADD, .id = "e"};
    cr_expect_null(proto_request_encode(&r), "block.add without a handle");
    r.type = PROTO_REQ_BLOCK_REMOVE;
    cr_expect_null(proto_request_encode(&r), "block.remove without a handle");

    r = (struct proto_request){.type = PROTO_REQ_REPORT_CREATE, .id = "e"};
    r.u.report.reason = "why";
    cr_expect_null(proto_request_encode(&r), "neither a message nor a person");
    r.u.report.room = "porch";
    cr_expect_null(proto_request_encode(&r), "a room alone is not a report");
    r.u.report.seq = 3;
    r.u.report.handle = "troy";
    cr_expect_null(proto_request_encode(&r), "both a message and a person");
    r.u.report.handle = NULL;
    r.u.report.room = NULL;
    cr_expect_null(proto_request_encode(&r), "a seq without its room");
    r.u.report.room = "porch";
    r.u.report.reason = NULL;
    cr_expect_null(proto_request_encode(&r), "no reason");
    r.u.report.reason = "why";
    char *s = proto_request_encode(&r);
    cr_expect_not_null(s);
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_REPORT_RESOLVE, .id = "e"};
    r.u.resolve.outcome = "actioned";
    cr_expect_null(proto_request_encode(&r), "report 0");
    r.u.resolve.id = -4;
    cr_expect_null(proto_request_encode(&r), "a negative report");
    r.u.resolve.id = 4;
    r.u.resolve.outcome = NULL;
    cr_expect_null(proto_request_encode(&r), "no outcome");
    r.u.resolve.outcome = "resolved";
    cr_expect_null(proto_request_encode(&r), "an outcome that is not a word of the protocol");
    r.u.resolve.outcome = "dismissed";
    r.u.resolve.note = "bad \xff";
    cr_expect_null(proto_request_encode(&r), "a note that is not UTF-8");
}
