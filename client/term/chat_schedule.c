/*
 * The interactive client's weekly schedules, coming meetings and invite
 * codes: /schedule (the current room's weekly meetings: show, add,
 * remove, clear), /meetings (the coming meetings of every room one may
 * see, in one's own time), /invite, /invites and /uninvite, and their
 * replies. The words are schedule.c's.
 *
 * meeting.schedule replaces a room's whole list, so /schedule add and
 * /schedule remove read the list first and send it back changed, in the
 * same op: a script's next line waits for both. (When two hosts change it
 * at once the later write wins; each is shown the list it left.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

/* Where a /schedule op is (op->what). */
enum sw { SW_SHOW = 1, SW_ADD, SW_REMOVE, SW_ADDED, SW_REMOVED, SW_CLEARED };

/* ---------------------------------------------------------- schedules */

static void on_schedule(struct hc_client *c, const struct hc_reply *r, void *ud);

/* meeting.schedule for op->room: a read, or (replace) the list to keep.
 * An op already under way (the write after a read) carries on. */
static void schedule_request(struct op *op, bool replace, struct proto_slot *slots, size_t n)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_MEETING_SCHEDULE;
    q.u.schedule.room = op->room;
    q.u.schedule.has_slots = replace;
    q.u.schedule.slots = slots;
    q.u.schedule.n = n;
    chat_issue(op, &q, on_schedule);   /* an op under way carries on */
}

/* The room's list as read (old[0..n)), sent back with op's change: slot
 * op->number left out, or op->slot added at the end. */
static void send_changed(struct op *op, const struct proto_slot *old, size_t n)
{
    struct proto_slot slots[PROTO_SLOTS_MAX];
    size_t kept = 0;
    char why[160] = "";
    if (n > PROTO_SLOTS_MAX)
        n = PROTO_SLOTS_MAX;   /* never more, by the protocol: slots[] holds no more */
    if (op->what == SW_ADD && n >= PROTO_SLOTS_MAX)
        snprintf(why, sizeof why, "#%s has %zu weekly meetings already, the most a room can have.",
                 op->room, n);
    else if (op->what == SW_REMOVE && op->number > n && n)
        snprintf(why, sizeof why, "#%s has %zu weekly meeting%s: /schedule shows their numbers.",
                 op->room, n, n == 1 ? "" : "s");
    else if (op->what == SW_REMOVE && op->number > n)
        snprintf(why, sizeof why, "#%s has no weekly meetings scheduled.", op->room);
    if (why[0]) {
        ui_line(UI_ERROR, "%s", why);
        chat_op_end(op, true);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (op->what != SW_REMOVE || i + 1 != op->number)
            slots[kept++] = old[i];
    if (op->what == SW_ADD) {
        slots[kept++] = op->slot;
        op->what = SW_ADDED;
    } else {
        op->text = sch_slot_line(0, &old[op->number - 1], ui_utf8());   /* said once it is gone */
        op->what = SW_REMOVED;
    }
    schedule_request(op, true, slots, kept);
}

static void on_schedule(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, op->room))
        return;
    const struct proto_slot *slots = r->result->u.schedule.slots;
    size_t n = r->result->u.schedule.n;
    switch ((enum sw)op->what) {
    case SW_ADD:
    case SW_REMOVE:
        send_changed(op, slots, n);   /* the op carries on, or ends saying why */
        return;
    case SW_ADDED:
        ui_line(UI_NOTICE, "Added a weekly meeting to #%s.", op->room);
        break;
    case SW_REMOVED:
        ui_line(UI_NOTICE, "Removed from the weekly meetings of #%s: %s", op->room,
                op->text ? op->text : "the meeting.");
        break;
    case SW_CLEARED:
        ui_line(UI_NOTICE, "Cleared the weekly meetings of #%s.", op->room);
        chat_op_end(op, false);
        return;
    default:
        break;
    }
    chat_print_text(sch_schedule_text(op->room, slots, n, ui_utf8()));
    chat_op_end(op, false);
}

