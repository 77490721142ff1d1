/*
 * A one-shot command's command line: its words and options (usage errors
 * exit 2), and the request it makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oneshot.h"

static const char *const names[OS__COUNT] = {
    "register", "login", "logout", "passwd", "rooms", "create", "join",
    "leave",    "send",  "history", "who",   "status", "invite",
    "meeting",  "hand",  "lower",  "open",   "close",  "configure", "attendance", "meetings",
    "mute",     "unmute", "kick",  "ban",    "unban",  "delete", "modlog", "suspend",
    "unsuspend", "room-settings",
    "block",    "unblock", "blocks", "report", "report-person", "reports", "resolve",
    "help-now", "ping", "buddies", "sos", "checkin", "export",
};

bool oneshot_known(const char *cmd)
{
    for (int i = 0; i < OS__COUNT; i++)
        if (strcmp(cmd, names[i]) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ parsing */

static int usage(const char *fmt, const char *arg)
{
    fputs("hearth: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nRun `hearth --help` for the commands.\n", stderr);
    return 2;
}

/* A handle as typed ("@" before it allowed), folded; false when it is
 * not one. */
static bool handle_word(const char *w, char out[PROTO_HANDLE_MAX + 1])
{
    return proto_name_fold(w[0] == '@' ? w + 1 : w, out);
}

