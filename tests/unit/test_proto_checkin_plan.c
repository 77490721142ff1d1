/*
 * The crisis card, the trigger action plan and clean time in the codec
 * (PROTOCOL.md sections 5.79 to 5.84, 6.27 and 23): the card.*, plan.* and
 * sobriety.* requests (decoded values, bounds, refusals that name the field
 * and the item, encoding, round trips), their results (round trips, what a
 * reader drops, refusals) and the milestone event, beyond what the golden
 * vectors check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */
#define CARD "{\"type\":\"card.set\",\"id\":\"x\","
#define PLAN "{\"type\":\"plan.set\",\"id\":\"x\","

/* A JSON array of n copies of `item`, joined by commas. The caller frees it. */
static char *copies(const char *head, const char *item, int n, const char *tail)
{
    size_t size = strlen(head) + (strlen(item) + 1) * (size_t)n + strlen(tail) + 1;
    char *buf = malloc(size), *p = buf;
    cr_assert(buf);
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "," : "", item);
    strcpy(p, tail);
    return buf;
}

/* `n` copies of the UTF-8 sequence `ch`. The caller frees it. */
static char *chars(const char *ch, int n)
{
    size_t cl = strlen(ch);
    char *buf = malloc(cl * (size_t)n + 1);
    cr_assert(buf);
    for (int i = 0; i < n; i++)
        memcpy(buf + cl * (size_t)i, ch, cl);
    buf[cl * (size_t)n] = 0;
    return buf;
}

/* --------------------------------------------------------------- card.set */

Test(card_request, contacts)
{
    struct proto_request r;
    char *s;

    must_decode(CARD "\"contacts\":[{\"name\":\"Sam (sponsor)\",\"phone\":\"+1 555 0100\","
                "\"note\":\"any time " SEEDLING "\"},{\"name\":\"Mum\",\"phone\":\"555 0199\","
                "\"note\":\"\"},{\"name\":\"Crisis line\",\"phone\":\"988\",\"note\":null,"
                "\"extra\":1}]}", &r);
    cr_assert_eq(r.u.card.n, 3);
    cr_expect_eq((void *)r.u.card.contacts, r._alloc);
    cr_expect_str_eq(r.u.card.contacts[0].name, "Sam (sponsor)");
    cr_expect_str_eq(r.u.card.contacts[0].phone, "+1 555 0100");
    cr_expect_str_eq(r.u.card.contacts[0].note, "any time " SEEDLING);
    cr_expect_null(r.u.card.contacts[1].note, "\"\" is no note");
    cr_expect_null(r.u.card.contacts[2].note);
    proto_request_free(&r);
    must_decode(CARD "\"contacts\":[]}", &r);
    cr_expect_eq(r.u.card.n, 0);
    cr_expect_null(r._alloc);
    proto_request_free(&r);

    s = copies(CARD "\"contacts\":[", "{\"name\":\"a\",\"phone\":\"1\"}", 20, "]}");
    must_decode(s, &r);
    cr_expect_eq(r.u.card.n, 20);
    proto_request_free(&r);
    free(s);
    s = copies(CARD "\"contacts\":[", "{\"name\":\"a\",\"phone\":\"1\"}", 21, "]}");
    refused(s, "contacts", "at most 20");
    free(s);
}

