/*
 * proto_buddies: the JSON shape of the objects of buddies, pings and the
 * matching pool (PROTOCOL.md sections 5.48 to 5.61, 6.16 to 6.21, 20 and
 * 21): buddy, buddy request, ping, preferences and proposal objects, both
 * ways. The requests, results and events that carry them are in
 * proto_request*.c, proto_result.c, proto_event.c and proto_frame.c.
 */
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

/* json_string() of a possibly NULL string: NULL stays NULL (an error). */
static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

bool proto__language_ok(const char *s, size_t len)
{
    if (!s || len < LANGUAGE_MIN || len > PROTO_LANGUAGE_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

static bool offset_ok(int64_t v)
{
    return v >= UTC_OFFSET_MIN && v <= UTC_OFFSET_MAX;
}

/* --------------------------------------------------------------- encoders */

json_t *proto__buddy_to_json(const struct proto_buddy *b)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "handle", str(b->handle)) ||
        !proto__set(o, "status", str(proto_status_name(b->status))) ||
        !proto__set(o, "since", json_integer(b->since)) ||
        !proto__set(o, "conversation", str(b->conversation))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__buddy_request_to_json(const struct proto_buddy_request *q)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "handle", str(q->handle)) ||
        !proto__set(o, "ts", json_integer(q->ts))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * {"id","from","to","kind","text"?,"ts","delivered_at"?,"seen_at"?}: text
 * with kind "text" only (and always with it), the two times only when set.
 */
