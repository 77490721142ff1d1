#include "accounts.h"
#include "account.h"

#include <openssl/crypto.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "checkins.h"
#include "pings.h"
#include "settings.h"
#include "sobriety.h"
#include "presence.h"
#include "pwpool.h"
#include "server.h"

#define DAY_MS (24LL * 3600 * 1000)

/* One account request, carried through its steps (hash, db, token). */
struct acct_op {
    struct session *s;
    enum proto_req_type type;
    char id[PROTO_ID_MAX + 1];
    char handle[PROTO_HANDLE_MAX + 1];
    char invite[PROTO_INVITE_MAX + 1];
    bool has_invite;
    char pw_hash[PWHASH_MAX];
    char token_hex[TOKEN_HEX_LEN + 1];
    unsigned char token_hash[TOKEN_HASH_LEN];
    struct pw_task *task;            /* waiting for the hash step */
    void (*task_done)(struct pw_task *t);
    int64_t user_id;
    int role, status;
    bool suspended;
    int64_t suspended_until;
    bool seen_notice;
};

/* A suspension in force (one whose end has passed no longer counts). */
static bool suspended_now(const struct acct_op *op, int64_t *retry_ms)
{
    int64_t now = clock_wall_ms(op->s->srv->clock);
    if (!op->suspended || (op->suspended_until && op->suspended_until <= now))
        return false;
    *retry_ms = op->suspended_until ? op->suspended_until - now : -1;
    return true;
}

static struct acct_op *op_new(struct session *s, const struct proto_request *req)
{
    struct acct_op *op = calloc(1, sizeof *op);
    if (!op) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return NULL;
    }
    op->s = s;
    op->type = req->type;
    snprintf(op->id, sizeof op->id, "%s", req->id);
    session_ref(s);
    return op;
}

/* Ends the request with an error (code != PROTO_OK) or silently. */
static void op_fail(struct acct_op *op, enum proto_err code, const char *msg, int64_t retry)
{
    if (code != PROTO_OK)
        session_reply_error(op->s, op->id, code, msg, retry);
    if (op->type != PROTO_REQ_AUTH_LOGOUT && op->type != PROTO_REQ_AUTH_PASSWORD)
        op->s->auth_in_flight = false;
    session_unref(op->s);
    OPENSSL_cleanse(op, sizeof *op); /* it held a password hash */
    free(op);
}

static struct hdb_job *op_job(struct acct_op *op, enum hdb_op kind, hdb_done_fn done)
{
    struct hdb_job *job = hdb_job_new(kind, done, op);
    if (job)
        job->in.now = clock_wall_ms(op->s->srv->clock);
    else
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
    return job;
}

static void run_pw(struct acct_op *op, struct pw_task *t, void (*done)(struct pw_task *))
{
    if (!t) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    t->ln = op->s->srv->cfg.scrypt_ln;
    t->done = done;
    t->ud = op;
    if (pwpool_submit(op->s->srv->pw, t) != 0) {
        pw_task_free(t);
        op_fail(op, PROTO_E_SERVER_BUSY, NULL, -1);
    }
}

/* Makes the session belong to the user and tells their peers. */
static struct user *attach(struct acct_op *op)
{
    struct session *s = op->s;
    struct user *u = server_user_upsert(s->srv, op->user_id, op->handle, op->role, op->status);
    if (!u)
        return NULL;
    s->user = u;
    u->seen_notice = u->seen_notice || op->seen_notice; /* memory may be ahead of the disk */
    s->has_token = true;
    memcpy(s->token_hash, op->token_hash, TOKEN_HASH_LEN);
    htimer_stop(s->srv->clock, &s->auth_timer);
    presence_session_started(s->srv, s);
    return u;
}

