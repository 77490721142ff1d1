/*
 * Support requests in the codec (PROTOCOL.md sections 5.62 to 5.70 and 22):
 * the new names and the support.* requests (decoded values, defaults,
 * bounds, refusals that name the field, encoding, round trips), beyond what
 * the golden vectors check. Their results and events are in
 * test_proto_support_results.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define ASK "{\"type\":\"support.ask\",\"id\":\"x\","
#define CLOSE "{\"type\":\"support.close\",\"id\":\"x\","

/* ------------------------------------------------------------------ names */

Test(support_names, requests_errors_and_enums)
{
    static const struct { enum proto_req_type t; const char *name; } req[] = {
        {PROTO_REQ_SUPPORT_ASK, "support.ask"},
        {PROTO_REQ_SUPPORT_CANCEL, "support.cancel"},
        {PROTO_REQ_SUPPORT_ACCEPT, "support.accept"},
        {PROTO_REQ_SUPPORT_CLOSE, "support.close"},
        {PROTO_REQ_SUPPORT_HANDBACK, "support.handback"},
        {PROTO_REQ_SUPPORT_AVAILABLE, "support.available"},
        {PROTO_REQ_SUPPORT_QUEUE, "support.queue"},
        {PROTO_REQ_SUPPORT_STATUS, "support.status"},
        {PROTO_REQ_SUPPORT_STATS, "support.stats"},
    };
    /* PROTOCOL.md section 9 fixes these sentences. */
    static const struct { enum proto_err e; const char *code, *sentence; } err[] = {
        {PROTO_E_SUPPORT_TAKEN, "support_taken", "Someone else is already with them."},
        {PROTO_E_SUPPORT_CLOSED, "support_closed", "That support request has ended."},
        {PROTO_E_NOT_ON_DUTY, "not_on_duty",
         "Switch on 'available to support' to see who is waiting."},
    };

    cr_assert_eq(sizeof req / sizeof req[0], PROTO_REQ_SUPPORT_STATS + 1 - PROTO_REQ_SUPPORT_ASK,
                 "every support request is listed here");
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        enum proto_req_type t = PROTO_REQ_PING;
        cr_expect_str_eq(proto_req_name(req[i].t), req[i].name);
        cr_expect(proto_req_parse(req[i].name, &t) && t == req[i].t, "%s", req[i].name);
        cr_expect_not(proto_req_allowed_unauthenticated(req[i].t), "%s", req[i].name);
    }
    cr_expect_eq(PROTO_REQ_SUPPORT_STATS + 1, PROTO_REQ_SETTINGS_GET, "the next ones are issue 5's");

    cr_assert_eq(sizeof err / sizeof err[0], PROTO_E_NOT_ON_DUTY + 1 - PROTO_E_SUPPORT_TAKEN);
    for (size_t i = 0; i < sizeof err / sizeof err[0]; i++) {
        enum proto_err e = PROTO_E_INTERNAL;
        cr_expect_str_eq(proto_err_code(err[i].e), err[i].code);
        cr_expect_str_eq(proto_err_sentence(err[i].e), err[i].sentence);
        cr_expect(proto_err_parse(err[i].code, &e) && e == err[i].e, "%s", err[i].code);
    }
    cr_expect_eq(PROTO_E_NOT_ON_DUTY + 1, PROTO_E_UNKNOWN_SIGN, "the next ones are issue 5's");
}

