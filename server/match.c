/* match.join, .leave, .status, .accept, .decline: the pool, proposing
 * pairs, and what becomes of each proposal. */
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "buddies.h"
#include "fanout.h"
#include "log.h"
#include "server.h"
#include "session.h"

#define HOUR_MS (3600LL * 1000)
#define MAX_OFFSET_GAP 180   /* minutes: two members' time zones at most 3 hours apart */

/* A proposal's state, numbered as stored (hdb_proposal.state). */
enum { ST_OPEN = 0, ST_PAIRED = 1, ST_DECLINED = 2, ST_LAPSED = 3 };
static const char *const state_names[] = {"waiting", "paired", "declined", "lapsed"};

struct member {
    struct user *u;
    int64_t joined_at;            /* wall ms; strictly increasing along the pool */
    int32_t offset;               /* utc_offset_minutes */
    char language[PROTO_LANGUAGE_MAX + 1];
    enum proto_approach approach;
    int32_t clean_days;           /* -1 = not said */
    bool want_more;
};

struct proposal {
    struct matcher *m;
    int64_t id;                   /* the database's; 0 while its insert is in flight */
    struct user *who[2];          /* user_a, user_b as stored */
    bool accepted[2];
    int64_t expires_at;           /* wall ms */
    struct htimer lapse;
    bool dropped;                 /* ended before its insert came back, which frees it */
};

struct matcher {
    struct server *srv;
    struct member *pool;          /* oldest first */
    size_t n_pool, cap_pool;
    struct proposal **open;       /* every open proposal, in no order */
    size_t n_open, cap_open;
    struct hmap *declined;        /* "lo:hi" user ids: never propose that pair again */
};

static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *v = realloc(*arr, ncap * sz);
    if (!v)
        return -1;
    *arr = v;
    *cap = ncap;
    return 0;
}

/* ---- the pool, oldest first ---- */

static struct member *member_of(const struct matcher *m, const struct user *u)
{
    for (size_t i = 0; i < m->n_pool; i++)
        if (m->pool[i].u == u)
            return &m->pool[i];
    return NULL;
}

/* Appends u. Its joined_at comes after everyone's, even when the clock has
 * not moved since the last join, so the order survives a restart. */
static struct member *pool_add(struct matcher *m, struct user *u, int64_t now)
{
    if (grow((void **)&m->pool, &m->cap_pool, m->n_pool, sizeof *m->pool) != 0)
        return NULL;
    int64_t last = m->n_pool ? m->pool[m->n_pool - 1].joined_at : INT64_MIN;
    struct member *mem = &m->pool[m->n_pool++];
    *mem = (struct member){.u = u, .joined_at = now > last ? now : last + 1, .clean_days = -1};
    return mem;
}

static void pool_remove(struct matcher *m, const struct user *u)
{
    struct member *mem = member_of(m, u);
    if (!mem)
        return;
    size_t i = (size_t)(mem - m->pool);
    memmove(mem, mem + 1, (m->n_pool - i - 1) * sizeof *mem);
    m->n_pool--;
}

static void member_set(struct member *mem, const struct hdb_match_prefs *p)
{
    mem->offset = p->utc_offset_minutes;
    snprintf(mem->language, sizeof mem->language, "%s", p->language ? p->language : "");
    mem->approach = p->approach >= 0 && p->approach < PROTO_APPROACH__COUNT
                        ? (enum proto_approach)p->approach : PROTO_APPROACH_ANY;
    mem->clean_days = p->clean_days;
    mem->want_more = p->want_more_clean_time;
}

/* ---- open proposals ---- */

static int side_of(const struct proposal *p, const struct user *u)
{
    return p->who[0] == u ? 0 : p->who[1] == u ? 1 : -1;
}

static struct proposal *proposal_of(const struct matcher *m, const struct user *u)
{
    for (size_t i = 0; i < m->n_open; i++)
        if (side_of(m->open[i], u) >= 0)
            return m->open[i];
    return NULL;
}

static int list_add(struct matcher *m, struct proposal *p)
{
    if (grow((void **)&m->open, &m->cap_open, m->n_open, sizeof *m->open) != 0)
        return -1;
    m->open[m->n_open++] = p;
    return 0;
}

static void list_remove(struct matcher *m, const struct proposal *p)
{
    for (size_t i = 0; i < m->n_open; i++)
        if (m->open[i] == p) {
            m->open[i] = m->open[--m->n_open];
            return;
        }
}

