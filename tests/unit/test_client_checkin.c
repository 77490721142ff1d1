/*
 * The terminal client's check-in parts that need no server
 * (client/term/checkin.c, checkin_text.c, and what `hearth checkin` takes
 * in oneshot_args.c): days, what /checkin and its questions take, picking
 * warning signs, the result and the warning, buddies' check-ins and alerts,
 * milestones, the summary, the list and the journal. The card, the plan,
 * clean time and settings are in test_client_plan.c. The sources are
 * compiled in here.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../client/term/buddies.c"
#include "../../client/term/checkin.c"
#include "../../client/term/checkin_text.c"
#include "../../client/term/cleantime.c"
#include "../../client/term/cmdline.c"
#include "../../client/term/meeting.c"
#include "../../client/term/mod.c"
#include "../../client/term/oneshot_args.c"
#include "../../client/term/plan.c"
#include "../../client/term/safety.c"
#include "../../client/term/schedule.c"
#include "../../client/term/support.c"
#include "../../client/term/text.c"

/* Checks a malloc'd sentence and frees it. */
static void check_text(char *got, const char *want)
{
    cr_assert_not_null(got, "no text (wanted \"%s\")", want);
    cr_assert_str_eq(got, want);
    free(got);
}

static const struct proto_sign SIGNS[] = {
    {"isolating", "Isolating"},
    {"skipping_support", "Skipping meetings or support"},
    {"neglecting_self_care", "Neglecting sleep, food or self-care"},
    {"romanticising_use", "Glorifying or romanticising past use"},
    {"mood_swings", "Intense mood swings"},
    {"high_stress", "High stress"},
    {"dishonesty", "Dishonesty"},
    {"old_places_people", "Contact with old using places or people"},
    {"stopping_treatment", "Stopping medication or treatment"},
    {"boredom", "Boredom with no plan"},
};
#define NSIGNS (sizeof SIGNS / sizeof SIGNS[0])

static const char *const RES[] = {"988 Suicide and Crisis Lifeline: call or text 988 (US)",
                                  "Crisis Text Line: text HOME to 741741 (US)"};
#define DANGER "If you are in danger now:\n" \
               "  - 988 Suicide and Crisis Lifeline: call or text 988 (US)\n" \
               "  - Crisis Text Line: text HOME to 741741 (US)"

/* --------------------------------------------------------------- days */

Test(client_checkin, days)
{
    cr_assert(ci_day_ok("2026-11-23"));
    cr_assert(ci_day_ok("2028-02-29"), "a leap day");
    cr_assert(ci_day_ok("2000-02-29"), "400 years make a leap year");
    cr_assert_not(ci_day_ok("2026-02-29"));
    cr_assert_not(ci_day_ok("1900-02-29"), "100 years do not");
    cr_assert_not(ci_day_ok("2026-04-31"));
    cr_assert_not(ci_day_ok("2026-13-01"));
    cr_assert_not(ci_day_ok("2026-1-01"));
    cr_assert_not(ci_day_ok("2026-11-23 "));
    cr_assert_not(ci_day_ok("tomorrow"));
    cr_assert_not(ci_day_ok(NULL));

    int64_t n;
    char name[CI_DAY];
    cr_assert(ci_day_number("1970-01-01", &n));
    cr_assert_eq(n, 0);
    cr_assert(ci_day_number("2026-11-23", &n));
    cr_assert_eq(n, 20780);
    ci_day_name(n + 8, name);
    cr_assert_str_eq(name, "2026-12-01", "across a month");
    ci_day_name(n + 39, name);
    cr_assert_str_eq(name, "2027-01-01", "across a year");
    cr_assert(ci_day_number("1969-12-31", &n));
    cr_assert_eq(n, -1);
    ci_day_name(-1, name);
    cr_assert_str_eq(name, "1969-12-31");

    int y, m, d;
    cr_assert(ci_day_parts("2026-05-30", &y, &m, &d));
    cr_assert(y == 2026 && m == 5 && d == 30);
}

