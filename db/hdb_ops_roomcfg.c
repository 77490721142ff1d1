/* Room settings and roles: meeting rooms, their format text and share
 * length, the named chair, and each member's role in the room. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_MEMBER_SET_ROLE[] =
    "UPDATE room_members SET role = ?3 WHERE room_id = ?1 AND user_id = ?2";
/* COALESCE keeps what the job leaves unset (NULL). */
static const char SQL_ROOM_CONFIGURE[] =
    "UPDATE rooms SET meeting = COALESCE(?2, meeting), format = COALESCE(?3, format),"
    " share_seconds = COALESCE(?4, share_seconds), retention_days = COALESCE(?5, retention_days),"
    " ephemeral = COALESCE(?6, ephemeral) WHERE id = ?1";
static const char SQL_ROOM_SET_CHAIR[] = "UPDATE rooms SET chair_id = ?2 WHERE id = ?1";
static const char SQL_ROOM_ROW[] = HDB__ROOM_COLS " WHERE r.id = ?1";

int hdb__member_set_role(struct hdb *db, int64_t room_id, int64_t user_id, int role,
                         const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MEMBER_SET_ROLE, SQL_MEMBER_SET_ROLE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int(s, 3, role);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
        rc = HDB_E_ALREADY;
    return rc;
}

/* Reads the room back whole, so the caller's memory matches the disk. */
int hdb__room_from_row(sqlite3_stmt *s, struct hdb_room *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->visibility = sqlite3_column_int(s, 4);
    r->creator_id = sqlite3_column_int64(s, 5);
    r->created_at = sqlite3_column_int64(s, 6);
    r->last_seq = (uint64_t)sqlite3_column_int64(s, 7);
    r->meeting = sqlite3_column_int(s, 8) != 0;
    r->share_seconds = (unsigned)sqlite3_column_int(s, 10);
    r->slow_seconds = (unsigned)sqlite3_column_int(s, 12);
    r->locked = sqlite3_column_int(s, 13) != 0;
    r->member_limit = (unsigned)sqlite3_column_int(s, 14);
    r->newcomer_seconds = (unsigned)sqlite3_column_int(s, 15);
    r->retention_days = (unsigned)sqlite3_column_int(s, 16);
    r->ephemeral = sqlite3_column_int(s, 17) != 0;
    r->kind = sqlite3_column_int(s, 18);
    if (hdb__col_str(s, 1, true, &r->name) != 0 || hdb__col_str(s, 2, true, &r->title) != 0 ||
        hdb__col_str(s, 3, true, &r->topic) != 0 || hdb__col_str(s, 9, true, &r->format) != 0 ||
        hdb__col_str(s, 11, false, &r->chair) != 0)
        return HDB_E_IO;
    return HDB_OK;
}

int hdb__room_row(struct hdb *db, int64_t room_id, struct hdb_room *r, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_ROW, SQL_ROOM_ROW);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, room_id);
    int rc = hdb__step(db, s, what);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    }
    rc = hdb__room_from_row(s, r);
    if (rc != HDB_OK)
        fprintf(stderr, "hdb: %s: out of memory\n", what);
    sqlite3_reset(s);
    return rc;
}

static int room_configure(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_CONFIGURE, SQL_ROOM_CONFIGURE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    if (job->in.has_meeting)
        sqlite3_bind_int(s, 2, job->in.meeting ? 1 : 0);
    if (job->in.format)
        sqlite3_bind_text(s, 3, job->in.format, -1, SQLITE_STATIC);
    if (job->in.share_seconds)
        sqlite3_bind_int(s, 4, (int)job->in.share_seconds);
    if (job->in.set.has_retention)
        sqlite3_bind_int(s, 5, (int)job->in.set.retention_days);
    if (job->in.set.has_ephemeral)
        sqlite3_bind_int(s, 6, job->in.set.ephemeral ? 1 : 0);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    return hdb__room_row(db, job->in.room_id, &job->out.room, what);
}

static int room_chair(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ROOM_SET_CHAIR, SQL_ROOM_SET_CHAIR);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    if (job->in.target_id)
        sqlite3_bind_int64(s, 2, job->in.target_id);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
        rc = HDB_E_NOT_FOUND;
    return rc;
}

int hdb__op_roomcfg(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_ROOM_CONFIGURE:
        return room_configure(db, job, what);
    case HDB_OP_MEMBER_ROLE:
        if (job->in.role < HDB_ROLE_MEMBER || job->in.role > HDB_ROLE_HOST)
            return hdb__bad_input(what, "role");
        return hdb__member_set_role(db, job->in.room_id, job->in.target_id, job->in.role, what);
    case HDB_OP_ROOM_CHAIR:
        return room_chair(db, job, what);
    default:
        break;
    }
    fprintf(stderr, "hdb: %s is not a room settings op\n", what);
    return HDB_E_IO;
}
