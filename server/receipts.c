/* Delivered and seen in private conversations: room.read, room.receipt and
 * the peer's marks in the room object (receipts.h says how). */
#include <stdlib.h>

#include "blocks.h"
#include "fanout.h"
#include "log.h"
#include "pending.h"
#include "receipts.h"
#include "rooms.h"
#include "server.h"
#include "session.h"
#include "settings.h"

/* A write of one member's marks: a room.read waiting for its COMMIT (p is
 * then the request's), or the member's background write (p unused). */
struct marks_write {
    struct pending p;
    struct room *room;
    struct user *user;
    bool background;            /* the member's one write in flight (marks.saving) */
    bool tells;                 /* the peer is told once it has committed */
};

static bool is_conversation(const struct room *r)
{
    return r->kind != PROTO_KIND_ROOM;
}

/* The other member of a conversation (NULL once their account is gone). */
static struct room_member *peer_of(const struct room *r, const struct user *u)
{
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].user != u)
            return &r->members[i];
    return NULL;
}

/* Nothing of one reaches the other across a block, either way: not even
 * that they were online to receive something. */
static bool blocked(const struct room *r, const struct user *a, const struct user *b)
{
    return blocks_hides(r->srv, a->id, b->id) || blocks_hides(r->srv, b->id, a->id);
}

/* What was seen is told only while both keep read receipts on (like mature
 * messengers: whoever turns them off stops seeing the other's too). */
static bool seen_shared(const struct user *a, const struct user *b)
{
    return settings_of(a)->read_receipts && settings_of(b)->read_receipts;
}

static bool signed_in(const struct user *u)
{
    for (size_t i = 0; i < u->n_sessions; i++)
        if (session_alive(u->sessions[i]))
            return true;
    return false;
}

/* While m can be seen, what their peer may know is what is stored. */
static void refresh_known(struct room_member *m)
{
    if (m->user->status == PROTO_STATUS_INVISIBLE)
        return;
    m->marks.known_delivered = m->marks.stored_delivered;
    m->marks.known_seen = m->marks.stored_seen;
}

/* What peer p may see of m's marks. */
static void shown(const struct room_member *m, const struct room_member *p, uint64_t *delivered,
                  uint64_t *seen)
{
    *delivered = m->marks.known_delivered;
    *seen = seen_shared(m->user, p->user) ? m->marks.known_seen : 0;
}

/* Tells the other member of r what m's stored marks are, as they may see
 * them, unless that is what they were told last: a receipt that says
 * nothing new would still say when something happened (that m read, with
 * read receipts off). While m is invisible their peer learns nothing new of
 * them (that something reached them would say they are online): what
 * happened meanwhile is told once they can be seen again. */
static void tell_peer(struct room *r, struct room_member *m)
{
    const struct room_member *p = peer_of(r, m->user);
    struct room_marks *k = &m->marks;
    if (!p || p->user->deleted || blocked(r, m->user, p->user))
        return;
    refresh_known(m);
    struct proto_event ev = {.type = PROTO_EVT_ROOM_RECEIPT};
    ev.u.receipt.room = r->name;
    ev.u.receipt.handle = m->user->handle;
    shown(m, p, &ev.u.receipt.delivered, &ev.u.receipt.seen);
    if (ev.u.receipt.delivered == k->sent_delivered && ev.u.receipt.seen == k->sent_seen)
        return;
    k->sent_delivered = ev.u.receipt.delivered;
    k->sent_seen = ev.u.receipt.seen;
    if (!p->user->n_sessions)
        return;   /* room.list says it when they are back */
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (!b) {
        log_error("room %s: could not encode a receipt", r->name);
        return;
    }
    fanout_user(p->user, b);
    hbuf_unref(b);
}

/* Raises m's marks in memory; true when they moved. A tellable move is one
 * the peer cares about (a member receiving their own message is not). */
static bool advance(struct room_member *m, uint64_t delivered, uint64_t seen, bool tellable)
{
    struct room_marks *k = &m->marks;
    bool moved = false;
    if (seen > k->seen) {
        k->seen = seen;
        moved = true;
    }
    if (delivered < k->seen)
        delivered = k->seen;
    if (delivered > k->delivered) {
        k->delivered = delivered;
        moved = true;
    }
    if (moved && tellable)
        k->tell = true;
    return moved;
}

