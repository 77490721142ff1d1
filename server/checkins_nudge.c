/* Isolation nudges (opt-in): a member with buddies who has neither checked
 * in nor been connected for their number of days gets their buddies a
 * gentle nudge to reach out, once per quiet spell, and a kind reminder for
 * themselves when they come back. Hourly, on the server's clock. */
#include <stdlib.h>

#include "buddies.h"
#include "checkins.h"
#include "fanout.h"
#include "hmap.h"
#include "log.h"
#include "server.h"
#include "session.h"
#include "settings.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

/* When u was last active: connected or checking in (0 = never seen). */
static int64_t last_active(const struct user *u, const struct member_settings *st)
{
    return u->last_seen_at > st->last_checkin_at ? u->last_seen_at : st->last_checkin_at;
}

static void on_nudge_stored(struct hdb_job *job)
{
    if (job->out.rc != HDB_OK)
        log_error("could not store when buddies were nudged");
    hdb_job_free(job);
}

static void nudge(struct server *srv, struct user *u, struct member_settings *st, int64_t now,
                  uint32_t days)
{
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_NUDGE};
    ev.u.nudge.handle = u->handle;
    ev.u.nudge.days = days;
    buddies_tell(u, &ev);
    st->last_nudge_at = now;
    struct hdb_job *job = hdb_job_new(HDB_OP_SEEN, on_nudge_stored, NULL);
    if (!job)
        return;
    job->in.user_id = u->id;
    job->in.now = now;
    job->in.status = 1;   /* nudged now */
    server_submit(srv, job);
}

static void sweep(struct htimer *t, void *ud)
{
    struct server *srv = ud;
    int64_t now = clock_wall_ms(srv->clock);
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->users, &pos, &k, &v) == 0) {
        struct user *u = v;
        struct member_settings *st = u->settings;
        if (!st || !st->isolation_nudges || u->n_sessions > 0 || buddies_count(u) == 0)
            continue;
        int64_t active = last_active(u, st);
        if (!active || now - active < (int64_t)st->isolation_days * DAY_MS ||
            st->last_nudge_at > active)   /* once per quiet spell */
            continue;
        nudge(srv, u, st, now, (uint32_t)((now - active) / DAY_MS));
    }
    htimer_start(srv->clock, t, HOUR_MS, sweep, srv);
}

void checkins_nudge_start(struct server *srv)
{
    htimer_init(&srv->nudge_timer);
    htimer_start(srv->clock, &srv->nudge_timer, HOUR_MS, sweep, srv);
}

void checkins_welcome_back(struct session *s, int64_t since)
{
    const struct member_settings *st = s->user->settings;
    if (!st || st->last_nudge_at <= since)
        return;   /* not nudged while away */
    int64_t active = last_active(s->user, st);
    struct proto_event ev = {.type = PROTO_EVT_CHECKIN_REMINDER};
    int64_t quiet = clock_wall_ms(s->srv->clock) - active;
    ev.u.reminder.days = quiet >= DAY_MS ? (uint32_t)(quiet / DAY_MS) : 1;
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (b) {
        session_send(s, b);
        hbuf_unref(b);
    }
}
