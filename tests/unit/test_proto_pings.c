/*
 * Pings in the codec (PROTOCOL.md sections 5.54 to 5.56, 6.18, 6.19 and
 * 20.4): buddy.ping (its kinds, the text that goes with kind "text" only,
 * the cid), buddy.ping_seen, the ping object in results and the two ping
 * events, beyond what the golden vectors check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define PING "{\"type\":\"buddy.ping\",\"id\":\"x\",\"handle\":\"bob\","

/* ------------------------------------------------------------- buddy.ping */

Test(ping_request, kinds)
{
    static const struct { const char *kind; enum proto_ping_kind k; } kinds[] = {
        {"thinking_of_you", PROTO_PING_THINKING}, {"call_me", PROTO_PING_CALL_ME},
        {"struggling", PROTO_PING_STRUGGLING}};
    struct proto_request r;
    char buf[160];

    for (size_t i = 0; i < 3; i++) {
        snprintf(buf, sizeof buf, "{\"type\":\"buddy.ping\",\"id\":\"x\",\"handle\":\"BOB\","
                 "\"kind\":\"%s\",\"cid\":\"p-1\"}", kinds[i].kind);
        must_decode(buf, &r);
        cr_expect_str_eq(r.u.ping.handle, "bob");
        cr_expect_eq(r.u.ping.kind, kinds[i].k, "%s", kinds[i].kind);
        cr_expect_null(r.u.ping.text);
        cr_expect_str_eq(r.u.ping.cid, "p-1");
        proto_request_free(&r);
    }
    must_decode(PING "\"kind\":\"text\",\"text\":\"h\\u00e9y " SEEDLING "\"}", &r);
    cr_expect_eq(r.u.ping.kind, PROTO_PING_TEXT);
    cr_expect_str_eq(r.u.ping.text, "h\xc3\xa9y " SEEDLING);
    cr_expect_null(r.u.ping.cid, "cid is optional");
    proto_request_free(&r);
    must_decode(PING "\"kind\":\"call_me\",\"text\":null,\"cid\":null}", &r);
    cr_expect_null(r.u.ping.text, "a null text is absent, beside any kind");
    cr_expect_null(r.u.ping.cid);
    proto_request_free(&r);
}

static const char *ping_text(const struct proto_request *r) { return r->u.ping.text; }
static const char *ping_cid(const struct proto_request *r) { return r->u.ping.cid; }

Test(ping_request, text_and_cid_bounds)
{
    static const struct string_bound text = {
        .head = PING "\"kind\":\"text\",\"text\":\"", .field = "text", .id = "x", .max = 500,
        .err = PROTO_E_TEXT_TOO_LONG, .value = ping_text};
    /* 64 bytes, not characters: 16 four-byte characters fit, 17 do not. */
    static const struct string_bound cid = {
        .head = PING "\"kind\":\"call_me\",\"cid\":\"", .field = "cid", .id = "x", .max = 16,
        .err = PROTO_E_INVALID_FIELD, .value = ping_cid};
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", SEEDLING, "\\n",
                                         "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
        expect_string_bound(&text, widths[w]);
    expect_string_bound(&cid, SEEDLING);
    refused(PING "\"kind\":\"call_me\",\"cid\":\"\"}", "cid", "between 1 and 64 bytes");
}

Test(ping_request, refusals_in_order)
{
    refused(PING "\"kind\":\"thinking_of_you\",\"text\":\"hi\"}", "text", "only allowed");
    refused(PING "\"kind\":\"struggling\",\"text\":\"\"}", "text", "only allowed");
    refused(PING "\"kind\":\"text\"}", "text", "required");
    refused(PING "\"kind\":\"text\",\"text\":null}", "text", "required");
    refused(PING "\"kind\":\"text\",\"text\":\"\"}", "text", "between 1 and 500");
    refused(PING "\"kind\":\"text\",\"text\":7}", "text", "string");
    refused(PING "\"text\":\"hi\"}", "kind", "required");
    refused(PING "\"kind\":\"hug\"}", "kind", "\"thinking_of_you\"");
    refused(PING "\"kind\":\"Text\",\"text\":\"hi\"}", "kind", NULL);
    refused(PING "\"kind\":3}", "kind", "string");
    /* handle, then kind, then text, then cid. */
    refused("{\"type\":\"buddy.ping\",\"id\":\"x\",\"kind\":\"hug\"}", "handle", "required");
    refused(PING "\"kind\":\"hug\",\"text\":\"\",\"cid\":\"\"}", "kind", NULL);
    refused(PING "\"kind\":\"call_me\",\"text\":\"hi\",\"cid\":\"\"}", "text", NULL);
    refused(PING "\"kind\":\"text\",\"text\":\"hi\",\"cid\":5}", "cid", NULL);
}

