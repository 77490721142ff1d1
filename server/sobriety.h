/*
 * Clean time and milestones (issue 5): a member's sobriety date (private
 * unless they share it with buddies or everyone), the days since, the
 * milestones (1 day, 1 week, 30/60/90 days, 6 and 9 months, 1 year, 18
 * months, then every year) in the member's own time zone, and the kind
 * handling of a new start: the old period is kept in their history. A
 * milestone reached is told to the member (at once, or when they next
 * sign in) and, when shared, to their buddies and their chosen room.
 */
#ifndef HEARTH_SOBRIETY_H
#define HEARTH_SOBRIETY_H

#include "hproto.h"

struct server;
struct session;
struct user;

int sobriety_load(struct server *srv);
void sobriety_free(struct server *srv);
/* u's account is being deleted: its clean time is forgotten. */
void sobriety_forget_user(struct server *srv, struct user *u);
/* A session has just signed in: milestones reached while away are told. */
void sobriety_session_started(struct session *s);

void sobriety_handle_set(struct session *s, const struct proto_request *req);
void sobriety_handle_get(struct session *s, const struct proto_request *req);

#endif
