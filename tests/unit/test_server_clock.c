/*
 * The manual clock (clock_new(NULL, true)) and its timers: every
 * time-driven rule in hearthd is tested by driving this clock, so it must
 * fire exactly what came due, in deadline order, and nothing early.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"

/* Each fired timer appends its tag and the mono time it saw. */
struct log {
    struct hclock *c;
    int tags[32];
    int64_t at[32];
    int n;
};

struct tagged {
    struct htimer t;
    struct log *log;
    int tag;
    int rearm_left;            /* re-arm from own callback this many times */
    int64_t rearm_ms;
};

static void on_fire(struct htimer *t, void *ud)
{
    struct tagged *tt = ud;
    cr_assert_eq(t, &tt->t, "callback gets its own timer");
    cr_assert_lt(tt->log->n, 32);
    tt->log->tags[tt->log->n] = tt->tag;
    tt->log->at[tt->log->n] = clock_mono_ms(tt->log->c);
    tt->log->n++;
    if (tt->rearm_left > 0) {
        tt->rearm_left--;
        htimer_start(tt->log->c, &tt->t, tt->rearm_ms, on_fire, tt);
    }
}

static void arm(struct tagged *tt, struct log *log, int tag, int64_t delay)
{
    htimer_init(&tt->t);
    tt->log = log;
    tt->tag = tag;
    tt->rearm_left = 0;
    htimer_start(log->c, &tt->t, delay, on_fire, tt);
}

/* A broken heap could loop forever inside clock_advance: fail instead. */
TestSuite(clock, .timeout = 20);

Test(clock, manual_is_manual_and_stands_still)
{
    struct hclock *c = clock_new(NULL, true);
    cr_assert_not_null(c);
    cr_expect(clock_is_manual(c));
    int64_t m = clock_mono_ms(c), w = clock_wall_ms(c);
    /* No advance, no movement, however much real time passes. */
    struct timespec pause = {0, 30 * 1000000L};
    nanosleep(&pause, NULL);
    cr_expect_eq(clock_mono_ms(c), m);
    cr_expect_eq(clock_wall_ms(c), w);
    /* Starts from the real time, so timestamps look sane (after 2020). */
    cr_expect_gt(w, 1577836800000LL);
    clock_free(c);
}

Test(clock, advance_moves_wall_and_mono_by_the_same_amount)
{
    struct hclock *c = clock_new(NULL, true);
    int64_t m = clock_mono_ms(c), w = clock_wall_ms(c);
    clock_advance(c, 1500);
    cr_expect_eq(clock_mono_ms(c) - m, 1500);
    cr_expect_eq(clock_wall_ms(c) - w, 1500);
    clock_advance(c, 0);
    clock_advance(c, -50);   /* time never goes back */
    cr_expect_eq(clock_mono_ms(c) - m, 1500);
    cr_expect_eq(clock_wall_ms(c) - w, 1500);

    /* With timers firing along the way the totals are still exact. */
    struct log log = {.c = c};
    struct tagged a, b;
    arm(&a, &log, 1, 100);
    arm(&b, &log, 2, 250);
    clock_advance(c, 1000);
    cr_expect_eq(log.n, 2);
    cr_expect_eq(clock_mono_ms(c) - m, 2500);
    cr_expect_eq(clock_wall_ms(c) - w, 2500);
    clock_free(c);
}

Test(clock, timers_fire_in_deadline_order_not_before)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    int64_t t0 = clock_mono_ms(c);
    /* Armed out of order, and more than fit in the heap's first allocation. */
    static const int64_t delays[] = {300, 100, 500, 200, 400, 50, 450, 150, 350, 250,
                                     30, 20, 10, 600, 550, 40, 60, 70};
    enum { N = sizeof delays / sizeof delays[0] };
    struct tagged ts[N];
    for (int i = 0; i < N; i++)
        arm(&ts[i], &log, (int)delays[i], delays[i]);

    clock_advance(c, 9);
    cr_expect_eq(log.n, 0, "nothing is due before 10 ms");
    clock_advance(c, 190);           /* now t0+199: those <= 199 fire */
    cr_expect_eq(log.n, 9, "fired %d", log.n);
    clock_advance(c, 1);             /* exactly t0+200: due == now fires */
    cr_expect_eq(log.n, 10);
    cr_expect(htimer_armed(&ts[4].t), "400 ms timer still armed");
    clock_advance(c, 1000);
    cr_assert_eq(log.n, N);

    for (int i = 0; i < N; i++) {
        cr_expect(!htimer_armed(&ts[i].t));
        if (i > 0)
            cr_expect_lt(log.tags[i - 1], log.tags[i], "order at %d: %d then %d", i,
                         log.tags[i - 1], log.tags[i]);
        /* A timer fires with the clock at its own deadline, not at the end
         * of the advance. */
        cr_expect_eq(log.at[i] - t0, log.tags[i], "timer %d saw t0+%lld", log.tags[i],
                     (long long)(log.at[i] - t0));
    }
    clock_free(c);
}

Test(clock, timer_rearmed_from_its_own_callback)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    int64_t t0 = clock_mono_ms(c);
    struct tagged t;
    arm(&t, &log, 7, 100);
    t.rearm_left = 3;
    t.rearm_ms = 100;

    /* One advance covering all four deadlines fires each, at its time. */
    clock_advance(c, 350);
    cr_expect_eq(log.n, 3, "fired %d times by t0+350", log.n);
    cr_expect(htimer_armed(&t.t), "the re-armed timer waits for t0+400");
    clock_advance(c, 49);
    cr_expect_eq(log.n, 3);
    clock_advance(c, 1);
    cr_assert_eq(log.n, 4);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(log.at[i] - t0, 100 * (i + 1));
    cr_expect(!htimer_armed(&t.t));
    clock_advance(c, 10000);
    cr_expect_eq(log.n, 4, "not re-armed any more");
    clock_free(c);
}

