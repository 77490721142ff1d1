/*
 * Clean time and milestones (sobriety.h).
 *
 * Memory holds every member's current period (from the database at
 * startup, then kept up to date by sobriety.set) with how far along the
 * milestone ladder they have been told, so the hourly sweep needs no disk.
 * Past periods are only on disk: only their owner ever reads them.
 *
 * Days are the member's: "today" is their local day in their settings'
 * zone, and a milestone is reached on its day there. Dates are day numbers
 * (days.h); month milestones use ICU's calendar months (tzcal_add_months).
 *
 * Told, and owed: a milestone is told once per period (milestones_told).
 * Telling happens when the member's day reaches it: their buddies (when
 * shared) and their milestone room hear at once; the member hears at once
 * if connected, else at their next sign-in (`delivered` trails `told`
 * while they are away).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "buddies.h"
#include "days.h"
#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "rooms.h"
#include "server.h"
#include "session.h"
#include "settings.h"
#include "sobriety.h"
#include "tzcal.h"

#define SWEEP_MS (3600LL * 1000)   /* how often milestones are looked for */
#define EARLIEST_DATE "1900-01-01" /* older is a typo; it would also make a very long ladder */

/* ---- the milestone ladder ---- */

/* 1 day, 1 week, 30, 60 and 90 days, 6 and 9 months, 1 year, 18 months,
 * then every year: step i >= N_FIXED is (i - N_FIXED + 2) years. */
static const struct step {
    const char *key, *label;
    int days, months;      /* exactly one of them is set */
} FIXED[] = {
    {"1d", "1 day", 1, 0},       {"7d", "1 week", 7, 0},    {"30d", "30 days", 30, 0},
    {"60d", "60 days", 60, 0},   {"90d", "90 days", 90, 0}, {"6m", "6 months", 0, 6},
    {"9m", "9 months", 0, 9},    {"1y", "1 year", 0, 12},   {"18m", "18 months", 0, 18},
};
#define N_FIXED (sizeof FIXED / sizeof FIXED[0])

/* One milestone of one period: owns the strings the wire borrows. */
struct milestone {
    unsigned index;
    char key[12], label[20], date[11];
    int64_t day;
};

/* Milestone i of a period that began on day `from`. */
static bool milestone_at(int64_t from, unsigned i, struct milestone *m)
{
    m->index = i;
    if (i < N_FIXED) {
        snprintf(m->key, sizeof m->key, "%s", FIXED[i].key);
        snprintf(m->label, sizeof m->label, "%s", FIXED[i].label);
        m->day = from + FIXED[i].days;
        if (FIXED[i].months && !tzcal_add_months(from, FIXED[i].months, &m->day))
            return false;
    } else {
        unsigned years = i - (unsigned)N_FIXED + 2;
        snprintf(m->key, sizeof m->key, "%uy", years);
        snprintf(m->label, sizeof m->label, "%u years", years);
        if (!tzcal_add_months(from, (int32_t)years * 12, &m->day))
            return false;
    }
    return days_name(m->day, m->date);
}

static struct proto_milestone wire_of(const struct milestone *m)
{
    return (struct proto_milestone){.key = m->key, .label = m->label, .date = m->date};
}

/* The ladder step a told key names; false for a key this server does not
 * know (a later server's, say). */
static bool milestone_index(const char *key, unsigned *i)
{
    for (unsigned k = 0; k < N_FIXED; k++)
        if (!strcmp(key, FIXED[k].key)) {
            *i = k;
            return true;
        }
    unsigned years;
    char tail;
    if (sscanf(key, "%uy%c", &years, &tail) != 1 || years < 2)
        return false;
    *i = years - 2 + (unsigned)N_FIXED;
    return true;
}

/* How many milestones of a period from `from` are reached by `today`. */
static unsigned reached_by(int64_t from, int64_t today)
{
    unsigned n = 0;
    struct milestone m;
    while (milestone_at(from, n, &m) && m.day <= today)
        n++;
    return n;
}

/* ---- state ---- */

/* A member's current period. */
struct clean {
    struct user *u;
    char from[11];
    int64_t from_day;
    unsigned told;         /* milestones told (or passed quietly): the next is `next` */
    unsigned delivered;    /* of those, how many the member has heard of */
    struct milestone next;
};

