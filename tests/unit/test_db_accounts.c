/*
 * Accounts: users, registration invites, session tokens, settings, admin.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "hdb_internal.h"

#define DB_FIXTURE_TMPL "/tmp/hdb_acct.XXXXXX"
#define DB_FIXTURE_OPEN
#include "db_fixture.h"

#define HOUR (3600LL * 1000)

TestSuite(db_accounts, .init = db_fixture_open_setup, .fini = db_fixture_open_teardown);

static int create_user(const char *handle, const char *invite, int64_t *id)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_USER_CREATE, NULL, NULL);
    j->in.handle = handle;
    j->in.pw_hash = "$scrypt$n=17$salt$hash";
    j->in.invite = invite;
    j->in.now = NOW;
    int rc = hdb_run_sync(db, j);
    if (id)
        *id = j->out.user.id;
    hdb_job_free(j);
    return rc;
}

Test(db_accounts, create_and_find_user)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_USER_CREATE, NULL, NULL);
    j->in.handle = "river";
    j->in.pw_hash = "$scrypt$x";
    j->in.now = NOW;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_gt(j->out.user.id, 0);
    cr_assert_str_eq(j->out.user.handle, "river");
    cr_assert_str_eq(j->out.user.pw_hash, "$scrypt$x");
    cr_assert_eq(j->out.user.role, 0);
    cr_assert_eq(j->out.user.status, 1, "a new user is available, never offline");
    cr_assert_eq(j->out.user.created_at, NOW);
    int64_t id = j->out.user.id;

    j->in.pw_hash = "$scrypt$y";
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_EXISTS);
    hdb_job_free(j);

    j = hdb_job_new(HDB_OP_USER_BY_HANDLE, NULL, NULL);
    j->in.handle = "river";
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_eq(j->out.user.id, id);
    cr_assert_str_eq(j->out.user.pw_hash, "$scrypt$x", "the duplicate changed nothing");
    j->in.handle = "nobody";
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND);
    cr_assert_null(j->out.user.handle);
    hdb_job_free(j);

    /* Without require_invite an invite is neither needed nor consumed. */
    cr_assert_eq(mkinvite(db, "spare", 0, 0, 0, 1), HDB_OK);
    cr_assert_eq(create_user("sky", "spare", NULL), HDB_OK);
    cr_assert_eq(q_int("SELECT uses_left FROM invites WHERE code = 'spare' AND ?1 = ?1", 0), 1);
}

Test(db_accounts, registration_invites)
{
    bool on = true;
    cr_assert_eq(hdb_setting_get_bool(db, "require_invite", &on), HDB_E_NOT_FOUND);
    cr_assert(on, "NOT_FOUND leaves *out alone");
    cr_assert_eq(hdb_setting_set_bool(db, "require_invite", true), HDB_OK);
    cr_assert_eq(hdb_setting_get_bool(db, "require_invite", &on), HDB_OK);
    cr_assert(on);

    int64_t ann = 0;
    cr_assert_eq(mkinvite(db, "one-use", 0, 0, 0, 1), HDB_OK);
    cr_assert_eq(mkinvite(db, "two-use", 0, 0, 0, 2), HDB_OK);
    cr_assert_eq(mkinvite(db, "expired", 0, 0, NOW, 0), HDB_OK);
    cr_assert_eq(mkinvite(db, "open", 0, 0, 0, 0), HDB_OK);

    cr_assert_eq(create_user("ann", NULL, NULL), HDB_E_INVITE);
    cr_assert_eq(create_user("ann", "", NULL), HDB_E_INVITE);
    cr_assert_eq(create_user("ann", "unknown", NULL), HDB_E_INVITE);
    cr_assert_eq(create_user("ann", "expired", NULL), HDB_E_INVITE);
    cr_assert_eq(create_user("ann", "one-use", &ann), HDB_OK);
    cr_assert_gt(ann, 0);
    cr_assert_eq(create_user("bob", "one-use", NULL), HDB_E_INVITE, "used up");

    /* A room's invite does not open registration. */
    int64_t room = mkroom(db, "secret", ann, 1);
    cr_assert_eq(mkinvite(db, "room-only", room, 0, 0, 0), HDB_OK);
    cr_assert_eq(create_user("bob", "room-only", NULL), HDB_E_INVITE);

    /* A taken handle gives the invite's use back (the savepoint undoes it). */
    cr_assert_eq(create_user("ann", "two-use", NULL), HDB_E_EXISTS);
    cr_assert_eq(q_int("SELECT uses_left FROM invites WHERE code = 'two-use' AND ?1 = ?1", 0), 2);
    cr_assert_eq(create_user("bob", "two-use", NULL), HDB_OK);
    cr_assert_eq(create_user("cat", "two-use", NULL), HDB_OK);
    cr_assert_eq(create_user("dan", "two-use", NULL), HDB_E_INVITE);

    cr_assert_eq(create_user("eve", "open", NULL), HDB_OK);
    cr_assert_eq(create_user("fay", "open", NULL), HDB_OK);
    cr_assert_eq(q_int("SELECT count(*) FROM invites WHERE code = 'open' AND uses_left IS NULL"
                       " AND ?1 = ?1", 0), 1);

    cr_assert_eq(mkinvite(db, "open", 0, 0, 0, 0), HDB_E_EXISTS);
    cr_assert_eq(hdb_setting_set_bool(db, "require_invite", false), HDB_OK);
    cr_assert_eq(hdb_setting_get_bool(db, "require_invite", &on), HDB_OK);
    cr_assert_not(on);
    cr_assert_eq(create_user("gus", NULL, NULL), HDB_OK);
}

