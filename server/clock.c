#include "clock.h"

#include <stdlib.h>
#include <time.h>

struct hclock {
    uv_loop_t *loop;
    uv_timer_t uvt;              /* real mode: armed for the earliest deadline */
    bool manual;
    bool firing;                 /* re-arming is deferred while timers run */
    bool detached;               /* shutting down: no more uv timer */
    int64_t manual_mono, manual_wall;
    struct htimer **heap;
    size_t n, cap;
};

static int64_t real_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t real_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(const struct hclock *c) { return c->manual ? c->manual_mono : real_mono_ms(); }
int64_t clock_wall_ms(const struct hclock *c) { return c->manual ? c->manual_wall : real_wall_ms(); }
bool clock_is_manual(const struct hclock *c) { return c->manual; }

/* ---- binary min-heap on due ---- */

static void heap_swap(struct hclock *c, size_t a, size_t b)
{
    struct htimer *t = c->heap[a];
    c->heap[a] = c->heap[b];
    c->heap[b] = t;
    c->heap[a]->heap_index = a;
    c->heap[b]->heap_index = b;
}

static void heap_up(struct hclock *c, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (c->heap[p]->due <= c->heap[i]->due)
            break;
        heap_swap(c, p, i);
        i = p;
    }
}

static void heap_down(struct hclock *c, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < c->n && c->heap[l]->due < c->heap[m]->due)
            m = l;
        if (r < c->n && c->heap[r]->due < c->heap[m]->due)
            m = r;
        if (m == i)
            return;
        heap_swap(c, i, m);
        i = m;
    }
}

static void heap_remove(struct hclock *c, struct htimer *t)
{
    size_t i = t->heap_index;
    c->n--;
    if (i != c->n) {
        c->heap[i] = c->heap[c->n];
        c->heap[i]->heap_index = i;
        heap_down(c, i);
        heap_up(c, i);
    }
    t->heap_index = SIZE_MAX;
}

static void rearm(struct hclock *c);

/* Fires every timer due at `now`. A callback may start or stop timers. */
static void fire_due(struct hclock *c)
{
    c->firing = true;
    while (c->n > 0 && c->heap[0]->due <= clock_mono_ms(c)) {
        struct htimer *t = c->heap[0];
        heap_remove(c, t);
        t->cb(t, t->ud);
    }
    c->firing = false;
    rearm(c);
}

static void on_uv_timer(uv_timer_t *h) { fire_due(h->data); }

static void rearm(struct hclock *c)
{
    if (c->manual || !c->loop || c->firing || c->detached)
        return;
    if (c->n == 0) {
        uv_timer_stop(&c->uvt);
        return;
    }
    int64_t delay = c->heap[0]->due - real_mono_ms();
    uv_timer_start(&c->uvt, on_uv_timer, delay > 0 ? (uint64_t)delay : 0, 0);
}

struct hclock *clock_new(uv_loop_t *loop, bool manual)
{
    struct hclock *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->loop = loop;
    c->manual = manual;
    /* A manual clock starts from the real time so timestamps look sane. */
    c->manual_mono = real_mono_ms();
    c->manual_wall = real_wall_ms();
    if (loop) {
        uv_timer_init(loop, &c->uvt);
        c->uvt.data = c;
    }
    return c;
}

static void on_closed(uv_handle_t *h)
{
    struct hclock *c = h->data;
    free(c->heap);
    free(c);
}

void clock_free(struct hclock *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        c->heap[i]->heap_index = SIZE_MAX;
    c->n = 0;
    if (c->loop) {
        uv_close((uv_handle_t *)&c->uvt, on_closed);
    } else {
        free(c->heap);
        free(c);
    }
}

void clock_detach(struct hclock *c)
{
    c->detached = true;
    if (c->loop) {
        uv_timer_stop(&c->uvt);
        uv_unref((uv_handle_t *)&c->uvt);
    }
}

void clock_advance(struct hclock *c, int64_t ms)
{
    if (!c->manual || ms < 0)
        return;
    /* Step to each deadline in turn so a timer that re-arms itself from its
     * callback sees the time it was due, as it would in real life. */
    int64_t target = c->manual_mono + ms;
    while (c->n > 0 && c->heap[0]->due <= target) {
        int64_t step = c->heap[0]->due - c->manual_mono;
        if (step > 0) {
            c->manual_mono += step;
            c->manual_wall += step;
        }
        fire_due(c);
    }
    c->manual_wall += target - c->manual_mono;
    c->manual_mono = target;
}

void htimer_init(struct htimer *t)
{
    t->heap_index = SIZE_MAX;
    t->cb = NULL;
    t->ud = NULL;
    t->due = 0;
}

bool htimer_armed(const struct htimer *t) { return t->heap_index != SIZE_MAX; }

void htimer_stop(struct hclock *c, struct htimer *t)
{
    if (!htimer_armed(t))
        return;
    heap_remove(c, t);
    rearm(c);
}

void htimer_start(struct hclock *c, struct htimer *t, int64_t delay_ms,
                  void (*cb)(struct htimer *t, void *ud), void *ud)
{
    if (htimer_armed(t))
        heap_remove(c, t);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct htimer **h = realloc(c->heap, cap * sizeof *h);
        if (!h)
            abort(); /* a timer we cannot keep is a rule we cannot enforce */
        c->heap = h;
        c->cap = cap;
    }
    t->due = clock_mono_ms(c) + (delay_ms > 0 ? delay_ms : 0);
    t->cb = cb;
    t->ud = ud;
    t->heap_index = c->n;
    c->heap[c->n++] = t;
    heap_up(c, t->heap_index);
    rearm(c);
}
