/*
 * A session is one WebSocket connection. Domain modules see sessions and
 * send to them through the fan-out interface below; only the network
 * layer (net.c) knows the socket behind it, so every domain module can be
 * unit-tested with a fake transport.
 *
 * Lifetime: the transport creates a session on connect and calls
 * session_transport_gone() when the socket is closed. Work in flight (a
 * database job, a password hash) holds a reference with session_ref(), so
 * a session is never freed under a callback that may still use it; such
 * callbacks check session_alive() before replying.
 */
#ifndef HEARTH_SESSION_H
#define HEARTH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "hproto.h"
#include "ratelimit.h"
#include "outq.h"

struct server;
struct user;
struct session;

/* What the network layer provides. */
struct transport_ops {
    /* Ask to be called back when the socket can take a write. */
    void (*want_write)(struct session *s);
    /* The session is closing: drop the socket even if it never becomes
     * writable again (a reader that stopped reading). Optional. */
    void (*closing)(struct session *s);
};

struct session {
    uint64_t id;
    struct server *srv;
    void *conn;                 /* transport's (struct lws *); NULL when gone */
    int refs;
    bool gone;                  /* transport closed: never write again */
    uint16_t close_code;        /* != 0: close once the queue is flushed */
    char close_reason[64];

    struct user *user;          /* NULL until authenticated */
    bool auth_in_flight;        /* a login/register/resume is being worked on */
    bool has_token;
    unsigned char token_hash[32];

    struct outq out;
    struct ratebucket rate;
    int64_t flood_window_start;
    unsigned flood_refusals;
    struct htimer auth_timer;
    char addr[64];              /* peer address, for per-address limits and logs */
};

struct session *session_new(struct server *srv, void *conn, const char *addr);
void session_ref(struct session *s);
void session_unref(struct session *s);
static inline bool session_alive(const struct session *s) { return !s->gone && !s->close_code; }
/* The transport closed the socket: detach from the user, drop the queue. */
void session_transport_gone(struct session *s);

/* Queue an encoded message (takes its own reference). A queue past its
 * bound cuts the session with 4001 (too slow). */
void session_send(struct session *s, struct hbuf *b);
/* Encode-and-send helpers; `json` is a malloc'd string and is consumed. */
void session_send_json(struct session *s, char *json);
void session_reply_error(struct session *s, const char *id, enum proto_err code,
                         const char *message, int64_t retry_after_ms);
void session_reply(struct session *s, const char *id, const struct proto_result *res);
/* Close after what is queued has been written. The session stops counting
 * as online at once, so the people in its rooms see it leave now. */
void session_close(struct session *s, uint16_t code, const char *reason);

#endif
