/*
 * proto_checkin: settings and daily check-ins in the codec (PROTOCOL.md
 * sections 5.71 to 5.78, 6.25, 6.26 and 23): the settings, check-in, warning
 * sign, summary period and journal entry objects, both ways; the members of
 * the settings.* and checkin.* requests, both ways; and their results. The
 * events that carry a check-in are in proto_event.c and proto_frame.c; the
 * plan and card that come with a warning are in proto_plan.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_decode.h"
#include "proto_internal.h"

/* Bounds of section 23 that only this file needs. */
#define MOOD_MIN 1
#define MOOD_MAX 5
#define CRAVING_MAX 10
#define THRESHOLD_MIN 1
#define THRESHOLD_MAX 11
#define ISOLATION_DAYS_MIN 1
#define ISOLATION_DAYS_MAX 14
#define MEETING_GOAL_MAX 21
#define LIST_DEFAULT 30            /* checkin.list */
#define LIST_MAX 366
#define JOURNAL_DEFAULT 30         /* checkin.journal */
#define JOURNAL_MAX 100
#define SUMMARY_DEFAULT 8          /* checkin.summary */
#define SUMMARY_MAX 52

/* json_string() of a possibly NULL string: NULL stays NULL (an error). */
static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

/* Words that are written only when said: NULL and "" are none. */
static bool put_said(json_t *o, const char *key, const char *s)
{
    return !s || !*s || proto__set(o, key, json_string(s));
}

/* An optional string that reads as NULL when absent, null or "". */
static bool get_said(json_t *o, const char *key, const char **out)
{
    if (!proto__get_opt_str(o, key, out))
        return false;
    if (*out && !**out)
        *out = NULL;
    return true;
}

bool proto__sign_name_ok(const char *s, size_t len)
{
    if (!s || len < 1 || len > PROTO_SIGN_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* What is wrong with a list of signs, for both sides. */
enum signs_fault { SIGNS_OK, SIGNS_SHAPE, SIGNS_NAME, SIGNS_TWICE };

static enum signs_fault signs_check(const char *const *v, const size_t *len, size_t n)
{
    if (n > PROTO_SIGNS_MAX || (n && !v))
        return SIGNS_SHAPE;
    for (size_t i = 0; i < n; i++) {
        if (!v[i] || !proto__sign_name_ok(v[i], len ? len[i] : strlen(v[i])))
            return SIGNS_NAME;
        for (size_t k = 0; k < i; k++)
            if (strcmp(v[k], v[i]) == 0)
                return SIGNS_TWICE;
    }
    return SIGNS_OK;
}

/* A JSON array of sign names checked like the C form: the lengths count (a
 * name with a NUL inside is no name). */
static enum signs_fault signs_check_json(json_t *a)
{
    const char *v[PROTO_SIGNS_MAX];
    size_t len[PROTO_SIGNS_MAX], n = json_array_size(a);

    if (!json_is_array(a) || n > PROTO_SIGNS_MAX)
        return SIGNS_SHAPE;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s))
            return SIGNS_NAME;
        v[i] = json_string_value(s);
        len[i] = json_string_length(s);
    }
    return signs_check(v, len, n);
}

static bool share_ok(enum proto_share s, bool sobriety)
{
    return s == PROTO_SHARE_PRIVATE || s == PROTO_SHARE_BUDDIES ||
           s == (sobriety ? PROTO_SHARE_EVERYONE : PROTO_SHARE_ROOM);
}

/* Words or a room of the settings: "" is none, like NULL. */
static const char *said(const char *s)
{
    return s && *s ? s : NULL;
}

/* A summary's average: rounded to one decimal place. */
static double tenth(double v)
{
    return (double)(int64_t)(v * 10 + 0.5) / 10;
}

/* --------------------------------------------------------------- encoders */

/* Every member but checkin_room (with "room" only, and always with it) and
 * milestone_room (when set). */
