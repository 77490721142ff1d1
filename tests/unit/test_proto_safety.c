/*
 * Blocks, reports and safety (PROTOCOL.md sections 16 to 18) in the codec:
 * names and sentences, the unauthenticated allowance of safety.resources,
 * request decoding and encoding, results, events, hidden room messages and
 * frames, beyond what the golden vectors check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define SHAPE_MSG "Report either a message ('room' and 'seq') or a person ('handle')."

static const char *const RESOURCES[] = {
    "988 Suicide and Crisis Lifeline: call or text 988 (US)",
    "SAMHSA National Helpline: 1-800-662-4357 (US, free, 24/7)",
    "Crisis Text Line: text HOME to 741741 (US)",
    "If you are in immediate danger, call your local emergency number.",
};
#define N_RESOURCES (sizeof RESOURCES / sizeof RESOURCES[0])

/* ---------------------------------------------------------------- helpers */

static void expect_json(char *s, const char *want)
{
    cr_expect_str_eq(s, want);
    free(s);
}

static enum proto_err dec(const char *text, struct proto_request *r, struct proto_decode_error *e)
{
    return proto_request_decode(text, strlen(text), r, e);
}

static void must_decode(const char *text, struct proto_request *r)
{
    struct proto_decode_error e;
    enum proto_err rc = dec(text, r, &e);
    cr_assert(rc == PROTO_OK, "%s -> %s (%s)", text, proto_err_code(rc), e.message);
}

/* Decoding fails with invalid_field, leaves nothing, keeps the id, and the
 * message names `field` (in single quotes) or equals `message`. */
static void must_refuse(const char *text, const char *field, const char *message)
{
    struct proto_request r;
    struct proto_decode_error e;
    enum proto_err rc = dec(text, &r, &e);
    cr_assert_eq(rc, PROTO_E_INVALID_FIELD, "%s -> %s (%s)", text, proto_err_code(rc), e.message);
    cr_expect_eq(e.code, rc);
    cr_expect_null(r._root, "%s: a failed decode leaves nothing", text);
    cr_expect_str_eq(e.id, "x", "%s", text);
    if (field) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", field);
        cr_expect(strstr(e.message, quoted), "%s: '%s' does not name %s", text, e.message, quoted);
    }
    if (message)
        cr_expect_str_eq(e.message, message, "%s", text);
}

/* `head` ends with the opening quote of a string member; then n copies of
 * ch, then `tail`. The caller frees it. */
