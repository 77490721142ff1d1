/* Deleting an account: every personal row really gone. Most go with the
 * users row (ON DELETE CASCADE); what names the person in text (the audit
 * log's handles, a report's excerpt of their words) is rewritten first.
 * The writer checkpoints the WAL after this job, and secure_delete zeroes
 * the freed pages, so nothing of them is left on disk. */
#include <stdio.h>

#include "hdb_internal.h"

/* The name left where the person's handle stood in moderators' records. */
#define FORMER_MEMBER "former member"

static const char *const SQL_DELETE[] = {
    /* Moderators' records keep what was done, not to whom or by whom. */
    "UPDATE audit_log SET actor = '" FORMER_MEMBER "' WHERE actor_id = ?1",
    "UPDATE audit_log SET target = '" FORMER_MEMBER "' WHERE target_id = ?1",
    /* Reports they made go; reports about them lose the words. */
    "DELETE FROM reports WHERE reporter_id = ?1",
    "UPDATE reports SET excerpt = NULL, target = '" FORMER_MEMBER "', target_id = NULL"
    " WHERE target_id = ?1",
    /* The rest goes with the account: their messages, check-ins, plan,
     * card, clean time, settings, buddies, pings, requests, memberships.
     * In a private conversation the other person keeps their own words. */
    "DELETE FROM users WHERE id = ?1",
};
/* Keeping room messages anonymised (the operator's choice): they move to
 * one placeholder account nobody can sign in to. */
static const char SQL_PLACEHOLDER[] =
    "INSERT INTO users (handle, role, status, pw_hash, created_at)"
    " VALUES ('~former', 0, 1, '!', 0) ON CONFLICT (handle) DO NOTHING";
static const char SQL_KEEP_MESSAGES[] =
    "UPDATE room_events SET user_id = (SELECT id FROM users WHERE handle = '~former'), cid = NULL"
    " WHERE user_id = ?1 AND kind = 0 AND room_id IN (SELECT id FROM rooms WHERE kind = 0)";

static int exec_sql(struct hdb *db, const char *sql, int64_t user_id, const char *what)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL) != SQLITE_OK)
        return hdb__fail(db, what);
    if (user_id)
        sqlite3_bind_int64(s, 1, user_id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? HDB_OK : hdb__fail(db, what);
}

int hdb__account_delete(struct hdb *db, struct hdb_job *job, const char *what)
{
    int64_t id = job->in.user_id;
    if (!id)
        return hdb__bad_input(what, "user_id");
    int rc = HDB_OK;
    if (job->in.meeting)
        rc = exec_sql(db, SQL_PLACEHOLDER, 0, what) == HDB_OK
                 ? exec_sql(db, SQL_KEEP_MESSAGES, id, what)
                 : HDB_E_IO;
    for (size_t i = 0; rc == HDB_OK && i < sizeof SQL_DELETE / sizeof SQL_DELETE[0]; i++)
        rc = exec_sql(db, SQL_DELETE[i], id, what);
    if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
        rc = HDB_E_NOT_FOUND;
    return rc;
}

int hdb__op_account(struct hdb *db, struct hdb_job *job)
{
    const char *what = hdb__op_name(job->op);
    switch (job->op) {
    case HDB_OP_EXPORT: return hdb__export(db, job, what);
    case HDB_OP_ACCOUNT_DELETE: return hdb__account_delete(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not an account op\n", what);
    return HDB_E_IO;
}
