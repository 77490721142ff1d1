/*
 * One-shot commands, shared by oneshot.c (connecting, the replies, exit
 * codes), oneshot_args.c (the command line and the request it makes),
 * oneshot_sos.c (`hearth sos`: asking, then waiting for an answer) and
 * oneshot_checkin.c (`hearth checkin`) and oneshot_export.c (`hearth export`).
 */
#ifndef HEARTH_TERM_ONESHOT_H
#define HEARTH_TERM_ONESHOT_H

#include "account.h"
#include "buddies.h"
#include "checkin.h"
#include "support.h"

enum os_cmd {
    OS_REGISTER, OS_LOGIN, OS_LOGOUT, OS_PASSWD, OS_ROOMS, OS_CREATE, OS_JOIN, OS_LEAVE,
    OS_SEND, OS_HISTORY, OS_WHO, OS_STATUS, OS_INVITE,
    OS_MEETING, OS_HAND, OS_LOWER, OS_OPEN, OS_CLOSE, OS_CONFIGURE, OS_ATTENDANCE, OS_MEETINGS,
    OS_MUTE, OS_UNMUTE, OS_KICK, OS_BAN, OS_UNBAN, OS_DELETE, OS_MODLOG, OS_SUSPEND,
    OS_UNSUSPEND, OS_ROOM_SETTINGS,
    OS_BLOCK, OS_UNBLOCK, OS_BLOCKS, OS_REPORT, OS_REPORT_PERSON, OS_REPORTS, OS_RESOLVE,
    OS_HELP_NOW, OS_PING, OS_BUDDIES, OS_SOS, OS_CHECKIN, OS_EXPORT, OS__COUNT
};

struct os {
    uv_loop_t *loop;
    struct hc_client *c;
    const struct term_opts *o;
    struct hearth_cfg *cfg;
    const char *cfgdir;
    enum os_cmd cmd;
    bool started, done, ever_connected;
    int rc;
    /* arguments */
    const char *room, *handle, *title, *topic, *invite;
    char *text;                 /* send, create title: words joined */
    bool invite_only;
    unsigned long limit;
    enum proto_status status;
    char *pw, *pw_new;
    /* configure */
    bool has_meeting, meeting, has_share;
    uint32_t share_seconds;
    bool has_retention, has_ephemeral, ephemeral;
    uint32_t retention_days;
    char *format;               /* unescaped */
    unsigned long weeks;        /* attendance */
    unsigned long hours, uses;  /* invite: how long the code works, how many joins (0: any) */
    /* moderation */
    char handle_f[PROTO_HANDLE_MAX + 1];   /* folded target */
    const char *reason;
    unsigned long minutes, days;           /* days: suspend; meetings: how far ahead */
    uint64_t seq;
    bool limit_given;
    struct proto_request modset;           /* room-settings: the parts given */
    /* blocks, reports, safety */
    int64_t report_id;                     /* resolve */
    const char *outcome, *note;            /* resolve */
    bool all;                              /* reports --all */
    struct bud_ping_args ping;             /* ping: whom, what (free with bud_ping_args_free) */
    /* sos */
    struct sup_sos_args sos;               /* urgency, note (free with sup_sos_args_free) */
    unsigned long wait_minutes;            /* --wait: how long to wait for an answer */
    uv_timer_t sos_timer;                  /* the end of the wait */
    uv_signal_t sos_int, sos_term;         /* stop waiting */
    bool sos_waiting;                      /* the handles above are open */
    bool sos_lost;                         /* the link dropped while waiting (said once) */
    int64_t sos_id;                        /* the request, once asked */
    enum proto_support_state sos_shown;    /* its state as last printed */
    char sos_helper[PROTO_HANDLE_MAX + 1]; /* who answered it, as last printed */
    /* checkin */
    struct ci_args checkin;                /* (free with ci_args_free) */
    /* export */
    char *export_path;                     /* FILE, "~/" expanded */
    struct acct_export exp;                /* the parts so far (acct_export_free) */
};

/* Reads argv (argv[0] is the command, one oneshot_known() accepts) into
 * s. Returns 0, or 2 after a usage error was printed. */
int oneshot_parse(struct os *s, int argc, char **argv);
/* Fills q for a command that is one plain request (answered like any
 * other reply). false for the others: they have a library call of their
 * own (register, login, logout, passwd, join, leave, send). */
bool oneshot_fill_request(struct os *s, struct proto_request *q);

/* oneshot.c: ends the command with exit code rc (the first nonzero one
 * set stays) and closes the client; again does nothing. */
void oneshot_finish(struct os *s, int rc);
/* An error reply: says it on stderr (with where to get help, for
 * help-now and sos) and finishes with 1. false for a result. */
bool oneshot_reply_failed(struct os *s, const struct hc_reply *r);

/* oneshot_sos.c */
/* Asks (support.ask); then waits for the answer. 0 or a negative errno. */
int sos_run(struct os *s);
/* support.update of the request: printed; an answer ends the wait. */
void sos_event(struct os *s, const struct proto_event *ev);
/* The link while waiting (the client reconnects): true when handled. */
bool sos_state(struct os *s, enum hc_state st, int64_t retry);
/* Closes the wait's handles (from oneshot_finish). */
void sos_stop(struct os *s);

/* oneshot_checkin.c */
/* Checks in (reading the warning signs first when some were named, to
 * pick them by number, name or label). 0 or a negative errno. */
int checkin_run(struct os *s);
/* A buddy's check-in, alert or nudge, a milestone, the welcome back:
 * printed (the server keeps some for the first connection that signs in,
 * this one too). */
void checkin_event(struct os *s, const struct proto_event *ev);

/* oneshot_export.c */
/* Before connecting: FILE may be made (else says why, with another name
 * to try). 0, or the exit code (1). */
int export_check(struct os *s);
/* Asks account.export and every further part, then writes FILE. 0 or a
 * negative errno. */
int export_run(struct os *s);

#endif
