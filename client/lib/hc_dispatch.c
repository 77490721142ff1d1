/*
 * hc_dispatch: what the server says, and the session state it drives.
 *
 *   hello -> HC_CONNECTED; with a token: auth.resume, then the catch-up
 *            of every followed room (hc_rooms.c), then HC_READY and the
 *            held sends go out again.
 *   login/register/resume results set the token and handle; logout clears
 *   them; session.revoked, close 4002 and a refused resume end the session.
 *   Events the library does not act on (meeting.*, room.role, ...) go to
 *   the application's on_event as they come.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_internal.h"

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void set_str(char **dst, const char *s)
{
    char *n = dup_or_null(s);
    free(*dst);
    *dst = n;
}

void hc__set_state(struct hc_client *c, enum hc_state st, int64_t retry_in_ms)
{
    if (c->closing)
        return;
    if (c->state == st && st != HC_DISCONNECTED)
        return;
    c->state = st;
    if (c->cb.on_state)
        c->cb.on_state(c, st, retry_in_ms, c->ud);
}

void hc__became_ready(struct hc_client *c)
{
    if (c->closing || c->link != HC__LINK_OPEN)
        return;
    c->attempt = 0;
    hc__set_state(c, HC_READY, 0);
    hc__req_flush(c);
}

void hc__session_ended(struct hc_client *c, const char *reason)
{
    if (c->closing)
        return;
    free(c->token);
    c->token = NULL;
    free(c->handle);
    c->handle = NULL;
    c->role = PROTO_ROLE_MEMBER;
    c->session_over = true;
    c->resuming = false;
    hc__rooms_clear(c);
    /* Messages waiting for a session that is gone can never be sent. */
    hc__req_fail_pending(c, true);
    if (c->cb.on_session_ended)
        c->cb.on_session_ended(c, reason, c->ud);
}

/* ------------------------------------------------------------- auth */

static void resume_cb(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    (void)ud;
    c->resuming = false;
    if (r->err == PROTO_OK) {
        /* hc__auth_result stored the handle. */
        hc__rooms_catch_up(c);   /* -> hc__became_ready */
        return;
    }
    if (r->err == PROTO_E_TOKEN_INVALID || r->err == PROTO_E_SUSPENDED) {
        /* A suspended account: trying again would be refused again. */
        hc__session_ended(c, r->err == PROTO_E_SUSPENDED ? "suspended" : "expired");
        /* The link stays up, unauthenticated: the application may log in. */
        c->session_over = false;
        hc__set_state(c, HC_CONNECTED, 0);
        hc__req_flush(c);
        return;
    }
    if (r->message && strcmp(r->message, HC__NOT_CONNECTED_MSG) == 0)
        return;   /* the link dropped; the next one resumes */
    /* Busy, rate limited, shutting down: try again on a new link. */
    if (c->wsi) {
        hc__link_kill(c);
        hc__link_down(c, r->message);
    }
}

