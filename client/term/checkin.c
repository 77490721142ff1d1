/*
 * Daily check-ins as people type them: days ("YYYY-MM-DD", and in words),
 * what /checkin and `hearth checkin` take, and picking warning signs from
 * the server's list by number, name or label. Pure (checkin.h); the
 * sentences are checkin_text.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkin.h"


static const char *const ci_wday[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const ci_mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* --------------------------------------------------------------- days */

static bool ci_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int ci_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's). */
static int64_t ci_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool ci_day_parts(const char *s, int *y, int *m, int *d)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && ci_digits(s, 4, y) &&
           ci_digits(s + 5, 2, m) && ci_digits(s + 8, 2, d) && *m >= 1 && *m <= 12 &&
           *d >= 1 && *d <= ci_month_days(*y, *m);
}

bool ci_day_ok(const char *s)
{
    int y, m, d;
    return ci_day_parts(s, &y, &m, &d);
}

bool ci_day_number(const char *s, int64_t *out)
{
    int y, m, d;
    if (!ci_day_parts(s, &y, &m, &d))
        return false;
    *out = ci_civil(y, m, d);
    return true;
}

void ci_day_name(int64_t n, char out[CI_DAY])
{
    int64_t z = n + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (m <= 2);
    if (y < 0 || y > 9999) {
        snprintf(out, CI_DAY, "?");
        return;
    }
    snprintf(out, CI_DAY, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

void ci_today(int64_t now_ms, char out[CI_DAY])
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, CI_DAY, "%Y-%m-%d", &tm))
        snprintf(out, CI_DAY, "?");
}

/* "Mon 23 Nov 2025" with its parts as asked for. */
static void ci_fmt(const char *s, int this_year, bool weekday, char out[CI_DAY_WORDS])
{
    int y, m, d;
    if (!ci_day_parts(s, &y, &m, &d)) {
        snprintf(out, CI_DAY_WORDS, "?");
        return;
    }
    int64_t n = ci_civil(y, m, d);
    int len = 0;
    if (weekday)   /* 1970-01-01 was a Thursday */
        len = snprintf(out, CI_DAY_WORDS, "%s ", ci_wday[((n + 3) % 7 + 7) % 7]);
    size_t room = (size_t)(CI_DAY_WORDS - len);
    if (this_year && y != this_year)
        snprintf(out + len, room, "%d %s %04d", d, ci_mon[m - 1], y % 10000);
    else
        snprintf(out + len, room, "%d %s", d, ci_mon[m - 1]);
}

void ci_fmt_day(const char *s, int this_year, char out[CI_DAY_WORDS])
{
    ci_fmt(s, this_year, true, out);
}

void ci_fmt_date(const char *s, int this_year, char out[CI_DAY_WORDS])
{
    ci_fmt(s, this_year, false, out);
}

const char *ci_plural(unsigned long n)
{
    return n == 1 ? "" : "s";
}

/* ------------------------------------------------------------ parsing */

enum ci_key { K_MOOD = 0, K_CRAVING, K_SIGNS, K_GRATEFUL, K_WIN, K_NOTE, K__N };
static const char *const ci_keys[K__N] = {"mood", "craving", "signs", "grateful", "win", "note"};

static char ci_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ci_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The key written at p as "KEY=" (any case), -1 when none; *len counts
 * the '='. */
static int ci_key_at(const char *p, size_t *len)
{
    for (int k = 0; k < K__N; k++) {
        size_t n = 0;
        while (ci_keys[k][n] && ci_lower(p[n]) == ci_keys[k][n])
            n++;
        if (!ci_keys[k][n] && p[n] == '=') {
            *len = n + 1;
            return k;
        }
    }
    return -1;
}

/* Where the value starting at p ends: at the next " KEY=", else the end. */
static const char *ci_value_end(const char *p)
{
    size_t len;
    for (const char *q = p; *q; q++)
        if (q > p && ci_blank(q[-1]) && ci_key_at(q, &len) >= 0)
            return q;
    return p + strlen(p);
}

/* A number in [min, max] with blanks around it. */
static bool ci_number(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char w[16];
    const char *p = s ? s : "";
    return cmd_next_word(&p, w, sizeof w) && !*cmd_skip_blanks(p) &&
           cmd_parse_uint(w, min, max, out);
}

