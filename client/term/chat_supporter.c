/*
 * Being there for others in the interactive client: /available on|off,
 * /queue, /accept [ID], /supportstats [DAYS], and the events support.offer
 * (an alert: it stands out and rings) and support.gone (quiet).
 *
 * ch->sup_offers holds the offers received and not yet gone, so /accept
 * needs no number (the one waiting longest) and an offer made again (the
 * server offers every waiting request to a supporter who connects with
 * "available" on) rings only once. An answer someone else gave first
 * (support_taken), or a request withdrawn meanwhile, is the offer gone,
 * not a failure. The words are support.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

#define STATS_DAYS_DEFAULT 14UL

/* ------------------------------------------------------------- events */

static void offered(struct chat *ch, const struct proto_support *r, const char *as)
{
    bool known = chat_sup_find(&ch->sup_offers, r->id) != NULL;
    chat_sup_put(&ch->sup_offers, r, r->requester);
    if (!known)
        chat_alert(sup_offer_text(r, as));
}

static void say_gone(const char *who, const char *reason)
{
    char *txt = sup_gone_text(who, reason);
    if (txt)
        ui_line(UI_DIM, "%s", txt);
    free(txt);
}

/* An offer is no longer waiting for me; said only when it was shown here. */
static void gone(struct chat *ch, int64_t id, const char *reason)
{
    struct sup_entry *e = chat_sup_find(&ch->sup_offers, id);
    if (!e)
        return;
    say_gone(e->who, reason);
    chat_sup_drop(&ch->sup_offers, id);
}

void chat_supporter_offers(struct chat *ch, const struct proto_support_offer *o, size_t n)
{
    for (size_t i = ch->sup_offers.n; i-- > 0;) {
        int64_t id = ch->sup_offers.v[i].id;
        bool listed = false;
        for (size_t j = 0; j < n && !listed; j++)
            listed = o[j].request.id == id;
        if (!listed)
            chat_sup_drop(&ch->sup_offers, id);   /* answered or withdrawn meanwhile */
    }
    for (size_t i = 0; i < n; i++)
        offered(ch, &o[i].request, o[i].as);
}

void chat_supporter_event(struct chat *ch, const struct proto_event *ev)
{
    if (ev->type == PROTO_EVT_SUPPORT_OFFER)
        offered(ch, &ev->u.offer.request, ev->u.offer.as);
    else if (ev->type == PROTO_EVT_SUPPORT_GONE)
        gone(ch, ev->u.gone.id, ev->u.gone.reason);
}

/* ------------------------------------------------------------ replies */

static void on_accept(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    bool late = r->err == PROTO_E_SUPPORT_TAKEN || r->err == PROTO_E_SUPPORT_CLOSED;
    if (!ch->quitting && late) {
        say_gone(op->text, r->err == PROTO_E_SUPPORT_TAKEN ? "taken" : "ended");
        chat_sup_drop(&ch->sup_offers, (int64_t)op->seq);
        chat_op_end(op, false);
        return;
    }
    if (chat_reply_unusable(op, r, NULL))
        return;
    chat_support_helping(ch, &r->result->u.asked.request, true);
    chat_op_end(op, false);
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, NULL))
        return;
    const struct proto_result *res = r->result;
    switch (res->type) {
    case PROTO_REQ_SUPPORT_AVAILABLE:
        if (res->u.available.on)
            ui_line(UI_NOTICE, "You are on duty: requests for support ring here while you are "
                               "signed in. /queue shows who is waiting; /available off when you "
                               "need to stop.");
        else
            ui_line(UI_NOTICE, "You are off duty. Thank you for being there for others.");
        break;
    case PROTO_REQ_SUPPORT_QUEUE:
        chat_print_text(sup_queue_text(res->u.support.requests, res->u.support.n));
        break;
    case PROTO_REQ_SUPPORT_STATUS:   /* /available alone */
        if (res->u.support.available)
            ui_line(UI_NOTICE, "You are on duty: requests for support ring here while you are "
                               "signed in. /available off when you need to stop.");
        else
            ui_line(UI_NOTICE, "You are off duty. /available on puts you on duty: requests "
                               "for support ring here while you are signed in.");
        chat_supporter_offers(op->ch, res->u.support.offers, res->u.support.n_offers);
        break;
    case PROTO_REQ_SUPPORT_STATS:
        chat_print_text(sup_stats_text(res->u.stats.days, res->u.stats.n, op->number));
        break;
    default:
        break;
    }
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

