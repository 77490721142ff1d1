/* The room.* request handlers. Writes go through the db writer; replies
 * and fan-out happen in the job's done callback, after COMMIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "buddies.h"
#include "fanout.h"
#include "log.h"
#include "meetings.h"
#include "moderation.h"
#include "pending.h"
#include "presence.h"
#include "receipts.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "safety.h"
#include "server.h"
#include "support.h"

/* What an asynchronous room request remembers until its job completes. */
struct room_op {
    struct pending p;          /* p.room is NULL for create until it exists */
    uint64_t edge;             /* history: the seq the page should start (forward) or end at */
    bool forward;
    char *kept[3];             /* copies of request strings the job borrows */
};

/* The request is freed when its handler returns; the job reads its inputs
 * later, on the writer thread, so it gets copies that live as long as op. */
static const char *op_keep(struct room_op *op, const char *str)
{
    for (size_t i = 0; i < sizeof op->kept / sizeof op->kept[0]; i++) {
        if (!op->kept[i]) {
            op->kept[i] = strdup(str ? str : "");
            return op->kept[i];
        }
    }
    return NULL;
}

static bool op_kept_all(const struct room_op *op, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!op->kept[i])
            return false;
    return true;
}

static struct hdb_job *op_start(struct session *s, const struct proto_request *req,
                                struct room *r, enum hdb_op kind, hdb_done_fn done)
{
    return pending_job(s, req->id, r, sizeof(struct room_op), kind, done);
}

static void op_end(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    for (size_t i = 0; i < sizeof op->kept / sizeof op->kept[0]; i++)
        free(op->kept[i]);
    pending_end(&op->p, job);
}

void room_fill(struct proto_room *out, const struct room *r, const struct user *viewer)
{
    out->room = r->name;
    out->title = r->title;
    out->topic = r->topic;
    out->visibility = r->visibility;
    out->members = (uint32_t)r->n_members;
    out->present = room_present_count(r, viewer);
    out->last_seq = r->last_seq;
    out->joined = room_has_member(r, viewer);
    out->meeting = r->meeting;
    out->role = room_role_of(r, viewer);
    out->mod = r->mod;
    out->retention_days = r->retention_days;
    out->ephemeral = r->ephemeral;
    out->kind = r->kind;
    out->peer = NULL;
    if (r->kind != PROTO_KIND_ROOM) {  /* a conversation: the other of its two members */
        for (size_t i = 0; i < r->n_members && !out->peer; i++)
            if (r->members[i].user != viewer)
                out->peer = r->members[i].user->handle;
        /* One whose account was deleted is nobody in particular (and a
         * conversation always names its peer: the codec refuses one without). */
        if (!out->peer)
            out->peer = DELETED_ACCOUNT_HANDLE;
    }
    receipts_fill(out, r, viewer);
}

static struct proto_member *members_of(const struct room *r, const struct user *viewer)
{
    struct proto_member *m = calloc(r->n_members ? r->n_members : 1, sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < r->n_members; i++) {
        m[i].handle = r->members[i].user->handle;
        m[i].status = presence_visible(r->members[i].user, viewer);
        m[i].role = r->members[i].role;
    }
    return m;
}

void room_event_for(struct proto_room_event *out, const struct room *r,
                    const struct hdb_event *ev, const struct user *viewer)
{
    bool message = ev->kind == HDB_EV_MESSAGE;
    memset(out, 0, sizeof *out);
    out->kind = (enum proto_room_event_kind)ev->kind;
    out->room = r->name;
    out->seq = ev->seq;
    out->ts = ev->ts;
    /* A take-down names no one: the moderator is not shown to members. */
    out->handle = ev->kind == HDB_EV_REMOVED ? NULL : ev->handle;
    out->removed = message && (ev->flags & HDB_EVF_REMOVED);
    out->text = message && !out->removed ? ev->text : NULL;
    out->cid = message ? ev->cid : NULL;
    out->by_moderator = ev->kind == HDB_EV_LEFT && (ev->flags & HDB_EVF_BY_MOD);
    out->target_seq = ev->kind == HDB_EV_REMOVED ? ev->target_seq : 0;
    if (message && viewer && blocks_hides(r->srv, viewer->id, ev->user_id)) {
        out->hidden = true;
        out->removed = false;
        out->handle = out->text = out->cid = NULL;
    }
}

