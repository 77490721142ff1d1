/*
 * The terminal client's meeting parts that need no server
 * (client/term/meeting.c): parsing what people type, time left, and the
 * state diffing that keeps meeting.state events from repeating
 * themselves; one's attendance by week, and the UTC offset it is asked
 * with (under TZ rules set by each test). The sources are compiled in here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/text.c"   /* text_buf, for the sentences */

/* ------------------------------------------------------------ parsing */

Test(client_meeting, modes)
{
    enum proto_meeting_mode m = PROTO_MODE_OPEN;
    cr_assert(mtg_parse_mode("one", &m));
    cr_assert_eq(m, PROTO_MODE_ONE_SPEAKER);
    cr_assert(mtg_parse_mode("open", &m));
    cr_assert_eq(m, PROTO_MODE_OPEN);
    cr_assert(mtg_parse_mode("one_speaker", &m));
    cr_assert_eq(m, PROTO_MODE_ONE_SPEAKER);
    cr_assert(mtg_parse_mode("one-speaker", &m));
    m = PROTO_MODE_OPEN;
    cr_assert_not(mtg_parse_mode("", &m));
    cr_assert_not(mtg_parse_mode("One", &m));
    cr_assert_not(mtg_parse_mode("closed", &m));
    cr_assert_not(mtg_parse_mode(NULL, &m));
    cr_assert_eq(m, PROTO_MODE_OPEN, "a failed parse leaves the value alone");
}

Test(client_meeting, on_and_off)
{
    bool b = false;
    cr_assert(mtg_parse_onoff("on", &b) && b);
    cr_assert(mtg_parse_onoff("off", &b) && !b);
    cr_assert(mtg_parse_onoff("yes", &b) && b);
    cr_assert(mtg_parse_onoff("0", &b) && !b);
    cr_assert_not(mtg_parse_onoff("maybe", &b));
    cr_assert_not(mtg_parse_onoff("", &b));
    cr_assert_not(mtg_parse_onoff(NULL, &b));
}

