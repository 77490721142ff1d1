/*
 * Buddies and pings in the interactive client: the slash commands
 * (/buddy add|accept|decline|cancel|end, /buddies, /dm, /ping, /pings),
 * the events the library passes on (buddy.request, buddy.update,
 * buddy.ping, buddy.ping_status) and what the client knows of each
 * person (struct bud_entry): paired, asking me, or asked by me.
 *
 * A request, a ping and an ended pairing are alerts: they stand out and
 * ring the bell. An ended pairing never says why. My own end, decline or
 * cancel brings an "ended" event too (before its reply, which says it):
 * the entry is marked `ending` while it is on its way, so that event says
 * nothing. A ping shown on a terminal is marked seen (buddy.ping_seen),
 * so its sender learns a person saw it.
 *
 * The words are buddies.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ------------------------------------------------------------ people */

static struct bud_entry *entry(const struct chat *ch, const char *handle)
{
    for (size_t i = 0; handle && i < ch->nbuds; i++)
        if (strcmp(ch->buds[i].handle, handle) == 0)
            return &ch->buds[i];
    return NULL;
}

enum bud_link chat_buddy_link(const struct chat *ch, const char *handle)
{
    const struct bud_entry *e = entry(ch, handle);
    return e ? e->link : BUD_NONE;
}

static void entry_set(struct chat *ch, const char *handle, enum bud_link link)
{
    struct bud_entry *e = entry(ch, handle);
    if (!e && handle) {
        void *buds = chat_grow(ch->buds, ch->nbuds, &ch->buds_cap, sizeof *ch->buds);
        if (!buds)
            return;
        ch->buds = buds;
        e = &ch->buds[ch->nbuds++];
        snprintf(e->handle, sizeof e->handle, "%s", handle);
    }
    if (e) {
        e->link = link;
        e->ending = false;
    }
}

static void entry_drop(struct chat *ch, const char *handle)
{
    struct bud_entry *e = entry(ch, handle);
    if (e)
        *e = ch->buds[--ch->nbuds];
}

void chat_buddies_clear(struct chat *ch)
{
    free(ch->buds);
    ch->buds = NULL;
    ch->nbuds = ch->buds_cap = 0;
    ch->buds_known = false;
}

/* ------------------------------------------------------------ output */

void chat_alert(char *sentence)
{
    if (!sentence)
        return;
    char *line = bud_alert_line(sentence, ui_color());
    ui_line(UI_PLAIN, "%s", line ? line : sentence);
    ui_bell();
    free(line);
    free(sentence);
}

static void say(enum ui_style st, char *sentence)
{
    if (sentence)
        ui_line(st, "%s", sentence);
    free(sentence);
}

/* ------------------------------------------------------------- events */

static void paired(struct chat *ch, const struct proto_buddy *b)
{
    bool fresh = chat_buddy_link(ch, b->handle) != BUD_PAIRED;
    entry_set(ch, b->handle, BUD_PAIRED);
    chat_conv_begin(ch, b->conversation, b->handle, PROTO_KIND_BUDDY);
    if (fresh)
        say(UI_NOTICE, bud_paired_text(b->handle));
}

static void asked_me(struct chat *ch, const char *handle)
{
    if (chat_buddy_link(ch, handle) == BUD_ASKED_ME)
        return;
    entry_set(ch, handle, BUD_ASKED_ME);
    chat_alert(bud_request_text(handle));
}

static void ended(struct chat *ch, const char *handle)
{
    const struct bud_entry *e = entry(ch, handle);
    enum bud_link was = e ? e->link : BUD_NONE;
    bool mine = e && e->ending;   /* the reply says it */
    entry_drop(ch, handle);
    if (mine)
        return;
    if (was == BUD_PAIRED)
        chat_alert(bud_ended_text(handle, was));
    else
        say(UI_DIM, bud_ended_text(handle, was));
}

/* Marks a ping seen once it is on a person's screen. */
static void ping_shown(struct chat *ch, int64_t id)
{
    if (!ui_tty() || id <= 0)
        return;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_BUDDY_PING_SEEN;
    q.u.by_id.id = id;
    (void)hc_request(ch->c, &q, NULL, NULL);   /* lost with the link: the ping stays unseen */
}

