/*
 * hproto: Hearth's wire codec. JSON text <-> typed structs, nothing else.
 *
 * Pure: depends on jansson only (no lws, uv or sqlite), so the server, the C
 * client library and the tests share one definition of every message.
 * protocol/PROTOCOL.md is the normative description; this header mirrors it.
 *
 * Ownership: every decoded struct owns a jansson tree (`_root`) that its
 * `const char *` fields point into, plus any arrays it allocated; release it
 * with the matching proto_*_free(). Structs filled by a caller for encoding
 * only borrow their pointers; encoders return a malloc'd NUL-terminated
 * compact JSON string that the caller frees with free().
 */
#ifndef HEARTH_HPROTO_H
#define HEARTH_HPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define PROTO_VERSION 1
#define PROTO_SUBPROTOCOL "hearth.v1"

/* Limits that are part of the protocol (the server states them in hello). */
#define PROTO_MAX_FRAME_BYTES 65536
#define PROTO_MAX_TEXT_CHARS 4000     /* Unicode code points in a message */
#define PROTO_HANDLE_MIN 3
#define PROTO_HANDLE_MAX 32
#define PROTO_PASSWORD_MIN 12          /* bytes */
#define PROTO_PASSWORD_MAX 256         /* bytes */
#define PROTO_ID_MAX 64                /* request id, bytes */
#define PROTO_CID_MAX 64               /* client message id, bytes */
#define PROTO_TITLE_MAX 80             /* code points */
#define PROTO_TOPIC_MAX 300            /* code points */
#define PROTO_TOKEN_CHARS 64           /* 32 random bytes, lowercase hex */
#define PROTO_INVITE_MAX 64
#define PROTO_HISTORY_DEFAULT 50
#define PROTO_HISTORY_MAX 100

/* Added by the protocol implementation: constants PROTOCOL.md defines that
 * both hearthd and the clients need. */
#define PROTO_WS_PATH "/ws"
/* WebSocket close codes (PROTOCOL.md "Close codes"). */
#define PROTO_CLOSE_NORMAL 1000
#define PROTO_CLOSE_GOING_AWAY 1001      /* server shutting down */
#define PROTO_CLOSE_INVALID_UTF8 1007
#define PROTO_CLOSE_POLICY 1008          /* persistent flooding, Origin refused */
#define PROTO_CLOSE_TOO_BIG 1009         /* frame over PROTO_MAX_FRAME_BYTES */
#define PROTO_CLOSE_AUTH_TIMEOUT 4000    /* not authenticated within auth_timeout_ms */
#define PROTO_CLOSE_TOO_SLOW 4001        /* outgoing queue overflowed; reconnect and resume */
#define PROTO_CLOSE_REVOKED 4002         /* after session.revoked */

/* ------------------------------------------------------------------ errors */

/* Stable machine codes. Their wire spelling is proto_err_code(). Never
 * renumber or rename: clients switch on the string. */
