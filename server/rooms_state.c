/* Rooms in memory: registry, membership and the recent-event cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "log.h"
#include "meetings.h"
#include "moderation.h"
#include "presence.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

struct room *rooms_get(struct server *srv, const char *name) { return hmap_get(srv->rooms, name); }

struct room *room_add(struct server *srv, const struct hdb_room *row)
{
    struct room *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->srv = srv;
    r->id = row->id;
    strncpy(r->name, row->name, PROTO_HANDLE_MAX);
    r->title = dup_or_empty(row->title);
    r->topic = dup_or_empty(row->topic);
    r->visibility = row->visibility == PROTO_VIS_INVITE ? PROTO_VIS_INVITE : PROTO_VIS_OPEN;
    r->last_seq = row->last_seq;
    r->meeting = row->meeting;
    r->format = dup_or_empty(row->format);
    r->share_seconds = row->share_seconds ? row->share_seconds : PROTO_SHARE_DEFAULT_S;
    r->mod.slow_seconds = row->slow_seconds;
    r->mod.locked = row->locked;
    r->mod.member_limit = row->member_limit;
    r->mod.newcomer_seconds = row->newcomer_seconds;
    r->retention_days = row->retention_days;
    r->ephemeral = row->ephemeral;
    r->kind = row->kind > 0 && row->kind < PROTO_KIND__COUNT ? (enum proto_room_kind)row->kind
                                                             : PROTO_KIND_ROOM;
    r->cache_cap = srv->cfg.history_cache ? srv->cfg.history_cache : 1;
    r->cache = calloc(r->cache_cap, sizeof *r->cache);
    if (!r->title || !r->topic || !r->format || !r->cache ||
        hmap_put(srv->rooms, r->name, r) != 0) {
        free(r->title);
        free(r->topic);
        free(r->format);
        free(r->cache);
        free(r);
        return NULL;
    }
    return r;
}

static void cached_event_clear(struct hdb_event *e)
{
    free(e->handle);
    free(e->text);
    free(e->cid);
    memset(e, 0, sizeof *e);
}

static void room_free(struct room *r)
{
    for (size_t i = 0; i < r->cache_count; i++)
        cached_event_clear(&r->cache[(r->cache_head + i) % r->cache_cap]);
    meeting_free(r);
    free(r->slots);
    moderation_free_sanctions(r);
    free(r->cache);
    free(r->members);
    free(r->title);
    free(r->topic);
    free(r->format);
    free(r);
}

void rooms_free_all(struct server *srv)
{
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0)
        room_free(v);
}

bool room_has_member(const struct room *r, const struct user *u)
{
    return room_member_of(r, u) != NULL;
}

struct room_member *room_member_of(const struct room *r, const struct user *u)
{
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].user == u)
            return &r->members[i];
    return NULL;
}

static int push_ptr(void ***arr, size_t *n, size_t *cap, void *p)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        void **v = realloc(*arr, c * sizeof *v);
        if (!v)
            return -1;
        *arr = v;
        *cap = c;
    }
    (*arr)[(*n)++] = p;
    return 0;
}

static void remove_ptr(void **arr, size_t *n, void *p)
{
    for (size_t i = 0; i < *n; i++) {
        if (arr[i] == p) {
            memmove(&arr[i], &arr[i + 1], (*n - i - 1) * sizeof *arr);
            (*n)--;
            return;
        }
    }
}

int room_member_add(struct room *r, struct user *u, enum proto_room_role role, int64_t joined_at)
{
    if (room_has_member(r, u))
        return 0;
    if (r->n_members == r->cap_members) {
        size_t cap = r->cap_members ? r->cap_members * 2 : 8;
        struct room_member *m = realloc(r->members, cap * sizeof *m);
        if (!m)
            return -1;
        r->members = m;
        r->cap_members = cap;
    }
    if (push_ptr((void ***)&u->rooms, &u->n_rooms, &u->cap_rooms, r) != 0)
        return -1;
    r->members[r->n_members++] = (struct room_member){.user = u, .role = role,
                                                      .joined_at = joined_at};
    return 0;
}

void room_member_remove(struct room *r, struct user *u)
{
    struct room_member *m = room_member_of(r, u);
    if (m) {
        size_t i = (size_t)(m - r->members);
        memmove(m, m + 1, (r->n_members - i - 1) * sizeof *m);
        r->n_members--;
    }
    remove_ptr((void **)u->rooms, &u->n_rooms, r);
    if (r->chair == u)
        r->chair = NULL; /* a chair who leaves chairs no more; the host does */
}

