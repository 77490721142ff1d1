/* buddy.request, .accept, .decline, .cancel, .end, .list; pairing and the
 * conversation it opens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "buddies.h"
#include "fanout.h"
#include "log.h"
#include "match.h"
#include "pending.h"
#include "presence.h"
#include "pwhash.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"
#include "session.h"

/* ---- links, mirrored on both people ---- */

static struct buddy_link *link_of(const struct user *u, const struct user *other)
{
    for (size_t i = 0; i < u->n_buddies; i++)
        if (u->buddies[i].other == other)
            return &u->buddies[i];
    return NULL;
}

static int link_set(struct user *u, struct user *other, enum buddy_state state, int64_t since,
                    struct room *conversation)
{
    struct buddy_link *l = link_of(u, other);
    if (!l) {
        if (u->n_buddies == u->cap_buddies) {
            size_t cap = u->cap_buddies ? u->cap_buddies * 2 : 4;
            struct buddy_link *v = realloc(u->buddies, cap * sizeof *v);
            if (!v)
                return -1;
            u->buddies = v;
            u->cap_buddies = cap;
        }
        l = &u->buddies[u->n_buddies++];
    }
    *l = (struct buddy_link){.other = other, .state = state, .since = since,
                             .conversation = conversation};
    return 0;
}

static void link_drop(struct user *u, const struct user *other)
{
    struct buddy_link *l = link_of(u, other);
    if (l)
        *l = u->buddies[--u->n_buddies];
}

static void unlink_both(struct user *a, struct user *b)
{
    link_drop(a, b);
    link_drop(b, a);
}

bool buddies_paired(const struct user *a, const struct user *b)
{
    const struct buddy_link *l = link_of(a, b);
    return l && l->state == BUDDY_PAIRED;
}

void buddies_fanout(const struct user *u, struct hbuf *b)
{
    for (size_t i = 0; b && i < u->n_buddies; i++)
        if (u->buddies[i].state == BUDDY_PAIRED)
            fanout_user(u->buddies[i].other, b);
}

void buddies_tell(const struct user *u, const struct proto_event *ev)
{
    struct hbuf *b = hbuf_take(proto_event_encode(ev));
    buddies_fanout(u, b);
    hbuf_unref(b);
}

size_t buddies_count(const struct user *u)
{
    size_t n = 0;
    for (size_t i = 0; i < u->n_buddies; i++)
        n += u->buddies[i].state == BUDDY_PAIRED;
    return n;
}

/* The other member of a conversation, as seen by u. */
static struct user *peer_of(const struct room *r, const struct user *u)
{
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].user != u)
            return r->members[i].user;
    return NULL;
}

bool buddies_may_talk(const struct room *r, const struct user *u)
{
    if (r->kind != PROTO_KIND_BUDDY)
        return true;
    struct user *peer = peer_of(r, u);
    return peer && buddies_paired(u, peer);
}

/* A block either way: the pair's requests are kept but never shown. */
static bool blocked_between(struct server *srv, const struct user *a, const struct user *b)
{
    return blocks_hides(srv, a->id, b->id) || blocks_hides(srv, b->id, a->id);
}

/* The buddy conversation of a and b, if they ever had one. */
static struct room *conversation_of(const struct user *a, const struct user *b)
{
    for (size_t i = 0; i < a->n_rooms; i++) {
        struct room *r = a->rooms[i];
        if (r->kind == PROTO_KIND_BUDDY && room_has_member(r, b))
            return r;
    }
    return NULL;
}

/* ---- events ---- */

static void fill_buddy(struct proto_buddy *out, const struct buddy_link *l,
                       const struct user *viewer)
{
    out->handle = l->other->handle;
    out->status = presence_visible(l->other, viewer);
    out->since = l->since;
    out->conversation = l->conversation ? l->conversation->name : NULL;
}

static void send_event(struct user *to, const struct proto_event *ev)
{
    struct hbuf *b = hbuf_take(proto_event_encode(ev));
    if (b) {
        fanout_user(to, b);
        hbuf_unref(b);
    }
}

static void tell_paired(struct user *to, const struct buddy_link *l)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_UPDATE};
    ev.u.buddy_update.state = "paired";
    fill_buddy(&ev.u.buddy_update.buddy, l, to);
    send_event(to, &ev);
}

