/*
 * Daily check-ins in the interactive client: /checkin (asked question by
 * question on a terminal, chat_checkin_ask.c, or in one line), /checkins,
 * /journal, /streak, /goal, /summary and /history week|month, and the
 * events the library passes on: a buddy's shared check-in, a buddy's
 * alert (it stands out and rings the bell), milestones, a nudge about a
 * buddy gone quiet, and the welcome back after one's own quiet spell.
 *
 * The server's warning signs are read once per sign-in, when first
 * needed, and kept (ch->signs): the questions list them, and a check-in
 * may name them by number or label. A check-in that reaches the warning
 * threshold brings the member's own plan and card at once, with one step
 * to reach out to their buddies by name. The words are checkin.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat.h"

/* What an op is for (op->what). */
enum cw { CW_SIGNS_ASK = 1, CW_SIGNS_LINE, CW_SIGNS_SHOW, CW_SUBMIT, CW_LIST, CW_JOURNAL,
          CW_WEEKS, CW_MONTHS, CW_STREAK, CW_GOAL };

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud);

/* ------------------------------------------------------ warning signs */

static void signs_free(struct chat *ch)
{
    for (size_t i = 0; i < ch->nsigns; i++) {
        free((char *)ch->signs[i].name);
        free((char *)ch->signs[i].label);
    }
    free(ch->signs);
    ch->signs = NULL;
    ch->nsigns = 0;
}

/* The list of checkin.signs, copied (kept as it was when out of memory). */
static void keep_signs(struct chat *ch, const struct proto_result *res)
{
    size_t n = res->u.signs.n;
    struct proto_sign *s = calloc(n ? n : 1, sizeof *s);
    for (size_t i = 0; s && i < n; i++) {
        s[i].name = strdup(res->u.signs.signs[i].name ? res->u.signs.signs[i].name : "");
        s[i].label = strdup(res->u.signs.signs[i].label ? res->u.signs.signs[i].label : "");
    }
    if (!s)
        return;
    signs_free(ch);
    ch->signs = s;
    ch->nsigns = n;
    ch->signs_fresh = true;
}

void chat_checkin_ready(struct chat *ch)
{
    ch->signs_fresh = false;   /* the operator may have added some */
}

void chat_checkin_clear(struct chat *ch)
{
    signs_free(ch);
    ch->signs_fresh = false;
    chat_checkin_ask_free(ch);
}

/* ------------------------------------------------------------ requests */

/* A request for op: n is a list's or the journal's limit, or the
 * summary's count (0 for the signs). */
static void request(struct op *op, enum proto_req_type t, uint32_t n)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = t;
    if (t == PROTO_REQ_CHECKIN_SUMMARY) {
        q.u.summary.months = op->what == CW_MONTHS;
        q.u.summary.count = n;
    } else {
        q.u.range.limit = n;
    }
    chat_issue(op, &q, on_reply);
}

static struct op *new_op(struct chat *ch, enum cw what)
{
    struct op *op = chat_op_new(ch, NULL);
    op->what = what;
    return op;
}

void chat_checkin_submit(struct op *op, const struct ci_args *a)
{
    struct chat *ch = op->ch;
    struct ci_signs picked;
    char bad[48];
    enum ci_parse rc = ci_pick_signs(a->signs, ch->signs, ch->nsigns, &picked, bad);
    if (rc != CI_OK) {
        if (rc == CI_BAD_SIGN)
            chat_print_lines(UI_ERROR, UI_PLAIN, ci_bad_sign_text(bad, ch->signs, ch->nsigns));
        else
            ui_line(UI_ERROR, "%s", ci_parse_error(rc, false));
        chat_op_end(op, true);
        return;
    }
    struct proto_request q;
    ci_fill_submit(a, &picked, &q);
    op->what = CW_SUBMIT;
    chat_issue(op, &q, on_reply);
}

/* The one-line form, once the signs are known (op->text: its words). */
static void submit_line(struct op *op)
{
    struct ci_args a;
    if (ci_parse_line(op->text, &a) == CI_OK)
        chat_checkin_submit(op, &a);
    else
        chat_op_end(op, true);   /* parsed before: only without memory */
    ci_args_free(&a);
}

/* ------------------------------------------------------------- replies */

/* My buddies' handles (the ones paired), for the offer to reach out. */
static size_t my_buddies(const struct chat *ch, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < ch->nbuds && n < max; i++)
        if (ch->buds[i].link == BUD_PAIRED)
            out[n++] = ch->buds[i].handle;
    return n;
}

static void submitted(struct chat *ch, const struct proto_result *res)
{
    char *txt = ci_result_text(&res->u.submitted.checkin, res->u.submitted.updated,
                               res->u.submitted.streak);
    ui_line(UI_NOTICE, "%s", txt ? txt : "Checked in.");
    free(txt);
    if (!res->u.submitted.warning)
        return;
    const char *buddies[8];
    size_t nb = my_buddies(ch, buddies, sizeof buddies / sizeof buddies[0]);
    chat_print_lines(UI_CARE, UI_PLAIN, ci_warning_text(res, buddies, nb, false));
}

