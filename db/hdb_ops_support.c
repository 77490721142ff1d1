/* Support requests: each request with the times that tell how long its
 * person waited, the conversation an answer opens, who is available to
 * support, and the per-day waiting figures operators read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdb_internal.h"

#define KIND_SUPPORT_CONVERSATION 2
#define STATE_ACCEPTED 3
#define DAY_MS (24LL * 3600 * 1000)

static const char SQL_SUPPORT_INSERT[] =
    "INSERT INTO support_requests (requester_id, urgency, note, cid, created_at, state)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
#define SUPPORT_COLS \
    "SELECT s.id, s.requester_id, r.handle, s.helper_id, h.handle, s.urgency, s.note," \
    " s.created_at, s.accepted_at, s.closed_at, s.state, c.name FROM support_requests s" \
    " JOIN users r ON r.id = s.requester_id LEFT JOIN users h ON h.id = s.helper_id" \
    " LEFT JOIN rooms c ON c.id = s.room_id"
static const char SQL_SUPPORT_BY_CID[] = SUPPORT_COLS " WHERE s.requester_id = ?1 AND s.cid = ?2";
static const char SQL_SUPPORT_ROW[] = SUPPORT_COLS " WHERE s.id = ?1";
static const char SQL_SUPPORT_LOAD[] = SUPPORT_COLS " WHERE s.state <= 3 ORDER BY s.id";
static const char SQL_SUPPORT_ACCEPT[] =
    "UPDATE support_requests SET state = 3, helper_id = ?2, accepted_at = COALESCE(accepted_at, ?3),"
    " room_id = ?4 WHERE id = ?1 AND state IN (0, 1, 2)";
static const char SQL_SUPPORT_STATE[] =
    "UPDATE support_requests SET state = ?2,"
    " helper_id = CASE WHEN ?2 <= 2 THEN NULL ELSE helper_id END,"
    " room_id = CASE WHEN ?2 <= 2 THEN NULL ELSE room_id END,"
    " closed_at = CASE WHEN ?2 >= 4 THEN ?3 ELSE closed_at END WHERE id = ?1";
static const char SQL_SUPPORT_STATS[] =
    "SELECT created_at, accepted_at, closed_at FROM support_requests WHERE created_at >= ?1"
    " ORDER BY created_at DESC";
static const char SQL_SUPPORTER_PUT[] =
    "INSERT INTO supporters (user_id, since) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_SUPPORTER_DEL[] = "DELETE FROM supporters WHERE user_id = ?1";
static const char SQL_SUPPORTER_LOAD[] =
    "SELECT s.user_id, u.handle FROM supporters s JOIN users u ON u.id = s.user_id";

/* ---- rows ---- */

static int support_from_row(sqlite3_stmt *s, struct hdb_support *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->requester_id = sqlite3_column_int64(s, 1);
    r->helper_id = sqlite3_column_int64(s, 3);
    r->urgency = sqlite3_column_int(s, 5);
    r->created_at = sqlite3_column_int64(s, 7);
    r->accepted_at = sqlite3_column_int64(s, 8);
    r->closed_at = sqlite3_column_int64(s, 9);
    r->state = sqlite3_column_int(s, 10);
    return hdb__col_str(s, 2, true, &r->requester) != 0 ||
                   hdb__col_str(s, 4, false, &r->helper) != 0 ||
                   hdb__col_str(s, 6, false, &r->note) != 0 ||
                   hdb__col_str(s, 11, false, &r->room) != 0
               ? -1
               : 0;
}

static void support_free(struct hdb_support *r)
{
    free(r->requester);
    free(r->helper);
    free(r->note);
    free(r->room);
}

/* The one row of a bound statement into out.support[0]: HDB_OK, NOT_FOUND or IO. */
static int read_one(struct hdb *db, sqlite3_stmt *s, struct hdb_job *job, const char *what)
{
    int rc = hdb__step(db, s, what);
    if (rc == SQLITE_ROW) {
        job->out.support = calloc(1, sizeof *job->out.support);
        if (job->out.support) {
            job->out.n_support = 1;
            rc = support_from_row(s, job->out.support) == 0 ? HDB_OK : HDB_E_IO;
        } else {
            rc = HDB_E_IO;
        }
    } else {
        rc = rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    }
    sqlite3_reset(s);
    return rc;
}

