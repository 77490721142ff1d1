/*
 * The terminal client's moderation parts that need no server
 * (client/term/mod.c): what moderators type (HANDLE [MINUTES] [reason],
 * SEQ [reason], settings values), the line the person acted on reads, the
 * settings as words and what changed, audit log lines and the moderator's
 * confirmations. The sources are compiled in here.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/text.c"

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
/* 2025-11-23 10:00 UTC */
#define NOW (1763856000000LL + 10 * HOUR_MS)

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

/* ------------------------------------------------------------ parsing */

Test(client_mod, handle_minutes_and_reason)
{
    struct mod_args a;
    cr_assert_eq(mod_parse_target(" troy 10 cool off", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_str_eq(a.handle, "troy");
    cr_assert_eq(a.number, 10);
    cr_assert_str_eq(a.reason, "cool off");
    mod_args_free(&a);

    /* no number: the reason starts right after the handle */
    cr_assert_eq(mod_parse_target("Troy spamming links", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_str_eq(a.handle, "troy", "handles are folded");
    cr_assert_eq(a.number, 0);
    cr_assert_str_eq(a.reason, "spamming links");
    mod_args_free(&a);

    /* only a plain number counts: "10m" is the reason's first word */
    cr_assert_eq(mod_parse_target("troy 10m spam", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_eq(a.number, 0);
    cr_assert_str_eq(a.reason, "10m spam");
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy -5", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_eq(a.number, 0);
    cr_assert_str_eq(a.reason, "-5");
    mod_args_free(&a);

    /* handle alone; @handle; trailing blanks */
    cr_assert_eq(mod_parse_target("@troy   ", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_str_eq(a.handle, "troy");
    cr_assert_eq(a.number, 0);
    cr_assert_null(a.reason);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy 30", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_eq(a.number, 30);
    cr_assert_null(a.reason);
    mod_args_free(&a);

    /* the reason is the line as typed: apostrophes are not quotes, one
     * pair of quotes around all of it goes */
    cr_assert_eq(mod_parse_target("troy 5 don't post \"links\"", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_str_eq(a.reason, "don't post \"links\"");
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy \"please stop\"", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_str_eq(a.reason, "please stop");
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy ''", MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_null(a.reason);
    mod_args_free(&a);

    /* commands without MINUTES take a number as the reason's first word */
    cr_assert_eq(mod_parse_target("troy 10 times", 0, &a), MOD_OK);
    cr_assert_eq(a.number, 0);
    cr_assert_str_eq(a.reason, "10 times");
    mod_args_free(&a);
}

Test(client_mod, parse_errors)
{
    struct mod_args a;
    cr_assert_eq(mod_parse_target("", MOD_MINUTES_MAX, &a), MOD_NO_HANDLE);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("   ", MOD_MINUTES_MAX, &a), MOD_NO_HANDLE);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target(NULL, MOD_MINUTES_MAX, &a), MOD_NO_HANDLE);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("t! spam", MOD_MINUTES_MAX, &a), MOD_BAD_HANDLE);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("ab", MOD_MINUTES_MAX, &a), MOD_BAD_HANDLE);
    mod_args_free(&a);
    /* a number, but out of range: not silently a reason */
    cr_assert_eq(mod_parse_target("troy 0 spam", MOD_MINUTES_MAX, &a), MOD_BAD_NUMBER);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy 525601", MOD_MINUTES_MAX, &a), MOD_BAD_NUMBER);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy 525600", MOD_MINUTES_MAX, &a), MOD_OK);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_target("troy 3651", MOD_DAYS_MAX, &a), MOD_BAD_NUMBER);
    mod_args_free(&a);

    /* reasons: 500 characters (not bytes) */
    char reason[2 * 501 + 8];
    char line[sizeof reason + 16];
    size_t n = 0;
    for (int i = 0; i < 500; i++) {
        reason[n++] = '\xc3';   /* é: two bytes, one character */
        reason[n++] = '\xa9';
    }
    reason[n] = '\0';
    snprintf(line, sizeof line, "troy %s", reason);
    cr_assert_eq(mod_parse_target(line, MOD_MINUTES_MAX, &a), MOD_OK);
    cr_assert_eq(strlen(a.reason), 1000);
    mod_args_free(&a);
    snprintf(line, sizeof line, "troy %sx", reason);
    cr_assert_eq(mod_parse_target(line, MOD_MINUTES_MAX, &a), MOD_LONG_REASON);
    mod_args_free(&a);
}

Test(client_mod, seq_and_settings)
{
    struct mod_args a;
    cr_assert_eq(mod_parse_seq("42 personal details", &a), MOD_OK);
    cr_assert_eq(a.seq, 42);
    cr_assert_str_eq(a.reason, "personal details");
    mod_args_free(&a);
    cr_assert_eq(mod_parse_seq("#17", &a), MOD_OK);
    cr_assert_eq(a.seq, 17);
    cr_assert_null(a.reason);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_seq("", &a), MOD_NO_HANDLE);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_seq("troy", &a), MOD_BAD_NUMBER);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_seq("0", &a), MOD_BAD_NUMBER);
    mod_args_free(&a);
    cr_assert_eq(mod_parse_seq("#", &a), MOD_BAD_NUMBER);
    mod_args_free(&a);

    unsigned long v = 7;
    cr_assert(mod_parse_setting("30", MOD_SLOW_MAX, &v) && v == 30);
    cr_assert(mod_parse_setting("0", MOD_SLOW_MAX, &v) && v == 0);
    v = 7;
    cr_assert(mod_parse_setting("off", MOD_SLOW_MAX, &v) && v == 0);
    cr_assert_not(mod_parse_setting("3601", MOD_SLOW_MAX, &v));
    cr_assert_not(mod_parse_setting("30s", MOD_SLOW_MAX, &v));
    cr_assert_not(mod_parse_setting(NULL, MOD_SLOW_MAX, &v));
}