static char *repeated(const char *head, const char *ch, int n, const char *tail)
{
    size_t hl = strlen(head), cl = strlen(ch), tl = strlen(tail);
    char *buf = malloc(hl + cl * (size_t)n + tl + 1), *p = buf + hl;
    cr_assert_not_null(buf);
    memcpy(buf, head, hl);
    for (int i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    memcpy(p, tail, tl + 1);
    return buf;
}

/* Encodes r, decodes it back and checks encode(decode(encode(r))) is stable. */
static char *round_trip_request(const struct proto_request *in, struct proto_request *out)
{
    struct proto_decode_error e;
    char *s = proto_request_encode(in), *s2;
    cr_assert(s, "encode %s", proto_req_name(in->type));
    cr_assert_eq(proto_request_decode(s, strlen(s), out, &e), PROTO_OK, "%s: %s", s, e.message);
    cr_expect_eq(out->type, in->type);
    s2 = proto_request_encode(out);
    cr_expect_str_eq(s, s2);
    free(s2);
    return s;
}

static json_t *parse(const char *s)
{
    json_t *v;
    cr_assert(s, "encoder returned NULL");
    v = json_loads(s, 0, NULL);
    cr_assert(v, "not JSON: %s", s);
    return v;
}

/* Encodes res as a reply, parses it back and decodes its data. */
static void round_trip_result(const struct proto_result *res, struct proto_result *out)
{
    char *s = proto_result_encode("r-1", res);
    json_t *v = parse(s);
    cr_assert_eq(proto_result_decode(res->type, json_object_get(v, "data"), out), PROTO_OK, "%s", s);
    json_decref(v);   /* out holds its own reference on data */
    free(s);
}

/* Decoding `data` for `type` fails with invalid_field and keeps nothing. */
static void result_refused(enum proto_req_type type, const char *data)
{
    struct proto_result out;
    json_t *d = json_loads(data, 0, NULL);
    cr_assert(d, "%s", data);
    cr_expect_eq(proto_result_decode(type, d, &out), PROTO_E_INVALID_FIELD, "%s", data);
    cr_expect_null(out._root, "%s", data);
    cr_expect_null(out._alloc, "%s", data);
    cr_expect_eq(out.type, type);
    json_decref(d);
}

/* ------------------------------------------------------------------ names */

Test(safety_names, report_not_found_code_and_sentence)
{
    enum proto_err e = PROTO_E_INTERNAL;
    cr_expect_str_eq(proto_err_code(PROTO_E_REPORT_NOT_FOUND), "report_not_found");
    cr_expect_str_eq(proto_err_sentence(PROTO_E_REPORT_NOT_FOUND), "There is no such report.");
    cr_expect(proto_err_parse("report_not_found", &e));
    cr_expect_eq(e, PROTO_E_REPORT_NOT_FOUND);
    /* It is the last code; past it is still "internal". */
    cr_expect_eq(PROTO_E_REPORT_NOT_FOUND + 1, PROTO_E__COUNT);
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
            char *s = repeated(heads[h], cases[i].ch, cases[i].n, "\"}");
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
                       "\"outcome\":\"dismissed\",\"note\":\"", SEEDLING, 500, "\"}");
    must_decode(s, &r);
    proto_request_free(&r);
    free(s);
    s = repeated("{\"type\":\"report.resolve\",\"id\":\"x\",\"report\":3,"
                 "\"outcome\":\"dismissed\",\"note\":\"", SEEDLING, 501, "\"}");
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

/* ---------------------------------------------------------------- results */

Test(safety_result, no_data_types)
{
    static const enum proto_req_type types[] = {PROTO_REQ_BLOCK_ADD, PROTO_REQ_BLOCK_REMOVE,
                                                PROTO_REQ_REPORT_RESOLVE};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct proto_result in = {.type = types[i]}, out;
        expect_json(proto_result_encode("d", &in), "{\"type\":\"result\",\"id\":\"d\",\"data\":{}}");
        round_trip_result(&in, &out);
        cr_expect_eq(out.type, types[i]);
        cr_expect_null(out._alloc);
        proto_result_free(&out);
    }
}

