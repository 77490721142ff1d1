/*
 * proto_objects: the JSON shape of the objects that several messages share
 * (user, member, room, room event, meeting state, moderation settings,
 * report, schedule slot, arrays of strings, "YYYY-MM-DD" days), the strict
 * field readers used to decode what the server sent, and the pool that
 * holds several decoded arrays in one allocation.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

char *proto__dump_and_free(json_t *v)
{
    char *s;
    if (!v)
        return NULL;
    /* 15 significant digits: an average rounded to one decimal place (the
     * only reals on the wire) is written "3.7", not "3.7000000000000002". */
    s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(v);
    return s;
}

bool proto__set(json_t *obj, const char *key, json_t *v)
{
    /* json_object_set_new releases v even when it fails. */
    return obj && v && json_object_set_new(obj, key, v) == 0;
}

bool proto__merge(json_t *obj, json_t *v)
{
    bool ok = obj && json_is_object(v) && json_object_update(obj, v) == 0;
    json_decref(v);
    return ok;
}

/* json_string() of a possibly NULL string: NULL stays NULL (an error). */
static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

/* Integers on the wire fit in int64 (jansson's json_int_t). */
static json_t *u64(uint64_t v)
{
    return v > (uint64_t)LLONG_MAX ? NULL : json_integer((json_int_t)v);
}

/* --------------------------------------------------------------- encoders */

json_t *proto__user_to_json(const struct proto_user *u)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "handle", str(u->handle)) ||
        !proto__set(o, "role", str(proto_role_name(u->role))) ||
        !proto__set(o, "status", str(proto_status_name(u->status)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__member_to_json(const struct proto_member *m)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "handle", str(m->handle)) ||
        !proto__set(o, "status", str(proto_status_name(m->status))) ||
        !proto__set(o, "role", str(proto_room_role_name(m->role)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* "kind" is written for a conversation only, with its "peer"; a room has no
 * peer and a conversation always has one. */
json_t *proto__room_to_json(const struct proto_room *r)
{
    json_t *o;
    bool conv = r->kind != PROTO_KIND_ROOM;
    if (conv != (r->peer != NULL) || (conv && r->peer_seen > r->peer_delivered))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "room", str(r->room)) || !proto__set(o, "title", str(r->title)) ||
        !proto__set(o, "topic", str(r->topic ? r->topic : "")) ||
        !proto__set(o, "visibility", str(proto_visibility_name(r->visibility))) ||
        !proto__set(o, "members", json_integer(r->members)) ||
        !proto__set(o, "present", json_integer(r->present)) ||
        !proto__set(o, "last_seq", u64(r->last_seq)) ||
        !proto__set(o, "joined", json_boolean(r->joined)) ||
        !proto__set(o, "meeting", json_boolean(r->meeting)) ||
        !proto__set(o, "role", str(proto_room_role_name(r->role))) ||
        !proto__set(o, "slow_seconds", json_integer(r->mod.slow_seconds)) ||
        !proto__set(o, "locked", json_boolean(r->mod.locked)) ||
        !proto__set(o, "member_limit", json_integer(r->mod.member_limit)) ||
        !proto__set(o, "newcomer_seconds", json_integer(r->mod.newcomer_seconds)) ||
        !proto__set(o, "retention_days", json_integer(r->retention_days)) ||
        !proto__set(o, "ephemeral", json_boolean(r->ephemeral)) ||
        (r->kind != PROTO_KIND_ROOM &&
         !proto__set(o, "kind", str(proto_room_kind_name(r->kind)))) ||
        (r->peer && !proto__set(o, "peer", json_string(r->peer))) ||
        (conv && (!proto__set(o, "peer_delivered", u64(r->peer_delivered)) ||
                  !proto__set(o, "peer_seen", u64(r->peer_seen))))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__mod_settings_to_json(const struct proto_mod_settings *m)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "slow_seconds", json_integer(m->slow_seconds)) ||
        !proto__set(o, "locked", json_boolean(m->locked)) ||
        !proto__set(o, "member_limit", json_integer(m->member_limit)) ||
        !proto__set(o, "newcomer_seconds", json_integer(m->newcomer_seconds))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__time_or_null(int64_t ms)
{
    return ms > 0 ? json_integer(ms) : json_null();
}

/*
 * room.message: "text", or "removed":true (and no text) when a moderator
 * took it down, or "hidden":true and nothing else (no handle, text or cid)
 * when the reader blocked its author; room.left: "by_moderator":true when a
 * moderator removed the person; room.removed: no handle, "target_seq"
 * instead. The flags are written only when true.
 */
json_t *proto__room_event_to_json(const struct proto_room_event *ev)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "type", str(proto__room_event_type(ev->kind))) ||
        !proto__set(o, "room", str(ev->room)) || !proto__set(o, "seq", u64(ev->seq)) ||
        !proto__set(o, "ts", json_integer(ev->ts)))
        goto err;
    if (ev->kind == PROTO_EV_REMOVED) {
        /* The moderator is not named to members; the target is a real seq. */
        if (ev->target_seq == 0 || !proto__set(o, "target_seq", u64(ev->target_seq)))
            goto err;
        return o;
    }
    if (ev->kind == PROTO_EV_MESSAGE && ev->hidden) {
        /* The reader blocked the author: only the seq goes out, never who or what. */
        if (!proto__set(o, "hidden", json_true()))
            goto err;
        return o;
    }
    if (!proto__set(o, "handle", str(ev->handle)))
        goto err;
    if (ev->kind == PROTO_EV_MESSAGE) {
        if (ev->removed ? !proto__set(o, "removed", json_true())
                        : !proto__set(o, "text", str(ev->text)))
            goto err;
        if (ev->cid && !proto__set(o, "cid", str(ev->cid)))
            goto err;
    } else if (ev->kind == PROTO_EV_LEFT && ev->by_moderator) {
        if (!proto__set(o, "by_moderator", json_true()))
            goto err;
    }
    return o;