/* ---------------------------------------------------------- durations */

Test(client_mod, spans_and_seconds)
{
    char t[32];
    mod_fmt_span(10 * MIN_MS, t);
    cr_assert_str_eq(t, "10 minutes");
    mod_fmt_span(MIN_MS, t);
    cr_assert_str_eq(t, "1 minute");
    mod_fmt_span(9 * MIN_MS + 59000, t);   /* a mute's end seen a moment later */
    cr_assert_str_eq(t, "10 minutes");
    mod_fmt_span(20000, t);
    cr_assert_str_eq(t, "less than a minute");
    mod_fmt_span(90 * MIN_MS, t);
    cr_assert_str_eq(t, "90 minutes");
    mod_fmt_span(5 * HOUR_MS, t);
    cr_assert_str_eq(t, "5 hours");
    mod_fmt_span(7 * DAY_MS, t);
    cr_assert_str_eq(t, "7 days");

    mod_fmt_secs(30, t);
    cr_assert_str_eq(t, "30 s");
    mod_fmt_secs(90, t);
    cr_assert_str_eq(t, "90 s");
    mod_fmt_secs(600, t);
    cr_assert_str_eq(t, "10 min");
    mod_fmt_secs(7200, t);
    cr_assert_str_eq(t, "2 h");
}

/* ----------------------------------------------------------- settings */

static void check_settings(const struct proto_mod_settings *old, const struct proto_mod_settings *now,
                           bool only_on, const char *want)
{
    char *got = mod_settings_text(old, now, only_on);
    if (!want)
        cr_assert_null(got, "got '%s'", got ? got : "");
    else
        cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_mod, settings_all_and_what_changed)
{
    struct proto_mod_settings off = {0};
    struct proto_mod_settings s = {.slow_seconds = 30, .locked = true};
    /* first sight: all of them */
    check_settings(NULL, &s, false, "slow mode 30 s, locked, no member limit, no newcomer wait");
    check_settings(NULL, &off, false, "slow mode off, unlocked, no member limit, no newcomer wait");
    /* a room line: only what is on */
    check_settings(NULL, &s, true, "slow mode 30 s, locked");
    check_settings(NULL, &off, true, NULL);
    /* a change: only it */
    check_settings(&off, &s, false, "slow mode 30 s, locked");
    struct proto_mod_settings t = s;
    t.slow_seconds = 0;
    check_settings(&s, &t, false, "slow mode off");
    t = s;
    t.locked = false;
    t.member_limit = 50;
    t.newcomer_seconds = 600;
    check_settings(&s, &t, false, "unlocked, limit 50 members, newcomers wait 10 min");
    t.member_limit = 1;
    check_settings(&off, &t, true, "slow mode 30 s, limit 1 member, newcomers wait 10 min");
    /* nothing changed: nothing to say */
    check_settings(&s, &s, false, NULL);
}

/* ----------------------------------------------------------- moderated */

