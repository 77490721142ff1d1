/* Buddies: pairs and pending requests (one row per two people), the
 * private conversation a pair shares (a room of kind 1 whose only members
 * are the two), the receipt marks of a conversation's members, and pings
 * between buddies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define KIND_BUDDY_CONVERSATION 1

static const char SQL_BUDDY_PUT[] =
    "INSERT INTO buddies (user_lo, user_hi, paired, requested_by, since) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (user_lo, user_hi) DO UPDATE SET paired = excluded.paired,"
    " requested_by = excluded.requested_by, since = excluded.since";
static const char SQL_BUDDY_DEL[] = "DELETE FROM buddies WHERE user_lo = ?1 AND user_hi = ?2";
/* Marks only grow, whatever order writes come in; delivered is at least seen. */
static const char SQL_MARKS_SET[] =
    "UPDATE room_members SET delivered = max(delivered, ?3, ?4), seen = max(seen, ?4)"
    " WHERE room_id = ?1 AND user_id = ?2";
/* The buddy conversation both are members of, if they ever had one. */
static const char SQL_CONV_FIND[] =
    "SELECT r.id FROM rooms r JOIN room_members a ON a.room_id = r.id AND a.user_id = ?1"
    " JOIN room_members b ON b.room_id = r.id AND b.user_id = ?2 WHERE r.kind = ?3 LIMIT 1";
static const char SQL_CONV_INSERT[] =
    "INSERT INTO rooms (name, title, topic, visibility, creator_id, created_at, kind)"
    " VALUES (?1, '', '', 1, NULL, ?2, ?3)";
static const char SQL_CONV_MEMBER[] =
    "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";

#define PING_COLS \
    "SELECT p.id, p.from_id, p.to_id, p.kind, p.text, f.handle, t.handle, p.ts," \
    " p.delivered_at, p.seen_at FROM pings p JOIN users f ON f.id = p.from_id" \
    " JOIN users t ON t.id = p.to_id"
static const char SQL_PING_INSERT[] =
    "INSERT INTO pings (from_id, to_id, kind, text, cid, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_PING_BY_CID[] = PING_COLS " WHERE p.from_id = ?1 AND p.cid = ?2";
static const char SQL_PING_ROW[] = PING_COLS " WHERE p.id = ?1";
/* Seen implies delivered; neither ever moves back or changes once set. */
static const char SQL_PING_MARK[] =
    "UPDATE pings SET delivered_at = COALESCE(delivered_at, ?3),"
    " seen_at = CASE WHEN ?4 THEN COALESCE(seen_at, ?3) ELSE seen_at END"
    " WHERE id = ?1 AND to_id = ?2";
static const char SQL_PINGS_UNDELIVERED[] =
    PING_COLS " WHERE p.to_id = ?1 AND p.delivered_at IS NULL ORDER BY p.id LIMIT 200";
static const char SQL_PINGS_DELIVER_ALL[] =
    "UPDATE pings SET delivered_at = ?2 WHERE to_id = ?1 AND delivered_at IS NULL"
    " AND id <= ?3";
static const char SQL_PINGS_LIST[] =
    PING_COLS " WHERE (p.from_id = ?1 OR p.to_id = ?1) AND p.ts >= ?2 ORDER BY p.id DESC LIMIT 100";
static const char SQL_PINGS_PURGE[] = "DELETE FROM pings WHERE ts < ?1";

/* ---- pairs and requests ---- */

int hdb__conversation_new(struct hdb *db, int kind, const char *name, int64_t a, int64_t b,
                          int64_t now, int64_t *room_id, const char *what)
{
    if (!name)
        return hdb__bad_input(what, "room.name");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CONV_INSERT, SQL_CONV_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_int(s, 3, kind);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    *room_id = sqlite3_last_insert_rowid(db->conn);
    int64_t both[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (!(s = hdb__prep(db, HDB__S_CONV_MEMBER, SQL_CONV_MEMBER)))
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, *room_id);
        sqlite3_bind_int64(s, 2, both[i]);
        sqlite3_bind_int64(s, 3, now);
        if ((rc = hdb__exec(db, s, what)) != HDB_OK)
            return rc;
    }
    return HDB_OK;
}

/* The pair's conversation: the one they had, or a new one. */
static int conversation(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_CONV_FIND, SQL_CONV_FIND);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int(s, 3, KIND_BUDDY_CONVERSATION);
    int rc = hdb__step(db, s, what);
    int64_t room_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc < 0)
        return HDB_E_IO;
    if (!room_id &&
        (rc = hdb__conversation_new(db, KIND_BUDDY_CONVERSATION, job->in.room.name,
                                    job->in.user_id, job->in.target_id, job->in.now, &room_id,
                                    what)) != HDB_OK)
        return rc;
    return hdb__room_row(db, room_id, &job->out.room, what);
}

