/*
 * hearth: the Hearth terminal client.
 *
 *   hearth [OPTIONS]                  interactive chat
 *   hearth [OPTIONS] chat [ROOM]      interactive chat, ROOM current
 *   hearth [OPTIONS] COMMAND ARGS     one request, for scripts
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hearth.h"

static void help(void)
{
    printf(
        "Usage: hearth [OPTIONS] [COMMAND [ARGS]]\n"
        "\n"
        "Hearth is a place for people in recovery to talk with each other. This is its\n"
        "terminal client. Hearth is not a crisis service: if you are in danger, call your\n"
        "local emergency number. `hearth help-now` lists where to get help (no account\n"
        "needed).\n"
        "\n"
        "Options (before the command):\n"
        "  --server URL     the Hearth server: http(s)://HOST[:PORT] or ws(s)://HOST[:PORT]\n"
        "                   (default: the server you last signed in to, else $HEARTH_SERVER,\n"
        "                   else " HEARTH_DEFAULT_SERVER ")\n"
        "  --no-color       plain output (also when NO_COLOR is set or stdout is not a terminal)\n"
        "  --ca-file FILE   trust this CA certificate for https/wss\n"
        "  --insecure       accept any TLS certificate (testing only)\n"
        "  -h, --help       show this help\n"
        "  --version        show the version\n"
        "\n"
        "Commands (without one, hearth starts the interactive chat):\n"
        "  chat [ROOM]                  interactive chat; ROOM becomes the current room\n"
        "  register HANDLE [--invite CODE]\n"
        "                               create an account and sign in\n"
        "  login HANDLE                 sign in\n"
        "  logout                       sign out (the saved session is forgotten)\n"
        "  passwd                       change your password (signs out other sessions)\n"
        "  rooms                        list the rooms\n"
        "  create ROOM TITLE [--topic TOPIC] [--invite-only]\n"
        "                               create a room (ROOM: 3-32 of a-z 0-9 _ -)\n"
        "  join ROOM [--invite CODE]    join a room\n"
        "  leave ROOM                   leave a room\n"
        "  send ROOM TEXT...            send a message\n"
        "  history ROOM [--limit N]     show the last N messages (default 20, at most 100),\n"
        "                               each with its #SEQ (the number `report` takes)\n"
        "  who ROOM                     who is in a room, and their status\n"
        "  status available|away|busy|invisible\n"
        "                               set your status (invisible: you appear offline)\n"
        "  invite ROOM [--hours H] [--uses N]\n"
        "                               make an invite code for an invite-only room; it works\n"
        "                               for H hours (default 168, a week; at most 720) and N\n"
        "                               joins (default: any number; at most 1000)\n"
        "\n"
        "Meetings (a meeting room has a chair, raised hands and timed shares):\n"
        "  meeting ROOM                 show the meeting: open or not, who has the floor, hands\n"
        "  hand ROOM, lower ROOM        raise your hand to share, or lower it\n"
        "  open ROOM, close ROOM        open or close the meeting (chair or moderators)\n"
        "  configure ROOM [--meeting on|off] [--format TEXT] [--share MINUTES]\n"
        "                 [--retention DAYS] [--ephemeral on|off]\n"
        "                               the host's settings: a meeting room or not, the\n"
        "                               format text shown when it opens (\\n starts a new\n"
        "                               line), how long a share lasts (1 to 30 minutes);\n"
        "                               for any room: keep messages DAYS days, then erase\n"
        "                               them (0 to 3650; 0 keeps them), or never write them\n"
        "                               to disk ('what is said here stays here')\n"
        "  attendance [--weeks N]       your own meetings, week by week, newest first: the\n"
        "                               last N weeks you attended (default 12, at most 52).\n"
        "                               Only you can see it.\n"
        "  meetings [--days N]          the meetings of the next N days (default 7, at most\n"
        "                               14) in every room you may see, in your own time\n"
        "\n"
        "Moderation (room moderators, the host, server moderators and admins):\n"
        "  mute ROOM HANDLE [--minutes N] [--reason TEXT]\n"
        "                               stop someone posting, for N minutes or until lifted\n"
        "  unmute ROOM HANDLE           let them post again\n"
        "  kick ROOM HANDLE [--reason TEXT]\n"
        "                               remove someone from a room (they may come back)\n"
        "  ban ROOM HANDLE [--minutes N] [--reason TEXT]\n"
        "                               remove and keep out, for N minutes or for good\n"
        "  unban ROOM HANDLE            lift a ban\n"
        "  delete ROOM SEQ [--reason TEXT]\n"
        "                               take message SEQ down (history shows #SEQ to moderators)\n"
        "  modlog ROOM [--limit N]      the room's moderation log, newest first (default 20)\n"
        "  room-settings ROOM [--slow S] [--lock|--unlock] [--limit N] [--newcomer S]\n"
        "                               slow mode (one message per S seconds), no new members,\n"
        "                               at most N members, newcomers wait S seconds before\n"
        "                               their first post (0 turns each off); alone: show them\n"
        "  suspend HANDLE [--days N] [--reason TEXT]\n"
        "                               sign an account out everywhere and keep it out, for N\n"
        "                               days or until lifted (admins, server-wide)\n"
        "  unsuspend HANDLE             lift a suspension (admins)\n"
        "\n"
        "Blocks, reports and safety:\n"
        "  block HANDLE                 stop seeing someone's messages, anywhere (they are\n"
        "                               not told)\n"
        "  unblock HANDLE               see their messages again\n"
        "  blocks                       whom you block\n"
        "  report ROOM SEQ REASON...    report message SEQ of a room to its moderators\n"
        "                               (`hearth history ROOM` shows #SEQ before each message)\n"
        "  report-person HANDLE REASON... [--room ROOM]\n"
        "                               report a person: to ROOM's moderators, else to the\n"
        "                               server's; they never learn who reported them\n"
        "  reports [ROOM] [--all]       moderators: the open reports you may handle, newest\n"
        "                               first (--all: resolved ones too)\n"
        "  resolve ID actioned|dismissed [--note TEXT]\n"
        "                               close a report; the reporter hears only that it was\n"
        "                               handled (actioned) or reviewed (dismissed)\n"
        "  help-now                     where to get help right now: the server's crisis\n"
        "                               resources (works without an account or sign-in)\n"
        "\n"
        "Buddies (someone to check in with):\n"
        "  buddies                      your buddies and their status, who asks you to be\n"
        "                               their buddy, and whom you asked\n"
        "  ping HANDLE [thinking|call|struggling|TEXT...]\n"
        "                               let a buddy know you are thinking of them (the\n"
        "                               default), ask them to call, say you are struggling,\n"
        "                               or send a few words of your own (at most 500)\n"
        "\n"
        "Asking for support (someone to talk to, now):\n"
        "  sos [--wait MINUTES] [talk|craving|crisis] [NOTE...]\n"
        "                               ask for support: your buddies who are online first,\n"
        "                               then everyone on duty; crisis shows where to get help\n"
        "                               at once and alerts the moderators on duty. Then waits\n"
        "                               up to MINUTES (default 10, at most 60; 0: no wait),\n"
        "                               printing each change, and exits 0 once someone answers\n"
        "                               (run `hearth` and /dm HANDLE to talk with them). If\n"
        "                               nobody has answered in time (exit 1) or on Ctrl-C\n"
        "                               (exit 130), your request stays open\n"
        "\n"
        "Daily check-ins (yours alone unless you share them: /settings in `hearth`):\n"
        "  checkin --mood 1-5 [--craving 0-10] [--signs A,B] [--grateful TEXT]\n"
        "          [--win TEXT] [--note TEXT]\n"
        "                               today's check-in (again the same day updates it):\n"
        "                               your mood, a craving, the warning signs you notice\n"
        "                               (by name, label or number; /checkin signs in `hearth`\n"
        "                               lists them), what you are grateful for, the day's win\n"
        "                               and a note only you see. With enough warning signs it\n"
        "                               shows your own plan and card and where to get help\n"
        "\n"
        "Your data:\n"
        "  export FILE                  write everything Hearth holds about you (check-ins,\n"
        "                               journal, plan, card, clean time, buddies, pings, your\n"
        "                               messages...) to FILE as JSON: a new file only you can\n"
        "                               read (an existing file is never written over).\n"
        "                               To delete your account: /delete-account in `hearth`\n"
        "\n"
        "Passwords are read from the terminal without echo or, when standard input is\n"
        "not a terminal, as one line of it. Commands exit with 0 on success and print\n"
        "the server's reason on stderr otherwise (exit 1; 2 for a usage error).\n"
        "\n"
        "Interactive chat: type a line to send it to the current room. Commands:\n"
        "  /help  /register HANDLE  /login HANDLE  /logout  /passwd  /rooms\n"
        "  /create ROOM TITLE [--topic T] [--invite-only]  /join ROOM [CODE]\n"
        "  /leave [ROOM]  /switch ROOM  /who [ROOM]  /status STATUS  /history [N]\n"
        "  /invite [ROOM] [HOURS [USES]]  /invites [ROOM]  /uninvite CODE  /quit\n"
        "Meetings, in the current room (see /help for what each does):\n"
        "  /meeting on|off  /format TEXT  /share MINUTES  /mod HANDLE  /unmod HANDLE\n"
        "  /chair HANDLE  /open  /close  /hand  /lower  /floor [HANDLE]  /done\n"
        "  /mode one|open  /auto on|off  /meeting or /state (show the meeting)\n"
        "  /attendance [WEEKS] (your own meetings by week; in any room)\n"
        "  /retention DAYS  /ephemeral on|off (how long messages are kept; any room)\n"
        "  /schedule [add DAYS HH:MM MINUTES [TZ] | remove N | clear] (weekly meetings)\n"
        "  /meetings [DAYS] (coming meetings in every room, in your own time)\n"
        "Moderation, in the current room (see /help):\n"
        "  /mute HANDLE [MINUTES] [reason]  /unmute HANDLE  /kick HANDLE [reason]\n"
        "  /ban HANDLE [MINUTES] [reason]  /unban HANDLE  /delete SEQ [reason]\n"
        "  /slow SECONDS  /lock  /unlock  /limit N  /newcomer SECONDS  /modlog [N]\n"
        "  /modlog all [N] (the server-wide log, admins)  /sanctions\n"
        "  /suspend HANDLE [DAYS] [reason]  /unsuspend HANDLE (admins, server-wide)\n"
        "Blocks, reports and safety (see /help):\n"
        "  /block HANDLE  /unblock HANDLE  /blocks  /report SEQ reason...\n"
        "  /report @HANDLE reason...  /reports [all]  /resolve ID actioned|dismissed [note]\n"
        "  /help-now (works signed out too)\n"
        "Buddies and matching (see /help):\n"
        "  /buddy add|accept|decline|cancel|end HANDLE  /buddies  /dm HANDLE [TEXT]\n"
        "  /switch @HANDLE  /ping HANDLE [thinking|call|struggling|TEXT...]  /pings\n"
        "  /match [join LANG APPROACH [--clean-days N] [--more-clean-time]]\n"
        "  /match leave|accept|decline\n"
        "Asking for support, and being there for others (see /help):\n"
        "  /sos [talk|craving|crisis] [NOTE...]  /sos  /sos cancel  /sos end [THANKS...]\n"
        "  /available on|off  /queue  /accept [ID]  /handback [ID]  /supportstats [DAYS]\n"
        "Check-ins, your plan and clean time (see /help):\n"
        "  /checkin [MOOD [craving=N] [signs=A,B] [grateful=TEXT] [win=TEXT] [note=TEXT]]\n"
        "  /checkin signs  /checkins [N]  /journal [N]  /summary [week|month] [N]  /streak\n"
        "  /goal [N]  /card [add NAME PHONE [NOTE] | remove N]  /plan [add WHEN => THEN |\n"
        "  reason TEXT | remove N | unreason N]  /cleantime [HANDLE | set YYYY-MM-DD | stop]\n"
        "  /milestones [HANDLE]  /settings [KEY VALUE]\n"
        "Your data (see /help):\n"
        "  /export FILE  /delete-account (asks for your password, then to type\n"
        "  \"delete my account\"; it cannot be undone)\n"
        "Start a message with // to send a line that begins with /.\n"
        "When standard input is not a terminal, its lines are read the same way, one\n"
        "after another; hearth exits at the end of input once its messages are sent.\n"
        "\n"
        "Files: $XDG_CONFIG_HOME/hearth/session (default ~/.config/hearth/session) holds\n"
        "the server, your handle and your session token, readable only by you; next to\n"
        "it, conversations holds the last message you saw in each private conversation.\n");
}

int main(int argc, char **argv)
{
    struct term_opts o;
    memset(&o, 0, sizeof o);
    /* readline needs the locale to edit UTF-8 text; nothing else here
     * depends on it (times are formatted with strftime's %H:%M). */
    setlocale(LC_ALL, "");
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "help") == 0) {
            help();
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("hearth %s\n", HEARTH_VERSION);
            return 0;
        } else if (strcmp(a, "--server") == 0 && i + 1 < argc) {
            o.server = argv[++i];
            o.server_given = true;
        } else if (strncmp(a, "--server=", 9) == 0) {
            o.server = a + 9;
            o.server_given = true;
        } else if (strcmp(a, "--no-color") == 0 || strcmp(a, "--no-colour") == 0) {
            o.no_color = true;
        } else if (strcmp(a, "--insecure") == 0) {
            o.tls_insecure = true;
        } else if (strcmp(a, "--ca-file") == 0 && i + 1 < argc) {
            o.ca_file = argv[++i];
        } else if (a[0] == '-') {
            fprintf(stderr, "hearth: unknown option '%s'. Run `hearth --help`.\n", a);
            return 2;
        } else {
            break;
        }
    }
    const char *cmd = i < argc ? argv[i] : NULL;
    if (cmd && strcmp(cmd, "chat") != 0 && !oneshot_known(cmd)) {
        fprintf(stderr, "hearth: unknown command '%s'. Run `hearth --help`.\n", cmd);
        return 2;
    }

    char dir[4096];
    struct hearth_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    if (cfg_dir(dir, sizeof dir) < 0) {
        fprintf(stderr, "hearth: set HOME or XDG_CONFIG_HOME so the session can be saved.\n");
        return 1;
    }
    int rc = cfg_load(dir, &cfg);
    if (rc < 0) {
        fprintf(stderr, "hearth: cannot read %s/session: %s\n", dir, strerror(-rc));
        return 1;
    }
    /* A copy: cfg.server is rewritten when the session is saved. */
    static char server[sizeof cfg.server];
    if (!o.server)
        o.server = cfg.server[0] ? cfg.server : getenv("HEARTH_SERVER");
    if (!o.server || !*o.server)
        o.server = HEARTH_DEFAULT_SERVER;
    snprintf(server, sizeof server, "%s", o.server);
    o.server = server;
    static const char *const schemes[] = {"http://", "https://", "ws://", "wss://"};
    bool scheme_ok = false;
    for (size_t k = 0; k < sizeof schemes / sizeof schemes[0]; k++)
        scheme_ok |= strncasecmp(o.server, schemes[k], strlen(schemes[k])) == 0;
    if (!scheme_ok) {
        fprintf(stderr, "hearth: Cannot use the server address '%s': give it as "
                        "http(s)://HOST[:PORT] or ws(s)://HOST[:PORT]\n", o.server);
        return 2;
    }
    /* A token belongs to the server that issued it. */
    if (cfg.server[0] && strcmp(cfg.server, o.server) != 0) {
        cfg.token[0] = '\0';
        cfg.room[0] = '\0';
    }
    ui_init(!o.no_color && isatty(1) && !getenv("NO_COLOR"));
    setvbuf(stdout, NULL, _IOLBF, 0);

    uv_loop_t loop;
    uv_loop_init(&loop);
    if (!cmd || strcmp(cmd, "chat") == 0) {
        if (cmd && i + 2 < argc) {
            fprintf(stderr, "hearth: usage: hearth chat [ROOM]\n");
            return 2;
        }
        rc = chat_main(&loop, &o, &cfg, dir, cmd && i + 1 < argc ? argv[i + 1] : NULL);
    } else {
        rc = oneshot_main(&loop, &o, &cfg, dir, argc - i, argv + i);
    }
    /* Everything was closed: the loop drained by itself. */
    uv_run(&loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&loop) != 0)
        fprintf(stderr, "hearth: internal: handles left open at exit\n");
    return rc;
}