struct sobriety {
    struct hmap *by_handle;   /* handle -> struct clean */
    struct htimer sweep;
};

static struct clean *clean_of(struct server *srv, const struct user *u)
{
    return hmap_get(srv->sobriety->by_handle, u->handle);
}

/* The member's local day now, as a name and a number. */
static bool local_today(const struct user *u, int64_t now, char name[11], int64_t *day)
{
    return settings_local_day(u, now, name) && days_from_name(name, day);
}

static void clean_drop(struct server *srv, const struct user *u)
{
    free(hmap_del(srv->sobriety->by_handle, u->handle));
}

/* Makes (or replaces) u's current period from day `from`, with the first
 * `told` milestones counted as told. */
static struct clean *clean_put(struct server *srv, struct user *u, const char *from,
                               unsigned told)
{
    struct clean *c = calloc(1, sizeof *c);
    if (!c || !days_from_name(from, &c->from_day) || !milestone_at(c->from_day, told, &c->next)) {
        free(c);
        return NULL;
    }
    c->u = u;
    snprintf(c->from, sizeof c->from, "%s", from);
    c->told = c->delivered = told;
    clean_drop(srv, u);
    if (hmap_put(srv->sobriety->by_handle, u->handle, c) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

/* ---- telling ---- */

/* What a MILESTONE_TOLD job reads, until it is done. */
struct told_row {
    char from[11], key[12];
};

static void on_told_stored(struct hdb_job *job)
{
    if (job->out.rc != HDB_OK)
        log_error("could not store a milestone as told");
    free(job->ud);
    hdb_job_free(job);
}

/* Writes milestone m of c's period as told (nobody waits for it). */
static void store_told(struct server *srv, const struct clean *c, const struct milestone *m)
{
    struct told_row *row = malloc(sizeof *row);
    struct hdb_job *job = row ? hdb_job_new(HDB_OP_MILESTONE_TOLD, on_told_stored, row) : NULL;
    if (!job) {
        log_error("out of memory storing a milestone as told");
        free(row);
        return;
    }
    snprintf(row->from, sizeof row->from, "%s", c->from);
    snprintf(row->key, sizeof row->key, "%s", m->key);
    job->in.user_id = c->u->id;
    job->in.day_from = row->from;
    job->in.text = row->key;
    job->in.now = clock_wall_ms(srv->clock);
    server_submit(srv, job);
}

static struct hbuf *encode_milestone(const struct clean *c, const struct milestone *m)
{
    struct proto_event ev = {.type = PROTO_EVT_MILESTONE};
    ev.u.milestone.handle = c->u->handle;
    ev.u.milestone.milestone = wire_of(m);
    ev.u.milestone.days = (uint32_t)(m->day - c->from_day);
    return hbuf_take(proto_event_encode(&ev));
}

/* Buddies hear of it when the member shares clean time with them (or with
 * everyone); only those connected now: it is news of the day, not kept. */
static void tell_buddies(const struct user *u, struct hbuf *b)
{
    enum proto_share share = settings_of(u)->sobriety_share;
    if (share == PROTO_SHARE_BUDDIES || share == PROTO_SHARE_EVERYONE)
        buddies_fanout(u, b);
}

/* The member chose a room to hear of their milestones: a plain message
 * there in their name, if they are still one of its members. */
static void tell_room(struct server *srv, struct user *u, const struct milestone *m,
                      const char *today)
{
    const struct member_settings *st = settings_of(u);
    struct room *r = st->milestone_room;
    /* A room hears of it only when the member shares their clean time. */
    if (!r || st->sobriety_share == PROTO_SHARE_PRIVATE || !room_has_member(r, u))
        return;
    char text[96];
    if (!strcmp(m->date, today))
        snprintf(text, sizeof text, "Reached %s clean today.", m->label);
    else   /* told late: the server was down on the day */
        snprintf(text, sizeof text, "Reached %s clean on %s.", m->label, m->date);
    rooms_post_as(srv, r, u, text);
}

/* Tells milestone m, the next of c's (index c->told), and counts it told. */
static void tell(struct server *srv, struct clean *c, const struct milestone *m, const char *today)
{
    /* The member hears it now only if connected and nothing older waits
     * for their sign-in (those come first, in order). */
    bool now = c->u->n_sessions > 0 && c->delivered == c->told;
    struct hbuf *b = encode_milestone(c, m);
    if (b) {
        if (now)
            fanout_user(c->u, b);
        tell_buddies(c->u, b);
        hbuf_unref(b);
    }
    tell_room(srv, c->u, m, today);
    store_told(srv, c, m);
    c->told++;
    if (now)
        c->delivered = c->told;
}

/* Tells every milestone c's member has reached by now and not been told. */
static void check(struct server *srv, struct clean *c, int64_t now)
{
    char today_name[11];
    int64_t today;
    if (!local_today(c->u, now, today_name, &today))
        return;
    while (c->next.day <= today) {
        struct milestone m = c->next;
        tell(srv, c, &m, today_name);
        if (!milestone_at(c->from_day, c->told, &c->next))
            c->next.day = INT64_MAX;   /* past the calendar's end: nothing more to tell */
    }
}

static void sweep(struct htimer *t, void *ud)
{
    struct server *srv = ud;
    int64_t now = clock_wall_ms(srv->clock);
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->sobriety->by_handle, &pos, &k, &v) == 0)
        check(srv, v, now);
    htimer_start(srv->clock, t, SWEEP_MS, sweep, srv);
}

