/*
 * Moderation in the interactive client: the slash commands (/mute,
 * /unmute, /kick, /ban, /unban, /delete, /slow, /lock, /unlock, /limit,
 * /newcomer, /modlog and /modlog all, /sanctions, /suspend, /unsuspend), the events
 * the library passes on (moderated, room.settings; room.role for my
 * role), room events as a moderator sees them (#SEQ before each message)
 * and a room I was taken out of.
 *
 * Per room it keeps my role and the settings last shown (struct
 * mod_room), so a room.settings event says only what changed, and so the
 * history shown on a join already has the #SEQ numbers a moderator needs
 * (the role comes from the room list and the create reply, before the
 * join's backlog arrives).
 *
 * The server sends a room's event before the reply to the request that
 * caused it: when the event line said it (a removal, new settings), the
 * reply adds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* ------------------------------------------------------------- rooms */

static struct mod_room *mod_room(struct chat *ch, const char *room, bool create)
{
    if (!room || !*room)
        return NULL;
    for (size_t i = 0; i < ch->nmrooms; i++)
        if (strcmp(ch->mrooms[i].room, room) == 0)
            return &ch->mrooms[i];
    if (!create)
        return NULL;
    struct mod_room *mrooms = chat_grow(ch->mrooms, ch->nmrooms, &ch->mrooms_cap, sizeof *mrooms);
    if (!mrooms)
        return NULL;
    ch->mrooms = mrooms;
    struct mod_room *m = &ch->mrooms[ch->nmrooms++];
    memset(m, 0, sizeof *m);
    snprintf(m->room, sizeof m->room, "%s", room);
    return m;
}

/* The room named by the server, folded; NULL unless it is a room name. */
static struct mod_room *event_room(struct chat *ch, const char *room, bool create)
{
    char name[PROTO_HANDLE_MAX + 1];
    if (!room || !proto_name_fold(room, name))
        return NULL;
    return mod_room(ch, name, create);
}

void chat_mod_forget(struct chat *ch, const char *room)
{
    struct mod_room *m = mod_room(ch, room, false);
    if (!m)
        return;
    size_t i = (size_t)(m - ch->mrooms);
    memmove(&ch->mrooms[i], &ch->mrooms[i + 1], (ch->nmrooms - i - 1) * sizeof *ch->mrooms);
    ch->nmrooms--;
}

void chat_mod_clear(struct chat *ch)
{
    free(ch->mrooms);
    ch->mrooms = NULL;
    ch->nmrooms = ch->mrooms_cap = 0;
    free(ch->suspend_note);
    ch->suspend_note = NULL;
}

void chat_mod_room_seen(struct chat *ch, const struct proto_room *room)
{
    struct mod_room *m = event_room(ch, room->room, room->joined);
    if (!m)
        return;
    if (!room->joined) {
        chat_mod_forget(ch, m->room);
        return;
    }
    m->role = room->role;
    m->set = room->mod;
    m->set_known = true;
}

bool chat_mod_sees_seq(struct chat *ch, const char *room)
{
    if (hc_client_role(ch->c) >= PROTO_ROLE_MODERATOR)
        return true;
    char name[PROTO_HANDLE_MAX + 1];
    struct mod_room *m = room && proto_name_fold(room, name) ? mod_room(ch, name, false) : NULL;
    return m && m->role >= PROTO_RROLE_MODERATOR;
}

/* A moderator took me out of `room` (removed or banned): it is no longer
 * one of mine. */
static void taken_out(struct chat *ch, const char *room)
{
    char name[PROTO_HANDLE_MAX + 1];
    if (!room || !proto_name_fold(room, name))
        return;
    chat_mod_forget(ch, name);
    if (!chat_is_joined(ch, name))
        return;
    chat_remove_joined(ch, name);
    chat_view_remove(ch, name);
    if (strcmp(ch->current, name) == 0)
        chat_set_current(ch, ch->njoined ? ch->joined[0] : NULL);
}

/* ------------------------------------------------------------- events */

void chat_mod_room_event(struct chat *ch, const struct proto_room_event *ev, bool backlog)
{
    const char *me = chat_me(ch);
    bool mine = me && ev->handle && strcmp(ev->handle, me) == 0;
    bool out = ev->kind == PROTO_EV_LEFT && ev->by_moderator && mine && !backlog;
    /* Live, "you were removed" is the moderated event's to say, with the
     * reason; the history keeps the plain line. */
    if (!out)
        fmt_room_event(ev, backlog, me, chat_mod_sees_seq(ch, ev->room));
    if (!backlog && (ev->kind == PROTO_EV_REMOVED || (ev->kind == PROTO_EV_LEFT && ev->by_moderator)))
        ch->mod_said++;
    if (out)
        taken_out(ch, ev->room);
}