static void reply_authed(struct acct_op *op, bool with_token)
{
    struct user *u = op->s->user;
    struct proto_result res = {.type = op->type};
    res.u.auth.user.handle = u->handle;
    res.u.auth.user.role = u->role;
    res.u.auth.user.status = u->status;
    res.u.auth.token = with_token ? op->token_hex : NULL;
    session_reply(op->s, op->id, &res);
    pings_deliver_waiting(op->s);   /* pings kept while the member was away */
    if (u->n_sessions == 1) {       /* back after being away: what happened meanwhile */
        checkins_deliver_waiting(op->s, u->last_seen_at);
        sobriety_session_started(op->s);
    }
}

/* ---- the last step of register and login: a new token ---- */

static void on_token_stored(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    hdb_job_free(job);
    if (rc != HDB_OK) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    if (!session_alive(op->s)) {
        op_fail(op, PROTO_OK, NULL, -1);
        return;
    }
    if (!attach(op)) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    log_info("session %llu: %s signed in (%s)", (unsigned long long)op->s->id, op->handle,
             proto_req_name(op->type));
    reply_authed(op, true);
    op_fail(op, PROTO_OK, NULL, -1);
}

static void issue_token(struct acct_op *op, hdb_done_fn done)
{
    if (token_new(op->token_hex, op->token_hash) != 0) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct hdb_job *job = op_job(op, HDB_OP_TOKEN_CREATE, done);
    if (!job)
        return;
    const struct config *cfg = &op->s->srv->cfg;
    job->in.user_id = op->user_id;
    job->in.token_hash = op->token_hash;
    job->in.expires_at = job->in.now + (int64_t)cfg->token_max_days * DAY_MS;
    server_submit(op->s->srv, job);
}

/* ---- auth.register ---- */

static void on_user_created(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    if (rc == HDB_OK) {
        op->user_id = job->out.user.id;
        op->role = job->out.user.role;
        op->status = job->out.user.status;
        log_info("new account %s", op->handle);
    }
    hdb_job_free(job);
    if (rc == HDB_E_EXISTS)
        op_fail(op, PROTO_E_HANDLE_TAKEN, NULL, -1);
    else if (rc == HDB_E_INVITE)
        op_fail(op, op->has_invite ? PROTO_E_INVITE_INVALID : PROTO_E_INVITE_REQUIRED, NULL, -1);
    else if (rc != HDB_OK)
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
    else
        issue_token(op, on_token_stored);
}

static void on_register_hashed(struct pw_task *t)
{
    struct acct_op *op = t->ud;
    int rc = t->rc;
    memcpy(op->pw_hash, t->out, sizeof op->pw_hash);
    pw_task_free(t);
    if (rc != 0) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct hdb_job *job = op_job(op, HDB_OP_USER_CREATE, on_user_created);
    if (!job)
        return;
    job->in.handle = op->handle;
    job->in.pw_hash = op->pw_hash;
    job->in.invite = op->has_invite ? op->invite : NULL;
    server_submit(op->s->srv, job);
}

void accounts_handle_register(struct session *s, const struct proto_request *req)
{
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    s->auth_in_flight = true;
    snprintf(op->handle, sizeof op->handle, "%s", req->u.reg.handle);
    if (req->u.reg.invite) {
        op->has_invite = true;
        snprintf(op->invite, sizeof op->invite, "%s", req->u.reg.invite);
    }
    run_pw(op, pw_task_new(PW_HASH, req->u.reg.password, NULL), on_register_hashed);
}

/* ---- auth.login ---- */

static void throttle_keys(struct acct_op *op, char *addr_key, size_t len)
{
    snprintf(addr_key, len, "addr:%s", op->s->addr);
}

/* Stores a login's stronger hash; nobody waits for it. */
struct rehash {
    char old_hash[PWHASH_MAX], new_hash[PWHASH_MAX];
};

static void on_rehashed(struct hdb_job *job)
{
    if (job->out.rc == HDB_OK)
        log_info("password hash of user %lld raised to the configured cost",
                 (long long)job->in.user_id);
    OPENSSL_cleanse(job->ud, sizeof(struct rehash));
    free(job->ud);
    hdb_job_free(job);
}

