/*
 * hdb: Hearth's storage. sqlite3 only: no uv, no lws, no protocol.
 *
 * Shape: hdb_open() opens the database, checks the PRAGMAs and runs the
 * numbered migrations, synchronously (the server does this before it
 * serves). Afterwards the loop thread never touches sqlite: it fills an
 * hdb_job and hdb_submit()s it. One writer thread takes every queued job,
 * runs them in one transaction (group commit, each job in its own SAVEPOINT
 * so one job's failure does not undo the others), COMMITs, and only then
 * hands them back as completed. The owner learns that completions are ready
 * through the thread-safe `notify` callback (the server wires it to
 * uv_async_send) and runs them on its own thread with hdb_run_completions().
 *
 * Reads that the loop needs (login lookup, history older than the memory
 * cache) are jobs too, so the loop never waits on the disk.
 *
 * Strings in a job's input are borrowed until its done callback runs;
 * strings in its output are owned by the job and freed by hdb_job_free()
 * (the done callback usually calls it, or keeps the job).
 */
#ifndef HEARTH_HDB_H
#define HEARTH_HDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDB_SCHEMA_VERSION_LATEST hdb_schema_latest()

/* Results. 0 is success; everything else is a negative code. */
enum hdb_rc {
    HDB_OK = 0,
    HDB_E_NOT_FOUND = -1,     /* no such user / token / room / invite */
    HDB_E_EXISTS = -2,        /* handle or room name taken */
    HDB_E_INVITE = -3,        /* invite code missing, unknown, expired or used up */
    HDB_E_ALREADY = -4,       /* already a member (join) / not a member (leave) */
    HDB_E_IO = -5,            /* sqlite failed; the message is in the log */
    HDB_E_CLOSED = -6,        /* submitted after hdb_close began */
    HDB_E_DENIED = -7,        /* the row exists but is not the caller's to change */
};
const char *hdb_rc_name(int rc);

struct hdb;

/* notify(ud) is called from the writer thread whenever completions are
 * ready; it must be thread-safe and must not call back into hdb. */
typedef void (*hdb_notify_fn)(void *ud);

struct hdb_options {
    const char *path;          /* database file; created if absent */
    hdb_notify_fn notify;      /* may be NULL for synchronous-only use (CLI, tests) */
    void *notify_ud;
    unsigned max_batch;        /* jobs per transaction, 0 = 256 */
};

/* Opens, sets and reads back the PRAGMAs (journal_mode=WAL,
 * synchronous=FULL, foreign_keys=ON, secure_delete=ON, trusted_schema=OFF,
 * busy_timeout), migrates to the latest schema and starts the writer
 * thread (only when notify is set). On failure returns a negative code and
 * writes a sentence into err. */
int hdb_open(const struct hdb_options *opt, struct hdb **out, char *err, size_t errlen);
/* Stops accepting jobs, lets the writer finish and commit everything queued,
 * joins it, runs the remaining completions on the caller's thread, closes. */
void hdb_close(struct hdb *db);
int hdb_schema_version(struct hdb *db);
int hdb_schema_latest(void);

/* ------------------------------------------------------------ row types */

struct hdb_user {
    int64_t id;
    char *handle;
    int role;                  /* 0 member, 1 moderator, 2 admin (matches proto_role) */
    int status;                /* chosen status, matches proto_status (never offline) */
    char *pw_hash;             /* encoded hash string with its parameters */
    int64_t created_at;        /* ms */
    bool suspended;            /* suspended server-wide ... */
    int64_t suspended_until;   /* ... until then (ms; 0 = until lifted) */
    bool seen_notice;          /* was told Hearth is not a crisis service */
};

struct hdb_room {
    int64_t id;
    char *name;
    char *title;
    char *topic;
    int visibility;            /* matches proto_visibility */
    int64_t creator_id;
    int64_t created_at;
    uint64_t last_seq;
    bool meeting;              /* a meeting room */
    char *format;              /* its format text ("" when none) */
    unsigned share_seconds;
    char *chair;               /* the named chair's handle, NULL when none */
    unsigned slow_seconds, member_limit, newcomer_seconds;   /* 0 = off */
    bool locked;
    unsigned retention_days;   /* 0 = keep */
    bool ephemeral;            /* messages never written */
    int kind;                  /* 0 room, 1 buddy conversation, 2 support conversation */
};

