/*
 * Receipts in private conversations (PROTOCOL.md section 20.1): for each
 * member of a conversation, how far it reached them ("delivered": the
 * highest seq the live fan-out handed to one of their signed-in
 * connections, or a room.history page returned to them) and how far they
 * said they read ("seen": room.read). Both only grow; delivered is at least
 * seen. The other member hears of them (room.receipt, and peer_delivered /
 * peer_seen in the room object); nobody else ever does. What was seen is
 * told only while both of the two keep read_receipts on.
 *
 * While a member is invisible their peer learns nothing new of them (a
 * delivery would say they are online): it is told when they can be seen.
 *
 * The marks live in memory on the membership (struct room_marks) and on
 * disk in room_members, written by the writer thread: at most one
 * background write per member at a time, so a burst of messages costs a
 * write or two, not one each. The peer is told once the write holding the
 * change has committed, which also coalesces a burst into one receipt.
 */
#ifndef HEARTH_RECEIPTS_H
#define HEARTH_RECEIPTS_H

#include <stdint.h>

#include "hdb.h"
#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

/* Startup, after the rooms, their members and the settings: the stored marks. */
int receipts_load(struct server *srv);
/* The live fan-out has just handed `ev` of the conversation r to every
 * connection of its members: those signed in somewhere received it. */
void receipts_published(struct room *r, const struct hdb_event *ev);
/* A room.history page of the conversation r, up to seq `newest`, went to u. */
void receipts_history(struct room *r, struct user *u, uint64_t newest);
/* The peer's marks in the room object of the conversation r, as `viewer`
 * may see them (0 in an ordinary room). */
void receipts_fill(struct proto_room *out, const struct room *r, const struct user *viewer);
/* u can be seen again (no longer invisible, or signed in visible): their
 * peers hear what reached u, and what u read, while u could not be seen. */
void receipts_visible(struct user *u);
/* u's read_receipts setting changed: each of u's conversations hears the
 * marks anew, both ways (what was seen shown or hidden). */
void receipts_setting_changed(struct user *u);

void receipts_handle_read(struct session *s, const struct proto_request *req);

#endif