static json_t *settings_to_json(const struct proto_settings *s)
{
    const char *room = said(s->checkin_room), *mroom = said(s->milestone_room);
    json_t *o;

    if (!s->tz || !proto__tz_name_ok(s->tz, strlen(s->tz)) || !share_ok(s->checkin_share, false) ||
        (s->checkin_share == PROTO_SHARE_ROOM) != (room != NULL) ||
        s->warning_threshold < THRESHOLD_MIN || s->warning_threshold > THRESHOLD_MAX ||
        s->isolation_days < ISOLATION_DAYS_MIN || s->isolation_days > ISOLATION_DAYS_MAX ||
        s->meeting_goal > MEETING_GOAL_MAX || !share_ok(s->sobriety_share, true))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "tz", json_string(s->tz)) ||
        !proto__set(o, "checkin_share", str(proto_share_name(s->checkin_share))) ||
        (room && !proto__set(o, "checkin_room", json_string(room))) ||
        !proto__set(o, "warning_threshold", json_integer(s->warning_threshold)) ||
        !proto__set(o, "alert_buddies", json_boolean(s->alert_buddies)) ||
        !proto__set(o, "isolation_nudges", json_boolean(s->isolation_nudges)) ||
        !proto__set(o, "isolation_days", json_integer(s->isolation_days)) ||
        !proto__set(o, "meeting_goal", json_integer(s->meeting_goal)) ||
        !proto__set(o, "sobriety_share", str(proto_share_name(s->sobriety_share))) ||
        (mroom && !proto__set(o, "milestone_room", json_string(mroom))) ||
        !proto__set(o, "read_receipts", json_boolean(s->read_receipts))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * {"handle"?,"day","ts","mood","craving"?,"signs","grateful"?,"win"?,"note"?}:
 * the craving when said (not -1), the words when said (not NULL or ""); the
 * note never in a shared view, which always names whose check-in it is.
 */
json_t *proto__checkin_to_json(const struct proto_checkin *c, bool shared)
{
    json_t *o;
    if (!proto__day_ok(c->day) || c->mood < MOOD_MIN || c->mood > MOOD_MAX || c->craving < -1 ||
        c->craving > CRAVING_MAX || (shared && !c->handle) ||
        signs_check(c->signs, NULL, c->n_signs) != SIGNS_OK)
        return NULL;
    o = json_object();
    if (!o || (c->handle && !proto__set(o, "handle", json_string(c->handle))) ||
        !proto__set(o, "day", json_string(c->day)) || !proto__set(o, "ts", json_integer(c->ts)) ||
        !proto__set(o, "mood", json_integer(c->mood)) ||
        (c->craving >= 0 && !proto__set(o, "craving", json_integer(c->craving))) ||
        !proto__set(o, "signs", proto__strings_to_json(c->signs, c->n_signs)) ||
        !put_said(o, "grateful", c->grateful) || !put_said(o, "win", c->win) ||
        (!shared && !put_said(o, "note", c->note))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *sign_to_json(const struct proto_sign *s)
{
    json_t *o;
    if (!s->name || !proto__sign_name_ok(s->name, strlen(s->name)) || !s->label || !*s->label)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "name", json_string(s->name)) ||
        !proto__set(o, "label", json_string(s->label))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"start","checkins","avg_mood","avg_craving"?,"meetings"}: the averages
 * rounded to one decimal place, avg_craving only when some check-in said a
 * craving (not negative). */
static json_t *period_to_json(const struct proto_checkin_period *p)
{
    json_t *o;
    if (!proto__day_ok(p->start) || !(p->avg_mood >= 0 && p->avg_mood <= MOOD_MAX) ||
        !(p->avg_craving <= CRAVING_MAX))   /* false for NaN too */
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "start", json_string(p->start)) ||
        !proto__set(o, "checkins", json_integer(p->checkins)) ||
        !proto__set(o, "avg_mood", json_real(tenth(p->avg_mood))) ||
        (p->avg_craving >= 0 && !proto__set(o, "avg_craving", json_real(tenth(p->avg_craving)))) ||
        !proto__set(o, "meetings", json_integer(p->meetings))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"day","grateful"?,"win"?}: at least one of the two. */
static json_t *entry_to_json(const struct proto_journal_entry *e)
{
    json_t *o;
    if (!proto__day_ok(e->day) || (!said(e->grateful) && !said(e->win)))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "day", json_string(e->day)) || !put_said(o, "grateful", e->grateful) ||
        !put_said(o, "win", e->win)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *own_one(const void *p) { return proto__checkin_to_json(p, false); }
static json_t *shared_one(const void *p) { return proto__checkin_to_json(p, true); }
static json_t *sign_one(const void *p) { return sign_to_json(p); }
static json_t *period_one(const void *p) { return period_to_json(p); }
static json_t *entry_one(const void *p) { return entry_to_json(p); }

