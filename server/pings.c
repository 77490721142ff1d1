/* buddy.ping, buddy.ping_seen, buddy.pings, and delivery of kept pings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddies.h"
#include "clock.h"
#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "pings.h"
#include "server.h"
#include "session.h"

#define DAY_MS (24LL * 3600 * 1000)

struct ping_op {
    struct pending p;
    struct user *to;
    char *text, *cid;          /* copies the job reads */
};

static void ping_cleanup(struct pending *p)
{
    struct ping_op *op = (struct ping_op *)p;
    free(op->text);
    free(op->cid);
}

static void to_wire(struct proto_ping *out, const struct hdb_ping *in)
{
    *out = (struct proto_ping){.id = in->id, .from = in->from, .to = in->to,
                               .kind = in->kind >= 0 && in->kind < PROTO_PING__COUNT
                                           ? (enum proto_ping_kind)in->kind : PROTO_PING_TEXT,
                               .text = in->text, .ts = in->ts,
                               .delivered_at = in->delivered_at, .seen_at = in->seen_at};
}

static struct hbuf *encode_ping(const struct hdb_ping *p)
{
    struct proto_event ev = {.type = PROTO_EVT_BUDDY_PING};
    to_wire(&ev.u.ping, p);
    return hbuf_take(proto_event_encode(&ev));
}

/* Tells the sender (all their devices) what became of their ping. */
static void tell_sender(struct server *srv, const struct hdb_ping *p, const char *state, int64_t at)
{
    struct user *from = server_user_get(srv, p->from);
    if (!from)
        return;
    struct proto_event ev = {.type = PROTO_EVT_PING_STATUS};
    ev.u.ping_status.id = p->id;
    ev.u.ping_status.to = p->to;
    ev.u.ping_status.state = state;
    ev.u.ping_status.at = at;
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (b) {
        fanout_user(from, b);
        hbuf_unref(b);
    }
}

static void reply_ping(struct pending *p, const struct hdb_ping *ping, bool duplicate)
{
    struct proto_result res = {.type = PROTO_REQ_BUDDY_PING};
    to_wire(&res.u.sent_ping.ping, ping);
    res.u.sent_ping.duplicate = duplicate;
    session_reply(p->s, p->id, &res);
}

/* ---- buddy.ping ---- */

static void on_marked_delivered(struct hdb_job *job)
{
    struct ping_op *op = job->ud;
    if (job->out.rc != HDB_OK || job->out.n_pings == 0)
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    else
        reply_ping(&op->p, &job->out.pings[0], false);
    pending_end(&op->p, job);
}

static void on_stored(struct hdb_job *job)
{
    struct ping_op *op = job->ud;
    if (job->out.rc != HDB_OK || job->out.n_pings == 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    const struct hdb_ping *ping = &job->out.pings[0];
    if (job->out.duplicate || op->to->n_sessions == 0) {
        reply_ping(&op->p, ping, job->out.duplicate);   /* kept until they sign in */
        pending_end(&op->p, job);
        return;
    }
    struct hbuf *b = encode_ping(ping);
    if (b) {
        fanout_user(op->to, b);
        hbuf_unref(b);
    }
    int64_t id = ping->id;
    struct hdb_job *mark = pending_next(&op->p, HDB_OP_PING_MARK, on_marked_delivered);
    hdb_job_free(job);
    if (!mark)
        return;
    mark->in.seq = (uint64_t)id;
    mark->in.target_id = op->to->id;
    mark->in.status = 1;
    pending_submit(mark);
}

void pings_handle_send(struct session *s, const struct proto_request *req)
{
    struct user *to = server_user_get(s->srv, req->u.ping.handle);
    if (!to || !buddies_paired(s->user, to)) {
        session_reply_error(s, req->id, PROTO_E_NOT_BUDDIES,
                            "You can ping your buddies only; ask them to be your buddy first.", -1);
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct ping_op), HDB_OP_PING_ADD,
                                      on_stored);
    if (!job)
        return;
    struct ping_op *op = job->ud;
    op->p.cleanup = ping_cleanup;
    op->to = to;
    if ((req->u.ping.text && !(op->text = strdup(req->u.ping.text))) ||
        (req->u.ping.cid && !(op->cid = strdup(req->u.ping.cid)))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.target_id = to->id;
    job->in.status = req->u.ping.kind;
    job->in.text = req->u.ping.kind == PROTO_PING_TEXT ? op->text : NULL;
    job->in.cid = op->cid;
    pending_submit(job);
}

/* ---- delivery when someone signs in ---- */

static void on_delivered(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc == HDB_OK) {
        for (size_t i = 0; i < job->out.n_pings; i++) {
            const struct hdb_ping *ping = &job->out.pings[i];
            struct hbuf *b = encode_ping(ping);
            if (b) {
                session_send(p->s, b);
                hbuf_unref(b);
            }
            tell_sender(p->s->srv, ping, "delivered", ping->delivered_at);
        }
        if (job->out.n_pings)
            log_info("%zu kept pings delivered to %s", job->out.n_pings, p->u->handle);
    }
    pending_end(p, job);
}