static struct hbuf *encode_event(const struct room *r, const struct hdb_event *ev,
                                 const struct user *viewer)
{
    struct proto_event pev = {.type = PROTO_EVT_ROOM};
    room_event_for(&pev.u.room, r, ev, viewer);
    return hbuf_take(proto_event_encode(&pev));
}

void room_publish(struct room *r, const struct hdb_event *ev)
{
    r->last_seq = ev->seq;
    room_cache_add(r, ev);
    struct hbuf *b = encode_event(r, ev, NULL);
    if (ev->kind != HDB_EV_MESSAGE || !blocks_anyone_blocks(r->srv, ev->user_id)) {
        fanout_room(r, b);
        hbuf_unref(b);
        receipts_published(r, ev);
        return;
    }
    /* Someone blocks the author: those readers get the placeholder, made
     * once; everyone else the message. */
    struct hbuf *hidden = NULL;
    for (size_t i = 0; i < r->n_members; i++) {
        struct user *u = r->members[i].user;
        if (!blocks_hides(r->srv, u->id, ev->user_id)) {
            fanout_user(u, b);
            continue;
        }
        if (!hidden)
            hidden = encode_event(r, ev, u);
        if (hidden)
            fanout_user(u, hidden);
    }
    hbuf_unref(b);
    hbuf_unref(hidden);
    receipts_published(r, ev);
}

/* A room the user may not see is reported as missing, so invite-only
 * rooms do not leak their names. */
/* What a private conversation allows its two members: re-opening it
 * (room.join changes nothing for a member), talking, reading (and saying
 * so: room.read), and reporting a message to the moderators (the member's
 * own choice). */
static bool conversation_allows(enum proto_req_type t)
{
    return t == PROTO_REQ_ROOM_JOIN || t == PROTO_REQ_ROOM_SEND || t == PROTO_REQ_ROOM_HISTORY ||
           t == PROTO_REQ_ROOM_MEMBERS || t == PROTO_REQ_REPORT_CREATE || t == PROTO_REQ_ROOM_READ;
}

struct room *rooms_visible(struct session *s, const struct proto_request *req,
                           const char *name)
{
    struct room *r = rooms_get(s->srv, name);
    if (!r || (r->visibility == PROTO_VIS_INVITE && !room_has_member(r, s->user) &&
               (req->type != PROTO_REQ_ROOM_JOIN || r->kind != PROTO_KIND_ROOM))) {
        session_reply_error(s, req->id, PROTO_E_ROOM_NOT_FOUND, NULL, -1);
        return NULL;
    }
    if (r->kind != PROTO_KIND_ROOM && !conversation_allows(req->type)) {
        session_reply_error(s, req->id, PROTO_E_CONVERSATION, NULL, -1);
        return NULL;
    }
    return r;
}

struct room *rooms_member(struct session *s, const struct proto_request *req,
                          const char *name)
{
    struct room *r = rooms_visible(s, req, name);
    if (r && !room_has_member(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_NOT_MEMBER, NULL, -1);
        return NULL;
    }
    return r;
}

/* ---- room.list ---- */

void rooms_handle_list(struct session *s, const struct proto_request *req)
{
    struct server *srv = s->srv;
    size_t n = 0, pos = 0;
    const char *k;
    void *v;
    struct proto_room *rooms = calloc(hmap_count(srv->rooms) + 1, sizeof *rooms);
    if (!rooms) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0) {
        struct room *r = v;
        if (r->visibility == PROTO_VIS_INVITE && !room_has_member(r, s->user))
            continue;
        room_fill(&rooms[n++], r, s->user);
    }
    struct proto_result res = {.type = PROTO_REQ_ROOM_LIST};
    res.u.list.rooms = rooms;
    res.u.list.n = n;
    session_reply(s, req->id, &res);
    free(rooms);
}

