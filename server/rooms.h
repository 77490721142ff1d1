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

struct cached_event {
    uint64_t seq;
    int kind;                      /* enum proto_room_event_kind */
    int64_t ts;
    char *handle, *text, *cid;
};

struct room {
    int64_t id;
    char name[PROTO_HANDLE_MAX + 1];
    char *title, *topic;
    enum proto_visibility visibility;
    uint64_t last_seq;
    struct user **members;
    size_t n_members, cap_members;
    struct cached_event *cache;    /* ring of the newest events */
    size_t cache_head, cache_count, cache_cap;
};

/* Startup: load rooms, members and recent events from the database. */
int rooms_load(struct server *srv);
void rooms_free_all(struct server *srv);
struct room *rooms_get(struct server *srv, const char *name);
bool room_has_member(const struct room *r, const struct user *u);
/* Members online and visible to `viewer`. */
uint32_t room_present_count(const struct room *r, const struct user *viewer);

void rooms_handle_list(struct session *s, const struct proto_request *req);
void rooms_handle_create(struct session *s, const struct proto_request *req);
void rooms_handle_join(struct session *s, const struct proto_request *req);
void rooms_handle_leave(struct session *s, const struct proto_request *req);
void rooms_handle_send(struct session *s, const struct proto_request *req);
void rooms_handle_history(struct session *s, const struct proto_request *req);
void rooms_handle_members(struct session *s, const struct proto_request *req);
void rooms_handle_invite(struct session *s, const struct proto_request *req);

#endif