Test(client_checkin, days_in_words)
{
    char out[CI_DAY_WORDS];
    ci_fmt_day("2026-11-23", 0, out);
    cr_assert_str_eq(out, "Mon 23 Nov");
    ci_fmt_day("2026-11-23", 2026, out);
    cr_assert_str_eq(out, "Mon 23 Nov", "this year: no year");
    ci_fmt_day("2025-11-23", 2026, out);
    cr_assert_str_eq(out, "Sun 23 Nov 2025");
    ci_fmt_day("2028-02-29", 0, out);
    cr_assert_str_eq(out, "Tue 29 Feb");
    ci_fmt_day("1969-12-31", 0, out);
    cr_assert_str_eq(out, "Wed 31 Dec", "before 1970");
    ci_fmt_date("2026-01-02", 2026, out);
    cr_assert_str_eq(out, "2 Jan");
    ci_fmt_date("2026-01-02", 2027, out);
    cr_assert_str_eq(out, "2 Jan 2026");
    ci_fmt_day("2026-02-30", 0, out);
    cr_assert_str_eq(out, "?");
}

/* ------------------------------------------------------------ parsing */

static struct ci_args line_ok(const char *s)
{
    struct ci_args a;
    enum ci_parse rc = ci_parse_line(s, &a);
    cr_assert_eq(rc, CI_OK, "refused '%s' (%d)", s, (int)rc);
    return a;
}

static void line_fails(const char *s, enum ci_parse want)
{
    struct ci_args a;
    enum ci_parse rc = ci_parse_line(s, &a);
    cr_expect_eq(rc, want, "'%s': %d, wanted %d", s, (int)rc, (int)want);
    ci_args_free(&a);
}

Test(client_checkin, one_line)
{
    struct ci_args a = line_ok("4 craving=2 signs=isolating, boredom grateful=my sister's call "
                               "win=didn't drink NOTE=\"payday, tomorrow\"");
    cr_assert_eq(a.mood, 4);
    cr_assert_eq(a.craving, 2);
    cr_assert_str_eq(a.signs, "isolating, boredom", "blanks inside a value are kept");
    cr_assert_str_eq(a.grateful, "my sister's call", "apostrophes need no quotes");
    cr_assert_str_eq(a.win, "didn't drink");
    cr_assert_str_eq(a.note, "payday, tomorrow", "one pair of quotes dropped; keys in any case");
    ci_args_free(&a);
    cr_assert_null(a.note, "freed and cleared");
    cr_assert_eq(a.craving, -1);

    a = line_ok("  3  ");
    cr_assert_eq(a.mood, 3);
    cr_assert_eq(a.craving, -1, "not said");
    cr_assert_null(a.signs);
    cr_assert_null(a.grateful);
    ci_args_free(&a);

    a = line_ok("win=2+2=4 mood=5 craving=none grateful=");
    cr_assert_eq(a.mood, 5, "mood= anywhere");
    cr_assert_str_eq(a.win, "2+2=4", "'=' that starts no key stays in the value");
    cr_assert_eq(a.craving, -1);
    cr_assert_null(a.grateful, "empty is not said");
    ci_args_free(&a);

    a = line_ok("1 note=one note=two");
    cr_assert_str_eq(a.note, "two", "the last one counts");
    ci_args_free(&a);

    a = line_ok("2 win=a keynote=b");
    cr_assert_str_eq(a.win, "a keynote=b", "a key only after a blank");
    ci_args_free(&a);
}

Test(client_checkin, one_line_refused)
{
    line_fails("", CI_NO_MOOD);
    line_fails("craving=3", CI_NO_MOOD);
    line_fails("0", CI_BAD_MOOD);
    line_fails("6", CI_BAD_MOOD);
    line_fails("4x", CI_BAD_MOOD);
    line_fails("mood=great", CI_BAD_MOOD);
    line_fails("great", CI_BAD_WORD);
    line_fails("4 feeling ok", CI_BAD_WORD);
    line_fails("4 craving=11", CI_BAD_CRAVING);
    line_fails("4 craving=-1", CI_BAD_CRAVING);
    line_fails("4 craving=12345678901234567890", CI_BAD_CRAVING);

    char long_text[600];
    memset(long_text, 'a', sizeof long_text);
    strcpy(long_text, "4 note=");
    memset(long_text + 7, 'a', 501);
    long_text[508] = '\0';
    line_fails(long_text, CI_LONG_TEXT);
    long_text[507] = '\0';   /* 500 characters */
    struct ci_args a = line_ok(long_text);
    cr_assert_eq(strlen(a.note), 500);
    ci_args_free(&a);

    cr_assert_str_neq(ci_parse_error(CI_BAD_MOOD, false), ci_parse_error(CI_BAD_MOOD, true));
    cr_assert(strstr(ci_parse_error(CI_USAGE, true), "hearth checkin --mood"));
    cr_assert(strstr(ci_parse_error(CI_BAD_WORD, false), "/checkin MOOD"));
}

