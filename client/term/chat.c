/*
 * The interactive client: `hearth` or `hearth chat [ROOM]`.
 *
 * On a terminal every line is handled as it is typed. Otherwise (a pipe or
 * a file) lines are handled one after another: the next waits for the
 * previous one's reply, and nothing is read before the client is signed in
 * and back in its rooms; at the end of input it exits once every reply has
 * come. That makes the chat scriptable:
 *     printf '/join lobby\nhello\n' | hearth
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ------------------------------------------------------------ helpers */

void chat_show_error(const char *what, const struct hc_reply *r)
{
    char buf[600];
    fmt_error(r, buf, sizeof buf);
    if (what)
        ui_line(UI_ERROR, "%s: %s", what, buf);
    else
        ui_line(UI_ERROR, "%s", buf);
}

void chat_refuse(struct chat *ch, const char *msg)
{
    ui_line(UI_ERROR, "%s", msg);
    if (!ch->tty)
        ch->exit_code = 1;
}

bool chat_split(struct chat *ch, const char *line, struct cmd_args *a)
{
    int rc = cmd_split(line, a);
    if (rc >= 0)
        return true;
    chat_refuse(ch, rc == -EINVAL ? "A quote is not closed." : "Too many words.");
    return false;
}

void chat_print_lines(enum ui_style first, enum ui_style rest, char *txt)
{
    for (const char *p = txt ? txt : ""; *p;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        ui_line(p == txt ? first : rest, "%.*s", len, p);
        p += len + (nl ? 1 : 0);
    }
    free(txt);
}

void chat_print_text(char *txt)
{
    chat_print_lines(UI_NOTICE, UI_PLAIN, txt);
}

bool chat_fold(const char *in, char out[PROTO_HANDLE_MAX + 1])
{
    if (!in)
        return false;
    const char *p = in[0] == '#' ? in + 1 : in;
    return proto_name_fold(p, out);
}

const char *chat_me(const struct chat *ch)
{
    return hc_client_handle(ch->c);
}

void chat_save(struct chat *ch, int what)
{
    snprintf(ch->cfg->server, sizeof ch->cfg->server, "%s", ch->o->server);
    int rc = cfg_update(ch->cfgdir, ch->cfg, what);
    if (rc < 0)
        ui_line(UI_ERROR, "Could not save the session in %s: %s", ch->cfgdir, strerror(-rc));
}

void chat_update_prompt(struct chat *ch)
{
    char p[160];
    if (!chat_account_prompt(ch, p, sizeof p) && !chat_checkin_prompt(ch, p, sizeof p) &&
        !chat_conv_prompt(ch, p, sizeof p))
        mtg_prompt(chat_view(ch, ch->current, false), ch->current, chat_me(ch), ui_utf8(), p,
                   sizeof p);
    input_set_prompt(p);
}

void chat_set_current(struct chat *ch, const char *room)
{
    snprintf(ch->current, sizeof ch->current, "%s", room ? room : "");
    chat_update_prompt(ch);
    if (hc_client_token(ch->c) && strcmp(ch->cfg->room, ch->current) != 0) {
        snprintf(ch->cfg->room, sizeof ch->cfg->room, "%s", ch->current);
        chat_save(ch, CFG_ROOM);
    }
}

bool chat_is_joined(const struct chat *ch, const char *room)
{
    for (size_t i = 0; i < ch->njoined; i++)
        if (strcmp(ch->joined[i], room) == 0)
            return true;
    return false;
}

void chat_add_joined(struct chat *ch, const char *room)
{
    if (!room || chat_is_joined(ch, room))
        return;
    void *joined = chat_grow(ch->joined, ch->njoined, &ch->joined_cap, sizeof *ch->joined);
    if (!joined)
        return;
    ch->joined = joined;
    snprintf(ch->joined[ch->njoined++], sizeof ch->joined[0], "%s", room);
}

void chat_remove_joined(struct chat *ch, const char *room)
{
    for (size_t i = 0; i < ch->njoined; i++) {
        if (strcmp(ch->joined[i], room) == 0) {
            memmove(&ch->joined[i], &ch->joined[i + 1], (ch->njoined - i - 1) * sizeof *ch->joined);
            ch->njoined--;
            return;
        }
    }
}

