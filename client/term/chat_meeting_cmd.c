/*
 * The interactive client's meeting commands (/meeting, /format, /share,
 * /mod, /unmod, /chair, /open, /close, /hand, /lower, /floor, /done,
 * /mode, /auto, /state; /attendance, one's own meetings by week, from any
 * room; /retention and /ephemeral, for any room) and their replies.
 *
 * Replies carry the meeting's state too; the server sends the event
 * first, so a reply usually has nothing new to say; when neither said
 * anything, the command says why ("Your hand is already up").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat.h"

/* What a command asked (op->what), for the words of its reply. */
enum mw {
    MW_CONFIGURE = 1, MW_ROLE, MW_CHAIR, MW_OPEN, MW_CLOSE, MW_HAND, MW_LOWER, MW_FLOOR, MW_DONE,
    MW_MODE, MW_AUTO, MW_STATE, MW_SHARE, MW_RETENTION, MW_EPHEMERAL,
};

/* ----------------------------------------------------------- replies */

static void no_change(struct chat *ch, struct op *op, struct mtg_view *v)
{
    const char *me = chat_me(ch);
    char nth[24];
    switch ((enum mw)op->what) {
    case MW_OPEN:
        ui_line(UI_DIM, "The meeting in #%s is already open.", op->room);
        break;
    case MW_CLOSE:
        ui_line(UI_DIM, "The meeting in #%s is already closed.", op->room);
        break;
    case MW_HAND:
        if (me && strcmp(v->speaker, me) == 0) {
            ui_line(UI_DIM, "You have the floor.");
        } else {
            mtg_fmt_ordinal(mtg_queue_pos(v, me), nth);
            ui_line(UI_DIM, "Your hand is already up (%s in line).", nth);
        }
        break;
    case MW_LOWER:
        ui_line(UI_DIM, "Your hand was not up.");
        break;
    case MW_DONE:
        ui_line(UI_DIM, "Nobody has the floor.");
        break;
    case MW_MODE:
    case MW_AUTO:
        ui_line(UI_DIM, "The meeting in #%s already works that way.", op->room);
        break;
    case MW_CHAIR:
        if (op->text)
            ui_line(UI_DIM, "%s already chairs the meeting in #%s.", op->text, op->room);
        else
            ui_line(UI_DIM, "No chair is named in #%s: the host chairs.", op->room);
        break;
    default:
        break;
    }
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
    struct mtg_view *v;
    if (r->err != PROTO_OK) {
        chat_show_error(op->room, r);
        if (r->err == PROTO_E_NOT_A_MEETING && (v = chat_view(ch, op->room, false))) {
            enum proto_room_role role = v->role;
            mtg_view_reset(v);
            v->role = role;
            if (strcmp(op->room, ch->current) == 0)
                chat_update_prompt(ch);
        }
        chat_op_end(op, true);
        return;
    }
    const struct proto_result *res = r->result;
    switch (res->type) {
    case PROTO_REQ_ROOM_CONFIGURE:
        if ((v = chat_view(ch, op->room, res->u.configure.room.meeting))) {
            if (!res->u.configure.room.meeting)
                mtg_view_reset(v);
            v->meeting = res->u.configure.room.meeting;
            v->role = res->u.configure.room.role;
        }
        /* A new share length is in the meeting.state event, when that
         * came and said it. */
        if (op->text && !(v && op->what == MW_SHARE && v->said != op->mark))
            ui_line(UI_NOTICE, "%s", op->text);
        if (op->what == MW_RETENTION || op->what == MW_EPHEMERAL) {
            /* said from the room as the server has it now */
            char *txt = mtg_keep_sentence(&res->u.configure.room, op->what == MW_RETENTION,
                                          op->what == MW_EPHEMERAL);
            if (txt)
                ui_line(UI_NOTICE, "%s", txt);
            free(txt);
        }
        if (strcmp(op->room, ch->current) == 0)
            chat_update_prompt(ch);
        break;
    case PROTO_REQ_ROOM_ROLE:
        break;   /* the room.role event said it, to everyone */
    default:
        if (!(v = chat_view(ch, op->room, true)))
            break;
        v->meeting = true;
        if (op->what == MW_STATE) {
            char *txt = mtg_update(v, &res->u.meeting, chat_me(ch), chat_server_now(ch));
            free(txt);
            txt = mtg_summary(v, chat_me(ch), chat_server_now(ch));
            if (txt)
                ui_line(UI_NOTICE, "[%s] %s", v->room, txt);
            free(txt);
            if (strcmp(v->room, ch->current) == 0)
                chat_update_prompt(ch);
            break;
        }
        chat_meeting_show_state(ch, v, &res->u.meeting);
        if (v->said == op->mark)
            no_change(ch, op, v);
        break;
    }
    chat_op_end(op, false);
}

