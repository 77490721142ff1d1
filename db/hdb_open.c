/*
 * Opening and closing the database, the PRAGMAs we depend on, and the
 * statement cache with its error helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdb_internal.h"

#define HDB_BUSY_TIMEOUT_MS 5000
#define HDB_DEFAULT_BATCH 256

/* ------------------------------------------------------------ helpers */

int hdb__fail(struct hdb *db, const char *what)
{
    fprintf(stderr, "hdb: %s: %s (sqlite %d)\n", what, sqlite3_errmsg(db->conn),
            sqlite3_extended_errcode(db->conn));
    return HDB_E_IO;
}

int hdb__bad_input(const char *what, const char *field)
{
    fprintf(stderr, "hdb: %s: required input %s is missing\n", what, field);
    return HDB_E_IO;
}

sqlite3_stmt *hdb__prep(struct hdb *db, enum hdb__sid id, const char *sql)
{
    sqlite3_stmt *s = db->stmts[id];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    /* PERSISTENT: these live as long as the connection. */
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        hdb__fail(db, "prepare");
        sqlite3_finalize(s);
        return NULL;
    }
    db->stmts[id] = s;
    return s;
}

void hdb__reset_busy(struct hdb *db)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(db->conn, NULL); s; s = sqlite3_next_stmt(db->conn, s))
        if (sqlite3_stmt_busy(s))
            sqlite3_reset(s);
}

int hdb__step(struct hdb *db, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
    hdb__fail(db, what);
    sqlite3_reset(s);
    return -1;
}

int hdb__exec(struct hdb *db, sqlite3_stmt *s, const char *what)
{
    int rc = hdb__step(db, s, what);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return HDB_OK;
    if (rc == SQLITE_ROW)
        fprintf(stderr, "hdb: %s: statement returned a row where none was expected\n", what);
    return HDB_E_IO;
}

int hdb__col_str(sqlite3_stmt *s, int col, bool or_empty, char **out)
{
    const unsigned char *t = (const unsigned char *)"";
    size_t len = 0;

    *out = NULL;
    if (sqlite3_column_type(s, col) == SQLITE_NULL) {
        if (!or_empty)
            return 0;
    } else {
        t = sqlite3_column_text(s, col);
        if (!t)
            return -1;
        len = (size_t)sqlite3_column_bytes(s, col);
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, t, len);
    copy[len] = '\0';
    *out = copy;
    return 0;
}

/* ------------------------------------------------------------ PRAGMAs */

struct pragma_check {
    const char *set;           /* statement that sets it */
    const char *get;           /* statement that reads it back */
    const char *want_text;     /* expected text, or NULL to compare want_int */
    int want_int;
    const char *sentence;      /* why we refuse to run without it */
};

/* WAL + FULL: a COMMIT is durable before the client hears "ok".
 * foreign_keys: the cascades in the schema are how an account is erased.
 * secure_delete: erased rows are overwritten, not left in free pages.
 * trusted_schema=OFF: a tampered file cannot run functions from its schema.
 * busy_timeout: the admin CLI may write while hearthd runs. */
static const struct pragma_check PRAGMAS[] = {
    { "PRAGMA busy_timeout = 5000", "PRAGMA busy_timeout", NULL, HDB_BUSY_TIMEOUT_MS,
      "busy_timeout could not be set to 5000 ms" },
    { "PRAGMA journal_mode = WAL", "PRAGMA journal_mode", "wal", 0,
      "journal_mode could not be set to WAL (is the file system a network or read-only one?)" },
    { "PRAGMA synchronous = FULL", "PRAGMA synchronous", NULL, 2,
      "synchronous could not be set to FULL" },
    { "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", NULL, 1,
      "foreign_keys could not be turned on" },
    { "PRAGMA secure_delete = ON", "PRAGMA secure_delete", NULL, 1,
      "secure_delete could not be turned on" },
    { "PRAGMA trusted_schema = OFF", "PRAGMA trusted_schema", NULL, 0,
      "trusted_schema could not be turned off (sqlite older than 3.31?)" },
};

