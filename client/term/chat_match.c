/*
 * The matching pool in the interactive client: /match (where one stands,
 * with a proposal waiting), /match join, /match leave, /match accept and
 * /match decline, and the events match.proposal (an alert) and
 * match.update.
 *
 * The client keeps the waiting proposal's id, so /match accept and
 * /match decline need none; when it does not know one (a proposal made
 * while it was away) they ask match.status first, in the same op. A
 * proposal the reader declines is forgotten as the request goes out: the
 * "declined" update it brings says nothing (the reply says it), and a
 * declined or lapsed proposal never says who said no. /match join's UTC
 * offset is the local time zone's, now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat.h"

/* What a /match op is doing (op->what). */
enum mw { MW_STATUS = 1, MW_JOIN, MW_LEAVE, MW_ACCEPT, MW_DECLINE };

/* ----------------------------------------------------------- proposal */

static void forget_proposal(struct chat *ch)
{
    ch->proposal_id = 0;
    ch->proposal_with[0] = '\0';
}

/* A proposal waiting for my answer; `alert` when it is news. */
static void note_proposal(struct chat *ch, const struct proto_match_proposal *p, bool alert)
{
    bool news = p->id != ch->proposal_id;
    ch->proposal_id = p->id;
    snprintf(ch->proposal_with, sizeof ch->proposal_with, "%s", p->handle ? p->handle : "");
    if (alert && news)
        chat_alert(mat_proposal_text(p, chat_server_now(ch)));
}

void chat_match_event(struct chat *ch, const struct proto_event *ev)
{
    if (ev->type == PROTO_EVT_MATCH_PROPOSAL) {
        note_proposal(ch, &ev->u.proposal, true);
        return;
    }
    if (ev->type != PROTO_EVT_MATCH_UPDATE || !ev->u.match_update.state)
        return;
    /* One I declined (forgotten then) or never heard of: nothing to say. */
    if (ev->u.match_update.id == 0 || ev->u.match_update.id != ch->proposal_id)
        return;
    const char *state = ev->u.match_update.state;
    char *txt = mat_update_text(state, ch->proposal_with);
    if (txt)
        ui_line(UI_NOTICE, "%s", txt);
    free(txt);
    if (strcmp(state, "waiting") != 0)
        forget_proposal(ch);
}

static void on_ready_status(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (!ch->quitting && r->err == PROTO_OK) {
        if (r->result->u.match.has_proposal)
            note_proposal(ch, &r->result->u.match.proposal, true);   /* made while I was away */
        else
            forget_proposal(ch);
    }
    chat_op_end(op, false);
}

void chat_match_ready(struct chat *ch)
{
    chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_MATCH_STATUS, on_ready_status);
}

/* ----------------------------------------------------------- requests */

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud);

/* Sends q for op; an op already under way (the answer after a status)
 * carries on. */
static void match_send(struct op *op, const struct proto_request *q)
{
    chat_issue(op, q, on_reply);   /* an op under way carries on */
}

static void send_type(struct op *op, enum proto_req_type t)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = t;
    match_send(op, &q);
}

/* match.accept or match.decline of the waiting proposal (op->what says
 * which); op->seq keeps its id, op->text whom it is with. */
static void answer(struct op *op)
{
    struct chat *ch = op->ch;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = op->what == MW_ACCEPT ? PROTO_REQ_MATCH_ACCEPT : PROTO_REQ_MATCH_DECLINE;
    q.u.by_id.id = ch->proposal_id;
    op->seq = (uint64_t)ch->proposal_id;
    free(op->text);
    op->text = strdup(ch->proposal_with);
    if (op->what == MW_DECLINE)
        forget_proposal(ch);   /* its "declined" update: the reply says it */
    match_send(op, &q);
}

/* repeat: say a waiting proposal even when it was already announced (the
 * person asked for /match). */
static void show_status(struct chat *ch, const struct proto_result *res, bool repeat)
{
    const struct proto_match_proposal *p = res->u.match.has_proposal ? &res->u.match.proposal
                                                                       : NULL;
    bool known = p && p->id == ch->proposal_id;
    if (p)
        note_proposal(ch, p, false);   /* said in the status */
    else
        forget_proposal(ch);
    if (known && !repeat)
        p = NULL;
    chat_print_text(mat_status_text(res->u.match.in_pool, &res->u.match.prefs, p,
                                    chat_server_now(ch)));
}

/* The answer to match.status for an op that asked it to answer a
 * proposal: the proposal, or none. false: the op ended. */
