/*
 * The matching pool in the codec (PROTOCOL.md sections 5.57 to 5.61, 6.20,
 * 6.21 and 21): match.join's preferences (decoded values, defaults, bounds,
 * refusals that name the field, encoding, round trips), the proposal's
 * number in match.accept and match.decline, match.status's result and the
 * two matching events, beyond what the golden vectors check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

/* A match.join with id "x" up to its members. */
#define JOIN "{\"type\":\"match.join\",\"id\":\"x\","
#define REQUIRED "\"utc_offset_minutes\":-300,\"language\":\"en\",\"approach\":\"smart\""

/* ------------------------------------------------------------- match.join */

Test(match_request, join_members_and_defaults)
{
    struct proto_request r;

    must_decode(JOIN REQUIRED ",\"clean_days\":90,\"want_more_clean_time\":true}", &r);
    cr_expect_eq(r.u.match.utc_offset_minutes, -300);
    cr_expect_str_eq(r.u.match.language, "en");
    cr_expect_eq(r.u.match.approach, PROTO_APPROACH_SMART);
    cr_expect_eq(r.u.match.clean_days, 90);
    cr_expect(r.u.match.want_more_clean_time);
    proto_request_free(&r);

    /* clean_days not said reads as -1, want_more_clean_time as false. */
    must_decode(JOIN REQUIRED "}", &r);
    cr_expect_eq(r.u.match.clean_days, -1);
    cr_expect_not(r.u.match.want_more_clean_time);
    proto_request_free(&r);
    must_decode(JOIN REQUIRED ",\"clean_days\":null,\"want_more_clean_time\":null}", &r);
    cr_expect_eq(r.u.match.clean_days, -1);
    cr_expect_not(r.u.match.want_more_clean_time);
    proto_request_free(&r);

    must_decode(JOIN "\"utc_offset_minutes\":-720,\"language\":\"es\",\"approach\":\"any\","
                "\"clean_days\":0}", &r);
    cr_expect_eq(r.u.match.utc_offset_minutes, -720);
    cr_expect_eq(r.u.match.approach, PROTO_APPROACH_ANY);
    cr_expect_eq(r.u.match.clean_days, 0, "0 clean days is said, not absent");
    proto_request_free(&r);
    must_decode(JOIN "\"utc_offset_minutes\":840,\"language\":\"abcdefgh\",\"approach\":\"12_step\","
                "\"clean_days\":36500}", &r);
    cr_expect_eq(r.u.match.utc_offset_minutes, 840);
    cr_expect_str_eq(r.u.match.language, "abcdefgh");
    cr_expect_eq(r.u.match.approach, PROTO_APPROACH_12_STEP);
    cr_expect_eq(r.u.match.clean_days, 36500);
    proto_request_free(&r);
}