/* --------------------------------------------------------------- decoders */

static bool get_share(json_t *o, const char *key, bool sobriety, enum proto_share *out)
{
    const char *s;
    return proto__get_str(o, key, &s) && proto_share_parse(s, out) && share_ok(*out, sobriety);
}

static bool get_bounded(json_t *o, const char *key, uint32_t min, uint32_t max, uint32_t *out)
{
    return proto__get_u32(o, key, out) && *out >= min && *out <= max;
}

/* Every member required but checkin_room (required with "room", dropped
 * beside another share), milestone_room (absent, null or "": none) and
 * read_receipts (absent or null: on, as before servers had it). */
static bool settings_from_json(json_t *o, struct proto_settings *s)
{
    json_t *tz = json_object_get(o, "tz"), *rr = json_object_get(o, "read_receipts");

    memset(s, 0, sizeof *s);
    if (!json_is_object(o) || !json_is_string(tz) ||
        !proto__tz_name_ok(json_string_value(tz), json_string_length(tz)) ||
        !get_share(o, "checkin_share", false, &s->checkin_share) ||
        !get_bounded(o, "warning_threshold", THRESHOLD_MIN, THRESHOLD_MAX, &s->warning_threshold) ||
        !proto__get_bool(o, "alert_buddies", &s->alert_buddies) ||
        !proto__get_bool(o, "isolation_nudges", &s->isolation_nudges) ||
        !get_bounded(o, "isolation_days", ISOLATION_DAYS_MIN, ISOLATION_DAYS_MAX,
                     &s->isolation_days) ||
        !get_bounded(o, "meeting_goal", 0, MEETING_GOAL_MAX, &s->meeting_goal) ||
        !get_share(o, "sobriety_share", true, &s->sobriety_share) ||
        !get_said(o, "milestone_room", &s->milestone_room))
        return false;
    s->read_receipts = true;
    if (rr && !json_is_null(rr) && !proto__get_bool(o, "read_receipts", &s->read_receipts))
        return false;
    s->tz = json_string_value(tz);
    return s->checkin_share != PROTO_SHARE_ROOM ||
           (proto__get_str(o, "checkin_room", &s->checkin_room) && *s->checkin_room);
}

size_t proto__checkin_pool_size(json_t *o)
{
    return proto__pool_size(json_array_size(json_object_get(o, "signs")), sizeof(const char *));
}

bool proto__checkin_from_json(json_t *o, struct proto_checkin *c, bool shared,
                              struct proto__pool *p)
{
    json_t *craving = json_object_get(o, "craving"), *signs = json_object_get(o, "signs");
    uint32_t n;

    memset(c, 0, sizeof *c);
    c->craving = -1;
    if (!json_is_object(o) ||
        !(shared ? proto__get_str(o, "handle", &c->handle)
                 : proto__get_opt_str(o, "handle", &c->handle)) ||
        !proto__get_day(o, "day", &c->day) || !proto__get_i64(o, "ts", &c->ts) ||
        !get_bounded(o, "mood", MOOD_MIN, MOOD_MAX, &c->mood) ||
        signs_check_json(signs) != SIGNS_OK ||
        !proto__pool_strings(signs, p, &c->signs, &c->n_signs) ||
        !get_said(o, "grateful", &c->grateful) || !get_said(o, "win", &c->win) ||
        (!shared && !get_said(o, "note", &c->note)))   /* shared: a stray note is dropped */
        return false;
    if (!craving || json_is_null(craving))
        return true;
    if (!get_bounded(o, "craving", 0, CRAVING_MAX, &n))
        return false;
    c->craving = (int32_t)n;
    return true;
}

static bool sign_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_sign *s = item;
    json_t *name = json_object_get(o, "name");
    (void)p;
    if (!json_is_string(name) ||
        !proto__sign_name_ok(json_string_value(name), json_string_length(name)) ||
        !proto__get_str(o, "label", &s->label) || !*s->label)
        return false;
    s->name = json_string_value(name);
    return true;
}

/* An average: any JSON number in 0..max, rounded to one decimal place. */
static bool get_average(json_t *o, const char *key, double max, double *out)
{
    json_t *v = json_object_get(o, key);
    double x = json_number_value(v);
    if (!json_is_number(v) || !(x >= 0 && x <= max))
        return false;
    *out = tenth(x);
    return true;
}

