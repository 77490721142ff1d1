#include "meetings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

struct meeting {
    struct server *srv;
    struct room *room;
    bool open;
    enum proto_meeting_mode mode;  /* kept across open/close: the room's habit */
    bool auto_floor;
    struct user *speaker;
    int64_t share_ends_at;         /* wall clock ms, 0 when nobody speaks */
    struct user **queue;           /* raised hands, first come first served */
    size_t n_queue, cap_queue;
    struct htimer warn, end;
    int64_t opened_at;             /* wall ms: names this meeting in attendance records */
    struct attendee { struct user *u; int64_t since; } *present;  /* online members now */
    size_t n_present, cap_present;
};

static struct meeting *live(struct server *srv, struct room *r)
{
    if (!r->live) {
        struct meeting *m = calloc(1, sizeof *m);
        if (!m)
            return NULL;
        m->srv = srv;
        m->room = r;
        m->mode = PROTO_MODE_ONE_SPEAKER;
        htimer_init(&m->warn);
        htimer_init(&m->end);
        r->live = m;
    }
    return r->live;
}

bool meeting_is_open(const struct room *r)
{
    return r->live && r->live->open;
}

void meeting_free(struct room *r)
{
    struct meeting *m = r->live;
    if (!m)
        return;
    htimer_stop(m->srv->clock, &m->warn);
    htimer_stop(m->srv->clock, &m->end);
    free(m->queue);
    free(m->present);
    free(m);
    r->live = NULL;
}

/* The chair, room moderators, the host and server staff run a meeting. */
static bool runs(const struct room *r, const struct user *u)
{
    return room_chair(r) == u || room_can_moderate(r, u);
}

bool meeting_may_post(const struct room *r, const struct user *u)
{
    const struct meeting *m = r->live;
    if (!m || !m->open || m->mode == PROTO_MODE_OPEN)
        return true;
    return m->speaker == u || runs(r, u);
}

/* ---- attendance: private to each member, stored as stretches ---- */

static void on_attendance_stored(struct hdb_job *job) { hdb_job_free(job); }

static void attendance_start(struct meeting *m, struct user *u)
{
    for (size_t i = 0; i < m->n_present; i++)
        if (m->present[i].u == u)
            return;
    if (m->n_present == m->cap_present) {
        size_t cap = m->cap_present ? m->cap_present * 2 : 8;
        struct attendee *v = realloc(m->present, cap * sizeof *v);
        if (!v)
            return; /* a stretch not recorded; the meeting goes on */
        m->present = v;
        m->cap_present = cap;
    }
    m->present[m->n_present++] = (struct attendee){u, clock_wall_ms(m->srv->clock)};
}

/* u is no longer present: their stretch goes to the database. */
static void attendance_stop(struct meeting *m, struct user *u)
{
    for (size_t i = 0; i < m->n_present; i++) {
        if (m->present[i].u != u)
            continue;
        struct hdb_job *job = hdb_job_new(HDB_OP_ATTENDANCE_ADD, on_attendance_stored, NULL);
        if (job) {
            job->in.user_id = u->id;
            job->in.room_id = m->room->id;
            job->in.before = (uint64_t)m->opened_at;
            job->in.after = (uint64_t)m->present[i].since;
            job->in.now = clock_wall_ms(m->srv->clock);
            server_submit(m->srv, job);
        }
        m->present[i] = m->present[--m->n_present];
        return;
    }
}

void meetings_presence_changed(struct server *srv, struct user *u)
{
    for (size_t i = 0; i < u->n_rooms; i++) {
        struct meeting *m = u->rooms[i]->live;
        if (!m || !m->open)
            continue;
        if (u->n_sessions > 0)
            attendance_start(m, u);
        else
            attendance_stop(m, u);
    }
}

/* ---- the queue of raised hands ---- */

static void queue_remove(struct meeting *m, const struct user *u)
{
    for (size_t i = 0; i < m->n_queue; i++) {
        if (m->queue[i] == u) {
            memmove(&m->queue[i], &m->queue[i + 1], (m->n_queue - i - 1) * sizeof *m->queue);
            m->n_queue--;
            return;
        }
    }
}

static bool queue_has(const struct meeting *m, const struct user *u)
{
    for (size_t i = 0; i < m->n_queue; i++)
        if (m->queue[i] == u)
            return true;
    return false;
}

