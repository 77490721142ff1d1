/*
 * The interactive client's shared state (chat.c: connection, signing in,
 * input; chat_op.c: requests and their ops; chat_cmd.c: slash commands, password prompts, replies;
 * chat_meeting.c: meeting events, chat_meeting_cmd.c: meeting commands;
 * chat_mod.c: moderation; chat_safety.c: blocks, reports and safety;
 * chat_schedule.c: weekly schedules, coming meetings, invite codes;
 * chat_buddies.c: buddies and pings, chat_conv.c: private conversations,
 * chat_match.c: the matching pool; chat_support.c: asking for support,
 * chat_supporter.c: answering; chat_checkin.c: daily check-ins and their
 * views, chat_checkin_ask.c: /checkin's questions on a terminal;
 * chat_plan.c: the card, the plan, clean time and the settings;
 * chat_account.c: /export and /delete-account).
 */
#ifndef HEARTH_TERM_CHAT_H
#define HEARTH_TERM_CHAT_H

#include "account.h"
#include "buddies.h"
#include "checkin.h"
#include "support.h"

#define BACKLOG 20

enum sec {
    SEC_NONE, SEC_LOGIN, SEC_REGISTER, SEC_REGISTER2, SEC_PASSWD_OLD, SEC_PASSWD_NEW,
    SEC_PASSWD_NEW2,
    SEC_DELETE_PW,          /* /delete-account: the password (no echo) */
    SEC_DELETE_CONFIRM      /* then "delete my account" (echoed; sec_pw holds the password) */
};

struct chat;

/* What this client knows of a room for moderation (chat_mod.c). */
struct mod_room {
    char room[PROTO_HANDLE_MAX + 1];
    enum proto_room_role role;      /* mine in this room */
    bool set_known;                 /* set holds the room's settings */
    struct proto_mod_settings set;
    unsigned said;                  /* counts the settings lines shown */
};

/* A buddy, or a buddy request either way, as far as this client knows
 * (chat_buddies.c). */
struct bud_entry {
    char handle[PROTO_HANDLE_MAX + 1];
    enum bud_link link;
    bool ending;             /* my own end, decline or cancel is on its way: the
                                "ended" event it brings says nothing */
};

/* A private conversation this client follows (chat_conv.c). */
struct conv {
    char room[PROTO_HANDLE_MAX + 1];   /* "~..." */
    char peer[PROTO_HANDLE_MAX + 1];   /* "" when not known */
    enum proto_room_kind kind;         /* buddy or support */
    uint64_t seen;                     /* the last seq shown */
    uint64_t read_sent;                /* the server was told (room.read) this much was seen */
    bool read_busy;                    /* a room.read waits for its reply */
    uint64_t mine;                     /* seq of my last message shown; 0: none yet */
    uint64_t peer_delivered, peer_seen;   /* the peer's receipt marks as last heard */
    enum bud_receipt told;             /* what was said of `mine` */
};

/* A support request as this client last showed it (chat_support.c). */
struct sup_entry {
    int64_t id;
    char who[PROTO_HANDLE_MAX + 1];    /* mine: the helper ("" before an answer); else the
                                          requester */
    char conv[PROTO_HANDLE_MAX + 1];   /* their conversation; "" before an answer */
    enum proto_support_state state;
    enum proto_urgency urgency;
    int64_t created_at;
};

struct sup_list {
    struct sup_entry *v;
    size_t n, cap;
};

struct ci_ask;   /* /checkin's questions on a terminal (chat_checkin_ask.c) */

struct op {
    struct chat *ch;
    char room[PROTO_HANDLE_MAX + 1];
    char *text;
    bool counted;            /* counted in ch->outstanding */
    unsigned what;           /* meeting commands: which one, what it asked */
    unsigned mark;           /* meeting commands: the view's `said` when asked */
    int64_t sent_ms;         /* ping: when it was sent */
    uint64_t seq;            /* /report: the message; /resolve: the report's number; room.read:
                                the seq it said */
    unsigned number;         /* /schedule remove: the slot, from 1; /meetings: the days
                                asked; /invite: the joins asked (0: any number); /card,
                                /plan remove: the entry, from 1; /cleantime set|stop: the
                                days before; /settings: the key */
    struct proto_slot slot;  /* /schedule add: the new slot (its tz is `text`) */
    char day[CI_DAY];        /* /cleantime set|stop: the sobriety date before ("": none) */
};

