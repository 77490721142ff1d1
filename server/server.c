#include "server.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "pwpool.h"
#include "receipts.h"
#include "blocks.h"
#include "buddies.h"
#include "checkins.h"
#include "moderation.h"
#include "retention.h"
#include "rooms.h"
#include "safety.h"
#include "schedule.h"
#include "settings.h"
#include "sobriety.h"
#include "support.h"

struct user *server_user_get(struct server *srv, const char *handle)
{
    return hmap_get(srv->users, handle);
}

struct user *server_user_upsert(struct server *srv, int64_t id, const char *handle, int role,
                                int status)
{
    struct user *u = hmap_get(srv->users, handle);
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u)
            return NULL;
        snprintf(u->handle, sizeof u->handle, "%s", handle);
        if (hmap_put(srv->users, u->handle, u) != 0) {
            free(u);
            return NULL;
        }
    }
    u->id = id;
    if (role >= 0 && role < PROTO_ROLE__COUNT)
        u->role = (enum proto_role)role;
    if (status > PROTO_STATUS_OFFLINE && status < PROTO_STATUS__COUNT)
        u->status = (enum proto_status)status;
    else if (u->status == PROTO_STATUS_OFFLINE)
        u->status = PROTO_STATUS_AVAILABLE;
    return u;
}

void server_track_session(struct server *srv, struct session *s)
{
    if (srv->n_sessions == srv->cap_sessions) {
        size_t cap = srv->cap_sessions ? srv->cap_sessions * 2 : 64;
        struct session **v = realloc(srv->sessions, cap * sizeof *v);
        if (!v)
            abort(); /* cannot account for a connection: refuse to go on blind */
        srv->sessions = v;
        srv->cap_sessions = cap;
    }
    srv->sessions[srv->n_sessions++] = s;
}

void server_untrack_session(struct server *srv, struct session *s)
{
    for (size_t i = 0; i < srv->n_sessions; i++) {
        if (srv->sessions[i] == s) {
            srv->sessions[i] = srv->sessions[--srv->n_sessions];
            return;
        }
    }
}

void server_submit(struct server *srv, struct hdb_job *job)
{
    if (hdb_submit(srv->db, job) != HDB_OK) {
        job->out.rc = HDB_E_CLOSED;
        job->done(job);
    }
}

int server_init(struct server *srv, uv_loop_t *loop, const struct config *cfg)
{
    srv->cfg = *cfg;
    srv->loop = loop;
    srv->users = hmap_new();
    srv->rooms = hmap_new();
    srv->conns_by_addr = hmap_new();
    srv->login_by_handle = throttle_new();
    srv->login_by_addr = throttle_new();
    srv->pw = pwpool_new(loop);
    if (!srv->users || !srv->rooms || !srv->conns_by_addr || !srv->login_by_handle ||
        !srv->login_by_addr || !srv->pw)
        return -1;
    /* A real hash of a random secret: an unknown handle is verified against
     * it, so "no such user" costs the same time as "wrong password". */
    char secret[33];
    if (random_hex(secret, 16) != 0 ||
        pwhash_hash(secret, strlen(secret), cfg->scrypt_ln, srv->dummy_hash) != 0)
        return -1;
    /* A new community is not an empty one: newcomers find a room to say hello in. */
    if (cfg->welcome_room[0] &&
        hdb_seed_room(srv->db, cfg->welcome_room, "Welcome",
                      "Say hello. Everyone here is in recovery too.",
                      clock_wall_ms(srv->clock)) != HDB_OK)
        return -1;
    if (rooms_load(srv) != 0 || moderation_load(srv) != 0 || blocks_load(srv) != 0 ||
        schedule_load(srv) != 0 || buddies_load(srv) != 0 || match_load(srv) != 0 ||
        safety_init(srv) != 0 || support_load(srv) != 0 || settings_load(srv) != 0 ||
        receipts_load(srv) != 0 || sobriety_load(srv) != 0 || checkins_init(srv) != 0)
        return -1;
    retention_start(srv);
    return 0;
}

static void user_free(struct user *u)
{
    free(u->sessions);
    free(u->rooms);
    buddies_free_user(u);
    settings_free_user(u);
    free(u);
}

void server_free(struct server *srv)
{
    support_free(srv);
    sobriety_free(srv);
    checkins_free(srv);
    if (srv->rooms) {
        rooms_free_all(srv);
        hmap_free(srv->rooms);
    }
    if (srv->users) {
        size_t pos = 0;
        const char *k;
        void *v;
        while (hmap_next(srv->users, &pos, &k, &v) == 0)
            user_free(v);
        hmap_free(srv->users);
    }
    for (size_t i = 0; i < srv->n_graveyard; i++)
        user_free(srv->graveyard[i]);
    free(srv->graveyard);
    hmap_free(srv->conns_by_addr);
    blocks_free(srv);
    match_free(srv);
    safety_free(srv);
    throttle_free(srv->login_by_handle);
    throttle_free(srv->login_by_addr);
    pwpool_free(srv->pw);
    free(srv->sessions);
    memset(srv, 0, sizeof *srv);
}