static int buddy_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    int64_t a = job->in.user_id, b = job->in.target_id;
    if (!a || !b || a == b)
        return hdb__bad_input(what, "target_id");
    int64_t lo = a < b ? a : b, hi = a < b ? b : a;
    sqlite3_stmt *s = job->in.status < 0 ? hdb__prep(db, HDB__S_BUDDY_DEL, SQL_BUDDY_DEL)
                                         : hdb__prep(db, HDB__S_BUDDY_PUT, SQL_BUDDY_PUT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, lo);
    sqlite3_bind_int64(s, 2, hi);
    if (job->in.status >= 0) {
        sqlite3_bind_int(s, 3, job->in.status == 1);
        sqlite3_bind_int64(s, 4, a);
        sqlite3_bind_int64(s, 5, job->in.now);
    }
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK && job->in.status == 1)
        rc = conversation(db, job, what);
    return rc;
}

/* ---- pings ---- */

static int ping_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_ping *p = elem;
    p->id = sqlite3_column_int64(s, 0);
    p->from_id = sqlite3_column_int64(s, 1);
    p->to_id = sqlite3_column_int64(s, 2);
    p->kind = sqlite3_column_int(s, 3);
    p->ts = sqlite3_column_int64(s, 7);
    p->delivered_at = sqlite3_column_int64(s, 8);
    p->seen_at = sqlite3_column_int64(s, 9);
    return hdb__col_str(s, 4, false, &p->text) != 0 || hdb__col_str(s, 5, true, &p->from) != 0 ||
                   hdb__col_str(s, 6, true, &p->to) != 0
               ? -1
               : 0;
}

/* Appends every row of a bound statement to out.pings. */
static int read_pings(struct hdb *db, sqlite3_stmt *s, struct hdb_job *job, const char *what)
{
    return hdb__read_rows(db, s, (void **)&job->out.pings, &job->out.n_pings,
                          sizeof *job->out.pings, ping_from_row, what);
}

static int ping_row(struct hdb *db, struct hdb_job *job, int64_t id, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PING_ROW, SQL_PING_ROW);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, id);
    int rc = read_pings(db, s, job, what);
    return rc == HDB_OK && job->out.n_pings == 0 ? HDB_E_NOT_FOUND : rc;
}

static int ping_add(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s;
    int rc;
    if (job->in.cid) {
        if (!(s = hdb__prep(db, HDB__S_PING_BY_CID, SQL_PING_BY_CID)))
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.user_id);
        sqlite3_bind_text(s, 2, job->in.cid, -1, SQLITE_STATIC);
        if ((rc = read_pings(db, s, job, what)) != HDB_OK)
            return rc;
        if (job->out.n_pings) {
            job->out.duplicate = true;
            return HDB_OK;
        }
    }
    if (!(s = hdb__prep(db, HDB__S_PING_INSERT, SQL_PING_INSERT)))
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int(s, 3, job->in.status);
    if (job->in.text)
        sqlite3_bind_text(s, 4, job->in.text, -1, SQLITE_STATIC);
    if (job->in.cid)
        sqlite3_bind_text(s, 5, job->in.cid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, job->in.now);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    return ping_row(db, job, sqlite3_last_insert_rowid(db->conn), what);
}

static int ping_mark(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PING_MARK, SQL_PING_MARK);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, (int64_t)job->in.seq);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int64(s, 3, job->in.now);
    sqlite3_bind_int(s, 4, job->in.status == 2);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    return ping_row(db, job, (int64_t)job->in.seq, what);
}

static int pings_deliver(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PINGS_UNDELIVERED, SQL_PINGS_UNDELIVERED);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    int rc = read_pings(db, s, job, what);
    if (rc != HDB_OK || job->out.n_pings == 0)
        return rc;
    if (!(s = hdb__prep(db, HDB__S_PINGS_DELIVER_ALL, SQL_PINGS_DELIVER_ALL)))
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.now);
    sqlite3_bind_int64(s, 3, job->out.pings[job->out.n_pings - 1].id);
    for (size_t i = 0; i < job->out.n_pings; i++)
        job->out.pings[i].delivered_at = job->in.now;
    return hdb__exec(db, s, what);
}

static int pings_list(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PINGS_LIST, SQL_PINGS_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, (int64_t)job->in.after);
    return read_pings(db, s, job, what);
}

static int pings_purge(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PINGS_PURGE, SQL_PINGS_PURGE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, (int64_t)job->in.before);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK)
        job->out.n_erased = (size_t)sqlite3_changes(db->conn);
    return rc;
}

static int marks_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (job->in.marks.delivered > INT64_MAX || job->in.marks.seen > INT64_MAX)
        return hdb__bad_input(what, "marks");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MARKS_SET, SQL_MARKS_SET);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.user_id);
    sqlite3_bind_int64(s, 3, (int64_t)job->in.marks.delivered);
    sqlite3_bind_int64(s, 4, (int64_t)job->in.marks.seen);
    return hdb__exec(db, s, what);
}

int hdb__op_buddies(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_BUDDY_SET: return buddy_set(db, job, what);
    case HDB_OP_PING_ADD: return ping_add(db, job, what);
    case HDB_OP_PING_MARK: return ping_mark(db, job, what);
    case HDB_OP_PINGS_DELIVER: return pings_deliver(db, job, what);
    case HDB_OP_PINGS_LIST: return pings_list(db, job, what);
    case HDB_OP_PINGS_PURGE: return pings_purge(db, job, what);
    case HDB_OP_MARKS_SET: return marks_set(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a buddy op\n", what);
    return HDB_E_IO;
}
