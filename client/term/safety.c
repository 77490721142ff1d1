/*
 * Blocks, reports and safety as the terminal shows them: parsing what
 * people type for /report and /resolve, and the sentences for the
 * replies and events (the crisis resources, a private check-in, a
 * moderator's alert, a new report, a handled one, the reports queue).
 * Pure (no I/O, no clock: callers pass the time; text_time() reads the
 * local time zone).
 *
 * Handles and room names from the server go through mtg_safe_name();
 * anyone's words (reasons, excerpts, the server's sentences and
 * resources) through text_sanitize(), on one line each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearth.h"

/* ------------------------------------------------------------ parsing */

/* The rest of the line: blanks around it trimmed, one pair of quotes
 * around all of it dropped; NULL when nothing is left. */
static enum saf_parse sf_rest(const char *s, char **out)
{
    int rc = cmd_take_rest(s, PROTO_REASON_MAX, out);
    return rc == 0 ? SAF_OK : rc == -E2BIG ? SAF_LONG_REASON : SAF_NO_MEMORY;
}

enum saf_parse saf_parse_report(const char *s, struct saf_report_args *out)
{
    memset(out, 0, sizeof *out);
    s = cmd_skip_blanks(s ? s : "");
    if (!*s)
        return SAF_NO_TARGET;
    struct mod_args a;
    enum mod_parse rc;
    bool message = *s == '#' || (*s >= '0' && *s <= '9');
    rc = message ? mod_parse_seq(s, &a) : mod_parse_target(s, 0, &a);
    enum saf_parse out_rc = SAF_OK;
    switch (rc) {
    case MOD_OK:
        break;
    case MOD_BAD_NUMBER:
        out_rc = SAF_BAD_SEQ;
        break;
    case MOD_LONG_REASON:
        out_rc = SAF_LONG_REASON;
        break;
    case MOD_NO_MEMORY:
        out_rc = SAF_NO_MEMORY;
        break;
    default:
        out_rc = message ? SAF_BAD_SEQ : SAF_BAD_HANDLE;
        break;
    }
    if (out_rc == SAF_OK && !a.reason)
        out_rc = SAF_NO_REASON;
    if (out_rc != SAF_OK) {
        mod_args_free(&a);
        return out_rc;
    }
    if (message)
        out->seq = a.seq;
    else
        memcpy(out->handle, a.handle, sizeof out->handle);
    out->reason = a.reason;   /* ours now */
    return SAF_OK;
}

void saf_report_args_free(struct saf_report_args *a)
{
    free(a->reason);
    a->reason = NULL;
}

bool saf_parse_id(const char *s, int64_t *out)
{
    unsigned long v;
    if (!s)
        return false;
    if (*s == '#')
        s++;
    if (!cmd_parse_uint(s, 1, 0xFFFFFFFFFFFFFUL, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool saf_parse_outcome(const char *s, const char **out)
{
    static const struct { const char *word, *outcome; } words[] = {
        {"actioned", "actioned"},   {"action", "actioned"},   {"acted", "actioned"},
        {"dismissed", "dismissed"}, {"dismiss", "dismissed"},
    };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(s, words[i].word) == 0) {
            *out = words[i].outcome;
            return true;
        }
    }
    return false;
}

enum saf_parse saf_parse_resolve(const char *s, struct saf_resolve_args *out)
{
    memset(out, 0, sizeof *out);
    char word[64];
    s = s ? s : "";
    if (!cmd_next_word(&s, word, sizeof word))
        return SAF_NO_TARGET;
    if (!saf_parse_id(word, &out->id))
        return SAF_BAD_ID;
    if (!cmd_next_word(&s, word, sizeof word) || !saf_parse_outcome(word, &out->outcome))
        return SAF_BAD_OUTCOME;
    return sf_rest(s, &out->note);
}

void saf_resolve_args_free(struct saf_resolve_args *a)
{
    free(a->note);
    a->note = NULL;
}

/* ------------------------------------------------------------ strings */

/* sep and the words, on one line; nothing when there are none. */
static void sf_add_words(struct text_buf *b, const char *sep, const char *words)
{
    char *w = text_one_line(words);
    if (!w || !*w) {
        free(w);
        return;
    }
    text_buf_add(b, "%s%s", sep, w);
    free(w);
}

/* The resources, one a line: "  - 988 Suicide and Crisis Lifeline: ...". */
static void sf_add_resources(struct text_buf *b, const char *prefix, const char *const *res,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *r = text_one_line(res[i]);
        if (r && *r)
            text_buf_add(b, "\n%s  - %s", prefix, r);
        free(r);
    }
    if (n == 0)
        text_buf_add(b, "\n%s  - If you are in immediate danger, call your local emergency number.",
               prefix);
}

char *saf_resources_text(const char *notice, const char *const *res, size_t n)
{
    struct text_buf b = {0};
    char *t = text_one_line(notice);
    text_buf_add(&b, "%s", t && *t ? t : "Hearth is peer support, not a crisis service.");
    free(t);
    sf_add_resources(&b, "", res, n);
    return text_buf_take(&b);
}

char *saf_check_in_text(const char *text, const char *const *res, size_t n, const char *room,
                        bool utf8, const char *again)
{
    struct text_buf b = {0};
    const char *bar = utf8 ? "\xe2\x94\x82 " : "| ";   /* U+2502 */
    char r[MTG_NAME];
    mtg_safe_name(room, r);
    if (*r)
        text_buf_add(&b, "%sA note just for you (nobody else sees it), about your message in #%s:", bar,
               r);
    else
        text_buf_add(&b, "%sA note just for you (nobody else sees it):", bar);
    char *t = text_one_line(text);
    text_buf_add(&b, "\n%s%s", bar,
           t && *t ? t : "We read your message and we care about you. Please reach out:");
    free(t);
    sf_add_resources(&b, bar, res, n);
    text_buf_add(&b, "\n%sYou are welcome to keep talking here. %s shows this list again.", bar,
           again && *again ? again : "/help-now");
    return text_buf_take(&b);
}

