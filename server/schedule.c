/* meeting.schedule (read or replace a room's weekly slots) and
 * meeting.upcoming (the coming meetings across the server). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "meetings.h"
#include "pending.h"
#include "rooms.h"
#include "schedule.h"
#include "server.h"
#include "session.h"
#include "tzcal.h"

#define MINUTE_MS 60000LL
#define DAY_MS (24 * 60 * MINUTE_MS)

/* ---- loading ---- */

static int slots_append(struct room *r, const struct room_slot *slot)
{
    struct room_slot *v = realloc(r->slots, (r->n_slots + 1) * sizeof *v);
    if (!v)
        return -1;
    r->slots = v;
    r->slots[r->n_slots++] = *slot;
    return 0;
}

static void slot_from_row(struct room_slot *out, const struct hdb_slot *row)
{
    *out = (struct room_slot){.days = (uint8_t)row->days,
                              .start_minute = (uint16_t)row->start_minute,
                              .minutes = (uint16_t)row->minutes};
    snprintf(out->tz, sizeof out->tz, "%s", row->tz);
}

static void on_load_slot(int64_t room_id, const struct hdb_slot *row, void *ud)
{
    struct room *r = rooms_by_id(ud, room_id);
    struct room_slot slot;
    slot_from_row(&slot, row);
    if (r && slots_append(r, &slot) != 0)
        log_error("out of memory loading the schedule of room %s", r->name);
}

int schedule_load(struct server *srv)
{
    return hdb_load_slots(srv->db, on_load_slot, srv) == HDB_OK ? 0 : -1;
}

/* ---- meeting.schedule ---- */

static void reply_slots(struct session *s, const char *id, const struct room *r)
{
    struct proto_slot *slots = calloc(r->n_slots ? r->n_slots : 1, sizeof *slots);
    if (!slots) {
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    for (size_t i = 0; i < r->n_slots; i++)
        slots[i] = (struct proto_slot){.days = r->slots[i].days,
                                       .start_minute = r->slots[i].start_minute,
                                       .minutes = r->slots[i].minutes, .tz = r->slots[i].tz};
    struct proto_result res = {.type = PROTO_REQ_MEETING_SCHEDULE};
    res.u.schedule.room = r->name;
    res.u.schedule.slots = slots;
    res.u.schedule.n = r->n_slots;
    session_reply(s, id, &res);
    free(slots);
}

struct schedule_op {
    struct pending p;
    struct hdb_slot rows[PROTO_SLOTS_MAX];   /* what the job writes */
    struct room_slot slots[PROTO_SLOTS_MAX]; /* what memory becomes after COMMIT */
    size_t n;
};

static void on_stored(struct hdb_job *job)
{
    struct schedule_op *op = job->ud;
    struct room *r = op->p.room;
    struct room_slot *slots = op->n ? malloc(op->n * sizeof *slots) : NULL;
    if (job->out.rc != HDB_OK || (op->n && !slots)) {
        free(slots);
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        if (op->n)
            memcpy(slots, op->slots, op->n * sizeof *slots);
        free(r->slots);
        r->slots = slots;
        r->n_slots = op->n;
        log_info("room %s: schedule set by %s (%zu slots)", r->name, op->p.u->handle, op->n);
        reply_slots(op->p.s, op->p.id, r);
    }
    pending_end(&op->p, job);
}

/* The room whose schedule the caller may replace, or NULL (answered). */
static struct room *schedulable(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.schedule.room);
    if (!r)
        return NULL;
    if (!room_can_configure(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the room's host can change its schedule.", -1);
        return NULL;
    }
    if (!r->meeting) {
        session_reply_error(s, req->id, PROTO_E_NOT_A_MEETING,
                            "Only a meeting room has a schedule; make it one first.", -1);
        return NULL;
    }
    for (size_t i = 0; i < req->u.schedule.n; i++) {
        const char *tz = req->u.schedule.slots[i].tz;
        if (!tzcal_known(tz)) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "The server knows no time zone called '%s'; use a name such as "
                     "'Europe/London' or 'America/New_York'.", tz);
            session_reply_error(s, req->id, PROTO_E_UNKNOWN_TIME_ZONE, msg, -1);
            return NULL;
        }
    }
    return r;
}

void schedule_handle(struct session *s, const struct proto_request *req)
{
    if (!req->u.schedule.has_slots) {
        struct room *r = rooms_visible(s, req, req->u.schedule.room);
        if (r)
            reply_slots(s, req->id, r);
        return;
    }
    struct room *r = schedulable(s, req);
    if (!r)
        return;
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct schedule_op),
                                      HDB_OP_SCHEDULE_SET, on_stored);
    if (!job)
        return;
    struct schedule_op *op = job->ud;
    op->n = req->u.schedule.n < PROTO_SLOTS_MAX ? req->u.schedule.n : PROTO_SLOTS_MAX;
    for (size_t i = 0; i < op->n; i++) {
        const struct proto_slot *in = &req->u.schedule.slots[i];
        struct room_slot *slot = &op->slots[i];
        *slot = (struct room_slot){.days = in->days, .start_minute = in->start_minute,
                                   .minutes = in->minutes};
        snprintf(slot->tz, sizeof slot->tz, "%s", in->tz);
        op->rows[i] = (struct hdb_slot){.days = slot->days, .start_minute = slot->start_minute,
                                        .minutes = slot->minutes, .tz = slot->tz};
    }
    job->in.slots = op->rows;
    job->in.n_slots = op->n;
    pending_submit(job);
}

