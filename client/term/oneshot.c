/*
 * One-shot commands: `hearth COMMAND ARGS`, one request, exit 0 on
 * success; on failure the server's sentence on stderr and exit 1 (2 for a
 * usage error). The client does not reconnect: a lost link is a failure
 * (but for `hearth sos`, whose wait rides it out: oneshot_sos.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "oneshot.h"

static void fail(struct os *s, const char *fmt, const char *arg)
{
    fputs("hearth: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    s->rc = 1;
}

void oneshot_finish(struct os *s, int rc)
{
    if (s->done)
        return;
    s->done = true;
    if (rc && !s->rc)
        s->rc = rc;
    sos_stop(s);
    hc_client_close(s->c, NULL, NULL);
}

/* help-now or sos could not ask the server: still say where help is. */
static void help_now_fallback(struct os *s)
{
    if (s->cmd == OS_HELP_NOW || s->cmd == OS_SOS)
        printf("%s\n", SAF_FALLBACK);
}

bool oneshot_reply_failed(struct os *s, const struct hc_reply *r)
{
    if (r->err == PROTO_OK)
        return false;
    char buf[600];
    fmt_error(r, buf, sizeof buf);
    fail(s, "%s", buf);
    help_now_fallback(s);
    oneshot_finish(s, 1);
    return true;
}

/* A room name as given ("#Porch"), folded for the sentences; as given
 * (made safe later) when it is not a name. */
static void room_name(const char *given, char out[PROTO_HANDLE_MAX + 1])
{
    out[0] = '\0';
    if (given && !proto_name_fold(given[0] == '#' ? given + 1 : given, out))
        snprintf(out, PROTO_HANDLE_MAX + 1, "%s", given);
}

/* Prints a sentence made by meeting.c, mod.c or safety.c and frees it
 * (NULL: out of memory, nothing). */
static void put_text(char *txt)
{
    if (txt)
        printf("%s\n", txt);
    free(txt);
}

static void show_reports(struct os *s, const struct proto_result *res)
{
    char room[PROTO_HANDLE_MAX + 1], about[PROTO_HANDLE_MAX + 16] = "";
    room_name(s->room, room);
    if (room[0])
        snprintf(about, sizeof about, " about #%s", room);
    if (res->u.reports.n == 0) {
        printf(s->all ? "No reports%s.\n" : "No open reports%s.\n", about);
        return;
    }
    for (size_t i = 0; i < res->u.reports.n; i++) {
        const struct proto_report *rep = &res->u.reports.reports[i];
        char *line = saf_report_entry(rep, ui_now_ms());
        char *ex = saf_report_excerpt(rep);
        if (line)
            printf("%s\n", line);
        if (ex)
            printf("      %s\n", ex);
        free(line);
        free(ex);
    }
}

static void save_cfg(struct os *s, int what)
{
    snprintf(s->cfg->server, sizeof s->cfg->server, "%s", s->o->server);
    int rc = cfg_update(s->cfgdir, s->cfg, what);
    if (rc < 0) {
        fprintf(stderr, "hearth: could not save the session in %s: %s\n", s->cfgdir,
                strerror(-rc));
        s->rc = 1;
    }
}

/* ------------------------------------------------------------ replies */

static void on_auth(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    if (oneshot_reply_failed(s, r))
        return;
    snprintf(s->cfg->token, sizeof s->cfg->token, "%s", hc_client_token(c));
    snprintf(s->cfg->handle, sizeof s->cfg->handle, "%s", hc_client_handle(c));
    save_cfg(s, CFG_AUTH);
    printf("%s as %s.\n", s->cmd == OS_REGISTER ? "Registered and signed in" : "Signed in",
           hc_client_handle(c));
    oneshot_finish(s, 0);
}

static void on_logout(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    if (r->err != PROTO_OK && r->err != PROTO_E_NOT_AUTHENTICATED && oneshot_reply_failed(s, r))
        return;
    save_cfg(s, CFG_FORGET);
    s->cfg->token[0] = '\0';
    printf("Signed out.\n");
    oneshot_finish(s, 0);
}

static void on_passwd(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    if (oneshot_reply_failed(s, r))
        return;
    if (hc_client_token(c))
        snprintf(s->cfg->token, sizeof s->cfg->token, "%s", hc_client_token(c));
    save_cfg(s, CFG_AUTH);
    printf("Password changed. Your other sessions were signed out.\n");
    oneshot_finish(s, 0);
}

