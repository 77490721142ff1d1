/* checkin.submit: today's check-in in the member's own day, shared as they
 * chose, with the streak; at the warning threshold the member's plan and
 * card come back with it, and buddies are alerted if the member agreed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddies.h"
#include "checkins.h"
#include "checkins_internal.h"
#include "days.h"
#include "log.h"
#include "pending.h"
#include "rooms.h"
#include "safety.h"
#include "server.h"
#include "session.h"
#include "settings.h"

enum shared_to { SHARED_PRIVATE = 0, SHARED_BUDDIES = 1, SHARED_ROOM = 2 };

struct submit_op {
    struct pending p;
    struct hdb_checkin row;        /* what the job writes (strings owned here) */
    struct room *room;             /* shared to this room, else NULL */
    struct hdb_job *stored;        /* the written check-in, until the reply */
    struct hdb_job *card, *plan;   /* at the threshold: the member's own */
    size_t n_signs;
    uint32_t streak;
    bool warning;
};

static void submit_cleanup(struct pending *p)
{
    struct submit_op *op = (struct submit_op *)p;
    free(op->row.signs);
    free(op->row.grateful);
    free(op->row.win);
    free(op->row.note);
    hdb_job_free(op->stored);
    hdb_job_free(op->card);
    hdb_job_free(op->plan);
}

/* ---- what others are told ---- */

/* Buddies online now get it live (encoded once); the others when they
 * next sign in. */
static void share_with_buddies(struct user *u, struct hdb_job *stored)
{
    struct hbuf *b = checkin_shared_event(&stored->out.checkins[0]);
    buddies_fanout(u, b);
    hbuf_unref(b);
}

/* The plain words posted in the member's chosen room: no note, and the
 * warning signs only as a count. */
static void post_in_room(struct server *srv, struct room *r, struct user *u,
                         const struct hdb_checkin *c, size_t n_signs)
{
    char text[PROTO_MAX_TEXT_CHARS * 4 + 1];
    int len = snprintf(text, sizeof text, "Checked in: mood %d/5", c->mood);
    if (c->craving >= 0)
        len += snprintf(text + len, sizeof text - (size_t)len, ", craving %d/10", c->craving);
    if (n_signs)
        len += snprintf(text + len, sizeof text - (size_t)len, ", %zu warning sign%s", n_signs,
                        n_signs == 1 ? "" : "s");
    len += snprintf(text + len, sizeof text - (size_t)len, ".");
    if (c->grateful)
        len += snprintf(text + len, sizeof text - (size_t)len, " Grateful for: %s.", c->grateful);
    if (c->win && len < (int)sizeof text)
        snprintf(text + len, sizeof text - (size_t)len, " Win of the day: %s.", c->win);
    rooms_post_as(srv, r, u, text);
}

static void alert_buddies(struct user *u, const char *day, size_t n_signs)
{
    struct member_settings *st = settings_edit(u);
    if (!st || !strcmp(st->alerted_day, day))
        return;   /* once a day is enough */
    snprintf(st->alerted_day, sizeof st->alerted_day, "%s", day);
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_ALERT};
    ev.u.checkin_alert.handle = u->handle;
    ev.u.checkin_alert.day = day;
    ev.u.checkin_alert.signs = (uint32_t)n_signs;
    buddies_tell(u, &ev);
    log_info("%s's check-in reached their warning threshold; buddies alerted", u->handle);
}

/* ---- the reply ---- */

static void reply(struct submit_op *op)
{
    struct server *srv = op->p.s->srv;
    struct checkin_signs signs;
    struct proto_result res = {.type = PROTO_REQ_CHECKIN_SUBMIT};
    checkin_to_wire(&res.u.submitted.checkin, &op->stored->out.checkins[0], &signs, true);
    res.u.submitted.updated = op->stored->out.duplicate;
    res.u.submitted.streak = op->streak;
    res.u.submitted.warning = op->warning;
    struct proto_plan_line *lines = NULL;
    const char **reasons = NULL;
    struct proto_contact *contacts = NULL;
    if (op->warning) {
        const struct hdb_job *plan = op->plan, *card = op->card;
        lines = calloc(plan->out.n_plan_items + 1, sizeof *lines);
        reasons = calloc(plan->out.n_plan_items + 1, sizeof *reasons);
        contacts = calloc(card->out.n_contacts + 1, sizeof *contacts);
        if (!lines || !reasons || !contacts) {
            pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
            goto out;
        }
        res.u.submitted.has_plan = true;
        for (size_t i = 0; i < plan->out.n_plan_items; i++) {
            const struct hdb_plan_item *it = &plan->out.plan_items[i];
            if (it->kind == 0)
                lines[res.u.submitted.n_lines++] = (struct proto_plan_line){it->a, it->b};
            else
                reasons[res.u.submitted.n_reasons++] = it->a;
        }
        for (size_t i = 0; i < card->out.n_contacts; i++) {
            const struct hdb_contact *c = &card->out.contacts[i];
            contacts[i] = (struct proto_contact){c->name, c->phone, c->note};
        }
        res.u.submitted.lines = lines;
        res.u.submitted.reasons = reasons;
        res.u.submitted.contacts = contacts;
        res.u.submitted.n_contacts = card->out.n_contacts;
        res.u.submitted.resources =
            (const char **)safety_resources(srv, &res.u.submitted.n_resources);
    }
    session_reply(op->p.s, op->p.id, &res);
out:
    free(lines);
    free(reasons);
    free(contacts);
}

