/*
 * The writer thread and group commit.
 *
 * One transaction per batch of queued jobs is what makes WAL+FULL fast
 * enough (one fsync per batch instead of per row); a SAVEPOINT per job
 * keeps one job's failure from undoing the others. Jobs leave in the order
 * they came: the queue is FIFO, a batch is a prefix of it, and completed
 * batches are appended to the completed list in turn.
 */
#include <stdio.h>
#include <string.h>

#include "hdb_internal.h"

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT hdb_job";
static const char SQL_RELEASE[] = "RELEASE hdb_job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO hdb_job";

static int run_stmt(struct hdb *db, enum hdb__sid id, const char *sql, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, id, sql);
    if (!s)
        return HDB_E_IO;
    return hdb__exec(db, s, what);
}

static int dispatch(struct hdb *db, struct hdb_job *job, bool *keep)
{
    switch (job->op) {
    case HDB_OP_USER_CREATE:
    case HDB_OP_USER_BY_HANDLE:
    case HDB_OP_USER_SET_PASSWORD:
    case HDB_OP_USER_SET_STATUS:
    case HDB_OP_USER_REHASH:
    case HDB_OP_TOKEN_CREATE:
    case HDB_OP_TOKEN_LOOKUP:
    case HDB_OP_TOKEN_REVOKE:
    case HDB_OP_INVITE_CREATE:
        return hdb__op_accounts(db, job, keep);
    case HDB_OP_ROOM_CREATE:
    case HDB_OP_ROOM_JOIN:
    case HDB_OP_ROOM_LEAVE:
    case HDB_OP_MESSAGE_APPEND:
    case HDB_OP_HISTORY:
        return hdb__op_rooms(db, job, keep);
    case HDB_OP_ROOM_CONFIGURE:
    case HDB_OP_MEMBER_ROLE:
    case HDB_OP_ROOM_CHAIR:
        return hdb__op_roomcfg(db, job);
    case HDB_OP_MOD_ACTION:
    case HDB_OP_MOD_SETTINGS:
    case HDB_OP_AUDIT_LIST:
        return hdb__op_mod(db, job);
    case HDB_OP_BLOCK_SET:
    case HDB_OP_REPORT_CREATE:
    case HDB_OP_REPORT_LIST:
    case HDB_OP_REPORT_RESOLVE:
    case HDB_OP_USER_SEEN_NOTICE:
        return hdb__op_reports(db, job);
    case HDB_OP_ATTENDANCE_ADD:
    case HDB_OP_ATTENDANCE_WEEKS:
        return hdb__op_attendance(db, job);
    case HDB_OP_SEQ_NEXT:
    case HDB_OP_PURGE:
        return hdb__op_retention(db, job);
    case HDB_OP_BUDDY_SET:
    case HDB_OP_PING_ADD:
    case HDB_OP_PING_MARK:
    case HDB_OP_PINGS_DELIVER:
    case HDB_OP_PINGS_LIST:
    case HDB_OP_PINGS_PURGE:
    case HDB_OP_MARKS_SET:
        return hdb__op_buddies(db, job);
    case HDB_OP_MATCH_POOL_SET:
    case HDB_OP_MATCH_PROPOSAL:
        return hdb__op_match(db, job);
    case HDB_OP_SUPPORT_ADD:
    case HDB_OP_SUPPORT_SET:
    case HDB_OP_SUPPORT_STATS:
    case HDB_OP_SUPPORTER_SET:
        return hdb__op_support(db, job);
    case HDB_OP_SETTINGS_PUT:
    case HDB_OP_SEEN:
    case HDB_OP_CHECKIN_PUT:
    case HDB_OP_CHECKINS:
    case HDB_OP_CHECKIN_FEED:
        return hdb__op_checkins(db, job);
    case HDB_OP_CARD_PUT:
    case HDB_OP_CARD_GET:
    case HDB_OP_PLAN_PUT:
    case HDB_OP_PLAN_GET:
        return hdb__op_plan(db, job);
    case HDB_OP_SOBRIETY_SET:
    case HDB_OP_SOBRIETY_GET:
    case HDB_OP_MILESTONE_TOLD:
        return hdb__op_sobriety(db, job);
    case HDB_OP_EXPORT:
    case HDB_OP_ACCOUNT_DELETE:
        return hdb__op_account(db, job);
    case HDB_OP_SCHEDULE_SET:
    case HDB_OP_INVITE_LIST:
    case HDB_OP_INVITE_REVOKE:
        return hdb__op_schedule(db, job);
    }
    fprintf(stderr, "hdb: unknown op %d\n", (int)job->op);
    return HDB_E_IO;
}