void chat_forget_session(struct chat *ch)
{
    chat_save(ch, CFG_FORGET);
    ch->cfg->token[0] = '\0';
    ch->njoined = 0;
    chat_views_clear(ch);
    chat_mod_clear(ch);
    chat_safety_clear(ch);
    chat_conv_save(ch);
    chat_conv_clear(ch);
    chat_buddies_clear(ch);
    chat_support_clear(ch);
    chat_checkin_clear(ch);
    ch->proposal_id = 0;
    ch->need_rejoin = true;
    chat_set_current(ch, NULL);
}

/* -------------------------------------------------------------- quit */

void chat_quit(struct chat *ch, int code)
{
    if (ch->quitting)
        return;
    ch->quitting = true;
    if (code && !ch->exit_code)
        ch->exit_code = code;
    input_stop();
    chat_conv_save(ch);
    uv_close((uv_handle_t *)&ch->sig_int, NULL);
    uv_close((uv_handle_t *)&ch->sig_term, NULL);
    uv_close((uv_handle_t *)&ch->sig_hup, NULL);
    uv_close((uv_handle_t *)&ch->sig_winch, NULL);
    hc_client_close(ch->c, NULL, NULL);
    while (ch->q_len) {
        free(ch->q[ch->q_head]);
        ch->q_head = (ch->q_head + 1) % ch->q_cap;
        ch->q_len--;
    }
    secret_wipe(ch->sec_pw);
    ch->sec_pw = NULL;
}

/* ------------------------------------------------------- signing in */

/* A room to talk in after signing in: one I am in, or a conversation. */
static bool can_talk_in(const struct chat *ch, const char *room)
{
    return room[0] && (chat_is_joined(ch, room) || chat_conv_find(ch, room));
}

static void rejoin_done(struct chat *ch)
{
    if (ch->rejoin_failed) {
        /* The link dropped: do it all again once signed in again. */
        ch->rejoin_failed = false;
        ch->need_rejoin = true;
        return;
    }
    const char *pick = NULL;
    if (can_talk_in(ch, ch->want_room))
        pick = ch->want_room;
    else if (can_talk_in(ch, ch->current))
        pick = ch->current;
    else if (can_talk_in(ch, ch->cfg->room))
        pick = ch->cfg->room;
    else if (ch->njoined)
        pick = ch->joined[0];
    char room[PROTO_HANDLE_MAX + 1];
    snprintf(room, sizeof room, "%s", pick ? pick : "");
    ch->want_room[0] = '\0';
    chat_set_current(ch, room);
    char label[BUD_LABEL];
    chat_room_label(ch, ch->current, label);
    if (ch->njoined == 0) {
        ui_line(UI_NOTICE, "You have not joined any rooms yet: /rooms lists them, /join ROOM joins one.");
        if (ch->current[0])
            ui_line(UI_NOTICE, "Talking in %s.", label);
    } else {
        char list[1024];
        size_t len = 0;
        list[0] = '\0';
        for (size_t i = 0; i < ch->njoined && len < sizeof list - 40; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s#%s", i ? ", " : "",
                                    ch->joined[i]);
        ui_line(UI_NOTICE, "Your rooms: %s. Talking in %s.", list, label);
    }
    ch->ready_for_input = true;
    chat_pump(ch);
}

static void on_rejoin_join(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    if (!ch->quitting) {
        if (r->err == PROTO_OK) {
            chat_add_joined(ch, r->result->u.join.room.room);
            chat_mod_room_seen(ch, &r->result->u.join.room);
            chat_meeting_joined(ch, &r->result->u.join.room, NULL);
        } else if (r->err == PROTO_E_SERVER_BUSY && hc_client_state(c) != HC_READY)
            ch->rejoin_failed = true;
        else
            chat_show_error(op->room[0] ? op->room : "join", r);
    }
    if (ch->rejoin_left && --ch->rejoin_left == 0 && !ch->quitting)
        rejoin_done(ch);
    chat_op_end(op, false);
}

/* One join of the rejoin: counted in rejoin_left until its reply. */
static void rejoin_room(struct chat *ch, const char *room, unsigned backlog)
{
    struct op *j = chat_op_new(ch, room);
    ch->rejoin_left++;
    if (hc_join(ch->c, room, NULL, backlog, on_rejoin_join, j) < 0) {
        ch->rejoin_left--;
        chat_op_end(j, false);
    }
}