/* ---- room.create ---- */

static void on_created(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    if (job->out.rc == HDB_E_EXISTS) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_ROOM_EXISTS, NULL, -1);
    } else if (job->out.rc != HDB_OK) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        struct hdb_room row = job->out.room;
        row.last_seq = 0; /* publish() moves it to the creator's join */
        struct room *r = room_add(srv, &row);
        if (!r || room_member_add(r, op->p.u, PROTO_RROLE_HOST, job->in.now) != 0) {
            session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
        } else {
            log_info("room %s created by %s", r->name, op->p.u->handle);
            room_publish(r, &job->out.event);
            safety_first_room(srv, op->p.u);
            struct proto_result res = {.type = PROTO_REQ_ROOM_CREATE};
            room_fill(&res.u.create.room, r, op->p.u);
            session_reply(op->p.s, op->p.id, &res);
        }
    }
    op_end(job);
}

void rooms_handle_create(struct session *s, const struct proto_request *req)
{
    if (rooms_get(s->srv, req->u.create.room)) {
        session_reply_error(s, req->id, PROTO_E_ROOM_EXISTS, NULL, -1);
        return;
    }
    struct hdb_job *job = op_start(s, req, NULL, HDB_OP_ROOM_CREATE, on_created);
    if (!job)
        return;
    struct room_op *op = job->ud;
    job->in.room.name = op_keep(op, req->u.create.room);
    job->in.room.title = op_keep(op, req->u.create.title);
    job->in.room.topic = op_keep(op, req->u.create.topic);
    job->in.room.visibility = (int)req->u.create.visibility;
    if (!op_kept_all(op, 3)) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        op_end(job);
        return;
    }
    pending_submit(job);
}

/* ---- room.join ---- */

static void reply_joined(struct session *s, const char *id, struct room *r, struct user *u)
{
    struct proto_result res = {.type = PROTO_REQ_ROOM_JOIN};
    room_fill(&res.u.join.room, r, u);
    res.u.join.members = members_of(r, u);
    res.u.join.n = r->n_members;
    if (!res.u.join.members) {
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    session_reply(s, id, &res);
    free(res.u.join.members);
}

static void on_joined(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    struct room *r = op->p.room;
    int rc = job->out.rc;
    if (rc == HDB_E_INVITE) {
        session_reply_error(op->p.s, op->p.id, op->kept[0] ? PROTO_E_INVITE_INVALID
                                                       : PROTO_E_INVITE_REQUIRED, NULL, -1);
    } else if (rc == HDB_E_NOT_FOUND) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_ROOM_NOT_FOUND, NULL, -1);
    } else if (rc != HDB_OK && rc != HDB_E_ALREADY) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        if (rc == HDB_OK) {
            if (room_member_add(r, op->p.u, PROTO_RROLE_MEMBER, job->in.now) != 0) {
                session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
                op_end(job);
                return;
            }
            log_info("%s joined room %s", op->p.u->handle, r->name);
            room_publish(r, &job->out.event);
            presence_announce_in_room(op->p.s->srv, r, op->p.u);
            meeting_member_joined(r, op->p.u);
            safety_first_room(op->p.s->srv, op->p.u);
        }
        reply_joined(op->p.s, op->p.id, r, op->p.u);
    }
    op_end(job);
}

