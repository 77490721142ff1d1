/*
 * The client library's pure parts: per-room seq rules, reconnect backoff,
 * request pacing, server URL parsing (client/lib/hc_seq.c, hc_backoff.c,
 * hc_bucket.c, hc_url.c); and which callback hears the events of a frame
 * (hc_dispatch.c, on a client struct with no real link).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_internal.h"

/* ------------------------------------------------------------- seq */

Test(client_seq, in_order_events_are_delivered_once)
{
    struct hc__seq s = {.last = 4};
    cr_assert_eq(hc__seq_live(&s, 5), HC__SEQ_DELIVER);
    cr_assert_eq(s.last, 5);
    cr_assert_eq(hc__seq_live(&s, 5), HC__SEQ_DROP);
    cr_assert_eq(hc__seq_live(&s, 3), HC__SEQ_DROP);
    cr_assert_eq(hc__seq_live(&s, 6), HC__SEQ_DELIVER);
    cr_assert_eq(s.last, 6);
    cr_assert_not(s.fetching);
}

Test(client_seq, gap_starts_one_fetch_and_remembers_the_highest_seen)
{
    struct hc__seq s = {.last = 10};
    cr_assert_eq(hc__seq_live(&s, 13), HC__SEQ_FETCH);
    cr_assert(s.fetching);
    cr_assert_eq(s.seen, 13);
    /* while the fetch is in flight: no second fetch */
    cr_assert_eq(hc__seq_live(&s, 15), HC__SEQ_HOLD);
    cr_assert_eq(s.seen, 15);
    /* the next in order still goes through */
    cr_assert_eq(hc__seq_live(&s, 11), HC__SEQ_DELIVER);
    cr_assert_eq(s.last, 11);
    /* the fetch brings 12..13 (11 is dropped as already delivered) */
    cr_assert_not(hc__seq_backlog(&s, 11));
    cr_assert(hc__seq_backlog(&s, 12));
    cr_assert(hc__seq_backlog(&s, 13));
    /* 15 was seen meanwhile: fetch again */
    cr_assert(hc__seq_fetch_done(&s, false, true));
    cr_assert(s.fetching);
    cr_assert(hc__seq_backlog(&s, 14));
    cr_assert(hc__seq_backlog(&s, 15));
    cr_assert_not(hc__seq_fetch_done(&s, false, true));
    cr_assert_not(s.fetching);
    cr_assert_eq(s.last, 15);
    cr_assert_eq(hc__seq_live(&s, 15), HC__SEQ_DROP);
    cr_assert_eq(hc__seq_live(&s, 16), HC__SEQ_DELIVER);
}

Test(client_seq, pages_while_has_more)
{
    struct hc__seq s = {.last = 0};
    cr_assert(hc__seq_begin_fetch(&s));
    cr_assert_not(hc__seq_begin_fetch(&s), "one fetch at a time");
    for (uint64_t i = 1; i <= 100; i++)
        cr_assert(hc__seq_backlog(&s, i));
    cr_assert(hc__seq_fetch_done(&s, true, true));
    cr_assert(hc__seq_backlog(&s, 101));
    cr_assert_not(hc__seq_fetch_done(&s, false, true));
    cr_assert_eq(s.last, 101);
}

Test(client_seq, empty_page_ends_the_fetch_instead_of_looping)
{
    struct hc__seq s = {.last = 5};
    cr_assert_eq(hc__seq_live(&s, 9), HC__SEQ_FETCH);
    /* retention removed 6..9: the server has nothing after 5 */
    cr_assert_not(hc__seq_fetch_done(&s, true, false));
    cr_assert_not(s.fetching);
    cr_assert_eq(s.seen, 5);
    cr_assert_eq(hc__seq_live(&s, 10), HC__SEQ_FETCH);
}

Test(client_seq, history_may_start_past_a_cut)
{
    struct hc__seq s = {.last = 5};
    cr_assert(hc__seq_begin_fetch(&s));
    cr_assert(hc__seq_backlog(&s, 40), "a truncated page skips ahead");
    cr_assert_eq(s.last, 40);
}

Test(client_seq, failed_fetch_can_be_retried)
{
    struct hc__seq s = {.last = 1};
    cr_assert_eq(hc__seq_live(&s, 3), HC__SEQ_FETCH);
    hc__seq_fetch_failed(&s);
    cr_assert_not(s.fetching);
    cr_assert_eq(s.seen, 3);
    cr_assert(hc__seq_begin_fetch(&s));
}