void sobriety_session_started(struct session *s)
{
    struct server *srv = s->srv;
    struct clean *c = clean_of(srv, s->user);
    if (!c)
        return;
    for (unsigned i = c->delivered; i < c->told; i++) {   /* told while they were away */
        struct milestone m;
        struct hbuf *b = milestone_at(c->from_day, i, &m) ? encode_milestone(c, &m) : NULL;
        if (b) {
            session_send(s, b);
            hbuf_unref(b);
        }
    }
    c->delivered = c->told;
    check(srv, c, clock_wall_ms(srv->clock));
}

/* ---- startup ---- */

/* What the member missed: milestones told after the local day they were
 * last seen. Unknown (never seen offline, e.g. after a crash) counts as
 * nothing missed: better one milestone unheard than old ones repeated. */
static unsigned missed_from(const struct user *u, int64_t from, unsigned told)
{
    int64_t seen = u->last_seen_at, seen_day;
    char name[11];
    if (!seen || !local_today(u, seen, name, &seen_day))
        return told;
    unsigned i = told;
    struct milestone m;
    while (i > 0 && milestone_at(from, i - 1, &m) && m.day > seen_day)
        i--;
    return i;
}

static void on_load(int64_t user_id, const char *handle, const char *from_day,
                    const char *const *told, size_t n_told, void *ud)
{
    struct server *srv = ud;
    unsigned n = 0, i;
    for (size_t k = 0; k < n_told; k++)   /* told in order: the furthest one counts */
        if (milestone_index(told[k], &i) && i + 1 > n)
            n = i + 1;
    struct user *u = server_user_upsert(srv, user_id, handle, -1, -1);
    struct clean *c = u ? clean_put(srv, u, from_day, n) : NULL;
    if (!c) {
        log_error("could not load a clean-time period");
        return;
    }
    c->delivered = missed_from(u, c->from_day, n);
}

int sobriety_load(struct server *srv)
{
    srv->sobriety = calloc(1, sizeof *srv->sobriety);
    if (!srv->sobriety || !(srv->sobriety->by_handle = hmap_new()))
        return -1;
    htimer_init(&srv->sobriety->sweep);
    if (hdb_load_sobriety(srv->db, on_load, srv) != HDB_OK)
        return -1;
    htimer_start(srv->clock, &srv->sobriety->sweep, SWEEP_MS, sweep, srv);
    return 0;
}

void sobriety_forget_user(struct server *srv, struct user *u)
{
    if (srv->sobriety)
        free(hmap_del(srv->sobriety->by_handle, u->handle));
}