static bool period_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_checkin_period *q = item;
    json_t *craving = json_object_get(o, "avg_craving");
    (void)p;
    q->avg_craving = -1;
    return json_is_object(o) && proto__get_day(o, "start", &q->start) &&
           proto__get_u32(o, "checkins", &q->checkins) &&
           get_average(o, "avg_mood", MOOD_MAX, &q->avg_mood) &&
           (!craving || json_is_null(craving) ||
            get_average(o, "avg_craving", CRAVING_MAX, &q->avg_craving)) &&
           proto__get_u32(o, "meetings", &q->meetings);
}

static bool entry_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_journal_entry *e = item;
    (void)p;
    return json_is_object(o) && proto__get_day(o, "day", &e->day) &&
           get_said(o, "grateful", &e->grateful) && get_said(o, "win", &e->win) &&
           (e->grateful || e->win);
}

static bool own_from(json_t *o, void *item, struct proto__pool *p)
{
    return proto__checkin_from_json(o, item, false, p);
}

static bool shared_from(json_t *o, void *item, struct proto__pool *p)
{
    return proto__checkin_from_json(o, item, true, p);
}

/* --------------------------------------------------------------- requests */

#define SIGNS_MSG "Field 'signs' must be an array of at most 32 warning sign names."
#define SIGN_NAME_MSG                                                                  \
    "Field 'signs' must hold warning sign names: 1 to 32 of a-z, 0-9 or '_', such as " \
    "\"isolating\"."
#define SIGN_TWICE_MSG "Field 'signs' names the same warning sign twice."

/* checkin_share or sobriety_share: absent (or null) is no change. */
static enum proto_err get_share_member(struct dec *d, const char *key, bool sobriety,
                                       bool *present, enum proto_share *out)
{
    const char *s;
    TRY(get_bytes(d, key, false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
    *present = s != NULL;
    if (s && !(proto_share_parse(s, out) && share_ok(*out, sobriety)))
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' must be \"private\", \"buddies\" or \"%s\".",
                    key, sobriety ? "everyone" : "room");
    return PROTO_OK;
}

/* checkin_room or milestone_room: a room name (folded, in `slot`), or ""
 * to clear it. */
static enum proto_err get_room_or_clear(struct dec *d, const char *key, int slot, bool *present,
                                        const char **out)
{
    json_t *v = field(d, key);
    *present = v != NULL;
    if (json_is_string(v) && json_string_length(v) == 0) {
        *out = json_string_value(v);
        return PROTO_OK;
    }
    return get_name_in(d, key, false, true, slot, out);
}

/* settings.set names at least one member. */
static bool any_setting(const struct proto_request *r)
{
    return r->u.settings.has_tz || r->u.settings.has_checkin_share ||
           r->u.settings.has_checkin_room || r->u.settings.has_threshold ||
           r->u.settings.has_alert || r->u.settings.has_nudges ||
           r->u.settings.has_isolation_days || r->u.settings.has_goal ||
           r->u.settings.has_sobriety_share || r->u.settings.has_milestone_room ||
           r->u.settings.has_read_receipts;
}

/* Sharing with a room, and clearing the room, in one settings.set. */
static bool room_cleared_while_shared(const struct proto_request *r)
{
    return r->u.settings.has_checkin_share &&
           r->u.settings.set.checkin_share == PROTO_SHARE_ROOM &&
           r->u.settings.has_checkin_room && !said(r->u.settings.set.checkin_room);
}

/* settings.set: each member optional, in the order of the settings object;
 * at least one. */
static enum proto_err get_settings(struct dec *d)
{
    struct proto_request *r = d->out;
    struct proto_settings *s = &r->u.settings.set;

    TRY(get_tz(d, false, &s->tz));
    r->u.settings.has_tz = s->tz != NULL;
    TRY(get_share_member(d, "checkin_share", false, &r->u.settings.has_checkin_share,
                         &s->checkin_share));
    TRY(get_room_or_clear(d, "checkin_room", 0, &r->u.settings.has_checkin_room,
                          &s->checkin_room));
    TRY(get_range(d, "warning_threshold", THRESHOLD_MIN, THRESHOLD_MAX,
                  &r->u.settings.has_threshold, &s->warning_threshold));
    TRY(get_flag(d, "alert_buddies", false, &r->u.settings.has_alert, &s->alert_buddies));
    TRY(get_flag(d, "isolation_nudges", false, &r->u.settings.has_nudges, &s->isolation_nudges));
    TRY(get_range(d, "isolation_days", ISOLATION_DAYS_MIN, ISOLATION_DAYS_MAX,
                  &r->u.settings.has_isolation_days, &s->isolation_days));
    TRY(get_range(d, "meeting_goal", 0, MEETING_GOAL_MAX, &r->u.settings.has_goal,
                  &s->meeting_goal));
    TRY(get_share_member(d, "sobriety_share", true, &r->u.settings.has_sobriety_share,
                         &s->sobriety_share));
    TRY(get_room_or_clear(d, "milestone_room", 1, &r->u.settings.has_milestone_room,
                          &s->milestone_room));
    TRY(get_flag(d, "read_receipts", false, &r->u.settings.has_read_receipts,
                 &s->read_receipts));
    if (!any_setting(r))
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Give at least one setting to change: a member of the settings object, such "
                    "as 'tz' or 'warning_threshold'.");
    if (room_cleared_while_shared(r))
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'checkin_room' cannot be cleared while 'checkin_share' is \"room\".");
    return PROTO_OK;
}

