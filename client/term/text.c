/*
 * Text for the terminal. Messages, titles and topics come from other
 * people: before they reach the terminal, every control character goes
 * (an escape sequence could move the cursor, retitle the window or fake a
 * line from someone else), and so do bidirectional overrides. Pure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hearth.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

/* Decodes one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, v = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, v = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, v = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

static bool unsafe_cp(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

char *text_sanitize(const char *s, const char *indent)
{
    if (!s)
        s = "";
    if (!indent)
        indent = "";
    size_t il = strlen(indent), len = strlen(s);
    /* Worst case: every byte becomes U+FFFD (3 bytes) or newline+indent. */
    size_t cap = len * (3 + il + 1) + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *w = out;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (n == 0) {
            memcpy(w, REPLACEMENT, 3);
            w += 3;
            p++;
            continue;
        }
        if (cp == '\n') {
            *w++ = '\n';
            memcpy(w, indent, il);
            w += il;
        } else if (cp == '\t') {
            *w++ = ' ';
        } else if (cp == '\r') {
            /* dropped */
        } else if (unsafe_cp(cp)) {
            memcpy(w, REPLACEMENT, 3);
            w += 3;
        } else {
            memcpy(w, p, n);
            w += n;
        }
        p += n;
    }
    *w = '\0';
    return out;
}

char *text_one_line(const char *s)
{
    char *r = text_sanitize(s ? s : "", "");
    if (!r)
        return NULL;
    for (char *p = r; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return r;
}

void text_buf_add(struct text_buf *b, const char *fmt, ...)
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

char *text_buf_take(struct text_buf *b)
{
    if (b->oom || b->len == 0) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

void text_time(int64_t ts_ms, int64_t now_ms, char out[32])
{
    time_t t = (time_t)(ts_ms / 1000), now = (time_t)(now_ms / 1000);
    struct tm tm, tn;
    if (!localtime_r(&t, &tm) || !localtime_r(&now, &tn)) {
        snprintf(out, 32, "--:--");
        return;
    }
    if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
        strftime(out, 32, "%H:%M", &tm);
    else if (tm.tm_year == tn.tm_year)
        strftime(out, 32, "%b %d %H:%M", &tm);
    else
        strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

void text_duration(int64_t ms, char out[16])
{
    if (ms < 0)
        ms = 0;
    if (ms > 99 * 60000)
        ms = 99 * 60000;
    if (ms < 1000)
        snprintf(out, 16, "%.1fs", (double)ms / 1000.0);
    else if (ms < 120000)
        snprintf(out, 16, "%llds", (long long)((ms + 500) / 1000));
    else
        snprintf(out, 16, "%lldm", (long long)((ms + 30000) / 60000));
}