Test(client_meeting, minutes)
{
    uint32_t s = 0;
    cr_assert(mtg_parse_minutes("5", &s));
    cr_assert_eq(s, 300);
    cr_assert(mtg_parse_minutes("1", &s));
    cr_assert_eq(s, 60);
    cr_assert(mtg_parse_minutes("30", &s));
    cr_assert_eq(s, 1800);
    cr_assert(mtg_parse_minutes("2:30", &s));
    cr_assert_eq(s, 150);
    cr_assert(mtg_parse_minutes("1:00", &s));
    cr_assert_eq(s, 60);
    cr_assert(mtg_parse_minutes("30:00", &s));
    cr_assert_eq(s, 1800);
    s = 7;
    const char *bad[] = {"0", "31", "-1", "", "5m", "1.5", "0:59", "30:01", "2:3", "2:300",
                         ":30", "2:", "99999999999999999999", "1:60", " 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_not(mtg_parse_minutes(bad[i], &s), "accepted '%s'", bad[i]);
    cr_assert_not(mtg_parse_minutes(NULL, &s));
    cr_assert_eq(s, 7);
}

Test(client_meeting, format_text_escapes)
{
    char *t = mtg_unescape("Welcome.\\nWe read the steps.\\n\\nShare: 5 min");
    cr_assert_str_eq(t, "Welcome.\nWe read the steps.\n\nShare: 5 min");
    free(t);
    t = mtg_unescape("a\\\\nb \\t c\\");
    cr_assert_str_eq(t, "a\\nb \\t c\\", "got %s", t);
    free(t);
    t = mtg_unescape(NULL);
    cr_assert_str_eq(t, "");
    free(t);
}

/* ---------------------------------------------------------- formatting */

Test(client_meeting, time_left)
{
    char b[16];
    mtg_fmt_left(300000, b);
    cr_assert_str_eq(b, "5:00");
    mtg_fmt_left(299001, b);
    cr_assert_str_eq(b, "5:00", "a countdown rounds up");
    mtg_fmt_left(299000, b);
    cr_assert_str_eq(b, "4:59");
    mtg_fmt_left(59000, b);
    cr_assert_str_eq(b, "0:59");
    mtg_fmt_left(1, b);
    cr_assert_str_eq(b, "0:01");
    mtg_fmt_left(0, b);
    cr_assert_str_eq(b, "0:00");
    mtg_fmt_left(-5000, b);
    cr_assert_str_eq(b, "0:00");
    mtg_fmt_left(1800000, b);
    cr_assert_str_eq(b, "30:00");
    mtg_fmt_left(3600000 + 61000, b);
    cr_assert_str_eq(b, "1:01:01");
    mtg_fmt_left(INT64_MAX, b);
    cr_assert_str_eq(b, "99:59:59");
}

Test(client_meeting, lengths_ordinals_names)
{
    char b[32], o[24], n[MTG_NAME];
    mtg_fmt_length(60, b);
    cr_assert_str_eq(b, "1 minute");
    mtg_fmt_length(300, b);
    cr_assert_str_eq(b, "5 minutes");
    mtg_fmt_length(150, b);
    cr_assert_str_eq(b, "2:30 minutes");
    mtg_fmt_ordinal(1, o);
    cr_assert_str_eq(o, "1st");
    mtg_fmt_ordinal(2, o);
    cr_assert_str_eq(o, "2nd");
    mtg_fmt_ordinal(3, o);
    cr_assert_str_eq(o, "3rd");
    mtg_fmt_ordinal(4, o);
    cr_assert_str_eq(o, "4th");
    mtg_fmt_ordinal(11, o);
    cr_assert_str_eq(o, "11th");
    mtg_fmt_ordinal(12, o);
    cr_assert_str_eq(o, "12th");
    mtg_fmt_ordinal(22, o);
    cr_assert_str_eq(o, "22nd");
    mtg_safe_name("carol_2-x", n);
    cr_assert_str_eq(n, "carol_2-x");
    mtg_safe_name("ev\x1b[2Jil", n);
    cr_assert_str_eq(n, "ev??2Jil");
    mtg_safe_name(NULL, n);
    cr_assert_str_eq(n, "");
    mtg_safe_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", n);
    cr_assert_eq(strlen(n), PROTO_HANDLE_MAX);
}

/* ------------------------------------------------------------ diffing */

#define NOW 1795000000000LL

static struct proto_meeting state(bool open, const char *chair, const char *speaker,
                                  int64_t ends, const char **queue, size_t n)
{
    struct proto_meeting m = {
        .room = "circle", .open = open, .chair = chair, .mode = PROTO_MODE_ONE_SPEAKER,
        .speaker = speaker, .share_ends_at = speaker ? ends : 0, .share_seconds = 300,
        .queue = queue, .n_queue = n,
    };
    return m;
}

/* mtg_update, returning "" for "nothing to say" (and freeing). */
static char said[2048];
static const char *upd(struct mtg_view *v, const struct proto_meeting *m, const char *me)
{
    char *t = mtg_update(v, m, me, NOW);
    snprintf(said, sizeof said, "%s", t ? t : "");
    free(t);
    return said;
}

Test(client_meeting, first_state_is_a_summary)
{
    struct mtg_view v = {.room = "circle"};
    struct proto_meeting m = state(false, "bob", NULL, 0, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, "dan"), "A meeting room; no meeting is open now (chair: bob; shares last 5 minutes).");
    cr_assert(v.known && v.meeting && !v.open);
    mtg_view_reset(&v);
    cr_assert_str_eq(v.room, "circle");
    cr_assert_not(v.known);

    const char *q[] = {"dan", "erin"};
    m = state(true, "bob", "carol", NOW + 272000, q, 2);
    cr_assert_str_eq(upd(&v, &m, "dan"),
                     "Meeting open, chaired by bob; one speaker at a time; the chair gives the "
                     "floor; shares last 5 minutes. carol has the floor (4:32 left). Hands: you, "
                     "erin.", "got %s", said);
    cr_assert_eq(mtg_queue_pos(&v, "dan"), 1);
    cr_assert_eq(mtg_queue_pos(&v, "erin"), 2);
    cr_assert_eq(mtg_queue_pos(&v, "zed"), 0);
    cr_assert_eq(mtg_queue_pos(&v, NULL), 0);
    mtg_view_reset(&v);

    m = state(false, NULL, NULL, 0, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, "dan"), "A meeting room; no meeting is open now (the host chairs; shares last 5 minutes).");
    mtg_view_reset(&v);
}