/* Runs one job inside the open transaction, in its own savepoint. Returns
 * false when the transaction itself can no longer be trusted (sqlite rolled
 * it back, or undoing the job failed): the caller then abandons the batch. */
static bool run_job(struct hdb *db, struct hdb_job *job)
{
    const char *name = hdb__op_name(job->op);
    bool keep = false;
    int rc;

    hdb__job_clear_out(job);
    if (run_stmt(db, HDB__S_SAVEPOINT, SQL_SAVEPOINT, name) != HDB_OK) {
        job->out.rc = HDB_E_IO;
        return !sqlite3_get_autocommit(db->conn);
    }
    rc = dispatch(db, job, &keep);
    hdb__reset_busy(db);
    if (sqlite3_get_autocommit(db->conn)) {
        /* An I/O or full-disk error made sqlite roll back everything. */
        job->out.rc = HDB_E_IO;
        return false;
    }
    if (rc == HDB_OK || keep) {
        if (run_stmt(db, HDB__S_RELEASE, SQL_RELEASE, name) == HDB_OK) {
            if (rc != HDB_OK)
                hdb__job_clear_out(job);
            job->out.rc = rc;
            return true;
        }
        rc = HDB_E_IO;
    }
    /* A refused job hands back nothing but its code. */
    hdb__job_clear_out(job);
    job->out.rc = rc;
    /* ROLLBACK TO leaves the savepoint open, hence the RELEASE after it. */
    if (run_stmt(db, HDB__S_ROLLBACK_TO, SQL_ROLLBACK_TO, name) != HDB_OK ||
        run_stmt(db, HDB__S_RELEASE, SQL_RELEASE, name) != HDB_OK)
        return false;
    return true;
}

static void fail_all(struct hdb_job *head, size_t n)
{
    for (struct hdb_job *j = head; j && n; j = j->_next, n--) {
        hdb__job_clear_out(j);
        j->out.rc = HDB_E_IO;
    }
}

/* A job that erased words someone wrote (a moderator's take-down). */
static bool erases(const struct hdb_job *j)
{
    if (j->out.rc != HDB_OK)
        return false;
    return (j->op == HDB_OP_MOD_ACTION && j->in.mod_action == HDB_MOD_DELETE) ||
           (j->op == HDB_OP_PURGE && j->out.n_erased > 0) || j->op == HDB_OP_ACCOUNT_DELETE;
}

/* Erased text must not linger in the WAL either: fold the WAL into the
 * database (where secure_delete has zeroed it) and empty it, before the
 * job is reported done. A failure is logged; the text is then gone at the
 * next automatic checkpoint instead. */
static void checkpoint_if_erased(struct hdb *db, struct hdb_job *head, size_t n)
{
    struct hdb_job *j = head;
    for (size_t i = 0; i < n; i++, j = j->_next) {
        if (erases(j)) {
            if (sqlite3_exec(db->conn, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) !=
                SQLITE_OK)
                fprintf(stderr, "hdb: checkpoint after an erasure failed: %s\n",
                        sqlite3_errmsg(db->conn));
            return;
        }
    }
}

/* Runs the first n jobs of the list in one transaction. Returns true when
 * it committed. Needs conn_mu. */
static bool run_batch(struct hdb *db, struct hdb_job *head, size_t n)
{
    struct hdb_job *j = head;
    size_t i;

    if (run_stmt(db, HDB__S_BEGIN, SQL_BEGIN, "begin") != HDB_OK) {
        fail_all(head, n);
        return false;
    }
    for (i = 0; i < n; i++, j = j->_next)
        if (!run_job(db, j))
            break;
    hdb__reset_busy(db);
    if (i == n && run_stmt(db, HDB__S_COMMIT, SQL_COMMIT, "commit") == HDB_OK) {
        checkpoint_if_erased(db, head, n);
        return true;
    }
    /* Nothing of the batch is durable, so nobody may be told otherwise. */
    if (!sqlite3_get_autocommit(db->conn))
        run_stmt(db, HDB__S_ROLLBACK, SQL_ROLLBACK, "rollback");
    fail_all(head, n);
    return false;
}

