/*
 * Account ops: users, session tokens and invites. Each runs inside the
 * writer's transaction and savepoint; returning non-zero undoes its writes
 * (unless it sets *keep), so an op may write first and refuse later.
 */
#include <stdio.h>
#include <string.h>

#include "hdb_internal.h"

#define TOKEN_HASH_LEN 32

static const char SQL_USER_HANDLE[] = "SELECT handle FROM users WHERE id = ?1";
static const char SQL_USER_INSERT[] =
    "INSERT INTO users (handle, pw_hash, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (handle) DO NOTHING";
static const char SQL_USER_BY_HANDLE[] =
    "SELECT id, handle, role, status, pw_hash, created_at, suspended, suspended_until, seen_notice"
    " FROM users WHERE handle = ?1";
static const char SQL_USER_SET_PW[] = "UPDATE users SET pw_hash = ?2 WHERE id = ?1";
static const char SQL_USER_REHASH[] =
    "UPDATE users SET pw_hash = ?2 WHERE id = ?1 AND pw_hash = ?3";
static const char SQL_USER_SET_STATUS[] = "UPDATE users SET status = ?2 WHERE id = ?1";
static const char SQL_TOKENS_DEL_USER[] = "DELETE FROM tokens WHERE user_id = ?1";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO tokens (token_hash, user_id, created_at, last_used_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT (token_hash) DO NOTHING";
static const char SQL_TOKEN_LOOKUP[] =
    "SELECT t.last_used_at, t.expires_at,"
    " u.id, u.handle, u.role, u.status, u.pw_hash, u.created_at, u.suspended, u.suspended_until,"
    " u.seen_notice"
    " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1";
static const char SQL_TOKEN_TOUCH[] = "UPDATE tokens SET last_used_at = ?2 WHERE token_hash = ?1";
static const char SQL_TOKEN_DELETE[] = "DELETE FROM tokens WHERE token_hash = ?1";
/* Registration invites have room_id NULL; `IS` matches NULL to NULL. */
static const char SQL_INVITE_FIND[] =
    "SELECT uses_left FROM invites WHERE code = ?1 AND room_id IS ?2"
    " AND (expires_at IS NULL OR expires_at > ?3)"
    " AND (uses_left IS NULL OR uses_left > 0)";
static const char SQL_INVITE_USE[] =
    "UPDATE invites SET uses_left = uses_left - 1 WHERE code = ?1 AND uses_left IS NOT NULL";
static const char SQL_INVITE_INSERT[] =
    "INSERT INTO invites (code, room_id, created_by, created_at, expires_at, uses_left)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO NOTHING";

int hdb__user_from_row(sqlite3_stmt *s, int col, struct hdb_user *u)
{
    u->id = sqlite3_column_int64(s, col);
    u->role = sqlite3_column_int(s, col + 2);
    u->status = sqlite3_column_int(s, col + 3);
    u->created_at = sqlite3_column_int64(s, col + 5);
    u->suspended = sqlite3_column_int(s, col + 6) != 0;
    u->suspended_until = sqlite3_column_int64(s, col + 7);
    u->seen_notice = sqlite3_column_int(s, col + 8) != 0;
    if (hdb__col_str(s, col + 1, true, &u->handle) != 0 ||
        hdb__col_str(s, col + 4, true, &u->pw_hash) != 0)
        return -1;
    return 0;
}

static int oom(const char *what)
{
    fprintf(stderr, "hdb: %s: out of memory\n", what);
    return HDB_E_IO;
}

int hdb__user_handle(struct hdb *db, int64_t user_id, char **handle, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_HANDLE, SQL_USER_HANDLE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, user_id);
    int rc = hdb__step(db, s, what);
    if (rc == SQLITE_ROW)
        rc = !handle || hdb__col_str(s, 0, true, handle) == 0 ? HDB_OK : oom(what);
    else
        rc = rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    sqlite3_reset(s);
    return rc;
}

int hdb__invite_use(struct hdb *db, const char *code, int64_t room_id, int64_t now,
                    const char *what)
{
    if (!code || !code[0])
        return HDB_E_INVITE;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_INVITE_FIND, SQL_INVITE_FIND);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    if (room_id)
        sqlite3_bind_int64(s, 2, room_id);
    else
        sqlite3_bind_null(s, 2);
    sqlite3_bind_int64(s, 3, now);
    int rc = hdb__step(db, s, what);
    sqlite3_reset(s);
    if (rc < 0)
        return HDB_E_IO;
    if (rc == SQLITE_DONE)
        return HDB_E_INVITE;

    s = hdb__prep(db, HDB__S_INVITE_USE, SQL_INVITE_USE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    return hdb__exec(db, s, what);
}

