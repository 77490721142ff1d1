/*
 * The `hearth` terminal client: internal interfaces.
 *
 *   main.c     arguments, the loop, shutdown
 *   config.c   the saved session file ($XDG_CONFIG_HOME/hearth/session)
 *   cmdline.c  splitting command lines, small parsers (pure)
 *   text.c     making untrusted text safe for a terminal, time stamps, a
 *              growing string for sentences (pure)
 *   ui.c       printing without garbling the line being typed, colours
 *   input.c    stdin: readline on a terminal, lines from a pipe or a file
 *   secret.c   password prompts without echo
 *   oneshot.c  `hearth COMMAND ...` for scripts (oneshot.h)
 *   oneshot_args.c  its command line and the request it makes
 *   chat.c     the interactive client: connection, signing in, input (chat.h)
 *   chat_op.c  its requests: ops, issuing them, the start of a reply
 *   chat_cmd.c its slash commands, password prompts and replies
 *   format.c   rendering replies (room lists, members, history)
 *   meeting.c  meeting states as sentences, the prompt, parsers, one's
 *              attendance by week and the UTC offset it is asked with (pure)
 *   chat_meeting.c  the interactive client's meeting events and views
 *   chat_meeting_cmd.c  its meeting commands and their replies
 *   mod.c      moderation: parsers, settings, audit lines, sentences (pure)
 *   chat_mod.c the interactive client's moderation commands and events
 *   safety.c   blocks, reports, safety: parsers and sentences (pure)
 *   chat_safety.c the interactive client's block, report and safety
 *              commands and events
 *   schedule.c weekly schedules, coming meetings in local time, the local
 *              time zone's name, invite codes: parsers and sentences (pure)
 *   chat_schedule.c the interactive client's schedule, meetings and
 *              invite commands
 *   buddies.c, match.c  buddies, pings, conversations, the matching
 *              pool: parsers and sentences (pure; buddies.h)
 *   chat_buddies.c, chat_conv.c, chat_match.c  the interactive client's
 *              buddy, ping and /match commands and events, and its
 *              private conversations
 *   support.c  asking for support: /sos's words, waits, and the sentences
 *              for requests, offers, the queue and the figures (pure;
 *              support.h)
 *   chat_support.c, chat_supporter.c  the interactive client's /sos and
 *              /handback, and /available, /queue, /accept, /supportstats,
 *              with the support.* events
 *   oneshot_sos.c  `hearth sos`: asking, then waiting for an answer
 *   checkin.c, checkin_text.c, plan.c, cleantime.c  daily check-ins, the
 *              crisis card and the plan, clean time and the settings:
 *              parsers and sentences (pure; checkin.h)
 *   chat_checkin.c, chat_checkin_ask.c, chat_plan.c  the interactive
 *              client's /checkin (asked question by question on a
 *              terminal), its views and events, and /card, /plan,
 *              /cleantime, /milestones, /settings
 *   oneshot_checkin.c  `hearth checkin`
 *   account.c  your data: the export's parts put together, checked and
 *              written to a new file; deleting the account's words (pure
 *              but for the file; account.h)
 *   chat_account.c  the interactive client's /export and /delete-account
 *   oneshot_export.c  `hearth export FILE`
 */
#ifndef HEARTH_TERM_H
#define HEARTH_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hclient.h"

#define HEARTH_DEFAULT_SERVER "http://127.0.0.1:8080"

/* ------------------------------------------------------------ options */

struct term_opts {
    const char *server;          /* --server, else the saved one, else the default */
    bool server_given;
    bool no_color;
    bool tls_insecure;
    const char *ca_file;
};

/* ----------------------------------------------------------- config.c */

struct hearth_cfg {
    char server[512];
    char handle[PROTO_HANDLE_MAX + 1];
    char token[160];
    char room[PROTO_HANDLE_MAX + 1];   /* the last current room */
};

/* The directory: $XDG_CONFIG_HOME/hearth, else $HOME/.config/hearth.
 * Returns 0 or -ENOENT when neither variable is usable. */
