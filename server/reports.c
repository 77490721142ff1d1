#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "rooms.h"
#include "server.h"

#define STATUS_OPEN 0
#define STATUS_ACTIONED 1
#define STATUS_DISMISSED 2

static const char *status_name(int status)
{
    return status == STATUS_ACTIONED ? "actioned" : status == STATUS_DISMISSED ? "dismissed" : "open";
}

static bool is_staff(const struct user *u) { return u->role >= PROTO_ROLE_MODERATOR; }

static void to_proto(struct proto_report *out, const struct hdb_report *r)
{
    *out = (struct proto_report){.id = r->id, .ts = r->ts, .reporter = r->reporter,
                                 .room = r->room, .seq = r->seq, .target = r->target,
                                 .reason = r->reason, .excerpt = r->excerpt,
                                 .status = status_name(r->status)};
}

/* May u handle this report? Staff handle every one; a room's moderators
 * those about their room. */
static bool handles(struct server *srv, const struct user *u, const struct hdb_report *r)
{
    if (is_staff(u))
        return true;
    struct room *room = r->room ? rooms_get(srv, r->room) : NULL;
    return room && room_has_member(room, u) && room_can_moderate(room, u);
}

/* Tells the online moderators concerned, each once. */
static void alert_moderators(struct server *srv, const struct hdb_report *r)
{
    struct proto_event ev = {.type = PROTO_EVT_REPORT_NEW};
    to_proto(&ev.u.report_new, r);
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (!b)
        return;
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->users, &pos, &k, &v) == 0) {
        struct user *u = v;
        if (u->n_sessions > 0 && u->id != r->reporter_id && handles(srv, u, r))
            fanout_user(u, b);
    }
    hbuf_unref(b);
}

/* ---- report.create ---- */

struct report_op {
    struct pending p;
    char *reason;
    uint64_t seq;
    int status;                    /* resolve: the outcome */
    char *note;                    /* resolve */
};

static void report_cleanup(struct pending *p)
{
    struct report_op *op = (struct report_op *)p;
    free(op->reason);
    free(op->note);
}

static void on_report_stored(struct hdb_job *job)
{
    struct report_op *op = job->ud;
    int rc = job->out.rc;
    if (rc == HDB_E_NOT_FOUND) {
        pending_fail(&op->p, PROTO_E_MESSAGE_NOT_FOUND, NULL);
    } else if (rc != HDB_OK || job->out.n_reports != 1) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        const struct hdb_report *r = &job->out.reports[0];
        log_info("report %lld by %s%s%s", (long long)r->id, op->p.u->handle,
                 r->room ? " in room " : "", r->room ? r->room : "");
        struct proto_result res = {.type = PROTO_REQ_REPORT_CREATE};
        res.u.report.id = r->id;
        session_reply(op->p.s, op->p.id, &res);
        alert_moderators(op->p.s->srv, r);
    }
    pending_end(&op->p, job);
}

static void store_report(struct report_op *op, struct hdb_job *job, int64_t target_id)
{
    job->in.seq = op->seq;
    job->in.target_id = target_id;
    job->in.reason = op->reason;
    pending_submit(job);
}

static void on_target_found(struct pending *p, int64_t id, int role)
{
    struct hdb_job *job = pending_next(p, HDB_OP_REPORT_CREATE, on_report_stored);
    if (job)
        store_report((struct report_op *)p, job, id);
}

void reports_handle_create(struct session *s, const struct proto_request *req)
{
    struct room *r = NULL;
    if (req->u.report.room && !(r = rooms_member(s, req, req->u.report.room)))
        return;
    const char *handle = req->u.report.handle;
    struct user *known = handle ? server_user_get(s->srv, handle) : NULL;
    bool lookup = handle && !known;
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct report_op),
                                      lookup ? HDB_OP_USER_BY_HANDLE : HDB_OP_REPORT_CREATE,
                                      on_report_stored);
    if (!job)
        return;
    struct report_op *op = job->ud;
    op->p.cleanup = report_cleanup;
    op->seq = req->u.report.seq;
    if (!(op->reason = strdup(req->u.report.reason))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    if (lookup) {
        pending_lookup(&op->p, job, handle, on_target_found);
    } else {
        store_report(op, job, known ? known->id : 0);
    }
}

/* ---- report.list ---- */

