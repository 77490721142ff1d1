/*
 * Support requests in the codec, the server's side (PROTOCOL.md sections
 * 5.62 to 5.70, 6.22 to 6.24 and 22): the support request and support day
 * objects in the results of support.*, and the three support events
 * (round trips, decoded values, what a reader drops, refusals), beyond what
 * the golden vectors check. The requests are in test_proto_support.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */

/* ---------------------------------------------------------------- results */

/* alice's craving request, still asking her buddies. */
static struct proto_support sample_request(void)
{
    return (struct proto_support){.id = 31, .requester = "alice",
                                  .urgency = PROTO_URGENCY_CRAVING, .note = "payday " SEEDLING,
                                  .state = PROTO_SUPPORT_ASKING_BUDDIES,
                                  .created_at = 1795000100000, .waited_ms = 0};
}

/* The same, answered by sam. */
static struct proto_support sample_accepted(void)
{
    struct proto_support q = sample_request();
    q.state = PROTO_SUPPORT_ACCEPTED;
    q.waited_ms = 95000;
    q.helper = "sam";
    q.conversation = "~s8pp0rt31";
    return q;
}

#define REQUEST_JSON                                                                           \
    "{\"id\":31,\"requester\":\"alice\",\"urgency\":\"craving\",\"note\":\"payday " SEEDLING \
    "\",\"state\":\"asking_buddies\",\"created_at\":1795000100000,\"waited_ms\":0}"
#define ACCEPTED_JSON                                                                          \
    "{\"id\":31,\"requester\":\"alice\",\"urgency\":\"craving\",\"note\":\"payday " SEEDLING \
    "\",\"state\":\"accepted\",\"created_at\":1795000100000,\"waited_ms\":95000,"             \
    "\"helper\":\"sam\",\"conversation\":\"~s8pp0rt31\"}"

static const char *RESOURCES[] = {"Call 988 " SEEDLING, "Text HOME to 741741"};

Test(support_result, ask_and_accept)
{
    struct proto_result in = {.type = PROTO_REQ_SUPPORT_ASK}, out;

    in.u.asked.request = sample_request();
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"request\":" REQUEST_JSON "}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.asked.request.id, 31);
    cr_expect_str_eq(out.u.asked.request.requester, "alice");
    cr_expect_eq(out.u.asked.request.urgency, PROTO_URGENCY_CRAVING);
    cr_expect_str_eq(out.u.asked.request.note, "payday " SEEDLING);
    cr_expect_eq(out.u.asked.request.state, PROTO_SUPPORT_ASKING_BUDDIES);
    cr_expect_eq(out.u.asked.request.created_at, 1795000100000);
    cr_expect_null(out.u.asked.request.helper);
    cr_expect_null(out.u.asked.request.conversation);
    cr_expect_eq(out.u.asked.n_resources, 0);
    cr_expect_null(out._alloc);
    proto_result_free(&out);

    /* A crisis: the resources always, [] when the deployment lists none. */
    in.u.asked.request.urgency = PROTO_URGENCY_CRISIS;
    in.u.asked.request.note = NULL;
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"request\":{\"id\":31,"
                "\"requester\":\"alice\",\"urgency\":\"crisis\",\"state\":\"asking_buddies\","
                "\"created_at\":1795000100000,\"waited_ms\":0},\"resources\":[]}}");
    in.u.asked.resources = RESOURCES;
    in.u.asked.n_resources = 2;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.asked.n_resources, 2);
    cr_expect_eq((void *)out.u.asked.resources, out._alloc);
    cr_expect_str_eq(out.u.asked.resources[0], "Call 988 " SEEDLING);
    cr_expect_str_eq(out.u.asked.resources[1], "Text HOME to 741741");
    cr_expect_null(out.u.asked.request.note);
    proto_result_free(&out);

    /* Asked with crisis while a talk request was open: that one comes back
     * unchanged, and the resources with it. */
    in.u.asked.request.urgency = PROTO_URGENCY_TALK;
    in.u.asked.n_resources = 1;
    expect_json(proto_result_encode("a", &in),
                "{\"type\":\"result\",\"id\":\"a\",\"data\":{\"request\":{\"id\":31,"
                "\"requester\":\"alice\",\"urgency\":\"talk\",\"state\":\"asking_buddies\","
                "\"created_at\":1795000100000,\"waited_ms\":0},\"resources\":[\"Call 988 " SEEDLING
                "\"]}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.asked.request.urgency, PROTO_URGENCY_TALK);
    cr_assert_eq(out.u.asked.n_resources, 1);
    cr_expect_str_eq(out.u.asked.resources[0], "Call 988 " SEEDLING);
    proto_result_free(&out);
    in.u.asked.resources = NULL;
    cr_expect_null(proto_result_encode("x", &in), "one resource and no array");

    /* support.accept: the request as its helper sees it, its conversation included. */
    in = (struct proto_result){.type = PROTO_REQ_SUPPORT_ACCEPT};
    in.u.asked.request = sample_accepted();
    expect_json(proto_result_encode("c", &in),
                "{\"type\":\"result\",\"id\":\"c\",\"data\":{\"request\":" ACCEPTED_JSON "}}");
    round_trip_result(&in, &out);
    cr_expect_eq(out.u.asked.request.state, PROTO_SUPPORT_ACCEPTED);
    cr_expect_eq(out.u.asked.request.waited_ms, 95000);
    cr_expect_str_eq(out.u.asked.request.helper, "sam");
    cr_expect_str_eq(out.u.asked.request.conversation, "~s8pp0rt31");
    proto_result_free(&out);
    in.u.asked.request.conversation = NULL;
    cr_expect_null(proto_result_encode("x", &in), "an accept without its conversation");
    in.u.asked.request = sample_accepted();
    in.u.asked.request.urgency = PROTO_URGENCY_CRISIS;
    in.u.asked.resources = RESOURCES;
    in.u.asked.n_resources = 2;
    cr_expect_null(proto_result_encode("x", &in), "resources in an accept");
}

