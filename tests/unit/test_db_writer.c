/*
 * The writer thread: FIFO completions, group commit, acknowledgement only
 * after COMMIT, and hdb_close draining the queue. No sleeps: the test
 * waits on a condvar that notify() signals, and uses the hold hook to make
 * batching deterministic.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hdb_internal.h"

#define DB_FIXTURE_TMPL "/tmp/hdb_writer.XXXXXX"
#include "db_fixture.h"

static pthread_mutex_t n_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t n_cv = PTHREAD_COND_INITIALIZER;
static unsigned n_pending;
static unsigned n_notified;

static void notify(void *ud)
{
    (void)ud;
    pthread_mutex_lock(&n_mu);
    n_pending++;
    n_notified++;
    pthread_cond_signal(&n_cv);
    pthread_mutex_unlock(&n_mu);
}

static void setup(void)
{
    db_fixture_setup();
    n_pending = n_notified = 0;
}

TestSuite(db_writer, .init = setup, .fini = db_fixture_teardown);

/* With a writer thread: notify() is set. */
static struct hdb *open_db(unsigned max_batch)
{
    return db_fixture_open(&(struct hdb_options){ .notify = notify, .max_batch = max_batch });
}

/* Test bookkeeping shared by every done() of a test. */
struct tally {
    size_t done;
    size_t order[2048];
    int rc[2048];
    uint64_t seq[2048];
    bool dup[2048];
    size_t seen_in_db;           /* ack_after_commit */
};

struct tag {
    struct tally *t;
    size_t index;
};

static struct tag tags[2048];

static void on_done(struct hdb_job *job)
{
    struct tag *g = job->ud;
    struct tally *t = g->t;
    cr_assert_lt(t->done, 2048);
    t->order[t->done] = g->index;
    t->rc[g->index] = job->out.rc;
    t->seq[g->index] = job->out.event.seq;
    t->dup[g->index] = job->out.duplicate;
    t->done++;
    hdb_job_free(job);
}

/* One wait on n_cv, n_mu held. The 60 s limit is only a watchdog against
 * a hang, not a timing assumption: the caller asserts it did not expire. */
static int watchdog_wait(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 60;
    return pthread_cond_timedwait(&n_cv, &n_mu, &ts);
}

/* Waits for notify() and runs completions until `want` jobs are done. */
static void complete_until(struct hdb *db, struct tally *t, size_t want)
{
    while (t->done < want) {
        pthread_mutex_lock(&n_mu);
        while (n_pending == 0) {
            int rc = watchdog_wait();
            cr_assert_neq(rc, ETIMEDOUT, "no completion within 60 s (%zu of %zu done)",
                          t->done, want);
        }
        n_pending = 0;
        pthread_mutex_unlock(&n_mu);
        hdb_run_completions(db);
    }
    cr_assert_eq(t->done, want);
}

/* Waits until notify() has been called `count` times in all. */
static void wait_notified(unsigned count)
{
    pthread_mutex_lock(&n_mu);
    while (n_notified < count) {
        int rc = watchdog_wait();
        cr_assert_neq(rc, ETIMEDOUT, "only %u of %u notifications within 60 s", n_notified, count);
    }
    pthread_mutex_unlock(&n_mu);
}

static struct hdb_job *job_new(enum hdb_op op, struct tally *t, size_t index)
{
    cr_assert_lt(index, 2048);
    tags[index].t = t;
    tags[index].index = index;
    return hdb_job_new(op, on_done, &tags[index]);
}

static char cids[2048][16];

static struct hdb_job *append_job(struct tally *t, size_t i, int64_t room, int64_t user)
{
    struct hdb_job *j = job_new(HDB_OP_MESSAGE_APPEND, t, i);
    snprintf(cids[i], sizeof cids[i], "c%zu", i);
    j->in.room_id = room;
    j->in.user_id = user;
    j->in.text = "message text";
    j->in.cid = cids[i];
    j->in.now = NOW + (int64_t)i;
    return j;
}

/* Opens the database with a writer thread (max_batch as open_db), creates
 * ann and her room "lounge" (its seq 1 is her join) and clears *t: what
 * almost every test starts from. */
static struct hdb *open_lounge(unsigned max_batch, struct tally *t, int64_t *ann, int64_t *room)
{
    struct hdb *db = open_db(max_batch);
    *ann = mkuser(db, "ann");
    *room = mkroom(db, "lounge", *ann, 0);
    memset(t, 0, sizeof *t);
    return db;
}

/* After hdb_close: the file opens again, and holds all n messages. */
static void expect_messages_after_reopen(int64_t room, size_t n)
{
    struct hdb *db = open_db(0);
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1 AND kind = 0", room),
                 (int64_t)n);
    hdb_close(db);
}

