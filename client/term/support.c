/*
 * Asking for support as the terminal shows it: parsing /sos (and `hearth
 * sos`), waits as a clock and in words, and the sentences for one's own
 * request, the ones one helps in, offers, the queue and the waiting
 * figures. Pure: callers pass what they know.
 *
 * Someone asking may be at their worst moment: every sentence says what
 * happens next, and none of them scolds. A request nobody has answered
 * yet is never called failed: it stays open, and the asker is shown where
 * to get help now.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* ------------------------------------------------------------ parsing */

bool sup_parse_urgency(const char *w, enum proto_urgency *out)
{
    static const struct { const char *word; enum proto_urgency u; } words[] = {
        {"talk", PROTO_URGENCY_TALK},
        {"craving", PROTO_URGENCY_CRAVING},
        {"crisis", PROTO_URGENCY_CRISIS},
    };
    for (size_t i = 0; w && i < sizeof words / sizeof words[0]; i++) {
        if (cmd_word_is(w, words[i].word)) {
            *out = words[i].u;
            return true;
        }
    }
    return false;
}

static enum sup_parse take_text(const char *s, char **out)
{
    int rc = cmd_take_rest(s, PROTO_NOTE_MAX, out);
    return rc == 0 ? SUP_OK : rc == -E2BIG ? SUP_LONG_TEXT : SUP_NO_MEMORY;
}

enum sup_parse sup_parse_sos(const char *s, struct sup_sos_args *out)
{
    memset(out, 0, sizeof *out);
    out->urgency = PROTO_URGENCY_TALK;
    s = s ? s : "";
    const char *after = s;
    char word[16];
    bool has_word = cmd_next_word(&after, word, sizeof word);
    if (has_word && cmd_word_is(word, "cancel")) {
        out->verb = SUP_CANCEL;
        return *cmd_skip_blanks(after) ? SUP_USAGE : SUP_OK;
    }
    if (has_word && cmd_word_is(word, "end")) {
        out->verb = SUP_END;
        s = after;
    } else if (has_word && sup_parse_urgency(word, &out->urgency)) {
        out->has_urgency = true;
        s = after;
    }
    return take_text(s, &out->text);
}

void sup_sos_args_free(struct sup_sos_args *a)
{
    free(a->text);
    a->text = NULL;
}

const char *sup_parse_error(enum sup_parse rc, bool oneshot)
{
    switch (rc) {
    case SUP_LONG_TEXT:
        return "Your words are at most 500 characters: say the rest to whoever answers.";
    case SUP_NO_MEMORY:
        return "Out of memory.";
    default:
        return oneshot ? "usage: hearth sos [--wait MINUTES] [talk|craving|crisis] [NOTE...]"
                       : "/sos cancel takes no words. /sos [talk|craving|crisis] [NOTE...] "
                         "asks for support; /sos end [THANKS...] ends a conversation.";
    }
}

/* ---------------------------------------------------------- durations */

void sup_fmt_wait(int64_t ms, char out[16])
{
    mtg_fmt_left(ms < 0 ? 0 : ms / 1000 * 1000, out);   /* whole seconds: no rounding up */
}