struct chat {
    uv_loop_t *loop;
    struct hc_client *c;
    const struct term_opts *o;
    struct hearth_cfg *cfg;
    const char *cfgdir;
    bool tty;
    int exit_code;
    bool quitting;

    char current[PROTO_HANDLE_MAX + 1];
    char (*joined)[PROTO_HANDLE_MAX + 1];
    size_t njoined, joined_cap;
    char want_room[PROTO_HANDLE_MAX + 1];   /* `chat ROOM` */

    bool ever_connected, lost, need_rejoin, session_dead, announced_anon;
    bool logging_out, logout_dropped;   /* the server closes the link after a logout */
    unsigned rejoin_left;
    bool rejoin_failed;          /* the link dropped during the rejoin */
    bool ready_for_input;

    char **q;                /* lines waiting (not a terminal) */
    size_t q_head, q_len, q_cap;
    bool busy, eof;
    unsigned outstanding;

    enum sec sec;
    char sec_handle[PROTO_HANDLE_MAX + 1];
    char sec_invite[PROTO_INVITE_MAX + 1];
    char *sec_pw;

    uv_signal_t sig_int, sig_term, sig_hup, sig_winch;

    struct mtg_view *views;  /* meeting state last shown, per room (chat_meeting.c) */
    size_t nviews, views_cap;
    int64_t skew_ms;         /* the server's clock minus ours (from a ping) */

    struct mod_room *mrooms; /* per room: my role, the settings (chat_mod.c) */
    size_t nmrooms, mrooms_cap;
    unsigned mod_said;       /* counts removal lines shown (a message, a person) */
    char *suspend_note;      /* the "moderated" line of a suspension, until the session ends */

    char (*blocked)[PROTO_HANDLE_MAX + 1];   /* whom I block, as far as we know (chat_safety.c) */
    size_t nblocked, blocked_cap;
    bool notice_shown;       /* the safety notice was shown in this process */

    struct bud_entry *buds;  /* buddies and requests (chat_buddies.c) */
    size_t nbuds, buds_cap;
    bool buds_known;         /* the list was read since signing in */
    struct conv *convs;      /* private conversations followed (chat_conv.c) */
    size_t nconvs, convs_cap;
    bool convs_known;        /* the room list was read since signing in: a
                                conversation first heard of later is a new one */
    bool convs_dirty;        /* a `seen` changed since the file was written */
    int64_t proposal_id;     /* the match proposal waiting for my answer; 0: none */
    char proposal_with[PROTO_HANDLE_MAX + 1];
    struct sup_entry sup_mine;   /* my own request for support as last shown; id 0: none */
    struct sup_list sup_helping; /* the requests I answered, still accepted */
    struct sup_list sup_offers;  /* requests offered to me, as far as I know still waiting */
    bool sup_known;              /* support.status was read since signing in */
    struct proto_sign *signs;    /* the server's warning signs as last read (chat_checkin.c) */
    size_t nsigns;
    bool signs_fresh;            /* read since signing in */
    struct ci_ask *ask;          /* /checkin's questions under way; NULL: none */
    struct acct_export *exp;     /* /export under way (chat_account.c); NULL: none */
    char *exp_path;              /* the file it goes to */
    struct op *delete_op;        /* account.delete answered {}: held until the session ends */
    bool account_deleted;        /* ...and then the client exits */
};

/* chat.c */
void chat_show_error(const char *what, const struct hc_reply *r);
/* A line that cannot be acted on (a usage error): says so, and a script
 * exits 1 at the end. */
void chat_refuse(struct chat *ch, const char *msg);
/* A command line split into words, or false after saying what is wrong
 * with it (an open quote, too many words); a's words need cmd_args_free
 * only when it returns true. */
bool chat_split(struct chat *ch, const char *line, struct cmd_args *a);
/* Shows lines separated by '\n' (a heading, then the list) and frees
 * txt; NULL (no memory) shows nothing. */