static void show_settings(struct chat *ch, struct mod_room *m, const struct proto_mod_settings *set)
{
    char *txt = mod_settings_text(m->set_known ? &m->set : NULL, set, false);
    m->set = *set;
    m->set_known = true;
    if (txt) {
        ui_line(UI_NOTICE, "#%s: %s", m->room, txt);
        m->said++;
    }
    free(txt);
}

void chat_mod_event(struct chat *ch, const struct proto_event *ev)
{
    const char *me = chat_me(ch);
    struct mod_room *m;
    switch (ev->type) {
    case PROTO_EVT_ROOM_SETTINGS:
        if ((m = event_room(ch, ev->u.settings.room, true)))
            show_settings(ch, m, &ev->u.settings.settings);
        break;
    case PROTO_EVT_ROOM_ROLE:
        /* chat_meeting.c says it; here only my role is kept. */
        if (me && ev->u.role.handle && strcmp(ev->u.role.handle, me) == 0 &&
            (m = event_room(ch, ev->u.role.room, true)))
            m->role = ev->u.role.role;
        break;
    case PROTO_EVT_MODERATED: {
        const char *action = ev->u.moderated.action ? ev->u.moderated.action : "";
        char *txt = mod_moderated_text(ev->u.moderated.room, action, ev->u.moderated.reason,
                                       ev->u.moderated.until, chat_server_now(ch));
        if (!strcmp(action, "suspend")) {
            /* session.revoked follows: said then, in one line. */
            free(ch->suspend_note);
            ch->suspend_note = txt;
            break;
        }
        bool lifted = !strncmp(action, "un", 2);
        if (txt)
            ui_line(lifted ? UI_NOTICE : UI_WARN, "%s", txt);
        free(txt);
        if (!strcmp(action, "remove") || !strcmp(action, "ban"))
            taken_out(ch, ev->u.moderated.room);
        break;
    }
    default:
        break;
    }
}

void chat_mod_suspended(struct chat *ch)
{
    ui_line(UI_ERROR, "%s You are signed out.",
            ch->suspend_note ? ch->suspend_note : "Your account has been suspended.");
    free(ch->suspend_note);
    ch->suspend_note = NULL;
}

void chat_mod_send_refused(struct chat *ch, const char *room, const struct hc_reply *r)
{
    (void)room;
    if (ch->tty && (r->err == PROTO_E_SLOW_MODE || r->err == PROTO_E_NEWCOMER_WAIT))
        ui_line(UI_DIM, "The Up arrow brings your line back.");
}

/* ------------------------------------------------------------- resync */

static void on_resync_list(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (!ch->quitting && r->err == PROTO_OK) {
        for (size_t i = 0; i < r->result->u.list.n; i++) {
            const struct proto_room *room = &r->result->u.list.rooms[i];
            struct mod_room *m;
            if (!room->joined || !(m = event_room(ch, room->room, false)))
                continue;
            m->role = room->role;
            show_settings(ch, m, &room->mod);   /* says what changed meanwhile */
        }
    }
    chat_op_end(op, false);
}

void chat_mod_resync(struct chat *ch)
{
    if (ch->nmrooms == 0)
        return;
    chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_ROOM_LIST, on_resync_list);
}

/* ----------------------------------------------------------- replies */

/* A room's moderation log, or (room NULL) the server-wide one. */
static void show_log(struct chat *ch, const char *room, const struct proto_audit_entry *e,
                     size_t n, bool has_more)
{
    if (n == 0) {
        if (room)
            ui_line(UI_DIM, "Nothing in the moderation log of #%s yet.", room);
        else
            ui_line(UI_DIM, "Nothing in the server-wide moderation log yet.");
        return;
    }
    if (room)
        ui_line(UI_PLAIN, "Moderation log of #%s, newest first:", room);
    else
        ui_line(UI_PLAIN, "Server-wide moderation log (every room), newest first:");
    int64_t now = chat_server_now(ch);
    for (size_t i = 0; i < n; i++) {
        char *line = mod_audit_line(&e[i], room, now);
        if (line)
            ui_line(UI_PLAIN, "  %s", line);
        free(line);
    }
    if (has_more)
        ui_line(UI_DIM, "  (older entries not shown; /modlog %s%u shows up to %u)",
                room ? "" : "all ", (unsigned)PROTO_HISTORY_MAX, (unsigned)PROTO_HISTORY_MAX);
}