Test(support_names, urgencies_and_states)
{
    static const char *const urgencies[] = {"talk", "craving", "crisis"};
    static const char *const states[] = {"asking_buddies", "asking_supporters", "nobody_yet",
                                         "accepted", "closed", "cancelled"};
    enum proto_urgency u = PROTO_URGENCY_CRISIS;
    enum proto_support_state st = PROTO_SUPPORT_CLOSED;

    cr_assert_eq(PROTO_URGENCY__COUNT, 3);
    cr_assert_eq(PROTO_SUPPORT__COUNT, 6);
    for (int i = 0; i < PROTO_URGENCY__COUNT; i++) {
        cr_expect_str_eq(proto_urgency_name(i), urgencies[i]);
        cr_expect(proto_urgency_parse(urgencies[i], &u) && (int)u == i, "%s", urgencies[i]);
    }
    for (int i = 0; i < PROTO_SUPPORT__COUNT; i++) {
        cr_expect_str_eq(proto_support_state_name(i), states[i]);
        cr_expect(proto_support_state_parse(states[i], &st) && (int)st == i, "%s", states[i]);
    }
    cr_expect_null(proto_urgency_name(PROTO_URGENCY__COUNT));
    cr_expect_null(proto_urgency_name((enum proto_urgency)-1));
    cr_expect_null(proto_support_state_name(PROTO_SUPPORT__COUNT));
    cr_expect_null(proto_support_state_name((enum proto_support_state)-1));
    u = PROTO_URGENCY_CRAVING;
    cr_expect_not(proto_urgency_parse("Crisis", &u));
    cr_expect_not(proto_urgency_parse("panic", &u));
    cr_expect_not(proto_urgency_parse(NULL, &u));
    cr_expect_eq(u, PROTO_URGENCY_CRAVING, "a failed parse leaves *out alone");
    cr_expect_not(proto_support_state_parse("Accepted", &st));
    cr_expect_not(proto_support_state_parse("asking-buddies", &st));
    cr_expect_not(proto_support_state_parse("open", &st));
    /* A zeroed request is a "talk" request asking the buddies. */
    cr_expect_eq(PROTO_URGENCY_TALK, 0);
    cr_expect_eq(PROTO_SUPPORT_ASKING_BUDDIES, 0);
}

/* ------------------------------------------------------------ support.ask */

Test(support_request, ask_members)
{
    static const struct { const char *urgency; enum proto_urgency u; } each[] = {
        {"talk", PROTO_URGENCY_TALK}, {"craving", PROTO_URGENCY_CRAVING},
        {"crisis", PROTO_URGENCY_CRISIS}};
    struct proto_request r;
    char buf[160];

    for (size_t i = 0; i < 3; i++) {
        snprintf(buf, sizeof buf, ASK "\"urgency\":\"%s\",\"note\":\"h\\u00e9lp " SEEDLING "\","
                 "\"cid\":\"s-1\"}", each[i].urgency);
        must_decode(buf, &r);
        cr_expect_eq(r.u.ask.urgency, each[i].u, "%s", each[i].urgency);
        cr_expect_str_eq(r.u.ask.note, "h\xc3\xa9lp " SEEDLING);
        cr_expect_str_eq(r.u.ask.cid, "s-1");
        proto_request_free(&r);
    }
    /* The note and the cid are optional; null, and an empty note, are none. */
    must_decode(ASK "\"urgency\":\"crisis\"}", &r);
    cr_expect_null(r.u.ask.note);
    cr_expect_null(r.u.ask.cid);
    proto_request_free(&r);
    must_decode(ASK "\"urgency\":\"talk\",\"note\":null,\"cid\":null}", &r);
    cr_expect_null(r.u.ask.note);
    cr_expect_null(r.u.ask.cid);
    proto_request_free(&r);
    must_decode(ASK "\"urgency\":\"talk\",\"note\":\"\"}", &r);
    cr_expect_null(r.u.ask.note, "\"\" is no note");
    proto_request_free(&r);
    /* An unknown member is ignored, as everywhere. */
    must_decode(ASK "\"urgency\":\"talk\",\"mood\":\"low\"}", &r);
    proto_request_free(&r);
}

static const char *ask_note(const struct proto_request *r) { return r->u.ask.note; }
static const char *ask_cid(const struct proto_request *r) { return r->u.ask.cid; }
static const char *close_thanks(const struct proto_request *r) { return r->u.support.thanks; }