/* checkin.submit: mood, craving, signs, grateful, win, note. */
static enum proto_err get_checkin(struct dec *d)
{
    struct proto_request *r = d->out;
    struct proto_checkin *c = &r->u.checkin;
    json_t *signs = field(d, "signs");
    enum signs_fault fault;
    uint32_t craving;
    bool has;

    c->craving = -1;
    TRY(get_range(d, "mood", MOOD_MIN, MOOD_MAX, &has, &c->mood));
    if (!has)
        return fail(d, PROTO_E_INVALID_FIELD, "Field 'mood' is required.");
    TRY(get_range(d, "craving", 0, CRAVING_MAX, &has, &craving));
    if (has)
        c->craving = (int32_t)craving;
    if (signs) {
        fault = signs_check_json(signs);
        if (fault != SIGNS_OK)
            return fail(d, PROTO_E_INVALID_FIELD, "%s",
                        fault == SIGNS_SHAPE ? SIGNS_MSG
                                             : fault == SIGNS_NAME ? SIGN_NAME_MSG : SIGN_TWICE_MSG);
        if (json_array_size(signs)) {
            r->_alloc = calloc(json_array_size(signs), sizeof *c->signs);
            if (!r->_alloc)
                return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
            c->signs = r->_alloc;
            for (size_t i = 0; i < json_array_size(signs); i++)
                c->signs[i] = json_string_value(json_array_get(signs, i));
            c->n_signs = json_array_size(signs);
        }
    }
    TRY(get_words(d, "grateful", PROTO_CHECKIN_TEXT_MAX, &c->grateful));
    TRY(get_words(d, "win", PROTO_CHECKIN_TEXT_MAX, &c->win));
    return get_words(d, "note", PROTO_CHECKIN_TEXT_MAX, &c->note);
}

enum proto_err proto__checkin_request_decode(struct dec *d)
{
    struct proto_request *r = d->out;
    const char *s;

