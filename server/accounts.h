/*
 * Accounts: register, log in, resume with a token, log out, change
 * password. Hashing runs on the thread pool (pwpool), storage on the db
 * writer; the loop only glues the steps together.
 */
#ifndef HEARTH_ACCOUNTS_H
#define HEARTH_ACCOUNTS_H

#include "hproto.h"

struct session;
struct user;

void accounts_handle_register(struct session *s, const struct proto_request *req);
void accounts_handle_login(struct session *s, const struct proto_request *req);
void accounts_handle_resume(struct session *s, const struct proto_request *req);
void accounts_handle_logout(struct session *s, const struct proto_request *req);
void accounts_handle_password(struct session *s, const struct proto_request *req);
/* Ends every session of u: session.revoked with `reason`, then close 4002. */
void accounts_end_sessions(struct user *u, const char *reason);
/* account.delete: checks the password, then account_erase() (account.h). */
void accounts_handle_delete(struct session *s, const struct proto_request *req);

#endif