Test(support_result, object_rules)
{
    struct proto_result in = {.type = PROTO_REQ_SUPPORT_QUEUE}, out;
    struct proto_support q[1];

    in.u.support.requests = q;
    in.u.support.n = 1;

    /* The note is written only when there is one ("" is none). */
    q[0] = sample_request();
    q[0].note = "";
    expect_json(proto_result_encode("q", &in),
                "{\"type\":\"result\",\"id\":\"q\",\"data\":{\"requests\":[{\"id\":31,"
                "\"requester\":\"alice\",\"urgency\":\"craving\",\"state\":\"asking_buddies\","
                "\"created_at\":1795000100000,\"waited_ms\":0}]}}");
    /* Closed, seen by someone who is not in the conversation: the helper, no conversation. */
    q[0] = sample_accepted();
    q[0].state = PROTO_SUPPORT_CLOSED;
    q[0].conversation = NULL;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.support.n, 1);
    cr_expect_eq(out.u.support.requests[0].state, PROTO_SUPPORT_CLOSED);
    cr_expect_str_eq(out.u.support.requests[0].helper, "sam");
    cr_expect_null(out.u.support.requests[0].conversation);
    proto_result_free(&out);

    /* Values that break a rule are refused. */
    q[0] = sample_request();
    q[0].id = 0;
    cr_expect_null(proto_result_encode("x", &in), "id 0");
    q[0] = sample_request();
    q[0].waited_ms = -1;
    cr_expect_null(proto_result_encode("x", &in), "a negative wait");
    q[0] = sample_request();
    q[0].requester = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no requester");
    q[0] = sample_request();
    q[0].urgency = PROTO_URGENCY__COUNT;
    cr_expect_null(proto_result_encode("x", &in), "an urgency out of range");
    q[0] = sample_request();
    q[0].state = PROTO_SUPPORT__COUNT;
    cr_expect_null(proto_result_encode("x", &in), "a state out of range");
    q[0] = sample_request();
    q[0].helper = "sam";
    cr_expect_null(proto_result_encode("x", &in), "a helper before anyone answered");
    q[0] = sample_request();
    q[0].state = PROTO_SUPPORT_CANCELLED;
    q[0].conversation = "~s8pp0rt31";
    cr_expect_null(proto_result_encode("x", &in), "a conversation for a cancelled request");
    q[0] = sample_accepted();
    q[0].helper = NULL;
    cr_expect_null(proto_result_encode("x", &in), "accepted without its helper");
    q[0] = sample_accepted();
    q[0].state = PROTO_SUPPORT_CLOSED;
    q[0].helper = NULL;
    cr_expect_null(proto_result_encode("x", &in), "closed without its helper");
    in.u.support.requests = NULL;
    cr_expect_null(proto_result_encode("x", &in), "one request and no array");
}