static int user_by_handle(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.handle)
        return hdb__bad_input(what, "handle");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_BY_HANDLE, SQL_USER_BY_HANDLE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, job->in.handle, -1, SQLITE_STATIC);
    int rc = hdb__step(db, s, what);
    if (rc == SQLITE_ROW)
        rc = hdb__user_from_row(s, 0, &job->out.user) == 0 ? HDB_OK : oom(what);
    else
        rc = rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    sqlite3_reset(s);
    return rc;
}

static int user_create(struct hdb *db, struct hdb_job *job, const char *what)
{
    bool require = false;
    int rc;

    if (!job->in.handle || !job->in.pw_hash)
        return hdb__bad_input(what, !job->in.handle ? "handle" : "pw_hash");

    /* The invite is checked before the handle so that someone without an
     * invite cannot learn which handles exist. */
    rc = hdb__setting_get_bool_locked(db, "require_invite", &require);
    if (rc != HDB_OK && rc != HDB_E_NOT_FOUND)
        return rc;
    if (require) {
        rc = hdb__invite_use(db, job->in.invite, 0, job->in.now, what);
        if (rc != HDB_OK)
            return rc;
    }

    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_INSERT, SQL_USER_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, job->in.handle, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, job->in.pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, job->in.now);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_EXISTS;          /* the savepoint gives the invite use back */

    /* Read back rather than repeat the schema's defaults (role, status). */
    rc = user_by_handle(db, job, what);
    return rc == HDB_E_NOT_FOUND ? HDB_E_IO : rc;
}

static int user_set_password(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.pw_hash)
        return hdb__bad_input(what, "pw_hash");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_SET_PW, SQL_USER_SET_PW);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, job->in.pw_hash, -1, SQLITE_STATIC);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    if (sqlite3_changes(db->conn) == 0)
        return HDB_E_NOT_FOUND;
    /* A stolen session must not survive the password change meant to end it. */
    s = hdb__prep(db, HDB__S_TOKENS_DEL_USER, SQL_TOKENS_DEL_USER);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    return hdb__exec(db, s, what);
}

/* The same password, hashed at a higher cost. Compare-and-set, so a
 * password changed meanwhile is never overwritten with the old one. */
static int user_rehash(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.pw_hash || !job->in.old_pw_hash)
        return hdb__bad_input(what, "pw_hash");
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_REHASH, SQL_USER_REHASH);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_text(s, 2, job->in.pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, job->in.old_pw_hash, -1, SQLITE_STATIC);
    int rc = hdb__exec(db, s, what);
    if (rc == HDB_OK && sqlite3_changes(db->conn) == 0)
        rc = HDB_E_NOT_FOUND;
    return rc;
}

static int user_set_status(struct hdb *db, struct hdb_job *job, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_USER_SET_STATUS, SQL_USER_SET_STATUS);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_int64(s, 1, job->in.user_id);
    sqlite3_bind_int(s, 2, job->in.status);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    return sqlite3_changes(db->conn) ? HDB_OK : HDB_E_NOT_FOUND;
}