static void show_sanctions(struct chat *ch, const char *room, const struct proto_sanction *x,
                           size_t n)
{
    if (n == 0) {
        ui_line(UI_DIM, "Nobody is muted or banned in #%s.", room);
        return;
    }
    ui_line(UI_PLAIN, "Muted and banned in #%s now:", room);
    int64_t now = chat_server_now(ch);
    for (size_t i = 0; i < n; i++) {
        char *line = mod_sanction_line(&x[i], now);
        if (line)
            ui_line(UI_PLAIN, "  %s", line);
        free(line);
    }
    ui_line(UI_DIM, "  (/unmute HANDLE or /unban HANDLE lifts one)");
}

static void on_reply(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (chat_reply_unusable(op, r, op->room[0] ? op->room : NULL))
        return;
    const struct proto_result *res = r->result;
    struct mod_room *m;
    switch ((enum proto_req_type)op->what) {
    case PROTO_REQ_MOD_SETTINGS:
        if (!(m = mod_room(ch, op->room, true)))
            break;
        if (m->said == op->mark) {
            /* No room.settings line was shown: nothing changed (or the
             * event is still on its way). */
            char *now = mod_settings_text(m->set_known ? &m->set : NULL, &res->u.modset.settings,
                                          false);
            char *all = mod_settings_text(NULL, &res->u.modset.settings, false);
            if (now)
                ui_line(UI_NOTICE, "#%s: %s", m->room, now);
            else
                ui_line(UI_DIM, "No change: #%s has %s.", m->room, all ? all : "those settings");
            m->set = res->u.modset.settings;
            m->set_known = true;
            m->said++;
            free(now);
            free(all);
        }
        break;
    case PROTO_REQ_MOD_LOG:
        show_log(ch, op->room[0] ? op->room : NULL, res->u.modlog.entries, res->u.modlog.n,
                 res->u.modlog.has_more);
        break;
    case PROTO_REQ_MOD_SANCTIONS:
        show_sanctions(ch, op->room, res->u.sanctions.sanctions, res->u.sanctions.n);
        break;
    case PROTO_REQ_MOD_REMOVE:
    case PROTO_REQ_MOD_DELETE:
        /* "troy was removed from #porch by a moderator" / "A message was
         * removed" already went to everyone, me included. */
        if (ch->mod_said != op->mark)
            break;
        /* fall through */
    default:
        if (op->text)
            ui_line(UI_NOTICE, "%s", op->text);
        break;
    }
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

void chat_mod_help(void)
{
    static const char *const lines[] = {
        "Moderation (room moderators, the host and server staff; in the current room):",
        "  /mute HANDLE [MINUTES] [reason]  stop someone posting, for MINUTES or until lifted",
        "  /unmute HANDLE             let them post again",
        "  /kick HANDLE [reason]      remove someone from the room (they may come back)",
        "  /ban HANDLE [MINUTES] [reason]   remove and keep out, for MINUTES or for good",
        "  /unban HANDLE              lift a ban",
        "  /delete SEQ [reason]       take message #SEQ down for everyone (moderators see",
        "                             #SEQ before each message)",
        "  /slow SECONDS              one message per member per SECONDS (0: off)",
        "  /lock, /unlock             take no new members, or take them again",
        "  /limit N                   at most N members (0: no limit)",
        "  /newcomer SECONDS          new members wait SECONDS before their first post (0: off)",
        "  /modlog [N]                the last N moderation actions, newest first",
        "  /modlog all [N]            the same across the server, each with its room (admins)",
        "  /sanctions                 who is muted or banned here now, until when, by whom and why",
        "  /suspend HANDLE [DAYS] [reason]  sign an account out everywhere and keep it out,",
        "                             for DAYS or until lifted (admins; server-wide)",
        "  /unsuspend HANDLE          lift a suspension (admins)",
        "  A reason is told to the person and kept in the log; MINUTES and DAYS are whole numbers.",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

enum mc { MC_TARGET, MC_DELETE, MC_SETTING, MC_LOG, MC_SANCTIONS };

static const struct mod_cmd {
    const char *name;
    enum mc kind;
    enum proto_req_type type;
    unsigned long number_max;   /* MC_TARGET: MINUTES/DAYS; MC_SETTING: the value */
    const char *usage;
} cmds[] = {
    {"mute", MC_TARGET, PROTO_REQ_MOD_MUTE, MOD_MINUTES_MAX, "/mute HANDLE [MINUTES] [reason...]"},
    {"unmute", MC_TARGET, PROTO_REQ_MOD_UNMUTE, 0, "/unmute HANDLE"},
    {"kick", MC_TARGET, PROTO_REQ_MOD_REMOVE, 0, "/kick HANDLE [reason...]"},
    {"remove", MC_TARGET, PROTO_REQ_MOD_REMOVE, 0, "/kick HANDLE [reason...]"},
    {"ban", MC_TARGET, PROTO_REQ_MOD_BAN, MOD_MINUTES_MAX, "/ban HANDLE [MINUTES] [reason...]"},
    {"unban", MC_TARGET, PROTO_REQ_MOD_UNBAN, 0, "/unban HANDLE"},
    {"delete", MC_DELETE, PROTO_REQ_MOD_DELETE, 0, "/delete SEQ [reason...]"},
    {"suspend", MC_TARGET, PROTO_REQ_MOD_SUSPEND, MOD_DAYS_MAX, "/suspend HANDLE [DAYS] [reason...]"},
    {"unsuspend", MC_TARGET, PROTO_REQ_MOD_UNSUSPEND, 0, "/unsuspend HANDLE"},
    {"slow", MC_SETTING, PROTO_REQ_MOD_SETTINGS, MOD_SLOW_MAX, "/slow SECONDS (0 to 3600; 0 turns it off)"},
    {"lock", MC_SETTING, PROTO_REQ_MOD_SETTINGS, 0, "/lock"},
    {"unlock", MC_SETTING, PROTO_REQ_MOD_SETTINGS, 0, "/unlock"},
    {"limit", MC_SETTING, PROTO_REQ_MOD_SETTINGS, MOD_LIMIT_MAX, "/limit N (0 to 100000; 0: no limit)"},
    {"newcomer", MC_SETTING, PROTO_REQ_MOD_SETTINGS, MOD_NEWCOMER_MAX,
     "/newcomer SECONDS (0 to 86400; 0 turns it off)"},
    {"modlog", MC_LOG, PROTO_REQ_MOD_LOG, PROTO_HISTORY_MAX,
     "/modlog [N], or /modlog all [N] for the server-wide log (N from 1 to 100)"},
    {"sanctions", MC_SANCTIONS, PROTO_REQ_MOD_SANCTIONS, 0, "/sanctions"},
};

static void usage(struct chat *ch, const char *fmt, const char *arg)
{
    char msg[200];
    snprintf(msg, sizeof msg, fmt, arg);
    ui_line(UI_ERROR, "%s", msg);
    if (!ch->tty)
        ch->exit_code = 1;
}

static bool signed_in(struct chat *ch)
{
    if (hc_client_token(ch->c))
        return true;
    usage(ch, "You are not signed in: /login HANDLE or /register HANDLE first.%s", "");
    return false;
}

static void issue(struct chat *ch, struct proto_request *q, const char *room, char *text)
{
    struct op *op = chat_op_new(ch, room);
    struct mod_room *m = room ? mod_room(ch, room, false) : NULL;
    op->what = (unsigned)q->type;
    op->mark = q->type == PROTO_REQ_MOD_SETTINGS ? (m ? m->said : 0) : ch->mod_said;
    op->text = text;
    chat_issue(op, q, on_reply);
}

static void parse_failed(struct chat *ch, const struct mod_cmd *mc, enum mod_parse rc)
{
    switch (rc) {
    case MOD_BAD_NUMBER:
        if (mc->kind == MC_DELETE)
            usage(ch, "%s: SEQ is the number shown as #SEQ before the message.", "Usage: /delete SEQ [reason...]");
        else if (mc->type == PROTO_REQ_MOD_SUSPEND)
            usage(ch, "DAYS is a whole number from 1 to 3650; leave it out to suspend until "
                      "lifted.%s", "");
        else
            usage(ch, "MINUTES is a whole number from 1 to 525600; leave it out for %s.",
                  mc->type == PROTO_REQ_MOD_BAN ? "a ban for good" : "a mute until lifted");
        break;
    case MOD_LONG_REASON:
        usage(ch, "A reason is at most 500 characters.%s", "");
        break;
    case MOD_NO_MEMORY:
        usage(ch, "Out of memory.%s", "");
        break;
    default:
        usage(ch, "Usage: %s", mc->usage);
        break;
    }
}

static void cmd_target(struct chat *ch, const struct mod_cmd *mc, const char *args,
                       const char *room)
{
    struct mod_args a;
    enum mod_parse rc = mc->kind == MC_DELETE ? mod_parse_seq(args, &a)
                                              : mod_parse_target(args, mc->number_max, &a);
    if (rc != MOD_OK) {
        parse_failed(ch, mc, rc);
        mod_args_free(&a);
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = mc->type;
    q.u.mod.room = room;
    q.u.mod.handle = mc->kind == MC_DELETE ? NULL : a.handle;
    q.u.mod.reason = a.reason;
    q.u.mod.seq = a.seq;
    if (mc->type == PROTO_REQ_MOD_SUSPEND)
        q.u.mod.days = (uint32_t)a.number;
    else
        q.u.mod.minutes = (uint32_t)a.number;
    issue(ch, &q, room, mod_done_text(mc->type, room, a.handle, a.number, a.seq));
    mod_args_free(&a);
}

static void cmd_words(struct chat *ch, const struct mod_cmd *mc, const char *line,
                      const char *room)
{
    struct cmd_args a;
    if (cmd_split(line, &a) < 0) {
        usage(ch, "Usage: %s", mc->usage);
        return;
    }
    const char *arg1 = a.argc > 1 ? a.argv[1] : NULL;
    unsigned long v = 0;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = mc->type;
    if (mc->kind == MC_SANCTIONS) {
        if (a.argc != 1) {
            usage(ch, "Usage: %s", mc->usage);
        } else {
            q.u.room.room = room;
            issue(ch, &q, room, NULL);
        }
        cmd_args_free(&a);
        return;
    }
    if (mc->kind == MC_LOG) {
        int n_at = room ? 1 : 2;   /* after "all" for the server-wide log */
        const char *n_arg = n_at < a.argc ? a.argv[n_at] : NULL;
        v = 20;
        if (a.argc > n_at + 1 || (n_arg && !cmd_parse_uint(n_arg, 1, mc->number_max, &v))) {
            usage(ch, "Usage: %s", mc->usage);
        } else {
            q.u.modlog.room = room;
            q.u.modlog.limit = (uint32_t)v;
            issue(ch, &q, room, NULL);
        }
        cmd_args_free(&a);
        return;
    }
    q.u.modset.room = room;
    bool lock = !strcmp(mc->name, "lock") || !strcmp(mc->name, "unlock");
    if (lock ? a.argc != 1 : (a.argc != 2 || !mod_parse_setting(arg1, mc->number_max, &v))) {
        usage(ch, "Usage: %s", mc->usage);
        cmd_args_free(&a);
        return;
    }
    if (lock) {
        q.u.modset.has_locked = true;
        q.u.modset.set.locked = mc->name[0] == 'l';
    } else if (mc->name[0] == 's') {
        q.u.modset.has_slow = true;
        q.u.modset.set.slow_seconds = (uint32_t)v;
    } else if (mc->name[0] == 'l') {
        q.u.modset.has_limit = true;
        q.u.modset.set.member_limit = (uint32_t)v;
    } else {
        q.u.modset.has_newcomer = true;
        q.u.modset.set.newcomer_seconds = (uint32_t)v;
    }
    issue(ch, &q, room, NULL);
    cmd_args_free(&a);
}

/* `/modlog all [N]`: the server-wide log, not the current room's. */
static bool server_log(const struct mod_cmd *mc, const char *args)
{
    char word[8];
    return mc->kind == MC_LOG && cmd_next_word(&args, word, sizeof word) && !strcmp(word, "all");
}

bool chat_mod_command(struct chat *ch, const char *line)
{
    const char *p = line;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '\t')
        n++;
    const struct mod_cmd *mc = NULL;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strlen(cmds[i].name) == n && strncmp(cmds[i].name, p, n) == 0)
            mc = &cmds[i];
    if (!mc)
        return false;
    if (!signed_in(ch))
        return true;
    bool server_wide = mc->type == PROTO_REQ_MOD_SUSPEND || mc->type == PROTO_REQ_MOD_UNSUSPEND ||
                       server_log(mc, p + n);
    char room[PROTO_HANDLE_MAX + 1] = "";
    if (!server_wide) {
        if (!ch->current[0]) {
            usage(ch, "No current room: /join ROOM first.%s", "");
            return true;
        }
        snprintf(room, sizeof room, "%s", ch->current);
    }
    if (mc->kind == MC_TARGET || mc->kind == MC_DELETE)
        cmd_target(ch, mc, p + n, server_wide ? NULL : room);
    else
        cmd_words(ch, mc, line, server_wide ? NULL : room);
    return true;
}