Test(ping_request, encode)
{
    struct proto_request in = {.type = PROTO_REQ_BUDDY_PING, .id = "p"}, out;
    char *s;

    in.u.ping.handle = "bob";
    in.u.ping.kind = PROTO_PING_CALL_ME;
    expect_json(proto_request_encode(&in),
                "{\"type\":\"buddy.ping\",\"id\":\"p\",\"handle\":\"bob\",\"kind\":\"call_me\"}");
    in.u.ping.kind = PROTO_PING_TEXT;
    in.u.ping.text = "still here " SEEDLING;
    in.u.ping.cid = "p-9";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"buddy.ping\",\"id\":\"p\",\"handle\":\"bob\",\"kind\":\"text\","
                        "\"text\":\"still here " SEEDLING "\",\"cid\":\"p-9\"}");
    cr_expect_str_eq(out.u.ping.text, "still here " SEEDLING);
    free(s);
    proto_request_free(&out);

    in.u.ping.kind = PROTO_PING_STRUGGLING;
    cr_expect_null(proto_request_encode(&in), "text with another kind");
    in.u.ping.kind = PROTO_PING_TEXT;
    in.u.ping.text = NULL;
    cr_expect_null(proto_request_encode(&in), "kind text without text");
    in.u.ping.kind = PROTO_PING__COUNT;
    cr_expect_null(proto_request_encode(&in), "a kind out of range");
    in.u.ping.kind = PROTO_PING_CALL_ME;
    in.u.ping.handle = NULL;
    cr_expect_null(proto_request_encode(&in), "no handle");
}

/* -------------------------------------------------------- buddy.ping_seen */

Test(ping_request, seen_names_the_ping)
{
    struct proto_request r, in = {.type = PROTO_REQ_BUDDY_PING_SEEN, .id = "s"}, out;
    struct proto_decode_error e;
    char *s;

    must_decode("{\"type\":\"buddy.ping_seen\",\"id\":\"s\",\"ping\":9007199254740991}", &r);
    cr_expect_eq(r.u.by_id.id, 9007199254740991LL);
    proto_request_free(&r);
    refused("{\"type\":\"buddy.ping_seen\",\"id\":\"x\"}", "ping", "required");
    refused("{\"type\":\"buddy.ping_seen\",\"id\":\"x\",\"ping\":0}", "ping", "positive");
    refused("{\"type\":\"buddy.ping_seen\",\"id\":\"x\",\"ping\":-3}", "ping", "positive");
    refused("{\"type\":\"buddy.ping_seen\",\"id\":\"x\",\"ping\":\"3\"}", "ping", "positive");
    refused("{\"type\":\"buddy.ping_seen\",\"id\":\"x\",\"ping\":3.0}", "ping", "positive");
    /* "id" is the request's own id: a number there makes it unreadable. */
    cr_expect_eq(must_fail("{\"type\":\"buddy.ping_seen\",\"id\":41}", &e), PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.id, "");
    cr_expect(strstr(e.message, "'id'"), "%s", e.message);

    in.u.by_id.id = 41;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"buddy.ping_seen\",\"id\":\"s\",\"ping\":41}");
    free(s);
    proto_request_free(&out);
    in.u.by_id.id = 0;
    cr_expect_null(proto_request_encode(&in), "no ping");
}

/* ---------------------------------------------------------------- results */

static struct proto_ping sample_ping(void)
{
    return (struct proto_ping){.id = 41, .from = "alice", .to = "bob", .kind = PROTO_PING_TEXT,
                               .text = "made it " SEEDLING, .ts = 1795000020000,
                               .delivered_at = 1795000020001};
}

#define PING_JSON                                                                                \
    "{\"id\":41,\"from\":\"alice\",\"to\":\"bob\",\"kind\":\"text\",\"text\":\"made it " SEEDLING \
    "\",\"ts\":1795000020000,\"delivered_at\":1795000020001}"