Test(support_request, note_thanks_and_cid_bounds)
{
    static const struct string_bound note = {
        .head = ASK "\"urgency\":\"talk\",\"note\":\"", .field = "note", .id = "x", .max = 500,
        .err = PROTO_E_TEXT_TOO_LONG, .value = ask_note};
    static const struct string_bound thanks = {
        .head = CLOSE "\"request\":31,\"thanks\":\"", .field = "thanks", .id = "x", .max = 500,
        .err = PROTO_E_TEXT_TOO_LONG, .value = close_thanks};
    /* 64 bytes, not characters: 16 four-byte characters fit, 17 do not. */
    static const struct string_bound cid = {
        .head = ASK "\"urgency\":\"talk\",\"cid\":\"", .field = "cid", .id = "x", .max = 16,
        .err = PROTO_E_INVALID_FIELD, .value = ask_cid};
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", SEEDLING, "\\n",
                                         "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        expect_string_bound(&note, widths[w]);
        expect_string_bound(&thanks, widths[w]);
    }
    expect_string_bound(&cid, SEEDLING);
    refused(ASK "\"urgency\":\"talk\",\"cid\":\"\"}", "cid", "between 1 and 64 bytes");
}

Test(support_request, ask_refusals_in_order)
{
    struct proto_decode_error e;
    char *long_note = repeated(ASK "\"urgency\":\"Crisis\",\"note\":\"", "a", 501);

    refused(ASK "\"note\":\"hi\"}", "urgency", "required");
    refused(ASK "\"urgency\":null}", "urgency", "required");
    refused(ASK "\"urgency\":\"panic\"}", "urgency", "\"talk\", \"craving\" or \"crisis\"");
    refused(ASK "\"urgency\":\"Crisis\"}", "urgency", NULL);
    refused(ASK "\"urgency\":\"\"}", "urgency", NULL);
    refused(ASK "\"urgency\":2}", "urgency", "string");
    refused(ASK "\"urgency\":\"talk\",\"note\":5}", "note", "string");
    refused(ASK "\"urgency\":\"talk\",\"note\":[\"hi\"]}", "note", "string");
    refused(ASK "\"urgency\":\"talk\",\"cid\":7}", "cid", NULL);
    /* urgency, then note, then cid */
    refused(long_note, "urgency", NULL);
    refused(ASK "\"urgency\":\"talk\",\"note\":5,\"cid\":\"\"}", "note", NULL);
    long_note[strlen(ASK "\"urgency\":\"")] = 'c';   /* "crisis" now */
    cr_expect_eq(must_fail(long_note, &e), PROTO_E_TEXT_TOO_LONG);
    cr_expect(strstr(e.message, "'note'") && strstr(e.message, "at most 500"), "%s", e.message);
    cr_expect_str_eq(e.id, "x");
    free(long_note);
}

Test(support_request, ask_encode)
{
    struct proto_request in = {.type = PROTO_REQ_SUPPORT_ASK, .id = "a"}, out;
    char *s;

    in.u.ask.urgency = PROTO_URGENCY_CRISIS;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.ask\",\"id\":\"a\",\"urgency\":\"crisis\"}");
    free(s);
    proto_request_free(&out);

    in.u.ask.urgency = PROTO_URGENCY_CRAVING;
    in.u.ask.note = "payday " SEEDLING;
    in.u.ask.cid = "s-1";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.ask\",\"id\":\"a\",\"urgency\":\"craving\","
                        "\"note\":\"payday " SEEDLING "\",\"cid\":\"s-1\"}");
    cr_expect_eq(out.u.ask.urgency, PROTO_URGENCY_CRAVING);
    cr_expect_str_eq(out.u.ask.note, "payday " SEEDLING);
    free(s);
    proto_request_free(&out);

    /* An empty note is none: not written. */
    in.u.ask.note = "";
    in.u.ask.cid = NULL;
    expect_json(proto_request_encode(&in),
                "{\"type\":\"support.ask\",\"id\":\"a\",\"urgency\":\"craving\"}");
    in.u.ask.urgency = PROTO_URGENCY__COUNT;
    cr_expect_null(proto_request_encode(&in), "an urgency out of range");
    in.u.ask.urgency = PROTO_URGENCY_TALK;
    in.u.ask.note = "bad \xff utf-8";
    cr_expect_null(proto_request_encode(&in), "a note that is not UTF-8");
}