static bool unstored(const struct room_marks *k)
{
    return k->delivered > k->stored_delivered || k->seen > k->stored_seen;
}

static void on_written(struct hdb_job *job);

/* A job writing m's marks as they are now; it takes the untold change with
 * it. NULL without memory (background) or after answering (a request). */
static struct hdb_job *write_job(struct room *r, struct room_member *m, struct session *s,
                                 const char *id)
{
    struct hdb_job *job;
    struct marks_write *w;
    if (s) {
        job = pending_job(s, id, r, sizeof *w, HDB_OP_MARKS_SET, on_written);
        w = job ? job->ud : NULL;
    } else {
        w = calloc(1, sizeof *w);
        job = w ? hdb_job_new(HDB_OP_MARKS_SET, on_written, w) : NULL;
        if (!job) {
            free(w);
            log_error("room %s: out of memory writing receipt marks", r->name);
            return NULL;
        }
        w->background = true;
        job->in.room_id = r->id;
        job->in.user_id = m->user->id;
        job->in.now = clock_wall_ms(r->srv->clock);
    }
    if (!job)
        return NULL;
    w->room = r;
    w->user = m->user;
    w->tells = m->marks.tell;
    m->marks.tell = false;
    job->in.marks.delivered = m->marks.delivered;
    job->in.marks.seen = m->marks.seen;
    return job;
}

/* Stores m's marks in the background unless a write is already in flight
 * (its completion sends the next one). */
static void save(struct room *r, struct room_member *m)
{
    struct room_marks *k = &m->marks;
    if (k->saving || m->user->deleted || !unstored(k))
        return;
    struct hdb_job *job = write_job(r, m, NULL, NULL);
    if (!job)
        return;
    k->saving = true;
    server_submit(r->srv, job);
}

static void reply_seen(struct session *s, const char *id, uint64_t seen)
{
    struct proto_result res = {.type = PROTO_REQ_ROOM_READ};
    res.u.read.seen = seen;
    session_reply(s, id, &res);
}

static void on_written(struct hdb_job *job)
{
    struct marks_write *w = job->ud;
    struct room_member *m = room_member_of(w->room, w->user);   /* NULL: account deleted */
    int rc = job->out.rc;
    if (m) {
        struct room_marks *k = &m->marks;
        if (w->background)
            k->saving = false;
        if (rc == HDB_OK) {
            uint64_t d = job->in.marks.delivered, sn = job->in.marks.seen;
            if (d > k->stored_delivered)
                k->stored_delivered = d;
            if (sn > k->stored_seen)
                k->stored_seen = sn;
            refresh_known(m);
            if (w->tells)
                tell_peer(w->room, m);
            save(w->room, m);   /* what moved while this one was written */
        } else {
            k->tell = k->tell || w->tells;   /* told with the next write that works */
            if (rc != HDB_E_CLOSED)
                log_error("room %s: could not store receipt marks (%s)", w->room->name,
                          hdb_rc_name(rc));
        }
    }
    if (w->background) {
        free(w);
        hdb_job_free(job);
        return;
    }
    if (rc != HDB_OK && rc != HDB_E_CLOSED)
        pending_fail(&w->p, PROTO_E_INTERNAL, NULL);
    else if (rc == HDB_E_CLOSED)
        pending_fail(&w->p, PROTO_E_SHUTTING_DOWN, NULL);
    else
        reply_seen(w->p.s, w->p.id, m ? m->marks.seen : job->in.marks.seen);
    pending_end(&w->p, job);
}

/* ---- where marks move ---- */

void receipts_published(struct room *r, const struct hdb_event *ev)
{
    if (!is_conversation(r))
        return;
    for (size_t i = 0; i < r->n_members; i++) {
        struct room_member *m = &r->members[i];
        /* One's own message reaching one's own devices is no news to the peer. */
        if (signed_in(m->user) && advance(m, ev->seq, 0, ev->user_id != m->user->id))
            save(r, m);
    }
}

