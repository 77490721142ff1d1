/*
 * Meetings as the terminal shows them: parsing what people type for the
 * meeting commands, and turning meeting states into short sentences.
 * Pure (no I/O, no clock: callers pass the time; the UTC offset reads the
 * TZ rules, as localtime does).
 *
 * A room's last shown state is kept in a struct mtg_view; each new state
 * is compared with it and only what changed is said, so a stream of
 * meeting.state events does not repeat itself:
 *     carol has the floor (5:00 left). Hands: dan, erin.
 * Handles come from the server; they are copied through safe_name(), so
 * nothing but a-z 0-9 _ - reaches the terminal from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearth.h"

/* ------------------------------------------------------------ parsing */

bool mtg_parse_mode(const char *s, enum proto_meeting_mode *out)
{
    if (!s)
        return false;
    if (!strcmp(s, "one") || !strcmp(s, "one_speaker") || !strcmp(s, "one-speaker") ||
        !strcmp(s, "speaker")) {
        *out = PROTO_MODE_ONE_SPEAKER;
        return true;
    }
    if (!strcmp(s, "open") || !strcmp(s, "all")) {
        *out = PROTO_MODE_OPEN;
        return true;
    }
    return false;
}

bool mtg_parse_onoff(const char *s, bool *out)
{
    static const char *const on[] = {"on", "yes", "true", "1"};
    static const char *const off[] = {"off", "no", "false", "0"};
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) {
        if (!strcmp(s, on[i])) {
            *out = true;
            return true;
        }
        if (!strcmp(s, off[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool mtg_parse_minutes(const char *s, uint32_t *seconds)
{
    unsigned long m, sec = 0;
    if (!s)
        return false;
    const char *colon = strchr(s, ':');
    if (colon) {
        /* M:SS */
        char mins[8];
        size_t ml = (size_t)(colon - s);
        if (ml == 0 || ml >= sizeof mins || strlen(colon + 1) != 2)
            return false;
        memcpy(mins, s, ml);
        mins[ml] = '\0';
        if (!cmd_parse_uint(mins, 0, PROTO_SHARE_MAX_S / 60, &m) ||
            !cmd_parse_uint(colon + 1, 0, 59, &sec))
            return false;
    } else if (!cmd_parse_uint(s, 1, PROTO_SHARE_MAX_S / 60, &m)) {
        return false;
    }
    unsigned long total = m * 60 + sec;
    if (total < PROTO_SHARE_MIN_S || total > PROTO_SHARE_MAX_S)
        return false;
    *seconds = (uint32_t)total;
    return true;
}

char *mtg_unescape(const char *s)
{
    if (!s)
        s = "";
    char *out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    char *w = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            *w++ = '\n';
            p++;
        } else if (p[0] == '\\' && p[1] == '\\') {
            *w++ = '\\';
            p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return out;
}

/* ---------------------------------------------------------- formatting */

void mtg_fmt_left(int64_t ms, char out[16])
{
    if (ms < 0)
        ms = 0;
    if (ms > 359999000)
        ms = 359999000;                              /* 99:59:59 */
    unsigned s = (unsigned)((ms + 999) / 1000);   /* a countdown: 0:01 until it is over */
    unsigned h = s / 3600 % 100, m = s / 60 % 60, sec = s % 60;
    if (h)
        snprintf(out, 16, "%u:%02u:%02u", h, m, sec);
    else
        snprintf(out, 16, "%u:%02u", m, sec);
}

void mtg_fmt_length(uint32_t seconds, char out[32])
{
    if (seconds % 60 == 0)
        snprintf(out, 32, "%u minute%s", seconds / 60, seconds == 60 ? "" : "s");
    else if (seconds < 60)
        snprintf(out, 32, "%u seconds", seconds);
    else
        snprintf(out, 32, "%u:%02u minutes", seconds / 60, seconds % 60);
}

void mtg_fmt_ordinal(size_t n, char out[24])
{
    const char *suf = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1)
            suf = "st";
        else if (n % 10 == 2)
            suf = "nd";
        else if (n % 10 == 3)
            suf = "rd";
    }
    snprintf(out, 24, "%zu%s", n, suf);
}

void mtg_safe_name(const char *in, char out[MTG_NAME])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p && n < MTG_NAME - 1; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  (c >= 'A' && c <= 'Z');
        out[n++] = ok ? c : '?';
    }
    out[n] = '\0';
}

