/*
 * hc_req: requests and their replies.
 *
 * Every request gets an id from a per-client counter and waits in
 * c->reqs (in the order made) until its reply arrives. A request goes out
 * when the link may carry it: the library's own requests (resume, catch-up
 * history) as soon as hello arrived; the application's once the client is
 * HC_READY, or HC_CONNECTED without a session to resume (login, register).
 * At a drop, everything unanswered gets a local error except messages sent
 * with hc_send, which are sent again (same id and cid) once HC_READY.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_internal.h"

bool hc__user_may_send(const struct hc_client *c)
{
    if (c->link != HC__LINK_OPEN)
        return false;
    return c->state == HC_READY || (c->state == HC_CONNECTED && !c->resuming);
}

static void req_free(struct hc__req *r)
{
    free(r->json);
    free(r);
}

int hc__req_new(struct hc_client *c, const struct proto_request *req, hc_reply_cb cb, void *ud,
                struct hc__req **out)
{
    struct hc__req *r = calloc(1, sizeof *r);
    if (!r)
        return -ENOMEM;
    snprintf(r->id, sizeof r->id, "%" PRIu64, ++c->next_id);
    struct proto_request copy = *req;
    copy.id = r->id;
    copy._root = NULL;
    r->json = proto_request_encode(&copy);
    /* The codec refuses what the server would (or memory ran out). */
    int rc = !r->json ? -EINVAL : strlen(r->json) > PROTO_MAX_FRAME_BYTES ? -EMSGSIZE : 0;
    if (rc != 0) {
        req_free(r);
        return rc;
    }
    r->type = req->type;
    r->cb = cb;
    r->ud = ud;
    struct hc__req **pp = &c->reqs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = r;
    *out = r;
    return 0;
}

static void flush_cb(uv_timer_t *t)
{
    hc__req_flush(t->data);
}

/* Sends, in order, what may go now; stops at the first request the pacing
 * holds back (so requests never overtake each other) and wakes up later. */
void hc__req_flush(struct hc_client *c)
{
    if (c->closing || c->link != HC__LINK_OPEN)
        return;
    bool user_ok = hc__user_may_send(c);
    uint64_t now = hc__now_ms(c);
    for (struct hc__req *r = c->reqs; r; r = r->next) {
        if (r->sent || !(r->internal || user_ok))
            continue;
        uint64_t wait = now < c->pause_until_ms ? c->pause_until_ms - now : 0;
        if (!wait)
            wait = hc__bucket_take(&c->bucket, now);
        if (wait) {
            uv_timer_start(&c->flush_timer, flush_cb, wait, 0);
            return;
        }
        if (hc__link_send(c, r->json) == 0)
            r->sent = true;
    }
}

static void unlink_req(struct hc_client *c, struct hc__req *r)
{
    for (struct hc__req **pp = &c->reqs; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            r->next = NULL;
            return;
        }
    }
}

static void local_error(struct hc_client *c, struct hc__req *r)
{
    struct hc__reply_ex ex;
    memset(&ex, 0, sizeof ex);
    ex.pub.err = PROTO_E_SERVER_BUSY;
    ex.pub.err_code = proto_err_code(PROTO_E_SERVER_BUSY);
    ex.pub.message = HC__NOT_CONNECTED_MSG;
    ex.pub.retry_after_ms = -1;
    if (r->cb)
        r->cb(c, &ex.pub, r->ud);
}

void hc__req_fail_pending(struct hc_client *c, bool fail_all)
{
    /* Detach the failing ones first: their callbacks may make new requests. */
    struct hc__req *failed = NULL, **ftail = &failed;
    struct hc__req **pp = &c->reqs;
    while (*pp) {
        struct hc__req *r = *pp;
        if (r->retry && !fail_all) {
            r->sent = false;
            pp = &r->next;
            continue;
        }
        *pp = r->next;
        r->next = NULL;
        *ftail = r;
        ftail = &r->next;
    }
    while (failed) {
        struct hc__req *r = failed;
        failed = r->next;
        local_error(c, r);
        req_free(r);
    }
}

