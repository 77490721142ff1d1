/*
 * Internal to db/: the hdb struct, the statement cache, and the few hooks
 * the unit tests need. Nothing outside db/ and tests/unit/test_db_*.c
 * includes this.
 *
 * Locking, in one place:
 * - conn_mu serialises every use of the one sqlite connection: the writer
 *   holds it for a whole batch (BEGIN .. COMMIT), the synchronous API
 *   (hdb_run_sync, loads, settings, admin) for one call. One connection
 *   means one statement cache and no SQLITE_BUSY between our own threads.
 * - q_mu guards the two job lists, the flags and the counters. It is never
 *   held while sqlite runs, while notify() runs or while a done() runs.
 * - Neither is ever taken while the other is held, so there is no lock
 *   order to get wrong.
 */
#ifndef HEARTH_HDB_INTERNAL_H
#define HEARTH_HDB_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>

#include "hdb.h"

/* One slot per cached statement. The SQL lives beside the code that uses
 * it (hdb__prep takes it on first use); the slot only names the cache. */
enum hdb__sid {
    HDB__S_BEGIN,
    HDB__S_COMMIT,
    HDB__S_ROLLBACK,
    HDB__S_SAVEPOINT,
    HDB__S_RELEASE,
    HDB__S_ROLLBACK_TO,

    HDB__S_SETTING_GET,
    HDB__S_SETTING_SET,
    HDB__S_USER_HANDLE,
    HDB__S_USER_INSERT,
    HDB__S_USER_BY_HANDLE,
    HDB__S_USER_SET_PW,
    HDB__S_MEMBER_SET_ROLE,
    HDB__S_ROOM_CONFIGURE,
    HDB__S_ROOM_SET_CHAIR,
    HDB__S_ROOM_ROW,
    HDB__S_SANCTION_SET,
    HDB__S_SANCTION_DEL,
    HDB__S_SANCTION_LIST,
    HDB__S_AUDIT_INSERT,
    HDB__S_AUDIT_LIST,
    HDB__S_EVENT_TAKE_DOWN,
    HDB__S_USER_SUSPEND,
    HDB__S_ROOM_SETTINGS,
    HDB__S_BLOCK_ADD,
    HDB__S_BLOCK_DEL,
    HDB__S_BLOCK_LIST,
    HDB__S_REPORT_MSG,
    HDB__S_REPORT_INSERT,
    HDB__S_REPORT_ROW,
    HDB__S_REPORT_LIST,
    HDB__S_REPORT_RESOLVE,
    HDB__S_USER_SEEN_NOTICE,
    HDB__S_ATTENDANCE_ADD,
    HDB__S_ATTENDANCE_WEEKS,
    HDB__S_PURGE,
    HDB__S_USER_REHASH,
    HDB__S_USER_SET_STATUS,
    HDB__S_USER_SET_ROLE,
    HDB__S_USER_LIST,
    HDB__S_TOKENS_DEL_USER,
    HDB__S_TOKEN_INSERT,
    HDB__S_TOKEN_LOOKUP,
    HDB__S_TOKEN_TOUCH,
    HDB__S_TOKEN_DELETE,
    HDB__S_INVITE_FIND,
    HDB__S_INVITE_USE,
    HDB__S_INVITE_INSERT,
    HDB__S_INVITE_LIST,
    HDB__S_INVITE_LIST_BY,
    HDB__S_INVITE_OWNER,
    HDB__S_INVITE_DELETE,
    HDB__S_SLOTS_DELETE,
    HDB__S_SLOT_INSERT,
    HDB__S_SLOTS_LOAD,
    HDB__S_AUDIT_LIST_ALL,
    HDB__S_BUDDY_PUT,
    HDB__S_BUDDY_DEL,
    HDB__S_BUDDY_LOAD,
    HDB__S_CONV_FIND,
    HDB__S_CONV_INSERT,
    HDB__S_CONV_MEMBER,
    HDB__S_MARKS_SET,
    HDB__S_MARKS_LOAD,
    HDB__S_PING_INSERT,
    HDB__S_PING_BY_CID,
    HDB__S_PING_ROW,
    HDB__S_PING_MARK,
    HDB__S_PINGS_UNDELIVERED,
    HDB__S_PINGS_DELIVER_ALL,
    HDB__S_PINGS_LIST,
    HDB__S_PINGS_PURGE,
    HDB__S_POOL_PUT,
    HDB__S_POOL_DEL,
    HDB__S_POOL_LOAD,
    HDB__S_PROPOSAL_INSERT,
    HDB__S_PROPOSAL_UPDATE,
    HDB__S_PROPOSAL_LOAD,
    HDB__S_SUPPORT_INSERT,
    HDB__S_SUPPORT_BY_CID,
    HDB__S_SUPPORT_ROW,
    HDB__S_SUPPORT_ACCEPT,
    HDB__S_SUPPORT_STATE,
    HDB__S_SUPPORT_STATS,
    HDB__S_SUPPORT_LOAD,
    HDB__S_SUPPORTER_PUT,
    HDB__S_SUPPORTER_DEL,
    HDB__S_SUPPORTER_LOAD,
    HDB__S_SETTINGS_PUT,
    HDB__S_SETTINGS_LOAD,
    HDB__S_SEEN,
    HDB__S_NUDGED,
    HDB__S_CHECKIN_EXISTS,
    HDB__S_CHECKIN_PUT,
    HDB__S_CHECKIN_ROW,
    HDB__S_CHECKINS,
    HDB__S_CHECKIN_FEED,
    HDB__S_CARD_DEL,
    HDB__S_CARD_INSERT,
    HDB__S_CARD_LIST,
    HDB__S_PLAN_DEL,
    HDB__S_PLAN_INSERT,
    HDB__S_PLAN_LIST,
    HDB__S_SOBRIETY_CLOSE,
    HDB__S_SOBRIETY_INSERT,
    HDB__S_SOBRIETY_LIST,
    HDB__S_SOBRIETY_LOAD,
    HDB__S_MILESTONE_TOLD,
    HDB__S_MILESTONES_LOAD,
    HDB__S_EXPORT,
    HDB__S_SOBRIETY_CORRECT,

