/*
 * hc_rooms: the rooms the client follows, and the fetches that keep each
 * one's events complete and in order (rules in hc_seq.c).
 *
 * Only followed rooms (hc_join, hc_follow) deliver events. Application
 * callbacks may leave a room or close the client, so after each callback
 * the room is looked up again by name rather than kept by pointer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_internal.h"

struct hc__room *hc__room_find(const struct hc_client *c, const char *name)
{
    if (!name)
        return NULL;
    for (struct hc__room *r = c->rooms; r; r = r->next)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}

struct hc__room *hc__room_add(struct hc_client *c, const char *name)
{
    struct hc__room *r = hc__room_find(c, name);
    if (r)
        return r;
    if (strlen(name) > PROTO_HANDLE_MAX)
        return NULL;
    r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    strcpy(r->name, name);
    r->next = c->rooms;
    c->rooms = r;
    return r;
}

static void catchup_done(struct hc_client *c, struct hc__room *r)
{
    if (!r->catching_up)
        return;
    r->catching_up = false;
    if (c->catchup_left > 0 && --c->catchup_left == 0)
        hc__became_ready(c);
}

void hc__room_remove(struct hc_client *c, const char *name)
{
    for (struct hc__room **pp = &c->rooms; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->name, name) == 0) {
            struct hc__room *r = *pp;
            *pp = r->next;
            bool was = r->catching_up;
            free(r);
            if (was && c->catchup_left > 0 && --c->catchup_left == 0)
                hc__became_ready(c);
            return;
        }
    }
}

void hc__rooms_clear(struct hc_client *c)
{
    while (c->rooms) {
        struct hc__room *r = c->rooms;
        c->rooms = r->next;
        free(r);
    }
    c->catchup_left = 0;
}

static bool authenticated_link(const struct hc_client *c)
{
    return c->link == HC__LINK_OPEN && c->token && !c->resuming && !c->closing;
}

/* ------------------------------------------------------------ fetches */

static void fetch_cb(struct hc_client *c, const struct hc_reply *r, void *ud);

static uint32_t page_size(const struct hc_client *c)
{
    uint32_t n = c->limits.history_page_max;
    return n == 0 || n > PROTO_HISTORY_MAX ? PROTO_HISTORY_MAX : n;
}

/* room.history after=last. Precondition: r->seq.fetching is set. */
static void send_fetch(struct hc_client *c, struct hc__room *r)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_HISTORY;
    q.u.history.room = r->name;
    q.u.history.after = r->seq.last;   /* 0: from the room's first event */
    q.u.history.has_after = true;
    q.u.history.limit = page_size(c);
    char *name = strdup(r->name);
    if (!name || hc__req_internal(c, &q, fetch_cb, name) < 0) {
        free(name);
        hc__seq_fetch_failed(&r->seq);
        catchup_done(c, r);
    }
}

static void gap_timer_cb(uv_timer_t *t)
{
    hc__rooms_retry_gaps(t->data);
}

void hc__rooms_retry_gaps(struct hc_client *c)
{
    if (!authenticated_link(c))
        return;
    for (struct hc__room *r = c->rooms; r; r = r->next)
        if (r->seq.seen > r->seq.last && hc__seq_begin_fetch(&r->seq))
            send_fetch(c, r);
}

static void fetch_cb(struct hc_client *c, const struct hc_reply *rep, void *ud)
{
    char *name = ud;
    struct hc__room *r = hc__room_find(c, name);
    if (!r || c->closing) {
        free(name);
        return;
    }
    if (rep->err != PROTO_OK) {
        hc__seq_fetch_failed(&r->seq);
        catchup_done(c, r);
        if (rep->err == PROTO_E_NOT_MEMBER || rep->err == PROTO_E_ROOM_NOT_FOUND) {
            hc__room_remove(c, name);
        } else if (!(rep->message && strcmp(rep->message, HC__NOT_CONNECTED_MSG) == 0) &&
                   !c->closing) {
            uint64_t d = rep->retry_after_ms > 0 ? (uint64_t)rep->retry_after_ms : 2000;
            uv_timer_start(&c->gap_timer, gap_timer_cb, d, 0);
        }
        free(name);
        return;
    }
    const struct proto_result *res = rep->result;
    bool progressed = false;
    for (size_t i = 0; i < res->u.history.n; i++) {
        const struct proto_room_event *ev = &res->u.history.events[i];
        if (!hc__seq_backlog(&r->seq, ev->seq))
            continue;
        progressed = true;
        if (c->cb.on_room_event)
            c->cb.on_room_event(c, ev, true, c->ud);
        if (c->closing || !(r = hc__room_find(c, name))) {
            free(name);
            return;
        }
    }
    if (hc__seq_fetch_done(&r->seq, res->u.history.has_more, progressed))
        send_fetch(c, r);
    else
        catchup_done(c, r);
    free(name);
}