Test(card_request, refusals_name_the_member_and_the_contact)
{
    char buf[8192], *n300 = chars(SEEDLING, 300), *n301 = chars("\xc3\xa9", 301);
    struct proto_request r;

    refused(CARD "\"contact\":[]}", "contacts", "required");
    refused(CARD "\"contacts\":null}", "contacts", "required");
    refused(CARD "\"contacts\":{}}", "contacts", "array");
    refused(CARD "\"contacts\":[\"Sam 555 0100\"]}", "contacts", "array");
    refused(CARD "\"contacts\":[{\"name\":\"a\",\"phone\":\"1\"},{\"phone\":\"1\"}]}", "name",
            "required (contact 2)");
    refused(CARD "\"contacts\":[{\"name\":\"\",\"phone\":\"1\"}]}", "name",
            "between 1 and 300 characters (contact 1)");
    refused(CARD "\"contacts\":[{\"name\":\"a\"}]}", "phone", "(contact 1)");
    refused(CARD "\"contacts\":[{\"name\":\"a\",\"phone\":5551234}]}", "phone", "string");
    refused(CARD "\"contacts\":[{\"name\":\"a\",\"phone\":\"\"}]}", "phone", NULL);
    refused(CARD "\"contacts\":[{\"name\":\"a\",\"phone\":\"1\",\"note\":3}]}", "note",
            "(contact 1)");

    snprintf(buf, sizeof buf, CARD "\"contacts\":[{\"name\":\"%s\",\"phone\":\"%s\","
             "\"note\":\"%s\"}]}", n300, n300, n300);
    must_decode(buf, &r);
    cr_expect_eq(proto_utf8_chars(r.u.card.contacts[0].note, strlen(r.u.card.contacts[0].note)),
                 300);
    proto_request_free(&r);
    snprintf(buf, sizeof buf, CARD "\"contacts\":[{\"name\":\"%s\",\"phone\":\"1\"}]}", n301);
    refused(buf, "name", "between 1 and 300");
    snprintf(buf, sizeof buf, CARD "\"contacts\":[{\"name\":\"a\",\"phone\":\"%s\"}]}", n301);
    refused(buf, "phone", "between 1 and 300");
    snprintf(buf, sizeof buf, CARD "\"contacts\":[{\"name\":\"a\",\"phone\":\"1\","
             "\"note\":\"%s\"}]}", n301);
    refused(buf, "note", "at most 300");
    free(n300);
    free(n301);
}

Test(card_request, encode)
{
    struct proto_contact c[2] = {{.name = "Sam", .phone = "555 0100", .note = "sponsor"},
                                 {.name = "Mum", .phone = "555 0199", .note = ""}};
    struct proto_request in = {.type = PROTO_REQ_CARD_SET, .id = "k"}, out;
    char *s = round_trip_request(&in, &out);

    cr_expect_str_eq(s, "{\"type\":\"card.set\",\"id\":\"k\",\"contacts\":[]}");
    free(s);
    proto_request_free(&out);
    in.u.card.contacts = c;
    in.u.card.n = 2;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"card.set\",\"id\":\"k\",\"contacts\":[{\"name\":\"Sam\","
                        "\"phone\":\"555 0100\",\"note\":\"sponsor\"},{\"name\":\"Mum\","
                        "\"phone\":\"555 0199\"}]}");
    cr_expect_str_eq(out.u.card.contacts[1].name, "Mum");
    free(s);
    proto_request_free(&out);
    in.u.card.n = 21;
    cr_expect_null(proto_request_encode(&in), "21 contacts");
    in.u.card.n = 1;
    c[0].phone = "";
    cr_expect_null(proto_request_encode(&in), "no phone");
    c[0].phone = "1";
    c[0].name = NULL;
    cr_expect_null(proto_request_encode(&in), "no name");
    c[0].name = "Sam";
    in.u.card.contacts = NULL;
    cr_expect_null(proto_request_encode(&in), "one contact and no array");
}

/* --------------------------------------------------------------- plan.set */