    HDB__S_ROOM_INSERT,
    HDB__S_ROOM_HEAD,
    HDB__S_ROOM_SET_SEQ,
    HDB__S_ROOM_LIST,
    HDB__S_MEMBER_IS,
    HDB__S_MEMBER_INSERT,
    HDB__S_MEMBER_DELETE,
    HDB__S_MEMBER_LIST,
    HDB__S_EVENT_INSERT,
    HDB__S_EVENT_BY_CID,
    HDB__S_EVENTS_AFTER,
    HDB__S_EVENTS_BEFORE,
    HDB__S_COUNT
};

struct hdb {
    sqlite3 *conn;
    pthread_mutex_t conn_mu;
    sqlite3_stmt *stmts[HDB__S_COUNT];

    pthread_mutex_t q_mu;
    pthread_cond_t q_cv;
    struct hdb_job *q_head, *q_tail;        /* submitted, not yet taken */
    struct hdb_job *done_head, *done_tail;  /* committed, done() not yet run */
    bool closing;
    bool held;                              /* test hook, see hdb__test_hold */
    bool writer_running;
    pthread_t writer;
    uint64_t n_commits;                     /* writer transactions committed */

    hdb_notify_fn notify;
    void *notify_ud;
    unsigned max_batch;
};

/* ---- migrations (hdb_migrations.c) ---- */

struct hdb__migration {
    int version;               /* 1, 2, 3, ... in order, no gaps */
    const char *sql;           /* constant SQL, one or more statements */
};

/* Brings conn up to steps[n-1].version, one transaction per step, each
 * setting user_version in the same transaction. A failed step is rolled
 * back whole and the earlier steps stay committed. Returns 0, or HDB_E_IO
 * with a sentence in err. Exposed so tests can feed a broken list. */
int hdb__migrate(sqlite3 *conn, const struct hdb__migration *steps, size_t n,
                 char *err, size_t errlen);
/* hdb__migrate with the real list. */
int hdb__migrate_latest(sqlite3 *conn, char *err, size_t errlen);
/* The real list up to `version` only: tests build an old database with it. */
int hdb__migrate_to(sqlite3 *conn, int version, char *err, size_t errlen);
int hdb__user_version(sqlite3 *conn, int *out);

/* ---- statement cache and error helpers (hdb_open.c) ---- */

/* The cached statement for `id`, prepared from `sql` on first use, reset
 * and with bindings cleared. NULL (logged) when prepare fails. Needs
 * conn_mu. */