err:
    json_decref(o);
    return NULL;
}

/* A string, or JSON null for NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *proto__strings_to_json(const char *const *v, size_t n)
{
    json_t *a = json_array();
    if (!a || (n && !v))
        goto err;
    for (size_t i = 0; i < n; i++)
        if (!v[i] || json_array_append_new(a, json_string(v[i])) != 0)
            goto err;
    return a;
err:
    json_decref(a);
    return NULL;
}

json_t *proto__array_of(const void *items, size_t n, size_t size,
                        json_t *(*one)(const void *item))
{
    json_t *a = json_array();
    if (!a || (n && !items)) {   /* n items and no array: refuse, do not crash */
        json_decref(a);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *v = one((const char *)items + i * size);
        if (!v || json_array_append_new(a, v) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

json_t *proto__meeting_to_json(const struct proto_meeting *m)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "room", str(m->room)) ||
        !proto__set(o, "open", json_boolean(m->open)) ||
        !proto__set(o, "chair", str_or_null(m->chair)) ||
        !proto__set(o, "mode", str(proto_meeting_mode_name(m->mode))) ||
        !proto__set(o, "auto", json_boolean(m->auto_floor)) ||
        !proto__set(o, "speaker", str_or_null(m->speaker)) ||
        !proto__set(o, "share_ends_at",
                    m->share_ends_at > 0 ? json_integer(m->share_ends_at) : json_null()) ||
        !proto__set(o, "share_seconds", json_integer(m->share_seconds)) ||
        !proto__set(o, "queue", proto__strings_to_json(m->queue, m->n_queue)) ||
        !proto__set(o, "format", json_string(m->format ? m->format : ""))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * A report object: "room" and "excerpt" are null when empty, "seq" is
 * written only for a message (and then needs the room); a report's id is 1
 * or more.
 */
json_t *proto__report_to_json(const struct proto_report *r)
{
    json_t *o;
    if (r->id < 1 || (r->seq && !r->room))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "id", json_integer(r->id)) ||
        !proto__set(o, "ts", json_integer(r->ts)) ||
        !proto__set(o, "reporter", str(r->reporter)) ||
        !proto__set(o, "room", str_or_null(r->room)) ||
        (r->seq && !proto__set(o, "seq", u64(r->seq))) ||
        !proto__set(o, "target", str(r->target)) || !proto__set(o, "reason", str(r->reason)) ||
        !proto__set(o, "excerpt", str_or_null(r->excerpt)) ||
        !proto__set(o, "status", str(r->status))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A slot's days, in week order: ["mon","wed"]. */
