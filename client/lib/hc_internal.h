/*
 * hclient internals: the client struct and the interfaces between the
 * library's modules. Not installed, not for applications.
 *
 *   hc_url.c      URL -> host/port/path (pure)
 *   hc_backoff.c  reconnect delay (pure)
 *   hc_bucket.c   pacing of requests under the server's rate limit (pure)
 *   hc_seq.c      per-room seq rules (pure)
 *   hc_link.c     lws context, one WebSocket link, write queue, reconnect timer
 *   hc_req.c      request ids, pending requests, replies, hc_request & co
 *   hc_dispatch.c incoming server messages, auth/session state
 *   hc_rooms.c    followed rooms: join, gap fetches, catch-up after resume
 *   hc_client.c   create, accessors, the close sequence
 */
#ifndef HEARTH_HC_INTERNAL_H
#define HEARTH_HC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>
#include <uv.h>

#include "hclient.h"

#define HC__NOT_CONNECTED_MSG "Not connected to the server."
/* hc_send: how many rate_limited / server_busy / shutting_down answers a
 * message rides out before the application hears of it. */
#define HC__SEND_TRIES 5

/* ------------------------------------------------------------ hc_url.c */

struct hc__url {
    bool tls;
    char host[256];           /* without brackets for IPv6 literals */
    int port;
    char path[512];           /* always ends in "/ws" */
    char host_header[300];    /* host[:port] as sent in Host: */
};
/* Accepts http://, https://, ws://, wss:// (case-insensitive scheme),
 * optional [v6]:port, optional base path ("/hearth" -> "/hearth/ws").
 * Returns 0 or -EINVAL. */
int hc__url_parse(const char *url, struct hc__url *out);

/* -------------------------------------------------------- hc_backoff.c */

/* Full jitter: a delay in [1, min(max, min * 2^attempt)] picked with the
 * random value rnd. min 0 means 250 ms, max 0 means 15000 ms. */
uint32_t hc__backoff_delay(uint32_t min_ms, uint32_t max_ms, unsigned attempt, uint32_t rnd);

/* --------------------------------------------------------- hc_bucket.c */

struct hc__bucket {
    uint32_t rate;               /* tokens per second (0: no pacing) */
    uint32_t burst;
    uint64_t milli;              /* tokens x 1000 */
    uint64_t last_ms;
};
/* From hello's rate_per_sec / rate_burst, a little under them. Full. */
void hc__bucket_reset(struct hc__bucket *b, uint32_t rate, uint32_t burst, uint64_t now_ms);
/* Takes a token: 0, or the milliseconds until one is there (none taken). */
uint64_t hc__bucket_take(struct hc__bucket *b, uint64_t now_ms);

/* ------------------------------------------------------------ hc_seq.c */

/* One followed room's ordering state. last: the last seq delivered to the
 * application; seen: the highest live seq seen but not yet delivered. */
struct hc__seq {
    uint64_t last;
    uint64_t seen;
    bool fetching;            /* a room.history after=last is in flight */
    unsigned holding;         /* hc_join flows in progress: deliver no live event */
};

enum hc__seq_verdict {
    HC__SEQ_DROP,             /* already delivered */
    HC__SEQ_DELIVER,          /* deliver now (last was advanced) */
    HC__SEQ_HOLD,             /* remembered; a fetch in flight or a join will bring it */
    HC__SEQ_FETCH,            /* gap: start a fetch after `last` now (fetching was set) */
};

/* A live event arrived. */
enum hc__seq_verdict hc__seq_live(struct hc__seq *s, uint64_t seq);
/* An event from a history reply: true when it is new (deliver it; last was
 * advanced). History pages may start past last+1 when retention cut them. */
bool hc__seq_backlog(struct hc__seq *s, uint64_t seq);
/* A fetch reply was processed. progressed: it delivered at least one event.
 * Returns true when another fetch after `last` must be sent now (fetching
 * stays set), false when fetching is over. */
bool hc__seq_fetch_done(struct hc__seq *s, bool has_more, bool progressed);
/* A fetch failed (error reply or link drop). */
void hc__seq_fetch_failed(struct hc__seq *s);
/* Start a catch-up fetch (after a resume). False when one is already in
 * flight or the room is being joined. */
bool hc__seq_begin_fetch(struct hc__seq *s);
/* A join flow ended: the server said the room's last seq is room_last.
 * Returns true when a fetch must be sent now (a later seq was seen). */
bool hc__seq_join_done(struct hc__seq *s, uint64_t room_last, bool ok);

/* ---------------------------------------------------------- the client */

struct hc__out {                 /* one queued outgoing frame */
    struct hc__out *next;
    size_t len;
    unsigned char buf[];         /* LWS_PRE headroom, then len bytes */
};

/* Internal reply callbacks get this, so they can read the raw result data
 * (e.g. to keep it past the callback). */
struct hc__reply_ex {
    struct hc_reply pub;
    json_t *data;                /* result data, NULL on error */
};

struct hc__req {
    struct hc__req *next;
    char id[24];
    enum proto_req_type type;
    char *json;                  /* the encoded request */
    bool sent;                   /* written on the current link */
    bool retry;                  /* survives a drop: room.send via hc_send */
    bool internal;               /* the library's own: may go before READY */
    unsigned tries;              /* retried sends: answers that said "later" */
    hc_reply_cb cb;
    void *ud;
};

