/*
 * Buddies: pairs of members who keep in touch, the requests that make
 * them, and the private conversation each pair shares (a room of kind
 * "buddy" whose only members are the two; it outlives an ended pairing so
 * both can still read it, and continues if they pair again).
 *
 * Every member's links (pairs and pending requests, either way) live in
 * memory on struct user, mirrored on both people, and on disk in one row
 * per two people. Blocks are honoured quietly: a request across a block is
 * kept pending and never shown; blocking a buddy ends the pairing. Nobody
 * is ever told why something ended.
 */
#ifndef HEARTH_BUDDIES_H
#define HEARTH_BUDDIES_H

#include <stdbool.h>
#include <stdint.h>

#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

enum buddy_state { BUDDY_ASKED_BY_ME, BUDDY_ASKED_BY_THEM, BUDDY_PAIRED };

struct buddy_link {
    struct user *other;
    enum buddy_state state;
    int64_t since;                 /* wall ms: the request, or the pairing */
    struct room *conversation;     /* paired only */
};

/* Startup: pairs and requests from the database. */
int buddies_load(struct server *srv);
void buddies_free_user(struct user *u);
/* u's account was deleted: every pairing and request with u ends, quietly. */
void buddies_forget_user(struct user *u);

bool buddies_paired(const struct user *a, const struct user *b);
struct hbuf;
/* Sends one encoded message to every connection of each of u's buddies. */
void buddies_fanout(const struct user *u, struct hbuf *b);
/* Encodes ev once and sends it to all of u's buddies. */
void buddies_tell(const struct user *u, const struct proto_event *ev);
/* How many buddies u has. */
size_t buddies_count(const struct user *u);
/* room.send in a conversation: allowed while its two are paired. Always
 * true for ordinary rooms. */
bool buddies_may_talk(const struct room *r, const struct user *u);
/* Pairs s's user with b (both agreed: a match proposal accepted by both):
 * stores it, opens or reopens their conversation, tells both, and answers
 * request `id` of type `answer` ({} unless buddy.accept). */
void buddies_pair(struct session *s, const char *id, enum proto_req_type answer, struct user *b);
/* s's user blocked `blocked`: any pairing or request between them ends. */
void buddies_blocked(struct session *s, struct user *blocked);

void buddies_handle_request(struct session *s, const struct proto_request *req);
void buddies_handle_accept(struct session *s, const struct proto_request *req);
/* buddy.decline, buddy.cancel and buddy.end */
void buddies_handle_end(struct session *s, const struct proto_request *req);
void buddies_handle_list(struct session *s, const struct proto_request *req);

#endif