Test(client_meeting, only_changes_are_said)
{
    struct mtg_view v = {.room = "circle"};
    struct proto_meeting m = state(true, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, "dan");

    /* the same state again (the reply after the event): nothing */
    cr_assert_str_eq(upd(&v, &m, "dan"), "");

    const char *q1[] = {"carol"};
    m = state(true, "bob", NULL, 0, q1, 1);
    cr_assert_str_eq(upd(&v, &m, "dan"), "Hands: carol.");
    cr_assert_str_eq(upd(&v, &m, "dan"), "");

    const char *q2[] = {"carol", "dan"};
    m = state(true, "bob", NULL, 0, q2, 2);
    cr_assert_str_eq(upd(&v, &m, "dan"), "Hands: carol, you.");

    /* carol gets the floor: her hand going down is not said again */
    const char *q3[] = {"dan"};
    m = state(true, "bob", "carol", NOW + 300000, q3, 1);
    cr_assert_str_eq(upd(&v, &m, "dan"), "carol has the floor (5:00 left).");

    /* the chair gives the floor to carol again: a new share */
    m = state(true, "bob", "carol", NOW + 200000, q3, 1);
    cr_assert_str_eq(upd(&v, &m, "dan"), "carol has the floor (3:20 left).");

    /* her time runs out; auto is off */
    m = state(true, "bob", NULL, 0, q3, 1);
    cr_assert_str_eq(upd(&v, &m, "dan"), "carol's share is over; nobody has the floor.");

    /* dan gets it: said to dan as "you" */
    m = state(true, "bob", "dan", NOW + 300000, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, "dan"),
                     "You have the floor (5:00 left); /done when you have finished.");

    /* someone raises a hand while dan speaks */
    const char *q4[] = {"erin"};
    m = state(true, "bob", "dan", NOW + 300000, q4, 1);
    cr_assert_str_eq(upd(&v, &m, "dan"), "Hands: erin.");

    /* auto passes the floor from dan to erin */
    m = state(true, "bob", "erin", NOW + 300000, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, "dan"), "Your share is over. erin has the floor (5:00 left).");

    /* a hand lowered by someone else, with nobody left */
    const char *q5[] = {"fay"};
    m = state(true, "bob", "erin", NOW + 300000, q5, 1);
    upd(&v, &m, "dan");
    m = state(true, "bob", "erin", NOW + 300000, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, "dan"), "No hands up.");

    /* mode, auto, share length, chair */
    m.mode = PROTO_MODE_OPEN;
    cr_assert_str_eq(upd(&v, &m, "dan"), "Mode: open, everyone may post.");
    m.auto_floor = true;
    m.share_seconds = 600;
    cr_assert_str_eq(upd(&v, &m, "dan"),
                     "Turns: the floor passes to the next hand by itself. Shares last 10 "
                     "minutes now.");
    m.chair = "dan";
    cr_assert_str_eq(upd(&v, &m, "dan"), "You chair the meeting now.");
    m.chair = NULL;
    cr_assert_str_eq(upd(&v, &m, "dan"), "The host chairs the meeting now.");

    /* closing: one sentence, not the floor and the hands too */
    m = state(false, NULL, NULL, 0, NULL, 0);
    m.mode = PROTO_MODE_OPEN;
    m.auto_floor = true;
    m.share_seconds = 600;
    cr_assert_str_eq(upd(&v, &m, "dan"), "The meeting is closed.");
    cr_assert_str_eq(upd(&v, &m, "dan"), "");

    /* opened again, seen only through a state (a missed banner) */
    m.open = true;
    m.chair = "bob";
    cr_assert_str_eq(upd(&v, &m, "dan"), "The meeting is open (chair: bob). bob chairs the meeting now.");
    mtg_view_reset(&v);
}

Test(client_meeting, time_left_is_never_more_than_a_share)
{
    struct mtg_view v = {.room = "circle"};
    struct proto_meeting m = state(true, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, NULL);
    /* our clock runs two minutes behind the server's */
    m = state(true, "bob", "carol", NOW + 300000 + 120000, NULL, 0);
    cr_assert_str_eq(upd(&v, &m, NULL), "carol has the floor (5:00 left).");
    mtg_view_reset(&v);
}