/* A meeting command's reply: a sentence about what it did, then the
 * meeting as it is now. */
static void show_meeting(struct os *s, const struct proto_meeting *m, const char *me)
{
    struct mtg_view v;
    memset(&v, 0, sizeof v);
    mtg_safe_name(m->room, v.room);
    char *summary = mtg_update(&v, m, me, ui_now_ms());
    char nth[24];
    switch (s->cmd) {
    case OS_HAND:
        if (me && strcmp(v.speaker, me) == 0) {
            printf("You have the floor in #%s.\n", v.room);
        } else {
            mtg_fmt_ordinal(mtg_queue_pos(&v, me), nth);
            printf("Your hand is up in #%s (%s in line).\n", v.room, nth);
        }
        break;
    case OS_LOWER:
        printf("Your hand is down in #%s.\n", v.room);
        break;
    case OS_OPEN:
        printf("The meeting in #%s is open.\n", v.room);
        break;
    case OS_CLOSE:
        printf("The meeting in #%s is closed.\n", v.room);
        break;
    default:
        break;
    }
    if (summary && s->cmd != OS_CLOSE)
        printf("#%s: %s\n", v.room, summary);
    free(summary);
    mtg_view_reset(&v);
}

static void show_configured(struct os *s, const struct proto_room *room)
{
    char len[32], name[MTG_NAME];
    mtg_safe_name(room->room, name);
    printf("Configured #%s: %s.\n", name,
           room->meeting ? "a meeting room" : "not a meeting room");
    if (s->has_share) {
        mtg_fmt_length(s->share_seconds, len);
        printf("Shares last %s.\n", len);
    }
    if (s->format)
        printf(*s->format ? "The format text is saved.\n" : "The format text is cleared.\n");
    char *keep = mtg_keep_sentence(room, s->has_retention, s->has_ephemeral);
    if (keep)
        printf("%s\n", keep);
    free(keep);
}

/* room-settings without a change: the room's settings from the list. */
static void show_room_settings(struct os *s, const struct proto_room *rooms, size_t n)
{
    char want[PROTO_HANDLE_MAX + 1];
    if (!proto_name_fold(s->room[0] == '#' ? s->room + 1 : s->room, want))
        want[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (rooms[i].room && strcmp(rooms[i].room, want) == 0) {
            char *txt = mod_settings_text(NULL, &rooms[i].mod, false);
            printf("#%s: %s\n", want, txt ? txt : "");
            free(txt);
            return;
        }
    }
    fail(s, "There is no room called '%s'.", s->room);
    oneshot_finish(s, 1);
}

static void show_modlog(struct os *s, const struct proto_result *res)
{
    char room[PROTO_HANDLE_MAX + 1];
    room_name(s->room, room);
    if (res->u.modlog.n == 0)
        printf("Nothing in the moderation log of #%s yet.\n", room);
    for (size_t i = 0; i < res->u.modlog.n; i++) {
        char *line = mod_audit_line(&res->u.modlog.entries[i], room, ui_now_ms());
        if (line)
            printf("%s\n", line);
        free(line);
    }
    if (res->u.modlog.has_more)
        printf("(older entries not shown: --limit %u shows more)\n", (unsigned)PROTO_HISTORY_MAX);
}