void chat_print_text(char *txt);
/* The same with the first line in style `first`, the others in `rest`. */
void chat_print_lines(enum ui_style first, enum ui_style rest, char *txt);
bool chat_fold(const char *in, char out[PROTO_HANDLE_MAX + 1]);
const char *chat_me(const struct chat *ch);
/* cfg_update() with ch's config; says so when it fails. */
void chat_save(struct chat *ch, int what);
void chat_set_current(struct chat *ch, const char *room);
bool chat_is_joined(const struct chat *ch, const char *room);
void chat_add_joined(struct chat *ch, const char *room);
void chat_remove_joined(struct chat *ch, const char *room);
/* Signed out (or the session ended): forgets the token, the rooms and
 * what was known of them; rejoins after the next sign-in. */
void chat_forget_session(struct chat *ch);
void chat_quit(struct chat *ch, int code);
void chat_pump(struct chat *ch);
/* Redraws the prompt: the current room and, in a meeting, its state. */
void chat_update_prompt(struct chat *ch);

/* chat_op.c */
struct op *chat_op_new(struct chat *ch, const char *room);
/* Room for one more element in a growing array of n (of `size` bytes
 * each): the array, moved and *cap doubled (from 8) when it was full;
 * NULL without memory (the old array kept). */
void *chat_grow(void *arr, size_t n, size_t *cap, size_t size);
/* A request made for a line: the next line waits for it (not a terminal),
 * and the end of input waits for every one. */
void chat_op_begin(struct op *op);
void chat_op_end(struct op *op, bool failed);
/* rc < 0: the request was not made (says why, ends the op). */
bool chat_issued(struct op *op, int rc);
/* A request made for a line (chat_op_begin), answered by cb with op; an
 * op already under way (a write after a read) carries on. */
void chat_issue(struct op *op, const struct proto_request *q, hc_reply_cb cb);
/* The command word of line (without its '/') when it is one of
 * names[0..n): its index, *rest the text after it; -1 when it is none. */
int chat_command_word(const char *line, const char *const *names, size_t n, const char **rest);
/* A request the client makes on its own, of a type without arguments
 * (no line waits for it). false when it was not made: the op is ended,
 * without a word. */
bool chat_request_quietly(struct op *op, enum proto_req_type type, hc_reply_cb cb);
/* The start of a reply callback: true when the reply is not to be used,
 * and the op is over then: the client is quitting (nothing said), or the
 * request failed (the error shown as chat_show_error(what, r) does, and
 * the op ended as failed). */
bool chat_reply_unusable(struct op *op, const struct hc_reply *r, const char *what);

/* chat_cmd.c */
void chat_handle_line(struct chat *ch, char *line);   /* takes line */
/* Sends text to room (a room or a conversation) for a line: a script's
 * next line waits for the reply. */
void chat_send(struct chat *ch, const char *room, const char *text);
void chat_cancel_secret(struct chat *ch);
/* Signed in; else says how to sign in (chat_refuse). */
bool chat_need_signed_in(struct chat *ch);
/* The room a command names (arg, "#" before it allowed), else the current
 * one (arg NULL); false after saying why there is none. */
bool chat_need_room(struct chat *ch, const char *arg, char out[PROTO_HANDLE_MAX + 1]);

/* chat_meeting.c, chat_meeting_cmd.c */
/* The room's view, NULL when none (create: made when missing). */
struct mtg_view *chat_view(struct chat *ch, const char *room, bool create);
void chat_view_remove(struct chat *ch, const char *room);
void chat_views_clear(struct chat *ch);
/* A meeting command (`a` split from the line without its '/'): false when
 * a->argv[0] is not one. */
bool chat_meeting_command(struct chat *ch, struct cmd_args *a);
void chat_meeting_help(void);
/* Events the library passes on (meeting.*, room.role). */
void chat_meeting_event(struct chat *ch, const struct proto_event *ev);
/* A room was joined (or rejoined): remember whether it is a meeting room
 * and my role; for a meeting room ask for its state and show it. With an
 * op, the op carries on and ends once the state is shown (a script's next
 * line waits); without one the request is the client's own. */