static void schedule_add(struct chat *ch, struct cmd_args *a, const char *room)
{
    char zone[SCH_ZONE];
    struct proto_slot slot;
    sch_local_zone(zone);
    enum sch_parse rc = sch_parse_slot(a->argc - 2, a->argv + 2, zone, &slot);
    if (rc != SCH_OK) {
        chat_refuse(ch, sch_parse_error(rc));
        return;
    }
    struct op *op = chat_op_new(ch, room);
    op->what = SW_ADD;
    op->slot = slot;
    op->text = strdup(slot.tz);   /* slot.tz points into the line or zone, gone after it */
    if (!op->text) {
        chat_op_end(op, true);
        return;
    }
    op->slot.tz = op->text;
    schedule_request(op, false, NULL, 0);
}

static void cmd_schedule(struct chat *ch, struct cmd_args *a)
{
    char room[PROTO_HANDLE_MAX + 1];
    if (!chat_need_room(ch, NULL, room))
        return;
    const char *sub = a->argc > 1 ? a->argv[1] : "";
    unsigned long number;
    struct op *op;
    if (a->argc == 1) {
        op = chat_op_new(ch, room);
        op->what = SW_SHOW;
        schedule_request(op, false, NULL, 0);
    } else if (!strcmp(sub, "add")) {
        schedule_add(ch, a, room);
    } else if (!strcmp(sub, "remove")) {
        if (a->argc != 3 || !cmd_parse_uint(a->argv[2], 1, PROTO_SLOTS_MAX, &number)) {
            chat_refuse(ch, "Usage: /schedule remove N (N: the meeting's number in /schedule)");
            return;
        }
        op = chat_op_new(ch, room);
        op->what = SW_REMOVE;
        op->number = (unsigned)number;
        schedule_request(op, false, NULL, 0);
    } else if (!strcmp(sub, "clear") && a->argc == 2) {
        op = chat_op_new(ch, room);
        op->what = SW_CLEARED;
        schedule_request(op, true, NULL, 0);
    } else {
        chat_refuse(ch, "Usage: /schedule [add DAYS HH:MM MINUTES [TZ] | remove N | clear]");
    }
}

/* ---------------------------------------------------- coming meetings */

static void on_upcoming(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, "Could not list the coming meetings"))
        return;
    char zone[SCH_ZONE];
    sch_local_zone(zone);
    size_t n = r->result->u.upcoming.n;
    chat_print_text(sch_upcoming_text(r->result->u.upcoming.meetings, n, op->number, zone,
                                      chat_server_now(op->ch), ui_utf8()));
    if (n >= PROTO_UPCOMING_MAX)
        ui_line(UI_DIM, "(only the first %u are shown: /meetings DAYS looks fewer days ahead)",
                (unsigned)PROTO_UPCOMING_MAX);
    chat_op_end(op, false);
}

static void cmd_meetings(struct chat *ch, struct cmd_args *a)
{
    unsigned long days = PROTO_UPCOMING_DAYS_DEFAULT;
    if (a->argc > 2 ||
        (a->argc == 2 && !cmd_parse_uint(a->argv[1], 1, PROTO_UPCOMING_DAYS_MAX, &days))) {
        chat_refuse(ch, "Usage: /meetings [DAYS] (1 to 14; 7 when not given)");
        return;
    }
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_MEETING_UPCOMING;
    q.u.upcoming.days = (uint32_t)days;
    q.u.upcoming.limit = PROTO_UPCOMING_MAX;
    struct op *op = chat_op_new(ch, NULL);
    op->number = (unsigned)days;
    chat_issue(op, &q, on_upcoming);
}

/* ------------------------------------------------------------ invites */

static void on_invite(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (chat_reply_unusable(op, r, op->room))
        return;
    const struct proto_result *res = r->result;
    int64_t now = chat_server_now(op->ch);
    switch ((enum proto_req_type)op->what) {
    case PROTO_REQ_ROOM_INVITE:
        chat_print_text(sch_invite_made_text(op->room, res->u.invite.code, res->u.invite.expires_at,
                                             op->number, now));
        break;
    case PROTO_REQ_ROOM_INVITES:
        chat_print_text(sch_invites_text(op->room, res->u.invites.invites, res->u.invites.n, now));
        break;
    default:   /* room.invite_revoke */
        ui_line(UI_NOTICE, "The invite code %s of #%s no longer works.", op->text, op->room);
        break;
    }
    chat_op_end(op, false);
}