void pings_deliver_waiting(struct session *s)
{
    /* No request to answer: the id is empty and nothing replies with it. */
    struct hdb_job *job = pending_job(s, "", NULL, sizeof(struct pending), HDB_OP_PINGS_DELIVER,
                                      on_delivered);
    if (job)
        pending_submit(job);
}

/* ---- buddy.ping_seen ---- */

static void on_seen(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc == HDB_E_NOT_FOUND || (job->out.rc == HDB_OK && job->out.n_pings == 0)) {
        pending_fail(p, PROTO_E_PING_NOT_FOUND, NULL);
    } else if (job->out.rc != HDB_OK) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        const struct hdb_ping *ping = &job->out.pings[0];
        tell_sender(p->s->srv, ping, "seen", ping->seen_at);
        struct proto_result res = {.type = PROTO_REQ_BUDDY_PING_SEEN};
        session_reply(p->s, p->id, &res);
    }
    pending_end(p, job);
}

void pings_handle_seen(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending), HDB_OP_PING_MARK,
                                      on_seen);
    if (!job)
        return;
    job->in.seq = (uint64_t)req->u.by_id.id;
    job->in.target_id = s->user->id;
    job->in.status = 2;
    pending_submit(job);
}

/* ---- buddy.pings ---- */

static void on_listed(struct hdb_job *job)
{
    struct pending *p = job->ud;
    size_t n = job->out.n_pings;
    struct proto_ping *list = job->out.rc == HDB_OK ? calloc(n ? n : 1, sizeof *list) : NULL;
    if (!list) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++)
            to_wire(&list[i], &job->out.pings[i]);
        struct proto_result res = {.type = PROTO_REQ_BUDDY_PINGS};
        res.u.pings.pings = list;
        res.u.pings.n = n;
        session_reply(p->s, p->id, &res);
        free(list);
    }
    pending_end(p, job);
}

void pings_handle_list(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending), HDB_OP_PINGS_LIST,
                                      on_listed);
    if (!job)
        return;
    job->in.after = (uint64_t)(job->in.now - PINGS_KEPT_DAYS * DAY_MS);
    pending_submit(job);
}

/* ---- the sweep ---- */

static void on_purged(struct hdb_job *job)
{
    if (job->out.rc == HDB_OK && job->out.n_erased)
        log_info("%zu pings older than %d days forgotten", job->out.n_erased, PINGS_KEPT_DAYS);
    hdb_job_free(job);
}

void pings_purge(struct server *srv, int64_t now)
{
    struct hdb_job *job = hdb_job_new(HDB_OP_PINGS_PURGE, on_purged, NULL);
    if (!job)
        return;
    job->in.before = (uint64_t)(now - PINGS_KEPT_DAYS * DAY_MS);
    server_submit(srv, job);
}
