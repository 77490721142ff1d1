/*
 * How replies and events look on the terminal:
 *   [lobby] 14:02 alice: hello
 *   [lobby] 14:02 #42 alice: hello       (a moderator's view: the seq /delete takes)
 *   [lobby] 14:03 * bob joined the room  (dim)
 *   [lobby] 14:04 A message was removed by a moderator.
 * A message from someone the reader blocks ("hidden") shows nothing.
 * Everything that came from other people goes through text_sanitize();
 * handles and room names through mtg_safe_name().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buddies.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fmt_room_event(const struct proto_room_event *ev, bool backlog, const char *me,
                    bool show_seq)
{
    char when[32], room[MTG_NAME], who[MTG_NAME], seq[32];
    text_time(ev->ts, now_ms(), when);
    mtg_safe_name(ev->room, room);
    mtg_safe_name(ev->handle ? ev->handle : "?", who);
    (void)backlog;
    bool mine = me && strcmp(me, who) == 0;
    if (ev->kind == PROTO_EV_MESSAGE && ev->hidden)
        return;   /* from someone the reader blocks: nothing, not even a placeholder */
    if (ev->kind == PROTO_EV_MESSAGE) {
        seq[0] = '\0';
        if (show_seq)
            snprintf(seq, sizeof seq, "#%llu ", (unsigned long long)ev->seq);
        if (ev->removed) {
            ui_line(UI_DIM, "[%s] %s %s%s: (removed by a moderator)", room, when, seq, who);
            return;
        }
        char *text = text_sanitize(ev->text, "    ");
        ui_line(UI_PLAIN, "%s[%s] %s %s%s%s%s%s: %s", ui_dim(), room, when, seq, ui_reset(),
                mine ? ui_bold() : ui_handle_color(who), who, ui_reset(), text ? text : "");
        free(text);
    } else if (ev->kind == PROTO_EV_REMOVED) {
        seq[0] = '\0';
        if (show_seq)
            snprintf(seq, sizeof seq, " (#%llu)", (unsigned long long)ev->target_seq);
        ui_line(UI_DIM, "[%s] %s A message was removed by a moderator.%s", room, when, seq);
    } else if (ev->kind == PROTO_EV_LEFT && ev->by_moderator) {
        ui_line(UI_DIM, "[%s] %s * %s %s removed from #%s by a moderator", room, when,
                mine ? "you" : who, mine ? "were" : "was", room);
    } else {
        ui_line(UI_DIM, "[%s] %s * %s %s", room, when, who,
                ev->kind == PROTO_EV_JOINED ? "joined the room" : "left the room");
    }
}

void fmt_room_line(const struct proto_room *r, const char *verb)
{
    char *title = text_sanitize(r->title, " ");
    char *topic = text_sanitize(r->topic, " ");
    const char *role = !r->joined ? ""
                       : r->role == PROTO_RROLE_HOST ? ", you host it"
                       : r->role == PROTO_RROLE_MODERATOR ? ", you moderate it" : "";
    char *mod = mod_settings_text(NULL, &r->mod, true);
    char keep[48];
    mtg_fmt_keep(r->retention_days, r->ephemeral, keep);
    ui_line(UI_PLAIN, "%s%s#%s%s  %s%s%s  %s(%u member%s, %u here%s%s%s%s%s%s%s%s)%s",
            verb ? verb : "", ui_bold(), r->room, ui_reset(), title ? title : "",
            topic && *topic ? " - " : "", topic ? topic : "", ui_dim(), r->members,
            r->members == 1 ? "" : "s", r->present,
            r->visibility == PROTO_VIS_INVITE ? ", invite only" : "",
            r->meeting ? ", meeting room" : "", mod ? ", " : "", mod ? mod : "",
            *keep ? ", " : "", keep,
            r->joined ? ", joined" : "", role, ui_reset());
    free(title);
    free(topic);
    free(mod);
}

void fmt_rooms(const struct proto_room *rooms, size_t n)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (rooms[i].kind != PROTO_KIND_ROOM)
            continue;   /* private conversations: on their own line */
        fmt_room_line(&rooms[i], "  ");
        shown++;
    }
    if (shown == 0)
        ui_line(UI_PLAIN, "No rooms yet. Create one with: create ROOM TITLE");
    char *conv = bud_conversations_text(rooms, n);
    if (conv)
        ui_line(UI_PLAIN, "%s", conv);
    free(conv);
}

void fmt_members(const char *label, const struct proto_member *m, size_t n)
{
    size_t cap = 64;
    for (size_t i = 0; i < n; i++)
        cap += strlen(m[i].handle ? m[i].handle : "") + 40;
    char *buf = malloc(cap);
    if (!buf)
        return;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *h = m[i].handle ? m[i].handle : "?";
        len += (size_t)snprintf(buf + len, cap - len, "%s%s%s%s (%s)", i ? ", " : "",
                                ui_handle_color(h), h, ui_reset(), fmt_status(m[i].status));
    }
    buf[len] = '\0';
    ui_line(UI_PLAIN, "People in %s (%zu): %s", label, n, buf);
    free(buf);
}

void fmt_error(const struct hc_reply *r, char *buf, size_t n)
{
    char *msg = text_sanitize(r->message ? r->message : proto_err_sentence(r->err), " ");
    const char *code = r->err_code ? r->err_code : proto_err_code(r->err);
    /* muted, slow_mode and newcomer_wait say how long in their sentence;
     * a suspension does not. */
    char wait[64] = "";
    if (r->err == PROTO_E_SUSPENDED && r->retry_after_ms > 0) {
        char span[32];
        mod_fmt_span(r->retry_after_ms, span);
        snprintf(wait, sizeof wait, " It ends in %s.", span);
    }
    snprintf(buf, n, "%s%s (%s)", msg ? msg : "", wait, code);
    free(msg);
}

const char *fmt_end_reason(const char *reason)
{
    if (!reason)
        return "it was ended";
    if (strcmp(reason, "logout") == 0)
        return "you logged out on another device";
    if (strcmp(reason, "password_changed") == 0)
        return "your password was changed";
    if (strcmp(reason, "expired") == 0)
        return "it expired or was revoked";
    if (strcmp(reason, "suspended") == 0)
        return "your account has been suspended";
    if (strcmp(reason, "account_deleted") == 0)
        return "your account was deleted";
    return "it was revoked";
}
