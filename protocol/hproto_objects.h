/*
 * hproto_objects: the objects Hearth's messages carry (users, members, rooms,
 * room events, reports, audit entries, schedules, buddies, pings, support
 * requests, settings, check-ins, the card, the plan, clean time, meeting
 * state) and the enums they use. Part of the wire contract in hproto.h,
 * which includes it after the constants and error codes: include hproto.h,
 * never this file on its own.
 */
#ifndef HEARTH_HPROTO_OBJECTS_H
#define HEARTH_HPROTO_OBJECTS_H

#ifndef HEARTH_HPROTO_H
#error "include hproto.h, which includes this header"
#endif

/* ------------------------------------------------------------ basic types */

enum proto_status {
    PROTO_STATUS_OFFLINE = 0,   /* only ever sent by the server */
    PROTO_STATUS_AVAILABLE,
    PROTO_STATUS_AWAY,
    PROTO_STATUS_BUSY,
    PROTO_STATUS_INVISIBLE,     /* only ever shown to the user themselves */
    PROTO_STATUS__COUNT
};
const char *proto_status_name(enum proto_status s);
bool proto_status_parse(const char *name, enum proto_status *out);

enum proto_role { PROTO_ROLE_MEMBER = 0, PROTO_ROLE_MODERATOR, PROTO_ROLE_ADMIN, PROTO_ROLE__COUNT };
const char *proto_role_name(enum proto_role r);
bool proto_role_parse(const char *name, enum proto_role *out);

enum proto_visibility { PROTO_VIS_OPEN = 0, PROTO_VIS_INVITE, PROTO_VIS__COUNT };

/* A member's role in one room ("member", "moderator", "host"). Server-wide
 * moderators and admins act as room moderators in every room. */
enum proto_room_role { PROTO_RROLE_MEMBER = 0, PROTO_RROLE_MODERATOR, PROTO_RROLE_HOST,
                       PROTO_RROLE__COUNT };
const char *proto_room_role_name(enum proto_room_role r);
bool proto_room_role_parse(const char *name, enum proto_room_role *out);

/* Meeting mode: "one_speaker" (only the floor and moderators post) or "open". */
enum proto_meeting_mode { PROTO_MODE_ONE_SPEAKER = 0, PROTO_MODE_OPEN, PROTO_MODE__COUNT };
const char *proto_meeting_mode_name(enum proto_meeting_mode m);
bool proto_meeting_mode_parse(const char *name, enum proto_meeting_mode *out);

#define PROTO_FORMAT_MAX 4000          /* code points of a meeting room's format text */
#define PROTO_SHARE_MIN_S 60
#define PROTO_SHARE_MAX_S 1800
#define PROTO_SHARE_DEFAULT_S 300
#define PROTO_SHARE_WARNING_S 60
#define PROTO_REASON_MAX 500           /* code points of a moderator's reason */
const char *proto_visibility_name(enum proto_visibility v);
bool proto_visibility_parse(const char *name, enum proto_visibility *out);

/* Handles and room names: 3..32 of a-z 0-9 _ -, after ASCII case folding.
 * Writes the folded form into out (PROTO_HANDLE_MAX+1 bytes). */
bool proto_name_fold(const char *in, char out[PROTO_HANDLE_MAX + 1]);
/* Count UTF-8 code points; -1 when the bytes are not valid UTF-8. */
long proto_utf8_chars(const char *s, size_t len);

struct proto_user {
    const char *handle;
    enum proto_role role;
    enum proto_status status;   /* the user's own chosen status */
};

struct proto_member {
    const char *handle;
    enum proto_status status;   /* as the recipient may see it: invisible -> offline */
    enum proto_room_role role;  /* in this room; "member" when absent on the wire */
};

/* A room's moderation settings; 0 / false means off. */
struct proto_mod_settings {
    uint32_t slow_seconds;      /* at most one message per member per N seconds (0..3600) */
    bool locked;                /* no new members */
    uint32_t member_limit;      /* 0 = none (0..100000) */
    uint32_t newcomer_seconds;  /* new members wait N seconds before their first post (0..86400) */
};

/* What a room is: an ordinary room (the default), or a private
 * conversation between two people: buddies ("buddy"), or a person asking
 * for support and the one who answered ("support", issue 4). A
 * conversation's name is "~" and 8..31 of a-z 0-9 (PROTO_CONV_PREFIX); only
 * its two members can see it; nobody can join, invite to, configure or
 * moderate it. Wire: "kind", absent = "room". */