/* The offer waiting longest, NULL when none. */
static const struct sup_entry *oldest_offer(const struct chat *ch)
{
    const struct sup_entry *best = NULL;
    for (size_t i = 0; i < ch->sup_offers.n; i++) {
        const struct sup_entry *e = &ch->sup_offers.v[i];
        if (!best || e->created_at < best->created_at ||
            (e->created_at == best->created_at && e->id < best->id))
            best = e;
    }
    return best;
}

static void cmd_accept(struct chat *ch, const struct cmd_args *a)
{
    int64_t id = 0;
    if (a->argc > 2 || (a->argc == 2 && !saf_parse_id(a->argv[1], &id))) {
        chat_refuse(ch, "Usage: /accept [ID] (ID: a request offered to you; without it, the one "
                        "waiting longest)");
        return;
    }
    const struct sup_entry *e = id ? chat_sup_find(&ch->sup_offers, id) : oldest_offer(ch);
    if (!id && !e) {
        chat_refuse(ch, "No request for support is waiting for you. /queue shows who is "
                        "waiting.");
        return;
    }
    struct op *op = chat_op_new(ch, NULL);
    op->seq = (uint64_t)(id ? id : e->id);
    op->text = strdup(e ? e->who : "");
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SUPPORT_ACCEPT;
    q.u.support.request = (int64_t)op->seq;
    chat_issue(op, &q, on_accept);
}

/* /available on|off, /queue, /supportstats [DAYS]: the request, or false
 * after saying how to use it. */
static bool fill(struct chat *ch, const struct cmd_args *a, struct proto_request *q,
                 unsigned *days)
{
    const char *arg = a->argc == 2 ? a->argv[1] : NULL;
    unsigned long d = STATS_DAYS_DEFAULT;
    if (!strcmp(a->argv[0], "available")) {
        q->type = PROTO_REQ_SUPPORT_AVAILABLE;
        if (a->argc == 2 && mtg_parse_onoff(arg, &q->u.available.on))
            return true;
        if (a->argc == 1) {   /* alone: whether one is on duty */
            q->type = PROTO_REQ_SUPPORT_STATUS;
            return true;
        }
        chat_refuse(ch, "Usage: /available on|off (on: requests for support ring here while you "
                        "are signed in); /available alone says whether you are on duty");
    } else if (!strcmp(a->argv[0], "queue")) {
        q->type = PROTO_REQ_SUPPORT_QUEUE;
        if (a->argc == 1)
            return true;
        chat_refuse(ch, "Usage: /queue");
    } else {
        q->type = PROTO_REQ_SUPPORT_STATS;
        if (a->argc <= 2 && (!arg || cmd_parse_uint(arg, 1, SUP_STATS_DAYS_MAX, &d))) {
            q->u.stats.days = (uint32_t)d;
            *days = (unsigned)d;
            return true;
        }
        chat_refuse(ch, "Usage: /supportstats [DAYS] (1 to 90; default 14)");
    }
    return false;
}

void chat_support_help(void)
{
    static const char *const lines[] = {
        "Asking for support (someone to talk to, now):",
        "  /sos [talk|craving|crisis] [NOTE...]",
        "                             ask for support: your buddies who are online first,",
        "                             then everyone on duty; a few words help whoever",
        "                             answers. crisis also shows at once where to get help",
        "  /sos                       where your request stands, and who you are with (asks",
        "                             to talk when nothing is open)",
        "  /sos cancel                withdraw your request",
        "  /sos end [THANKS...]       end your support conversation (if you asked, you may",
        "                             leave thanks); /dm HANDLE goes back to it",
        "Being there for others:",
        "  /available on|off          be on duty: requests for support ring here while you",
        "                             are signed in; /available alone says whether you are",
        "                             on duty, and shows requests still offered to you",
        "  /queue                     who is waiting for support, oldest first",
        "  /accept [ID]               answer a request offered to you (without ID: the one",
        "                             waiting longest); its conversation becomes current",
        "  /handback [ID]             give a request you answered back to everyone else on",
        "                             duty, when you cannot stay",
        "  /supportstats [DAYS]       moderators: requests, answers and waits per day (the",
        "                             last 14 days, at most 90)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_supporter_command(struct chat *ch, struct cmd_args *a)
{
    static const char *const names[] = {"available", "queue", "accept", "supportstats"};
    size_t i = 0;
    while (i < sizeof names / sizeof names[0] && strcmp(a->argv[0], names[i]) != 0)
        i++;
    if (i == sizeof names / sizeof names[0])
        return false;
    if (!chat_need_signed_in(ch))
        return true;
    if (!strcmp(a->argv[0], "accept")) {
        cmd_accept(ch, a);
        return true;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    unsigned days = 0;
    if (fill(ch, a, &q, &days)) {
        struct op *op = chat_op_new(ch, NULL);
        op->number = days;
        chat_issue(op, &q, on_reply);
    }
    return true;
}