static int support_row(struct hdb *db, struct hdb_job *job, int64_t id, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SUPPORT_ROW, SQL_SUPPORT_ROW);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, id);
    return read_one(db, s, job, what);
}

/* ---- ops ---- */

static int support_add(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s;
    int rc;
    if (job->in.cid) {
        if (!(s = hdb__prep(db, HDB__S_SUPPORT_BY_CID, SQL_SUPPORT_BY_CID)))
            return HDB_E_IO;
        sqlite3_bind_int64(s, 1, job->in.user_id);
        sqlite3_bind_text(s, 2, job->in.cid, -1, SQLITE_STATIC);
        rc = read_one(db, s, job, what);
        if (rc != HDB_E_NOT_FOUND) {
            job->out.duplicate = rc == HDB_OK;
            return rc;
        }
    }
    if (!(s = hdb__prep(db, HDB__S_SUPPORT_INSERT, SQL_SUPPORT_INSERT)))
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int(s, 2, job->in.status);
    if (job->in.text)
        sqlite3_bind_text(s, 3, job->in.text, -1, SQLITE_STATIC);
    if (job->in.cid)
        sqlite3_bind_text(s, 4, job->in.cid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, job->in.now);
    sqlite3_bind_int(s, 6, job->in.support_state);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    return support_row(db, job, sqlite3_last_insert_rowid(db->conn), what);
}

static int support_accept(struct hdb *db, struct hdb_job *job, const char *what)
{
    int64_t id = (int64_t)job->in.seq;
    int rc = support_row(db, job, id, what);
    if (rc != HDB_OK)
        return rc;
    int state = job->out.support[0].state;
    int64_t requester = job->out.support[0].requester_id;
    hdb__job_clear_out(job);
    if (state > 2)
        return HDB_E_ALREADY;   /* answered, closed or withdrawn meanwhile */
    int64_t room_id;
    if ((rc = hdb__conversation_new(db, KIND_SUPPORT_CONVERSATION, job->in.room.name, requester,
                                    job->in.target_id, job->in.now, &room_id, what)) != HDB_OK)
        return rc;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SUPPORT_ACCEPT, SQL_SUPPORT_ACCEPT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, job->in.target_id);
    sqlite3_bind_int64(s, 3, job->in.now);
    sqlite3_bind_int64(s, 4, room_id);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if ((rc = support_row(db, job, id, what)) != HDB_OK)
        return rc;
    return hdb__room_row(db, room_id, &job->out.room, what);
}

static int support_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (job->in.support_state == STATE_ACCEPTED)
        return support_accept(db, job, what);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SUPPORT_STATE, SQL_SUPPORT_STATE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, (int64_t)job->in.seq);
    sqlite3_bind_int(s, 2, job->in.support_state);
    sqlite3_bind_int64(s, 3, job->in.now);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    return support_row(db, job, (int64_t)job->in.seq, what);
}

/* ---- the per-day figures ---- */

static int cmp_ms(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void day_name(int64_t ms, char out[11])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Closes the day being summed: its median over the answered waits. */
static void day_finish(struct hdb_support_day *d, int64_t *answered_waits)
{
    qsort(answered_waits, d->answered, sizeof *answered_waits, cmp_ms);
    if (d->answered)
        d->median_wait_ms = d->answered % 2
                                ? answered_waits[d->answered / 2]
                                : (answered_waits[d->answered / 2 - 1] +
                                   answered_waits[d->answered / 2]) / 2;
}

static int support_stats(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SUPPORT_STATS, SQL_SUPPORT_STATS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, (int64_t)job->in.after);
    size_t cap_days = 0, cap_waits = 0;
    int64_t *waits = NULL;
    struct hdb_support_day *d = NULL;
    int rc;
    while ((rc = hdb__step(db, s, what)) == SQLITE_ROW) {
        int64_t created = sqlite3_column_int64(s, 0), accepted = sqlite3_column_int64(s, 1);
        int64_t closed = sqlite3_column_int64(s, 2);
        char day[11];
        day_name(created, day);
        if (!d || strcmp(d->day, day) != 0) {
            if (d)
                day_finish(d, waits);
            if (hdb__grow((void **)&job->out.days, &cap_days, job->out.n_days,
                          sizeof *job->out.days))
                break;
            d = &job->out.days[job->out.n_days++];
            memset(d, 0, sizeof *d);
            memcpy(d->day, day, sizeof day);
        }
        int64_t wait = (accepted ? accepted : closed ? closed : (int64_t)job->in.now) - created;
        if (wait > d->worst_wait_ms)
            d->worst_wait_ms = wait;
        d->requests++;
        if (accepted) {
            if (hdb__grow((void **)&waits, &cap_waits, d->answered, sizeof *waits))
                break;
            waits[d->answered++] = wait;
        }
    }
    sqlite3_reset(s);
    if (d && rc != SQLITE_ROW)
        day_finish(d, waits);
    free(waits);
    if (rc == SQLITE_ROW) {
        fprintf(stderr, "hdb: %s: out of memory\n", what);
        return HDB_E_IO;
    }
    return rc == SQLITE_DONE ? HDB_OK : HDB_E_IO;
}