static void store_rehash(struct acct_op *op, const struct pw_task *t)
{
    struct rehash *r = malloc(sizeof *r);
    struct hdb_job *job = hdb_job_new(HDB_OP_USER_REHASH, on_rehashed, r);
    if (!r || !job) {
        free(r);
        hdb_job_free(job);
        return; /* the old hash still works; the next login tries again */
    }
    memcpy(r->old_hash, t->stored, sizeof r->old_hash);
    memcpy(r->new_hash, t->out, sizeof r->new_hash);
    job->in.user_id = op->user_id;
    job->in.old_pw_hash = r->old_hash;
    job->in.pw_hash = r->new_hash;
    server_submit(op->s->srv, job);
}

static void on_login_verified(struct pw_task *t)
{
    struct acct_op *op = t->ud;
    struct server *srv = op->s->srv;
    bool ok = t->match == 1 && op->user_id != 0;
    if (ok && t->rehashed)
        store_rehash(op, t);
    pw_task_free(t);
    char addr_key[96];
    throttle_keys(op, addr_key, sizeof addr_key);
    int64_t now = clock_mono_ms(srv->clock);
    if (!ok) {
        throttle_fail(srv->login_by_handle, op->handle, now);
        throttle_fail(srv->login_by_addr, addr_key, now);
        log_info("session %llu: failed sign-in from %s", (unsigned long long)op->s->id,
                 op->s->addr);
        op_fail(op, PROTO_E_INVALID_CREDENTIALS, NULL, -1);
        return;
    }
    throttle_success(srv->login_by_handle, op->handle);
    /* Told only after the right password, so it says nothing to a guesser. */
    int64_t retry;
    if (suspended_now(op, &retry)) {
        op_fail(op, PROTO_E_SUSPENDED, NULL, retry);
        return;
    }
    issue_token(op, on_token_stored);
}

/* Looks the handle up, then checks the password on the pool. An unknown
 * handle is checked against a dummy hash so it takes just as long. */