Test(client_seq, join_holds_live_events_then_fetches_what_it_missed)
{
    struct hc__seq s = {0};
    s.holding = 1;
    /* live events during the join are held, whatever their seq */
    cr_assert_eq(hc__seq_live(&s, 8), HC__SEQ_HOLD);
    cr_assert_eq(hc__seq_live(&s, 9), HC__SEQ_HOLD);
    cr_assert_not(hc__seq_begin_fetch(&s), "no catch-up fetch during a join");
    /* backlog: the newest events up to 7 */
    cr_assert(hc__seq_backlog(&s, 6));
    cr_assert(hc__seq_backlog(&s, 7));
    /* join reply said last_seq 7; 8 and 9 were seen: fetch them */
    cr_assert(hc__seq_join_done(&s, 7, true));
    cr_assert(s.fetching);
    cr_assert_eq(s.holding, 0);
    cr_assert(hc__seq_backlog(&s, 8));
    cr_assert(hc__seq_backlog(&s, 9));
    cr_assert_not(hc__seq_fetch_done(&s, false, true));
}

Test(client_seq, join_with_nothing_held_sets_last_to_the_rooms)
{
    struct hc__seq s = {0};
    s.holding = 1;
    cr_assert_not(hc__seq_join_done(&s, 42, true));
    cr_assert_eq(s.last, 42);
    cr_assert_eq(hc__seq_live(&s, 42), HC__SEQ_DROP);
    cr_assert_eq(hc__seq_live(&s, 43), HC__SEQ_DELIVER);
}

Test(client_seq, backlog_newer_than_the_join_reply_wins)
{
    struct hc__seq s = {0};
    s.holding = 1;
    cr_assert(hc__seq_backlog(&s, 12));
    cr_assert_not(hc__seq_join_done(&s, 10, true));
    cr_assert_eq(s.last, 12);
}

/* ----------------------------------------------------------- backoff */

Test(client_backoff, grows_to_the_cap_with_full_jitter)
{
    /* rnd = UINT32_MAX picks (nearly) the cap */
    cr_assert_eq(hc__backoff_delay(100, 1000, 0, 100), 100);
    cr_assert_eq(hc__backoff_delay(100, 1000, 1, 200), 200);
    cr_assert_eq(hc__backoff_delay(100, 1000, 2, 400), 400);
    cr_assert_eq(hc__backoff_delay(100, 1000, 3, 800), 800);
    cr_assert_eq(hc__backoff_delay(100, 1000, 4, 1000), 1000);
    cr_assert_eq(hc__backoff_delay(100, 1000, 30, 1000), 1000);
    for (unsigned a = 0; a < 40; a++)
        for (uint32_t r = 0; r < 5000; r += 37) {
            uint32_t d = hc__backoff_delay(100, 1000, a, r * 2654435761u);
            cr_assert(d >= 1 && d <= 1000, "attempt %u: %u", a, d);
        }
}

Test(client_backoff, never_zero_and_defaults)
{
    cr_assert_eq(hc__backoff_delay(100, 1000, 0, 0), 1, "0 would mean no reconnect planned");
    cr_assert_eq(hc__backoff_delay(0, 0, 0, 250), 250, "default min 250 ms");
    cr_assert_eq(hc__backoff_delay(0, 0, 20, 15000), 15000, "default max 15 s");
    cr_assert_leq(hc__backoff_delay(0, 0, 20, UINT32_MAX), 15000);
    cr_assert_eq(hc__backoff_delay(500, 100, 3, 500), 500, "max below min: min wins");
}

Test(client_backoff, spread_is_roughly_uniform)
{
    /* full jitter: the mean of many draws is about half the cap */
    uint64_t sum = 0;
    uint32_t x = 12345;
    for (int i = 0; i < 10000; i++) {
        x = x * 1664525u + 1013904223u;
        sum += hc__backoff_delay(1000, 1000, 0, x);
    }
    double mean = (double)sum / 10000;
    cr_assert(mean > 400 && mean < 600, "mean %f", mean);
}

/* ------------------------------------------------------------ bucket */

Test(client_bucket, stays_under_the_servers_rate)
{
    struct hc__bucket b;
    hc__bucket_reset(&b, 10, 20, 1000);   /* server: 10/s, burst 20 */
    int sent = 0;
    uint64_t t = 1000;
    while (hc__bucket_take(&b, t) == 0)
        sent++;
    cr_assert_eq(sent, 18, "a burst a little under the server's");
    uint64_t w = hc__bucket_take(&b, t);
    cr_assert(w > 0 && w <= 112, "next token in %llu ms", (unsigned long long)w);
    /* over 10 s of steady sending: at most 9/s plus the burst */
    sent = 0;
    for (t = 1000; t < 11000; t++)
        while (hc__bucket_take(&b, t) == 0)
            sent++;
    cr_assert(sent >= 85 && sent <= 90, "%d in 10 s", sent);
}