enum proto_room_kind { PROTO_KIND_ROOM = 0, PROTO_KIND_BUDDY, PROTO_KIND_SUPPORT, PROTO_KIND__COUNT };
const char *proto_room_kind_name(enum proto_room_kind k);
bool proto_room_kind_parse(const char *name, enum proto_room_kind *out);
#define PROTO_CONV_PREFIX '~'
/* Whether `name` is a conversation's name ("~" + 8..31 of a-z 0-9). */
bool proto_is_conversation_name(const char *name);

struct proto_room {
    const char *room;           /* folded name, the room's id */
    const char *title;
    const char *topic;          /* "" when none */
    enum proto_visibility visibility;
    uint32_t members;           /* member count */
    uint32_t present;           /* members online and visible */
    uint64_t last_seq;          /* 0 for a room with no events */
    bool joined;                /* the requesting user is a member */
    bool meeting;               /* a meeting room (chair, hands, timed shares) */
    enum proto_room_role role;  /* the requesting user's role; meaningful when joined */
    struct proto_mod_settings mod;  /* "slow_seconds", "locked", "member_limit", "newcomer_seconds" */
    uint32_t retention_days;    /* messages older than this are erased; 0 = kept (issue 3) */
    bool ephemeral;             /* "what is said here stays here": messages never touch the disk */
    enum proto_room_kind kind;  /* "kind", absent = room (issue 4) */
    const char *peer;           /* a conversation: the other person's handle; else NULL */
    /* A conversation only (written only there; absent reads as 0): the highest seq that
     * reached one of the peer's connections, and the highest the peer said they have seen
     * (0 while either of the two keeps read receipts off). peer_seen <= peer_delivered. */
    uint64_t peer_delivered, peer_seen;
};

enum proto_room_event_kind { PROTO_EV_MESSAGE = 0, PROTO_EV_JOINED, PROTO_EV_LEFT,
                              PROTO_EV_REMOVED };

/* One entry of a room's history; also sent live as an event. Wire type is
 * "room.message", "room.joined", "room.left" or "room.removed". */
struct proto_room_event {
    enum proto_room_event_kind kind;
    const char *room;
    uint64_t seq;               /* per room, starts at 1, only grows; every seq is used once (retention may erase some later) */
    int64_t ts;                 /* ms since the Unix epoch, server clock */
    const char *handle;         /* author / who joined / who left; NULL for room.removed */
    const char *text;           /* message only, else NULL; NULL for a removed message */
    const char *cid;            /* message only: the author's client id, else NULL */
    bool removed;               /* message only: a moderator removed it ("removed":true, no text) */
    bool by_moderator;          /* left only: a moderator removed them from the room */
    uint64_t target_seq;        /* room.removed only: the seq of the message taken down */
    bool hidden;                /* message only: its author is someone the reader blocked: no
                                   handle, text or cid go out ("hidden":true keeps the seq) */
};

/* A report of a message or a person, as moderators see it. */
struct proto_report {
    int64_t id;
    int64_t ts;
    const char *reporter;       /* handle */
    const char *room;           /* NULL for a person reported outside any room */
    uint64_t seq;               /* the reported message, 0 for a person */
    const char *target;         /* the reported person (the message's author) */
    const char *reason;         /* the reporter's words, 1..500 code points */
    const char *excerpt;        /* the reported message's text as it was reported, NULL for a
                                   person (or a message already taken down) */
    const char *status;         /* "open", "actioned", "dismissed" */
};

/* One week of someone's own meeting attendance. */
struct proto_attendance_week {
    const char *week;           /* the week's Monday, "YYYY-MM-DD", in the asker's time */
    uint32_t meetings;          /* meetings attended (each counted once however often rejoined) */
    uint32_t minutes;           /* minutes present in them */
};

/* One line of a room's audit log (or of the server-wide log admins read). */
struct proto_audit_entry {
    int64_t id;                 /* only grows; page back with before = the smallest seen */
    int64_t ts;
    const char *room;           /* the room acted in; NULL for a server-wide action (suspend,
                                   unsuspend). Always sent in the server-wide log; may be
                                   absent in a room's own log */
    const char *actor;          /* the moderator's handle */
    const char *action;         /* "mute", "unmute", "remove", "ban", "unban", "delete", "settings",
                                   "suspend", "unsuspend", "schedule", "revoke_invite" */
    const char *target;         /* handle acted on, NULL for settings/delete */
    const char *reason;         /* "" when none */
    uint64_t seq;               /* delete: the message's seq, else 0 */
    int64_t until;              /* timed mute/ban/suspension: when it ends (ms), else 0 */
};

/* A mute or ban in force in a room (mod.sanctions). */
enum proto_sanction_kind { PROTO_SANCTION_MUTE = 0,      /* "mute" */
                           PROTO_SANCTION_BAN,           /* "ban" */
                           PROTO_SANCTION__COUNT };