char *saf_alert_text(const char *room, const char *handle, uint64_t seq)
{
    struct text_buf b = {0};
    char r[MTG_NAME], h[MTG_NAME];
    mtg_safe_name(room, r);
    mtg_safe_name(handle, h);
    text_buf_add(&b, "[%s] %s's message #%llu may mean they are struggling. Consider reaching out.",
           r, *h ? h : "someone", (unsigned long long)seq);
    return text_buf_take(&b);
}

char *saf_report_new_text(const struct proto_report *rep)
{
    struct text_buf b = {0};
    char r[MTG_NAME], who[MTG_NAME], target[MTG_NAME];
    mtg_safe_name(rep->room, r);
    mtg_safe_name(rep->reporter, who);
    mtg_safe_name(rep->target, target);
    if (*r)
        text_buf_add(&b, "[%s] ", r);
    text_buf_add(&b, "New report #%lld from %s about %s", (long long)rep->id, *who ? who : "someone",
           *target ? target : "someone");
    sf_add_words(&b, ": ", rep->reason);
    return text_buf_take(&b);
}

char *saf_report_excerpt(const struct proto_report *rep)
{
    if (!rep->seq)
        return NULL;
    struct text_buf b = {0};
    text_buf_add(&b, "message #%llu", (unsigned long long)rep->seq);
    if (rep->excerpt) {
        char *e = text_one_line(rep->excerpt);
        text_buf_add(&b, ": \"%s\"", e ? e : "");
        free(e);
    } else {
        text_buf_add(&b, " (already taken down)");
    }
    return text_buf_take(&b);
}

char *saf_report_entry(const struct proto_report *rep, int64_t now_ms)
{
    struct text_buf b = {0};
    char when[32], r[MTG_NAME], who[MTG_NAME], target[MTG_NAME], status[MTG_NAME];
    text_time(rep->ts, now_ms, when);
    mtg_safe_name(rep->room, r);
    mtg_safe_name(rep->reporter, who);
    mtg_safe_name(rep->target, target);
    mtg_safe_name(rep->status, status);
    text_buf_add(&b, "#%lld  %s  ", (long long)rep->id, when);
    if (*r)
        text_buf_add(&b, "[%s] ", r);
    text_buf_add(&b, "%s about %s", *who ? who : "someone", *target ? target : "someone");
    if (rep->seq)
        text_buf_add(&b, "'s message #%llu", (unsigned long long)rep->seq);
    else if (!*r)
        text_buf_add(&b, " (no room)");
    if (*status && strcmp(status, "open") != 0)
        text_buf_add(&b, " [%s]", status);
    sf_add_words(&b, ": ", rep->reason);
    return text_buf_take(&b);
}

char *saf_handled_text(int64_t id, const char *outcome)
{
    struct text_buf b = {0};
    if (outcome && strcmp(outcome, "actioned") == 0)
        text_buf_add(&b, "Your report #%lld was handled. Thank you for looking out for the room.",
               (long long)id);
    else
        text_buf_add(&b, "Your report #%lld was reviewed. Thank you for speaking up.", (long long)id);
    return text_buf_take(&b);
}

char *saf_block_done_text(bool block, const char *handle)
{
    struct text_buf b = {0};
    char h[MTG_NAME];
    mtg_safe_name(handle, h);
    if (block)
        text_buf_add(&b, "You won't see %s's messages any more. They are not told.", h);
    else
        text_buf_add(&b, "You'll see %s's messages again, older ones too. They are not told.", h);
    return text_buf_take(&b);
}

char *saf_blocks_text(const char *const *handles, size_t n)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "You don't block anyone.");
        return text_buf_take(&b);
    }
    text_buf_add(&b, "You block %zu %s: ", n, n == 1 ? "person" : "people");
    for (size_t i = 0; i < n; i++) {
        char h[MTG_NAME];
        mtg_safe_name(handles[i], h);
        text_buf_add(&b, "%s%s", i ? ", " : "", h);
    }
    text_buf_add(&b, ".");
    return text_buf_take(&b);
}

char *saf_report_done_text(int64_t id, const char *room, uint64_t seq, const char *handle)
{
    struct text_buf b = {0};
    char r[MTG_NAME], h[MTG_NAME];
    mtg_safe_name(room, r);
    mtg_safe_name(handle, h);
    text_buf_add(&b, "Thank you. Report #%lld", (long long)id);
    if (seq)
        text_buf_add(&b, " (message #%llu)", (unsigned long long)seq);
    else if (*h)
        text_buf_add(&b, " about %s", h);
    if (*r)
        text_buf_add(&b, " is with the moderators of #%s.", r);
    else
        text_buf_add(&b, " is with the server's moderators.");
    if (!seq && *h)
        text_buf_add(&b, " %s is never told who made it;", h);
    else
        text_buf_add(&b, " Its author is never told who made it;");
    text_buf_add(&b, " you'll hear back when it is handled.");
    return text_buf_take(&b);
}

char *saf_resolve_done_text(int64_t id, const char *outcome)
{
    struct text_buf b = {0};
    bool actioned = outcome && strcmp(outcome, "actioned") == 0;
    text_buf_add(&b, "Report #%lld closed as %s. The reporter hears it was %s (not by whom, not "
               "your note).",
           (long long)id, actioned ? "actioned" : "dismissed", actioned ? "handled" : "reviewed");
    return text_buf_take(&b);
}