enum proto_err {
    PROTO_OK = 0,
    PROTO_E_BAD_JSON,              /* "bad_json" */
    PROTO_E_UNKNOWN_TYPE,          /* "unknown_type" */
    PROTO_E_INVALID_FIELD,         /* "invalid_field": missing or malformed */
    PROTO_E_NOT_AUTHENTICATED,     /* "not_authenticated" */
    PROTO_E_ALREADY_AUTHENTICATED, /* "already_authenticated" */
    PROTO_E_INVALID_CREDENTIALS,   /* "invalid_credentials" */
    PROTO_E_HANDLE_TAKEN,          /* "handle_taken" */
    PROTO_E_PASSWORD_POLICY,       /* "password_policy" */
    PROTO_E_INVITE_REQUIRED,       /* "invite_required" */
    PROTO_E_INVITE_INVALID,        /* "invite_invalid" */
    PROTO_E_TOKEN_INVALID,         /* "token_invalid": unknown, expired or revoked */
    PROTO_E_LOGIN_THROTTLED,       /* "login_throttled" (carries retry_after_ms) */
    PROTO_E_RATE_LIMITED,          /* "rate_limited" (carries retry_after_ms) */
    PROTO_E_ROOM_NOT_FOUND,        /* "room_not_found" */
    PROTO_E_ROOM_EXISTS,           /* "room_exists" */
    PROTO_E_NOT_MEMBER,            /* "not_member" */
    PROTO_E_FORBIDDEN,             /* "forbidden" */
    PROTO_E_TEXT_TOO_LONG,         /* "text_too_long" */
    PROTO_E_SERVER_BUSY,           /* "server_busy" */
    PROTO_E_SHUTTING_DOWN,         /* "shutting_down" */
    PROTO_E_INTERNAL,              /* "internal" */
    /* meetings (issue 3) */
    PROTO_E_NOT_A_MEETING,         /* "not_a_meeting": the room is not a meeting room */
    PROTO_E_MEETING_CLOSED,        /* "meeting_closed": the meeting is not open */
    PROTO_E_ONE_SPEAKER,           /* "one_speaker": only the person with the floor may post */
    PROTO_E_QUEUE_EMPTY,           /* "queue_empty": no hand is raised */
    PROTO_E_USER_NOT_FOUND,        /* "user_not_found": no member of the room by that handle */
    /* moderation (issue 3) */
    PROTO_E_MUTED,                 /* "muted" (+retry_after_ms when the mute has an end) */
    PROTO_E_BANNED,                /* "banned": may not join this room */
    PROTO_E_ROOM_LOCKED,           /* "room_locked": no new members for now */
    PROTO_E_ROOM_FULL,             /* "room_full": the member limit is reached */
    PROTO_E_SLOW_MODE,             /* "slow_mode" (+retry_after_ms) */
    PROTO_E_NEWCOMER_WAIT,         /* "newcomer_wait": new members wait before posting (+retry_after_ms) */
    PROTO_E_SUSPENDED,             /* "suspended": the account is suspended server-wide */
    PROTO_E_MESSAGE_NOT_FOUND,     /* "message_not_found": no message with that seq here */
    /* blocks, reports (issue 3) */
    PROTO_E_REPORT_NOT_FOUND,      /* "report_not_found" */
    /* schedules (issue 3) */
    PROTO_E_UNKNOWN_TIME_ZONE,     /* "unknown_time_zone": a slot names a zone the server does not know */
    /* buddies, pings, matching (issue 4) */
    PROTO_E_ALREADY_BUDDIES,       /* "already_buddies" */
    PROTO_E_NOT_BUDDIES,           /* "not_buddies": pings and conversations are between buddies */
    PROTO_E_BUDDY_LIMIT,           /* "buddy_limit": the caller (or the other person) has the most
                                      buddies the server allows */
    PROTO_E_REQUEST_NOT_FOUND,     /* "request_not_found": no such buddy request or match proposal */
    PROTO_E_PING_NOT_FOUND,        /* "ping_not_found" */
    PROTO_E_NOT_IN_POOL,           /* "not_in_pool": not waiting in the matching pool */
    PROTO_E_CONVERSATION,          /* "conversation": that cannot be done in a private conversation */
    /* support requests (issue 4) */
    PROTO_E_SUPPORT_TAKEN,         /* "support_taken": someone else already answered it */
    PROTO_E_SUPPORT_CLOSED,        /* "support_closed": that support request has ended */
    PROTO_E_NOT_ON_DUTY,           /* "not_on_duty": the supporters' queue is for people on duty */
    /* check-ins, plan, clean time (issue 5) */
    PROTO_E_UNKNOWN_SIGN,          /* "unknown_sign": a warning sign not on the server's list */
    PROTO_E_FUTURE_DATE,           /* "future_date": a sobriety date after today (the member's day) */
    /* receipts in private conversations */
    PROTO_E_NOT_A_CONVERSATION,    /* "not_a_conversation": room.read on a room that is not a private
                                      conversation (receipts are kept only there) */
    PROTO_E__COUNT
};

const char *proto_err_code(enum proto_err e);      /* "rate_limited"; "internal" if out of range */
const char *proto_err_sentence(enum proto_err e);  /* default human sentence */
/* Parse a wire code back; unknown codes give PROTO_E_INTERNAL and false. */
bool proto_err_parse(const char *code, enum proto_err *out);

/* The objects messages carry, and their enums. */
#include "hproto_objects.h"

/* ------------------------------------------------------------- requests */