void chat_buddies_event(struct chat *ch, const struct proto_event *ev)
{
    switch (ev->type) {
    case PROTO_EVT_BUDDY_REQUEST:
        asked_me(ch, ev->u.buddy_request.handle);
        break;
    case PROTO_EVT_BUDDY_UPDATE: {
        const char *state = ev->u.buddy_update.state ? ev->u.buddy_update.state : "";
        if (!strcmp(state, "paired"))
            paired(ch, &ev->u.buddy_update.buddy);
        else if (!strcmp(state, "ended"))
            ended(ch, ev->u.buddy_update.buddy.handle);
        break;
    }
    case PROTO_EVT_BUDDY_PING:
        chat_alert(bud_ping_received_text(&ev->u.ping, chat_server_now(ch)));
        ping_shown(ch, ev->u.ping.id);
        break;
    case PROTO_EVT_PING_STATUS:
        say(UI_DIM, bud_ping_status_text(ev->u.ping_status.to, ev->u.ping_status.state));
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------ buddy lists */

static bool listed(const struct proto_result *res, const char *handle)
{
    for (size_t i = 0; i < res->u.buddies.n; i++)
        if (!strcmp(res->u.buddies.buddies[i].handle, handle))
            return true;
    for (size_t i = 0; i < res->u.buddies.n_incoming; i++)
        if (!strcmp(res->u.buddies.incoming[i].handle, handle))
            return true;
    for (size_t i = 0; i < res->u.buddies.n_outgoing; i++)
        if (!strcmp(res->u.buddies.outgoing[i].handle, handle))
            return true;
    return false;
}

/* The list as it is; `speak`: say what changed since the last one (after a
 * reconnect, events may have been missed). */
static void take_list(struct chat *ch, const struct proto_result *res, bool speak)
{
    for (size_t i = ch->nbuds; i-- > 0;) {
        if (listed(res, ch->buds[i].handle))
            continue;
        if (speak)
            ended(ch, ch->buds[i].handle);
        else
            entry_drop(ch, ch->buds[i].handle);
    }
    for (size_t i = 0; i < res->u.buddies.n; i++) {
        if (speak)
            paired(ch, &res->u.buddies.buddies[i]);
        else
            entry_set(ch, res->u.buddies.buddies[i].handle, BUD_PAIRED);
    }
    for (size_t i = 0; i < res->u.buddies.n_incoming; i++) {
        if (speak)
            asked_me(ch, res->u.buddies.incoming[i].handle);
        else
            entry_set(ch, res->u.buddies.incoming[i].handle, BUD_ASKED_ME);
    }
    for (size_t i = 0; i < res->u.buddies.n_outgoing; i++)
        entry_set(ch, res->u.buddies.outgoing[i].handle, BUD_I_ASKED);
}

static void on_ready_list(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (!ch->quitting && r->err == PROTO_OK) {
        size_t asking = r->result->u.buddies.n_incoming;
        if (!ch->buds_known && asking)
            ui_line(UI_NOTICE, "%zu buddy request%s waiting for your answer: /buddies lists "
                               "them.", asking, asking == 1 ? " is" : "s are");
        take_list(ch, r->result, ch->buds_known);
        ch->buds_known = true;
    }
    chat_op_end(op, false);
}

void chat_buddies_ready(struct chat *ch)
{
    chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_BUDDY_LIST, on_ready_list);
}

/* ----------------------------------------------------------- replies */

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    enum proto_req_type t = (enum proto_req_type)op->what;
    struct bud_entry *e = entry(ch, op->text);
    if (r->err != PROTO_OK && e)
        e->ending = false;
    if (chat_reply_unusable(op, r, NULL))
        return;
    const struct proto_result *res = r->result;
    switch (t) {
    case PROTO_REQ_BUDDY_REQUEST:
        if (chat_buddy_link(ch, op->text) == BUD_PAIRED)
            break;   /* they had asked me: the pairing's line said it */
        entry_set(ch, op->text, BUD_I_ASKED);
        say(UI_NOTICE, bud_done_text(t, op->text));
        break;
    case PROTO_REQ_BUDDY_ACCEPT:
        paired(ch, &res->u.paired.buddy);   /* said once, with the event's */
        break;
    case PROTO_REQ_BUDDY_DECLINE:
    case PROTO_REQ_BUDDY_CANCEL:
    case PROTO_REQ_BUDDY_END:
        entry_drop(ch, op->text);
        say(UI_NOTICE, bud_done_text(t, op->text));
        break;
    case PROTO_REQ_BUDDY_LIST:
        take_list(ch, res, false);
        ch->buds_known = true;
        chat_print_text(bud_list_text(res, chat_server_now(ch)));
        break;
    case PROTO_REQ_BUDDY_PING:
        say(UI_NOTICE, bud_ping_sent_text(&res->u.sent_ping.ping));
        break;
    case PROTO_REQ_BUDDY_PINGS:
        chat_print_text(bud_pings_text(res->u.pings.pings, res->u.pings.n, chat_me(ch),
                                       chat_server_now(ch)));
        break;
    default:
        break;
    }
    chat_op_end(op, false);
}

/* handle: the person the request is about (kept for the reply), or NULL. */
static void issue(struct chat *ch, struct proto_request *q, const char *handle)
{
    struct op *op = chat_op_new(ch, NULL);
    op->what = (unsigned)q->type;
    if (handle && !(op->text = strdup(handle))) {
        chat_op_end(op, true);
        return;
    }
    chat_issue(op, q, on_reply);
}

static void simple(struct chat *ch, enum proto_req_type t)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = t;
    issue(ch, &q, NULL);
}

/* ---------------------------------------------------------- commands */