/* ---- meeting.upcoming ---- */

struct upcoming {
    struct proto_upcoming *v;
    size_t n, cap;
    int64_t now, until;        /* occurrences that end after now and start before until */
};

static int upcoming_add(struct upcoming *up, const struct room *r, const struct room_slot *slot,
                        int64_t starts_at)
{
    if (up->n == up->cap) {
        size_t cap = up->cap ? up->cap * 2 : 16;
        struct proto_upcoming *v = realloc(up->v, cap * sizeof *v);
        if (!v)
            return -1;
        up->v = v;
        up->cap = cap;
    }
    up->v[up->n++] = (struct proto_upcoming){.room = r->name, .title = r->title,
                                             .starts_at = starts_at,
                                             .ends_at = starts_at + slot->minutes * MINUTE_MS,
                                             .tz = slot->tz, .open = meeting_is_open(r)};
    return 0;
}

/* Every occurrence of one slot in the window, day by day in its own zone:
 * from the local day a meeting still running now could have started on,
 * to the local day the window ends on. */
static int slot_occurrences(struct upcoming *up, const struct room *r,
                            const struct room_slot *slot)
{
    struct tzcal *cal = tzcal_open(slot->tz);
    if (!cal)
        return 0;   /* a zone ICU no longer knows: nothing to list, nothing broken */
    int64_t first, last;
    int rc = 0;
    if (tzcal_local_day(cal, up->now - slot->minutes * MINUTE_MS, &first) &&
        tzcal_local_day(cal, up->until, &last)) {
        for (int64_t day = first; day <= last && rc == 0; day++) {
            int64_t at;
            int weekday;
            if (!tzcal_local_instant(cal, day, slot->start_minute, &at, &weekday) ||
                !(slot->days & (1u << weekday)))
                continue;
            if (at + slot->minutes * MINUTE_MS > up->now && at < up->until)
                rc = upcoming_add(up, r, slot, at);
        }
    }
    tzcal_close(cal);
    return rc;
}

static int by_start(const void *a, const void *b)
{
    const struct proto_upcoming *x = a, *y = b;
    if (x->starts_at != y->starts_at)
        return x->starts_at < y->starts_at ? -1 : 1;
    return strcmp(x->room, y->room);
}

/* A room's open meeting is its soonest listed one; the later ones of the
 * same room are not open yet. The list is sorted. */
static void open_only_soonest(struct upcoming *up)
{
    for (size_t i = 0; i < up->n; i++)
        for (size_t j = 0; j < i && up->v[i].open; j++)
            if (up->v[j].room == up->v[i].room)
                up->v[i].open = false;
}

static int room_occurrences(struct upcoming *up, const struct room *r)
{
    if (!r->meeting)
        return 0;
    for (size_t i = 0; i < r->n_slots; i++)
        if (slot_occurrences(up, r, &r->slots[i]) != 0)
            return -1;
    return 0;
}

void schedule_handle_upcoming(struct session *s, const struct proto_request *req)
{
    struct server *srv = s->srv;
    struct room *only = NULL;
    if (req->u.upcoming.room && !(only = rooms_visible(s, req, req->u.upcoming.room)))
        return;
    uint32_t days = req->u.upcoming.days ? req->u.upcoming.days : PROTO_UPCOMING_DAYS_DEFAULT;
    uint32_t limit = req->u.upcoming.limit ? req->u.upcoming.limit : PROTO_UPCOMING_DEFAULT;
    struct upcoming up = {.now = clock_wall_ms(srv->clock)};
    up.until = up.now + (int64_t)days * DAY_MS;

    int rc = 0;
    if (only) {
        rc = room_occurrences(&up, only);
    } else {
        size_t pos = 0;
        const char *k;
        void *v;
        while (rc == 0 && hmap_next(srv->rooms, &pos, &k, &v) == 0) {
            struct room *r = v;
            if (r->visibility != PROTO_VIS_INVITE || room_has_member(r, s->user))
                rc = room_occurrences(&up, r);
        }
    }
    if (rc != 0) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        if (up.n)
            qsort(up.v, up.n, sizeof *up.v, by_start);
        open_only_soonest(&up);
        struct proto_result res = {.type = PROTO_REQ_MEETING_UPCOMING};
        res.u.upcoming.meetings = up.v;
        res.u.upcoming.n = up.n < limit ? up.n : limit;
        session_reply(s, req->id, &res);
    }
    free(up.v);
}
