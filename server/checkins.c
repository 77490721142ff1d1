/* checkin.* requests, sharing check-ins with buddies or a room, and the
 * warning-sign threshold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddies.h"
#include "checkins.h"
#include "checkins_internal.h"
#include "days.h"
#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "rooms.h"
#include "safety.h"
#include "server.h"
#include "session.h"
#include "settings.h"

#define DAY_MS (24LL * 3600 * 1000)
#define FEED_DAYS 7

/* ---- the warning signs ---- */

static const struct proto_sign builtin_signs[] = {
    {"isolating", "Isolating"},
    {"skipping_support", "Skipping meetings or support"},
    {"neglecting_self_care", "Neglecting sleep, food or self-care"},
    {"romanticising_use", "Glorifying or romanticising past use"},
    {"mood_swings", "Intense mood swings"},
    {"high_stress", "High stress"},
    {"dishonesty", "Dishonesty"},
    {"old_places_people", "Contact with old using places or people"},
    {"stopping_treatment", "Stopping medication or treatment"},
    {"boredom", "Boredom with no plan"},
};
#define N_BUILTIN (sizeof builtin_signs / sizeof builtin_signs[0])

struct sign_table {
    struct proto_sign signs[N_BUILTIN + CONFIG_MAX_SIGNS];
    char *owned[CONFIG_MAX_SIGNS];   /* the operator's "name=Label" copies, split */
    size_t n;
};
static struct sign_table *table_of(const struct server *srv) { return srv->signs; }

int checkins_init(struct server *srv)
{
    struct sign_table *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    srv->signs = t;
    memcpy(t->signs, builtin_signs, sizeof builtin_signs);
    t->n = N_BUILTIN;
    checkins_nudge_start(srv);
    for (int i = 0; i < srv->cfg.n_warning_signs; i++) {
        char *copy = strdup(srv->cfg.warning_signs[i]), *eq = copy ? strchr(copy, '=') : NULL;
        if (!eq || eq == copy || !eq[1]) {
            log_error("--warning-sign '%s' is not NAME=LABEL", srv->cfg.warning_signs[i]);
            free(copy);
            return -1;
        }
        *eq = '\0';
        t->owned[i] = copy;
        t->signs[t->n++] = (struct proto_sign){.name = copy, .label = eq + 1};
    }
    return 0;
}

void checkins_free(struct server *srv)
{
    struct sign_table *t = table_of(srv);
    if (!t)
        return;
    for (size_t i = 0; i < CONFIG_MAX_SIGNS; i++)
        free(t->owned[i]);
    free(t);
    srv->signs = NULL;
}

bool checkin_sign_known(const struct server *srv, const char *name)
{
    const struct sign_table *t = table_of(srv);
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->signs[i].name, name))
            return true;
    return false;
}

void checkins_handle_signs(struct session *s, const struct proto_request *req)
{
    struct sign_table *t = table_of(s->srv);
    struct proto_result res = {.type = PROTO_REQ_CHECKIN_SIGNS};
    res.u.signs.signs = t->signs;
    res.u.signs.n = t->n;
    session_reply(s, req->id, &res);
}

/* ---- rows and the wire ---- */

void checkin_to_wire(struct proto_checkin *out, const struct hdb_checkin *row,
                     struct checkin_signs *buf, bool with_note)
{
    size_t n = 0;
    for (const char *p = row->signs; p && *p && n < PROTO_SIGNS_MAX;) {
        size_t len = strcspn(p, ",");
        snprintf(buf->names[n], sizeof buf->names[n], "%.*s", (int)len, p);
        buf->list[n] = buf->names[n];
        n++;
        p += len + (p[len] == ',');
    }
    *out = (struct proto_checkin){.handle = row->handle, .day = row->day, .ts = row->ts,
                                  .mood = (uint32_t)row->mood, .craving = row->craving,
                                  .signs = buf->list, .n_signs = n, .grateful = row->grateful,
                                  .win = row->win, .note = with_note ? row->note : NULL};
}

struct hbuf *checkin_shared_event(const struct hdb_checkin *row)
{
    struct checkin_signs signs;
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_SHARED};
    checkin_to_wire(&ev.u.shared, row, &signs, false);   /* never the note */
    return hbuf_take(proto_event_encode(&ev));
}

