/*
 * Buddies, pings and private conversations as the terminal shows them:
 * parsing /ping (and `hearth ping`), and the sentences for the replies and
 * events (pings, alerts, the buddy list, pairings and their quiet end,
 * conversation lines). Pure: callers pass the time; text_time() and
 * bud_fmt_day() read the local time zone.
 *
 * An ended pairing never says why: the other person may have ended it,
 * blocked the reader or left; the sentence is the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buddies.h"

#define ALERT_STYLE "\033[1;35m"
#define ALERT_PREFIX "*** "
#define RECENT_MS (2 * 60 * 1000)

/* ------------------------------------------------------------- pings */

static bool ping_keyword(const char *w, enum proto_ping_kind *kind)
{
    static const struct { const char *word; enum proto_ping_kind kind; } words[] = {
        {"thinking", PROTO_PING_THINKING},     {"thinking_of_you", PROTO_PING_THINKING},
        {"call", PROTO_PING_CALL_ME},          {"call_me", PROTO_PING_CALL_ME},
        {"struggling", PROTO_PING_STRUGGLING},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (cmd_word_is(w, words[i].word)) {
            *kind = words[i].kind;
            return true;
        }
    }
    return false;
}

enum bud_parse bud_parse_ping(const char *s, struct bud_ping_args *out)
{
    memset(out, 0, sizeof *out);
    /* HANDLE [rest]: mod.c's parser, whose reason limit is a ping's. */
    struct mod_args a;
    enum mod_parse rc = mod_parse_target(s, 0, &a);
    static const enum bud_parse map[] = {
        [MOD_OK] = BUD_OK,                [MOD_NO_HANDLE] = BUD_NO_HANDLE,
        [MOD_BAD_HANDLE] = BUD_BAD_HANDLE, [MOD_BAD_NUMBER] = BUD_BAD_HANDLE,
        [MOD_LONG_REASON] = BUD_LONG_TEXT, [MOD_NO_MEMORY] = BUD_NO_MEMORY,
    };
    _Static_assert(PROTO_REASON_MAX == PROTO_PING_TEXT_MAX, "a ping's text is a reason's length");
    memcpy(out->handle, a.handle, sizeof out->handle);
    if (rc != MOD_OK) {
        mod_args_free(&a);
        return map[rc];
    }
    out->kind = PROTO_PING_THINKING;
    if (a.reason && !ping_keyword(a.reason, &out->kind)) {
        out->kind = PROTO_PING_TEXT;
        out->text = a.reason;   /* ours now */
        return BUD_OK;
    }
    mod_args_free(&a);
    return BUD_OK;
}

void bud_ping_args_free(struct bud_ping_args *a)
{
    free(a->text);
    a->text = NULL;
}

const char *bud_ping_words(enum proto_ping_kind k)
{
    switch (k) {
    case PROTO_PING_THINKING: return "thinking of you";
    case PROTO_PING_CALL_ME: return "call me";
    case PROTO_PING_STRUGGLING: return "struggling";
    default: return "a message";
    }
}

char *bud_alert_line(const char *sentence, bool styled)
{
    struct text_buf b = {0};
    const char *p = sentence ? sentence : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        const char *sep = b.len ? "\n" : "";
        if (styled)
            text_buf_add(&b, "%s" ALERT_STYLE "%.*s\033[0m", sep, len, p);
        else
            text_buf_add(&b, "%s" ALERT_PREFIX "%.*s", sep, len, p);
        if (!nl)
            return text_buf_take(&b);
        p = nl + 1;
    }
}

char *bud_ping_received_text(const struct proto_ping *p, int64_t now_ms)
{
    char who[MTG_NAME];
    mtg_safe_name(p->from ? p->from : "someone", who);
    struct text_buf b = {0};
    switch (p->kind) {
    case PROTO_PING_THINKING:
        text_buf_add(&b, "%s is thinking of you.", who);
        break;
    case PROTO_PING_CALL_ME:
        text_buf_add(&b, "%s asks you to call them.", who);
        break;
    case PROTO_PING_STRUGGLING:
        text_buf_add(&b, "%s is struggling and pinged you. /dm %s to talk, or /ping %s call to "
                         "ask them to call.", who, who, who);
        break;
    default: {
        char *text = text_one_line(p->text);
        text_buf_add(&b, "%s pinged you: %s", who, text ? text : "");
        free(text);
        break;
    }
    }
    if (p->ts && now_ms - p->ts > RECENT_MS) {
        char when[32];
        text_time(p->ts, now_ms, when);
        text_buf_add(&b, " (sent %s)", when);
    }
    return text_buf_take(&b);
}