static int supporter_set(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = job->in.meeting ? hdb__prep(db, HDB__S_SUPPORTER_PUT, SQL_SUPPORTER_PUT)
                                      : hdb__prep(db, HDB__S_SUPPORTER_DEL, SQL_SUPPORTER_DEL);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    if (job->in.meeting)
        sqlite3_bind_int64(s, 2, job->in.now);
    return hdb__exec(db, s, what);
}

int hdb__op_support(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_SUPPORT_ADD: return support_add(db, job, what);
    case HDB_OP_SUPPORT_SET: return support_set(db, job, what);
    case HDB_OP_SUPPORT_STATS: return support_stats(db, job, what);
    case HDB_OP_SUPPORTER_SET: return supporter_set(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not a support op\n", what);
    return HDB_E_IO;
}

/* ---- startup ---- */

int hdb_load_support(struct hdb *db, hdb_support_cb req_cb, hdb_supporter_cb supporter_cb, void *ud)
{
    const char *what = "load_support";
    struct hdb_support *reqs = NULL;
    struct sup { int64_t id; char *handle; } *sups = NULL;
    size_t n_reqs = 0, n_sups = 0, cap_reqs = 0, cap_sups = 0;
    int rc = HDB_OK;

    pthread_mutex_lock(&db->conn_mu);
    sqlite3_stmt *s = hdb__prep(db, HDB__S_SUPPORT_LOAD, SQL_SUPPORT_LOAD);
    int step = s ? SQLITE_ROW : -1;
    while (s && (step = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (hdb__grow((void **)&reqs, &cap_reqs, n_reqs, sizeof *reqs))
            break;
        memset(&reqs[n_reqs], 0, sizeof *reqs);
        if (support_from_row(s, &reqs[n_reqs++]) != 0)
            break;
    }
    if (s)
        sqlite3_reset(s);
    if (step != SQLITE_DONE)
        rc = HDB_E_IO;
    s = rc == HDB_OK ? hdb__prep(db, HDB__S_SUPPORTER_LOAD, SQL_SUPPORTER_LOAD) : NULL;
    step = s ? SQLITE_ROW : -1;
    while (s && (step = hdb__step(db, s, what)) == SQLITE_ROW) {
        if (hdb__grow((void **)&sups, &cap_sups, n_sups, sizeof *sups))
            break;
        sups[n_sups].id = sqlite3_column_int64(s, 0);
        if (hdb__col_str(s, 1, true, &sups[n_sups++].handle) != 0)
            break;
    }
    if (s)
        sqlite3_reset(s);
    if (rc == HDB_OK && step != SQLITE_DONE)
        rc = HDB_E_IO;
    pthread_mutex_unlock(&db->conn_mu);

    for (size_t i = 0; i < n_sups; i++) {
        if (rc == HDB_OK && supporter_cb)
            supporter_cb(sups[i].id, sups[i].handle, ud);
        free(sups[i].handle);
    }
    for (size_t i = 0; i < n_reqs; i++) {
        if (rc == HDB_OK && req_cb)
            req_cb(&reqs[i], ud);
        support_free(&reqs[i]);
    }
    free(sups);
    free(reqs);
    if (rc != HDB_OK)
        fprintf(stderr, "hdb: %s failed\n", what);
    return rc;
}
