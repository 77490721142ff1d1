/*
 * Presence: who is online and with which status, told live to the people
 * who share a room with them. An invisible user looks offline to everyone
 * but themselves; a user with no connection is offline.
 */
#ifndef HEARTH_PRESENCE_H
#define HEARTH_PRESENCE_H

#include "hproto.h"

struct server;
struct session;
struct user;
struct room;

/* What `viewer` may see of `u`'s status. */
enum proto_status presence_visible(const struct user *u, const struct user *viewer);
/* A session has just authenticated as s->user. */
void presence_session_started(struct server *srv, struct session *s);
/* An authenticated session went away (called by session_transport_gone). */
void presence_session_ended(struct server *srv, struct session *s);
/* The user chose a status (already stored). */
void presence_status_changed(struct server *srv, struct user *u, enum proto_status old);
/* Tell the members of r how u looks now (after u joined r). */
void presence_announce_in_room(struct server *srv, struct room *r, struct user *u);
/* Handler for presence.set. */
void presence_handle_set(struct session *s, const struct proto_request *req);

#endif