sqlite3_stmt *hdb__prep(struct hdb *db, enum hdb__sid id, const char *sql);
/* Resets every statement still stepping, so no read snapshot outlives a
 * call and COMMIT never meets a busy statement. Needs conn_mu. */
void hdb__reset_busy(struct hdb *db);
/* Logs "hdb: <what>: <sqlite message>" and returns HDB_E_IO. Never pass
 * user data in `what`. */
int hdb__fail(struct hdb *db, const char *what);
/* For a contract violation by the caller (a required input is NULL). */
int hdb__bad_input(const char *what, const char *field);
/* Steps s once: SQLITE_ROW or SQLITE_DONE, or -1 after logging. */
int hdb__step(struct hdb *db, sqlite3_stmt *s, const char *what);
/* Steps s expecting no row, then resets it: 0 or HDB_E_IO. */
int hdb__exec(struct hdb *db, sqlite3_stmt *s, const char *what);
/* Copies a text column; NULL stays NULL unless or_empty. 0, or -1 out of
 * memory. */
int hdb__col_str(sqlite3_stmt *s, int col, bool or_empty, char **out);

/* ---- jobs (hdb_job.c, hdb_writer.c, hdb_ops_*.c) ---- */

const char *hdb__op_name(enum hdb_op op);
/* Makes room for element n of a growing array (doubling *cap): 0, or -1
 * out of memory with *arr unchanged. */
int hdb__grow(void **arr, size_t *cap, size_t n, size_t sz);
/* Reads every row of a bound statement into a growing array of `size`-byte
 * elements (*arr, *n), each zeroed and then filled by from_row (0, or -1
 * out of memory), then resets the statement: HDB_OK or HDB_E_IO. */
int hdb__read_rows(struct hdb *db, sqlite3_stmt *s, void **arr, size_t *n, size_t size,
                   int (*from_row)(sqlite3_stmt *s, void *elem), const char *what);
/* Frees and zeroes a job's output, so a reused job never leaks. */
void hdb__job_clear_out(struct hdb_job *job);
void hdb__user_free(struct hdb_user *u);
void hdb__room_free(struct hdb_room *r);
void hdb__event_free(struct hdb_event *e);

/* Runs one job's op inside the open transaction. Returns the job's rc.
 * *keep is set when the op's writes must stay although rc != 0 (a token
 * found expired is deleted and still reported NOT_FOUND). */
int hdb__op_accounts(struct hdb *db, struct hdb_job *job, bool *keep);
int hdb__op_rooms(struct hdb *db, struct hdb_job *job, bool *keep);
/* Room settings and roles (hdb_ops_roomcfg.c). */
int hdb__op_roomcfg(struct hdb *db, struct hdb_job *job);
/* A room row in the column order of HDB__ROOM_COLS. */
int hdb__room_from_row(sqlite3_stmt *s, struct hdb_room *r);
#define HDB__ROOM_COLS \
    "SELECT r.id, r.name, r.title, r.topic, r.visibility, r.creator_id, r.created_at," \
    " r.last_seq, r.meeting, r.format, r.share_seconds, c.handle, r.slow_seconds," \
    " r.locked, r.member_limit, r.newcomer_seconds, r.retention_days, r.ephemeral, r.kind" \
    " FROM rooms r LEFT JOIN users c ON c.id = r.chair_id"
/* The whole row of a room, settings and chair included. */
int hdb__room_row(struct hdb *db, int64_t room_id, struct hdb_room *r, const char *what);
/* Moderation (hdb_ops_mod.c). */
int hdb__op_mod(struct hdb *db, struct hdb_job *job);
struct hdb__audit_line {
    int64_t room_id, now, actor_id, target_id, until;   /* 0 = none */
    int action;                                         /* enum hdb_mod_action */
    const char *reason;
    uint64_t seq;
};
int hdb__audit(struct hdb *db, const struct hdb__audit_line *a, const char *what);
/* Blocks and reports (hdb_ops_reports.c). */
int hdb__op_reports(struct hdb *db, struct hdb_job *job);
/* Attendance (hdb_ops_attendance.c). */
int hdb__op_attendance(struct hdb *db, struct hdb_job *job);
/* Moves a room's seq counter on by one and fills ev's room, seq, kind
 * (message) and ts: the whole story of a message that is never stored. */
int hdb__bump_seq(struct hdb *db, int64_t room_id, uint64_t last_seq, int64_t now,
                  struct hdb_event *ev, const char *what);