static void tell_ended(struct user *to, const struct user *other)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_UPDATE};
    ev.u.buddy_update.state = "ended";
    ev.u.buddy_update.buddy.handle = other->handle;
    send_event(to, &ev);
}

static void tell_asked(struct user *to, const struct user *from, int64_t ts)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_REQUEST};
    ev.u.buddy_request.handle = from->handle;
    ev.u.buddy_request.ts = ts;
    send_event(to, &ev);
}

/* ---- loading ---- */

static void on_load(int64_t a_id, const char *a_handle, int64_t b_id, const char *b_handle,
                    bool paired, int64_t asker, int64_t since, void *ud)
{
    struct server *srv = ud;
    struct user *a = server_user_upsert(srv, a_id, a_handle, -1, -1);
    struct user *b = server_user_upsert(srv, b_id, b_handle, -1, -1);
    if (!a || !b) {
        log_error("out of memory loading buddies");
        return;
    }
    struct room *conv = paired ? conversation_of(a, b) : NULL;
    int rc = paired ? link_set(a, b, BUDDY_PAIRED, since, conv) |
                          link_set(b, a, BUDDY_PAIRED, since, conv)
             : link_set(a, b, asker == a_id ? BUDDY_ASKED_BY_ME : BUDDY_ASKED_BY_THEM, since, NULL) |
                   link_set(b, a, asker == b_id ? BUDDY_ASKED_BY_ME : BUDDY_ASKED_BY_THEM, since,
                            NULL);
    if (rc != 0)
        log_error("out of memory loading buddies");
}

int buddies_load(struct server *srv)
{
    return hdb_load_buddies(srv->db, on_load, srv) == HDB_OK ? 0 : -1;
}

void buddies_free_user(struct user *u)
{
    free(u->buddies);
    u->buddies = NULL;
    u->n_buddies = u->cap_buddies = 0;
}

/* ---- one request's context ---- */

struct buddy_op {
    struct pending p;
    struct user *other;
    enum proto_req_type answer;    /* the request being answered */
    char conv_name[PROTO_HANDLE_MAX + 1];
};

static struct hdb_job *buddy_job(struct session *s, const char *id, struct user *other,
                                 int status, hdb_done_fn done)
{
    struct hdb_job *job = pending_job(s, id, NULL, sizeof(struct buddy_op), HDB_OP_BUDDY_SET, done);
    if (!job)
        return NULL;
    struct buddy_op *op = job->ud;
    op->other = other;
    job->in.target_id = other->id;
    job->in.status = status;
    return job;
}

static void reply_empty(struct pending *p, enum proto_req_type type)
{
    struct proto_result res = {.type = type};
    session_reply(p->s, p->id, &res);
}

/* ---- pairing ---- */

