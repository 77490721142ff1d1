/*
 * hclient: the C client library for Hearth (libuv + libwebsockets client).
 *
 * Used by the `hearth` terminal client, the integration tests and, later,
 * the load generator. It owns one WebSocket connection to hearthd and
 * hides the parts every client must get right:
 *
 *  - connect (ws:// or wss://) to URL + "/ws" with subprotocol hearth.v1;
 *  - reconnect by itself after a drop, with exponential backoff and jitter;
 *  - match each reply to its request (ids are assigned here);
 *  - after a reconnect: resume the session with the token, then for every
 *    room it follows fetch exactly what was missed (room.history after the
 *    last seen seq, paged), so the application sees each room event once,
 *    in seq order, with no gap and no duplicate;
 *  - idempotent sends: hc_send() gives each message a client id and, if
 *    the link drops before the reply, sends it again after resuming; the
 *    server answers a retry with the first result.
 *
 * Every callback runs on the loop thread. The library never blocks.
 */
#ifndef HEARTH_HCLIENT_H
#define HEARTH_HCLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "hproto.h"

struct hc_client;

enum hc_state {
    /* waiting to reconnect (retry_in_ms says when), or stopped (retry 0):
     * closed, session ended, or idle: the server closed a link that never
     * signed in (4000) and the next request reconnects */
    HC_DISCONNECTED = 0,
    HC_CONNECTING,         /* TCP/TLS/WebSocket handshake under way */
    HC_CONNECTED,          /* hello received; not authenticated yet */
    HC_READY,              /* authenticated (login, register or resume done) and caught up */
};

/* A reply to a request. err is PROTO_OK for a result. Local failures use
 * the protocol codes too: a request that could not be sent, or whose reply
 * was lost because the link dropped, gets PROTO_E_SERVER_BUSY with the
 * message "Not connected to the server." (hc_send messages excepted: they
 * are sent again). All pointers are valid only during the callback. */
struct hc_reply {
    enum proto_err err;
    const char *err_code;          /* wire code, e.g. "rate_limited" */
    const char *message;           /* a sentence for a person */
    int64_t retry_after_ms;        /* -1 when not given */
    const struct proto_result *result;   /* NULL on error */
};
typedef void (*hc_reply_cb)(struct hc_client *c, const struct hc_reply *r, void *ud);

struct hc_callbacks {
    /* Connection state changes. retry_in_ms > 0 when a reconnect is planned. */
    void (*on_state)(struct hc_client *c, enum hc_state st, int64_t retry_in_ms, void *ud);
    /* Room events, each exactly once per room and in seq order. `backlog`
     * is true for events fetched from history (on join or after a gap). */
    void (*on_room_event)(struct hc_client *c, const struct proto_room_event *ev, bool backlog,
                          void *ud);
    void (*on_presence)(struct hc_client *c, const char *handle, enum proto_status st, void *ud);
    /* The session ended for good: reason "logout" (logged out elsewhere),
     * "password_changed", "suspended" (an admin suspended the account,
     * or the saved session was refused on resume because it is),
     * "revoked" (close 4002, no reason given) or "expired" (the saved
     * token was refused on resume). The token and the
     * followed rooms are forgotten and unsent messages fail. After a 4002
     * the client stops reconnecting (hc_client_drop reconnects, signed
     * out); after a refused resume the link stays up, signed out
     * (HC_CONNECTED), ready for hc_login. */
    void (*on_session_ended)(struct hc_client *c, const char *reason, void *ud);
    /* Every other event the server sends, which the library passes on
     * without acting on it: meeting.state, meeting.opened, meeting.warning,
     * room.role, and event types added to hproto later (the ones above,
     * and hello and session.revoked, never come here). Delivered as they
     * arrive, for any room the user is a member of, whether followed or
     * not. They are not part of a room's history: after a reconnect
     * (HC_READY again) they may have been missed, so ask for what you
     * need (e.g. meeting.state). ev and its strings are valid only during
     * the call. May be NULL. */
    void (*on_event)(struct hc_client *c, const struct proto_event *ev, void *ud);
};

struct hc_options {
    const char *url;               /* "http://127.0.0.1:8080", "https://host", "ws://..", "wss://.." */
    const char *token;             /* resume this session on connect; may be NULL */
    const char *ca_file;           /* wss: trust this CA (else the system store) */
    bool tls_insecure;             /* wss: accept any certificate (tests with self-signed certs) */
    bool reconnect;                /* reconnect after a drop (default for apps: true) */
    uint32_t backoff_min_ms;       /* 0 = 250 */
    uint32_t backoff_max_ms;       /* 0 = 15000 */
    struct hc_callbacks cb;
    void *ud;
};