Test(match_request, join_refusals)
{
    static const struct { const char *members, *field, *also; } bad[] = {
        {"\"language\":\"en\",\"approach\":\"any\"", "utc_offset_minutes", "required"},
        {"\"utc_offset_minutes\":null,\"language\":\"en\",\"approach\":\"any\"",
         "utc_offset_minutes", "required"},
        {"\"utc_offset_minutes\":841,\"language\":\"en\",\"approach\":\"any\"",
         "utc_offset_minutes", "between -720 and 840"},
        {"\"utc_offset_minutes\":-721,\"language\":\"en\",\"approach\":\"any\"",
         "utc_offset_minutes", "between -720 and 840"},
        {"\"utc_offset_minutes\":60.0,\"language\":\"en\",\"approach\":\"any\"",
         "utc_offset_minutes", NULL},
        {"\"utc_offset_minutes\":\"60\",\"language\":\"en\",\"approach\":\"any\"",
         "utc_offset_minutes", NULL},
        {"\"utc_offset_minutes\":0,\"approach\":\"any\"", "language", "required"},
        {"\"utc_offset_minutes\":0,\"language\":\"EN\",\"approach\":\"any\"", "language",
         "lowercase"},
        {"\"utc_offset_minutes\":0,\"language\":\"e\",\"approach\":\"any\"", "language", "2 to 8"},
        {"\"utc_offset_minutes\":0,\"language\":\"english1x\",\"approach\":\"any\"", "language",
         NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"englishx\\u00e9\",\"approach\":\"any\"",
         "language", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en1\",\"approach\":\"any\"", "language", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"pt-br\",\"approach\":\"any\"", "language", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"\",\"approach\":\"any\"", "language", NULL},
        {"\"utc_offset_minutes\":0,\"language\":7,\"approach\":\"any\"", "language", "string"},
        {"\"utc_offset_minutes\":0,\"language\":\"en\"", "approach", "required"},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"aa\"", "approach",
         "\"12_step\""},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"SMART\"", "approach", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"12-step\"", "approach", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\",\"clean_days\":36501",
         "clean_days", "between 0 and 36500"},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\",\"clean_days\":-1",
         "clean_days", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\",\"clean_days\":\"9\"",
         "clean_days", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\","
         "\"want_more_clean_time\":1", "want_more_clean_time", "true or false"},
        /* in order: the offset, the language, the approach, clean_days, the flag */
        {"\"utc_offset_minutes\":841,\"language\":\"EN\",\"approach\":\"aa\"", "utc_offset_minutes",
         NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"EN\",\"approach\":\"aa\",\"clean_days\":-1",
         "language", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"aa\",\"clean_days\":-1",
         "approach", NULL},
        {"\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\",\"clean_days\":-1,"
         "\"want_more_clean_time\":1", "clean_days", NULL},
    };
    char buf[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, JOIN "%s}", bad[i].members);
        refused(buf, bad[i].field, bad[i].also);
    }
}

Test(match_request, join_encode)
{
    struct proto_request in = {.type = PROTO_REQ_MATCH_JOIN, .id = "j"}, out;
    char *s;

    in.u.match = (struct proto_match_prefs){.utc_offset_minutes = 60, .language = "de",
                                            .approach = PROTO_APPROACH_ANY, .clean_days = -1};
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"match.join\",\"id\":\"j\",\"utc_offset_minutes\":60,"
                        "\"language\":\"de\",\"approach\":\"any\",\"want_more_clean_time\":false}");
    cr_expect_eq(out.u.match.clean_days, -1);
    free(s);
    proto_request_free(&out);

    in.u.match.clean_days = 0;
    in.u.match.want_more_clean_time = true;
    in.u.match.approach = PROTO_APPROACH_OTHER;
    s = round_trip_request(&in, &out);
    cr_expect_str_eq(s, "{\"type\":\"match.join\",\"id\":\"j\",\"utc_offset_minutes\":60,"
                        "\"language\":\"de\",\"approach\":\"other\",\"clean_days\":0,"
                        "\"want_more_clean_time\":true}");
    cr_expect_eq(out.u.match.clean_days, 0);
    cr_expect(out.u.match.want_more_clean_time);
    free(s);
    proto_request_free(&out);

    /* Values decoding would refuse are refused. */
    in.u.match.utc_offset_minutes = 841;
    cr_expect_null(proto_request_encode(&in), "offset 841");
    in.u.match.utc_offset_minutes = -721;
    cr_expect_null(proto_request_encode(&in), "offset -721");
    in.u.match.utc_offset_minutes = 0;
    in.u.match.language = "EN";
    cr_expect_null(proto_request_encode(&in), "language EN");
    in.u.match.language = "english1x";
    cr_expect_null(proto_request_encode(&in), "language english1x");
    in.u.match.language = NULL;
    cr_expect_null(proto_request_encode(&in), "no language");
    in.u.match.language = "en";
    in.u.match.approach = PROTO_APPROACH__COUNT;
    cr_expect_null(proto_request_encode(&in), "an approach out of range");
    in.u.match.approach = PROTO_APPROACH_ANY;
    in.u.match.clean_days = 36501;
    cr_expect_null(proto_request_encode(&in), "36501 days");
    in.u.match.clean_days = -2;
    cr_expect_null(proto_request_encode(&in), "-2 days");
}