static void on_rejoin_list(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (ch->quitting) {
        chat_op_end(op, false);
        return;
    }
    if (r->err != PROTO_OK) {
        if (r->err != PROTO_E_SERVER_BUSY)
            chat_show_error("Could not list your rooms", r);
        else
            ch->need_rejoin = true;   /* link dropped: again once ready */
        chat_op_end(op, false);
        return;
    }
    const char *target = ch->want_room[0] ? ch->want_room : ch->cfg->room;
    bool target_member = false;
    chat_conv_rooms(ch, r->result->u.list.rooms, r->result->u.list.n);   /* followed, not joined */
    ch->rejoin_left = 1;   /* held until every join is made */
    for (size_t i = 0; i < r->result->u.list.n; i++) {
        const struct proto_room *room = &r->result->u.list.rooms[i];
        if (!room->joined || room->kind != PROTO_KIND_ROOM)
            continue;
        /* My role before the join's backlog: a moderator's has #SEQ. */
        chat_mod_room_seen(ch, room);
        bool is_target = strcmp(room->room, target) == 0;
        target_member |= is_target;
        rejoin_room(ch, room->room, is_target ? BACKLOG : 0);
    }
    if (ch->want_room[0] && !target_member)
        rejoin_room(ch, ch->want_room, BACKLOG);
    if (--ch->rejoin_left == 0)
        rejoin_done(ch);
    chat_op_end(op, false);
}

static void rejoin(struct chat *ch)
{
    ch->need_rejoin = false;
    ch->rejoin_failed = false;
    ch->ready_for_input = false;
    if (!chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_ROOM_LIST, on_rejoin_list))
        ch->need_rejoin = true;
}

/* --------------------------------------------------- client callbacks */

static void on_state(struct hc_client *c, enum hc_state st, int64_t retry, void *ud)
{
    struct chat *ch = ud;
    char d[16];
    if (ch->quitting)
        return;
    switch (st) {
    case HC_CONNECTING:
        break;
    case HC_CONNECTED:
        ch->session_dead = false;
        if (ch->logging_out && ch->logout_dropped)
            ch->logging_out = ch->logout_dropped = false;
        if (!hc_client_token(c)) {
            if (ch->lost)
                ui_line(UI_NOTICE, "Reconnected.");
            ch->lost = false;
            if (!ch->announced_anon)
                ui_line(UI_NOTICE, "Connected to %s. You are not signed in: /login HANDLE, or "
                                   "/register HANDLE to create an account.", ch->o->server);
            ch->announced_anon = true;
            ch->ever_connected = true;
            ch->ready_for_input = true;
            chat_pump(ch);
        }
        break;
    case HC_READY:
        ch->ever_connected = true;
        chat_meeting_clock(ch);
        chat_safety_ready(ch);   /* whom I block: their comings and goings are not shown */
        chat_buddies_ready(ch);
        chat_match_ready(ch);
        chat_checkin_ready(ch);
        if (ch->need_rejoin) {
            if (ch->lost)
                ui_line(UI_NOTICE, "Reconnected.");
            ui_line(UI_NOTICE, "Signed in as %s.", hc_client_handle(c));
            rejoin(ch);
        } else if (ch->lost) {
            ui_line(UI_NOTICE, "Reconnected.");
            chat_meeting_resync(ch);   /* meeting events are not in the history */
            chat_mod_resync(ch);       /* nor are room settings */
            chat_conv_resync(ch);      /* nor new conversations */
        }
        chat_support_ready(ch);        /* after the room list: it follows conversations */
        ch->lost = false;
        break;
    case HC_DISCONNECTED:
        if (ch->account_deleted && chat_account_gone(ch, NULL))
            return;   /* the server closed the deleted account's link */
        if (ch->logging_out && retry > 0) {
            ch->logout_dropped = true;   /* expected: a quiet new link */
            return;
        }
        if (retry <= 0) {
            if (ch->session_dead) {
                hc_client_drop(c);   /* a new anonymous link, to sign in again */
                return;
            }
            if (!hc_client_token(c))
                return;   /* idle while not signed in: /login reconnects */
            const char *why = hc_client_last_error(c);
            ui_line(UI_ERROR, "Disconnected%s%s", why ? ": " : ".", why ? why : "");
            return;
        }
        text_duration(retry, d);
        if (!ch->ever_connected) {
            const char *why = hc_client_last_error(c);
            if (!ch->tty) {
                fprintf(stderr, "hearth: Could not connect to the server at %s (%s).\n",
                        ch->o->server, why ? why : "no reason given");
                chat_quit(ch, 1);
                return;
            }
            ui_line(UI_ERROR, "Cannot reach %s (%s); retrying in %s…", ch->o->server,
                    why ? why : "no reason given", d);
        } else if (!ch->lost) {
            ui_line(UI_ERROR, "Connection lost; reconnecting in %s…", d);
        } else {
            ui_line(UI_DIM, "Still cannot reach the server; retrying in %s…", d);
        }
        ch->lost = true;
        break;
    }
}

