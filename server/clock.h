/*
 * The one clock every time-driven rule reads (auth timeouts, throttling,
 * token expiry, and later share timers, escalation and nudges), plus the
 * timers that fire on it.
 *
 * Real mode follows the system clocks and arms one uv timer for the
 * earliest deadline. Manual mode (tests, `hearthd --test-clock`) stands
 * still until clock_advance() moves it, which then fires every timer that
 * came due, in deadline order, so tests drive time instead of sleeping.
 */
#ifndef HEARTH_CLOCK_H
#define HEARTH_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct hclock;

struct htimer {
    int64_t due;                 /* monotonic ms */
    void (*cb)(struct htimer *t, void *ud);
    void *ud;
    size_t heap_index;           /* clock's; SIZE_MAX when not armed */
};

/* loop may be NULL in manual mode (unit tests without uv). */
struct hclock *clock_new(uv_loop_t *loop, bool manual);
/* Closes the uv timer handle (if any); the clock is freed in its close
 * callback, or at once when there is no loop. Armed timers are dropped. */
void clock_free(struct hclock *c);

/* Shutdown: stop arming the uv timer and let it not hold the loop; the
 * clock still tells the time until clock_free(). */
void clock_detach(struct hclock *c);
bool clock_is_manual(const struct hclock *c);
int64_t clock_wall_ms(const struct hclock *c);   /* ms since the Unix epoch */
int64_t clock_mono_ms(const struct hclock *c);   /* ms, only grows */
/* Manual mode: moves both clocks forward and fires due timers. */
void clock_advance(struct hclock *c, int64_t ms);

void htimer_init(struct htimer *t);
/* (Re)arms t to fire delay_ms from now. */
void htimer_start(struct hclock *c, struct htimer *t, int64_t delay_ms,
                  void (*cb)(struct htimer *t, void *ud), void *ud);
void htimer_stop(struct hclock *c, struct htimer *t);
bool htimer_armed(const struct htimer *t);

#endif
