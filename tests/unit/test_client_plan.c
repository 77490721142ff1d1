/*
 * The terminal client's card, plan, clean time and settings, without a
 * server (client/term/plan.c, cleantime.c, checkin_text.c): /card add and
 * /plan add's words, list edits, the card and the plan; clean time and new
 * starts; /settings' words and each setting in words. The sources are
 * compiled in here, as in test_client_checkin.c.
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

static const char *const RES[] = {"988 Suicide and Crisis Lifeline: call or text 988 (US)",
                                  "Crisis Text Line: text HOME to 741741 (US)"};

/* ------------------------------------------------------ card and plan */

static struct pl_contact_args contact_ok(const char *s)
{
    struct pl_contact_args a;
    enum ci_parse rc = pl_parse_contact(s, &a);
    cr_assert_eq(rc, CI_OK, "refused '%s' (%d)", s, (int)rc);
    return a;
}

Test(client_plan, card_words)
{
    struct pl_contact_args a = contact_ok("Sam (sponsor) +1 555 0100 any time, day or night");
    cr_assert_str_eq(a.name, "Sam (sponsor)");
    cr_assert_str_eq(a.phone, "+1 555 0100", "a phone's words run together");
    cr_assert_str_eq(a.note, "any time, day or night");
    pl_contact_args_free(&a);
    cr_assert_null(a.name);

    a = contact_ok("\"Crisis line\" \"text HOME to 741741\"");
    cr_assert_str_eq(a.name, "Crisis line");
    cr_assert_str_eq(a.phone, "text HOME to 741741");
    cr_assert_null(a.note);
    pl_contact_args_free(&a);

    a = contact_ok("Mum's friend (555) 010-0199 'after six'");
    cr_assert_str_eq(a.name, "Mum's friend");
    cr_assert_str_eq(a.phone, "(555) 010-0199");
    cr_assert_str_eq(a.note, "after six");
    pl_contact_args_free(&a);

    const char *bad[] = {"", "Sam", "+1 555 0100", "\"Sam +1 555", "Sam \"text me"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(pl_parse_contact(bad[i], &a), CI_USAGE, "'%s'", bad[i]);
        pl_contact_args_free(&a);
    }
    char longer[400] = "Sam 555 ";
    memset(longer + 8, 'x', 301);
    longer[309] = '\0';
    cr_assert_eq(pl_parse_contact(longer, &a), CI_LONG_TEXT, "a note of 301");
    pl_contact_args_free(&a);
}

Test(client_plan, plan_words)
{
    char *when, *then;
    cr_assert_eq(pl_parse_line("I pass the bar => call Sam", &when, &then), CI_OK);
    cr_assert_str_eq(when, "I pass the bar");
    cr_assert_str_eq(then, "call Sam");
    free(when);
    free(then);
    cr_assert_eq(pl_parse_line("  If I can't sleep -> I get up ", &when, &then), CI_OK);
    cr_assert_str_eq(when, "I can't sleep", "a first 'if' goes without saying");
    cr_assert_str_eq(then, "I get up");
    free(when);
    free(then);
    cr_assert_eq(pl_parse_line("when payday comes \xe2\x86\x92 walk home", &when, &then), CI_OK);
    cr_assert_str_eq(when, "payday comes");
    free(when);
    free(then);
    cr_assert_eq(pl_parse_line("Iffy day => rest", &when, &then), CI_OK);
    cr_assert_str_eq(when, "Iffy day", "only the word 'if'");
    free(when);
    free(then);
    cr_assert_eq(pl_parse_line("I pass the bar, call Sam", &when, &then), CI_USAGE);
    cr_assert_eq(pl_parse_line("if => call Sam", &when, &then), CI_USAGE);
    cr_assert_eq(pl_parse_line("I pass the bar =>", &when, &then), CI_USAGE);
    cr_assert_null(when);

    char *r;
    cr_assert_eq(pl_parse_reason(" \"My kids\" ", &r), CI_OK);
    cr_assert_str_eq(r, "My kids");
    free(r);
    cr_assert_eq(pl_parse_reason("   ", &r), CI_USAGE);
    cr_assert(strstr(pl_parse_error(CI_USAGE, true), "/card add NAME PHONE"));
    cr_assert(strstr(pl_parse_error(CI_USAGE, false), "/plan add WHEN => THEN"));
}

