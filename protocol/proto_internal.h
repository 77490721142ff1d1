/*
 * Internal helpers shared by the .c files of protocol/. Not installed, not
 * included by anything outside protocol/.
 */
#ifndef HEARTH_PROTO_INTERNAL_H
#define HEARTH_PROTO_INTERNAL_H

#include "hproto.h"

/* Wire names of the room event kinds ("room.message", ...); NULL if out of range. */
const char *proto__room_event_type(enum proto_room_event_kind k);
bool proto__room_event_kind_parse(const char *type, enum proto_room_event_kind *out);
/* Wire names of the days of a schedule slot ("mon".."sun"); NULL if out of range. */
const char *proto__weekday_name(enum proto_weekday d);
bool proto__weekday_parse(const char *name, enum proto_weekday *out);

/* Dump `v` compactly and release it (v may be NULL: returns NULL). */
char *proto__dump_and_free(json_t *v);

/* Add v under key, taking the reference; false (and v released) on failure
 * or when v is NULL. */
bool proto__set(json_t *obj, const char *key, json_t *v);
/* Add every member of the object v to obj, after obj's own (an object whose
 * members a message carries flat, beside its "type"), and release v; false
 * on failure or when v is NULL. */
bool proto__merge(json_t *obj, json_t *v);

/* ---- request bounds PROTOCOL.md sets that the decoder and the encoder share ---- */
/* An offset from UTC in minutes, UTC-12:00 to UTC+14:00 (meeting.attendance,
 * section 5.43; match.join, section 5.57). */
#define UTC_OFFSET_MIN (-720)
#define UTC_OFFSET_MAX 840
/* meeting.attendance: how many weeks. */
#define ATTENDANCE_WEEKS_DEFAULT 12
#define ATTENDANCE_WEEKS_MAX 52
/* room.invite (section 5.14): how long a code lives, in hours, and how often
 * it may be used (absent: without limit). */
#define INVITE_HOURS_DEFAULT 168   /* a week */
#define INVITE_HOURS_MAX 720       /* 30 days */
#define INVITE_USES_MAX 1000
/* report.resolve's outcome and report.list's status: "actioned" or "dismissed". */
bool proto__is_outcome(const char *s);
/* A conversation's name (section 20.1): "~" and this many of a-z 0-9. */
#define CONV_CHARS_MIN 8
#define CONV_CHARS_MAX 31
/* The matching pool (section 21): days clean, and a language tag's length. */
#define CLEAN_DAYS_MAX 36500
#define LANGUAGE_MIN 2
/* A language tag: LANGUAGE_MIN..PROTO_LANGUAGE_MAX of a-z (len bytes; lowercase only). */
bool proto__language_ok(const char *s, size_t len);
/* support.stats (section 5.70): how many days. */
#define SUPPORT_DAYS_DEFAULT 14
#define SUPPORT_DAYS_MAX 90
/* A day "YYYY-MM-DD" (meeting.attendance's week, a support day, a check-in's
 * day, a sobriety date): `len` bytes, ten of them, digits with a dash at 4
 * and 7, and a real date of the Gregorian calendar (month 01..12, a day the
 * month has: 2028-02-29 is one, 2026-02-29 is not). */
bool proto__date_ok(const char *s, size_t len);
/* The same of a C string (NULL is no day). */
bool proto__day_ok(const char *s);
/* A member of a server message that is such a day. */
bool proto__get_day(json_t *o, const char *key, const char **out);

/* ---- object encoders (return a new reference or NULL) ---- */
json_t *proto__user_to_json(const struct proto_user *u);
json_t *proto__member_to_json(const struct proto_member *m);
json_t *proto__room_to_json(const struct proto_room *r);
/* A room event (live or history entry), "type" included. */
json_t *proto__room_event_to_json(const struct proto_room_event *ev);
/* A meeting state object (no "type"). */
json_t *proto__meeting_to_json(const struct proto_meeting *m);
/* A moderation settings object {"slow_seconds","locked","member_limit","newcomer_seconds"}. */
json_t *proto__mod_settings_to_json(const struct proto_mod_settings *m);
/* A timestamp that is JSON null when not positive ("until", "share_ends_at"). */
json_t *proto__time_or_null(int64_t ms);
/* A JSON array of n strings (handles, crisis resources); NULL when one is
 * NULL, when n > 0 and v is NULL, or on no memory. */
json_t *proto__strings_to_json(const char *const *v, size_t n);
/* A JSON array of n items of `size` bytes, each encoded by one(); NULL when
 * one refuses an item, when n > 0 and items is NULL, or on no memory. */
json_t *proto__array_of(const void *items, size_t n, size_t size,
                        json_t *(*one)(const void *item));
/* A report object (report.list, report.new); NULL on a bad value. */
json_t *proto__report_to_json(const struct proto_report *r);
/* A JSON array of n schedule slot objects (meeting.schedule's request and
 * result); NULL when a slot breaks a rule of PROTOCOL.md section 5.44, when
 * n > 0 and v is NULL, or on no memory. */
json_t *proto__slots_to_json(const struct proto_slot *v, size_t n);

