/*
 * The matching pool: "find me a buddy". Members wait with what they look
 * for (time zone, language, approach, clean time); as soon as two of them
 * suit each other the server proposes them to each other, oldest waiting
 * first. Both must accept to become buddies; a decline means that pair is
 * never proposed again; an unanswered proposal lapses after
 * cfg.match_lapse_hours and whoever did not answer leaves the pool.
 *
 * State lives in memory (srv->matcher) and is changed at once on the loop,
 * so two requests can never see it half-changed; the database jobs are
 * queued in the same order and every reply and event goes out only after
 * its COMMIT. A member has at most one open proposal. A proposal's id is
 * the database's, so it is told to nobody until its row is committed.
 */
#ifndef HEARTH_MATCH_H
#define HEARTH_MATCH_H

#include "hproto.h"

struct server;
struct session;
struct user;

/* Startup, after blocks and buddies are loaded: the pool and its open and
 * declined proposals; lapses what expired while the server was down and
 * proposes what can be proposed. */
int match_load(struct server *srv);
/* Frees the pool; the clock and the database are closed by then. */
void match_free(struct server *srv);
/* u's account is being deleted: out of the pool; an open proposal ends. */
void match_forget_user(struct server *srv, struct user *u);
/* A block between a and b was added or lifted: an open proposal of the two
 * ends as declined; matching runs again (a lifted block may allow a pair). */
void match_block_changed(struct server *srv, struct user *a, struct user *b);

/* A pairing or a buddy request ended: someone may be under the buddy limit
 * again, or free to be proposed to someone; matching runs again. */
void match_links_changed(struct server *srv);

void match_handle_join(struct session *s, const struct proto_request *req);
void match_handle_leave(struct session *s, const struct proto_request *req);
void match_handle_status(struct session *s, const struct proto_request *req);
void match_handle_accept(struct session *s, const struct proto_request *req);
void match_handle_decline(struct session *s, const struct proto_request *req);

#endif
