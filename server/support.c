/* The support.* requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pending.h"
#include "pwhash.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "safety.h"
#include "server.h"
#include "session.h"
#include "support_internal.h"

#define DAY_MS (24LL * 3600 * 1000)

static int64_t now_ms(const struct session *s) { return clock_wall_ms(s->srv->clock); }

bool support_may_talk(const struct room *r, const struct user *u)
{
    if (r->kind != PROTO_KIND_SUPPORT)
        return true;
    for (struct support_req *q = r->srv->support->head; q; q = q->next)
        if (q->conversation == r && q->state == PROTO_SUPPORT_ACCEPTED)
            return u == q->requester || u == q->helper;
    return false;
}

struct support_op {
    struct pending p;
    int64_t id;
    char *note, *cid, *thanks;     /* copies the job reads */
    char conv_name[PROTO_HANDLE_MAX + 1];
};

static void op_cleanup(struct pending *p)
{
    struct support_op *op = (struct support_op *)p;
    free(op->note);
    free(op->cid);
    free(op->thanks);
}

static struct hdb_job *op_job(struct session *s, const char *id, enum hdb_op kind,
                              hdb_done_fn done)
{
    struct hdb_job *job = pending_job(s, id, NULL, sizeof(struct support_op), kind, done);
    if (job)
        ((struct pending *)job->ud)->cleanup = op_cleanup;
    return job;
}

/* Answers with r as the caller sees it (and the resources when asked for). */
static void reply_request(struct session *s, const char *id, enum proto_req_type type,
                          const struct support_req *r, bool resources)
{
    struct proto_result res = {.type = type};
    route_fill(&res.u.asked.request, r, s->user, now_ms(s));
    if (resources)
        res.u.asked.resources = (const char **)safety_resources(s->srv, &res.u.asked.n_resources);
    session_reply(s, id, &res);
}

static void reply_empty(struct pending *p, enum proto_req_type type)
{
    struct proto_result res = {.type = type};
    session_reply(p->s, p->id, &res);
}

/* ---- support.ask ---- */

static void on_asked(struct hdb_job *job)
{
    struct support_op *op = job->ud;
    struct support *sup = op->p.s->srv->support;
    struct support_req *r = NULL;
    if (job->out.rc == HDB_OK && job->out.n_support) {
        const struct hdb_support *row = &job->out.support[0];
        r = route_find(sup, row->id);
        if (!r && !job->out.duplicate && (r = route_add(sup, row)) != NULL) {
            log_info("%s asked for support (%s)", op->p.u->handle,
                     proto_urgency_name(r->urgency));
            route_start(r);
        }
    }
    if (!r)   /* a retry of a request that has ended since: its row says how */
        pending_fail(&op->p, job->out.duplicate ? PROTO_E_SUPPORT_CLOSED : PROTO_E_INTERNAL, NULL);
    else
        reply_request(op->p.s, op->p.id, PROTO_REQ_SUPPORT_ASK, r,
                      r->urgency == PROTO_URGENCY_CRISIS);
    pending_end(&op->p, job);
}