/* ------------------------------------------------------------- a view */

void mtg_view_reset(struct mtg_view *v)
{
    char room[MTG_NAME];
    memcpy(room, v->room, sizeof room);
    free(v->queue);
    free(v->format);
    memset(v, 0, sizeof *v);
    memcpy(v->room, room, sizeof room);
}

/* Replaces v's format text with a copy of f ("" and NULL: none). */
static bool set_format(struct mtg_view *v, const char *f)
{
    char *copy = f && *f ? strdup(f) : NULL;
    if (f && *f && !copy)
        return false;
    free(v->format);
    v->format = copy;
    return true;
}

static bool same_format(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

char *mtg_format_text(const struct mtg_view *v)
{
    return v->format && *v->format ? text_sanitize(v->format, "  ") : NULL;
}

size_t mtg_queue_pos(const struct mtg_view *v, const char *me)
{
    if (!me)
        return 0;
    for (size_t i = 0; i < v->n_queue; i++)
        if (strcmp(v->queue[i], me) == 0)
            return i + 1;
    return 0;
}

static bool is_me(const char *who, const char *me)
{
    return me && *who && strcmp(who, me) == 0;
}

/* A sentence of the result: separated from the previous one by a blank. */
#define SENT(b) ((b)->len ? " " : "")

static void add_queue(struct text_buf *b, char (*q)[MTG_NAME], size_t n, const char *me)
{
    if (n == 0) {
        text_buf_add(b, "%sNo hands up.", SENT(b));
        return;
    }
    text_buf_add(b, "%sHands: ", SENT(b));
    for (size_t i = 0; i < n; i++)
        text_buf_add(b, "%s%s", i ? ", " : "", is_me(q[i], me) ? "you" : q[i]);
    text_buf_add(b, ".");
}

static void add_speaker(struct text_buf *b, const struct mtg_view *v, const char *me, int64_t now_ms)
{
    char left[16];
    int64_t ms = v->share_ends_at - now_ms;
    /* The server's clock decides; a client clock that runs behind must
     * not show more than a whole share. */
    if (v->share_seconds && ms > (int64_t)v->share_seconds * 1000)
        ms = (int64_t)v->share_seconds * 1000;
    mtg_fmt_left(ms, left);
    if (is_me(v->speaker, me))
        text_buf_add(b, "%sYou have the floor (%s left); /done when you have finished.", SENT(b), left);
    else
        text_buf_add(b, "%s%s has the floor (%s left).", SENT(b), v->speaker, left);
}

static const char *mode_words(enum proto_meeting_mode m)
{
    return m == PROTO_MODE_OPEN ? "everyone may post" : "one speaker at a time";
}

static const char *auto_words(bool a)
{
    return a ? "the floor passes to the next hand by itself" : "the chair gives the floor";
}

/* Copies m into v (names made safe). Returns false when out of memory. */
static bool adopt(struct mtg_view *v, const struct proto_meeting *m)
{
    char (*q)[MTG_NAME] = NULL;
    if (!same_format(v->format, m->format) && !set_format(v, m->format))
        return false;
    if (m->n_queue) {
        q = calloc(m->n_queue, sizeof *q);
        if (!q)
            return false;
        for (size_t i = 0; i < m->n_queue; i++)
            mtg_safe_name(m->queue[i], q[i]);
    }
    free(v->queue);
    v->queue = q;
    v->n_queue = m->n_queue;
    v->known = true;
    v->partial = false;
    v->meeting = true;
    v->open = m->open;
    mtg_safe_name(m->chair, v->chair);
    v->mode = m->mode;
    v->auto_floor = m->auto_floor;
    mtg_safe_name(m->speaker, v->speaker);
    v->share_ends_at = m->speaker ? m->share_ends_at : 0;
    v->share_seconds = m->share_seconds;
    return true;
}

char *mtg_summary(const struct mtg_view *v, const char *me, int64_t now_ms)
{
    struct text_buf b = {0};
    char len[32];
    mtg_fmt_length(v->share_seconds ? v->share_seconds : PROTO_SHARE_DEFAULT_S, len);
    if (!v->open) {
        text_buf_add(&b, "A meeting room; no meeting is open now (");
        if (*v->chair)
            text_buf_add(&b, "chair: %s; ", is_me(v->chair, me) ? "you" : v->chair);
        else
            text_buf_add(&b, "the host chairs; ");
        text_buf_add(&b, "shares last %s).", len);
        return text_buf_take(&b);
    }
    if (*v->chair)
        text_buf_add(&b, "Meeting open, chaired by %s", is_me(v->chair, me) ? "you" : v->chair);
    else
        text_buf_add(&b, "Meeting open, chaired by the host");
    text_buf_add(&b, "; %s; %s; shares last %s.", mode_words(v->mode), auto_words(v->auto_floor), len);
    if (*v->speaker)
        add_speaker(&b, v, me, now_ms);
    else
        text_buf_add(&b, " Nobody has the floor.");
    add_queue(&b, v->queue, v->n_queue, me);
    /* Whoever comes in (or back) during the meeting sees its format too. */
    char *fmt = mtg_format_text(v);
    if (fmt)
        text_buf_add(&b, "\n  Format: %s", fmt);
    free(fmt);
    return text_buf_take(&b);
}

void mtg_opened(struct mtg_view *v, const char *chair, const char *format)
{
    set_format(v, format);   /* the banner showed it: the state's copy is not news */
    if (!v->known) {
        /* Only the banner was seen: the next state fills in the rest
         * without repeating what the banner said. */
        v->known = true;
        v->partial = true;
    }
    v->meeting = true;
    v->open = true;
    mtg_safe_name(chair, v->chair);
    /* Opening starts with no hands and nobody speaking. */
    free(v->queue);
    v->queue = NULL;
    v->n_queue = 0;
    v->speaker[0] = '\0';
    v->share_ends_at = 0;
}

/* Is `now` the old queue without `gone` (the one who just got the floor)? */
static bool queue_is_old_minus(const struct mtg_view *old, const struct proto_meeting *m,
                               const char *gone)
{
    size_t j = 0;
    for (size_t i = 0; i < old->n_queue; i++) {
        if (*gone && strcmp(old->queue[i], gone) == 0)
            continue;
        char h[MTG_NAME];
        if (j >= m->n_queue)
            return false;
        mtg_safe_name(m->queue[j++], h);
        if (strcmp(h, old->queue[i]) != 0)
            return false;
    }
    return j == m->n_queue;
}

char *mtg_update(struct mtg_view *v, const struct proto_meeting *m, const char *me, int64_t now_ms)
{
    if (!v->known) {
        if (!adopt(v, m))
            return NULL;
        return mtg_summary(v, me, now_ms);
    }
    struct text_buf b = {0};
    char chair[MTG_NAME], speaker[MTG_NAME], len[32];
    /* A new format text during the meeting is shown (the host edited it). */
    bool new_format = m->open && v->open && !same_format(v->format, m->format) &&
                      m->format && *m->format;
    mtg_safe_name(m->chair, chair);
    mtg_safe_name(m->speaker, speaker);
    int64_t ends = m->speaker ? m->share_ends_at : 0;
    bool partial = v->partial;

    if (v->open != m->open) {
        if (!m->open)
            text_buf_add(&b, "The meeting is closed.");
        else if (*chair)
            text_buf_add(&b, "The meeting is open (chair: %s).", is_me(chair, me) ? "you" : chair);
        else
            text_buf_add(&b, "The meeting is open.");
    }
    if (strcmp(v->chair, chair) != 0) {
        if (is_me(chair, me))
            text_buf_add(&b, "%sYou chair the meeting now.", SENT(&b));
        else if (*chair)
            text_buf_add(&b, "%s%s chairs the meeting now.", SENT(&b), chair);
        else
            text_buf_add(&b, "%sThe host chairs the meeting now.", SENT(&b));
    }
    if (!partial) {
        if (v->mode != m->mode)
            text_buf_add(&b, "%sMode: %s.", SENT(&b),
                   m->mode == PROTO_MODE_OPEN ? "open, everyone may post" : "one speaker at a time");
        if (v->auto_floor != m->auto_floor)
            text_buf_add(&b, "%sTurns: %s.", SENT(&b), auto_words(m->auto_floor));
        if (v->share_seconds != m->share_seconds) {
            mtg_fmt_length(m->share_seconds, len);
            text_buf_add(&b, "%sShares last %s now.", SENT(&b), len);
        }
    }
    /* Who speaks and the hands mean something only while it is open (a
     * close clears both: "The meeting is closed" says it all). */
    if (m->open) {
        bool new_share = strcmp(v->speaker, speaker) != 0 || v->share_ends_at != ends;
        bool queue_changed = v->n_queue != m->n_queue;
        for (size_t i = 0; !queue_changed && i < m->n_queue; i++) {
            char h[MTG_NAME];
            mtg_safe_name(m->queue[i], h);
            queue_changed = strcmp(h, v->queue[i]) != 0;
        }
        char old_speaker[MTG_NAME];
        memcpy(old_speaker, v->speaker, sizeof old_speaker);
        /* "carol has the floor" already says carol's hand went down. */
        bool say_queue = queue_changed && !(new_share && *speaker && v->n_queue > 0 &&
                                            queue_is_old_minus(v, m, speaker));
        if (!adopt(v, m)) {
            free(b.p);
            return NULL;
        }
        if (new_share) {
            /* A share that ended (time, /done, the chair) is said first. */
            if (*old_speaker && strcmp(old_speaker, speaker) != 0) {
                if (is_me(old_speaker, me))
                    text_buf_add(&b, "%sYour share is over%s", SENT(&b), *speaker ? "." : ";");
                else
                    text_buf_add(&b, "%s%s's share is over%s", SENT(&b), old_speaker,
                           *speaker ? "." : ";");
                if (!*speaker)
                    text_buf_add(&b, " nobody has the floor.");
            }
            if (*speaker)
                add_speaker(&b, v, me, now_ms);
        }
        if (say_queue)
            add_queue(&b, v->queue, v->n_queue, me);
    } else if (!adopt(v, m)) {
        free(b.p);
        return NULL;
    }
    if (new_format) {
        char *fmt = mtg_format_text(v);
        if (fmt)
            text_buf_add(&b, "%sThe format text is now:\n  %s", SENT(&b), fmt);
        free(fmt);
    }
    return text_buf_take(&b);
}

void mtg_prompt(const struct mtg_view *v, const char *room, const char *me, bool utf8, char *out,
                size_t n)
{
    if (!room || !*room) {
        snprintf(out, n, "> ");
        return;
    }
    if (!v || !v->meeting || !v->open) {
        snprintf(out, n, "[%s]> ", room);
        return;
    }
    const char *speaker = is_me(v->speaker, me) ? "you" : v->speaker;
    if (utf8)
        snprintf(out, n, "[%s \xE2\x9C\x8B%zu%s%s]> ", room, v->n_queue,
                 *speaker ? " \xF0\x9F\x8E\xA4" : "", speaker);
    else
        snprintf(out, n, "[%s hands:%zu%s%s]> ", room, v->n_queue, *speaker ? " floor:" : "",
                 speaker);
}

/* --------------------------------------------------------- attendance */

bool mtg_utc_offset(time_t t, int32_t *minutes)
{
    /* The same instant broken down twice, in local time and in UTC; the
     * difference of the fields is the offset in force at that instant,
     * DST included. (mktime on gmtime's fields would read them as local
     * time, whose offset may differ from t's around a DST change.) */
    struct tm lt, gt;
    tzset();   /* POSIX: localtime_r need not read TZ itself */
    if (!localtime_r(&t, &lt) || !gmtime_r(&t, &gt))
        return false;
    long days = lt.tm_year == gt.tm_year ? (long)lt.tm_yday - gt.tm_yday
                : lt.tm_year > gt.tm_year ? 1 : -1;   /* at most a day apart */
    long secs = days * 86400L + (lt.tm_hour - gt.tm_hour) * 3600L +
                (lt.tm_min - gt.tm_min) * 60L + (lt.tm_sec - gt.tm_sec);
    long m = secs >= 0 ? (secs + 30) / 60 : -((-secs + 30) / 60);   /* nearest minute */
    if (m < MTG_UTC_OFFSET_MIN)
        m = MTG_UTC_OFFSET_MIN;
    if (m > MTG_UTC_OFFSET_MAX)
        m = MTG_UTC_OFFSET_MAX;
    *minutes = (int32_t)m;
    return true;
}

int mtg_local_year(time_t t)
{
    struct tm lt;
    tzset();
    if (!localtime_r(&t, &lt))
        return 0;
    return lt.tm_year + 1900;
}

void mtg_fmt_minutes(uint32_t minutes, char out[32])
{
    if (minutes == 0)
        snprintf(out, 32, "less than a minute");
    else if (minutes < 60)
        snprintf(out, 32, "%u min", minutes);
    else if (minutes % 60 == 0)
        snprintf(out, 32, "%u h", minutes / 60);
    else
        snprintf(out, 32, "%u h %u min", minutes / 60, minutes % 60);
}

void mtg_fmt_attendance(uint32_t meetings, uint32_t minutes, char out[64])
{
    char len[32];
    mtg_fmt_minutes(minutes, len);
    snprintf(out, 64, "%u meeting%s, %s", meetings, meetings == 1 ? "" : "s", len);
}

void mtg_fmt_week(const char *week, int this_year, char out[32])
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    unsigned long y, m, d;
    char part[5];
    /* "YYYY-MM-DD" (the codec checks the shape; the numbers are checked here) */
    bool ok = week && strlen(week) == 10 && week[4] == '-' && week[7] == '-';
    if (ok) {
        memcpy(part, week, 4);
        part[4] = '\0';
        ok = cmd_parse_uint(part, 1, 9999, &y);
    }
    if (ok) {
        memcpy(part, week + 5, 2);
        part[2] = '\0';
        ok = cmd_parse_uint(part, 1, 12, &m);
    }
    if (ok)
        ok = cmd_parse_uint(week + 8, 1, 31, &d);
    if (!ok)
        snprintf(out, 32, "?");
    else if ((int)y == this_year)
        snprintf(out, 32, "%s %lu", months[m - 1], d);
    else
        snprintf(out, 32, "%s %lu, %lu", months[m - 1], d, y);
}