static int queue_push(struct meeting *m, struct user *u)
{
    if (queue_has(m, u))
        return 0; /* raising again keeps one's place */
    if (m->n_queue == m->cap_queue) {
        size_t cap = m->cap_queue ? m->cap_queue * 2 : 8;
        struct user **q = realloc(m->queue, cap * sizeof *q);
        if (!q)
            return -1;
        m->queue = q;
        m->cap_queue = cap;
    }
    m->queue[m->n_queue++] = u;
    return 0;
}

/* ---- telling people ---- */

/* Encodes the state; NULL on failure. The queue's handles are borrowed. */
static char *encode_state(const struct room *r, int as_event, const char *id)
{
    const struct meeting *m = r->live;
    struct proto_meeting st = {.room = r->name, .mode = PROTO_MODE_ONE_SPEAKER,
                               .share_seconds = r->share_seconds, .format = r->format};
    const struct user *chair = room_chair(r);
    st.chair = chair ? chair->handle : NULL;
    const char **queue = calloc(m && m->n_queue ? m->n_queue : 1, sizeof *queue);
    if (!queue)
        return NULL;
    if (m) {
        st.open = m->open;
        st.mode = m->mode;
        st.auto_floor = m->auto_floor;
        st.speaker = m->speaker ? m->speaker->handle : NULL;
        st.share_ends_at = m->speaker ? m->share_ends_at : 0;
        for (size_t i = 0; i < m->n_queue; i++)
            queue[i] = m->queue[i]->handle;
        st.queue = queue;
        st.n_queue = m->n_queue;
    }
    char *json;
    if (as_event) {
        struct proto_event ev = {.type = PROTO_EVT_MEETING_STATE};
        ev.u.meeting = st;
        json = proto_event_encode(&ev);
    } else {
        struct proto_result res = {.type = PROTO_REQ_MEETING_STATE};
        res.u.meeting = st;
        json = proto_result_encode(id, &res);
    }
    free(queue);
    return json;
}

static void broadcast_state(struct room *r)
{
    struct hbuf *b = hbuf_take(encode_state(r, 1, NULL));
    if (!b) {
        log_error("room %s: could not encode the meeting state", r->name);
        return;
    }
    fanout_room(r, b);
    hbuf_unref(b);
}

static void reply_state(struct session *s, const char *id, const struct room *r)
{
    char *json = encode_state(r, 0, id);
    if (json)
        session_send_json(s, json);
    else
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
}

/* ---- shares ---- */

static void on_warning(struct htimer *t, void *ud)
{
    struct meeting *m = ud;
    struct room *r = m->room;
    if (!m->speaker)
        return;
    struct proto_event ev = {.type = PROTO_EVT_MEETING_WARNING};
    ev.u.warning.room = r->name;
    ev.u.warning.handle = m->speaker->handle;
    ev.u.warning.seconds_left = PROTO_SHARE_WARNING_S;
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (!b)
        return;
    fanout_user(m->speaker, b);
    struct user *chair = room_chair(r);
    if (chair && chair != m->speaker)
        fanout_user(chair, b);
    hbuf_unref(b);
}

static void share_start(struct meeting *m, struct user *u);

/* The share is over (done, time, leaving): the speaker's hand is down; the
 * floor passes on by itself in auto mode, else returns to the chair. */
static void share_end(struct meeting *m, bool pass_on)
{
    htimer_stop(m->srv->clock, &m->warn);
    htimer_stop(m->srv->clock, &m->end);
    if (m->speaker)
        queue_remove(m, m->speaker);
    m->speaker = NULL;
    m->share_ends_at = 0;
    if (pass_on && m->auto_floor && m->n_queue > 0)
        share_start(m, m->queue[0]);
}

static void on_share_over(struct htimer *t, void *ud)
{
    struct meeting *m = ud;
    log_info("room %s: a share ran its time", m->room->name);
    share_end(m, true);
    broadcast_state(m->room);
}

static void share_start(struct meeting *m, struct user *u)
{
    struct hclock *clock = m->srv->clock;
    if (m->speaker)
        share_end(m, false);
    int64_t len = (int64_t)m->room->share_seconds * 1000;
    m->speaker = u;
    queue_remove(m, u);
    m->share_ends_at = clock_wall_ms(clock) + len;
    if (len > PROTO_SHARE_WARNING_S * 1000)
        htimer_start(clock, &m->warn, len - PROTO_SHARE_WARNING_S * 1000, on_warning, m);
    htimer_start(clock, &m->end, len, on_share_over, m);
}