Test(client_meeting, the_banner_then_the_state)
{
    struct mtg_view v = {.room = "circle"};
    /* meeting.opened comes first, for a room with nothing known yet */
    mtg_opened(&v, "bob", NULL);
    cr_assert(v.open && v.meeting && v.known);
    struct proto_meeting m = state(true, "bob", NULL, 0, NULL, 0);
    m.share_seconds = 600;
    m.mode = PROTO_MODE_OPEN;
    cr_assert_str_eq(upd(&v, &m, "dan"), "", "the banner said it: got %s", said);
    /* after that, changes are said as usual */
    m.mode = PROTO_MODE_ONE_SPEAKER;
    cr_assert_str_eq(upd(&v, &m, "dan"), "Mode: one speaker at a time.");

    /* opened on a known, closed meeting: hands and floor start empty */
    m = state(false, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, "dan");
    mtg_opened(&v, "bob", NULL);
    m.open = true;
    cr_assert_str_eq(upd(&v, &m, "dan"), "");
    mtg_view_reset(&v);
}

Test(client_meeting, the_format_text_from_the_state)
{
    struct mtg_view v = {.room = "circle"};
    /* coming in mid-meeting: the summary ends with the format, made safe */
    struct proto_meeting m = state(true, "bob", NULL, 0, NULL, 0);
    m.format = "Read the preamble.\nThen shares\x1b[2J.";
    cr_assert_str_eq(upd(&v, &m, "dan"),
                     "Meeting open, chaired by bob; one speaker at a time; the chair gives the "
                     "floor; shares last 5 minutes. Nobody has the floor. No hands up.\n"
                     "  Format: Read the preamble.\n  Then shares\xef\xbf\xbd[2J.", "got %s", said);
    /* the same again: nothing new */
    cr_assert_str_eq(upd(&v, &m, "dan"), "");
    /* the host edits it during the meeting: the new text is shown */
    m.format = "Be kind.";
    cr_assert_str_eq(upd(&v, &m, "dan"), "The format text is now:\n  Be kind.", "got %s", said);
    /* cleared: nothing to show, and /state no longer shows one */
    m.format = "";
    cr_assert_str_eq(upd(&v, &m, "dan"), "");
    cr_assert_null(mtg_format_text(&v));
    mtg_view_reset(&v);

    /* the banner showed it: the state that follows does not repeat it */
    mtg_opened(&v, "bob", "Welcome.");
    m.format = "Welcome.";
    cr_assert_str_eq(upd(&v, &m, "dan"), "");
    char *f = mtg_format_text(&v);
    cr_assert_str_eq(f, "Welcome.");
    free(f);
    mtg_view_reset(&v);
    cr_assert_null(v.format);
}

Test(client_meeting, names_from_the_server_are_made_safe)
{
    struct mtg_view v = {.room = "circle"};
    struct proto_meeting m = state(true, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, NULL);
    const char *q[] = {"x\x1b]0;pwned\x07"};
    m = state(true, "bob", "\x1b[31mred", NOW + 60000, q, 1);
    const char *t = upd(&v, &m, NULL);
    cr_assert_null(strchr(t, '\x1b'), "got %s", t);
    cr_assert_null(strchr(t, '\x07'));
    cr_assert_str_eq(t, "??31mred has the floor (1:00 left). Hands: x??0?pwned?.");
    mtg_view_reset(&v);
}

Test(client_meeting, prompt)
{
    char p[160];
    mtg_prompt(NULL, "", NULL, true, p, sizeof p);
    cr_assert_str_eq(p, "> ");
    mtg_prompt(NULL, "lobby", NULL, true, p, sizeof p);
    cr_assert_str_eq(p, "[lobby]> ");

    struct mtg_view v = {.room = "circle"};
    struct proto_meeting m = state(false, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, NULL);
    mtg_prompt(&v, "circle", "dan", true, p, sizeof p);
    cr_assert_str_eq(p, "[circle]> ", "a closed meeting shows nothing");

    const char *q[] = {"dan", "erin"};
    m = state(true, "bob", "carol", NOW + 1000, q, 2);
    upd(&v, &m, NULL);
    mtg_prompt(&v, "circle", "dan", true, p, sizeof p);
    cr_assert_str_eq(p, "[circle \xE2\x9C\x8B" "2 \xF0\x9F\x8E\xA4" "carol]> ");
    mtg_prompt(&v, "circle", "dan", false, p, sizeof p);
    cr_assert_str_eq(p, "[circle hands:2 floor:carol]> ");
    mtg_prompt(&v, "circle", "carol", false, p, sizeof p);
    cr_assert_str_eq(p, "[circle hands:2 floor:you]> ");

    m = state(true, "bob", NULL, 0, NULL, 0);
    upd(&v, &m, NULL);
    mtg_prompt(&v, "circle", "dan", false, p, sizeof p);
    cr_assert_str_eq(p, "[circle hands:0]> ");
    mtg_view_reset(&v);
}