/* -------------------------------------------------- the other match requests */

Test(match_request, proposal_number_and_no_members)
{
    static const enum proto_req_type by_id[] = {PROTO_REQ_MATCH_ACCEPT, PROTO_REQ_MATCH_DECLINE};
    static const enum proto_req_type none[] = {PROTO_REQ_MATCH_LEAVE, PROTO_REQ_MATCH_STATUS};
    struct proto_decode_error e;
    char buf[128], *s;

    for (size_t i = 0; i < 2; i++) {
        const char *name = proto_req_name(by_id[i]);
        struct proto_request r, in = {.type = by_id[i], .id = "m"}, out;

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"proposal\":7}", name);
        must_decode(buf, &r);
        cr_expect_eq(r.u.by_id.id, 7, "%s", name);
        proto_request_free(&r);
        in.u.by_id.id = 7;
        s = round_trip_request(&in, &out);
        cr_expect_str_eq(s, buf);
        free(s);
        proto_request_free(&out);
        in.u.by_id.id = 0;
        cr_expect_null(proto_request_encode(&in), "%s without its proposal", name);

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\"}", name);
        refused(buf, "proposal", "required");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"proposal\":0}", name);
        refused(buf, "proposal", "positive");
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"x\",\"proposal\":\"7\"}", name);
        refused(buf, "proposal", "positive");
        /* "id" is the request's own id: a number there makes it unreadable. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":7}", name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "%s", buf);
        cr_expect_str_eq(e.id, "");
        cr_expect(strstr(e.message, "'id'"), "%s", e.message);
    }
    for (size_t i = 0; i < 2; i++) {
        struct proto_request in = {.type = none[i], .id = "n"}, out;
        char want[64];
        s = round_trip_request(&in, &out);
        snprintf(want, sizeof want, "{\"type\":\"%s\",\"id\":\"n\"}", proto_req_name(none[i]));
        cr_expect_str_eq(s, want);
        free(s);
        proto_request_free(&out);
    }
}

/* ---------------------------------------------------------------- results */

static struct proto_match_prefs sample_prefs(void)
{
    return (struct proto_match_prefs){.utc_offset_minutes = -300, .language = "en",
                                      .approach = PROTO_APPROACH_12_STEP, .clean_days = 90,
                                      .want_more_clean_time = true};
}

static struct proto_match_proposal sample_proposal(void)
{
    return (struct proto_match_proposal){.id = 7, .handle = "gus", .utc_offset_minutes = -240,
                                         .language = "en", .approach = PROTO_APPROACH_ANY,
                                         .more_clean_time = true, .expires_at = 1795086400000};
}

#define PREFS_JSON                                                                               \
    "{\"utc_offset_minutes\":-300,\"language\":\"en\",\"approach\":\"12_step\",\"clean_days\":90," \
    "\"want_more_clean_time\":true}"
#define PROPOSAL_MEMBERS                                                                          \
    "\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":-240,\"language\":\"en\","               \
    "\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":1795086400000"

