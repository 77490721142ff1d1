/* Shared by support.c (the requests) and support_route.c (who is asked,
 * when, and what each person is told). */
#ifndef HEARTH_SUPPORT_INTERNAL_H
#define HEARTH_SUPPORT_INTERNAL_H

#include "clock.h"
#include "hdb.h"
#include "support.h"

/* Someone a request was offered to, and why ("buddy", "supporter",
 * "moderator": static strings), so support.status can show it again. */
struct support_offered {
    struct user *u;
    const char *as;
};

struct support_req {
    struct support *sup;
    int64_t id;
    struct user *requester;
    enum proto_urgency urgency;
    char *note;                    /* NULL when none */
    enum proto_support_state state;
    int64_t created_at, accepted_at;   /* wall ms; accepted_at 0 until answered */
    struct user *helper;           /* while accepted */
    struct room *conversation;     /* while accepted */
    struct user *handed_back_by;   /* not offered it again */
    bool accepting;                /* an answer is being stored */
    struct support_offered *offered;   /* who was offered it (may answer; told when it goes) */
    size_t n_offered, cap_offered;
    struct htimer to_supporters, nobody, grace;
    struct support_req *next;      /* oldest first */
};

struct support {
    struct server *srv;
    struct support_req *head;
};

static inline bool support_open(enum proto_support_state st)
{
    return st <= PROTO_SUPPORT_NOBODY_YET;
}

/* ---- support_route.c ---- */

/* A request read from the database (a new one, or at startup): in memory,
 * in order. NULL when out of memory. */
struct support_req *route_add(struct support *sup, const struct hdb_support *row);
void route_remove(struct support_req *r);
struct support_req *route_find(const struct support *sup, int64_t id);
/* The caller's own open or answered request. */
struct support_req *route_mine(const struct support *sup, const struct user *u);
/* A new request: buddies first (or straight to supporters when none is
 * online), moderators at once for a crisis, and the timers. */
void route_start(struct support_req *r);
/* Back to the queue (hand-back, lost helper): offered to everyone on duty
 * but `not_again`. `by` goes to the requester ("handed_back", "helper_lost"). */
void route_requeue(struct support_req *r, const char *by);
/* The request was answered, withdrawn or ended: its timers stop and the
 * people offered it who did not answer are told (reason "taken" or
 * "withdrawn"; NULL tells nobody). They stay on its list, so a late answer
 * hears "taken" rather than "not found". */
void route_settle(struct support_req *r, const char *gone_reason);
/* Whether r may ever be offered to u: not their own, not one they handed
 * back, no block between them and the requester. */
bool route_may_offer(const struct support_req *r, const struct user *u);
/* Whether u was offered r (and so may answer it). */
bool route_was_offered(const struct support_req *r, const struct user *u);
/* Why u was offered r ("buddy", ...), NULL when u was not offered it. */
const char *route_offered_as(const struct support_req *r, const struct user *u);
/* Tells the requester (and the helper, once there is one) where r stands. */
void route_tell(struct support_req *r, const char *by, const char *thanks, bool resources);
/* The wire form of r as `viewer` sees it (note only for those who may see it). */
void route_fill(struct proto_support *out, const struct support_req *r, const struct user *viewer,
                int64_t now);
/* Stores r's state (no request waits for it). */
void route_store(struct support_req *r);

#endif