/* Buddies, pings, matching (proto_buddies.c): NULL on a value that breaks a
 * rule of PROTOCOL.md sections 20 and 21 (a ping's text with another kind
 * than "text", an offset, language or clean_days out of bounds). */
json_t *proto__buddy_to_json(const struct proto_buddy *b);
json_t *proto__buddy_request_to_json(const struct proto_buddy_request *q);
json_t *proto__ping_to_json(const struct proto_ping *p);
json_t *proto__match_prefs_to_json(const struct proto_match_prefs *p);
json_t *proto__proposal_to_json(const struct proto_match_proposal *p);

/* Support requests (proto_support.c): NULL on a value that breaks a rule of
 * PROTOCOL.md section 5 (5.62 to 5.70): a helper missing once answered, a
 * helper or conversation before that, a negative wait, a malformed day, more
 * answered than asked. */
json_t *proto__support_to_json(const struct proto_support *s);
json_t *proto__support_offer_to_json(const struct proto_support_offer *f);
json_t *proto__support_day_to_json(const struct proto_support_day *d);
/* Whether a support.update about s may carry the crisis resources: with
 * nobody_yet (always), or for a crisis (section 6.24). */
bool proto__support_update_resources(const struct proto_support *s);

/* ---- object decoders: strings borrow from `o`; false on a bad field ---- */
bool proto__user_from_json(json_t *o, struct proto_user *u);
bool proto__member_from_json(json_t *o, struct proto_member *m);
bool proto__room_from_json(json_t *o, struct proto_room *r);
/* Decodes "room.message" / "room.joined" / "room.left" / "room.removed" objects. */
bool proto__room_event_from_json(json_t *o, struct proto_room_event *ev);
/* Decodes a meeting state object. m->queue is malloc'd (NULL when the queue
 * is empty); the caller frees it with free((void *)m->queue). On failure
 * nothing stays allocated and m->queue is NULL. */
bool proto__meeting_from_json(json_t *o, struct proto_meeting *m);
/* A moderation settings object: all four members required. */
bool proto__mod_settings_from_json(json_t *o, struct proto_mod_settings *m);
/* A report object: every member but "seq" required ("room" and "excerpt" may
 * be null); a seq needs a room. */
bool proto__report_from_json(json_t *o, struct proto_report *r);
/* A JSON array of strings into a malloc'd array of pointers into `a` (NULL
 * when empty); the caller frees it with free((void *)*out). On failure
 * nothing stays allocated, *out is NULL and *n 0. */
bool proto__strings_from_json(json_t *a, const char ***out, size_t *n);
/* A schedule slot object, every rule checked (the result side); tz borrows
 * from `o`. */
bool proto__slot_from_json(json_t *o, struct proto_slot *s);

/* Buddies, pings, matching: every member required but a ping's text (kind
 * "text" only; dropped beside another kind), delivered_at and seen_at (absent
 * or null: 0), and the preferences' clean_days (absent or null: -1). */
bool proto__buddy_from_json(json_t *o, struct proto_buddy *b);
bool proto__buddy_request_from_json(json_t *o, struct proto_buddy_request *q);
bool proto__ping_from_json(json_t *o, struct proto_ping *p);
bool proto__match_prefs_from_json(json_t *o, struct proto_match_prefs *p);
bool proto__proposal_from_json(json_t *o, struct proto_match_proposal *p);

/* A support request: every member required but the note (absent, null or
 * "": none), the helper (required once answered) and the conversation (only
 * once answered); a stray helper or conversation before that is dropped.
 * A support day: every member required. */
bool proto__support_from_json(json_t *o, struct proto_support *s);
bool proto__support_offer_from_json(json_t *o, struct proto_support_offer *f);
bool proto__support_day_from_json(json_t *o, struct proto_support_day *d);

/* ---- the shapes of a schedule slot's members, for both sides ---- */
/* "days": an array of one or more different day names into a bitmask
 * (1 << proto_weekday); any order. */
bool proto__slot_days_from_json(json_t *a, uint8_t *days);
/* "start": exactly "HH:MM" (len bytes), 00:00..23:59, into minutes after
 * midnight. */
bool proto__slot_start_parse(const char *s, size_t len, uint16_t *minute);
/* "tz": 1..PROTO_TZ_MAX bytes of A-Z a-z 0-9 _ + - / (the shape only; whether
 * the zone exists is the server's to say). */
bool proto__tz_name_ok(const char *s, size_t len);

/* A decoder's verdict as the code a malformed server message gets. */
#define FIELD_OK(expr) ((expr) ? PROTO_OK : PROTO_E_INVALID_FIELD)

/* ---- several decoded arrays in one allocation (a struct has one _alloc) ----
 * Size the block first, with proto__pool_size() of every array it will hold
 * (in any order), open it, then carve the arrays from it. */
struct proto__pool {
    char *next, *end;
};
/* The bytes n items of `size` take in a pool (rounded up to keep every carve
 * aligned); SIZE_MAX when too big. */
size_t proto__pool_size(size_t n, size_t size);
/* Allocates the zeroed block of `size` bytes and returns it (the caller
 * records it in _alloc and frees it); NULL when size is 0, and then *ok is
 * still true: *ok is false only when memory ran out. */
