/*
 * Blocks, reports and safety in the interactive client: the slash
 * commands (/block, /unblock, /blocks, /report, /reports, /resolve,
 * /help-now), the events the library passes on (report.new,
 * report.handled, safety.notice, safety.check_in, safety.alert) and what
 * is not shown: a message from someone I block arrives as a "hidden"
 * placeholder and shows nothing at all; their comings and goings and
 * their presence are left out too (the list of whom I block is fetched
 * when signed in, and kept up to date by /block and /unblock).
 *
 * /help-now works signed out: safety.resources is allowed before signing
 * in, and when the server cannot be reached the client still says to
 * call the local emergency number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ------------------------------------------------------- whom I block */

bool chat_safety_blocks(const struct chat *ch, const char *handle)
{
    if (!handle)
        return false;
    for (size_t i = 0; i < ch->nblocked; i++)
        if (strcmp(ch->blocked[i], handle) == 0)
            return true;
    return false;
}

static void blocked_add(struct chat *ch, const char *handle)
{
    char h[PROTO_HANDLE_MAX + 1];
    if (!handle || !proto_name_fold(handle, h) || chat_safety_blocks(ch, h))
        return;
    void *blocked = chat_grow(ch->blocked, ch->nblocked, &ch->blocked_cap, sizeof *ch->blocked);
    if (!blocked)
        return;
    ch->blocked = blocked;
    memcpy(ch->blocked[ch->nblocked++], h, sizeof h);
}

static void blocked_remove(struct chat *ch, const char *handle)
{
    for (size_t i = 0; i < ch->nblocked; i++) {
        if (strcmp(ch->blocked[i], handle) == 0) {
            memmove(&ch->blocked[i], &ch->blocked[i + 1],
                    (ch->nblocked - i - 1) * sizeof *ch->blocked);
            ch->nblocked--;
            return;
        }
    }
}

void chat_safety_clear(struct chat *ch)
{
    free(ch->blocked);
    ch->blocked = NULL;
    ch->nblocked = ch->blocked_cap = 0;
}

static void blocked_set(struct chat *ch, const char *const *handles, size_t n)
{
    ch->nblocked = 0;
    for (size_t i = 0; i < n; i++)
        blocked_add(ch, handles[i]);
}

bool chat_safety_hides(const struct chat *ch, const struct proto_room_event *ev)
{
    if (ev->kind == PROTO_EV_MESSAGE)
        return ev->hidden;
    if (ev->kind == PROTO_EV_JOINED || ev->kind == PROTO_EV_LEFT)
        return chat_safety_blocks(ch, ev->handle);
    return false;
}

static void on_block_list(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (!ch->quitting && r->err == PROTO_OK)
        blocked_set(ch, r->result->u.blocks.handles, r->result->u.blocks.n);
    chat_op_end(op, false);
}

void chat_safety_ready(struct chat *ch)
{
    chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_BLOCK_LIST, on_block_list);
}

/* ------------------------------------------------------------ output */

