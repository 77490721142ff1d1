/*
 * Rate limiting and login throttling, on times given by the caller (the
 * server's clock), so tests drive them without sleeping.
 *
 * ratebucket: a token bucket (sustained rate per second, burst) for
 * requests per connection and per user.
 * throttle: failed logins per key (a handle, an address). The first
 * THROTTLE_FREE_FAILURES - 1 failures cost nothing; the next one makes the
 * key wait 1 s before its next try, and each further one doubles the wait
 * (capped at 15 minutes).
 * A success clears the key; an idle key is forgotten after an hour.
 */
#ifndef HEARTH_RATELIMIT_H
#define HEARTH_RATELIMIT_H

#include <stdint.h>

#define THROTTLE_FREE_FAILURES 5
#define THROTTLE_MAX_DELAY_MS (15 * 60 * 1000)
#define THROTTLE_FORGET_MS (60 * 60 * 1000)

struct ratebucket {
    double tokens;
    int64_t last_ms;
    int init;
};

/* Takes one token. Returns 0 when allowed, else the ms until one is free. */
int64_t ratebucket_take(struct ratebucket *b, int64_t now_ms, unsigned per_sec, unsigned burst);

struct throttle;
struct throttle *throttle_new(void);
void throttle_free(struct throttle *t);
/* 0 when key may try now, else ms to wait. */
int64_t throttle_check(struct throttle *t, const char *key, int64_t now_ms);
void throttle_fail(struct throttle *t, const char *key, int64_t now_ms);
void throttle_success(struct throttle *t, const char *key);

#endif