struct hc__room {
    struct hc__room *next;
    char name[PROTO_HANDLE_MAX + 1];
    struct hc__seq seq;
    bool catching_up;            /* counted in hc_client.catchup_left */
};

enum hc__link {
    HC__LINK_NONE = 0,           /* no socket */
    HC__LINK_OPENING,            /* TCP/TLS/WebSocket handshake */
    HC__LINK_HELLO_WAIT,         /* established, hello not yet seen */
    HC__LINK_OPEN,               /* hello seen */
};

struct hc_client {
    uv_loop_t *loop;
    struct lws_context *ctx;
    struct lws *wsi;             /* the current link's wsi, NULL when none */
    struct hc__url url;
    char *ca_file;
    bool tls_insecure;
    bool reconnect;
    uint32_t backoff_min, backoff_max;
    unsigned attempt;            /* reconnects since the last success */
    struct hc_callbacks cb;
    void *ud;

    enum hc_state state;
    enum hc__link link;
    int close_code;              /* from the peer's close frame, 0 if none */
    char *last_error;            /* why the last link went down (a sentence or lws's words) */
    bool resuming;               /* auth.resume in flight */
    bool logged_out;             /* we sent auth.logout: a 4002 is ours */
    bool session_over;           /* session ended; do not reconnect */
    bool idle;                   /* closed for not signing in (4000): the next
                                    request reconnects, nothing before */
    char *token;
    char *handle;
    enum proto_role role;        /* the signed-in account's server-wide role */
    struct proto_limits limits;

    /* outgoing frames of the current link */
    struct hc__out *out_head, *out_tail;
    /* incoming fragments of the current message */
    char *rx;
    size_t rx_len, rx_cap;

    /* requests, in the order they were made */
    struct hc__req *reqs;
    uint64_t next_id;
    struct hc__bucket bucket;    /* pacing on the current link */
    uint64_t pause_until_ms;     /* nothing goes out before (rate_limited said so) */

    struct hc__room *rooms;
    unsigned catchup_left;       /* rooms still catching up after resume */

    uv_timer_t reconnect_timer;  /* connect attempts */
    uv_timer_t gap_timer;        /* retry of failed gap fetches */
    uv_timer_t flush_timer;      /* requests held by pacing */
    uv_idle_t close_idle;        /* drives the close sequence */
    int handles_open;
    bool closing;
    int close_phase;
    uint64_t close_started_ms;
    void (*closed_cb)(void *ud);
    void *closed_ud;
};

/* hc_link.c */
int hc__link_context_new(struct hc_client *c);
void hc__link_connect(struct hc_client *c);          /* start an attempt now */
void hc__link_schedule(struct hc_client *c);         /* link is down: plan the next attempt */
void hc__link_connect_soon(struct hc_client *c);     /* an attempt from the loop, now */
int hc__link_send(struct hc_client *c, const char *json);  /* queue a frame */
void hc__link_kill(struct hc_client *c);             /* detach and kill the current wsi */
void hc__link_reset_buffers(struct hc_client *c);

/* hc_req.c */
/* A queued request, or a negative errno: -ENOMEM, -EINVAL (the codec
 * refuses a field), -EMSGSIZE (over the protocol's frame limit). */
int hc__req_new(struct hc_client *c, const struct proto_request *req, hc_reply_cb cb, void *ud,
                struct hc__req **out);
void hc__req_flush(struct hc_client *c);             /* send what may go now */
/* The link dropped: unsent or unanswered requests get the local error,
 * except retried sends, which wait (all fail when fail_all). */
void hc__req_fail_pending(struct hc_client *c, bool fail_all);
void hc__req_reply(struct hc_client *c, const struct proto_server_msg *m);
int hc__req_internal(struct hc_client *c, struct proto_request *req, hc_reply_cb cb, void *ud);
/* An application request (held until the client may send it). */
int hc__req_submit(struct hc_client *c, const struct proto_request *req, bool retry, hc_reply_cb cb,
                   void *ud);
bool hc__user_may_send(const struct hc_client *c);

/* hc_dispatch.c */
void hc__dispatch_frame(struct hc_client *c, const char *buf, size_t len);
void hc__set_state(struct hc_client *c, enum hc_state st, int64_t retry_in_ms);
void hc__link_down(struct hc_client *c, const char *why);
void hc__session_ended(struct hc_client *c, const char *reason);
void hc__became_ready(struct hc_client *c);
/* Track auth results (token, handle, state) before the caller's callback. */
void hc__auth_result(struct hc_client *c, enum proto_req_type type, const struct hc_reply *r);

/* hc_rooms.c */
struct hc__room *hc__room_find(const struct hc_client *c, const char *name);
struct hc__room *hc__room_add(struct hc_client *c, const char *name);
void hc__room_remove(struct hc_client *c, const char *name);
void hc__rooms_clear(struct hc_client *c);
void hc__rooms_live(struct hc_client *c, const struct proto_room_event *ev);
void hc__rooms_catch_up(struct hc_client *c);        /* after resume; calls hc__became_ready */
void hc__rooms_link_down(struct hc_client *c);
void hc__rooms_retry_gaps(struct hc_client *c);

/* hc_client.c */
void hc__random(void *buf, size_t n);
uint64_t hc__now_ms(const struct hc_client *c);

#endif