char *bud_ping_sent_text(const struct proto_ping *p)
{
    char to[MTG_NAME];
    mtg_safe_name(p->to, to);
    struct text_buf b = {0};
    if (p->kind == PROTO_PING_TEXT)
        text_buf_add(&b, "Pinged %s with your words.", to);
    else
        text_buf_add(&b, "Pinged %s: %s.", to, bud_ping_words(p->kind));
    text_buf_add(&b, p->seen_at ? " They have seen it."
                     : p->delivered_at ? " It reached them."
                                       : " They will get it when they are back.");
    return text_buf_take(&b);
}

char *bud_ping_status_text(const char *to, const char *state)
{
    char who[MTG_NAME];
    mtg_safe_name(to, who);
    struct text_buf b = {0};
    if (state && strcmp(state, "seen") == 0)
        text_buf_add(&b, "%s saw your ping.", who);
    else if (state && strcmp(state, "delivered") == 0)
        text_buf_add(&b, "Your ping reached %s.", who);
    return text_buf_take(&b);
}

/* A sent ping's fate: "seen 14:05", "delivered 14:02", "not delivered yet". */
static void ping_fate(const struct proto_ping *p, int64_t now_ms, char out[48])
{
    char when[32];
    if (p->seen_at || p->delivered_at) {
        text_time(p->seen_at ? p->seen_at : p->delivered_at, now_ms, when);
        snprintf(out, 48, "%s %s", p->seen_at ? "seen" : "delivered", when);
    } else {
        snprintf(out, 48, "not delivered yet");
    }
}

char *bud_pings_text(const struct proto_ping *p, size_t n, const char *me, int64_t now_ms)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "No pings in the last 7 days. /ping HANDLE lets a buddy know you are "
                         "thinking of them.");
        return text_buf_take(&b);
    }
    text_buf_add(&b, "Pings in the last 7 days, newest first:");
    for (size_t i = 0; i < n; i++) {
        bool sent = me && p[i].from && strcmp(p[i].from, me) == 0;
        char when[32], who[MTG_NAME], fate[48] = "";
        text_time(p[i].ts, now_ms, when);
        mtg_safe_name(sent ? p[i].to : p[i].from, who);
        if (sent)
            ping_fate(&p[i], now_ms, fate);
        char *words = p[i].kind == PROTO_PING_TEXT ? text_one_line(p[i].text) : NULL;
        text_buf_add(&b, "\n  %-12s  %-4s %-*s  %-*s%s", when, sent ? "to" : "from",
                     PROTO_HANDLE_MIN + 5, who, *fate ? 22 : 0,
                     words ? words : bud_ping_words(p[i].kind), fate);
        free(words);
    }
    return text_buf_take(&b);
}

/* ------------------------------------------------------- buddy lists */

void bud_fmt_day(int64_t ms, int64_t now_ms, char out[24])
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(ms / 1000), now = (time_t)(now_ms / 1000);
    struct tm tm, tn;
    if (!localtime_r(&t, &tm) || !localtime_r(&now, &tn) || tm.tm_mon < 0 || tm.tm_mon > 11) {
        snprintf(out, 24, "?");
        return;
    }
    if (tm.tm_year == tn.tm_year)
        snprintf(out, 24, "%s %d", months[tm.tm_mon], tm.tm_mday);
    else
        snprintf(out, 24, "%s %d, %d", months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
}

static void add_requests(struct text_buf *b, const char *heading,
                         const struct proto_buddy_request *r, size_t n, int64_t now_ms)
{
    if (n == 0)
        return;
    text_buf_add(b, "\n%s", heading);
    for (size_t i = 0; i < n; i++) {
        char who[MTG_NAME], day[24];
        mtg_safe_name(r[i].handle, who);
        bud_fmt_day(r[i].ts, now_ms, day);
        text_buf_add(b, "\n  %-*s  since %s", PROTO_HANDLE_MIN + 9, who, day);
    }
}

