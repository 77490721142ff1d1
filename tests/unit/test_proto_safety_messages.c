/*
 * Blocks, reports and safety (PROTOCOL.md sections 16 to 18) in the codec,
 * the server's side: results, events, hidden room messages and frames,
 * beyond what the golden vectors check. Request decoding and encoding are
 * in test_proto_safety_requests.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

#define SEEDLING "\xf0\x9f\x8c\xb1"   /* U+1F331: 1 code point, 4 bytes */

static const char *const RESOURCES[] = {
    "988 Suicide and Crisis Lifeline: call or text 988 (US)",
    "SAMHSA National Helpline: 1-800-662-4357 (US, free, 24/7)",
    "Crisis Text Line: text HOME to 741741 (US)",
    "If you are in immediate danger, call your local emergency number.",
};
#define N_RESOURCES (sizeof RESOURCES / sizeof RESOURCES[0])

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

/* ---------------------------------------------------------------- helpers */

/* got is want, member by member. */
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