enum proto_req_type {
    PROTO_REQ_AUTH_REGISTER = 0,   /* "auth.register" */
    PROTO_REQ_AUTH_LOGIN,          /* "auth.login" */
    PROTO_REQ_AUTH_RESUME,         /* "auth.resume" */
    PROTO_REQ_AUTH_LOGOUT,         /* "auth.logout" */
    PROTO_REQ_AUTH_PASSWORD,       /* "auth.password" */
    PROTO_REQ_PRESENCE_SET,        /* "presence.set" */
    PROTO_REQ_ROOM_LIST,           /* "room.list" */
    PROTO_REQ_ROOM_CREATE,         /* "room.create" */
    PROTO_REQ_ROOM_JOIN,           /* "room.join" */
    PROTO_REQ_ROOM_LEAVE,          /* "room.leave" */
    PROTO_REQ_ROOM_SEND,           /* "room.send" */
    PROTO_REQ_ROOM_HISTORY,        /* "room.history" */
    PROTO_REQ_ROOM_MEMBERS,        /* "room.members" */
    PROTO_REQ_ROOM_INVITE,         /* "room.invite" */
    PROTO_REQ_PING,                /* "ping" */
    /* meetings (issue 3) */
    PROTO_REQ_ROOM_CONFIGURE,      /* "room.configure" */
    PROTO_REQ_ROOM_ROLE,           /* "room.role" */
    PROTO_REQ_MEETING_CHAIR,       /* "meeting.chair" */
    PROTO_REQ_MEETING_OPEN,        /* "meeting.open" */
    PROTO_REQ_MEETING_CLOSE,       /* "meeting.close" */
    PROTO_REQ_MEETING_HAND,        /* "meeting.hand" */
    PROTO_REQ_MEETING_FLOOR,       /* "meeting.floor" */
    PROTO_REQ_MEETING_DONE,        /* "meeting.done" */
    PROTO_REQ_MEETING_MODE,        /* "meeting.mode" */
    PROTO_REQ_MEETING_STATE,       /* "meeting.state" */
    /* moderation (issue 3) */
    PROTO_REQ_MOD_MUTE,            /* "mod.mute" */
    PROTO_REQ_MOD_UNMUTE,          /* "mod.unmute" */
    PROTO_REQ_MOD_REMOVE,          /* "mod.remove" */
    PROTO_REQ_MOD_BAN,             /* "mod.ban" */
    PROTO_REQ_MOD_UNBAN,           /* "mod.unban" */
    PROTO_REQ_MOD_DELETE,          /* "mod.delete" */
    PROTO_REQ_MOD_SETTINGS,        /* "mod.settings" */
    PROTO_REQ_MOD_LOG,             /* "mod.log" */
    PROTO_REQ_MOD_SUSPEND,         /* "mod.suspend" (admins) */
    PROTO_REQ_MOD_UNSUSPEND,       /* "mod.unsuspend" (admins) */
    /* blocks, reports, safety (issue 3) */
    PROTO_REQ_BLOCK_ADD,           /* "block.add" */
    PROTO_REQ_BLOCK_REMOVE,        /* "block.remove" */
    PROTO_REQ_BLOCK_LIST,          /* "block.list" */
    PROTO_REQ_REPORT_CREATE,       /* "report.create" */
    PROTO_REQ_REPORT_LIST,         /* "report.list" (moderators) */
    PROTO_REQ_REPORT_RESOLVE,      /* "report.resolve" (moderators) */
    PROTO_REQ_SAFETY_RESOURCES,    /* "safety.resources" */
    PROTO_REQ_MEETING_ATTENDANCE,  /* "meeting.attendance": one's own, per week (issue 3) */
    PROTO_REQ_MEETING_SCHEDULE,    /* "meeting.schedule": read or replace a room's weekly slots */
    PROTO_REQ_MEETING_UPCOMING,    /* "meeting.upcoming": coming meetings across the server */
    PROTO_REQ_ROOM_INVITES,        /* "room.invites": a room's live invite codes */
    PROTO_REQ_ROOM_INVITE_REVOKE,  /* "room.invite_revoke" */
    /* buddies, pings, matching (issue 4) */
    PROTO_REQ_BUDDY_REQUEST,       /* "buddy.request" */
    PROTO_REQ_BUDDY_ACCEPT,        /* "buddy.accept" */
    PROTO_REQ_BUDDY_DECLINE,       /* "buddy.decline" */
    PROTO_REQ_BUDDY_CANCEL,        /* "buddy.cancel": withdraw one's own request */
    PROTO_REQ_BUDDY_END,           /* "buddy.end" */
    PROTO_REQ_BUDDY_LIST,          /* "buddy.list" */
    PROTO_REQ_BUDDY_PING,          /* "buddy.ping" */
    PROTO_REQ_BUDDY_PING_SEEN,     /* "buddy.ping_seen" */
    PROTO_REQ_BUDDY_PINGS,         /* "buddy.pings": the last 7 days', sent and received */
    PROTO_REQ_MATCH_JOIN,          /* "match.join" */
    PROTO_REQ_MATCH_LEAVE,         /* "match.leave" */
    PROTO_REQ_MATCH_STATUS,        /* "match.status" */
    PROTO_REQ_MATCH_ACCEPT,        /* "match.accept" */
    PROTO_REQ_MATCH_DECLINE,       /* "match.decline" */
    /* support requests (issue 4) */
    PROTO_REQ_SUPPORT_ASK,         /* "support.ask" */
    PROTO_REQ_SUPPORT_CANCEL,      /* "support.cancel": the requester withdraws it */
    PROTO_REQ_SUPPORT_ACCEPT,      /* "support.accept": a buddy or supporter answers it */
    PROTO_REQ_SUPPORT_CLOSE,       /* "support.close": either side ends the conversation */
    PROTO_REQ_SUPPORT_HANDBACK,    /* "support.handback": the helper gives it back to the queue */
    PROTO_REQ_SUPPORT_AVAILABLE,   /* "support.available": on duty as a supporter, or off */
    PROTO_REQ_SUPPORT_QUEUE,       /* "support.queue": open requests (supporters on duty, moderators) */
    PROTO_REQ_SUPPORT_STATUS,      /* "support.status": one's own request and the ones one helps in */
    PROTO_REQ_SUPPORT_STATS,       /* "support.stats": waiting times per day (moderators, admins) */
    /* check-ins, the plan and card, clean time (issue 5) */
    PROTO_REQ_SETTINGS_GET,        /* "settings.get" */
    PROTO_REQ_SETTINGS_SET,        /* "settings.set" */
    PROTO_REQ_CHECKIN_SUBMIT,      /* "checkin.submit": today's (a second one that day updates it) */
    PROTO_REQ_CHECKIN_LIST,        /* "checkin.list": one's own, newest first */
    PROTO_REQ_CHECKIN_SUMMARY,     /* "checkin.summary": weeks or months, streaks */
    PROTO_REQ_CHECKIN_JOURNAL,     /* "checkin.journal": gratitude and wins, newest first */
    PROTO_REQ_CHECKIN_SIGNS,       /* "checkin.signs": the warning signs the server knows */
    PROTO_REQ_CHECKIN_FEED,        /* "checkin.feed": buddies' shared check-ins, last 7 days */
    PROTO_REQ_CARD_GET,            /* "card.get": one's crisis card (and the resources) */
    PROTO_REQ_CARD_SET,            /* "card.set" */
    PROTO_REQ_PLAN_GET,            /* "plan.get": one's trigger action plan and reasons */
    PROTO_REQ_PLAN_SET,            /* "plan.set" */
    PROTO_REQ_SOBRIETY_SET,        /* "sobriety.set": a (new) sobriety date, or none */
    PROTO_REQ_SOBRIETY_GET,        /* "sobriety.get": one's own clean time, or a buddy's shared one */
    /* your data (issue 5) */
    PROTO_REQ_ACCOUNT_EXPORT,      /* "account.export": everything Hearth holds about the caller */
    PROTO_REQ_ACCOUNT_DELETE,      /* "account.delete": really gone, after the password */
    /* receipts in private conversations */
    PROTO_REQ_ROOM_READ,           /* "room.read": the caller has seen their conversation up to seq */
    PROTO_REQ_MOD_SANCTIONS,       /* "mod.sanctions": a room's mutes and bans in force */
    PROTO_REQ__COUNT
};
const char *proto_req_name(enum proto_req_type t);
bool proto_req_parse(const char *name, enum proto_req_type *out);
/* Requests that may be sent before authenticating. */
bool proto_req_allowed_unauthenticated(enum proto_req_type t);