Test(client_plan, editing_lists)
{
    int old[] = {1, 2, 3}, out[4], add = 9;
    cr_assert_eq(pl_edit(old, 3, sizeof *old, 0, &add, out, 4), 4);
    cr_assert(out[0] == 1 && out[2] == 3 && out[3] == 9, "added at the end");
    cr_assert_eq(pl_edit(old, 3, sizeof *old, 2, NULL, out, 4), 2);
    cr_assert(out[0] == 1 && out[1] == 3, "the second taken out");
    cr_assert_eq(pl_edit(old, 3, sizeof *old, 4, NULL, out, 4), -1, "no fourth");
    cr_assert_eq(pl_edit(old, 3, sizeof *old, 0, &add, out, 3), -1, "full");
    cr_assert_eq(pl_edit(old, 3, sizeof *old, 0, NULL, out, 3), 3, "unchanged");
    cr_assert_eq(pl_edit(NULL, 0, sizeof *old, 0, &add, out, 1), 1);
}

Test(client_plan, plan_lines)
{
    struct proto_plan_line l = {"I pass the bar", "call Sam"};
    check_text(pl_line_text(&l), "If I pass the bar, I will call Sam");
    l = (struct proto_plan_line){"when payday comes", "I take the bus"};
    check_text(pl_line_text(&l), "when payday comes, I take the bus");
    l = (struct proto_plan_line){"I can't sleep", "I\xe2\x80\x99m up: tea"};
    check_text(pl_line_text(&l), "If I can't sleep, I\xe2\x80\x99m up: tea");
    l = (struct proto_plan_line){"Iffy", "Ideas"};
    check_text(pl_line_text(&l), "If Iffy, I will Ideas");
}

Test(client_plan, card_and_plan)
{
    struct proto_contact c[] = {{"Sam (sponsor)", "+1 555 0100", "any time"}};
    check_text(pl_card_text(c, 1, RES, 2, true),
               "Your crisis card (only you see it):\n"
               "  1. Sam (sponsor): +1 555 0100 (any time)\n"
               "Where to get help, any time:\n"
               "  - 988 Suicide and Crisis Lifeline: call or text 988 (US)\n"
               "  - Crisis Text Line: text HOME to 741741 (US)\n"
               "/card add NAME PHONE [NOTE] adds someone; /card remove N takes someone off.");
    check_text(pl_card_text(NULL, 0, RES, 2, false),
               "Your crisis card has nobody on it yet: /card add NAME PHONE [NOTE] adds someone "
               "to call on a hard day.");

    struct proto_plan_line l[] = {{"I pass the bar", "call Sam"}};
    const char *r[] = {"My kids"};
    check_text(pl_plan_text(l, 1, r, 1),
               "Your plan for hard moments (only you see it):\n"
               "  1. If I pass the bar, I will call Sam\n"
               "What you hold on to:\n"
               "  1. My kids\n"
               "/plan remove N takes a line out; /plan unreason N a reason.");
    check_text(pl_plan_text(NULL, 0, NULL, 0),
               "Your plan has no lines yet: /plan add WHEN => THEN, e.g. /plan add I pass the "
               "bar => call Sam.\n"
               "/plan reason TEXT adds something you hold on to.");
}

/* --------------------------------------------------------- clean time */

static struct proto_result sobriety(const char *handle, const char *date, uint32_t days)
{
    static struct proto_milestone reached[] = {{"1d", "1 day", "2026-05-31"},
                                               {"7d", "1 week", "2026-06-06"}};
    static struct proto_sobriety_period history[] = {{"2026-01-02", "2026-02-16", 45},
                                                     {"2025-03-01", "2025-03-01", 0}};
    struct proto_result r;
    memset(&r, 0, sizeof r);
    r.type = PROTO_REQ_SOBRIETY_GET;
    r.u.sobriety.handle = handle;
    r.u.sobriety.date = date;
    r.u.sobriety.days = days;
    if (date) {
        r.u.sobriety.has_next = true;
        r.u.sobriety.next = (struct proto_milestone){"6m", "6 months", "2026-11-30"};
        r.u.sobriety.reached = reached;
        r.u.sobriety.n_reached = 2;
    }
    if (!handle || !strcmp(handle, "ann")) {
        r.u.sobriety.history = history;
        r.u.sobriety.n_history = 2;
    }
    return r;
}