Test(match_result, status_round_trips)
{
    struct proto_result in = {.type = PROTO_REQ_MATCH_STATUS}, out;

    in.u.match.in_pool = true;
    in.u.match.prefs = sample_prefs();
    in.u.match.has_proposal = true;
    in.u.match.proposal = sample_proposal();
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"in_pool\":true,\"prefs\":" PREFS_JSON
                ",\"proposal\":{" PROPOSAL_MEMBERS "}}}");
    round_trip_result(&in, &out);
    cr_expect(out.u.match.in_pool);
    cr_expect_eq(out.u.match.prefs.utc_offset_minutes, -300);
    cr_expect_str_eq(out.u.match.prefs.language, "en");
    cr_expect_eq(out.u.match.prefs.approach, PROTO_APPROACH_12_STEP);
    cr_expect_eq(out.u.match.prefs.clean_days, 90);
    cr_expect(out.u.match.prefs.want_more_clean_time);
    cr_expect(out.u.match.has_proposal);
    cr_expect_eq(out.u.match.proposal.id, 7);
    cr_expect_str_eq(out.u.match.proposal.handle, "gus");
    cr_expect_eq(out.u.match.proposal.utc_offset_minutes, -240);
    cr_expect_eq(out.u.match.proposal.approach, PROTO_APPROACH_ANY);
    cr_expect(out.u.match.proposal.more_clean_time);
    cr_expect_eq(out.u.match.proposal.expires_at, 1795086400000);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    /* In the pool, clean_days not said, no proposal. */
    in.u.match.prefs.clean_days = -1;
    in.u.match.prefs.want_more_clean_time = false;
    in.u.match.has_proposal = false;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"in_pool\":true,\"prefs\":"
                "{\"utc_offset_minutes\":-300,\"language\":\"en\",\"approach\":\"12_step\","
                "\"want_more_clean_time\":false}}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.match.prefs.clean_days, -1);
    cr_expect_not(out.u.match.has_proposal);
    proto_result_free(&out);

    /* Out of the pool: in_pool alone, whatever the struct holds. */
    in.u.match.in_pool = false;
    in.u.match.prefs.language = NULL;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"in_pool\":false}}");
    round_trip_result(&in, &out);
    cr_expect_not(out.u.match.in_pool);
    cr_expect_null(out.u.match.prefs.language);
    cr_expect_eq(out.u.match.prefs.clean_days, -1, "not said");
    proto_result_free(&out);

    /* The encoder keeps the rules of both objects. */
    in.u.match.in_pool = true;
    cr_expect_null(proto_result_encode("x", &in), "prefs without a language");
    in.u.match.prefs = sample_prefs();
    in.u.match.prefs.clean_days = 36501;
    cr_expect_null(proto_result_encode("x", &in), "36501 days");
    in.u.match.prefs = sample_prefs();
    in.u.match.has_proposal = true;
    in.u.match.proposal = sample_proposal();
    in.u.match.proposal.expires_at = 0;
    cr_expect_null(proto_result_encode("x", &in), "a proposal that never lapses");
    in.u.match.proposal = sample_proposal();
    in.u.match.proposal.id = 0;
    cr_expect_null(proto_result_encode("x", &in), "proposal 0");
    in.u.match.proposal = sample_proposal();
    in.u.match.proposal.language = "EN";
    cr_expect_null(proto_result_encode("x", &in), "language EN");
}

Test(match_result, status_refusals)
{
#define P(members) "{\"in_pool\":true,\"prefs\":{" members "}}"
#define OK_PREFS "\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"any\""
    static const char *const bad[] = {
        "{}",
        "{\"in_pool\":null}",
        "{\"in_pool\":\"yes\"}",
        "{\"in_pool\":true}",
        "{\"in_pool\":true,\"prefs\":null}",
        P(OK_PREFS),
        P(OK_PREFS ",\"want_more_clean_time\":\"no\""),
        P("\"language\":\"en\",\"approach\":\"any\",\"want_more_clean_time\":false"),
        P("\"utc_offset_minutes\":841,\"language\":\"en\",\"approach\":\"any\","
          "\"want_more_clean_time\":false"),
        P("\"utc_offset_minutes\":0,\"language\":\"EN\",\"approach\":\"any\","
          "\"want_more_clean_time\":false"),
        P("\"utc_offset_minutes\":0,\"language\":\"en\",\"approach\":\"aa\","
          "\"want_more_clean_time\":false"),
        P(OK_PREFS ",\"clean_days\":36501,\"want_more_clean_time\":false"),
        P(OK_PREFS ",\"clean_days\":-1,\"want_more_clean_time\":false"),
        "{\"in_pool\":false,\"proposal\":{}}",
        "{\"in_pool\":false,\"proposal\":{\"id\":0,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"en\",\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":5}}",
        "{\"in_pool\":false,\"proposal\":{\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"en\",\"approach\":\"any\",\"more_clean_time\":true}}",
        "{\"in_pool\":false,\"proposal\":{\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"en\",\"approach\":\"any\",\"expires_at\":5}}",
        "{\"in_pool\":false,\"proposal\":{\"id\":7,\"utc_offset_minutes\":0,\"language\":\"en\","
        "\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":5}}",
        "{\"in_pool\":false,\"proposal\":{\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"en\",\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":null}}",
    };