Test(plan_request, lines_and_reasons)
{
    struct proto_request r;
    char *s;

    must_decode(PLAN "\"lines\":[{\"when\":\"I pass the old bar\",\"then\":\"I call Sam\"},"
                "{\"when\":\"payday\",\"then\":\"groceries first " SEEDLING "\"}],"
                "\"reasons\":[\"my kids\",\"waking up clear\"]}", &r);
    cr_assert_eq(r.u.plan.n, 2);
    cr_assert_eq(r.u.plan.n_reasons, 2);
    cr_expect_eq((void *)r.u.plan.lines, r._alloc, "one block: the lines first");
    cr_expect_str_eq(r.u.plan.lines[0].when, "I pass the old bar");
    cr_expect_str_eq(r.u.plan.lines[1].then, "groceries first " SEEDLING);
    cr_expect_str_eq(r.u.plan.reasons[0], "my kids");
    cr_expect_str_eq(r.u.plan.reasons[1], "waking up clear");
    proto_request_free(&r);
    must_decode(PLAN "\"lines\":[],\"reasons\":[]}", &r);
    cr_expect_eq(r.u.plan.n, 0);
    cr_expect_eq(r.u.plan.n_reasons, 0);
    cr_expect_null(r._alloc);
    proto_request_free(&r);
    must_decode(PLAN "\"lines\":[],\"reasons\":[\"me\"]}", &r);
    cr_expect_null(r.u.plan.lines);
    cr_expect_eq((void *)r.u.plan.reasons, r._alloc);
    proto_request_free(&r);

    s = copies(PLAN "\"lines\":[", "{\"when\":\"w\",\"then\":\"t\"}", 50, "],\"reasons\":[]}");
    must_decode(s, &r);
    cr_expect_eq(r.u.plan.n, 50);
    proto_request_free(&r);
    free(s);
    s = copies(PLAN "\"lines\":[", "{\"when\":\"w\",\"then\":\"t\"}", 51, "],\"reasons\":[]}");
    refused(s, "lines", "at most 50");
    free(s);
    s = copies(PLAN "\"lines\":[],\"reasons\":[", "\"r\"", 50, "]}");
    must_decode(s, &r);
    cr_expect_eq(r.u.plan.n_reasons, 50);
    proto_request_free(&r);
    free(s);
    s = copies(PLAN "\"lines\":[],\"reasons\":[", "\"r\"", 51, "]}");
    refused(s, "reasons", "at most 50");
    free(s);
}

Test(plan_request, refusals)
{
    char buf[8192], *t300 = chars(SEEDLING, 300), *t301 = chars("a", 301);
    struct proto_request r;

    refused(PLAN "\"reasons\":[]}", "lines", "required");
    refused(PLAN "\"lines\":[]}", "reasons", "required");
    refused(PLAN "\"lines\":[],\"reasons\":null}", "reasons", "required");
    refused(PLAN "\"lines\":{},\"reasons\":[]}", "lines", "array");
    refused(PLAN "\"lines\":[],\"reasons\":\"my kids\"}", "reasons", "array");
    refused(PLAN "\"lines\":[[\"w\",\"t\"]],\"reasons\":[]}", "lines", NULL);
    refused(PLAN "\"lines\":[{\"when\":\"w\"}],\"reasons\":[]}", "then", "required (line 1)");
    refused(PLAN "\"lines\":[{\"when\":\"w\",\"then\":\"t\"},{\"when\":\"\",\"then\":\"t\"}],"
            "\"reasons\":[]}", "when", "between 1 and 300 characters (line 2)");
    refused(PLAN "\"lines\":[],\"reasons\":[\"a\",\"\"]}", "reasons", "(reason 2)");
    refused(PLAN "\"lines\":[],\"reasons\":[5]}", "reasons", "1 to 300 characters (reason 1)");
    /* lines before reasons */
    refused(PLAN "\"lines\":[{\"when\":\"\",\"then\":\"t\"}],\"reasons\":[\"\"]}", "when", NULL);

    snprintf(buf, sizeof buf, PLAN "\"lines\":[{\"when\":\"%s\",\"then\":\"%s\"}],"
             "\"reasons\":[\"%s\"]}", t300, t300, t300);
    must_decode(buf, &r);
    proto_request_free(&r);
    snprintf(buf, sizeof buf, PLAN "\"lines\":[{\"when\":\"%s\",\"then\":\"t\"}],"
             "\"reasons\":[]}", t301);
    refused(buf, "when", "between 1 and 300");
    snprintf(buf, sizeof buf, PLAN "\"lines\":[{\"when\":\"w\",\"then\":\"%s\"}],"
             "\"reasons\":[]}", t301);
    refused(buf, "then", "between 1 and 300");
    snprintf(buf, sizeof buf, PLAN "\"lines\":[],\"reasons\":[\"%s\"]}", t301);
    refused(buf, "reasons", "(reason 1)");
    free(t300);
    free(t301);
}

