/*
 * Asking for support in the interactive client: /sos (ask, see where my
 * request stands, withdraw it, end the conversation), /handback, the
 * support.update event, and at sign-in what support.status says (updates
 * are not replayed after a reconnect).
 *
 * ch->sup_mine is my own request as last shown: an update that says
 * nothing new (the reply to my own /sos cancel or /sos end said it first)
 * shows nothing. ch->sup_helping holds the requests I answered: a reply
 * that ends one drops it, so its update shows nothing either. An answer
 * to my request rings, and its conversation becomes current; where
 * nobody has answered yet, the crisis resources stand out.
 *
 * /sos cancel, /sos end and /handback ask support.status first, in the
 * same op: they act on what the server says now, and the current
 * conversation says which one is meant when I am with several people.
 * The words are support.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* What a /sos op is doing (op->what). */
enum sw { SW_SOS = 1, SW_ASK, SW_CANCEL, SW_END, SW_HANDBACK };

/* ------------------------------------------------------------- lists */

struct sup_entry *chat_sup_find(const struct sup_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].id == id)
            return &l->v[i];
    return NULL;
}

static void entry_from(struct sup_entry *e, const struct proto_support *r, const char *who)
{
    char keep[PROTO_HANDLE_MAX + 1];   /* who may point into e */
    snprintf(keep, sizeof keep, "%s", who ? who : "");
    e->id = r->id;
    memcpy(e->who, keep, sizeof e->who);
    snprintf(e->conv, sizeof e->conv, "%s", r->conversation ? r->conversation : "");
    e->state = r->state;
    e->urgency = r->urgency;
    e->created_at = r->created_at;
}

struct sup_entry *chat_sup_put(struct sup_list *l, const struct proto_support *r,
                               const char *who)
{
    struct sup_entry *e = chat_sup_find(l, r->id);
    if (!e) {
        void *v = chat_grow(l->v, l->n, &l->cap, sizeof *l->v);
        if (!v)
            return NULL;
        l->v = v;
        e = &l->v[l->n++];
    }
    entry_from(e, r, who);
    return e;
}

void chat_sup_drop(struct sup_list *l, int64_t id)
{
    struct sup_entry *e = chat_sup_find(l, id);
    if (e)
        *e = l->v[--l->n];
}

