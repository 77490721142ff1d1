/*
 * The fixture the db unit tests share: each test gets its own temporary
 * directory holding hearth.db, removed with every file sqlite may leave
 * beside it; a few helpers open the file and create rows through the
 * public API.
 *
 * Each test file (its own executable) includes it once; it defines
 * statics. Before including, define DB_FIXTURE_TMPL, the mkdtemp()
 * template of the directory (one per file, so a leftover directory names
 * its test file). Define DB_FIXTURE_OPEN as well when every test of the
 * file uses one database opened for it: the header then provides `db` and
 * the suite's db_fixture_open_setup / db_fixture_open_teardown. The
 * helpers are static inline so that a file using only some of them
 * compiles without unused-function warnings.
 */
#ifndef HEARTH_TESTS_DB_FIXTURE_H
#define HEARTH_TESTS_DB_FIXTURE_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hdb.h"

#ifndef DB_FIXTURE_TMPL
#error "define DB_FIXTURE_TMPL (a mkdtemp template) before including db_fixture.h"
#endif

/* The clock every row the helpers create is stamped with. */
#define NOW 1700000000000LL

static char dir[64];
static char path[128];

/* .init: a fresh directory; the database file itself does not exist yet. */
static inline void db_fixture_setup(void)
{
    snprintf(dir, sizeof dir, "%s", DB_FIXTURE_TMPL);
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/hearth.db", dir);
}

/* .fini: the database, its WAL, shared-memory and rollback journal files
 * (whichever exist), then the directory. */
static inline void db_fixture_teardown(void)
{
    char p[160];
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* Opens `path` with the options in *opt (NULL: the defaults, synchronous
 * use only); anything but success fails the test. */
static inline struct hdb *db_fixture_open(const struct hdb_options *opt)
{
    char err[256] = "";
    struct hdb *h = NULL;
    struct hdb_options o = opt ? *opt : (struct hdb_options){ 0 };
    o.path = path;
    cr_assert_eq(hdb_open(&o, &h, err, sizeof err), HDB_OK, "hdb_open: %s", err);
    cr_assert_not_null(h);
    return h;
}

/* The integer in the first column of the first row of `sql`, with ?1 bound
 * to `a`, read on a connection of its own: it sees committed data only. */
static inline int64_t q_int(const char *sql, int64_t a)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(c));
    sqlite3_bind_int64(s, 1, a);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(c);
    return v;
}

/* A user, created at NOW; returns its id. */
static inline int64_t mkuser(struct hdb *h, const char *handle)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_USER_CREATE, NULL, NULL);
    j->in.handle = handle;
    j->in.pw_hash = "$scrypt$test";
    j->in.now = NOW;
    cr_assert_eq(hdb_run_sync(h, j), HDB_OK);
    int64_t id = j->out.user.id;
    hdb_job_free(j);
    return id;
}

/* A room titled "A title", created at NOW by `creator`, who joins it (its
 * seq 1); returns its id. */
static inline int64_t mkroom(struct hdb *h, const char *name, int64_t creator, int visibility)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_ROOM_CREATE, NULL, NULL);
    j->in.room.name = name;
    j->in.room.title = "A title";
    j->in.user_id = creator;
    j->in.room.visibility = visibility;
    j->in.now = NOW;
    cr_assert_eq(hdb_run_sync(h, j), HDB_OK);
    int64_t id = j->out.room.id;
    hdb_job_free(j);
    return id;
}

/* Creates invite `code` (room 0: a registration invite; expires 0: never;
 * uses 0: unlimited) and returns the rc, which the caller checks. */
static inline int mkinvite(struct hdb *h, const char *code, int64_t room, int64_t by,
                           int64_t expires, unsigned uses)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_INVITE_CREATE, NULL, NULL);
    j->in.invite = code;
    j->in.room_id = room;
    j->in.user_id = by;
    j->in.expires_at = expires;
    j->in.uses = uses;
    j->in.now = NOW;
    int rc = hdb_run_sync(h, j);
    hdb_job_free(j);
    return rc;
}

#ifdef DB_FIXTURE_OPEN
static struct hdb *db;

static inline void db_fixture_open_setup(void)
{
    db_fixture_setup();
    db = db_fixture_open(NULL);
}

static inline void db_fixture_open_teardown(void)
{
    if (db)
        hdb_close(db);
    db = NULL;
    db_fixture_teardown();
}
#endif

#endif