Test(client_plan, clean_time)
{
    struct proto_result r = sobriety(NULL, "2026-05-30", 177);
    check_text(ct_sobriety_text(&r, "ann", "2026-11-23", true),
               "You have 177 days clean, counting from Sat 30 May. Next milestone: 6 months on "
               "Mon 30 Nov (in 7 days). Reached: 1 day, 1 week.\n"
               "Earlier: 45 days (2 Jan \xe2\x80\x93 16 Feb), 0 days (1 Mar 2025). Every one of "
               "those days still counts.");
    r = sobriety("ann", "2026-05-30", 177);
    r.u.sobriety.n_history = 1;
    check_text(ct_sobriety_text(&r, "ann", NULL, false),
               "You have 177 days clean, counting from Sat 30 May. Next milestone: 6 months on "
               "Mon 30 Nov (in 7 days). Reached: 1 day, 1 week.\n"
               "Earlier: 45 days (2 Jan - 16 Feb). Every one of those days still counts.");
    r = sobriety("bob", "2025-11-23", 365);
    r.u.sobriety.n_reached = 0;
    check_text(ct_sobriety_text(&r, "ann", "2026-11-23", true),
               "bob has 365 days clean, counting from Sun 23 Nov 2025. Next milestone: 6 months "
               "on Mon 30 Nov (in 7 days).");
    r = sobriety(NULL, "2026-11-23", 0);
    r.u.sobriety.n_reached = 0;
    r.u.sobriety.n_history = 0;
    r.u.sobriety.next = (struct proto_milestone){"1d", "1 day", "2026-11-24"};
    check_text(ct_sobriety_text(&r, "ann", NULL, true),
               "Your clean time starts today, Mon 23 Nov: day 0. Every day from here counts. "
               "Next milestone: 1 day on Tue 24 Nov (in 1 day).");
    r = sobriety(NULL, NULL, 0);
    check_text(ct_sobriety_text(&r, "ann", "2026-11-23", true),
               "You are not counting clean time. /cleantime set YYYY-MM-DD counts from that date "
               "(day 0); only you see it unless you choose otherwise (/settings "
               "cleantime-share).\n"
               "Earlier: 45 days (2 Jan \xe2\x80\x93 16 Feb), 0 days (1 Mar 2025). Every one of "
               "those days still counts.");
}

Test(client_plan, milestones_list)
{
    struct proto_result r = sobriety(NULL, "2026-05-30", 177);
    check_text(ct_milestones_text(&r, "ann", NULL),
               "Your milestones, counting from Sat 30 May:\n"
               "  1 day      Sun 31 May\n"
               "  1 week     Sat 6 Jun\n"
               "Next: 6 months on Mon 30 Nov (in 7 days).");
    r = sobriety("bob", "2026-11-20", 3);
    r.u.sobriety.n_reached = 0;
    check_text(ct_milestones_text(&r, "ann", NULL),
               "bob's milestones, counting from Fri 20 Nov:\n"
               "  none yet: the first is the day after the date.\n"
               "Next: 6 months on Mon 30 Nov (in 7 days).");
    r = sobriety("bob", NULL, 0);
    check_text(ct_milestones_text(&r, "ann", NULL), "bob is not counting clean time.");
}