static void on_room_event(struct hc_client *c, const struct proto_room_event *ev, bool backlog,
                          void *ud)
{
    struct chat *ch = ud;
    if (ch->quitting)
        return;
    (void)c;
    if (chat_safety_hides(ch, ev))
        return;   /* someone I block: nothing at all, not even a placeholder */
    if (!chat_conv_room_event(ch, ev))
        chat_mod_room_event(ch, ev, backlog);
}

static void on_event(struct hc_client *c, const struct proto_event *ev, void *ud)
{
    struct chat *ch = ud;
    (void)c;
    if (ch->quitting)
        return;
    chat_meeting_event(ch, ev);
    chat_mod_event(ch, ev);
    chat_safety_event(ch, ev);
    chat_buddies_event(ch, ev);
    chat_match_event(ch, ev);
    chat_support_event(ch, ev);
    chat_supporter_event(ch, ev);
    chat_checkin_event(ch, ev);
    chat_conv_event(ch, ev);
}

static void on_presence(struct hc_client *c, const char *handle, enum proto_status st, void *ud)
{
    struct chat *ch = ud;
    if (ch->quitting || !handle)
        return;
    /* Our own status (the server also tells us, possibly before the
     * sign-in reply has told us who we are). */
    const char *m = hc_client_handle(c);
    if ((m && strcmp(m, handle) == 0) || strcmp(ch->sec_handle, handle) == 0 ||
        (!m && strcmp(ch->cfg->handle, handle) == 0))
        return;
    if (chat_safety_blocks(ch, handle))
        return;
    ui_line(UI_DIM, "%s is now %s", handle, fmt_status(st));
}

static void on_session_ended(struct hc_client *c, const char *reason, void *ud)
{
    struct chat *ch = ud;
    (void)c;
    if (ch->quitting || chat_account_gone(ch, reason))
        return;
    if (reason && strcmp(reason, "suspended") == 0)
        chat_mod_suspended(ch);   /* no "sign in again": it would be refused */
    else
        ui_line(UI_ERROR, "Your session ended: %s. Sign in again with /login %s.",
                fmt_end_reason(reason), ch->cfg->handle[0] ? ch->cfg->handle : "HANDLE");
    ch->session_dead = true;
    ch->announced_anon = true;   /* the line above said what to do */
    chat_forget_session(ch);
    if (!ch->tty)
        chat_quit(ch, 1);
}

/* --------------------------------------------------------------- input */

void chat_pump(struct chat *ch)
{
    while (!ch->quitting && !ch->busy && (ch->ready_for_input || ch->sec != SEC_NONE) &&
           ch->q_len) {
        char *line = ch->q[ch->q_head];
        ch->q_head = (ch->q_head + 1) % ch->q_cap;
        ch->q_len--;
        chat_handle_line(ch, line);
    }
    if (!ch->tty && ch->eof && !ch->quitting && ch->q_len == 0 && !ch->busy &&
        ch->outstanding == 0) {
        if (ch->sec == SEC_DELETE_CONFIRM) {
            ui_line(UI_ERROR, "The input ended before the confirmation: nothing was deleted.");
            ch->exit_code = 1;
        } else if (ch->sec != SEC_NONE) {
            ui_line(UI_ERROR, "The input ended before the password.");
            ch->exit_code = 1;
        }
        chat_quit(ch, ch->exit_code);
    }
}

static void enqueue(struct chat *ch, char *line)
{
    if (ch->q_len == ch->q_cap) {
        size_t cap = ch->q_cap ? ch->q_cap * 2 : 64;
        char **n = malloc(cap * sizeof *n);
        if (!n)
            abort();
        for (size_t i = 0; i < ch->q_len; i++)
            n[i] = ch->q[(ch->q_head + i) % ch->q_cap];
        free(ch->q);
        ch->q = n;
        ch->q_head = 0;
        ch->q_cap = cap;
    }
    ch->q[(ch->q_head + ch->q_len) % ch->q_cap] = line;
    ch->q_len++;
}