char *bud_list_text(const struct proto_result *res, int64_t now_ms)
{
    struct text_buf b = {0};
    size_t n = res->u.buddies.n;
    text_buf_add(&b, n ? "Your buddies:" : "You have no buddies yet.");
    for (size_t i = 0; i < n; i++) {
        const struct proto_buddy *bd = &res->u.buddies.buddies[i];
        char who[MTG_NAME], day[24];
        mtg_safe_name(bd->handle, who);
        bud_fmt_day(bd->since, now_ms, day);
        text_buf_add(&b, "\n  %-*s  %-9s  buddies since %s", PROTO_HANDLE_MIN + 9, who,
                     fmt_status(bd->status), day);
    }
    add_requests(&b, "Asking you to be their buddy (/buddy accept HANDLE or /buddy decline "
                     "HANDLE):", res->u.buddies.incoming, res->u.buddies.n_incoming, now_ms);
    add_requests(&b, "You asked (/buddy cancel HANDLE withdraws it):", res->u.buddies.outgoing,
                 res->u.buddies.n_outgoing, now_ms);
    text_buf_add(&b, "\n%zu of %u buddies.", n, (unsigned)res->u.buddies.limit);
    if (n)
        text_buf_add(&b, " /dm HANDLE to talk, /ping HANDLE to reach out.");
    if (n < res->u.buddies.limit)
        text_buf_add(&b, " /buddy add HANDLE asks someone; /match join finds someone for you.");
    return text_buf_take(&b);
}

/* ------------------------------------------------------ buddy events */

char *bud_request_text(const char *handle)
{
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    struct text_buf b = {0};
    text_buf_add(&b, "%s asks to be your buddy. /buddy accept %s or /buddy decline %s.", who, who,
                 who);
    return text_buf_take(&b);
}

char *bud_paired_text(const char *handle)
{
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    struct text_buf b = {0};
    text_buf_add(&b, "You and %s are buddies now: /dm %s to talk privately, /ping %s to let them "
                     "know you are thinking of them.", who, who, who);
    return text_buf_take(&b);
}

char *bud_ended_text(const char *handle, enum bud_link was)
{
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    struct text_buf b = {0};
    switch (was) {
    case BUD_PAIRED:
        text_buf_add(&b, "Your buddy pairing with %s has ended. Your conversation stays "
                         "readable: /dm %s.", who, who);
        break;
    case BUD_ASKED_ME:
        text_buf_add(&b, "%s's buddy request is closed.", who);
        break;
    case BUD_I_ASKED:
        text_buf_add(&b, "Your buddy request to %s is closed.", who);
        break;
    default:
        break;   /* nothing this client knew of: nothing to say */
    }
    return text_buf_take(&b);
}

char *bud_done_text(enum proto_req_type t, const char *handle)
{
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    struct text_buf b = {0};
    switch (t) {
    case PROTO_REQ_BUDDY_REQUEST:
        text_buf_add(&b, "Asked %s to be your buddy. You will hear when they say yes.", who);
        break;
    case PROTO_REQ_BUDDY_DECLINE:
        text_buf_add(&b, "Declined %s's request. They are not told why.", who);
        break;
    case PROTO_REQ_BUDDY_CANCEL:
        text_buf_add(&b, "Withdrew your buddy request to %s.", who);
        break;
    default:
        text_buf_add(&b, "You and %s are no longer buddies. Your conversation stays readable.",
                     who);
        break;
    }
    return text_buf_take(&b);
}

/* ------------------------------------------------------ conversations */

void bud_label(const char *room, const char *peer, char out[BUD_LABEL])
{
    char name[MTG_NAME];
    if (proto_is_conversation_name(room) && peer && *peer) {
        mtg_safe_name(peer, name);
        snprintf(out, BUD_LABEL, "@%s", name);
    } else if (proto_is_conversation_name(room)) {
        snprintf(out, BUD_LABEL, "%s", room);   /* "~" and a-z 0-9 only */
    } else {
        mtg_safe_name(room, name);
        snprintf(out, BUD_LABEL, "#%s", name);
    }
}