static int token_create(struct hdb *db, struct hdb_job *job, const char *what)
{
    if (!job->in.token_hash)
        return hdb__bad_input(what, "token_hash");
    int rc = hdb__user_handle(db, job->in.user_id, NULL, what);
    if (rc != HDB_OK)
        return rc;
    sqlite3_stmt *s = hdb__prep(db, HDB__S_TOKEN_INSERT, SQL_TOKEN_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_blob(s, 1, job->in.token_hash, TOKEN_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, job->in.user_id);
    sqlite3_bind_int64(s, 3, job->in.now);
    sqlite3_bind_int64(s, 4, job->in.expires_at);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    return sqlite3_changes(db->conn) ? HDB_OK : HDB_E_EXISTS;
}

static int token_delete(struct hdb *db, const unsigned char *hash, const char *what)
{
    sqlite3_stmt *s = hdb__prep(db, HDB__S_TOKEN_DELETE, SQL_TOKEN_DELETE);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
    int rc = hdb__exec(db, s, what);
    if (rc != HDB_OK)
        return rc;
    return sqlite3_changes(db->conn) ? HDB_OK : HDB_E_NOT_FOUND;
}

static int token_lookup(struct hdb *db, struct hdb_job *job, bool *keep, const char *what)
{
    const unsigned char *hash = job->in.token_hash;
    if (!hash)
        return HDB_E_NOT_FOUND;

    sqlite3_stmt *s = hdb__prep(db, HDB__S_TOKEN_LOOKUP, SQL_TOKEN_LOOKUP);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
    int rc = hdb__step(db, s, what);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? HDB_E_NOT_FOUND : HDB_E_IO;
    }
    int64_t last_used = sqlite3_column_int64(s, 0);
    int64_t expires = sqlite3_column_int64(s, 1);
    int64_t now = job->in.now;
    bool dead = now >= expires || (job->in.idle_ms > 0 && now - last_used > job->in.idle_ms);
    if (!dead && hdb__user_from_row(s, 2, &job->out.user) != 0) {
        sqlite3_reset(s);
        return oom(what);
    }
    sqlite3_reset(s);

    if (dead) {
        /* Dead tokens are removed as they are found, and that removal is
         * kept although the caller hears NOT_FOUND. */
        rc = token_delete(db, hash, what);
        if (rc != HDB_OK)
            return rc;
        *keep = true;
        return HDB_E_NOT_FOUND;
    }
    s = hdb__prep(db, HDB__S_TOKEN_TOUCH, SQL_TOKEN_TOUCH);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    job->out.token_expires_at = expires;
    return HDB_OK;
}

static int invite_create(struct hdb *db, struct hdb_job *job, const char *what)
{
    int rc;

    if (!job->in.invite || !job->in.invite[0])
        return hdb__bad_input(what, "invite");
    if (job->in.room_id &&
        (rc = hdb__room_head(db, job->in.room_id, NULL, NULL, what)) != HDB_OK)
        return rc;
    /* user_id 0: made by the operator (CLI), not by an account. */
    if (job->in.user_id && (rc = hdb__user_handle(db, job->in.user_id, NULL, what)) != HDB_OK)
        return rc;

    sqlite3_stmt *s = hdb__prep(db, HDB__S_INVITE_INSERT, SQL_INVITE_INSERT);
    if (!s)
        return HDB_E_IO;
    sqlite3_bind_text(s, 1, job->in.invite, -1, SQLITE_STATIC);
    if (job->in.room_id)
        sqlite3_bind_int64(s, 2, job->in.room_id);
    if (job->in.user_id)
        sqlite3_bind_int64(s, 3, job->in.user_id);
    sqlite3_bind_int64(s, 4, job->in.now);
    if (job->in.expires_at)
        sqlite3_bind_int64(s, 5, job->in.expires_at);
    if (job->in.uses)
        sqlite3_bind_int64(s, 6, job->in.uses);
    if ((rc = hdb__exec(db, s, what)) != HDB_OK)
        return rc;
    return sqlite3_changes(db->conn) ? HDB_OK : HDB_E_EXISTS;
}

int hdb__op_accounts(struct hdb *db, struct hdb_job *job, bool *keep)
{
    const char *what = hdb__op_name(job->op);

    switch (job->op) {
    case HDB_OP_USER_CREATE: return user_create(db, job, what);
    case HDB_OP_USER_BY_HANDLE: return user_by_handle(db, job, what);
    case HDB_OP_USER_SET_PASSWORD: return user_set_password(db, job, what);
    case HDB_OP_USER_SET_STATUS: return user_set_status(db, job, what);
    case HDB_OP_USER_REHASH: return user_rehash(db, job, what);
    case HDB_OP_TOKEN_CREATE: return token_create(db, job, what);
    case HDB_OP_TOKEN_LOOKUP: return token_lookup(db, job, keep, what);
    case HDB_OP_TOKEN_REVOKE:
        return job->in.token_hash ? token_delete(db, job->in.token_hash, what) : HDB_E_NOT_FOUND;
    case HDB_OP_INVITE_CREATE: return invite_create(db, job, what);
    default: break;
    }
    fprintf(stderr, "hdb: %s is not an account op\n", what);
    return HDB_E_IO;
}