/* What a member in the matching pool looks for (matches proto_match_prefs). */
struct hdb_match_prefs {
    int utc_offset_minutes;
    const char *language;      /* borrowed in a job's input; owned copies in loads */
    int approach;              /* matches proto_approach */
    int clean_days;            /* -1 = not said */
    bool want_more_clean_time;
};

/* A proposal the pool made. state: 0 open, 1 paired, 2 declined, 3 lapsed. */
struct hdb_proposal {
    int64_t id, a_id, b_id;
    const char *a_handle, *b_handle;
    int64_t created_at, expires_at;
    bool a_accepted, b_accepted;
    int state;
};

/* A support request (HDB_OP_SUPPORT_*, hdb_load_support). state matches
 * proto_support_state (0..2 open, 3 accepted, 4 closed, 5 cancelled). */
struct hdb_support {
    int64_t id, requester_id, helper_id;       /* helper_id 0 when none */
    char *requester, *helper;                  /* handles; helper NULL when none */
    int urgency;
    char *note;                                /* NULL when none */
    int64_t created_at, accepted_at, closed_at;   /* 0 = not yet */
    int state;
    char *room;                                /* the conversation's name, NULL when none */
};

/* One UTC day of support requests (HDB_OP_SUPPORT_STATS). */
struct hdb_support_day {
    char day[11];              /* YYYY-MM-DD */
    unsigned requests, answered;
    int64_t median_wait_ms, worst_wait_ms;
};

/* A member's settings (issue 5). In a job's input the strings are
 * borrowed; in loads they are valid during the callback. */
struct hdb_settings {
    const char *tz;
    int checkin_share;         /* 0 private, 1 buddies, 2 room (proto_share) */
    int64_t checkin_room_id;   /* 0 = none */
    int warning_threshold;
    bool alert_buddies, isolation_nudges;
    int isolation_days, meeting_goal;
    int sobriety_share;        /* 0 private, 1 buddies, 3 everyone (proto_share) */
    int64_t milestone_room_id; /* 0 = none */
    bool read_receipts;        /* tells (and sees) what was seen in conversations */
    int64_t last_seen_at, last_nudge_at;   /* ms, 0 = never (loads only) */
    int64_t last_checkin_at;   /* ms of their newest check-in, 0 = none (loads only) */
};

/* One day's check-in. signs: comma-separated names ("" = none). */
struct hdb_checkin {
    int64_t user_id;
    char *handle;              /* out only: whose */
    char day[11];
    int64_t ts;
    int mood, craving;         /* craving -1 = not said */
    char *signs, *grateful, *win, *note;   /* NULL = not said (signs: never NULL out) */
    int shared;                /* 0 private, 1 buddies, 2 a room (as it was shared) */
};

struct hdb_contact { char *name, *phone, *note; };

/* A line of the plan (kind 0: a = when, b = then) or a reason (kind 1: a). */
struct hdb_plan_item { int kind; char *a, *b; };

/* A clean-time period; to "" = the current one. */
struct hdb_period { char from[11], to[11]; };

/* A ping between buddies (HDB_OP_PING_*). */
struct hdb_ping {
    int64_t id, from_id, to_id;
    int kind;                  /* matches proto_ping_kind */
    char *text;                /* NULL unless a free-text ping */
    char *from, *to;           /* handles */
    int64_t ts, delivered_at, seen_at;   /* 0 = not yet */
};

/* Moderation actions (HDB_OP_MOD_ACTION); their audit names are
 * hdb_mod_action_name(). */
enum hdb_mod_action { HDB_MOD_MUTE = 0, HDB_MOD_UNMUTE, HDB_MOD_REMOVE, HDB_MOD_BAN, HDB_MOD_UNBAN,
                      HDB_MOD_DELETE, HDB_MOD_SUSPEND, HDB_MOD_UNSUSPEND, HDB_MOD_SETTINGS,
                      HDB_MOD_REPORT, HDB_MOD_SCHEDULE, HDB_MOD_REVOKE_INVITE };