struct proto_request {
    enum proto_req_type type;
    const char *id;                         /* 1..PROTO_ID_MAX bytes */
    union {
        struct { const char *handle, *password, *invite; } reg;   /* invite may be NULL; handle folded */
        struct { const char *handle, *password; } login;          /* handle folded */
        struct { const char *token; } resume;
        struct { const char *old_password, *new_password; } password;
        struct { enum proto_status status; } presence;            /* never OFFLINE */
        struct { const char *room, *title, *topic; enum proto_visibility visibility; } create; /* topic "" if absent */
        struct { const char *room, *invite; } join;               /* invite may be NULL */
        struct { const char *room; } room;                        /* leave, members, invites */
        /* room.invite: hours 1..720 (default 168), uses 1..1000 (0 = unlimited, the default);
         * room.invite_revoke: room and code (code unused by room.invite) */
        struct { const char *room; uint32_t hours, uses; const char *code; } invite;
        struct { const char *room, *text, *cid; } send;
        /* room.configure: each part optional (has_*). format: 0..4000 code points. */
        struct { const char *room; bool has_meeting, meeting; const char *format;
                 bool has_share; uint32_t share_seconds;
                 bool has_retention; uint32_t retention_days;      /* 0..3650 */
                 bool has_ephemeral, ephemeral; } configure;
        /* room.role: role is member or moderator (never host). */
        struct { const char *room, *handle; enum proto_room_role role; } role;
        /* meeting.chair (handle required but may be null: NULL = no chair, the host chairs),
         * meeting.floor (handle optional: NULL = next in line) */
        struct { const char *room, *handle; } who;
        /* meeting.hand */
        struct { const char *room; bool raised; } hand;
        /* meeting.mode: each part optional */
        struct { const char *room; bool has_mode; enum proto_meeting_mode mode;
                 bool has_auto, auto_floor; } mode;
        /* meeting.open, .close, .done, .state use u.room */
        /* mod.mute/unmute/remove/ban/unban/delete/suspend/unsuspend: room NULL for the
         * server-wide suspend/unsuspend; handle NULL for delete; minutes 0 = no end
         * (mute, ban: 1..525600); days 0 = no end (suspend: 1..3650); seq: delete's
         * message; reason: 0..500 code points, NULL when absent */
        struct { const char *room, *handle, *reason; uint32_t minutes, days; uint64_t seq; } mod;
        /* mod.settings: each part optional (has_*), at least one */
        struct { const char *room; bool has_slow, has_locked, has_limit, has_newcomer;
                 struct proto_mod_settings set; } modset;
        /* mod.log: before 0 = newest; limit 1..100, default 50; room NULL = the
         * server-wide log (admins only) */
        struct { const char *room; int64_t before; uint32_t limit; } modlog;
        /* block.add, block.remove: handle */
        struct { const char *handle; } block;
        /* report.create: a message (room + seq) or a person (handle, room optional);
         * reason 1..500 code points */
        struct { const char *room, *handle, *reason; uint64_t seq; } report;
        /* report.list: room NULL = every room the caller moderates; status "open" (default)
         * or "all" */
        struct { const char *room; bool all; } reports;
        /* report.resolve: outcome "actioned" or "dismissed"; note 0..500 code points (for
         * the audit of it; never sent to the reporter) */
        struct { int64_t id; const char *outcome, *note; } resolve;
        /* meeting.attendance: weeks start on Monday in the asker's time, given as the offset
         * from UTC in minutes (-720..840, default 0); weeks: how many to return (1..52,
         * default 12) */
        struct { int32_t utc_offset_minutes; uint32_t weeks; } attendance;
        /* meeting.schedule: has_slots false = read; true = replace with slots[0..n)
         * (n 0..PROTO_SLOTS_MAX; 0 clears). The decoder allocates slots. */
        struct { const char *room; bool has_slots; struct proto_slot *slots; size_t n; } schedule;
        /* meeting.upcoming: room NULL = every meeting room the caller may see; days
         * 1..14 (default 7): how far ahead; limit 1..200 (default 50) */
        struct { const char *room; uint32_t days, limit; } upcoming;
        /* buddy.request/accept/decline/cancel/end: handle (folded) */
        struct { const char *handle; } buddy;
        /* buddy.ping: text only (and required) for kind text, 1..PROTO_PING_TEXT_MAX code
         * points; cid optional (1..PROTO_CID_MAX): a retry with the same cid is not sent twice */
        struct { const char *handle; enum proto_ping_kind kind; const char *text, *cid; } ping;
        /* buddy.ping_seen: id; match.accept, match.decline: id */
        struct { int64_t id; } by_id;
        /* match.join */
        struct proto_match_prefs match;
        /* support.ask: note 0..PROTO_NOTE_MAX code points (NULL = none); cid optional: a retry
         * with the same cid answers the same request */
        struct { enum proto_urgency urgency; const char *note, *cid; } ask;
        /* support.cancel/accept/handback: request; support.close: request and thanks (0..500
         * code points, the requester's only; NULL = none) */
        struct { int64_t request; const char *thanks; } support;
        /* support.available */
        struct { bool on; } available;
        /* support.stats: days 1..90 (default 14), the newest first */
        struct { uint32_t days; } stats;
        /* settings.set: each part optional (has_*), at least one; checkin_room/milestone_room
         * "" = none */
        struct { bool has_tz, has_checkin_share, has_checkin_room, has_threshold, has_alert,
                 has_nudges, has_isolation_days, has_goal, has_sobriety_share,
                 has_milestone_room, has_read_receipts;
                 struct proto_settings set; } settings;
        /* checkin.submit: craving -1 = not said; signs decoded into an allocated array */
        struct proto_checkin checkin;
        /* checkin.list: from/to days (NULL = open), limit 1..366 default 30;
         * checkin.journal: before (NULL = newest), limit 1..100 default 30 */
        struct { const char *from, *to, *before; uint32_t limit; } range;
        /* checkin.summary: period "week" (false) or "month" (true); count 1..52 (default 8) */
        struct { bool months; uint32_t count; } summary;
        /* card.set */
        struct { struct proto_contact *contacts; size_t n; } card;
        /* plan.set */
        struct { struct proto_plan_line *lines; size_t n; const char **reasons; size_t n_reasons; } plan;
        /* sobriety.set: date NULL = stop counting (the current period goes to history) */
        struct { const char *date; } sobriety;
        /* sobriety.get: handle NULL = one's own; else a buddy's (or anyone's shared with
         * everyone) */
        struct { const char *handle; } of;
        /* account.export: export NULL = make a new export (part 0); else continue that one
         * at part (0-based) */
        struct { const char *export_id; uint32_t part; } export;
        /* account.delete: the password again, and confirm must be exactly
         * PROTO_DELETE_CONFIRM */
        struct { const char *password, *confirm; } del;
        struct { const char *room; uint64_t before, after; uint32_t limit; bool has_after; } history; /* before 0 = unset; after counts only with has_after (0 = from the start) */
        /* room.read: a conversation and the seq (1 or more) its reader has seen up to */
        struct { const char *room; uint64_t seq; } read;
    } u;
    json_t *_root;
    void *_alloc;                           /* arrays the decoder allocated (schedule slots) */
    char _folded[2][PROTO_HANDLE_MAX + 1];  /* storage for folded names */
};