Test(safety_result, block_list)
{
    static const char *const handles[] = {"troy", "vex"};
    struct proto_result in = {.type = PROTO_REQ_BLOCK_LIST}, out;
    in.u.blocks.handles = (const char **)handles;
    in.u.blocks.n = 2;
    expect_json(proto_result_encode("k", &in),
                "{\"type\":\"result\",\"id\":\"k\",\"data\":{\"handles\":[\"troy\",\"vex\"]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.blocks.n, 2);
    cr_expect_str_eq(out.u.blocks.handles[0], "troy");
    cr_expect_str_eq(out.u.blocks.handles[1], "vex");
    cr_expect_eq(out._alloc, (void *)out.u.blocks.handles, "the decoder allocated the array");
    proto_result_free(&out);
    cr_expect_null(out._alloc);

    in.u.blocks.n = 0;
    in.u.blocks.handles = NULL;
    expect_json(proto_result_encode("k", &in),
                "{\"type\":\"result\",\"id\":\"k\",\"data\":{\"handles\":[]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.blocks.n, 0);
    cr_expect_null(out.u.blocks.handles);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    /* n handles and no array, or a NULL handle: refused, not a crash */
    in.u.blocks.n = 1;
    cr_expect_null(proto_result_encode("k", &in));
    static const char *const with_null[] = {"troy", NULL};
    in.u.blocks.handles = (const char **)with_null;
    in.u.blocks.n = 2;
    cr_expect_null(proto_result_encode("k", &in));

    result_refused(PROTO_REQ_BLOCK_LIST, "{}");
    result_refused(PROTO_REQ_BLOCK_LIST, "{\"handles\":null}");
    result_refused(PROTO_REQ_BLOCK_LIST, "{\"handles\":\"troy\"}");
    result_refused(PROTO_REQ_BLOCK_LIST, "{\"handles\":[\"troy\",7]}");
    result_refused(PROTO_REQ_BLOCK_LIST, "{\"handles\":[\"troy\",null,\"vex\"]}");
}

Test(safety_result, report_create)
{
    struct proto_result in = {.type = PROTO_REQ_REPORT_CREATE}, out;
    in.u.report.id = 12;
    expect_json(proto_result_encode("p", &in),
                "{\"type\":\"result\",\"id\":\"p\",\"data\":{\"id\":12}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.report.id, 12);
    proto_result_free(&out);
    in.u.report.id = 0;
    cr_expect_null(proto_result_encode("p", &in), "a report's number is 1 or more");
    result_refused(PROTO_REQ_REPORT_CREATE, "{}");
    result_refused(PROTO_REQ_REPORT_CREATE, "{\"id\":0}");
    result_refused(PROTO_REQ_REPORT_CREATE, "{\"id\":-12}");
    result_refused(PROTO_REQ_REPORT_CREATE, "{\"id\":\"12\"}");
    result_refused(PROTO_REQ_REPORT_CREATE, "{\"id\":12.5}");
}

static const struct proto_report REPORTS[3] = {
    {.id = 12, .ts = 1795000500000, .reporter = "ann", .room = "porch", .seq = 42,
     .target = "troy", .reason = "cruel", .excerpt = "nobody wants you here " SEEDLING,
     .status = "open"},
    {.id = 11, .ts = 1795000400000, .reporter = "bea", .room = NULL, .seq = 0, .target = "troy",
     .reason = "follows me", .excerpt = NULL, .status = "actioned"},
    {.id = 10, .ts = 1795000300000, .reporter = "cal", .room = "porch", .seq = 0,
     .target = "vex", .reason = "hostile", .excerpt = NULL, .status = "dismissed"},
};

#define REPORT0_JSON                                                                    \
    "{\"id\":12,\"ts\":1795000500000,\"reporter\":\"ann\",\"room\":\"porch\",\"seq\":42," \
    "\"target\":\"troy\",\"reason\":\"cruel\",\"excerpt\":\"nobody wants you here " SEEDLING \
    "\",\"status\":\"open\"}"
#define REPORT1_JSON                                                                       \
    "{\"id\":11,\"ts\":1795000400000,\"reporter\":\"bea\",\"room\":null,\"target\":\"troy\"," \
    "\"reason\":\"follows me\",\"excerpt\":null,\"status\":\"actioned\"}"

static void expect_report(const struct proto_report *got, const struct proto_report *want)
{
    cr_expect_eq(got->id, want->id);
    cr_expect_eq(got->ts, want->ts);
    cr_expect_str_eq(got->reporter, want->reporter);
    if (want->room)
        cr_expect_str_eq(got->room, want->room);
    else
        cr_expect_null(got->room);
    cr_expect_eq(got->seq, want->seq);
    cr_expect_str_eq(got->target, want->target);
    cr_expect_str_eq(got->reason, want->reason);
    if (want->excerpt)
        cr_expect_str_eq(got->excerpt, want->excerpt);
    else
        cr_expect_null(got->excerpt);
    cr_expect_str_eq(got->status, want->status);
}

Test(safety_result, report_list)
{
    struct proto_result in = {.type = PROTO_REQ_REPORT_LIST}, out;
    in.u.reports.reports = (struct proto_report *)REPORTS;
    in.u.reports.n = 2;
    expect_json(proto_result_encode("l", &in), "{\"type\":\"result\",\"id\":\"l\",\"data\":"
                                               "{\"reports\":[" REPORT0_JSON "," REPORT1_JSON "]}}");
    in.u.reports.n = 3;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.reports.n, 3);
    for (int i = 0; i < 3; i++)
        expect_report(&out.u.reports.reports[i], &REPORTS[i]);
    cr_expect_eq(out._alloc, (void *)out.u.reports.reports);
    proto_result_free(&out);

    in.u.reports.n = 0;
    in.u.reports.reports = NULL;
    expect_json(proto_result_encode("l", &in),
                "{\"type\":\"result\",\"id\":\"l\",\"data\":{\"reports\":[]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.reports.n, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    /* A null seq reads as a person report. */
    json_t *d = json_loads("{\"reports\":[{\"id\":3,\"ts\":1,\"reporter\":\"a\",\"room\":null,"
                           "\"seq\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,"
                           "\"status\":\"later-word\"}]}", 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_REPORT_LIST, d, &out), PROTO_OK);
    cr_expect_eq(out.u.reports.reports[0].seq, 0);
    cr_expect_str_eq(out.u.reports.reports[0].status, "later-word", "a status a later version adds");
    proto_result_free(&out);
    json_decref(d);
}

Test(safety_result, report_object_failures)
{
    struct proto_report bad[6];
    for (int i = 0; i < 6; i++)
        bad[i] = REPORTS[0];
    bad[0].id = 0;
    bad[1].reporter = NULL;
    bad[2].room = NULL;            /* a message report without its room */
    bad[3].status = NULL;
    bad[4].excerpt = "bad \xff";
    bad[5].target = NULL;
    for (int i = 0; i < 6; i++) {
        struct proto_result in = {.type = PROTO_REQ_REPORT_LIST};
        struct proto_event ev = {.type = PROTO_EVT_REPORT_NEW};
        in.u.reports.reports = &bad[i];
        in.u.reports.n = 1;
        cr_expect_null(proto_result_encode("l", &in), "case %d", i);
        ev.u.report_new = bad[i];
        cr_expect_null(proto_event_encode(&ev), "case %d", i);
    }

    static const char *const data[] = {
        "{\"reports\":{}}",
        "{\"reports\":[" REPORT1_JSON ",7]}",
        /* each required member missing */
        "{\"reports\":[{\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null}]}",
        /* bad values */
        "{\"reports\":[{\"id\":0,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":\"p\",\"seq\":0,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"seq\":5,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":\"p\",\"seq\":\"5\",\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":null,\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":5,\"status\":\"open\"}]}",
        "{\"reports\":[{\"id\":1,\"ts\":1,\"reporter\":\"a\",\"room\":null,\"target\":\"b\",\"reason\":\"c\",\"excerpt\":null,\"status\":null}]}",
    };
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++)
        result_refused(PROTO_REQ_REPORT_LIST, data[i]);
}

Test(safety_result, resources)
{
    struct proto_result in = {.type = PROTO_REQ_SAFETY_RESOURCES}, out;
    in.u.safety.resources = (const char **)RESOURCES;
    in.u.safety.n = 2;
    in.u.safety.notice = "Hearth is peer support, not a crisis service.";
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"resources\":[\"988 Suicide and "
                "Crisis Lifeline: call or text 988 (US)\",\"SAMHSA National Helpline: "
                "1-800-662-4357 (US, free, 24/7)\"],\"notice\":\"Hearth is peer support, not a "
                "crisis service.\"}}");
    in.u.safety.n = N_RESOURCES;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.safety.n, N_RESOURCES);
    for (size_t i = 0; i < N_RESOURCES; i++)
        cr_expect_str_eq(out.u.safety.resources[i], RESOURCES[i]);
    cr_expect_str_eq(out.u.safety.notice, "Hearth is peer support, not a crisis service.");
    cr_expect_eq(out._alloc, (void *)out.u.safety.resources);
    proto_result_free(&out);

    in.u.safety.n = 0;
    in.u.safety.resources = NULL;
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.safety.n, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    in.u.safety.notice = NULL;
    cr_expect_null(proto_result_encode("s", &in), "the notice is required");
    result_refused(PROTO_REQ_SAFETY_RESOURCES, "{\"resources\":[]}");
    result_refused(PROTO_REQ_SAFETY_RESOURCES, "{\"notice\":\"n\"}");
    result_refused(PROTO_REQ_SAFETY_RESOURCES, "{\"resources\":[\"a\",1],\"notice\":\"n\"}");
    result_refused(PROTO_REQ_SAFETY_RESOURCES, "{\"resources\":\"a\",\"notice\":\"n\"}");
    result_refused(PROTO_REQ_SAFETY_RESOURCES, "{\"resources\":[],\"notice\":null}");
}