static void list_free(struct sup_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

void chat_support_clear(struct chat *ch)
{
    list_free(&ch->sup_helping);
    list_free(&ch->sup_offers);
    memset(&ch->sup_mine, 0, sizeof ch->sup_mine);
    ch->sup_known = false;
}

bool chat_support_live(const struct chat *ch, const char *room)
{
    if (!room || !*room)
        return false;
    if (ch->sup_mine.state == PROTO_SUPPORT_ACCEPTED && strcmp(ch->sup_mine.conv, room) == 0)
        return true;
    for (size_t i = 0; i < ch->sup_helping.n; i++)
        if (strcmp(ch->sup_helping.v[i].conv, room) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------- conversations */

/* Until the room list was read, it follows them (from the last message
 * seen in an earlier run). */
static void follow(struct chat *ch, const char *room, const char *peer)
{
    if (ch->convs_known && room)
        chat_conv_begin(ch, room, peer, PROTO_KIND_SUPPORT);
}

static bool is_current(const struct chat *ch, const char *room)
{
    return room && ch->current[0] && strcmp(ch->current, room) == 0;
}

void chat_support_send_refused(struct chat *ch, const char *room, const struct hc_reply *r)
{
    (void)ch;
    if (r->err == PROTO_E_SUPPORT_CLOSED && proto_is_conversation_name(room))
        ui_line(UI_DIM, "This support conversation has ended: it stays readable but takes no new "
                        "messages. /sos asks for support again.");
}

/* ------------------------------------------------------- my own request */

static bool open_or_accepted(enum proto_support_state st)
{
    return st != PROTO_SUPPORT_CLOSED && st != PROTO_SUPPORT_CANCELLED;
}

/* r says something I was not shown yet. */
static bool mine_changes(const struct chat *ch, const struct proto_support *r)
{
    const struct sup_entry *m = &ch->sup_mine;
    return m->id != r->id || m->state != r->state ||
           strcmp(m->who, r->helper ? r->helper : "") != 0;
}

/* Shows where my own request stands now and remembers it: the crisis
 * resources stand out, an answer rings and its conversation becomes
 * current. */
static void show_mine(struct chat *ch, const struct proto_support *r, const char *by,
                      const char *const *res, size_t n)
{
    char prev[PROTO_HANDLE_MAX + 1];
    snprintf(prev, sizeof prev, "%s", ch->sup_mine.id == r->id ? ch->sup_mine.who : "");
    entry_from(&ch->sup_mine, r, r->helper);
    if (r->urgency == PROTO_URGENCY_CRISIS && n && r->state != PROTO_SUPPORT_NOBODY_YET)
        chat_alert(sup_danger_text(res, n));
    char *txt = sup_mine_text(r, by, prev, res, n, false);
    if (r->state == PROTO_SUPPORT_ACCEPTED) {
        follow(ch, r->conversation, r->helper);
        chat_alert(txt);
        chat_conv_enter(ch, r->conversation);
    } else if (r->state == PROTO_SUPPORT_NOBODY_YET) {
        chat_alert(txt);
    } else {
        chat_print_text(txt);
    }
}

/* The answer to support.ask: where it stands, and for a crisis (or
 * whenever the server sends them) the resources first. `open_id`: my
 * request that was open when I asked, as far as I knew. Its first update
 * may have come before this answer, and said it all. */
static void asked(struct chat *ch, const struct proto_result *res, int64_t open_id)
{
    const struct proto_support *r = &res->u.asked.request;
    const char *const *rv = res->u.asked.resources;
    size_t n = res->u.asked.n_resources;
    bool crisis = r->urgency == PROTO_URGENCY_CRISIS;
    if (open_id == r->id || sup_was_open(r))
        chat_print_text(sup_already_text(r));
    if (mine_changes(ch, r)) {
        if ((n || crisis) && r->state != PROTO_SUPPORT_NOBODY_YET) {
            chat_alert(sup_danger_text(rv, n));
            n = 0;   /* shown */
        }
        show_mine(ch, r, NULL, rv, n);
    }
    if (r->state == PROTO_SUPPORT_ACCEPTED)
        return;
    if (open_id != r->id && !sup_was_open(r))
        chat_plan_while_waiting(ch);   /* their own plan and people, while they wait */
    if (crisis)
        ui_line(UI_NOTICE, "Because it is a crisis, the moderators on duty are alerted too.");
    else if (r->state != PROTO_SUPPORT_NOBODY_YET)   /* that one says where help is */
        ui_line(UI_DIM, "Hearth is peer support, not a crisis service: in danger, call your local "
                        "emergency number (/help-now lists where to get help).");
    ui_line(UI_DIM, "/sos shows where your request stands; /sos cancel withdraws it.");
}

/* ------------------------------------------------ requests I help in */

void chat_support_helping(struct chat *ch, const struct proto_support *r, bool enter)
{
    bool known = chat_sup_find(&ch->sup_helping, r->id) != NULL;   /* its update came first */
    chat_sup_put(&ch->sup_helping, r, r->requester);
    chat_sup_drop(&ch->sup_offers, r->id);
    follow(ch, r->conversation, r->requester);
    if (!known)
        chat_print_text(sup_helper_text(r, NULL, NULL));
    if (enter)
        chat_conv_enter(ch, r->conversation);
}

static void helper_update(struct chat *ch, const struct proto_support *r, const char *by,
                          const char *thanks)
{
    bool known = chat_sup_find(&ch->sup_helping, r->id) != NULL;
    if (r->state == PROTO_SUPPORT_ACCEPTED) {
        if (!known)
            chat_support_helping(ch, r, false);   /* answered on another device */
        return;
    }
    if (!known)
        return;   /* my own reply said it */
    chat_sup_drop(&ch->sup_helping, r->id);
    char *txt = sup_helper_text(r, by, thanks);
    if (txt && thanks && *thanks && r->state == PROTO_SUPPORT_CLOSED) {
        ui_line(UI_CARE, "%s", txt);   /* their words for me */
        free(txt);
    } else {
        chat_print_text(txt);
    }
}

void chat_support_event(struct chat *ch, const struct proto_event *ev)
{
    if (ev->type != PROTO_EVT_SUPPORT_UPDATE)
        return;
    const struct proto_support *r = &ev->u.support_update.request;
    const char *me = chat_me(ch);
    if (me && r->requester && strcmp(r->requester, me) == 0) {
        if (mine_changes(ch, r))
            show_mine(ch, r, ev->u.support_update.by, ev->u.support_update.resources,
                      ev->u.support_update.n_resources);
        return;
    }
    helper_update(ch, r, ev->u.support_update.by, ev->u.support_update.thanks);
}

/* ---------------------------------------------------------- status */

/* My own request as support.status says it is; `quiet`: remember it
 * without a word. */
static void take_mine(struct chat *ch, const struct proto_support *mine, bool quiet)
{
    if (mine && quiet) {
        entry_from(&ch->sup_mine, mine, mine->helper);
        if (mine->state == PROTO_SUPPORT_ACCEPTED)
            follow(ch, mine->conversation, mine->helper);
    } else if (mine) {
        if (mine_changes(ch, mine))
            show_mine(ch, mine, NULL, NULL, 0);
    } else if (ch->sup_mine.id && open_or_accepted(ch->sup_mine.state)) {
        ch->sup_mine.state = PROTO_SUPPORT_CLOSED;   /* it ended meanwhile */
        if (!quiet)
            ui_line(UI_NOTICE, "Your request for support has ended. /sos is here whenever you "
                               "need it.");
    }
}

static bool listed(const struct proto_support *h, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].id == id)
            return true;
    return false;
}

static void take_helping(struct chat *ch, const struct proto_support *h, size_t n, bool quiet)
{
    for (size_t i = ch->sup_helping.n; i-- > 0;) {
        struct sup_entry *e = &ch->sup_helping.v[i];
        if (listed(h, n, e->id))
            continue;
        char who[MTG_NAME];
        mtg_safe_name(e->who, who);
        if (!quiet)
            ui_line(UI_NOTICE, "Your support conversation with %s has ended.", who);
        chat_sup_drop(&ch->sup_helping, e->id);
    }
    for (size_t i = 0; i < n; i++) {
        if (chat_sup_find(&ch->sup_helping, h[i].id))
            continue;
        if (!quiet) {
            chat_support_helping(ch, &h[i], false);
            continue;
        }
        chat_sup_put(&ch->sup_helping, &h[i], h[i].requester);
        follow(ch, h[i].conversation, h[i].requester);
    }
}

/* speak: the first time since signing in, say what is open; later, what
 * changed (after a reconnect). Otherwise remember it quietly. */
static void take_status(struct chat *ch, const struct proto_result *res, bool speak)
{
    const struct proto_support *mine = res->u.support.has_mine ? &res->u.support.mine : NULL;
    const struct proto_support *h = res->u.support.requests;
    size_t n = res->u.support.n;
    bool first = !ch->sup_known;
    ch->sup_known = true;
    if (first && speak && (mine || n))
        chat_print_text(sup_status_text(mine, h, n));
    take_mine(ch, mine, first || !speak);
    take_helping(ch, h, n, first || !speak);
    /* offers that still stand: a buddy's is not offered again after a reconnect */
    chat_supporter_offers(ch, res->u.support.offers, res->u.support.n_offers);
}

static void on_ready_status(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (!op->ch->quitting && r->err == PROTO_OK)
        take_status(op->ch, r->result, true);
    chat_op_end(op, false);
}

void chat_support_ready(struct chat *ch)
{
    chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_SUPPORT_STATUS, on_ready_status);
}