static void *writer_main(void *arg)
{
    struct hdb *db = arg;

    pthread_mutex_lock(&db->q_mu);
    for (;;) {
        while (!db->closing && (!db->q_head || db->held))
            pthread_cond_wait(&db->q_cv, &db->q_mu);
        if (!db->q_head)
            break;                       /* closing and drained */

        struct hdb_job *head = db->q_head, *tail = head;
        size_t n = 1;
        while (n < db->max_batch && tail->_next) {
            tail = tail->_next;
            n++;
        }
        db->q_head = tail->_next;
        if (!db->q_head)
            db->q_tail = NULL;
        tail->_next = NULL;
        pthread_mutex_unlock(&db->q_mu);

        pthread_mutex_lock(&db->conn_mu);
        bool committed = run_batch(db, head, n);
        pthread_mutex_unlock(&db->conn_mu);

        pthread_mutex_lock(&db->q_mu);
        if (committed)
            db->n_commits++;
        if (db->done_tail)
            db->done_tail->_next = head;
        else
            db->done_head = head;
        db->done_tail = tail;
        pthread_mutex_unlock(&db->q_mu);

        /* Outside every lock: notify may take the owner's locks. */
        db->notify(db->notify_ud);

        pthread_mutex_lock(&db->q_mu);
    }
    pthread_mutex_unlock(&db->q_mu);
    return NULL;
}

int hdb__writer_start(struct hdb *db, char *err, size_t errlen)
{
    int rc = pthread_create(&db->writer, NULL, writer_main, db);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the database writer thread: %s", strerror(rc));
        return HDB_E_IO;
    }
    db->writer_running = true;
    return HDB_OK;
}

void hdb__writer_stop(struct hdb *db)
{
    pthread_mutex_lock(&db->q_mu);
    db->closing = true;
    pthread_cond_broadcast(&db->q_cv);
    pthread_mutex_unlock(&db->q_mu);
    if (db->writer_running) {
        pthread_join(db->writer, NULL);
        db->writer_running = false;
    }
}

int hdb_submit(struct hdb *db, struct hdb_job *job)
{
    if (!db || !job)
        return HDB_E_CLOSED;
    job->_next = NULL;
    pthread_mutex_lock(&db->q_mu);
    /* Without a writer (opened without notify) nobody would ever run it. */
    if (db->closing || !db->writer_running) {
        pthread_mutex_unlock(&db->q_mu);
        return HDB_E_CLOSED;
    }
    if (db->q_tail)
        db->q_tail->_next = job;
    else
        db->q_head = job;
    db->q_tail = job;
    pthread_cond_signal(&db->q_cv);
    pthread_mutex_unlock(&db->q_mu);
    return HDB_OK;
}

void hdb_run_completions(struct hdb *db)
{
    pthread_mutex_lock(&db->q_mu);
    struct hdb_job *j = db->done_head;
    db->done_head = db->done_tail = NULL;
    pthread_mutex_unlock(&db->q_mu);

    while (j) {
        /* done() usually frees the job: read the link first. */
        struct hdb_job *next = j->_next;
        j->_next = NULL;
        if (j->done)
            j->done(j);
        j = next;
    }
}

int hdb_run_sync(struct hdb *db, struct hdb_job *job)
{
    if (!db || !job)
        return HDB_E_IO;
    job->_next = NULL;
    pthread_mutex_lock(&db->conn_mu);
    run_batch(db, job, 1);
    pthread_mutex_unlock(&db->conn_mu);
    return job->out.rc;
}

void hdb__test_hold(struct hdb *db, bool hold)
{
    pthread_mutex_lock(&db->q_mu);
    db->held = hold;
    pthread_cond_broadcast(&db->q_cv);
    pthread_mutex_unlock(&db->q_mu);
}

uint64_t hdb__test_commits(struct hdb *db)
{
    pthread_mutex_lock(&db->q_mu);
    uint64_t n = db->n_commits;
    pthread_mutex_unlock(&db->q_mu);
    return n;
}
