/*
 * Accounts through the real hearthd: register, log in, resume, log out,
 * change password, throttling, token expiry, and the operator's admin
 * commands on the same database.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define DAY_MS (24LL * 3600 * 1000)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(accounts, .fini = stop_server, .timeout = 120);

static json_t *login(struct rawws *w, const char *handle, const char *pw)
{
    return rw_call(w, "auth.login", json_pack("{s:s, s:s}", "handle", handle, "password", pw));
}

static json_t *resume(struct rawws *w, const char *token)
{
    return rw_call(w, "auth.resume", json_pack("{s:s}", "token", token));
}

Test(accounts, register_login_and_resume)
{
    hd_start(&hd, NULL);
    struct rawws a, b, c;
    rw_open_ok(&a, hd.port);
    json_t *r = rw_call(&a, "auth.register", json_pack("{s:s, s:s}", "handle", "Alice", "password", PW));
    json_t *d = rw_data(r);
    cr_assert_str_eq(rw_str(json_object_get(d, "user"), "handle"), "alice", "handles are case-folded");
    cr_assert_str_eq(rw_str(json_object_get(d, "user"), "role"), "member");
    const char *token = rw_str(d, "token");
    cr_assert(token && strlen(token) == 64);
    char *tok = strdup(token);
    json_decref(r);

    rw_open_ok(&b, hd.port);
    r = login(&b, "ALICE", PW);
    cr_assert_str_neq(rw_str(rw_data(r), "token"), tok, "each login gets its own token");
    json_decref(r);

    rw_open_ok(&c, hd.port);
    r = resume(&c, tok);
    cr_assert_str_eq(rw_str(json_object_get(rw_data(r), "user"), "handle"), "alice");
    json_decref(r);
    r = rw_call(&c, "room.list", NULL);
    rw_data(r);
    json_decref(r);
    r = resume(&c, tok);
    rw_expect_error(r, "already_authenticated");
    json_decref(r);

    free(tok);
    HD_FINISH(&hd, &a, &b, &c);
}

Test(accounts, refusals_name_the_problem)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "bob", PW);
    rw_close(&w);

    rw_open_ok(&w, hd.port);
    json_t *r = rw_call(&w, "auth.register", json_pack("{s:s, s:s}", "handle", "BOB", "password", PW));
    rw_expect_error(r, "handle_taken");
    json_decref(r);
    r = rw_call(&w, "auth.register", json_pack("{s:s, s:s}", "handle", "carol", "password", "short"));
    rw_expect_error(r, "password_policy");
    json_decref(r);
    r = rw_call(&w, "auth.register", json_pack("{s:s, s:s}", "handle", "no spaces!", "password", PW));
    rw_expect_error(r, "invalid_field");
    json_decref(r);

    /* Unknown handle and wrong password look exactly alike. */
    json_t *unknown = login(&w, "nobody", PW);
    json_t *wrong = login(&w, "bob", "not the password");
    rw_expect_error(unknown, "invalid_credentials");
    rw_expect_error(wrong, "invalid_credentials");
    cr_assert_str_eq(rw_str(unknown, "message"), rw_str(wrong, "message"));
    json_decref(unknown);
    json_decref(wrong);
    HD_FINISH(&hd, &w);
}

Test(accounts, failed_logins_are_throttled_until_the_clock_moves)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "dana", PW);
    rw_close(&w);

    rw_open_ok(&w, hd.port);
    for (int i = 0; i < 5; i++) {
        json_t *r = login(&w, "dana", "wrong password");
        rw_expect_error(r, "invalid_credentials");
        json_decref(r);
    }
    json_t *r = login(&w, "dana", PW);
    rw_expect_error(r, "login_throttled");
    long long wait = json_integer_value(json_object_get(r, "retry_after_ms"));
    cr_assert(wait > 0 && wait <= 1000, "first delay is a second, got %lld", wait);
    json_decref(r);

    hd_advance(&hd, wait);
    r = login(&w, "dana", PW);
    rw_data(r);
    json_decref(r);
    HD_FINISH(&hd, &w);
}

