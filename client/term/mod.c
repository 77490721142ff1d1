/*
 * Moderation as the terminal shows it: parsing what moderators type
 * (HANDLE [MINUTES] [reason...], SEQ [reason...], settings values) and
 * the sentences for what happened: a line to the person a moderator acted
 * on, the room's settings (what changed), audit log lines and the
 * moderator's own confirmations. Pure (no I/O, no clock: callers pass the
 * time; text_time() reads the local time zone).
 *
 * Handles and room names from the server go through mtg_safe_name();
 * reasons (anyone's words) through text_sanitize().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hearth.h"

/* ------------------------------------------------------------ parsing */

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *s)
{
    while (*s && blank(*s))
        s++;
    return s;
}

/* Copies the next word of *s into out (at most n-1 bytes; longer words
 * fail) and moves *s past it. */
static bool next_word(const char **s, char *out, size_t n)
{
    const char *p = skip_blanks(*s);
    size_t len = 0;
    while (p[len] && !blank(p[len]))
        len++;
    if (len == 0 || len >= n)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    *s = p + len;
    return true;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The rest of the line as the reason: blanks around it trimmed, one pair
 * of quotes around all of it dropped; NULL when nothing is left. */
static enum mod_parse take_reason(const char *s, char **out)
{
    *out = NULL;
    s = skip_blanks(s);
    size_t n = strlen(s);
    while (n && blank(s[n - 1]))
        n--;
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    if (n == 0)
        return MOD_OK;
    long chars = proto_utf8_chars(s, n);
    if (chars > PROTO_REASON_MAX)
        return MOD_LONG_REASON;
    char *r = malloc(n + 1);
    if (!r)
        return MOD_NO_MEMORY;
    memcpy(r, s, n);
    r[n] = '\0';
    *out = r;
    return MOD_OK;
}

enum mod_parse mod_parse_target(const char *s, unsigned long number_max, struct mod_args *out)
{
    memset(out, 0, sizeof *out);
    char word[64];
    if (!s || !next_word(&s, word, sizeof word)) {
        s = s ? skip_blanks(s) : "";
        return *s ? MOD_BAD_HANDLE : MOD_NO_HANDLE;
    }
    if (!proto_name_fold(word[0] == '@' ? word + 1 : word, out->handle))
        return MOD_BAD_HANDLE;
    if (number_max) {
        const char *after = s;
        char num[64];
        if (next_word(&after, num, sizeof num) && all_digits(num)) {
            if (!cmd_parse_uint(num, 1, number_max, &out->number))
                return MOD_BAD_NUMBER;
            s = after;
        }
    }
    return take_reason(s, &out->reason);
}

enum mod_parse mod_parse_seq(const char *s, struct mod_args *out)
{
    memset(out, 0, sizeof *out);
    char word[64];
    if (!s || !next_word(&s, word, sizeof word))
        return MOD_NO_HANDLE;
    const char *digits = word[0] == '#' ? word + 1 : word;
    unsigned long v;
    if (!all_digits(digits) || !cmd_parse_uint(digits, 1, 0xFFFFFFFFFFFFFUL, &v))
        return MOD_BAD_NUMBER;
    out->seq = v;
    return take_reason(s, &out->reason);
}

void mod_args_free(struct mod_args *a)
{
    free(a->reason);
    a->reason = NULL;
}

bool mod_parse_setting(const char *s, unsigned long max, unsigned long *out)
{
    if (!s)
        return false;
    if (!strcmp(s, "off") || !strcmp(s, "none") || !strcmp(s, "no")) {
        *out = 0;
        return true;
    }
    return cmd_parse_uint(s, 0, max, out);
}

/* ---------------------------------------------------------- durations */

void mod_fmt_secs(uint32_t s, char out[32])
{
    if (s >= 3600 && s % 3600 == 0)
        snprintf(out, 32, "%u h", s / 3600);
    else if (s >= 60 && s % 60 == 0)
        snprintf(out, 32, "%u min", s / 60);
    else
        snprintf(out, 32, "%u s", s);
}

void mod_fmt_span(int64_t ms, char out[32])
{
    if (ms < 30000) {
        snprintf(out, 32, "less than a minute");
        return;
    }
    long long min = (ms + 30000) / 60000;
    if (min < 120) {
        snprintf(out, 32, "%lld minute%s", min, min == 1 ? "" : "s");
        return;
    }
    long long h = (ms + 1800000) / 3600000;
    if (h < 48) {
        snprintf(out, 32, "%lld hours", h);
        return;
    }
    long long d = (ms + 43200000) / 86400000;
    snprintf(out, 32, "%lld days", d);
}

/* ------------------------------------------------------------ strings */

struct mbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void mb_add(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mb_add(struct mbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *x = realloc(b->p, cap);
        if (!x) {
            b->oom = true;
            return;
        }
        b->p = x;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static char *mb_take(struct mbuf *b)
{
    if (b->oom || b->len == 0) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* A moderator's reason for the terminal: on one line, safe. NULL when
 * there is none. */
static char *safe_reason(const char *reason)
{
    if (!reason || !*reason)
        return NULL;
    char *r = text_sanitize(reason, "");
    if (!r)
        return NULL;
    for (char *p = r; *p; p++)
        if (*p == '\n')
            *p = ' ';
    if (!*r) {
        free(r);
        return NULL;
    }
    return r;
}

/* ": reason." or "." (no doubled full stop). */
static void add_reason_end(struct mbuf *b, const char *reason)
{
    char *r = safe_reason(reason);
    if (!r) {
        mb_add(b, ".");
        return;
    }
    size_t n = strlen(r);
    char last = r[n - 1];
    mb_add(b, ": %s%s", r, last == '.' || last == '!' || last == '?' ? "" : ".");
    free(r);
}

/* "for 10 minutes" or "for 3 days (until Mar 14 10:00)": a span from
 * `from`; the end as a time too when it is an hour or more away (or
 * always). */
static void add_for(struct mbuf *b, int64_t until, int64_t from, int64_t now_ms, bool always)
{
    char span[32], when[32];
    mod_fmt_span(until - from, span);
    mb_add(b, "for %s", span);
    if (always || until - from >= 3570000) {   /* "60 minutes" and more */
        text_time(until, now_ms, when);
        mb_add(b, " (until %s)", when);
    }
}

/* ------------------------------------------------------------ settings */

static void add_part(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_part(struct mbuf *b, const char *fmt, ...)
{
    char part[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    mb_add(b, "%s%s", b->len ? ", " : "", part);
}

char *mod_settings_text(const struct proto_mod_settings *old, const struct proto_mod_settings *now,
                        bool only_on)
{
    struct mbuf b = {0};
    char t[32];
    if (!old || old->slow_seconds != now->slow_seconds) {
        if (now->slow_seconds) {
            mod_fmt_secs(now->slow_seconds, t);
            add_part(&b, "slow mode %s", t);
        } else if (!only_on) {
            add_part(&b, "slow mode off");
        }
    }
    if ((!old || old->locked != now->locked) && (now->locked || !only_on))
        add_part(&b, "%s", now->locked ? "locked" : "unlocked");
    if (!old || old->member_limit != now->member_limit) {
        if (now->member_limit)
            add_part(&b, "limit %u member%s", now->member_limit, now->member_limit == 1 ? "" : "s");
        else if (!only_on)
            add_part(&b, "no member limit");
    }
    if (!old || old->newcomer_seconds != now->newcomer_seconds) {
        if (now->newcomer_seconds) {
            mod_fmt_secs(now->newcomer_seconds, t);
            add_part(&b, "newcomers wait %s", t);
        } else if (!only_on) {
            add_part(&b, "no newcomer wait");
        }
    }
    return mb_take(&b);
}

/* ----------------------------------------------------------- moderated */

char *mod_moderated_text(const char *room, const char *action, const char *reason, int64_t until,
                         int64_t now_ms)
{
    struct mbuf b = {0};
    char r[MTG_NAME];
    mtg_safe_name(room, r);
    const char *a = action ? action : "";
    if (!strcmp(a, "mute")) {
        mb_add(&b, "A moderator muted you in #%s ", r);
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            mb_add(&b, "until a moderator lifts it");
        add_reason_end(&b, reason);
        mb_add(&b, " You can still read along.");
    } else if (!strcmp(a, "unmute")) {
        mb_add(&b, "Your mute in #%s was lifted", r);
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "remove")) {
        mb_add(&b, "You were removed from #%s by a moderator", r);
        add_reason_end(&b, reason);
        mb_add(&b, " You may join it again later.");
    } else if (!strcmp(a, "ban")) {
        mb_add(&b, "You are banned from #%s ", r);
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            mb_add(&b, "until a moderator lifts it");
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "unban")) {
        mb_add(&b, "Your ban from #%s was lifted", r);
        add_reason_end(&b, reason);
        mb_add(&b, " You may join it again.");
    } else if (!strcmp(a, "delete")) {
        mb_add(&b, "A moderator took down one of your messages in #%s", r);
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "suspend")) {
        mb_add(&b, "Your account has been suspended ");
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            mb_add(&b, "until an admin lifts it");
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "unsuspend")) {
        mb_add(&b, "Your account is no longer suspended");
        add_reason_end(&b, reason);
    } else {
        char what[MTG_NAME];
        mtg_safe_name(a, what);
        if (*r)
            mb_add(&b, "A moderator acted on your account in #%s (%s)", r, what);
        else
            mb_add(&b, "A moderator acted on your account (%s)", what);
        add_reason_end(&b, reason);
    }
    return mb_take(&b);
}

/* ----------------------------------------------------------- audit log */

char *mod_audit_line(const struct proto_audit_entry *e, int64_t now_ms)
{
    struct mbuf b = {0};
    char when[32], actor[MTG_NAME], target[MTG_NAME], action[MTG_NAME];
    text_time(e->ts, now_ms, when);
    mtg_safe_name(e->actor, actor);
    mtg_safe_name(e->target, target);
    mtg_safe_name(e->action, action);
    if (!*target)
        snprintf(target, sizeof target, "someone");
    mb_add(&b, "%s  %s ", when, *actor ? actor : "?");
    const char *a = e->action ? e->action : "";
    bool timed = false;
    if (!strcmp(a, "mute")) {
        mb_add(&b, "muted %s", target);
        timed = true;
    } else if (!strcmp(a, "unmute")) {
        mb_add(&b, "unmuted %s", target);
    } else if (!strcmp(a, "remove")) {
        mb_add(&b, "removed %s from the room", target);
    } else if (!strcmp(a, "ban")) {
        mb_add(&b, "banned %s", target);
        timed = true;
    } else if (!strcmp(a, "unban")) {
        mb_add(&b, "lifted the ban on %s", target);
    } else if (!strcmp(a, "delete")) {
        if (e->seq)
            mb_add(&b, "took down message #%llu", (unsigned long long)e->seq);
        else
            mb_add(&b, "took down a message");
    } else if (!strcmp(a, "settings")) {
        mb_add(&b, "changed the room's settings");
    } else if (!strcmp(a, "suspend")) {
        mb_add(&b, "suspended %s", target);
        timed = true;
    } else if (!strcmp(a, "unsuspend")) {
        mb_add(&b, "lifted the suspension of %s", target);
    } else {
        mb_add(&b, "%s %s", *action ? action : "?", e->target ? target : "");
    }
    if (timed) {
        if (e->until) {
            mb_add(&b, " ");
            add_for(&b, e->until, e->ts, now_ms, true);
        } else {
            mb_add(&b, !strcmp(a, "ban") ? " for good" : " until lifted");
        }
    }
    char *r = safe_reason(e->reason);
    if (r)
        mb_add(&b, ": \"%s\"", r);
    free(r);
    return mb_take(&b);
}

/* ------------------------------------------------------- confirmations */

char *mod_done_text(enum proto_req_type t, const char *room, const char *handle,
                    unsigned long number, uint64_t seq)
{
    struct mbuf b = {0};
    char r[MTG_NAME], h[MTG_NAME], span[32];
    mtg_safe_name(room, r);
    mtg_safe_name(handle, h);
    switch (t) {
    case PROTO_REQ_MOD_MUTE:
        if (number) {
            mod_fmt_span((int64_t)number * 60000, span);
            mb_add(&b, "Muted %s in #%s for %s.", h, r, span);
        } else {
            mb_add(&b, "Muted %s in #%s until a moderator lifts it.", h, r);
        }
        break;
    case PROTO_REQ_MOD_UNMUTE:
        mb_add(&b, "%s can post in #%s again.", h, r);
        break;
    case PROTO_REQ_MOD_REMOVE:
        mb_add(&b, "Removed %s from #%s; they may join again.", h, r);
        break;
    case PROTO_REQ_MOD_BAN:
        if (number) {
            mod_fmt_span((int64_t)number * 60000, span);
            mb_add(&b, "Banned %s from #%s for %s.", h, r, span);
        } else {
            mb_add(&b, "Banned %s from #%s for good (until a moderator lifts it).", h, r);
        }
        break;
    case PROTO_REQ_MOD_UNBAN:
        mb_add(&b, "Lifted the ban on %s in #%s; they may join again.", h, r);
        break;
    case PROTO_REQ_MOD_DELETE:
        mb_add(&b, "Took down message #%llu in #%s.", (unsigned long long)seq, r);
        break;
    case PROTO_REQ_MOD_SUSPEND:
        if (number) {
            mod_fmt_span((int64_t)number * 86400000, span);
            mb_add(&b, "Suspended %s's account for %s; they were signed out everywhere.", h, span);
        } else {
            mb_add(&b, "Suspended %s's account until an admin lifts it; they were signed out "
                       "everywhere.", h);
        }
        break;
    case PROTO_REQ_MOD_UNSUSPEND:
        mb_add(&b, "Lifted the suspension of %s's account; they may sign in again.", h);
        break;
    default:
        mb_add(&b, "Done.");
        break;
    }
    return mb_take(&b);
}
