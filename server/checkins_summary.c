/* checkin.summary: the member's weeks or months (in their own days), with
 * how many days they checked in, their average mood and craving, the
 * meetings they attended, their streaks and this week's meeting goal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkins.h"
#include "days.h"
#include "pending.h"
#include "server.h"
#include "session.h"
#include "settings.h"
#include "tzcal.h"

#define ALL_DAYS 4000              /* eleven years of check-ins at most */
#define ATTENDANCE_WEEKS 60

struct period_sums {
    int64_t start, end;            /* day numbers, end exclusive */
    char start_name[11];
    uint32_t checkins, cravings, meetings;
    double mood_sum, craving_sum;
};

struct summary_op {
    struct pending p;
    bool months;
    uint32_t count;
    int64_t today;
    struct hdb_job *days;          /* every check-in, newest first */
    struct period_sums *periods;   /* newest first */
};

static void summary_cleanup(struct pending *p)
{
    struct summary_op *op = (struct summary_op *)p;
    hdb_job_free(op->days);
    free(op->periods);
}

/* The member's offset from UTC today, for attendance weeks (which start on
 * Monday at midnight at a fixed offset). */
static int32_t utc_offset_minutes(const struct user *u, int64_t today)
{
    struct tzcal *cal = tzcal_open(settings_of(u)->tz);
    int64_t midnight;
    int weekday;
    int32_t off = 0;
    if (cal && tzcal_local_instant(cal, today, 0, &midnight, &weekday))
        off = (int32_t)((today * 86400000LL - midnight) / 60000);
    tzcal_close(cal);
    return off;
}

/* Lays out the periods, newest first: weeks from Monday, or calendar months. */
static bool lay_out(struct summary_op *op)
{
    op->periods = calloc(op->count, sizeof *op->periods);
    if (!op->periods)
        return false;
    char today[11];
    if (!days_name(op->today, today))
        return false;
    int y = atoi(today), m = atoi(today + 5);
    int64_t week = op->today - days_weekday(op->today);
    for (uint32_t i = 0; i < op->count; i++) {
        struct period_sums *p = &op->periods[i];
        if (!op->months) {
            p->start = week - 7 * (int64_t)i;
            p->end = p->start + 7;
        } else {
            int back = m - 1 - (int)i, yy = y + (back < 0 ? (back - 11) / 12 : 0);
            int mm = ((back % 12) + 12) % 12 + 1;
            char first[11], next[11];
            snprintf(first, sizeof first, "%04d-%02d-01", yy, mm);
            snprintf(next, sizeof next, "%04d-%02d-01", mm == 12 ? yy + 1 : yy, mm % 12 + 1);
            if (!days_from_name(first, &p->start) || !days_from_name(next, &p->end))
                return false;
        }
        if (!days_name(p->start, p->start_name))
            return false;
    }
    return true;
}

static struct period_sums *period_of(struct summary_op *op, int64_t day)
{
    for (uint32_t i = 0; i < op->count; i++)
        if (day >= op->periods[i].start && day < op->periods[i].end)
            return &op->periods[i];
    return NULL;
}

/* The current streak (the run of days in a row that reaches today or
 * yesterday: today's check-in may still come) and the longest run, from
 * days newest first. */
static void streaks(const struct hdb_job *days, int64_t today, uint32_t *now, uint32_t *longest)
{
    uint32_t run = 0, newest_run = 0;
    int64_t prev = 0, newest = 0;
    bool in_newest = true;
    *longest = 0;
    for (size_t i = 0; i < days->out.n_checkins; i++) {
        int64_t d;
        if (!days_from_name(days->out.checkins[i].day, &d))
            continue;
        if (run && d == prev - 1) {
            run++;
        } else {
            in_newest = run == 0;   /* a gap ends the newest run */
            newest = run == 0 ? d : newest;
            run = 1;
        }
        if (in_newest)
            newest_run = run;
        if (run > *longest)
            *longest = run;
        prev = d;
    }
    *now = newest_run && newest >= today - 1 ? newest_run : 0;
}

static void on_weeks(struct hdb_job *job)
{
    struct summary_op *op = job->ud;
    const struct hdb_job *days = op->days;
    for (size_t i = 0; i < days->out.n_checkins; i++) {
        const struct hdb_checkin *c = &days->out.checkins[i];
        int64_t d;
        struct period_sums *p = days_from_name(c->day, &d) ? period_of(op, d) : NULL;
        if (!p)
            continue;
        p->checkins++;
        p->mood_sum += c->mood;
        if (c->craving >= 0) {
            p->cravings++;
            p->craving_sum += c->craving;
        }
    }
    uint32_t this_week = 0;
    int64_t monday = op->today - days_weekday(op->today);
    for (size_t i = 0; job->out.rc == HDB_OK && i < job->out.n_weeks; i++) {
        int64_t w;
        if (!days_from_name(job->out.weeks[i].week, &w))
            continue;
        struct period_sums *p = period_of(op, w);   /* a month counts the weeks starting in it */
        if (p)
            p->meetings += job->out.weeks[i].meetings;
        if (w == monday)
            this_week = job->out.weeks[i].meetings;
    }
    struct proto_checkin_period *out = calloc(op->count, sizeof *out);
    if (!out) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        for (uint32_t i = 0; i < op->count; i++) {
            const struct period_sums *p = &op->periods[i];
            out[i] = (struct proto_checkin_period){
                .start = p->start_name, .checkins = p->checkins, .meetings = p->meetings,
                .avg_mood = p->checkins ? p->mood_sum / p->checkins : 0,
                .avg_craving = p->cravings ? p->craving_sum / p->cravings : -1};
        }
        struct proto_result res = {.type = PROTO_REQ_CHECKIN_SUMMARY};
        res.u.summary.periods = out;
        res.u.summary.n = op->count;
        streaks(days, op->today, &res.u.summary.streak, &res.u.summary.longest);
        res.u.summary.goal = settings_of(op->p.u)->meeting_goal;
        res.u.summary.meetings_this_week = this_week;
        session_reply(op->p.s, op->p.id, &res);
        free(out);
    }
    pending_end(&op->p, job);
}

static void on_days(struct hdb_job *job)
{
    struct summary_op *op = job->ud;
    op->days = job;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, NULL);
        return;
    }
    struct hdb_job *weeks = pending_next(&op->p, HDB_OP_ATTENDANCE_WEEKS, on_weeks);
    if (!weeks)
        return;
    weeks->in.status = utc_offset_minutes(op->p.u, op->today);
    weeks->in.limit = ATTENDANCE_WEEKS;
    pending_submit(weeks);
}

void checkins_handle_summary(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct summary_op), HDB_OP_CHECKINS,
                                      on_days);
    if (!job)
        return;
    struct summary_op *op = job->ud;
    op->p.cleanup = summary_cleanup;
    op->months = req->u.summary.months;
    op->count = req->u.summary.count ? req->u.summary.count : 8;
    char today[11];
    if (!settings_local_day(s->user, job->in.now, today) || !days_from_name(today, &op->today) ||
        !lay_out(op)) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.limit = ALL_DAYS;
    pending_submit(job);
}