/* Prints text one line at a time ('\n' separates them). */
static void print_lines(enum ui_style st, const char *text)
{
    if (!text)
        return;
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        ui_line(st, "%.*s", len, p);
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void print_resources(const char *notice, const char *const *res, size_t n)
{
    char *txt = saf_resources_text(notice, res, n);
    if (txt)
        print_lines(UI_PLAIN, txt);
    else
        ui_line(UI_PLAIN, "%s", SAF_FALLBACK);
    free(txt);
}

static void help_now_failed(const char *why)
{
    ui_line(UI_ERROR, "Could not get the crisis resources from the server%s%s", why ? ": " : ".",
            why ? why : "");
    ui_line(UI_CARE, "%s", SAF_FALLBACK);
}

/* ------------------------------------------------------------- events */

void chat_safety_event(struct chat *ch, const struct proto_event *ev)
{
    char *txt;
    switch (ev->type) {
    case PROTO_EVT_SAFETY_NOTICE:
        if (ch->notice_shown)
            break;
        ch->notice_shown = true;
        txt = saf_resources_text(ev->u.safety.text, ev->u.safety.resources, ev->u.safety.n);
        print_lines(UI_NOTICE, txt);
        free(txt);
        ui_line(UI_DIM, "(/help-now shows this again at any time.)");
        break;
    case PROTO_EVT_SAFETY_CHECK_IN:
        txt = saf_check_in_text(ev->u.safety.text, ev->u.safety.resources, ev->u.safety.n,
                                ev->u.safety.room, ui_utf8(), "/help-now");
        print_lines(UI_CARE, txt);
        free(txt);
        ui_bell();   /* it is for you */
        break;
    case PROTO_EVT_SAFETY_ALERT:
        txt = saf_alert_text(ev->u.alert.room, ev->u.alert.handle, ev->u.alert.seq);
        if (txt)
            ui_line(UI_CARE, "%s", txt);
        free(txt);
        break;
    case PROTO_EVT_REPORT_NEW: {
        const struct proto_report *rep = &ev->u.report_new;
        txt = saf_report_new_text(rep);
        if (txt)
            ui_line(UI_WARN, "%s", txt);
        free(txt);
        char *ex = saf_report_excerpt(rep);
        ui_line(UI_DIM, "    %s%s(/resolve %lld actioned|dismissed when done)", ex ? ex : "",
                ex ? "  " : "", (long long)rep->id);
        free(ex);
        break;
    }
    case PROTO_EVT_REPORT_HANDLED:
        txt = saf_handled_text(ev->u.handled.id, ev->u.handled.outcome);
        if (txt)
            ui_line(UI_NOTICE, "%s", txt);
        free(txt);
        break;
    default:
        break;
    }
}

/* ----------------------------------------------------------- replies */

static void show_reports(struct chat *ch, struct op *op, const struct proto_result *res)
{
    size_t n = res->u.reports.n;
    bool all = op->mark != 0;
    char about[PROTO_HANDLE_MAX + 16] = "";
    if (op->room[0])
        snprintf(about, sizeof about, " about #%s", op->room);
    if (n == 0) {
        ui_line(UI_DIM, all ? "No reports%s." : "No open reports%s.", about);
        return;
    }
    ui_line(UI_PLAIN, "%s%s (%zu), newest first:", all ? "Reports" : "Open reports", about, n);
    int64_t now = chat_server_now(ch);
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        const struct proto_report *rep = &res->u.reports.reports[i];
        char *line = saf_report_entry(rep, now);
        char *ex = saf_report_excerpt(rep);
        if (line)
            ui_line(UI_PLAIN, "  %s", line);
        if (ex)
            ui_line(UI_DIM, "        %s", ex);
        free(line);
        free(ex);
        open |= !rep->status || strcmp(rep->status, "open") == 0;
    }
    if (open)
        ui_line(UI_DIM, "/resolve ID actioned|dismissed [note] closes one.");
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (ch->quitting) {
        chat_op_end(op, false);
        return;
    }
    enum proto_req_type t = (enum proto_req_type)op->what;
    if (r->err != PROTO_OK) {
        if (t == PROTO_REQ_SAFETY_RESOURCES) {
            char buf[600];
            fmt_error(r, buf, sizeof buf);
            help_now_failed(buf);
        } else {
            chat_show_error(op->room[0] ? op->room : NULL, r);
            if (t == PROTO_REQ_REPORT_CREATE && r->err == PROTO_E_MESSAGE_NOT_FOUND)
                ui_line(UI_DIM, "SEQ is the number /history shows as #SEQ before each message.");
        }
        chat_op_end(op, true);
        return;
    }
    const struct proto_result *res = r->result;
    char *txt = NULL;
    switch (t) {
    case PROTO_REQ_BLOCK_ADD:
    case PROTO_REQ_BLOCK_REMOVE:
        if (t == PROTO_REQ_BLOCK_ADD)
            blocked_add(ch, op->text);
        else
            blocked_remove(ch, op->text);
        txt = saf_block_done_text(t == PROTO_REQ_BLOCK_ADD, op->text);
        if (txt)
            ui_line(UI_DIM, "%s", txt);
        break;
    case PROTO_REQ_BLOCK_LIST:
        blocked_set(ch, res->u.blocks.handles, res->u.blocks.n);
        txt = saf_blocks_text(res->u.blocks.handles, res->u.blocks.n);
        if (txt)
            ui_line(UI_PLAIN, "%s", txt);
        if (res->u.blocks.n)
            ui_line(UI_DIM, "/unblock HANDLE lifts one.");
        break;
    case PROTO_REQ_REPORT_CREATE:
        /* A conversation has no room moderators: the server's read it. */
        txt = saf_report_done_text(res->u.report.id,
                                   proto_is_conversation_name(op->room) ? NULL : op->room,
                                   op->seq, op->text);
        if (txt)
            ui_line(UI_NOTICE, "%s", txt);
        break;
    case PROTO_REQ_REPORT_LIST:
        show_reports(ch, op, res);
        break;
    case PROTO_REQ_REPORT_RESOLVE:
        txt = saf_resolve_done_text((int64_t)op->seq, op->text);
        if (txt)
            ui_line(UI_NOTICE, "%s", txt);
        break;
    case PROTO_REQ_SAFETY_RESOURCES:
        print_resources(res->u.safety.notice, res->u.safety.resources, res->u.safety.n);
        break;
    default:
        break;
    }
    free(txt);
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

void chat_safety_help(void)
{
    static const char *const lines[] = {
        "Blocks, reports and safety:",
        "  /block HANDLE              stop seeing someone's messages (they are not told)",
        "  /unblock HANDLE            see them again      /blocks   whom you block",
        "  /report SEQ reason...      report message #SEQ of the current room to its",
        "                             moderators (/history shows #SEQ before each message)",
        "  /report @HANDLE reason...  report a person (the current room goes with it)",
        "  /reports [all] [ROOM]      moderators: the open reports (all: resolved ones too)",
        "  /resolve ID actioned|dismissed [note]",
        "                             close report #ID (the note stays with the moderators)",
        "  /help-now                  where to get help right now (works signed out too)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

static void issue(struct proto_request *q, struct op *op)
{
    op->what = (unsigned)q->type;
    chat_issue(op, q, on_reply);
}

static void cmd_help_now(struct chat *ch)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_SAFETY_RESOURCES;
    struct op *op = chat_op_new(ch, NULL);
    op->what = (unsigned)q.type;
    chat_op_begin(op);
    int rc = hc_request(ch->c, &q, on_reply, op);
    if (rc < 0) {
        help_now_failed(rc == -ENOTCONN ? "not connected" : strerror(-rc));
        chat_op_end(op, false);
    }
}

static void cmd_block(struct chat *ch, const struct cmd_args *a, bool block)
{
    char h[PROTO_HANDLE_MAX + 1];
    const char *w = a->argc == 2 ? a->argv[1] : NULL;
    if (!w || !proto_name_fold(w[0] == '@' ? w + 1 : w, h)) {
        chat_refuse(ch, block ? "Usage: /block HANDLE" : "Usage: /unblock HANDLE");
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = block ? PROTO_REQ_BLOCK_ADD : PROTO_REQ_BLOCK_REMOVE;
    q.u.block.handle = h;
    struct op *op = chat_op_new(ch, NULL);
    op->text = strdup(h);
    issue(&q, op);
}

static void cmd_report(struct chat *ch, const char *args)
{
    struct saf_report_args a;
    enum saf_parse rc = saf_parse_report(args, &a);
    switch (rc) {
    case SAF_OK:
        break;
    case SAF_BAD_SEQ:
        chat_refuse(ch, "Usage: /report SEQ reason... (SEQ: the number /history shows as #SEQ)");
        break;
    case SAF_BAD_HANDLE:
        chat_refuse(ch, "Usage: /report @HANDLE reason... (a handle: 3-32 of a-z 0-9 _ -)");
        break;
    case SAF_NO_REASON:
        chat_refuse(ch, "Say what is wrong after it, in a few words: the moderators read it.");
        break;
    case SAF_LONG_REASON:
        chat_refuse(ch, "A reason is at most 500 characters.");
        break;
    case SAF_NO_MEMORY:
        chat_refuse(ch, "Out of memory.");
        break;
    default:
        chat_refuse(ch, "Usage: /report SEQ reason... or /report @HANDLE reason...");
        break;
    }
    if (rc != SAF_OK) {
        saf_report_args_free(&a);
        return;
    }
    if (a.seq && !ch->current[0]) {
        chat_refuse(ch,
                    "No current room: /join ROOM first (SEQ is a message of the current room).");
        saf_report_args_free(&a);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_REPORT_CREATE;
    q.u.report.room = ch->current[0] ? ch->current : NULL;
    q.u.report.seq = a.seq;
    q.u.report.handle = a.seq ? NULL : a.handle;
    q.u.report.reason = a.reason;
    struct op *op = chat_op_new(ch, q.u.report.room);
    op->seq = a.seq;
    if (!a.seq)
        op->text = strdup(a.handle);
    issue(&q, op);
    saf_report_args_free(&a);
}

static void cmd_reports(struct chat *ch, const struct cmd_args *a)
{
    bool all = false;
    char room[PROTO_HANDLE_MAX + 1] = "";
    for (int i = 1; i < a->argc; i++) {
        const char *w = a->argv[i];
        if (!strcmp(w, "all") || !strcmp(w, "--all")) {
            all = true;
        } else if (!room[0] && chat_fold(w, room)) {
            /* a room */
        } else {
            chat_refuse(ch, "Usage: /reports [all] [ROOM]");
            return;
        }
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_REPORT_LIST;
    q.u.reports.room = room[0] ? room : NULL;
    q.u.reports.all = all;
    struct op *op = chat_op_new(ch, room[0] ? room : NULL);
    op->mark = all;
    issue(&q, op);
}

static void cmd_resolve(struct chat *ch, const char *args)
{
    struct saf_resolve_args a;
    enum saf_parse rc = saf_parse_resolve(args, &a);
    if (rc == SAF_LONG_REASON)
        chat_refuse(ch, "A note is at most 500 characters.");
    else if (rc == SAF_NO_MEMORY)
        chat_refuse(ch, "Out of memory.");
    else if (rc != SAF_OK)
        chat_refuse(ch, "Usage: /resolve ID actioned|dismissed [note...] (ID: the report's number, "
                  "from /reports)");
    if (rc != SAF_OK) {
        saf_resolve_args_free(&a);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_REPORT_RESOLVE;
    q.u.resolve.id = a.id;
    q.u.resolve.outcome = a.outcome;
    q.u.resolve.note = a.note;
    struct op *op = chat_op_new(ch, NULL);
    op->seq = (uint64_t)a.id;
    op->text = strdup(a.outcome);
    issue(&q, op);
    saf_resolve_args_free(&a);
}

bool chat_safety_command(struct chat *ch, const char *line)
{
    static const char *const names[] = {"block", "unblock", "blocks", "report", "reports",
                                        "resolve", "help-now", "helpnow"};
    const char *rest;
    int which = chat_command_word(line, names, sizeof names / sizeof names[0], &rest);
    if (which < 0)
        return false;
    const char *cmd = names[which];
    if (!strncmp(cmd, "help", 4)) {
        cmd_help_now(ch);   /* signed in or not */
        return true;
    }
    if (!chat_need_signed_in(ch))
        return true;
    if (!strcmp(cmd, "report")) {
        cmd_report(ch, rest);
        return true;
    }
    if (!strcmp(cmd, "resolve")) {
        cmd_resolve(ch, rest);
        return true;
    }
    struct cmd_args a;
    if (!chat_split(ch, line, &a))
        return true;
    if (!strcmp(cmd, "block") || !strcmp(cmd, "unblock")) {
        cmd_block(ch, &a, cmd[0] == 'b');
    } else if (!strcmp(cmd, "blocks")) {
        if (a.argc != 1) {
            chat_refuse(ch, "Usage: /blocks");
        } else {
            struct proto_request q;
            memset(&q, 0, sizeof q);
            q.type = PROTO_REQ_BLOCK_LIST;
            issue(&q, chat_op_new(ch, NULL));
        }
    } else {
        cmd_reports(ch, &a);
    }
    cmd_args_free(&a);
    return true;
}
