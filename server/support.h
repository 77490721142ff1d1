/*
 * Support requests: a member asks for support (talk, craving, crisis) and
 * the server makes sure a person sees it. Routing, all on the server's
 * clock: the requester's online buddies at once; after the first window
 * (or at once when no buddy is online) everyone on duty as a supporter,
 * oldest request first; after the second window the requester is told
 * honestly that nobody has answered yet and shown the crisis resources,
 * and the request stays open. A crisis also alerts moderators on duty at
 * once. The first to accept gets a private conversation with the
 * requester (a room of kind "support"); the others see it was taken. A
 * helper who drops out longer than a grace period, or hands it back,
 * returns the request to the queue. Blocks are honoured both ways.
 *
 * Open and answered requests live in memory (and on disk, with the times
 * that give the operator the waiting figures); closed ones only on disk.
 */
#ifndef HEARTH_SUPPORT_H
#define HEARTH_SUPPORT_H

#include <stdbool.h>

#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

int support_load(struct server *srv);
void support_free(struct server *srv);
/* u's first connection opened (online) or last closed (offline). */
void support_presence_changed(struct server *srv, struct user *u);
/* u's account is being deleted: their own request ends; one they were
 * helping in goes back to the queue. */
void support_forget_user(struct server *srv, struct user *u);
/* room.send in a support conversation: only while it is answered, and
 * only its two people. Always true for other rooms. */
bool support_may_talk(const struct room *r, const struct user *u);

void support_handle_ask(struct session *s, const struct proto_request *req);
void support_handle_cancel(struct session *s, const struct proto_request *req);
void support_handle_accept(struct session *s, const struct proto_request *req);
void support_handle_close(struct session *s, const struct proto_request *req);
void support_handle_handback(struct session *s, const struct proto_request *req);
void support_handle_available(struct session *s, const struct proto_request *req);
void support_handle_queue(struct session *s, const struct proto_request *req);
void support_handle_status(struct session *s, const struct proto_request *req);
void support_handle_stats(struct session *s, const struct proto_request *req);

#endif
