/* Personal blocks, reports to moderators, and the once-only safety notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define REPORT_LIST_MAX 200

static const char SQL_BLOCK_ADD[] =
    "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (user_id, blocked_id) DO NOTHING";
static const char SQL_BLOCK_DEL[] = "DELETE FROM blocks WHERE user_id = ?1 AND blocked_id = ?2";
/* A reported message: its author and its words (NULL once taken down). */
static const char SQL_REPORT_MSG[] =
    "SELECT user_id, text FROM room_events WHERE room_id = ?1 AND seq = ?2 AND kind = 0";
static const char SQL_REPORT_INSERT[] =
    "INSERT INTO reports (ts, reporter_id, reporter, room_id, seq, target_id, target, reason,"
    " excerpt) VALUES (?1, ?2, (SELECT handle FROM users WHERE id = ?2), ?3, ?4, ?5,"
    " (SELECT handle FROM users WHERE id = ?5), ?6, ?7)";
#define REPORT_COLS \
    "SELECT p.id, p.ts, COALESCE(p.reporter_id, 0), p.reporter, COALESCE(p.room_id, 0), r.name," \
    " p.seq, COALESCE(p.target_id, 0), p.target, p.reason, p.excerpt, p.status" \
    " FROM reports p LEFT JOIN rooms r ON r.id = p.room_id"
static const char SQL_REPORT_ROW[] = REPORT_COLS " WHERE p.id = ?1";
static const char SQL_REPORT_LIST[] =
    REPORT_COLS " WHERE (?1 = 0 OR p.room_id = ?1) AND (?2 < 0 OR p.status = ?2)"
    " ORDER BY p.id DESC LIMIT ?3";
static const char SQL_REPORT_RESOLVE[] =
    "UPDATE reports SET status = ?2, resolved_by = ?3, resolved_at = ?4 WHERE id = ?1 AND status = 0";
static const char SQL_USER_SEEN_NOTICE[] = "UPDATE users SET seen_notice = 1 WHERE id = ?1";

static int block_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    bool on = job->in.meeting;
    sqlite3_stmt *s = on ? hdb__prep(db, HDB__S_BLOCK_ADD, SQL_BLOCK_ADD)
                         : hdb__prep(db, HDB__S_BLOCK_DEL, SQL_BLOCK_DEL);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    if (on)
        sqlite3_bind_int64(s, 3, job->in.now);
    return hdb__exec(db, s, what);
}

static int report_from_row(sqlite3_stmt *s, struct hdb_report *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->ts = sqlite3_column_int64(s, 1);
    r->reporter_id = sqlite3_column_int64(s, 2);
    r->room_id = sqlite3_column_int64(s, 4);
    r->seq = (uint64_t)sqlite3_column_int64(s, 6);
    r->target_id = sqlite3_column_int64(s, 7);
    r->status = sqlite3_column_int(s, 11);
    if (hdb__col_str(s, 3, true, &r->reporter) != 0 || hdb__col_str(s, 5, false, &r->room) != 0 ||
        hdb__col_str(s, 8, true, &r->target) != 0 || hdb__col_str(s, 9, true, &r->reason) != 0 ||
        hdb__col_str(s, 10, false, &r->excerpt) != 0)
        return -1;
    return 0;
}

/* Reads reports into job->out.reports: the row `id`, or a listing. */
static int read_reports(struct hdb *db, struct hdb_job *job, sqlite3_stmt *s, size_t max,
                        const char *what)
{
    struct hdb_report *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows) {
        sqlite3_reset(s);
        return HDB_E_IO;
    }
    job->out.reports = rows;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW && job->out.n_reports < max) {
        if (report_from_row(s, &rows[job->out.n_reports++]) != 0) {
            sqlite3_reset(s);
            return HDB_E_IO;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

static int report_row(struct hdb *db, struct hdb_job *job, int64_t id, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_REPORT_ROW, SQL_REPORT_ROW);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, id);
    int rc = read_reports(db, job, s, 1, what);
    return rc == HDB_OK && job->out.n_reports == 0 ? HDB_E_NOT_FOUND : rc;
}

