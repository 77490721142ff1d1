/*
 * Safety: Hearth is peer support, not a crisis service, and says so. The
 * deployment's crisis resources are shown to anyone who asks (even before
 * signing in), once to every member on their first room, and privately to
 * someone whose message sounds like a crisis (the operator's patterns):
 * their message is still delivered, nothing is removed, and the room's
 * moderators online are alerted so a person can reach out.
 */
#ifndef HEARTH_SAFETY_H
#define HEARTH_SAFETY_H

#include "hproto.h"

struct hdb_event;
struct room;
struct server;
struct session;
struct user;

int safety_init(struct server *srv);
void safety_free(struct server *srv);
void safety_handle_resources(struct session *s, const struct proto_request *req);
/* The deployment's crisis resources (borrowed). */
const char *const *safety_resources(const struct server *srv, size_t *n);
/* u has just joined a room: the notice, if u has never had it. */
void safety_first_room(struct server *srv, struct user *u);
/* A message was stored and delivered: check its words. */
void safety_check_message(struct server *srv, struct room *r, struct user *author,
                          const struct hdb_event *ev);

#endif