static json_t *days_to_json(uint8_t days)
{
    json_t *a = json_array();
    for (enum proto_weekday d = PROTO_MON; a && d <= PROTO_SUN; d++) {
        if ((days & (1u << d)) &&
            json_array_append_new(a, json_string(proto__weekday_name(d))) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* {"days":[...],"start":"HH:MM","minutes":N,"tz":"..."}; NULL on a slot that
 * breaks a rule: no day or a bit past Sunday, a start past 23:59, a length
 * out of bounds, a malformed zone. */
static json_t *slot_to_json(const struct proto_slot *s)
{
    char start[16];
    json_t *o;

    if (s->days == 0 || (s->days >> (PROTO_SUN + 1)) != 0 || s->start_minute >= 24 * 60 ||
        s->minutes < PROTO_SLOT_MINUTES_MIN || s->minutes > PROTO_SLOT_MINUTES_MAX || !s->tz ||
        !proto__tz_name_ok(s->tz, strlen(s->tz)))
        return NULL;
    snprintf(start, sizeof start, "%02d:%02d", s->start_minute / 60, s->start_minute % 60);
    o = json_object();
    if (!o || !proto__set(o, "days", days_to_json(s->days)) ||
        !proto__set(o, "start", json_string(start)) ||
        !proto__set(o, "minutes", json_integer(s->minutes)) ||
        !proto__set(o, "tz", json_string(s->tz))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__slots_to_json(const struct proto_slot *v, size_t n)
{
    json_t *a = json_array();
    if (!a || (n && !v))
        goto err;
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(a, slot_to_json(&v[i])) != 0)
            goto err;
    return a;
err:
    json_decref(a);
    return NULL;
}

/* ---------------------------------------------------------- field readers */

bool proto__get_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    return true;
}

bool proto__get_opt_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        *out = NULL;
        return true;
    }
    return proto__get_str(o, key, out);
}

bool proto__get_i64(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return false;
    *out = (int64_t)json_integer_value(v);
    return true;
}

bool proto__get_u64(json_t *o, const char *key, uint64_t *out)
{
    int64_t v;
    if (!proto__get_i64(o, key, &v) || v < 0)
        return false;
    *out = (uint64_t)v;
    return true;
}

bool proto__get_u32(json_t *o, const char *key, uint32_t *out)
{
    int64_t v;
    if (!proto__get_i64(o, key, &v) || v < 0 || v > (int64_t)UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

bool proto__get_bool(json_t *o, const char *key, bool *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

bool proto__get_nullable_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (json_is_null(v)) {
        *out = NULL;
        return true;
    }
    return proto__get_str(o, key, out);
}

bool proto__get_opt_room_role(json_t *o, const char *key, enum proto_room_role *out)
{
    const char *s;
    if (!proto__get_opt_str(o, key, &s))
        return false;
    *out = PROTO_RROLE_MEMBER;
    return !s || proto_room_role_parse(s, out);
}

/* A boolean that reads as false when absent or null. */
static bool get_opt_bool(json_t *o, const char *key, bool *out)
{
    json_t *v = json_object_get(o, key);
    *out = false;
    return !v || json_is_null(v) || proto__get_bool(o, key, out);
}

/* A seq (0..2^63-1) that reads as 0 when absent or null. */
static bool get_opt_u64(json_t *o, const char *key, uint64_t *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    return !v || json_is_null(v) || proto__get_u64(o, key, out);
}

/* An integer 0..UINT32_MAX that reads as 0 when absent or null. */
static bool get_opt_u32(json_t *o, const char *key, uint32_t *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    return !v || json_is_null(v) || proto__get_u32(o, key, out);
}

bool proto__get_time_or_null(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return false;
    if (json_is_null(v))
        return true;
    return proto__get_i64(o, key, out) && *out > 0;
}

static bool get_status(json_t *o, const char *key, enum proto_status *out)
{
    const char *s;
    return proto__get_str(o, key, &s) && proto_status_parse(s, out);
}

/* --------------------------------------------------------------- decoders */

bool proto__user_from_json(json_t *o, struct proto_user *u)
{
    const char *role;
    return json_is_object(o) && proto__get_str(o, "handle", &u->handle) &&
           proto__get_str(o, "role", &role) && proto_role_parse(role, &u->role) &&
           get_status(o, "status", &u->status);
}

bool proto__member_from_json(json_t *o, struct proto_member *m)
{
    return json_is_object(o) && proto__get_str(o, "handle", &m->handle) &&
           get_status(o, "status", &m->status) && proto__get_opt_room_role(o, "role", &m->role);
}

bool proto__room_from_json(json_t *o, struct proto_room *r)
{
    const char *vis, *kind;
    r->kind = PROTO_KIND_ROOM;
    r->peer = NULL;
    r->peer_delivered = r->peer_seen = 0;
    if (!json_is_object(o) || !proto__get_opt_str(o, "kind", &kind) ||
        (kind && !proto_room_kind_parse(kind, &r->kind)))
        return false;
    /* A conversation names its peer, and says how far they got (servers before receipts
     * did not: 0); beside a room, a stray peer or mark is dropped. */
    if (r->kind != PROTO_KIND_ROOM &&
        (!proto__get_str(o, "peer", &r->peer) ||
         !get_opt_u64(o, "peer_delivered", &r->peer_delivered) ||
         !get_opt_u64(o, "peer_seen", &r->peer_seen) || r->peer_seen > r->peer_delivered))
        return false;
    return proto__get_str(o, "room", &r->room) &&
           proto__get_str(o, "title", &r->title) && proto__get_str(o, "topic", &r->topic) &&
           proto__get_str(o, "visibility", &vis) && proto_visibility_parse(vis, &r->visibility) &&
           proto__get_u32(o, "members", &r->members) &&
           proto__get_u32(o, "present", &r->present) &&
           proto__get_u64(o, "last_seq", &r->last_seq) && proto__get_bool(o, "joined", &r->joined) &&
           get_opt_bool(o, "meeting", &r->meeting) && proto__get_opt_room_role(o, "role", &r->role) &&
           get_opt_u32(o, "slow_seconds", &r->mod.slow_seconds) &&
           get_opt_bool(o, "locked", &r->mod.locked) &&
           get_opt_u32(o, "member_limit", &r->mod.member_limit) &&
           get_opt_u32(o, "newcomer_seconds", &r->mod.newcomer_seconds) &&
           get_opt_u32(o, "retention_days", &r->retention_days) &&
           get_opt_bool(o, "ephemeral", &r->ephemeral);
}

bool proto__mod_settings_from_json(json_t *o, struct proto_mod_settings *m)
{
    memset(m, 0, sizeof *m);
    return json_is_object(o) && proto__get_u32(o, "slow_seconds", &m->slow_seconds) &&
           proto__get_bool(o, "locked", &m->locked) &&
           proto__get_u32(o, "member_limit", &m->member_limit) &&
           proto__get_u32(o, "newcomer_seconds", &m->newcomer_seconds);
}

bool proto__room_event_from_json(json_t *o, struct proto_room_event *ev)
{
    const char *type;
    ev->handle = NULL;
    ev->text = NULL;
    ev->cid = NULL;
    ev->removed = false;
    ev->by_moderator = false;
    ev->target_seq = 0;
    ev->hidden = false;
    if (!json_is_object(o) || !proto__get_str(o, "type", &type) ||
        !proto__room_event_kind_parse(type, &ev->kind) || !proto__get_str(o, "room", &ev->room) ||
        !proto__get_u64(o, "seq", &ev->seq) || ev->seq == 0 || !proto__get_i64(o, "ts", &ev->ts))
        return false;
    switch (ev->kind) {
    case PROTO_EV_REMOVED:
        /* No handle (a stray one is ignored like any unknown member). */
        return proto__get_u64(o, "target_seq", &ev->target_seq) && ev->target_seq != 0;
    case PROTO_EV_MESSAGE:
        /* A hidden message (its author is blocked by the reader) carries no handle,
         * text or cid: stray ones are dropped, whatever their type. */
        if (!get_opt_bool(o, "hidden", &ev->hidden))
            return false;
        if (ev->hidden)
            return true;
        if (!proto__get_str(o, "handle", &ev->handle) || !get_opt_bool(o, "removed", &ev->removed) ||
            !proto__get_opt_str(o, "cid", &ev->cid))
            return false;
        /* A removed message has no text; one that is not removed must have it. */
        return ev->removed || proto__get_str(o, "text", &ev->text);
    case PROTO_EV_LEFT:
        return proto__get_str(o, "handle", &ev->handle) &&
               get_opt_bool(o, "by_moderator", &ev->by_moderator);
    case PROTO_EV_JOINED:
        return proto__get_str(o, "handle", &ev->handle);
    }
    return false;
}

bool proto__meeting_from_json(json_t *o, struct proto_meeting *m)
{
    const char *mode, **v;
    json_t *q, *ends;
    size_t n;

    memset(m, 0, sizeof *m);
    if (!json_is_object(o) || !proto__get_str(o, "room", &m->room) ||
        !proto__get_bool(o, "open", &m->open) || !proto__get_nullable_str(o, "chair", &m->chair) ||
        !proto__get_str(o, "mode", &mode) || !proto_meeting_mode_parse(mode, &m->mode) ||
        !proto__get_bool(o, "auto", &m->auto_floor) ||
        !proto__get_nullable_str(o, "speaker", &m->speaker) ||
        !proto__get_u32(o, "share_seconds", &m->share_seconds) ||
        !proto__get_opt_str(o, "format", &m->format))
        return false;
    if (!m->format)
        m->format = "";   /* servers before the format was in the state sent none */
    /* share_ends_at: a positive timestamp, or null when nobody has the floor. */
    ends = json_object_get(o, "share_ends_at");
    if (!ends)
        return false;
    if (!json_is_null(ends) &&
        (!proto__get_i64(o, "share_ends_at", &m->share_ends_at) || m->share_ends_at <= 0))
        return false;
    q = json_object_get(o, "queue");
    if (!json_is_array(q))
        return false;
    n = json_array_size(q);
    if (n == 0)
        return true;
    v = calloc(n, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++) {
        v[i] = json_string_value(json_array_get(q, i));
        if (!v[i]) {
            free(v);
            return false;
        }
    }
    m->queue = v;
    m->n_queue = n;
    return true;
}

bool proto__report_from_json(json_t *o, struct proto_report *r)
{
    json_t *seq;

    memset(r, 0, sizeof *r);
    if (!json_is_object(o) || !proto__get_i64(o, "id", &r->id) || r->id < 1 ||
        !proto__get_i64(o, "ts", &r->ts) || !proto__get_str(o, "reporter", &r->reporter) ||
        !proto__get_nullable_str(o, "room", &r->room) ||
        !proto__get_str(o, "target", &r->target) || !proto__get_str(o, "reason", &r->reason) ||
        !proto__get_nullable_str(o, "excerpt", &r->excerpt) ||
        !proto__get_str(o, "status", &r->status))
        return false;
    /* seq: absent (or null) for a person; for a message, 1 or more and with its room. */
    seq = json_object_get(o, "seq");
    if (seq && !json_is_null(seq))
        return proto__get_u64(o, "seq", &r->seq) && r->seq != 0 && r->room;
    return true;
}

bool proto__strings_from_json(json_t *a, const char ***out, size_t *n)
{
    const char **v;
    size_t len;

    *out = NULL;
    *n = 0;
    if (!json_is_array(a))
        return false;
    len = json_array_size(a);
    if (len == 0)
        return true;
    v = calloc(len, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < len; i++) {
        v[i] = json_string_value(json_array_get(a, i));
        if (!v[i]) {
            free(v);
            return false;
        }
    }
    *out = v;
    *n = len;
    return true;
}

/* ------------------------------------------- several arrays, one block */

/* Every carve starts on a boundary that suits any of the structs. */
#define POOL_ALIGN 16

size_t proto__pool_size(size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - POOL_ALIGN) / size)
        return SIZE_MAX;   /* no allocation that big succeeds */
    return (n * size + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
}

void *proto__pool_open(struct proto__pool *p, size_t size, bool *ok)
{
    char *mem = size ? calloc(1, size) : NULL;
    *ok = !size || mem;
    p->next = mem;
    p->end = mem ? mem + size : NULL;
    return mem;
}

void *proto__pool_take(struct proto__pool *p, size_t n, size_t size)
{
    size_t bytes = proto__pool_size(n, size);
    void *v = p->next;
    if (n == 0 || !p->next || bytes > (size_t)(p->end - p->next))
        return NULL;
    p->next += bytes;
    return v;
}

bool proto__pool_array(json_t *a, size_t size, bool (*one)(json_t *o, void *item,
                                                           struct proto__pool *p),
                       struct proto__pool *p, void **items, size_t *n)
{
    size_t len = json_array_size(a);
    char *mem;

    *items = NULL;
    *n = 0;
    if (!json_is_array(a))
        return false;
    if (len == 0)
        return true;
    mem = proto__pool_take(p, len, size);
    if (!mem)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!one(json_array_get(a, i), mem + i * size, p))
            return false;
    *items = mem;
    *n = len;
    return true;
}

bool proto__pool_strings(json_t *a, struct proto__pool *p, const char ***out, size_t *n)
{
    size_t len = json_array_size(a);
    const char **v;

    *out = NULL;
    *n = 0;
    if (!json_is_array(a))
        return false;
    if (len == 0)
        return true;
    v = proto__pool_take(p, len, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!(v[i] = json_string_value(json_array_get(a, i))))
            return false;
    *out = v;
    *n = len;
    return true;
}

/* ---------------------------------------------- days and schedule slots */

bool proto__date_ok(const char *s, size_t len)
{
    static const int days_in[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year, month, day;
    bool leap;

    if (!s || len != 10)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    month = (s[5] - '0') * 10 + (s[6] - '0');
    day = (s[8] - '0') * 10 + (s[9] - '0');
    /* A real day of the Gregorian calendar: 29 February in leap years only. */
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in[month - 1] + (month == 2 && leap);
}

bool proto__day_ok(const char *s)
{
    return s && proto__date_ok(s, strlen(s));
}

bool proto__get_day(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || !proto__date_ok(json_string_value(v), json_string_length(v)))
        return false;
    *out = json_string_value(v);
    return true;
}

bool proto__slot_days_from_json(json_t *a, uint8_t *days)
{
    enum proto_weekday d;
    size_t i;
    json_t *v;

    *days = 0;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return false;
    json_array_foreach(a, i, v) {
        /* The length counts, not the C string: "mon" with a NUL inside is no day. */
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
            !proto__weekday_parse(json_string_value(v), &d) || (*days & (1u << d))) {
            *days = 0;
            return false;
        }
        *days |= (uint8_t)(1u << d);
    }
    return true;
}

