/* Who is asked to help, when, and what each person is told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "buddies.h"
#include "fanout.h"
#include "log.h"
#include "rooms.h"
#include "safety.h"
#include "server.h"
#include "session.h"
#include "support_internal.h"

#define SECOND_MS 1000LL

static struct server *srv_of(const struct support_req *r) { return r->sup->srv; }

static int64_t now_of(const struct support_req *r) { return clock_wall_ms(srv_of(r)->clock); }

/* ---- the list ---- */

struct support_req *route_add(struct support *sup, const struct hdb_support *row)
{
    struct server *srv = sup->srv;
    struct support_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->sup = sup;
    r->id = row->id;
    r->requester = server_user_upsert(srv, row->requester_id, row->requester, -1, -1);
    r->urgency = row->urgency >= 0 && row->urgency < PROTO_URGENCY__COUNT
                     ? (enum proto_urgency)row->urgency : PROTO_URGENCY_TALK;
    r->state = row->state >= 0 && row->state < PROTO_SUPPORT__COUNT
                   ? (enum proto_support_state)row->state : PROTO_SUPPORT_ASKING_SUPPORTERS;
    r->created_at = row->created_at;
    r->accepted_at = row->accepted_at;
    if (row->helper_id && row->helper)
        r->helper = server_user_upsert(srv, row->helper_id, row->helper, -1, -1);
    if (row->room)
        r->conversation = rooms_get(srv, row->room);
    if (!r->requester || (row->note && !(r->note = strdup(row->note)))) {
        free(r);
        return NULL;
    }
    htimer_init(&r->to_supporters);
    htimer_init(&r->nobody);
    htimer_init(&r->grace);
    struct support_req **tail = &sup->head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    return r;
}

static void stop_timers(struct support_req *r)
{
    struct hclock *c = srv_of(r)->clock;
    htimer_stop(c, &r->to_supporters);
    htimer_stop(c, &r->nobody);
    htimer_stop(c, &r->grace);
}

void route_remove(struct support_req *r)
{
    stop_timers(r);
    for (struct support_req **pp = &r->sup->head; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            break;
        }
    }
    free(r->offered);
    free(r->note);
    free(r);
}

struct support_req *route_find(const struct support *sup, int64_t id)
{
    for (struct support_req *r = sup->head; r; r = r->next)
        if (r->id == id)
            return r;
    return NULL;
}

struct support_req *route_mine(const struct support *sup, const struct user *u)
{
    for (struct support_req *r = sup->head; r; r = r->next)
        if (r->requester == u)
            return r;
    return NULL;
}

/* ---- what people see ---- */

const char *route_offered_as(const struct support_req *r, const struct user *u)
{
    for (size_t i = 0; i < r->n_offered; i++)
        if (r->offered[i].u == u)
            return r->offered[i].as;
    return NULL;
}

bool route_was_offered(const struct support_req *r, const struct user *u)
{
    return route_offered_as(r, u) != NULL;
}

void route_fill(struct proto_support *out, const struct support_req *r, const struct user *viewer,
                int64_t now)
{
    bool in_it = viewer == r->requester || viewer == r->helper;
    bool answered = r->state == PROTO_SUPPORT_ACCEPTED || r->state == PROTO_SUPPORT_CLOSED;
    *out = (struct proto_support){
        .id = r->id, .requester = r->requester->handle, .urgency = r->urgency,
        .note = in_it || route_was_offered(r, viewer) ? r->note : NULL, .state = r->state,
        .created_at = r->created_at,
        .waited_ms = (r->accepted_at && answered ? r->accepted_at : now) - r->created_at,
        .helper = answered && r->helper ? r->helper->handle : NULL,
        .conversation = answered && in_it && r->conversation ? r->conversation->name : NULL};
}

static void send_event(struct user *to, const struct proto_event *ev)
{
    struct hbuf *b = hbuf_take(proto_event_encode(ev));
    if (b) {
        fanout_user(to, b);
        hbuf_unref(b);
    }
}

void route_tell(struct support_req *r, const char *by, const char *thanks, bool resources)
{
    resources = resources || r->urgency == PROTO_URGENCY_CRISIS;   /* a crisis: always at hand */
    struct user *to[2] = {r->requester, r->helper};
    for (int i = 0; i < 2; i++) {
        if (!to[i])
            continue;
        struct proto_event ev = {.type = PROTO_EVT_SUPPORT_UPDATE};
        route_fill(&ev.u.support_update.request, r, to[i], now_of(r));
        ev.u.support_update.by = by;
        ev.u.support_update.thanks = to[i] == r->helper ? thanks : NULL;
        if (resources && to[i] == r->requester)
            ev.u.support_update.resources =
                (const char **)safety_resources(srv_of(r), &ev.u.support_update.n_resources);
        send_event(to[i], &ev);
    }
}