char *bud_conv_line(const struct proto_room_event *ev, const char *peer, int64_t now_ms,
                    bool show_seq)
{
    char label[BUD_LABEL], when[32], who[MTG_NAME], seq[32] = "";
    bud_label(ev->room, peer, label);
    text_time(ev->ts, now_ms, when);
    mtg_safe_name(ev->handle ? ev->handle : "?", who);
    if (show_seq)
        snprintf(seq, sizeof seq, "#%" PRIu64 " ", ev->seq);
    struct text_buf b = {0};
    if (ev->kind != PROTO_EV_MESSAGE) {
        text_buf_add(&b, "[%s] %s %s%s %s", label, when, seq, who,
                     ev->kind == PROTO_EV_JOINED ? "joined" : "left");
    } else if (ev->removed || !ev->text) {
        text_buf_add(&b, "[%s] %s %s<%s> (removed)", label, when, seq, who);
    } else {
        char *text = text_sanitize(ev->text, "    ");
        text_buf_add(&b, "[%s] %s %s<%s> %s", label, when, seq, who, text ? text : "");
        free(text);
    }
    return text_buf_take(&b);
}

enum bud_receipt bud_receipt_of(uint64_t mine, uint64_t delivered, uint64_t seen)
{
    if (!mine || delivered < mine)
        return BUD_SENT;
    return seen >= mine ? BUD_SEEN : BUD_DELIVERED;
}

char *bud_receipt_line(const char *room, const char *peer, enum bud_receipt st)
{
    if (st != BUD_DELIVERED && st != BUD_SEEN)
        return NULL;
    char label[BUD_LABEL];
    bud_label(room, peer, label);
    struct text_buf b = {0};
    text_buf_add(&b, "[%s] %s", label, st == BUD_SEEN ? "seen" : "delivered");
    return text_buf_take(&b);
}

char *bud_conversations_text(const struct proto_room *rooms, size_t n)
{
    struct text_buf b = {0};
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (rooms[i].kind == PROTO_KIND_ROOM)
            continue;
        char label[BUD_LABEL];
        bud_label(rooms[i].room, rooms[i].peer, label);
        text_buf_add(&b, "%s%s%s", shown++ ? ", " : "Private conversations: ", label,
                     rooms[i].kind == PROTO_KIND_SUPPORT ? " (support)" : "");
    }
    if (shown)
        text_buf_add(&b, " (/dm HANDLE to talk).");
    return text_buf_take(&b);
}

/* -------------------------------------------------------- seen file */

/* One line "SERVER HANDLE ROOM SEQ" (len bytes at p): the entry, when it
 * is the account's. */
static bool seen_line(const char *p, size_t len, const char *server, const char *handle,
                      struct bud_seen *out)
{
    char srv[512], who[PROTO_HANDLE_MAX + 1], room[PROTO_HANDLE_MAX + 1], line[700];
    unsigned long long seq;
    if (len >= sizeof line)
        return false;
    memcpy(line, p, len);
    line[len] = '\0';
    if (sscanf(line, "%511s %32s %32s %llu", srv, who, room, &seq) != 4)
        return false;
    if (strcmp(srv, server) != 0 || strcmp(who, handle) != 0 ||
        !proto_is_conversation_name(room))
        return false;
    memcpy(out->room, room, sizeof out->room);
    out->seq = seq;
    return true;
}

size_t bud_seen_parse(const char *text, const char *server, const char *handle,
                      struct bud_seen *out, size_t max)
{
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n < max;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (seen_line(p, len, server, handle, &out[n]))
            n++;
        p += len + (nl ? 1 : 0);
    }
    return n;
}

char *bud_seen_format(const char *text, const char *server, const char *handle,
                      const struct bud_seen *s, size_t n)
{
    struct text_buf b = {0};
    for (const char *p = text ? text : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        struct bud_seen mine;
        if (len && !seen_line(p, len, server, handle, &mine))
            text_buf_add(&b, "%.*s\n", (int)len, p);   /* another account's */
        p += len + (nl ? 1 : 0);
    }
    for (size_t i = 0; i < n; i++)
        text_buf_add(&b, "%s %s %s %" PRIu64 "\n", server, handle, s[i].room, s[i].seq);
    return text_buf_take(&b);
}
