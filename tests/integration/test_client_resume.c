/*
 * Through the C client library, as the terminal client uses it: two people
 * chat; when one's link is cut, or the whole server restarts, the library
 * reconnects by itself and the application sees every message exactly
 * once, in order.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hclient.h"
#include "hdproc.h"

#define PW "correct horse battery"
#define MAX_SEEN 256

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

struct person {
    struct hc_client *c;
    const char *handle;
    uint64_t seqs[MAX_SEEN];       /* room events delivered, in order */
    char texts[MAX_SEEN][32];
    size_t n_seen;
    int readies;                   /* times the client reached HC_READY */
    int replies, errors;
    enum hc_state state;
};

static void on_state(struct hc_client *c, enum hc_state st, int64_t retry, void *ud)
{
    struct person *p = ud;
    p->state = st;
    if (st == HC_READY)
        p->readies++;
}

static void on_event(struct hc_client *c, const struct proto_room_event *ev, bool backlog, void *ud)
{
    struct person *p = ud;
    cr_assert(p->n_seen < MAX_SEEN);
    p->seqs[p->n_seen] = ev->seq;
    snprintf(p->texts[p->n_seen], sizeof p->texts[0], "%s", ev->text ? ev->text : "");
    p->n_seen++;
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct person *p = ud;
    if (r->err == PROTO_OK)
        p->replies++;
    else /* printed, not cr_log_warn: a Criterion warning makes the run exit 1 */
        fprintf(stderr, "%s: error %d (%s): %s\n", p->handle, ++p->errors, r->err_code, r->message);
}

/* Runs the loop until cond() holds; the bound only stops a broken test. */
static void on_guard(uv_timer_t *t) { uv_timer_stop(t); }

