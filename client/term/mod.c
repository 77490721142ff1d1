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
    size_t n;
    s = cmd_rest(s, &n);
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
    if (!s || !cmd_next_word(&s, word, sizeof word)) {
        s = s ? cmd_skip_blanks(s) : "";
        return *s ? MOD_BAD_HANDLE : MOD_NO_HANDLE;
    }
    if (!proto_name_fold(word[0] == '@' ? word + 1 : word, out->handle))
        return MOD_BAD_HANDLE;
    if (number_max) {
        const char *after = s;
        char num[64];
        if (cmd_next_word(&after, num, sizeof num) && all_digits(num)) {
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
    if (!s || !cmd_next_word(&s, word, sizeof word))
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

/* A moderator's reason for the terminal: on one line, safe. NULL when
 * there is none. */
static char *safe_reason(const char *reason)
{
    if (!reason || !*reason)
        return NULL;
    char *r = text_one_line(reason);
    if (!r)
        return NULL;
    if (!*r) {
        free(r);
        return NULL;
    }
    return r;
}

/* ": reason." or "." (no doubled full stop). */
static void add_reason_end(struct text_buf *b, const char *reason)
{
    char *r = safe_reason(reason);
    if (!r) {
        text_buf_add(b, ".");
        return;
    }
    size_t n = strlen(r);
    char last = r[n - 1];
    text_buf_add(b, ": %s%s", r, last == '.' || last == '!' || last == '?' ? "" : ".");
    free(r);
}

/* "for 10 minutes" or "for 3 days (until Mar 14 10:00)": a span from
 * `from`; the end as a time too when it is an hour or more away (or
 * always). */
static void add_for(struct text_buf *b, int64_t until, int64_t from, int64_t now_ms, bool always)
{
    char span[32], when[32];
    mod_fmt_span(until - from, span);
    text_buf_add(b, "for %s", span);
    if (always || until - from >= 3570000) {   /* "60 minutes" and more */
        text_time(until, now_ms, when);
        text_buf_add(b, " (until %s)", when);
    }
}

/* ------------------------------------------------------------ settings */

static void add_part(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_part(struct text_buf *b, const char *fmt, ...)
{
    char part[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    text_buf_add(b, "%s%s", b->len ? ", " : "", part);
}

char *mod_settings_text(const struct proto_mod_settings *old, const struct proto_mod_settings *now,
                        bool only_on)
{
    struct text_buf b = {0};
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
    return text_buf_take(&b);
}

/* ----------------------------------------------------------- moderated */

char *mod_moderated_text(const char *room, const char *action, const char *reason, int64_t until,
                         int64_t now_ms)
{
    struct text_buf b = {0};
    char r[MTG_NAME];
    mtg_safe_name(room, r);
    const char *a = action ? action : "";
    if (!strcmp(a, "mute")) {
        text_buf_add(&b, "A moderator muted you in #%s ", r);
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            text_buf_add(&b, "until a moderator lifts it");
        add_reason_end(&b, reason);
        text_buf_add(&b, " You can still read along.");
    } else if (!strcmp(a, "unmute")) {
        text_buf_add(&b, "Your mute in #%s was lifted", r);
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "remove")) {
        text_buf_add(&b, "You were removed from #%s by a moderator", r);
        add_reason_end(&b, reason);
        text_buf_add(&b, " You may join it again later.");
    } else if (!strcmp(a, "ban")) {
        text_buf_add(&b, "You are banned from #%s ", r);
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            text_buf_add(&b, "until a moderator lifts it");
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "unban")) {
        text_buf_add(&b, "Your ban from #%s was lifted", r);
        add_reason_end(&b, reason);
        text_buf_add(&b, " You may join it again.");
    } else if (!strcmp(a, "delete")) {
        text_buf_add(&b, "A moderator took down one of your messages in #%s", r);
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "suspend")) {
        text_buf_add(&b, "Your account has been suspended ");
        if (until)
            add_for(&b, until, now_ms, now_ms, false);
        else
            text_buf_add(&b, "until an admin lifts it");
        add_reason_end(&b, reason);
    } else if (!strcmp(a, "unsuspend")) {
        text_buf_add(&b, "Your account is no longer suspended");
        add_reason_end(&b, reason);
    } else {
        char what[MTG_NAME];
        mtg_safe_name(a, what);
        if (*r)
            text_buf_add(&b, "A moderator acted on your account in #%s (%s)", r, what);
        else
            text_buf_add(&b, "A moderator acted on your account (%s)", what);
        add_reason_end(&b, reason);
    }
    return text_buf_take(&b);
}

/* ----------------------------------------------------------- audit log */

/* Where an entry happened, when the log is not that room's own:
 * "[porch] ", or "[server-wide] " in the server-wide log. */
static void add_where(struct text_buf *b, const struct proto_audit_entry *e, const char *log_room)
{
    char room[MTG_NAME];
    mtg_safe_name(e->room, room);
    if (!log_room)
        text_buf_add(b, "[%s] ", *room ? room : "server-wide");
    else if (*room && strcmp(room, log_room) != 0)
        text_buf_add(b, "[%s] ", room);
}

char *mod_audit_line(const struct proto_audit_entry *e, const char *log_room, int64_t now_ms)
{
    struct text_buf b = {0};
    char when[32], actor[MTG_NAME], target[MTG_NAME], action[MTG_NAME];
    text_time(e->ts, now_ms, when);
    mtg_safe_name(e->actor, actor);
    mtg_safe_name(e->target, target);
    mtg_safe_name(e->action, action);
    if (!*target)
        snprintf(target, sizeof target, "someone");
    text_buf_add(&b, "%s  ", when);
    add_where(&b, e, log_room);
    text_buf_add(&b, "%s ", *actor ? actor : "?");
    const char *a = e->action ? e->action : "";
    bool timed = false;
    if (!strcmp(a, "mute")) {
        text_buf_add(&b, "muted %s", target);
        timed = true;
    } else if (!strcmp(a, "unmute")) {
        text_buf_add(&b, "unmuted %s", target);
    } else if (!strcmp(a, "remove")) {
        text_buf_add(&b, "removed %s from the room", target);
    } else if (!strcmp(a, "ban")) {
        text_buf_add(&b, "banned %s", target);
        timed = true;
    } else if (!strcmp(a, "unban")) {
        text_buf_add(&b, "lifted the ban on %s", target);
    } else if (!strcmp(a, "delete")) {
        if (e->seq)
            text_buf_add(&b, "took down message #%llu", (unsigned long long)e->seq);
        else
            text_buf_add(&b, "took down a message");
    } else if (!strcmp(a, "settings")) {
        text_buf_add(&b, "changed the room's settings");
    } else if (!strcmp(a, "suspend")) {
        text_buf_add(&b, "suspended %s", target);
        timed = true;
    } else if (!strcmp(a, "unsuspend")) {
        text_buf_add(&b, "lifted the suspension of %s", target);
    } else if (!strcmp(a, "schedule")) {
        text_buf_add(&b, "changed the weekly meeting schedule");
    } else if (!strcmp(a, "revoke_invite")) {
        text_buf_add(&b, "revoked an invite code");
    } else {
        text_buf_add(&b, "%s %s", *action ? action : "?", e->target ? target : "");
    }
    if (timed) {
        if (e->until) {
            text_buf_add(&b, " ");
            add_for(&b, e->until, e->ts, now_ms, true);
        } else {
            text_buf_add(&b, !strcmp(a, "ban") ? " for good" : " until lifted");
        }
    }
    char *r = safe_reason(e->reason);
    if (r)
        text_buf_add(&b, ": \"%s\"", r);
    free(r);
    return text_buf_take(&b);
}

/* "troy  muted for 1 hour 10 minutes (until 15:12) by moe: "spam"" or
 * "tim  banned for good by hana": what is left of it from now. */
char *mod_sanction_line(const struct proto_sanction *x, int64_t now_ms)
{
    struct text_buf b = {0};
    char who[MTG_NAME], actor[MTG_NAME];
    mtg_safe_name(x->handle, who);
    mtg_safe_name(x->actor, actor);
    bool ban = x->kind == PROTO_SANCTION_BAN;
    text_buf_add(&b, "%s  %s ", *who ? who : "?", ban ? "banned" : "muted");
    if (x->until && x->until > now_ms)
        add_for(&b, x->until, now_ms, now_ms, true);
    else
        text_buf_add(&b, "%s", ban ? "for good" : "until lifted");
    if (*actor)
        text_buf_add(&b, " by %s", actor);
    char *r = safe_reason(x->reason);
    if (r)
        text_buf_add(&b, ": \"%s\"", r);
    free(r);
    return text_buf_take(&b);
}

/* ------------------------------------------------------- confirmations */

char *mod_done_text(enum proto_req_type t, const char *room, const char *handle,
                    unsigned long number, uint64_t seq)
{
    struct text_buf b = {0};
    char r[MTG_NAME], h[MTG_NAME], span[32];
    mtg_safe_name(room, r);
    mtg_safe_name(handle, h);
    switch (t) {
    case PROTO_REQ_MOD_MUTE:
        if (number) {
            mod_fmt_span((int64_t)number * 60000, span);
            text_buf_add(&b, "Muted %s in #%s for %s.", h, r, span);
        } else {
            text_buf_add(&b, "Muted %s in #%s until a moderator lifts it.", h, r);
        }
        break;
    case PROTO_REQ_MOD_UNMUTE:
        text_buf_add(&b, "%s can post in #%s again.", h, r);
        break;
    case PROTO_REQ_MOD_REMOVE:
        text_buf_add(&b, "Removed %s from #%s; they may join again.", h, r);
        break;
    case PROTO_REQ_MOD_BAN:
        if (number) {
            mod_fmt_span((int64_t)number * 60000, span);
            text_buf_add(&b, "Banned %s from #%s for %s.", h, r, span);
        } else {
            text_buf_add(&b, "Banned %s from #%s for good (until a moderator lifts it).", h, r);
        }
        break;
    case PROTO_REQ_MOD_UNBAN:
        text_buf_add(&b, "Lifted the ban on %s in #%s; they may join again.", h, r);
        break;
    case PROTO_REQ_MOD_DELETE:
        text_buf_add(&b, "Took down message #%llu in #%s.", (unsigned long long)seq, r);
        break;
    case PROTO_REQ_MOD_SUSPEND:
        if (number) {
            mod_fmt_span((int64_t)number * 86400000, span);
            text_buf_add(&b, "Suspended %s's account for %s; they were signed out everywhere.", h, span);
        } else {
            text_buf_add(&b, "Suspended %s's account until an admin lifts it; they were signed out "
                       "everywhere.", h);
        }
        break;
    case PROTO_REQ_MOD_UNSUSPEND:
        text_buf_add(&b, "Lifted the suspension of %s's account; they may sign in again.", h);
        break;
    default:
        text_buf_add(&b, "Done.");
        break;
    }
    return text_buf_take(&b);
}