Test(plan_request, encode)
{
    struct proto_plan_line lines[] = {{.when = "payday", .then = "groceries first"}};
    const char *reasons[] = {"my kids " SEEDLING};
    struct proto_request in = {.type = PROTO_REQ_PLAN_SET, .id = "p"}, out;
    char *s = round_trip_request(&in, &out);

    cr_expect_str_eq(s, "{\"type\":\"plan.set\",\"id\":\"p\",\"lines\":[],\"reasons\":[]}");
    free(s);
    proto_request_free(&out);
    in.u.plan.lines = lines;
    in.u.plan.n = 1;
    in.u.plan.reasons = reasons;
    in.u.plan.n_reasons = 1;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"plan.set\",\"id\":\"p\",\"lines\":[{\"when\":\"payday\","
                        "\"then\":\"groceries first\"}],\"reasons\":[\"my kids " SEEDLING "\"]}");
    free(s);
    proto_request_free(&out);
    in.u.plan.n = 51;
    cr_expect_null(proto_request_encode(&in), "51 lines");
    in.u.plan.n = 1;
    in.u.plan.n_reasons = 51;
    cr_expect_null(proto_request_encode(&in), "51 reasons");
    in.u.plan.n_reasons = 1;
    reasons[0] = "";
    cr_expect_null(proto_request_encode(&in), "an empty reason");
    reasons[0] = "me";
    lines[0].then = NULL;
    cr_expect_null(proto_request_encode(&in), "a line without its then");
}

/* ---------------------------------------------------------- sobriety.set/get */

Test(sobriety_request, set_and_get)
{
    struct proto_request r, in = {.type = PROTO_REQ_SOBRIETY_SET, .id = "d"}, out;
    char *s;

    must_decode("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"2028-02-29\"}", &r);
    cr_expect_str_eq(r.u.sobriety.date, "2028-02-29");
    proto_request_free(&r);
    must_decode("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":null}", &r);
    cr_expect_null(r.u.sobriety.date, "null: stop counting");
    proto_request_free(&r);
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\"}", "date", "null to stop counting");
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"tomorrow\"}", "date",
            "\"YYYY-MM-DD\" that exists");
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"2026-02-29\"}", "date", NULL);
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"2026-13-01\"}", "date", NULL);
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"2026-1-01\"}", "date", NULL);
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":20260101}", "date", "string");
    refused("{\"type\":\"sobriety.set\",\"id\":\"x\",\"date\":\"\"}", "date", NULL);

    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"sobriety.set\",\"id\":\"d\",\"date\":null}");
    free(s);
    proto_request_free(&out);
    in.u.sobriety.date = "2026-05-31";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"sobriety.set\",\"id\":\"d\",\"date\":\"2026-05-31\"}");
    free(s);
    proto_request_free(&out);
    in.u.sobriety.date = "2026-06-31";
    cr_expect_null(proto_request_encode(&in), "31 June");

    must_decode("{\"type\":\"sobriety.get\",\"id\":\"x\"}", &r);
    cr_expect_null(r.u.of.handle, "one's own");
    proto_request_free(&r);
    must_decode("{\"type\":\"sobriety.get\",\"id\":\"x\",\"handle\":\"Bob\"}", &r);
    cr_expect_str_eq(r.u.of.handle, "bob", "folded");
    proto_request_free(&r);
    refused("{\"type\":\"sobriety.get\",\"id\":\"x\",\"handle\":\"b\"}", "handle", NULL);
    refused("{\"type\":\"sobriety.get\",\"id\":\"x\",\"handle\":3}", "handle", NULL);
    in = (struct proto_request){.type = PROTO_REQ_SOBRIETY_GET, .id = "g"};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"sobriety.get\",\"id\":\"g\"}");
    free(s);
    proto_request_free(&out);
    in.u.of.handle = "bob";
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"sobriety.get\",\"id\":\"g\",\"handle\":\"bob\"}");
    free(s);
    proto_request_free(&out);
}