const char *hdb_mod_action_name(int action);
enum hdb_sanction { HDB_SANCTION_MUTE = 0, HDB_SANCTION_BAN = 1 };

/* A report (HDB_OP_REPORT_*). status: 0 open, 1 actioned, 2 dismissed. */
struct hdb_report {
    int64_t id, ts;
    int64_t reporter_id, room_id, target_id;     /* 0 when none / erased */
    char *reporter, *target, *reason, *excerpt;  /* excerpt NULL for a person */
    char *room;                                  /* the room's name, NULL when none */
    uint64_t seq;
    int status;
};

/* A week of someone's attendance (HDB_OP_ATTENDANCE_WEEKS). */
struct hdb_week {
    char week[11];             /* its Monday, YYYY-MM-DD */
    unsigned meetings, minutes;
};

/* One weekly slot of a meeting room's schedule (matches proto_slot). */
struct hdb_slot {
    unsigned days;             /* bit 0 Monday .. bit 6 Sunday */
    unsigned start_minute;     /* after local midnight */
    unsigned minutes;
    char *tz;                  /* IANA zone name */
};

/* A live invite code (HDB_OP_INVITE_LIST). */
struct hdb_invite {
    char *code;
    char *created_by;          /* handle, NULL when that account is gone */
    int64_t created_at;
    int64_t expires_at;        /* 0 = never */
    int uses_left;             /* -1 = unlimited */
};

/* One audit log line. */
struct hdb_audit {
    int64_t id, ts;
    char *room;                               /* the room's name, NULL for server-wide */
    char *actor, *action, *target, *reason;   /* target NULL when none */
    uint64_t seq;
    int64_t until;
};

enum hdb_room_role { HDB_ROLE_MEMBER = 0, HDB_ROLE_MODERATOR = 1, HDB_ROLE_HOST = 2 };

enum hdb_event_kind { HDB_EV_MESSAGE = 0, HDB_EV_JOINED = 1, HDB_EV_LEFT = 2, HDB_EV_REMOVED = 3 };

struct hdb_event {
    int64_t room_id;
    uint64_t seq;
    int kind;                  /* enum hdb_event_kind */
    int64_t user_id;
    char *handle;              /* the user's handle (joined in) */
    int64_t ts;
    char *text;                /* message only; NULL once a moderator removed it */
    char *cid;                 /* message only */
    int flags;                 /* HDB_EVF_* */
    uint64_t target_seq;       /* HDB_EV_REMOVED: the message taken down */
};

#define HDB_EVF_REMOVED 1      /* a message a moderator took down */
#define HDB_EVF_BY_MOD 2       /* a leave a moderator caused */

/* --------------------------------------------------------------- jobs */