Test(support_result, queue_status_and_available)
{
    struct proto_support q[2] = {sample_request(), sample_request()};
    struct proto_result in = {.type = PROTO_REQ_SUPPORT_QUEUE}, out;

    q[0].state = PROTO_SUPPORT_NOBODY_YET;
    q[0].waited_ms = 300000;
    q[1].id = 32;
    q[1].requester = "troy";
    q[1].urgency = PROTO_URGENCY_CRISIS;
    q[1].note = NULL;
    q[1].state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    in.u.support.requests = q;
    in.u.support.n = 2;
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.support.n, 2);
    cr_expect_eq((void *)out.u.support.requests, out._alloc);
    cr_expect_eq(out.u.support.requests[0].state, PROTO_SUPPORT_NOBODY_YET);
    cr_expect_eq(out.u.support.requests[0].waited_ms, 300000);
    cr_expect_str_eq(out.u.support.requests[1].requester, "troy");
    cr_expect_null(out.u.support.requests[1].note);
    cr_expect_not(out.u.support.has_mine);
    proto_result_free(&out);
    in.u.support.n = 0;
    in.u.support.requests = NULL;
    expect_json(proto_result_encode("q", &in),
                "{\"type\":\"result\",\"id\":\"q\",\"data\":{\"requests\":[]}}");

    /* support.status: mine only when there is one; helping always. */
    in = (struct proto_result){.type = PROTO_REQ_SUPPORT_STATUS};
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"helping\":[],"
                "\"available\":false,\"offers\":[]}}");
    in.u.support.has_mine = true;
    in.u.support.mine = sample_request();
    q[0] = sample_accepted();
    q[0].id = 28;
    q[0].requester = "erin";
    q[0].helper = "alice";
    in.u.support.requests = q;
    in.u.support.n = 1;
    expect_json(proto_result_encode("s", &in),
                "{\"type\":\"result\",\"id\":\"s\",\"data\":{\"mine\":" REQUEST_JSON ","
                "\"helping\":[{\"id\":28,\"requester\":\"erin\",\"urgency\":\"craving\","
                "\"note\":\"payday " SEEDLING "\",\"state\":\"accepted\","
                "\"created_at\":1795000100000,\"waited_ms\":95000,\"helper\":\"alice\","
                "\"conversation\":\"~s8pp0rt31\"}],\"available\":false,\"offers\":[]}}");
    round_trip_result(&in, &out);
    cr_expect(out.u.support.has_mine);
    cr_expect_eq(out.u.support.mine.id, 31);
    cr_expect_str_eq(out.u.support.mine.note, "payday " SEEDLING);
    cr_assert_eq(out.u.support.n, 1);
    cr_expect_str_eq(out.u.support.requests[0].helper, "alice");
    proto_result_free(&out);
    /* on duty, and a buddy's request standing offered */
    struct proto_support_offer offer = {.request = sample_request(), .as = "buddy"};
    offer.request.id = 33;
    in.u.support.available = true;
    in.u.support.offers = &offer;
    in.u.support.n_offers = 1;
    round_trip_result(&in, &out);
    cr_expect(out.u.support.available);
    cr_assert_eq(out.u.support.n_offers, 1);
    cr_expect_eq(out.u.support.offers[0].request.id, 33);
    cr_expect_str_eq(out.u.support.offers[0].request.note, "payday " SEEDLING);
    cr_expect_str_eq(out.u.support.offers[0].as, "buddy");
    cr_assert_eq(out.u.support.n, 1, "helping survives beside the offers");
    cr_expect_eq(out.u.support.requests[0].id, 28);
    proto_result_free(&out);
    offer.as = NULL;
    cr_expect_null(proto_result_encode("x", &in), "an offer says why");
    offer.as = "buddy";
    in.u.support.mine.state = PROTO_SUPPORT__COUNT;
    cr_expect_null(proto_result_encode("x", &in), "a bad mine");

    /* support.available */
    in = (struct proto_result){.type = PROTO_REQ_SUPPORT_AVAILABLE};
    in.u.available.on = true;
    expect_json(proto_result_encode("v", &in),
                "{\"type\":\"result\",\"id\":\"v\",\"data\":{\"on\":true}}");
    round_trip_result(&in, &out);
    cr_expect(out.u.available.on);
    proto_result_free(&out);
}

Test(support_result, stats)
{
    struct proto_support_day days[2] = {
        {.day = "2026-11-22", .requests = 4, .answered = 3, .median_wait_ms = 95000,
         .worst_wait_ms = 610000},
        {.day = "2026-11-21", .requests = 1, .answered = 0, .median_wait_ms = 0,
         .worst_wait_ms = 1800000}};
    struct proto_result in = {.type = PROTO_REQ_SUPPORT_STATS}, out;

    in.u.stats.days = days;
    in.u.stats.n = 2;
    expect_json(proto_result_encode("d", &in),
                "{\"type\":\"result\",\"id\":\"d\",\"data\":{\"days\":[{\"day\":\"2026-11-22\","
                "\"requests\":4,\"answered\":3,\"median_wait_ms\":95000,\"worst_wait_ms\":610000},"
                "{\"day\":\"2026-11-21\",\"requests\":1,\"answered\":0,\"median_wait_ms\":0,"
                "\"worst_wait_ms\":1800000}]}}");
    round_trip_result(&in, &out);
    cr_assert_eq(out.u.stats.n, 2);
    cr_expect_eq((void *)out.u.stats.days, out._alloc);
    cr_expect_str_eq(out.u.stats.days[0].day, "2026-11-22");
    cr_expect_eq(out.u.stats.days[0].answered, 3);
    cr_expect_eq(out.u.stats.days[1].worst_wait_ms, 1800000);
    proto_result_free(&out);

    in.u.stats.n = 1;
    days[0].day = "2026-11-2";
    cr_expect_null(proto_result_encode("x", &in), "a day of the wrong shape");
    days[0].day = NULL;
    cr_expect_null(proto_result_encode("x", &in), "no day");
    days[0].day = "2026-11-22";
    days[0].answered = 5;
    cr_expect_null(proto_result_encode("x", &in), "more answered than asked");
    days[0].answered = 3;
    days[0].median_wait_ms = -1;
    cr_expect_null(proto_result_encode("x", &in), "a negative median");
    days[0].median_wait_ms = 0;
    days[0].worst_wait_ms = -1;
    cr_expect_null(proto_result_encode("x", &in), "a negative worst wait");
}