Test(client_checkin, options)
{
    char *argv[] = {"--mood", "4", "--craving", "2", "--signs", "1,high stress",
                    "--grateful", "a quiet morning", "--win=called Sam", "--note", ""};
    struct ci_args a;
    cr_assert_eq(ci_parse_argv(11, argv, &a), CI_OK);
    cr_assert_eq(a.mood, 4);
    cr_assert_eq(a.craving, 2);
    cr_assert_str_eq(a.signs, "1,high stress");
    cr_assert_str_eq(a.grateful, "a quiet morning");
    cr_assert_str_eq(a.win, "called Sam", "--key=value");
    cr_assert_null(a.note, "empty is not said");
    ci_args_free(&a);

    char *no_mood[] = {"--craving", "3"};
    cr_assert_eq(ci_parse_argv(2, no_mood, &a), CI_NO_MOOD);
    ci_args_free(&a);
    char *bad[] = {"--mood", "4", "--feeling", "ok"};
    cr_assert_eq(ci_parse_argv(4, bad, &a), CI_USAGE);
    ci_args_free(&a);
    char *missing[] = {"--mood"};
    cr_assert_eq(ci_parse_argv(1, missing, &a), CI_USAGE, "an option without its value");
    ci_args_free(&a);
    char *word[] = {"4"};
    cr_assert_eq(ci_parse_argv(1, word, &a), CI_USAGE, "the mood is --mood");
    ci_args_free(&a);
}

Test(client_checkin, oneshot_command_line, .init = cr_redirect_stderr)
{
    struct os s;
    memset(&s, 0, sizeof s);
    char *argv[] = {"checkin", "--mood", "2", "--signs", "isolating"};
    cr_assert_eq(oneshot_parse(&s, 5, argv), 0);
    cr_assert_eq(s.cmd, OS_CHECKIN);
    cr_assert(oneshot_known("checkin"));
    cr_assert_eq(s.checkin.mood, 2);
    cr_assert_str_eq(s.checkin.signs, "isolating");
    ci_args_free(&s.checkin);

    memset(&s, 0, sizeof s);
    char *bad[] = {"checkin", "--mood", "9"};
    cr_assert_eq(oneshot_parse(&s, 3, bad), 2, "a usage error");
    ci_args_free(&s.checkin);
    fflush(stderr);
    cr_assert_stderr_eq_str("hearth: --mood is a number from 1 (very low) to 5 (very good).\n"
                            "Run `hearth --help` for the commands.\n");
}

Test(client_checkin, answers)
{
    uint32_t mood = 0;
    int32_t craving = -1;
    cr_assert(ci_parse_mood(" 5 ", &mood));
    cr_assert_eq(mood, 5);
    cr_assert_not(ci_parse_mood("", &mood));
    cr_assert_not(ci_parse_mood("5 4", &mood));
    cr_assert_not(ci_parse_mood("6", &mood));
    cr_assert(ci_parse_craving("0", &craving));
    cr_assert_eq(craving, 0);
    cr_assert(ci_parse_craving("10", &craving));
    cr_assert_eq(craving, 10);
    cr_assert_not(ci_parse_craving("11", &craving));
    cr_assert_not(ci_parse_craving("a lot", &craving));
}

/* ------------------------------------------------------ warning signs */

static struct ci_signs pick_ok(const char *typed)
{
    struct ci_signs s;
    char bad[48];
    enum ci_parse rc = ci_pick_signs(typed, SIGNS, NSIGNS, &s, bad);
    cr_assert_eq(rc, CI_OK, "'%s' refused (%d): '%s'", typed, (int)rc, bad);
    return s;
}

static void pick_bad(const char *typed, const char *want_bad)
{
    struct ci_signs s;
    char bad[48];
    cr_assert_eq(ci_pick_signs(typed, SIGNS, NSIGNS, &s, bad), CI_BAD_SIGN, "'%s'", typed);
    cr_assert_str_eq(bad, want_bad);
}