/* ------------------------------------------------------- hidden messages */

Test(hidden_message, encode_carries_only_the_seq)
{
    struct proto_event ev = {.type = PROTO_EVT_ROOM};
    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_MESSAGE, .room = "porch", .seq = 43,
                                          .ts = 1795000043000, .handle = "troy",
                                          .text = "secret", .cid = "t-1", .hidden = true};
    expect_json(proto_event_encode(&ev), "{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":43,"
                                         "\"ts\":1795000043000,\"hidden\":true}");
    /* removed or not, a hidden message says nothing more */
    ev.u.room.removed = true;
    ev.u.room.text = NULL;
    ev.u.room.handle = NULL;
    ev.u.room.cid = NULL;
    expect_json(proto_event_encode(&ev), "{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":43,"
                                         "\"ts\":1795000043000,\"hidden\":true}");
    /* still a room event: room and a real seq required */
    ev.u.room.room = NULL;
    cr_expect_null(proto_event_encode(&ev));
    /* hidden belongs to messages only */
    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_JOINED, .room = "porch", .seq = 44,
                                          .ts = 1, .handle = "troy", .hidden = true};
    expect_json(proto_event_encode(&ev), "{\"type\":\"room.joined\",\"room\":\"porch\",\"seq\":44,"
                                         "\"ts\":1,\"handle\":\"troy\"}");
    ev.u.room.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "a hidden flag does not excuse a joined event's handle");
}