static int this_year(void)
{
    return mtg_local_year(time(NULL));
}

static void show_streak(const struct proto_result *res, bool streak)
{
    if (streak)
        chat_print_text(ci_streak_text(res->u.summary.streak, res->u.summary.longest));
    chat_print_text(ci_goal_text(res->u.summary.goal, res->u.summary.meetings_this_week));
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (chat_reply_unusable(op, r, NULL))
        return;
    const struct proto_result *res = r->result;
    switch (op->what) {
    case CW_SIGNS_LINE:
        keep_signs(ch, res);
        submit_line(op);
        return;
    case CW_SIGNS_ASK:
        keep_signs(ch, res);
        chat_checkin_ask(ch);
        break;
    case CW_SIGNS_SHOW:
        keep_signs(ch, res);
        chat_print_text(ci_signs_menu(ch->signs, ch->nsigns));
        break;
    case CW_SUBMIT:
        submitted(ch, res);
        break;
    case CW_LIST:
        chat_print_text(ci_list_text(res->u.checkins.checkins, res->u.checkins.n, ch->signs,
                                     ch->nsigns, this_year()));
        break;
    case CW_JOURNAL:
        chat_print_text(ci_journal_text(res->u.journal.entries, res->u.journal.n, this_year()));
        break;
    case CW_WEEKS:
    case CW_MONTHS:
        chat_print_text(ci_summary_text(res, op->what == CW_MONTHS, this_year()));
        break;
    default:
        show_streak(res, op->what == CW_STREAK);
        break;
    }
    chat_op_end(op, false);
}

/* -------------------------------------------------------------- events */