Test(client_checkin, picking_signs)
{
    struct ci_signs s = pick_ok("1,10");
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.names[0], "isolating");
    cr_assert_str_eq(s.names[1], "boredom");
    cr_assert_eq(s.names[0], SIGNS[0].name, "points into the list");

    s = pick_ok(" High stress , ISOLATING,high-stress ");
    cr_assert_eq(s.n, 2, "by label or name, in any case, once each");
    cr_assert_str_eq(s.names[0], "high_stress");
    cr_assert_str_eq(s.names[1], "isolating");

    s = pick_ok("1 2 high stress");
    cr_assert_eq(s.n, 3, "blanks separate signs too, a label's words kept together");
    cr_assert_str_eq(s.names[2], "high_stress");

    s = pick_ok("skipping meetings or support, 5");
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.names[0], "skipping_support");
    cr_assert_str_eq(s.names[1], "mood_swings");

    cr_assert_eq(pick_ok("").n, 0);
    cr_assert_eq(pick_ok("none").n, 0);
    cr_assert_eq(pick_ok(NULL).n, 0);

    pick_bad("1, 2 lonely", "lonely");
    pick_bad("11", "11");
    pick_bad("0", "0");
    pick_bad("feeling_blue", "feeling_blue");

    struct proto_sign many[40];
    char words[40][8], typed[200] = "";
    for (int i = 0; i < 40; i++) {
        snprintf(words[i], sizeof words[i], "s%d", i);
        many[i] = (struct proto_sign){words[i], words[i]};
        if (i < 33)
            snprintf(typed + strlen(typed), sizeof typed - strlen(typed), "%d,", i + 1);
    }
    char bad[48];
    cr_assert_eq(ci_pick_signs(typed, many, 40, &s, bad), CI_TOO_MANY_SIGNS);
}

Test(client_checkin, submit_request)
{
    struct ci_args a = line_ok("2 craving=7 grateful=tea note=mine");
    struct ci_signs s = pick_ok("1,6");
    struct proto_request q;
    ci_fill_submit(&a, &s, &q);
    cr_assert_eq(q.type, PROTO_REQ_CHECKIN_SUBMIT);
    cr_assert_eq(q.u.checkin.mood, 2);
    cr_assert_eq(q.u.checkin.craving, 7);
    cr_assert_eq(q.u.checkin.n_signs, 2);
    cr_assert_str_eq(q.u.checkin.signs[1], "high_stress");
    cr_assert_str_eq(q.u.checkin.grateful, "tea");
    cr_assert_null(q.u.checkin.win);
    cr_assert_str_eq(q.u.checkin.note, "mine");
    q.id = "1";
    char *json = proto_request_encode(&q);
    cr_assert_not_null(json, "the codec takes it");
    cr_assert(strstr(json, "\"signs\":[\"isolating\",\"high_stress\"]"), "%s", json);
    free(json);
    ci_args_free(&a);
}

Test(client_checkin, sign_lists)
{
    check_text(ci_signs_menu(SIGNS, 3), "Warning signs (pick any, by number or name):\n"
                                        "   1. Isolating\n"
                                        "   2. Skipping meetings or support\n"
                                        "   3. Neglecting sleep, food or self-care");
    check_text(ci_signs_menu(NULL, 0), "This server lists no warning signs.");
    check_text(ci_bad_sign_text("lone\x1b[2Jly", SIGNS, 1),
               "'lone\xef\xbf\xbd[2Jly' is not one of the warning signs. Pick by number or name:\n"
               "   1. Isolating");
}

/* ---------------------------------------------------------- sentences */

static struct proto_checkin checkin(const char *day)
{
    static const char *signs[] = {"isolating", "boredom"};
    struct proto_checkin c;
    memset(&c, 0, sizeof c);
    c.handle = "bob";
    c.day = day;
    c.mood = 3;
    c.craving = 5;
    c.signs = signs;
    c.n_signs = 2;
    c.grateful = "A quiet morning";
    c.win = "Cooked dinner!";
    c.note = "never shared";
    return c;
}

Test(client_checkin, result)
{
    struct proto_checkin c = checkin("2026-11-23");
    check_text(ci_result_text(&c, false, 3), "Checked in for Mon 23 Nov. Streak: 3 days.");
    check_text(ci_result_text(&c, true, 1), "Updated your check-in for Mon 23 Nov. Streak: 1 day.");
}

static struct proto_result warned(size_t lines, size_t contacts)
{
    static struct proto_plan_line plan[] = {
        {"I pass the bar", "call Sam"},
        {"When payday comes", "I'll take the bus home"},
    };
    static const char *reasons[] = {"My kids", "Waking up clear"};
    static struct proto_contact card[] = {{"Sam (sponsor)", "+1 555 0100", "any time"},
                                          {"Mum", "+1 555 0199", NULL}};
    struct proto_result r;
    memset(&r, 0, sizeof r);
    r.type = PROTO_REQ_CHECKIN_SUBMIT;
    r.u.submitted.warning = r.u.submitted.has_plan = true;
    r.u.submitted.lines = plan;
    r.u.submitted.n_lines = lines;
    r.u.submitted.reasons = reasons;
    r.u.submitted.n_reasons = lines;
    r.u.submitted.contacts = card;
    r.u.submitted.n_contacts = contacts;
    r.u.submitted.resources = (const char **)RES;
    r.u.submitted.n_resources = 2;
    return r;
}