Test(client_bucket, wait_is_exact_and_refill_caps_at_burst)
{
    struct hc__bucket b;
    hc__bucket_reset(&b, 2, 3, 0);   /* rate 2 -> 1/s, burst 3 -> 1 */
    cr_assert_eq(hc__bucket_take(&b, 0), 0);
    cr_assert_eq(hc__bucket_take(&b, 0), 1000);
    cr_assert_eq(hc__bucket_take(&b, 400), 600);
    cr_assert_eq(hc__bucket_take(&b, 1000), 0);
    cr_assert_eq(hc__bucket_take(&b, 100000), 0, "refill capped at the burst");
    cr_assert_neq(hc__bucket_take(&b, 100000), 0);
}

Test(client_bucket, no_limits_no_pacing)
{
    struct hc__bucket b;
    hc__bucket_reset(&b, 0, 0, 0);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(hc__bucket_take(&b, 0), 0);
    hc__bucket_reset(&b, 1, 1, 0);
    cr_assert_eq(hc__bucket_take(&b, 0), 0);
    cr_assert_eq(hc__bucket_take(&b, 0), 1000);
}

/* --------------------------------------------------------------- url */

Test(client_url, schemes_ports_and_paths)
{
    struct hc__url u;
    cr_assert_eq(hc__url_parse("http://127.0.0.1:8080", &u), 0);
    cr_assert_not(u.tls);
    cr_assert_str_eq(u.host, "127.0.0.1");
    cr_assert_eq(u.port, 8080);
    cr_assert_str_eq(u.path, "/ws");
    cr_assert_str_eq(u.host_header, "127.0.0.1:8080");

    cr_assert_eq(hc__url_parse("https://hearth.example.org", &u), 0);
    cr_assert(u.tls);
    cr_assert_eq(u.port, 443);
    cr_assert_str_eq(u.host_header, "hearth.example.org");

    cr_assert_eq(hc__url_parse("WSS://h.example:8443/", &u), 0);
    cr_assert(u.tls);
    cr_assert_eq(u.port, 8443);
    cr_assert_str_eq(u.path, "/ws");

    cr_assert_eq(hc__url_parse("ws://h/ws", &u), 0);
    cr_assert_eq(u.port, 80);
    cr_assert_str_eq(u.path, "/ws");

    cr_assert_eq(hc__url_parse("https://h/hearth/?x=1#frag", &u), 0);
    cr_assert_str_eq(u.path, "/hearth/ws");

    cr_assert_eq(hc__url_parse("http://[::1]:9000", &u), 0);
    cr_assert_str_eq(u.host, "::1");
    cr_assert_eq(u.port, 9000);
    cr_assert_str_eq(u.host_header, "[::1]:9000");
}