int cfg_dir(char *buf, size_t n);
/* Reads dir/session. Missing file: 0 with an empty cfg. Tightens the
 * file's mode to 0600 when it was looser. Returns 0 or a negative errno. */
int cfg_load(const char *dir, struct hearth_cfg *cfg);
/* Writes dir/session atomically with mode 0600 (dir created 0700). */
int cfg_save(const char *dir, const struct hearth_cfg *cfg);
/* Another file of dir (e.g. "conversations"): read whole into buf (at
 * most n-1 bytes, NUL-terminated; a missing file reads as empty), or
 * written atomically with mode 0600. Return 0 or a negative errno. */
int cfg_read_file(const char *dir, const char *name, char *buf, size_t n);
int cfg_write_file(const char *dir, const char *name, const char *text, size_t len);
/* Another hearth process may share the file (a one-shot `hearth passwd`
 * next to the chat), so updates re-read it and change only their fields:
 *   CFG_AUTH    server, handle and token from mine (room kept only for
 *               the same account on the same server)
 *   CFG_ROOM    room from mine, if the file holds the same account
 *   CFG_FORGET  clear the token, if the file still holds mine's token
 *   CFG_GONE    the account was deleted: clear the handle, token and room,
 *               if the file holds the same account (the server is kept)
 * cfg_merge applies that to disk (pure); cfg_update loads, merges, saves. */
#define CFG_AUTH 1
#define CFG_ROOM 2
#define CFG_FORGET 4
#define CFG_GONE 8
bool cfg_merge(struct hearth_cfg *disk, const struct hearth_cfg *mine, int what);
int cfg_update(const char *dir, const struct hearth_cfg *mine, int what);
/* Pure parts, for tests: parse file text into cfg / format cfg as text. */
void cfg_parse(const char *text, struct hearth_cfg *cfg);
int cfg_format(const struct hearth_cfg *cfg, char *buf, size_t n);

/* ---------------------------------------------------------- cmdline.c */

#define CMD_MAX_ARGS 64

struct cmd_args {
    int argc;
    char *argv[CMD_MAX_ARGS + 1];
    char *rest[CMD_MAX_ARGS + 1];  /* rest[i]: the raw line from argument i on */
    char *buf;                     /* owns the strings */
};

/* Shell-like split: blanks separate words, "..." and '...' quote, a
 * backslash escapes the next character. Returns 0, -EINVAL for an open
 * quote, -E2BIG for too many words. Free with cmd_args_free. */
int cmd_split(const char *line, struct cmd_args *out);
void cmd_args_free(struct cmd_args *a);
/* Scanning a line as typed, for commands whose reason keeps its quotes
 * and apostrophes (cmd_split would take them as quoting). */
const char *cmd_skip_blanks(const char *s);
/* The next word of *s into out (at most n-1 bytes; longer words fail);
 * moves *s past it. */
bool cmd_next_word(const char **s, char *out, size_t n);
/* The rest of the line: blanks around it trimmed, one pair of quotes
 * around all of it dropped. Returns where it starts; *len is 0 when
 * nothing is left. */
const char *cmd_rest(const char *s, size_t *len);
/* cmd_rest() copied (malloc'd into *out; NULL when nothing is left):
 * 0, -E2BIG past max_chars code points (or not UTF-8), -ENOMEM. */
int cmd_take_rest(const char *s, long max_chars, char **out);
/* w is keyword (lower case), in any case. */
bool cmd_word_is(const char *w, const char *keyword);
/* Parses a decimal in [min, max]. */
bool cmd_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);
/* "available", "away", "busy", "invisible" (and prefixes "avail", "dnd"). */
bool cmd_parse_status(const char *s, enum proto_status *out);
/* A status in words: "available", "away", "busy", "invisible", "offline". */
const char *fmt_status(enum proto_status st);

/* ------------------------------------------------------------- text.c */

/* Copies untrusted text for display: control characters (C0, DEL, C1,
 * escape sequences) become U+FFFD or are dropped, newlines become
 * "\n" + indent, invalid UTF-8 becomes U+FFFD. Returns a malloc'd string. */