enum proto_room_role room_role_of(const struct room *r, const struct user *u)
{
    const struct room_member *m = room_member_of(r, u);
    return m ? m->role : PROTO_RROLE_MEMBER;
}

void room_set_role(struct room *r, const struct user *u, enum proto_room_role role)
{
    struct room_member *m = room_member_of(r, u);
    if (m)
        m->role = role;
}

bool room_can_configure(const struct room *r, const struct user *u)
{
    return u->role >= PROTO_ROLE_MODERATOR ||
           (room_has_member(r, u) && room_role_of(r, u) == PROTO_RROLE_HOST);
}

bool room_can_moderate(const struct room *r, const struct user *u)
{
    return u->role >= PROTO_ROLE_MODERATOR ||
           (room_has_member(r, u) && room_role_of(r, u) >= PROTO_RROLE_MODERATOR);
}

struct user *room_chair(const struct room *r)
{
    if (r->chair)
        return r->chair;
    for (size_t i = 0; i < r->n_members; i++)
        if (r->members[i].role == PROTO_RROLE_HOST)
            return r->members[i].user;
    return NULL;
}

struct user *room_member_by_handle(const struct room *r, const char *handle)
{
    for (size_t i = 0; i < r->n_members; i++)
        if (strcmp(r->members[i].user->handle, handle) == 0)
            return r->members[i].user;
    return NULL;
}

uint32_t room_present_count(const struct room *r, const struct user *viewer)
{
    uint32_t n = 0;
    for (size_t i = 0; i < r->n_members; i++)
        if (presence_visible(r->members[i].user, viewer) != PROTO_STATUS_OFFLINE)
            n++;
    return n;
}

/* Appends to the ring, dropping the oldest when full. Events arrive in seq
 * order (the writer completes jobs in order), so the ring stays sorted. */
void room_cache_add(struct room *r, const struct hdb_event *ev)
{
    struct hdb_event *slot;
    if (r->cache_count == r->cache_cap) {
        slot = &r->cache[r->cache_head];
        cached_event_clear(slot);
        r->cache_head = (r->cache_head + 1) % r->cache_cap;
        r->cache_count--;
    }
    slot = &r->cache[(r->cache_head + r->cache_count) % r->cache_cap];
    *slot = *ev;
    slot->handle = strdup(ev->handle ? ev->handle : "");
    slot->text = ev->text ? strdup(ev->text) : NULL;
    slot->cid = ev->cid ? strdup(ev->cid) : NULL;
    r->cache_count++;
}

const struct hdb_event *room_cache_at(const struct room *r, size_t i)
{
    return &r->cache[(r->cache_head + i) % r->cache_cap];
}

void room_cache_forget(struct room *r, int64_t before)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->cache_count; i++) {
        struct hdb_event *e = &r->cache[(r->cache_head + i) % r->cache_cap];
        bool message = e->kind == HDB_EV_MESSAGE || e->kind == HDB_EV_REMOVED;
        if (message && (before == 0 || e->ts < before)) {
            cached_event_clear(e);
            continue;
        }
        /* compact in place: slots before i are free or already moved */
        struct hdb_event *dst = &r->cache[(r->cache_head + kept) % r->cache_cap];
        if (dst != e) {
            *dst = *e;
            memset(e, 0, sizeof *e);
        }
        kept++;
    }
    r->cache_count = kept;
}

const struct hdb_event *room_cache_find_cid(const struct room *r, int64_t user_id,
                                            const char *cid)
{
    for (size_t i = 0; i < r->cache_count; i++) {
        const struct hdb_event *e = room_cache_at(r, i);
        if (e->kind == HDB_EV_MESSAGE && e->user_id == user_id && e->cid && !strcmp(e->cid, cid))
            return e;
    }
    return NULL;
}

void room_cache_take_down(struct room *r, uint64_t seq)
{
    for (size_t i = 0; i < r->cache_count; i++) {
        struct hdb_event *e = &r->cache[(r->cache_head + i) % r->cache_cap];
        if (e->seq == seq && e->kind == HDB_EV_MESSAGE) {
            free(e->text);
            e->text = NULL;
            e->flags |= HDB_EVF_REMOVED;
            return;
        }
    }
}

/* A deleted account's events in memory: its name goes; its words go too,
 * unless the operator keeps messages anonymised (the placeholder's name). */