Test(ping_result, ping_and_pings)
{
    struct proto_ping pings[2] = {sample_ping(), sample_ping()};
    struct proto_result in = {.type = PROTO_REQ_BUDDY_PING}, out;

    in.u.sent_ping.ping = pings[0];
    expect_json(proto_result_encode("p", &in),
                "{\"type\":\"result\",\"id\":\"p\",\"data\":{\"ping\":" PING_JSON "}}");
    in.u.sent_ping.duplicate = true;
    expect_json(proto_result_encode("p", &in),
                "{\"type\":\"result\",\"id\":\"p\",\"data\":{\"ping\":" PING_JSON
                ",\"duplicate\":true}}");
    round_trip_result(&in, &out);
    cr_expect(out.u.sent_ping.duplicate);
    cr_expect_eq(out.u.sent_ping.ping.id, 41);
    cr_expect_str_eq(out.u.sent_ping.ping.text, "made it " SEEDLING);
    cr_expect_eq(out.u.sent_ping.ping.delivered_at, 1795000020001);
    cr_expect_eq(out.u.sent_ping.ping.seen_at, 0);
    proto_result_free(&out);

    pings[1] = (struct proto_ping){.id = 40, .from = "bob", .to = "alice",
                                   .kind = PROTO_PING_CALL_ME, .ts = 1795000010000};
    in = (struct proto_result){.type = PROTO_REQ_BUDDY_PINGS};
    in.u.pings.pings = pings;
    in.u.pings.n = 2;
    expect_json(proto_result_encode("q", &in),
                "{\"type\":\"result\",\"id\":\"q\",\"data\":{\"pings\":[" PING_JSON ","
                "{\"id\":40,\"from\":\"bob\",\"to\":\"alice\",\"kind\":\"call_me\","
                "\"ts\":1795000010000}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.pings.n, 2);
    cr_expect_eq((void *)out.u.pings.pings, out._alloc);
    cr_expect_eq(out.u.pings.pings[1].kind, PROTO_PING_CALL_ME);
    cr_expect_null(out.u.pings.pings[1].text);
    cr_expect_eq(out.u.pings.pings[1].delivered_at, 0, "not delivered yet");
    proto_result_free(&out);

    /* The encoder keeps the rules of a ping object. */
    in.u.pings.n = 1;
    pings[0].kind = PROTO_PING_CALL_ME;
    cr_expect_null(proto_result_encode("x", &in), "text beside call_me");
    pings[0] = sample_ping();
    pings[0].text = NULL;
    cr_expect_null(proto_result_encode("x", &in), "kind text without text");
    pings[0] = sample_ping();
    pings[0].id = 0;
    cr_expect_null(proto_result_encode("x", &in), "id 0");
    pings[0] = sample_ping();
    pings[0].seen_at = -1;
    cr_expect_null(proto_result_encode("x", &in), "a negative time");
}

Test(ping_result, refusals)
{
#define P(members) "{\"ping\":{\"id\":1,\"from\":\"a\",\"to\":\"b\",\"ts\":1" members "}}"
    static const char *const bad[] = {
        "{}",
        "{\"ping\":null}",
        P(""),
        P(",\"kind\":\"text\""),
        P(",\"kind\":\"text\",\"text\":null"),
        P(",\"kind\":\"hug\""),
        P(",\"kind\":\"call_me\",\"delivered_at\":0"),
        P(",\"kind\":\"call_me\",\"seen_at\":-5"),
        P(",\"kind\":\"call_me\",\"seen_at\":\"5\""),
        "{\"ping\":{\"id\":0,\"from\":\"a\",\"to\":\"b\",\"ts\":1,\"kind\":\"call_me\"}}",
        "{\"ping\":{\"id\":1,\"to\":\"b\",\"ts\":1,\"kind\":\"call_me\"}}",
        "{\"ping\":{\"id\":1,\"from\":\"a\",\"ts\":1,\"kind\":\"call_me\"}}",
        "{\"ping\":{\"id\":1,\"from\":\"a\",\"to\":\"b\",\"kind\":\"call_me\"}}",
        "{\"ping\":{\"id\":1,\"from\":\"a\",\"to\":\"b\",\"ts\":1,\"kind\":\"call_me\"},"
        "\"duplicate\":\"yes\"}",
    };
#undef P
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_BUDDY_PING, bad[i]);
    result_refused(PROTO_REQ_BUDDY_PINGS,
                   "{\"pings\":[{\"id\":1,\"from\":\"a\",\"to\":\"b\",\"ts\":1,"
                   "\"kind\":\"call_me\"},{}]}");
    result_refused(PROTO_REQ_BUDDY_PINGS, "{\"pings\":{}}");
}

/* ----------------------------------------------------------------- events */