char *text_sanitize(const char *s, const char *indent);
/* text_sanitize() on one line: newlines become blanks; NULL is "".
 * malloc'd, NULL only without memory. */
char *text_one_line(const char *s);

/* A growing string for sentences built piece by piece. Start from {0};
 * after a failed allocation it stays failed (oom) and adds nothing, so a
 * builder checks once, in text_buf_take. */
struct text_buf {
    char *p;
    size_t len, cap;
    bool oom;
};
void text_buf_add(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string (the caller frees it), or NULL when empty or out of memory
 * (the buffer freed). */
char *text_buf_take(struct text_buf *b);
/* "HH:MM" for today, "Mon DD HH:MM" for other days, in local time. */
void text_time(int64_t ts_ms, int64_t now_ms, char out[32]);
/* Human duration for "reconnecting in 2s": "0.3s", "2s", "15s". */
void text_duration(int64_t ms, char out[16]);

/* --------------------------------------------------------------- ui.c */

/* UI_CARE: what is said gently but must stand out (a check-in, an alert). */
enum ui_style { UI_PLAIN, UI_DIM, UI_ERROR, UI_NOTICE, UI_BOLD, UI_WARN, UI_CARE };

void ui_init(bool color);
bool ui_color(void);
/* The locale's character set is UTF-8 (checked once, in ui_init). */
bool ui_utf8(void);
/* Stdout is a terminal: what is printed is seen by a person. */
bool ui_tty(void);
/* Rings the terminal bell (only when stdout is a terminal). */
void ui_bell(void);
/* The wall clock, ms since the epoch. */
int64_t ui_now_ms(void);
/* Prints one line (no trailing newline needed) on stdout without
 * garbling the readline prompt. */
void ui_line(enum ui_style st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The colour escape for a handle (stable per handle), "" without colour. */
const char *ui_handle_color(const char *handle);
const char *ui_reset(void);
const char *ui_dim(void);
const char *ui_bold(void);

/* ------------------------------------------------------------ input.c */

typedef void (*input_line_cb)(char *line, void *ud);   /* line NULL at EOF; cb owns line */

/* Starts reading stdin on the loop: readline when stdin is a terminal,
 * else lines from a pipe, socket or file. */
int input_start(uv_loop_t *loop, const char *prompt, input_line_cb cb, void *ud);
bool input_is_tty(void);
void input_set_prompt(const char *prompt);
/* Terminal only: the next line is read without echo, after `prompt`. */
void input_secret_begin(const char *prompt);
void input_secret_end(void);
bool input_secret_active(void);
/* Clears the line being typed (Ctrl-C). Returns true if there was text. */
bool input_clear_line(void);
void input_resize(void);
/* Right after a line was entered on the terminal: erase it (prompt and
 * text) from the screen; the server's echo of the message replaces it. */
void input_erase_entered(const char *line);
/* Stops reading and restores the terminal; handles closed on the loop. */
void input_stop(void);
/* Called by ui.c around output. */
void input_hide(void);
void input_show(void);

/* ----------------------------------------------------------- secret.c */

/* Reads a password before the loop runs: from the terminal without echo
 * (prompt on stderr), else one line of stdin. Returns a malloc'd string
 * or NULL (EOF). */
char *secret_read(const char *prompt);
void secret_wipe(char *s);

/* ----------------------------------------------------------- format.c */

/* Print through ui_line. `me` is the signed-in handle (may be NULL).
 * show_seq: "#SEQ" before each message (a moderator's live view, and
 * every history listing). A hidden message (from someone the reader
 * blocks) prints nothing. */
void fmt_room_event(const struct proto_room_event *ev, bool backlog, const char *me,
                    bool show_seq);
/* The rooms, a line each, then the private conversations among them on
 * one line. */
void fmt_rooms(const struct proto_room *rooms, size_t n);
void fmt_room_line(const struct proto_room *r, const char *verb);
/* "People in LABEL (n): ..." (label: "#porch", "@bob"). */
void fmt_members(const char *label, const struct proto_member *m, size_t n);
/* A server error as a sentence with its code: "That handle is taken. (handle_taken)" */
void fmt_error(const struct hc_reply *r, char *buf, size_t n);
/* The words for a session end reason ("logout" -> "you logged out elsewhere"). */
const char *fmt_end_reason(const char *reason);

/* ---------------------------------------------------------- meeting.c */

#define MTG_NAME (PROTO_HANDLE_MAX + 1)

/* What this client last showed of one room's meeting. */
struct mtg_view {
    char room[MTG_NAME];
    bool meeting;                 /* a meeting room, as far as we know */
    bool known;                   /* a state was shown: later ones are compared with it */
    bool partial;                 /* only meeting.opened was seen so far */
    enum proto_room_role role;    /* mine in this room */
    bool open;
    char chair[MTG_NAME];         /* "" when none */
    enum proto_meeting_mode mode;
    bool auto_floor;
    char speaker[MTG_NAME];       /* "" when nobody has the floor */
    int64_t share_ends_at;        /* server clock, ms; 0 when nobody has the floor */
    uint32_t share_seconds;
    char (*queue)[MTG_NAME];      /* raised hands in order; NULL when none */
    size_t n_queue;
    char *format;                 /* the room's format text as sent (NULL: none or not known) */
    unsigned said;                /* counts the lines shown about this room's meeting */
};

/* "one" (also "one_speaker", "one-speaker") or "open". */
bool mtg_parse_mode(const char *s, enum proto_meeting_mode *out);
/* "on"/"off" (also yes/no, true/false, 1/0). */
bool mtg_parse_onoff(const char *s, bool *out);
/* A share length: whole minutes "5" or "M:SS", within 1..30 minutes. */
bool mtg_parse_minutes(const char *s, uint32_t *seconds);
/* "\n" -> newline, "\\" -> backslash; the rest as is. malloc'd. */
char *mtg_unescape(const char *s);
/* Time left as a countdown: "5:00", "0:59", "0:01"; negative is "0:00". */
void mtg_fmt_left(int64_t ms, char out[16]);
/* A share length in words: "5 minutes", "1 minute", "2:30 minutes". */
void mtg_fmt_length(uint32_t seconds, char out[32]);
void mtg_fmt_ordinal(size_t n, char out[24]);   /* "1st", "2nd", "11th" */
/* A handle from the server, for the terminal: a-z A-Z 0-9 _ - kept, any
 * other byte '?', at most PROTO_HANDLE_MAX. NULL gives "". */
void mtg_safe_name(const char *in, char out[MTG_NAME]);
/* Forgets the state (keeps the room name); frees the queue. */
void mtg_view_reset(struct mtg_view *v);
/* 1-based place of `me` among the raised hands, 0 when not there. */
size_t mtg_queue_pos(const struct mtg_view *v, const char *me);
/* A new state: stores it in v and returns what changed since the last
 * one as sentences ("carol has the floor (5:00 left). Hands: dan."), or
 * the whole summary when v knew nothing yet; NULL when nothing changed
 * that a person cares about. `me` (may be NULL) is said as "you". */
char *mtg_update(struct mtg_view *v, const struct proto_meeting *m, const char *me, int64_t now_ms);
/* Everything about the state in v, as sentences. malloc'd (NULL: no memory). */
char *mtg_summary(const struct mtg_view *v, const char *me, int64_t now_ms);
/* meeting.opened was shown (with its format text, which may be NULL): the
 * meeting is open, no hands, nobody speaking. */
void mtg_opened(struct mtg_view *v, const char *chair, const char *format);
/* The format text for display (sanitized, lines after the first indented
 * by two blanks), or NULL when there is none (or no memory). malloc'd. */
char *mtg_format_text(const struct mtg_view *v);
/* The prompt: "[room]> ", or with an open meeting "[room ✋2 🎤carol]> "
 * ("[room hands:2 floor:carol]> " without UTF-8); "> " without a room. */
void mtg_prompt(const struct mtg_view *v, const char *room, const char *me, bool utf8, char *out,
                size_t n);

/* meeting.attendance (one's own, by week): how many weeks to ask for, and
 * the UTC offsets the server takes. */
#define MTG_WEEKS_DEFAULT 12UL
#define MTG_WEEKS_MAX 52UL
#define MTG_UTC_OFFSET_MIN (-720)
#define MTG_UTC_OFFSET_MAX 840

/* The local time's offset from UTC at t, in whole minutes (-300 for New
 * York in winter, -240 in summer, 330 for India), by the TZ rules: what
 * localtime_r and gmtime_r make of the same t. Clamped to -720..840.
 * false when t cannot be converted. */
bool mtg_utc_offset(time_t t, int32_t *minutes);
/* The local year at t (0 when t cannot be converted). */
int mtg_local_year(time_t t);
/* Time attended: "50 min", "1 h 35 min", "2 h"; 0 is "less than a minute". */
void mtg_fmt_minutes(uint32_t minutes, char out[32]);
/* "1 meeting, 15 min", "2 meetings, 1 h 35 min". */
void mtg_fmt_attendance(uint32_t meetings, uint32_t minutes, char out[64]);
/* A week's Monday "YYYY-MM-DD" as "Nov 16", or "Dec 29, 2025" when it is
 * not in this_year (English names, whatever the locale); "?" when it is
 * not a date. */
void mtg_fmt_week(const char *week, int this_year, char out[32]);
/* The answer to meeting.attendance, lines separated by '\n': a heading,
 * then "  week of Nov 16   2 meetings, 50 min" per week (newest first, as
 * given; the dates padded to one width); or a kind line when there are
 * none. malloc'd (NULL: no memory). */
char *mtg_attendance_text(const struct proto_attendance_week *w, size_t n, int this_year);

/* Retention (any room, not only meeting rooms): how long a room keeps its
 * messages. DAYS is 0..3650; 0 (also "keep") keeps them. */
#define MTG_RETENTION_MAX 3650UL
bool mtg_parse_retention(const char *s, uint32_t *days);
/* For a room line: "messages kept 30 days", "nothing is stored" (an
 * ephemeral room), or "" when the room keeps its messages. */
void mtg_fmt_keep(uint32_t days, bool ephemeral, char out[48]);
/* The sentences confirming a room's retention and/or its ephemeral
 * setting, as the room object r says they are now:
 *   "#quiet keeps messages 30 days; older ones are erased from the server."
 * malloc'd (NULL: no memory, or neither asked). */
char *mtg_keep_sentence(const struct proto_room *r, bool retention, bool ephemeral);

/* -------------------------------------------------------------- mod.c */

#define MOD_MINUTES_MAX 525600UL       /* mute, ban: a year */
#define MOD_DAYS_MAX 3650UL            /* suspend: ten years */
#define MOD_SLOW_MAX 3600UL
#define MOD_LIMIT_MAX 100000UL
#define MOD_NEWCOMER_MAX 86400UL

enum mod_parse { MOD_OK = 0, MOD_NO_HANDLE, MOD_BAD_HANDLE, MOD_BAD_NUMBER, MOD_LONG_REASON,
                 MOD_NO_MEMORY };

struct mod_args {
    char handle[PROTO_HANDLE_MAX + 1];   /* folded ("@" before it allowed) */
    unsigned long number;                /* MINUTES or DAYS; 0 when not given */
    uint64_t seq;                        /* mod_parse_seq */
    char *reason;                        /* malloc'd; NULL when none */
};

/* "HANDLE [N] [reason...]", the text after the command word. A word
 * after HANDLE made only of digits is N, in 1..number_max (else
 * MOD_BAD_NUMBER); any other word starts the reason. number_max 0: no N.
 * The reason is the rest of the line as typed (one pair of quotes around
 * all of it dropped), at most PROTO_REASON_MAX characters. Free with
 * mod_args_free, whatever it returns. */
enum mod_parse mod_parse_target(const char *s, unsigned long number_max, struct mod_args *out);
/* "SEQ [reason...]" (SEQ may be written #SEQ). */
enum mod_parse mod_parse_seq(const char *s, struct mod_args *out);
void mod_args_free(struct mod_args *a);
/* A setting: a number in 0..max, or "off"/"none"/"no" for 0. */
bool mod_parse_setting(const char *s, unsigned long max, unsigned long *out);
/* Settings values: "30 s", "10 min", "2 h". */
void mod_fmt_secs(uint32_t seconds, char out[32]);
/* A span in words: "less than a minute", "10 minutes", "5 hours", "3 days". */
void mod_fmt_span(int64_t ms, char out[32]);
/* A room's settings as words ("slow mode 30 s, locked"): with `old`, only
 * what differs from it; without, all of them (only_on: only those that
 * are not off). NULL when there is nothing to say. malloc'd. */
char *mod_settings_text(const struct proto_mod_settings *old, const struct proto_mod_settings *now,
                        bool only_on);
/* What a moderator did to you ("moderated" event), as a kind sentence:
 * "A moderator muted you in #porch for 10 minutes: cool off. ...".
 * until 0: no end. malloc'd. */
char *mod_moderated_text(const char *room, const char *action, const char *reason, int64_t until,
                         int64_t now_ms);
/* One audit log entry, e.g. 14:02  mona muted troy for 10 minutes (until
 * 14:12): "spam". log_room is the room whose log it is: an entry from
 * elsewhere says where ("14:02  [porch] mona ..."); NULL for the
 * server-wide log, where every entry does ("[server-wide]" for one that
 * is not in a room). malloc'd. */
char *mod_audit_line(const struct proto_audit_entry *e, const char *log_room, int64_t now_ms);
/* One sanction in force (mod.sanctions), e.g. troy  muted for 10 minutes
 * (until 14:12) by moe: "spam". malloc'd. */
char *mod_sanction_line(const struct proto_sanction *x, int64_t now_ms);
/* The moderator's confirmation of a done request (mod.mute ...
 * mod.unsuspend): number is the minutes (mute, ban) or days (suspend),
 * seq the message (delete). malloc'd. */
char *mod_done_text(enum proto_req_type t, const char *room, const char *handle,
                    unsigned long number, uint64_t seq);

/* ----------------------------------------------------------- safety.c */

enum saf_parse { SAF_OK = 0, SAF_NO_TARGET, SAF_BAD_SEQ, SAF_BAD_HANDLE, SAF_NO_REASON,
                 SAF_LONG_REASON, SAF_BAD_ID, SAF_BAD_OUTCOME, SAF_NO_MEMORY };

struct saf_report_args {
    uint64_t seq;                        /* a message of the room; 0 for a person */
    char handle[PROTO_HANDLE_MAX + 1];   /* a person (folded); "" for a message */
    char *reason;                        /* malloc'd */
};

/* What /report takes: "SEQ reason..." (also "#SEQ") for a message, or
 * "@HANDLE reason..." (also a bare HANDLE that is not a number) for a
 * person. The reason is required: the rest of the line as typed (one pair
 * of quotes around all of it dropped), at most PROTO_REASON_MAX
 * characters. Free with saf_report_args_free, whatever it returns. */
enum saf_parse saf_parse_report(const char *s, struct saf_report_args *out);
void saf_report_args_free(struct saf_report_args *a);

struct saf_resolve_args {
    int64_t id;
    const char *outcome;                 /* "actioned" or "dismissed" (static) */
    char *note;                          /* malloc'd; NULL when none */
};

/* What /resolve takes: "ID actioned|dismissed [note...]" (ID may be #ID;
 * "action", "acted", "dismiss" are understood too). Free with
 * saf_resolve_args_free, whatever it returns. */
enum saf_parse saf_parse_resolve(const char *s, struct saf_resolve_args *out);
void saf_resolve_args_free(struct saf_resolve_args *a);
bool saf_parse_id(const char *s, int64_t *out);
bool saf_parse_outcome(const char *s, const char **out);

/* The sentences below are malloc'd (NULL only without memory); lines are
 * separated by '\n'. */
/* The notice, then one "  - resource" line each (a line pointing to the
 * local emergency number when the list is empty). */
char *saf_resources_text(const char *notice, const char *const *resources, size_t n);
/* A private check-in: every line starts with a bar ("│ ", "| " without
 * UTF-8): who it is for, the server's caring sentence, the resources, and
 * that they are welcome to keep talking; `again` names the command that
 * shows the list again ("/help-now" when NULL). */
char *saf_check_in_text(const char *text, const char *const *resources, size_t n,
                        const char *room, bool utf8, const char *again);
/* "[porch] ann's message #42 may mean they are struggling. Consider reaching out." */
char *saf_alert_text(const char *room, const char *handle, uint64_t seq);
/* "[porch] New report #12 from ann about troy: reason" (no "[room] " for none). */
char *saf_report_new_text(const struct proto_report *r);
/* A message report's message: "message #42: \"the text\"", or "message #42
 * (already taken down)"; NULL for a person report. */
char *saf_report_excerpt(const struct proto_report *r);
/* One entry of the queue: "#12  14:02  [porch] ann about troy's message #42: reason"
 * (" [actioned]" after a resolved one's target). */
char *saf_report_entry(const struct proto_report *r, int64_t now_ms);
/* The reporter's thanks (report.handled). */
char *saf_handled_text(int64_t id, const char *outcome);
/* The quiet confirmations of /block and /unblock. */
char *saf_block_done_text(bool block, const char *handle);
/* "You block 2 people: troy, vex." or "You don't block anyone." */
char *saf_blocks_text(const char *const *handles, size_t n);
/* The reporter's confirmation of report.create: seq for a message, else
 * handle for a person; room NULL or "" when none. */
char *saf_report_done_text(int64_t id, const char *room, uint64_t seq, const char *handle);
/* The moderator's confirmation of report.resolve. */
char *saf_resolve_done_text(int64_t id, const char *outcome);
/* Without the server's list (it could not be reached). */
#define SAF_FALLBACK "If you are in danger, call your local emergency number now."

/* --------------------------------------------------------- schedule.c */

#define SCH_ZONE (PROTO_TZ_MAX + 1)
#define SCH_DAYS 64                    /* room for sch_fmt_days */
#define SCH_ALL_DAYS 0x7F              /* bits (1 << proto_weekday) */
#define SCH_WEEKDAYS 0x1F
#define SCH_WEEKENDS 0x60
/* room.invite: how long a code works, in hours, and how many joins it takes */
#define SCH_INVITE_HOURS_DEFAULT 168UL
#define SCH_INVITE_HOURS_MAX 720UL
#define SCH_INVITE_USES_MAX 1000UL

/* Weekdays as typed: "mon,wed", "mon-fri" (a range may wrap: "fri-mon"),
 * "daily", "weekdays", "weekends", or a mix separated by commas; days by
 * three letters or in full, in any case. false (out untouched) for
 * anything else. */
bool sch_parse_days(const char *s, uint8_t *days);
/* "HH:MM" on a 24-hour clock ("7:30" too): minutes after midnight. */
bool sch_parse_clock(const char *s, uint16_t *minute);
/* The shape of an IANA zone name: 1..PROTO_TZ_MAX bytes of A-Z a-z 0-9
 * _ + - /, not starting with '/'. Whether the zone exists is the
 * server's to say. */
bool sch_zone_name_ok(const char *s);

enum sch_parse { SCH_OK = 0, SCH_USAGE, SCH_BAD_DAYS, SCH_BAD_TIME, SCH_BAD_LENGTH,
                 SCH_BAD_ZONE };
/* The words after `/schedule add`: DAYS HH:MM MINUTES [TZ]. out->tz is
 * argv[3], or `zone` when not given (the caller keeps either alive). */
enum sch_parse sch_parse_slot(int argc, char **argv, const char *zone, struct proto_slot *out);
/* What to do about a failed sch_parse_slot, as a sentence (not SCH_USAGE:
 * the command's own usage line says that). */
const char *sch_parse_error(enum sch_parse rc);
/* What /invite takes: [ROOM] [HOURS [USES]]. A first word that is not a
 * number is the room (*room points to it; NULL when none); HOURS is
 * 1..720 (a week when not given), USES 1..1000 (0, any number, when not
 * given). false for anything else. */
bool sch_parse_invite(int argc, char **argv, const char **room, unsigned long *hours,
                      unsigned long *uses);

/* "Mon, Wed", "Mon–Fri" (three or more days in a row), "Every day";
 * "Mon-Fri" without UTF-8. */
void sch_fmt_days(uint8_t days, bool utf8, char out[SCH_DAYS]);
/* A zone name from the server, for the terminal: the characters a zone
 * name may hold kept, any other byte '?'. NULL gives "". */
void sch_safe_zone(const char *in, char out[SCH_ZONE]);
/* One slot: "1. Mon, Wed 19:00–20:00 America/New_York (60 min)" (number 0:
 * without "1. "). malloc'd. */
char *sch_slot_line(size_t number, const struct proto_slot *slot, bool utf8);
/* A room's schedule: a heading and one slot line each, separated by
 * '\n'; a kind line when there are none. malloc'd (NULL: no memory). */
char *sch_schedule_text(const char *room, const struct proto_slot *slots, size_t n, bool utf8);

/* A day in local time: "Mon 23 Nov" (English names, whatever the locale). */
void sch_fmt_day(int64_t ms, char out[16]);
/* One coming meeting, in local time: "Mon 23 Nov 19:00–20:00  porch  Evening
 * circle  (open now)"; "(running)" when its time has come but nobody has
 * opened it. The room is padded to room_width when more follows.
 * malloc'd. */
char *sch_upcoming_line(const struct proto_upcoming *u, int room_width, int64_t now_ms, bool utf8);
/* The answer to meeting.upcoming: "Upcoming meetings (your time, ZONE):"
 * and a line each (rooms in one column; an open room's meeting said open
 * on its soonest line only), separated by '\n'; or "No meetings scheduled
 * in the next N days." malloc'd (NULL: no memory). */
char *sch_upcoming_text(const struct proto_upcoming *u, size_t n, uint32_t days, const char *zone,
                        int64_t now_ms, bool utf8);

/* The IANA name of the local time zone: TZ when it names one
 * ("Europe/Paris", ":Europe/Paris", or a path ".../zoneinfo/Europe/Paris"),
 * else the zone a link such as /etc/localtime points to (what follows
 * ".../zoneinfo/"), else "UTC". A name counts only when `zoneinfo` holds a
 * file of that name, as the C library needs to use it: POSIX rules such as
 * "EST5EDT,M3.2.0,M11.1.0" or "UTC0" are not names. tz and link may be NULL. */
void sch_zone_from(const char *tz, const char *link, const char *zoneinfo, char out[SCH_ZONE]);
/* sch_zone_from with $TZ, /etc/localtime and $TZDIR (or /usr/share/zoneinfo). */
void sch_local_zone(char out[SCH_ZONE]);

/* A new invite code: "Invite code for #porch: CODE (works until Nov 30
 * 14:00, for 5 joins)." expires_at 0: no end; uses 0: any number.
 * malloc'd. */
char *sch_invite_made_text(const char *room, const char *code, int64_t expires_at, uint32_t uses,
                           int64_t now_ms);
/* One live code: "CODE  by ann  until Nov 30 14:00  3 joins left". malloc'd. */
char *sch_invite_line(const struct proto_invite *inv, int64_t now_ms);
/* The answer to room.invites: a heading and a line each, separated by
 * '\n'; or a line saying there are none. malloc'd (NULL: no memory). */
char *sch_invites_text(const char *room, const struct proto_invite *inv, size_t n, int64_t now_ms);

/* ---------------------------------------------------------- commands */

int oneshot_main(uv_loop_t *loop, const struct term_opts *o, struct hearth_cfg *cfg,
                 const char *cfgdir, int argc, char **argv);
int chat_main(uv_loop_t *loop, const struct term_opts *o, struct hearth_cfg *cfg,
              const char *cfgdir, const char *room);
bool oneshot_known(const char *cmd);

#endif
