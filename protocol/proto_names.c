/*
 * proto_names: the wire spelling of every enum, the default error
 * sentences, name folding and UTF-8 counting. Tables only; no JSON.
 */
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

/* Looks `name` up in a table of n wire names. */
static bool table_parse(const char *const *table, int n, const char *name, int *out)
{
    if (!name)
        return false;
    for (int i = 0; i < n; i++) {
        if (table[i] && strcmp(table[i], name) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ errors */

static const char *const err_codes[PROTO_E__COUNT] = {
    [PROTO_OK] = "ok",
    [PROTO_E_BAD_JSON] = "bad_json",
    [PROTO_E_UNKNOWN_TYPE] = "unknown_type",
    [PROTO_E_INVALID_FIELD] = "invalid_field",
    [PROTO_E_NOT_AUTHENTICATED] = "not_authenticated",
    [PROTO_E_ALREADY_AUTHENTICATED] = "already_authenticated",
    [PROTO_E_INVALID_CREDENTIALS] = "invalid_credentials",
    [PROTO_E_HANDLE_TAKEN] = "handle_taken",
    [PROTO_E_PASSWORD_POLICY] = "password_policy",
    [PROTO_E_INVITE_REQUIRED] = "invite_required",
    [PROTO_E_INVITE_INVALID] = "invite_invalid",
    [PROTO_E_TOKEN_INVALID] = "token_invalid",
    [PROTO_E_LOGIN_THROTTLED] = "login_throttled",
    [PROTO_E_RATE_LIMITED] = "rate_limited",
    [PROTO_E_ROOM_NOT_FOUND] = "room_not_found",
    [PROTO_E_ROOM_EXISTS] = "room_exists",
    [PROTO_E_NOT_MEMBER] = "not_member",
    [PROTO_E_FORBIDDEN] = "forbidden",
    [PROTO_E_TEXT_TOO_LONG] = "text_too_long",
    [PROTO_E_SERVER_BUSY] = "server_busy",
    [PROTO_E_SHUTTING_DOWN] = "shutting_down",
    [PROTO_E_INTERNAL] = "internal",
    [PROTO_E_NOT_A_MEETING] = "not_a_meeting",
    [PROTO_E_MEETING_CLOSED] = "meeting_closed",
    [PROTO_E_ONE_SPEAKER] = "one_speaker",
    [PROTO_E_QUEUE_EMPTY] = "queue_empty",
    [PROTO_E_USER_NOT_FOUND] = "user_not_found",
    [PROTO_E_MUTED] = "muted",
    [PROTO_E_BANNED] = "banned",
    [PROTO_E_ROOM_LOCKED] = "room_locked",
    [PROTO_E_ROOM_FULL] = "room_full",
    [PROTO_E_SLOW_MODE] = "slow_mode",
    [PROTO_E_NEWCOMER_WAIT] = "newcomer_wait",
    [PROTO_E_SUSPENDED] = "suspended",
    [PROTO_E_MESSAGE_NOT_FOUND] = "message_not_found",
    [PROTO_E_REPORT_NOT_FOUND] = "report_not_found",
    [PROTO_E_UNKNOWN_TIME_ZONE] = "unknown_time_zone",
    [PROTO_E_ALREADY_BUDDIES] = "already_buddies",
    [PROTO_E_NOT_BUDDIES] = "not_buddies",
    [PROTO_E_BUDDY_LIMIT] = "buddy_limit",
    [PROTO_E_REQUEST_NOT_FOUND] = "request_not_found",
    [PROTO_E_PING_NOT_FOUND] = "ping_not_found",
    [PROTO_E_NOT_IN_POOL] = "not_in_pool",
    [PROTO_E_CONVERSATION] = "conversation",
    [PROTO_E_SUPPORT_TAKEN] = "support_taken",
    [PROTO_E_SUPPORT_CLOSED] = "support_closed",
    [PROTO_E_NOT_ON_DUTY] = "not_on_duty",
    [PROTO_E_UNKNOWN_SIGN] = "unknown_sign",
    [PROTO_E_FUTURE_DATE] = "future_date",
    [PROTO_E_NOT_A_CONVERSATION] = "not_a_conversation",
};

static const char *const err_sentences[PROTO_E__COUNT] = {
    [PROTO_OK] = "Success.",
    [PROTO_E_BAD_JSON] = "The message is not a JSON object.",
    [PROTO_E_UNKNOWN_TYPE] = "The server does not know this request type.",
    [PROTO_E_INVALID_FIELD] = "A field of the request is missing or malformed.",
    [PROTO_E_NOT_AUTHENTICATED] = "Please log in first.",
    [PROTO_E_ALREADY_AUTHENTICATED] = "You are already logged in on this connection.",
    [PROTO_E_INVALID_CREDENTIALS] = "That handle and password do not match an account.",
    [PROTO_E_HANDLE_TAKEN] = "That handle is already taken; please choose another.",
    [PROTO_E_PASSWORD_POLICY] = "The password must be between 12 and 256 bytes long.",
    [PROTO_E_INVITE_REQUIRED] = "An invite code is needed for this.",
    [PROTO_E_INVITE_INVALID] = "That invite code is not valid or has expired.",
    [PROTO_E_TOKEN_INVALID] = "Your session has expired or was ended; please log in again.",
    [PROTO_E_LOGIN_THROTTLED] = "Too many failed logins; please wait before trying again.",
    [PROTO_E_RATE_LIMITED] = "You are sending too fast; please slow down.",
    [PROTO_E_ROOM_NOT_FOUND] = "There is no room with that name.",
    [PROTO_E_ROOM_EXISTS] = "A room with that name already exists.",
    [PROTO_E_NOT_MEMBER] = "You are not a member of that room.",
    [PROTO_E_FORBIDDEN] = "You are not allowed to do that.",
    [PROTO_E_TEXT_TOO_LONG] = "The message is longer than 4000 characters.",
    [PROTO_E_SERVER_BUSY] = "The server is busy; please try again shortly.",
    [PROTO_E_SHUTTING_DOWN] = "The server is restarting; please reconnect in a moment.",
    [PROTO_E_INTERNAL] = "Something went wrong on the server.",
    [PROTO_E_NOT_A_MEETING] = "This room is not a meeting room.",
    [PROTO_E_MEETING_CLOSED] = "The meeting is not open right now.",
    [PROTO_E_ONE_SPEAKER] =
        "Only the person who has the floor can post right now; raise your hand to share.",
    [PROTO_E_QUEUE_EMPTY] = "Nobody has a hand raised.",
    [PROTO_E_USER_NOT_FOUND] = "There is no member of this room with that handle.",
    [PROTO_E_MUTED] = "A moderator has muted you in this room.",
    [PROTO_E_BANNED] = "You are banned from this room.",
    [PROTO_E_ROOM_LOCKED] = "This room is locked: it takes no new members right now.",
    [PROTO_E_ROOM_FULL] = "This room is full.",
    [PROTO_E_SLOW_MODE] = "This room is in slow mode; please wait before posting again.",
    [PROTO_E_NEWCOMER_WAIT] = "New members wait a little before their first post here.",
    [PROTO_E_SUSPENDED] = "This account is suspended.",
    [PROTO_E_MESSAGE_NOT_FOUND] = "There is no message with that number in this room.",
    [PROTO_E_REPORT_NOT_FOUND] = "There is no such report.",
    [PROTO_E_UNKNOWN_TIME_ZONE] = "That time zone is not one the server knows; use a name such "
                                  "as 'Europe/London' or 'America/New_York'.",
    [PROTO_E_ALREADY_BUDDIES] = "You are already buddies.",
    [PROTO_E_NOT_BUDDIES] = "You can only do that with a buddy.",
    [PROTO_E_BUDDY_LIMIT] =
        "That would be more buddies than this server allows; end a pairing first.",
    [PROTO_E_REQUEST_NOT_FOUND] = "There is no such request waiting for you.",
    [PROTO_E_PING_NOT_FOUND] = "There is no such ping for you.",
    [PROTO_E_NOT_IN_POOL] = "You are not in the matching pool.",
    [PROTO_E_CONVERSATION] = "That can't be done in a private conversation.",
    [PROTO_E_SUPPORT_TAKEN] = "Someone else is already with them.",
    [PROTO_E_SUPPORT_CLOSED] = "That support request has ended.",
    [PROTO_E_NOT_ON_DUTY] = "Switch on 'available to support' to see who is waiting.",
    [PROTO_E_UNKNOWN_SIGN] =
        "That warning sign is not on this server's list; checkin.signs lists them.",
    [PROTO_E_FUTURE_DATE] = "That date is after today.",
    [PROTO_E_NOT_A_CONVERSATION] =
        "Read receipts are only kept in private conversations.",
};

const char *proto_err_code(enum proto_err e)
{
    if ((int)e < 0 || e >= PROTO_E__COUNT)
        return err_codes[PROTO_E_INTERNAL];
    return err_codes[e];
}

const char *proto_err_sentence(enum proto_err e)
{
    if ((int)e < 0 || e >= PROTO_E__COUNT)
        return err_sentences[PROTO_E_INTERNAL];
    return err_sentences[e];
}

bool proto_err_parse(const char *code, enum proto_err *out)
{
    int i;
    /* "ok" is not an error code on the wire. */
    if (table_parse(err_codes, PROTO_E__COUNT, code, &i) && i != PROTO_OK) {
        *out = (enum proto_err)i;
        return true;
    }
    *out = PROTO_E_INTERNAL;
    return false;
}

/* ------------------------------------------------------------- enum names */

static const char *const status_names[PROTO_STATUS__COUNT] = {
    [PROTO_STATUS_OFFLINE] = "offline",
    [PROTO_STATUS_AVAILABLE] = "available",
    [PROTO_STATUS_AWAY] = "away",
    [PROTO_STATUS_BUSY] = "busy",
    [PROTO_STATUS_INVISIBLE] = "invisible",
};

const char *proto_status_name(enum proto_status s)
{
    return ((int)s >= 0 && s < PROTO_STATUS__COUNT) ? status_names[s] : NULL;
}

bool proto_status_parse(const char *name, enum proto_status *out)
{
    int i;
    if (!table_parse(status_names, PROTO_STATUS__COUNT, name, &i))
        return false;
    *out = (enum proto_status)i;
    return true;
}

static const char *const role_names[PROTO_ROLE__COUNT] = {
    [PROTO_ROLE_MEMBER] = "member",
    [PROTO_ROLE_MODERATOR] = "moderator",
    [PROTO_ROLE_ADMIN] = "admin",
};

const char *proto_role_name(enum proto_role r)
{
    return ((int)r >= 0 && r < PROTO_ROLE__COUNT) ? role_names[r] : NULL;
}

bool proto_role_parse(const char *name, enum proto_role *out)
{
    int i;
    if (!table_parse(role_names, PROTO_ROLE__COUNT, name, &i))
        return false;
    *out = (enum proto_role)i;
    return true;
}

static const char *const vis_names[PROTO_VIS__COUNT] = {
    [PROTO_VIS_OPEN] = "open",
    [PROTO_VIS_INVITE] = "invite",
};

const char *proto_visibility_name(enum proto_visibility v)
{
    return ((int)v >= 0 && v < PROTO_VIS__COUNT) ? vis_names[v] : NULL;
}

bool proto_visibility_parse(const char *name, enum proto_visibility *out)
{
    int i;
    if (!table_parse(vis_names, PROTO_VIS__COUNT, name, &i))
        return false;
    *out = (enum proto_visibility)i;
    return true;
}

static const char *const room_role_names[PROTO_RROLE__COUNT] = {
    [PROTO_RROLE_MEMBER] = "member",
    [PROTO_RROLE_MODERATOR] = "moderator",
    [PROTO_RROLE_HOST] = "host",
};

const char *proto_room_role_name(enum proto_room_role r)
{
    return ((int)r >= 0 && r < PROTO_RROLE__COUNT) ? room_role_names[r] : NULL;
}

bool proto_room_role_parse(const char *name, enum proto_room_role *out)
{
    int i;
    if (!table_parse(room_role_names, PROTO_RROLE__COUNT, name, &i))
        return false;
    *out = (enum proto_room_role)i;
    return true;
}

static const char *const mode_names[PROTO_MODE__COUNT] = {
    [PROTO_MODE_ONE_SPEAKER] = "one_speaker",
    [PROTO_MODE_OPEN] = "open",
};

const char *proto_meeting_mode_name(enum proto_meeting_mode m)
{
    return ((int)m >= 0 && m < PROTO_MODE__COUNT) ? mode_names[m] : NULL;
}

bool proto_meeting_mode_parse(const char *name, enum proto_meeting_mode *out)
{
    int i;
    if (!table_parse(mode_names, PROTO_MODE__COUNT, name, &i))
        return false;
    *out = (enum proto_meeting_mode)i;
    return true;
}

/* Room kinds (PROTOCOL.md section 20.1): an ordinary room, or a private
 * conversation. */
static const char *const room_kind_names[PROTO_KIND__COUNT] = {
    [PROTO_KIND_ROOM] = "room",
    [PROTO_KIND_BUDDY] = "buddy",
    [PROTO_KIND_SUPPORT] = "support",
};

const char *proto_room_kind_name(enum proto_room_kind k)
{
    return ((int)k >= 0 && k < PROTO_KIND__COUNT) ? room_kind_names[k] : NULL;
}

bool proto_room_kind_parse(const char *name, enum proto_room_kind *out)
{
    int i;
    if (!table_parse(room_kind_names, PROTO_KIND__COUNT, name, &i))
        return false;
    *out = (enum proto_room_kind)i;
    return true;
}

/* Pings (section 20.4). */
static const char *const ping_kind_names[PROTO_PING__COUNT] = {
    [PROTO_PING_THINKING] = "thinking_of_you",
    [PROTO_PING_CALL_ME] = "call_me",
    [PROTO_PING_STRUGGLING] = "struggling",
    [PROTO_PING_TEXT] = "text",
};

const char *proto_ping_kind_name(enum proto_ping_kind k)
{
    return ((int)k >= 0 && k < PROTO_PING__COUNT) ? ping_kind_names[k] : NULL;
}

bool proto_ping_kind_parse(const char *name, enum proto_ping_kind *out)
{
    int i;
    if (!table_parse(ping_kind_names, PROTO_PING__COUNT, name, &i))
        return false;
    *out = (enum proto_ping_kind)i;
    return true;
}

/* Recovery approaches of the matching pool (section 21.1). */
static const char *const approach_names[PROTO_APPROACH__COUNT] = {
    [PROTO_APPROACH_ANY] = "any",
    [PROTO_APPROACH_12_STEP] = "12_step",
    [PROTO_APPROACH_SMART] = "smart",
    [PROTO_APPROACH_OTHER] = "other",
};

const char *proto_approach_name(enum proto_approach a)
{
    return ((int)a >= 0 && a < PROTO_APPROACH__COUNT) ? approach_names[a] : NULL;
}

bool proto_approach_parse(const char *name, enum proto_approach *out)
{
    int i;
    if (!table_parse(approach_names, PROTO_APPROACH__COUNT, name, &i))
        return false;
    *out = (enum proto_approach)i;
    return true;
}

/* Support requests (section 22): how urgent, and where a request stands. */
static const char *const urgency_names[PROTO_URGENCY__COUNT] = {
    [PROTO_URGENCY_TALK] = "talk",
    [PROTO_URGENCY_CRAVING] = "craving",
    [PROTO_URGENCY_CRISIS] = "crisis",
};

const char *proto_urgency_name(enum proto_urgency u)
{
    return ((int)u >= 0 && u < PROTO_URGENCY__COUNT) ? urgency_names[u] : NULL;
}

bool proto_urgency_parse(const char *name, enum proto_urgency *out)
{
    int i;
    if (!table_parse(urgency_names, PROTO_URGENCY__COUNT, name, &i))
        return false;
    *out = (enum proto_urgency)i;
    return true;
}

static const char *const support_state_names[PROTO_SUPPORT__COUNT] = {
    [PROTO_SUPPORT_ASKING_BUDDIES] = "asking_buddies",
    [PROTO_SUPPORT_ASKING_SUPPORTERS] = "asking_supporters",
    [PROTO_SUPPORT_NOBODY_YET] = "nobody_yet",
    [PROTO_SUPPORT_ACCEPTED] = "accepted",
    [PROTO_SUPPORT_CLOSED] = "closed",
    [PROTO_SUPPORT_CANCELLED] = "cancelled",
};

const char *proto_support_state_name(enum proto_support_state st)
{
    return ((int)st >= 0 && st < PROTO_SUPPORT__COUNT) ? support_state_names[st] : NULL;
}

bool proto_support_state_parse(const char *name, enum proto_support_state *out)
{
    int i;
    if (!table_parse(support_state_names, PROTO_SUPPORT__COUNT, name, &i))
        return false;
    *out = (enum proto_support_state)i;
    return true;
}

/* Who sees a member's check-ins or clean time (section 23.1). */
static const char *const share_names[PROTO_SHARE__COUNT] = {
    [PROTO_SHARE_PRIVATE] = "private",
    [PROTO_SHARE_BUDDIES] = "buddies",
    [PROTO_SHARE_ROOM] = "room",
    [PROTO_SHARE_EVERYONE] = "everyone",
};

const char *proto_share_name(enum proto_share s)
{
    return ((int)s >= 0 && s < PROTO_SHARE__COUNT) ? share_names[s] : NULL;
}

bool proto_share_parse(const char *name, enum proto_share *out)
{
    int i;
    if (!table_parse(share_names, PROTO_SHARE__COUNT, name, &i))
        return false;
    *out = (enum proto_share)i;
    return true;
}

static const char *const req_names[PROTO_REQ__COUNT] = {
    [PROTO_REQ_AUTH_REGISTER] = "auth.register",
    [PROTO_REQ_AUTH_LOGIN] = "auth.login",
    [PROTO_REQ_AUTH_RESUME] = "auth.resume",
    [PROTO_REQ_AUTH_LOGOUT] = "auth.logout",
    [PROTO_REQ_AUTH_PASSWORD] = "auth.password",
    [PROTO_REQ_PRESENCE_SET] = "presence.set",
    [PROTO_REQ_ROOM_LIST] = "room.list",
    [PROTO_REQ_ROOM_CREATE] = "room.create",
    [PROTO_REQ_ROOM_JOIN] = "room.join",
    [PROTO_REQ_ROOM_LEAVE] = "room.leave",
    [PROTO_REQ_ROOM_SEND] = "room.send",
    [PROTO_REQ_ROOM_HISTORY] = "room.history",
    [PROTO_REQ_ROOM_MEMBERS] = "room.members",
    [PROTO_REQ_ROOM_INVITE] = "room.invite",
    [PROTO_REQ_PING] = "ping",
    [PROTO_REQ_ROOM_CONFIGURE] = "room.configure",
    [PROTO_REQ_ROOM_ROLE] = "room.role",
    [PROTO_REQ_MEETING_CHAIR] = "meeting.chair",
    [PROTO_REQ_MEETING_OPEN] = "meeting.open",
    [PROTO_REQ_MEETING_CLOSE] = "meeting.close",
    [PROTO_REQ_MEETING_HAND] = "meeting.hand",
    [PROTO_REQ_MEETING_FLOOR] = "meeting.floor",
    [PROTO_REQ_MEETING_DONE] = "meeting.done",
    [PROTO_REQ_MEETING_MODE] = "meeting.mode",
    [PROTO_REQ_MEETING_STATE] = "meeting.state",
    [PROTO_REQ_MOD_MUTE] = "mod.mute",
    [PROTO_REQ_MOD_UNMUTE] = "mod.unmute",
    [PROTO_REQ_MOD_REMOVE] = "mod.remove",
    [PROTO_REQ_MOD_BAN] = "mod.ban",
    [PROTO_REQ_MOD_UNBAN] = "mod.unban",
    [PROTO_REQ_MOD_DELETE] = "mod.delete",
    [PROTO_REQ_MOD_SETTINGS] = "mod.settings",
    [PROTO_REQ_MOD_LOG] = "mod.log",
    [PROTO_REQ_MOD_SUSPEND] = "mod.suspend",
    [PROTO_REQ_MOD_UNSUSPEND] = "mod.unsuspend",
    [PROTO_REQ_BLOCK_ADD] = "block.add",
    [PROTO_REQ_BLOCK_REMOVE] = "block.remove",
    [PROTO_REQ_BLOCK_LIST] = "block.list",
    [PROTO_REQ_REPORT_CREATE] = "report.create",
    [PROTO_REQ_REPORT_LIST] = "report.list",
    [PROTO_REQ_REPORT_RESOLVE] = "report.resolve",
    [PROTO_REQ_SAFETY_RESOURCES] = "safety.resources",
    [PROTO_REQ_MEETING_ATTENDANCE] = "meeting.attendance",
    [PROTO_REQ_MEETING_SCHEDULE] = "meeting.schedule",
    [PROTO_REQ_MEETING_UPCOMING] = "meeting.upcoming",
    [PROTO_REQ_ROOM_INVITES] = "room.invites",
    [PROTO_REQ_ROOM_INVITE_REVOKE] = "room.invite_revoke",
    [PROTO_REQ_BUDDY_REQUEST] = "buddy.request",
    [PROTO_REQ_BUDDY_ACCEPT] = "buddy.accept",
    [PROTO_REQ_BUDDY_DECLINE] = "buddy.decline",
    [PROTO_REQ_BUDDY_CANCEL] = "buddy.cancel",
    [PROTO_REQ_BUDDY_END] = "buddy.end",
    [PROTO_REQ_BUDDY_LIST] = "buddy.list",
    [PROTO_REQ_BUDDY_PING] = "buddy.ping",
    [PROTO_REQ_BUDDY_PING_SEEN] = "buddy.ping_seen",
    [PROTO_REQ_BUDDY_PINGS] = "buddy.pings",
    [PROTO_REQ_MATCH_JOIN] = "match.join",
    [PROTO_REQ_MATCH_LEAVE] = "match.leave",
    [PROTO_REQ_MATCH_STATUS] = "match.status",
    [PROTO_REQ_MATCH_ACCEPT] = "match.accept",
    [PROTO_REQ_MATCH_DECLINE] = "match.decline",
    [PROTO_REQ_SUPPORT_ASK] = "support.ask",
    [PROTO_REQ_SUPPORT_CANCEL] = "support.cancel",
    [PROTO_REQ_SUPPORT_ACCEPT] = "support.accept",
    [PROTO_REQ_SUPPORT_CLOSE] = "support.close",
    [PROTO_REQ_SUPPORT_HANDBACK] = "support.handback",
    [PROTO_REQ_SUPPORT_AVAILABLE] = "support.available",
    [PROTO_REQ_SUPPORT_QUEUE] = "support.queue",
    [PROTO_REQ_SUPPORT_STATUS] = "support.status",
    [PROTO_REQ_SUPPORT_STATS] = "support.stats",
    [PROTO_REQ_SETTINGS_GET] = "settings.get",
    [PROTO_REQ_SETTINGS_SET] = "settings.set",
    [PROTO_REQ_CHECKIN_SUBMIT] = "checkin.submit",
    [PROTO_REQ_CHECKIN_LIST] = "checkin.list",
    [PROTO_REQ_CHECKIN_SUMMARY] = "checkin.summary",
    [PROTO_REQ_CHECKIN_JOURNAL] = "checkin.journal",
    [PROTO_REQ_CHECKIN_SIGNS] = "checkin.signs",
    [PROTO_REQ_CHECKIN_FEED] = "checkin.feed",
    [PROTO_REQ_CARD_GET] = "card.get",
    [PROTO_REQ_CARD_SET] = "card.set",
    [PROTO_REQ_PLAN_GET] = "plan.get",
    [PROTO_REQ_PLAN_SET] = "plan.set",
    [PROTO_REQ_SOBRIETY_SET] = "sobriety.set",
    [PROTO_REQ_SOBRIETY_GET] = "sobriety.get",
    [PROTO_REQ_ACCOUNT_EXPORT] = "account.export",
    [PROTO_REQ_ACCOUNT_DELETE] = "account.delete",
    [PROTO_REQ_ROOM_READ] = "room.read",
    [PROTO_REQ_MOD_SANCTIONS] = "mod.sanctions",
};

const char *proto_req_name(enum proto_req_type t)
{
    return ((int)t >= 0 && t < PROTO_REQ__COUNT) ? req_names[t] : NULL;
}

bool proto_req_parse(const char *name, enum proto_req_type *out)
{
    int i;
    if (!table_parse(req_names, PROTO_REQ__COUNT, name, &i))
        return false;
    *out = (enum proto_req_type)i;
    return true;
}

/* safety.resources too: someone in crisis must not need an account to see
 * where to get help (PROTOCOL.md section 18). */
bool proto_req_allowed_unauthenticated(enum proto_req_type t)
{
    return t == PROTO_REQ_AUTH_REGISTER || t == PROTO_REQ_AUTH_LOGIN ||
           t == PROTO_REQ_AUTH_RESUME || t == PROTO_REQ_PING || t == PROTO_REQ_SAFETY_RESOURCES;
}

/* Days of a weekly schedule slot (PROTOCOL.md section 14.9), in week order. */
static const char *const weekday_names[] = {
    [PROTO_MON] = "mon", [PROTO_TUE] = "tue", [PROTO_WED] = "wed", [PROTO_THU] = "thu",
    [PROTO_FRI] = "fri", [PROTO_SAT] = "sat", [PROTO_SUN] = "sun",
};
#define WEEKDAYS ((int)(sizeof weekday_names / sizeof weekday_names[0]))

const char *proto__weekday_name(enum proto_weekday d)
{
    return ((int)d >= 0 && (int)d < WEEKDAYS) ? weekday_names[d] : NULL;
}

bool proto__weekday_parse(const char *name, enum proto_weekday *out)
{
    int i;
    if (!table_parse(weekday_names, WEEKDAYS, name, &i))
        return false;
    *out = (enum proto_weekday)i;
    return true;
}

static const char *const room_event_types[] = {
    [PROTO_EV_MESSAGE] = "room.message",
    [PROTO_EV_JOINED] = "room.joined",
    [PROTO_EV_LEFT] = "room.left",
    [PROTO_EV_REMOVED] = "room.removed",
};
#define ROOM_EVENT_KINDS ((int)(sizeof room_event_types / sizeof room_event_types[0]))

const char *proto__room_event_type(enum proto_room_event_kind k)
{
    return ((int)k >= 0 && (int)k < ROOM_EVENT_KINDS) ? room_event_types[k] : NULL;
}

bool proto__room_event_kind_parse(const char *type, enum proto_room_event_kind *out)
{
    int i;
    if (!table_parse(room_event_types, ROOM_EVENT_KINDS, type, &i))
        return false;
    *out = (enum proto_room_event_kind)i;
    return true;
}

/* ------------------------------------------------------ names and UTF-8 */

bool proto_name_fold(const char *in, char out[PROTO_HANDLE_MAX + 1])
{
    size_t n = 0;
    if (!in)
        return false;
    for (; in[n]; n++) {
        if (n >= PROTO_HANDLE_MAX)
            return false;   /* too long: stop before writing past out */
        unsigned char c = (unsigned char)in[n];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
        out[n] = (char)c;
    }
    out[n] = '\0';
    return n >= PROTO_HANDLE_MIN;
}

/* "~" and 8..31 of a-z 0-9: never folded, so capitals are refused. */
bool proto_is_conversation_name(const char *name)
{
    size_t n = 1;
    if (!name || name[0] != PROTO_CONV_PREFIX)
        return false;
    for (; name[n]; n++) {
        char c = name[n];
        if (n > CONV_CHARS_MAX || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return n - 1 >= CONV_CHARS_MIN;
}

/*
 * Strict UTF-8 (RFC 3629): rejects overlong forms, UTF-16 surrogates
 * (U+D800..U+DFFF), code points above U+10FFFF, stray continuation bytes
 * and truncated sequences. NUL bytes count as code points.
 */
long proto_utf8_chars(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    long n = 0;

    if (!s && len)
        return -1;
    while (i < len) {
        unsigned char c = p[i];
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */

        if (c < 0x80) {
            i++;
            n++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;   /* overlong below U+0800 */
            else if (c == 0xED)
                hi = 0x9F;   /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;   /* overlong below U+10000 */
            else if (c == 0xF4)
                hi = 0x8F;   /* above U+10FFFF */
        } else {
            return -1;       /* 0x80..0xC1 (stray/overlong) or 0xF5..0xFF */
        }
        if (len - i - 1 < need)
            return -1;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return -1;
        for (size_t k = 2; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
        i += need + 1;
        n++;
    }
    return n;
}

static const char *const sanction_kind_names[PROTO_SANCTION__COUNT] = {
    [PROTO_SANCTION_MUTE] = "mute",
    [PROTO_SANCTION_BAN] = "ban",
};

const char *proto_sanction_kind_name(enum proto_sanction_kind k)
{
    return ((int)k >= 0 && k < PROTO_SANCTION__COUNT) ? sanction_kind_names[k] : NULL;
}

bool proto_sanction_kind_parse(const char *name, enum proto_sanction_kind *out)
{
    int i;
    if (!table_parse(sanction_kind_names, PROTO_SANCTION__COUNT, name, &i))
        return false;
    *out = (enum proto_sanction_kind)i;
    return true;
}
