/*
 * Room ops: create, join, leave, append, history. Every event takes
 * seq = rooms.last_seq + 1 and bumps last_seq in the same transaction, so
 * a room's seqs start at 1 and have no gaps: a client that knows its last
 * seq can always tell exactly what it missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define EVENT_COLS \
    "SELECT e.room_id, e.seq, e.kind, e.user_id, u.handle, e.ts, e.text, e.cid, e.flags," \
    " e.target_seq" \
    " FROM room_events e LEFT JOIN users u ON u.id = e.user_id"

static const char SQL_ROOM_HEAD[] = "SELECT last_seq, visibility FROM rooms WHERE id = ?1";
static const char SQL_ROOM_INSERT[] =
    "INSERT INTO rooms (name, title, topic, visibility, creator_id, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO NOTHING";
static const char SQL_ROOM_SET_SEQ[] = "UPDATE rooms SET last_seq = ?2 WHERE id = ?1";
static const char SQL_MEMBER_IS[] =
    "SELECT 1 FROM room_members WHERE room_id = ?1 AND user_id = ?2";
static const char SQL_MEMBER_INSERT[] =
    "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?1, ?2, ?3)";
static const char SQL_MEMBER_DELETE[] =
    "DELETE FROM room_members WHERE room_id = ?1 AND user_id = ?2";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO room_events (room_id, seq, kind, user_id, ts, text, cid, flags, target_seq)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_EVENT_BY_CID[] =
    EVENT_COLS " WHERE e.room_id = ?1 AND e.user_id = ?2 AND e.cid = ?3";
static const char SQL_EVENTS_AFTER[] =
    EVENT_COLS " WHERE e.room_id = ?1 AND e.seq > ?2 ORDER BY e.seq ASC LIMIT ?3";
static const char SQL_EVENTS_BEFORE[] =
    EVENT_COLS " WHERE e.room_id = ?1 AND e.seq < ?2 ORDER BY e.seq DESC LIMIT ?3";

static int oom(const char *what)
{
    fprintf(stderr, "hdb: %s: out of memory\n", what);
    return HDB_E_IO;
}

/* seqs are stored as sqlite's signed 64-bit integers. */
static int64_t seq_bound(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int event_from_row(sqlite3_stmt *s, struct hdb_event *e)
{
    e->room_id = sqlite3_column_int64(s, 0);
    e->seq = (uint64_t)sqlite3_column_int64(s, 1);
    e->kind = sqlite3_column_int(s, 2);
    e->user_id = sqlite3_column_int64(s, 3);
    e->ts = sqlite3_column_int64(s, 5);
    e->flags = sqlite3_column_int(s, 8);
    e->target_seq = (uint64_t)sqlite3_column_int64(s, 9);
    if (hdb__col_str(s, 4, true, &e->handle) != 0 ||
        hdb__col_str(s, 6, false, &e->text) != 0 ||
        hdb__col_str(s, 7, false, &e->cid) != 0)
        return -1;
    return 0;
}

int hdb__room_head(struct hdb *db, int64_t room_id, uint64_t *last_seq, int *visibility,
                   const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_HEAD, SQL_ROOM_HEAD);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    int rc = hdb__step(db, s, what);
    if (rc == SQLITE_ROW) {
        if (last_seq)
            *last_seq = (uint64_t)sqlite3_column_int64(s, 0);
        if (visibility)
            *visibility = sqlite3_column_int(s, 1);
        rc = HDB_OK;
    } else {
        rc = rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    }
    sqlite3_reset(s);
    return rc;
}

/* HDB_OK when a member, HDB_E_NOT_FOUND when not, or HDB_E_IO. */
static int is_member(struct hdb *db, int64_t room_id, int64_t user_id, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MEMBER_IS, SQL_MEMBER_IS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, user_id);
    int rc = hdb__step(db, s, what);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? HDB_OK : rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
}

static int member_write(struct hdb *db, enum hdb__sid id, const char *sql, int64_t room_id,
                        int64_t user_id, int64_t now, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, id, sql);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, user_id);
    if (id == HDB__S_MEMBER_INSERT)
        sqlite3_bind_int64(s, 3, now);
    return hdb__exec(db, s, what);
}

static int append_event(struct hdb *db, int64_t room_id, uint64_t last_seq, int kind,
                        int64_t user_id, const char *text, const char *cid, int64_t now,
                        struct hdb_event *ev, const char *what)
{
    ev->flags = 0;
    ev->target_seq = 0;
    return hdb__append_event(db, room_id, last_seq, kind, user_id, text, cid, now, ev, what);
}

/* Writes the next event of a room and fills ev (whose handle the caller
 * has already set, as well as ev->flags and ev->target_seq). last_seq is
 * the room's current value; user_id 0 stores no author. */