Test(client_plan, new_starts)
{
    struct proto_result r = sobriety(NULL, "2026-11-23", 0);
    r.u.sobriety.n_reached = 0;
    r.u.sobriety.next = (struct proto_milestone){"1d", "1 day", "2026-11-24"};
    static struct proto_sobriety_period closed[] = {{"2026-05-30", "2026-11-22", 176}};
    r.u.sobriety.history = closed;
    r.u.sobriety.n_history = 1;
    check_text(ct_set_text("2026-05-30", 177, &r),
               "A new start, counting from Mon 23 Nov. Your earlier 176 days still count, kept "
               "in your history (/cleantime shows it). Today is day 0. Next milestone: 1 day on "
               "Tue 24 Nov (in 1 day).");
    check_text(ct_set_text("2026-11-23", 0, &r),
               "Your sobriety date is already Mon 23 Nov. Today is day 0. Next milestone: 1 day "
               "on Tue 24 Nov (in 1 day).");
    check_text(ct_set_text("", 0, &r),
               "Counting your clean time from Mon 23 Nov. Today is day 0. Next milestone: 1 day "
               "on Tue 24 Nov (in 1 day).");
    r = sobriety(NULL, NULL, 0);
    r.u.sobriety.history = closed;
    r.u.sobriety.n_history = 1;
    closed[0].to = "2026-11-23";
    closed[0].days = 177;
    check_text(ct_set_text("2026-05-30", 176, &r),
               "A new start. Your earlier time (177 days) is kept in your history (/cleantime "
               "shows it); /cleantime set YYYY-MM-DD counts again whenever you are ready.");
    check_text(ct_set_text(NULL, 0, &r), "You were not counting clean time.");
    check_text(ct_set_text("2026-11-23", 0, &r),
               "You stopped counting. /cleantime set YYYY-MM-DD counts again whenever you are "
               "ready.");
}

/* ----------------------------------------------------------- settings */

static struct proto_request setting_ok(const char *line, enum ct_key want)
{
    static char room[PROTO_HANDLE_MAX + 1];
    static struct cmd_args a;
    cmd_args_free(&a);
    cr_assert_eq(cmd_split(line, &a), 0);
    struct proto_request q;
    enum ct_key key = CT__KEYS;
    enum ci_parse rc = ct_parse_setting(a.argc, a.argv, "Europe/Paris", room, &q, &key);
    cr_assert_eq(rc, CI_OK, "refused '%s' (%d)", line, (int)rc);
    cr_assert_eq(key, want, "'%s'", line);
    cr_assert_eq(q.type, PROTO_REQ_SETTINGS_SET);
    q.id = "1";
    char *json = proto_request_encode(&q);
    cr_assert_not_null(json, "'%s': the codec refuses it", line);
    free(json);
    return q;
}

static void setting_fails(const char *line, enum ci_parse want)
{
    struct cmd_args a;
    char room[PROTO_HANDLE_MAX + 1];
    struct proto_request q;
    enum ct_key key;
    cr_assert_eq(cmd_split(line, &a), 0);
    cr_expect_eq(ct_parse_setting(a.argc, a.argv, "UTC", room, &q, &key), want, "'%s'", line);
    cmd_args_free(&a);
}