/* ----------------------------------------------------------- requests */

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud);

/* Sends q for op; an op already under way (the act after a status)
 * carries on. */
static void sup_send(struct op *op, const struct proto_request *q)
{
    chat_issue(op, q, on_reply);   /* an op under way carries on */
}

static void send_status(struct op *op)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SUPPORT_STATUS;
    sup_send(op, &q);
}

/* support.ask: op->number is the urgency, op->text the note; op->seq
 * keeps my request open until now (0: none). */
static void ask(struct op *op)
{
    const struct sup_entry *m = &op->ch->sup_mine;
    op->seq = m->id && open_or_accepted(m->state) ? (uint64_t)m->id : 0;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SUPPORT_ASK;
    q.u.ask.urgency = (enum proto_urgency)op->number;
    q.u.ask.note = op->text;
    op->what = SW_ASK;
    sup_send(op, &q);
}

/* support.cancel, .close or .handback of request r; `mine`: my own. */
static void act_on(struct op *op, enum proto_req_type t, const struct proto_support *r, bool mine)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = t;
    q.u.support.request = r->id;
    q.u.support.thanks = t == PROTO_REQ_SUPPORT_CLOSE ? op->text : NULL;
    op->seq = (uint64_t)r->id;
    op->number = mine;
    sup_send(op, &q);
}