void chat_meeting_joined(struct chat *ch, const struct proto_room *room, struct op *op);
/* Back after a lost connection: meeting events may have been missed. */
void chat_meeting_resync(struct chat *ch);
/* Asks the server for its time (ping), to show times left by its clock. */
void chat_meeting_clock(struct chat *ch);
/* Prints what a new state changed (or the summary when nothing was
 * known), and redraws the prompt of the current room. */
void chat_meeting_show_state(struct chat *ch, struct mtg_view *v, const struct proto_meeting *m);
/* Now, by the server's clock as far as we know it. */
int64_t chat_server_now(const struct chat *ch);
/* After a refused message: a word on what to do in a meeting. */
void chat_meeting_send_refused(struct chat *ch, const char *room, const struct hc_reply *r);

/* chat_mod.c */
/* A moderation command (`line` is the command line without its '/',
 * unsplit: reasons keep their apostrophes): false when it is not one. */
bool chat_mod_command(struct chat *ch, const char *line);
void chat_mod_help(void);
/* Events the library passes on: moderated, room.settings, room.role. */
void chat_mod_event(struct chat *ch, const struct proto_event *ev);
/* Shows a room event (as a moderator sees it, with #SEQ, when I am one
 * there) and acts on it: a moderator took me out of the room. */
void chat_mod_room_event(struct chat *ch, const struct proto_room_event *ev, bool backlog);
/* A room as a reply described it (join, create, list): my role there and
 * its settings, remembered without a word (the reply's line shows them). */
void chat_mod_room_seen(struct chat *ch, const struct proto_room *room);
/* Shows #SEQ in this room: I moderate it, or I am server staff. */
bool chat_mod_sees_seq(struct chat *ch, const char *room);
void chat_mod_forget(struct chat *ch, const char *room);
void chat_mod_clear(struct chat *ch);
/* Back after a lost connection: settings or my roles may have changed. */
void chat_mod_resync(struct chat *ch);
/* After a refused message: slow mode and the newcomer wait. */
void chat_mod_send_refused(struct chat *ch, const char *room, const struct hc_reply *r);
/* The session ended because the account was suspended: says so. */
void chat_mod_suspended(struct chat *ch);

/* chat_schedule.c */
/* A schedule, meetings or invite command (`a` split from the line without
 * its '/'): false when a->argv[0] is not one. */
bool chat_schedule_command(struct chat *ch, struct cmd_args *a);
void chat_schedule_help(void);

/* chat_safety.c */
/* A block, report or safety command (`line` is the command line without
 * its '/', unsplit: reasons keep their apostrophes): false when it is not
 * one. */
bool chat_safety_command(struct chat *ch, const char *line);
void chat_safety_help(void);
/* Events the library passes on: report.new, report.handled,
 * safety.notice, safety.check_in, safety.alert. */
void chat_safety_event(struct chat *ch, const struct proto_event *ev);
/* A room event to show nothing for: a message from someone I block (the
 * server sends it as "hidden"), or the comings and goings of someone I
 * block. */
bool chat_safety_hides(const struct chat *ch, const struct proto_room_event *ev);
/* Someone I block (their presence is not shown either). */
bool chat_safety_blocks(const struct chat *ch, const char *handle);
/* Signed in (again): fetch whom I block, without a word. */
void chat_safety_ready(struct chat *ch);
/* Signed out: forget it. */
void chat_safety_clear(struct chat *ch);

/* chat_buddies.c */
/* A buddy, ping or conversation command (`line` is the command line
 * without its '/', unsplit: a ping's or a message's words keep their
 * apostrophes): false when it is not one. */
bool chat_buddies_command(struct chat *ch, const char *line);
void chat_buddies_help(void);
/* Events the library passes on: buddy.request, buddy.update, buddy.ping,
 * buddy.ping_status. */
void chat_buddies_event(struct chat *ch, const struct proto_event *ev);
/* Signed in (again): fetch my buddies and requests (after a reconnect,
 * say what changed meanwhile). */
void chat_buddies_ready(struct chat *ch);
/* Signed out: forget them. */
void chat_buddies_clear(struct chat *ch);
/* What is known of handle: paired, asked either way, or nothing. */
enum bud_link chat_buddy_link(const struct chat *ch, const char *handle);
/* Shows a sentence that must stand out (bud_alert_line; lines separated
 * by '\n') and rings the bell on a terminal. Takes sentence (NULL:
 * nothing). */