/* ------------------------------------------- the requests that name one */

Test(support_request, request_number)
{
    static const enum proto_req_type by_number[] = {
        PROTO_REQ_SUPPORT_CANCEL, PROTO_REQ_SUPPORT_ACCEPT, PROTO_REQ_SUPPORT_CLOSE,
        PROTO_REQ_SUPPORT_HANDBACK};
    struct proto_decode_error e;
    char buf[128], *s;

    for (size_t i = 0; i < sizeof by_number / sizeof by_number[0]; i++) {
        const char *name = proto_req_name(by_number[i]);
        struct proto_request r, in = {.type = by_number[i], .id = "m"}, out;

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"request\":9007199254740991}",
                 name);
        must_decode(buf, &r);
        cr_expect_eq(r.u.support.request, 9007199254740991LL, "%s", name);
        cr_expect_null(r.u.support.thanks, "%s", name);
        proto_request_free(&r);
        in.u.support.request = 31;
        s = round_trip_request(&in, &out);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"request\":31}", name);
        cr_expect_str_eq(s, buf);
        free(s);
        proto_request_free(&out);
        in.u.support.request = 0;
        cr_expect_null(proto_request_encode(&in), "%s without its request", name);

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\"}", name);
        refused(buf, "request", "required");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":null}", name);
        refused(buf, "request", "required");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":0}", name);
        refused(buf, "request", "positive");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":-31}", name);
        refused(buf, "request", "positive");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":\"31\"}", name);
        refused(buf, "request", "positive");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":31.0}", name);
        refused(buf, "request", "positive");
        /* "id" is the request's own id: a number there makes it unreadable. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":31}", name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "%s", buf);
        cr_expect_str_eq(e.id, "");
        cr_expect(strstr(e.message, "'id'"), "%s", e.message);
    }
}

Test(support_request, thanks_go_with_close_only)
{
    static const enum proto_req_type others[] = {
        PROTO_REQ_SUPPORT_CANCEL, PROTO_REQ_SUPPORT_ACCEPT, PROTO_REQ_SUPPORT_HANDBACK};
    struct proto_request r;
    char buf[128];

    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        const char *name = proto_req_name(others[i]);
        struct proto_request in = {.type = others[i], .id = "t"};

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":31,\"thanks\":\"ty\"}",
                 name);
        refused(buf, "thanks", "support.close");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":31,\"thanks\":\"\"}",
                 name);
        refused(buf, "thanks", "support.close");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":31,\"thanks\":5}",
                 name);
        refused(buf, "thanks", "support.close");
        /* The request is checked first. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":0,\"thanks\":\"ty\"}",
                 name);
        refused(buf, "request", NULL);
        /* A null thanks is absent, so it is allowed. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"request\":31,\"thanks\":null}",
                 name);
        must_decode(buf, &r);
        proto_request_free(&r);
        in.u.support.request = 31;
        in.u.support.thanks = "ty";
        cr_expect_null(proto_request_encode(&in), "%s with thanks", name);
    }
}

Test(support_request, close_thanks)
{
    struct proto_request r, in = {.type = PROTO_REQ_SUPPORT_CLOSE, .id = "c"}, out;
    char *s;

    must_decode(CLOSE "\"request\":31,\"thanks\":\"Thank you " SEEDLING "\"}", &r);
    cr_expect_eq(r.u.support.request, 31);
    cr_expect_str_eq(r.u.support.thanks, "Thank you " SEEDLING);
    proto_request_free(&r);
    must_decode(CLOSE "\"request\":31,\"thanks\":\"\"}", &r);
    cr_expect_null(r.u.support.thanks, "\"\" is no thanks");
    proto_request_free(&r);
    must_decode(CLOSE "\"request\":31,\"thanks\":null}", &r);
    cr_expect_null(r.u.support.thanks);
    proto_request_free(&r);
    refused(CLOSE "\"request\":31,\"thanks\":true}", "thanks", "string");
    refused(CLOSE "\"thanks\":\"ty\"}", "request", "required");

    in.u.support.request = 31;
    in.u.support.thanks = "Thank you " SEEDLING;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.close\",\"id\":\"c\",\"request\":31,"
                        "\"thanks\":\"Thank you " SEEDLING "\"}");
    free(s);
    proto_request_free(&out);
    in.u.support.thanks = "";
    expect_json(proto_request_encode(&in),
                "{\"type\":\"support.close\",\"id\":\"c\",\"request\":31}");
}

/* ------------------------------------ available, queue, status and stats */