void support_handle_ask(struct session *s, const struct proto_request *req)
{
    struct support_req *mine = route_mine(s->srv->support, s->user);
    if (mine) {   /* one at a time: asking again answers the one already open */
        reply_request(s, req->id, PROTO_REQ_SUPPORT_ASK, mine,
                      mine->urgency == PROTO_URGENCY_CRISIS ||
                          req->u.ask.urgency == PROTO_URGENCY_CRISIS);
        return;
    }
    struct hdb_job *job = op_job(s, req->id, HDB_OP_SUPPORT_ADD, on_asked);
    if (!job)
        return;
    struct support_op *op = job->ud;
    const char *note = req->u.ask.note && *req->u.ask.note ? req->u.ask.note : NULL;
    if ((note && !(op->note = strdup(note))) ||
        (req->u.ask.cid && !(op->cid = strdup(req->u.ask.cid)))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.status = req->u.ask.urgency;
    job->in.support_state = PROTO_SUPPORT_ASKING_BUDDIES;
    job->in.text = op->note;
    job->in.cid = op->cid;
    pending_submit(job);
}

/* ---- finding the request a request names ---- */

/* The request `id` if the caller is its requester (or helper, when
 * `helper_too`), else NULL after answering. */
static struct support_req *own(struct session *s, const struct proto_request *req, bool helper_too)
{
    struct support_req *r = route_find(s->srv->support, req->u.support.request);
    if (r && (r->requester == s->user || (helper_too && r->helper == s->user)))
        return r;
    session_reply_error(s, req->id, PROTO_E_REQUEST_NOT_FOUND, NULL, -1);
    return NULL;
}

/* ---- support.close, and cancel after an answer ---- */

static void on_closed(struct hdb_job *job)
{
    struct support_op *op = job->ud;
    struct support_req *r = route_find(op->p.s->srv->support, op->id);
    if (job->out.rc != HDB_OK || !r) {
        pending_fail(&op->p, r ? PROTO_E_INTERNAL : PROTO_E_SUPPORT_CLOSED, NULL);
    } else {
        bool by_requester = op->p.u == r->requester;
        r->state = job->in.support_state;
        /* Withdrawn before an answer: those offered it hear so. After an
         * answer they already heard it was taken. */
        route_settle(r, r->state == PROTO_SUPPORT_CANCELLED ? "withdrawn" : NULL);
        route_tell(r, by_requester ? "requester" : "helper", op->thanks, false);
        log_info("support request %lld %s", (long long)r->id,
                 r->state == PROTO_SUPPORT_CANCELLED ? "withdrawn" : "closed");
        route_remove(r);
        reply_empty(&op->p, (enum proto_req_type)job->in.status);
    }
    pending_end(&op->p, job);
}

static void end_request(struct session *s, const struct proto_request *req, struct support_req *r,
                        const char *thanks)
{
    struct hdb_job *job = op_job(s, req->id, HDB_OP_SUPPORT_SET, on_closed);
    if (!job)
        return;
    struct support_op *op = job->ud;
    op->id = r->id;
    if (thanks && *thanks && !(op->thanks = strdup(thanks))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.seq = (uint64_t)r->id;
    job->in.status = req->type;   /* which request to answer */
    job->in.support_state = r->state == PROTO_SUPPORT_ACCEPTED ? PROTO_SUPPORT_CLOSED
                                                               : PROTO_SUPPORT_CANCELLED;
    pending_submit(job);
}

void support_handle_cancel(struct session *s, const struct proto_request *req)
{
    struct support_req *r = own(s, req, false);
    if (r)
        end_request(s, req, r, NULL);
}

void support_handle_close(struct session *s, const struct proto_request *req)
{
    struct support_req *r = own(s, req, true);
    if (!r)
        return;
    if (r->state != PROTO_SUPPORT_ACCEPTED) {
        session_reply_error(s, req->id, PROTO_E_SUPPORT_CLOSED,
                            "Nobody has answered it yet; withdraw it with support.cancel.", -1);
        return;
    }
    if (req->u.support.thanks && s->user != r->requester) {
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD,
                            "Only the person who asked for support can leave thanks.", -1);
        return;
    }
    end_request(s, req, r, req->u.support.thanks);
}

/* ---- support.accept ---- */

static void on_accepted(struct hdb_job *job)
{
    struct support_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    struct support_req *r = route_find(srv->support, op->id);
    if (r)
        r->accepting = false;
    struct room *conv = NULL;
    if (job->out.rc == HDB_OK && r)
        conv = rooms_conversation(srv, &job->out.room, r->requester, op->p.u, job->in.now);
    if (!r || job->out.rc == HDB_E_ALREADY) {
        pending_fail(&op->p, r && r->state == PROTO_SUPPORT_ACCEPTED ? PROTO_E_SUPPORT_TAKEN
                                                                     : PROTO_E_SUPPORT_CLOSED, NULL);
    } else if (!conv) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        r->state = PROTO_SUPPORT_ACCEPTED;
        r->helper = op->p.u;
        r->conversation = conv;
        r->accepted_at = job->out.support[0].accepted_at;
        r->handed_back_by = NULL;
        route_settle(r, "taken");
        log_info("support request %lld answered by %s after %lld s", (long long)r->id,
                 r->helper->handle, (long long)((job->in.now - r->created_at) / 1000));
        route_tell(r, NULL, NULL, false);
        reply_request(op->p.s, op->p.id, PROTO_REQ_SUPPORT_ACCEPT, r, false);
    }
    pending_end(&op->p, job);
}

