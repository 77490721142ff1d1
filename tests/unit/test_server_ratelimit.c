/*
 * Request rate limiting (token bucket) and login throttling. Both take the
 * time from the caller, so the tests pass explicit millisecond values.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>

#include "ratelimit.h"

#define T0 1700000000000LL   /* an arbitrary "now" well after the epoch */

/* ---- ratebucket ---- */

Test(ratebucket, burst_then_refusal_with_right_retry)
{
    struct ratebucket b = {0};
    for (int i = 0; i < 20; i++)
        cr_assert_eq(ratebucket_take(&b, T0, 10, 20), 0, "request %d of the burst", i + 1);
    int64_t wait = ratebucket_take(&b, T0, 10, 20);
    /* 10 per second: the next token is 100 ms away (a little rounding up
     * is fine, rounding down would make clients retry too early). */
    cr_expect_geq(wait, 100, "retry %lld ms", (long long)wait);
    cr_expect_leq(wait, 102, "retry %lld ms", (long long)wait);
    /* A refusal does not spend anything: asking again at the same time
     * gives the same answer. */
    cr_expect_eq(ratebucket_take(&b, T0, 10, 20), wait);
}

Test(ratebucket, retry_time_is_enough_and_not_much_more)
{
    struct ratebucket b = {0};
    cr_assert_eq(ratebucket_take(&b, T0, 3, 1), 0);
    int64_t wait = ratebucket_take(&b, T0, 3, 1);
    cr_assert_gt(wait, 0);
    cr_expect_leq(wait, 335, "1/3 s is ~333 ms, got %lld", (long long)wait);
    /* Retrying after the advertised wait succeeds... */
    cr_expect_eq(ratebucket_take(&b, T0 + wait, 3, 1), 0, "the advertised wait was too short");
    /* ...and just before it would have failed. */
    struct ratebucket c = {0};
    ratebucket_take(&c, T0, 3, 1);
    cr_expect_gt(ratebucket_take(&c, T0 + 330, 3, 1), 0);
}

Test(ratebucket, hammering_gets_exactly_the_sustained_rate)
{
    /* A client retrying every millisecond for 10 s at 3/s, burst 1: one
     * burst token plus 30 refills, never more. Also, a refusal must never
     * say "wait 0 ms", which callers would read as "allowed". */
    struct ratebucket b = {0};
    int allowed = 0;
    for (int64_t t = T0; t < T0 + 10000; t++) {
        int64_t wait = ratebucket_take(&b, t, 3, 1);
        cr_assert_geq(wait, 0);
        allowed += wait == 0;
    }
    cr_expect(allowed == 30 || allowed == 31, "%d requests allowed", allowed);
}

Test(ratebucket, refills_as_time_passes)
{
    struct ratebucket b = {0};
    for (int i = 0; i < 5; i++)
        ratebucket_take(&b, T0, 10, 5);
    cr_assert_gt(ratebucket_take(&b, T0, 10, 5), 0);
    cr_expect_gt(ratebucket_take(&b, T0 + 50, 10, 5), 0, "half a token is not a token");
    cr_expect_eq(ratebucket_take(&b, T0 + 100, 10, 5), 0, "one token after 100 ms");
    cr_expect_gt(ratebucket_take(&b, T0 + 100, 10, 5), 0, "only one");
    /* 300 ms later: three more, not four. */
    for (int i = 0; i < 3; i++)
        cr_expect_eq(ratebucket_take(&b, T0 + 400, 10, 5), 0, "token %d", i);
    cr_expect_gt(ratebucket_take(&b, T0 + 400, 10, 5), 0);
}

Test(ratebucket, never_above_burst)
{
    struct ratebucket b = {0};
    ratebucket_take(&b, T0, 10, 5);
    /* An hour of silence still only buys the burst. */
    int64_t later = T0 + 3600 * 1000;
    for (int i = 0; i < 5; i++)
        cr_expect_eq(ratebucket_take(&b, later, 10, 5), 0, "token %d", i);
    cr_expect_gt(ratebucket_take(&b, later, 10, 5), 0, "the sixth is over the burst");
}

Test(ratebucket, time_going_backwards_gives_nothing)
{
    struct ratebucket b = {0};
    ratebucket_take(&b, T0, 10, 1);
    cr_expect_gt(ratebucket_take(&b, T0 - 10000, 10, 1), 0);
    cr_expect_eq(ratebucket_take(&b, T0 + 100, 10, 1), 0);
}

/* ---- throttle ---- */

Test(throttle, free_failures_then_doubling_delay)
{
    struct throttle *t = throttle_new();
    cr_assert_not_null(t);
    int64_t now = T0;
    cr_expect_eq(throttle_check(t, "alice", now), 0, "an unknown key may try");
    /* The first four failures cost nothing. */
    for (int i = 1; i <= 4; i++) {
        throttle_fail(t, "alice", now);
        cr_expect_eq(throttle_check(t, "alice", now), 0, "after failure %d", i);
    }
    /* The fifth starts a 1 s delay, then 2 s, 4 s, 8 s... each counted from
     * the failure, and the key may try again exactly when it runs out. */
    int64_t want = 1000;
    for (int i = 5; i <= 12; i++) {
        throttle_fail(t, "alice", now);
        cr_expect_eq(throttle_check(t, "alice", now), want, "failure %d: wait %lld, want %lld",
                     i, (long long)throttle_check(t, "alice", now), (long long)want);
        cr_expect_eq(throttle_check(t, "alice", now + want - 1), 1);
        cr_expect_eq(throttle_check(t, "alice", now + want), 0);
        now += want;
        want *= 2;
    }
    throttle_free(t);
}

