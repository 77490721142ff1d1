/* card.get, card.set, plan.get, plan.set: the member's own crisis card and
 * trigger action plan. Every job is keyed by the asking session's user and
 * no request names anyone else, so nobody can read another's. Nothing of
 * them is kept in memory or logged: they go to disk and back. */
#include <stdlib.h>
#include <string.h>

#include "pending.h"
#include "plan.h"
#include "safety.h"
#include "server.h"
#include "session.h"

/* A set request: the copies the job reads (the request is freed when the
 * handler returns), which are also what the reply shows once stored. */
struct plan_op {
    struct pending p;
    struct hdb_contact *contacts;
    size_t n_contacts;
    struct hdb_plan_item *items;
    size_t n_items;
};

static void op_cleanup(struct pending *p)
{
    struct plan_op *op = (struct plan_op *)p;
    for (size_t i = 0; i < op->n_contacts; i++) {
        free(op->contacts[i].name);
        free(op->contacts[i].phone);
        free(op->contacts[i].note);
    }
    free(op->contacts);
    for (size_t i = 0; i < op->n_items; i++) {
        free(op->items[i].a);
        free(op->items[i].b);
    }
    free(op->items);
}

/* strdup that keeps NULL as NULL; false when out of memory. */
static bool copy_str(char **out, const char *s)
{
    *out = s ? strdup(s) : NULL;
    return !s || *out;
}

/* ---- the card ---- */

static void reply_card(struct pending *p, enum proto_req_type type,
                       const struct hdb_contact *contacts, size_t n)
{
    struct proto_contact *wire = n ? calloc(n, sizeof *wire) : NULL;
    if (n && !wire) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++)
        wire[i] = (struct proto_contact){.name = contacts[i].name, .phone = contacts[i].phone,
                                         .note = contacts[i].note};
    struct proto_result res = {.type = type};
    res.u.card.contacts = wire;
    res.u.card.n = n;
    res.u.card.resources = (const char **)safety_resources(p->s->srv, &res.u.card.n_resources);
    session_reply(p->s, p->id, &res);
    free(wire);
}

static void on_card(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc != HDB_OK)
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    else
        reply_card(p, PROTO_REQ_CARD_GET, job->out.contacts, job->out.n_contacts);
    pending_end(p, job);
}

void plan_handle_card_get(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job =
        pending_job(s, req->id, NULL, sizeof(struct pending), HDB_OP_CARD_GET, on_card);
    if (job)
        pending_submit(job);
}

/* Stored as given: the copies are the card now. */
static void on_card_stored(struct hdb_job *job)
{
    struct plan_op *op = job->ud;
    if (job->out.rc != HDB_OK)
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    else
        reply_card(&op->p, PROTO_REQ_CARD_SET, op->contacts, op->n_contacts);
    pending_end(&op->p, job);
}

void plan_handle_card_set(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job =
        pending_job(s, req->id, NULL, sizeof(struct plan_op), HDB_OP_CARD_PUT, on_card_stored);
    if (!job)
        return;
    struct plan_op *op = job->ud;
    op->p.cleanup = op_cleanup;
    size_t n = req->u.card.n;
    if (n && !(op->contacts = calloc(n, sizeof *op->contacts)))
        goto oom;
    for (; op->n_contacts < n; op->n_contacts++) {
        const struct proto_contact *c = &req->u.card.contacts[op->n_contacts];
        struct hdb_contact *d = &op->contacts[op->n_contacts];
        if (!copy_str(&d->name, c->name) || !copy_str(&d->phone, c->phone) ||
            !copy_str(&d->note, c->note)) {
            op->n_contacts++;   /* so the clean-up frees what was copied */
            goto oom;
        }
    }
    job->in.contacts = op->contacts;
    job->in.n_contacts = op->n_contacts;
    pending_submit(job);
    return;
oom:
    pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    pending_end(&op->p, job);
}

/* ---- the plan ---- */

/* items: lines (kind 0) and reasons (kind 1), each kind in its order. */
static void reply_plan(struct pending *p, enum proto_req_type type,
                       const struct hdb_plan_item *items, size_t n)
{
    struct proto_plan_line *lines = n ? calloc(n, sizeof *lines) : NULL;
    const char **reasons = n ? calloc(n, sizeof *reasons) : NULL;
    if (n && (!lines || !reasons)) {
        free(lines);
        free(reasons);
        pending_fail(p, PROTO_E_INTERNAL, NULL);
        return;
    }
    struct proto_result res = {.type = type};
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind == 0)
            lines[res.u.plan.n++] = (struct proto_plan_line){.when = items[i].a,
                                                             .then = items[i].b};
        else
            reasons[res.u.plan.n_reasons++] = items[i].a;
    }
    res.u.plan.lines = lines;
    res.u.plan.reasons = reasons;
    session_reply(p->s, p->id, &res);
    free(lines);
    free(reasons);
}

static void on_plan(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc != HDB_OK)
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    else
        reply_plan(p, PROTO_REQ_PLAN_GET, job->out.plan_items, job->out.n_plan_items);
    pending_end(p, job);
}

void plan_handle_plan_get(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job =
        pending_job(s, req->id, NULL, sizeof(struct pending), HDB_OP_PLAN_GET, on_plan);
    if (job)
        pending_submit(job);
}

static void on_plan_stored(struct hdb_job *job)
{
    struct plan_op *op = job->ud;
    if (job->out.rc != HDB_OK)
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    else
        reply_plan(&op->p, PROTO_REQ_PLAN_SET, op->items, op->n_items);
    pending_end(&op->p, job);
}

void plan_handle_plan_set(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job =
        pending_job(s, req->id, NULL, sizeof(struct plan_op), HDB_OP_PLAN_PUT, on_plan_stored);
    if (!job)
        return;
    struct plan_op *op = job->ud;
    op->p.cleanup = op_cleanup;
    size_t n_lines = req->u.plan.n, n = n_lines + req->u.plan.n_reasons;
    if (n && !(op->items = calloc(n, sizeof *op->items)))
        goto oom;
    for (; op->n_items < n; op->n_items++) {
        struct hdb_plan_item *it = &op->items[op->n_items];
        bool ok;
        if (op->n_items < n_lines) {
            const struct proto_plan_line *l = &req->u.plan.lines[op->n_items];
            it->kind = 0;
            ok = copy_str(&it->a, l->when) && copy_str(&it->b, l->then);
        } else {
            it->kind = 1;
            ok = copy_str(&it->a, req->u.plan.reasons[op->n_items - n_lines]);
        }
        if (!ok) {
            op->n_items++;
            goto oom;
        }
    }
    job->in.plan_items = op->items;
    job->in.n_plan_items = op->n_items;
    pending_submit(job);
    return;
oom:
    pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    pending_end(&op->p, job);
}