    switch (r->type) {
    case PROTO_REQ_SETTINGS_SET:
        return get_settings(d);
    case PROTO_REQ_CHECKIN_SUBMIT:
        return get_checkin(d);
    case PROTO_REQ_CHECKIN_LIST:
        TRY(get_day(d, "from", false, &r->u.range.from));
        TRY(get_day(d, "to", false, &r->u.range.to));
        if (r->u.range.from && r->u.range.to && strcmp(r->u.range.from, r->u.range.to) > 0)
            return fail(d, PROTO_E_INVALID_FIELD, "Field 'to' must not be before 'from'.");
        return get_range_or(d, "limit", 1, LIST_MAX, LIST_DEFAULT, &r->u.range.limit);
    case PROTO_REQ_CHECKIN_JOURNAL:
        TRY(get_day(d, "before", false, &r->u.range.before));
        return get_range_or(d, "limit", 1, JOURNAL_MAX, JOURNAL_DEFAULT, &r->u.range.limit);
    case PROTO_REQ_CHECKIN_SUMMARY:
        TRY(get_bytes(d, "period", false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
        if (s && strcmp(s, "week") != 0 && strcmp(s, "month") != 0)
            return fail(d, PROTO_E_INVALID_FIELD, "Field 'period' must be \"week\" or \"month\".");
        r->u.summary.months = s && strcmp(s, "month") == 0;
        return get_range_or(d, "count", 1, SUMMARY_MAX, SUMMARY_DEFAULT, &r->u.summary.count);
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return PROTO_OK;
    default:
        break;
    }
    return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
}

/* An optional day: written when set, and then a real date. */
static bool put_day(json_t *o, const char *key, const char *day)
{
    return !day || (proto__day_ok(day) && proto__set(o, key, json_string(day)));
}

/* A setting's room: a name, or "" (NULL too) to clear it. */
static bool put_room(json_t *o, const char *key, bool present, const char *room)
{
    return !present || proto__set(o, key, json_string(room ? room : ""));
}

static bool put_settings(json_t *o, const struct proto_request *r)
{
    const struct proto_settings *s = &r->u.settings.set;
    bool tz = r->u.settings.has_tz, share = r->u.settings.has_checkin_share,
         threshold = r->u.settings.has_threshold, days = r->u.settings.has_isolation_days,
         goal = r->u.settings.has_goal, sobriety = r->u.settings.has_sobriety_share;

    if (!any_setting(r) || room_cleared_while_shared(r) ||
        (tz && (!s->tz || !proto__tz_name_ok(s->tz, strlen(s->tz)))) ||
        (share && !share_ok(s->checkin_share, false)) ||
        (threshold &&
         (s->warning_threshold < THRESHOLD_MIN || s->warning_threshold > THRESHOLD_MAX)) ||
        (days && (s->isolation_days < ISOLATION_DAYS_MIN || s->isolation_days > ISOLATION_DAYS_MAX)) ||
        (goal && s->meeting_goal > MEETING_GOAL_MAX) ||
        (sobriety && !share_ok(s->sobriety_share, true)))
        return false;
    return (!tz || proto__set(o, "tz", json_string(s->tz))) &&
           (!share ||
            proto__set(o, "checkin_share", json_string(proto_share_name(s->checkin_share)))) &&
           put_room(o, "checkin_room", r->u.settings.has_checkin_room, s->checkin_room) &&
           (!threshold || proto__set(o, "warning_threshold", json_integer(s->warning_threshold))) &&
           (!r->u.settings.has_alert ||
            proto__set(o, "alert_buddies", json_boolean(s->alert_buddies))) &&
           (!r->u.settings.has_nudges ||
            proto__set(o, "isolation_nudges", json_boolean(s->isolation_nudges))) &&
           (!days || proto__set(o, "isolation_days", json_integer(s->isolation_days))) &&
           (!goal || proto__set(o, "meeting_goal", json_integer(s->meeting_goal))) &&
           (!sobriety ||
            proto__set(o, "sobriety_share", json_string(proto_share_name(s->sobriety_share)))) &&
           put_room(o, "milestone_room", r->u.settings.has_milestone_room, s->milestone_room) &&
           (!r->u.settings.has_read_receipts ||
            proto__set(o, "read_receipts", json_boolean(s->read_receipts)));
}

/* checkin.submit: the signs only when there are some, the words when said. */
static bool put_checkin(json_t *o, const struct proto_checkin *c)
{
    if (c->mood < MOOD_MIN || c->mood > MOOD_MAX || c->craving < -1 || c->craving > CRAVING_MAX ||
        signs_check(c->signs, NULL, c->n_signs) != SIGNS_OK)
        return false;
    return proto__set(o, "mood", json_integer(c->mood)) &&
           (c->craving < 0 || proto__set(o, "craving", json_integer(c->craving))) &&
           (!c->n_signs || proto__set(o, "signs", proto__strings_to_json(c->signs, c->n_signs))) &&
           put_said(o, "grateful", c->grateful) && put_said(o, "win", c->win) &&
           put_said(o, "note", c->note);
}

/* A limit or count always written, like the decoded form has it: 0 (unset)
 * is the default. */
static bool put_count(json_t *o, const char *key, uint32_t v, uint32_t def, uint32_t max)
{
    return v <= max && proto__set(o, key, json_integer(v ? v : def));
}

bool proto__checkin_request_encode(json_t *o, const struct proto_request *r)
{
    switch (r->type) {
    case PROTO_REQ_SETTINGS_SET:
        return put_settings(o, r);
    case PROTO_REQ_CHECKIN_SUBMIT:
        return put_checkin(o, &r->u.checkin);
    case PROTO_REQ_CHECKIN_LIST:
        if (r->u.range.from && r->u.range.to && strcmp(r->u.range.from, r->u.range.to) > 0)
            return false;
        return put_day(o, "from", r->u.range.from) && put_day(o, "to", r->u.range.to) &&
               put_count(o, "limit", r->u.range.limit, LIST_DEFAULT, LIST_MAX);
    case PROTO_REQ_CHECKIN_JOURNAL:
        return put_day(o, "before", r->u.range.before) &&
               put_count(o, "limit", r->u.range.limit, JOURNAL_DEFAULT, JOURNAL_MAX);
    case PROTO_REQ_CHECKIN_SUMMARY:
        return proto__set(o, "period", json_string(r->u.summary.months ? "month" : "week")) &&
               put_count(o, "count", r->u.summary.count, SUMMARY_DEFAULT, SUMMARY_MAX);
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_CHECKIN_SIGNS:
    case PROTO_REQ_CHECKIN_FEED:
        return true;
    default:
        return false;
    }
}

/* ---------------------------------------------------------------- results */

/* checkin.submit: the plan and the card (with the resources) with a
 * warning, and only then. */
static bool submitted_to_json(json_t *d, const struct proto_result *res)
{
    bool warning = res->u.submitted.warning;

    if (res->u.submitted.has_plan != warning)
        return false;
    return proto__set(d, "checkin", proto__checkin_to_json(&res->u.submitted.checkin, false)) &&
           proto__set(d, "updated", json_boolean(res->u.submitted.updated)) &&
           proto__set(d, "streak", json_integer(res->u.submitted.streak)) &&
           proto__set(d, "warning", json_boolean(warning)) &&
           (!warning ||
            (proto__set(d, "plan",
                        proto__plan_to_json(res->u.submitted.lines, res->u.submitted.n_lines,
                                            res->u.submitted.reasons,
                                            res->u.submitted.n_reasons)) &&
             proto__set(d, "card",
                        proto__card_to_json(res->u.submitted.contacts,
                                            res->u.submitted.n_contacts,
                                            res->u.submitted.resources,
                                            res->u.submitted.n_resources))));
}

bool proto__checkin_result_encode(json_t *d, const struct proto_result *res)
{
    switch (res->type) {
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
        return proto__set(d, "settings", settings_to_json(&res->u.settings));
    case PROTO_REQ_CHECKIN_SUBMIT:
        return submitted_to_json(d, res);
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_FEED:
        return proto__set(d, "checkins",
                          proto__array_of(res->u.checkins.checkins, res->u.checkins.n,
                                   sizeof *res->u.checkins.checkins,
                                   res->type == PROTO_REQ_CHECKIN_FEED ? shared_one : own_one));
    case PROTO_REQ_CHECKIN_SUMMARY:
        return proto__set(d, "periods", proto__array_of(res->u.summary.periods, res->u.summary.n,
                                                 sizeof *res->u.summary.periods, period_one)) &&
               proto__set(d, "streak", json_integer(res->u.summary.streak)) &&
               proto__set(d, "longest", json_integer(res->u.summary.longest)) &&
               proto__set(d, "goal", json_integer(res->u.summary.goal)) &&
               proto__set(d, "meetings_this_week", json_integer(res->u.summary.meetings_this_week));
    case PROTO_REQ_CHECKIN_JOURNAL:
        return proto__set(d, "entries", proto__array_of(res->u.journal.entries, res->u.journal.n,
                                                 sizeof *res->u.journal.entries, entry_one));
    case PROTO_REQ_CHECKIN_SIGNS:
        return proto__set(d, "signs", proto__array_of(res->u.signs.signs, res->u.signs.n,
                                               sizeof *res->u.signs.signs, sign_one));
    default:
        return false;
    }
}

/* Opens the block of `size` bytes in out->_alloc. */
static enum proto_err open_pool(struct proto_result *out, struct proto__pool *p, size_t size)
{
    bool ok;
    out->_alloc = proto__pool_open(p, size, &ok);
    return ok ? PROTO_OK : PROTO_E_INTERNAL;
}

/* checkin.submit: the plan and card required with a warning, dropped without. */
static enum proto_err submitted_from(json_t *d, struct proto_result *out)
{
    json_t *c = json_object_get(d, "checkin"), *plan = json_object_get(d, "plan"),
           *card = json_object_get(d, "card");
    struct proto__pool p;
    bool warning;
    enum proto_err e;

    if (!proto__get_bool(d, "updated", &out->u.submitted.updated) ||
        !proto__get_u32(d, "streak", &out->u.submitted.streak) ||
        !proto__get_bool(d, "warning", &warning))
        return PROTO_E_INVALID_FIELD;
    out->u.submitted.warning = out->u.submitted.has_plan = warning;
    e = open_pool(out, &p, proto__checkin_pool_size(c) +
                               (warning ? proto__plan_pool_size(plan) + proto__card_pool_size(card)
                                        : 0));
    if (e != PROTO_OK)
        return e;
    return FIELD_OK(
        proto__checkin_from_json(c, &out->u.submitted.checkin, false, &p) &&
        (!warning ||
         (proto__plan_from_json(plan, &p, &out->u.submitted.lines, &out->u.submitted.n_lines,
                                &out->u.submitted.reasons, &out->u.submitted.n_reasons) &&
          proto__card_from_json(card, &p, &out->u.submitted.contacts, &out->u.submitted.n_contacts,
                                &out->u.submitted.resources, &out->u.submitted.n_resources))));
}

/* checkin.list, checkin.feed: the check-ins and all their signs in one block. */
static enum proto_err checkins_from(json_t *d, struct proto_result *out)
{
    json_t *a = json_object_get(d, "checkins");
    size_t need = proto__pool_size(json_array_size(a), sizeof *out->u.checkins.checkins);
    struct proto__pool p;
    void *items;
    enum proto_err e;

    for (size_t i = 0; i < json_array_size(a); i++)
        need += proto__checkin_pool_size(json_array_get(a, i));
    e = open_pool(out, &p, need);
    if (e != PROTO_OK)
        return e;
    e = FIELD_OK(proto__pool_array(a, sizeof *out->u.checkins.checkins,
                                   out->type == PROTO_REQ_CHECKIN_FEED ? shared_from : own_from,
                                   &p, &items, &out->u.checkins.n));
    out->u.checkins.checkins = items;
    return e;
}

/* One array of flat items under `key`, in its own block. */
static enum proto_err flat_from(json_t *d, const char *key, size_t size,
                                bool (*one)(json_t *, void *, struct proto__pool *),
                                struct proto_result *out, void **items, size_t *n)
{
    json_t *a = json_object_get(d, key);
    struct proto__pool p;
    enum proto_err e = open_pool(out, &p, proto__pool_size(json_array_size(a), size));
    return e != PROTO_OK ? e : FIELD_OK(proto__pool_array(a, size, one, &p, items, n));
}

enum proto_err proto__checkin_result_decode(json_t *d, struct proto_result *out)
{
    void *items = NULL;
    enum proto_err e;

    switch (out->type) {
    case PROTO_REQ_SETTINGS_GET:
    case PROTO_REQ_SETTINGS_SET:
        return FIELD_OK(settings_from_json(json_object_get(d, "settings"), &out->u.settings));
    case PROTO_REQ_CHECKIN_SUBMIT:
        return submitted_from(d, out);
    case PROTO_REQ_CHECKIN_LIST:
    case PROTO_REQ_CHECKIN_FEED:
        return checkins_from(d, out);
    case PROTO_REQ_CHECKIN_SUMMARY:
        if (!proto__get_u32(d, "streak", &out->u.summary.streak) ||
            !proto__get_u32(d, "longest", &out->u.summary.longest) ||
            !proto__get_u32(d, "goal", &out->u.summary.goal) ||
            !proto__get_u32(d, "meetings_this_week", &out->u.summary.meetings_this_week))
            return PROTO_E_INVALID_FIELD;
        e = flat_from(d, "periods", sizeof *out->u.summary.periods, period_from, out, &items,
                      &out->u.summary.n);
        out->u.summary.periods = items;
        return e;
    case PROTO_REQ_CHECKIN_JOURNAL:
        e = flat_from(d, "entries", sizeof *out->u.journal.entries, entry_from, out, &items,
                      &out->u.journal.n);
        out->u.journal.entries = items;
        return e;
    case PROTO_REQ_CHECKIN_SIGNS:
        e = flat_from(d, "signs", sizeof *out->u.signs.signs, sign_from, out, &items,
                      &out->u.signs.n);
        out->u.signs.signs = items;
        return e;
    default:
        return PROTO_E_INTERNAL;
    }
}