Test(throttle, delay_capped_at_fifteen_minutes)
{
    struct throttle *t = throttle_new();
    int64_t now = T0;
    int64_t last = 0;
    for (int i = 1; i <= 40; i++) {
        throttle_fail(t, "mallory", now);
        last = throttle_check(t, "mallory", now);
        cr_assert_leq(last, THROTTLE_MAX_DELAY_MS, "failure %d waits %lld", i, (long long)last);
        now += last;   /* the attacker retries as soon as allowed */
    }
    cr_expect_eq(last, THROTTLE_MAX_DELAY_MS);
    cr_expect_eq(THROTTLE_MAX_DELAY_MS, 15 * 60 * 1000);
    throttle_free(t);
}

Test(throttle, success_clears_the_key)
{
    struct throttle *t = throttle_new();
    for (int i = 0; i < 6; i++)
        throttle_fail(t, "bob", T0);
    cr_assert_gt(throttle_check(t, "bob", T0), 0);
    throttle_success(t, "bob");
    cr_expect_eq(throttle_check(t, "bob", T0), 0);
    /* Counting restarts: four more failures are free again. */
    for (int i = 0; i < 4; i++)
        throttle_fail(t, "bob", T0);
    cr_expect_eq(throttle_check(t, "bob", T0), 0);
    throttle_fail(t, "bob", T0);
    cr_expect_eq(throttle_check(t, "bob", T0), 1000);
    throttle_success(t, "nobody");   /* unknown key: harmless */
    throttle_free(t);
}

Test(throttle, keys_are_independent)
{
    struct throttle *t = throttle_new();
    for (int i = 0; i < 7; i++)
        throttle_fail(t, "alice", T0);
    cr_expect_eq(throttle_check(t, "alice", T0), 4000);
    cr_expect_eq(throttle_check(t, "bob", T0), 0);
    cr_expect_eq(throttle_check(t, "10.0.0.1", T0), 0);
    throttle_fail(t, "bob", T0);
    cr_expect_eq(throttle_check(t, "bob", T0), 0, "bob's first failure is free");
    cr_expect_eq(throttle_check(t, "alice", T0), 4000, "bob's failure is not alice's");
    throttle_success(t, "bob");
    cr_expect_eq(throttle_check(t, "alice", T0), 4000, "bob's success is not alice's");
    throttle_free(t);
}

Test(throttle, idle_key_is_forgotten_after_an_hour)
{
    struct throttle *t = throttle_new();
    for (int i = 0; i < 6; i++)
        throttle_fail(t, "carol", T0);
    cr_assert_eq(throttle_check(t, "carol", T0), 2000);
    /* Exactly an hour of quiet is not yet "past an hour": the count is
     * kept, so the next failure continues the sequence (4 s). */
    int64_t later = T0 + THROTTLE_FORGET_MS;
    throttle_fail(t, "carol", later);
    cr_expect_eq(throttle_check(t, "carol", later), 4000);

    /* Over an hour of quiet: failures restart from zero (free again). The
     * periodic prune (at most once a minute) must not be what does it, so
     * another key's failure runs it 30 s before: carol is not idle long
     * enough then, and the forgetting has to come from throttle_fail. */
    int64_t much_later = later + THROTTLE_FORGET_MS + 1;
    throttle_fail(t, "someone-else", much_later - 30000);
    throttle_fail(t, "carol", much_later);
    cr_expect_eq(throttle_check(t, "carol", much_later), 0, "the old count was forgotten");
    for (int i = 0; i < 3; i++)
        throttle_fail(t, "carol", much_later);
    cr_expect_eq(throttle_check(t, "carol", much_later), 0);
    throttle_fail(t, "carol", much_later);
    cr_expect_eq(throttle_check(t, "carol", much_later), 1000);
    throttle_free(t);
}

Test(throttle, many_idle_keys_are_pruned_without_harm)
{
    /* An attacker cycling through handles: the old entries are dropped by
     * the periodic prune (which deletes while iterating the map); a live
     * key's state must survive it, and ASan checks nothing leaks. */
    struct throttle *t = throttle_new();
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "h%d", i);
        throttle_fail(t, key, T0);
    }
    for (int i = 0; i < 6; i++)
        throttle_fail(t, "live", T0 + THROTTLE_FORGET_MS);
    int64_t later = T0 + THROTTLE_FORGET_MS + 120000;
    throttle_fail(t, "trigger", later);   /* runs the prune */
    cr_expect_eq(throttle_check(t, "live", T0 + THROTTLE_FORGET_MS), 2000);
    for (int i = 0; i < 2000; i += 97) {
        snprintf(key, sizeof key, "h%d", i);
        cr_expect_eq(throttle_check(t, key, later), 0);
    }
    throttle_free(t);
}