static void on_stored(struct hdb_job *job)
{
    if (job->out.rc != HDB_OK)
        log_error("could not store the state of support request %lld", (long long)job->in.seq);
    hdb_job_free(job);
}

void route_store(struct support_req *r)
{
    struct hdb_job *job = hdb_job_new(HDB_OP_SUPPORT_SET, on_stored, NULL);
    if (!job) {
        log_error("out of memory storing support request %lld", (long long)r->id);
        return;
    }
    job->in.seq = (uint64_t)r->id;
    job->in.support_state = r->state;
    job->in.now = now_of(r);
    server_submit(srv_of(r), job);
}

/* ---- offers ---- */

static bool blocked_between(struct server *srv, const struct user *a, const struct user *b)
{
    return blocks_hides(srv, a->id, b->id) || blocks_hides(srv, b->id, a->id);
}

bool route_may_offer(const struct support_req *r, const struct user *u)
{
    return u != r->requester && u != r->handed_back_by &&
           !blocked_between(srv_of(r), r->requester, u);
}

/* Offers r to u (once), saying why u is asked. */
static void offer(struct support_req *r, struct user *u, const char *as)
{
    if (u->n_sessions == 0 || route_was_offered(r, u) || !route_may_offer(r, u))
        return;
    if (r->n_offered == r->cap_offered) {
        size_t cap = r->cap_offered ? r->cap_offered * 2 : 8;
        struct support_offered *v = realloc(r->offered, cap * sizeof *v);
        if (!v)
            return;
        r->offered = v;
        r->cap_offered = cap;
    }
    r->offered[r->n_offered++] = (struct support_offered){.u = u, .as = as};
    struct proto_event ev = {.type = PROTO_EVT_SUPPORT_OFFER};
    route_fill(&ev.u.offer.request, r, u, now_of(r));
    ev.u.offer.as = as;
    send_event(u, &ev);
}

static bool on_duty(const struct user *u) { return u->available && u->n_sessions > 0; }

/* Offers r to u if u should see it now: the requester's buddy at any time
 * it is open; someone on duty once it has gone past the buddies; a
 * moderator on duty at once when it is a crisis. */
static void offer_if_due(struct support_req *r, struct user *u)
{
    if (!support_open(r->state))
        return;
    if (buddies_paired(r->requester, u))
        offer(r, u, "buddy");
    else if (on_duty(u) && r->state != PROTO_SUPPORT_ASKING_BUDDIES)
        offer(r, u, "supporter");
    else if (on_duty(u) && r->urgency == PROTO_URGENCY_CRISIS && u->role >= PROTO_ROLE_MODERATOR)
        offer(r, u, "moderator");
}

/* Everyone online, each once. */
static void offer_to_everyone_due(struct support_req *r)
{
    struct server *srv = srv_of(r);
    unsigned gen = ++srv->visit_gen;
    for (size_t i = 0; i < srv->n_sessions; i++) {
        struct user *u = srv->sessions[i]->user;
        if (!u || u->visit_mark == gen)
            continue;
        u->visit_mark = gen;
        offer_if_due(r, u);
    }
}

static size_t buddies_online(const struct support_req *r)
{
    size_t n = 0;
    const struct user *req = r->requester;
    for (size_t i = 0; i < req->n_buddies; i++)
        n += req->buddies[i].state == BUDDY_PAIRED && req->buddies[i].other->n_sessions > 0 &&
             !blocked_between(srv_of(r), req, req->buddies[i].other);
    return n;
}

/* ---- the stages ---- */

static void to_supporters(struct support_req *r)
{
    if (r->state != PROTO_SUPPORT_ASKING_BUDDIES)
        return;
    r->state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    route_store(r);
    route_tell(r, NULL, NULL, false);
    offer_to_everyone_due(r);
}

static void on_buddy_window(struct htimer *t, void *ud)
{
    (void)t;
    to_supporters(ud);
}

static void on_nobody_window(struct htimer *t, void *ud)
{
    (void)t;
    struct support_req *r = ud;
    if (r->state != PROTO_SUPPORT_ASKING_BUDDIES && r->state != PROTO_SUPPORT_ASKING_SUPPORTERS)
        return;
    to_supporters(r);   /* a buddy window longer than this one ends here too */
    r->state = PROTO_SUPPORT_NOBODY_YET;
    route_store(r);
    log_info("support request %lld: nobody has answered yet", (long long)r->id);
    route_tell(r, NULL, NULL, true);   /* honestly, with the resources */
}

static void start_nobody_window(struct support_req *r, int64_t from)
{
    const struct config *cfg = &srv_of(r)->cfg;
    int64_t left = from + (int64_t)cfg->support_nobody_s * SECOND_MS - now_of(r);
    htimer_start(srv_of(r)->clock, &r->nobody, left > 0 ? left : 0, on_nobody_window, r);
}