/* Why a decode failed: the code, a sentence naming the field, and the
 * request id when one could be read (so the error reply can carry it). */
struct proto_decode_error {
    enum proto_err code;
    char message[160];
    char id[PROTO_ID_MAX + 1];   /* "" when unknown */
};

/* Decode one client frame (a single JSON object). Unknown fields are
 * ignored. On failure returns the error code and fills err; *out is then
 * empty and needs no free. Text limits are checked here (text_too_long).
 * Notes (added with the implementation): history.limit is
 * PROTO_HISTORY_DEFAULT when absent (never 0 after a successful decode);
 * an optional field that is JSON null counts as absent; login.handle is the
 * folded handle, or the raw string when it is not a valid name (so the
 * server answers it like a wrong password); folded names point into _root
 * (a copy also sits in _folded[0]), so a struct copy stays valid while the
 * original's _root is alive. */
enum proto_err proto_request_decode(const char *buf, size_t len, struct proto_request *out,
                                    struct proto_decode_error *err);
void proto_request_free(struct proto_request *r);
/* Encode a request (client side); fields as in the decoded form. */
char *proto_request_encode(const struct proto_request *r);

/* --------------------------------------------------------------- results */

/* The data of a successful reply; which member is set depends on the type
 * of the request it answers. Requests with no data use none. */