Test(accounts, logout_revokes_the_token_everywhere)
{
    hd_start(&hd, NULL);
    struct rawws a, b, c;
    rw_open_ok(&a, hd.port);
    json_t *r = rw_call(&a, "auth.register", json_pack("{s:s, s:s}", "handle", "erin", "password", PW));
    char *tok = strdup(rw_str(rw_data(r), "token"));
    json_decref(r);
    rw_open_ok(&b, hd.port);
    rw_data(r = resume(&b, tok));
    json_decref(r);

    r = rw_call(&a, "auth.logout", NULL);
    rw_data(r);
    json_decref(r);
    json_t *ev = rw_next_type(&b, "session.revoked", RW_TIMEOUT_MS);
    cr_assert(ev, "the other connection with the same token is told");
    cr_assert_str_eq(rw_str(ev, "reason"), "logout");
    json_decref(ev);
    cr_assert_eq(rw_wait_close(&b, RW_TIMEOUT_MS), 4002);

    rw_open_ok(&c, hd.port);
    r = resume(&c, tok);
    rw_expect_error(r, "token_invalid");
    json_decref(r);
    free(tok);
    HD_FINISH(&hd, &a, &b, &c);
}

Test(accounts, password_change_revokes_other_sessions)
{
    hd_start(&hd, NULL);
    struct rawws a, b, c;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "finn", PW);
    char *other = rw_login(&b, hd.port, "finn", PW);

    json_t *r = rw_call(&a, "auth.password", json_pack("{s:s, s:s}", "old_password", "wrong wrong wrong",
                                                        "new_password", "a brand new password"));
    rw_expect_error(r, "invalid_credentials");
    json_decref(r);
    r = rw_call(&a, "auth.password", json_pack("{s:s, s:s}", "old_password", PW,
                                                "new_password", "a brand new password"));
    char *fresh = strdup(rw_str(rw_data(r), "token"));
    json_decref(r);

    json_t *ev = rw_next_type(&b, "session.revoked", RW_TIMEOUT_MS);
    cr_assert(ev);
    cr_assert_str_eq(rw_str(ev, "reason"), "password_changed");
    json_decref(ev);
    cr_assert_eq(rw_wait_close(&b, RW_TIMEOUT_MS), 4002);

    rw_open_ok(&c, hd.port);
    rw_expect_error(r = resume(&c, other), "token_invalid");
    json_decref(r);
    rw_data(r = resume(&c, fresh));
    json_decref(r);
    rw_close(&c);
    rw_open_ok(&c, hd.port);
    rw_expect_error(r = login(&c, "finn", PW), "invalid_credentials");
    json_decref(r);
    rw_data(r = login(&c, "finn", "a brand new password"));
    json_decref(r);

    free(other);
    free(fresh);
    HD_FINISH(&hd, &a, &b, &c);
}

Test(accounts, idle_tokens_expire)
{
    hd_start(&hd, NULL);
    struct rawws a, b;
    rw_open_ok(&a, hd.port);
    json_t *r = rw_call(&a, "auth.register", json_pack("{s:s, s:s}", "handle", "gale", "password", PW));
    char *tok = strdup(rw_str(rw_data(r), "token"));
    json_decref(r);
    rw_close(&a);

    hd_advance(&hd, 29 * DAY_MS);
    rw_open_ok(&b, hd.port);
    rw_data(r = resume(&b, tok)); /* used on day 29: the idle clock restarts */
    json_decref(r);
    rw_close(&b);

    hd_advance(&hd, 31 * DAY_MS);
    rw_open_ok(&b, hd.port);
    rw_expect_error(r = resume(&b, tok), "token_invalid");
    json_decref(r);
    free(tok);
    HD_FINISH(&hd, &b);
}