/* text: the code, for room.invite_revoke's reply (taken). */
static void invite_request(struct chat *ch, struct proto_request *q, const char *room, char *text)
{
    struct op *op = chat_op_new(ch, room);
    op->what = (unsigned)q->type;
    op->number = q->type == PROTO_REQ_ROOM_INVITE ? q->u.invite.uses : 0;
    op->text = text;
    chat_issue(op, q, on_invite);
}

static void cmd_invite(struct chat *ch, struct cmd_args *a)
{
    const char *room_arg;
    unsigned long hours, uses;
    char room[PROTO_HANDLE_MAX + 1];
    if (!sch_parse_invite(a->argc - 1, a->argv + 1, &room_arg, &hours, &uses)) {
        chat_refuse(ch, "Usage: /invite [ROOM] [HOURS [USES]] (HOURS 1 to 720, a week when not "
                        "given; USES 1 to 1000, any number when not given)");
        return;
    }
    if (!chat_need_room(ch, room_arg, room))
        return;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_INVITE;
    q.u.invite.room = room;
    q.u.invite.hours = (uint32_t)hours;
    q.u.invite.uses = (uint32_t)uses;
    invite_request(ch, &q, room, NULL);
}

static void cmd_invites(struct chat *ch, struct cmd_args *a)
{
    char room[PROTO_HANDLE_MAX + 1];
    if (a->argc > 2) {
        chat_refuse(ch, "Usage: /invites [ROOM]");
        return;
    }
    if (!chat_need_room(ch, a->argc > 1 ? a->argv[1] : NULL, room))
        return;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_INVITES;
    q.u.room.room = room;
    invite_request(ch, &q, room, NULL);
}

static void cmd_uninvite(struct chat *ch, struct cmd_args *a)
{
    char room[PROTO_HANDLE_MAX + 1];
    if (a->argc != 2 || !a->argv[1][0] || strlen(a->argv[1]) > PROTO_INVITE_MAX) {
        chat_refuse(ch, "Usage: /uninvite CODE (/invites lists the codes of the current room)");
        return;
    }
    if (!chat_need_room(ch, NULL, room))
        return;
    char *code = strdup(a->argv[1]);
    if (!code)
        return;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_INVITE_REVOKE;
    q.u.invite.room = room;
    q.u.invite.code = code;
    invite_request(ch, &q, room, code);
}

/* ---------------------------------------------------------- commands */

void chat_schedule_help(void)
{
    static const char *const lines[] = {
        "Schedules and invites:",
        "  /schedule                  the current room's weekly meetings, each in its own",
        "                             time zone",
        "  /schedule add DAYS HH:MM MINUTES [TZ]",
        "                             add a weekly meeting (host): DAYS like mon,wed or",
        "                             mon-fri (or daily, weekdays, weekends), HH:MM on a",
        "                             24-hour clock, MINUTES 5 to 720, TZ like",
        "                             America/New_York (yours when not given); it stays at",
        "                             HH:MM there when the clocks change",
        "  /schedule remove N, /schedule clear",
        "                             take meeting N (as /schedule numbers them), or all of",
        "                             them, off the list (host)",
        "  /meetings [DAYS]           the meetings of the next DAYS days (7 if not given, at",
        "                             most 14) in every room you may see, in your own time",
        "  /invite [ROOM] [HOURS [USES]]",
        "                             an invite code for an invite-only room, working for",
        "                             HOURS hours (a week if not given, at most 720) and",
        "                             USES joins (any number if not given, at most 1000)",
        "  /invites [ROOM]            the room's invite codes that still work: yours, or",
        "                             all of them for its moderators",
        "  /uninvite CODE             stop a code of the current room working (whoever made",
        "                             it, or the room's moderators)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_line(UI_PLAIN, "%s", lines[i]);
}

bool chat_schedule_command(struct chat *ch, struct cmd_args *a)
{
    static const struct {
        const char *name;
        void (*run)(struct chat *ch, struct cmd_args *a);
    } cmds[] = {
        {"schedule", cmd_schedule}, {"meetings", cmd_meetings}, {"invite", cmd_invite},
        {"invites", cmd_invites},   {"uninvite", cmd_uninvite},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(a->argv[0], cmds[i].name) == 0) {
            if (chat_need_signed_in(ch))
                cmds[i].run(ch, a);
            return true;
        }
    }
    return false;
}
