/*
 * Daily check-ins, the crisis card, the trigger action plan, clean time
 * and the settings behind them, in the terminal client (PROTOCOL.md
 * section 23): what people type and the sentences for replies and events.
 * Pure (no I/O; the clock only in ci_today).
 *
 *   checkin.c    days, /checkin's words (and `hearth checkin`'s options),
 *                picking warning signs
 *   checkin_text.c  the result, the warning, buddies' check-ins and
 *                alerts, the summary, the streak, the list, the journal
 *   plan.c       /card add, /plan add and /plan reason's words; editing a
 *                list; the card and the plan as lines
 *   cleantime.c  clean time, milestones, /settings' words and each
 *                setting in plain words
 *
 * The people reading this are in recovery: the words are plain and kind.
 * A relapse is "a new start", never a failure. Handles and rooms from the
 * server go through mtg_safe_name(), anyone's words through
 * text_one_line().
 */
#ifndef HEARTH_TERM_CHECKIN_H
#define HEARTH_TERM_CHECKIN_H

#include "hearth.h"

#define CI_DAY 11                 /* "YYYY-MM-DD" and its NUL */
#define CI_DAY_WORDS 24           /* "Mon 23 Nov", "Mon 23 Nov 2025" */
#define CI_LIST_DEFAULT 7UL       /* /checkins */
#define CI_LIST_MAX 366UL
#define CI_JOURNAL_DEFAULT 10UL   /* /journal */
#define CI_JOURNAL_MAX 100UL
#define CI_PERIODS_DEFAULT 4UL    /* /history week|month */
#define CI_PERIODS_MAX 52UL
#define CI_SIGNS_TEXT_MAX 2000L   /* characters of the warning signs as typed */

enum ci_parse { CI_OK = 0, CI_USAGE, CI_NO_MOOD, CI_BAD_MOOD, CI_BAD_CRAVING, CI_BAD_WORD,
                CI_LONG_TEXT, CI_BAD_SIGN, CI_TOO_MANY_SIGNS, CI_NO_MEMORY };

/* ------------------------------------------------ checkin.c, checkin_text.c */

/* A day "YYYY-MM-DD" that exists (2028-02-29 does, 2026-02-29 does not). */
bool ci_day_ok(const char *s);
/* Days since 1970-01-01 (negative before); false when s is not a day. */
bool ci_day_number(const char *s, int64_t *out);
/* The day n days after 1970-01-01, as "YYYY-MM-DD". */
void ci_day_name(int64_t n, char out[CI_DAY]);
/* The local date at now_ms, "YYYY-MM-DD" (the only use of the clock's zone). */
void ci_today(int64_t now_ms, char out[CI_DAY]);
/* "Mon 23 Nov" (English names, whatever the locale), "Mon 23 Nov 2025"
 * when its year is not this_year (0: never); "?" when s is not a day. */
void ci_fmt_day(const char *s, int this_year, char out[CI_DAY_WORDS]);
/* "23 Nov", "23 Nov 2025": ci_fmt_day without the weekday. */
void ci_fmt_date(const char *s, int this_year, char out[CI_DAY_WORDS]);
/* The year, month (1..12) and day of a day; false when s is not one. */
bool ci_day_parts(const char *s, int *y, int *m, int *d);

/* "s" unless n is 1. */
const char *ci_plural(unsigned long n);
/* [from, to) with the blanks around it trimmed and one pair of quotes
 * around all of it dropped, into *out (malloc'd; NULL when nothing is
 * left; an earlier *out is freed): CI_LONG_TEXT past max characters (or
 * not UTF-8). */
enum ci_parse ci_take(const char *from, const char *to, long max, char **out);

struct ci_args {
    uint32_t mood;                 /* 1..5; 0: not given */
    int32_t craving;               /* 0..10; -1: not said */
    char *signs;                   /* as typed (names, labels or numbers); NULL: none */
    char *grateful, *win, *note;   /* NULL: not said */
};

/* What /checkin takes (the text after the command word):
 *   MOOD [craving=N] [signs=LIST] [grateful=TEXT] [win=TEXT] [note=TEXT]
 * MOOD is 1..5 (also mood=N, anywhere); keys in any case. A value runs to
 * the next KEY= (so it may hold blanks and apostrophes), blanks around it
 * trimmed and one pair of quotes around all of it dropped; "" is not
 * said. craving=none is not said either. Texts are at most 500
 * characters. Free with ci_args_free, whatever it returns (CI_NO_MOOD:
 * the rest was fine but there is no mood). */
enum ci_parse ci_parse_line(const char *s, struct ci_args *out);
/* `hearth checkin`'s options (argv[0] is the first option): --mood N
 * [--craving N] [--signs LIST] [--grateful TEXT] [--win TEXT] [--note TEXT]. */