static void on_paired(struct hdb_job *job)
{
    struct buddy_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    struct user *a = op->p.u, *b = op->other;
    int64_t now = job->in.now;
    struct room *conv = job->out.rc == HDB_OK
                            ? rooms_conversation(srv, &job->out.room, a, b, now) : NULL;
    bool fresh = !buddies_paired(a, b);
    if (!conv || link_set(a, b, BUDDY_PAIRED, now, conv) != 0 ||
        link_set(b, a, BUDDY_PAIRED, now, conv) != 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    const struct buddy_link *ab = link_of(a, b), *ba = link_of(b, a);
    if (fresh) {
        log_info("%s and %s are buddies", a->handle, b->handle);
        tell_paired(a, ab);
        tell_paired(b, ba);
    }
    if (op->answer == PROTO_REQ_BUDDY_ACCEPT) {
        struct proto_result res = {.type = PROTO_REQ_BUDDY_ACCEPT};
        fill_buddy(&res.u.paired.buddy, ab, a);
        session_reply(op->p.s, op->p.id, &res);
    } else {
        reply_empty(&op->p, op->answer);
    }
    pending_end(&op->p, job);
}

static void pair_as(struct session *s, const char *id, struct user *b, enum proto_req_type answer)
{
    struct hdb_job *job = buddy_job(s, id, b, 1, on_paired);
    if (!job)
        return;
    struct buddy_op *op = job->ud;
    op->answer = answer;
    op->conv_name[0] = PROTO_CONV_PREFIX;
    if (random_hex(op->conv_name + 1, 8) != 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.room.name = op->conv_name;
    pending_submit(job);
}

void buddies_pair(struct session *s, const char *id, enum proto_req_type answer, struct user *b)
{
    pair_as(s, id, b, answer);
}

/* Answers buddy_limit when either a or b has as many buddies as allowed. */
static bool over_limit(struct session *s, const char *id, const struct user *a,
                       const struct user *b)
{
    unsigned max = s->srv->cfg.max_buddies;
    if (buddies_count(a) < max && buddies_count(b) < max)
        return false;
    session_reply_error(s, id, PROTO_E_BUDDY_LIMIT, NULL, -1);
    return true;
}

/* ---- buddy.request ---- */

static void on_asked(struct hdb_job *job)
{
    struct buddy_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    struct user *a = op->p.u, *b = op->other;
    int64_t now = job->in.now;
    if (job->out.rc != HDB_OK || link_set(a, b, BUDDY_ASKED_BY_ME, now, NULL) != 0 ||
        link_set(b, a, BUDDY_ASKED_BY_THEM, now, NULL) != 0) {
        unlink_both(a, b);
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        if (!blocked_between(srv, a, b))
            tell_asked(b, a, now);
        reply_empty(&op->p, PROTO_REQ_BUDDY_REQUEST);
    }
    pending_end(&op->p, job);
}

static void ask(struct session *s, const char *id, struct user *b)
{
    struct user *a = s->user;
    if (a == b) {
        session_reply_error(s, id, PROTO_E_INVALID_FIELD, "You can't be your own buddy.", -1);
        return;
    }
    const struct buddy_link *l = link_of(a, b);
    if (l && l->state == BUDDY_PAIRED) {
        session_reply_error(s, id, PROTO_E_ALREADY_BUDDIES, NULL, -1);
        return;
    }
    if (over_limit(s, id, a, a))
        return;
    if (l && l->state == BUDDY_ASKED_BY_THEM && !blocked_between(s->srv, a, b)) {
        if (!over_limit(s, id, a, b))
            pair_as(s, id, b, PROTO_REQ_BUDDY_REQUEST);   /* they asked first: both agree */
        return;
    }
    if (l) {   /* asked already (or hidden by a block): nothing changes */
        struct proto_result res = {.type = PROTO_REQ_BUDDY_REQUEST};
        session_reply(s, id, &res);
        return;
    }
    struct hdb_job *job = buddy_job(s, id, b, 0, on_asked);
    if (job)
        pending_submit(job);
}

static void on_found(struct pending *p, int64_t user_id, int role)
{
    struct user *b = server_user_upsert(p->s->srv, user_id, p->handle, role, -1);
    if (!b)
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    else if (session_alive(p->s))
        ask(p->s, p->id, b);
    pending_end(p, NULL);
}

void buddies_handle_request(struct session *s, const struct proto_request *req)
{
    struct user *b = server_user_get(s->srv, req->u.buddy.handle);
    if (b) {
        ask(s, req->id, b);
        return;
    }
    /* Someone this server has not met since it started: look them up. */
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending),
                                      HDB_OP_USER_BY_HANDLE, NULL);
    if (job)
        pending_lookup(job->ud, job, req->u.buddy.handle, on_found);
}

/* ---- buddy.accept ---- */

/* The other person of a link of u in `state`, or NULL after answering. */
static struct user *linked(struct session *s, const struct proto_request *req,
                           enum buddy_state state)
{
    struct user *b = server_user_get(s->srv, req->u.buddy.handle);
    const struct buddy_link *l = b ? link_of(s->user, b) : NULL;
    /* A request across a block was never shown: it does not exist. */
    bool hidden = l && state == BUDDY_ASKED_BY_THEM && blocked_between(s->srv, s->user, b);
    if (l && l->state == state && !hidden)
        return b;
    session_reply_error(s, req->id, state == BUDDY_PAIRED ? PROTO_E_NOT_BUDDIES
                                                          : PROTO_E_REQUEST_NOT_FOUND, NULL, -1);
    return NULL;
}

void buddies_handle_accept(struct session *s, const struct proto_request *req)
{
    struct user *b = linked(s, req, BUDDY_ASKED_BY_THEM);
    if (b && !over_limit(s, req->id, s->user, b))
        pair_as(s, req->id, b, PROTO_REQ_BUDDY_ACCEPT);
}

/* ---- buddy.decline, .cancel, .end ---- */