static void on_done(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct os *s = ud;
    if (oneshot_reply_failed(s, r))
        return;
    const struct proto_result *res = r->result;
    switch (s->cmd) {
    case OS_ROOMS:
        fmt_rooms(res->u.list.rooms, res->u.list.n);
        break;
    case OS_CREATE:
        fmt_room_line(&res->u.create.room, "Created ");
        break;
    case OS_JOIN:
        fmt_room_line(&res->u.join.room, "Joined ");
        break;
    case OS_LEAVE:
        printf("Left #%s.\n", s->room);
        break;
    case OS_HISTORY:
        /* #SEQ before each message, for everyone: the number `report` takes. */
        if (res->u.history.truncated)
            ui_line(UI_DIM, "(older messages were removed by the server's retention rules)");
        for (size_t i = 0; i < res->u.history.n; i++)
            fmt_room_event(&res->u.history.events[i], true, hc_client_handle(c), true);
        if (res->u.history.n == 0)
            printf("No messages in #%s yet.\n", s->room);
        break;
    case OS_WHO: {
        char label[BUD_LABEL];
        snprintf(label, sizeof label, "#%s", s->room);
        fmt_members(label, res->u.members.members, res->u.members.n);
        break;
    }
    case OS_STATUS:
        printf("Your status is now %s.\n", fmt_status(s->status));
        break;
    case OS_INVITE: {
        char room[PROTO_HANDLE_MAX + 1];
        room_name(s->room, room);
        put_text(sch_invite_made_text(room, res->u.invite.code, res->u.invite.expires_at,
                                      (uint32_t)s->uses, ui_now_ms()));
        break;
    }
    case OS_MEETING:
    case OS_HAND:
    case OS_LOWER:
    case OS_OPEN:
    case OS_CLOSE:
        show_meeting(s, &res->u.meeting, hc_client_handle(c));
        break;
    case OS_CONFIGURE:
        show_configured(s, &res->u.configure.room);
        break;
    case OS_ATTENDANCE:
        put_text(mtg_attendance_text(res->u.attendance.weeks, res->u.attendance.n,
                                     mtg_local_year(time(NULL))));
        break;
    case OS_MEETINGS: {
        char zone[SCH_ZONE];
        sch_local_zone(zone);
        put_text(sch_upcoming_text(res->u.upcoming.meetings, res->u.upcoming.n, (uint32_t)s->days,
                                   zone, ui_now_ms(), ui_utf8()));
        break;
    }
    case OS_MODLOG:
        show_modlog(s, res);
        break;
    case OS_ROOM_SETTINGS:
        if (res->type == PROTO_REQ_ROOM_LIST) {
            show_room_settings(s, res->u.list.rooms, res->u.list.n);
        } else {
            char *txt = mod_settings_text(NULL, &res->u.modset.settings, false);
            char name[MTG_NAME];
            mtg_safe_name(s->modset.u.modset.room, name);
            printf("#%s: %s\n", name, txt ? txt : "");
            free(txt);
        }
        break;
    case OS_MUTE:
    case OS_UNMUTE:
    case OS_KICK:
    case OS_BAN:
    case OS_UNBAN:
    case OS_DELETE:
    case OS_SUSPEND:
    case OS_UNSUSPEND: {
        char room[PROTO_HANDLE_MAX + 1];
        room_name(s->room, room);
        put_text(mod_done_text(res->type, room, s->handle_f, s->minutes ? s->minutes : s->days,
                               s->seq));
        break;
    }
    case OS_BLOCK:
    case OS_UNBLOCK:
        put_text(saf_block_done_text(s->cmd == OS_BLOCK, s->handle_f));
        break;
    case OS_BLOCKS:
        put_text(saf_blocks_text(res->u.blocks.handles, res->u.blocks.n));
        break;
    case OS_REPORT:
    case OS_REPORT_PERSON: {
        char room[PROTO_HANDLE_MAX + 1];
        room_name(s->room, room);
        put_text(saf_report_done_text(res->u.report.id, room, s->seq,
                                      s->cmd == OS_REPORT_PERSON ? s->handle_f : NULL));
        break;
    }
    case OS_REPORTS:
        show_reports(s, res);
        break;
    case OS_RESOLVE:
        put_text(saf_resolve_done_text(s->report_id, s->outcome));
        break;
    case OS_PING:
        put_text(bud_ping_sent_text(&res->u.sent_ping.ping));
        break;
    case OS_BUDDIES:
        put_text(bud_list_text(res, ui_now_ms()));
        break;
    case OS_HELP_NOW: {
        char *txt = saf_resources_text(res->u.safety.notice, res->u.safety.resources,
                                       res->u.safety.n);
        if (txt)
            printf("%s\n", txt);
        else
            printf("%s\n", SAF_FALLBACK);
        free(txt);
        break;
    }
    default:
        break;
    }
    oneshot_finish(s, 0);
}