static void on_login_user(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    struct server *srv = op->s->srv;
    const char *stored = srv->dummy_hash;
    if (job->out.rc == HDB_OK) {
        op->user_id = job->out.user.id;
        op->role = job->out.user.role;
        op->status = job->out.user.status;
        op->suspended = job->out.user.suspended;
        op->suspended_until = job->out.user.suspended_until;
        op->seen_notice = job->out.user.seen_notice;
        snprintf(op->pw_hash, sizeof op->pw_hash, "%s", job->out.user.pw_hash);
        stored = op->pw_hash;
    } else if (job->out.rc != HDB_E_NOT_FOUND) {
        hdb_job_free(job);
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    hdb_job_free(job);
    struct pw_task *t = op->task;
    op->task = NULL;
    snprintf(t->stored, sizeof t->stored, "%s", stored);
    run_pw(op, t, op->task_done);
}

static bool throttled(struct session *s, const char *id, const char *handle)
{
    struct server *srv = s->srv;
    char addr_key[96];
    snprintf(addr_key, sizeof addr_key, "addr:%s", s->addr);
    int64_t now = clock_mono_ms(srv->clock);
    int64_t wait = throttle_check(srv->login_by_handle, handle, now);
    int64_t wait_addr = throttle_check(srv->login_by_addr, addr_key, now);
    if (wait_addr > wait)
        wait = wait_addr;
    if (!wait)
        return false;
    char msg[128];
    snprintf(msg, sizeof msg, "Too many failed sign-ins; try again in %lld seconds.",
             (long long)((wait + 999) / 1000));
    session_reply_error(s, id, PROTO_E_LOGIN_THROTTLED, msg, wait);
    return true;
}

/* Starts the lookup-then-verify sequence shared by login and password. */
static void lookup_and_verify(struct acct_op *op, struct pw_task *t,
                              void (*verified)(struct pw_task *))
{
    if (!t) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    op->task = t;
    op->task_done = verified;
    struct hdb_job *job = op_job(op, HDB_OP_USER_BY_HANDLE, on_login_user);
    if (!job) {
        pw_task_free(t);
        return;
    }
    job->in.handle = op->handle;
    server_submit(op->s->srv, job);
}

void accounts_handle_login(struct session *s, const struct proto_request *req)
{
    if (throttled(s, req->id, req->u.login.handle))
        return;
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    s->auth_in_flight = true;
    snprintf(op->handle, sizeof op->handle, "%s", req->u.login.handle);
    lookup_and_verify(op, pw_task_new(PW_VERIFY, req->u.login.password, NULL), on_login_verified);
}

/* ---- auth.resume ---- */

static void on_token_found(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    if (rc == HDB_OK) {
        op->user_id = job->out.user.id;
        op->role = job->out.user.role;
        op->status = job->out.user.status;
        op->suspended = job->out.user.suspended;
        op->suspended_until = job->out.user.suspended_until;
        op->seen_notice = job->out.user.seen_notice;
        snprintf(op->handle, sizeof op->handle, "%s", job->out.user.handle);
    }
    hdb_job_free(job);
    int64_t retry;
    if (rc == HDB_OK && suspended_now(op, &retry)) {
        op_fail(op, PROTO_E_SUSPENDED, NULL, retry);
    } else if (rc == HDB_E_NOT_FOUND) {
        op_fail(op, PROTO_E_TOKEN_INVALID, NULL, -1);
    } else if (rc != HDB_OK) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
    } else if (!session_alive(op->s)) {
        op_fail(op, PROTO_OK, NULL, -1);
    } else if (!attach(op)) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
    } else {
        log_info("session %llu: %s resumed", (unsigned long long)op->s->id, op->handle);
        reply_authed(op, false);
        op_fail(op, PROTO_OK, NULL, -1);
    }
}

void accounts_handle_resume(struct session *s, const struct proto_request *req)
{
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    s->auth_in_flight = true;
    token_hash(req->u.resume.token, op->token_hash);
    struct hdb_job *job = op_job(op, HDB_OP_TOKEN_LOOKUP, on_token_found);
    if (!job)
        return;
    job->in.token_hash = op->token_hash;
    job->in.idle_ms = (int64_t)s->srv->cfg.token_idle_days * DAY_MS;
    server_submit(s->srv, job);
}

/* ---- ending other sessions ---- */

/* Tells each other session of `u` (all of them when token is NULL, else
 * those holding that token) that it has ended, then closes it with 4002. */
static void revoke_sessions(struct user *u, const struct session *keep,
                            const unsigned char *token, const char *reason)
{
    struct proto_event ev = {.type = PROTO_EVT_SESSION_REVOKED};
    ev.u.revoked.reason = reason;
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    /* Copy first: closing edits u->sessions only later, but be safe. */
    size_t n = u->n_sessions;
    struct session **list = malloc((n ? n : 1) * sizeof *list);
    if (!list) {
        hbuf_unref(b);
        return;
    }
    memcpy(list, u->sessions, n * sizeof *list);
    for (size_t i = 0; i < n; i++) {
        struct session *o = list[i];
        if (o == keep || (token && (!o->has_token ||
                                    memcmp(o->token_hash, token, TOKEN_HASH_LEN) != 0)))
            continue;
        session_send(o, b);
        session_close(o, 4002, reason);
    }
    free(list);
    hbuf_unref(b);
}

void accounts_end_sessions(struct user *u, const char *reason)
{
    revoke_sessions(u, NULL, NULL, reason);
}

/* ---- auth.logout ---- */