const char *proto_sanction_kind_name(enum proto_sanction_kind k);
bool proto_sanction_kind_parse(const char *name, enum proto_sanction_kind *out);

struct proto_sanction {
    const char *handle;         /* the person muted or banned */
    enum proto_sanction_kind kind;
    int64_t ts;                 /* when it was set (the audit line's ts) */
    int64_t until;              /* when it ends (ms); 0 = until lifted */
    const char *reason;         /* "" when none */
    const char *actor;          /* who set it; NULL when the server does not know */
};

/* Weekly meeting schedules. A slot is a weekly time in the slot's own time
 * zone (an IANA name such as "America/New_York"), so a 19:00 meeting stays at
 * 19:00 local time across daylight-saving changes. */
#define PROTO_SLOTS_MAX 14             /* slots per room */
#define PROTO_TZ_MAX 64                /* bytes of a time zone name */
#define PROTO_SLOT_MINUTES_MIN 5
#define PROTO_SLOT_MINUTES_MAX 720
#define PROTO_UPCOMING_DAYS_DEFAULT 7
#define PROTO_UPCOMING_DAYS_MAX 14
#define PROTO_UPCOMING_DEFAULT 50
#define PROTO_UPCOMING_MAX 200
enum proto_weekday { PROTO_MON = 0, PROTO_TUE, PROTO_WED, PROTO_THU, PROTO_FRI, PROTO_SAT,
                     PROTO_SUN };
struct proto_slot {
    uint8_t days;               /* bit (1 << proto_weekday); never 0. Wire: ["mon","wed"], in
                                   week order, each day at most once */
    uint16_t start_minute;      /* minutes after local midnight, 0..1439; wire "HH:MM" (24 h) */
    uint16_t minutes;           /* length, PROTO_SLOT_MINUTES_MIN..MAX */
    const char *tz;             /* IANA zone name, 1..PROTO_TZ_MAX bytes of A-Z a-z 0-9 _ + - / */
};

/* One coming (or running) meeting, as meeting.upcoming lists them. */
struct proto_upcoming {
    const char *room;
    const char *title;
    int64_t starts_at;          /* ms since the epoch (UTC); the client shows it in local time */
    int64_t ends_at;
    const char *tz;             /* the slot's own zone, for "19:00 in New York" */
    bool open;                  /* the chair has opened the room's meeting right now */
};

/* A live invite code of a room, as room.invites lists them. */
struct proto_invite {
    const char *code;
    const char *created_by;     /* handle; NULL when that account is gone */
    int64_t created_at;
    int64_t expires_at;         /* ms; 0 = never (only admins' codes made with hearthd admin) */
    int32_t uses_left;          /* -1 = unlimited */
};

/* ---- buddies, pings and matching (issue 4) ---- */

#define PROTO_BUDDIES_DEFAULT 5        /* a member's most buddies, unless the operator says */
#define PROTO_PING_TEXT_MAX 500        /* code points of a free-text ping */
#define PROTO_LANGUAGE_MAX 8           /* a language tag: 2..8 of a-z, e.g. "en", "es", "pt" */

enum proto_ping_kind { PROTO_PING_THINKING = 0,   /* "thinking_of_you" */
                       PROTO_PING_CALL_ME,        /* "call_me" */
                       PROTO_PING_STRUGGLING,     /* "struggling" */
                       PROTO_PING_TEXT,           /* "text": free text */
                       PROTO_PING__COUNT };
const char *proto_ping_kind_name(enum proto_ping_kind k);
bool proto_ping_kind_parse(const char *name, enum proto_ping_kind *out);

/* A recovery approach, for matching: "12_step", "smart", "other", or "any"
 * (in preferences only: any approach will do). */
enum proto_approach { PROTO_APPROACH_ANY = 0, PROTO_APPROACH_12_STEP, PROTO_APPROACH_SMART,
                      PROTO_APPROACH_OTHER, PROTO_APPROACH__COUNT };
const char *proto_approach_name(enum proto_approach a);
bool proto_approach_parse(const char *name, enum proto_approach *out);

struct proto_buddy {
    const char *handle;
    enum proto_status status;   /* as the buddy may be seen: invisible -> offline */
    int64_t since;              /* ms: when they were paired */
    const char *conversation;   /* the name of their private conversation ("~...") */
};

/* A pending buddy request, either way. */
struct proto_buddy_request {
    const char *handle;         /* the other person */
    int64_t ts;
};