enum hdb_op {
    HDB_OP_USER_CREATE,        /* in: handle, pw_hash, invite (nullable), now -> out: user. When the
                                  setting "require_invite" is on, a valid registration invite
                                  (room_id 0) must be given and one use of it is consumed:
                                  HDB_E_INVITE otherwise. EXISTS when the handle is taken. */
    HDB_OP_USER_BY_HANDLE,     /* in: handle -> out: user */
    HDB_OP_USER_SET_PASSWORD,  /* in: user_id, pw_hash, now; revokes all tokens of the user */
    HDB_OP_USER_SET_STATUS,    /* in: user_id, status */
    HDB_OP_USER_REHASH,        /* in: user_id, old_pw_hash, pw_hash: replaces the hash with the same
                                  password's stronger one, only if the stored hash is still
                                  old_pw_hash (NOT_FOUND otherwise); sessions are kept */
    HDB_OP_TOKEN_CREATE,       /* in: user_id, token_hash, now, expires_at */
    HDB_OP_TOKEN_LOOKUP,       /* in: token_hash, now, idle_ms -> out: user, token_expires_at; also
                                  refreshes last_used; NOT_FOUND when unknown, expired (absolute)
                                  or idle longer than idle_ms */
    HDB_OP_TOKEN_REVOKE,       /* in: token_hash */
    HDB_OP_ROOM_CREATE,        /* in: room (name,title,topic,visibility), user_id, now
                                  -> out: room (id, last_seq=1), event (creator's "joined", seq 1) */
    HDB_OP_ROOM_JOIN,          /* in: room_id, user_id, invite (nullable, checked only for invite
                                  rooms), now -> out: event (joined) ; ALREADY if a member */
    HDB_OP_ROOM_LEAVE,         /* in: room_id, user_id, now -> out: event (left); ALREADY if not a member */
    HDB_OP_MESSAGE_APPEND,     /* in: room_id, user_id, text, cid, now -> out: event, duplicate.
                                  A (room, user, cid) seen before returns the stored event with
                                  duplicate=true and writes nothing. */
    HDB_OP_HISTORY,            /* in: room_id, before (0=none), after, forward, limit
                                  -> out: events ascending by seq, has_more. With `forward` (or
                                  after > 0): the oldest `limit` events > after (after 0 = from
                                  the start); else the newest `limit` < before. */
    HDB_OP_INVITE_CREATE,      /* in: room_id (0 = registration invite), user_id, invite (the code),
                                  expires_at (0 = never), uses (0 = unlimited) */
    HDB_OP_ROOM_CONFIGURE,     /* in: room_id, has_meeting/meeting, format (NULL = unchanged),
                                  share_seconds (0 = unchanged), set.has_retention/retention_days,
                                  set.has_ephemeral/ephemeral -> out: room (the whole row, chair
                                  handle included); NOT_FOUND for an unknown room */
    HDB_OP_MEMBER_ROLE,        /* in: room_id, target_id, role -> ALREADY when the target is not
                                  a member (nothing written) */
    HDB_OP_ROOM_CHAIR,         /* in: room_id, target_id (0 = no named chair) */
    HDB_OP_MOD_ACTION,         /* in: mod_action, room_id (0 for suspend/unsuspend), user_id (the
                                  moderator), target_id, until (0 = no end), reason, seq (delete),
                                  now. Does it and writes its audit line in one go:
                                  mute/ban: the sanction row (replacing one); unmute/unban: deletes
                                  it; remove/ban: membership gone + a "left" event flagged
                                  by-moderator (out.event; ban of a non-member writes no event);
                                  delete: erases the text, flags the message and writes a
                                  "removed" event (out.event; NOT_FOUND when no such message);
                                  suspend: flags the user, ends every token; unsuspend clears it.
                                  ALREADY: remove of a non-member. */
    HDB_OP_MOD_SETTINGS,       /* in: room_id, user_id (moderator), set (has_* parts), now
                                  -> out.room (whole row); writes an audit line */
    HDB_OP_AUDIT_LIST,         /* in: room_id (0 = every room and the server-wide lines),
                                  before (0 = newest), limit -> out.audit newest first, has_more */
    HDB_OP_BLOCK_SET,          /* in: user_id (the blocker), target_id, meeting (true = block,
                                  false = unblock) */
    HDB_OP_REPORT_CREATE,      /* in: user_id (reporter), room_id (0 = none), seq (0 = a person),
                                  target_id (a person report), reason, now -> out.reports[0]:
                                  the stored report; for a message the target is its author and
                                  the excerpt its text; NOT_FOUND: no such message */
    HDB_OP_REPORT_LIST,        /* in: room_id (0 = every room), status (-1 = all, else that one)
                                  -> out.reports, newest first (at most 200); or with seq: only
                                  the report of that id (NOT_FOUND when none) */
    HDB_OP_REPORT_RESOLVE,     /* in: seq (the report id), status (1 actioned, 2 dismissed),
                                  user_id (moderator), reason (note), now -> out.reports[0];
                                  NOT_FOUND when unknown or no longer open; writes an audit line
                                  in the report's room */
    HDB_OP_USER_SEEN_NOTICE,   /* in: user_id */
    HDB_OP_ATTENDANCE_ADD,     /* in: user_id, room_id, before (the meeting's opening time),
                                  after (present from), now (present until) */
    HDB_OP_ATTENDANCE_WEEKS,   /* in: user_id, status (UTC offset in minutes), limit (weeks)
                                  -> out.weeks newest first */
    HDB_OP_SEQ_NEXT,           /* in: room_id, user_id, now -> out.event: the next seq of the room
                                  for a message that is never stored (ephemeral rooms); only the
                                  counter is written */
    HDB_OP_PURGE,              /* in: room_id, before (erase messages and take-down markers with
                                  ts < before) -> out.n_erased: how many; the WAL is checkpointed
                                  when any were */
    HDB_OP_BUDDY_SET,          /* in: user_id, target_id, status (0 = user_id asks target_id, 1 =
                                  the two are paired, -1 = no pairing or request any more), now.
                                  Pairing also finds or makes their conversation: in.room.name is
                                  the name to give a new one -> out.room (the conversation's row,
                                  whose members are the two) */
    HDB_OP_PING_ADD,           /* in: user_id (from), target_id (to), status (kind), text (NULL
                                  unless free text), cid (may be NULL), now -> out.pings[0];
                                  duplicate when (from, cid) was seen before */
    HDB_OP_PING_MARK,          /* in: seq (the ping id), target_id (its recipient), status (1
                                  delivered, 2 seen), now -> out.pings[0] as it is now; NOT_FOUND
                                  when no such ping to target_id. Delivery never moves back. */
    HDB_OP_PINGS_DELIVER,      /* in: user_id, now -> out.pings: every ping to user_id not yet
                                  delivered, oldest first, now marked delivered */
    HDB_OP_PINGS_LIST,         /* in: user_id, after (ts from) -> out.pings sent or received since,
                                  newest first, at most 100 */
    HDB_OP_PINGS_PURGE,        /* in: before -> deletes every ping with ts < before; n_erased */
    HDB_OP_MATCH_POOL_SET,     /* in: user_id, now, status (1 = join or replace the preferences in
                                  match, 0 = leave; leaving when not in is not an error) */
    HDB_OP_MATCH_PROPOSAL,     /* in: seq (0 = a new proposal of user_id and target_id, made at
                                  now, lapsing at expires_at -> out.id), else the proposal to
                                  update: proposal.a_accepted, .b_accepted, .state. NOT_FOUND for
                                  an unknown id */
    HDB_OP_SUPPORT_ADD,        /* in: user_id (requester), status (urgency), support_state (the
                                  first), text (note, may be NULL), cid (may be NULL), now
                                  -> out.support[0]; duplicate when
                                  (requester, cid) was seen before (the stored request, any state) */
    HDB_OP_SUPPORT_SET,        /* in: seq (the request), support_state (its new state), target_id (the
                                  helper, 0 = none), now. Accepting (status 3) also makes the
                                  conversation (kind 2, named in.room.name, members the two) and
                                  sets accepted_at (the first answer's time is kept), but only
                                  while the request is open: HDB_E_ALREADY otherwise. Back to an
                                  open state (a hand-back) clears the helper and conversation.
                                  Closing or cancelling sets closed_at.
                                  -> out.support[0] as it is now; NOT_FOUND for an unknown id */
    HDB_OP_SUPPORT_STATS,      /* in: after (ms: days from this UTC midnight on) , now -> out.days
                                  newest first, only days with requests */
    HDB_OP_SUPPORTER_SET,      /* in: user_id, meeting (true = available to support, false = not),
                                  now */
    HDB_OP_SETTINGS_PUT,       /* in: user_id, settings (all of them; not the seen/nudge times) */
    HDB_OP_SEEN,               /* in: user_id, now, status (0: last seen now, 1: nudged now) */
    HDB_OP_CHECKIN_PUT,        /* in: user_id, checkin (day, ts, mood, craving, signs, texts,
                                  shared) -> out.checkins[0]; duplicate when it replaced that
                                  day's earlier one */
    HDB_OP_CHECKINS,           /* in: user_id, day_from, day_to (NULL = open), limit -> out.checkins
                                  newest first */
    HDB_OP_CHECKIN_FEED,       /* in: user_id, after (ms) -> out.checkins: the check-ins of
                                  user_id's buddies shared with buddies after then, newest first,
                                  at most 200, with handles */
    HDB_OP_CARD_PUT,           /* in: user_id, contacts/n_contacts (replace all) */
    HDB_OP_CARD_GET,           /* in: user_id -> out.contacts in order */
    HDB_OP_PLAN_PUT,           /* in: user_id, plan_items/n_plan_items (replace all) */
    HDB_OP_PLAN_GET,           /* in: user_id -> out.plan_items (lines, then reasons, in order) */
    HDB_OP_SOBRIETY_SET,       /* in: user_id, day_from (the new date, NULL = stop counting),
                                  day_to (the day the current period ends, if there is one)
                                  -> out.periods newest first */
    HDB_OP_SOBRIETY_GET,       /* in: user_id -> out.periods newest first */
    HDB_OP_MILESTONE_TOLD,     /* in: user_id, day_from (the period), text (the key), now */
    HDB_OP_EXPORT,             /* in: user_id, now -> out.text: everything held about the user as
                                  one JSON document (UTF-8) */
    HDB_OP_ACCOUNT_DELETE,     /* in: user_id, meeting (true = keep their room messages,
                                  anonymised) -> deletes every personal row (check-ins, plan, card,
                                  clean time, settings, buddies, pings, pool, requests asked,
                                  tokens, memberships, their reports' words, the account) and
                                  checkpoints the WAL so nothing remains on disk */
    HDB_OP_SCHEDULE_SET,       /* in: room_id, user_id (who), slots/n_slots (replace all; 0 clears),
                                  now; writes a "schedule" audit line */
    HDB_OP_INVITE_LIST,        /* in: room_id, user_id, privileged (everyone's codes, else only
                                  user_id's), now -> out.invites: the live codes, newest first */
    HDB_OP_MARKS_SET,          /* in: room_id, user_id, marks.delivered, marks.seen: raises the
                                  member's receipt marks to at least these (never lowers them;
                                  delivered is kept at least seen). A member no longer in the
                                  room (an account deleted meanwhile) is not an error: nothing
                                  is written */
    HDB_OP_INVITE_REVOKE,      /* in: room_id, invite (the code), user_id (who), privileged (may
                                  revoke anyone's code), now. Deletes the code and writes a
                                  "revoke_invite" audit line naming its creator. HDB_E_INVITE:
                                  no live code by that name in the room; HDB_E_DENIED: someone
                                  else's code and not privileged */
};