static void refuse(struct op *op, const char *msg)
{
    ui_line(UI_ERROR, "%s", msg);
    chat_op_end(op, true);
}

/* The request /sos end or /handback is about: with an id, that one I help
 * in; else the one whose conversation is current; else (end) my own
 * answered one; else the only one I help in. NULL when none. */
static const struct proto_support *pick(const struct chat *ch, const struct proto_result *res,
                                        bool end, int64_t id, bool *mine_out)
{
    const struct proto_support *h = res->u.support.requests;
    size_t n = res->u.support.n;
    const struct proto_support *mine = NULL;
    if (end && res->u.support.has_mine && res->u.support.mine.state == PROTO_SUPPORT_ACCEPTED)
        mine = &res->u.support.mine;
    *mine_out = false;
    for (size_t i = 0; i < n; i++)
        if (id ? h[i].id == id : is_current(ch, h[i].conversation))
            return &h[i];
    if (id)
        return NULL;
    *mine_out = mine != NULL;
    if (mine)
        return mine;
    return n == 1 ? &h[0] : NULL;
}

/* Why /sos end or /handback has nothing to act on. */
static const char *nothing_to(const struct proto_result *res, bool end, int64_t id)
{
    bool waiting = res->u.support.has_mine &&
                   res->u.support.mine.state != PROTO_SUPPORT_ACCEPTED;
    if (id)
        return "You are not with anyone by that request number: /sos shows the ones you are with.";
    if (res->u.support.n > 1)
        return end ? "You are with several people: /switch @HANDLE to the conversation to end, "
                     "then /sos end."
                   : "You are with several people: /handback ID (/sos lists them), or /switch "
                     "@HANDLE to the conversation first.";
    if (end && waiting)
        return "Nobody has answered your request yet, so there is no conversation to end. "
               "/sos cancel withdraws it.";
    return end ? "You have no support conversation to end."
               : "You are not with anyone who asked for support.";
}

/* The act after the status (the op carries on: true), or what it shows. */
static bool after_status(struct op *op, const struct proto_result *res)
{
    take_status(op->ch, res, false);
    const struct proto_support *mine = res->u.support.has_mine ? &res->u.support.mine : NULL;
    bool is_mine;
    const struct proto_support *r;
    switch (op->what) {
    case SW_SOS:
        if (!mine && res->u.support.n == 0) {
            ask(op);   /* nothing open: ask to talk */
            return true;
        }
        /* With someone who asked, a bare /sos is a look, not a request. */
        chat_print_text(sup_status_text(mine, res->u.support.requests, res->u.support.n));
        if (!mine)
            ui_line(UI_DIM, "To ask for support yourself: /sos talk (or craving, crisis).");
        return false;
    case SW_CANCEL:
        if (!mine) {
            refuse(op, "You have no open request for support.");
            return true;
        }
        act_on(op, PROTO_REQ_SUPPORT_CANCEL, mine, true);
        return true;
    default:
        r = pick(op->ch, res, op->what == SW_END, (int64_t)op->seq, &is_mine);
        if (!r)
            refuse(op, nothing_to(res, op->what == SW_END, (int64_t)op->seq));
        else if (!is_mine && op->text)
            refuse(op, "Only the person who asked can leave thanks: /sos end alone ends the "
                       "conversation.");
        else
            act_on(op, op->what == SW_END ? PROTO_REQ_SUPPORT_CLOSE : PROTO_REQ_SUPPORT_HANDBACK,
                   r, is_mine);
        return true;
    }
}