struct proto_result {
    enum proto_req_type type;
    union {
        struct { struct proto_user user; const char *token; } auth;  /* register, login, resume (token NULL for resume), password (token only, user unset) */
        struct { enum proto_status status; } presence;
        struct { struct proto_room *rooms; size_t n; } list;
        struct { struct proto_room room; } create;
        struct { struct proto_room room; struct proto_member *members; size_t n; } join;
        struct { uint64_t seq; int64_t ts; bool duplicate; } send;
        struct { uint64_t seen; } read;   /* room.read: the caller's seen mark now */
        struct { struct proto_room_event *events; size_t n; bool has_more; bool truncated; } history;
        struct { struct proto_member *members; size_t n; } members;
        struct { const char *code; int64_t expires_at; } invite;
        struct { struct proto_invite *invites; size_t n; } invites;    /* room.invites, newest first */
        struct { int64_t ts; } ping;
        struct { struct proto_room room; } configure;   /* room.configure */
        struct proto_meeting meeting;                    /* meeting.* but attendance, schedule, upcoming */
        struct { struct proto_mod_settings settings; } modset;          /* mod.settings */
        struct { struct proto_audit_entry *entries; size_t n; bool has_more; } modlog; /* mod.log */
        /* mod.sanctions: by handle, then ban before mute */
        struct { struct proto_sanction *sanctions; size_t n; } sanctions;
        struct { const char **handles; size_t n; } blocks;                   /* block.list */
        struct { int64_t id; } report;                                       /* report.create */
        struct { struct proto_report *reports; size_t n; } reports;          /* report.list */
        struct { struct proto_attendance_week *weeks; size_t n; } attendance;  /* newest first */
        struct { const char *room; struct proto_slot *slots; size_t n; } schedule; /* meeting.schedule */
        struct { struct proto_upcoming *meetings; size_t n; } upcoming;  /* soonest first */
        /* buddy.accept: the new pairing */
        struct { struct proto_buddy buddy; } paired;
        /* buddy.list: buddies by handle; requests oldest first */
        struct { struct proto_buddy *buddies; size_t n; struct proto_buddy_request *incoming;
                 size_t n_incoming; struct proto_buddy_request *outgoing; size_t n_outgoing;
                 uint32_t limit; } buddies;
        /* buddy.ping: the stored ping (delivered_at set when it reached a device at once;
         * duplicate when a retry with the same cid) */
        struct { struct proto_ping ping; bool duplicate; } sent_ping;
        struct { struct proto_ping *pings; size_t n; } pings;      /* buddy.pings, newest first */
        /* match.status: in_pool; prefs when in the pool; proposal when one is waiting */
        struct { bool in_pool; struct proto_match_prefs prefs; bool has_proposal;
                 struct proto_match_proposal proposal; } match;
        /* support.ask (the request as the requester sees it; resources: the crisis resources
         * when the urgency is crisis, else n_resources 0), support.accept (as the helper sees
         * it: conversation set) */
        struct { struct proto_support request; const char **resources; size_t n_resources; }
            asked;
        struct { bool on; } available;                                   /* support.available */
        /* support.queue (oldest first) and support.status: `mine` is the caller's own open
         * or accepted request (has_mine), `requests` the queue / the ones the caller helps in;
         * support.status only: `available` (the caller's support.available setting; false
         * when an older server left it out) and `offers`, the open requests standing offered
         * to the caller, oldest first (none when left out) */
        struct { bool has_mine; struct proto_support mine; struct proto_support *requests;
                 size_t n; bool available; struct proto_support_offer *offers;
                 size_t n_offers; } support;
        struct { struct proto_support_day *days; size_t n; } stats;     /* support.stats */
        struct proto_settings settings;                  /* settings.get, settings.set */
        /* checkin.submit: the stored check-in; updated (it replaced today's earlier one);
         * streak (days in a row, today included); warning: at least the threshold of signs,
         * and then the member's plan and card come with it (has_plan) */
        struct { struct proto_checkin checkin; bool updated; uint32_t streak; bool warning;
                 bool has_plan; struct proto_plan_line *lines; size_t n_lines;
                 const char **reasons; size_t n_reasons;
                 struct proto_contact *contacts; size_t n_contacts;
                 const char **resources; size_t n_resources; } submitted;
        struct { struct proto_checkin *checkins; size_t n; } checkins;  /* list, feed */
        /* checkin.summary: newest period first; streaks; the week's meeting goal progress */
        struct { struct proto_checkin_period *periods; size_t n; uint32_t streak, longest;
                 uint32_t goal, meetings_this_week; } summary;
        struct { struct proto_journal_entry *entries; size_t n; } journal;
        struct { struct proto_sign *signs; size_t n; } signs;           /* checkin.signs */
        /* card.get/set: contacts and the deployment's resources */
        struct { struct proto_contact *contacts; size_t n; const char **resources;
                 size_t n_resources; } card;
        struct { struct proto_plan_line *lines; size_t n; const char **reasons;
                 size_t n_reasons; } plan;                            /* plan.get/set */
        /* sobriety.get/set: date NULL = not counting; days clean (today counts as the day it
         * reaches: the date itself is day 0); next milestone; reached ones oldest first;
         * history newest first (own only) */
        struct { const char *handle, *date; uint32_t days; bool has_next;
                 struct proto_milestone next; struct proto_milestone *reached; size_t n_reached;
                 struct proto_sobriety_period *history; size_t n_history; } sobriety;
        /* account.export: one part of the export document (UTF-8 JSON text, cut into parts of
         * at most PROTO_EXPORT_PART_MAX bytes, never inside a character); concatenated in
         * order the parts are one JSON object */
        struct { const char *export_id; uint32_t part, parts; const char *data; } export;
        /* safety.resources: the deployment's crisis resources and its notice */
        struct { const char **resources; size_t n; const char *notice; } safety;
    } u;
    json_t *_root;
    void *_alloc;  /* arrays the decoder allocated */
};