/* ---------------------------------------------------------- commands */

void chat_meeting_help(void)
{
    static const char *const lines[] = {
        "Meetings (in the current room):",
        "  /meeting on|off            make the room a meeting room, or an ordinary one (host)",
        "  /format TEXT               the opening statement and readings shown when the",
        "                             meeting opens; \\n in TEXT starts a new line (host);",
        "                             /format alone shows the text it has now",
        "  /share MINUTES             how long a share lasts, 1 to 30 minutes (host)",
        "  /retention DAYS            keep the room's messages DAYS days (up to 3650); older",
        "                             ones are erased from the server; 0 keeps them (host;",
        "                             any room)",
        "  /ephemeral on|off          'what is said here stays here': messages are never",
        "                             written to disk, and in a meeting room are gone when",
        "                             the meeting closes (host; any room)",
        "  /mod HANDLE, /unmod HANDLE make someone a room moderator, or not (host)",
        "  /chair HANDLE, /chair -    name the meeting's chair, or name none: the host",
        "                             chairs again (host)",
        "  /open, /close              open or close the meeting (chair, moderators)",
        "  /hand, /lower              raise your hand to share, or lower it",
        "  /floor [HANDLE]            give the floor to HANDLE, or to the next hand (chair)",
        "  /done                      end your share (the chair can end anyone's)",
        "  /mode one|open             one speaker at a time, or everyone may post (chair)",
        "  /auto on|off               the floor passes to the next hand by itself (chair)",
        "  /meeting, /state           show the meeting: who speaks, the hands, the mode",
        "  /attendance [WEEKS]        your own meetings, week by week (any room; only you",
        "                             can see it): the last WEEKS weeks you attended, 12 if",
        "                             not given, at most 52",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

static bool signed_in_with_room(struct chat *ch, char room[PROTO_HANDLE_MAX + 1])
{
    if (!hc_client_token(ch->c)) {
        ui_line(UI_ERROR, "You are not signed in: /login HANDLE or /register HANDLE first.");
    } else if (!ch->current[0]) {
        ui_line(UI_ERROR, "No current room: /join ROOM first.");
    } else {
        snprintf(room, PROTO_HANDLE_MAX + 1, "%s", ch->current);
        return true;
    }
    if (!ch->tty)
        ch->exit_code = 1;
    return false;
}

static void usage(struct chat *ch, const char *text)
{
    ui_line(UI_ERROR, "Usage: %s", text);
    if (!ch->tty)
        ch->exit_code = 1;
}

static void issue(struct chat *ch, struct proto_request *q, const char *room, enum mw what,
                  char *text)
{
    struct op *op = chat_op_new(ch, room);
    struct mtg_view *v = chat_view(ch, room, false);
    op->what = what;
    op->mark = v ? v->said : 0;
    op->text = text;
    chat_issue(op, q, on_reply);
}

static bool handle_arg(const char *arg, char out[PROTO_HANDLE_MAX + 1])
{
    if (!arg)
        return false;
    return proto_name_fold(arg[0] == '@' ? arg + 1 : arg, out);
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return strdup(buf);
}

/* /format's text: the raw rest of the line (so backslashes reach
 * mtg_unescape), without one pair of quotes around all of it. */
static char *format_text(const char *rest)
{
    size_t n = strlen(rest);
    char *raw = strdup(rest);
    if (!raw)
        return NULL;
    if (n >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[n - 1] == raw[0]) {
        memmove(raw, raw + 1, n - 2);
        raw[n - 2] = '\0';
    }
    char *out = mtg_unescape(raw);
    free(raw);
    return out;
}

static size_t count_lines(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        if (*s == '\n' && s[1])
            n++;
    return n;
}

/* /format alone: the text the room has, as the last meeting state said it. */
static void show_format(struct chat *ch, const char *room)
{
    struct mtg_view *v = chat_view(ch, room, false);
    if (!v || !v->known) {
        usage(ch, "/format TEXT (\\n starts a new line; /format \"\" clears it)");
        return;
    }
    char *fmt = mtg_format_text(v);
    if (fmt)
        ui_line(UI_PLAIN, "The format text of #%s:\n  %s", room, fmt);
    else
        ui_line(UI_PLAIN, "#%s has no format text.", room);
    free(fmt);
    ui_line(UI_DIM, "/format TEXT replaces it (\\n starts a new line); /format \"\" clears it.");
}

static void cmd_configure(struct chat *ch, struct cmd_args *a, const char *room)
{
    const char *cmd = a->argv[0];
    const char *arg1 = a->argc > 1 ? a->argv[1] : NULL;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_CONFIGURE;
    q.u.configure.room = room;
    char *msg = NULL, *format = NULL;
    char len[32];
    if (!strcmp(cmd, "meeting")) {
        bool on;
        if (a->argc != 2 || !mtg_parse_onoff(arg1, &on)) {
            usage(ch, "/meeting on|off (or /meeting alone to see the meeting)");
            return;
        }
        q.u.configure.has_meeting = true;
        q.u.configure.meeting = on;
        msg = on ? dupf("#%s is a meeting room now: /chair HANDLE names its chair; the chair "
                        "or a moderator can /open the meeting.", room)
                 : dupf("#%s is an ordinary room again.", room);
    } else if (!strcmp(cmd, "format")) {
        if (a->argc < 2) {
            show_format(ch, room);
            return;
        }
        format = format_text(a->rest[1]);
        if (!format)
            return;
        q.u.configure.format = format;
        size_t lines = count_lines(format);
        msg = lines ? dupf("Saved the format text of #%s (%zu line%s); it is shown when the "
                           "meeting opens.", room, lines, lines == 1 ? "" : "s")
                    : dupf("Cleared the format text of #%s.", room);
    } else if (!strcmp(cmd, "retention")) {
        if (a->argc != 2 || !mtg_parse_retention(arg1, &q.u.configure.retention_days)) {
            usage(ch, "/retention DAYS (0 to 3650; 0 keeps the messages)");
            return;
        }
        q.u.configure.has_retention = true;
    } else if (!strcmp(cmd, "ephemeral")) {
        if (a->argc != 2 || !mtg_parse_onoff(arg1, &q.u.configure.ephemeral)) {
            usage(ch, "/ephemeral on|off (on: messages are never written to disk)");
            return;
        }
        q.u.configure.has_ephemeral = true;
    } else {   /* share */
        uint32_t secs;
        if (a->argc != 2 || !mtg_parse_minutes(arg1, &secs)) {
            usage(ch, "/share MINUTES (1 to 30, or M:SS)");
            return;
        }
        q.u.configure.has_share = true;
        q.u.configure.share_seconds = secs;
        mtg_fmt_length(secs, len);
        msg = dupf("Shares in #%s last %s now.", room, len);
    }
    issue(ch, &q, room,
          q.u.configure.has_share       ? MW_SHARE
          : q.u.configure.has_retention ? MW_RETENTION
          : q.u.configure.has_ephemeral ? MW_EPHEMERAL
                                        : MW_CONFIGURE,
          msg);
    free(format);
}

/* ------------------------------------------------------- attendance */

static void on_attendance(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, "Could not show your meetings"))
        return;
    const struct proto_result *res = r->result;
    /* the heading (or the line saying there is nothing yet), then a line a week */
    chat_print_text(mtg_attendance_text(res->u.attendance.weeks, res->u.attendance.n,
                                        mtg_local_year(time(NULL))));
    chat_op_end(op, false);
}