static void on_plan(struct hdb_job *job)
{
    struct submit_op *op = job->ud;
    op->plan = job;
    if (job->out.rc != HDB_OK)
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    else
        reply(op);
    pending_end(&op->p, NULL);
}

static void on_card(struct hdb_job *job)
{
    struct submit_op *op = job->ud;
    op->card = job;
    struct hdb_job *next = job->out.rc == HDB_OK ? pending_next(&op->p, HDB_OP_PLAN_GET, on_plan)
                                                 : NULL;
    if (next)
        pending_submit(next);
    else if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, NULL);
    }
}

/* Days in a row up to today, from the member's check-ins newest first. */
static uint32_t streak_of(const struct hdb_job *days, const char *today)
{
    int64_t want;
    if (!days_from_name(today, &want))
        return 0;
    uint32_t n = 0;
    for (size_t i = 0; i < days->out.n_checkins; i++) {
        int64_t d;
        if (!days_from_name(days->out.checkins[i].day, &d) || d != want - (int64_t)n)
            break;
        n++;
    }
    return n;
}

static void on_days(struct hdb_job *job)
{
    struct submit_op *op = job->ud;
    op->streak = job->out.rc == HDB_OK ? streak_of(job, op->row.day) : 0;
    hdb_job_free(job);
    if (!op->warning) {
        reply(op);
        pending_end(&op->p, NULL);
        return;
    }
    struct hdb_job *next = pending_next(&op->p, HDB_OP_CARD_GET, on_card);
    if (next)
        pending_submit(next);
}

static void on_stored(struct hdb_job *job)
{
    struct submit_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    struct user *u = op->p.u;
    if (job->out.rc != HDB_OK || job->out.n_checkins == 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    op->stored = job;
    op->warning = op->n_signs >= settings_of(u)->warning_threshold;
    struct member_settings *st = settings_edit(u);
    if (st)   /* not quiet any more (isolation nudges) */
        st->last_checkin_at = job->in.now;
    if (op->row.shared == SHARED_BUDDIES)
        share_with_buddies(u, job);
    if (op->row.shared == SHARED_ROOM && op->room && !job->out.duplicate &&
        room_has_member(op->room, u))
        post_in_room(srv, op->room, u, &op->row, op->n_signs);
    if (op->warning && settings_of(u)->alert_buddies)
        alert_buddies(u, op->row.day, op->n_signs);
    struct hdb_job *days = pending_next(&op->p, HDB_OP_CHECKINS, on_days);
    if (!days)
        return;
    days->in.day_to = op->row.day;
    days->in.limit = 400;
    pending_submit(days);
}

/* ---- checkin.submit ---- */

static char *dup_said(const char *text)
{
    return text && *text ? strdup(text) : NULL;
}

/* The signs as one comma-separated string; NULL after answering
 * unknown_sign, or out of memory. */
static char *sign_list(struct session *s, const struct proto_request *req)
{
    const struct proto_checkin *c = &req->u.checkin;
    size_t len = 1;
    for (size_t i = 0; i < c->n_signs; i++) {
        if (!checkin_sign_known(s->srv, c->signs[i])) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "'%s' is not a warning sign this server knows; checkin.signs lists them.",
                     c->signs[i]);
            session_reply_error(s, req->id, PROTO_E_UNKNOWN_SIGN, msg, -1);
            return NULL;
        }
        len += strlen(c->signs[i]) + 1;
    }
    char *out = calloc(1, len);
    for (size_t i = 0; out && i < c->n_signs; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, c->signs[i]);
    }
    if (!out)
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
    return out;
}

void checkins_handle_submit(struct session *s, const struct proto_request *req)
{
    char *signs = sign_list(s, req);
    if (!signs)
        return;
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct submit_op),
                                      HDB_OP_CHECKIN_PUT, on_stored);
    if (!job) {
        free(signs);
        return;
    }
    struct submit_op *op = job->ud;
    op->p.cleanup = submit_cleanup;
    const struct proto_checkin *c = &req->u.checkin;
    const struct member_settings *st = settings_of(s->user);
    op->row = (struct hdb_checkin){.user_id = s->user->id, .ts = job->in.now,
                                   .mood = (int)c->mood, .craving = c->craving, .signs = signs,
                                   .grateful = dup_said(c->grateful), .win = dup_said(c->win),
                                   .note = dup_said(c->note)};
    op->n_signs = c->n_signs;
    op->room = st->checkin_share == PROTO_SHARE_ROOM ? st->checkin_room : NULL;
    op->row.shared = op->room ? SHARED_ROOM
                     : st->checkin_share == PROTO_SHARE_BUDDIES ? SHARED_BUDDIES : SHARED_PRIVATE;
    if (!settings_local_day(s->user, job->in.now, op->row.day) ||
        (c->grateful && *c->grateful && !op->row.grateful) || (c->win && *c->win && !op->row.win) ||
        (c->note && *c->note && !op->row.note)) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.checkin = &op->row;
    pending_submit(job);
}