/* Whole reply frames: {"type":"result","id":...,"data":{...}}. */
char *proto_result_encode(const char *id, const struct proto_result *res);
/* Decode `data` of a result for a request of type `type`. */
enum proto_err proto_result_decode(enum proto_req_type type, json_t *data, struct proto_result *out);
void proto_result_free(struct proto_result *r);

/* {"type":"error","id":...|null,"code":...,"message":...[,"retry_after_ms":N]}
 * message NULL uses proto_err_sentence(); retry_after_ms < 0 omits it. */
char *proto_error_encode(const char *id, enum proto_err code, const char *message,
                         int64_t retry_after_ms);

/* ---------------------------------------------------------------- events */

struct proto_limits {
    uint32_t max_frame_bytes;
    uint32_t max_text_chars;
    uint32_t history_page_max;
    uint32_t rate_per_sec;       /* sustained requests per second per connection */
    uint32_t rate_burst;
    uint32_t auth_timeout_ms;
};

enum proto_event_type {
    PROTO_EVT_HELLO = 0,         /* "hello" */
    PROTO_EVT_ROOM,              /* "room.message" / "room.joined" / "room.left" */
    PROTO_EVT_PRESENCE,          /* "presence" */
    PROTO_EVT_SESSION_REVOKED,   /* "session.revoked" */
    PROTO_EVT_MEETING_STATE,     /* "meeting.state": the meeting changed */
    PROTO_EVT_MEETING_OPENED,    /* "meeting.opened": the chair opened it; carries the format text */
    PROTO_EVT_MEETING_WARNING,   /* "meeting.warning": the share ends soon (speaker and chair) */
    PROTO_EVT_ROOM_ROLE,         /* "room.role": someone's role in a room changed */
    PROTO_EVT_MODERATED,         /* "moderated": a moderator acted on you */
    PROTO_EVT_ROOM_SETTINGS,     /* "room.settings": a room's moderation settings changed */
    PROTO_EVT_REPORT_NEW,        /* "report.new": to the room's moderators online */
    PROTO_EVT_REPORT_HANDLED,    /* "report.handled": to the reporter */
    PROTO_EVT_SAFETY_NOTICE,     /* "safety.notice": once, on a member's first room */
    PROTO_EVT_SAFETY_CHECK_IN,   /* "safety.check_in": to someone whose message sounded like crisis */
    PROTO_EVT_SAFETY_ALERT,      /* "safety.alert": to the room's moderators online */
    PROTO_EVT_BUDDY_REQUEST,     /* "buddy.request": someone asks the reader to be their buddy */
    PROTO_EVT_BUDDY_UPDATE,      /* "buddy.update": paired, or ended (a pairing or a request) */
    PROTO_EVT_BUDDY_PING,        /* "buddy.ping": a ping for the reader */
    PROTO_EVT_PING_STATUS,       /* "buddy.ping_status": the reader's ping was delivered / seen */
    PROTO_EVT_MATCH_PROPOSAL,    /* "match.proposal": the server proposes a buddy */
    PROTO_EVT_MATCH_UPDATE,      /* "match.update": what became of a proposal */
    PROTO_EVT_SUPPORT_OFFER,     /* "support.offer": someone asks for support; the reader may answer */
    PROTO_EVT_SUPPORT_GONE,      /* "support.gone": an offered request was answered or withdrawn */
    PROTO_EVT_SUPPORT_UPDATE,    /* "support.update": the reader's own request (or one they help
                                    in) changed */
    PROTO_EVT_CHECKIN_SHARED,    /* "checkin.shared": a buddy's check-in shared with the reader */
    PROTO_EVT_CHECKIN_ALERT,     /* "checkin.alert": a buddy's check-in reached their warning
                                    threshold (they agreed to this) */
    PROTO_EVT_MILESTONE,         /* "milestone": the reader (or a buddy who shares) reached one */
    PROTO_EVT_CHECKIN_NUDGE,     /* "checkin.nudge": a buddy who asked for it has gone quiet */
    PROTO_EVT_CHECKIN_REMINDER,  /* "checkin.reminder": to a member back after going quiet */
    PROTO_EVT_ROOM_RECEIPT,      /* "room.receipt": the other member of a conversation received
                                    or saw more of it */
    PROTO_EVT__COUNT
};