Test(client_plan, settings_words)
{
    struct proto_request q = setting_ok("tz", CT_TZ);
    cr_assert_str_eq(q.u.settings.set.tz, "Europe/Paris", "this computer's zone");
    q = setting_ok("TZ America/New_York", CT_TZ);
    cr_assert_str_eq(q.u.settings.set.tz, "America/New_York");
    q = setting_ok("share buddies", CT_SHARE);
    cr_assert(q.u.settings.has_checkin_share && !q.u.settings.has_checkin_room);
    cr_assert_eq(q.u.settings.set.checkin_share, PROTO_SHARE_BUDDIES);
    q = setting_ok("share room #Porch", CT_SHARE);
    cr_assert(q.u.settings.has_checkin_room);
    cr_assert_str_eq(q.u.settings.set.checkin_room, "porch");
    q = setting_ok("threshold 11", CT_THRESHOLD);
    cr_assert_eq(q.u.settings.set.warning_threshold, 11);
    q = setting_ok("alert on", CT_ALERT);
    cr_assert(q.u.settings.has_alert && q.u.settings.set.alert_buddies);
    q = setting_ok("nudges off", CT_NUDGES);
    cr_assert(q.u.settings.has_nudges && !q.u.settings.set.isolation_nudges);
    q = setting_ok("quiet_days 14", CT_QUIET_DAYS);
    cr_assert_eq(q.u.settings.set.isolation_days, 14);
    q = setting_ok("goal none", CT_GOAL);
    cr_assert(q.u.settings.has_goal);
    cr_assert_eq(q.u.settings.set.meeting_goal, 0);
    q = setting_ok("cleantime-share everyone", CT_CLEANTIME_SHARE);
    cr_assert_eq(q.u.settings.set.sobriety_share, PROTO_SHARE_EVERYONE);
    q = setting_ok("milestone-room none", CT_MILESTONE_ROOM);
    cr_assert(q.u.settings.has_milestone_room);
    cr_assert_str_eq(q.u.settings.set.milestone_room, "", "cleared");
    q = setting_ok("milestone-room Milestones", CT_MILESTONE_ROOM);
    cr_assert_str_eq(q.u.settings.set.milestone_room, "milestones");
    q = setting_ok("read-receipts off", CT_READ_RECEIPTS);
    cr_assert(q.u.settings.has_read_receipts && !q.u.settings.set.read_receipts);
    q = setting_ok("Receipts on", CT_READ_RECEIPTS);
    cr_assert(q.u.settings.has_read_receipts && q.u.settings.set.read_receipts);

    setting_fails("colour blue", CI_BAD_WORD);
    setting_fails("", CI_BAD_WORD);
    setting_fails("tz Europe/Paris now", CI_USAGE);
    setting_fails("tz ../etc", CI_USAGE);
    setting_fails("share everyone", CI_USAGE);
    setting_fails("share room", CI_USAGE);
    setting_fails("share buddies porch", CI_USAGE);
    setting_fails("threshold 0", CI_USAGE);
    setting_fails("threshold 12", CI_USAGE);
    setting_fails("alert maybe", CI_USAGE);
    setting_fails("quiet-days 15", CI_USAGE);
    setting_fails("goal 22", CI_USAGE);
    setting_fails("cleantime-share room", CI_USAGE);
    setting_fails("milestone-room", CI_USAGE);
    setting_fails("read-receipts", CI_USAGE);
    setting_fails("read_receipts maybe", CI_USAGE);
    cr_assert(strstr(ct_setting_usage(CT_THRESHOLD), "1 to 11"));
    cr_assert(strstr(ct_setting_usage(CT_READ_RECEIPTS), "on|off"));
}

Test(client_plan, settings_in_words)
{
    struct proto_settings s = {.tz = "America/New_York", .checkin_share = PROTO_SHARE_ROOM,
                               .checkin_room = "porch", .warning_threshold = 4,
                               .alert_buddies = true, .isolation_nudges = false,
                               .isolation_days = 2, .meeting_goal = 3,
                               .sobriety_share = PROTO_SHARE_BUDDIES,
                               .milestone_room = "milestones", .read_receipts = true};
    check_text(ct_settings_text(&s),
               "Your settings (only you see them; /settings KEY VALUE changes one):\n"
               "  tz               America/New_York: your days, weeks and months\n"
               "  share            room porch: each day's first check-in is posted in #porch "
               "(never the note)\n"
               "  threshold        4: that many warning signs in a check-in bring up your plan "
               "and card\n"
               "  alert            on: your buddies are told when a check-in reaches it (how "
               "many signs, never which)\n"
               "  nudges           off: nobody is nudged when you go quiet (2 days)\n"
               "  quiet-days       2: days without a check-in or a sign-in that count as quiet\n"
               "  goal             3 meetings a week\n"
               "  cleantime-share  buddies: your buddies see it and hear of your milestones\n"
               "  milestone-room   #milestones: your milestones are posted there too, while you "
               "share your clean time\n"
               "  read-receipts    on: in a private conversation, each of you sees what the other "
               "has read");
    s.checkin_share = PROTO_SHARE_PRIVATE;
    s.meeting_goal = 0;
    s.milestone_room = NULL;
    check_text(ct_setting_line(&s, CT_SHARE), "share private: your check-ins are yours alone.");
    check_text(ct_setting_line(&s, CT_GOAL), "goal none (/goal N sets one).");
    check_text(ct_setting_line(&s, CT_MILESTONE_ROOM), "milestone-room none.");
    s.read_receipts = false;
    check_text(ct_setting_line(&s, CT_READ_RECEIPTS),
               "read-receipts off: nobody sees what you have read, nor you what they have read "
               "(delivered still shows).");
    s.tz = "Bad\x1bZone";
    check_text(ct_setting_line(&s, CT_TZ), "tz Bad?Zone: your days, weeks and months.");
}