void sup_fmt_duration(int64_t ms, char out[32])
{
    static const struct { long long secs; const char *name; } units[] = {
        {86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"},
    };
    long long s = ms < 0 ? 0 : ms / 1000;
    size_t i = 0;
    while (i + 1 < sizeof units / sizeof units[0] && s < units[i].secs)
        i++;
    long long big = s / units[i].secs;
    long long small = i + 1 < sizeof units / sizeof units[0]
                          ? s % units[i].secs / units[i + 1].secs : 0;
    char text[80];   /* wide enough for any value; out keeps what fits */
    if (small)
        snprintf(text, sizeof text, "%lld %s %lld %s", big, units[i].name, small,
                 units[i + 1].name);
    else
        snprintf(text, sizeof text, "%lld %s", big, units[i].name);
    size_t len = strlen(text) < 31 ? strlen(text) : 31;
    memcpy(out, text, len);
    out[len] = '\0';
}

/* ---------------------------------------------------------- sentences */

static const char *urgency_word(enum proto_urgency u)
{
    const char *w = proto_urgency_name(u);
    return w ? w : "talk";
}

/* ": "the words"" on one line; nothing when there are none. */
static void add_quoted(struct text_buf *b, const char *sep, const char *words)
{
    char *w = text_one_line(words);
    if (w && *w)
        text_buf_add(b, "%s\"%s\"", sep, w);
    free(w);
}

static bool is(const char *s, const char *word)
{
    return s && strcmp(s, word) == 0;
}

char *sup_danger_text(const char *const *resources, size_t n)
{
    return saf_resources_text("If you are in danger now:", resources, n);
}

/* The asker's words once someone answered. */
static void add_accepted(struct text_buf *b, const char *who, bool oneshot)
{
    if (oneshot)
        text_buf_add(b, "%s answered: run `hearth` and /dm %s to talk with them.", who, who);
    else
        text_buf_add(b, "%s is with you: type here to talk; only the two of you can read it. "
                        "/dm %s comes back here; /sos end [THANKS] closes it when you are ready.",
                     who, who);
}

/* The asker's words for a request back in the queue. */
static void add_requeued(struct text_buf *b, const char *by, const char *who)
{
    if (is(by, "handed_back"))
        text_buf_add(b, "%s could not stay and handed your request back. Asking everyone else "
                        "on duty…", *who ? who : "Your helper");
    else if (is(by, "helper_lost"))
        text_buf_add(b, "%s lost their connection, so your request went back to the queue. "
                        "Asking everyone on duty…", *who ? who : "Your helper");
    else
        text_buf_add(b, "Asking everyone on duty…");
}

char *sup_mine_text(const struct proto_support *r, const char *by, const char *prev_helper,
                    const char *const *resources, size_t n, bool oneshot)
{
    const char *again = oneshot ? "`hearth sos`" : "/sos";
    char who[MTG_NAME];
    mtg_safe_name(r->helper && *r->helper ? r->helper : prev_helper, who);
    struct text_buf b = {0};
    switch (r->state) {
    case PROTO_SUPPORT_ASKING_BUDDIES:
        text_buf_add(&b, "Asking your buddies who are online… If none of them can answer soon, "
                         "everyone on duty is asked too.");
        break;
    case PROTO_SUPPORT_ASKING_SUPPORTERS:
        add_requeued(&b, by, who);
        break;
    case PROTO_SUPPORT_NOBODY_YET: {
        char *danger = sup_danger_text(resources, n);
        text_buf_add(&b, "Nobody has answered yet. You are not forgotten: your request stays "
                         "open, and whoever comes on duty sees it.\n%s", danger ? danger : "");
        if (n == 0)   /* the server's list was not at hand */
            text_buf_add(&b, "\n%s lists where to get help.",
                         oneshot ? "`hearth help-now`" : "/help-now");
        free(danger);
        break;
    }
    case PROTO_SUPPORT_ACCEPTED:
        add_accepted(&b, *who ? who : "someone", oneshot);
        break;
    case PROTO_SUPPORT_CLOSED:
        if (is(by, "helper"))
            text_buf_add(&b, "%s has ended your support conversation. It stays readable (/dm "
                             "%s). %s is here whenever you need it.", who, who, again);
        else
            text_buf_add(&b, "Your support conversation with %s has ended. Take good care of "
                             "yourself; %s is here whenever you need it.", who, again);
        break;
    default:
        text_buf_add(&b, "Your request for support is withdrawn. %s is here whenever you need "
                         "it.", again);
        break;
    }
    return text_buf_take(&b);
}

bool sup_was_open(const struct proto_support *r)
{
    return r->waited_ms >= 5000 || !(r->state == PROTO_SUPPORT_ASKING_BUDDIES ||
                                     r->state == PROTO_SUPPORT_ASKING_SUPPORTERS);
}

char *sup_already_text(const struct proto_support *r)
{
    struct text_buf b = {0};
    text_buf_add(&b, "You already have a request for support open (%s). It stays as it was:",
                 urgency_word(r->urgency));
    return text_buf_take(&b);
}

char *sup_helper_text(const struct proto_support *r, const char *by, const char *thanks)
{
    char who[MTG_NAME], wait[16];
    mtg_safe_name(r->requester, who);
    struct text_buf b = {0};
    switch (r->state) {
    case PROTO_SUPPORT_ACCEPTED:
        sup_fmt_wait(r->waited_ms, wait);
        text_buf_add(&b, "You are with %s now (%s, waited %s)", who, urgency_word(r->urgency),
                     wait);
        add_quoted(&b, ": ", r->note);
        text_buf_add(&b, ". Only the two of you can read this conversation. /handback if you "
                         "cannot stay, /sos end when you are done.");
        break;
    case PROTO_SUPPORT_CLOSED:
        if (is(by, "helper")) {
            text_buf_add(&b, "You ended your support conversation with %s. Thank you for being "
                             "there.", who);
        } else if (thanks && *thanks) {
            text_buf_add(&b, "%s ended your support conversation and left you thanks", who);
            add_quoted(&b, ": ", thanks);
        } else {
            text_buf_add(&b, "%s ended your support conversation. Thank you for being there.",
                         who);
        }
        break;
    case PROTO_SUPPORT_ASKING_SUPPORTERS:
        if (is(by, "helper_lost"))
            text_buf_add(&b, "You were away too long, so %s's request went back to everyone on "
                             "duty.", who);
        else if (is(by, "handed_back"))
            text_buf_add(&b, "You handed %s's request back: everyone else on duty is asked "
                             "again. Thank you for the time you gave.", who);
        break;
    default:
        break;
    }
    return text_buf_take(&b);
}

char *sup_offer_text(const struct proto_support *r, const char *as)
{
    char who[MTG_NAME], wait[16];
    mtg_safe_name(r->requester, who);
    sup_fmt_wait(r->waited_ms, wait);
    struct text_buf b = {0};
    text_buf_add(&b, "%s asks for support (%s, waiting %s)", who, urgency_word(r->urgency), wait);
    add_quoted(&b, ": ", r->note);
    text_buf_add(&b, " — /accept %" PRId64 " to answer (%s).", r->id,
                 is(as, "buddy")       ? "you are their buddy"
                 : is(as, "moderator") ? "crisis: moderators alerted"
                                       : "you are on duty");
    return text_buf_take(&b);
}

char *sup_gone_text(const char *requester, const char *reason)
{
    char who[MTG_NAME];
    mtg_safe_name(requester, who);
    struct text_buf b = {0};
    if (is(reason, "taken"))
        text_buf_add(&b, "Someone else is with %s now.", *who ? who : "them");
    else if (!*who)
        text_buf_add(&b, "A request for support is no longer waiting.");
    else if (is(reason, "withdrawn"))
        text_buf_add(&b, "%s withdrew their request for support.", who);
    else
        text_buf_add(&b, "%s's request for support is no longer waiting.", who);
    return text_buf_take(&b);
}

char *sup_queue_text(const struct proto_support *r, size_t n)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "Nobody is waiting for support right now.");
        return text_buf_take(&b);
    }
    text_buf_add(&b, "Waiting for support, oldest first (/accept ID answers one offered to you):");
    for (size_t i = 0; i < n; i++) {
        char who[MTG_NAME], wait[16], id[24];
        mtg_safe_name(r[i].requester, who);
        sup_fmt_wait(r[i].waited_ms, wait);
        snprintf(id, sizeof id, "#%" PRId64, r[i].id);
        text_buf_add(&b, "\n  %-5s %-*s %-8s waiting %s", id, PROTO_HANDLE_MIN + 9, who,
                     urgency_word(r[i].urgency), wait);
        if (r[i].state == PROTO_SUPPORT_ASKING_BUDDIES)
            text_buf_add(&b, " (asking their buddies first)");
        else if (r[i].state == PROTO_SUPPORT_NOBODY_YET)
            text_buf_add(&b, " (nobody has answered yet)");
        add_quoted(&b, "  ", r[i].note);
    }
    return text_buf_take(&b);
}