struct proto_ping {
    int64_t id;
    const char *from, *to;      /* handles */
    enum proto_ping_kind kind;
    const char *text;           /* kind text only, else NULL */
    int64_t ts;
    int64_t delivered_at;       /* ms; 0 = not yet (reached none of the recipient's devices) */
    int64_t seen_at;            /* ms; 0 = not yet */
};

/* What a member looks for in a buddy. */
struct proto_match_prefs {
    int32_t utc_offset_minutes; /* the member's own, -720..840: matched within 3 hours */
    const char *language;       /* 2..8 of a-z: must be the same */
    enum proto_approach approach;   /* the member's own; "any" matches every approach */
    int32_t clean_days;         /* days clean, 0..36500; -1 = not said (wire: absent) */
    bool want_more_clean_time;  /* wants someone with more clean days (needs clean_days on both) */
};

/* The server proposes two members to each other; both must accept. */
struct proto_match_proposal {
    int64_t id;
    const char *handle;         /* the proposed person */
    int32_t utc_offset_minutes; /* theirs */
    const char *language;
    enum proto_approach approach;
    bool more_clean_time;       /* they have more clean days than the reader (when both said) */
    int64_t expires_at;         /* ms: unanswered by then, the proposal lapses */
};

/* ---- support requests (issue 4) ---- */

#define PROTO_NOTE_MAX 500             /* code points of a support request's note or thanks */

enum proto_urgency { PROTO_URGENCY_TALK = 0,  /* "talk": I'd like to talk to someone */
                     PROTO_URGENCY_CRAVING,   /* "craving": a craving is hitting now */
                     PROTO_URGENCY_CRISIS,    /* "crisis": I'm in crisis */
                     PROTO_URGENCY__COUNT };
const char *proto_urgency_name(enum proto_urgency u);
bool proto_urgency_parse(const char *name, enum proto_urgency *out);

/* Where a support request stands. */
enum proto_support_state {
    PROTO_SUPPORT_ASKING_BUDDIES = 0, /* "asking_buddies": the requester's online buddies are alerted */
    PROTO_SUPPORT_ASKING_SUPPORTERS,  /* "asking_supporters": everyone on duty is alerted too */
    PROTO_SUPPORT_NOBODY_YET,         /* "nobody_yet": nobody has answered in the second window; still
                                         open and offered, the requester was shown the resources */
    PROTO_SUPPORT_ACCEPTED,           /* "accepted": a helper answered; they talk in a conversation */
    PROTO_SUPPORT_CLOSED,             /* "closed": the conversation ended (either side) */
    PROTO_SUPPORT_CANCELLED,          /* "cancelled": the requester withdrew it before an answer */
    PROTO_SUPPORT__COUNT
};
const char *proto_support_state_name(enum proto_support_state st);
bool proto_support_state_parse(const char *name, enum proto_support_state *out);

/* A support request, as the requester, a helper or a moderator sees it. */
struct proto_support {
    int64_t id;
    const char *requester;      /* handle */
    enum proto_urgency urgency;
    const char *note;           /* the requester's words, NULL when none (never sent to moderators
                                   who are not offered it: see support.queue) */
    enum proto_support_state state;
    int64_t created_at;
    int64_t waited_ms;          /* from created_at to the answer, or to now while open */
    const char *helper;         /* accepted/closed: who answered; NULL otherwise */
    const char *conversation;   /* accepted/closed: their conversation ("~..."), to the two only */
};

/* A support request offered to the reader (the support.offer event, support.status's
 * offers): the request, note included, and why: "buddy", "supporter" or "moderator". */
struct proto_support_offer {
    struct proto_support request;
    const char *as;
};

/* One day of the support statistics (UTC days). */
struct proto_support_day {
    const char *day;            /* "YYYY-MM-DD" (UTC) */
    uint32_t requests;          /* asked that day */
    uint32_t answered;          /* of them, accepted by someone */
    int64_t median_wait_ms;     /* over the answered ones; 0 when none */
    int64_t worst_wait_ms;      /* the longest wait, answered or not (an unanswered request's wait
                                   runs until it was cancelled, or until now) */
};

/* ---- check-ins, the plan and card, clean time (issue 5) ---- */

#define PROTO_CHECKIN_TEXT_MAX 500     /* code points of grateful, win, note */
#define PROTO_SIGNS_MAX 32             /* warning signs in one check-in */
#define PROTO_SIGN_NAME_MAX 32         /* a sign's name: 1..32 of a-z 0-9 _ */
#define PROTO_CARD_CONTACTS_MAX 20
#define PROTO_PLAN_LINES_MAX 50
#define PROTO_PLAN_TEXT_MAX 300        /* code points of a plan line part, a reason, a contact field */