void hc__req_reply(struct hc_client *c, const struct proto_server_msg *m)
{
    if (!m->id)
        return;   /* an error about a frame the server could not read */
    struct hc__req *r = c->reqs;
    while (r && (!r->sent || strcmp(r->id, m->id) != 0))
        r = r->next;
    if (!r)
        return;   /* not ours (or answered already) */

    /* "Not now" for a message we promised to deliver: hold everything for
     * the time the server asks, then send it again (same cid). */
    if (m->kind == PROTO_MSG_ERROR && r->retry && r->tries < HC__SEND_TRIES &&
        (m->error.code == PROTO_E_RATE_LIMITED || m->error.code == PROTO_E_SERVER_BUSY ||
         m->error.code == PROTO_E_SHUTTING_DOWN)) {
        r->tries++;
        r->sent = false;
        int64_t d = m->error.retry_after_ms > 0 ? m->error.retry_after_ms : 1000;
        c->pause_until_ms = hc__now_ms(c) + (uint64_t)d;
        hc__req_flush(c);
        return;
    }
    unlink_req(c, r);

    struct hc__reply_ex ex;
    struct proto_result res;
    memset(&ex, 0, sizeof ex);
    memset(&res, 0, sizeof res);
    ex.pub.retry_after_ms = -1;
    bool have_res = false;
    if (m->kind == PROTO_MSG_RESULT) {
        enum proto_err e = proto_result_decode(r->type, m->data, &res);
        if (e == PROTO_OK) {
            have_res = true;
            ex.pub.err = PROTO_OK;
            ex.pub.result = &res;
            ex.data = m->data;
        } else {
            ex.pub.err = PROTO_E_INTERNAL;
            ex.pub.err_code = proto_err_code(PROTO_E_INTERNAL);
            ex.pub.message = "The server sent a reply this client does not understand.";
        }
    } else {
        ex.pub.err = m->error.code;
        ex.pub.err_code = m->error.code_str ? m->error.code_str : proto_err_code(m->error.code);
        ex.pub.message = m->error.message ? m->error.message : proto_err_sentence(m->error.code);
        ex.pub.retry_after_ms = m->error.retry_after_ms;
    }
    hc__auth_result(c, r->type, &ex.pub);
    if (r->cb)
        r->cb(c, &ex.pub, r->ud);
    if (have_res)
        proto_result_free(&res);
    req_free(r);
}

int hc__req_internal(struct hc_client *c, struct proto_request *req, hc_reply_cb cb, void *ud)
{
    struct hc__req *r;
    int rc = hc__req_new(c, req, cb, ud, &r);
    if (rc != 0)
        return rc;
    r->internal = true;
    hc__req_flush(c);
    return 0;
}

/* ------------------------------------------------------------ public */

int hc__req_submit(struct hc_client *c, const struct proto_request *req, bool retry, hc_reply_cb cb,
                   void *ud)
{
    if (!c || c->closing)
        return -ESHUTDOWN;
    /* Held while a link is being set up (it goes out when the client is
     * ready, or fails with the local error if the attempt fails); refused
     * while there is no link at all, unless retried. */
    if (c->state == HC_DISCONNECTED && c->idle) {
        c->idle = false;                  /* wanted again: reconnect now */
        hc__link_connect_soon(c);
    } else if (c->state == HC_DISCONNECTED && !retry) {
        return -ENOTCONN;
    }
    struct hc__req *r;
    int rc = hc__req_new(c, req, cb, ud, &r);
    if (rc != 0)
        return rc;
    r->retry = retry;
    if (req->type == PROTO_REQ_AUTH_LOGOUT)
        c->logged_out = true;
    hc__req_flush(c);
    return 0;
}

int hc_request(struct hc_client *c, const struct proto_request *req, hc_reply_cb cb, void *ud)
{
    return hc__req_submit(c, req, false, cb, ud);
}

int hc_register(struct hc_client *c, const char *handle, const char *password, const char *invite,
                hc_reply_cb cb, void *ud)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_AUTH_REGISTER;
    q.u.reg.handle = handle;
    q.u.reg.password = password;
    q.u.reg.invite = invite && *invite ? invite : NULL;
    return hc__req_submit(c, &q, false, cb, ud);
}

int hc_login(struct hc_client *c, const char *handle, const char *password, hc_reply_cb cb,
             void *ud)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_AUTH_LOGIN;
    q.u.login.handle = handle;
    q.u.login.password = password;
    return hc__req_submit(c, &q, false, cb, ud);
}

int hc_logout(struct hc_client *c, hc_reply_cb cb, void *ud)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_AUTH_LOGOUT;
    return hc__req_submit(c, &q, false, cb, ud);
}

int hc_leave(struct hc_client *c, const char *room, hc_reply_cb cb, void *ud)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_LEAVE;
    q.u.room.room = room;
    int rc = hc__req_submit(c, &q, false, cb, ud);
    /* A conversation cannot be left (the server refuses): keep following it. */
    if (rc == 0 && !proto_is_conversation_name(room)) {
        char folded[PROTO_HANDLE_MAX + 1];
        hc__room_remove(c, proto_name_fold(room, folded) ? folded : room);
    }
    return rc;
}

int hc_send(struct hc_client *c, const char *room, const char *text, hc_reply_cb cb, void *ud)
{
    unsigned char rnd[16];
    char cid[2 * sizeof rnd + 1];
    static const char hex[] = "0123456789abcdef";
    hc__random(rnd, sizeof rnd);
    for (size_t i = 0; i < sizeof rnd; i++) {
        cid[2 * i] = hex[rnd[i] >> 4];
        cid[2 * i + 1] = hex[rnd[i] & 15];
    }
    cid[2 * sizeof rnd] = '\0';

    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_SEND;
    q.u.send.room = room;
    q.u.send.text = text;
    q.u.send.cid = cid;
    return hc__req_submit(c, &q, true, cb, ud);
}
