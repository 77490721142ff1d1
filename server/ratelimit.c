#include "ratelimit.h"

#include <stdlib.h>

#include "hmap.h"

int64_t ratebucket_take(struct ratebucket *b, int64_t now_ms, unsigned per_sec, unsigned burst)
{
    if (!b->init) {
        b->tokens = burst;
        b->last_ms = now_ms;
        b->init = 1;
    }
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * per_sec / 1000.0;
        if (b->tokens > burst)
            b->tokens = burst;
        b->last_ms = now_ms;
    }
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
        return 0;
    }
    int64_t wait = (int64_t)((1.0 - b->tokens) * 1000.0 / per_sec) + 1;
    return wait;
}

struct throttle_entry {
    unsigned failures;
    int64_t next_ok_ms;
    int64_t last_ms;
};

struct throttle {
    struct hmap *keys;
    int64_t last_prune_ms;
};

struct throttle *throttle_new(void)
{
    struct throttle *t = calloc(1, sizeof *t);
    if (t && !(t->keys = hmap_new())) {
        free(t);
        return NULL;
    }
    return t;
}

void throttle_free(struct throttle *t)
{
    if (!t)
        return;
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(t->keys, &pos, &k, &v) == 0)
        free(v);
    hmap_free(t->keys);
    free(t);
}

/* Forget keys that have been quiet for an hour, at most once a minute, so
 * an attacker cycling through handles cannot grow memory without bound. */
static void prune(struct throttle *t, int64_t now)
{
    if (now - t->last_prune_ms < 60000)
        return;
    t->last_prune_ms = now;
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(t->keys, &pos, &k, &v) == 0) {
        struct throttle_entry *e = v;
        if (now - e->last_ms > THROTTLE_FORGET_MS)
            free(hmap_del(t->keys, k));
    }
}

int64_t throttle_check(struct throttle *t, const char *key, int64_t now_ms)
{
    struct throttle_entry *e = hmap_get(t->keys, key);
    if (!e || now_ms >= e->next_ok_ms)
        return 0;
    return e->next_ok_ms - now_ms;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now_ms)
{
    prune(t, now_ms);
    struct throttle_entry *e = hmap_get(t->keys, key);
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e || hmap_put(t->keys, key, e) != 0) {
            free(e);
            return;
        }
    }
    if (now_ms - e->last_ms > THROTTLE_FORGET_MS)
        e->failures = 0;
    e->failures++;
    e->last_ms = now_ms;
    if (e->failures >= THROTTLE_FREE_FAILURES) {
        unsigned k = e->failures - THROTTLE_FREE_FAILURES;
        int64_t delay = k >= 10 ? THROTTLE_MAX_DELAY_MS : (int64_t)1000 << k;
        if (delay > THROTTLE_MAX_DELAY_MS)
            delay = THROTTLE_MAX_DELAY_MS;
        e->next_ok_ms = now_ms + delay;
    }
}

void throttle_success(struct throttle *t, const char *key) { free(hmap_del(t->keys, key)); }