bool proto__slot_start_parse(const char *s, size_t len, uint16_t *minute)
{
    int h, m;

    if (!s || len != 5 || s[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *minute = (uint16_t)(h * 60 + m);
    return true;
}

bool proto__tz_name_ok(const char *s, size_t len)
{
    if (!s || len < 1 || len > PROTO_TZ_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return false;
    }
    return true;
}

bool proto__slot_from_json(json_t *o, struct proto_slot *s)
{
    json_t *start = json_object_get(o, "start"), *tz = json_object_get(o, "tz");
    uint32_t minutes;

    memset(s, 0, sizeof *s);
    if (!json_is_object(o) || !proto__slot_days_from_json(json_object_get(o, "days"), &s->days) ||
        !json_is_string(start) ||
        !proto__slot_start_parse(json_string_value(start), json_string_length(start),
                                 &s->start_minute) ||
        !proto__get_u32(o, "minutes", &minutes) || minutes < PROTO_SLOT_MINUTES_MIN ||
        minutes > PROTO_SLOT_MINUTES_MAX || !json_is_string(tz) ||
        !proto__tz_name_ok(json_string_value(tz), json_string_length(tz)))
        return false;
    s->minutes = (uint16_t)minutes;
    s->tz = json_string_value(tz);
    return true;
}