void rooms_handle_join(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_visible(s, req, req->u.join.room);
    if (!r)
        return;
    if (room_has_member(r, s->user)) {
        reply_joined(s, req->id, r, s->user); /* re-opening a room changes nothing */
        return;
    }
    enum proto_err no = moderation_may_join(s->srv, r, s->user);
    if (no != PROTO_OK) {
        session_reply_error(s, req->id, no, NULL, -1);
        return;
    }
    if (r->visibility == PROTO_VIS_INVITE && !req->u.join.invite) {
        session_reply_error(s, req->id, PROTO_E_INVITE_REQUIRED, NULL, -1);
        return;
    }
    struct hdb_job *job = op_start(s, req, r, HDB_OP_ROOM_JOIN, on_joined);
    if (!job)
        return;
    struct room_op *op = job->ud;
    if (req->u.join.invite && !(job->in.invite = op_keep(op, req->u.join.invite))) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        op_end(job);
        return;
    }
    pending_submit(job);
}

/* ---- room.leave ---- */

static void on_left(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    struct room *r = op->p.room;
    if (job->out.rc == HDB_OK) {
        log_info("%s left room %s", op->p.u->handle, r->name);
        /* Publish before removing so the leaver's other devices hear it. */
        room_publish(r, &job->out.event);
        meeting_member_left(r, op->p.u);
        room_member_remove(r, op->p.u);
        struct proto_result res = {.type = PROTO_REQ_ROOM_LEAVE};
        session_reply(op->p.s, op->p.id, &res);
    } else if (job->out.rc == HDB_E_ALREADY) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_NOT_MEMBER, NULL, -1);
    } else {
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    }
    op_end(job);
}

void rooms_handle_leave(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.room.room);
    if (!r)
        return;
    struct hdb_job *job = op_start(s, req, r, HDB_OP_ROOM_LEAVE, on_left);
    if (job)
        pending_submit(job);
}

/* ---- room.send ---- */

static void on_appended(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    if (job->out.rc != HDB_OK) {
        session_reply_error(op->p.s, op->p.id,
                            job->out.rc == HDB_E_NOT_FOUND ? PROTO_E_ROOM_NOT_FOUND
                                                           : PROTO_E_INTERNAL, NULL, -1);
    } else {
        if (job->op == HDB_OP_SEQ_NEXT) {
            /* Never stored: the words come from the request, into memory only. */
            job->out.event.user_id = op->p.u->id;
            job->out.event.text = strdup(op->kept[0]);
            job->out.event.cid = strdup(op->kept[1]);
        }
        if (!job->out.duplicate) {
            room_publish(op->p.room, &job->out.event);
            safety_check_message(op->p.s->srv, op->p.room, op->p.u, &job->out.event);
        }
        struct proto_result res = {.type = PROTO_REQ_ROOM_SEND};
        res.u.send.seq = job->out.event.seq;
        res.u.send.ts = job->out.event.ts;
        res.u.send.duplicate = job->out.duplicate;
        session_reply(op->p.s, op->p.id, &res);
    }
    op_end(job);
}

/* ---- a message the server writes for a member ---- */

struct post {
    struct room *room;
    struct user *author;
    char *text;
};

static void on_posted(struct hdb_job *job)
{
    struct post *p = job->ud;
    if (job->out.rc != HDB_OK) {
        log_error("room %s: could not post for %s", p->room->name, p->author->handle);
    } else {
        if (job->op == HDB_OP_SEQ_NEXT) {   /* never stored: memory only */
            job->out.event.user_id = p->author->id;
            job->out.event.text = p->text;
            p->text = NULL;
        }
        room_publish(p->room, &job->out.event);
    }
    free(p->text);
    free(p);
    hdb_job_free(job);
}