Test(support_request, available)
{
    struct proto_request r, in = {.type = PROTO_REQ_SUPPORT_AVAILABLE, .id = "v"}, out;
    char *s;

    must_decode("{\"type\":\"support.available\",\"id\":\"x\",\"on\":true}", &r);
    cr_expect(r.u.available.on);
    proto_request_free(&r);
    must_decode("{\"type\":\"support.available\",\"id\":\"x\",\"on\":false}", &r);
    cr_expect_not(r.u.available.on);
    proto_request_free(&r);
    refused("{\"type\":\"support.available\",\"id\":\"x\"}", "on", "required");
    refused("{\"type\":\"support.available\",\"id\":\"x\",\"on\":null}", "on", "required");
    refused("{\"type\":\"support.available\",\"id\":\"x\",\"on\":\"true\"}", "on", "true or false");
    refused("{\"type\":\"support.available\",\"id\":\"x\",\"on\":1}", "on", "true or false");

    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.available\",\"id\":\"v\",\"on\":false}");
    free(s);
    proto_request_free(&out);
    in.u.available.on = true;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.available\",\"id\":\"v\",\"on\":true}");
    cr_expect(out.u.available.on);
    free(s);
    proto_request_free(&out);
}

Test(support_request, stats_days)
{
    struct proto_request r, in = {.type = PROTO_REQ_SUPPORT_STATS, .id = "d"}, out;
    char *s;

    must_decode("{\"type\":\"support.stats\",\"id\":\"x\"}", &r);
    cr_expect_eq(r.u.stats.days, 14, "the default");
    proto_request_free(&r);
    must_decode("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":null}", &r);
    cr_expect_eq(r.u.stats.days, 14);
    proto_request_free(&r);
    must_decode("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":1}", &r);
    cr_expect_eq(r.u.stats.days, 1);
    proto_request_free(&r);
    must_decode("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":90}", &r);
    cr_expect_eq(r.u.stats.days, 90);
    proto_request_free(&r);
    refused("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":0}", "days", "between 1 and 90");
    refused("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":91}", "days", "between 1 and 90");
    refused("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":\"14\"}", "days", NULL);
    refused("{\"type\":\"support.stats\",\"id\":\"x\",\"days\":14.0}", "days", NULL);

    /* Always written, like the decoded form: 0 (unset) is the default. */
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.stats\",\"id\":\"d\",\"days\":14}");
    free(s);
    proto_request_free(&out);
    in.u.stats.days = 90;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"support.stats\",\"id\":\"d\",\"days\":90}");
    free(s);
    proto_request_free(&out);
    in.u.stats.days = 91;
    cr_expect_null(proto_request_encode(&in), "91 days");
}

Test(support_request, queue_and_status_have_no_members)
{
    static const enum proto_req_type none[] = {PROTO_REQ_SUPPORT_QUEUE, PROTO_REQ_SUPPORT_STATUS};
    for (size_t i = 0; i < 2; i++) {
        struct proto_request in = {.type = none[i], .id = "n"}, out;
        char want[64], *s = round_trip_request(&in, &out);
        snprintf(want, sizeof want, "{\"type\":\"%s\",\"id\":\"n\"}", proto_req_name(none[i]));
        cr_expect_str_eq(s, want);
        free(s);
        proto_request_free(&out);
    }
}
