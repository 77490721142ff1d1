#include "presence.h"

#include <stdlib.h>
#include <string.h>

#include "buddies.h"
#include "fanout.h"
#include "log.h"
#include "meetings.h"
#include "pending.h"
#include "receipts.h"
#include "rooms.h"
#include "server.h"
#include "settings.h"
#include "support.h"

enum proto_status presence_visible(const struct user *u, const struct user *viewer)
{
    if (u->n_sessions == 0)
        return PROTO_STATUS_OFFLINE;
    if (u->status == PROTO_STATUS_INVISIBLE && u != viewer)
        return PROTO_STATUS_OFFLINE;
    return u->status;
}

static struct hbuf *encode_presence(const struct user *u, enum proto_status st)
{
    struct proto_event ev = {.type = PROTO_EVT_PRESENCE};
    ev.u.presence.handle = u->handle;
    ev.u.presence.status = st;
    return hbuf_take(proto_event_encode(&ev));
}

/* Sends `u`'s status as others see it to everyone sharing a room with u
 * and to u's buddies (each once), and as u sees it to u's own connections. */
static void broadcast(struct server *srv, struct user *u, enum proto_status seen_by_others)
{
    struct hbuf *others = encode_presence(u, seen_by_others);
    struct hbuf *self = encode_presence(u, presence_visible(u, u));
    unsigned gen = ++srv->visit_gen;
    u->visit_mark = gen;
    for (size_t i = 0; i < u->n_rooms; i++) {
        struct room *r = u->rooms[i];
        for (size_t j = 0; j < r->n_members; j++) {
            struct user *peer = r->members[j].user;
            if (peer->visit_mark == gen)
                continue;
            peer->visit_mark = gen;
            fanout_user(peer, others);
        }
    }
    /* Buddies see each other's presence without sharing a room. */
    for (size_t i = 0; i < u->n_buddies; i++) {
        struct user *buddy = u->buddies[i].other;
        if (u->buddies[i].state != BUDDY_PAIRED || buddy->visit_mark == gen)
            continue;
        buddy->visit_mark = gen;
        fanout_user(buddy, others);
    }
    fanout_user(u, self);
    hbuf_unref(others);
    hbuf_unref(self);
}

void presence_session_started(struct server *srv, struct session *s)
{
    struct user *u = s->user;
    if (u->n_sessions == u->cap_sessions) {
        size_t cap = u->cap_sessions ? u->cap_sessions * 2 : 4;
        struct session **v = realloc(u->sessions, cap * sizeof *v);
        if (!v) {
            s->user = NULL; /* never counted as online, so never reported offline */
            session_close(s, 1011, "out of memory");
            return;
        }
        u->sessions = v;
        u->cap_sessions = cap;
    }
    u->sessions[u->n_sessions++] = s;
    if (u->n_sessions == 1) {
        log_info("user %s online (%zu rooms)", u->handle, u->n_rooms);
        broadcast(srv, u, presence_visible(u, NULL));
        meetings_presence_changed(srv, u);
        support_presence_changed(srv, u);
        if (u->status != PROTO_STATUS_INVISIBLE)
            receipts_visible(u);
    }
}

void presence_session_ended(struct server *srv, struct session *s)
{
    struct user *u = s->user;
    for (size_t i = 0; i < u->n_sessions; i++) {
        if (u->sessions[i] == s) {
            u->sessions[i] = u->sessions[--u->n_sessions];
            break;
        }
    }
    s->user = NULL;
    if (u->n_sessions == 0) {
        log_info("user %s offline", u->handle);
        if (u->status != PROTO_STATUS_INVISIBLE)
            broadcast(srv, u, PROTO_STATUS_OFFLINE);
        meetings_presence_changed(srv, u);
        support_presence_changed(srv, u);
        settings_went_offline(srv, u);
    }
}

void presence_status_changed(struct server *srv, struct user *u, enum proto_status old)
{
    enum proto_status was = (u->n_sessions == 0 || old == PROTO_STATUS_INVISIBLE)
                                ? PROTO_STATUS_OFFLINE : old;
    enum proto_status now = presence_visible(u, NULL);
    if (was != now) {
        broadcast(srv, u, now);
    } else {
        /* Others see no change; the user's own devices still learn it. */
        struct hbuf *self = encode_presence(u, presence_visible(u, u));
        fanout_user(u, self);
        hbuf_unref(self);
    }
    if (old == PROTO_STATUS_INVISIBLE && u->status != PROTO_STATUS_INVISIBLE)
        receipts_visible(u);   /* what reached them meanwhile, and what they read */
}

void presence_announce_in_room(struct server *srv, struct room *r, struct user *u)
{
    struct hbuf *b = encode_presence(u, presence_visible(u, NULL));
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].user != u)
            fanout_user(r->members[i].user, b);
    hbuf_unref(b);
}

/* ---- presence.set ---- */

struct set_ctx {
    struct pending p;
    enum proto_status status;
};

static void on_status_stored(struct hdb_job *job)
{
    struct set_ctx *c = job->ud;
    struct user *u = c->p.u;
    if (job->out.rc != HDB_OK) {
        pending_fail(&c->p, PROTO_E_INTERNAL, NULL);
    } else {
        enum proto_status old = u->status;
        u->status = c->status;
        presence_status_changed(c->p.s->srv, u, old);
        struct proto_result res = {.type = PROTO_REQ_PRESENCE_SET};
        res.u.presence.status = c->status;
        session_reply(c->p.s, c->p.id, &res);
    }
    pending_end(&c->p, job);
}

void presence_handle_set(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct set_ctx),
                                      HDB_OP_USER_SET_STATUS, on_status_stored);
    if (!job)
        return;
    struct set_ctx *c = job->ud;
    c->status = req->u.presence.status;
    job->in.status = (int)c->status;
    pending_submit(job);
}