char *mtg_attendance_text(const struct proto_attendance_week *w, size_t n, int this_year)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "No meetings yet: when you attend one, it shows here.");
        return text_buf_take(&b);
    }
    /* The dates in a column: as wide as the widest one. */
    int width = 0;
    char when[32], what[64];
    for (size_t i = 0; i < n; i++) {
        mtg_fmt_week(w[i].week, this_year, when);
        if ((int)strlen(when) > width)
            width = (int)strlen(when);
    }
    text_buf_add(&b, "Your meetings, by week (only you can see this):");
    for (size_t i = 0; i < n; i++) {
        mtg_fmt_week(w[i].week, this_year, when);
        mtg_fmt_attendance(w[i].meetings, w[i].minutes, what);
        text_buf_add(&b, "\n  week of %-*s   %s", width, when, what);
    }
    return text_buf_take(&b);
}

/* ---------------------------------------------------------- retention */

bool mtg_parse_retention(const char *s, uint32_t *days)
{
    unsigned long v;
    if (s && (!strcmp(s, "keep") || !strcmp(s, "off"))) {
        *days = 0;
        return true;
    }
    if (!cmd_parse_uint(s, 0, MTG_RETENTION_MAX, &v))
        return false;
    *days = (uint32_t)v;
    return true;
}