static char *join_words(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* `ping HANDLE [WORD|TEXT...]`: the words joined, read as /ping reads them. */
static int parse_ping(struct os *s, int npos, char **pos)
{
    char *words = join_words(npos, pos);
    enum bud_parse rc = words ? bud_parse_ping(words, &s->ping) : BUD_NO_MEMORY;
    free(words);
    if (rc == BUD_LONG_TEXT)
        return usage("A ping's words are at most 500 characters%s.", "");
    if (rc == BUD_NO_MEMORY)
        return usage("out of memory%s.", "");
    if (rc != BUD_OK)
        return usage("usage: hearth ping HANDLE [thinking|call|struggling|TEXT...]%s", "");
    return 0;
}

/* `sos [talk|craving|crisis] [NOTE...]`: the words joined, read as /sos
 * reads them; withdrawing and ending are the interactive client's. */
static int parse_sos(struct os *s, int npos, char **pos)
{
    char *words = join_words(npos, pos);
    enum sup_parse rc = words ? sup_parse_sos(words, &s->sos) : SUP_NO_MEMORY;
    free(words);
    if (rc == SUP_OK && s->sos.verb != SUP_ASK)
        return usage("`hearth sos` asks for support; to withdraw or end a request, run `hearth` "
                     "and type /sos cancel or /sos end%s.", "");
    if (rc != SUP_OK)
        return usage("%s", sup_parse_error(rc, true));
    return 0;
}

/* `checkin --mood N [--craving N] [--signs LIST] [--grateful TEXT] ...`. */
static int parse_checkin(struct os *s, int argc, char **argv)
{
    enum ci_parse rc = ci_parse_argv(argc, argv, &s->checkin);
    return rc == CI_OK ? 0 : usage("%s", ci_parse_error(rc, true));
}

/* Splits argv into positional words and the options each command takes. */
int oneshot_parse(struct os *s, int argc, char **argv)
{
    for (int i = 0; i < OS__COUNT; i++)
        if (strcmp(argv[0], names[i]) == 0)
            s->cmd = (enum os_cmd)i;
    if (s->cmd == OS_CHECKIN)
        return parse_checkin(s, argc - 1, argv + 1);
    char *pos[CMD_MAX_ARGS];
    int npos = 0;
    s->limit = 20;
    s->weeks = MTG_WEEKS_DEFAULT;
    s->hours = SCH_INVITE_HOURS_DEFAULT;
    if (s->cmd == OS_MEETINGS)
        s->days = PROTO_UPCOMING_DAYS_DEFAULT;
    s->wait_minutes = SUP_WAIT_MINUTES_DEFAULT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            while (++i < argc && npos < CMD_MAX_ARGS)
                pos[npos++] = argv[i];
            break;
        } else if (strcmp(a, "--topic") == 0 && s->cmd == OS_CREATE && more) {
            s->topic = argv[++i];
        } else if (strcmp(a, "--invite-only") == 0 && s->cmd == OS_CREATE) {
            s->invite_only = true;
        } else if (strcmp(a, "--invite") == 0 && (s->cmd == OS_JOIN || s->cmd == OS_REGISTER) &&
                   more) {
            s->invite = argv[++i];
        } else if (strcmp(a, "--limit") == 0 && (s->cmd == OS_HISTORY || s->cmd == OS_MODLOG) &&
                   more) {
            if (!cmd_parse_uint(argv[++i], 1, PROTO_HISTORY_MAX, &s->limit))
                return usage("--limit takes a number from 1 to 100, not '%s'.", argv[i]);
        } else if (strcmp(a, "--weeks") == 0 && s->cmd == OS_ATTENDANCE && more) {
            if (!cmd_parse_uint(argv[++i], 1, MTG_WEEKS_MAX, &s->weeks))
                return usage("--weeks takes a number from 1 to 52, not '%s'.", argv[i]);
        } else if (strcmp(a, "--minutes") == 0 && (s->cmd == OS_MUTE || s->cmd == OS_BAN) &&
                   more) {
            if (!cmd_parse_uint(argv[++i], 1, MOD_MINUTES_MAX, &s->minutes))
                return usage("--minutes takes a number from 1 to 525600, not '%s'.", argv[i]);
        } else if (strcmp(a, "--days") == 0 && (s->cmd == OS_SUSPEND || s->cmd == OS_MEETINGS) &&
                   more) {
            bool suspend = s->cmd == OS_SUSPEND;
            if (!cmd_parse_uint(argv[++i], 1, suspend ? MOD_DAYS_MAX : PROTO_UPCOMING_DAYS_MAX,
                                &s->days))
                return usage(suspend ? "--days takes a number from 1 to 3650, not '%s'."
                                     : "--days takes a number from 1 to 14, not '%s'.",
                             argv[i]);
        } else if (strcmp(a, "--wait") == 0 && s->cmd == OS_SOS && more) {
            if (!cmd_parse_uint(argv[++i], 0, SUP_WAIT_MINUTES_MAX, &s->wait_minutes))
                return usage("--wait takes minutes from 0 to 60, not '%s'.", argv[i]);
        } else if (strcmp(a, "--hours") == 0 && s->cmd == OS_INVITE && more) {
            if (!cmd_parse_uint(argv[++i], 1, SCH_INVITE_HOURS_MAX, &s->hours))
                return usage("--hours takes a number from 1 to 720, not '%s'.", argv[i]);
        } else if (strcmp(a, "--uses") == 0 && s->cmd == OS_INVITE && more) {
            if (!cmd_parse_uint(argv[++i], 1, SCH_INVITE_USES_MAX, &s->uses))
                return usage("--uses takes a number from 1 to 1000, not '%s'.", argv[i]);
        } else if (strcmp(a, "--reason") == 0 && more &&
                   (s->cmd == OS_MUTE || s->cmd == OS_UNMUTE || s->cmd == OS_KICK ||
                    s->cmd == OS_BAN || s->cmd == OS_UNBAN || s->cmd == OS_DELETE ||
                    s->cmd == OS_SUSPEND || s->cmd == OS_UNSUSPEND)) {
            s->reason = argv[++i];
            long chars = proto_utf8_chars(s->reason, strlen(s->reason));
            if (chars < 0 || chars > PROTO_REASON_MAX)
                return usage("--reason takes at most 500 characters of UTF-8 text%s.", "");
        } else if (strcmp(a, "--room") == 0 && s->cmd == OS_REPORT_PERSON && more) {
            s->room = argv[++i];
        } else if (strcmp(a, "--all") == 0 && s->cmd == OS_REPORTS) {
            s->all = true;
        } else if (strcmp(a, "--note") == 0 && s->cmd == OS_RESOLVE && more) {
            s->note = argv[++i];
            long chars = proto_utf8_chars(s->note, strlen(s->note));
            if (chars < 0 || chars > PROTO_REASON_MAX)
                return usage("--note takes at most 500 characters of UTF-8 text%s.", "");
        } else if (s->cmd == OS_ROOM_SETTINGS && (strcmp(a, "--lock") == 0 ||
                                                  strcmp(a, "--unlock") == 0)) {
            s->modset.u.modset.has_locked = true;
            s->modset.u.modset.set.locked = a[2] == 'l';
        } else if (s->cmd == OS_ROOM_SETTINGS && more &&
                   (strcmp(a, "--slow") == 0 || strcmp(a, "--limit") == 0 ||
                    strcmp(a, "--newcomer") == 0)) {
            unsigned long v;
            struct proto_mod_settings *set = &s->modset.u.modset.set;
            const char *val = argv[++i];
            if (a[2] == 's') {
                if (!mod_parse_setting(val, MOD_SLOW_MAX, &v))
                    return usage("--slow takes seconds from 0 to 3600 (0: off), not '%s'.", val);
                s->modset.u.modset.has_slow = true;
                set->slow_seconds = (uint32_t)v;
            } else if (a[2] == 'l') {
                if (!mod_parse_setting(val, MOD_LIMIT_MAX, &v))
                    return usage("--limit takes a number from 0 to 100000 (0: none), not '%s'.",
                                 val);
                s->modset.u.modset.has_limit = true;
                set->member_limit = (uint32_t)v;
            } else {
                if (!mod_parse_setting(val, MOD_NEWCOMER_MAX, &v))
                    return usage("--newcomer takes seconds from 0 to 86400 (0: off), not '%s'.",
                                 val);
                s->modset.u.modset.has_newcomer = true;
                set->newcomer_seconds = (uint32_t)v;
            }
        } else if (strcmp(a, "--meeting") == 0 && s->cmd == OS_CONFIGURE && more) {
            s->has_meeting = true;
            if (!mtg_parse_onoff(argv[++i], &s->meeting))
                return usage("--meeting takes on or off, not '%s'.", argv[i]);
        } else if (strcmp(a, "--share") == 0 && s->cmd == OS_CONFIGURE && more) {
            s->has_share = true;
            if (!mtg_parse_minutes(argv[++i], &s->share_seconds))
                return usage("--share takes minutes from 1 to 30 (or M:SS), not '%s'.", argv[i]);
        } else if (strcmp(a, "--retention") == 0 && s->cmd == OS_CONFIGURE && more) {
            s->has_retention = true;
            if (!mtg_parse_retention(argv[++i], &s->retention_days))
                return usage("--retention takes days from 0 to 3650 (0: keep messages), not "
                             "'%s'.", argv[i]);
        } else if (strcmp(a, "--ephemeral") == 0 && s->cmd == OS_CONFIGURE && more) {
            s->has_ephemeral = true;
            if (!mtg_parse_onoff(argv[++i], &s->ephemeral))
                return usage("--ephemeral takes on or off, not '%s'.", argv[i]);
        } else if (strcmp(a, "--format") == 0 && s->cmd == OS_CONFIGURE && more) {
            free(s->format);
            s->format = mtg_unescape(argv[++i]);
            if (!s->format)
                return usage("out of memory%s.", "");
        } else if (a[0] == '-' && a[1] == '-' && s->cmd != OS_SEND && s->cmd != OS_SOS) {
            return usage("unknown option '%s' for this command.", a);
        } else if (npos < CMD_MAX_ARGS) {
            pos[npos++] = argv[i];
        } else {
            return usage("too many words%s.", "");
        }
    }
    switch (s->cmd) {
    case OS_REGISTER:
    case OS_LOGIN:
        if (npos != 1)
            return usage("usage: hearth %s HANDLE", names[s->cmd]);
        s->handle = pos[0];
        break;
    case OS_LOGOUT:
    case OS_PASSWD:
    case OS_ROOMS:
    case OS_BLOCKS:
    case OS_HELP_NOW:
    case OS_BUDDIES:
        if (npos != 0)
            return usage("'%s' takes no arguments.", names[s->cmd]);
        break;
    case OS_ATTENDANCE:
        if (npos != 0)
            return usage("usage: hearth attendance [--weeks N]%s", "");
        break;
    case OS_MEETINGS:
        if (npos != 0)
            return usage("usage: hearth meetings [--days N]%s", "");
        break;
    case OS_EXPORT:
        /* The shell has expanded "~"; the file is checked before connecting. */
        if (npos != 1 || !pos[0][0])
            return usage("usage: hearth export FILE (a new file: it is never written over)%s",
                         "");
        s->export_path = strdup(pos[0]);
        if (!s->export_path)
            return usage("out of memory%s.", "");
        break;
    case OS_INVITE:
        if (npos != 1)
            return usage("usage: hearth invite ROOM [--hours H] [--uses N]%s", "");
        s->room = pos[0];
        break;
    case OS_CREATE:
        if (npos < 2)
            return usage("usage: hearth create ROOM TITLE [--topic TOPIC] [--invite-only]%s", "");
        s->room = pos[0];
        s->text = join_words(npos - 1, pos + 1);
        break;
    case OS_SEND:
        if (npos < 2)
            return usage("usage: hearth send ROOM TEXT...%s", "");
        s->room = pos[0];
        s->text = join_words(npos - 1, pos + 1);
        break;
    case OS_STATUS:
        if (npos != 1 || !cmd_parse_status(pos[0], &s->status))
            return usage("usage: hearth status available|away|busy|invisible%s", "");
        break;
    case OS_CONFIGURE:
        if (npos != 1 || (!s->has_meeting && !s->format && !s->has_share &&
                          !s->has_retention && !s->has_ephemeral))
            return usage("usage: hearth configure ROOM [--meeting on|off] [--format TEXT] "
                         "[--share MINUTES] [--retention DAYS] [--ephemeral on|off]%s", "");
        s->room = pos[0];
        break;
    case OS_MUTE:
    case OS_UNMUTE:
    case OS_KICK:
    case OS_BAN:
    case OS_UNBAN: {
        static const char *const use[] = {
            [OS_MUTE] = "mute ROOM HANDLE [--minutes N] [--reason TEXT]",
            [OS_UNMUTE] = "unmute ROOM HANDLE",
            [OS_KICK] = "kick ROOM HANDLE [--reason TEXT]",
            [OS_BAN] = "ban ROOM HANDLE [--minutes N] [--reason TEXT]",
            [OS_UNBAN] = "unban ROOM HANDLE",
        };
        if (npos != 2)
            return usage("usage: hearth %s", use[s->cmd]);
        s->room = pos[0];
        if (!handle_word(pos[1], s->handle_f))
            return usage("'%s' is not a handle (3-32 of a-z 0-9 _ -).", pos[1]);
        break;
    }
    case OS_DELETE: {
        unsigned long seq;
        const char *d = npos == 2 && pos[1][0] == '#' ? pos[1] + 1 : npos == 2 ? pos[1] : "";
        if (npos != 2 || !cmd_parse_uint(d, 1, 0xFFFFFFFFFFFFFUL, &seq))
            return usage("usage: hearth delete ROOM SEQ [--reason TEXT] (SEQ: the message's "
                         "number, shown as #SEQ by `hearth history`)%s", "");
        s->room = pos[0];
        s->seq = seq;
        break;
    }
    case OS_SUSPEND:
    case OS_UNSUSPEND:
        if (npos != 1)
            return usage("usage: hearth %s", s->cmd == OS_SUSPEND
                                                 ? "suspend HANDLE [--days N] [--reason TEXT]"
                                                 : "unsuspend HANDLE");
        if (!handle_word(pos[0], s->handle_f))
            return usage("'%s' is not a handle (3-32 of a-z 0-9 _ -).", pos[0]);
        break;
    case OS_BLOCK:
    case OS_UNBLOCK:
        if (npos != 1)
            return usage("usage: hearth %s HANDLE", names[s->cmd]);
        if (!handle_word(pos[0], s->handle_f))
            return usage("'%s' is not a handle (3-32 of a-z 0-9 _ -).", pos[0]);
        break;
    case OS_REPORT:
    case OS_REPORT_PERSON: {
        bool msg = s->cmd == OS_REPORT;
        if (npos < (msg ? 3 : 2))
            return usage(msg ? "usage: hearth report ROOM SEQ REASON... (SEQ: the message's "
                               "number, shown as #SEQ by `hearth history ROOM`)%s"
                             : "usage: hearth report-person HANDLE REASON... [--room ROOM]%s",
                         "");
        if (msg) {
            unsigned long seq;
            const char *d = pos[1][0] == '#' ? pos[1] + 1 : pos[1];
            if (!cmd_parse_uint(d, 1, 0xFFFFFFFFFFFFFUL, &seq))
                return usage("'%s' is not a message number (SEQ: shown as #SEQ by `hearth "
                             "history ROOM`).", pos[1]);
            s->room = pos[0];
            s->seq = seq;
        } else if (!handle_word(pos[0], s->handle_f)) {
            return usage("'%s' is not a handle (3-32 of a-z 0-9 _ -).", pos[0]);
        }
        int first = msg ? 2 : 1;
        s->text = join_words(npos - first, pos + first);
        if (!s->text)
            return usage("out of memory%s.", "");
        long chars = proto_utf8_chars(s->text, strlen(s->text));
        if (chars < 1 || chars > PROTO_REASON_MAX)
            return usage("A reason is 1 to 500 characters of UTF-8 text%s.", "");
        break;
    }
    case OS_PING:
        return parse_ping(s, npos, pos);
    case OS_SOS:
        return parse_sos(s, npos, pos);
    case OS_REPORTS:
        if (npos > 1)
            return usage("usage: hearth reports [ROOM] [--all]%s", "");
        s->room = npos ? pos[0] : NULL;
        break;
    case OS_RESOLVE:
        if (npos != 2 || !saf_parse_id(pos[0], &s->report_id) ||
            !saf_parse_outcome(pos[1], &s->outcome))
            return usage("usage: hearth resolve ID actioned|dismissed [--note TEXT] (ID: the "
                         "report's number, from `hearth reports`)%s", "");
        break;
    case OS_ROOM_SETTINGS:
        if (npos != 1)
            return usage("usage: hearth room-settings ROOM [--slow S] [--lock|--unlock] "
                         "[--limit N] [--newcomer S]%s", "");
        s->room = pos[0];
        s->modset.type = PROTO_REQ_MOD_SETTINGS;
        s->modset.u.modset.room = pos[0];
        break;
    default:   /* join, leave, history, who, meeting, hand, lower, open, close, modlog */
        if (npos != 1)
            return usage("usage: hearth %s ROOM", names[s->cmd]);
        s->room = pos[0];
        break;
    }
    return 0;
}