/* Every row of a feed job to one session, oldest first. */
static void send_shared(struct hdb_job *job, struct session *s)
{
    for (size_t i = job->out.n_checkins; i-- > 0;) {
        struct hbuf *b = checkin_shared_event(&job->out.checkins[i]);
        if (b) {
            session_send(s, b);
            hbuf_unref(b);
        }
    }
}

static void reply_checkins(struct pending *p, enum proto_req_type type, struct hdb_job *job,
                           bool with_notes)
{
    size_t n = job->out.n_checkins;
    struct proto_checkin *list = calloc(n ? n : 1, sizeof *list);
    struct checkin_signs *signs = calloc(n ? n : 1, sizeof *signs);
    if (!list || !signs) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++)
            checkin_to_wire(&list[i], &job->out.checkins[i], &signs[i], with_notes);
        struct proto_result res = {.type = type};
        res.u.checkins.checkins = list;
        res.u.checkins.n = n;
        session_reply(p->s, p->id, &res);
    }
    free(list);
    free(signs);
}

/* ---- checkin.list and checkin.feed ---- */

static void on_listed(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc != HDB_OK)
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    else
        reply_checkins(p, job->op == HDB_OP_CHECKIN_FEED ? PROTO_REQ_CHECKIN_FEED
                                                         : PROTO_REQ_CHECKIN_LIST,
                       job, job->op == HDB_OP_CHECKINS);
    pending_end(p, job);
}

struct range_op {
    struct pending p;
    char from[11], to[11];
};

void checkins_handle_list(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct range_op), HDB_OP_CHECKINS,
                                      on_listed);
    if (!job)
        return;
    struct range_op *op = job->ud;
    if (req->u.range.from) {
        snprintf(op->from, sizeof op->from, "%s", req->u.range.from);
        job->in.day_from = op->from;
    }
    if (req->u.range.to) {
        snprintf(op->to, sizeof op->to, "%s", req->u.range.to);
        job->in.day_to = op->to;
    }
    job->in.limit = req->u.range.limit ? req->u.range.limit : 30;
    pending_submit(job);
}

void checkins_handle_feed(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending),
                                      HDB_OP_CHECKIN_FEED, on_listed);
    if (!job)
        return;
    job->in.after = (uint64_t)(job->in.now - FEED_DAYS * DAY_MS);
    pending_submit(job);
}

static void on_waiting(struct hdb_job *job)
{
    struct pending *p = job->ud;
    if (job->out.rc == HDB_OK && session_alive(p->s))
        send_shared(job, p->s);
    pending_end(p, job);
}

void checkins_deliver_waiting(struct session *s, int64_t since)
{
    checkins_welcome_back(s, since);
    /* No request to answer: the id is empty and nothing replies with it. */
    struct hdb_job *job = pending_job(s, "", NULL, sizeof(struct pending), HDB_OP_CHECKIN_FEED,
                                      on_waiting);
    if (!job)
        return;
    int64_t oldest = job->in.now - FEED_DAYS * DAY_MS;
    job->in.after = (uint64_t)(since > oldest ? since : oldest);
    pending_submit(job);
}

/* ---- checkin.journal ---- */

static void on_journal(struct hdb_job *job)
{
    struct range_op *op = job->ud;
    size_t n = 0, limit = job->in.status;
    struct proto_journal_entry *e =
        job->out.rc == HDB_OK ? calloc(job->out.n_checkins + 1, sizeof *e) : NULL;
    if (!e) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < job->out.n_checkins && n < limit; i++) {
            const struct hdb_checkin *c = &job->out.checkins[i];
            if ((c->grateful || c->win) && (!op->to[0] || strcmp(c->day, op->to) < 0))
                e[n++] = (struct proto_journal_entry){c->day, c->grateful, c->win};
        }
        struct proto_result res = {.type = PROTO_REQ_CHECKIN_JOURNAL};
        res.u.journal.entries = e;
        res.u.journal.n = n;
        session_reply(op->p.s, op->p.id, &res);
    }
    free(e);
    pending_end(&op->p, job);
}

void checkins_handle_journal(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct range_op), HDB_OP_CHECKINS,
                                      on_journal);
    if (!job)
        return;
    struct range_op *op = job->ud;
    if (req->u.range.before) {   /* "before" is exclusive: the list's bound is not */
        snprintf(op->to, sizeof op->to, "%s", req->u.range.before);
        job->in.day_to = op->to;
    }
    job->in.status = (int)(req->u.range.limit ? req->u.range.limit : 30);
    job->in.limit = 400;   /* a year and more of days, some without journal words */
    pending_submit(job);
}
