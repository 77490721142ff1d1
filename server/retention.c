#include "pings.h"
#include "retention.h"

#include <stdlib.h>

#include "log.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

#define DAY_MS (24LL * 3600 * 1000)

struct sweep {
    struct room *room;
    int64_t before;
};

static void on_purged(struct hdb_job *job)
{
    struct sweep *sw = job->ud;
    if (job->out.rc == HDB_OK) {
        room_cache_forget(sw->room, sw->before);
        if (job->out.n_erased)
            log_info("room %s: erased %zu messages past its %u-day retention", sw->room->name,
                     job->out.n_erased, sw->room->retention_days);
    }
    free(sw);
    hdb_job_free(job);
}

static void sweep(struct htimer *t, void *ud)
{
    struct server *srv = ud;
    int64_t now = clock_wall_ms(srv->clock);
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0) {
        struct room *r = v;
        if (!r->retention_days)
            continue;
        struct sweep *sw = malloc(sizeof *sw);
        struct hdb_job *job = sw ? hdb_job_new(HDB_OP_PURGE, on_purged, sw) : NULL;
        if (!job) {
            free(sw);
            continue; /* the next sweep tries again */
        }
        sw->room = r;
        sw->before = now - (int64_t)r->retention_days * DAY_MS;
        job->in.room_id = r->id;
        job->in.before = (uint64_t)sw->before;
        server_submit(srv, job);
    }
    pings_purge(srv, now);
    htimer_start(srv->clock, t, RETENTION_SWEEP_MS, sweep, srv);
}

void retention_start(struct server *srv)
{
    htimer_init(&srv->retention_timer);
    htimer_start(srv->clock, &srv->retention_timer, RETENTION_SWEEP_MS, sweep, srv);
}
