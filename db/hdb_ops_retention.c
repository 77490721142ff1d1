/* Retention: messages that are never stored (ephemeral rooms: only their
 * seq counter is written), and erasing messages past a room's age limit. */
#include <stdio.h>

#include "hdb_internal.h"

/* Messages and take-down markers go; joins and leaves stay, so the
 * membership story of a room still reads right. */
static const char SQL_PURGE[] =
    "DELETE FROM room_events WHERE room_id = ?1 AND kind IN (0, 3) AND ts < ?2";

static int seq_next(struct hdb *db, struct hdb_job *job, const char *what)
{
    uint64_t last = 0;
    int rc = hdb__room_head(db, job->in.room_id, &last, NULL, what);
    if (rc != HDB_OK)
        return rc;
    if ((rc = hdb__user_handle(db, job->in.user_id, &job->out.event.handle, what)) != HDB_OK)
        return rc;
    return hdb__bump_seq(db, job->in.room_id, last, job->in.now, &job->out.event, what);
}

static int purge(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_PURGE, SQL_PURGE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int64(s, 2, (int64_t)job->in.before);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK)
        job->out.n_erased = (size_t)sqlite3_changes(db->conn);
    return rc;
}

int hdb__op_retention(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_SEQ_NEXT: return seq_next(db, job, what);
    case HDB_OP_PURGE: return purge(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a retention op\n", what);
    return HDB_E_IO;
}