struct hdb_job;
typedef void (*hdb_done_fn)(struct hdb_job *job);

struct hdb_job {
    enum hdb_op op;
    hdb_done_fn done;          /* runs on the owner's thread after COMMIT */
    void *ud;                  /* caller's */

    struct {                   /* input: borrowed */
        const char *handle, *pw_hash, *old_pw_hash, *invite, *text, *cid;
        const unsigned char *token_hash;   /* 32 bytes */
        int64_t user_id, room_id, now, expires_at, idle_ms;
        uint64_t before, after;
        unsigned limit, uses;
        int status;
        bool forward;          /* HISTORY: page forward from `after` */
        int64_t target_id;     /* MEMBER_ROLE, ROOM_CHAIR: whom it is about */
        int role;              /* MEMBER_ROLE: enum hdb_room_role */
        bool has_meeting, meeting;
        const char *format;
        unsigned share_seconds;
        int mod_action;        /* MOD_ACTION: enum hdb_mod_action */
        int64_t until;         /* MOD_ACTION: 0 = no end */
        const char *reason;    /* MOD_ACTION, MOD_SETTINGS: NULL = "" */
        uint64_t seq;          /* MOD_ACTION delete: the message */
        struct { bool has_slow, has_locked, has_limit, has_newcomer, locked;
                 unsigned slow_seconds, member_limit, newcomer_seconds;
                 bool has_retention, has_ephemeral, ephemeral;
                 unsigned retention_days; } set;
        struct { const char *name, *title, *topic; int visibility; } room;
        struct hdb_match_prefs match;        /* MATCH_POOL_SET */
        const struct hdb_settings *settings; /* SETTINGS_PUT */
        const struct hdb_checkin *checkin;   /* CHECKIN_PUT */
        const char *day_from, *day_to;       /* CHECKINS, SOBRIETY_SET, MILESTONE_TOLD */
        const struct hdb_contact *contacts;  /* CARD_PUT */
        size_t n_contacts;
        const struct hdb_plan_item *plan_items;   /* PLAN_PUT */
        size_t n_plan_items;
        int support_state;     /* SUPPORT_ADD, SUPPORT_SET: matches proto_support_state */
        struct { bool a_accepted, b_accepted; int state; } proposal;   /* MATCH_PROPOSAL */
        bool privileged;       /* INVITE_LIST, INVITE_REVOKE: a room moderator, acting on
                                  everyone's codes */
        const struct hdb_slot *slots;   /* SCHEDULE_SET */
        size_t n_slots;
        struct { uint64_t delivered, seen; } marks;   /* MARKS_SET */
    } in;