static void start_auth(struct hc_client *c)
{
    if (!c->token) {
        hc__set_state(c, HC_CONNECTED, 0);
        hc__req_flush(c);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_AUTH_RESUME;
    q.u.resume.token = c->token;
    c->resuming = true;
    hc__set_state(c, HC_CONNECTED, 0);
    if (c->closing || c->link != HC__LINK_OPEN)
        return;
    if (hc__req_internal(c, &q, resume_cb, NULL) < 0) {
        c->resuming = false;
        hc__link_kill(c);
        hc__link_down(c, "Out of memory.");
    }
}

void hc__auth_result(struct hc_client *c, enum proto_req_type type, const struct hc_reply *r)
{
    if (type == PROTO_REQ_AUTH_LOGOUT) {
        if (r->err != PROTO_OK && r->err != PROTO_E_NOT_AUTHENTICATED) {
            c->logged_out = false;
            return;
        }
        free(c->token);
        c->token = NULL;
        free(c->handle);
        c->handle = NULL;
        c->role = PROTO_ROLE_MEMBER;
        hc__rooms_clear(c);
        hc__req_fail_pending(c, true);
        if (c->link == HC__LINK_OPEN)
            hc__set_state(c, HC_CONNECTED, 0);
        return;
    }
    if (r->err != PROTO_OK || !r->result)
        return;
    const struct proto_result *res = r->result;
    switch (type) {
    case PROTO_REQ_AUTH_REGISTER:
    case PROTO_REQ_AUTH_LOGIN:
        set_str(&c->token, res->u.auth.token);
        set_str(&c->handle, res->u.auth.user.handle);
        c->role = res->u.auth.user.role;
        c->session_over = false;
        c->logged_out = false;
        hc__became_ready(c);
        break;
    case PROTO_REQ_AUTH_RESUME:
        if (res->u.auth.user.handle) {
            set_str(&c->handle, res->u.auth.user.handle);
            c->role = res->u.auth.user.role;
        }
        break;
    case PROTO_REQ_AUTH_PASSWORD:
        if (res->u.auth.token)
            set_str(&c->token, res->u.auth.token);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ events */

static void on_event(struct hc_client *c, const struct proto_event *ev)
{
    switch (ev->type) {
    case PROTO_EVT_HELLO:
        if (c->link != HC__LINK_HELLO_WAIT && c->link != HC__LINK_OPENING)
            return;
        if (ev->u.hello.protocol != PROTO_VERSION) {
            /* Reconnecting would meet the same server: stop and say why. */
            char why[160];
            snprintf(why, sizeof why,
                     "The server speaks protocol version %u; this client speaks %d. "
                     "Please upgrade.", (unsigned)ev->u.hello.protocol, PROTO_VERSION);
            c->reconnect = false;
            hc__link_kill(c);
            hc__link_down(c, why);
            return;
        }
        c->limits = ev->u.hello.limits;
        c->link = HC__LINK_OPEN;
        c->pause_until_ms = 0;
        hc__bucket_reset(&c->bucket, c->limits.rate_per_sec, c->limits.rate_burst,
                         hc__now_ms(c));
        start_auth(c);
        break;
    case PROTO_EVT_ROOM:
        hc__rooms_live(c, &ev->u.room);
        break;
    case PROTO_EVT_PRESENCE:
        if (c->cb.on_presence)
            c->cb.on_presence(c, ev->u.presence.handle, ev->u.presence.status, c->ud);
        break;
    case PROTO_EVT_SESSION_REVOKED:
        if (c->logged_out)
            return;   /* our own logout */
        hc__session_ended(c, ev->u.revoked.reason ? ev->u.revoked.reason : "revoked");
        break;
    default:
        /* meeting.*, room.role and later types: the application's. Only
         * on a link that is open (after hello), like every other event. */
        if (c->link == HC__LINK_OPEN && c->cb.on_event)
            c->cb.on_event(c, ev, c->ud);
        break;
    }
}

struct dispatch_ctx {
    struct hc_client *c;
    struct lws *wsi;
};

static void on_msg(const struct proto_server_msg *m, void *ud)
{
    struct dispatch_ctx *d = ud;
    struct hc_client *c = d->c;
    /* A callback may have closed the client or dropped this link: the
     * rest of the frame belongs to a link we no longer use. */
    if (c->closing || c->wsi != d->wsi || !d->wsi)
        return;
    if (m->kind == PROTO_MSG_EVENT)
        on_event(c, &m->event);
    else
        hc__req_reply(c, m);
}

void hc__dispatch_frame(struct hc_client *c, const char *buf, size_t len)
{
    struct dispatch_ctx d = {c, c->wsi};
    (void)proto_frame_decode(buf, len, on_msg, &d);
}

/* ----------------------------------------------------------- link down */

void hc__link_down(struct hc_client *c, const char *why)
{
    if (c->closing || c->link == HC__LINK_NONE)
        return;
    c->link = HC__LINK_NONE;
    c->wsi = NULL;
    c->resuming = false;
    uv_timer_stop(&c->flush_timer);
    hc__link_reset_buffers(c);
    if (why) {
        free(c->last_error);
        c->last_error = strdup(why);
    }

    int code = c->close_code;
    c->close_code = 0;
    /* An anonymous link the application left unused: reconnecting now
     * would only be closed again. Wait until it asks for something. */
    if (code == PROTO_CLOSE_AUTH_TIMEOUT && !c->token)
        c->idle = true;
    if (code == 4002 && !c->logged_out && !c->session_over)
        hc__session_ended(c, "revoked");
    if (c->closing)
        return;
    c->logged_out = false;

    hc__rooms_link_down(c);
    hc__req_fail_pending(c, false);
    if (c->closing)
        return;
    hc__link_schedule(c);
}