void rooms_post_as(struct server *srv, struct room *r, struct user *u, const char *text)
{
    /* A mute silences what is posted in the member's name too: the moderators
     * asked for quiet from them in this room. (Slow mode and newcomer waits
     * are about typing; these posts come at most once a day.) */
    int64_t retry;
    if (moderation_may_post(srv, r, u, &retry) == PROTO_E_MUTED) {
        log_info("room %s: %s is muted, nothing posted in their name", r->name, u->handle);
        return;
    }
    struct post *p = calloc(1, sizeof *p);
    struct hdb_job *job = p ? hdb_job_new(r->ephemeral ? HDB_OP_SEQ_NEXT : HDB_OP_MESSAGE_APPEND,
                                          on_posted, p) : NULL;
    if (!job || !(p->text = strdup(text))) {
        log_error("room %s: out of memory posting for %s", r->name, u->handle);
        free(p);
        hdb_job_free(job);
        return;
    }
    p->room = r;
    p->author = u;
    job->in.room_id = r->id;
    job->in.user_id = u->id;
    job->in.text = p->text;
    job->in.now = clock_wall_ms(srv->clock);
    server_submit(srv, job);
}

/* An ephemeral room cannot ask the database whether a retried send was
 * already taken: its memory answers, while the message is still there. */
static bool reply_if_sent(struct session *s, const struct proto_request *req, const struct room *r)
{
    const struct hdb_event *e = room_cache_find_cid(r, s->user->id, req->u.send.cid);
    if (!e)
        return false;
    struct proto_result res = {.type = PROTO_REQ_ROOM_SEND};
    res.u.send.seq = e->seq;
    res.u.send.ts = e->ts;
    res.u.send.duplicate = true;
    session_reply(s, req->id, &res);
    return true;
}

void rooms_handle_send(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.send.room);
    if (!r)
        return;
    int64_t retry;
    enum proto_err no = moderation_may_post(s->srv, r, s->user, &retry);
    if (no == PROTO_OK && !meeting_may_post(r, s->user))
        no = PROTO_E_ONE_SPEAKER;
    if (no == PROTO_OK && !buddies_may_talk(r, s->user))
        no = PROTO_E_NOT_BUDDIES;
    if (no == PROTO_OK && !support_may_talk(r, s->user))
        no = PROTO_E_SUPPORT_CLOSED;
    if (no != PROTO_OK) {
        char msg[160];
        const char *text = NULL;
        if (retry > 0) {
            snprintf(msg, sizeof msg, "%s Try again in %lld seconds.", proto_err_sentence(no),
                     (long long)((retry + 999) / 1000));
            text = msg;
        }
        session_reply_error(s, req->id, no, text, retry > 0 ? retry : -1);
        return;
    }
    moderation_posted(s->srv, r, s->user);
    if (r->ephemeral && reply_if_sent(s, req, r))
        return;
    /* "What is said here stays here": only the seq counter touches the disk. */
    struct hdb_job *job = op_start(s, req, r, r->ephemeral ? HDB_OP_SEQ_NEXT : HDB_OP_MESSAGE_APPEND,
                                   on_appended);
    if (!job)
        return;
    struct room_op *op = job->ud;
    job->in.text = op_keep(op, req->u.send.text);
    job->in.cid = op_keep(op, req->u.send.cid);
    if (!op_kept_all(op, 2)) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        op_end(job);
        return;
    }
    pending_submit(job);
}

/* ---- room.history ---- */

/* A page has holes when retention or an ephemeral room took events away:
 * it does not cover every seq of the range it answers. That range runs
 * from `lo` to `hi` (forward: after + 1 up to the room's newest; backward:
 * 1 up to before - 1), cut at the page's far end when there is more. The
 * client then knows not to wait for what is gone. */
static bool has_holes(const struct proto_room_event *evs, size_t n, uint64_t lo, uint64_t hi,
                      bool has_more, bool forward)
{
    if (has_more && n > 0) {
        if (forward)
            hi = evs[n - 1].seq;
        else
            lo = evs[0].seq;
    }
    if (lo > hi)
        return false; /* nothing could have been there */
    return n != hi - lo + 1 || evs[0].seq != lo || evs[n - 1].seq != hi;
}

static void reply_history(struct session *s, const char *id, struct proto_room_event *evs,
                          size_t n, bool has_more, bool truncated)
{
    struct proto_result res = {.type = PROTO_REQ_ROOM_HISTORY};
    res.u.history.events = evs;
    res.u.history.n = n;
    res.u.history.has_more = has_more;
    res.u.history.truncated = truncated;
    session_reply(s, id, &res);
}