Test(clock, stop_and_restart)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    int64_t t0 = clock_mono_ms(c);
    struct tagged a, b, d;
    arm(&a, &log, 1, 100);
    arm(&b, &log, 2, 200);
    arm(&d, &log, 3, 300);

    htimer_stop(c, &b.t);
    cr_expect(!htimer_armed(&b.t));
    htimer_stop(c, &b.t);            /* stopping twice is harmless */

    /* Restarting an armed timer moves its deadline (from now). */
    clock_advance(c, 50);
    htimer_start(c, &a.t, 500, on_fire, &a);   /* now due at t0+550 */

    clock_advance(c, 1000);
    cr_assert_eq(log.n, 2);
    cr_expect_eq(log.tags[0], 3);
    cr_expect_eq(log.at[0] - t0, 300);
    cr_expect_eq(log.tags[1], 1);
    cr_expect_eq(log.at[1] - t0, 550);
    clock_free(c);
}

/* Stopping timers from the middle of the heap must keep it ordered: a
 * pseudo-random mix of deadlines, a third of them stopped in scattered
 * order, and the rest must still fire sorted by deadline. */
Test(clock, stopping_many_keeps_deadline_order)
{
    enum { N = 200 };
    struct hclock *c = clock_new(NULL, true);
    static struct tagged ts[N];
    struct log log = {.c = c};
    int64_t t0 = clock_mono_ms(c);
    int fired[N] = {0}, last_due = -1, n_fired = 0;
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        arm(&ts[i], &log, i, 1 + (int64_t)((seed >> 8) % 5000));
    }
    for (int k = 0; k < N; k++) {
        int i = (k * 37) % N;                  /* scattered, each once */
        if (i % 3 == 0)
            htimer_stop(c, &ts[i].t);
    }
    /* Fire in small steps so the log (32 entries) never overflows. */
    for (int step = 0; step < 5000; step++) {
        log.n = 0;
        clock_advance(c, 1);
        for (int j = 0; j < log.n; j++) {
            int i = log.tags[j];
            cr_assert_neq(i % 3, 0, "stopped timer %d fired", i);
            cr_assert_eq(log.at[j] - t0, ts[i].t.due - t0);
            cr_assert_geq(log.at[j] - t0, last_due, "timer %d fired out of order", i);
            last_due = (int)(log.at[j] - t0);
            fired[i]++;
            n_fired++;
        }
    }
    for (int i = 0; i < N; i++)
        cr_expect_eq(fired[i], i % 3 == 0 ? 0 : 1, "timer %d fired %d times", i, fired[i]);
    cr_expect_eq(n_fired, N - (N + 2) / 3);
    clock_free(c);
}

/* One exact case of the above: these deadlines, armed in this order, make
 * stopping the 60 ms timer move the 20 ms one under a larger parent, where
 * only sifting it up keeps it from firing after the 25 ms one. */
Test(clock, stop_in_the_middle_then_fire_in_order)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    static const int64_t delays[] = {10, 50, 20, 60, 70, 25, 15};
    struct tagged ts[7];
    for (int i = 0; i < 7; i++)
        arm(&ts[i], &log, (int)delays[i], delays[i]);
    htimer_stop(c, &ts[3].t);                  /* the 60 ms one */
    clock_advance(c, 100);
    static const int want[] = {10, 15, 20, 25, 50, 70};
    cr_assert_eq(log.n, 6);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(log.tags[i], want[i], "fired #%d was %d, want %d", i, log.tags[i], want[i]);
    clock_free(c);
}

/* A callback that stops another timer due at the same moment. */
struct pair { struct tagged *victim; struct log *log; };
static struct pair the_pair;
static void stop_other(struct htimer *t, void *ud)
{
    (void)t;
    (void)ud;
    htimer_stop(the_pair.log->c, &the_pair.victim->t);
    the_pair.log->tags[the_pair.log->n++] = 99;
}

Test(clock, callback_may_stop_a_timer_that_is_also_due)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    struct htimer killer;
    struct tagged victim;
    htimer_init(&killer);
    htimer_start(c, &killer, 100, stop_other, NULL);
    arm(&victim, &log, 1, 150);
    the_pair = (struct pair){&victim, &log};
    clock_advance(c, 200);          /* both came due in this one advance */
    cr_assert_eq(log.n, 1);
    cr_expect_eq(log.tags[0], 99, "only the stopping timer fired");
    clock_free(c);
}

Test(clock, free_with_armed_timers_disarms_them)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    struct tagged a;
    arm(&a, &log, 1, 100);
    cr_expect(htimer_armed(&a.t));
    clock_free(c);                   /* no loop: freed at once (ASan checks) */
    cr_expect(!htimer_armed(&a.t), "dropped timers are marked unarmed");
    cr_expect_eq(log.n, 0);
}

Test(clock, detach_then_free_without_loop)
{
    struct hclock *c = clock_new(NULL, true);
    struct log log = {.c = c};
    struct tagged a;
    arm(&a, &log, 1, 100);
    clock_detach(c);
    /* Still tells the time and, being manual, still fires on advance. */
    int64_t m = clock_mono_ms(c);
    clock_advance(c, 100);
    cr_expect_eq(clock_mono_ms(c) - m, 100);
    cr_expect_eq(log.n, 1);
    clock_free(c);
    clock_free(NULL);                /* documented no-op */
}