void chat_checkin_event(struct chat *ch, const struct proto_event *ev)
{
    char today[CI_DAY];
    ci_today(ui_now_ms(), today);
    switch (ev->type) {
    case PROTO_EVT_CHECKIN_SHARED:
        chat_print_lines(UI_NOTICE, UI_NOTICE, ci_shared_text(&ev->u.shared, today));
        break;
    case PROTO_EVT_CHECKIN_ALERT:
        chat_alert(ci_alert_text(ev->u.checkin_alert.handle, ev->u.checkin_alert.day,
                                 ev->u.checkin_alert.signs, today));
        break;
    case PROTO_EVT_MILESTONE:
        chat_print_lines(UI_CARE, UI_CARE,
                         ct_milestone_text(ev->u.milestone.handle, chat_me(ch),
                                           &ev->u.milestone.milestone, today));
        break;
    case PROTO_EVT_CHECKIN_NUDGE:
        chat_print_lines(UI_CARE, UI_CARE, ci_nudge_text(ev->u.nudge.handle, ev->u.nudge.days));
        break;
    case PROTO_EVT_CHECKIN_REMINDER:
        chat_print_lines(UI_NOTICE, UI_NOTICE, ci_reminder_text(ev->u.reminder.days));
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ commands */

/* The warning signs, then what `what` does with them (read again once
 * per sign-in). */
static void with_signs(struct chat *ch, enum cw what, const char *text)
{
    if (ch->signs_fresh && what == CW_SIGNS_ASK) {
        chat_checkin_ask(ch);
        return;
    }
    struct op *op = new_op(ch, what);
    if (text && !(op->text = strdup(text)))
        chat_op_end(op, true);
    else if (ch->signs_fresh && what == CW_SIGNS_LINE)
        submit_line(op);
    else
        request(op, PROTO_REQ_CHECKIN_SIGNS, 0);
}

static void cmd_checkin(struct chat *ch, const char *args)
{
    char word[8];
    const char *after = args;
    args = cmd_skip_blanks(args);
    if (!*args && ch->ask) {
        chat_refuse(ch, "You are checking in already: answer the question, or type cancel.");
    } else if (!*args && !ch->tty) {
        chat_refuse(ch, "/checkin alone asks its questions on a terminal. Here, give it in one "
                        "line: /checkin MOOD [craving=N] [signs=A,B] [grateful=TEXT] [win=TEXT] "
                        "[note=TEXT], e.g. /checkin 4 craving=2 signs=boredom.");
    } else if (!*args) {
        with_signs(ch, CW_SIGNS_ASK, NULL);
    } else if (cmd_next_word(&after, word, sizeof word) && cmd_word_is(word, "signs") &&
               !*cmd_skip_blanks(after)) {
        with_signs(ch, CW_SIGNS_SHOW, NULL);
    } else {
        struct ci_args a;
        enum ci_parse rc = ci_parse_line(args, &a);
        if (rc != CI_OK)
            chat_refuse(ch, ci_parse_error(rc, false));
        else
            with_signs(ch, CW_SIGNS_LINE, args);
        ci_args_free(&a);
    }
}

/* "[N]" in 1..max (def when not given): false after saying how. */
static bool count_arg(struct chat *ch, const char *args, unsigned long def, unsigned long max,
                      const char *usage, unsigned long *n)
{
    char word[16];
    *n = def;
    if (!cmd_next_word(&args, word, sizeof word) && !*cmd_skip_blanks(args))
        return true;
    if (!*cmd_skip_blanks(args) && cmd_parse_uint(word, 1, max, n))
        return true;
    chat_refuse(ch, usage);
    return false;
}

/* The first word of args is week(s) or month(s): *months says which,
 * *after points past it. */
static bool period_word(const char *args, bool *months, const char **after)
{
    char word[8];
    *after = args;
    if (!cmd_next_word(after, word, sizeof word))
        return false;
    *months = cmd_word_is(word, "month") || cmd_word_is(word, "months");
    return *months || cmd_word_is(word, "week") || cmd_word_is(word, "weeks");
}

/* /summary [week|month] [N], /history week|month [N]. */
static void cmd_summary(struct chat *ch, const char *args)
{
    bool months = false;
    const char *after;
    unsigned long n;
    if (count_arg(ch, period_word(args, &months, &after) ? after : args, CI_PERIODS_DEFAULT,
                  CI_PERIODS_MAX, "Usage: /summary [week|month] [N] (N from 1 to 52)", &n))
        request(new_op(ch, months ? CW_MONTHS : CW_WEEKS), PROTO_REQ_CHECKIN_SUMMARY,
                (uint32_t)n);
}

static void cmd_goal(struct chat *ch, const char *args)
{
    char word[16];
    if (!*cmd_skip_blanks(args)) {
        request(new_op(ch, CW_GOAL), PROTO_REQ_CHECKIN_SUMMARY, 1);
    } else if (cmd_next_word(&args, word, sizeof word) && !*cmd_skip_blanks(args)) {
        char *argv[] = {"goal", word};
        chat_plan_setting(ch, 2, argv);
    } else {
        chat_refuse(ch, ct_setting_usage(CT_GOAL));
    }
}

void chat_checkin_help(void)
{
    static const char *const lines[] = {
        "Daily check-ins (yours alone unless you share them: /settings share):",
        "  /checkin                   check in, one question at a time: your mood (1-5),",
        "                             a craving (0-10), warning signs, what you are grateful",
        "                             for, the day's win, a note only you see; Enter skips",
        "                             all but the mood, cancel (or Ctrl-C) stops",
        "  /checkin MOOD [craving=N] [signs=A,B] [grateful=TEXT] [win=TEXT] [note=TEXT]",
        "                             the same in one line, e.g. /checkin 4 craving=2",
        "                             signs=isolating,boredom grateful=my sister called",
        "                             (signs by number or name; each text runs to the next",
        "                             KEY=). Checking in again the same day updates it",
        "  /checkin signs             the warning signs to pick from",
        "  /checkins [N]              your last N check-ins (default 7), notes included",
        "  /journal [N]               what you were grateful for, and your wins",
        "  /summary [week|month] [N]  (also /history week|month [N]) the last N weeks or",
        "                             months: days checked in, average mood and craving,",
        "                             meetings; your streak and this week's meeting goal",
        "  /streak                    days in a row you checked in",
        "  /goal [N]                  meetings a week you aim for (0: none); alone: how",
        "                             this week goes",
        "  A check-in with enough warning signs (/settings threshold) brings up your plan",
        "  and your card at once, with where to get help and one step to reach out.",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_checkin_command(struct chat *ch, const char *line)
{
    static const char *const names[] = {"checkin", "checkins", "journal", "streak",
                                        "goal",    "summary",  "history"};
    const char *args, *after;
    unsigned long n;
    bool months;
    int cmd = chat_command_word(line, names, sizeof names / sizeof names[0], &args);
    if (cmd < 0 || (cmd == 6 && !period_word(args, &months, &after)))
        return false;   /* /history [N] is the room's */
    if (!chat_need_signed_in(ch))
        return true;
    switch (cmd) {
    case 0:
        cmd_checkin(ch, args);
        break;
    case 1:
        if (count_arg(ch, args, CI_LIST_DEFAULT, CI_LIST_MAX, "Usage: /checkins [N] (1 to 366)",
                      &n))
            request(new_op(ch, CW_LIST), PROTO_REQ_CHECKIN_LIST, (uint32_t)n);
        break;
    case 2:
        if (count_arg(ch, args, CI_JOURNAL_DEFAULT, CI_JOURNAL_MAX,
                      "Usage: /journal [N] (1 to 100)", &n))
            request(new_op(ch, CW_JOURNAL), PROTO_REQ_CHECKIN_JOURNAL, (uint32_t)n);
        break;
    case 3:
        if (count_arg(ch, args, 1, 1, "Usage: /streak", &n))
            request(new_op(ch, CW_STREAK), PROTO_REQ_CHECKIN_SUMMARY, 1);
        break;
    case 4:
        cmd_goal(ch, args);
        break;
    default:
        cmd_summary(ch, args);
        break;
    }
    return true;
}