void mtg_fmt_keep(uint32_t days, bool ephemeral, char out[48])
{
    if (ephemeral)
        snprintf(out, 48, "nothing is stored");
    else if (days)
        snprintf(out, 48, "messages kept %u day%s", (unsigned)days, days == 1 ? "" : "s");
    else
        out[0] = '\0';
}

char *mtg_keep_sentence(const struct proto_room *r, bool retention, bool ephemeral)
{
    struct text_buf b = {0};
    char room[MTG_NAME];
    const char *days_s = r->retention_days == 1 ? "" : "s";
    mtg_safe_name(r->room, room);
    if (ephemeral && r->ephemeral) {
        text_buf_add(&b, "#%s is now 'what is said here stays here': its messages are never "
                         "written to disk and %s", room,
                     r->meeting ? "are gone when the meeting closes."
                                : "only the newest are held in the server's memory, until it "
                                  "restarts.");
    } else if (ephemeral) {
        text_buf_add(&b, "#%s is no longer ephemeral: its messages are stored again", room);
        if (r->retention_days)
            text_buf_add(&b, ", kept %u day%s", (unsigned)r->retention_days, days_s);
        text_buf_add(&b, ".");
        retention = false;   /* said */
    }
    if (retention) {
        if (b.len)
            text_buf_add(&b, " ");
        if (r->retention_days)
            text_buf_add(&b, "#%s keeps messages %u day%s; older ones are erased from the server.",
                         room, (unsigned)r->retention_days, days_s);
        else
            text_buf_add(&b, "#%s keeps its messages.", room);
        if (r->ephemeral && !ephemeral)
            text_buf_add(&b, " It is ephemeral: none are written to disk.");
    }
    return text_buf_take(&b);
}