Test(support_result, no_data)
{
    static const enum proto_req_type t[] = {PROTO_REQ_SUPPORT_CANCEL, PROTO_REQ_SUPPORT_CLOSE,
                                            PROTO_REQ_SUPPORT_HANDBACK};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct proto_result in = {.type = t[i]}, out;
        expect_json(proto_result_encode("n", &in),
                    "{\"type\":\"result\",\"id\":\"n\",\"data\":{}}");
        round_trip_result(&in, &out);
        proto_result_free(&out);
    }
}

Test(support_result, decoding_drops_strays_and_reads_resources)
{
    struct proto_result out;
    json_t *d = json_loads("{\"request\":{\"id\":31,\"requester\":\"alice\",\"urgency\":\"talk\","
                           "\"note\":\"\",\"state\":\"nobody_yet\",\"created_at\":1,"
                           "\"waited_ms\":300000,\"helper\":\"sam\",\"conversation\":\"~s8pp0rt31\"},"
                           "\"resources\":[\"Call 988\"]}", 0, NULL);

    cr_assert(d);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SUPPORT_ASK, d, &out), PROTO_OK);
    cr_expect_null(out.u.asked.request.note, "\"\" is no note");
    cr_expect_null(out.u.asked.request.helper, "not answered: no helper");
    cr_expect_null(out.u.asked.request.conversation);
    cr_expect_eq(out.u.asked.n_resources, 1, "resources beside talk are read");
    cr_expect_eq((void *)out.u.asked.resources, out._alloc);
    proto_result_free(&out);
    json_decref(d);

    d = json_loads("{\"request\":{\"id\":31,\"requester\":\"alice\",\"urgency\":\"craving\","
                   "\"state\":\"asking_buddies\",\"created_at\":1,\"waited_ms\":0},"
                   "\"resources\":null}", 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SUPPORT_ASK, d, &out), PROTO_OK);
    cr_expect_eq(out.u.asked.n_resources, 0, "null resources beside craving are none");
    cr_expect_null(out._alloc);
    proto_result_free(&out);
    json_decref(d);

    d = json_loads("{\"mine\":null,\"helping\":[]}", 0, NULL);
    cr_assert_eq(proto_result_decode(PROTO_REQ_SUPPORT_STATUS, d, &out), PROTO_OK);
    cr_expect_not(out.u.support.has_mine);
    cr_expect_eq(out.u.support.n, 0);
    proto_result_free(&out);
    json_decref(d);
}