void hc__rooms_catch_up(struct hc_client *c)
{
    c->catchup_left = 0;
    for (struct hc__room *r = c->rooms; r; r = r->next) {
        if (hc__seq_begin_fetch(&r->seq)) {
            r->catching_up = true;
            c->catchup_left++;
        }
    }
    if (c->catchup_left == 0) {
        hc__became_ready(c);
        return;
    }
    /* Send after counting: no reply can arrive before all are counted,
     * but a failing send must not reach zero early either. */
    for (struct hc__room *r = c->rooms; r; r = r->next)
        if (r->catching_up)
            send_fetch(c, r);
}

void hc__rooms_link_down(struct hc_client *c)
{
    uv_timer_stop(&c->gap_timer);
    c->catchup_left = 0;
    for (struct hc__room *r = c->rooms; r; r = r->next)
        r->catching_up = false;
}

void hc__rooms_live(struct hc_client *c, const struct proto_room_event *ev)
{
    struct hc__room *r = hc__room_find(c, ev->room);
    if (!r)
        return;
    /* A moderator took this user out of the room: after this event no
     * more come, and following it would fetch, on a later join, what was
     * said while they were out. */
    bool taken_out = ev->kind == PROTO_EV_LEFT && ev->by_moderator && c->handle && ev->handle &&
                     strcmp(ev->handle, c->handle) == 0;
    char name[PROTO_HANDLE_MAX + 1];
    snprintf(name, sizeof name, "%s", r->name);
    switch (hc__seq_live(&r->seq, ev->seq)) {
    case HC__SEQ_DELIVER:
        if (c->cb.on_room_event)
            c->cb.on_room_event(c, ev, false, c->ud);
        if (taken_out && !c->closing)
            hc__room_remove(c, name);
        break;
    case HC__SEQ_FETCH:
        if (authenticated_link(c))
            send_fetch(c, r);
        else
            hc__seq_fetch_failed(&r->seq);   /* the catch-up will cover it */
        break;
    default:
        break;
    }
}

/* -------------------------------------------------------------- join */

struct join_op {
    char room[PROTO_HANDLE_MAX + 1];
    hc_reply_cb cb;
    void *ud;
    unsigned backlog;
    uint64_t room_last;
    json_t *join_data;
};

static void join_finish(struct hc_client *c, struct join_op *op)
{
    struct hc__room *r = hc__room_find(c, op->room);
    if (r && !c->closing && hc__seq_join_done(&r->seq, op->room_last, true)) {
        if (authenticated_link(c))
            send_fetch(c, r);
        else
            hc__seq_fetch_failed(&r->seq);
    }
    struct proto_result res;
    memset(&res, 0, sizeof res);
    struct hc_reply rep;
    memset(&rep, 0, sizeof rep);
    rep.retry_after_ms = -1;
    if (proto_result_decode(PROTO_REQ_ROOM_JOIN, op->join_data, &res) == PROTO_OK) {
        rep.err = PROTO_OK;
        rep.result = &res;
        if (op->cb)
            op->cb(c, &rep, op->ud);
        proto_result_free(&res);
    } else {
        rep.err = PROTO_E_INTERNAL;
        rep.err_code = proto_err_code(PROTO_E_INTERNAL);
        rep.message = "The server sent a reply this client does not understand.";
        if (op->cb)
            op->cb(c, &rep, op->ud);
    }
    json_decref(op->join_data);
    free(op);
}