static unsigned char tok_a[32], tok_b[32], tok_c[32];

static void init_tokens(void)
{
    for (int i = 0; i < 32; i++) {
        tok_a[i] = (unsigned char)i;
        tok_b[i] = (unsigned char)(0xA0 + i);
        tok_c[i] = (unsigned char)(0x55 ^ i);
    }
}

static int token_create(int64_t user, const unsigned char *hash, int64_t now, int64_t expires)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_TOKEN_CREATE, NULL, NULL);
    j->in.user_id = user;
    j->in.token_hash = hash;
    j->in.now = now;
    j->in.expires_at = expires;
    int rc = hdb_run_sync(db, j);
    hdb_job_free(j);
    return rc;
}

/* Returns rc; on success checks the user and the expiry. */
static int token_lookup(const unsigned char *hash, int64_t now, int64_t idle_ms, int64_t user,
                        int64_t expires)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_TOKEN_LOOKUP, NULL, NULL);
    j->in.token_hash = hash;
    j->in.now = now;
    j->in.idle_ms = idle_ms;
    int rc = hdb_run_sync(db, j);
    if (rc == HDB_OK) {
        cr_assert_eq(j->out.user.id, user);
        cr_assert_not_null(j->out.user.handle);
        cr_assert_not_null(j->out.user.pw_hash);
        cr_assert_eq(j->out.token_expires_at, expires);
    } else {
        cr_assert_null(j->out.user.handle);
    }
    hdb_job_free(j);
    return rc;
}

static int token_revoke(const unsigned char *hash)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_TOKEN_REVOKE, NULL, NULL);
    j->in.token_hash = hash;
    int rc = hdb_run_sync(db, j);
    hdb_job_free(j);
    return rc;
}

static int64_t token_rows(void)
{
    return q_int("SELECT count(*) FROM tokens WHERE ?1 = ?1", 0);
}