enum ci_parse ci_parse_argv(int argc, char **argv, struct ci_args *out);
void ci_args_free(struct ci_args *a);
/* One answer of the questions on a terminal: a mood "1".."5"; a craving
 * "0".."10" (blanks around them allowed). */
bool ci_parse_mood(const char *s, uint32_t *out);
bool ci_parse_craving(const char *s, int32_t *out);
/* What to do about a failed parse, as a sentence (`oneshot`: in the
 * words of `hearth checkin`). */
const char *ci_parse_error(enum ci_parse rc, bool oneshot);

struct ci_signs {
    const char *names[PROTO_SIGNS_MAX];   /* point into the list picked from */
    size_t n;
};
/* The warning signs typed, picked from the server's list: separated by
 * commas (or blanks), each a number of the list (from 1), a name, or a
 * label, in any case ("high-stress" and "High stress" are high_stress);
 * "none" or nothing picks none; one picked twice counts once. CI_BAD_SIGN
 * copies what was not understood into bad (cut to fit); CI_TOO_MANY_SIGNS
 * past PROTO_SIGNS_MAX. */
enum ci_parse ci_pick_signs(const char *typed, const struct proto_sign *list, size_t n,
                            struct ci_signs *out, char bad[48]);
/* Fills q (checkin.submit) from a and the signs picked; both stay alive
 * until q is sent. */
void ci_fill_submit(const struct ci_args *a, const struct ci_signs *signs,
                    struct proto_request *q);

/* The sentences below are malloc'd (NULL only without memory); lines are
 * separated by '\n'. */

/* The list to pick from: a heading, then "   1. Isolating" ... */
char *ci_signs_menu(const struct proto_sign *list, size_t n);
/* "'xyz' is not one of the warning signs. Pick by number or name:" and
 * the menu. */
char *ci_bad_sign_text(const char *bad, const struct proto_sign *list, size_t n);
/* checkin.submit: "Checked in for Mon 23 Nov. Streak: 3 days." ("Updated
 * your check-in for ..." when it replaced the day's earlier one). */
char *ci_result_text(const struct proto_checkin *c, bool updated, uint32_t streak);
/* With a warning: the plan, the reasons, the people on the card, where to
 * get help, and one step to reach out ("/ping bob struggling, or /sos
 * craving"), naming the buddies given (`hearth ping` and `hearth sos`
 * when oneshot). */
char *ci_warning_text(const struct proto_result *res, const char *const *buddies, size_t nb,
                      bool oneshot);
/* checkin.shared: "bob checked in: mood 3/5, craving 5/10, 2 warning
 * signs. Grateful for: ... Win of the day: ..." ("for Sun 22 Nov" when its
 * day is not today); never the note. */
char *ci_shared_text(const struct proto_checkin *c, const char *today);
/* checkin.alert: "bob's check-in shows 3 warning signs today. Maybe reach
 * out: /dm bob or /ping bob thinking". */
char *ci_alert_text(const char *handle, const char *day, uint32_t signs, const char *today);
/* checkin.nudge: "bob has been quiet for 2 days. Maybe reach out: /ping
 * bob thinking or /dm bob". */
char *ci_nudge_text(const char *handle, uint32_t days);
/* checkin.reminder: welcome back, and that the buddies were nudged. */
char *ci_reminder_text(uint32_t days);
/* checkin.summary: a heading, a line per week or month (newest first),
 * the streak, and this week's meetings against the goal. */
char *ci_summary_text(const struct proto_result *res, bool months, int this_year);
/* "Streak: 6 days in a row (longest: 41 days)." or, at 0, a kind word. */
char *ci_streak_text(uint32_t streak, uint32_t longest);
/* "2 of 3 meetings this week." ("Goal reached" when met); without a goal,
 * the meetings and how to set one. */
char *ci_goal_text(uint32_t goal, uint32_t meetings);
/* checkin.list (newest first): a heading and one line each; the signs by
 * label when list has them. */
char *ci_list_text(const struct proto_checkin *c, size_t n, const struct proto_sign *list,
                   size_t nl, int this_year);
/* checkin.journal (newest first): a heading and a line per day. */
char *ci_journal_text(const struct proto_journal_entry *e, size_t n, int this_year);
/* " Label: words." added to b (a period unless the words end with one). */
void ci_add_said(struct text_buf *b, const char *label, const char *words);

/* ------------------------------------------------------------- plan.c */

#define PL_ITEM_MAX PROTO_PLAN_TEXT_MAX   /* characters of a name, phone, note, line part, reason */

