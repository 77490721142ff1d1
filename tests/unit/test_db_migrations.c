/*
 * hdb_open: PRAGMAs, schema migrations, refusing what it cannot run on.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hdb_internal.h"

#define DB_FIXTURE_TMPL "/tmp/hdb_mig.XXXXXX"
#include "db_fixture.h"

TestSuite(db_migrations, .init = db_fixture_setup, .fini = db_fixture_teardown);

/* hdb_open with the default options must succeed. */
static struct hdb *open_db(void)
{
    return db_fixture_open(NULL);
}

/* hdb_open of `file` must fail without handing out a database; returns
 * its rc, err holds its sentence. */
static int open_refused(const char *file, char *err, size_t len)
{
    struct hdb *db = NULL;
    struct hdb_options opt = { .path = file };
    int rc = hdb_open(&opt, &db, err, len);
    cr_assert_null(db);
    return rc;
}

static sqlite3 *raw_open(void)
{
    sqlite3 *c = NULL;
    cr_assert_eq(sqlite3_open(path, &c), SQLITE_OK);
    return c;
}

/* Like the fixture's q_int, but on connection c and without parameters. */
static int64_t q_int_on(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(c));
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s: no row", sql);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *q_text(sqlite3 *c, const char *sql, char *buf, size_t len)
{
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

static bool has_table(sqlite3 *c, const char *name)
{
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                                    -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return found;
}

Test(db_migrations, fresh_db_reaches_latest)
{
    struct hdb *db = open_db();
    cr_assert_geq(hdb_schema_latest(), 1);
    cr_assert_eq(HDB_SCHEMA_VERSION_LATEST, hdb_schema_latest());
    cr_assert_eq(hdb_schema_version(db), hdb_schema_latest());
    hdb_close(db);

    sqlite3 *c = raw_open();
    cr_assert_eq(q_int_on(c, "PRAGMA user_version"), hdb_schema_latest());
    static const char *const tables[] = { "users", "tokens", "rooms", "room_members",
                                          "room_events", "invites", "settings" };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        cr_assert(has_table(c, tables[i]), "missing table %s", tables[i]);
    sqlite3_close(c);
}

Test(db_migrations, reopen_is_a_noop)
{
    struct hdb *db = open_db();
    cr_assert_eq(hdb_setting_set_bool(db, "require_invite", true), HDB_OK);
    hdb_close(db);

    /* schema_version is bumped by any DDL: equal means no step re-ran. */
    sqlite3 *c = raw_open();
    int64_t cookie = q_int_on(c, "PRAGMA schema_version");
    sqlite3_close(c);

    db = open_db();
    cr_assert_eq(hdb_schema_version(db), hdb_schema_latest());
    bool on = false;
    cr_assert_eq(hdb_setting_get_bool(db, "require_invite", &on), HDB_OK);
    cr_assert(on, "data written before the reopen is still there");
    hdb_close(db);

    c = raw_open();
    cr_assert_eq(q_int_on(c, "PRAGMA schema_version"), cookie);
    cr_assert_eq(q_int_on(c, "PRAGMA user_version"), hdb_schema_latest());
    sqlite3_close(c);
}

Test(db_migrations, pragmas_in_force)
{
    char buf[32];
    struct hdb *db = open_db();
    /* The live connection, as the writer uses it. */
    cr_assert_str_eq(q_text(db->conn, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    cr_assert_eq(q_int_on(db->conn, "PRAGMA synchronous"), 2);
    cr_assert_eq(q_int_on(db->conn, "PRAGMA foreign_keys"), 1);
    cr_assert_eq(q_int_on(db->conn, "PRAGMA secure_delete"), 1);
    cr_assert_eq(q_int_on(db->conn, "PRAGMA trusted_schema"), 0);
    cr_assert_eq(q_int_on(db->conn, "PRAGMA busy_timeout"), 5000);
    hdb_close(db);

    /* WAL is a property of the file: another connection sees it too. */
    sqlite3 *c = raw_open();
    cr_assert_str_eq(q_text(c, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    sqlite3_close(c);
}

Test(db_migrations, failed_step_leaves_previous_version)
{
    static const struct hdb__migration broken[] = {
        { 1, "CREATE TABLE a (x INTEGER);" },
        /* The first statement succeeds, the second fails: the whole step
         * must be undone, table b included. */
        { 2, "CREATE TABLE b (y INTEGER); INSERT INTO no_such_table VALUES (1);" },
        { 3, "CREATE TABLE c (z INTEGER);" },
    };
    static const struct hdb__migration fixed[] = {
        { 1, "CREATE TABLE a (x INTEGER);" },
        { 2, "CREATE TABLE b (y INTEGER);" },
        { 3, "CREATE TABLE c (z INTEGER);" },
    };
    char err[256] = "";
    sqlite3 *c = raw_open();

    cr_assert_eq(hdb__migrate(c, broken, 3, err, sizeof err), HDB_E_IO);
    cr_assert_not_null(strstr(err, "version 2"), "err names the step: %s", err);
    cr_assert_eq(q_int_on(c, "PRAGMA user_version"), 1);
    cr_assert(has_table(c, "a"));
    cr_assert_not(has_table(c, "b"), "a failed step is rolled back whole");
    cr_assert_not(has_table(c, "c"), "no step runs after a failed one");
    cr_assert(sqlite3_get_autocommit(c), "no transaction left open");

    err[0] = '\0';
    cr_assert_eq(hdb__migrate(c, fixed, 3, err, sizeof err), HDB_OK, "%s", err);
    cr_assert_eq(q_int_on(c, "PRAGMA user_version"), 3);
    cr_assert(has_table(c, "b"));
    cr_assert(has_table(c, "c"));
    sqlite3_close(c);
}

Test(db_migrations, newer_schema_is_refused)
{
    sqlite3 *c = raw_open();
    cr_assert_eq(sqlite3_exec(c, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);

    char err[256] = "";
    cr_assert_eq(open_refused(path, err, sizeof err), HDB_E_IO);
    cr_assert_not_null(strstr(err, "newer"), "err: %s", err);
}

Test(db_migrations, not_a_database_fails_loudly)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 256; i++)
        fputs("this is not an sqlite database\n", f);
    fclose(f);

    char err[256] = "";
    cr_assert_neq(open_refused(path, err, sizeof err), HDB_OK);
    cr_assert_gt(strlen(err), 10, "a sentence explains why: '%s'", err);
}

Test(db_migrations, missing_directory_is_not_created)
{
    char missing[200], err[256] = "";
    snprintf(missing, sizeof missing, "%s/nope/hearth.db", dir);
    cr_assert_neq(open_refused(missing, err, sizeof err), HDB_OK);
    cr_assert_gt(strlen(err), 0);
    snprintf(missing, sizeof missing, "%s/nope", dir);
    cr_assert_neq(access(missing, F_OK), 0, "hdb_open must not create directories");
}

Test(db_migrations, rc_names)
{
    cr_assert_str_eq(hdb_rc_name(HDB_OK), "ok");
    cr_assert_str_eq(hdb_rc_name(HDB_E_NOT_FOUND), "not_found");
    cr_assert_str_eq(hdb_rc_name(HDB_E_CLOSED), "closed");
    cr_assert_str_eq(hdb_rc_name(12345), "unknown");
}

Test(db_migrations, v2_makes_each_room_creator_its_host)
{
    char err[256] = "";
    sqlite3 *c = raw_open();
    cr_assert_eq(hdb__migrate_to(c, 1, err, sizeof err), HDB_OK, "%s", err);
    cr_assert_eq(q_int_on(c, "PRAGMA user_version"), 1);
    cr_assert_eq(sqlite3_exec(c,
        "INSERT INTO users (id, handle, pw_hash, created_at) VALUES (1, 'ann', 'h', 0), (2, 'bob', 'h', 0);"
        "INSERT INTO rooms (id, name, creator_id, created_at) VALUES (1, 'lobby', 1, 0);"
        "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (1, 1, 0), (1, 2, 0);",
        NULL, NULL, NULL), SQLITE_OK);

    cr_assert_eq(hdb__migrate_latest(c, err, sizeof err), HDB_OK, "%s", err);
    cr_assert_eq(q_int_on(c, "SELECT role FROM room_members WHERE user_id = 1"), 2,
                 "the creator hosts");
    cr_assert_eq(q_int_on(c, "SELECT role FROM room_members WHERE user_id = 2"), 0);
    cr_assert_eq(q_int_on(c, "SELECT meeting FROM rooms WHERE id = 1"), 0,
                 "not a meeting room yet");
    cr_assert_eq(q_int_on(c, "SELECT share_seconds FROM rooms WHERE id = 1"), 300);
    sqlite3_close(c);
}