void chat_alert(char *sentence);

/* chat_conv.c */
struct conv *chat_conv_find(const struct chat *ch, const char *room);
struct conv *chat_conv_with(const struct chat *ch, const char *peer);
/* The conversations of a room list (kind buddy or support): each one not
 * followed yet is followed, from the last message seen in an earlier run
 * (the conversations file), else the last BACKLOG ones; once the list was
 * read since signing in, a conversation first heard of is new: from its
 * start. */
void chat_conv_rooms(struct chat *ch, const struct proto_room *rooms, size_t n);
/* A new conversation (a pairing's, or an answered request's): followed
 * from its start. */
void chat_conv_begin(struct chat *ch, const char *room, const char *peer,
                     enum proto_room_kind kind);
/* Back after a lost connection: conversations may have begun meanwhile. */
void chat_conv_resync(struct chat *ch);
/* room.receipt: the peer's marks; "[@bob] delivered" / "[@bob] seen" when
 * my last message got further. Other events: nothing. */
void chat_conv_event(struct chat *ch, const struct proto_event *ev);
/* A room event of a conversation: shown as "[@bob] 14:02 <ann> text",
 * remembered as seen, and the server told so (room.read). false (nothing
 * done) for a room's event. */
bool chat_conv_room_event(struct chat *ch, const struct proto_room_event *ev);
/* Shows a conversation's event (show_seq: "#SEQ" before the author, as
 * /history shows them); false for a room's event. */
bool chat_conv_print(const struct chat *ch, const struct proto_room_event *ev, bool show_seq);
/* "@bob" for a conversation, "#room" for a room. */
void chat_room_label(const struct chat *ch, const char *room, char out[BUD_LABEL]);
/* The prompt when the current room is a conversation ("[@bob]> "). */
bool chat_conv_prompt(const struct chat *ch, char *out, size_t n);
/* `/switch @bob` (or a conversation's name, or a buddy's handle that is
 * not a room I am in): makes the conversation current, or says why not.
 * false when arg names no conversation. */
bool chat_conv_switch(struct chat *ch, const char *arg);
/* Makes the conversation with handle current; false after saying why not. */
bool chat_conv_open(struct chat *ch, const char *handle);
/* Makes the conversation named room current; false (nothing said) when it
 * is not followed. */
bool chat_conv_enter(struct chat *ch, const char *room);
/* Writes the last messages seen to the conversations file (when changed). */
void chat_conv_save(struct chat *ch);
/* Forgets them (chat_conv_save first to keep what was seen). */
void chat_conv_clear(struct chat *ch);

/* chat_match.c */
/* A /match command (`a` split from the line without its '/'): false when
 * a->argv[0] is not one. */
bool chat_match_command(struct chat *ch, struct cmd_args *a);
void chat_match_help(void);
/* Events the library passes on: match.proposal, match.update. */
void chat_match_event(struct chat *ch, const struct proto_event *ev);
/* Signed in (again): a proposal may be waiting. */
void chat_match_ready(struct chat *ch);

/* chat_support.c */
/* /sos or /handback (`line` is the command line without its '/',
 * unsplit: a note or thanks keeps its apostrophes): false when it is not
 * one. */
bool chat_support_command(struct chat *ch, const char *line);
/* Events the library passes on: support.update. */
void chat_support_event(struct chat *ch, const struct proto_event *ev);
/* Signed in (again): my open request and the ones I help in (updates are
 * not replayed): said, and their conversations followed. */
void chat_support_ready(struct chat *ch);
/* Signed out: forget them. */
void chat_support_clear(struct chat *ch);
/* room is the conversation of a request that is still accepted (mine, or
 * one I help in). */
bool chat_support_live(const struct chat *ch, const char *room);
/* After a refused message: an ended support conversation says so. */
void chat_support_send_refused(struct chat *ch, const char *room, const struct hc_reply *r);
/* Requests I answered: r is accepted, with me as its helper; recorded,
 * its conversation followed, and (enter) made current. */