/* ---------------------------------------------------------------- results */

static const char *RESOURCES[] = {"Call 988 " SEEDLING, "Text HOME to 741741"};

Test(plan_result, card_and_plan)
{
    struct proto_contact c[2] = {{.name = "Sam", .phone = "555 0100", .note = "sponsor"},
                                 {.name = "Mum", .phone = "555 0199"}};
    struct proto_plan_line lines[] = {{.when = "payday", .then = "groceries first"}};
    const char *reasons[] = {"my kids", "waking up clear"};
    struct proto_result in = {.type = PROTO_REQ_CARD_GET}, out;

    expect_json(proto_result_encode("k", &in), "{\"type\":\"result\",\"id\":\"k\",\"data\":"
                                               "{\"card\":{\"contacts\":[],\"resources\":[]}}}");
    in.u.card.contacts = c;
    in.u.card.n = 2;
    in.u.card.resources = RESOURCES;
    in.u.card.n_resources = 2;
    expect_json(proto_result_encode("k", &in),
                "{\"type\":\"result\",\"id\":\"k\",\"data\":{\"card\":{\"contacts\":["
                "{\"name\":\"Sam\",\"phone\":\"555 0100\",\"note\":\"sponsor\"},"
                "{\"name\":\"Mum\",\"phone\":\"555 0199\"}],\"resources\":[\"Call 988 " SEEDLING
                "\",\"Text HOME to 741741\"]}}}");
    in.type = PROTO_REQ_CARD_SET;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.card.n, 2);
    cr_assert_eq(out.u.card.n_resources, 2);
    cr_expect_eq((void *)out.u.card.contacts, out._alloc, "one block");
    cr_expect_str_eq(out.u.card.contacts[0].note, "sponsor");
    cr_expect_null(out.u.card.contacts[1].note);
    cr_expect_str_eq(out.u.card.resources[1], "Text HOME to 741741");
    proto_result_free(&out);
    in.u.card.n = 21;
    cr_expect_null(proto_result_encode("x", &in), "21 contacts");

    in = (struct proto_result){.type = PROTO_REQ_PLAN_GET};
    in.u.plan.lines = lines;
    in.u.plan.n = 1;
    in.u.plan.reasons = reasons;
    in.u.plan.n_reasons = 2;
    expect_json(proto_result_encode("p", &in),
                "{\"type\":\"result\",\"id\":\"p\",\"data\":{\"plan\":{\"lines\":[{\"when\":"
                "\"payday\",\"then\":\"groceries first\"}],\"reasons\":[\"my kids\","
                "\"waking up clear\"]}}}");
    in.type = PROTO_REQ_PLAN_SET;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.plan.n, 1);
    cr_expect_str_eq(out.u.plan.lines[0].then, "groceries first");
    cr_expect_str_eq(out.u.plan.reasons[1], "waking up clear");
    proto_result_free(&out);
    in.u.plan.n = 0;
    in.u.plan.n_reasons = 0;
    round_trip_result(&in, &out);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
}