void *proto__pool_open(struct proto__pool *p, size_t size, bool *ok);
/* n items of `size` from the pool; NULL when n is 0 or the pool is short. */
void *proto__pool_take(struct proto__pool *p, size_t n, size_t size);
/* A JSON array into n items of `size` carved from p (NULL when empty), each
 * decoded by one(); false when a is not an array or an item is refused. */
bool proto__pool_array(json_t *a, size_t size,
                       bool (*one)(json_t *o, void *item, struct proto__pool *p),
                       struct proto__pool *p, void **items, size_t *n);
/* A JSON array of strings into pointers carved from p (NULL when empty). */
bool proto__pool_strings(json_t *a, struct proto__pool *p, const char ***out, size_t *n);

/* ---- check-ins, the card, the plan, clean time (PROTOCOL.md section 23) ---- */
/* A warning sign's name: 1..PROTO_SIGN_NAME_MAX of a-z 0-9 _ (len bytes). */
bool proto__sign_name_ok(const char *s, size_t len);
/* A check-in object (proto_checkin.c). `shared`: as the member's buddies see
 * it (checkin.shared, checkin.feed): the handle required, and the note never
 * written nor read. NULL / false on a value that breaks a rule of section
 * 5.73 (a day that is no date, mood or craving out of bounds, more than 32
 * signs, a malformed or repeated sign). The signs are carved from p. */
json_t *proto__checkin_to_json(const struct proto_checkin *c, bool shared);
bool proto__checkin_from_json(json_t *o, struct proto_checkin *c, bool shared,
                              struct proto__pool *p);
/* The pool bytes a check-in object's signs take. */
size_t proto__checkin_pool_size(json_t *o);
/* A milestone object {"key","label","date"} (proto_plan.c). */
json_t *proto__milestone_to_json(const struct proto_milestone *m);
bool proto__milestone_from_json(json_t *o, struct proto_milestone *m);
/* The trigger action plan {"lines","reasons"} and the crisis card
 * {"contacts","resources"} (proto_plan.c), also part of checkin.submit's
 * result; the arrays are carved from p, sized with the *_pool_size(). */
json_t *proto__plan_to_json(const struct proto_plan_line *lines, size_t n,
                            const char *const *reasons, size_t n_reasons);
json_t *proto__card_to_json(const struct proto_contact *contacts, size_t n,
                            const char *const *resources, size_t n_resources);
size_t proto__plan_pool_size(json_t *o);
size_t proto__card_pool_size(json_t *o);
bool proto__plan_from_json(json_t *o, struct proto__pool *p, struct proto_plan_line **lines,
                           size_t *n, const char ***reasons, size_t *n_reasons);
bool proto__card_from_json(json_t *o, struct proto__pool *p, struct proto_contact **contacts,
                           size_t *n, const char ***resources, size_t *n_resources);
/* The members of settings.* and checkin.* requests (proto_checkin.c) and of
 * card.*, plan.* and sobriety.* (proto_plan.c), beside "type" and "id";
 * false on a value decoding would refuse. */
bool proto__checkin_request_encode(json_t *o, const struct proto_request *r);
bool proto__plan_request_encode(json_t *o, const struct proto_request *r);
/* account.export and account.delete (proto_account.c). */
bool proto__account_request_encode(json_t *o, const struct proto_request *r);
/* Requests whose result `data` is always `{}` (proto_result.c). */
bool proto__no_data(enum proto_req_type t);
bool proto__account_result_encode(json_t *d, const struct proto_result *res);
enum proto_err proto__account_result_decode(json_t *d, struct proto_result *out);
/* The data of their results: encoding fills `d` (false on a bad value),
 * decoding reads it (its arrays in one block, out->_alloc). */
bool proto__checkin_result_encode(json_t *d, const struct proto_result *res);
bool proto__plan_result_encode(json_t *d, const struct proto_result *res);
enum proto_err proto__checkin_result_decode(json_t *d, struct proto_result *out);
enum proto_err proto__plan_result_decode(json_t *d, struct proto_result *out);

/* ---- typed field readers for server messages (strict, no bounds) ---- */
bool proto__get_str(json_t *o, const char *key, const char **out);
bool proto__get_opt_str(json_t *o, const char *key, const char **out); /* NULL if absent/null */
bool proto__get_nullable_str(json_t *o, const char *key, const char **out); /* present; NULL if null */
bool proto__get_u64(json_t *o, const char *key, uint64_t *out);       /* 0..INT64_MAX */
bool proto__get_i64(json_t *o, const char *key, int64_t *out);
bool proto__get_u32(json_t *o, const char *key, uint32_t *out);
bool proto__get_bool(json_t *o, const char *key, bool *out);
/* A timestamp that must be present: null reads as 0, else an integer > 0. */
bool proto__get_time_or_null(json_t *o, const char *key, int64_t *out);
/* A room role; absent (or null) reads as "member". */
bool proto__get_opt_room_role(json_t *o, const char *key, enum proto_room_role *out);

#endif