Test(client_checkin, warning)
{
    struct proto_result r = warned(2, 2);
    const char *buddies[] = {"bob", "cal"};
    check_text(ci_warning_text(&r, buddies, 2, false),
               "This looks like a hard day. Be gentle with yourself. Here is what you planned "
               "for days like this:\n"
               "  If I pass the bar, I will call Sam\n"
               "  When payday comes, I'll take the bus home\n"
               "What you hold on to:\n"
               "  My kids\n"
               "  Waking up clear\n"
               "People you can call:\n"
               "  Sam (sponsor): +1 555 0100 (any time)\n"
               "  Mum: +1 555 0199\n"
               DANGER "\n"
               "Reach out now: /ping bob struggling, /ping cal struggling or /sos craving to "
               "talk with someone on duty.");

    r = warned(0, 0);
    check_text(ci_warning_text(&r, NULL, 0, false),
               "This looks like a hard day. Be gentle with yourself.\n"
               DANGER "\n"
               "Reach out now: /sos craving asks someone on duty to talk with you.\n"
               "When you feel up to it, a plan (/plan add WHEN => THEN) and people to call "
               "(/card add NAME PHONE) help on days like this.");

    r = warned(1, 0);
    r.u.submitted.n_resources = 0;
    check_text(ci_warning_text(&r, NULL, 0, true),
               "This looks like a hard day. Be gentle with yourself. Here is what you planned "
               "for days like this:\n"
               "  If I pass the bar, I will call Sam\n"
               "What you hold on to:\n"
               "  My kids\n"
               "If you are in danger now:\n"
               "  - If you are in immediate danger, call your local emergency number.\n"
               "Reach out now: `hearth ping BUDDY struggling` lets a buddy know, or `hearth sos "
               "craving` asks someone on duty to talk with you.\n"
               "When you feel up to it, in `hearth`: people to call (/card add NAME PHONE) "
               "helps on days like this.");
}

Test(client_checkin, buddies_check_ins)
{
    struct proto_checkin c = checkin("2026-11-23");
    check_text(ci_shared_text(&c, "2026-11-23"),
               "bob checked in: mood 3/5, craving 5/10, 2 warning signs. Grateful for: A quiet "
               "morning. Win of the day: Cooked dinner!");
    c.craving = -1;
    c.n_signs = 0;
    c.grateful = c.win = NULL;
    c.handle = "b\x1b[31mob";
    check_text(ci_shared_text(&c, "2026-11-24"), "b??31mob checked in for Mon 23 Nov: mood 3/5.");

    check_text(ci_alert_text("bob", "2026-11-23", 3, "2026-11-23"),
               "bob's check-in shows 3 warning signs today. Maybe reach out: /dm bob or /ping "
               "bob thinking");
    check_text(ci_alert_text("bob", "2026-11-22", 1, "2026-11-23"),
               "bob's check-in for Sun 22 Nov showed 1 warning sign. Maybe reach out: /dm bob or "
               "/ping bob thinking");
}

Test(client_checkin, quiet_spells)
{
    check_text(ci_nudge_text("bob", 2), "bob has been quiet for 2 days. Maybe reach out: /ping "
                                        "bob thinking or /dm bob");
    check_text(ci_reminder_text(1), "Welcome back. You had been quiet for 1 day, so your buddies "
                                    "were nudged to reach out, as you asked (/settings nudges). "
                                    "/checkin whenever you are ready.");
}

Test(client_checkin, milestones_told)
{
    struct proto_milestone m = {"90d", "90 days", "2026-11-23"};
    check_text(ct_milestone_text("ann", "ann", &m, "2026-11-23"),
               "You reached 90 days clean today. Congratulations: every one of those days "
               "counts.");
    check_text(ct_milestone_text("bob", "ann", &m, "2026-11-23"),
               "bob reached 90 days clean today. /ping bob to celebrate.");
    check_text(ct_milestone_text("bob", "ann", &m, "2026-11-25"),
               "bob reached 90 days clean on Mon 23 Nov. /ping bob to celebrate.");
    m.label = "";
    check_text(ct_milestone_text(NULL, "ann", &m, "2026-11-25"),
               "You reached a milestone clean on Mon 23 Nov. Congratulations: every one of "
               "those days counts.");
}