    struct {                   /* output: owned by the job */
        int rc;                /* enum hdb_rc */
        struct hdb_user user;
        struct hdb_room room;
        struct hdb_event event;
        struct hdb_event *events;
        size_t n_events;
        bool has_more;
        bool duplicate;
        int64_t token_expires_at;
        struct hdb_audit *audit;
        size_t n_audit;
        struct hdb_report *reports;
        size_t n_reports;
        struct hdb_week *weeks;
        size_t n_weeks;
        size_t n_erased;       /* PURGE: messages erased */
        struct hdb_invite *invites;
        size_t n_invites;
        struct hdb_ping *pings;
        size_t n_pings;
        int64_t id;            /* MATCH_PROPOSAL: the new proposal's id */
        char *text;            /* EXPORT: the document */
        struct hdb_support *support;
        size_t n_support;
        struct hdb_support_day *days;
        size_t n_days;
        struct hdb_checkin *checkins;
        size_t n_checkins;
        struct hdb_contact *contacts;
        size_t n_contacts;
        struct hdb_plan_item *plan_items;
        size_t n_plan_items;
        struct hdb_period *periods;
        size_t n_periods;
    } out;

    struct hdb_job *_next;     /* queue link, hdb's */
};

/* Allocates a zeroed job. */
struct hdb_job *hdb_job_new(enum hdb_op op, hdb_done_fn done, void *ud);
/* Frees the job and everything in its output. */
void hdb_job_free(struct hdb_job *job);

