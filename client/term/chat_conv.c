/*
 * Private conversations in the interactive client: a buddy conversation
 * (or a support conversation, kind support, between someone who asked for
 * support and the one who answered) is a room named "~xxxxxxxx" that only
 * its two members see. Nobody joins one, so the client follows each
 * conversation of the room list itself (hc_follow) once signed in, and a
 * new one when a pairing begins or a request for support is answered;
 * their messages show as "[@bob] 14:02 <ann> text", and /dm, /switch @bob
 * and /history work on them like on a room. Two people may have both a
 * buddy conversation and support conversations: @bob is the support
 * conversation while it lasts, else the buddy one, else the latest.
 *
 * So that messages that came while the client was not running are shown
 * once, the last message shown in each conversation is kept in the file
 * "conversations" next to the session (lines "SERVER HANDLE ROOM SEQ"),
 * written when the client quits or signs out; a conversation the file
 * does not know starts with its last BACKLOG messages.
 *
 * Receipts: what is shown is what was seen, so the server is told
 * (room.read, one at a time per conversation: a burst of messages costs
 * one or two); and when my last message reaches the peer, or they read
 * it, a dim line says so: "[@bob] delivered", "[@bob] seen".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

#define CONV_FILE "conversations"
#define CONV_FILE_MAX 65536
#define CONV_SAVED_MAX 256

/* ------------------------------------------------------------ lookups */

struct conv *chat_conv_find(const struct chat *ch, const char *room)
{
    for (size_t i = 0; room && i < ch->nconvs; i++)
        if (strcmp(ch->convs[i].room, room) == 0)
            return &ch->convs[i];
    return NULL;
}

struct conv *chat_conv_with(const struct chat *ch, const char *peer)
{
    struct conv *buddy = NULL, *latest = NULL;
    for (size_t i = 0; peer && i < ch->nconvs; i++) {
        struct conv *cv = &ch->convs[i];
        if (strcmp(cv->peer, peer) != 0)
            continue;
        if (cv->kind == PROTO_KIND_SUPPORT && chat_support_live(ch, cv->room))
            return cv;
        if (cv->kind == PROTO_KIND_BUDDY && !buddy)
            buddy = cv;
        latest = cv;
    }
    return buddy ? buddy : latest;
}

void chat_room_label(const struct chat *ch, const char *room, char out[BUD_LABEL])
{
    const struct conv *cv = chat_conv_find(ch, room);
    bud_label(room, cv ? cv->peer : NULL, out);
}

/* --------------------------------------------------- the seen file */

/* Whose lines these are: the account signed in (or last signed in; the
 * session file's handle is set by every sign-in and resume). */
static const char *account(const struct chat *ch)
{
    return ch->cfg->handle;
}