static int pragma_apply(sqlite3 *conn, const struct pragma_check *p, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int ok = 0;

    if (sqlite3_exec(conn, p->set, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", p->sentence, sqlite3_errmsg(conn));
        return HDB_E_IO;
    }
    if (sqlite3_prepare_v2(conn, p->get, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        if (p->want_text) {
            const char *t = (const char *)sqlite3_column_text(s, 0);
            ok = t && strcmp(t, p->want_text) == 0;
        } else {
            ok = sqlite3_column_type(s, 0) == SQLITE_INTEGER &&
                 sqlite3_column_int(s, 0) == p->want_int;
        }
    }
    sqlite3_finalize(s);
    if (!ok) {
        snprintf(err, errlen, "%s (\"%s\" did not read back as expected)", p->sentence, p->get);
        return HDB_E_IO;
    }
    return HDB_OK;
}

/* ------------------------------------------------------------ open/close */

static void hdb_free_conn(struct hdb *db)
{
    for (int i = 0; i < HDB__S_COUNT; i++) {
        sqlite3_finalize(db->stmts[i]);
        db->stmts[i] = NULL;
    }
    if (db->conn)
        sqlite3_close(db->conn);
    db->conn = NULL;
}

static void hdb_free(struct hdb *db)
{
    hdb_free_conn(db);
    pthread_cond_destroy(&db->q_cv);
    pthread_mutex_destroy(&db->q_mu);
    pthread_mutex_destroy(&db->conn_mu);
    free(db);
}

int hdb_open(const struct hdb_options *opt, struct hdb **out, char *err, size_t errlen)
{
    char scratch[8];
    struct hdb *db;
    int rc;

    if (!err || errlen == 0) {
        err = scratch;
        errlen = sizeof scratch;
    }
    err[0] = '\0';
    if (out)
        *out = NULL;
    if (!opt || !opt->path || !opt->path[0] || !out) {
        snprintf(err, errlen, "no database path was given");
        return HDB_E_IO;
    }
    if (!sqlite3_threadsafe()) {
        snprintf(err, errlen, "this sqlite3 library was built without thread support");
        return HDB_E_IO;
    }
    db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errlen, "out of memory opening the database");
        return HDB_E_IO;
    }
    pthread_mutex_init(&db->conn_mu, NULL);
    pthread_mutex_init(&db->q_mu, NULL);
    pthread_cond_init(&db->q_cv, NULL);
    db->notify = opt->notify;
    db->notify_ud = opt->notify_ud;
    db->max_batch = opt->max_batch ? opt->max_batch : HDB_DEFAULT_BATCH;

    /* Our own conn_mu serialises use of the connection; sqlite's
     * per-connection mutex would only add cost. */
    rc = sqlite3_open_v2(opt->path, &db->conn,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the database %s: %s", opt->path,
                 db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    /* Defensive mode forbids writable_schema and similar footguns. */
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);

    for (size_t i = 0; i < sizeof PRAGMAS / sizeof PRAGMAS[0]; i++)
        if (pragma_apply(db->conn, &PRAGMAS[i], err, errlen) != HDB_OK)
            goto fail;

    if (hdb__migrate_latest(db->conn, err, errlen) != HDB_OK)
        goto fail;

    if (db->notify && hdb__writer_start(db, err, errlen) != HDB_OK)
        goto fail;

    *out = db;
    return HDB_OK;

fail:
    hdb_free(db);
    return HDB_E_IO;
}

void hdb_close(struct hdb *db)
{
    if (!db)
        return;
    hdb__writer_stop(db);
    /* Jobs the writer finished during the drain: their owners still get
     * done(), on this thread, before the connection goes. */
    hdb_run_completions(db);

    pthread_mutex_lock(&db->conn_mu);
    hdb__reset_busy(db);
    for (int i = 0; i < HDB__S_COUNT; i++) {
        sqlite3_finalize(db->stmts[i]);
        db->stmts[i] = NULL;
    }
    /* Folds the WAL back so erased rows do not linger in it and the
     * database is one self-contained file while we are down. */
    if (sqlite3_exec(db->conn, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK)
        hdb__fail(db, "close: wal_checkpoint");
    int rc = sqlite3_close_v2(db->conn);
    if (rc != SQLITE_OK)
        fprintf(stderr, "hdb: close: %s\n", sqlite3_errstr(rc));
    db->conn = NULL;
    pthread_mutex_unlock(&db->conn_mu);
    hdb_free(db);
}

int hdb_schema_version(struct hdb *db)
{
    int v = 0;
    pthread_mutex_lock(&db->conn_mu);
    int rc = hdb__user_version(db->conn, &v);
    if (rc != HDB_OK)
        hdb__fail(db, "schema_version");
    pthread_mutex_unlock(&db->conn_mu);
    return rc == HDB_OK ? v : rc;
}