Test(plan_result, refusals)
{
    static const char *const bad_cards[] = {
        "{}", "{\"card\":null}", "{\"card\":{\"contacts\":[]}}",
        "{\"card\":{\"resources\":[]}}", "{\"card\":{\"contacts\":[{\"name\":\"a\"}],\"resources\":[]}}",
        "{\"card\":{\"contacts\":[{\"name\":\"\",\"phone\":\"1\"}],\"resources\":[]}}",
        "{\"card\":{\"contacts\":[{\"name\":\"a\",\"phone\":\"1\",\"note\":5}],\"resources\":[]}}",
        "{\"card\":{\"contacts\":[],\"resources\":[5]}}",
        "{\"card\":{\"contacts\":{},\"resources\":[]}}"};
    static const char *const bad_plans[] = {
        "{}", "{\"plan\":{\"lines\":[]}}", "{\"plan\":{\"reasons\":[]}}",
        "{\"plan\":{\"lines\":[{\"when\":\"w\"}],\"reasons\":[]}}",
        "{\"plan\":{\"lines\":[{\"when\":\"w\",\"then\":\"\"}],\"reasons\":[]}}",
        "{\"plan\":{\"lines\":[],\"reasons\":[\"\"]}}",
        "{\"plan\":{\"lines\":[],\"reasons\":[null]}}",
        "{\"plan\":{\"lines\":[\"w\"],\"reasons\":[]}}"};
    char *many = copies("{\"card\":{\"contacts\":[", "{\"name\":\"a\",\"phone\":\"1\"}", 21,
                        "],\"resources\":[]}}");

    for (size_t i = 0; i < sizeof bad_cards / sizeof bad_cards[0]; i++) {
        result_refused(PROTO_REQ_CARD_GET, bad_cards[i]);
        result_refused(PROTO_REQ_CARD_SET, bad_cards[i]);
    }
    for (size_t i = 0; i < sizeof bad_plans / sizeof bad_plans[0]; i++) {
        result_refused(PROTO_REQ_PLAN_GET, bad_plans[i]);
        result_refused(PROTO_REQ_PLAN_SET, bad_plans[i]);
    }
    result_refused(PROTO_REQ_CARD_GET, many);
    free(many);
    many = copies("{\"plan\":{\"lines\":[],\"reasons\":[", "\"r\"", 51, "]}}");
    result_refused(PROTO_REQ_PLAN_GET, many);
    free(many);
}