void receipts_history(struct room *r, struct user *u, uint64_t newest)
{
    struct room_member *m = is_conversation(r) ? room_member_of(r, u) : NULL;
    if (m && advance(m, newest, 0, true))
        save(r, m);
}

void receipts_fill(struct proto_room *out, const struct room *r, const struct user *viewer)
{
    out->peer_delivered = out->peer_seen = 0;
    const struct room_member *p = is_conversation(r) ? peer_of(r, viewer) : NULL;
    const struct room_member *m = p ? room_member_of(r, viewer) : NULL;
    if (!m || blocked(r, viewer, p->user))
        return;
    shown(p, m, &out->peer_delivered, &out->peer_seen);
}

void receipts_visible(struct user *u)
{
    for (size_t i = 0; i < u->n_rooms; i++) {
        struct room *r = u->rooms[i];
        struct room_member *m = is_conversation(r) ? room_member_of(r, u) : NULL;
        if (m)
            tell_peer(r, m);
    }
}

void receipts_setting_changed(struct user *u)
{
    for (size_t i = 0; i < u->n_rooms; i++) {
        struct room *r = u->rooms[i];
        struct room_member *m = is_conversation(r) ? room_member_of(r, u) : NULL;
        struct room_member *p = m ? peer_of(r, u) : NULL;
        if (!p)
            continue;
        /* Only what was seen changes with the setting: nothing to say when
         * nothing was. */
        if (m->marks.stored_seen)
            tell_peer(r, m);   /* the peer: what u saw, now shown or hidden */
        if (p->marks.stored_seen)
            tell_peer(r, p);   /* u: what the peer saw */
    }
}

/* ---- room.read ---- */

void receipts_handle_read(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_visible(s, req, req->u.read.room);
    if (!r)
        return;
    if (!is_conversation(r)) {
        session_reply_error(s, req->id, PROTO_E_NOT_A_CONVERSATION, NULL, -1);
        return;
    }
    struct room_member *m = room_member_of(r, s->user);
    if (!m) {   /* a conversation is visible to its members only: not expected */
        session_reply_error(s, req->id, PROTO_E_NOT_MEMBER, NULL, -1);
        return;
    }
    /* Nobody can have seen what does not exist yet: a seq past the newest
     * counts as the newest (a client's clock of the room may run ahead). */
    uint64_t seq = req->u.read.seq < r->last_seq ? req->u.read.seq : r->last_seq;
    /* With read receipts off (either side) reading is nobody's business:
     * only a delivery it implies is told. */
    const struct room_member *p = peer_of(r, s->user);
    advance(m, seq, seq, seq > m->marks.delivered || (p && seen_shared(s->user, p->user)));
    if (m->marks.seen <= m->marks.stored_seen) {
        /* Already stored: nothing to write (a repeated room.read costs nothing). */
        reply_seen(s, req->id, m->marks.seen);
        return;
    }
    struct hdb_job *job = write_job(r, m, s, req->id);
    if (job)
        pending_submit(job);
}

/* ---- startup ---- */

/* After the rooms, their members and everyone's settings: the peer was told
 * what they may see of the stored marks (nothing is sent again after a
 * restart). */
static void on_load(int64_t room_id, int64_t user_id, uint64_t delivered, uint64_t seen, void *ud)
{
    struct room *r = rooms_by_id(ud, room_id);
    for (size_t i = 0; r && i < r->n_members; i++) {
        struct room_member *m = &r->members[i];
        struct room_marks *k = &m->marks;
        if (m->user->id != user_id)
            continue;
        k->delivered = k->stored_delivered = k->known_delivered = delivered > seen ? delivered
                                                                                 : seen;
        k->seen = k->stored_seen = k->known_seen = seen;
        const struct room_member *p = peer_of(r, m->user);
        if (p)
            shown(m, p, &k->sent_delivered, &k->sent_seen);
    }
}

int receipts_load(struct server *srv)
{
    return hdb_load_marks(srv->db, on_load, srv) == HDB_OK ? 0 : -1;
}