void sobriety_free(struct server *srv)
{
    struct sobriety *sb = srv->sobriety;
    if (!sb)
        return;
    /* No htimer_stop: the clock is freed first, dropping its timers. */
    if (sb->by_handle) {
        size_t pos = 0;
        const char *k;
        void *v;
        while (hmap_next(sb->by_handle, &pos, &k, &v) == 0)
            free(v);
        hmap_free(sb->by_handle);
    }
    free(sb);
    srv->sobriety = NULL;
}

/* ---- the sobriety object ---- */

/* A result and the storage it points into. */
struct view {
    struct proto_result res;
    struct milestone next, *reached;
    struct proto_milestone *wire;
    struct proto_sobriety_period *history;
};

static void view_free(struct view *v)
{
    free(v->reached);
    free(v->wire);
    free(v->history);
}

static bool view_milestones(struct view *v, int64_t from, int64_t today)
{
    unsigned n = reached_by(from, today);
    v->reached = calloc(n + 1, sizeof *v->reached);
    v->wire = calloc(n + 1, sizeof *v->wire);
    if (!v->reached || !v->wire)
        return false;
    for (unsigned i = 0; i < n; i++) {
        if (!milestone_at(from, i, &v->reached[i]))
            return false;
        v->wire[i] = wire_of(&v->reached[i]);
    }
    v->res.u.sobriety.reached = v->wire;
    v->res.u.sobriety.n_reached = n;
    if (milestone_at(from, n, &v->next)) {
        v->res.u.sobriety.has_next = true;
        v->res.u.sobriety.next = wire_of(&v->next);
    }
    return true;
}

/* Past periods (every one but a current first), newest first. */
static bool view_history(struct view *v, const struct hdb_period *p, size_t n)
{
    v->history = calloc(n + 1, sizeof *v->history);
    if (!v->history)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t from, to;
        if (!p[i].to[0] || !days_from_name(p[i].from, &from) || !days_from_name(p[i].to, &to))
            continue;
        v->history[k++] = (struct proto_sobriety_period){.from = p[i].from, .to = p[i].to,
                                                         .days = (uint32_t)(to - from)};
    }
    v->res.u.sobriety.history = v->history;
    v->res.u.sobriety.n_history = k;
    return true;
}

/* u's clean time as of `now` in their own days: from (NULL = not counting)
 * and, for the member themself, their past periods. */
static bool view_build(struct view *v, enum proto_req_type type, const struct user *u,
                       const char *from, int64_t now, const struct hdb_period *periods,
                       size_t n_periods)
{
    memset(v, 0, sizeof *v);
    v->res.type = type;
    v->res.u.sobriety.handle = u->handle;
    v->res.u.sobriety.date = from;
    char today_name[11];
    int64_t today, from_day;
    if (from && (!local_today(u, now, today_name, &today) || !days_from_name(from, &from_day) ||
                 !view_milestones(v, from_day, today)))
        return false;
    if (from)   /* a clock or zone change may put today before the date: day 0 then */
        v->res.u.sobriety.days = today > from_day ? (uint32_t)(today - from_day) : 0;
    return !periods || view_history(v, periods, n_periods);
}

static void reply_view(struct session *s, const char *id, enum proto_req_type type,
                       const struct user *u, const char *from, int64_t now,
                       const struct hdb_period *periods, size_t n_periods)
{
    struct view v;
    if (view_build(&v, type, u, from, now, periods, n_periods))
        session_reply(s, id, &v.res);
    else
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
    view_free(&v);
}

/* ---- sobriety.set and one's own sobriety.get ---- */

struct own_op {
    struct pending p;
    enum proto_req_type type;
    char from[11], to[11];     /* what the job reads */
};

/* Memory follows what was committed: a new current period starts with the
 * milestones it has already passed counted as told, quietly (a back-dated
 * date is not news), and the furthest of them is stored so. */
static void follow(struct server *srv, struct user *u, const struct hdb_period *cur, int64_t now)
{
    struct clean *c = clean_of(srv, u);
    if (!cur) {
        clean_drop(srv, u);
        return;
    }
    if (c && !strcmp(c->from, cur->from))
        return;
    char today_name[11];
    int64_t today, from;
    unsigned told = local_today(u, now, today_name, &today) && days_from_name(cur->from, &from)
                        ? reached_by(from, today) : 0;
    if (!(c = clean_put(srv, u, cur->from, told))) {
        log_error("out of memory following %s's clean time", u->handle);
        return;
    }
    struct milestone m;
    if (told && milestone_at(c->from_day, told - 1, &m))
        store_told(srv, c, &m);
}