void route_start(struct support_req *r)
{
    const struct config *cfg = &srv_of(r)->cfg;
    offer_to_everyone_due(r);   /* buddies, and moderators for a crisis */
    if (buddies_online(r) == 0)
        to_supporters(r);
    else
        htimer_start(srv_of(r)->clock, &r->to_supporters, (int64_t)cfg->support_buddy_s * SECOND_MS,
                     on_buddy_window, r);
    start_nobody_window(r, r->created_at);
}

void route_settle(struct support_req *r, const char *gone_reason)
{
    stop_timers(r);
    for (size_t i = 0; gone_reason && i < r->n_offered; i++) {
        if (r->offered[i].u == r->helper)
            continue;
        struct proto_event ev = {.type = PROTO_EVT_SUPPORT_GONE};
        ev.u.gone.id = r->id;
        ev.u.gone.reason = gone_reason;
        send_event(r->offered[i].u, &ev);
    }
}

void route_requeue(struct support_req *r, const char *by)
{
    stop_timers(r);
    r->handed_back_by = r->helper;
    r->helper = NULL;
    r->conversation = NULL;
    r->state = PROTO_SUPPORT_ASKING_SUPPORTERS;
    r->n_offered = 0;
    route_tell(r, by, NULL, false);
    offer_to_everyone_due(r);
    start_nobody_window(r, now_of(r));
}

/* ---- presence ---- */

static void on_grace_over(struct htimer *t, void *ud)
{
    (void)t;
    struct support_req *r = ud;
    if (r->state != PROTO_SUPPORT_ACCEPTED || !r->helper || r->helper->n_sessions > 0)
        return;
    log_info("support request %lld: the helper is gone; back to the queue", (long long)r->id);
    route_requeue(r, "helper_lost");
    route_store(r);
}

void support_presence_changed(struct server *srv, struct user *u)
{
    for (struct support_req *r = srv->support ? srv->support->head : NULL; r; r = r->next) {
        if (r->helper == u && r->state == PROTO_SUPPORT_ACCEPTED) {
            if (u->n_sessions > 0)
                htimer_stop(srv->clock, &r->grace);
            else
                htimer_start(srv->clock, &r->grace, (int64_t)srv->cfg.support_grace_s * SECOND_MS,
                             on_grace_over, r);
        } else if (u->n_sessions > 0) {
            offer_if_due(r, u);
        }
    }
}

void support_forget_user(struct server *srv, struct user *u)
{
    struct support_req *r = srv->support ? srv->support->head : NULL;
    while (r) {
        struct support_req *next = r->next;
        if (r->requester == u) {
            route_settle(r, support_open(r->state) ? "withdrawn" : NULL);
            if (r->helper) {   /* the helper hears it ended */
                r->state = PROTO_SUPPORT_CLOSED;
                route_tell(r, "requester", NULL, false);
            }
            route_remove(r);
        } else if (r->helper == u && r->state == PROTO_SUPPORT_ACCEPTED) {
            route_requeue(r, "helper_lost");
            route_store(r);
        }
        r = next;
    }
}

/* ---- startup ---- */

static void on_load(const struct hdb_support *row, void *ud)
{
    struct support *sup = ud;
    struct support_req *r = route_add(sup, row);
    if (!r) {
        log_error("out of memory loading support request %lld", (long long)row->id);
        return;
    }
    const struct config *cfg = &sup->srv->cfg;
    int64_t now = now_of(r);
    if (r->state == PROTO_SUPPORT_ACCEPTED) {
        /* Nobody is connected yet: the helper has the grace period to come back. */
        htimer_start(sup->srv->clock, &r->grace, (int64_t)cfg->support_grace_s * SECOND_MS,
                     on_grace_over, r);
        return;
    }
    int64_t buddy_left = r->created_at + (int64_t)cfg->support_buddy_s * SECOND_MS - now;
    if (r->state == PROTO_SUPPORT_ASKING_BUDDIES)
        htimer_start(sup->srv->clock, &r->to_supporters, buddy_left > 0 ? buddy_left : 0,
                     on_buddy_window, r);
    if (r->state != PROTO_SUPPORT_NOBODY_YET)
        start_nobody_window(r, r->created_at);
}

static void on_load_supporter(int64_t user_id, const char *handle, void *ud)
{
    struct support *sup = ud;
    struct user *u = server_user_upsert(sup->srv, user_id, handle, -1, -1);
    if (u)
        u->available = true;
}

int support_load(struct server *srv)
{
    srv->support = calloc(1, sizeof *srv->support);
    if (!srv->support)
        return -1;
    srv->support->srv = srv;
    return hdb_load_support(srv->db, on_load, on_load_supporter, srv->support) == HDB_OK ? 0 : -1;
}

void support_free(struct server *srv)
{
    if (!srv->support)
        return;
    while (srv->support->head)
        route_remove(srv->support->head);
    free(srv->support);
    srv->support = NULL;
}