Test(sobriety_result, counting_and_not)
{
    struct proto_milestone reached[] = {{.key = "1d", .label = "1 day", .date = "2026-05-31"},
                                        {.key = "7d", .label = "1 week", .date = "2026-06-06"},
                                        {.key = "30d", .label = "30 days", .date = "2026-06-29"}};
    struct proto_sobriety_period history[] = {
        {.from = "2025-01-10", .to = "2026-05-29", .days = 504}};
    struct proto_result in = {.type = PROTO_REQ_SOBRIETY_GET}, out;

    in.u.sobriety.date = "2026-05-30";
    in.u.sobriety.days = 45;
    in.u.sobriety.has_next = true;
    in.u.sobriety.next = (struct proto_milestone){.key = "60d", .label = "60 days",
                                                  .date = "2026-07-29"};
    in.u.sobriety.reached = reached;
    in.u.sobriety.n_reached = 3;
    in.u.sobriety.history = history;
    in.u.sobriety.n_history = 1;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"sobriety\":{\"date\":\"2026-05-30\","
                "\"days\":45,\"next\":{\"key\":\"60d\",\"label\":\"60 days\",\"date\":\"2026-07-29\"},"
                "\"reached\":[{\"key\":\"1d\",\"label\":\"1 day\",\"date\":\"2026-05-31\"},"
                "{\"key\":\"7d\",\"label\":\"1 week\",\"date\":\"2026-06-06\"},"
                "{\"key\":\"30d\",\"label\":\"30 days\",\"date\":\"2026-06-29\"}],"
                "\"history\":[{\"from\":\"2025-01-10\",\"to\":\"2026-05-29\",\"days\":504}]}}}");
    round_trip_result(&in, &out);
    cr_expect_null(out.u.sobriety.handle, "one's own");
    cr_expect_str_eq(out.u.sobriety.date, "2026-05-30");
    cr_expect_eq(out.u.sobriety.days, 45);
    cr_expect(out.u.sobriety.has_next);
    cr_expect_str_eq(out.u.sobriety.next.label, "60 days");
    cr_assert_eq(out.u.sobriety.n_reached, 3);
    cr_expect_eq((void *)out.u.sobriety.reached, out._alloc);
    cr_expect_str_eq(out.u.sobriety.reached[2].key, "30d");
    cr_assert_eq(out.u.sobriety.n_history, 1);
    cr_expect_eq(out.u.sobriety.history[0].days, 504);
    proto_result_free(&out);

    /* A buddy's: the handle, no history. */
    in.u.sobriety.handle = "bob";
    in.u.sobriety.n_history = 0;
    in.u.sobriety.n_reached = 0;
    in.u.sobriety.has_next = false;
    in.u.sobriety.days = 0;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"sobriety\":{\"handle\":\"bob\","
                "\"date\":\"2026-05-30\",\"days\":0,\"reached\":[]}}}");
    /* Not counting: no date, no days, no milestones; the history stays. */
    in = (struct proto_result){.type = PROTO_REQ_SOBRIETY_SET};
    in.u.sobriety.history = history;
    in.u.sobriety.n_history = 1;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"sobriety\":{\"days\":0,"
                "\"reached\":[],\"history\":[{\"from\":\"2025-01-10\",\"to\":\"2026-05-29\","
                "\"days\":504}]}}}");
    round_trip_result(&in, &out);
    cr_expect_null(out.u.sobriety.date);
    cr_expect_eq(out.u.sobriety.n_history, 1);
    cr_expect_eq((void *)out.u.sobriety.history, out._alloc);
    proto_result_free(&out);

    in.u.sobriety.days = 3;
    cr_expect_null(proto_result_encode("x", &in), "days without a date");
    in.u.sobriety.days = 0;
    in.u.sobriety.has_next = true;
    in.u.sobriety.next = reached[0];
    cr_expect_null(proto_result_encode("x", &in), "a next milestone without a date");
    in.u.sobriety.has_next = false;
    in.u.sobriety.reached = reached;
    in.u.sobriety.n_reached = 1;
    cr_expect_null(proto_result_encode("x", &in), "milestones without a date");
    in.u.sobriety.date = "2026-02-29";
    cr_expect_null(proto_result_encode("x", &in), "a date that does not exist");
    in.u.sobriety.date = "2026-05-30";
    reached[0].date = "2026-5-31";
    cr_expect_null(proto_result_encode("x", &in), "a milestone's date");
    reached[0].date = "2026-05-31";
    reached[0].label = "";
    cr_expect_null(proto_result_encode("x", &in), "a milestone without its label");
    reached[0].label = "1 day";
    history[0].to = "2025-01-09";
    cr_expect_null(proto_result_encode("x", &in), "a period that ends before it starts");
}