/* --------------------------------------------------------- attendance */

/* Every test runs in its own process; TZ is still put back after each. */
static char *saved_tz;
static bool had_tz;

static void tz_save(void)
{
    const char *tz = getenv("TZ");
    had_tz = tz != NULL;
    saved_tz = tz ? strdup(tz) : NULL;
}

static void tz_restore(void)
{
    if (had_tz)
        setenv("TZ", saved_tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved_tz);
    saved_tz = NULL;
}

/* The offset at t (seconds since the epoch, UTC) under the rules tz. */
static int32_t offset_in(const char *tz, time_t t)
{
    cr_assert_eq(setenv("TZ", tz, 1), 0);
    tzset();
    int32_t m = 99999;
    cr_assert(mtg_utc_offset(t, &m), "%s at %lld", tz, (long long)t);
    return m;
}

#define JAN_15 ((time_t)1768478400)       /* 2026-01-15 12:00:00 UTC */
#define JUL_15 ((time_t)1784116800)       /* 2026-07-15 12:00:00 UTC */

Test(client_attendance, utc_offset_utc, .init = tz_save, .fini = tz_restore)
{
    cr_assert_eq(offset_in("UTC0", JAN_15), 0);
    cr_assert_eq(offset_in("UTC0", JUL_15), 0);
    cr_assert_eq(offset_in("UTC0", 0), 0);
}

Test(client_attendance, utc_offset_follows_dst, .init = tz_save, .fini = tz_restore)
{
    /* as the brief's rules, whether or not tzdata is installed */
    cr_assert_eq(offset_in("EST5EDT", JAN_15), -300, "New York in winter");
    cr_assert_eq(offset_in("EST5EDT", JUL_15), -240, "New York in summer");

    /* the very second each change happens (US rules of 2007 on) */
    const char *ny = "EST5EDT,M3.2.0,M11.1.0";
    cr_assert_eq(offset_in(ny, 1772953199), -300, "2026-03-08 01:59:59 EST");
    cr_assert_eq(offset_in(ny, 1772953200), -240, "2026-03-08 03:00:00 EDT");
    cr_assert_eq(offset_in(ny, 1793512799), -240, "2026-11-01 01:59:59 EDT");
    cr_assert_eq(offset_in(ny, 1793512800), -300, "2026-11-01 01:00:00 EST");

    /* east of UTC: Central Europe, changing at 01:00 UTC */
    const char *cet = "CET-1CEST,M3.5.0,M10.5.0/3";
    cr_assert_eq(offset_in(cet, JAN_15), 60);
    cr_assert_eq(offset_in(cet, JUL_15), 120);
    cr_assert_eq(offset_in(cet, 1774745999), 60, "2026-03-29 01:59:59 CET");
    cr_assert_eq(offset_in(cet, 1774746000), 120, "2026-03-29 03:00:00 CEST");
}

Test(client_attendance, utc_offset_part_hours, .init = tz_save, .fini = tz_restore)
{
    cr_assert_eq(offset_in("IST-5:30", JAN_15), 330);
    cr_assert_eq(offset_in("NPT-5:45", JUL_15), 345);
    const char *nl = "NST3:30NDT,M3.2.0,M11.1.0";   /* Newfoundland */
    cr_assert_eq(offset_in(nl, JAN_15), -210);
    cr_assert_eq(offset_in(nl, JUL_15), -150);
}

Test(client_attendance, utc_offset_across_new_year, .init = tz_save, .fini = tz_restore)
{
    /* local time is already (or still) in another year than UTC */
    cr_assert_eq(offset_in("LINT-14", 1798718400), 840, "2026-12-31 12:00 UTC is 2027 in Kiribati");
    cr_assert_eq(offset_in("AOE12", 1767247200), -720, "2026-01-01 06:00 UTC is 2025 at -12");
    /* the server takes -720..840: anything past that is clamped */
    cr_assert_eq(offset_in("XXX-15", JAN_15), 840);
    cr_assert_eq(offset_in("XXX13", JAN_15), -720);
}

Test(client_attendance, utc_offset_kolkata, .init = tz_save, .fini = tz_restore)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/Asia/Kolkata", dir && *dir ? dir : "/usr/share/zoneinfo");
    if (access(path, R_OK) != 0)
        cr_skip_test("no tzdata (%s)", path);
    cr_assert_eq(offset_in("Asia/Kolkata", JAN_15), 330);
    cr_assert_eq(offset_in("Asia/Kolkata", JUL_15), 330);
}