/* ---------------------------------------------------------- requests */
static void run(struct os *s)
{
    struct hc_client *c = s->c;
    struct proto_request q;
    memset(&q, 0, sizeof q);
    int rc = 0;
    s->started = true;
    switch (s->cmd) {
    case OS_REGISTER:
        rc = hc_register(c, s->handle, s->pw, s->invite, on_auth, s);
        break;
    case OS_LOGIN:
        rc = hc_login(c, s->handle, s->pw, on_auth, s);
        break;
    case OS_LOGOUT:
        rc = hc_logout(c, on_logout, s);
        break;
    case OS_PASSWD:
        q.type = PROTO_REQ_AUTH_PASSWORD;
        q.u.password.old_password = s->pw;
        q.u.password.new_password = s->pw_new;
        rc = hc_request(c, &q, on_passwd, s);
        break;
    case OS_JOIN:
        rc = hc_join(c, s->room, s->invite, 0, on_done, s);
        break;
    case OS_LEAVE:
        rc = hc_leave(c, s->room, on_done, s);
        break;
    case OS_SEND:
        rc = hc_send(c, s->room, s->text, on_done, s);
        break;
    case OS_SOS:
        rc = sos_run(s);
        break;
    case OS_CHECKIN:
        rc = checkin_run(s);
        break;
    case OS_EXPORT:
        rc = export_run(s);
        break;
    default:
        if (oneshot_fill_request(s, &q))
            rc = hc_request(c, &q, on_done, s);
        break;
    }
    if (rc < 0) {
        fail(s, "could not send the request: %s", strerror(-rc));
        help_now_fallback(s);
        oneshot_finish(s, 1);
    }
}

/* Commands that run without the saved session: register and login sign
 * in; help-now must work for anyone, signed in or not. */
static bool signed_out_cmd(enum os_cmd cmd)
{
    return cmd == OS_REGISTER || cmd == OS_LOGIN || cmd == OS_HELP_NOW;
}

static void on_state(struct hc_client *c, enum hc_state st, int64_t retry, void *ud)
{
    struct os *s = ud;
    if (s->done || (s->cmd == OS_SOS && sos_state(s, st, retry)))
        return;
    bool anon = signed_out_cmd(s->cmd);
    if (st == HC_CONNECTED) {
        s->ever_connected = true;
        if (anon && !s->started)
            run(s);
    } else if (st == HC_READY) {
        if (!anon && !s->started)
            run(s);
    } else if (st == HC_DISCONNECTED) {
        const char *why = hc_client_last_error(c);
        if (!s->ever_connected)
            fprintf(stderr, "hearth: Could not connect to the server at %s (%s).\n", s->o->server,
                    why ? why : "no reason given");
        else
            fprintf(stderr, "hearth: The connection to the server was lost (%s).\n",
                    why ? why : "no reason given");
        help_now_fallback(s);
        s->rc = 1;
        oneshot_finish(s, 1);
    }
}

/* The safety messages meant for a person are shown here too: the notice
 * comes once per account (a `hearth join` may be the only time), and a
 * check-in answers what `hearth send` just said. So is what is kept while
 * one was away (pings, buddies' shared check-ins, one's milestones, the
 * welcome back after a quiet spell): the server sends it to the first
 * connection that signs in, this one too, and not again (oneshot_checkin.c
 * prints the check-in ones). Other events are for the interactive client. */
static void on_event(struct hc_client *c, const struct proto_event *ev, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done)
        return;
    char *txt = NULL;
    if (ev->type == PROTO_EVT_SAFETY_NOTICE) {
        txt = saf_resources_text(ev->u.safety.text, ev->u.safety.resources, ev->u.safety.n);
        put_text(txt);
        printf("(`hearth help-now` shows this again at any time.)\n");
    } else if (ev->type == PROTO_EVT_SAFETY_CHECK_IN) {
        txt = saf_check_in_text(ev->u.safety.text, ev->u.safety.resources, ev->u.safety.n,
                                ev->u.safety.room, ui_utf8(), "`hearth help-now`");
        put_text(txt);
    } else if (ev->type == PROTO_EVT_SUPPORT_UPDATE && s->cmd == OS_SOS) {
        sos_event(s, ev);
    } else if (ev->type == PROTO_EVT_BUDDY_PING) {
        txt = bud_ping_received_text(&ev->u.ping, ui_now_ms());
        put_text(bud_alert_line(txt ? txt : "", false));
        free(txt);
    } else {
        checkin_event(s, ev);
    }
}