/* Who sees something of the member's: only them, their buddies, a room of
 * their choosing (check-ins), or every signed-in member (clean time). */
enum proto_share { PROTO_SHARE_PRIVATE = 0,   /* "private" */
                   PROTO_SHARE_BUDDIES,       /* "buddies" */
                   PROTO_SHARE_ROOM,          /* "room": check-ins only, to settings.checkin_room */
                   PROTO_SHARE_EVERYONE,      /* "everyone": clean time only */
                   PROTO_SHARE__COUNT };
const char *proto_share_name(enum proto_share s);
bool proto_share_parse(const char *name, enum proto_share *out);

/* A member's own settings for check-ins and what acts on them. */
struct proto_settings {
    const char *tz;             /* IANA zone: the member's days and weeks ("UTC" until set) */
    enum proto_share checkin_share;   /* private (default), buddies, or room */
    const char *checkin_room;   /* the room shared check-ins go to; NULL unless share is room */
    uint32_t warning_threshold; /* warning signs in one check-in that act (1..11, default 3) */
    bool alert_buddies;         /* consent: buddies are alerted at the threshold (default off) */
    bool isolation_nudges;      /* opt-in: buddies nudged when the member goes quiet (default off) */
    uint32_t isolation_days;    /* quiet this many days (no check-in, not seen): 1..14, default 2 */
    uint32_t meeting_goal;      /* meetings a week, 0 = none (0..21) */
    enum proto_share sobriety_share;  /* private (default), buddies or everyone */
    const char *milestone_room; /* a room told of shared milestones too; NULL = none */
    bool read_receipts;         /* tell the peer of a conversation what one has seen, and see
                                   theirs (default on; absent on the wire reads as on) */
};

/* One day's check-in. */
struct proto_checkin {
    const char *handle;         /* whose (set in shared views; the member's own in their lists) */
    const char *day;            /* "YYYY-MM-DD", the member's own day (settings.tz) */
    int64_t ts;                 /* when it was last written (ms) */
    uint32_t mood;              /* 1..5 */
    int32_t craving;            /* 0..10; -1 = not said (wire: absent) */
    const char **signs;         /* warning sign names (the server's list) */
    size_t n_signs;
    const char *grateful, *win, *note;   /* NULL = not said; note is never shared */
};

/* A warning sign the server knows: its name and how to say it. */
struct proto_sign {
    const char *name;           /* "isolating" */
    const char *label;          /* "Isolating" */
};

/* A week or a month of the member's check-ins. */
struct proto_checkin_period {
    const char *start;          /* its first day, "YYYY-MM-DD" (weeks start on Monday) */
    uint32_t checkins;          /* days checked in */
    double avg_mood;            /* over those days; 0 when none */
    double avg_craving;         /* over those that said a craving; -1 when none did */
    uint32_t meetings;          /* meetings attended that period (attendance, section 14.8) */
};

/* One journal entry: a day's gratitude and win. */
struct proto_journal_entry {
    const char *day;
    const char *grateful, *win;   /* at least one is set */
};

struct proto_contact {
    const char *name, *phone, *note;   /* note NULL = none */
};

/* One line of the trigger action plan: "if this happens, I will ...". */
struct proto_plan_line {
    const char *when, *then;
};

/* A clean-time milestone: key "1d", "7d", "30d", "60d", "90d", "6m", "9m",
 * "1y", "18m", then "2y", "3y", ...; label "1 day", "1 week", "30 days",
 * ..., "18 months", "2 years". */
struct proto_milestone {
    const char *key, *label;
    const char *date;           /* the day it is (was) reached, "YYYY-MM-DD" */
};

/* A past period of clean time, kept when a new date was set. */
struct proto_sobriety_period {
    const char *from, *to;      /* days; to is the day before the new date */
    uint32_t days;
};

/* Your data (issue 5). */
#define PROTO_EXPORT_PART_MAX 262144   /* bytes of export text in one account.export result */
#define PROTO_EXPORT_ID_MAX 64
#define PROTO_DELETE_CONFIRM "delete my account"

/* The live state of a meeting room, as every member sees it. */
struct proto_meeting {
    const char *room;
    bool open;
    const char *chair;          /* NULL when the room has none */
    enum proto_meeting_mode mode;
    bool auto_floor;            /* the floor passes to the next hand by itself */
    const char *speaker;        /* NULL when nobody has the floor */
    int64_t share_ends_at;      /* ms since the epoch; 0 when nobody has the floor */
    uint32_t share_seconds;
    const char **queue;         /* raised hands, first come first served */
    size_t n_queue;
    const char *format;         /* the room's format text, 0..4000 code points; NULL is "" */
};

#endif
