/*
 * Slash commands, password prompts and the replies they wait for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ---------------------------------------------------------- replies */

static void on_auth(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (chat_reply_unusable(op, r, NULL))
        return;
    snprintf(ch->cfg->token, sizeof ch->cfg->token, "%s", hc_client_token(c));
    snprintf(ch->cfg->handle, sizeof ch->cfg->handle, "%s", hc_client_handle(c));
    chat_save(ch, CFG_AUTH);
    chat_op_end(op, false);
}

static void on_logout(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (!ch->quitting) {
        if (r->err != PROTO_OK && r->err != PROTO_E_NOT_AUTHENTICATED) {
            ch->logging_out = false;
            chat_show_error("Could not sign out", r);
            chat_op_end(op, true);
            return;
        }
        chat_forget_session(ch);
        ui_line(UI_NOTICE, "Signed out. /login HANDLE to sign in again.");
    }
    chat_op_end(op, false);
}

static void on_passwd(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (chat_reply_unusable(op, r, NULL))
        return;
    if (hc_client_token(c)) {
        snprintf(ch->cfg->token, sizeof ch->cfg->token, "%s", hc_client_token(c));
        chat_save(ch, CFG_AUTH);
    }
    ui_line(UI_NOTICE, "Password changed. Your other sessions were signed out.");
    chat_op_end(op, false);
}

static void on_join(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (chat_reply_unusable(op, r, op->room))
        return;
    const struct proto_room *room = &r->result->u.join.room;
    chat_add_joined(ch, room->room);
    chat_mod_room_seen(ch, room);
    fmt_room_line(room, "Joined ");
    chat_set_current(ch, room->room);
    /* A meeting room: its state is shown next; the op ends then. */
    chat_meeting_joined(ch, room, op);
}

static void on_create(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (ch->quitting || r->err != PROTO_OK) {
        if (!ch->quitting)
            chat_show_error(op->room, r);
        chat_op_end(op, r->err != PROTO_OK);
        return;
    }
    fmt_room_line(&r->result->u.create.room, "Created ");
    chat_mod_room_seen(ch, &r->result->u.create.room);   /* the host */
    /* Follow it (the creator is a member) so its messages show up; the
     * same op carries on, so a script's next line waits for the join. */
    snprintf(op->room, sizeof op->room, "%s", r->result->u.create.room.room);
    if (hc_join(c, op->room, NULL, BACKLOG, on_join, op) < 0)
        chat_op_end(op, true);
}

static void on_leave(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (chat_reply_unusable(op, r, op->room))
        return;
    chat_remove_joined(ch, op->room);
    chat_view_remove(ch, op->room);
    chat_mod_forget(ch, op->room);
    ui_line(UI_NOTICE, "Left #%s.", op->room);
    if (strcmp(ch->current, op->room) == 0)
        chat_set_current(ch, ch->njoined ? ch->joined[0] : NULL);
    chat_op_end(op, false);
}

static void on_info(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (chat_reply_unusable(op, r, op->room[0] ? op->room : NULL))
        return;
    const struct proto_result *res = r->result;
    char label[BUD_LABEL];
    chat_room_label(ch, op->room, label);
    switch (res->type) {
    case PROTO_REQ_ROOM_LIST:
        fmt_rooms(res->u.list.rooms, res->u.list.n);
        for (size_t i = 0; i < res->u.list.n; i++)
            chat_mod_room_seen(ch, &res->u.list.rooms[i]);
        chat_conv_rooms(ch, res->u.list.rooms, res->u.list.n);
        break;
    case PROTO_REQ_ROOM_MEMBERS:
        fmt_members(label, res->u.members.members, res->u.members.n);
        break;
    case PROTO_REQ_PRESENCE_SET:
        ui_line(UI_NOTICE, "Your status is now %s.", op->text ? op->text : "set");
        break;
    case PROTO_REQ_ROOM_HISTORY: {
        /* #SEQ before each message, for everyone: the number /report takes. */
        size_t shown = 0;
        if (res->u.history.truncated)
            ui_line(UI_DIM, "(older messages were removed by the server's retention rules)");
        for (size_t i = 0; i < res->u.history.n; i++) {
            const struct proto_room_event *ev = &res->u.history.events[i];
            if (chat_safety_hides(ch, ev))
                continue;
            if (!chat_conv_print(ch, ev, true))
                fmt_room_event(ev, true, hc_client_handle(c), true);
            shown++;
        }
        if (res->u.history.n == 0)
            ui_line(UI_DIM, "No messages in %s yet.", label);
        else if (shown == 0)
            ui_line(UI_DIM, "Nothing to show in %s.", label);
        break;
    }
    default:
        break;
    }
    chat_op_end(op, false);
}