struct proto_event {
    enum proto_event_type type;
    union {
        struct { uint32_t protocol; const char *server; struct proto_limits limits; } hello;
        struct proto_room_event room;
        struct { const char *handle; enum proto_status status; } presence;
        struct { const char *reason; } revoked;   /* "logout", "password_changed" */
        struct proto_meeting meeting;                                  /* meeting.state */
        struct { const char *room, *chair, *format; } opened;          /* meeting.opened */
        struct { const char *room, *handle; uint32_t seconds_left; } warning;
        struct { const char *room, *handle; enum proto_room_role role; } role;  /* room.role */
        /* moderated: room NULL for a server-wide suspension; action as in the audit log;
         * until 0 = no end; reason "" when none */
        struct { const char *room, *action, *reason; int64_t until; } moderated;
        struct { const char *room; struct proto_mod_settings settings; } settings; /* room.settings */
        struct proto_report report_new;                                 /* report.new */
        struct { int64_t id; const char *outcome; } handled;            /* report.handled */
        /* safety.notice and safety.check_in: a kind sentence and the resources; check_in
         * also names the room and message that prompted it */
        struct { const char *text; const char **resources; size_t n; const char *room;
                 uint64_t seq; } safety;
        struct { const char *room, *handle; uint64_t seq; } alert;      /* safety.alert */
        struct proto_buddy_request buddy_request;                       /* buddy.request */
        /* buddy.update: state "paired" (buddy filled: conversation, status, since) or
         * "ended" (a pairing ended, or a request was declined, withdrawn or lapsed: no
         * reason is ever given); handle always set */
        struct { const char *state; struct proto_buddy buddy; } buddy_update;
        struct proto_ping ping;                                         /* buddy.ping */
        struct { int64_t id; const char *to, *state; int64_t at; } ping_status; /* "delivered", "seen" */
        struct proto_match_proposal proposal;                           /* match.proposal */
        /* match.update: state "waiting" (you accepted; they have not yet), "paired" (both
         * accepted: a buddy.update follows), "declined" (one said no: back in the pool),
         * "lapsed" (unanswered in time: whoever did not answer leaves the pool) */
        struct { int64_t id; const char *state; } match_update;
        /* support.offer: the request (note included) and why the reader is offered it:
         * "buddy", "supporter" or "moderator" (a crisis, to moderators on duty) */
        struct proto_support_offer offer;
        /* support.gone: reason "taken" (by someone else) or "withdrawn" */
        struct { int64_t id; const char *reason; } gone;
        /* support.update: the request now; resources when state is nobody_yet (or a crisis
         * asked); thanks: the requester's words to the helper, when closed with some; by:
         * who closed it ("requester" or "helper") or "handed_back" / "helper_lost" when it
         * went back to the queue, else NULL */
        struct { struct proto_support request; const char **resources; size_t n_resources;
                 const char *thanks, *by; } support_update;
        struct proto_checkin shared;                                    /* checkin.shared */
        struct { const char *handle, *day; uint32_t signs; } checkin_alert;  /* how many signs */
        /* milestone: whose, which, and their clean days */
        struct { const char *handle; struct proto_milestone milestone; uint32_t days; } milestone;
        /* checkin.nudge: who has been quiet (no check-in, not connected) for `days` days */
        struct { const char *handle; uint32_t days; } nudge;
        struct { uint32_t days; } reminder;                              /* checkin.reminder */
        /* room.receipt: whose marks (the reader's peer) in which conversation: delivered
         * (reached one of their connections) and seen (0 while either keeps read receipts
         * off); seen <= delivered */
        struct { const char *room, *handle; uint64_t delivered, seen; } receipt;
    } u;
};
char *proto_event_encode(const struct proto_event *ev);

/* ------------------------------------------------ server messages (client) */

/* One message the server sent: a result, an error or an event. */
enum proto_msg_kind { PROTO_MSG_RESULT, PROTO_MSG_ERROR, PROTO_MSG_EVENT };

struct proto_server_msg {
    enum proto_msg_kind kind;
    const char *id;                 /* result/error; NULL for an error with "id":null */
    json_t *data;                   /* result: the raw data, for proto_result_decode */
    struct { enum proto_err code; const char *code_str; const char *message; int64_t retry_after_ms; } error; /* retry -1 if absent */
    struct proto_event event;
    json_t *_root;                  /* borrowed from the frame, see below */
};

/* A server frame is one JSON object or a JSON array of them (batching).
 * Calls cb once per message, in order; returns PROTO_OK or the first
 * decode error (messages before it were delivered). The messages borrow
 * from the frame and are valid only during the callback. */
typedef void (*proto_msg_cb)(const struct proto_server_msg *m, void *ud);
enum proto_err proto_frame_decode(const char *buf, size_t len, proto_msg_cb cb, void *ud);

#endif