static void on_own(struct hdb_job *job)
{
    struct own_op *op = job->ud;
    const struct hdb_period *p = job->out.periods;
    size_t n = job->out.n_periods;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        const struct hdb_period *cur = n && !p[0].to[0] ? &p[0] : NULL;
        follow(op->p.s->srv, op->p.u, cur, job->in.now);
        reply_view(op->p.s, op->p.id, op->type, op->p.u, cur ? cur->from : NULL, job->in.now,
                   p, n);
    }
    pending_end(&op->p, job);
}

static struct hdb_job *own_job(struct session *s, const struct proto_request *req, enum hdb_op op)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct own_op), op, on_own);
    if (job)
        ((struct own_op *)job->ud)->type = req->type;
    return job;
}

/* Checks a new date against the member's today; answers and returns false
 * when it cannot be. */
static bool date_ok(struct session *s, const struct proto_request *req, int64_t date,
                    int64_t today)
{
    int64_t earliest;
    if (!days_from_name(EARLIEST_DATE, &earliest) || date < earliest) {
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD,
                            "date: a day from " EARLIEST_DATE " on, please.", -1);
        return false;
    }
    if (date > today) {
        session_reply_error(s, req->id, PROTO_E_FUTURE_DATE, NULL, -1);
        return false;
    }
    return true;
}

void sobriety_handle_set(struct session *s, const struct proto_request *req)
{
    const char *date = req->u.sobriety.date;
    int64_t now = clock_wall_ms(s->srv->clock), today, day = 0;
    char today_name[11];
    if (!local_today(s->user, now, today_name, &today)) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    if (date && !days_from_name(date, &day)) {
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD, "date: not a real day.", -1);
        return;
    }
    if (date && !date_ok(s, req, day, today))
        return;
    /* The same date again, or stopping when not counting, changes nothing:
     * answer with things as they are. */
    const struct clean *c = clean_of(s->srv, s->user);
    bool same = date ? c && c->from_day == day : !c;
    struct hdb_job *job = own_job(s, req, same ? HDB_OP_SOBRIETY_GET : HDB_OP_SOBRIETY_SET);
    if (!job)
        return;
    struct own_op *op = job->ud;
    if (same) {
        pending_submit(job);
        return;
    }
    /* A new start ends the current period the day before it; stopping ends it today. */
    if (date) {
        snprintf(op->from, sizeof op->from, "%s", date);
        job->in.day_from = op->from;
    }
    if (!(date ? days_name(day - 1, op->to) : days_name(today, op->to))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    job->in.day_to = op->to;
    pending_submit(job);
}

/* ---- sobriety.get ---- */

/* Whether `viewer` may see `u`'s clean time: shared with everyone, or with
 * buddies and viewer is one, and u does not block viewer. */
static bool shared_with(struct server *srv, const struct user *u, const struct user *viewer)
{
    enum proto_share share = settings_of(u)->sobriety_share;
    bool shared = share == PROTO_SHARE_EVERYONE ||
                  (share == PROTO_SHARE_BUDDIES && buddies_paired(u, viewer));
    return shared && !blocks_hides(srv, u->id, viewer->id);
}

void sobriety_handle_get(struct session *s, const struct proto_request *req)
{
    const char *handle = req->u.of.handle;
    if (!handle || !strcmp(handle, s->user->handle)) {
        struct hdb_job *job = own_job(s, req, HDB_OP_SOBRIETY_GET);
        if (job)
            pending_submit(job);
        return;
    }
    struct user *u = server_user_get(s->srv, handle);
    if (!u || !shared_with(s->srv, u, s->user)) {   /* never say that it exists */
        session_reply_error(s, req->id, PROTO_E_USER_NOT_FOUND,
                            "There is no one by that handle sharing their clean time.", -1);
        return;
    }
    const struct clean *c = clean_of(s->srv, u);
    reply_view(s, req->id, req->type, u, c ? c->from : NULL, clock_wall_ms(s->srv->clock), NULL,
               0);
}