Test(ping_event, each_round_trips)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_PING};

    ev.u.ping = sample_ping();
    event_round_trip(&ev, "{\"type\":\"buddy.ping\",\"ping\":" PING_JSON "}");
    ev.u.ping = (struct proto_ping){.id = 48, .from = "alice", .to = "bob",
                                    .kind = PROTO_PING_THINKING, .ts = 1795000080000,
                                    .delivered_at = 1795000090000, .seen_at = 1795000091000};
    event_round_trip(&ev, "{\"type\":\"buddy.ping\",\"ping\":{\"id\":48,\"from\":\"alice\","
                          "\"to\":\"bob\",\"kind\":\"thinking_of_you\",\"ts\":1795000080000,"
                          "\"delivered_at\":1795000090000,\"seen_at\":1795000091000}}");

    ev = (struct proto_event){.type = PROTO_EVT_PING_STATUS};
    ev.u.ping_status.id = 41;
    ev.u.ping_status.to = "bob";
    ev.u.ping_status.state = "delivered";
    ev.u.ping_status.at = 1795000020001;
    event_round_trip(&ev, "{\"type\":\"buddy.ping_status\",\"id\":41,\"to\":\"bob\","
                          "\"state\":\"delivered\",\"at\":1795000020001}");
    ev.u.ping_status.state = "seen";
    ev.u.ping_status.at = 1795000030000;
    event_round_trip(&ev, "{\"type\":\"buddy.ping_status\",\"id\":41,\"to\":\"bob\","
                          "\"state\":\"seen\",\"at\":1795000030000}");
}

Test(ping_event, decoded_values)
{
    struct one_event o;

    cr_assert_eq(event_frame("{\"type\":\"buddy.ping\",\"ping\":" PING_JSON "}", &o), PROTO_OK);
    free(o.enc);
    cr_expect_eq(o.ev.type, PROTO_EVT_BUDDY_PING);
    cr_expect_eq(o.ev.u.ping.id, 41);
    cr_expect_eq(o.ev.u.ping.kind, PROTO_PING_TEXT);
    cr_expect_eq(o.ev.u.ping.delivered_at, 1795000020001);
    cr_expect_eq(o.ev.u.ping.seen_at, 0);
    cr_assert_eq(event_frame("{\"type\":\"buddy.ping_status\",\"id\":41,\"to\":\"bob\","
                             "\"state\":\"seen\",\"at\":1795000030000}", &o), PROTO_OK);
    free(o.enc);
    cr_expect_eq(o.ev.type, PROTO_EVT_PING_STATUS);
    cr_expect_eq(o.ev.u.ping_status.id, 41);
    cr_expect_eq(o.ev.u.ping_status.at, 1795000030000);
}

Test(ping_event, refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"buddy.ping\"}",
        "{\"type\":\"buddy.ping\",\"ping\":null}",
        "{\"type\":\"buddy.ping\",\"id\":1,\"from\":\"a\",\"to\":\"b\",\"ts\":1,"
        "\"kind\":\"call_me\"}",
        "{\"type\":\"buddy.ping\",\"ping\":{\"id\":1,\"from\":\"a\",\"to\":\"b\",\"ts\":1,"
        "\"kind\":\"text\"}}",
        "{\"type\":\"buddy.ping_status\",\"id\":0,\"to\":\"b\",\"state\":\"seen\",\"at\":1}",
        "{\"type\":\"buddy.ping_status\",\"id\":\"1\",\"to\":\"b\",\"state\":\"seen\",\"at\":1}",
        "{\"type\":\"buddy.ping_status\",\"id\":1,\"state\":\"seen\",\"at\":1}",
        "{\"type\":\"buddy.ping_status\",\"id\":1,\"to\":\"b\",\"at\":1}",
        "{\"type\":\"buddy.ping_status\",\"id\":1,\"to\":\"b\",\"state\":\"seen\"}",
    };
    struct proto_event ev = {.type = PROTO_EVT_PING_STATUS};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct one_event o;
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
    }
    ev.u.ping_status.to = "bob";
    ev.u.ping_status.state = "seen";
    cr_expect_null(proto_event_encode(&ev), "id 0");
    ev.u.ping_status.id = 4;
    ev.u.ping_status.state = NULL;
    cr_expect_null(proto_event_encode(&ev), "no state");
    ev = (struct proto_event){.type = PROTO_EVT_BUDDY_PING};
    ev.u.ping = sample_ping();
    ev.u.ping.kind = PROTO_PING_STRUGGLING;
    cr_expect_null(proto_event_encode(&ev), "text beside struggling");
}