static void pair_key(char *buf, size_t n, int64_t a, int64_t b)
{
    snprintf(buf, n, "%lld:%lld", (long long)(a < b ? a : b), (long long)(a < b ? b : a));
}

static bool declined(const struct matcher *m, int64_t a, int64_t b)
{
    char key[48];
    pair_key(key, sizeof key, a, b);
    return hmap_get(m->declined, key) != NULL;
}

static void remember_declined(struct matcher *m, int64_t a, int64_t b)
{
    char key[48];
    pair_key(key, sizeof key, a, b);
    if (hmap_put(m->declined, key, m) != 0)   /* any non-NULL value marks it */
        log_error("match: out of memory remembering a declined pair");
}

/* A deleted account's declined pairs go: its id may come back for someone
 * new. Keys are collected first (the map must not change while walked). */
static void forget_declined(struct matcher *m, int64_t id)
{
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%lld:", (long long)id);
    snprintf(hi, sizeof hi, ":%lld", (long long)id);
    size_t pos = 0, n = 0, cap = 0, hlen = strlen(hi);
    char (*keys)[48] = NULL;
    const char *k;
    void *v;
    while (hmap_next(m->declined, &pos, &k, &v) == 0) {
        size_t klen = strlen(k);
        if (strncmp(k, lo, strlen(lo)) != 0 && !(klen > hlen && !strcmp(k + klen - hlen, hi)))
            continue;
        if (grow((void **)&keys, &cap, n, sizeof *keys) != 0)
            break;
        snprintf(keys[n++], sizeof keys[0], "%s", k);
    }
    for (size_t i = 0; i < n; i++)
        hmap_del(m->declined, keys[i]);
    free(keys);
}

/* ---- who suits whom ---- */

static bool at_limit(const struct matcher *m, const struct user *u)
{
    return buddies_count(u) >= m->srv->cfg.max_buddies;
}

/* Already buddies, or a request pending either way (links are mirrored on
 * both people, so a's suffice). */
static bool linked(const struct user *a, const struct user *b)
{
    for (size_t i = 0; i < a->n_buddies; i++)
        if (a->buddies[i].other == b)
            return true;
    return false;
}

/* x's wish for more clean time, if any, is met by y. */
static bool clean_time_ok(const struct member *x, const struct member *y)
{
    return !x->want_more || (x->clean_days >= 0 && y->clean_days > x->clean_days);
}

static bool suits(const struct member *a, const struct member *b)
{
    return strcmp(a->language, b->language) == 0 && abs(a->offset - b->offset) <= MAX_OFFSET_GAP &&
           (a->approach == b->approach || a->approach == PROTO_APPROACH_ANY ||
            b->approach == PROTO_APPROACH_ANY) &&
           clean_time_ok(a, b) && clean_time_ok(b, a);
}

static bool may_pair(const struct matcher *m, const struct member *a, const struct member *b)
{
    struct server *srv = m->srv;
    return suits(a, b) && !blocks_hides(srv, a->u->id, b->u->id) &&
           !blocks_hides(srv, b->u->id, a->u->id) && !linked(a->u, b->u) &&
           !declined(m, a->u->id, b->u->id);
}

/* ---- writes: memory changes at once, replies and events after COMMIT ---- */

/* Whom to answer once a write is committed. */
struct answer {
    struct session *s;
    const char *id;
    enum proto_req_type type;
    enum proto_err err;           /* PROTO_OK: {}; else this error */
};

/* One write's context. */
struct mop {
    struct matcher *m;
    struct session *s;            /* referenced; NULL when no request waits */
    char id[PROTO_ID_MAX + 1];
    enum proto_req_type type;
    enum proto_err err;
    struct proposal *p;           /* a new proposal's insert */
    struct user *who[2];          /* a proposal update's two people */
    int state;                    /* ... and its state */
    char language[PROTO_LANGUAGE_MAX + 1];   /* a pool join's, which the job borrows */
};