Test(db_writer, completions_in_fifo_order)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(7, &t, &ann, &room);   /* small batches: order across batches */
    int64_t bob = mkuser(db, "bob");
    const size_t n = 300;

    /* Held, then released: the writer makes ceil(300 / 7) = 43 batches, and
     * all of them are waiting in the completed list when we run it once. */
    hdb__test_hold(db, true);
    for (size_t i = 0; i < n; i++) {
        struct hdb_job *j;
        switch (i % 5) {
        case 0:  j = job_new(HDB_OP_ROOM_JOIN, &t, i);   /* ALREADY after the first */
                 j->in.room_id = room; j->in.user_id = bob; j->in.now = NOW; break;
        case 1:  j = job_new(HDB_OP_HISTORY, &t, i);
                 j->in.room_id = room; j->in.limit = 5; break;
        case 2:  j = job_new(HDB_OP_MESSAGE_APPEND, &t, i);   /* unknown room */
                 j->in.room_id = 999; j->in.user_id = ann; j->in.text = "x"; break;
        default: j = append_job(&t, i, room, i % 2 ? ann : bob); break;
        }
        cr_assert_eq(hdb_submit(db, j), HDB_OK);
    }
    hdb__test_hold(db, false);
    wait_notified((unsigned)((n + 6) / 7));
    cr_assert_eq(t.done, 0, "done() runs only inside hdb_run_completions");
    hdb_run_completions(db);
    cr_assert_eq(t.done, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(t.order[i], i, "completion %zu was job %zu", i, t.order[i]);

    /* Failures inside a batch did not disturb the others' seqs. */
    uint64_t next = 2;
    for (size_t i = 0; i < n; i++) {
        int want = i % 5 == 0 ? (i == 0 ? HDB_OK : HDB_E_ALREADY)
                 : i % 5 == 2 ? HDB_E_NOT_FOUND : HDB_OK;
        cr_assert_eq(t.rc[i], want, "job %zu: %s", i, hdb_rc_name(t.rc[i]));
        if (want == HDB_OK && i % 5 != 1)
            cr_assert_eq(t.seq[i], next++, "job %zu", i);
    }
    hdb_close(db);
    cr_assert_eq(q_int("SELECT last_seq FROM rooms WHERE id = ?1", room), (int64_t)next - 1);
}

Test(db_writer, group_commit_batches)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(0, &t, &ann, &room);   /* default 256 */
    const size_t n = 1000;

    uint64_t before = hdb__test_commits(db);
    hdb__test_hold(db, true);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(hdb_submit(db, append_job(&t, i, room, ann)), HDB_OK);
    hdb__test_hold(db, false);
    complete_until(db, &t, n);

    uint64_t commits = hdb__test_commits(db) - before;
    cr_assert_lt(commits, n, "group commit must batch (%llu transactions)",
                 (unsigned long long)commits);
    cr_assert_eq(commits, (n + 255) / 256, "%llu transactions for %zu queued jobs",
                 (unsigned long long)commits, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(t.order[i], i);
        cr_assert_eq(t.rc[i], HDB_OK);
        cr_assert_eq(t.seq[i], i + 2);
    }
    hdb_close(db);
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1", room),
                 (int64_t)n + 1);
}

/* ---- acknowledgement only after COMMIT ---- */

static sqlite3 *observer;
static sqlite3_stmt *observer_q;

static void on_done_check_visible(struct hdb_job *job)
{
    struct tag *g = job->ud;
    cr_assert_eq(job->out.rc, HDB_OK);
    /* Another connection sees only committed data. */
    sqlite3_reset(observer_q);
    sqlite3_bind_int64(observer_q, 1, job->out.event.room_id);
    sqlite3_bind_int64(observer_q, 2, (int64_t)job->out.event.seq);
    cr_assert_eq(sqlite3_step(observer_q), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int64(observer_q, 0), 1,
                 "event %llu acknowledged before it was committed",
                 (unsigned long long)job->out.event.seq);
    sqlite3_reset(observer_q);
    g->t->seen_in_db++;
    on_done(job);
}

Test(db_writer, ack_only_after_commit)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(16, &t, &ann, &room);
    const size_t n = 100;

    cr_assert_eq(sqlite3_open_v2(path, &observer, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(observer,
                 "SELECT count(*) FROM room_events WHERE room_id = ?1 AND seq = ?2",
                 -1, &observer_q, NULL), SQLITE_OK);
    for (size_t i = 0; i < n; i++) {
        struct hdb_job *j = append_job(&t, i, room, ann);
        j->done = on_done_check_visible;
        cr_assert_eq(hdb_submit(db, j), HDB_OK);
    }
    complete_until(db, &t, n);
    cr_assert_eq(t.seen_in_db, n);
    sqlite3_finalize(observer_q);
    sqlite3_close(observer);
    hdb_close(db);
}