static bool run_until(uv_loop_t *loop, bool (*cond)(void *), void *ud)
{
    uv_timer_t guard;
    uv_timer_init(loop, &guard);
    uv_timer_start(&guard, on_guard, 20000, 0);
    while (!cond(ud) && uv_is_active((uv_handle_t *)&guard))
        uv_run(loop, UV_RUN_ONCE);
    bool ok = cond(ud);
    uv_close((uv_handle_t *)&guard, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return ok;
}

struct want { struct person *p; int replies; size_t seen; int readies; };
static bool reached(void *ud)
{
    struct want *w = ud;
    return w->p->replies >= w->replies && w->p->n_seen >= w->seen && w->p->readies >= w->readies;
}

static void wait_for(uv_loop_t *loop, struct person *p, int replies, size_t seen, int readies)
{
    struct want w = {p, replies, seen, readies};
    cr_assert(run_until(loop, reached, &w),
              "%s: wanted %d replies / %zu events / %d readies, has %d / %zu / %d (errors %d)",
              p->handle, replies, seen, readies, p->replies, p->n_seen, p->readies, p->errors);
}

static void connect_person(uv_loop_t *loop, struct person *p, const char *handle)
{
    memset(p, 0, sizeof *p);
    p->handle = handle;
    struct hc_options o = {.url = hd.url, .reconnect = true, .backoff_min_ms = 50,
                           .backoff_max_ms = 400, .ud = p};
    o.cb.on_state = on_state;
    o.cb.on_room_event = on_event;
    cr_assert_eq(hc_client_new(loop, &o, &p->c), 0);
    cr_assert_eq(hc_register(p->c, handle, PW, NULL, on_reply, p), 0);
    wait_for(loop, p, 1, 0, 1);
    cr_assert_eq(p->errors, 0);
}

/* Every delivered seq is one more than the last: no gap, no duplicate. */
static void assert_contiguous(const struct person *p)
{
    for (size_t i = 1; i < p->n_seen; i++)
        cr_assert_eq(p->seqs[i], p->seqs[i - 1] + 1, "%s saw seq %llu after %llu", p->handle,
                     (unsigned long long)p->seqs[i], (unsigned long long)p->seqs[i - 1]);
}

static void close_all(uv_loop_t *loop, struct person *a, struct person *b)
{
    hc_client_close(a->c, NULL, NULL);
    hc_client_close(b->c, NULL, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    cr_assert_eq(uv_loop_close(loop), 0, "the client library left handles open");
}

static void send_n(uv_loop_t *loop, struct person *p, const char *room, int from, int n)
{
    char text[32];
    for (int i = from; i < from + n; i++) {
        snprintf(text, sizeof text, "msg %d", i);
        cr_assert_eq(hc_send(p->c, room, text, on_reply, p), 0);
    }
}

TestSuite(client, .fini = stop_server, .timeout = 120);

Test(client, two_people_chat)
{
    hd_start(&hd, hd_unlimited_rate);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct person a, b;
    connect_person(&loop, &a, "amy");
    connect_person(&loop, &b, "bob");

    struct proto_request create = {.type = PROTO_REQ_ROOM_CREATE};
    create.u.create.room = "lobby";
    create.u.create.title = "Lobby";
    create.u.create.topic = "";
    cr_assert_eq(hc_request(a.c, &create, on_reply, &a), 0);
    wait_for(&loop, &a, 2, 0, 1);
    cr_assert_eq(hc_join(a.c, "lobby", NULL, 50, on_reply, &a), 0);
    wait_for(&loop, &a, 3, 1, 1);               /* amy's own join, from history */
    cr_assert_eq(hc_join(b.c, "lobby", NULL, 50, on_reply, &b), 0);
    wait_for(&loop, &b, 2, 2, 1);               /* both joins */

    send_n(&loop, &a, "lobby", 0, 3);
    wait_for(&loop, &a, 6, 5, 1);
    wait_for(&loop, &b, 2, 5, 1);
    cr_assert_eq(a.errors + b.errors, 0);
    cr_assert_str_eq(b.texts[4], "msg 2");
    assert_contiguous(&a);
    assert_contiguous(&b);
    close_all(&loop, &a, &b);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(client, cut_link_resumes_with_nothing_missed_or_repeated)
{
    hd_start(&hd, hd_unlimited_rate);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct person a, b;
    connect_person(&loop, &a, "ada");
    connect_person(&loop, &b, "bea");
    struct proto_request create = {.type = PROTO_REQ_ROOM_CREATE};
    create.u.create.room = "porch";
    create.u.create.title = "Porch";
    create.u.create.topic = "";
    hc_request(a.c, &create, on_reply, &a);
    wait_for(&loop, &a, 2, 0, 1); /* the room exists before bea asks for it */
    hc_join(a.c, "porch", NULL, 50, on_reply, &a);
    hc_join(b.c, "porch", NULL, 50, on_reply, &b);
    wait_for(&loop, &b, 2, 2, 1);

    hc_client_drop(b.c);                         /* bea's network fails */
    send_n(&loop, &a, "porch", 0, 5);
    wait_for(&loop, &a, 3 + 5, 0, 1);
    wait_for(&loop, &b, 2, 7, 2);                /* reconnected and caught up */
    cr_assert_str_eq(b.texts[6], "msg 4");
    assert_contiguous(&b);
    cr_assert_eq(b.n_seen, 7, "nothing twice");
    close_all(&loop, &a, &b);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(client, server_restart_resumes_and_retries_unanswered_sends)
{
    hd_start(&hd, hd_unlimited_rate);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct person a, b;
    connect_person(&loop, &a, "ari");
    connect_person(&loop, &b, "ben");
    struct proto_request create = {.type = PROTO_REQ_ROOM_CREATE};
    create.u.create.room = "hall";
    create.u.create.title = "Hall";
    create.u.create.topic = "";
    hc_request(a.c, &create, on_reply, &a);
    wait_for(&loop, &a, 2, 0, 1);
    hc_join(a.c, "hall", NULL, 50, on_reply, &a);
    hc_join(b.c, "hall", NULL, 50, on_reply, &b);
    wait_for(&loop, &b, 2, 2, 1);
    send_n(&loop, &a, "hall", 0, 2);
    wait_for(&loop, &b, 2, 4, 1);

    cr_assert_eq(hd_stop(&hd), 0);
    /* While the server is down ari keeps writing; the library holds the
     * sends and delivers them once it is back. */
    send_n(&loop, &a, "hall", 2, 3);
    uv_run(&loop, UV_RUN_NOWAIT);
    hd_restart(&hd);
    wait_for(&loop, &a, 3 + 5, 0, 2);
    wait_for(&loop, &b, 2, 7, 2);
    assert_contiguous(&a);
    assert_contiguous(&b);
    cr_assert_eq(b.n_seen, 7);
    cr_assert_str_eq(b.texts[6], "msg 4");
    close_all(&loop, &a, &b);
    cr_assert_eq(hd_stop(&hd), 0);
}