static struct hdb_job *mop_job(struct matcher *m, const struct answer *a, enum hdb_op op,
                               hdb_done_fn done)
{
    struct mop *ctx = calloc(1, sizeof *ctx);
    struct hdb_job *job = ctx ? hdb_job_new(op, done, ctx) : NULL;
    if (!job) {
        free(ctx);
        log_error("match: out of memory");
        if (a && a->s)
            session_reply_error(a->s, a->id, PROTO_E_INTERNAL, NULL, -1);
        return NULL;
    }
    ctx->m = m;
    if (a && a->s) {
        ctx->s = a->s;
        session_ref(a->s);
        snprintf(ctx->id, sizeof ctx->id, "%s", a->id);
        ctx->type = a->type;
        ctx->err = a->err;
    }
    job->in.now = clock_wall_ms(m->srv->clock);
    return job;
}

static void mop_end(struct hdb_job *job)
{
    struct mop *ctx = job->ud;
    if (ctx->s)
        session_unref(ctx->s);
    free(ctx);
    hdb_job_free(job);
}

static bool stored(const struct hdb_job *job)
{
    if (job->out.rc == HDB_OK)
        return true;
    log_error("match: a write failed (%s)", hdb_rc_name(job->out.rc));
    return false;
}

static void mop_answer(struct mop *ctx, bool ok)
{
    if (!ctx->s)
        return;
    if (!ok || ctx->err) {
        session_reply_error(ctx->s, ctx->id, ok ? ctx->err : PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct proto_result res = {.type = ctx->type};
    session_reply(ctx->s, ctx->id, &res);
}

/* A write whose only follow-up is the answer. */
static void on_stored(struct hdb_job *job)
{
    mop_answer(job->ud, stored(job));
    mop_end(job);
}

/* Stores u's place in the pool with mem's preferences (NULL: u left). */
static void pool_store(struct matcher *m, struct user *u, const struct member *mem,
                       const struct answer *a)
{
    struct hdb_job *job = mop_job(m, a, HDB_OP_MATCH_POOL_SET, on_stored);
    if (!job)
        return;
    struct mop *ctx = job->ud;
    job->in.user_id = u->id;
    job->in.status = mem != NULL;
    if (mem) {
        snprintf(ctx->language, sizeof ctx->language, "%s", mem->language);
        job->in.now = mem->joined_at;
        job->in.match = (struct hdb_match_prefs){
            .utc_offset_minutes = mem->offset, .language = ctx->language,
            .approach = mem->approach, .clean_days = mem->clean_days,
            .want_more_clean_time = mem->want_more};
    }
    server_submit(m->srv, job);
}

static void leave_pool(struct matcher *m, struct user *u, const struct answer *a)
{
    pool_remove(m, u);
    pool_store(m, u, NULL, a);
}

/* ---- events ---- */

static void send_event(struct user *to, const struct proto_event *ev)
{
    struct hbuf *b = hbuf_take(proto_event_encode(ev));
    if (b) {
        fanout_user(to, b);
        hbuf_unref(b);
    }
}

static void tell_update(struct user *to, int64_t id, const char *state)
{
    struct proto_event ev = {.type = PROTO_EVT_MATCH_UPDATE};
    ev.u.match_update.id = id;
    ev.u.match_update.state = state;
    send_event(to, &ev);
}

/* The proposal as `reader` sees it: the other person. False when the other
 * is no longer in the pool (only after damage on disk). */
static bool fill_proposal(const struct matcher *m, const struct proposal *p,
                          const struct user *reader, struct proto_match_proposal *out)
{
    int side = side_of(p, reader);
    const struct member *me = member_of(m, reader);
    const struct member *them = side < 0 ? NULL : member_of(m, p->who[!side]);
    if (!them)
        return false;
    *out = (struct proto_match_proposal){
        .id = p->id, .handle = them->u->handle, .utc_offset_minutes = them->offset,
        .language = them->language, .approach = them->approach,
        .more_clean_time = me && me->clean_days >= 0 && them->clean_days > me->clean_days,
        .expires_at = p->expires_at};
    return true;
}

static void tell_proposal(const struct matcher *m, const struct proposal *p)
{
    for (int side = 0; side < 2; side++) {
        struct proto_event ev = {.type = PROTO_EVT_MATCH_PROPOSAL};
        if (fill_proposal(m, p, p->who[side], &ev.u.proposal))
            send_event(p->who[side], &ev);
    }
}

/* ---- a proposal's life ---- */

static void on_state_stored(struct hdb_job *job)
{
    struct mop *ctx = job->ud;
    bool ok = stored(job);
    int64_t id = (int64_t)job->in.seq;
    if (ok && ctx->state == ST_PAIRED && ctx->s) {
        tell_update(ctx->who[0], id, "paired");
        tell_update(ctx->who[1], id, "paired");
        struct user *other = ctx->who[0] == ctx->s->user ? ctx->who[1] : ctx->who[0];
        buddies_pair(ctx->s, ctx->id, PROTO_REQ_MATCH_ACCEPT, other);   /* answers */
        mop_end(job);
        return;
    }
    mop_answer(ctx, ok);
    if (ok && ctx->state == ST_OPEN && ctx->s) {
        tell_update(ctx->s->user, id, "waiting");   /* only the accepter waits */
    } else if (ok && ctx->state != ST_OPEN) {
        tell_update(ctx->who[0], id, state_names[ctx->state]);
        tell_update(ctx->who[1], id, state_names[ctx->state]);
    }
    mop_end(job);
}

/* Stores p's accept flags and `state`; on_state_stored tells whom it concerns. */
static void store_state(struct matcher *m, const struct proposal *p, int state,
                        const struct answer *a)
{
    struct hdb_job *job = mop_job(m, a, HDB_OP_MATCH_PROPOSAL, on_state_stored);
    if (!job)
        return;
    struct mop *ctx = job->ud;
    ctx->who[0] = p->who[0];
    ctx->who[1] = p->who[1];
    ctx->state = state;
    job->in.seq = (uint64_t)p->id;
    job->in.proposal.a_accepted = p->accepted[0];
    job->in.proposal.b_accepted = p->accepted[1];
    job->in.proposal.state = state;
    server_submit(m->srv, job);
}

/* Ends an open proposal with `state` (not ST_OPEN) and frees it. The
 * answer is only ever given for a proposal its two were told of. */
static void proposal_end(struct matcher *m, struct proposal *p, int state, const struct answer *a)
{
    list_remove(m, p);
    htimer_stop(m->srv->clock, &p->lapse);
    if (!p->id) {   /* nobody was told of it: its insert stores it as lapsed, quietly */
        p->dropped = true;
        return;
    }
    if (state == ST_DECLINED)
        remember_declined(m, p->who[0]->id, p->who[1]->id);
    store_state(m, p, state, a);
    free(p);
}

/* Unanswered in time: whoever had not accepted leaves the pool. */
static void lapse(struct matcher *m, struct proposal *p)
{
    for (int side = 0; side < 2; side++)
        if (!p->accepted[side])
            leave_pool(m, p->who[side], NULL);
    proposal_end(m, p, ST_LAPSED, NULL);
}

static void match_run(struct matcher *m);

static void on_lapse(struct htimer *t, void *ud)
{
    struct proposal *p = ud;
    struct matcher *m = p->m;
    lapse(m, p);
    match_run(m);
}

static void arm(struct proposal *p)
{
    struct hclock *c = p->m->srv->clock;
    htimer_start(c, &p->lapse, p->expires_at - clock_wall_ms(c), on_lapse, p);
}

static void on_proposed(struct hdb_job *job)
{
    struct mop *ctx = job->ud;
    struct proposal *p = ctx->p;
    if (!stored(job)) {
        /* Not retried here (a failing disk would spin): the next change
         * in the pool tries again. */
        if (!p->dropped)
            list_remove(ctx->m, p);
        free(p);
    } else if (p->dropped) {
        p->id = job->out.id;
        store_state(ctx->m, p, ST_LAPSED, NULL);
        free(p);
    } else {
        p->id = job->out.id;
        arm(p);
        tell_proposal(ctx->m, p);
    }
    mop_end(job);
}

/* Opens a proposal of a and b: both are busy from now on, but its id (and
 * so its events) comes with the COMMIT. */
static int propose(struct matcher *m, struct user *a, struct user *b)
{
    struct proposal *p = calloc(1, sizeof *p);
    if (!p || list_add(m, p) != 0) {
        free(p);
        return -1;
    }
    struct hdb_job *job = mop_job(m, NULL, HDB_OP_MATCH_PROPOSAL, on_proposed);
    if (!job) {
        list_remove(m, p);
        free(p);
        return -1;
    }
    *p = (struct proposal){.m = m, .who = {a, b},
                           .expires_at = job->in.now +
                                         (int64_t)m->srv->cfg.match_lapse_hours * HOUR_MS};
    htimer_init(&p->lapse);
    ((struct mop *)job->ud)->p = p;
    job->in.user_id = a->id;
    job->in.target_id = b->id;
    job->in.expires_at = p->expires_at;
    server_submit(m->srv, job);
    return 0;
}

/* Proposes every pair it can: the oldest member without an open proposal
 * gets the oldest suitable partner without one. Runs after every change. */
static void match_run(struct matcher *m)
{
    if (m->srv->shutting_down || m->n_pool < 2)
        return;
    bool *busy = calloc(m->n_pool, sizeof *busy);
    if (!busy) {
        log_error("match: out of memory matching");
        return;
    }
    for (size_t i = 0; i < m->n_pool; i++)
        busy[i] = proposal_of(m, m->pool[i].u) || at_limit(m, m->pool[i].u);
    for (size_t i = 0; i < m->n_pool; i++) {
        for (size_t j = 0; !busy[i] && j < m->n_pool; j++) {
            if (j == i || busy[j] || !may_pair(m, &m->pool[i], &m->pool[j]))
                continue;
            if (propose(m, m->pool[i].u, m->pool[j].u) != 0) {
                log_error("match: out of memory proposing");
                free(busy);
                return;
            }
            busy[i] = busy[j] = true;
        }
    }
    free(busy);
}

/* ---- requests ---- */

void match_handle_join(struct session *s, const struct proto_request *req)
{
    struct matcher *m = s->srv->matcher;
    struct user *u = s->user;
    if (at_limit(m, u)) {
        session_reply_error(s, req->id, PROTO_E_BUDDY_LIMIT, NULL, -1);
        return;
    }
    /* Joining again keeps the member's place and replaces the wishes. */
    struct member *mem = member_of(m, u);
    if (!mem && !(mem = pool_add(m, u, clock_wall_ms(s->srv->clock)))) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    const struct proto_match_prefs *p = &req->u.match;
    member_set(mem, &(struct hdb_match_prefs){
                        .utc_offset_minutes = p->utc_offset_minutes, .language = p->language,
                        .approach = p->approach, .clean_days = p->clean_days,
                        .want_more_clean_time = p->want_more_clean_time});
    pool_store(m, u, mem, &(struct answer){s, req->id, req->type, PROTO_OK});
    match_run(m);
}

void match_handle_leave(struct session *s, const struct proto_request *req)
{
    struct matcher *m = s->srv->matcher;
    if (!member_of(m, s->user)) {
        session_reply_error(s, req->id, PROTO_E_NOT_IN_POOL, NULL, -1);
        return;
    }
    leave_pool(m, s->user, &(struct answer){s, req->id, req->type, PROTO_OK});
    /* Leaving declines an open proposal; the other stays in the pool. */
    struct proposal *p = proposal_of(m, s->user);
    if (p)
        proposal_end(m, p, ST_DECLINED, NULL);
    match_run(m);
}

void match_handle_status(struct session *s, const struct proto_request *req)
{
    struct matcher *m = s->srv->matcher;
    struct proto_result res = {.type = PROTO_REQ_MATCH_STATUS};
    const struct member *mem = member_of(m, s->user);
    if (mem) {
        res.u.match.in_pool = true;
        res.u.match.prefs = (struct proto_match_prefs){
            .utc_offset_minutes = mem->offset, .language = mem->language,
            .approach = mem->approach, .clean_days = mem->clean_days,
            .want_more_clean_time = mem->want_more};
    }
    const struct proposal *p = proposal_of(m, s->user);
    res.u.match.has_proposal = p && p->id && fill_proposal(m, p, s->user, &res.u.match.proposal);
    session_reply(s, req->id, &res);
}

/* The caller's open proposal of that id, or NULL after answering. */
static struct proposal *proposal_for(struct session *s, const struct proto_request *req)
{
    struct proposal *p = proposal_of(s->srv->matcher, s->user);
    if (p && p->id && p->id == req->u.by_id.id)
        return p;
    session_reply_error(s, req->id, PROTO_E_REQUEST_NOT_FOUND, NULL, -1);
    return NULL;
}

void match_handle_accept(struct session *s, const struct proto_request *req)
{
    struct matcher *m = s->srv->matcher;
    struct proposal *p = proposal_for(s, req);
    if (!p)
        return;
    struct answer a = {s, req->id, req->type, PROTO_OK};
    int side = side_of(p, s->user);
    struct user *other = p->who[!side];
    p->accepted[side] = true;
    if (!p->accepted[!side]) {
        store_state(m, p, ST_OPEN, &a);
        return;
    }
    if (at_limit(m, s->user) || at_limit(m, other)) {   /* filled up meanwhile */
        a.err = PROTO_E_BUDDY_LIMIT;
        proposal_end(m, p, ST_DECLINED, &a);
        match_run(m);
        return;
    }
    leave_pool(m, s->user, NULL);
    leave_pool(m, other, NULL);
    proposal_end(m, p, ST_PAIRED, &a);   /* committed after both leaves */
}

void match_handle_decline(struct session *s, const struct proto_request *req)
{
    struct matcher *m = s->srv->matcher;
    struct proposal *p = proposal_for(s, req);
    if (!p)
        return;
    proposal_end(m, p, ST_DECLINED, &(struct answer){s, req->id, req->type, PROTO_OK});
    match_run(m);
}

void match_block_changed(struct server *srv, struct user *a, struct user *b)
{
    struct matcher *m = srv->matcher;
    if (!m || !a || !b)
        return;
    struct proposal *p = proposal_of(m, a);
    if (p && side_of(p, b) >= 0 &&
        (blocks_hides(srv, a->id, b->id) || blocks_hides(srv, b->id, a->id)))
        proposal_end(m, p, ST_DECLINED, NULL);
    match_run(m);
}

void match_links_changed(struct server *srv)
{
    if (srv->matcher)
        match_run(srv->matcher);
}

void match_forget_user(struct server *srv, struct user *u)
{
    struct matcher *m = srv->matcher;
    if (!m)
        return;
    struct proposal *p = proposal_of(m, u);
    if (p)   /* the other hears it was declined and stays in the pool */
        proposal_end(m, p, ST_DECLINED, NULL);
    pool_remove(m, u);
    forget_declined(m, u->id);
    match_run(m);
}

/* ---- startup and shutdown ---- */

static void on_pool_row(int64_t user_id, const char *handle, int64_t joined_at,
                        const struct hdb_match_prefs *prefs, void *ud)
{
    struct matcher *m = ud;
    struct user *u = server_user_upsert(m->srv, user_id, handle, -1, -1);
    struct member *mem = u ? pool_add(m, u, joined_at) : NULL;
    if (!mem) {
        log_error("match: out of memory loading the pool");
        return;
    }
    member_set(mem, prefs);
}

static void on_proposal_row(const struct hdb_proposal *row, void *ud)
{
    struct matcher *m = ud;
    struct user *a = server_user_upsert(m->srv, row->a_id, row->a_handle, -1, -1);
    struct user *b = server_user_upsert(m->srv, row->b_id, row->b_handle, -1, -1);
    struct proposal *p = NULL;
    if (a && b && row->state == ST_DECLINED) {
        remember_declined(m, a->id, b->id);
        return;
    }
    if (!a || !b || !(p = calloc(1, sizeof *p)) || list_add(m, p) != 0) {
        free(p);
        log_error("match: out of memory loading proposals");
        return;
    }
    *p = (struct proposal){.m = m, .id = row->id, .who = {a, b},
                           .accepted = {row->a_accepted, row->b_accepted},
                           .expires_at = row->expires_at};
    htimer_init(&p->lapse);
}

int match_load(struct server *srv)
{
    struct matcher *m = calloc(1, sizeof *m);
    if (!m || !(m->declined = hmap_new())) {
        free(m);
        return -1;
    }
    m->srv = srv;
    srv->matcher = m;
    if (hdb_load_match(srv->db, on_pool_row, on_proposal_row, m) != HDB_OK)
        return -1;
    /* What expired while the server was down lapses now; the rest wait on. */
    int64_t now = clock_wall_ms(srv->clock);
    for (size_t i = m->n_open; i-- > 0;) {
        struct proposal *p = m->open[i];
        if (p->expires_at <= now)
            lapse(m, p);   /* moves an already visited one into slot i */
        else
            arm(p);
    }
    match_run(m);
    return 0;
}

void match_free(struct server *srv)
{
    struct matcher *m = srv->matcher;
    if (!m)
        return;
    /* clock_free dropped the lapse timers, and hdb_close ran every
     * completion, so no insert still holds a proposal. */
    for (size_t i = 0; i < m->n_open; i++)
        free(m->open[i]);
    free(m->open);
    free(m->pool);
    hmap_free(m->declined);
    free(m);
    srv->matcher = NULL;
}