static void on_sent(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    /* The library paces requests and rides out rate_limited answers: an
     * error here is final. */
    if (ch->quitting || r->err == PROTO_OK) {
        chat_op_end(op, false);
        return;
    }
    char what[BUD_LABEL + 24], label[BUD_LABEL];
    chat_room_label(ch, op->room, label);
    snprintf(what, sizeof what, "Not sent to %s", label);
    chat_show_error(what, r);
    chat_meeting_send_refused(ch, op->room, r);
    chat_mod_send_refused(ch, op->room, r);
    chat_support_send_refused(ch, op->room, r);
    chat_op_end(op, true);
}

void chat_send(struct chat *ch, const char *room, const char *text)
{
    struct op *op = chat_op_new(ch, room);
    op->text = strdup(text);
    if (!op->text) {
        free(op);
        return;
    }
    chat_op_begin(op);
    int rc = hc_send(ch->c, op->room, op->text, on_sent, op);
    if (rc < 0) {
        ui_line(UI_ERROR, "Not sent: %s", strerror(-rc));
        chat_op_end(op, true);
    }
}

/* ---------------------------------------------------------- commands */

static void cmd_help(void)
{
    static const char *const lines[] = {
        "Type a line to send it to the current room. Commands:",
        "  /register HANDLE [INVITE]  create an account (asks for a password)",
        "  /login HANDLE              sign in            /logout   sign out",
        "  /passwd                    change your password",
        "  /rooms                     list rooms         /who [ROOM]  who is in a room",
        "  /create ROOM TITLE [--topic TOPIC] [--invite-only]",
        "  /join ROOM [INVITE]        join a room and make it current",
        "  /leave [ROOM]              leave a room (default: the current one)",
        "  /switch ROOM               talk in another room you have joined (@HANDLE: in",
        "                             your conversation with a buddy)",
        "  /history [N]               the last N messages of the current room, each with",
        "                             its #SEQ (the number /report takes)",
        "  /status available|away|busy|invisible",
        "  /quit                      leave hearth (Ctrl-D does too)",
    };
    static const char *const tail[] = {
        "Start a line with // to send text that begins with /.",
        "Hearth is peer support, not a crisis service: in danger, call your local emergency number",
        "(/help-now lists where to get help).",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
    chat_meeting_help();
    chat_schedule_help();
    chat_buddies_help();
    chat_match_help();
    chat_support_help();
    chat_checkin_help();
    chat_plan_help();
    chat_account_help();
    chat_mod_help();
    chat_safety_help();
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
        ui_line(UI_PLAIN, "%s", tail[i]);
}

bool chat_need_signed_in(struct chat *ch)
{
    if (hc_client_token(ch->c))
        return true;
    chat_refuse(ch, "You are not signed in: /login HANDLE or /register HANDLE first.");
    return false;
}

bool chat_need_room(struct chat *ch, const char *arg, char out[PROTO_HANDLE_MAX + 1])
{
    if (arg) {
        if (chat_fold(arg, out))
            return true;
        ui_line(UI_ERROR, "'%s' is not a room name (3-32 of a-z 0-9 _ -).", arg);
        return false;
    }
    if (ch->current[0]) {
        snprintf(out, PROTO_HANDLE_MAX + 1, "%s", ch->current);
        return true;
    }
    ui_line(UI_ERROR, "No current room: /join ROOM first.");
    return false;
}

static void begin_secret(struct chat *ch, enum sec s, const char *prompt)
{
    ch->sec = s;
    if (ch->tty)
        input_secret_begin(prompt);
}

void chat_cancel_secret(struct chat *ch)
{
    if (ch->tty && ch->sec == SEC_DELETE_CONFIRM)
        input_clear_line();   /* typed with echo: not left for the next line */
    ch->sec = SEC_NONE;
    secret_wipe(ch->sec_pw);
    ch->sec_pw = NULL;
    if (ch->tty) {
        input_secret_end();
        chat_update_prompt(ch);   /* /delete-account's confirmation had its own */
    }
}

/* A password line, for the prompt begun by a command. Takes `line`. */
static void secret_line(struct chat *ch, char *line)
{
    enum sec s = ch->sec;
    ch->sec = SEC_NONE;
    struct op *op;
    if (s == SEC_DELETE_PW || s == SEC_DELETE_CONFIRM) {
        chat_account_secret(ch, s, line);
        return;
    }
    switch (s) {
    case SEC_LOGIN:
        op = chat_op_new(ch, NULL);
        chat_op_begin(op);
        ch->need_rejoin = true;
        chat_issued(op, hc_login(ch->c, ch->sec_handle, line, on_auth, op));
        break;
    case SEC_REGISTER:
        if (ch->tty) {
            ch->sec_pw = line;
            begin_secret(ch, SEC_REGISTER2, "Password again: ");
            return;
        }
        /* Not a terminal: one line, no repeat. */
        /* fall through */
    case SEC_REGISTER2:
        if (s == SEC_REGISTER2 && strcmp(line, ch->sec_pw) != 0) {
            ui_line(UI_ERROR, "The passwords do not match.");
            break;
        }
        op = chat_op_new(ch, NULL);
        chat_op_begin(op);
        ch->need_rejoin = true;
        chat_issued(op, hc_register(ch->c, ch->sec_handle, line,
                               ch->sec_invite[0] ? ch->sec_invite : NULL, on_auth, op));
        break;
    case SEC_PASSWD_OLD:
        ch->sec_pw = line;
        begin_secret(ch, SEC_PASSWD_NEW, "New password: ");
        return;
    case SEC_PASSWD_NEW:
        if (ch->tty) {
            /* keep the old one; compare the new one with its repeat */
            char *both = malloc(strlen(ch->sec_pw) + strlen(line) + 2);
            if (!both)
                break;
            sprintf(both, "%s\n%s", ch->sec_pw, line);
            secret_wipe(ch->sec_pw);
            ch->sec_pw = both;
            begin_secret(ch, SEC_PASSWD_NEW2, "New password again: ");
            secret_wipe(line);
            return;
        }
        /* fall through */
    case SEC_PASSWD_NEW2: {
        char *old = ch->sec_pw, *neu = line;
        if (s == SEC_PASSWD_NEW2) {
            char *nl = strchr(ch->sec_pw, '\n');
            *nl = '\0';
            if (strcmp(nl + 1, line) != 0) {
                ui_line(UI_ERROR, "The new passwords do not match.");
                break;
            }
        }
        struct proto_request q;
        memset(&q, 0, sizeof q);
        q.type = PROTO_REQ_AUTH_PASSWORD;
        q.u.password.old_password = old;
        q.u.password.new_password = neu;
        op = chat_op_new(ch, NULL);
        chat_issue(op, &q, on_passwd);
        break;
    }
    default:
        break;
    }
    secret_wipe(ch->sec_pw);
    ch->sec_pw = NULL;
    secret_wipe(line);
}

static void simple_request(struct chat *ch, struct proto_request *q, const char *room,
                           const char *text)
{
    struct op *op = chat_op_new(ch, room);
    if (text)
        op->text = strdup(text);
    chat_issue(op, q, on_info);
}

static void cmd_create(struct chat *ch, struct cmd_args *a)
{
    char room[PROTO_HANDLE_MAX + 1];
    const char *topic = "";
    bool invite_only = false;
    char title[512];
    size_t tl = 0;
    title[0] = '\0';
    const char *name = NULL;
    for (int i = 1; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--topic") == 0 && i + 1 < a->argc) {
            topic = a->argv[++i];
        } else if (strcmp(a->argv[i], "--invite-only") == 0) {
            invite_only = true;
        } else if (!name) {
            name = a->argv[i];
        } else if (tl + strlen(a->argv[i]) + 2 < sizeof title) {
            tl += (size_t)snprintf(title + tl, sizeof title - tl, "%s%s", tl ? " " : "", a->argv[i]);
        }
    }
    if (!name || !tl) {
        ui_line(UI_ERROR, "Usage: /create ROOM TITLE [--topic TOPIC] [--invite-only]");
        return;
    }
    if (!chat_need_room(ch, name, room))
        return;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_CREATE;
    q.u.create.room = room;
    q.u.create.title = title;
    q.u.create.topic = topic;
    q.u.create.visibility = invite_only ? PROTO_VIS_INVITE : PROTO_VIS_OPEN;
    struct op *op = chat_op_new(ch, room);
    chat_issue(op, &q, on_create);
}

