/*
 * hearthd's shared state: everything here is owned by the one libuv loop
 * thread (ENGINEERING.md s.2). The network layer, the domain modules
 * (accounts, rooms, presence) and the dispatcher all hang off struct server.
 */
#ifndef HEARTH_SERVER_H
#define HEARTH_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "clock.h"
#include "config.h"
#include "hdb.h"
#include "hmap.h"
#include "hproto.h"
#include "ratelimit.h"
#include "session.h"

struct room;

/* A person known to the loop: anyone who is logged in or is a member of a
 * room. Held in server.users by handle; never freed before shutdown. */
struct user {
    int64_t id;
    char handle[PROTO_HANDLE_MAX + 1];
    enum proto_role role;
    enum proto_status status;      /* chosen status (never offline) */
    struct session **sessions;     /* authenticated connections */
    size_t n_sessions, cap_sessions;
    struct room **rooms;           /* rooms the user is a member of */
    size_t n_rooms, cap_rooms;
    struct ratebucket rate;        /* requests across all connections */
    unsigned visit_mark;           /* de-duplicates fan-out to peers */
    bool seen_notice;              /* was told Hearth is not a crisis service */
    struct buddy_link *buddies;    /* pairs and pending requests, both ways (buddies.c) */
    bool available;                /* available to support, while connected (support.c) */
    struct member_settings *settings;  /* NULL = the defaults (settings.c) */
    int64_t last_seen_at;          /* wall ms the last connection closed; 0 = never (settings.c) */
    bool deleted;                  /* the account was deleted; kept until shutdown (account.c) */
    size_t n_buddies, cap_buddies;
};

struct pwpool;
struct safety;
struct buddy_link;
struct matcher;
struct support;
struct member_settings;
struct sobriety;
struct sign_table;

struct server {
    struct config cfg;
    uv_loop_t *loop;
    struct hclock *clock;
    struct hdb *db;
    uv_async_t db_async;           /* the writer thread's "completions ready" */
    struct hmap *users;            /* handle -> struct user */
    struct hmap *rooms;            /* name -> struct room */
    struct hmap *conns_by_addr;    /* address -> count (as intptr_t) */
    struct hmap *blocks;           /* "blocker:blocked" -> blocked's handle (blocks.c) */
    struct hmap *blocked_by;       /* "blocked" -> how many block them (blocks.c) */
    struct throttle *login_by_handle, *login_by_addr;
    struct pwpool *pw;
    struct safety *safety;
    struct matcher *matcher;       /* the matching pool and its proposals (match.c) */
    struct support *support;       /* open and answered support requests (support.c) */
    struct sobriety *sobriety;     /* current clean-time periods, milestone sweep (sobriety.c) */
    struct sign_table *signs;      /* the warning signs members can tick (checkins.c) */
    struct htimer nudge_timer;     /* the hourly isolation check (checkins_nudge.c) */
    struct htimer retention_timer; /* the hourly sweep (retention.c) */
    const struct transport_ops *transport;
    struct session **sessions;     /* every live session, for shutdown */
    size_t n_sessions, cap_sessions;
    uint64_t next_session_id;
    unsigned visit_gen;
    bool shutting_down;
    char dummy_hash[160];          /* equalises timing for unknown handles */
    uint64_t jobs_in_flight;
    struct user **graveyard;       /* deleted accounts, out of `users`, freed at shutdown */
    size_t n_graveyard;
};

/* Sets up memory state from the database (synchronous: before serving). */
int server_init(struct server *srv, uv_loop_t *loop, const struct config *cfg);
/* Frees what server_init made; the db must be closed first. */
void server_free(struct server *srv);

struct user *server_user_get(struct server *srv, const char *handle);
/* Finds or creates the in-memory user for a database row. */
struct user *server_user_upsert(struct server *srv, int64_t id, const char *handle, int role,
                                int status);
void server_track_session(struct server *srv, struct session *s);
void server_untrack_session(struct server *srv, struct session *s);

/* Submits a db job whose done() runs on the loop. On a closed database the
 * job is failed at once (rc HDB_E_CLOSED) through its done(). */
void server_submit(struct server *srv, struct hdb_job *job);

#endif