char *sup_stats_text(const struct proto_support_day *d, size_t n, uint32_t days)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "No requests for support in the last %u day%s.", (unsigned)days,
                     days == 1 ? "" : "s");
        return text_buf_take(&b);
    }
    text_buf_add(&b, "Requests for support by day (UTC), newest first:");
    for (size_t i = 0; i < n; i++) {
        char day[MTG_NAME], median[32], worst[32];
        mtg_safe_name(d[i].day, day);
        sup_fmt_duration(d[i].median_wait_ms, median);
        sup_fmt_duration(d[i].worst_wait_ms, worst);
        text_buf_add(&b, "\n  %s  %u request%s, ", day, (unsigned)d[i].requests,
                     d[i].requests == 1 ? "" : "s");
        if (d[i].answered)
            text_buf_add(&b, "%u answered, median wait %s", (unsigned)d[i].answered, median);
        else
            text_buf_add(&b, "none answered");
        text_buf_add(&b, ", worst wait %s", worst);
    }
    return text_buf_take(&b);
}

/* The reader's own request, for /sos. */
static void add_mine(struct text_buf *b, const struct proto_support *m)
{
    char wait[16], who[MTG_NAME];
    sup_fmt_wait(m->waited_ms, wait);
    if (m->state == PROTO_SUPPORT_ACCEPTED) {
        mtg_safe_name(m->helper, who);
        text_buf_add(b, "%s is with you (you waited %s): /dm %s to talk, /sos end [THANKS] when "
                        "you are ready.", *who ? who : "Someone", wait, who);
        return;
    }
    text_buf_add(b, "Your request for support is open (%s, waiting %s)", urgency_word(m->urgency),
                 wait);
    add_quoted(b, ": ", m->note);
    char *now = sup_mine_text(m, NULL, NULL, NULL, 0, false);
    text_buf_add(b, ".\n%s\n/sos cancel withdraws it.", now ? now : "");
    free(now);
}

char *sup_status_text(const struct proto_support *mine, const struct proto_support *helping,
                      size_t n)
{
    struct text_buf b = {0};
    if (mine)
        add_mine(&b, mine);
    for (size_t i = 0; i < n; i++) {
        char who[MTG_NAME];
        mtg_safe_name(helping[i].requester, who);
        text_buf_add(&b, "%sYou are with %s (their request #%" PRId64 ", %s): /dm %s to talk, "
                         "/handback if you cannot stay, /sos end when you are done.",
                     b.len ? "\n" : "", who, helping[i].id, urgency_word(helping[i].urgency), who);
    }
    if (!mine && n == 0)
        text_buf_add(&b, "You have no open request for support, and you are not with anyone "
                         "who asked.");
    return text_buf_take(&b);
}