static void on_line(char *line, void *ud)
{
    struct chat *ch = ud;
    if (ch->quitting) {
        free(line);
        return;
    }
    if (!line) {
        ch->eof = true;
        if (ch->tty)
            chat_quit(ch, 0);
        else
            chat_pump(ch);
        return;
    }
    if (ch->tty) {
        chat_handle_line(ch, line);
        return;
    }
    enqueue(ch, line);
    chat_pump(ch);
}

static void on_signal(uv_signal_t *s, int signum)
{
    struct chat *ch = s->data;
    if (ch->quitting)
        return;
    if (signum == SIGWINCH) {
        input_resize();
    } else if (signum == SIGINT && ch->tty) {
        if (ch->sec != SEC_NONE) {
            chat_cancel_secret(ch);
            ui_line(UI_DIM, "Cancelled.");
        } else if (!input_clear_line() && !chat_checkin_cancel(ch)) {
            chat_quit(ch, 0);
        }
    } else {
        chat_quit(ch, signum == SIGINT ? 130 : 0);
    }
}

int chat_main(uv_loop_t *loop, const struct term_opts *o, struct hearth_cfg *cfg,
              const char *cfgdir, const char *room)
{
    struct chat ch;
    memset(&ch, 0, sizeof ch);
    ch.loop = loop;
    ch.o = o;
    ch.cfg = cfg;
    ch.cfgdir = cfgdir;
    if (room && !chat_fold(room, ch.want_room)) {
        fprintf(stderr, "hearth: '%s' is not a room name (3-32 of a-z 0-9 _ -).\n", room);
        return 2;
    }
    ch.need_rejoin = cfg->token[0] != '\0';

    struct hc_options opt;
    memset(&opt, 0, sizeof opt);
    opt.url = o->server;
    opt.token = cfg->token[0] ? cfg->token : NULL;
    opt.ca_file = o->ca_file;
    opt.tls_insecure = o->tls_insecure;
    opt.reconnect = true;
    opt.backoff_min_ms = 500;
    opt.cb.on_state = on_state;
    opt.cb.on_room_event = on_room_event;
    opt.cb.on_presence = on_presence;
    opt.cb.on_session_ended = on_session_ended;
    opt.cb.on_event = on_event;
    opt.ud = &ch;
    int rc = hc_client_new(loop, &opt, &ch.c);
    if (rc < 0) {
        fprintf(stderr, "hearth: Cannot use the server address '%s': %s\n", o->server,
                rc == -EINVAL ? "give it as http(s)://HOST[:PORT] or ws(s)://HOST[:PORT]"
                              : strerror(-rc));
        return 1;
    }

    uv_signal_init(loop, &ch.sig_int);
    uv_signal_init(loop, &ch.sig_term);
    uv_signal_init(loop, &ch.sig_hup);
    uv_signal_init(loop, &ch.sig_winch);
    ch.sig_int.data = ch.sig_term.data = ch.sig_hup.data = ch.sig_winch.data = &ch;
    uv_signal_start(&ch.sig_int, on_signal, SIGINT);
    uv_signal_start(&ch.sig_term, on_signal, SIGTERM);
    uv_signal_start(&ch.sig_hup, on_signal, SIGHUP);
    uv_signal_start(&ch.sig_winch, on_signal, SIGWINCH);

    ch.tty = uv_guess_handle(0) == UV_TTY;
    if (ch.tty) {
        ui_line(UI_DIM, "Hearth: peer support, not a crisis service. Type /help for commands.");
        ui_line(UI_DIM, "Connecting to %s…", o->server);
    }
    rc = input_start(loop, "> ", on_line, &ch);
    if (rc < 0) {
        fprintf(stderr, "hearth: cannot read standard input: %s\n", uv_strerror(rc));
        chat_quit(&ch, 1);
    }
    if (ch.want_room[0])
        chat_set_current(&ch, ch.want_room);

    uv_run(loop, UV_RUN_DEFAULT);
    free(ch.q);
    free(ch.joined);
    chat_views_clear(&ch);
    chat_mod_clear(&ch);
    chat_safety_clear(&ch);
    chat_conv_clear(&ch);
    chat_buddies_clear(&ch);
    chat_support_clear(&ch);
    chat_checkin_clear(&ch);
    chat_account_clear(&ch);
    free(ch.delete_op);   /* answered, but the client quit before the session ended */
    return ch.exit_code;
}