/* /attendance [WEEKS]: needs no room, and shows only one's own. */
static void cmd_attendance(struct chat *ch, struct cmd_args *a)
{
    unsigned long weeks = MTG_WEEKS_DEFAULT;
    if (a->argc > 2 || (a->argc == 2 && !cmd_parse_uint(a->argv[1], 1, MTG_WEEKS_MAX, &weeks))) {
        usage(ch, "/attendance [WEEKS] (1 to 52; 12 when not given)");
        return;
    }
    if (!hc_client_token(ch->c)) {
        ui_line(UI_ERROR, "You are not signed in: /login HANDLE or /register HANDLE first.");
        if (!ch->tty)
            ch->exit_code = 1;
        return;
    }
    int32_t offset = 0;   /* weeks start on Monday in local time; UTC when unknown */
    if (!mtg_utc_offset(time(NULL), &offset))
        offset = 0;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_MEETING_ATTENDANCE;
    q.u.attendance.utc_offset_minutes = offset;
    q.u.attendance.weeks = (uint32_t)weeks;
    chat_issue(chat_op_new(ch, NULL), &q, on_attendance);
}

bool chat_meeting_command(struct chat *ch, struct cmd_args *a)
{
    static const char *const names[] = {
        "meeting", "format", "share", "retention", "ephemeral", "mod", "unmod", "chair", "open",
        "close", "hand", "lower", "floor", "done", "mode", "auto", "state",
    };
    const char *cmd = a->argv[0];
    bool known = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        known |= strcmp(cmd, names[i]) == 0;
    if (!strcmp(cmd, "attendance")) {
        cmd_attendance(ch, a);
        return true;
    }
    if (!known)
        return false;

    char room[PROTO_HANDLE_MAX + 1], who[PROTO_HANDLE_MAX + 1];
    if (!signed_in_with_room(ch, room))
        return true;
    const char *arg1 = a->argc > 1 ? a->argv[1] : NULL;
    struct proto_request q;
    memset(&q, 0, sizeof q);

    if ((!strcmp(cmd, "meeting") && a->argc == 1) || !strcmp(cmd, "state")) {
        q.type = PROTO_REQ_MEETING_STATE;
        q.u.room.room = room;
        issue(ch, &q, room, MW_STATE, NULL);
    } else if (!strcmp(cmd, "meeting") || !strcmp(cmd, "format") || !strcmp(cmd, "share") ||
               !strcmp(cmd, "retention") || !strcmp(cmd, "ephemeral")) {
        cmd_configure(ch, a, room);
    } else if (!strcmp(cmd, "mod") || !strcmp(cmd, "unmod")) {
        if (a->argc != 2 || !handle_arg(arg1, who)) {
            usage(ch, cmd[0] == 'm' ? "/mod HANDLE" : "/unmod HANDLE");
            return true;
        }
        q.type = PROTO_REQ_ROOM_ROLE;
        q.u.role.room = room;
        q.u.role.handle = who;
        q.u.role.role = cmd[0] == 'm' ? PROTO_RROLE_MODERATOR : PROTO_RROLE_MEMBER;
        issue(ch, &q, room, MW_ROLE, NULL);
    } else if (!strcmp(cmd, "chair")) {
        /* "-" is never a handle: it names no chair, so the host chairs again */
        bool none = a->argc == 2 && strcmp(arg1, "-") == 0;
        if (a->argc != 2 || (!none && !handle_arg(arg1, who))) {
            usage(ch, "/chair HANDLE (or /chair - : no chair named, the host chairs)");
            return true;
        }
        q.type = PROTO_REQ_MEETING_CHAIR;
        q.u.who.room = room;
        q.u.who.handle = none ? NULL : who;
        issue(ch, &q, room, MW_CHAIR, none ? NULL : strdup(who));
    } else if (!strcmp(cmd, "floor")) {
        if (a->argc > 2 || (arg1 && !handle_arg(arg1, who))) {
            usage(ch, "/floor [HANDLE] (without one: the next hand in line)");
            return true;
        }
        q.type = PROTO_REQ_MEETING_FLOOR;
        q.u.who.room = room;
        q.u.who.handle = arg1 ? who : NULL;
        issue(ch, &q, room, MW_FLOOR, NULL);
    } else if (!strcmp(cmd, "hand") || !strcmp(cmd, "lower")) {
        if (a->argc != 1) {
            usage(ch, cmd[0] == 'h' ? "/hand" : "/lower");
            return true;
        }
        q.type = PROTO_REQ_MEETING_HAND;
        q.u.hand.room = room;
        q.u.hand.raised = cmd[0] == 'h';
        issue(ch, &q, room, cmd[0] == 'h' ? MW_HAND : MW_LOWER, NULL);
    } else if (!strcmp(cmd, "mode") || !strcmp(cmd, "auto")) {
        /* one request sets either: the meeting's mode, or auto floor */
        bool mode = cmd[0] == 'm';
        if (a->argc != 2 || !(mode ? mtg_parse_mode(arg1, &q.u.mode.mode)
                                   : mtg_parse_onoff(arg1, &q.u.mode.auto_floor))) {
            usage(ch, mode ? "/mode one|open (one speaker at a time, or everyone may post)"
                           : "/auto on|off (the floor passes to the next hand by itself)");
            return true;
        }
        q.type = PROTO_REQ_MEETING_MODE;
        q.u.mode.room = room;
        q.u.mode.has_mode = mode;
        q.u.mode.has_auto = !mode;
        issue(ch, &q, room, mode ? MW_MODE : MW_AUTO, NULL);
    } else {   /* open, close, done */
        if (a->argc != 1) {
            usage(ch, cmd[0] == 'o' ? "/open" : cmd[0] == 'c' ? "/close" : "/done");
            return true;
        }
        q.type = cmd[0] == 'o'   ? PROTO_REQ_MEETING_OPEN
                 : cmd[0] == 'c' ? PROTO_REQ_MEETING_CLOSE
                                 : PROTO_REQ_MEETING_DONE;
        q.u.room.room = room;
        issue(ch, &q, room, cmd[0] == 'o' ? MW_OPEN : cmd[0] == 'c' ? MW_CLOSE : MW_DONE, NULL);
    }
    return true;
}