static void cache_forget_author(struct room *r, int64_t user_id, bool keep_words)
{
    for (size_t i = 0; i < r->cache_count; i++) {
        struct hdb_event *e = &r->cache[(r->cache_head + i) % r->cache_cap];
        if (e->user_id != user_id)
            continue;
        free(e->handle);
        e->handle = strdup(keep_words ? DELETED_ACCOUNT_HANDLE : "former member");
        free(e->cid);
        e->cid = NULL;
        if (e->kind == HDB_EV_MESSAGE && !keep_words) {
            free(e->text);
            e->text = NULL;
            e->flags |= HDB_EVF_REMOVED;
        }
    }
}

void rooms_forget_user(struct user *u, bool keep_words)
{
    while (u->n_rooms) {
        struct room *r = u->rooms[u->n_rooms - 1];
        meeting_member_left(r, u);
        room_member_remove(r, u);
        cache_forget_author(r, u->id, keep_words);
    }
}

uint64_t room_cache_first_seq(const struct room *r)
{
    return r->cache_count ? room_cache_at(r, 0)->seq : r->last_seq + 1;
}

/* ---- startup load ---- */

/* Named chairs are users, who exist only once the members are loaded:
 * remember their handles until then. */
struct load_ctx {
    struct server *srv;
    struct { struct room *room; char handle[PROTO_HANDLE_MAX + 1]; } *chairs;
    size_t n_chairs;
};

static void on_load_room(const struct hdb_room *row, void *ud)
{
    struct load_ctx *ctx = ud;
    struct room *r = room_add(ctx->srv, row);
    if (!r) {
        log_error("out of memory loading room %s", row->name);
        return;
    }
    if (!row->chair)
        return;
    void *v = realloc(ctx->chairs, (ctx->n_chairs + 1) * sizeof *ctx->chairs);
    if (!v) {
        log_error("out of memory loading room %s", row->name);
        return;
    }
    ctx->chairs = v;
    ctx->chairs[ctx->n_chairs].room = r;
    snprintf(ctx->chairs[ctx->n_chairs].handle, sizeof ctx->chairs[0].handle, "%s", row->chair);
    ctx->n_chairs++;
}

static int join_conversation(struct room *r, struct user *u, int64_t now)
{
    return room_has_member(r, u) ? 0 : room_member_add(r, u, PROTO_RROLE_MEMBER, now);
}

struct room *rooms_conversation(struct server *srv, const struct hdb_room *row, struct user *a,
                                struct user *b, int64_t now)
{
    struct room *r = rooms_get(srv, row->name);
    if (!r && !(r = room_add(srv, row)))
        return NULL;
    if (join_conversation(r, a, now) != 0 || join_conversation(r, b, now) != 0)
        return NULL;
    return r;
}

struct room *rooms_by_id(struct server *srv, int64_t room_id)
{
    /* Only startup loads ask, and rooms are few: a linear scan is fine. */
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0) {
        struct room *r = v;
        if (r->id == room_id)
            return r;
    }
    return NULL;
}

static void on_load_member(int64_t room_id, int64_t user_id, const char *handle, int status,
                           int role, int64_t joined_at, void *ud)
{
    struct server *srv = ud;
    struct room *r = rooms_by_id(srv, room_id);
    struct user *u = r ? server_user_upsert(srv, user_id, handle, -1, status) : NULL;
    if (u)
        room_member_add(r, u, role >= 0 && role < PROTO_RROLE__COUNT
                                  ? (enum proto_room_role)role : PROTO_RROLE_MEMBER,
                        joined_at);
}

static void on_load_event(const struct hdb_event *ev, void *ud) { room_cache_add(ud, ev); }

int rooms_load(struct server *srv)
{
    struct load_ctx ctx = {.srv = srv};
    int rc = hdb_load_rooms(srv->db, on_load_room, &ctx);
    if (rc == HDB_OK)
        rc = hdb_load_members(srv->db, on_load_member, srv);
    for (size_t i = 0; rc == HDB_OK && i < ctx.n_chairs; i++)
        ctx.chairs[i].room->chair = room_member_by_handle(ctx.chairs[i].room, ctx.chairs[i].handle);
    free(ctx.chairs);
    if (rc != HDB_OK)
        return -1;
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0) {
        struct room *r = v;
        if (hdb_load_recent(srv->db, r->id, (unsigned)r->cache_cap, on_load_event, r) != HDB_OK)
            return -1;
    }
    log_info("loaded %zu rooms", hmap_count(srv->rooms));
    return 0;
}