void chat_support_helping(struct chat *ch, const struct proto_support *r, bool enter);
/* The lists of requests (offers, the ones I help in). */
struct sup_entry *chat_sup_find(const struct sup_list *l, int64_t id);
/* Adds r, or updates the entry of its id; who: see struct sup_entry. */
struct sup_entry *chat_sup_put(struct sup_list *l, const struct proto_support *r,
                               const char *who);
void chat_sup_drop(struct sup_list *l, int64_t id);

/* chat_supporter.c */
/* /available, /queue, /accept, /supportstats (`a` split from the line
 * without its '/'): false when a->argv[0] is not one. */
bool chat_supporter_command(struct chat *ch, struct cmd_args *a);
void chat_support_help(void);
/* Events the library passes on: support.offer, support.gone. */
void chat_supporter_event(struct chat *ch, const struct proto_event *ev);
/* support.status's standing offers (after signing in or a reconnect): an
 * offer not known here is shown like a support.offer (a buddy's request is
 * not offered again after a reconnect), one no longer listed is dropped. */
void chat_supporter_offers(struct chat *ch, const struct proto_support_offer *o, size_t n);

/* chat_checkin.c */
/* /checkin, /checkins, /journal, /streak, /goal, /summary and /history
 * week|month (`line` is the command line without its '/', unsplit: a
 * check-in's words keep their apostrophes): false when it is not one. */
bool chat_checkin_command(struct chat *ch, const char *line);
void chat_checkin_help(void);
/* Events the library passes on: checkin.shared, checkin.alert, milestone,
 * checkin.nudge, checkin.reminder. */
void chat_checkin_event(struct chat *ch, const struct proto_event *ev);
/* Signed in (again): the warning signs are read again when next needed. */
void chat_checkin_ready(struct chat *ch);
/* Signed out: forget them, and stop any questions. */
void chat_checkin_clear(struct chat *ch);
/* Sends the check-in a holds with op (its warning signs picked from the
 * list read last), and shows the result. */
void chat_checkin_submit(struct op *op, const struct ci_args *a);

/* chat_checkin_ask.c */
/* Starts /checkin's questions (a terminal; the warning signs read). */
void chat_checkin_ask(struct chat *ch);
/* A line typed while questions are under way: the answer, or "cancel".
 * false (line not taken) for a command, which runs as usual. */
bool chat_checkin_answer(struct chat *ch, char *line);
/* Ctrl-C: stops the questions (nothing is sent); false when none. */
bool chat_checkin_cancel(struct chat *ch);
/* The prompt of the question under way; false when none. */
bool chat_checkin_prompt(const struct chat *ch, char *out, size_t n);
void chat_checkin_ask_free(struct chat *ch);

/* chat_account.c */
/* /export FILE and /delete-account (`a` split from the line without its
 * '/'): false when a->argv[0] is not one. */
bool chat_account_command(struct chat *ch, struct cmd_args *a);
void chat_account_help(void);
/* A line for /delete-account's prompts (ch->sec was s; it is SEC_NONE
 * now). Takes line. */
void chat_account_secret(struct chat *ch, enum sec s, char *line);
/* The prompt while the confirmation is asked; false otherwise. */
bool chat_account_prompt(const struct chat *ch, char *out, size_t n);
/* The session ended (reason as on_session_ended has it; NULL for a
 * dropped link): true when it is the end of a deleted account, which is
 * then forgotten, and the client exits 0. */
bool chat_account_gone(struct chat *ch, const char *reason);
/* Frees an export under way. */
void chat_account_clear(struct chat *ch);

/* chat_plan.c */
/* /card, /plan, /cleantime, /milestones and /settings (`line` without its
 * '/', unsplit: a plan's and a contact's words keep their apostrophes):
 * false when it is not one. */
bool chat_plan_command(struct chat *ch, const char *line);
void chat_plan_help(void);
/* Someone just asked for support: shows their own plan and crisis card
 * (only what they wrote) while they wait. */
void chat_plan_while_waiting(struct chat *ch);
/* /settings KEY VALUE, split (argv[0] is KEY); /goal N comes here too. */
void chat_plan_setting(struct chat *ch, int argc, char **argv);

#endif