struct pl_contact_args {
    char *name, *phone, *note;     /* malloc'd; note NULL: none */
};
/* What /card add takes: NAME PHONE [NOTE...]. NAME is the words before
 * the first that looks like a phone number (digits and + - ( ) .), or a
 * quoted part; PHONE the run of such words, or a quoted part; NOTE the
 * rest as typed. Each at most 300 characters. Free with
 * pl_contact_args_free, whatever it returns. */
enum ci_parse pl_parse_contact(const char *s, struct pl_contact_args *out);
void pl_contact_args_free(struct pl_contact_args *a);
/* What /plan add takes: WHEN => THEN (also "->"); a first word "if" or
 * "when" is dropped from WHEN. *when and *then are malloc'd. */
enum ci_parse pl_parse_line(const char *s, char **when, char **then);
/* /plan reason TEXT: the text as typed (one pair of quotes dropped). */
enum ci_parse pl_parse_reason(const char *s, char **out);
const char *pl_parse_error(enum ci_parse rc, bool card);
/* A list of n items of `size` bytes with item `remove` (from 1; 0: none)
 * left out and `add` (NULL: none) put at the end, into out (room for
 * max). The count, or -1 when remove is not in the list or out is full. */
long pl_edit(const void *old, size_t n, size_t size, size_t remove, const void *add, void *out,
             size_t max);
/* "If I pass the bar, I will call Sam": "I will" unless THEN starts with
 * "I" as a word of its own (or I'll, I'm ...). malloc'd. */
char *pl_line_text(const struct proto_plan_line *l);
/* Adds to b a line each (after "\n" + indent; "1. " numbers when
 * numbered): plan lines, reasons, contacts ("Sam (sponsor): +1 555 0100
 * (any time)"). */
void pl_add_lines(struct text_buf *b, const struct proto_plan_line *l, size_t n, bool numbered);
void pl_add_reasons(struct text_buf *b, const char *const *r, size_t n, bool numbered);
void pl_add_contacts(struct text_buf *b, const struct proto_contact *c, size_t n, bool numbered);
/* card.get: the contacts, numbered, and (resources) the deployment's
 * resources. */
char *pl_card_text(const struct proto_contact *c, size_t n, const char *const *res, size_t nres,
                   bool resources);
/* plan.get: the lines and the reasons, numbered. */
char *pl_plan_text(const struct proto_plan_line *l, size_t n, const char *const *r, size_t nr);

/* -------------------------------------------------------- cleantime.c */

/* sobriety.get: whose and how long, the next milestone, the ones reached
 * and (one's own) the earlier periods: "Earlier: 45 days (2 Jan – 16
 * Feb)". One's own has no handle, or me's; today: the local date, for
 * the year when not counting. */
char *ct_sobriety_text(const struct proto_result *res, const char *me, const char *today,
                       bool utf8);
/* /milestones: each one reached with its day, and the next. */
char *ct_milestones_text(const struct proto_result *res, const char *me, const char *today);
/* sobriety.set: the result, after old_date (NULL or "": none) and its
 * days: counting from a date, a new start (the earlier time kept), or
 * stopped. */
char *ct_set_text(const char *old_date, uint32_t old_days, const struct proto_result *res);
/* milestone: one's own ("You reached 90 days clean today. ...") or a
 * buddy's ("bob reached 90 days clean today. /ping bob to celebrate."). */
char *ct_milestone_text(const char *handle, const char *me, const struct proto_milestone *m,
                        const char *today);

enum ct_key { CT_TZ = 0, CT_SHARE, CT_THRESHOLD, CT_ALERT, CT_NUDGES, CT_QUIET_DAYS, CT_GOAL,
              CT_CLEANTIME_SHARE, CT_MILESTONE_ROOM, CT_READ_RECEIPTS, CT__KEYS };

/* What /settings KEY VALUE takes, split (argv[0] is KEY): tz [ZONE]
 * (without a zone: `zone`, the local one), share private|buddies|room
 * ROOM, threshold 1-11, alert on|off, nudges on|off, quiet-days 1-14,
 * goal 0-21 (none), cleantime-share private|buddies|everyone,
 * milestone-room ROOM|none, read-receipts on|off. Keys in any case, '_' for '-'. Fills q
 * (settings.set; its strings point into argv, zone or room) and *key.
 * CI_BAD_WORD: not a key; CI_USAGE: a key with a wrong value. */
enum ci_parse ct_parse_setting(int argc, char **argv, const char *zone,
                               char room[PROTO_HANDLE_MAX + 1], struct proto_request *q,
                               enum ct_key *key);
/* What KEY takes, for an error: "threshold takes a number from 1 to 11." */
const char *ct_setting_usage(enum ct_key k);
/* One setting in plain words: "alert on: your buddies are told ...". */
char *ct_setting_line(const struct proto_settings *s, enum ct_key k);
/* All of them, after a heading, a line each with the keys in a column. */
char *ct_settings_text(const struct proto_settings *s);

#endif
