/*
 * The member's own safety net and settings in the interactive client:
 * /card (the crisis card: people to call), /plan (when this happens, I
 * will ...; and the reasons they hold on to), /cleantime and /milestones
 * (clean time: one's own, or a buddy's they share), /settings.
 *
 * card.set and plan.set replace the whole card or plan, so adding and
 * removing read it first and send it back changed, in the same op (a
 * script's next line waits for both). /cleantime set and stop read the
 * clean time first too, to say what changed: a new start keeps the
 * earlier time in the history. The words are plan.c's and cleantime.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* What an op is for (op->what): a look, or a change (after PW_SETTINGS),
 * which reads first but for PW_SETTING. */
enum pw { PW_CARD = 1, PW_PLAN, PW_CLEANTIME, PW_MILESTONES, PW_WAIT_CARD, PW_WAIT_PLAN,
          PW_SETTINGS,
          PW_CARD_ADD, PW_CARD_REMOVE, PW_PLAN_ADD, PW_PLAN_REASON, PW_PLAN_REMOVE,
          PW_PLAN_UNREASON, PW_CLEAN_SET, PW_SETTING };

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud);

static void issue(struct op *op, struct proto_request *q)
{
    chat_issue(op, q, on_reply);
}

/* A new op's first request, of type t without arguments (but whose clean
 * time a look asks for): text (NULL: none) and number are kept for what
 * follows (a handle; a contact, a plan line, a reason or a date to set;
 * an entry to take out, from 1). */