void support_handle_accept(struct session *s, const struct proto_request *req)
{
    struct support_req *r = route_find(s->srv->support, req->u.support.request);
    enum proto_err no = !r || !route_was_offered(r, s->user) ? PROTO_E_REQUEST_NOT_FOUND
                        : r->state == PROTO_SUPPORT_ACCEPTED || r->accepting ? PROTO_E_SUPPORT_TAKEN
                        : !support_open(r->state) ? PROTO_E_SUPPORT_CLOSED
                                                  : PROTO_OK;
    if (no != PROTO_OK) {
        session_reply_error(s, req->id, no, NULL, -1);
        return;
    }
    struct hdb_job *job = op_job(s, req->id, HDB_OP_SUPPORT_SET, on_accepted);
    if (!job)
        return;
    struct support_op *op = job->ud;
    op->id = r->id;
    op->conv_name[0] = PROTO_CONV_PREFIX;
    if (random_hex(op->conv_name + 1, 8) != 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    r->accepting = true;   /* a second answer meanwhile is told it was taken */
    job->in.seq = (uint64_t)r->id;
    job->in.support_state = PROTO_SUPPORT_ACCEPTED;
    job->in.target_id = s->user->id;
    job->in.room.name = op->conv_name;
    pending_submit(job);
}

/* ---- support.handback ---- */

static void on_handed_back(struct hdb_job *job)
{
    struct support_op *op = job->ud;
    struct support_req *r = route_find(op->p.s->srv->support, op->id);
    if (job->out.rc != HDB_OK || !r || r->helper != op->p.u) {
        pending_fail(&op->p, r ? PROTO_E_INTERNAL : PROTO_E_SUPPORT_CLOSED, NULL);
    } else {
        log_info("support request %lld handed back by %s", (long long)r->id, op->p.u->handle);
        route_requeue(r, "handed_back");
        reply_empty(&op->p, PROTO_REQ_SUPPORT_HANDBACK);
    }
    pending_end(&op->p, job);
}

void support_handle_handback(struct session *s, const struct proto_request *req)
{
    struct support_req *r = own(s, req, true);
    if (!r)
        return;
    if (r->helper != s->user) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the person who answered it can hand it back.", -1);
        return;
    }
    struct hdb_job *job = op_job(s, req->id, HDB_OP_SUPPORT_SET, on_handed_back);
    if (!job)
        return;
    ((struct support_op *)job->ud)->id = r->id;
    job->in.seq = (uint64_t)r->id;
    job->in.support_state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    pending_submit(job);
}

/* ---- support.available ---- */

static void on_available(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc != HDB_OK) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        p->u->available = job->in.meeting;
        log_info("%s is %s", p->u->handle,
                 p->u->available ? "available to support" : "no longer on duty");
        if (p->u->available)
            support_presence_changed(p->s->srv, p->u);   /* whoever is waiting now */
        struct proto_result res = {.type = PROTO_REQ_SUPPORT_AVAILABLE};
        res.u.available.on = p->u->available;
        session_reply(p->s, p->id, &res);
    }
    pending_end(p, job);
}

void support_handle_available(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending),
                                      HDB_OP_SUPPORTER_SET, on_available);
    if (!job)
        return;
    job->in.meeting = req->u.available.on;
    pending_submit(job);
}

/* ---- support.queue and support.status ---- */

/* The open requests standing offered to the caller, oldest first, as the
 * support.offer events showed them (support.status: offers to buddies are
 * not offered again after a reconnect). 0, or -1 without memory. */
static int standing_offers(struct session *s, int64_t now, struct proto_support_offer **out,
                           size_t *n_out)
{
    size_t n = 0;
    for (struct support_req *r = s->srv->support->head; r; r = r->next)
        n += support_open(r->state) && route_was_offered(r, s->user) &&
             route_may_offer(r, s->user);
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return 0;
    struct proto_support_offer *v = calloc(n, sizeof *v);
    if (!v)
        return -1;
    size_t i = 0;
    for (struct support_req *r = s->srv->support->head; r && i < n; r = r->next) {
        if (!support_open(r->state) || !route_may_offer(r, s->user))
            continue;
        const char *as = route_offered_as(r, s->user);
        if (!as)
            continue;
        route_fill(&v[i].request, r, s->user, now);
        v[i++].as = as;
    }
    *out = v;
    *n_out = i;
    return 0;
}