Test(accounts, operator_requires_invites_and_grants_roles)
{
    hd_start(&hd, NULL);
    char out[256];
    const char *on[] = {"invites", "on", NULL};
    cr_assert_eq(hd_admin(&hd, on, out, sizeof out), 0);

    struct rawws w;
    rw_open_ok(&w, hd.port);
    json_t *r = rw_call(&w, "auth.register", json_pack("{s:s, s:s}", "handle", "hana", "password", PW));
    rw_expect_error(r, "invite_required");
    json_decref(r);
    r = rw_call(&w, "auth.register", json_pack("{s:s, s:s, s:s}", "handle", "hana", "password", PW,
                                               "invite", "not-a-real-code"));
    rw_expect_error(r, "invite_invalid");
    json_decref(r);

    const char *mk[] = {"invite", NULL};
    cr_assert_eq(hd_admin(&hd, mk, out, sizeof out), 0);
    out[strcspn(out, "\n")] = '\0';
    r = rw_call(&w, "auth.register", json_pack("{s:s, s:s, s:s}", "handle", "hana", "password", PW,
                                               "invite", out));
    rw_data(r);
    json_decref(r);
    rw_close(&w);

    rw_open_ok(&w, hd.port);
    r = rw_call(&w, "auth.register", json_pack("{s:s, s:s, s:s}", "handle", "ivan", "password", PW,
                                               "invite", out));
    rw_expect_error(r, "invite_invalid"); /* one use only */
    json_decref(r);
    rw_close(&w);

    const char *role[] = {"role", "hana", "moderator", NULL};
    cr_assert_eq(hd_admin(&hd, role, out, sizeof out), 0);
    const char *bad[] = {"role", "nobody", "admin", NULL};
    cr_assert_eq(hd_admin(&hd, bad, out, sizeof out), 1);
    rw_open_ok(&w, hd.port);
    r = login(&w, "hana", PW);
    cr_assert_str_eq(rw_str(json_object_get(rw_data(r), "user"), "role"), "moderator");
    json_decref(r);
    HD_FINISH(&hd, &w);
}

/* The stored hash of a user as the database has it now. */
static void stored_hash(const char *handle, char *out, size_t len)
{
    char path[300];
    snprintf(path, sizeof path, "%s/hearth.db", hd.data_dir);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT pw_hash FROM users WHERE handle = ?1", -1, &s, NULL),
                 SQLITE_OK);
    sqlite3_bind_text(s, 1, handle, -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, len, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
}

Test(accounts, raising_the_cost_rehashes_at_the_next_login)
{
    hd_start(&hd, NULL); /* the test cost: 2^10 */
    struct rawws w;
    rw_open_ok(&w, hd.port);
    json_t *r = rw_call(&w, "auth.register", json_pack("{s:s, s:s}", "handle", "ruth", "password", PW));
    char *tok = strdup(rw_str(rw_data(r), "token"));
    json_decref(r);
    rw_close(&w);
    char hash[200];
    stored_hash("ruth", hash, sizeof hash);
    cr_assert(strncmp(hash, "$scrypt$ln=10,", 14) == 0, "got %s", hash);

    cr_assert_eq(hd_stop(&hd), 0);
    hd.extra[hd.n_extra++] = strdup("--scrypt-cost"); /* the operator raises the cost */
    hd.extra[hd.n_extra++] = strdup("11");
    hd_restart(&hd);
    free(rw_login(&w, hd.port, "ruth", PW));
    rw_close(&w);
    stored_hash("ruth", hash, sizeof hash);
    cr_assert(strncmp(hash, "$scrypt$ln=11,", 14) == 0, "rehashed at the new cost, got %.20s", hash);

    free(rw_login(&w, hd.port, "ruth", PW)); /* the same password still works */
    rw_close(&w);
    rw_open_ok(&w, hd.port);
    rw_data(r = resume(&w, tok)); /* and sessions were kept */
    json_decref(r);
    free(tok);
    HD_FINISH(&hd, &w);
}