static void start(struct chat *ch, enum pw what, enum proto_req_type t, const char *text,
                  unsigned long number)
{
    struct op *op = chat_op_new(ch, NULL);
    op->what = what;
    op->number = (unsigned)number;
    if (text && !(op->text = strdup(text))) {
        chat_op_end(op, true);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = t;
    q.u.of.handle = what == PW_CLEANTIME || what == PW_MILESTONES ? op->text : NULL;
    issue(op, &q);
}

static void refuse(struct op *op, const char *msg)
{
    ui_line(UI_ERROR, "%s", msg);
    chat_op_end(op, true);
}

/* ------------------------------------------------------- edits */

/* The card as read, sent back with op's change. */
static void edit_card(struct op *op, const struct proto_result *res)
{
    struct proto_contact out[PROTO_CARD_CONTACTS_MAX];
    struct pl_contact_args a = {NULL, NULL, NULL};
    bool adding = op->what == PW_CARD_ADD;
    bool parsed = !adding || pl_parse_contact(op->text, &a) == CI_OK;   /* parsed before */
    struct proto_contact add = {a.name, a.phone, a.note};
    long n = pl_edit(res->u.card.contacts, res->u.card.n, sizeof *out, adding ? 0 : op->number,
                     adding ? &add : NULL, out, PROTO_CARD_CONTACTS_MAX);
    if (!parsed) {
        refuse(op, "Out of memory.");
    } else if (n < 0) {
        refuse(op, adding ? "Your card is full (20 people): /card remove N makes room."
                          : "There is nobody by that number on your card: /card lists them.");
    } else {
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_CARD_SET;
        q.u.card.contacts = out;
        q.u.card.n = (size_t)n;
        issue(op, &q);
    }
    pl_contact_args_free(&a);
}

/* The plan as read, sent back with op's change (a line or a reason added
 * or taken out). */
static void edit_plan(struct op *op, const struct proto_result *res)
{
    struct proto_plan_line lines[PROTO_PLAN_LINES_MAX], line = {NULL, NULL};
    const char *reasons[PROTO_PLAN_LINES_MAX];
    const char *reason = op->text;
    unsigned w = op->what;
    char *when = NULL, *then = NULL;
    if (w == PW_PLAN_ADD && pl_parse_line(op->text, &when, &then) == CI_OK)
        line = (struct proto_plan_line){when, then};
    long nl = pl_edit(res->u.plan.lines, res->u.plan.n, sizeof *lines,
                      w == PW_PLAN_REMOVE ? op->number : 0, w == PW_PLAN_ADD ? &line : NULL,
                      lines, PROTO_PLAN_LINES_MAX);
    long nr = pl_edit(res->u.plan.reasons, res->u.plan.n_reasons, sizeof *reasons,
                      w == PW_PLAN_UNREASON ? op->number : 0, w == PW_PLAN_REASON ? &reason : NULL,
                      reasons, PROTO_PLAN_LINES_MAX);
    if (w == PW_PLAN_ADD && !line.when) {
        refuse(op, "Out of memory.");   /* parsed before */
    } else if (nl < 0 || nr < 0) {
        refuse(op, w == PW_PLAN_REMOVE     ? "There is no line by that number: /plan lists them."
                   : w == PW_PLAN_UNREASON ? "There is no reason by that number: /plan lists them."
                                           : "Your plan holds 50 lines and 50 reasons: /plan "
                                             "remove N or /plan unreason N makes room.");
    } else {
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_PLAN_SET;
        q.u.plan.lines = lines;
        q.u.plan.n = (size_t)nl;
        q.u.plan.reasons = reasons;
        q.u.plan.n_reasons = (size_t)nr;
        issue(op, &q);
    }
    free(when);
    free(then);
}

/* The clean time as read: remembered, then the new date (op->text; NULL
 * stops counting). */
static void set_date(struct op *op, const struct proto_result *res)
{
    snprintf(op->day, sizeof op->day, "%s", res->u.sobriety.date ? res->u.sobriety.date : "");
    op->number = res->u.sobriety.days;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SOBRIETY_SET;
    q.u.sobriety.date = op->text;
    issue(op, &q);
}

/* -------------------------------------------------------------- replies */

static void done(const char *sentence, char *txt)
{
    if (sentence)
        ui_line(UI_NOTICE, "%s", sentence);
    chat_print_lines(sentence ? UI_PLAIN : UI_NOTICE, UI_PLAIN, txt);
}

/* While someone waits for support: their own plan and people, if they
 * wrote any (an empty card or plan says nothing at such a moment). */
static void waiting(const struct proto_result *res)
{
    struct text_buf b = {0};
    if (res->type == PROTO_REQ_CARD_GET && res->u.card.n) {
        text_buf_add(&b, "People on your crisis card:");
        pl_add_contacts(&b, res->u.card.contacts, res->u.card.n, false);
    } else if (res->type == PROTO_REQ_PLAN_GET && res->u.plan.n) {
        text_buf_add(&b, "Your plan for moments like this:");
        pl_add_lines(&b, res->u.plan.lines, res->u.plan.n, false);
    }
    if (res->type == PROTO_REQ_PLAN_GET && res->u.plan.n_reasons) {
        text_buf_add(&b, "%sWhat you hold on to:", res->u.plan.n ? "\n" : "");
        pl_add_reasons(&b, res->u.plan.reasons, res->u.plan.n_reasons, false);
    }
    char *txt = text_buf_take(&b);
    if (txt && *txt)
        chat_print_lines(UI_NOTICE, UI_PLAIN, txt);
    else
        free(txt);
}

void chat_plan_while_waiting(struct chat *ch)
{
    start(ch, PW_WAIT_PLAN, PROTO_REQ_PLAN_GET, NULL, 0);
    start(ch, PW_WAIT_CARD, PROTO_REQ_CARD_GET, NULL, 0);
}

static void said(const struct op *op, const struct proto_result *res)
{
    static const char *const sentences[] = {
        [PW_CARD_ADD] = "Added to your crisis card.",
        [PW_CARD_REMOVE] = "Taken off your crisis card.",
        [PW_PLAN_ADD] = "Added to your plan.",
        [PW_PLAN_REASON] = "Added to what you hold on to.",
        [PW_PLAN_REMOVE] = "Taken out of your plan.",
        [PW_PLAN_UNREASON] = "Taken out of what you hold on to.",
    };
    const char *s = op->what < sizeof sentences / sizeof sentences[0] ? sentences[op->what] : NULL;
    char today[CI_DAY], *line;
    ci_today(ui_now_ms(), today);
    if (op->what == PW_WAIT_CARD || op->what == PW_WAIT_PLAN) {
        waiting(res);
        return;
    }
    switch (res->type) {
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
        done(s, pl_card_text(res->u.card.contacts, res->u.card.n, res->u.card.resources,
                             res->u.card.n_resources, op->what == PW_CARD));
        break;
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
        done(s, pl_plan_text(res->u.plan.lines, res->u.plan.n, res->u.plan.reasons,
                             res->u.plan.n_reasons));
        break;
    case PROTO_REQ_SOBRIETY_GET:
        chat_print_text(op->what == PW_MILESTONES
                            ? ct_milestones_text(res, chat_me(op->ch), today)
                            : ct_sobriety_text(res, chat_me(op->ch), today, ui_utf8()));
        break;
    case PROTO_REQ_SOBRIETY_SET:
        chat_print_lines(UI_CARE, UI_PLAIN, ct_set_text(op->day, op->number, res));
        break;
    case PROTO_REQ_SETTINGS_GET:
        chat_print_text(ct_settings_text(&res->u.settings));
        break;
    default:
        line = ct_setting_line(&res->u.settings, (enum ct_key)op->number);
        ui_line(UI_NOTICE, "Saved: %s", line ? line : "");
        free(line);
        break;
    }
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, NULL))
        return;
    const struct proto_result *res = r->result;
    bool read = res->type == PROTO_REQ_CARD_GET || res->type == PROTO_REQ_PLAN_GET ||
                res->type == PROTO_REQ_SOBRIETY_GET;
    if (read && op->what > PW_SETTINGS) {
        if (res->type == PROTO_REQ_CARD_GET)
            edit_card(op, res);
        else if (res->type == PROTO_REQ_PLAN_GET)
            edit_plan(op, res);
        else
            set_date(op, res);
        return;   /* the op carries on */
    }
    said(op, res);
    chat_op_end(op, false);
}