Test(db_writer, retried_sends_in_one_batch)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(0, &t, &ann, &room);

    hdb__test_hold(db, true);
    for (size_t i = 0; i < 6; i++) {
        struct hdb_job *j = append_job(&t, i, room, ann);
        j->in.cid = i % 2 ? "same" : "other";   /* later ones are retries */
        cr_assert_eq(hdb_submit(db, j), HDB_OK);
    }
    hdb__test_hold(db, false);
    complete_until(db, &t, 6);
    cr_assert_eq(t.seq[0], 2);
    cr_assert_eq(t.seq[1], 3);
    for (size_t i = 2; i < 6; i++) {
        cr_assert_eq(t.seq[i], i % 2 ? 3 : 2, "the retry sees the earlier job of the batch");
        cr_assert(t.dup[i]);
    }
    cr_assert_not(t.dup[0]);
    cr_assert_not(t.dup[1]);
    hdb_close(db);
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1", room), 3);
}

/* ---- a failed COMMIT ---- */

static int refuse_commit(void *ud)
{
    (void)ud;
    return 1;                    /* turns the COMMIT into a ROLLBACK */
}

Test(db_writer, failed_commit_fails_the_whole_batch)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(0, &t, &ann, &room);

    hdb__test_hold(db, true);
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(hdb_submit(db, append_job(&t, i, room, ann)), HDB_OK);
    pthread_mutex_lock(&db->conn_mu);
    sqlite3_commit_hook(db->conn, refuse_commit, NULL);
    pthread_mutex_unlock(&db->conn_mu);
    hdb__test_hold(db, false);
    complete_until(db, &t, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(t.rc[i], HDB_E_IO, "job %zu: %s", i, hdb_rc_name(t.rc[i]));
        cr_assert_eq(t.seq[i], 0, "a failed job carries no event");
    }
    cr_assert_eq(q_int("SELECT count(*) FROM room_events WHERE room_id = ?1", room), 1);

    pthread_mutex_lock(&db->conn_mu);
    sqlite3_commit_hook(db->conn, NULL, NULL);
    pthread_mutex_unlock(&db->conn_mu);
    /* The writer carries on, and the lost batch left no gap. */
    cr_assert_eq(hdb_submit(db, append_job(&t, 5, room, ann)), HDB_OK);
    complete_until(db, &t, 6);
    cr_assert_eq(t.rc[5], HDB_OK);
    cr_assert_eq(t.seq[5], 2);
    hdb_close(db);
}

/* ---- hdb_close ---- */

static struct hdb *closing_db;
static int submit_during_close_rc = 12345;

static void on_done_submit_again(struct hdb_job *job)
{
    struct hdb_job *again = hdb_job_new(HDB_OP_HISTORY, NULL, NULL);
    submit_during_close_rc = hdb_submit(closing_db, again);
    hdb_job_free(again);
    on_done(job);
}

Test(db_writer, close_drains_the_queue)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(0, &t, &ann, &room);
    const size_t n = 500;

    /* Held: every job is still queued when hdb_close starts. */
    hdb__test_hold(db, true);
    for (size_t i = 0; i < n; i++) {
        struct hdb_job *j = append_job(&t, i, room, ann);
        if (i == n - 1)
            j->done = on_done_submit_again;
        cr_assert_eq(hdb_submit(db, j), HDB_OK);
    }
    closing_db = db;
    hdb_close(db);
    cr_assert_eq(t.done, n, "hdb_close runs the remaining completions");
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(t.order[i], i);
        cr_assert_eq(t.rc[i], HDB_OK);
    }
    cr_assert_eq(submit_during_close_rc, HDB_E_CLOSED);

    expect_messages_after_reopen(room, n);
}

Test(db_writer, close_right_after_submit)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(0, &t, &ann, &room);
    const size_t n = 500;

    for (size_t i = 0; i < n; i++)
        cr_assert_eq(hdb_submit(db, append_job(&t, i, room, ann)), HDB_OK);
    hdb_close(db);
    cr_assert_eq(t.done, n);

    expect_messages_after_reopen(room, n);
}

Test(db_writer, sync_only_db_refuses_submit)
{
    struct hdb *db = db_fixture_open(NULL);   /* no notify: no writer thread */
    struct hdb_job *j = hdb_job_new(HDB_OP_HISTORY, NULL, NULL);
    cr_assert_eq(hdb_submit(db, j), HDB_E_CLOSED, "nobody would ever run it");
    hdb_job_free(j);
    hdb_close(db);
}

Test(db_writer, run_sync_alongside_the_writer)
{
    static struct tally t;
    int64_t ann, room;
    struct hdb *db = open_lounge(8, &t, &ann, &room);
    const size_t n = 400;
    char handle[32];

    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(hdb_submit(db, append_job(&t, i, room, ann)), HDB_OK);
        /* The synchronous API interleaves with the writer's batches. */
        if (i % 50 == 0) {
            snprintf(handle, sizeof handle, "user%zu", i);
            mkuser(db, handle);
            bool on = true;
            cr_assert_eq(hdb_setting_set_bool(db, "require_invite", false), HDB_OK);
            cr_assert_eq(hdb_setting_get_bool(db, "require_invite", &on), HDB_OK);
            cr_assert_not(on);
        }
    }
    complete_until(db, &t, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(t.seq[i], i + 2);
    hdb_close(db);
    cr_assert_eq(q_int("SELECT count(*) FROM users WHERE ?1 = ?1", 0), 1 + n / 50);
}