static void reply_list(struct session *s, const char *id, enum proto_req_type type,
                       bool (*wanted)(const struct support_req *, const struct user *))
{
    size_t n = 0, cap = 0;
    struct proto_support *list = NULL;
    struct proto_result res = {.type = type};
    int64_t now = now_ms(s);
    for (struct support_req *r = s->srv->support->head; r; r = r->next) {
        if (!wanted(r, s->user))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            struct proto_support *v = realloc(list, cap * sizeof *v);
            if (!v) {
                free(list);
                session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
                return;
            }
            list = v;
        }
        route_fill(&list[n++], r, s->user, now);
    }
    struct proto_support_offer *offers = NULL;
    if (type == PROTO_REQ_SUPPORT_STATUS) {
        struct support_req *mine = route_mine(s->srv->support, s->user);
        if (mine) {
            res.u.support.has_mine = true;
            route_fill(&res.u.support.mine, mine, s->user, now);
        }
        res.u.support.available = s->user->available;
        if (standing_offers(s, now, &offers, &res.u.support.n_offers) != 0) {
            free(list);
            session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
            return;
        }
        res.u.support.offers = offers;
    }
    res.u.support.requests = list;
    res.u.support.n = n;
    session_reply(s, id, &res);
    free(list);
    free(offers);
}

/* On duty: what waits for a supporter and may be offered to u. A server
 * moderator: everything open (without the words, unless offered them). */
static bool in_queue(const struct support_req *r, const struct user *u)
{
    if (u->role >= PROTO_ROLE_MODERATOR)
        return support_open(r->state);
    return (r->state == PROTO_SUPPORT_ASKING_SUPPORTERS || r->state == PROTO_SUPPORT_NOBODY_YET) &&
           route_may_offer(r, u);
}

static bool helping(const struct support_req *r, const struct user *u)
{
    return r->helper == u && r->state == PROTO_SUPPORT_ACCEPTED;
}

void support_handle_queue(struct session *s, const struct proto_request *req)
{
    if (!s->user->available && s->user->role < PROTO_ROLE_MODERATOR) {
        session_reply_error(s, req->id, PROTO_E_NOT_ON_DUTY, NULL, -1);
        return;
    }
    reply_list(s, req->id, PROTO_REQ_SUPPORT_QUEUE, in_queue);
}

void support_handle_status(struct session *s, const struct proto_request *req)
{
    reply_list(s, req->id, PROTO_REQ_SUPPORT_STATUS, helping);
}

/* ---- support.stats ---- */

static void on_stats(struct hdb_job *job)
{
    struct pending *p = job->ud;
    size_t n = job->out.n_days;
    struct proto_support_day *days = job->out.rc == HDB_OK ? calloc(n ? n : 1, sizeof *days) : NULL;
    if (!days) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++) {
            const struct hdb_support_day *d = &job->out.days[i];
            days[i] = (struct proto_support_day){.day = d->day, .requests = d->requests,
                                                 .answered = d->answered,
                                                 .median_wait_ms = d->median_wait_ms,
                                                 .worst_wait_ms = d->worst_wait_ms};
        }
        struct proto_result res = {.type = PROTO_REQ_SUPPORT_STATS};
        res.u.stats.days = days;
        res.u.stats.n = n;
        session_reply(p->s, p->id, &res);
        free(days);
    }
    pending_end(p, job);
}

void support_handle_stats(struct session *s, const struct proto_request *req)
{
    if (s->user->role < PROTO_ROLE_MODERATOR) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the server's moderators and admins can read these figures.", -1);
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending),
                                      HDB_OP_SUPPORT_STATS, on_stats);
    if (!job)
        return;
    uint32_t days = req->u.stats.days ? req->u.stats.days : 14;
    int64_t today = job->in.now - job->in.now % DAY_MS;   /* this UTC day's midnight */
    job->in.after = (uint64_t)(today - (int64_t)(days - 1) * DAY_MS);
    pending_submit(job);
}