/* ------------------------------------------------------------- commands */

/* "N" alone, from 1; false after saying `usage`. */
static bool number_arg(struct chat *ch, const char *args, const char *usage, unsigned long *n)
{
    char word[16];
    if (cmd_next_word(&args, word, sizeof word) && !*cmd_skip_blanks(args) &&
        cmd_parse_uint(word, 1, 1000, n))
        return true;
    chat_refuse(ch, usage);
    return false;
}

static void cmd_card(struct chat *ch, const char *args)
{
    char word[8];
    unsigned long n;
    struct pl_contact_args a;
    if (!cmd_next_word(&args, word, sizeof word)) {
        start(ch, PW_CARD, PROTO_REQ_CARD_GET, NULL, 0);
    } else if (cmd_word_is(word, "add")) {
        enum ci_parse rc = pl_parse_contact(args, &a);
        pl_contact_args_free(&a);
        if (rc != CI_OK)
            chat_refuse(ch, pl_parse_error(rc, true));
        else
            start(ch, PW_CARD_ADD, PROTO_REQ_CARD_GET, args, 0);
    } else if (cmd_word_is(word, "remove") || cmd_word_is(word, "rm")) {
        if (number_arg(ch, args, "Usage: /card remove N (N: as /card lists them)", &n))
            start(ch, PW_CARD_REMOVE, PROTO_REQ_CARD_GET, NULL, n);
    } else {
        chat_refuse(ch, "Usage: /card, /card add NAME PHONE [NOTE...], /card remove N");
    }
}

static void cmd_plan(struct chat *ch, const char *args)
{
    char word[12], *a = NULL, *b = NULL;
    unsigned long n;
    enum ci_parse rc;
    bool unreason = false;
    if (!cmd_next_word(&args, word, sizeof word)) {
        start(ch, PW_PLAN, PROTO_REQ_PLAN_GET, NULL, 0);
    } else if (cmd_word_is(word, "add")) {
        if ((rc = pl_parse_line(args, &a, &b)) != CI_OK)
            chat_refuse(ch, pl_parse_error(rc, false));
        else
            start(ch, PW_PLAN_ADD, PROTO_REQ_PLAN_GET, args, 0);
    } else if (cmd_word_is(word, "reason")) {
        if ((rc = pl_parse_reason(args, &a)) != CI_OK)
            chat_refuse(ch, pl_parse_error(rc, false));
        else
            start(ch, PW_PLAN_REASON, PROTO_REQ_PLAN_GET, a, 0);
    } else if (cmd_word_is(word, "remove") || (unreason = cmd_word_is(word, "unreason"))) {
        if (number_arg(ch, args, "Usage: /plan remove N, /plan unreason N (as /plan lists them)",
                       &n))
            start(ch, unreason ? PW_PLAN_UNREASON : PW_PLAN_REMOVE, PROTO_REQ_PLAN_GET, NULL, n);
    } else {
        chat_refuse(ch, "Usage: /plan, /plan add WHEN => THEN, /plan reason TEXT, /plan remove "
                        "N, /plan unreason N");
    }
    free(a);
    free(b);
}

/* /cleantime [HANDLE], /cleantime set YYYY-MM-DD|today, /cleantime stop;
 * /milestones [HANDLE]. */