static void on_dropped(struct hdb_job *job)
{
    struct buddy_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    struct user *a = op->p.u, *b = op->other;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        bool was_shown = link_of(a, b) && !blocked_between(srv, a, b);
        unlink_both(a, b);
        if (was_shown)
            tell_ended(b, a);   /* quietly: never a reason */
        tell_ended(a, b);       /* the asker's other devices */
        reply_empty(&op->p, op->answer);
        match_links_changed(srv);
    }
    pending_end(&op->p, job);
}

void buddies_handle_end(struct session *s, const struct proto_request *req)
{
    enum buddy_state state = req->type == PROTO_REQ_BUDDY_DECLINE ? BUDDY_ASKED_BY_THEM
                             : req->type == PROTO_REQ_BUDDY_CANCEL ? BUDDY_ASKED_BY_ME
                                                                   : BUDDY_PAIRED;
    struct user *b = linked(s, req, state);
    if (!b)
        return;
    struct hdb_job *job = buddy_job(s, req->id, b, -1, on_dropped);
    if (!job)
        return;
    ((struct buddy_op *)job->ud)->answer = req->type;
    pending_submit(job);
}

/* A block ends whatever stood between the two at once (the block is
 * already in force); the blocked person only sees it end. The row goes
 * after; no request waits for it. */
static void on_block_dropped(struct hdb_job *job)
{
    struct buddy_op *op = job->ud;
    if (job->out.rc != HDB_OK)
        log_error("could not forget the pairing of %s and %s", op->p.u->handle,
                  op->other->handle);
    pending_end(&op->p, job);
}

void buddies_blocked(struct session *s, struct user *blocked)
{
    struct user *blocker = s->user;
    const struct buddy_link *l = link_of(blocker, blocked);
    if (!l)
        return;
    if (l->state == BUDDY_PAIRED || l->state == BUDDY_ASKED_BY_ME)
        tell_ended(blocked, blocker);
    tell_ended(blocker, blocked);
    unlink_both(blocker, blocked);
    struct hdb_job *job = buddy_job(s, "", blocked, -1, on_block_dropped);
    if (job)
        pending_submit(job);
}

void buddies_forget_user(struct user *u)
{
    while (u->n_buddies) {
        struct buddy_link *l = &u->buddies[u->n_buddies - 1];
        struct user *other = l->other;
        if (l->state != BUDDY_ASKED_BY_THEM)   /* their own requests they may not have seen */
            tell_ended(other, u);
        unlink_both(u, other);
    }
    buddies_free_user(u);
}

/* ---- buddy.list ---- */

static int by_handle(const void *x, const void *y)
{
    return strcmp(((const struct proto_buddy *)x)->handle, ((const struct proto_buddy *)y)->handle);
}

static int by_ts(const void *x, const void *y)
{
    const struct proto_buddy_request *a = x, *b = y;
    return a->ts < b->ts ? -1 : a->ts > b->ts;
}

void buddies_handle_list(struct session *s, const struct proto_request *req)
{
    struct user *u = s->user;
    size_t n = u->n_buddies ? u->n_buddies : 1;
    struct proto_buddy *buddies = calloc(n, sizeof *buddies);
    struct proto_buddy_request *in = calloc(n, sizeof *in), *out = calloc(n, sizeof *out);
    struct proto_result res = {.type = PROTO_REQ_BUDDY_LIST};
    if (!buddies || !in || !out) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        for (size_t i = 0; i < u->n_buddies; i++) {
            const struct buddy_link *l = &u->buddies[i];
            struct proto_buddy_request r = {.handle = l->other->handle, .ts = l->since};
            if (l->state == BUDDY_PAIRED)
                fill_buddy(&buddies[res.u.buddies.n++], l, u);
            else if (l->state == BUDDY_ASKED_BY_ME)
                out[res.u.buddies.n_outgoing++] = r;
            else if (!blocked_between(s->srv, u, l->other))
                in[res.u.buddies.n_incoming++] = r;
        }
        qsort(buddies, res.u.buddies.n, sizeof *buddies, by_handle);
        qsort(in, res.u.buddies.n_incoming, sizeof *in, by_ts);
        qsort(out, res.u.buddies.n_outgoing, sizeof *out, by_ts);
        res.u.buddies.buddies = buddies;
        res.u.buddies.incoming = in;
        res.u.buddies.outgoing = out;
        res.u.buddies.limit = s->srv->cfg.max_buddies;
        session_reply(s, req->id, &res);
    }
    free(buddies);
    free(in);
    free(out);
}