Test(sobriety_result, decoding)
{
    static const char *const bad[] = {
        "{}", "{\"sobriety\":null}", "{\"sobriety\":{\"reached\":[]}}",
        "{\"sobriety\":{\"days\":0}}",
        "{\"sobriety\":{\"days\":3,\"reached\":[]}}",
        "{\"sobriety\":{\"days\":0,\"next\":{\"key\":\"1d\",\"label\":\"1 day\","
        "\"date\":\"2026-05-31\"},\"reached\":[]}}",
        "{\"sobriety\":{\"days\":0,\"reached\":[{\"key\":\"1d\",\"label\":\"1 day\","
        "\"date\":\"2026-05-31\"}]}}",
        "{\"sobriety\":{\"date\":\"tomorrow\",\"days\":0,\"reached\":[]}}",
        "{\"sobriety\":{\"date\":\"2026-05-30\",\"days\":-1,\"reached\":[]}}",
        "{\"sobriety\":{\"date\":\"2026-05-30\",\"days\":1,\"next\":{\"key\":\"7d\"},"
        "\"reached\":[]}}",
        "{\"sobriety\":{\"date\":\"2026-05-30\",\"days\":1,\"reached\":[{\"key\":\"1d\","
        "\"label\":\"1 day\",\"date\":\"2026-02-30\"}]}}",
        "{\"sobriety\":{\"date\":\"2026-05-30\",\"days\":1,\"reached\":[],\"history\":{}}}",
        "{\"sobriety\":{\"date\":\"2026-05-30\",\"days\":1,\"reached\":[],\"history\":"
        "[{\"from\":\"2026-05-29\",\"to\":\"2026-05-01\",\"days\":3}]}}",
        "{\"sobriety\":{\"handle\":5,\"days\":0,\"reached\":[]}}"};
    struct proto_result out;
    json_t *d = json_loads("{\"sobriety\":{\"handle\":null,\"date\":null,\"days\":0,"
                           "\"next\":null,\"reached\":[],\"history\":null,\"extra\":1}}", 0, NULL);

    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SOBRIETY_GET, d, &out), PROTO_OK);
    cr_expect_null(out.u.sobriety.handle);
    cr_expect_null(out.u.sobriety.date);
    cr_expect_not(out.u.sobriety.has_next);
    cr_expect_eq(out.u.sobriety.n_history, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);
    json_decref(d);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        result_refused(PROTO_REQ_SOBRIETY_GET, bad[i]);
        result_refused(PROTO_REQ_SOBRIETY_SET, bad[i]);
    }
}

/* ------------------------------------------------------------------ event */

Test(milestone_event, round_trip_and_refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"milestone\",\"milestone\":{\"key\":\"1y\",\"label\":\"1 year\","
        "\"date\":\"2027-05-30\"},\"days\":365}",
        "{\"type\":\"milestone\",\"handle\":\"alice\",\"days\":365}",
        "{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":{\"key\":\"1y\","
        "\"label\":\"1 year\",\"date\":\"2027-02-29\"},\"days\":365}",
        "{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":{\"key\":\"1y\","
        "\"label\":\"1 year\"},\"days\":365}",
        "{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":{\"key\":\"1y\","
        "\"label\":\"1 year\",\"date\":\"2027-05-30\"}}",
        "{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":{\"key\":\"1y\","
        "\"label\":\"1 year\",\"date\":\"2027-05-30\"},\"days\":\"365\"}"};
    struct proto_event ev = {.type = PROTO_EVT_MILESTONE};
    struct one_event o;

    ev.u.milestone.handle = "alice";
    ev.u.milestone.milestone = (struct proto_milestone){.key = "6m", .label = "6 months",
                                                        .date = "2026-11-30"};
    ev.u.milestone.days = 183;
    event_round_trip(&ev, "{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":"
                          "{\"key\":\"6m\",\"label\":\"6 months\",\"date\":\"2026-11-30\"},"
                          "\"days\":183}");
    cr_assert_eq(event_frame("{\"type\":\"milestone\",\"handle\":\"alice\",\"milestone\":"
                             "{\"key\":\"25y\",\"label\":\"25 years\",\"date\":\"2051-05-30\","
                             "\"extra\":1},\"days\":9131}", &o), PROTO_OK);
    cr_expect_eq(o.ev.type, PROTO_EVT_MILESTONE);
    cr_expect_eq(o.ev.u.milestone.days, 9131);
    free(o.enc);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
        free(o.enc);
    }
    ev.u.milestone.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "no handle");
    ev.u.milestone.handle = "alice";
    ev.u.milestone.milestone.date = "2026-11-31";
    cr_expect_null(proto_event_encode(&ev), "31 November");
    ev.u.milestone.milestone.date = "2026-11-30";
    ev.u.milestone.milestone.key = NULL;
    cr_expect_null(proto_event_encode(&ev), "no key");
}