static void cmd_cleantime(struct chat *ch, const char *args, bool milestones)
{
    char word[PROTO_HANDLE_MAX + 2], h[PROTO_HANDLE_MAX + 1], day[CI_DAY] = "";
    bool named = cmd_next_word(&args, word, sizeof word);
    const char *more = cmd_skip_blanks(args);
    bool set = !milestones && named && cmd_word_is(word, "set");
    if (set && cmd_next_word(&args, day, sizeof day) && cmd_word_is(day, "today"))
        ci_today(ui_now_ms(), day);
    if (set && ci_day_ok(day) && !*cmd_skip_blanks(args))
        start(ch, PW_CLEAN_SET, PROTO_REQ_SOBRIETY_GET, day, 0);
    else if (set)
        chat_refuse(ch, "Give the date as YYYY-MM-DD, e.g. /cleantime set 2026-05-30 (or "
                        "today): the day you count from, day 0.");
    else if (!milestones && named && cmd_word_is(word, "stop") && !*more)
        start(ch, PW_CLEAN_SET, PROTO_REQ_SOBRIETY_GET, NULL, 0);
    else if (named && (*more || !proto_name_fold(word[0] == '@' ? word + 1 : word, h)))
        chat_refuse(ch, milestones ? "Usage: /milestones [HANDLE]"
                                   : "Usage: /cleantime [HANDLE], /cleantime set YYYY-MM-DD, "
                                     "/cleantime stop");
    else
        start(ch, milestones ? PW_MILESTONES : PW_CLEANTIME, PROTO_REQ_SOBRIETY_GET,
              named && strcmp(h, chat_me(ch) ? chat_me(ch) : "") ? h : NULL, 0);
}

void chat_plan_setting(struct chat *ch, int argc, char **argv)
{
    static const char keys[] = "The settings: tz, share, threshold, alert, nudges, quiet-days, "
                               "goal, cleantime-share, milestone-room, read-receipts (/settings "
                               "shows them).";
    char zone[SCH_ZONE];
    struct op *op = chat_op_new(ch, NULL);
    struct proto_request q;
    enum ct_key key = CT_TZ;
    sch_local_zone(zone);
    enum ci_parse rc = ct_parse_setting(argc, argv, zone, op->room, &q, &key);
    if (rc != CI_OK) {
        chat_refuse(ch, rc == CI_BAD_WORD ? keys : ct_setting_usage(key));
        free(op);
        return;
    }
    op->what = PW_SETTING;
    op->number = key;
    issue(op, &q);   /* op->room holds a room named in q */
}

static void cmd_settings(struct chat *ch, const char *args)
{
    struct cmd_args a;
    if (!chat_split(ch, args, &a))
        return;
    if (a.argc == 0)
        start(ch, PW_SETTINGS, PROTO_REQ_SETTINGS_GET, NULL, 0);
    else
        chat_plan_setting(ch, a.argc, a.argv);
    cmd_args_free(&a);
}

void chat_plan_help(void)
{
    static const char *const lines[] = {
        "Your plan for hard days, and clean time (only you see them unless you share):",
        "  /card                      your crisis card: people to call, and where to get help",
        "  /card add NAME PHONE [NOTE...]",
        "                             e.g. /card add Sam (sponsor) +1 555 0100 any time;",
        "                             quote a name or a phone of words: \"text HOME to 741741\"",
        "  /card remove N             take someone off (N as /card lists them)",
        "  /plan                      your plan: \"If this happens, I will ...\" and what you",
        "                             hold on to",
        "  /plan add WHEN => THEN     e.g. /plan add I pass the bar => call Sam (shown as",
        "                             \"If I pass the bar, I will call Sam\")",
        "  /plan reason TEXT          something you hold on to, e.g. /plan reason My kids",
        "  /plan remove N, /plan unreason N",
        "                             take a line or a reason out",
        "  /cleantime [HANDLE]        your clean time (or a buddy's who shares it), the next",
        "                             milestone and the ones reached; yours lists earlier",
        "                             periods too",
        "  /cleantime set YYYY-MM-DD  count from that day (day 0; also: today). After a",
        "                             relapse this is a new start: your earlier time is kept",
        "  /cleantime stop            stop counting; your time is kept in your history",
        "  /milestones [HANDLE]       milestones reached, with their days, and the next",
        "  /settings                  your settings, in plain words; /settings KEY VALUE",
        "                             changes one: tz [ZONE] (without one: this computer's),",
        "                             share private|buddies|room ROOM, threshold 1-11, alert",
        "                             on|off, nudges on|off, quiet-days 1-14, goal 0-21,",
        "                             cleantime-share private|buddies|everyone, milestone-room",
        "                             ROOM|none, read-receipts on|off",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_plan_command(struct chat *ch, const char *line)
{
    static const char *const names[] = {"card", "plan", "cleantime", "milestones", "settings"};
    const char *args;
    int cmd = chat_command_word(line, names, sizeof names / sizeof names[0], &args);
    if (cmd < 0)
        return false;
    if (!chat_need_signed_in(ch))
        return true;
    if (cmd == 0)
        cmd_card(ch, args);
    else if (cmd == 1)
        cmd_plan(ch, args);
    else if (cmd == 4)
        cmd_settings(ch, args);
    else
        cmd_cleantime(ch, args, cmd == 3);
    return true;
}