Test(client_checkin, streak_and_goal)
{
    check_text(ci_streak_text(0, 0), "No check-ins yet: /checkin whenever you are ready.");
    check_text(ci_streak_text(0, 41), "Your streak starts again with your next check-in "
                                      "(/checkin). Your longest so far: 41 days.");
    check_text(ci_streak_text(6, 41), "Streak: 6 days in a row (longest: 41 days).");
    check_text(ci_streak_text(1, 1), "Streak: 1 day in a row.");
    check_text(ci_streak_text(9, 9), "Streak: 9 days in a row, your longest yet.");
    check_text(ci_goal_text(3, 2), "2 of 3 meetings this week.");
    check_text(ci_goal_text(3, 3), "3 of 3 meetings this week. Goal reached: well done.");
    check_text(ci_goal_text(1, 0), "0 of 1 meeting this week.");
    check_text(ci_goal_text(0, 1), "1 meeting this week (/goal N sets a weekly goal).");
}

Test(client_checkin, summary)
{
    struct proto_checkin_period p[] = {
        {"2026-11-16", 6, 3.7, 2.5, 2},
        {"2026-11-09", 1, 4.0, -1, 1},
        {"2025-12-29", 0, 0, -1, 0},
    };
    struct proto_result r;
    memset(&r, 0, sizeof r);
    r.type = PROTO_REQ_CHECKIN_SUMMARY;
    r.u.summary.periods = p;
    r.u.summary.n = 3;
    r.u.summary.streak = 6;
    r.u.summary.longest = 41;
    r.u.summary.goal = 3;
    r.u.summary.meetings_this_week = 2;
    check_text(ci_summary_text(&r, false, 2026),
               "Your check-ins, week by week (newest first):\n"
               "  week of Mon 16 Nov       6 days checked in, mood 3.7/5, craving 2.5/10, "
               "2 meetings\n"
               "  week of Mon 9 Nov        1 day checked in, mood 4.0/5, 1 meeting\n"
               "  week of Mon 29 Dec 2025  no check-ins, no meetings\n"
               "Streak: 6 days in a row (longest: 41 days).\n"
               "2 of 3 meetings this week.");
    p[0].start = "2026-11-01";
    r.u.summary.n = 1;
    r.u.summary.goal = 0;
    check_text(ci_summary_text(&r, true, 2026),
               "Your check-ins, month by month (newest first):\n"
               "  November 2026  6 days checked in, mood 3.7/5, craving 2.5/10, 2 meetings\n"
               "Streak: 6 days in a row (longest: 41 days).\n"
               "2 meetings this week (/goal N sets a weekly goal).");
}

Test(client_checkin, list_and_journal)
{
    struct proto_checkin c[2] = {checkin("2026-11-23"), checkin("2025-11-22")};
    c[1].craving = -1;
    c[1].n_signs = 0;
    c[1].grateful = NULL;
    c[1].win = NULL;
    c[1].note = "line one\nline two";
    check_text(ci_list_text(c, 2, SIGNS, NSIGNS, 2026),
               "Your last 2 check-ins (newest first; only you see the notes):\n"
               "  Mon 23 Nov  mood 3/5, craving 5/10, 2 warning signs: Isolating, Boredom with "
               "no plan. Grateful for: A quiet morning. Win: Cooked dinner! Note: never shared.\n"
               "  Sat 22 Nov 2025  mood 3/5. Note: line one line two.");
    check_text(ci_list_text(c, 1, NULL, 0, 2026),
               "Your last 1 check-in (newest first; only you see the notes):\n"
               "  Mon 23 Nov  mood 3/5, craving 5/10, 2 warning signs: isolating, boredom. "
               "Grateful for: A quiet morning. Win: Cooked dinner! Note: never shared.");
    check_text(ci_list_text(NULL, 0, NULL, 0, 2026),
               "No check-ins yet: /checkin whenever you are ready.");

    struct proto_journal_entry e[] = {{"2026-10-30", "Sunlight", "Said no."},
                                      {"2026-10-28", NULL, "Called my sponsor"}};
    check_text(ci_journal_text(e, 2, 2026),
               "Your gratitude journal (newest first):\n"
               "  Fri 30 Oct  Grateful for: Sunlight. Win: Said no.\n"
               "  Wed 28 Oct  Win: Called my sponsor.");
    char *empty = ci_journal_text(NULL, 0, 2026);
    cr_assert(strstr(empty, "Your journal is empty so far."));
    free(empty);
}