static int report_create(struct hdb *db, struct hdb_job *job, const char *what)
{
    int64_t target = job->in.target_id;
    char *excerpt = NULL;
    if (job->in.seq) {
        sqlite3_stmt *m = hdb__prep(db, HDB__S_REPORT_MSG, SQL_REPORT_MSG);
        if (!m)
            return HDB_E_IO;
        sqlite3_bind_int64(m, 1, job->in.room_id);
        sqlite3_bind_int64(m, 2, (int64_t)job->in.seq);
        int rc = hdb__step(db, m, what);
        if (rc != SQLITE_ROW) {
            sqlite3_reset(m);
            return rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
        }
        target = sqlite3_column_int64(m, 0);
        rc = hdb__col_str(m, 1, false, &excerpt);
        sqlite3_reset(m);
        if (rc != 0)
            return HDB_E_IO;
    }
    sqlite3_stmt *s = hdb__prep(db, HDB__S_REPORT_INSERT, SQL_REPORT_INSERT);
    if (!s) {
        free(excerpt);
        return HDB_E_IO;
    }
    sqlite3_bind_int64(s, 1, job->in.now);
    sqlite3_bind_int64(s, 2, job->in.user_id);
    if (job->in.room_id)
        sqlite3_bind_int64(s, 3, job->in.room_id);
    sqlite3_bind_int64(s, 4, (int64_t)job->in.seq);
    sqlite3_bind_int64(s, 5, target);
    sqlite3_bind_text(s, 6, job->in.reason ? job->in.reason : "", -1, SQLITE_STATIC);
    if (excerpt)
        sqlite3_bind_text(s, 7, excerpt, -1, SQLITE_TRANSIENT);
    int rc = hdb__exec(db, s, what);
    free(excerpt);
    if (rc != HDB_OK)
        return rc;
    return report_row(db, job, sqlite3_last_insert_rowid(db->conn), what);
}

static int report_list(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (job->in.seq) /* one report, by id */
        return report_row(db, job, (int64_t)job->in.seq, what);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_REPORT_LIST, SQL_REPORT_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.room_id);
    sqlite3_bind_int(s, 2, job->in.status);
    sqlite3_bind_int(s, 3, REPORT_LIST_MAX);
    return read_reports(db, job, s, REPORT_LIST_MAX, what);
}

static int report_resolve(struct hdb *db, struct hdb_job *job, const char *what)
{
    int64_t id = (int64_t)job->in.seq;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_REPORT_RESOLVE, SQL_REPORT_RESOLVE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, job->in.status);
    sqlite3_bind_int64(s, 3, job->in.user_id);
    sqlite3_bind_int64(s, 4, job->in.now);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    if ((rc = report_row(db, job, id, what)) != HDB_OK)
        return rc;
    const struct hdb_report *r = &job->out.reports[0];
    struct hdb__audit_line a = {.room_id = r->room_id, .now = job->in.now,
                                .actor_id = job->in.user_id, .action = HDB_MOD_REPORT,
                                .target_id = r->target_id, .reason = job->in.reason,
                                .seq = r->seq};
    return hdb__audit(db, &a, what);
}

int hdb__op_reports(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_BLOCK_SET: return block_set(db, job, what);
    case HDB_OP_REPORT_CREATE: return report_create(db, job, what);
    case HDB_OP_REPORT_LIST: return report_list(db, job, what);
    case HDB_OP_REPORT_RESOLVE: return report_resolve(db, job, what);
    case HDB_OP_USER_SEEN_NOTICE: {
        sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_SEEN_NOTICE, SQL_USER_SEEN_NOTICE);
        if (!s)
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.user_id);
        return hdb__exec(db, s, what);
    }
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a block or report op\n", what);
    return HDB_E_IO;
}