static void on_ended(struct hc_client *c, const char *reason, void *ud)
{
    struct os *s = ud;
    (void)c;
    if (s->done)
        return;
    bool gone = reason && strcmp(reason, "account_deleted") == 0;
    if (gone)
        fprintf(stderr, "hearth: Your account was deleted (on another device).\n");
    else if (reason && strcmp(reason, "suspended") == 0)
        fprintf(stderr, "hearth: Your account has been suspended. You are signed out.\n");
    else
        fprintf(stderr, "hearth: Your session ended: %s. Sign in again with `hearth login %s`.\n",
                fmt_end_reason(reason), s->cfg->handle[0] ? s->cfg->handle : "HANDLE");
    save_cfg(s, gone ? CFG_GONE : CFG_FORGET);
    s->cfg->token[0] = '\0';
    oneshot_finish(s, 1);
}

int oneshot_main(uv_loop_t *loop, const struct term_opts *o, struct hearth_cfg *cfg,
                 const char *cfgdir, int argc, char **argv)
{
    struct os s;
    memset(&s, 0, sizeof s);
    s.loop = loop;
    s.o = o;
    s.cfg = cfg;
    s.cfgdir = cfgdir;
    int rc = oneshot_parse(&s, argc, argv);
    if (rc)
        goto out;

    bool anon = s.cmd == OS_REGISTER || s.cmd == OS_LOGIN;
    bool signed_out = signed_out_cmd(s.cmd);
    if (!signed_out && !cfg->token[0]) {
        fprintf(stderr, "hearth: You are not signed in. Run `hearth login HANDLE` "
                        "(or `hearth register HANDLE`) first.\n");
        rc = 1;
        goto out;
    }
    if (anon) {
        s.pw = secret_read("Password: ");
        if (s.pw && s.cmd == OS_REGISTER && isatty(0)) {
            char *again = secret_read("Password again: ");
            if (!again || strcmp(again, s.pw) != 0) {
                secret_wipe(again);
                fprintf(stderr, "hearth: The passwords do not match.\n");
                rc = 1;
                goto out;
            }
            secret_wipe(again);
        }
    } else if (s.cmd == OS_PASSWD) {
        s.pw = secret_read("Current password: ");
        s.pw_new = s.pw ? secret_read("New password: ") : NULL;
        if (s.pw_new && isatty(0)) {
            char *again = secret_read("New password again: ");
            if (!again || strcmp(again, s.pw_new) != 0) {
                secret_wipe(again);
                fprintf(stderr, "hearth: The new passwords do not match.\n");
                rc = 1;
                goto out;
            }
            secret_wipe(again);
        }
        if (!s.pw_new) {
            secret_wipe(s.pw);
            s.pw = NULL;
        }
    }
    if (s.cmd == OS_EXPORT && (rc = export_check(&s)) != 0)
        goto out;
    if ((anon || s.cmd == OS_PASSWD) && !s.pw) {
        fprintf(stderr, "hearth: No password given.\n");
        rc = 1;
        goto out;
    }

    struct hc_options opt;
    memset(&opt, 0, sizeof opt);
    opt.url = o->server;
    opt.token = signed_out ? NULL : cfg->token;
    opt.ca_file = o->ca_file;
    opt.tls_insecure = o->tls_insecure;
    opt.reconnect = s.cmd == OS_SOS;   /* a wait rides out a dropped link */
    opt.cb.on_state = on_state;
    opt.cb.on_session_ended = on_ended;
    opt.cb.on_event = on_event;
    opt.ud = &s;
    rc = hc_client_new(loop, &opt, &s.c);
    if (rc < 0) {
        fprintf(stderr, "hearth: Cannot use the server address '%s': %s\n", o->server,
                rc == -EINVAL ? "give it as http(s)://HOST[:PORT] or ws(s)://HOST[:PORT]"
                              : strerror(-rc));
        help_now_fallback(&s);
        rc = 1;
        goto out;
    }
    uv_run(loop, UV_RUN_DEFAULT);
    rc = s.rc;
out:
    secret_wipe(s.pw);
    secret_wipe(s.pw_new);
    free(s.text);
    free(s.format);
    bud_ping_args_free(&s.ping);
    sup_sos_args_free(&s.sos);
    ci_args_free(&s.checkin);
    free(s.export_path);
    acct_export_free(&s.exp);
    return rc;
}