Test(support_result, refusals)
{
#define Q(members)                                                                       \
    "{\"id\":31,\"requester\":\"alice\",\"urgency\":\"talk\",\"created_at\":1,\"waited_ms\":0" \
    members "}"
    static const char *const bad_requests[] = {
        Q(""),
        Q(",\"state\":\"open\""),
        Q(",\"state\":\"Accepted\",\"helper\":\"sam\""),
        Q(",\"state\":7"),
        Q(",\"state\":\"accepted\""),
        Q(",\"state\":\"closed\",\"conversation\":\"~s8pp0rt31\""),
        Q(",\"state\":\"accepted\",\"helper\":null"),
        Q(",\"state\":\"accepted\",\"helper\":\"sam\",\"conversation\":5"),
        Q(",\"state\":\"asking_buddies\",\"note\":7"),
        "{\"id\":0,\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"closed\",\"created_at\":1,"
        "\"waited_ms\":0,\"helper\":\"b\"}",
        "{\"id\":\"31\",\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"cancelled\","
        "\"created_at\":1,\"waited_ms\":0}",
        "{\"id\":31,\"urgency\":\"talk\",\"state\":\"cancelled\",\"created_at\":1,\"waited_ms\":0}",
        "{\"id\":31,\"requester\":\"a\",\"state\":\"cancelled\",\"created_at\":1,\"waited_ms\":0}",
        "{\"id\":31,\"requester\":\"a\",\"urgency\":\"Talk\",\"state\":\"cancelled\","
        "\"created_at\":1,\"waited_ms\":0}",
        "{\"id\":31,\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"cancelled\","
        "\"waited_ms\":0}",
        "{\"id\":31,\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"cancelled\","
        "\"created_at\":1}",
        "{\"id\":31,\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"cancelled\","
        "\"created_at\":1,\"waited_ms\":-1}",
        "{\"id\":31,\"requester\":\"a\",\"urgency\":\"talk\",\"state\":\"cancelled\","
        "\"created_at\":1.5,\"waited_ms\":0}",
        "[]",
        "null",
    };
#undef Q
    static const char *const bad_days[] = {
        "{}",
        "{\"requests\":1,\"answered\":0,\"median_wait_ms\":0,\"worst_wait_ms\":0}",
        "{\"day\":\"2026-11-2\",\"requests\":1,\"answered\":0,\"median_wait_ms\":0,"
        "\"worst_wait_ms\":0}",
        "{\"day\":\"2026/11/22\",\"requests\":1,\"answered\":0,\"median_wait_ms\":0,"
        "\"worst_wait_ms\":0}",
        "{\"day\":\"2026-11-22\",\"requests\":-1,\"answered\":0,\"median_wait_ms\":0,"
        "\"worst_wait_ms\":0}",
        "{\"day\":\"2026-11-22\",\"requests\":1,\"answered\":2,\"median_wait_ms\":0,"
        "\"worst_wait_ms\":0}",
        "{\"day\":\"2026-11-22\",\"requests\":1,\"answered\":1,\"median_wait_ms\":-1,"
        "\"worst_wait_ms\":0}",
        "{\"day\":\"2026-11-22\",\"requests\":1,\"answered\":1,\"median_wait_ms\":0}",
        "{\"day\":20261122,\"requests\":1,\"answered\":1,\"median_wait_ms\":0,"
        "\"worst_wait_ms\":0}",
    };
    char buf[512];

    for (size_t i = 0; i < sizeof bad_requests / sizeof bad_requests[0]; i++) {
        snprintf(buf, sizeof buf, "{\"request\":%s}", bad_requests[i]);
        result_refused(PROTO_REQ_SUPPORT_ASK, buf);
        result_refused(PROTO_REQ_SUPPORT_ACCEPT, buf);
        snprintf(buf, sizeof buf, "{\"requests\":[%s]}", bad_requests[i]);
        result_refused(PROTO_REQ_SUPPORT_QUEUE, buf);
        snprintf(buf, sizeof buf, "{\"mine\":%s,\"helping\":[]}", bad_requests[i]);
        if (strcmp(bad_requests[i], "null") != 0)
            result_refused(PROTO_REQ_SUPPORT_STATUS, buf);
        snprintf(buf, sizeof buf, "{\"helping\":[%s]}", bad_requests[i]);
        result_refused(PROTO_REQ_SUPPORT_STATUS, buf);
    }
    for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++) {
        snprintf(buf, sizeof buf, "{\"days\":[%s]}", bad_days[i]);
        result_refused(PROTO_REQ_SUPPORT_STATS, buf);
    }
    result_refused(PROTO_REQ_SUPPORT_ASK, "{}");
    result_refused(PROTO_REQ_SUPPORT_ASK, "{\"request\":{\"id\":31,\"requester\":\"a\","
                                          "\"urgency\":\"crisis\",\"state\":\"asking_buddies\","
                                          "\"created_at\":1,\"waited_ms\":0}}");
    result_refused(PROTO_REQ_SUPPORT_ASK, "{\"request\":{\"id\":31,\"requester\":\"a\","
                                          "\"urgency\":\"crisis\",\"state\":\"asking_buddies\","
                                          "\"created_at\":1,\"waited_ms\":0},\"resources\":[5]}");
    result_refused(PROTO_REQ_SUPPORT_ASK, "{\"request\":{\"id\":31,\"requester\":\"a\","
                                          "\"urgency\":\"crisis\",\"state\":\"asking_buddies\","
                                          "\"created_at\":1,\"waited_ms\":0},\"resources\":null}");
    result_refused(PROTO_REQ_SUPPORT_ASK, "{\"request\":{\"id\":31,\"requester\":\"a\","
                                          "\"urgency\":\"talk\",\"state\":\"asking_buddies\","
                                          "\"created_at\":1,\"waited_ms\":0},\"resources\":\"988\"}");
    result_refused(PROTO_REQ_SUPPORT_ACCEPT, "{\"request\":{\"id\":31,\"requester\":\"a\","
                                             "\"urgency\":\"talk\",\"state\":\"accepted\","
                                             "\"created_at\":1,\"waited_ms\":0,\"helper\":\"s\"}}");
    result_refused(PROTO_REQ_SUPPORT_QUEUE, "{}");
    result_refused(PROTO_REQ_SUPPORT_QUEUE, "{\"requests\":{}}");
    result_refused(PROTO_REQ_SUPPORT_STATUS, "{}");
    result_refused(PROTO_REQ_SUPPORT_STATUS, "{\"mine\":null}");
    result_refused(PROTO_REQ_SUPPORT_STATS, "{}");
    result_refused(PROTO_REQ_SUPPORT_STATS, "{\"days\":null}");
    result_refused(PROTO_REQ_SUPPORT_AVAILABLE, "{}");
    result_refused(PROTO_REQ_SUPPORT_AVAILABLE, "{\"on\":\"yes\"}");
    result_refused(PROTO_REQ_SUPPORT_AVAILABLE, "{\"on\":null}");
}