json_t *proto__ping_to_json(const struct proto_ping *p)
{
    json_t *o;
    if (p->id < 1 || (p->text != NULL) != (p->kind == PROTO_PING_TEXT) || p->delivered_at < 0 ||
        p->seen_at < 0)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "id", json_integer(p->id)) ||
        !proto__set(o, "from", str(p->from)) || !proto__set(o, "to", str(p->to)) ||
        !proto__set(o, "kind", str(proto_ping_kind_name(p->kind))) ||
        (p->text && !proto__set(o, "text", json_string(p->text))) ||
        !proto__set(o, "ts", json_integer(p->ts)) ||
        (p->delivered_at && !proto__set(o, "delivered_at", json_integer(p->delivered_at))) ||
        (p->seen_at && !proto__set(o, "seen_at", json_integer(p->seen_at)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"utc_offset_minutes","language","approach","clean_days"?,"want_more_clean_time"}:
 * clean_days only when said (not -1); a value out of bounds is refused. */
json_t *proto__match_prefs_to_json(const struct proto_match_prefs *p)
{
    json_t *o;
    if (!offset_ok(p->utc_offset_minutes) || !p->language ||
        !proto__language_ok(p->language, strlen(p->language)) || p->clean_days < -1 ||
        p->clean_days > CLEAN_DAYS_MAX)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "utc_offset_minutes", json_integer(p->utc_offset_minutes)) ||
        !proto__set(o, "language", json_string(p->language)) ||
        !proto__set(o, "approach", str(proto_approach_name(p->approach))) ||
        (p->clean_days >= 0 && !proto__set(o, "clean_days", json_integer(p->clean_days))) ||
        !proto__set(o, "want_more_clean_time", json_boolean(p->want_more_clean_time))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Every member always written; the other person's clean days never are. */
json_t *proto__proposal_to_json(const struct proto_match_proposal *p)
{
    json_t *o;
    if (p->id < 1 || !offset_ok(p->utc_offset_minutes) || !p->language ||
        !proto__language_ok(p->language, strlen(p->language)) || p->expires_at < 1)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "id", json_integer(p->id)) ||
        !proto__set(o, "handle", str(p->handle)) ||
        !proto__set(o, "utc_offset_minutes", json_integer(p->utc_offset_minutes)) ||
        !proto__set(o, "language", json_string(p->language)) ||
        !proto__set(o, "approach", str(proto_approach_name(p->approach))) ||
        !proto__set(o, "more_clean_time", json_boolean(p->more_clean_time)) ||
        !proto__set(o, "expires_at", json_integer(p->expires_at))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* --------------------------------------------------------------- decoders */

/* A positive integer, or 0 when absent or null (a ping's delivered_at, seen_at). */
static bool get_opt_time(json_t *o, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    return !v || json_is_null(v) || proto__get_time_or_null(o, key, out);
}

/* "language": the length counts, not the C string (no NUL inside). */
static bool get_language(json_t *o, const char **out)
{
    json_t *v = json_object_get(o, "language");
    if (!json_is_string(v) || !proto__language_ok(json_string_value(v), json_string_length(v)))
        return false;
    *out = json_string_value(v);
    return true;
}

static bool get_offset(json_t *o, int32_t *out)
{
    int64_t v;
    if (!proto__get_i64(o, "utc_offset_minutes", &v) || !offset_ok(v))
        return false;
    *out = (int32_t)v;
    return true;
}

static bool get_approach(json_t *o, enum proto_approach *out)
{
    const char *s;
    return proto__get_str(o, "approach", &s) && proto_approach_parse(s, out);
}

bool proto__buddy_from_json(json_t *o, struct proto_buddy *b)
{
    const char *status;
    memset(b, 0, sizeof *b);
    return json_is_object(o) && proto__get_str(o, "handle", &b->handle) &&
           proto__get_str(o, "status", &status) && proto_status_parse(status, &b->status) &&
           proto__get_i64(o, "since", &b->since) &&
           proto__get_str(o, "conversation", &b->conversation);
}

bool proto__buddy_request_from_json(json_t *o, struct proto_buddy_request *q)
{
    memset(q, 0, sizeof *q);
    return json_is_object(o) && proto__get_str(o, "handle", &q->handle) &&
           proto__get_i64(o, "ts", &q->ts);
}

bool proto__ping_from_json(json_t *o, struct proto_ping *p)
{
    const char *kind;
    memset(p, 0, sizeof *p);
    if (!json_is_object(o) || !proto__get_i64(o, "id", &p->id) || p->id < 1 ||
        !proto__get_str(o, "from", &p->from) || !proto__get_str(o, "to", &p->to) ||
        !proto__get_str(o, "kind", &kind) || !proto_ping_kind_parse(kind, &p->kind) ||
        !proto__get_i64(o, "ts", &p->ts) || !get_opt_time(o, "delivered_at", &p->delivered_at) ||
        !get_opt_time(o, "seen_at", &p->seen_at))
        return false;
    /* A text ping has its text; beside any other kind, a stray one is dropped. */
    return p->kind != PROTO_PING_TEXT || proto__get_str(o, "text", &p->text);
}

bool proto__match_prefs_from_json(json_t *o, struct proto_match_prefs *p)
{
    json_t *days = json_object_get(o, "clean_days");
    uint32_t n;

    memset(p, 0, sizeof *p);
    p->clean_days = -1;
    if (!json_is_object(o) || !get_offset(o, &p->utc_offset_minutes) ||
        !get_language(o, &p->language) || !get_approach(o, &p->approach) ||
        !proto__get_bool(o, "want_more_clean_time", &p->want_more_clean_time))
        return false;
    if (!days || json_is_null(days))
        return true;
    if (!proto__get_u32(o, "clean_days", &n) || n > CLEAN_DAYS_MAX)
        return false;
    p->clean_days = (int32_t)n;
    return true;
}

bool proto__proposal_from_json(json_t *o, struct proto_match_proposal *p)
{
    memset(p, 0, sizeof *p);
    return json_is_object(o) && proto__get_i64(o, "id", &p->id) && p->id >= 1 &&
           proto__get_str(o, "handle", &p->handle) && get_offset(o, &p->utc_offset_minutes) &&
           get_language(o, &p->language) && get_approach(o, &p->approach) &&
           proto__get_bool(o, "more_clean_time", &p->more_clean_time) &&
           proto__get_time_or_null(o, "expires_at", &p->expires_at) && p->expires_at > 0;
}