/* With auto turn-taking a free floor goes to the first hand at once. */
static void maybe_pass_on(struct meeting *m)
{
    if (m->open && m->auto_floor && !m->speaker && m->n_queue > 0)
        share_start(m, m->queue[0]);
}

static void meeting_close(struct meeting *m)
{
    share_end(m, false);
    m->n_queue = 0;
    m->open = false;
    while (m->n_present > 0)
        attendance_stop(m, m->present[0].u);
    if (m->room->ephemeral)
        room_cache_forget(m->room, 0); /* what was said here stays here */
}

void meeting_member_left(struct room *r, struct user *u)
{
    struct meeting *m = r->live;
    if (!m || !m->open)
        return;
    attendance_stop(m, u);
    bool changed = queue_has(m, u) || m->speaker == u;
    queue_remove(m, u);
    if (m->speaker == u)
        share_end(m, true);
    if (changed)
        broadcast_state(r);
}

void meeting_settings_changed(struct server *srv, struct room *r)
{
    struct meeting *m = r->live;
    bool closed_now = false;
    if (m && m->open && !r->meeting) {
        meeting_close(m);
        closed_now = true;
        log_info("room %s is no longer a meeting room; its meeting closed", r->name);
    }
    /* An ordinary room has no meeting to report, except the one just closed. */
    if (r->meeting || closed_now)
        broadcast_state(r);
}

/* ---- requests ---- */

/* The room of a meeting request, checked: a member asks, about a meeting
 * room; `runner` requires running it, `open` an open meeting. */
static struct room *meeting_room(struct session *s, const struct proto_request *req, bool runner,
                                 bool open)
{
    struct room *r = rooms_member(s, req, req->u.room.room);
    if (!r)
        return NULL;
    if (!r->meeting) {
        session_reply_error(s, req->id, PROTO_E_NOT_A_MEETING, NULL, -1);
        return NULL;
    }
    if (runner && !runs(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the chair or a moderator can do that in a meeting.", -1);
        return NULL;
    }
    if (!live(s->srv, r)) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return NULL;
    }
    if (open && !r->live->open) {
        session_reply_error(s, req->id, PROTO_E_MEETING_CLOSED, NULL, -1);
        return NULL;
    }
    return r;
}

void meetings_handle_state(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, false, false);
    if (r)
        reply_state(s, req->id, r);
}

void meetings_handle_open(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, true, false);
    if (!r)
        return;
    struct meeting *m = r->live;
    if (!m->open) {
        m->open = true;
        m->n_queue = 0;
        m->opened_at = clock_wall_ms(s->srv->clock);
        for (size_t i = 0; i < r->n_members; i++)
            if (r->members[i].user->n_sessions > 0)
                attendance_start(m, r->members[i].user);
        log_info("room %s: meeting opened by %s", r->name, s->user->handle);
        struct proto_event ev = {.type = PROTO_EVT_MEETING_OPENED};
        struct user *chair = room_chair(r);
        ev.u.opened.room = r->name;
        ev.u.opened.chair = chair ? chair->handle : NULL;
        ev.u.opened.format = r->format;
        struct hbuf *b = hbuf_take(proto_event_encode(&ev));
        if (b) {
            fanout_room(r, b);
            hbuf_unref(b);
        }
        broadcast_state(r);
    }
    reply_state(s, req->id, r);
}

void meetings_handle_close(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, true, false);
    if (!r)
        return;
    if (r->live->open) {
        meeting_close(r->live);
        log_info("room %s: meeting closed by %s", r->name, s->user->handle);
        broadcast_state(r);
    }
    reply_state(s, req->id, r);
}

void meetings_handle_hand(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, false, true);
    if (!r)
        return;
    struct meeting *m = r->live;
    if (req->u.hand.raised && m->speaker != s->user) {
        if (queue_push(m, s->user) != 0) {
            session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
            return;
        }
    } else if (!req->u.hand.raised) {
        queue_remove(m, s->user);
    }
    maybe_pass_on(m);
    broadcast_state(r);
    reply_state(s, req->id, r);
}

