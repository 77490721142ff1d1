/*
 * Fan-out: deliver one encoded message to every connection of a user, or
 * of every member of a room. The bytes are shared (ENGINEERING.md s.6).
 */
#ifndef HEARTH_FANOUT_H
#define HEARTH_FANOUT_H

#include "outq.h"

struct user;
struct room;

void fanout_user(struct user *u, struct hbuf *b);
/* Every connection of every member of the room. */
void fanout_room(struct room *r, struct hbuf *b);

#endif