#undef P
#undef OK_PREFS
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        result_refused(PROTO_REQ_MATCH_STATUS, bad[i]);
}

/* ----------------------------------------------------------------- events */

Test(match_event, each_round_trips)
{
    static const char *const states[] = {"waiting", "paired", "declined", "lapsed"};
    struct proto_event ev = {.type = PROTO_EVT_MATCH_PROPOSAL};
    char want[128];

    ev.u.proposal = sample_proposal();
    event_round_trip(&ev, "{\"type\":\"match.proposal\"," PROPOSAL_MEMBERS "}");
    ev.u.proposal.more_clean_time = false;
    ev.u.proposal.approach = PROTO_APPROACH_SMART;
    ev.u.proposal.language = "abcdefgh";
    ev.u.proposal.utc_offset_minutes = 840;
    event_round_trip(&ev, "{\"type\":\"match.proposal\",\"id\":7,\"handle\":\"gus\","
                          "\"utc_offset_minutes\":840,\"language\":\"abcdefgh\","
                          "\"approach\":\"smart\",\"more_clean_time\":false,"
                          "\"expires_at\":1795086400000}");

    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        ev = (struct proto_event){.type = PROTO_EVT_MATCH_UPDATE};
        ev.u.match_update.id = 7;
        ev.u.match_update.state = states[i];
        snprintf(want, sizeof want, "{\"type\":\"match.update\",\"id\":7,\"state\":\"%s\"}",
                 states[i]);
        event_round_trip(&ev, want);
    }
}

Test(match_event, decoded_values_and_refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"match.proposal\"}",
        "{\"type\":\"match.proposal\",\"proposal\":{" PROPOSAL_MEMBERS "}}",
        "{\"type\":\"match.proposal\",\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":-721,"
        "\"language\":\"en\",\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":5}",
        "{\"type\":\"match.proposal\",\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"e\",\"approach\":\"any\",\"more_clean_time\":true,\"expires_at\":5}",
        "{\"type\":\"match.proposal\",\"id\":7,\"handle\":\"gus\",\"utc_offset_minutes\":0,"
        "\"language\":\"en\",\"approach\":\"any\",\"more_clean_time\":1,\"expires_at\":5}",
        "{\"type\":\"match.update\",\"id\":7}",
        "{\"type\":\"match.update\",\"state\":\"paired\"}",
        "{\"type\":\"match.update\",\"id\":0,\"state\":\"paired\"}",
        "{\"type\":\"match.update\",\"id\":\"7\",\"state\":\"paired\"}",
    };
    struct proto_event ev = {.type = PROTO_EVT_MATCH_UPDATE};
    struct one_event o;

    /* The other person's clean days are never sent: a stray one is dropped. */
    cr_assert_eq(event_frame("{\"type\":\"match.proposal\"," PROPOSAL_MEMBERS ",\"clean_days\":9}",
                             &o), PROTO_OK);
    cr_expect_str_eq(o.enc, "{\"type\":\"match.proposal\"," PROPOSAL_MEMBERS "}");
    free(o.enc);
    cr_expect_eq(o.ev.type, PROTO_EVT_MATCH_PROPOSAL);
    cr_expect_eq(o.ev.u.proposal.id, 7);
    cr_expect_eq(o.ev.u.proposal.utc_offset_minutes, -240);
    cr_expect_eq(o.ev.u.proposal.expires_at, 1795086400000);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
    }
    ev.u.match_update.state = "paired";
    cr_expect_null(proto_event_encode(&ev), "id 0");
    ev.u.match_update.id = 7;
    ev.u.match_update.state = NULL;
    cr_expect_null(proto_event_encode(&ev), "no state");
    ev = (struct proto_event){.type = PROTO_EVT_MATCH_PROPOSAL};
    ev.u.proposal = sample_proposal();
    ev.u.proposal.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "no handle");
}