static void on_history(struct hdb_job *job)
{
    struct room_op *op = job->ud;
    if (job->out.rc != HDB_OK) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        size_t n = job->out.n_events;
        struct proto_room_event *evs = calloc(n ? n : 1, sizeof *evs);
        if (!evs) {
            session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
        } else {
            for (size_t i = 0; i < n; i++)
                room_event_for(&evs[i], op->p.room, &job->out.events[i], op->p.u);
            uint64_t lo = op->forward ? op->edge : 1;
            uint64_t hi = op->forward ? op->p.room->last_seq : op->edge;
            reply_history(op->p.s, op->p.id, evs, n, job->out.has_more,
                          has_holes(evs, n, lo, hi, job->out.has_more, op->forward));
            if (n)
                receipts_history(op->p.room, op->p.u, evs[n - 1].seq);
            free(evs);
        }
    }
    op_end(job);
}

/* Serves the page from the in-memory cache when it covers the whole range
 * asked for; returns false when the database must answer. */
static bool history_from_cache(struct session *s, const char *id, struct room *r,
                               uint64_t before, bool forward, uint64_t after, uint32_t limit)
{
    uint64_t first = room_cache_first_seq(r);
    uint64_t lo, hi; /* the seq range of the page, inclusive */
    bool has_more;
    if (forward) {
        lo = after + 1;
        hi = after + limit < r->last_seq ? after + limit : r->last_seq;
        has_more = hi < r->last_seq;
    } else {
        hi = before && before - 1 < r->last_seq ? before - 1 : r->last_seq;
        lo = hi >= limit ? hi - limit + 1 : 1;
        has_more = lo > 1;
    }
    if (lo <= hi && lo < first)
        return false;
    struct proto_room_event *evs = calloc(limit ? limit : 1, sizeof *evs);
    if (!evs)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < r->cache_count && n < limit; i++) {
        const struct hdb_event *c = room_cache_at(r, i);
        if (c->seq >= lo && c->seq <= hi)
            room_event_for(&evs[n++], r, c, s->user);
    }
    /* The page is exactly the seq window [lo, hi]: anything missing in it is gone. */
    reply_history(s, id, evs, n, has_more, has_holes(evs, n, lo, hi, false, forward));
    if (n)
        receipts_history(r, s->user, evs[n - 1].seq);
    free(evs);
    return true;
}

void rooms_handle_history(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.history.room);
    if (!r)
        return;
    uint32_t limit = req->u.history.limit ? req->u.history.limit : PROTO_HISTORY_DEFAULT;
    if (limit > PROTO_HISTORY_MAX)
        limit = PROTO_HISTORY_MAX;
    if (history_from_cache(s, req->id, r, req->u.history.before, req->u.history.has_after,
                           req->u.history.after, limit))
        return;
    struct hdb_job *job = op_start(s, req, r, HDB_OP_HISTORY, on_history);
    if (!job)
        return;
    job->in.before = req->u.history.before;
    job->in.after = req->u.history.after;
    job->in.forward = req->u.history.has_after;
    job->in.limit = limit;
    struct room_op *op = job->ud;
    op->forward = req->u.history.has_after;
    op->edge = op->forward ? req->u.history.after + 1
               : req->u.history.before && req->u.history.before - 1 < r->last_seq
                   ? req->u.history.before - 1 : r->last_seq;
    pending_submit(job);
}

/* ---- room.members ---- */

void rooms_handle_members(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.room.room);
    if (!r)
        return;
    struct proto_result res = {.type = PROTO_REQ_ROOM_MEMBERS};
    res.u.members.members = members_of(r, s->user);
    res.u.members.n = r->n_members;
    if (!res.u.members.members) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    session_reply(s, req->id, &res);
    free(res.u.members.members);
}