/* Queues the job for the writer. Never blocks on the disk. Returns 0, or
 * HDB_E_CLOSED (the job was not queued and its done will not run). */
int hdb_submit(struct hdb *db, struct hdb_job *job);
/* Runs done() for every completed job, on the caller's thread. */
void hdb_run_completions(struct hdb *db);
/* Runs one job synchronously on the caller's thread in its own transaction
 * (startup, the admin CLI and tests; never from the event loop). */
int hdb_run_sync(struct hdb *db, struct hdb_job *job);

/* -------------------------------------- startup loads (synchronous) */

/* Called before serving. Each calls cb once per row; row memory is valid
 * during the callback only. */
typedef void (*hdb_room_cb)(const struct hdb_room *room, void *ud);
typedef void (*hdb_member_cb)(int64_t room_id, int64_t user_id, const char *handle, int status,
                              int role, int64_t joined_at, void *ud);
typedef void (*hdb_event_cb)(const struct hdb_event *ev, void *ud);
int hdb_load_rooms(struct hdb *db, hdb_room_cb cb, void *ud);
/* On a brand-new database (no rooms at all), makes an open room with no
 * creator: the welcome room newcomers find first. Returns HDB_OK whether or
 * not it made one. */
int hdb_seed_room(struct hdb *db, const char *name, const char *title, const char *topic,
                  int64_t now);
int hdb_load_members(struct hdb *db, hdb_member_cb cb, void *ud);
/* The newest `n` events of a room, ascending by seq. */
int hdb_load_recent(struct hdb *db, int64_t room_id, unsigned n, hdb_event_cb cb, void *ud);