int hdb__append_event(struct hdb *db, int64_t room_id, uint64_t last_seq, int kind,
                      int64_t user_id, const char *text, const char *cid, int64_t now,
                      struct hdb_event *ev, const char *what)
{
    uint64_t seq = last_seq + 1;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_EVENT_INSERT, SQL_EVENT_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, (int64_t)seq);
    sqlite3_bind_int(s, 3, kind);
    if (user_id)
        sqlite3_bind_int64(s, 4, user_id);
    sqlite3_bind_int64(s, 5, now);
    sqlite3_bind_text(s, 6, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, cid, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, ev->flags);
    if (ev->target_seq)
        sqlite3_bind_int64(s, 9, (int64_t)ev->target_seq);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if ((rc = hdb__bump_seq(db, room_id, last_seq, now, ev, what)) != HDB_OK)
        return rc;
    ev->kind = kind;
    ev->user_id = user_id;
    if ((text && !(ev->text = strdup(text))) || (cid && !(ev->cid = strdup(cid))))
        return oom(what);
    return HDB_OK;
}

int hdb__bump_seq(struct hdb *db, int64_t room_id, uint64_t last_seq, int64_t now,
                  struct hdb_event *ev, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_SET_SEQ, SQL_ROOM_SET_SEQ);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, (int64_t)(last_seq + 1));
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    ev->room_id = room_id;
    ev->seq = last_seq + 1;
    ev->kind = HDB_EV_MESSAGE;
    ev->ts = now;
    return HDB_OK;
}

