/* Attendance: each member's own record of the meetings they were at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_ATTENDANCE_ADD[] =
    "INSERT INTO attendance (user_id, room_id, meeting_at, started_at, ended_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
/* A week is named by its Monday in the member's own time: shift by their
 * UTC offset, go to the Sunday that ends the week, step back six days. A
 * meeting counts once however often someone left and came back. */
static const char SQL_ATTENDANCE_WEEKS[] =
    "SELECT date(started_at / 1000 + ?2 * 60, 'unixepoch', 'weekday 0', '-6 days') AS week,"
    " COUNT(DISTINCT room_id || ':' || meeting_at), SUM(ended_at - started_at) / 60000"
    " FROM attendance WHERE user_id = ?1 GROUP BY week ORDER BY week DESC LIMIT ?3";

static int weeks(struct hdb *db, struct hdb_job *job, const char *what)
{
    unsigned limit = job->in.limit ? job->in.limit : 12;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ATTENDANCE_WEEKS, SQL_ATTENDANCE_WEEKS);
    if (!s)
        return HDB_E_IO;
    struct hdb_week *w = calloc(limit, sizeof *w);
    if (!w)
        return HDB_E_IO;
    job->out.weeks = w;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int(s, 2, job->in.status);
    sqlite3_bind_int(s, 3, (int)limit);
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW && job->out.n_weeks < limit) {
        struct hdb_week *x = &w[job->out.n_weeks++];
        const unsigned char *week = sqlite3_column_text(s, 0);
        snprintf(x->week, sizeof x->week, "%s", week ? (const char *)week : "");
        x->meetings = (unsigned)sqlite3_column_int(s, 1);
        x->minutes = (unsigned)sqlite3_column_int(s, 2);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

int hdb__op_attendance(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    if (job->op == HDB_OP_ATTENDANCE_WEEKS)
        return weeks(db, job, what);
    if (job->op != HDB_OP_ATTENDANCE_ADD) {
        fprintf(stderr, "hdb: %s is not an attendance op\n", what);
        return HDB_E_IO;
    }
    sqlite3_stmt *s = hdb__prep(db, HDB__S_ATTENDANCE_ADD, SQL_ATTENDANCE_ADD);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int64(s, 2, job->in.room_id);
    sqlite3_bind_int64(s, 3, (int64_t)job->in.before);
    sqlite3_bind_int64(s, 4, (int64_t)job->in.after);
    sqlite3_bind_int64(s, 5, job->in.now);
    return hdb__exec(db, s, what);
}
