/* Clean time: each member's periods (one current, to_day NULL, and the
 * past ones kept as their history) and the milestones already told for a
 * period, so none is told twice, across restarts. Days are "YYYY-MM-DD"
 * names, which sort in date order as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

/* A new date earlier than the current period's start corrects that start
 * (the member counted from too late): the current row goes and the new one
 * covers it whole, so nothing the member lived is lost. */
static const char SQL_SOBRIETY_CORRECT[] =
    "DELETE FROM sobriety_periods WHERE user_id = ?1 AND to_day IS NULL AND from_day > ?2";
/* max(): a period never ends before it began, even when two devices set
 * dates at the same moment and the server's idea of "current" was stale. */
static const char SQL_SOBRIETY_CLOSE[] =
    "UPDATE sobriety_periods SET to_day = max(?2, from_day) WHERE user_id = ?1 AND to_day IS NULL";
/* Starting again on the day a past period began reopens that period (it
 * was the same clean time after all) instead of failing on the key. */
static const char SQL_SOBRIETY_INSERT[] =
    "INSERT INTO sobriety_periods (user_id, from_day) VALUES (?1, ?2)"
    " ON CONFLICT (user_id, from_day) DO UPDATE SET to_day = NULL";
/* The current period first, then the past ones newest first. */
static const char SQL_SOBRIETY_LIST[] =
    "SELECT from_day, COALESCE(to_day, '') FROM sobriety_periods WHERE user_id = ?1"
    " ORDER BY to_day IS NULL DESC, from_day DESC, to_day DESC";
static const char SQL_MILESTONE_TOLD[] =
    "INSERT INTO milestones_told (user_id, from_day, key, told_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT DO NOTHING";
static const char SQL_SOBRIETY_LOAD[] =
    "SELECT p.user_id, u.handle, p.from_day FROM sobriety_periods p"
    " JOIN users u ON u.id = p.user_id WHERE p.to_day IS NULL ORDER BY p.user_id";
static const char SQL_MILESTONES_LOAD[] =
    "SELECT m.user_id, m.key FROM milestones_told m JOIN sobriety_periods p"
    " ON p.user_id = m.user_id AND p.from_day = m.from_day AND p.to_day IS NULL"
    " ORDER BY m.user_id";

static void bind_day(sqlite3_stmt *s, int col, const char *day)
{
    sqlite3_bind_text(s, col, day, -1, SQLITE_STATIC);
}

/* Runs one of the statements that take (user_id, day). */
static int exec_user_day(struct hdb *db, enum hdb__sid sid, const char *sql, int64_t user_id,
                         const char *day, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, sid, sql);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, user_id);
    bind_day(s, 2, day);
    return hdb__exec(db, s, what);
}

static void copy_day(char out[11], sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(out, 11, "%s", t ? (const char *)t : "");
}

static int period_from_row(sqlite3_stmt *s, void *elem)
{
    struct hdb_period *p = elem;
    copy_day(p->from, s, 0);
    copy_day(p->to, s, 1);
    return 0;
}

static int sobriety_list(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SOBRIETY_LIST, SQL_SOBRIETY_LIST);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    return hdb__read_rows(db, s, (void **)&job->out.periods, &job->out.n_periods,
                          sizeof *job->out.periods, period_from_row, what);
}

/* day_from: the new start (NULL = stop counting); day_to: the day the
 * current period ends, when it ends (the day before a later new start, or
 * today when stopping). A new start earlier than the current period's is a
 * correction of it (see SQL_SOBRIETY_CORRECT). */
static int sobriety_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    const char *from = job->in.day_from, *to = job->in.day_to;
    int64_t uid = job->in.user_id;
    int rc = HDB_OK;
    if (!uid)
        return hdb__bad_input(what, "user_id");
    if (from)
        rc = exec_user_day(db, HDB__S_SOBRIETY_CORRECT, SQL_SOBRIETY_CORRECT, uid, from, what);
    if (rc == HDB_OK && to)
        rc = exec_user_day(db, HDB__S_SOBRIETY_CLOSE, SQL_SOBRIETY_CLOSE, uid, to, what);
    if (rc == HDB_OK && from)
        rc = exec_user_day(db, HDB__S_SOBRIETY_INSERT, SQL_SOBRIETY_INSERT, uid, from, what);
    return rc == HDB_OK ? sobriety_list(db, job, what) : rc;
}

static int milestone_told(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.user_id || !job->in.day_from || !job->in.text)
        return hdb__bad_input(what, "user_id, day_from or text");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MILESTONE_TOLD, SQL_MILESTONE_TOLD);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    bind_day(s, 2, job->in.day_from);
    sqlite3_bind_text(s, 3, job->in.text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, job->in.now);
    return hdb__exec(db, s, what);
}

int hdb__op_sobriety(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_SOBRIETY_SET: return sobriety_set(db, job, what);
    case HDB_OP_SOBRIETY_GET: return sobriety_list(db, job, what);
    case HDB_OP_MILESTONE_TOLD: return milestone_told(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a clean-time op\n", what);
    return HDB_E_IO;
}

/* ---- the startup load (synchronous) ---- */

struct current_row {
    int64_t user_id;
    char *handle;
    char from[11];
    char **told;
    size_t n_told, cap_told;
};

static void rows_free(struct current_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].handle);
        for (size_t k = 0; k < rows[i].n_told; k++)
            free(rows[i].told[k]);
        free(rows[i].told);
    }
    free(rows);
}

static int load_periods(struct hdb *db, struct current_row **rows, size_t *n, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SOBRIETY_LOAD, SQL_SOBRIETY_LOAD);
    if (!s)
        return HDB_E_IO;
    size_t cap = 0;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (hdb__grow((void **)rows, &cap, *n, sizeof **rows))
            break;
        struct current_row *r = &(*rows)[*n];
        memset(r, 0, sizeof *r);
        ++*n;
        r->user_id = sqlite3_column_int64(s, 0);
        copy_day(r->from, s, 2);
        if (hdb__col_str(s, 1, true, &r->handle) != 0)
            break;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

/* Both lists are ordered by user_id, so each key finds its period by
 * walking forward. */
static int load_told(struct hdb *db, struct current_row *rows, size_t n, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_MILESTONES_LOAD, SQL_MILESTONES_LOAD);
    if (!s)
        return HDB_E_IO;
    size_t i = 0;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        int64_t uid = sqlite3_column_int64(s, 0);
        while (i < n && rows[i].user_id < uid)
            i++;
        if (i == n || rows[i].user_id != uid)
            continue;
        struct current_row *r = &rows[i];
        if (hdb__grow((void **)&r->told, &r->cap_told, r->n_told, sizeof *r->told) ||
            hdb__col_str(s, 1, true, &r->told[r->n_told]) != 0)
            break;
        r->n_told++;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

int hdb_load_sobriety(struct hdb *db, hdb_sobriety_cb cb, void *ud)
{
    const char *what = "load_sobriety";
    struct current_row *rows = NULL;
    size_t n = 0;
    pthread_mutex_lock(&db->conn_mu);
    int rc = load_periods(db, &rows, &n, what);
    if (rc == HDB_OK)
        rc = load_told(db, rows, n, what);
    pthread_mutex_unlock(&db->conn_mu);
    for (size_t i = 0; rc == HDB_OK && cb && i < n; i++)
        cb(rows[i].user_id, rows[i].handle, rows[i].from, (const char *const *)rows[i].told,
           rows[i].n_told, ud);
    rows_free(rows, n);
    if (rc != HDB_OK)
        fprintf(stderr, "hdb: %s failed\n", what);
    return rc;
}