static void check_moderated(const char *room, const char *action, const char *reason,
                            int64_t until, const char *want)
{
    char *got = mod_moderated_text(room, action, reason, until, NOW);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_mod, what_you_are_told)
{
    utc();
    check_moderated("porch", "mute", "cool off", NOW + 10 * MIN_MS,
                    "A moderator muted you in #porch for 10 minutes: cool off. "
                    "You can still read along.");
    check_moderated("porch", "mute", "", 0,
                    "A moderator muted you in #porch until a moderator lifts it. "
                    "You can still read along.");
    check_moderated("porch", "mute", "Stop, please!", NOW + 3 * HOUR_MS,
                    "A moderator muted you in #porch for 3 hours (until 13:00): Stop, please! "
                    "You can still read along.");
    check_moderated("porch", "unmute", "", 0, "Your mute in #porch was lifted.");
    check_moderated("porch", "remove", "", 0,
                    "You were removed from #porch by a moderator. You may join it again later.");
    check_moderated("porch", "remove", "take a break.", 0,
                    "You were removed from #porch by a moderator: take a break. "
                    "You may join it again later.");
    check_moderated("porch", "ban", "harassment", 0,
                    "You are banned from #porch until a moderator lifts it: harassment.");
    check_moderated("porch", "ban", NULL, NOW + DAY_MS,
                    "You are banned from #porch for 24 hours (until Nov 24 10:00).");
    check_moderated("porch", "unban", "", 0, "Your ban from #porch was lifted. You may join it again.");
    check_moderated(NULL, "suspend", "repeated abuse", NOW + 7 * DAY_MS,
                    "Your account has been suspended for 7 days (until Nov 30 10:00): "
                    "repeated abuse.");
    check_moderated(NULL, "suspend", "", 0, "Your account has been suspended until an admin lifts it.");
    check_moderated("porch", "delete", "", 0, "A moderator took down one of your messages in #porch.");
    check_moderated("porch", "warn", "", 0, "A moderator acted on your account in #porch (warn).");
}

Test(client_mod, what_you_are_told_is_safe_for_the_terminal)
{
    utc();
    /* a reason with an escape sequence and a newline; a room name that
     * is not one */
    check_moderated("po\x1b]0;x\x07rch", "mute", "bye\x1b[2J\nnow", 0,
                    "A moderator muted you in #po??0?x?rch until a moderator lifts it: "
                    "bye\xEF\xBF\xBD[2J now. You can still read along.");
    check_moderated("porch", "\x1b[31m", "", 0,
                    "A moderator acted on your account in #porch (??31m).");
}

/* ----------------------------------------------------------- audit log */

/* A line of a log: log_room's own, or (NULL) the server-wide one. */
static void check_log_line(struct proto_audit_entry e, const char *log_room, const char *want)
{
    char *got = mod_audit_line(&e, log_room, NOW);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

/* A line of the room's own log (porch). */
static void check_audit(struct proto_audit_entry e, const char *want)
{
    check_log_line(e, "porch", want);
}

Test(client_mod, audit_lines)
{
    utc();
    int64_t ts = NOW - 2 * HOUR_MS;   /* 08:00 */
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "mute",
                                           .target = "troy", .reason = "spam",
                                           .until = ts + 10 * MIN_MS},
                "08:00  mona muted troy for 10 minutes (until 08:10): \"spam\"");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "mute",
                                           .target = "troy", .reason = ""},
                "08:00  mona muted troy until lifted");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "hal", .action = "ban",
                                           .target = "troy", .reason = "Harassment \xF0\x9F\x8C\xB1",
                                           .until = ts + DAY_MS},
                "08:00  hal banned troy for 24 hours (until Nov 24 08:00): "
                "\"Harassment \xF0\x9F\x8C\xB1\"");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "hal", .action = "ban",
                                           .target = "troy", .reason = ""},
                "08:00  hal banned troy for good");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "remove",
                                           .target = "troy", .reason = ""},
                "08:00  mona removed troy from the room");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "unmute",
                                           .target = "troy", .reason = ""},
                "08:00  mona unmuted troy");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "unban",
                                           .target = "troy", .reason = "appeal"},
                "08:00  mona lifted the ban on troy: \"appeal\"");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "delete",
                                           .target = NULL, .reason = "Personal details",
                                           .seq = 17},
                "08:00  mona took down message #17: \"Personal details\"");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mona", .action = "settings",
                                           .target = NULL, .reason = ""},
                "08:00  mona changed the room's settings");
    check_audit((struct proto_audit_entry){.ts = NOW - 3 * DAY_MS, .actor = "root",
                                           .action = "suspend", .target = "troy", .reason = "",
                                           .until = NOW + 4 * DAY_MS},
                "Nov 20 10:00  root suspended troy for 7 days (until Nov 27 10:00)");
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "root", .action = "unsuspend",
                                           .target = "troy", .reason = ""},
                "08:00  root lifted the suspension of troy");
    /* untrusted parts stay harmless */
    check_audit((struct proto_audit_entry){.ts = ts, .actor = "mo\x1bna", .action = "mute",
                                           .target = "tr\noy", .reason = "a\x1b[2Jb\nc"},
                "08:00  mo?na muted tr?oy until lifted: \"a\xEF\xBF\xBD[2Jb c\"");
}