static void on_token_revoked(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    hdb_job_free(job);
    if (rc != HDB_OK && rc != HDB_E_NOT_FOUND) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct session *s = op->s;
    if (s->user) {
        log_info("session %llu: %s logged out", (unsigned long long)s->id, s->user->handle);
        revoke_sessions(s->user, s, op->token_hash, "logout");
    }
    struct proto_result res = {.type = PROTO_REQ_AUTH_LOGOUT};
    session_reply(s, op->id, &res);
    session_close(s, 1000, "logged out");
    op_fail(op, PROTO_OK, NULL, -1);
}

void accounts_handle_logout(struct session *s, const struct proto_request *req)
{
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    memcpy(op->token_hash, s->token_hash, TOKEN_HASH_LEN);
    struct hdb_job *job = op_job(op, HDB_OP_TOKEN_REVOKE, on_token_revoked);
    if (!job)
        return;
    job->in.token_hash = op->token_hash;
    server_submit(s->srv, job);
}

/* ---- auth.password ---- */

static void on_new_password_token(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    hdb_job_free(job);
    if (rc != HDB_OK) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct session *s = op->s;
    if (s->user) {
        memcpy(s->token_hash, op->token_hash, TOKEN_HASH_LEN);
        log_info("session %llu: %s changed password", (unsigned long long)s->id, s->user->handle);
        revoke_sessions(s->user, s, NULL, "password_changed");
    }
    struct proto_result res = {.type = PROTO_REQ_AUTH_PASSWORD};
    res.u.auth.token = op->token_hex;
    session_reply(s, op->id, &res);
    op_fail(op, PROTO_OK, NULL, -1);
}

static void on_password_stored(struct hdb_job *job)
{
    struct acct_op *op = job->ud;
    int rc = job->out.rc;
    hdb_job_free(job);
    if (rc != HDB_OK)
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
    else
        issue_token(op, on_new_password_token);
}

static void on_password_verified(struct pw_task *t)
{
    struct acct_op *op = t->ud;
    int match = t->match, rc = t->rc;
    memcpy(op->pw_hash, t->out, sizeof op->pw_hash);
    pw_task_free(t);
    if (match != 1) {
        throttle_fail(op->s->srv->login_by_handle, op->handle, clock_mono_ms(op->s->srv->clock));
        op_fail(op, PROTO_E_INVALID_CREDENTIALS, "Your current password is not right.", -1);
        return;
    }
    if (rc != 0) {
        op_fail(op, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    struct hdb_job *job = op_job(op, HDB_OP_USER_SET_PASSWORD, on_password_stored);
    if (!job)
        return;
    job->in.user_id = op->user_id;
    job->in.pw_hash = op->pw_hash;
    server_submit(op->s->srv, job);
}

void accounts_handle_password(struct session *s, const struct proto_request *req)
{
    if (throttled(s, req->id, s->user->handle))
        return;
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    snprintf(op->handle, sizeof op->handle, "%s", s->user->handle);
    lookup_and_verify(op, pw_task_new(PW_VERIFY_AND_HASH, req->u.password.old_password,
                                      req->u.password.new_password), on_password_verified);
}

/* ---- account.delete: the password first ---- */

static void on_delete_verified(struct pw_task *t)
{
    struct acct_op *op = t->ud;
    int match = t->match;
    pw_task_free(t);
    if (match != 1) {
        throttle_fail(op->s->srv->login_by_handle, op->handle, clock_mono_ms(op->s->srv->clock));
        op_fail(op, PROTO_E_INVALID_CREDENTIALS,
                "That password is not right; your account is unchanged.", -1);
        return;
    }
    if (session_alive(op->s) && op->s->user)
        account_erase(op->s, op->id);
    op_fail(op, PROTO_OK, NULL, -1);
}

void accounts_handle_delete(struct session *s, const struct proto_request *req)
{
    if (throttled(s, req->id, s->user->handle))
        return;
    struct acct_op *op = op_new(s, req);
    if (!op)
        return;
    snprintf(op->handle, sizeof op->handle, "%s", s->user->handle);
    lookup_and_verify(op, pw_task_new(PW_VERIFY, req->u.del.password, NULL), on_delete_verified);
}