Test(client_url, rejects_what_it_cannot_use)
{
    struct hc__url u;
    const char *bad[] = {
        NULL, "", "127.0.0.1:8080", "ftp://h", "http://", "http://:80", "http://h:0",
        "http://h:65536", "http://h:12a", "http://user:pw@h", "http://[::1", "http://[::1]x",
        "http://h:",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(hc__url_parse(bad[i], &u), -EINVAL, "accepted %s", bad[i] ? bad[i] : "NULL");
}

/* ------------------------------------------------------- on_event */

/* What the callbacks saw. Strings are copied: the event is valid only
 * during the call. */
struct seen {
    int events, presence, room_events;
    enum proto_event_type last;
    char room[64], who[64];
    size_t n_queue;
};

static void seen_event(struct hc_client *c, const struct proto_event *ev, void *ud)
{
    struct seen *s = ud;
    (void)c;
    s->events++;
    s->last = ev->type;
    const char *room = NULL, *who = NULL;
    switch (ev->type) {
    case PROTO_EVT_MEETING_STATE:
        room = ev->u.meeting.room;
        who = ev->u.meeting.speaker;
        s->n_queue = ev->u.meeting.n_queue;
        break;
    case PROTO_EVT_MEETING_OPENED:
        room = ev->u.opened.room;
        who = ev->u.opened.chair;
        break;
    case PROTO_EVT_MEETING_WARNING:
        room = ev->u.warning.room;
        who = ev->u.warning.handle;
        break;
    case PROTO_EVT_ROOM_ROLE:
        room = ev->u.role.room;
        who = ev->u.role.handle;
        break;
    default:
        break;
    }
    snprintf(s->room, sizeof s->room, "%s", room ? room : "");
    snprintf(s->who, sizeof s->who, "%s", who ? who : "");
}

static void seen_presence(struct hc_client *c, const char *h, enum proto_status st, void *ud)
{
    struct seen *s = ud;
    (void)c, (void)h, (void)st;
    s->presence++;
}

/* A client with an open link, as far as hc_dispatch.c can tell (the wsi
 * is only compared, never used). */
static struct hc_client *bare_client(struct seen *s, bool with_on_event)
{
    static int fake_wsi;
    struct hc_client *c = calloc(1, sizeof *c);
    cr_assert_not_null(c);
    c->wsi = (struct lws *)(void *)&fake_wsi;
    c->link = HC__LINK_OPEN;
    c->state = HC_READY;
    c->cb.on_presence = seen_presence;
    if (with_on_event)
        c->cb.on_event = seen_event;
    c->ud = s;
    return c;
}

static void feed_frame(struct hc_client *c, const char *json)
{
    hc__dispatch_frame(c, json, strlen(json));
}

Test(client_events, meeting_and_role_events_reach_on_event)
{
    struct seen s = {0};
    struct hc_client *c = bare_client(&s, true);

    feed_frame(c, "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                  "\"chair\":\"bob\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":\"carol\","
                  "\"share_ends_at\":1795000300000,\"share_seconds\":300,"
                  "\"queue\":[\"dan\",\"erin\"]}}");
    cr_assert_eq(s.events, 1);
    cr_assert_eq(s.last, PROTO_EVT_MEETING_STATE);
    cr_assert_str_eq(s.room, "circle");
    cr_assert_str_eq(s.who, "carol");
    cr_assert_eq(s.n_queue, 2);

    feed_frame(c, "{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":\"bob\","
                  "\"format\":\"Welcome.\\nRead the steps.\"}");
    cr_assert_eq(s.events, 2);
    cr_assert_eq(s.last, PROTO_EVT_MEETING_OPENED);
    cr_assert_str_eq(s.who, "bob");

    /* a batch: both delivered, in order; presence still goes to on_presence */
    feed_frame(c, "[{\"type\":\"meeting.warning\",\"room\":\"circle\",\"handle\":\"carol\","
                  "\"seconds_left\":60},"
                  "{\"type\":\"presence\",\"handle\":\"dan\",\"status\":\"away\"},"
                  "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"dan\","
                  "\"role\":\"moderator\"}]");
    cr_assert_eq(s.events, 4);
    cr_assert_eq(s.presence, 1);
    cr_assert_eq(s.last, PROTO_EVT_ROOM_ROLE);
    cr_assert_str_eq(s.who, "dan");

    /* types hproto does not know are skipped, not passed on */
    feed_frame(c, "{\"type\":\"meeting.someday\",\"room\":\"circle\"}");
    cr_assert_eq(s.events, 4);
    free(c);
}

Test(client_events, without_on_event_they_are_dropped_and_nothing_breaks)
{
    struct seen s = {0};
    struct hc_client *c = bare_client(&s, false);
    feed_frame(c, "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"dan\","
                  "\"role\":\"member\"}");
    feed_frame(c, "{\"type\":\"presence\",\"handle\":\"dan\",\"status\":\"busy\"}");
    cr_assert_eq(s.events, 0);
    cr_assert_eq(s.presence, 1);
    free(c);
}

Test(client_events, not_before_hello)
{
    struct seen s = {0};
    struct hc_client *c = bare_client(&s, true);
    c->link = HC__LINK_HELLO_WAIT;
    feed_frame(c, "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"dan\","
                  "\"role\":\"member\"}");
    cr_assert_eq(s.events, 0);
    free(c);
}

/* ------------------------------------------------------- moderation */

struct room_seen {
    int n;
    bool by_moderator;
};

static void seen_room_event(struct hc_client *c, const struct proto_room_event *ev, bool backlog,
                            void *ud)
{
    struct room_seen *s = ud;
    (void)c, (void)backlog;
    s->n++;
    s->by_moderator = ev->by_moderator;
}

Test(client_events, removed_by_a_moderator_unfollows_the_room)
{
    struct seen unused = {0};
    struct room_seen rs = {0};
    struct hc_client *c = bare_client(&unused, true);
    c->cb.on_room_event = seen_room_event;
    c->ud = &rs;
    c->handle = strdup("troy");
    struct hc__room *porch = hc__room_add(c, "porch");
    struct hc__room *den = hc__room_add(c, "den");
    cr_assert(porch && den);
    porch->seq.last = 5;
    den->seq.last = 2;

    /* someone else removed: nothing changes for me */
    feed_frame(c, "{\"type\":\"room.left\",\"room\":\"porch\",\"seq\":6,\"ts\":1,"
                  "\"handle\":\"dan\",\"by_moderator\":true}");
    cr_assert_eq(rs.n, 1);
    cr_assert_not_null(hc__room_find(c, "porch"));
    /* I left by myself (another device): still followed until hc_leave */
    feed_frame(c, "{\"type\":\"room.left\",\"room\":\"den\",\"seq\":3,\"ts\":1,"
                  "\"handle\":\"troy\"}");
    cr_assert_eq(rs.n, 2);
    cr_assert_not_null(hc__room_find(c, "den"));
    /* a moderator took me out: the event is delivered, then no more */
    feed_frame(c, "{\"type\":\"room.left\",\"room\":\"porch\",\"seq\":7,\"ts\":1,"
                  "\"handle\":\"troy\",\"by_moderator\":true}");
    cr_assert_eq(rs.n, 3);
    cr_assert(rs.by_moderator);
    cr_assert_null(hc__room_find(c, "porch"));
    cr_assert_not_null(hc__room_find(c, "den"));
    feed_frame(c, "{\"type\":\"room.message\",\"room\":\"porch\",\"seq\":8,\"ts\":1,"
                  "\"handle\":\"dan\",\"text\":\"hi\",\"cid\":\"x\"}");
    cr_assert_eq(rs.n, 3);

    hc__rooms_clear(c);
    free(c->handle);
    free(c);
}

Test(client_events, the_account_role_comes_from_the_auth_result)
{
    struct seen s = {0};
    struct hc_client *c = bare_client(&s, true);
    cr_assert_eq(hc_client_role(c), PROTO_ROLE_MEMBER);
    struct proto_result res;
    memset(&res, 0, sizeof res);
    res.type = PROTO_REQ_AUTH_RESUME;
    res.u.auth.user.handle = "root";
    res.u.auth.user.role = PROTO_ROLE_ADMIN;
    struct hc_reply r = {.err = PROTO_OK, .retry_after_ms = -1, .result = &res};
    hc__auth_result(c, PROTO_REQ_AUTH_RESUME, &r);
    cr_assert_str_eq(hc_client_handle(c), "root");
    cr_assert_eq(hc_client_role(c), PROTO_ROLE_ADMIN);
    free(c->handle);
    c->handle = NULL;
    cr_assert_eq(hc_client_role(c), PROTO_ROLE_MEMBER, "not signed in: no role");
    free(c);
}

/* What the codec or the frame limit refuses is never queued, and the caller
 * learns which it was. */
Test(client_requests, refused_before_they_are_sent)
{
    struct seen s = {0};
    struct hc_client *c = bare_client(&s, false);
    struct hc__req *r = NULL;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_CHECKIN_SUBMIT;
    q.u.checkin.mood = 0;   /* 1..5 */
    q.u.checkin.craving = -1;
    cr_expect_eq(hc__req_new(c, &q, NULL, NULL, &r), -EINVAL);

    /* A plan at every limit in two-byte characters: each value is valid,
     * the whole is over 64 KiB. */
    static char text[PROTO_PLAN_TEXT_MAX * 2 + 1];
    for (int i = 0; i < PROTO_PLAN_TEXT_MAX; i++)
        memcpy(text + 2 * i, "\xc3\xa9", 2);   /* é */
    struct proto_plan_line lines[PROTO_PLAN_LINES_MAX];
    const char *reasons[PROTO_PLAN_LINES_MAX];
    for (int i = 0; i < PROTO_PLAN_LINES_MAX; i++) {
        lines[i] = (struct proto_plan_line){text, text};
        reasons[i] = text;
    }
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_PLAN_SET;
    q.u.plan.lines = lines;
    q.u.plan.n = PROTO_PLAN_LINES_MAX;
    q.u.plan.reasons = reasons;
    q.u.plan.n_reasons = PROTO_PLAN_LINES_MAX;
    cr_expect_eq(hc__req_new(c, &q, NULL, NULL, &r), -EMSGSIZE);
    q.u.plan.n = q.u.plan.n_reasons = 1;
    cr_assert_eq(hc__req_new(c, &q, NULL, NULL, &r), 0, "a short plan goes");
    cr_expect_eq(c->reqs, r, "and is the only one queued");
    cr_expect_null(r->next);
    free(r->json);
    free(r);
    free(c);
}