static bool found_proposal(struct op *op, const struct proto_result *res)
{
    if (res->u.match.has_proposal) {
        note_proposal(op->ch, &res->u.match.proposal, false);
        return true;
    }
    forget_proposal(op->ch);
    ui_line(UI_ERROR, "No match proposal is waiting for your answer. /match shows where you "
                      "stand.");
    chat_op_end(op, true);
    return false;
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    bool answered = r->result && (r->result->type == PROTO_REQ_MATCH_ACCEPT ||
                                  r->result->type == PROTO_REQ_MATCH_DECLINE);
    if (r->err != PROTO_OK && op->what == MW_DECLINE && op->seq && !ch->proposal_id) {
        ch->proposal_id = (int64_t)op->seq;   /* not declined after all */
        snprintf(ch->proposal_with, sizeof ch->proposal_with, "%s", op->text ? op->text : "");
    }
    if (chat_reply_unusable(op, r, NULL))
        return;
    if (r->result->type == PROTO_REQ_MATCH_STATUS && (op->what == MW_ACCEPT ||
                                                      op->what == MW_DECLINE)) {
        if (found_proposal(op, r->result))
            answer(op);
        return;
    }
    if (r->result->type == PROTO_REQ_MATCH_JOIN) {
        send_type(op, PROTO_REQ_MATCH_STATUS);   /* says what the pool has of me */
        return;
    }
    if (r->result->type == PROTO_REQ_MATCH_STATUS)
        show_status(ch, r->result, op->what == MW_STATUS);   /* after a join: once is enough */
    else if (r->result->type == PROTO_REQ_MATCH_LEAVE)
        ui_line(UI_NOTICE, "You left the matching pool. /match join puts you back.");
    else if (answered && op->what == MW_DECLINE)
        ui_line(UI_NOTICE, "You declined the match with %s. You stay in the pool.",
                op->text && *op->text ? op->text : "them");
    /* An accept: the match.update that follows says what became of it. */
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

/* `/match join LANG APPROACH ...`: the words checked before the op. */
static void match_join(struct chat *ch, struct cmd_args *a)
{
    int32_t offset = 0;
    if (!mtg_utc_offset(time(NULL), &offset))
        offset = 0;
    char lang[PROTO_LANGUAGE_MAX + 1];
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_MATCH_JOIN;
    enum mat_parse rc = mat_parse_join(a->argc - 2, a->argv + 2, offset, lang, &q.u.match);
    if (rc != MAT_OK) {
        chat_refuse(ch, mat_parse_error(rc));
        return;
    }
    struct op *op = chat_op_new(ch, NULL);
    op->what = MW_JOIN;
    match_send(op, &q);
}

static void cmd_match(struct chat *ch, struct cmd_args *a)
{
    static const struct { const char *word; enum mw what; } subs[] = {
        {"status", MW_STATUS}, {"join", MW_JOIN},     {"leave", MW_LEAVE},
        {"accept", MW_ACCEPT}, {"decline", MW_DECLINE},
    };
    enum mw what = a->argc == 1 ? MW_STATUS : 0;
    for (size_t i = 0; a->argc > 1 && i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(a->argv[1], subs[i].word))
            what = subs[i].what;
    if (!what || (what != MW_JOIN && a->argc > 2)) {
        chat_refuse(ch, "Usage: /match [join LANG APPROACH [--clean-days N] [--more-clean-time] "
                        "| leave | accept | decline]");
        return;
    }
    if (what == MW_JOIN) {
        match_join(ch, a);
        return;
    }
    struct op *op = chat_op_new(ch, NULL);
    op->what = what;
    if (what == MW_LEAVE)
        send_type(op, PROTO_REQ_MATCH_LEAVE);
    else if (what != MW_STATUS && ch->proposal_id)
        answer(op);
    else
        send_type(op, PROTO_REQ_MATCH_STATUS);   /* then the answer, if one is waiting */
}

void chat_match_help(void)
{
    static const char *const lines[] = {
        "Finding a buddy (the matching pool):",
        "  /match join LANG APPROACH [--clean-days N] [--more-clean-time]",
        "                             wait to be matched with someone who speaks LANG (en,",
        "                             es, ...) within 3 hours of your time zone; APPROACH",
        "                             is 12_step, smart, other or any; --clean-days says",
        "                             your days clean, --more-clean-time asks for someone",
        "                             with more",
        "  /match                     where you stand, and a proposal waiting for you",
        "  /match accept, /match decline",
        "                             answer the proposal (both must say yes; nobody is",
        "                             told who said no)",
        "  /match leave               stop waiting in the pool",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_match_command(struct chat *ch, struct cmd_args *a)
{
    if (strcmp(a->argv[0], "match") != 0)
        return false;
    if (chat_need_signed_in(ch))
        cmd_match(ch, a);
    return true;
}
