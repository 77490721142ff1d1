/*
 * Command lines: shell-like word splitting and small value parsers (and
 * the words for a status, cmd_parse_status in reverse). Pure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hearth.h"

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

const char *cmd_skip_blanks(const char *s)
{
    while (*s && is_blank(*s))
        s++;
    return s;
}

bool cmd_next_word(const char **s, char *out, size_t n)
{
    const char *p = cmd_skip_blanks(*s);
    size_t len = 0;
    while (p[len] && !is_blank(p[len]))
        len++;
    if (len == 0 || len >= n)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    *s = p + len;
    return true;
}

const char *cmd_rest(const char *s, size_t *len)
{
    s = cmd_skip_blanks(s);
    size_t n = strlen(s);
    while (n && is_blank(s[n - 1]))
        n--;
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    *len = n;
    return s;
}

int cmd_take_rest(const char *s, long max_chars, char **out)
{
    *out = NULL;
    size_t n;
    s = cmd_rest(s, &n);
    if (n == 0)
        return 0;
    long chars = proto_utf8_chars(s, n);
    if (chars < 0 || chars > max_chars)
        return -E2BIG;
    char *r = malloc(n + 1);
    if (!r)
        return -ENOMEM;
    memcpy(r, s, n);
    r[n] = '\0';
    *out = r;
    return 0;
}

bool cmd_word_is(const char *w, const char *keyword)
{
    for (; *w && *keyword; w++, keyword++) {
        char c = *w >= 'A' && *w <= 'Z' ? (char)(*w - 'A' + 'a') : *w;
        if (c != *keyword)
            return false;
    }
    return *w == *keyword;
}

int cmd_split(const char *line, struct cmd_args *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(line);
    /* Words, then one copy of the line (trailing blanks trimmed) that the
     * rest[] pointers point into. */
    out->buf = malloc(2 * (n + 1));
    if (!out->buf)
        return -ENOMEM;
    char *w = out->buf;
    char *copy = out->buf + n + 1;
    size_t cl = n;
    while (cl && is_blank(line[cl - 1]))
        cl--;
    memcpy(copy, line, cl);
    copy[cl] = '\0';
    const char *p = line;
    for (;;) {
        while (*p && is_blank(*p))
            p++;
        if (!*p)
            break;
        if (out->argc == CMD_MAX_ARGS) {
            cmd_args_free(out);
            return -E2BIG;
        }
        out->rest[out->argc] = copy + (p - line);
        out->argv[out->argc++] = w;
        char q = 0;
        while (*p && (q || !is_blank(*p))) {
            char ch = *p++;
            if (q) {
                if (ch == q)
                    q = 0;
                else if (ch == '\\' && q == '"' && (*p == '"' || *p == '\\'))
                    *w++ = *p++;
                else
                    *w++ = ch;
            } else if (ch == '"' || ch == '\'') {
                q = ch;
            } else if (ch == '\\' && *p) {
                *w++ = *p++;
            } else {
                *w++ = ch;
            }
        }
        if (q) {
            cmd_args_free(out);
            return -EINVAL;
        }
        *w++ = '\0';
    }
    out->argv[out->argc] = NULL;
    out->rest[out->argc] = NULL;
    return 0;
}

void cmd_args_free(struct cmd_args *a)
{
    free(a->buf);
    memset(a, 0, sizeof *a);
}

bool cmd_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    if (!s || !*s)
        return false;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        if (v > (max - (unsigned long)(*p - '0')) / 10)
            return false;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool cmd_parse_status(const char *s, enum proto_status *out)
{
    static const struct { const char *name; enum proto_status st; } names[] = {
        {"available", PROTO_STATUS_AVAILABLE}, {"avail", PROTO_STATUS_AVAILABLE},
        {"online", PROTO_STATUS_AVAILABLE},    {"away", PROTO_STATUS_AWAY},
        {"busy", PROTO_STATUS_BUSY},           {"dnd", PROTO_STATUS_BUSY},
        {"invisible", PROTO_STATUS_INVISIBLE}, {"hidden", PROTO_STATUS_INVISIBLE},
    };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].st;
            return true;
        }
    }
    return false;
}

const char *fmt_status(enum proto_status st)
{
    switch (st) {
    case PROTO_STATUS_AVAILABLE: return "available";
    case PROTO_STATUS_AWAY: return "away";
    case PROTO_STATUS_BUSY: return "busy";
    case PROTO_STATUS_INVISIBLE: return "invisible";
    default: return "offline";
    }
}
