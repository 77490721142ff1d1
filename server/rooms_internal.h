/* Shared between the rooms modules only. */
#ifndef HEARTH_ROOMS_INTERNAL_H
#define HEARTH_ROOMS_INTERNAL_H

#include "rooms.h"

struct room *room_add(struct server *srv, const struct hdb_room *row);
/* A private conversation just stored (or found) for a and b: in memory,
 * with both as members. NULL when out of memory. */
struct room *rooms_conversation(struct server *srv, const struct hdb_room *row, struct user *a,
                                struct user *b, int64_t now);
int room_member_add(struct room *r, struct user *u, enum proto_room_role role, int64_t joined_at);
void room_set_role(struct room *r, const struct user *u, enum proto_room_role role);
void room_member_remove(struct room *r, struct user *u);
void room_cache_add(struct room *r, const struct hdb_event *ev);
const struct hdb_event *room_cache_at(const struct room *r, size_t i);
/* Forgets every message (and take-down marker) in the cache older than
 * `before` (wall ms; 0 = all of them): retention, or an ephemeral room's
 * meeting ending. Joins and leaves stay. */
void room_cache_forget(struct room *r, int64_t before);
/* The cached message of (user, cid), for retried sends that were never
 * stored (ephemeral rooms); NULL when none. */
const struct hdb_event *room_cache_find_cid(const struct room *r, int64_t user_id,
                                            const char *cid);
/* A moderator took message `seq` down: forget its text here too. */
void room_cache_take_down(struct room *r, uint64_t seq);
/* The wire form of a stored event as `viewer` may see it (a message from
 * someone the viewer blocked is only a placeholder). Borrows its strings. */
void room_event_for(struct proto_room_event *out, const struct room *r,
                    const struct hdb_event *ev, const struct user *viewer);
/* Stores a new event in memory and sends it to every member, once. */
void room_publish(struct room *r, const struct hdb_event *ev);
/* The seq of the oldest cached event (last_seq + 1 when none). */
uint64_t room_cache_first_seq(const struct room *r);

#endif
