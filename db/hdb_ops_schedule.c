/* A meeting room's weekly schedule, and the management of a room's invite
 * codes (listing the live ones, revoking one). Both are written to the
 * room's audit log in the same transaction as the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_SLOTS_DELETE[] = "DELETE FROM meeting_slots WHERE room_id = ?1";
static const char SQL_SLOT_INSERT[] =
    "INSERT INTO meeting_slots (room_id, slot, days, start_minute, minutes, tz)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* Live codes only: not expired and not used up (a revoked code is gone). */
#define LIVE_INVITES \
    "SELECT i.code, u.handle, i.created_at, i.expires_at, i.uses_left, i.created_by" \
    " FROM invites i LEFT JOIN users u ON u.id = i.created_by" \
    " WHERE i.room_id = ?1 AND (i.expires_at IS NULL OR i.expires_at > ?2)" \
    " AND (i.uses_left IS NULL OR i.uses_left > 0)"
static const char SQL_INVITE_LIST[] = LIVE_INVITES " ORDER BY i.id DESC LIMIT 200";
static const char SQL_INVITE_LIST_BY[] =
    LIVE_INVITES " AND i.created_by = ?3 ORDER BY i.id DESC LIMIT 200";
static const char SQL_INVITE_OWNER[] = LIVE_INVITES " AND i.code = ?3";
static const char SQL_INVITE_DELETE[] = "DELETE FROM invites WHERE code = ?1";

static int schedule_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    int rc = hdb__room_head(db, job->in.room_id, NULL, NULL, what);
    if (rc != HDB_OK)
        return rc;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SLOTS_DELETE, SQL_SLOTS_DELETE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    for (size_t i = 0; i < job->in.n_slots; i++) {
        const struct hdb_slot *slot = &job->in.slots[i];
        if (!slot->tz)
            return hdb__bad_input(what, "tz");
        if (!(s = hdb__prep(db, HDB__S_SLOT_INSERT, SQL_SLOT_INSERT)))
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.room_id);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        sqlite3_bind_int(s, 3, (int)slot->days);
        sqlite3_bind_int(s, 4, (int)slot->start_minute);
        sqlite3_bind_int(s, 5, (int)slot->minutes);
        sqlite3_bind_text(s, 6, slot->tz, -1, SQLITE_STATIC);
        if ((rc = hdb__exec(db, s, what)) != HDB_OK)
            return rc;
    }
    struct hdb__audit_line a = {.room_id = job->in.room_id, .now = job->in.now,
                                .actor_id = job->in.user_id, .action = HDB_MOD_SCHEDULE};
    return hdb__audit(db, &a, what);
}

static int invite_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_invite *inv = elem;
    inv->created_at = sqlite3_column_int64(s, 2);
    inv->expires_at = sqlite3_column_int64(s, 3);   /* NULL reads as 0: never */
    inv->uses_left = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 4);
    return hdb__col_str(s, 0, true, &inv->code) != 0 ||
                   hdb__col_str(s, 1, false, &inv->created_by) != 0
               ? -1
               : 0;
}

static int invite_list(struct hdb *db, struct hdb_job *job, const char *what)
{
    bool own = !job->in.privileged;
    sqlite3_stmt *s = own ? hdb__prep(db, HDB__S_INVITE_LIST_BY, SQL_INVITE_LIST_BY)
                          : hdb__prep(db, HDB__S_INVITE_LIST, SQL_INVITE_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.now);
    if (own)
        sqlite3_bind_int64(s, 3, job->in.user_id);
    return hdb__read_rows(db, s, (void **)&job->out.invites, &job->out.n_invites,
                          sizeof *job->out.invites, invite_from_row, what);
}

static int invite_revoke(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.invite)
        return hdb__bad_input(what, "invite");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_INVITE_OWNER, SQL_INVITE_OWNER);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, job->in.now);
    sqlite3_bind_text(s, 3, job->in.invite, -1, SQLITE_STATIC);
    int rc = hdb__step(db, s, what);
    int64_t creator = rc == SQLITE_ROW ? sqlite3_column_int64(s, 5) : 0;
    sqlite3_reset(s);
    if (rc < 0)
        return HDB_E_IO;
    if (rc == SQLITE_DONE)
        return HDB_E_INVITE;
    if (!job->in.privileged && creator != job->in.user_id)
        return HDB_E_DENIED;

    if (!(s = hdb__prep(db, HDB__S_INVITE_DELETE, SQL_INVITE_DELETE)))
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, job->in.invite, -1, SQLITE_STATIC);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    struct hdb__audit_line a = {.room_id = job->in.room_id, .now = job->in.now,
                                .actor_id = job->in.user_id, .target_id = creator,
                                .action = HDB_MOD_REVOKE_INVITE};
    return hdb__audit(db, &a, what);
}

int hdb__op_schedule(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_SCHEDULE_SET: return schedule_set(db, job, what);
    case HDB_OP_INVITE_LIST: return invite_list(db, job, what);
    case HDB_OP_INVITE_REVOKE: return invite_revoke(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a schedule or invite op\n", what);
    return HDB_E_IO;
}