Test(db_accounts, tokens)
{
    int64_t ann = 0, bob = 0;
    const int64_t exp = NOW + 30 * 24 * HOUR, idle = 24 * HOUR;
    init_tokens();
    cr_assert_eq(create_user("ann", NULL, &ann), HDB_OK);
    cr_assert_eq(create_user("bob", NULL, &bob), HDB_OK);

    cr_assert_eq(token_create(ann, tok_a, NOW, exp), HDB_OK);
    cr_assert_eq(token_create(bob, tok_a, NOW, exp), HDB_E_EXISTS);
    cr_assert_eq(token_create(12345, tok_b, NOW, exp), HDB_E_NOT_FOUND);
    cr_assert_eq(token_lookup(tok_b, NOW, idle, 0, 0), HDB_E_NOT_FOUND);

    cr_assert_eq(token_lookup(tok_a, NOW + 1, idle, ann, exp), HDB_OK);
    /* Each use moves last_used_at, so steady use keeps it alive... */
    cr_assert_eq(token_lookup(tok_a, NOW + idle, idle, ann, exp), HDB_OK);
    cr_assert_eq(token_lookup(tok_a, NOW + 2 * idle, idle, ann, exp), HDB_OK);
    cr_assert_eq(q_int("SELECT last_used_at FROM tokens WHERE user_id = ?1", ann), NOW + 2 * idle);
    /* ...and a gap longer than idle_ms ends it, and deletes it. */
    cr_assert_eq(token_lookup(tok_a, NOW + 3 * idle + 1, idle, ann, exp), HDB_E_NOT_FOUND);
    cr_assert_eq(token_rows(), 0, "a dead token found by lookup is deleted");
    cr_assert_eq(token_lookup(tok_a, NOW + 3 * idle + 2, 0, ann, exp), HDB_E_NOT_FOUND);

    /* Absolute expiry; idle_ms 0 means no idle limit. */
    cr_assert_eq(token_create(ann, tok_b, NOW, NOW + 10 * idle), HDB_OK);
    cr_assert_eq(token_lookup(tok_b, NOW + 9 * idle, 0, ann, NOW + 10 * idle), HDB_OK);
    cr_assert_eq(token_lookup(tok_b, NOW + 10 * idle, 0, ann, 0), HDB_E_NOT_FOUND);
    cr_assert_eq(token_rows(), 0);

    /* Revoke. */
    cr_assert_eq(token_create(bob, tok_c, NOW, exp), HDB_OK);
    cr_assert_eq(token_create(ann, tok_a, NOW, exp), HDB_OK);
    cr_assert_eq(token_revoke(tok_c), HDB_OK);
    cr_assert_eq(token_lookup(tok_c, NOW + 1, idle, bob, exp), HDB_E_NOT_FOUND);
    cr_assert_eq(token_revoke(tok_c), HDB_E_NOT_FOUND);
    cr_assert_eq(token_lookup(tok_a, NOW + 1, idle, ann, exp), HDB_OK, "others unaffected");
}

/* The stored password hash of `handle` is `want`. */
static void expect_pw_hash(const char *handle, const char *want)
{
    struct hdb_job *j = hdb_job_new(HDB_OP_USER_BY_HANDLE, NULL, NULL);
    j->in.handle = handle;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_str_eq(j->out.user.pw_hash, want);
    hdb_job_free(j);
}

Test(db_accounts, set_password_revokes_tokens)
{
    int64_t ann = 0, bob = 0;
    const int64_t exp = NOW + 100 * HOUR;
    init_tokens();
    cr_assert_eq(create_user("ann", NULL, &ann), HDB_OK);
    cr_assert_eq(create_user("bob", NULL, &bob), HDB_OK);
    cr_assert_eq(token_create(ann, tok_a, NOW, exp), HDB_OK);
    cr_assert_eq(token_create(ann, tok_b, NOW, exp), HDB_OK);
    cr_assert_eq(token_create(bob, tok_c, NOW, exp), HDB_OK);

    struct hdb_job *j = hdb_job_new(HDB_OP_USER_SET_PASSWORD, NULL, NULL);
    j->in.user_id = ann;
    j->in.pw_hash = "$scrypt$new";
    j->in.now = NOW + 5;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    j->in.user_id = 999;
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND);
    hdb_job_free(j);

    cr_assert_eq(token_lookup(tok_a, NOW + 6, 0, ann, exp), HDB_E_NOT_FOUND);
    cr_assert_eq(token_lookup(tok_b, NOW + 6, 0, ann, exp), HDB_E_NOT_FOUND);
    cr_assert_eq(token_lookup(tok_c, NOW + 6, 0, bob, exp), HDB_OK);

    expect_pw_hash("ann", "$scrypt$new");
}