static void on_reports_read(struct hdb_job *job)
{
    struct pending *p = job->ud;
    struct server *srv = p->s->srv;
    size_t n = 0;
    struct proto_report *out = job->out.rc == HDB_OK
                                   ? calloc(job->out.n_reports + 1, sizeof *out) : NULL;
    if (!out) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < job->out.n_reports; i++)
            if (handles(srv, p->u, &job->out.reports[i]))
                to_proto(&out[n++], &job->out.reports[i]);
        struct proto_result res = {.type = PROTO_REQ_REPORT_LIST};
        res.u.reports.reports = out;
        res.u.reports.n = n;
        session_reply(p->s, p->id, &res);
        free(out);
    }
    pending_end(p, job);
}

/* Does u moderate anything at all (so a queue could have something for them)? */
static bool moderates_anything(const struct user *u)
{
    if (is_staff(u))
        return true;
    for (size_t i = 0; i < u->n_rooms; i++)
        if (room_can_moderate(u->rooms[i], u))
            return true;
    return false;
}

void reports_handle_list(struct session *s, const struct proto_request *req)
{
    struct room *r = NULL;
    if (req->u.reports.room && !(r = rooms_member(s, req, req->u.reports.room)))
        return;
    if (r ? !room_can_moderate(r, s->user) : !moderates_anything(s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only moderators can see the reports queue.", -1);
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct pending), HDB_OP_REPORT_LIST,
                                      on_reports_read);
    if (!job)
        return;
    job->in.status = req->u.reports.all ? -1 : STATUS_OPEN;
    pending_submit(job);
}

/* ---- report.resolve: look it up, check, then store ---- */

static void on_resolved(struct hdb_job *job)
{
    struct report_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    if (job->out.rc == HDB_E_NOT_FOUND) {
        pending_fail(&op->p, PROTO_E_REPORT_NOT_FOUND, NULL);
    } else if (job->out.rc != HDB_OK || job->out.n_reports != 1) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        const struct hdb_report *r = &job->out.reports[0];
        log_info("report %lld %s by %s", (long long)r->id, status_name(op->status),
                 op->p.u->handle);
        struct proto_result res = {.type = PROTO_REQ_REPORT_RESOLVE};
        session_reply(op->p.s, op->p.id, &res);
        /* The reporter learns it was handled; never by whom, never the note. */
        struct user *reporter = server_user_get(srv, r->reporter);
        struct proto_event ev = {.type = PROTO_EVT_REPORT_HANDLED};
        ev.u.handled.id = r->id;
        ev.u.handled.outcome = status_name(op->status);
        struct hbuf *b = reporter ? hbuf_take(proto_event_encode(&ev)) : NULL;
        if (b) {
            fanout_user(reporter, b);
            hbuf_unref(b);
        }
    }
    pending_end(&op->p, job);
}

static void on_report_found(struct hdb_job *found)
{
    struct report_op *op = found->ud;
    struct server *srv = op->p.s->srv;
    int rc = found->out.rc;
    bool open = rc == HDB_OK && found->out.reports[0].status == STATUS_OPEN;
    bool allowed = rc == HDB_OK && handles(srv, op->p.u, &found->out.reports[0]);
    hdb_job_free(found);
    if (rc != HDB_OK && rc != HDB_E_NOT_FOUND) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else if (rc == HDB_E_NOT_FOUND || !open || !allowed) {
        /* not yours to see is the same as not there */
        pending_fail(&op->p, PROTO_E_REPORT_NOT_FOUND, NULL);
    } else {
        struct hdb_job *job = pending_next(&op->p, HDB_OP_REPORT_RESOLVE, on_resolved);
        if (!job)
            return;
        job->in.seq = op->seq;
        job->in.status = op->status;
        job->in.reason = op->note;
        pending_submit(job);
        return;
    }
    pending_end(&op->p, NULL);
}

void reports_handle_resolve(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct report_op),
                                      HDB_OP_REPORT_LIST, on_report_found);
    if (!job)
        return;
    struct report_op *op = job->ud;
    op->p.cleanup = report_cleanup;
    op->seq = (uint64_t)req->u.resolve.id;
    op->status = !strcmp(req->u.resolve.outcome, "actioned") ? STATUS_ACTIONED : STATUS_DISMISSED;
    if (req->u.resolve.note && !(op->note = strdup(req->u.resolve.note))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.seq = op->seq;
    pending_submit(job);
}