static void command(struct chat *ch, const char *line)
{
    /* Before splitting: a reason is free text ("don't", "it's"). */
    if (chat_mod_command(ch, line + 1) || chat_safety_command(ch, line + 1) ||
        chat_buddies_command(ch, line + 1) || chat_support_command(ch, line + 1) ||
        chat_checkin_command(ch, line + 1) || chat_plan_command(ch, line + 1))
        return;
    struct cmd_args a;
    if (!chat_split(ch, line + 1, &a))
        return;
    if (a.argc == 0) {
        cmd_args_free(&a);
        return;
    }
    const char *cmd = a.argv[0];
    const char *arg1 = a.argc > 1 ? a.argv[1] : NULL;
    char room[PROTO_HANDLE_MAX + 1];
    struct proto_request q;
    memset(&q, 0, sizeof q);

    if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        cmd_help();
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit") || !strcmp(cmd, "q")) {
        chat_quit(ch, 0);
    } else if (!strcmp(cmd, "register") || !strcmp(cmd, "login")) {
        bool reg = cmd[0] == 'r';
        if (hc_client_token(ch->c)) {
            ui_line(UI_ERROR, "You are signed in as %s: /logout first.", chat_me(ch) ? chat_me(ch) : "?");
        } else if (!arg1 || a.argc > (reg ? 3 : 2) || !proto_name_fold(arg1, ch->sec_handle)) {
            ui_line(UI_ERROR, reg ? "Usage: /register HANDLE [INVITE] (3-32 of a-z 0-9 _ -)"
                                  : "Usage: /login HANDLE");
        } else {
            snprintf(ch->sec_invite, sizeof ch->sec_invite, "%s", reg && a.argc > 2 ? a.argv[2] : "");
            char prompt[80];
            snprintf(prompt, sizeof prompt, reg ? "Choose a password (12 characters or more): "
                                                : "Password for %s: ",
                     ch->sec_handle);
            begin_secret(ch, reg ? SEC_REGISTER : SEC_LOGIN, prompt);
        }
    } else if (!strcmp(cmd, "logout")) {
        if (chat_need_signed_in(ch)) {
            struct op *op = chat_op_new(ch, NULL);
            chat_op_begin(op);
            ch->logging_out = true;
            ch->logout_dropped = false;
            ch->announced_anon = true;   /* "Signed out." says it */
            if (!chat_issued(op, hc_logout(ch->c, on_logout, op)))
                ch->logging_out = false;
        }
    } else if (!strcmp(cmd, "passwd") || !strcmp(cmd, "password")) {
        if (chat_need_signed_in(ch))
            begin_secret(ch, SEC_PASSWD_OLD, "Current password: ");
    } else if (!strcmp(cmd, "rooms") || !strcmp(cmd, "list")) {
        q.type = PROTO_REQ_ROOM_LIST;
        simple_request(ch, &q, NULL, NULL);
    } else if (!strcmp(cmd, "create")) {
        cmd_create(ch, &a);
    } else if (!strcmp(cmd, "join")) {
        if (!arg1 || a.argc > 3) {
            ui_line(UI_ERROR, "Usage: /join ROOM [INVITE]");
        } else if (chat_need_room(ch, arg1, room)) {
            struct op *op = chat_op_new(ch, room);
            chat_op_begin(op);
            chat_issued(op, hc_join(ch->c, room, a.argc > 2 ? a.argv[2] : NULL, BACKLOG, on_join, op));
        }
    } else if (!strcmp(cmd, "leave") || !strcmp(cmd, "part")) {
        if (!arg1 && proto_is_conversation_name(ch->current)) {
            /* The library would stop following it before the server says no. */
            chat_refuse(ch, "A private conversation is not left: /buddy end HANDLE ends a "
                            "pairing, /sos end a support conversation; /switch ROOM talks "
                            "elsewhere.");
        } else if (chat_need_room(ch, arg1, room)) {
            struct op *op = chat_op_new(ch, room);
            chat_op_begin(op);
            chat_issued(op, hc_leave(ch->c, room, on_leave, op));
        }
    } else if (!strcmp(cmd, "switch") || !strcmp(cmd, "s")) {
        if (arg1 && chat_conv_switch(ch, arg1)) {
            /* a conversation */
        } else if (!arg1 || !chat_fold(arg1, room)) {
            ui_line(UI_ERROR, "Usage: /switch ROOM, or /switch @HANDLE for a conversation");
        } else if (!chat_is_joined(ch, room)) {
            ui_line(UI_ERROR, "You are not in #%s: /join %s first.", room, room);
        } else {
            chat_set_current(ch, room);
            ui_line(UI_NOTICE, "Now talking in #%s.", room);
        }
    } else if (!strcmp(cmd, "who") || !strcmp(cmd, "members")) {
        if (chat_need_room(ch, arg1, room)) {
            q.type = PROTO_REQ_ROOM_MEMBERS;
            q.u.room.room = room;
            simple_request(ch, &q, room, NULL);
        }
    } else if (!strcmp(cmd, "status") || !strcmp(cmd, "away")) {
        enum proto_status st = PROTO_STATUS_AWAY;
        if (!strcmp(cmd, "status") && (!arg1 || !cmd_parse_status(arg1, &st))) {
            ui_line(UI_ERROR, "Usage: /status available|away|busy|invisible");
        } else {
            q.type = PROTO_REQ_PRESENCE_SET;
            q.u.presence.status = st;
            simple_request(ch, &q, NULL, fmt_status(st));
        }
    } else if (!strcmp(cmd, "history")) {
        unsigned long n = BACKLOG;
        if (arg1 && !cmd_parse_uint(arg1, 1, PROTO_HISTORY_MAX, &n)) {
            ui_line(UI_ERROR, "Usage: /history [N] (N from 1 to 100)");
        } else if (chat_need_room(ch, NULL, room)) {
            q.type = PROTO_REQ_ROOM_HISTORY;
            q.u.history.room = room;
            q.u.history.limit = (uint32_t)n;
            simple_request(ch, &q, room, NULL);
        }
    } else if (chat_meeting_command(ch, &a) || chat_schedule_command(ch, &a) ||
               chat_match_command(ch, &a) || chat_supporter_command(ch, &a) ||
               chat_account_command(ch, &a)) {
        /* done */
    } else {
        ui_line(UI_ERROR, "Unknown command /%s. Type /help for the list.", cmd);
        if (!ch->tty)
            ch->exit_code = 1;
    }
    cmd_args_free(&a);
}

/* Takes ownership of line. */
void chat_handle_line(struct chat *ch, char *line)
{
    if (ch->sec != SEC_NONE) {
        secret_line(ch, line);
        return;
    }
    if (ch->ask && chat_checkin_answer(ch, line))
        return;
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        free(line);
        return;
    }
    if (p[0] == '/' && p[1] != '/') {
        command(ch, p);
        free(line);
        return;
    }
    if (p[0] == '/')
        p++;   /* "//text" sends "/text" */
    if (!ch->current[0]) {
        ui_line(UI_ERROR, hc_client_token(ch->c) ? "No current room: /join ROOM first."
                                                 : "You are not signed in: /login HANDLE first.");
        if (!ch->tty)
            ch->exit_code = 1;
        free(line);
        return;
    }
    if (ch->tty) {
        if (hc_client_state(ch->c) == HC_READY)
            input_erase_entered(line);   /* the room's echo shows it */
        else
            ui_line(UI_DIM, "(not connected: it will be sent once the connection is back)");
    }
    chat_send(ch, ch->current, p);
    free(line);
}

