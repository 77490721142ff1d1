/*
 * Meetings in the interactive client: the events the library passes on
 * (meeting.state, meeting.opened, meeting.warning, room.role) and the
 * state shown after a join or a reconnect. The slash commands and their
 * replies are in chat_meeting_cmd.c.
 *
 * Each room's last shown state is kept (struct mtg_view, meeting.c), so a
 * new state prints only what changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat.h"

/* ------------------------------------------------------------- views */

struct mtg_view *chat_view(struct chat *ch, const char *room, bool create)
{
    if (!room)
        return NULL;
    for (size_t i = 0; i < ch->nviews; i++)
        if (strcmp(ch->views[i].room, room) == 0)
            return &ch->views[i];
    if (!create)
        return NULL;
    struct mtg_view *views = chat_grow(ch->views, ch->nviews, &ch->views_cap, sizeof *views);
    if (!views)
        return NULL;
    ch->views = views;
    struct mtg_view *v = &ch->views[ch->nviews++];
    memset(v, 0, sizeof *v);
    mtg_safe_name(room, v->room);
    return v;
}

void chat_view_remove(struct chat *ch, const char *room)
{
    struct mtg_view *v = chat_view(ch, room, false);
    if (!v)
        return;
    mtg_view_reset(v);
    size_t i = (size_t)(v - ch->views);
    memmove(&ch->views[i], &ch->views[i + 1], (ch->nviews - i - 1) * sizeof *ch->views);
    ch->nviews--;
}

void chat_views_clear(struct chat *ch)
{
    for (size_t i = 0; i < ch->nviews; i++)
        mtg_view_reset(&ch->views[i]);
    free(ch->views);
    ch->views = NULL;
    ch->nviews = ch->views_cap = 0;
}

/* The room named in an event: NULL unless it is a room name. */
static struct mtg_view *event_view(struct chat *ch, const char *room, bool create)
{
    char name[PROTO_HANDLE_MAX + 1];
    if (!room || !proto_name_fold(room, name))
        return NULL;
    return chat_view(ch, name, create);
}

void chat_meeting_show_state(struct chat *ch, struct mtg_view *v, const struct proto_meeting *m)
{
    char *txt = mtg_update(v, m, chat_me(ch), chat_server_now(ch));
    if (txt) {
        ui_line(UI_NOTICE, "[%s] %s", v->room, txt);
        v->said++;
        free(txt);
    }
    if (strcmp(v->room, ch->current) == 0)
        chat_update_prompt(ch);
}

/* ------------------------------------------------------------- events */

static const char *role_phrase(enum proto_room_role r)
{
    switch (r) {
    case PROTO_RROLE_MODERATOR: return "a moderator";
    case PROTO_RROLE_HOST: return "the host";
    default: return "a member";
    }
}

void chat_meeting_event(struct chat *ch, const struct proto_event *ev)
{
    const char *me = chat_me(ch);
    struct mtg_view *v;
    char who[MTG_NAME];
    switch (ev->type) {
    case PROTO_EVT_MEETING_STATE:
        if ((v = event_view(ch, ev->u.meeting.room, true)))
            chat_meeting_show_state(ch, v, &ev->u.meeting);
        break;
    case PROTO_EVT_MEETING_OPENED: {
        if (!(v = event_view(ch, ev->u.opened.room, true)))
            break;
        mtg_safe_name(ev->u.opened.chair, who);
        bool mine = me && strcmp(who, me) == 0;
        ui_line(UI_BOLD, "Meeting opened in #%s (chair: %s)", v->room,
                !*who ? "the host" : mine ? "you" : who);
        const char *fmt = ev->u.opened.format;
        if (fmt && *fmt) {
            char *text = text_sanitize(fmt, "  ");
            if (text)
                ui_line(UI_PLAIN, "  %s", text);
            free(text);
        }
        if (mine || v->role != PROTO_RROLE_MEMBER)
            ui_line(UI_DIM, "/floor gives the floor to the next hand, /close ends the meeting; "
                            "/state shows it.");
        else
            ui_line(UI_DIM, "/hand raises your hand, /lower lowers it; /state shows the meeting.");
        mtg_opened(v, ev->u.opened.chair, ev->u.opened.format);
        v->said++;
        if (strcmp(v->room, ch->current) == 0)
            chat_update_prompt(ch);
        break;
    }
    case PROTO_EVT_MEETING_WARNING: {
        char room[PROTO_HANDLE_MAX + 1], left[32];
        if (!ev->u.warning.room || !proto_name_fold(ev->u.warning.room, room))
            break;
        mtg_safe_name(ev->u.warning.handle, who);
        uint32_t s = ev->u.warning.seconds_left;
        if (s == 60)
            snprintf(left, sizeof left, "One minute");
        else if (s % 60 == 0)
            snprintf(left, sizeof left, "%u minutes", s / 60);
        else if (s < 60)
            snprintf(left, sizeof left, "%u seconds", s);
        else
            snprintf(left, sizeof left, "%u:%02u", s / 60, s % 60);
        bool mine = me && strcmp(who, me) == 0;
        const char *mark = ui_color() ? "" : "!! ";
        if (mine) {
            ui_line(UI_WARN, "%s[%s] %s left in your share.", mark, room, left);
            ui_bell();
        } else {
            ui_line(UI_WARN, "%s[%s] %s left in %s's share.", mark, room, left, who);
        }
        break;
    }
    case PROTO_EVT_ROOM_ROLE: {
        char room[PROTO_HANDLE_MAX + 1];
        if (!ev->u.role.room || !proto_name_fold(ev->u.role.room, room))
            break;
        mtg_safe_name(ev->u.role.handle, who);
        bool mine = me && strcmp(who, me) == 0;
        enum proto_room_role role = ev->u.role.role;
        if (mine && (v = chat_view(ch, room, false)))
            v->role = role;
        if (role == PROTO_RROLE_MEMBER)
            ui_line(UI_NOTICE, "%s %s no longer a moderator of #%s.", mine ? "You" : who,
                    mine ? "are" : "is", room);
        else
            ui_line(UI_NOTICE, "%s %s now %s of #%s.", mine ? "You" : who, mine ? "are" : "is",
                    role_phrase(role), room);
        break;
    }
    default:
        break;
    }
}

