/*
 * hc_client: creating a client, its accessors, and the close sequence.
 *
 * Closing (lws 4.1.6 on a foreign libuv loop, see ENGINEERING.md §3):
 *   1. hc_client_close() fails what is pending, forgets the link and starts
 *      an idle handle; nothing else happens inside the caller's callback.
 *   2. In the idle callback (outside any lws service): the first
 *      lws_context_destroy(), which starts closing lws's own handles.
 *   3. Next idle callbacks: wait until no handle on the loop belongs to the
 *      context (lws marks its static handles with data == context; they
 *      close only after every wsi has), then the second
 *      lws_context_destroy(), which frees the context. Calling it earlier
 *      is a use-after-free; never calling it leaks ~1 MB.
 *   4. Close our own four handles; when their close callbacks have run,
 *      free the client and call closed_cb.
 * So the application calls hc_client_close() and lets uv_run() return by
 * itself: after that, uv_loop_close() returns 0 and nothing is leaked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hc_internal.h"

/* How long step 3 may wait for lws's handles before giving up (and
 * leaking the context rather than freeing it under lws's feet). */
#define HC__CLOSE_WAIT_MS 5000

void hc__random(void *buf, size_t n)
{
    if (uv_random(NULL, NULL, buf, n, 0, NULL) == 0)
        return;
    /* uv_random reads getrandom/urandom; it does not fail on Linux. Keep
     * a weak fallback rather than a zero cid. */
    static uint64_t x;
    unsigned char *p = buf;
    x ^= (uint64_t)time(NULL) ^ (uint64_t)uv_hrtime();
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (unsigned char)(x >> 56);
    }
}

uint64_t hc__now_ms(const struct hc_client *c)
{
    return uv_now(c->loop);
}

static void start_cb(uv_timer_t *t)
{
    hc__link_connect(t->data);
}

int hc_client_new(uv_loop_t *loop, const struct hc_options *opt, struct hc_client **out)
{
    *out = NULL;
    if (!loop || !opt)
        return -EINVAL;
    struct hc_client *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    int rc = hc__url_parse(opt->url ? opt->url : "http://127.0.0.1:8080", &c->url);
    if (rc < 0) {
        free(c);
        return rc;
    }
    c->loop = loop;
    c->tls_insecure = opt->tls_insecure;
    c->reconnect = opt->reconnect;
    c->backoff_min = opt->backoff_min_ms;
    c->backoff_max = opt->backoff_max_ms;
    c->cb = opt->cb;
    c->ud = opt->ud;
    c->state = HC_CONNECTING;   /* requests made now wait for the first link */
    if ((opt->ca_file && !(c->ca_file = strdup(opt->ca_file))) ||
        (opt->token && *opt->token && !(c->token = strdup(opt->token)))) {
        rc = -ENOMEM;
        goto err;
    }
    rc = hc__link_context_new(c);
    if (rc < 0)
        goto err;

    uv_timer_init(loop, &c->reconnect_timer);
    uv_timer_init(loop, &c->gap_timer);
    uv_timer_init(loop, &c->flush_timer);
    uv_idle_init(loop, &c->close_idle);
    c->reconnect_timer.data = c->gap_timer.data = c->flush_timer.data = c->close_idle.data = c;
    c->handles_open = 4;
    /* Connect from the loop, not here: a synchronous failure would run
     * callbacks before the caller has the pointer. */
    uv_timer_start(&c->reconnect_timer, start_cb, 0, 0);
    *out = c;
    return 0;
err:
    free(c->ca_file);
    free(c->token);
    free(c);
    return rc;
}

static void free_client(struct hc_client *c)
{
    void (*cb)(void *) = c->closed_cb;
    void *ud = c->closed_ud;
    hc__link_reset_buffers(c);
    hc__rooms_clear(c);
    while (c->reqs) {   /* all failed at close; only if a callback added more */
        struct hc__req *r = c->reqs;
        c->reqs = r->next;
        free(r->json);
        free(r);
    }
    free(c->ca_file);
    free(c->token);
    free(c->handle);
    free(c->last_error);
    free(c);
    if (cb)
        cb(ud);
}

static void handle_closed(uv_handle_t *h)
{
    struct hc_client *c = h->data;
    if (--c->handles_open == 0)
        free_client(c);
}

struct ctx_probe {
    void *ctx;
    bool found;
};

static void probe_cb(uv_handle_t *h, void *arg)
{
    struct ctx_probe *p = arg;
    if (h->data == p->ctx)
        p->found = true;
}

static void close_step(uv_idle_t *idle)
{
    struct hc_client *c = idle->data;
    if (c->close_phase == 0) {
        lws_context_destroy(c->ctx);   /* first call: starts closing */
        c->close_phase = 1;
        c->close_started_ms = uv_now(c->loop);
    }
    if (c->close_phase == 1) {
        struct ctx_probe p = {c->ctx, false};
        uv_walk(c->loop, probe_cb, &p);
        if (p.found) {
            if (uv_now(c->loop) - c->close_started_ms < HC__CLOSE_WAIT_MS)
                return;
            fprintf(stderr, "hclient: lws context did not finish closing; leaking it\n");
        } else {
            lws_context_destroy(c->ctx);   /* second call: frees it */
        }
        c->ctx = NULL;
        c->close_phase = 2;
    }
    uv_idle_stop(idle);
    uv_close((uv_handle_t *)&c->reconnect_timer, handle_closed);
    uv_close((uv_handle_t *)&c->gap_timer, handle_closed);
    uv_close((uv_handle_t *)&c->flush_timer, handle_closed);
    uv_close((uv_handle_t *)&c->close_idle, handle_closed);
}

void hc_client_close(struct hc_client *c, void (*closed_cb)(void *ud), void *ud)
{
    if (!c || c->closing)
        return;
    c->closed_cb = closed_cb;
    c->closed_ud = ud;
    c->closing = true;
    uv_timer_stop(&c->reconnect_timer);
    uv_timer_stop(&c->gap_timer);
    uv_timer_stop(&c->flush_timer);
    /* The context's destruction closes the wsi; we only forget it. */
    c->wsi = NULL;
    c->link = HC__LINK_NONE;
    c->state = HC_DISCONNECTED;
    hc__req_fail_pending(c, true);
    uv_idle_start(&c->close_idle, close_step);
}

void hc_client_drop(struct hc_client *c)
{
    if (!c || c->closing)
        return;
    if (c->link != HC__LINK_NONE) {
        hc__link_kill(c);
        hc__link_down(c, "The connection was dropped.");
        return;
    }
    /* No link: reconnect now (also after a session ended, to log in). */
    c->session_over = false;
    c->idle = false;
    uv_timer_start(&c->reconnect_timer, start_cb, 0, 0);
}

enum hc_state hc_client_state(const struct hc_client *c)
{
    return c->state;
}

const char *hc_client_token(const struct hc_client *c)
{
    return c->token;
}

const char *hc_client_handle(const struct hc_client *c)
{
    return c->handle;
}

enum proto_role hc_client_role(const struct hc_client *c)
{
    return c->handle ? c->role : PROTO_ROLE_MEMBER;
}

const struct proto_limits *hc_client_limits(const struct hc_client *c)
{
    return &c->limits;
}

const char *hc_client_last_error(const struct hc_client *c)
{
    return c->last_error;
}