bool ci_parse_mood(const char *s, uint32_t *out)
{
    unsigned long v;
    if (!ci_number(s, 1, 5, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool ci_parse_craving(const char *s, int32_t *out)
{
    unsigned long v;
    if (!ci_number(s, 0, 10, &v))
        return false;
    *out = (int32_t)v;
    return true;
}

enum ci_parse ci_take(const char *from, const char *to, long max, char **out)
{
    free(*out);
    *out = NULL;
    size_t n = (size_t)(to - from);
    char *span = malloc(n + 1);
    if (!span)
        return CI_NO_MEMORY;
    memcpy(span, from, n);
    span[n] = '\0';
    int rc = cmd_take_rest(span, max, out);
    free(span);
    return rc == 0 ? CI_OK : rc == -E2BIG ? CI_LONG_TEXT : CI_NO_MEMORY;
}

/* The mood or the craving, [from, to) as typed ("none": no craving). */
static enum ci_parse ci_set_number(struct ci_args *a, int key, const char *from, const char *to)
{
    char *v = NULL;
    enum ci_parse rc = ci_take(from, to, 16, &v);
    bool ok = rc == CI_OK;
    if (key == K_MOOD)
        ok = ok && ci_parse_mood(v, &a->mood);
    else if (ok && (!v || cmd_word_is(v, "none")))
        a->craving = -1;
    else
        ok = ok && ci_parse_craving(v, &a->craving);
    free(v);
    if (rc == CI_NO_MEMORY)
        return rc;
    return ok ? CI_OK : key == K_MOOD ? CI_BAD_MOOD : CI_BAD_CRAVING;
}

/* One KEY's value, [from, to) as typed. */
static enum ci_parse ci_set(struct ci_args *a, int key, const char *from, const char *to)
{
    char **text[K__N] = {[K_SIGNS] = &a->signs, [K_GRATEFUL] = &a->grateful, [K_WIN] = &a->win,
                         [K_NOTE] = &a->note};
    if (key == K_MOOD || key == K_CRAVING)
        return ci_set_number(a, key, from, to);
    return ci_take(from, to, key == K_SIGNS ? CI_SIGNS_TEXT_MAX : PROTO_CHECKIN_TEXT_MAX,
                   text[key]);
}

static void ci_args_init(struct ci_args *a)
{
    memset(a, 0, sizeof *a);
    a->craving = -1;
}

enum ci_parse ci_parse_line(const char *s, struct ci_args *out)
{
    ci_args_init(out);
    const char *p = cmd_skip_blanks(s ? s : "");
    size_t klen;
    if (*p && ci_key_at(p, &klen) < 0) {   /* the first word: the mood */
        const char *end = p;
        while (*end && !ci_blank(*end))
            end++;
        enum ci_parse rc = *p >= '0' && *p <= '9' ? ci_set(out, K_MOOD, p, end) : CI_BAD_WORD;
        if (rc != CI_OK)
            return rc;
        p = cmd_skip_blanks(end);
    }
    while (*p) {
        int key = ci_key_at(p, &klen);
        if (key < 0)
            return CI_BAD_WORD;
        const char *end = ci_value_end(p + klen);
        enum ci_parse rc = ci_set(out, key, p + klen, end);
        if (rc != CI_OK)
            return rc;
        p = end;
    }
    return out->mood ? CI_OK : CI_NO_MOOD;
}

/* An option's key without '=' ("--mood"): -1 when none. */
static int ci_option(const char *a)
{
    for (int k = 0; a[0] == '-' && a[1] == '-' && k < K__N; k++)
        if (cmd_word_is(a + 2, ci_keys[k]))
            return k;
    return -1;
}

enum ci_parse ci_parse_argv(int argc, char **argv, struct ci_args *out)
{
    ci_args_init(out);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *value = NULL;
        size_t klen;
        int key = a[0] == '-' && a[1] == '-' ? ci_key_at(a + 2, &klen) : -1;
        if (key >= 0)
            value = a + 2 + klen;   /* --mood=4 */
        else if (i + 1 < argc && (key = ci_option(a)) >= 0)
            value = argv[++i];      /* --mood 4 */
        if (key < 0)
            return CI_USAGE;
        enum ci_parse rc = ci_set(out, key, value, value + strlen(value));
        if (rc != CI_OK)
            return rc;
    }
    return out->mood ? CI_OK : CI_NO_MOOD;
}

void ci_args_free(struct ci_args *a)
{
    free(a->signs);
    free(a->grateful);
    free(a->win);
    free(a->note);
    ci_args_init(a);
}

const char *ci_parse_error(enum ci_parse rc, bool oneshot)
{
    switch (rc) {
    case CI_NO_MOOD:
    case CI_BAD_MOOD:
        return oneshot ? "--mood is a number from 1 (very low) to 5 (very good)."
                       : "Your mood is a number from 1 (very low) to 5 (very good), first: "
                         "/checkin 3, or /checkin alone on a terminal to be asked.";
    case CI_BAD_CRAVING:
        return "A craving is a number from 0 (none) to 10 (the strongest).";
    case CI_LONG_TEXT:
        return "Grateful, win and note are at most 500 characters each.";
    case CI_TOO_MANY_SIGNS:
        return "That is more warning signs than one check-in takes (32).";
    case CI_NO_MEMORY:
        return "Out of memory.";
    default:
        return oneshot ? "usage: hearth checkin --mood 1-5 [--craving 0-10] [--signs A,B] "
                         "[--grateful TEXT] [--win TEXT] [--note TEXT]"
                       : "Usage: /checkin MOOD [craving=N] [signs=A,B] [grateful=TEXT] "
                         "[win=TEXT] [note=TEXT] (/help shows an example).";
    }
}

/* ------------------------------------------------------ warning signs */

/* s[0..n) compared with `with` the way signs are: case, '-' and ' ' aside. */
static bool ci_same_sign(const char *s, size_t n, const char *with)
{
    size_t i = 0;
    for (; i < n && with && with[i]; i++) {
        char a = ci_lower(s[i]), b = ci_lower(with[i]);
        a = a == '-' || a == ' ' ? '_' : a;
        b = b == '-' || b == ' ' ? '_' : b;
        if (a != b)
            return false;
    }
    return i == n && with && !with[i];
}

/* The list's entry for a token (a number from 1, a name, a label); -1. */
static long ci_match(const char *s, size_t n, const struct proto_sign *list, size_t nl)
{
    char num[8];
    unsigned long v;
    if (n < sizeof num) {
        memcpy(num, s, n);
        num[n] = '\0';
        if (cmd_parse_uint(num, 1, nl, &v))
            return (long)v - 1;
    }
    for (size_t i = 0; i < nl; i++)
        if (ci_same_sign(s, n, list[i].name) || ci_same_sign(s, n, list[i].label))
            return (long)i;
    return -1;
}

static enum ci_parse ci_add_sign(struct ci_signs *out, const char *name)
{
    for (size_t i = 0; i < out->n; i++)
        if (out->names[i] == name)
            return CI_OK;
    if (out->n == PROTO_SIGNS_MAX)
        return CI_TOO_MANY_SIGNS;
    out->names[out->n++] = name;
    return CI_OK;
}

/* The longest run of words from p (before end) that is a sign: its entry
 * in the list, *stop after it; -1 when not even p's first word is one. */
static long ci_match_words(const char *p, const char *end, const struct proto_sign *list,
                           size_t nl, const char **stop)
{
    for (*stop = end; *stop > p; ) {
        long i = ci_match(p, (size_t)(*stop - p), list, nl);
        if (i >= 0)
            return i;
        while (*stop > p && !ci_blank((*stop)[-1]))
            (*stop)--;
        while (*stop > p && ci_blank((*stop)[-1]))
            (*stop)--;
    }
    return -1;
}

/* The signs between two commas: one, or several separated by blanks. */
static enum ci_parse ci_pick_piece(const char *p, const char *end, const struct proto_sign *list,
                                   size_t nl, struct ci_signs *out, char bad[48])
{
    while (end > p && ci_blank(end[-1]))
        end--;
    for (p = cmd_skip_blanks(p); p < end; p = cmd_skip_blanks(p)) {
        const char *stop;
        long i = ci_match_words(p, end, list, nl, &stop);
        if (i < 0 && ci_same_sign(p, (size_t)(end - p), "none"))
            return CI_OK;
        if (i < 0) {
            for (stop = p; stop < end && !ci_blank(*stop); stop++)
                ;
            snprintf(bad, 48, "%.*s", (int)(stop - p), p);
            return CI_BAD_SIGN;
        }
        enum ci_parse rc = ci_add_sign(out, list[i].name);
        if (rc != CI_OK)
            return rc;
        p = stop;
    }
    return CI_OK;
}

enum ci_parse ci_pick_signs(const char *typed, const struct proto_sign *list, size_t n,
                            struct ci_signs *out, char bad[48])
{
    out->n = 0;
    bad[0] = '\0';
    for (const char *p = typed ? typed : ""; *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        enum ci_parse rc = ci_pick_piece(p, end, list, n, out, bad);
        if (rc != CI_OK)
            return rc;
        p = comma ? comma + 1 : end;
    }
    return CI_OK;
}

void ci_fill_submit(const struct ci_args *a, const struct ci_signs *signs,
                    struct proto_request *q)
{
    memset(q, 0, sizeof *q);
    q->type = PROTO_REQ_CHECKIN_SUBMIT;
    q->u.checkin.mood = a->mood;
    q->u.checkin.craving = a->craving;
    q->u.checkin.signs = signs ? (const char **)signs->names : NULL;
    q->u.checkin.n_signs = signs ? signs->n : 0;
    q->u.checkin.grateful = a->grateful;
    q->u.checkin.win = a->win;
    q->u.checkin.note = a->note;
}

/* ------------------------------------------------------ the sign list */

static void ci_add_menu(struct text_buf *b, const struct proto_sign *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *label = text_one_line(list[i].label && *list[i].label ? list[i].label
                                                                     : list[i].name);
        text_buf_add(b, "\n  %2zu. %s", i + 1, label ? label : "?");
        free(label);
    }
}

char *ci_signs_menu(const struct proto_sign *list, size_t n)
{
    struct text_buf b = {0};
    if (n == 0)
        text_buf_add(&b, "This server lists no warning signs.");
    else
        text_buf_add(&b, "Warning signs (pick any, by number or name):");
    ci_add_menu(&b, list, n);
    return text_buf_take(&b);
}

char *ci_bad_sign_text(const char *bad, const struct proto_sign *list, size_t n)
{
    struct text_buf b = {0};
    char *w = text_one_line(bad);
    text_buf_add(&b, "'%s' is not one of the warning signs. Pick by number or name:",
                 w ? w : "?");
    free(w);
    ci_add_menu(&b, list, n);
    return text_buf_take(&b);
}