/* -------------------------------------------- joins and reconnects */

int64_t chat_server_now(const struct chat *ch)
{
    return ui_now_ms() + ch->skew_ms;
}

static void on_ping(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    int64_t now = ui_now_ms(), sent = op->sent_ms;
    /* The server's ts was taken about halfway; a slow answer says little. */
    if (!ch->quitting && r->err == PROTO_OK && now - sent >= 0 && now - sent < 5000)
        ch->skew_ms = r->result->u.ping.ts - (sent + now) / 2;
    chat_op_end(op, false);
}

void chat_meeting_clock(struct chat *ch)
{
    struct op *op = chat_op_new(ch, NULL);
    op->sent_ms = ui_now_ms();
    chat_request_quietly(op, PROTO_REQ_PING, on_ping);
}

static void on_joined_state(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    struct chat *ch = op->ch;
    (void)c;
    if (ch->quitting) {
        chat_op_end(op, false);
        return;
    }
    struct mtg_view *v = chat_view(ch, op->room, r->err == PROTO_OK);
    if (r->err == PROTO_OK) {
        if (v) {
            v->meeting = true;
            chat_meeting_show_state(ch, v, &r->result->u.meeting);
        }
    } else if (r->err == PROTO_E_NOT_A_MEETING || r->err == PROTO_E_NOT_MEMBER) {
        /* no longer a meeting room (or no longer ours): nothing to show */
        if (v) {
            mtg_view_reset(v);
            if (strcmp(op->room, ch->current) == 0)
                chat_update_prompt(ch);
        }
    } else if (r->err != PROTO_E_SERVER_BUSY) {
        /* server_busy: the link dropped; the next resync asks again */
        chat_show_error(op->room, r);
    }
    chat_op_end(op, false);
}

static void ask_state(struct chat *ch, const char *room, struct op *op)
{
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_MEETING_STATE;
    q.u.room.room = room;
    if (!op)
        op = chat_op_new(ch, room);
    else
        snprintf(op->room, sizeof op->room, "%s", room);
    if (hc_request(ch->c, &q, on_joined_state, op) < 0)
        chat_op_end(op, false);
}

void chat_meeting_joined(struct chat *ch, const struct proto_room *room, struct op *op)
{
    struct mtg_view *v = chat_view(ch, room->room, room->meeting);
    if (v) {
        if (!room->meeting)
            mtg_view_reset(v);
        v->meeting = room->meeting;
        v->role = room->role;
    }
    if (!room->meeting || !v) {
        if (op)
            chat_op_end(op, false);
        return;
    }
    ask_state(ch, v->room, op);
}

void chat_meeting_resync(struct chat *ch)
{
    for (size_t i = 0; i < ch->nviews; i++)
        if (ch->views[i].meeting && chat_is_joined(ch, ch->views[i].room))
            ask_state(ch, ch->views[i].room, NULL);
}

void chat_meeting_send_refused(struct chat *ch, const char *room, const struct hc_reply *r)
{
    if (r->err != PROTO_E_ONE_SPEAKER)
        return;
    struct mtg_view *v = chat_view(ch, room, false);
    const char *me = chat_me(ch);
    bool up = v && mtg_queue_pos(v, me) > 0;
    ui_line(UI_DIM, "%s%s", up ? "Your hand is up: wait for the chair to give you the floor."
                               : "Raise your hand with /hand to ask for the floor.",
            ch->tty ? " The Up arrow brings your line back." : "");
}
