/*
 * proto_objects: the JSON shape of the objects that several messages share
 * (user, member, room, room event), and the strict field readers used to
 * decode what the server sent.
 */
#include <limits.h>
#include <stdlib.h>

#include "hproto.h"
#include "proto_internal.h"

char *proto__dump_and_free(json_t *v)
{
    char *s;
    if (!v)
        return NULL;
    s = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    return s;
}

bool proto__set(json_t *obj, const char *key, json_t *v)
{
    /* json_object_set_new releases v even when it fails. */
    return obj && v && json_object_set_new(obj, key, v) == 0;
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
        !proto__set(o, "status", str(proto_status_name(m->status)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__room_to_json(const struct proto_room *r)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "room", str(r->room)) || !proto__set(o, "title", str(r->title)) ||
        !proto__set(o, "topic", str(r->topic ? r->topic : "")) ||
        !proto__set(o, "visibility", str(proto_visibility_name(r->visibility))) ||
        !proto__set(o, "members", json_integer(r->members)) ||
        !proto__set(o, "present", json_integer(r->present)) ||
        !proto__set(o, "last_seq", u64(r->last_seq)) ||
        !proto__set(o, "joined", json_boolean(r->joined))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__room_event_to_json(const struct proto_room_event *ev)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "type", str(proto__room_event_type(ev->kind))) ||
        !proto__set(o, "room", str(ev->room)) || !proto__set(o, "seq", u64(ev->seq)) ||
        !proto__set(o, "ts", json_integer(ev->ts)) || !proto__set(o, "handle", str(ev->handle)))
        goto err;
    if (ev->kind == PROTO_EV_MESSAGE) {
        if (!proto__set(o, "text", str(ev->text)))
            goto err;
        if (ev->cid && !proto__set(o, "cid", str(ev->cid)))
            goto err;
    }
    return o;
err:
    json_decref(o);
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
           get_status(o, "status", &m->status);
}

bool proto__room_from_json(json_t *o, struct proto_room *r)
{
    const char *vis;
    return json_is_object(o) && proto__get_str(o, "room", &r->room) &&
           proto__get_str(o, "title", &r->title) && proto__get_str(o, "topic", &r->topic) &&
           proto__get_str(o, "visibility", &vis) && proto_visibility_parse(vis, &r->visibility) &&
           proto__get_u32(o, "members", &r->members) &&
           proto__get_u32(o, "present", &r->present) &&
           proto__get_u64(o, "last_seq", &r->last_seq) && proto__get_bool(o, "joined", &r->joined);
}

bool proto__room_event_from_json(json_t *o, struct proto_room_event *ev)
{
    const char *type;
    ev->text = NULL;
    ev->cid = NULL;
    if (!json_is_object(o) || !proto__get_str(o, "type", &type) ||
        !proto__room_event_kind_parse(type, &ev->kind) || !proto__get_str(o, "room", &ev->room) ||
        !proto__get_u64(o, "seq", &ev->seq) || ev->seq == 0 || !proto__get_i64(o, "ts", &ev->ts) ||
        !proto__get_str(o, "handle", &ev->handle))
        return false;
    if (ev->kind == PROTO_EV_MESSAGE)
        return proto__get_str(o, "text", &ev->text) && proto__get_opt_str(o, "cid", &ev->cid);
    return true;
}