Test(db_accounts, rehash_keeps_sessions_and_never_undoes_a_password_change)
{
    int64_t ann;
    cr_assert_eq(create_user("ann", NULL, &ann), HDB_OK);
    init_tokens();
    int64_t exp = NOW + 1000000;
    cr_assert_eq(token_create(ann, tok_a, NOW, exp), HDB_OK);

    struct hdb_job *j = hdb_job_new(HDB_OP_USER_REHASH, NULL, NULL);
    j->in.user_id = ann;
    j->in.old_pw_hash = "$scrypt$n=17$salt$hash";
    j->in.pw_hash = "$scrypt$stronger";
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    cr_assert_eq(token_lookup(tok_a, NOW + 1, 0, ann, exp), HDB_OK, "sessions survive a rehash");

    /* A rehash computed from a hash that is no longer stored changes nothing. */
    j->in.old_pw_hash = "$scrypt$n=17$salt$hash";
    j->in.pw_hash = "$scrypt$stale";
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND);
    hdb_job_free(j);

    expect_pw_hash("ann", "$scrypt$stronger");
}

struct listed {
    int n;
    char handles[4][16];
    int roles[4];
    bool hash_seen;
};

static void on_user(const struct hdb_user *u, void *ud)
{
    struct listed *l = ud;
    cr_assert_lt(l->n, 4);
    snprintf(l->handles[l->n], sizeof l->handles[0], "%s", u->handle);
    l->roles[l->n] = u->role;
    if (u->pw_hash)
        l->hash_seen = true;
    l->n++;
}

Test(db_accounts, status_role_and_listing)
{
    int64_t ann = 0;
    cr_assert_eq(create_user("ann", NULL, &ann), HDB_OK);
    cr_assert_eq(create_user("bob", NULL, NULL), HDB_OK);

    struct hdb_job *j = hdb_job_new(HDB_OP_USER_SET_STATUS, NULL, NULL);
    j->in.user_id = ann;
    j->in.status = 2;
    cr_assert_eq(hdb_run_sync(db, j), HDB_OK);
    j->in.user_id = 31337;
    cr_assert_eq(hdb_run_sync(db, j), HDB_E_NOT_FOUND);
    hdb_job_free(j);
    cr_assert_eq(q_int("SELECT status FROM users WHERE id = ?1", ann), 2);

    cr_assert_eq(hdb_user_set_role(db, "bob", 2), HDB_OK);
    cr_assert_eq(hdb_user_set_role(db, "nobody", 2), HDB_E_NOT_FOUND);
    cr_assert_eq(hdb_user_set_role(db, "ann", 7), HDB_E_IO, "the schema refuses unknown roles");

    struct listed l = { 0 };
    cr_assert_eq(hdb_list_users(db, on_user, &l), HDB_OK);
    cr_assert_eq(l.n, 2);
    cr_assert_str_eq(l.handles[0], "ann");
    cr_assert_eq(l.roles[0], 0);
    cr_assert_str_eq(l.handles[1], "bob");
    cr_assert_eq(l.roles[1], 2);
    cr_assert_not(l.hash_seen, "a listing carries no password hashes");
}

Test(db_accounts, deleting_a_user_cascades)
{
    /* Erasure relies on foreign keys being enforced on every connection
     * that deletes; here we check the schema's cascades themselves. */
    int64_t ann = 0;
    init_tokens();
    cr_assert_eq(create_user("ann", NULL, &ann), HDB_OK);
    cr_assert_eq(token_create(ann, tok_a, NOW, NOW + HOUR), HDB_OK);
    pthread_mutex_lock(&db->conn_mu);
    sqlite3_stmt *s = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db->conn, "DELETE FROM users WHERE id = ?1", -1, &s, NULL),
                 SQLITE_OK);
    sqlite3_bind_int64(s, 1, ann);
    cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    pthread_mutex_unlock(&db->conn_mu);
    cr_assert_eq(token_rows(), 0);
}