static int room_create(struct hdb *db, struct hdb_job *job, const char *what)
{
    const char *name = job->in.room.name;
    const char *title = job->in.room.title ? job->in.room.title : "";
    const char *topic = job->in.room.topic ? job->in.room.topic : "";
    struct hdb_room *r = &job->out.room;
    int rc;

    if (!name)
        return hdb__bad_input(what, "room.name");
    if ((rc = hdb__user_handle(db, job->in.user_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;

    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_INSERT, SQL_ROOM_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, topic, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, job->in.room.visibility);
    sqlite3_bind_int64(s, 5, job->in.user_id);
    sqlite3_bind_int64(s, 6, job->in.now);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_EXISTS;

    r->id = sqlite3_last_insert_rowid(db->conn);
    r->visibility = job->in.room.visibility;
    r->creator_id = job->in.user_id;
    r->created_at = job->in.now;
    if (!(r->name = strdup(name)) || !(r->title = strdup(title)) || !(r->topic = strdup(topic)))
        return oom(what);

    rc = member_write(db, HDB__S_MEMBER_INSERT, SQL_MEMBER_INSERT, r->id, job->in.user_id,
                      job->in.now, what);
    if (rc == HDB_OK)
        rc = hdb__member_set_role(db, r->id, job->in.user_id, HDB_ROLE_HOST, what);
    r->share_seconds = 300; /* the schema's default */
    if (!(r->format = strdup("")))
        return oom(what);
    if (rc == HDB_OK)
        rc = append_event(db, r->id, 0, HDB_EV_JOINED, job->in.user_id, NULL, NULL, job->in.now,
                          &job->out.event, what);
    if (rc == HDB_OK)
        r->last_seq = job->out.event.seq;
    return rc;
}

static int room_join(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int vis = 0, rc;

    if ((rc = hdb__room_head(db, job->in.room_id, &last, &vis, what)) != HDB_OK ||
        (rc = hdb__user_handle(db, job->in.user_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;
    /* Membership first, so a member's repeated join never burns an invite. */
    rc = is_member(db, job->in.room_id, job->in.user_id, what);
    if (rc != HDB_E_NOT_FOUND)
        return rc == HDB_OK ? HDB_E_ALREADY : rc;
    if (vis == 1 &&
        (rc = hdb__invite_use(db, job->in.invite, job->in.room_id, job->in.now, what)) != HDB_OK)
        return rc;
    rc = member_write(db, HDB__S_MEMBER_INSERT, SQL_MEMBER_INSERT, job->in.room_id,
                      job->in.user_id, job->in.now, what);
    if (rc != HDB_OK)
        return rc;
    return append_event(db, job->in.room_id, last, HDB_EV_JOINED, job->in.user_id, NULL, NULL,
                        job->in.now, &job->out.event, what);
}

static int room_leave(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int rc;

    if ((rc = hdb__room_head(db, job->in.room_id, &last, NULL, what)) != HDB_OK ||
        (rc = hdb__user_handle(db, job->in.user_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;
    rc = is_member(db, job->in.room_id, job->in.user_id, what);
    if (rc != HDB_OK)
        return rc == HDB_E_NOT_FOUND ? HDB_E_ALREADY : rc;
    rc = member_write(db, HDB__S_MEMBER_DELETE, SQL_MEMBER_DELETE, job->in.room_id,
                      job->in.user_id, 0, what);
    if (rc != HDB_OK)
        return rc;
    return append_event(db, job->in.room_id, last, HDB_EV_LEFT, job->in.user_id, NULL, NULL,
                        job->in.now, &job->out.event, what);
}

static int message_append(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int rc;

    if (!job->in.text)
        return hdb__bad_input(what, "text");
    if ((rc = hdb__room_head(db, job->in.room_id, &last, NULL, what)) != HDB_OK)
        return rc;

    if (job->in.cid) {
        /* A retry of a send we already stored gets the first result back. */
        sqlite3_stmt *s = hdb__prep(db, HDB__S_EVENT_BY_CID, SQL_EVENT_BY_CID);
        if (!s)
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.room_id);
        sqlite3_bind_int64(s, 2, job->in.user_id);
        sqlite3_bind_text(s, 3, job->in.cid, -1, SQLITE_STATIC);
        rc = hdb__step(db, s, what);
        if (rc == SQLITE_ROW) {
            rc = event_from_row(s, &job->out.event) == 0 ? HDB_OK : oom(what);
            job->out.duplicate = rc == HDB_OK;
            sqlite3_reset(s);
            return rc;
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return HDB_E_IO;
    }
    if ((rc = hdb__user_handle(db, job->in.user_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;
    return append_event(db, job->in.room_id, last, HDB_EV_MESSAGE, job->in.user_id,
                        job->in.text, job->in.cid, job->in.now, &job->out.event, what);
}

/* Collects up to `limit` rows of a bound events statement; *has_more when
 * the statement (asked for limit + 1) produced one more. */
static int collect_events(struct hdb *db, sqlite3_stmt *s, unsigned limit,
                          struct hdb_event **out, size_t *n_out, bool *has_more,
                          const char *what)
{
    struct hdb_event *ev = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *has_more = false;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (n == limit) {
            *has_more = true;
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            if (ncap > limit)
                ncap = limit;
            struct hdb_event *grown = realloc(ev, ncap * sizeof *ev);
            if (!grown)
                goto nomem;
            ev = grown;
            cap = ncap;
        }
        memset(&ev[n], 0, sizeof ev[n]);
        n++;
        if (event_from_row(s, &ev[n - 1]) != 0)
            goto nomem;
    }
    sqlite3_reset(s);
    if (rc < 0) {
        hdb__events_free(ev, n);
        return HDB_E_IO;
    }
    *out = ev;
    *n_out = n;
    return HDB_OK;

nomem:
    sqlite3_reset(s);
    hdb__events_free(ev, n);
    return oom(what);
}

int hdb__events_before(struct hdb *db, int64_t room_id, uint64_t before, unsigned limit,
                       struct hdb_event **out, size_t *n_out, bool *has_more,
                       const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_EVENTS_BEFORE, SQL_EVENTS_BEFORE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, before ? seq_bound(before) : INT64_MAX);
    sqlite3_bind_int64(s, 3, (int64_t)limit + 1);
    int rc = collect_events(db, s, limit, out, n_out, has_more, what);
    if (rc != HDB_OK)
        return rc;
    /* Read newest first to get the right ones; hand them out oldest first. */
    for (size_t i = 0, j = *n_out; i + 1 < j; i++, j--) {
        struct hdb_event t = (*out)[i];
        (*out)[i] = (*out)[j - 1];
        (*out)[j - 1] = t;
    }
    return HDB_OK;
}

static int history(struct hdb *db, struct hdb_job *job, const char *what)
{
    int rc = hdb__room_head(db, job->in.room_id, NULL, NULL, what);
    if (rc != HDB_OK)
        return rc;
    if (job->in.after == 0 && !job->in.forward)
        return hdb__events_before(db, job->in.room_id, job->in.before, job->in.limit,
                                  &job->out.events, &job->out.n_events, &job->out.has_more,
                                  what);

    sqlite3_stmt *s = hdb__prep(db, HDB__S_EVENTS_AFTER, SQL_EVENTS_AFTER);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, seq_bound(job->in.after));
    sqlite3_bind_int64(s, 3, (int64_t)job->in.limit + 1);
    return collect_events(db, s, job->in.limit, &job->out.events, &job->out.n_events,
                          &job->out.has_more, what);
}

int hdb__op_rooms(struct hdb *db, struct hdb_job *job, bool *keep)
{
    const char *what = hdb__op_name(job->op);

    switch (job->op) {
    case HDB_OP_ROOM_CREATE: return room_create(db, job, what);
    case HDB_OP_ROOM_JOIN: return room_join(db, job, what);
    case HDB_OP_ROOM_LEAVE: return room_leave(db, job, what);
    case HDB_OP_MESSAGE_APPEND: return message_append(db, job, what);
    case HDB_OP_HISTORY: return history(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a room op\n", what);
    return HDB_E_IO;
}