/* My cancel, close or handback went through: says so, unless its update
 * (which the server may send first) said it. */
static void ended(struct op *op, enum proto_req_type t)
{
    struct chat *ch = op->ch;
    struct proto_support r;
    memset(&r, 0, sizeof r);
    r.id = (int64_t)op->seq;
    if (op->number) {
        if (ch->sup_mine.id == r.id && !open_or_accepted(ch->sup_mine.state))
            return;
        char helper[PROTO_HANDLE_MAX + 1];
        snprintf(helper, sizeof helper, "%s", ch->sup_mine.who);
        bool answered = ch->sup_mine.state == PROTO_SUPPORT_ACCEPTED || t == PROTO_REQ_SUPPORT_CLOSE;
        r.state = answered ? PROTO_SUPPORT_CLOSED : PROTO_SUPPORT_CANCELLED;
        r.helper = helper;
        r.urgency = ch->sup_mine.urgency;
        show_mine(ch, &r, "requester", NULL, 0);
        return;
    }
    const struct sup_entry *e = chat_sup_find(&ch->sup_helping, r.id);
    if (!e)
        return;
    bool back = t == PROTO_REQ_SUPPORT_HANDBACK;
    r.requester = e->who;
    r.state = back ? PROTO_SUPPORT_ASKING_SUPPORTERS : PROTO_SUPPORT_CLOSED;
    char *txt = sup_helper_text(&r, back ? "handed_back" : "helper", NULL);
    chat_sup_drop(&ch->sup_helping, r.id);
    chat_print_text(txt);
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, NULL))
        return;
    enum proto_req_type t = r->result->type;
    if (t == PROTO_REQ_SUPPORT_STATUS && after_status(op, r->result))
        return;
    if (t == PROTO_REQ_SUPPORT_ASK)
        asked(op->ch, r->result, (int64_t)op->seq);
    else if (t != PROTO_REQ_SUPPORT_STATUS)
        ended(op, t);
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

static void cmd_sos(struct chat *ch, const char *args)
{
    static const enum sw verbs[] = {[SUP_ASK] = SW_SOS, [SUP_CANCEL] = SW_CANCEL,
                                    [SUP_END] = SW_END};
    struct sup_sos_args a;
    enum sup_parse rc = sup_parse_sos(args, &a);
    if (rc != SUP_OK) {
        chat_refuse(ch, sup_parse_error(rc, false));
        sup_sos_args_free(&a);
        return;
    }
    struct op *op = chat_op_new(ch, NULL);
    op->text = a.text;   /* the op's now */
    op->number = (unsigned)a.urgency;
    op->what = verbs[a.verb];
    if (a.verb == SUP_ASK && (a.has_urgency || a.text))
        ask(op);
    else
        send_status(op);   /* then what the words asked for */
}

static void cmd_handback(struct chat *ch, const char *args)
{
    char word[32];
    int64_t id = 0;
    if (cmd_next_word(&args, word, sizeof word) &&
        (!saf_parse_id(word, &id) || *cmd_skip_blanks(args))) {
        chat_refuse(ch, "Usage: /handback [ID] (ID: a request you are with, as /sos lists them)");
        return;
    }
    struct op *op = chat_op_new(ch, NULL);
    op->what = SW_HANDBACK;
    op->seq = (uint64_t)id;
    send_status(op);
}

bool chat_support_command(struct chat *ch, const char *line)
{
    static const char *const names[] = {"sos", "handback"};
    const char *rest;
    int which = chat_command_word(line, names, sizeof names / sizeof names[0], &rest);
    if (which < 0)
        return false;
    if (!chat_need_signed_in(ch))
        return true;
    if (which == 0)
        cmd_sos(ch, rest);
    else
        cmd_handback(ch, rest);
    return true;
}