Test(hidden_message, history_round_trip)
{
    struct proto_room_event evs[3] = {
        {.kind = PROTO_EV_MESSAGE, .room = "porch", .seq = 41, .ts = 41, .handle = "ann",
         .text = "hi", .cid = "a"},
        {.kind = PROTO_EV_MESSAGE, .room = "porch", .seq = 42, .ts = 42, .handle = "troy",
         .text = "never seen", .cid = "t", .hidden = true},
        {.kind = PROTO_EV_MESSAGE, .room = "porch", .seq = 43, .ts = 43, .hidden = true},
    };
    struct proto_result in = {.type = PROTO_REQ_ROOM_HISTORY}, out;
    char *s;
    in.u.history.events = evs;
    in.u.history.n = 3;
    s = proto_result_encode("h", &in);
    cr_assert(s);
    cr_expect_null(strstr(s, "troy"), "the blocked author's handle never goes out: %s", s);
    cr_expect_null(strstr(s, "never seen"), "nor the text: %s", s);
    free(s);
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.history.n, 3);
    cr_expect_not(out.u.history.events[0].hidden);
    cr_expect_str_eq(out.u.history.events[0].text, "hi");
    for (int i = 1; i < 3; i++) {
        const struct proto_room_event *e = &out.u.history.events[i];
        cr_expect(e->hidden);
        cr_expect_eq(e->seq, 41u + (unsigned)i, "the seqs stay gap-free");
        cr_expect_null(e->handle);
        cr_expect_null(e->text);
        cr_expect_null(e->cid);
        cr_expect_not(e->removed);
    }
    proto_result_free(&out);
}

/* ------------------------------------------------------------------ events */

Test(safety_event, report_events_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_REPORT_NEW};
    ev.u.report_new = REPORTS[0];
    expect_json(proto_event_encode(&ev), "{\"type\":\"report.new\",\"report\":" REPORT0_JSON "}");
    ev.u.report_new = REPORTS[1];
    expect_json(proto_event_encode(&ev), "{\"type\":\"report.new\",\"report\":" REPORT1_JSON "}");

    ev = (struct proto_event){.type = PROTO_EVT_REPORT_HANDLED};
    ev.u.handled.id = 12;
    ev.u.handled.outcome = "actioned";
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"report.handled\",\"id\":12,\"outcome\":\"actioned\"}");
    ev.u.handled.outcome = NULL;
    cr_expect_null(proto_event_encode(&ev));
    ev.u.handled.outcome = "dismissed";
    ev.u.handled.id = 0;
    cr_expect_null(proto_event_encode(&ev));
}

Test(safety_event, safety_events_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_SAFETY_NOTICE};
    ev.u.safety.text = "Hearth is peer support.";
    ev.u.safety.resources = (const char **)RESOURCES;
    ev.u.safety.n = 1;
    ev.u.safety.room = "porch";   /* a notice has no room or seq: not written */
    ev.u.safety.seq = 4;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"safety.notice\",\"text\":\"Hearth is peer support.\",\"resources\":"
                "[\"988 Suicide and Crisis Lifeline: call or text 988 (US)\"]}");
    ev.u.safety.n = 0;
    ev.u.safety.resources = NULL;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"safety.notice\",\"text\":\"Hearth is peer support.\",\"resources\":[]}");
    ev.u.safety.text = NULL;
    cr_expect_null(proto_event_encode(&ev));

    ev = (struct proto_event){.type = PROTO_EVT_SAFETY_CHECK_IN};
    ev.u.safety.text = "We care.";
    ev.u.safety.resources = (const char **)RESOURCES + 2;
    ev.u.safety.n = 1;
    ev.u.safety.room = "porch";
    ev.u.safety.seq = 42;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"safety.check_in\",\"text\":\"We care.\",\"resources\":[\"Crisis Text "
                "Line: text HOME to 741741 (US)\"],\"room\":\"porch\",\"seq\":42}");
    ev.u.safety.seq = 0;
    cr_expect_null(proto_event_encode(&ev), "a check-in names its message");
    ev.u.safety.seq = 42;
    ev.u.safety.room = NULL;
    cr_expect_null(proto_event_encode(&ev), "and its room");
    ev.u.safety.room = "porch";
    ev.u.safety.n = 2;
    ev.u.safety.resources = NULL;
    cr_expect_null(proto_event_encode(&ev), "n resources and no array");

    ev = (struct proto_event){.type = PROTO_EVT_SAFETY_ALERT};
    ev.u.alert.room = "porch";
    ev.u.alert.handle = "troy";
    ev.u.alert.seq = 42;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"safety.alert\",\"room\":\"porch\",\"handle\":\"troy\",\"seq\":42}");
    ev.u.alert.seq = 0;
    cr_expect_null(proto_event_encode(&ev));
    ev.u.alert.seq = 42;
    ev.u.alert.handle = NULL;
    cr_expect_null(proto_event_encode(&ev));
}