static void cmd_buddy(struct chat *ch, const struct cmd_args *a)
{
    static const struct { const char *word; enum proto_req_type type; } subs[] = {
        {"add", PROTO_REQ_BUDDY_REQUEST},      {"request", PROTO_REQ_BUDDY_REQUEST},
        {"ask", PROTO_REQ_BUDDY_REQUEST},      {"accept", PROTO_REQ_BUDDY_ACCEPT},
        {"decline", PROTO_REQ_BUDDY_DECLINE},  {"cancel", PROTO_REQ_BUDDY_CANCEL},
        {"end", PROTO_REQ_BUDDY_END},
    };
    char h[PROTO_HANDLE_MAX + 1];
    const char *w = a->argc == 3 ? a->argv[2] : NULL;
    size_t i = 0;
    while (a->argc > 1 && i < sizeof subs / sizeof subs[0] && strcmp(subs[i].word, a->argv[1]))
        i++;
    if (i == sizeof subs / sizeof subs[0] || !w || !proto_name_fold(w[0] == '@' ? w + 1 : w, h)) {
        chat_refuse(ch, "Usage: /buddy add|accept|decline|cancel|end HANDLE");
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = subs[i].type;
    q.u.buddy.handle = h;
    struct bud_entry *e = entry(ch, h);
    if (e && (q.type == PROTO_REQ_BUDDY_DECLINE || q.type == PROTO_REQ_BUDDY_CANCEL ||
              q.type == PROTO_REQ_BUDDY_END))
        e->ending = true;
    issue(ch, &q, h);
}

static void cmd_ping(struct chat *ch, const char *args)
{
    struct bud_ping_args a;
    switch (bud_parse_ping(args, &a)) {
    case BUD_OK: {
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_BUDDY_PING;
        q.u.ping.handle = a.handle;
        q.u.ping.kind = a.kind;
        q.u.ping.text = a.text;
        issue(ch, &q, a.handle);
        break;
    }
    case BUD_LONG_TEXT:
        chat_refuse(ch, "A ping's words are at most 500 characters: /dm HANDLE says more.");
        break;
    case BUD_NO_MEMORY:
        chat_refuse(ch, "Out of memory.");
        break;
    default:
        chat_refuse(ch, "Usage: /ping HANDLE [thinking|call|struggling|your own words...]");
        break;
    }
    bud_ping_args_free(&a);
}

static void cmd_dm(struct chat *ch, const char *args)
{
    char word[PROTO_HANDLE_MAX + 2], h[PROTO_HANDLE_MAX + 1];
    if (!cmd_next_word(&args, word, sizeof word) ||
        !proto_name_fold(word[0] == '@' ? word + 1 : word, h)) {
        chat_refuse(ch, "Usage: /dm HANDLE [TEXT] (HANDLE: a buddy's)");
        return;
    }
    const char *text = cmd_skip_blanks(args);
    if (chat_conv_open(ch, h) && *text)
        chat_send(ch, ch->current, text);
}

void chat_buddies_help(void)
{
    static const char *const lines[] = {
        "Buddies (someone to check in with; each conversation is private to the two of you):",
        "  /buddy add HANDLE          ask someone to be your buddy",
        "  /buddy accept HANDLE, /buddy decline HANDLE",
        "                             answer someone who asked you",
        "  /buddy cancel HANDLE       withdraw your request",
        "  /buddy end HANDLE          stop being buddies (they are not told why; your",
        "                             conversation stays readable)",
        "  /buddies                   your buddies (with their status), who asks you, whom",
        "                             you asked",
        "  /dm HANDLE [TEXT]          talk with a buddy privately: the conversation becomes",
        "                             the current room (prompt [@HANDLE]); /switch @HANDLE",
        "                             goes back to it, /history shows it. \"[@HANDLE]",
        "                             delivered\" and \"seen\" say how far your last message",
        "                             got (/settings read-receipts on|off)",
        "  /ping HANDLE [thinking|call|struggling|TEXT...]",
        "                             let a buddy know: thinking of you (the default),",
        "                             call me, I'm struggling, or a few words of your own",
        "  /pings                     pings of the last 7 days, sent and received, and",
        "                             whether yours were delivered and seen",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_buddies_command(struct chat *ch, const char *line)
{
    static const char *const names[] = {"buddy", "buddies", "dm", "ping", "pings"};
    const char *rest;
    int which = chat_command_word(line, names, sizeof names / sizeof names[0], &rest);
    if (which < 0)
        return false;
    const char *cmd = names[which];
    if (!chat_need_signed_in(ch))
        return true;
    if (!strcmp(cmd, "ping")) {
        cmd_ping(ch, rest);
        return true;
    }
    if (!strcmp(cmd, "dm")) {
        cmd_dm(ch, rest);
        return true;
    }
    struct cmd_args a;
    if (!chat_split(ch, line, &a))
        return true;
    if (!strcmp(cmd, "buddy"))
        cmd_buddy(ch, &a);
    else if (a.argc != 1)
        chat_refuse(ch, !strcmp(cmd, "pings") ? "Usage: /pings" : "Usage: /buddies");
    else
        simple(ch, !strcmp(cmd, "pings") ? PROTO_REQ_BUDDY_PINGS : PROTO_REQ_BUDDY_LIST);
    cmd_args_free(&a);
    return true;
}