/* ---------------------------------------------------------- requests */

/* The moderation commands that act on a person or a message (mute ...
 * unsuspend), and the request each one makes. */
static const enum proto_req_type mod_request[OS__COUNT] = {
    [OS_MUTE] = PROTO_REQ_MOD_MUTE,     [OS_UNMUTE] = PROTO_REQ_MOD_UNMUTE,
    [OS_KICK] = PROTO_REQ_MOD_REMOVE,   [OS_BAN] = PROTO_REQ_MOD_BAN,
    [OS_UNBAN] = PROTO_REQ_MOD_UNBAN,   [OS_DELETE] = PROTO_REQ_MOD_DELETE,
    [OS_SUSPEND] = PROTO_REQ_MOD_SUSPEND, [OS_UNSUSPEND] = PROTO_REQ_MOD_UNSUSPEND,
};

bool oneshot_fill_request(struct os *s, struct proto_request *q)
{
    switch (s->cmd) {
    case OS_ROOMS:
        q->type = PROTO_REQ_ROOM_LIST;
        return true;
    case OS_CREATE:
        q->type = PROTO_REQ_ROOM_CREATE;
        q->u.create.room = s->room;
        q->u.create.title = s->text;
        q->u.create.topic = s->topic ? s->topic : "";
        q->u.create.visibility = s->invite_only ? PROTO_VIS_INVITE : PROTO_VIS_OPEN;
        return true;
    case OS_HISTORY:
        q->type = PROTO_REQ_ROOM_HISTORY;
        q->u.history.room = s->room;
        q->u.history.limit = (uint32_t)s->limit;
        return true;
    case OS_WHO:
        q->type = PROTO_REQ_ROOM_MEMBERS;
        q->u.room.room = s->room;
        return true;
    case OS_INVITE:
        q->type = PROTO_REQ_ROOM_INVITE;
        q->u.invite.room = s->room;
        q->u.invite.hours = (uint32_t)s->hours;
        q->u.invite.uses = (uint32_t)s->uses;
        return true;
    case OS_STATUS:
        q->type = PROTO_REQ_PRESENCE_SET;
        q->u.presence.status = s->status;
        return true;
    case OS_MEETING:
    case OS_OPEN:
    case OS_CLOSE:
        q->type = s->cmd == OS_OPEN    ? PROTO_REQ_MEETING_OPEN
                  : s->cmd == OS_CLOSE ? PROTO_REQ_MEETING_CLOSE
                                       : PROTO_REQ_MEETING_STATE;
        q->u.room.room = s->room;
        return true;
    case OS_HAND:
    case OS_LOWER:
        q->type = PROTO_REQ_MEETING_HAND;
        q->u.hand.room = s->room;
        q->u.hand.raised = s->cmd == OS_HAND;
        return true;
    case OS_CONFIGURE:
        q->type = PROTO_REQ_ROOM_CONFIGURE;
        q->u.configure.room = s->room;
        q->u.configure.has_meeting = s->has_meeting;
        q->u.configure.meeting = s->meeting;
        q->u.configure.format = s->format;
        q->u.configure.has_share = s->has_share;
        q->u.configure.share_seconds = s->share_seconds;
        q->u.configure.has_retention = s->has_retention;
        q->u.configure.retention_days = s->retention_days;
        q->u.configure.has_ephemeral = s->has_ephemeral;
        q->u.configure.ephemeral = s->ephemeral;
        return true;
    case OS_ATTENDANCE: {
        int32_t offset = 0;   /* weeks start on Monday in local time; UTC when unknown */
        if (!mtg_utc_offset(time(NULL), &offset))
            offset = 0;
        q->type = PROTO_REQ_MEETING_ATTENDANCE;
        q->u.attendance.utc_offset_minutes = offset;
        q->u.attendance.weeks = (uint32_t)s->weeks;
        return true;
    }
    case OS_MEETINGS:
        q->type = PROTO_REQ_MEETING_UPCOMING;
        q->u.upcoming.days = (uint32_t)s->days;
        q->u.upcoming.limit = PROTO_UPCOMING_MAX;
        return true;
    case OS_MUTE:
    case OS_UNMUTE:
    case OS_KICK:
    case OS_BAN:
    case OS_UNBAN:
    case OS_DELETE:
    case OS_SUSPEND:
    case OS_UNSUSPEND:
        q->type = mod_request[s->cmd];
        q->u.mod.room = s->room;
        q->u.mod.handle = s->cmd == OS_DELETE ? NULL : s->handle_f;
        q->u.mod.reason = s->reason && *s->reason ? s->reason : NULL;
        q->u.mod.minutes = (uint32_t)s->minutes;
        q->u.mod.days = (uint32_t)s->days;
        q->u.mod.seq = s->seq;
        return true;
    case OS_MODLOG:
        q->type = PROTO_REQ_MOD_LOG;
        q->u.modlog.room = s->room;
        q->u.modlog.limit = (uint32_t)s->limit;
        return true;
    case OS_ROOM_SETTINGS:
        if (s->modset.u.modset.has_slow || s->modset.u.modset.has_locked ||
            s->modset.u.modset.has_limit || s->modset.u.modset.has_newcomer)
            *q = s->modset;
        else
            q->type = PROTO_REQ_ROOM_LIST;   /* no change asked: show them */
        return true;
    case OS_BLOCK:
    case OS_UNBLOCK:
        q->type = s->cmd == OS_BLOCK ? PROTO_REQ_BLOCK_ADD : PROTO_REQ_BLOCK_REMOVE;
        q->u.block.handle = s->handle_f;
        return true;
    case OS_BLOCKS:
        q->type = PROTO_REQ_BLOCK_LIST;
        return true;
    case OS_REPORT:
    case OS_REPORT_PERSON:
        q->type = PROTO_REQ_REPORT_CREATE;
        q->u.report.room = s->room;
        q->u.report.seq = s->seq;
        q->u.report.handle = s->cmd == OS_REPORT_PERSON ? s->handle_f : NULL;
        q->u.report.reason = s->text;
        return true;
    case OS_REPORTS:
        q->type = PROTO_REQ_REPORT_LIST;
        q->u.reports.room = s->room;
        q->u.reports.all = s->all;
        return true;
    case OS_RESOLVE:
        q->type = PROTO_REQ_REPORT_RESOLVE;
        q->u.resolve.id = s->report_id;
        q->u.resolve.outcome = s->outcome;
        q->u.resolve.note = s->note;
        return true;
    case OS_HELP_NOW:
        q->type = PROTO_REQ_SAFETY_RESOURCES;
        return true;
    case OS_PING:
        q->type = PROTO_REQ_BUDDY_PING;
        q->u.ping.handle = s->ping.handle;
        q->u.ping.kind = s->ping.kind;
        q->u.ping.text = s->ping.text;
        return true;
    case OS_BUDDIES:
        q->type = PROTO_REQ_BUDDY_LIST;
        return true;
    default:
        return false;
    }
}