/* ----------------------------------------------------------------- events */

Test(support_event, each_round_trips)
{
    static const char *const as[] = {"buddy", "supporter", "moderator"};
    static const char *const reasons[] = {"taken", "withdrawn"};
    struct proto_event ev;
    char want[512];

    for (size_t i = 0; i < 3; i++) {
        ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_OFFER};
        ev.u.offer.request = sample_request();
        ev.u.offer.as = as[i];
        snprintf(want, sizeof want, "{\"type\":\"support.offer\",\"request\":" REQUEST_JSON
                 ",\"as\":\"%s\"}", as[i]);
        event_round_trip(&ev, want);
    }
    for (size_t i = 0; i < 2; i++) {
        ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_GONE};
        ev.u.gone.id = 31;
        ev.u.gone.reason = reasons[i];
        snprintf(want, sizeof want, "{\"type\":\"support.gone\",\"id\":31,\"reason\":\"%s\"}",
                 reasons[i]);
        event_round_trip(&ev, want);
    }

    /* support.update: accepted, to the requester. */
    ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_UPDATE};
    ev.u.support_update.request = sample_accepted();
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":" ACCEPTED_JSON "}");
    /* Closed by the requester, with thanks, to the helper. */
    ev.u.support_update.request.state = PROTO_SUPPORT_CLOSED;
    ev.u.support_update.thanks = "Thank you " SEEDLING;
    ev.u.support_update.by = "requester";
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":{\"id\":31,"
                          "\"requester\":\"alice\",\"urgency\":\"craving\",\"note\":\"payday "
                          SEEDLING "\",\"state\":\"closed\",\"created_at\":1795000100000,"
                          "\"waited_ms\":95000,\"helper\":\"sam\",\"conversation\":\"~s8pp0rt31\"},"
                          "\"thanks\":\"Thank you " SEEDLING "\",\"by\":\"requester\"}");
    /* Back in the queue: handed back. */
    ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_UPDATE};
    ev.u.support_update.request = sample_request();
    ev.u.support_update.request.state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    ev.u.support_update.by = "handed_back";
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":{\"id\":31,"
                          "\"requester\":\"alice\",\"urgency\":\"craving\",\"note\":\"payday "
                          SEEDLING "\",\"state\":\"asking_supporters\","
                          "\"created_at\":1795000100000,\"waited_ms\":0},\"by\":\"handed_back\"}");
    /* nobody_yet: the resources always, [] when none are listed. */
    ev.u.support_update.by = NULL;
    ev.u.support_update.request.state = PROTO_SUPPORT_NOBODY_YET;
    ev.u.support_update.request.note = NULL;
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":{\"id\":31,"
                          "\"requester\":\"alice\",\"urgency\":\"craving\",\"state\":\"nobody_yet\","
                          "\"created_at\":1795000100000,\"waited_ms\":0},\"resources\":[]}");
    ev.u.support_update.resources = RESOURCES;
    ev.u.support_update.n_resources = 2;
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":{\"id\":31,"
                          "\"requester\":\"alice\",\"urgency\":\"craving\",\"state\":\"nobody_yet\","
                          "\"created_at\":1795000100000,\"waited_ms\":0},\"resources\":"
                          "[\"Call 988 " SEEDLING "\",\"Text HOME to 741741\"]}");
    /* The first update of a crisis carries them too. */
    ev.u.support_update.request.state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    ev.u.support_update.request.urgency = PROTO_URGENCY_CRISIS;
    event_round_trip(&ev, "{\"type\":\"support.update\",\"request\":{\"id\":31,"
                          "\"requester\":\"alice\",\"urgency\":\"crisis\","
                          "\"state\":\"asking_supporters\",\"created_at\":1795000100000,"
                          "\"waited_ms\":0},\"resources\":[\"Call 988 " SEEDLING "\","
                          "\"Text HOME to 741741\"]}");
}