/* ------------------------------------------------------------------ frames */

struct got {
    int n;
    char log[12][160];
};

static void record(const struct proto_server_msg *m, void *ud)
{
    struct got *g = ud;
    char *p = g->log[g->n++];
    const struct proto_event *ev = &m->event;
    int k;

    cr_assert_eq(m->kind, PROTO_MSG_EVENT);
    switch (ev->type) {
    case PROTO_EVT_ROOM:
        snprintf(p, 160, "room %llu hidden=%d handle=%s text=%s cid=%s removed=%d",
                 (unsigned long long)ev->u.room.seq, ev->u.room.hidden,
                 ev->u.room.handle ? ev->u.room.handle : "-", ev->u.room.text ? ev->u.room.text : "-",
                 ev->u.room.cid ? ev->u.room.cid : "-", ev->u.room.removed);
        break;
    case PROTO_EVT_REPORT_NEW:
        snprintf(p, 160, "new %lld %s %s %llu %s %s", (long long)ev->u.report_new.id,
                 ev->u.report_new.reporter, ev->u.report_new.room ? ev->u.report_new.room : "-",
                 (unsigned long long)ev->u.report_new.seq, ev->u.report_new.target,
                 ev->u.report_new.excerpt ? ev->u.report_new.excerpt : "-");
        break;
    case PROTO_EVT_REPORT_HANDLED:
        snprintf(p, 160, "handled %lld %s", (long long)ev->u.handled.id, ev->u.handled.outcome);
        break;
    case PROTO_EVT_SAFETY_NOTICE:
    case PROTO_EVT_SAFETY_CHECK_IN:
        k = snprintf(p, 160, "%s [%s] %s %llu n=%zu",
                     ev->type == PROTO_EVT_SAFETY_NOTICE ? "notice" : "check_in", ev->u.safety.text,
                     ev->u.safety.room ? ev->u.safety.room : "-",
                     (unsigned long long)ev->u.safety.seq, ev->u.safety.n);
        /* the array is readable during the callback */
        for (size_t i = 0; i < ev->u.safety.n && k < 150; i++)
            k += snprintf(p + k, (size_t)(160 - k), " %.6s", ev->u.safety.resources[i]);
        break;
    case PROTO_EVT_SAFETY_ALERT:
        snprintf(p, 160, "alert %s %s %llu", ev->u.alert.room, ev->u.alert.handle,
                 (unsigned long long)ev->u.alert.seq);
        break;
    default:
        snprintf(p, 160, "other %d", ev->type);
        break;
    }
}

static enum proto_err frame(const char *text, struct got *g)
{
    memset(g, 0, sizeof *g);
    return proto_frame_decode(text, strlen(text), record, g);
}