/* The file's text (malloc'd; NULL without memory or when it cannot be read). */
static char *read_seen_file(const struct chat *ch)
{
    char *buf = malloc(CONV_FILE_MAX);
    if (buf && cfg_read_file(ch->cfgdir, CONV_FILE, buf, CONV_FILE_MAX) < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static size_t load_seen(const struct chat *ch, struct bud_seen *out, size_t max)
{
    char *text = read_seen_file(ch);
    size_t n = bud_seen_parse(text, ch->o->server, account(ch), out, max);
    free(text);
    return n;
}

void chat_conv_save(struct chat *ch)
{
    if (!ch->convs_dirty || !account(ch)[0])
        return;
    struct bud_seen *s = calloc(ch->nconvs ? ch->nconvs : 1, sizeof *s);
    char *old = read_seen_file(ch);
    if (!s || !old) {
        free(s);
        free(old);
        return;   /* unreadable: better kept as it is than overwritten */
    }
    for (size_t i = 0; i < ch->nconvs; i++) {
        memcpy(s[i].room, ch->convs[i].room, sizeof s[i].room);
        s[i].seq = ch->convs[i].seen;
    }
    char *text = bud_seen_format(old, ch->o->server, account(ch), s, ch->nconvs);
    int rc = cfg_write_file(ch->cfgdir, CONV_FILE, text ? text : "", text ? strlen(text) : 0);
    if (rc < 0)
        ui_line(UI_ERROR, "Could not save %s/%s: %s", ch->cfgdir, CONV_FILE, strerror(-rc));
    else
        ch->convs_dirty = false;
    free(text);
    free(old);
    free(s);
}

void chat_conv_clear(struct chat *ch)
{
    free(ch->convs);
    ch->convs = NULL;
    ch->nconvs = ch->convs_cap = 0;
    ch->convs_known = false;
}

/* ---------------------------------------------------------- following */

/* Follows room from `after` (its events after that seq are shown); NULL
 * without memory. */
static struct conv *follow(struct chat *ch, const char *room, const char *peer,
                           enum proto_room_kind kind, uint64_t after)
{
    void *convs = chat_grow(ch->convs, ch->nconvs, &ch->convs_cap, sizeof *ch->convs);
    if (!convs)
        return NULL;
    ch->convs = convs;
    struct conv *cv = &ch->convs[ch->nconvs++];
    memset(cv, 0, sizeof *cv);
    snprintf(cv->room, sizeof cv->room, "%s", room);
    snprintf(cv->peer, sizeof cv->peer, "%s", peer ? peer : "");
    cv->kind = kind;
    cv->seen = after;
    ch->convs_dirty = true;
    hc_follow(ch->c, room, after);
    return cv;
}

/* Where a conversation of the first room list starts: after the last
 * message seen in an earlier run, else with its last BACKLOG messages. */
static uint64_t start_after(const struct proto_room *r, const struct bud_seen *saved, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(saved[i].room, r->room) == 0)
            return saved[i].seq < r->last_seq ? saved[i].seq : r->last_seq;
    return r->last_seq > BACKLOG ? r->last_seq - BACKLOG : 0;
}

/* The peer's marks as the server tells them; `say`: a line when my last
 * message got further than was said. */
static void update_marks(struct conv *cv, uint64_t delivered, uint64_t seen, bool say)
{
    cv->peer_delivered = delivered;
    cv->peer_seen = seen;
    enum bud_receipt st = bud_receipt_of(cv->mine, delivered, seen);
    if (say && st > cv->told) {
        char *line = bud_receipt_line(cv->room, cv->peer, st);
        if (line)
            ui_line(UI_DIM, "%s", line);
        free(line);
    }
    cv->told = st;   /* lower too: the peer turned read receipts off */
}

void chat_conv_rooms(struct chat *ch, const struct proto_room *rooms, size_t n)
{
    struct bud_seen saved[CONV_SAVED_MAX];
    size_t nsaved = ch->convs_known ? 0 : load_seen(ch, saved, CONV_SAVED_MAX);
    for (size_t i = 0; i < n; i++) {
        const struct proto_room *r = &rooms[i];
        if (r->kind == PROTO_KIND_ROOM || !proto_is_conversation_name(r->room))
            continue;
        struct conv *cv = chat_conv_find(ch, r->room);
        if (cv) {
            if (!cv->peer[0] && r->peer)
                snprintf(cv->peer, sizeof cv->peer, "%s", r->peer);
            /* Back after a lost connection: they may have read it meanwhile. */
            update_marks(cv, r->peer_delivered, r->peer_seen, true);
            continue;
        }
        cv = follow(ch, r->room, r->peer, r->kind,
                    ch->convs_known ? 0 : start_after(r, saved, nsaved));
        if (cv)
            update_marks(cv, r->peer_delivered, r->peer_seen, false);
    }
    ch->convs_known = true;
}

void chat_conv_begin(struct chat *ch, const char *room, const char *peer,
                     enum proto_room_kind kind)
{
    if (!proto_is_conversation_name(room))
        return;
    struct conv *cv = chat_conv_find(ch, room);
    if (!cv)
        follow(ch, room, peer, kind, 0);
    else if (peer)
        snprintf(cv->peer, sizeof cv->peer, "%s", peer);
}

static void on_resync_list(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    if (!op->ch->quitting && r->err == PROTO_OK)
        chat_conv_rooms(op->ch, r->result->u.list.rooms, r->result->u.list.n);
    chat_op_end(op, false);
}

void chat_conv_resync(struct chat *ch)
{
    if (ch->convs_known)
        chat_request_quietly(chat_op_new(ch, NULL), PROTO_REQ_ROOM_LIST, on_resync_list);
}

/* ------------------------------------------------------------- events */

bool chat_conv_print(const struct chat *ch, const struct proto_room_event *ev, bool show_seq)
{
    if (!proto_is_conversation_name(ev->room))
        return false;
    const struct conv *cv = chat_conv_find(ch, ev->room);
    char *line = bud_conv_line(ev, cv ? cv->peer : NULL, ui_now_ms(), show_seq);
    if (line)
        ui_line(UI_PLAIN, "%s", line);
    free(line);
    return true;
}

static void mark_read(struct chat *ch, struct conv *cv);

static void on_read(struct hc_client *c, const struct hc_reply *r, void *ud)
{
    struct op *op = ud;
    (void)c;
    struct conv *cv = chat_conv_find(op->ch, op->room);   /* NULL: signed out meanwhile */
    if (cv) {
        cv->read_busy = false;
        /* A refusal is not tried again for the same seq (an older server
         * does not know room.read); the next message shown tries. */
        uint64_t got = r->err == PROTO_OK ? r->result->u.read.seen : op->seq;
        if (got > cv->read_sent)
            cv->read_sent = got;
        if (r->err == PROTO_OK && !op->ch->quitting)
            mark_read(op->ch, cv);   /* more was shown meanwhile */
    }
    chat_op_end(op, false);
}

/* Tells the server what of cv was shown, unless a room.read is on its way:
 * its reply sends the rest. Quiet: nobody waits for it. */
static void mark_read(struct chat *ch, struct conv *cv)
{
    if (cv->read_busy || cv->seen <= cv->read_sent || ch->quitting)
        return;
    struct op *op = chat_op_new(ch, cv->room);
    struct proto_request q;
    memset(&q, 0, sizeof q);
    q.type = PROTO_REQ_ROOM_READ;
    q.u.read.room = op->room;
    q.u.read.seq = cv->seen;
    op->seq = cv->seen;
    if (hc_request(ch->c, &q, on_read, op) != 0) {
        chat_op_end(op, false);
        return;
    }
    cv->read_busy = true;
}

void chat_conv_event(struct chat *ch, const struct proto_event *ev)
{
    if (ev->type != PROTO_EVT_ROOM_RECEIPT)
        return;
    struct conv *cv = chat_conv_find(ch, ev->u.receipt.room);
    if (cv)
        update_marks(cv, ev->u.receipt.delivered, ev->u.receipt.seen, true);
}

bool chat_conv_room_event(struct chat *ch, const struct proto_room_event *ev)
{
    if (!chat_conv_print(ch, ev, false))
        return false;
    struct conv *cv = chat_conv_find(ch, ev->room);
    if (!cv)
        return true;
    if (ev->seq > cv->seen) {
        cv->seen = ev->seq;
        ch->convs_dirty = true;
    }
    const char *me = chat_me(ch);
    if (ev->kind == PROTO_EV_MESSAGE && ev->handle && me && strcmp(ev->handle, me) == 0 &&
        ev->seq > cv->mine) {
        cv->mine = ev->seq;   /* a new last message of mine: nothing said of it yet */
        cv->told = bud_receipt_of(cv->mine, cv->peer_delivered, cv->peer_seen);
    }
    mark_read(ch, cv);
    return true;
}

/* ----------------------------------------------- the current "room" */

bool chat_conv_prompt(const struct chat *ch, char *out, size_t n)
{
    if (!proto_is_conversation_name(ch->current))
        return false;
    char label[BUD_LABEL];
    chat_room_label(ch, ch->current, label);
    mtg_prompt(NULL, label, NULL, false, out, n);
    return true;
}

static void make_current(struct chat *ch, const struct conv *cv)
{
    char label[BUD_LABEL];
    bud_label(cv->room, cv->peer, label);
    chat_set_current(ch, cv->room);
    ui_line(UI_NOTICE, "Now talking with %s, privately: only the two of you can read this.",
            label);
    if (cv->kind == PROTO_KIND_SUPPORT && !chat_support_live(ch, cv->room))
        ui_line(UI_DIM, "This support conversation has ended: you can read it but not add to "
                        "it. /sos asks for support again.");
    else if (cv->kind == PROTO_KIND_BUDDY && cv->peer[0] && ch->buds_known &&
             chat_buddy_link(ch, cv->peer) != BUD_PAIRED)
        ui_line(UI_DIM, "You and %s are no longer buddies: you can read your conversation but "
                        "not add to it.", label + 1);
}

bool chat_conv_enter(struct chat *ch, const char *room)
{
    const struct conv *cv = chat_conv_find(ch, room);
    if (cv)
        make_current(ch, cv);
    return cv != NULL;
}

bool chat_conv_open(struct chat *ch, const char *handle)
{
    const struct conv *cv = chat_conv_with(ch, handle);
    if (!cv) {
        char msg[200];
        snprintf(msg, sizeof msg, "You have no conversation with %s: /buddy add %s asks them to "
                                  "be your buddy.", handle, handle);
        chat_refuse(ch, msg);
        return false;
    }
    make_current(ch, cv);
    return true;
}

bool chat_conv_switch(struct chat *ch, const char *arg)
{
    char h[PROTO_HANDLE_MAX + 1];
    if (arg[0] == PROTO_CONV_PREFIX) {
        if (!chat_conv_enter(ch, arg))
            chat_refuse(ch, "You have no conversation of that name: /rooms lists yours.");
        return true;
    }
    bool at = arg[0] == '@';
    if (!proto_name_fold(at ? arg + 1 : arg, h)) {
        if (at)
            chat_refuse(ch, "Usage: /switch @HANDLE (a buddy's handle)");
        return at;
    }
    /* A bare word: a room I am in comes first. */
    if (!at && (chat_is_joined(ch, h) || !chat_conv_with(ch, h)))
        return false;
    chat_conv_open(ch, h);
    return true;
}