static void join_history_cb(struct hc_client *c, const struct hc_reply *rep, void *ud)
{
    struct join_op *op = ud;
    if (rep->err == PROTO_OK && !c->closing) {
        const struct proto_result *res = rep->result;
        for (size_t i = 0; i < res->u.history.n; i++) {
            struct hc__room *r = hc__room_find(c, op->room);
            if (!r || c->closing)
                break;
            const struct proto_room_event *ev = &res->u.history.events[i];
            if (hc__seq_backlog(&r->seq, ev->seq) && c->cb.on_room_event)
                c->cb.on_room_event(c, ev, true, c->ud);
        }
    }
    /* A failed backlog does not undo the join: report the join. */
    join_finish(c, op);
}

static void join_cb(struct hc_client *c, const struct hc_reply *rep, void *ud)
{
    struct join_op *op = ud;
    if (rep->err != PROTO_OK || c->closing) {
        if (op->cb)
            op->cb(c, rep, op->ud);
        free(op);
        return;
    }
    const struct hc__reply_ex *ex = (const struct hc__reply_ex *)rep;
    const struct proto_room *room = &rep->result->u.join.room;
    /* Already followed: its events keep flowing by the seq rules; a
     * "newest N" backlog could jump over events not yet delivered. */
    struct hc__room *r = hc__room_find(c, room->room);
    if (!r && room->room)
        r = hc__room_add(c, room->room);
    else
        r = NULL;
    if (!r) {
        if (op->cb)
            op->cb(c, rep, op->ud);
        free(op);
        return;
    }
    snprintf(op->room, sizeof op->room, "%s", r->name);
    op->room_last = room->last_seq;
    op->join_data = json_incref(ex->data);
    r->seq.holding++;
    if (op->backlog == 0) {
        join_finish(c, op);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_HISTORY;
    q.u.history.room = r->name;
    q.u.history.limit = op->backlog > PROTO_HISTORY_MAX ? PROTO_HISTORY_MAX : op->backlog;
    if (hc__req_internal(c, &q, join_history_cb, op) < 0)
        join_finish(c, op);
}

int hc_join(struct hc_client *c, const char *room, const char *invite, unsigned backlog,
            hc_reply_cb cb, void *ud)
{
    struct join_op *op = calloc(1, sizeof *op);
    if (!op)
        return -ENOMEM;
    op->cb = cb;
    op->ud = ud;
    op->backlog = backlog;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_JOIN;
    q.u.join.room = room;
    q.u.join.invite = invite && *invite ? invite : NULL;
    int rc = hc__req_submit(c, &q, false, join_cb, op);
    if (rc < 0)
        free(op);
    return rc;
}

/* A room's name as the server knows it: folded, or a conversation's name
 * (never folded). */
static bool room_key(const char *room, char out[PROTO_HANDLE_MAX + 1])
{
    if (!proto_is_conversation_name(room))
        return proto_name_fold(room, out);
    snprintf(out, PROTO_HANDLE_MAX + 1, "%s", room);
    return true;
}

void hc_follow(struct hc_client *c, const char *room, uint64_t last_seq)
{
    char folded[PROTO_HANDLE_MAX + 1];
    if (!c || c->closing || !room_key(room, folded))
        return;
    struct hc__room *r = hc__room_find(c, folded);
    if (r)
        return;
    r = hc__room_add(c, folded);
    if (!r)
        return;
    r->seq.last = last_seq;
    /* Before HC_READY the resume's catch-up covers it. */
    if (c->state == HC_READY && authenticated_link(c) && hc__seq_begin_fetch(&r->seq))
        send_fetch(c, r);
}

uint64_t hc_room_last_seq(const struct hc_client *c, const char *room)
{
    char folded[PROTO_HANDLE_MAX + 1];
    if (!c || !room || !room_key(room, folded))
        return 0;
    const struct hc__room *r = hc__room_find(c, folded);
    return r ? r->seq.last : 0;
}
