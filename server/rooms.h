/*
 * Rooms: the registry of rooms in memory, membership, the recent-history
 * cache (so history and resume are served from memory), and the request
 * handlers room.*. Every write goes through the db writer; the result and
 * the fan-out happen after COMMIT, in seq order.
 */
#ifndef HEARTH_ROOMS_H
#define HEARTH_ROOMS_H

#include <stdint.h>

#include "hdb.h"
#include "hproto.h"

struct server;
struct session;
struct user;

struct meeting;
struct room_slot;

/* A conversation member's receipt marks (receipts.c); 0 in ordinary rooms.
 * They live on the membership, so they leave with it (rooms_forget_user
 * forgets them for a deleted account). */
struct room_marks {
    uint64_t delivered, seen;      /* now: both only grow, delivered >= seen */
    uint64_t stored_delivered, stored_seen;   /* committed */
    uint64_t known_delivered, known_seen;     /* what the peer may know: the stored marks as
                                                 of the last time the member was visible */
    uint64_t sent_delivered, sent_seen;       /* the last room.receipt to the peer said */
    bool saving;                   /* a background write of them is in flight */
    bool tell;                     /* a change the peer was not told of yet */
};

struct room_member {
    struct user *user;
    enum proto_room_role role;
    int64_t joined_at;             /* wall ms: the newcomer wait counts from it */
    int64_t last_post_at;          /* wall ms of the last message: slow mode */
    struct room_marks marks;       /* conversations only (receipts.c) */
};

struct room {
    struct server *srv;
    int64_t id;
    enum proto_room_kind kind;     /* a room, or a private conversation of two (buddies.c) */
    char name[PROTO_HANDLE_MAX + 1];
    char *title, *topic;
    enum proto_visibility visibility;
    uint64_t last_seq;
    struct room_member *members;
    size_t n_members, cap_members;
    bool meeting;                  /* a meeting room */
    char *format;                  /* its format text: opening statement, readings */
    unsigned share_seconds;
    struct user *chair;            /* the named chair; NULL: the host chairs */
    struct meeting *live;          /* the meeting's live state (meeting rooms only) */
    struct proto_mod_settings mod; /* slow mode, lock, member limit, newcomer wait */
    unsigned retention_days;       /* messages older than this are erased; 0 = kept */
    bool ephemeral;                /* messages never written to disk (retention.c) */
    struct sanction *sanctions;    /* mutes and bans (moderation.c) */
    size_t n_sanctions, cap_sanctions;
    struct room_slot *slots;       /* the weekly schedule (schedule.c) */
    size_t n_slots;
    struct hdb_event *cache;       /* ring of the newest events (owned copies) */
    size_t cache_head, cache_count, cache_cap;
};

/* Startup: load rooms, members and recent events from the database. */
int rooms_load(struct server *srv);
void rooms_free_all(struct server *srv);
struct room *rooms_get(struct server *srv, const char *name);
/* The placeholder a deleted account's kept room messages belong to. */
#define DELETED_ACCOUNT_HANDLE "~former"
/* u's account was deleted: out of every room and conversation; its events
 * in memory lose its name, and its words unless the operator keeps them. */
void rooms_forget_user(struct user *u, bool keep_words);
/* By database id (startup loads only: a linear scan). */
struct room *rooms_by_id(struct server *srv, int64_t room_id);
bool room_has_member(const struct room *r, const struct user *u);
struct room_member *room_member_of(const struct room *r, const struct user *u);
/* u's role in r (member when not a member). */
enum proto_room_role room_role_of(const struct room *r, const struct user *u);
/* Room moderators, the host and server moderators/admins. */
bool room_can_moderate(const struct room *r, const struct user *u);
/* The host, and server moderators/admins: may configure the room. */
bool room_can_configure(const struct room *r, const struct user *u);
/* Who chairs: the named chair, else the host (NULL if neither). */
struct user *room_chair(const struct room *r);
struct user *room_member_by_handle(const struct room *r, const char *handle);
/* Members online and visible to `viewer`. */
uint32_t room_present_count(const struct room *r, const struct user *viewer);

void rooms_handle_list(struct session *s, const struct proto_request *req);
void rooms_handle_create(struct session *s, const struct proto_request *req);
void rooms_handle_join(struct session *s, const struct proto_request *req);
void rooms_handle_leave(struct session *s, const struct proto_request *req);
void rooms_handle_send(struct session *s, const struct proto_request *req);
void rooms_handle_history(struct session *s, const struct proto_request *req);
void rooms_handle_members(struct session *s, const struct proto_request *req);
void rooms_handle_configure(struct session *s, const struct proto_request *req);
void rooms_handle_role(struct session *s, const struct proto_request *req);
/* Posts `text` in r as u, a member of it (a check-in or a milestone the
 * member chose to share there): stored and sent like any message of theirs;
 * nobody waits for it. */
void rooms_post_as(struct server *srv, struct room *r, struct user *u, const char *text);
/* Fills the room object as `viewer` sees it. */
void room_fill(struct proto_room *out, const struct room *r, const struct user *viewer);
/* A room the user may see (replies room_not_found otherwise). */
struct room *rooms_visible(struct session *s, const struct proto_request *req, const char *name);
/* A room the user is a member of (replies room_not_found / not_member otherwise). */
struct room *rooms_member(struct session *s, const struct proto_request *req, const char *name);

#endif