Test(safety_frame, events_decode_in_order)
{
    struct got g;
    cr_assert_eq(frame("[{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":42,\"ts\":1,"
                       "\"handle\":\"troy\",\"text\":\"x\",\"cid\":\"c\",\"removed\":true,"
                       "\"hidden\":true},"
                       "{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":43,\"ts\":1,"
                       "\"hidden\":false,\"handle\":\"ann\",\"text\":\"hi\"},"
                       "{\"type\":\"report.new\",\"report\":" REPORT0_JSON "},"
                       "{\"type\":\"report.new\",\"report\":" REPORT1_JSON "},"
                       "{\"type\":\"report.handled\",\"id\":12,\"outcome\":\"dismissed\"},"
                       "{\"type\":\"safety.notice\",\"text\":\"t\",\"resources\":[\"aaaaaaa\","
                       "\"bbbbbbb\"],\"room\":\"porch\",\"seq\":9},"
                       "{\"type\":\"safety.check_in\",\"text\":\"c\",\"resources\":[],"
                       "\"room\":\"porch\",\"seq\":42},"
                       "{\"type\":\"safety.alert\",\"room\":\"porch\",\"handle\":\"troy\",\"seq\":42}]",
                       &g),
                 PROTO_OK);
    cr_assert_eq(g.n, 8);
    cr_expect_str_eq(g.log[0], "room 42 hidden=1 handle=- text=- cid=- removed=0");
    cr_expect_str_eq(g.log[1], "room 43 hidden=0 handle=ann text=hi cid=- removed=0");
    cr_expect_str_eq(g.log[2], "new 12 ann porch 42 troy nobody wants you here " SEEDLING);
    cr_expect_str_eq(g.log[3], "new 11 bea - 0 troy -");
    cr_expect_str_eq(g.log[4], "handled 12 dismissed");
    cr_expect_str_eq(g.log[5], "notice [t] - 0 n=2 aaaaaa bbbbbb", "a notice has no room or seq");
    cr_expect_str_eq(g.log[6], "check_in [c] porch 42 n=0");
    cr_expect_str_eq(g.log[7], "alert porch troy 42");
}

Test(safety_frame, hidden_needs_only_the_room_event_members)
{
    struct got g;
    /* stray members of any type are dropped */
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":42,\"ts\":1,"
                       "\"hidden\":true,\"handle\":7,\"text\":null,\"cid\":[]}", &g), PROTO_OK);
    cr_expect_str_eq(g.log[0], "room 42 hidden=1 handle=- text=- cid=- removed=0");
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":42,\"ts\":1,"
                       "\"hidden\":\"true\"}", &g), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":0,\"ts\":1,"
                       "\"hidden\":true}", &g), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"seq\":4,\"ts\":1,\"hidden\":true}", &g),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":4,\"hidden\":true}", &g),
                 PROTO_E_INVALID_FIELD);
    /* without hidden (or with false), a message still needs handle and text */
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":4,\"ts\":1,"
                       "\"hidden\":false}", &g), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":4,\"ts\":1,"
                       "\"hidden\":null,\"handle\":\"ann\"}", &g), PROTO_E_INVALID_FIELD);
}

Test(safety_frame, bad_events_stop_the_batch)
{
    static const char *const bad[] = {
        "{\"type\":\"report.new\"}",
        "{\"type\":\"report.new\",\"report\":[]}",
        "{\"type\":\"report.handled\",\"outcome\":\"actioned\"}",
        "{\"type\":\"report.handled\",\"id\":0,\"outcome\":\"actioned\"}",
        "{\"type\":\"report.handled\",\"id\":3}",
        "{\"type\":\"safety.notice\",\"resources\":[]}",
        "{\"type\":\"safety.notice\",\"text\":\"t\"}",
        "{\"type\":\"safety.notice\",\"text\":\"t\",\"resources\":[\"a\",2]}",
        "{\"type\":\"safety.check_in\",\"text\":\"t\",\"resources\":[\"a\"],\"seq\":4}",
        "{\"type\":\"safety.check_in\",\"text\":\"t\",\"resources\":[\"a\"],\"room\":\"p\"}",
        "{\"type\":\"safety.check_in\",\"text\":\"t\",\"resources\":[\"a\"],\"room\":\"p\",\"seq\":0}",
        "{\"type\":\"safety.alert\",\"room\":\"porch\",\"handle\":\"troy\"}",
        "{\"type\":\"safety.alert\",\"room\":\"porch\",\"seq\":4}",
        "{\"type\":\"safety.alert\",\"handle\":\"troy\",\"seq\":4}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        struct got g;
        snprintf(text, sizeof text,
                 "[{\"type\":\"report.handled\",\"id\":1,\"outcome\":\"actioned\"},%s,"
                 "{\"type\":\"safety.alert\",\"room\":\"porch\",\"handle\":\"troy\",\"seq\":1}]",
                 bad[i]);
        /* A check-in whose resources were read before its room was found
         * missing must not leak them (the sanitizer checks). */
        cr_expect_eq(frame(text, &g), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(g.n, 1, "%s: the messages before it were delivered, none after", bad[i]);
    }
}