Test(client_attendance, local_year, .init = tz_save, .fini = tz_restore)
{
    setenv("TZ", "LINT-14", 1);
    tzset();
    cr_assert_eq(mtg_local_year(1798718400), 2027);
    setenv("TZ", "UTC0", 1);
    tzset();
    cr_assert_eq(mtg_local_year(1798718400), 2026);
}

Test(client_attendance, minutes)
{
    char b[32];
    struct { uint32_t m; const char *want; } cases[] = {
        {0, "less than a minute"}, {1, "1 min"}, {15, "15 min"}, {50, "50 min"}, {59, "59 min"},
        {60, "1 h"}, {61, "1 h 1 min"}, {95, "1 h 35 min"}, {120, "2 h"}, {125, "2 h 5 min"},
        {6000, "100 h"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mtg_fmt_minutes(cases[i].m, b);
        cr_assert_str_eq(b, cases[i].want, "%u minutes", cases[i].m);
    }
}

Test(client_attendance, counts_singular_and_plural)
{
    char b[64];
    mtg_fmt_attendance(1, 15, b);
    cr_assert_str_eq(b, "1 meeting, 15 min");
    mtg_fmt_attendance(2, 50, b);
    cr_assert_str_eq(b, "2 meetings, 50 min");
    mtg_fmt_attendance(3, 95, b);
    cr_assert_str_eq(b, "3 meetings, 1 h 35 min");
    mtg_fmt_attendance(1, 60, b);
    cr_assert_str_eq(b, "1 meeting, 1 h");
    mtg_fmt_attendance(1, 0, b);
    cr_assert_str_eq(b, "1 meeting, less than a minute");
    mtg_fmt_attendance(0, 0, b);
    cr_assert_str_eq(b, "0 meetings, less than a minute");
    mtg_fmt_attendance(4294967295u, 4294967295u, b);
    cr_assert_str_eq(b, "4294967295 meetings, 71582788 h 15 min");
}

Test(client_attendance, weeks)
{
    char b[32];
    mtg_fmt_week("2026-11-16", 2026, b);
    cr_assert_str_eq(b, "Nov 16");
    mtg_fmt_week("2026-11-09", 2026, b);
    cr_assert_str_eq(b, "Nov 9");
    mtg_fmt_week("2026-01-05", 2026, b);
    cr_assert_str_eq(b, "Jan 5");
    mtg_fmt_week("2025-12-29", 2026, b);
    cr_assert_str_eq(b, "Dec 29, 2025", "another year says which");
    mtg_fmt_week("2027-01-04", 2026, b);
    cr_assert_str_eq(b, "Jan 4, 2027");
    const char *bad[] = {"2026-13-01", "2026-00-10", "2026-11-00", "2026-11-32", "20261116",
                         "2026-11-1", "2026-11-160", "abcd-11-16", "2026/11/16", "", "0000-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mtg_fmt_week(bad[i], 2026, b);
        cr_assert_str_eq(b, "?", "'%s'", bad[i]);
    }
    mtg_fmt_week(NULL, 2026, b);
    cr_assert_str_eq(b, "?");
}

Test(client_attendance, text)
{
    struct proto_attendance_week w[] = {
        {.week = "2026-11-16", .meetings = 2, .minutes = 50},
        {.week = "2026-11-09", .meetings = 1, .minutes = 15},
    };
    char *t = mtg_attendance_text(w, 2, 2026);
    cr_assert_str_eq(t, "Your meetings, by week (only you can see this):\n"
                        "  week of Nov 16   2 meetings, 50 min\n"
                        "  week of Nov 9    1 meeting, 15 min");
    free(t);

    t = mtg_attendance_text(NULL, 0, 2026);
    cr_assert_str_eq(t, "No meetings yet: when you attend one, it shows here.");
    free(t);

    /* over New Year: the dates stay in one column */
    struct proto_attendance_week y[] = {
        {.week = "2026-01-05", .meetings = 1, .minutes = 60},
        {.week = "2025-12-29", .meetings = 3, .minutes = 130},
    };
    t = mtg_attendance_text(y, 2, 2026);
    cr_assert_str_eq(t, "Your meetings, by week (only you can see this):\n"
                        "  week of Jan 5          1 meeting, 1 h\n"
                        "  week of Dec 29, 2025   3 meetings, 2 h 10 min");
    free(t);
}