/* Schedules and invite codes (hdb_ops_schedule.c). */
int hdb__op_schedule(struct hdb *db, struct hdb_job *job);
/* Buddies, conversations and pings (hdb_ops_buddies.c). */
int hdb__op_buddies(struct hdb *db, struct hdb_job *job);
/* A new private conversation of `kind` (1 buddies, 2 support) named
 * `name`, whose members are a and b. */
int hdb__conversation_new(struct hdb *db, int kind, const char *name, int64_t a, int64_t b,
                          int64_t now, int64_t *room_id, const char *what);
/* The matching pool and its proposals (hdb_ops_match.c). */
int hdb__op_match(struct hdb *db, struct hdb_job *job);
/* Support requests (hdb_ops_support.c). */
int hdb__op_support(struct hdb *db, struct hdb_job *job);
/* Settings and check-ins (hdb_ops_checkins.c), the card and plan
 * (hdb_ops_plan.c), clean time (hdb_ops_sobriety.c). */
int hdb__op_checkins(struct hdb *db, struct hdb_job *job);
int hdb__op_plan(struct hdb *db, struct hdb_job *job);
int hdb__op_sobriety(struct hdb *db, struct hdb_job *job);
/* Your data: the export (hdb_ops_export.c) and deleting an account
 * (hdb_ops_account.c); hdb__op_account dispatches both. */
int hdb__op_account(struct hdb *db, struct hdb_job *job);
int hdb__export(struct hdb *db, struct hdb_job *job, const char *what);
int hdb__account_delete(struct hdb *db, struct hdb_job *job, const char *what);
/* Retention (hdb_ops_retention.c). */
int hdb__op_retention(struct hdb *db, struct hdb_job *job);
int hdb__append_event(struct hdb *db, int64_t room_id, uint64_t last_seq, int kind,
                      int64_t user_id, const char *text, const char *cid, int64_t now,
                      struct hdb_event *ev, const char *what);
int hdb__member_set_role(struct hdb *db, int64_t room_id, int64_t user_id, int role,
                         const char *what);

/* Reads a user row laid out as: id, handle, role, status, pw_hash,
 * created_at from column `col` on. 0, or -1 out of memory. */
int hdb__user_from_row(sqlite3_stmt *s, int col, struct hdb_user *u);
/* The user's handle (copied into *handle unless handle is NULL): HDB_OK,
 * HDB_E_NOT_FOUND or HDB_E_IO. */
int hdb__user_handle(struct hdb *db, int64_t user_id, char **handle, const char *what);
/* A room's last_seq and visibility (either pointer may be NULL): HDB_OK,
 * HDB_E_NOT_FOUND or HDB_E_IO. */
int hdb__room_head(struct hdb *db, int64_t room_id, uint64_t *last_seq, int *visibility,
                   const char *what);
/* Checks and consumes one use of an invite for room_id (0: registration).
 * HDB_OK, HDB_E_INVITE or HDB_E_IO. */
int hdb__invite_use(struct hdb *db, const char *code, int64_t room_id, int64_t now,
                    const char *what);
/* "require_invite" and friends: 0 and *out, HDB_E_NOT_FOUND, or HDB_E_IO.
 * Needs conn_mu. */
int hdb__setting_get_bool_locked(struct hdb *db, const char *key, bool *out);
/* The newest n events of a room with seq < before (0: no bound), ascending,
 * in a malloc'ed array. Needs conn_mu. */
int hdb__events_before(struct hdb *db, int64_t room_id, uint64_t before, unsigned limit,
                       struct hdb_event **out, size_t *n_out, bool *has_more,
                       const char *what);
void hdb__events_free(struct hdb_event *ev, size_t n);

/* ---- the writer thread (hdb_writer.c) ---- */

int hdb__writer_start(struct hdb *db, char *err, size_t errlen);
/* Refuses new jobs, lets the writer drain and commit the queue, joins it. */
void hdb__writer_stop(struct hdb *db);

/* ---- test hooks (hdb_writer.c) ---- */

/* While held, the writer takes no new batch (closing overrides), so a test
 * can queue many jobs and see how they are grouped, without timing. */
void hdb__test_hold(struct hdb *db, bool hold);
/* Writer transactions committed so far. */
uint64_t hdb__test_commits(struct hdb *db);

#endif