/* The strings of a support.update, read while its frame is alive. */
struct update_seen {
    int n;
    size_t n_resources;
    char resource[64], thanks[64], by[64], note[64];
};

static void copy_or_empty(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

static void keep_update(const struct proto_server_msg *m, void *ud)
{
    struct update_seen *u = ud;
    const struct proto_event *ev = &m->event;

    u->n++;
    cr_assert_eq(m->kind, PROTO_MSG_EVENT);
    cr_assert_eq(ev->type, PROTO_EVT_SUPPORT_UPDATE);
    u->n_resources = ev->u.support_update.n_resources;
    copy_or_empty(u->resource, sizeof u->resource,
                  u->n_resources ? ev->u.support_update.resources[u->n_resources - 1] : NULL);
    copy_or_empty(u->thanks, sizeof u->thanks, ev->u.support_update.thanks);
    copy_or_empty(u->by, sizeof u->by, ev->u.support_update.by);
    copy_or_empty(u->note, sizeof u->note, ev->u.support_update.request.note);
}

static void update_frame(const char *text, struct update_seen *u)
{
    memset(u, 0, sizeof *u);
    cr_assert_eq(proto_frame_decode(text, strlen(text), keep_update, u), PROTO_OK, "%s", text);
    cr_assert_eq(u->n, 1);
}

#define UPDATE(request_members, rest)                                                        \
    "{\"type\":\"support.update\",\"request\":{\"id\":31,\"requester\":\"alice\","           \
    "\"created_at\":1,\"waited_ms\":9," request_members "}" rest "}"

Test(support_event, decoded_values)
{
    struct update_seen u;
    struct one_event o;

    update_frame(UPDATE("\"urgency\":\"talk\",\"state\":\"nobody_yet\",\"note\":\"n " SEEDLING "\"",
                        ",\"resources\":[\"a\",\"Call 988\"],\"by\":\"helper_lost\""), &u);
    cr_expect_eq(u.n_resources, 2);
    cr_expect_str_eq(u.resource, "Call 988");
    cr_expect_str_eq(u.by, "helper_lost");
    cr_expect_str_eq(u.note, "n " SEEDLING);
    /* Crisis: the resources are read when present, and optional. */
    update_frame(UPDATE("\"urgency\":\"crisis\",\"state\":\"asking_supporters\"",
                        ",\"resources\":[\"Call 988\"]"), &u);
    cr_expect_eq(u.n_resources, 1);
    update_frame(UPDATE("\"urgency\":\"crisis\",\"state\":\"asking_supporters\"", ""), &u);
    cr_expect_eq(u.n_resources, 0);
    update_frame(UPDATE("\"urgency\":\"crisis\",\"state\":\"asking_supporters\"",
                        ",\"resources\":null"), &u);
    cr_expect_eq(u.n_resources, 0);
    /* Closed: thanks are read; beside another state they are dropped, and so are
     * resources beside a request that is neither a crisis nor nobody_yet. */
    update_frame(UPDATE("\"urgency\":\"talk\",\"state\":\"closed\",\"helper\":\"sam\"",
                        ",\"thanks\":\"ty\",\"by\":\"requester\""), &u);
    cr_expect_str_eq(u.thanks, "ty");
    cr_expect_str_eq(u.by, "requester");
    update_frame(UPDATE("\"urgency\":\"talk\",\"state\":\"accepted\",\"helper\":\"sam\"",
                        ",\"thanks\":\"ty\",\"resources\":[\"x\"],\"by\":null"), &u);
    cr_expect_str_eq(u.thanks, "");
    cr_expect_eq(u.n_resources, 0);
    cr_expect_str_eq(u.by, "");

    /* A reason, an "as" and a "by" the reader does not know are accepted. */
    cr_assert_eq(event_frame("{\"type\":\"support.gone\",\"id\":31,\"reason\":\"expired\"}", &o),
                 PROTO_OK);
    cr_expect_eq(o.ev.type, PROTO_EVT_SUPPORT_GONE);
    cr_expect_eq(o.ev.u.gone.id, 31);
    cr_expect_str_eq(o.enc, "{\"type\":\"support.gone\",\"id\":31,\"reason\":\"expired\"}");
    free(o.enc);
    cr_assert_eq(event_frame("{\"type\":\"support.offer\",\"request\":" REQUEST_JSON
                             ",\"as\":\"volunteer\",\"extra\":1}", &o), PROTO_OK);
    cr_expect_eq(o.ev.type, PROTO_EVT_SUPPORT_OFFER);
    cr_expect_eq(o.ev.u.offer.request.urgency, PROTO_URGENCY_CRAVING);
    cr_expect_str_eq(o.enc, "{\"type\":\"support.offer\",\"request\":" REQUEST_JSON
                            ",\"as\":\"volunteer\"}");
    free(o.enc);
    update_frame(UPDATE("\"urgency\":\"talk\",\"state\":\"asking_supporters\"",
                        ",\"by\":\"moderator\""), &u);
    cr_expect_str_eq(u.by, "moderator");
}

Test(support_event, refusals)
{
    static const char *const bad[] = {
        "{\"type\":\"support.offer\",\"as\":\"buddy\"}",
        "{\"type\":\"support.offer\",\"request\":null,\"as\":\"buddy\"}",
        "{\"type\":\"support.offer\",\"request\":" REQUEST_JSON "}",
        "{\"type\":\"support.offer\",\"request\":" REQUEST_JSON ",\"as\":null}",
        "{\"type\":\"support.offer\",\"request\":" REQUEST_JSON ",\"as\":3}",
        "{\"type\":\"support.offer\",\"id\":31,\"requester\":\"alice\",\"urgency\":\"talk\","
        "\"state\":\"asking_buddies\",\"created_at\":1,\"waited_ms\":0,\"as\":\"buddy\"}",
        "{\"type\":\"support.gone\",\"reason\":\"taken\"}",
        "{\"type\":\"support.gone\",\"id\":0,\"reason\":\"taken\"}",
        "{\"type\":\"support.gone\",\"id\":\"31\",\"reason\":\"taken\"}",
        "{\"type\":\"support.gone\",\"id\":31}",
        "{\"type\":\"support.gone\",\"id\":31,\"reason\":null}",
        "{\"type\":\"support.update\"}",
        "{\"type\":\"support.update\",\"request\":{}}",
        UPDATE("\"urgency\":\"talk\",\"state\":\"answered\"", ""),
        UPDATE("\"urgency\":\"talk\",\"state\":\"Closed\",\"helper\":\"sam\"", ""),
        UPDATE("\"urgency\":\"urgent\",\"state\":\"asking_buddies\"", ""),
        UPDATE("\"urgency\":\"talk\",\"state\":\"accepted\"", ""),
        UPDATE("\"urgency\":\"talk\",\"state\":\"nobody_yet\"", ""),
        UPDATE("\"urgency\":\"talk\",\"state\":\"nobody_yet\"", ",\"resources\":null"),
        UPDATE("\"urgency\":\"talk\",\"state\":\"nobody_yet\"", ",\"resources\":[1]"),
        UPDATE("\"urgency\":\"crisis\",\"state\":\"asking_buddies\"", ",\"resources\":\"988\""),
        UPDATE("\"urgency\":\"talk\",\"state\":\"closed\",\"helper\":\"sam\"", ",\"thanks\":5"),
        UPDATE("\"urgency\":\"talk\",\"state\":\"asking_buddies\"", ",\"by\":3"),
    };
    struct proto_event ev = {.type = PROTO_EVT_SUPPORT_GONE};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct one_event o;
        cr_expect_eq(event_frame(bad[i], &o), PROTO_E_INVALID_FIELD, "%s", bad[i]);
        cr_expect_eq(o.n, 0, "%s", bad[i]);
        free(o.enc);
    }

    ev.u.gone.reason = "taken";
    cr_expect_null(proto_event_encode(&ev), "gone: id 0");
    ev.u.gone.id = 31;
    ev.u.gone.reason = NULL;
    cr_expect_null(proto_event_encode(&ev), "gone: no reason");

    ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_OFFER};
    ev.u.offer.request = sample_request();
    cr_expect_null(proto_event_encode(&ev), "offer: no as");
    ev.u.offer.as = "buddy";
    ev.u.offer.request.helper = "sam";
    cr_expect_null(proto_event_encode(&ev), "offer: a helper before anyone answered");

    ev = (struct proto_event){.type = PROTO_EVT_SUPPORT_UPDATE};
    ev.u.support_update.request = sample_accepted();
    ev.u.support_update.thanks = "ty";
    cr_expect_null(proto_event_encode(&ev), "update: thanks beside accepted");
    ev.u.support_update.thanks = NULL;
    ev.u.support_update.resources = RESOURCES;
    ev.u.support_update.n_resources = 2;
    cr_expect_null(proto_event_encode(&ev), "update: resources beside a craving, accepted");
    ev.u.support_update.n_resources = 1;
    ev.u.support_update.resources = NULL;
    ev.u.support_update.request.urgency = PROTO_URGENCY_CRISIS;
    cr_expect_null(proto_event_encode(&ev), "update: one resource and no array");
    ev.u.support_update.n_resources = 0;
    ev.u.support_update.request.id = 0;
    cr_expect_null(proto_event_encode(&ev), "update: a request of id 0");
}