/* Creates the client and starts connecting (from the loop: no callback
 * runs before this returns). The state starts as HC_CONNECTING. Returns 0
 * or a negative errno (-EINVAL for a URL it cannot use). */
int hc_client_new(uv_loop_t *loop, const struct hc_options *opt, struct hc_client **out);
/* Closes the connection and frees the client once its handles are closed;
 * pending requests (hc_send ones too) get a local error first, inside this
 * call. Safe to call from a callback; no other callback runs afterwards
 * except closed_cb (may be NULL), which runs when everything is released.
 *
 * Shutdown sequence for an application: call hc_client_close() for each
 * client (and close your own handles), then let uv_run() return by itself
 * (do not uv_stop, do not uv_walk-close handles you do not own); then
 * uv_loop_close() returns 0 and nothing is leaked. The library destroys its
 * lws context in two steps on the loop (ENGINEERING.md section 3): there is
 * no free function to call after uv_run. The loop must keep running until
 * closed_cb has run (a few iterations). */
void hc_client_close(struct hc_client *c, void (*closed_cb)(void *ud), void *ud);

enum hc_state hc_client_state(const struct hc_client *c);
/* The session token after login/register (NULL before). Owned by the client. */
const char *hc_client_token(const struct hc_client *c);
/* The logged-in user's handle (NULL before). */
const char *hc_client_handle(const struct hc_client *c);
/* The logged-in account's server-wide role, as the last sign-in or resume
 * said (PROTO_ROLE_MEMBER when not signed in). */
enum proto_role hc_client_role(const struct hc_client *c);
/* What the server said in hello (zeroed before the first hello). */
const struct proto_limits *hc_client_limits(const struct hc_client *c);
/* Drops the link now as if the network failed (tests, and "reconnect now").
 * When there is no link (HC_DISCONNECTED, waiting or stopped after a
 * session ended), it starts a connect attempt now instead. */
void hc_client_drop(struct hc_client *c);
/* Why the last link went down or could not be made (a sentence, or lws's
 * words for connect failures, e.g. "Connection refused"); NULL if none. */
const char *hc_client_last_error(const struct hc_client *c);

/* Sends any request. req->id is ignored (the library assigns ids).
 * cb may be NULL. Returns 0, or a negative errno (cb is then not called):
 * -ENOTCONN when not connected and the request is not one the library
 * retries, -EINVAL when the codec refuses one of its values, -EMSGSIZE
 * when it would be over the protocol's 64 KiB frame, -ENOMEM.
 * "Not connected" means HC_DISCONNECTED: while a link is being set up
 * (HC_CONNECTING, or HC_CONNECTED while the saved session is resumed)
 * requests wait and go out once the client may send them (they get the
 * local error if that attempt fails). Replies come in any order.
 * Requests are paced under the rate stated in hello (PROTOCOL.md section
 * 11), so a burst is spread out rather than refused. */
int hc_request(struct hc_client *c, const struct proto_request *req, hc_reply_cb cb, void *ud);

/* Conveniences over hc_request with the library's extra behaviour. */
int hc_register(struct hc_client *c, const char *handle, const char *password, const char *invite,
                hc_reply_cb cb, void *ud);
int hc_login(struct hc_client *c, const char *handle, const char *password, hc_reply_cb cb,
             void *ud);
int hc_logout(struct hc_client *c, hc_reply_cb cb, void *ud);
/* Joins (or re-opens, when already a member) a room, follows it, and
 * delivers its recent history (up to `backlog` events, at most 100)
 * through on_room_event with backlog=true before calling cb. If this client
 * already follows the room, nothing is delivered again (events stay
 * exactly-once): cb runs after the join reply. Only followed rooms deliver
 * events; hc_leave, hc_logout and a session end unfollow, and so does a
 * moderator removing the user (after their room.left with by_moderator
 * is delivered). */
int hc_join(struct hc_client *c, const char *room, const char *invite, unsigned backlog,
            hc_reply_cb cb, void *ud);
int hc_leave(struct hc_client *c, const char *room, hc_reply_cb cb, void *ud);
/* Sends a message with a fresh client id; retried across reconnects until
 * the server answers (rate_limited, server_busy and shutting_down answers
 * are ridden out too, a few times, before cb hears of them). */
int hc_send(struct hc_client *c, const char *room, const char *text, hc_reply_cb cb, void *ud);
/* Follows a room the user is already a member of, from `last_seq`
 * (events after it are delivered). Used after a restart of the app. */
void hc_follow(struct hc_client *c, const char *room, uint64_t last_seq);
/* Last seq delivered for a followed room (0 if none / not followed). */
uint64_t hc_room_last_seq(const struct hc_client *c, const char *room);

#endif