Test(client_mod, audit_lines_say_where)
{
    utc();
    int64_t ts = NOW - 2 * HOUR_MS;   /* 08:00 */
    struct proto_audit_entry mute = {.ts = ts, .room = "porch", .actor = "mona", .action = "mute",
                                     .target = "troy", .reason = ""};
    struct proto_audit_entry suspend = {.ts = ts, .room = NULL, .actor = "root",
                                        .action = "suspend", .target = "troy", .reason = ""};
    /* the server-wide log: every line says where */
    check_log_line(mute, NULL, "08:00  [porch] mona muted troy until lifted");
    check_log_line(suspend, NULL, "08:00  [server-wide] root suspended troy until lifted");
    /* a room's own log: only a line from elsewhere does */
    check_log_line(mute, "porch", "08:00  mona muted troy until lifted");
    mute.room = "lobby";
    check_log_line(mute, "porch", "08:00  [lobby] mona muted troy until lifted");
    mute.room = "lo\x1b[2Jbby";
    check_log_line(mute, NULL, "08:00  [lo??2Jbby] mona muted troy until lifted");
    /* the actions added with schedules and invite lists */
    check_log_line((struct proto_audit_entry){.ts = ts, .room = "porch", .actor = "hal",
                                              .action = "schedule", .reason = ""},
                   NULL, "08:00  [porch] hal changed the weekly meeting schedule");
    check_audit((struct proto_audit_entry){.ts = ts, .room = "porch", .actor = "mona",
                                           .action = "revoke_invite", .reason = ""},
                "08:00  mona revoked an invite code");
}

/* ------------------------------------------------------- confirmations */

static void check_done(enum proto_req_type t, const char *room, const char *handle,
                       unsigned long n, uint64_t seq, const char *want)
{
    char *got = mod_done_text(t, room, handle, n, seq);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_mod, confirmations)
{
    check_done(PROTO_REQ_MOD_MUTE, "porch", "troy", 10, 0, "Muted troy in #porch for 10 minutes.");
    check_done(PROTO_REQ_MOD_MUTE, "porch", "troy", 0, 0,
               "Muted troy in #porch until a moderator lifts it.");
    check_done(PROTO_REQ_MOD_UNMUTE, "porch", "troy", 0, 0, "troy can post in #porch again.");
    check_done(PROTO_REQ_MOD_REMOVE, "porch", "troy", 0, 0,
               "Removed troy from #porch; they may join again.");
    check_done(PROTO_REQ_MOD_BAN, "porch", "troy", 1440, 0, "Banned troy from #porch for 24 hours.");
    check_done(PROTO_REQ_MOD_BAN, "porch", "troy", 0, 0,
               "Banned troy from #porch for good (until a moderator lifts it).");
    check_done(PROTO_REQ_MOD_UNBAN, "porch", "troy", 0, 0,
               "Lifted the ban on troy in #porch; they may join again.");
    check_done(PROTO_REQ_MOD_DELETE, "porch", NULL, 0, 42, "Took down message #42 in #porch.");
    check_done(PROTO_REQ_MOD_SUSPEND, NULL, "troy", 7, 0,
               "Suspended troy's account for 7 days; they were signed out everywhere.");
    check_done(PROTO_REQ_MOD_UNSUSPEND, NULL, "troy", 0, 0,
               "Lifted the suspension of troy's account; they may sign in again.");
}

/* ----------------------------------------------------------- sanctions */

static void check_sanction(struct proto_sanction x, const char *want)
{
    char *got = mod_sanction_line(&x, NOW);
    cr_assert_str_eq(got ? got : "(null)", want);
    free(got);
}

Test(client_mod, sanction_lines)
{
    utc();
    check_sanction((struct proto_sanction){.handle = "troy", .kind = PROTO_SANCTION_MUTE,
                                           .ts = NOW - HOUR_MS, .until = NOW + 10 * 60000,
                                           .reason = "spam", .actor = "moe"},
                   "troy  muted for 10 minutes (until 10:10) by moe: \"spam\"");
    check_sanction((struct proto_sanction){.handle = "tim", .kind = PROTO_SANCTION_BAN,
                                           .ts = NOW, .reason = "", .actor = "hana"},
                   "tim  banned for good by hana");
    check_sanction((struct proto_sanction){.handle = "tim", .kind = PROTO_SANCTION_MUTE,
                                           .ts = NOW, .reason = "", .actor = NULL},
                   "tim  muted until lifted");
}