void meetings_handle_floor(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, true, true);
    if (!r)
        return;
    struct meeting *m = r->live;
    struct user *next = NULL;
    if (req->u.who.handle) {
        next = room_member_by_handle(r, req->u.who.handle);
        if (!next) {
            session_reply_error(s, req->id, PROTO_E_USER_NOT_FOUND, NULL, -1);
            return;
        }
    } else if (m->n_queue > 0) {
        next = m->queue[0];
    } else {
        session_reply_error(s, req->id, PROTO_E_QUEUE_EMPTY, NULL, -1);
        return;
    }
    share_start(m, next);
    broadcast_state(r);
    reply_state(s, req->id, r);
}

void meetings_handle_done(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, false, true);
    if (!r)
        return;
    struct meeting *m = r->live;
    if (m->speaker && m->speaker != s->user && !runs(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the speaker, the chair or a moderator can end a share.", -1);
        return;
    }
    if (m->speaker) {
        share_end(m, true);
        broadcast_state(r);
    }
    reply_state(s, req->id, r);
}

void meetings_handle_mode(struct session *s, const struct proto_request *req)
{
    struct room *r = meeting_room(s, req, true, false);
    if (!r)
        return;
    struct meeting *m = r->live;
    if (req->u.mode.has_mode)
        m->mode = req->u.mode.mode;
    if (req->u.mode.has_auto)
        m->auto_floor = req->u.mode.auto_floor;
    maybe_pass_on(m);
    broadcast_state(r);
    reply_state(s, req->id, r);
}

/* ---- meeting.chair: stored, so it survives a restart ---- */

struct chair_op {
    struct pending p;
    struct user *chair;
};

static void on_chair_stored(struct hdb_job *job)
{
    struct chair_op *op = job->ud;
    struct room *r = op->p.room;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else if (op->chair && !room_has_member(r, op->chair)) {
        /* they left while it was being stored: the host chairs */
        r->chair = NULL;
        pending_fail(&op->p, PROTO_E_USER_NOT_FOUND, NULL);
    } else {
        r->chair = op->chair;
        if (op->chair)
            log_info("room %s: %s chairs now", r->name, op->chair->handle);
        else
            log_info("room %s: no chair named; the host chairs", r->name);
        broadcast_state(r);
        reply_state(op->p.s, op->p.id, r);
    }
    pending_end(&op->p, job);
}

void meetings_handle_chair(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.who.room);
    if (!r)
        return;
    if (!r->meeting) {
        session_reply_error(s, req->id, PROTO_E_NOT_A_MEETING, NULL, -1);
        return;
    }
    if (!room_can_configure(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the room's host can name or clear its chair.", -1);
        return;
    }
    /* A null handle clears the chair: the host chairs again. */
    struct user *chair = req->u.who.handle ? room_member_by_handle(r, req->u.who.handle) : NULL;
    if (req->u.who.handle && !chair) {
        session_reply_error(s, req->id, PROTO_E_USER_NOT_FOUND, NULL, -1);
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct chair_op), HDB_OP_ROOM_CHAIR,
                                      on_chair_stored);
    if (!job)
        return;
    struct chair_op *op = job->ud;
    op->chair = chair;
    job->in.target_id = chair ? chair->id : 0;   /* 0: stored as no chair */
    pending_submit(job);
}

/* ---- meeting.attendance: one's own, never anyone else's ---- */

static void on_weeks_read(struct hdb_job *job)
{
    struct pending *p = job->ud;
    size_t n = job->out.n_weeks;
    struct proto_attendance_week *w = job->out.rc == HDB_OK ? calloc(n + 1, sizeof *w) : NULL;
    if (!w) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++)
            w[i] = (struct proto_attendance_week){.week = job->out.weeks[i].week,
                                                  .meetings = job->out.weeks[i].meetings,
                                                  .minutes = job->out.weeks[i].minutes};
        struct proto_result res = {.type = PROTO_REQ_MEETING_ATTENDANCE};
        res.u.attendance.weeks = w;
        res.u.attendance.n = n;
        session_reply(p->s, p->id, &res);
        free(w);
    }
    pending_end(p, job);
}

void meetings_handle_attendance(struct session *s, const struct proto_request *req)
{
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct pending),
                                      HDB_OP_ATTENDANCE_WEEKS, on_weeks_read);
    if (!job)
        return;
    job->in.status = (int)req->u.attendance.utc_offset_minutes;
    job->in.limit = req->u.attendance.weeks ? req->u.attendance.weeks : 12;
    pending_submit(job);
}

void meeting_member_joined(struct room *r, struct user *u)
{
    struct meeting *m = r->live;
    if (m && m->open && u->n_sessions > 0)
        attendance_start(m, u);
}