/* --------------------------------------------- operator settings (sync) */

int hdb_setting_get_bool(struct hdb *db, const char *key, bool *out);   /* NOT_FOUND leaves *out */
int hdb_setting_set_bool(struct hdb *db, const char *key, bool value);
/* A sanction on record at startup (until 0 = no end): the person's handle,
 * when it was set (ts), who set it (actor, NULL when no audit line says)
 * and why (reason, "" when none). The strings are the loader's: copy them. */
struct hdb_sanction_row {
    int64_t room_id, user_id, until, ts;
    int kind;                           /* enum hdb_sanction */
    char *handle, *actor, *reason;
};
typedef void (*hdb_sanction_cb)(const struct hdb_sanction_row *row, void *ud);
int hdb_load_sanctions(struct hdb *db, hdb_sanction_cb cb, void *ud);

/* Startup: every block (blocker, blocked). */
typedef void (*hdb_block_cb)(int64_t user_id, int64_t blocked_id, const char *blocked_handle,
                             void *ud);
int hdb_load_blocks(struct hdb *db, hdb_block_cb cb, void *ud);

/* Startup: every buddy pair and pending request (paired false: `asker`
 * asked the other), with both handles. */
typedef void (*hdb_buddy_cb)(int64_t a, const char *a_handle, int64_t b, const char *b_handle,
                             bool paired, int64_t asker, int64_t since, void *ud);
int hdb_load_buddies(struct hdb *db, hdb_buddy_cb cb, void *ud);

/* Startup: the matching pool (each member with their handle, in the order
 * they joined) and the proposals still open or declined (a declined pair is
 * never proposed again). Row memory is valid during the callback only. */
typedef void (*hdb_pool_cb)(int64_t user_id, const char *handle, int64_t joined_at,
                            const struct hdb_match_prefs *prefs, void *ud);
typedef void (*hdb_proposal_cb)(const struct hdb_proposal *p, void *ud);
int hdb_load_match(struct hdb *db, hdb_pool_cb pool, hdb_proposal_cb proposal, void *ud);

/* Startup: the support requests still open or accepted, oldest first, and
 * who is available to support. Row memory is valid during the callback. */
typedef void (*hdb_support_cb)(const struct hdb_support *req, void *ud);
typedef void (*hdb_supporter_cb)(int64_t user_id, const char *handle, void *ud);
int hdb_load_support(struct hdb *db, hdb_support_cb req, hdb_supporter_cb supporter, void *ud);

/* Startup: every member's settings (only those who changed any). */
typedef void (*hdb_settings_cb)(int64_t user_id, const char *handle,
                                const struct hdb_settings *settings, void *ud);
int hdb_load_settings(struct hdb *db, hdb_settings_cb cb, void *ud);
/* Startup: every current clean-time period with the milestones already
 * told for it (keys). */
typedef void (*hdb_sobriety_cb)(int64_t user_id, const char *handle, const char *from_day,
                                const char *const *told, size_t n_told, void *ud);
int hdb_load_sobriety(struct hdb *db, hdb_sobriety_cb cb, void *ud);

/* Startup: every member's receipt marks that are not 0 (conversations). */
typedef void (*hdb_marks_cb)(int64_t room_id, int64_t user_id, uint64_t delivered, uint64_t seen,
                             void *ud);
int hdb_load_marks(struct hdb *db, hdb_marks_cb cb, void *ud);

/* Startup: every meeting room's schedule, one call per slot in order. */
typedef void (*hdb_slot_cb)(int64_t room_id, const struct hdb_slot *slot, void *ud);
int hdb_load_slots(struct hdb *db, hdb_slot_cb cb, void *ud);

/* Admin CLI: set a user's role by handle (NOT_FOUND if no such user). */
int hdb_user_set_role(struct hdb *db, const char *handle, int role);
/* Admin CLI: list users (id, handle, role) to cb. */
typedef void (*hdb_user_cb)(const struct hdb_user *u, void *ud);
int hdb_list_users(struct hdb *db, hdb_user_cb cb, void *ud);

#endif
