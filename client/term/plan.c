/*
 * The crisis card and the trigger action plan as people type and read
 * them: /card add's NAME PHONE [NOTE], /plan add's WHEN => THEN, /plan
 * reason's words, editing one of their lists, and the lines that show
 * them (checkin.h). Pure.
 *
 * The card and the plan are the member's own words for a hard moment:
 * they are shown as written, in the member's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkin.h"

/* ------------------------------------------------------------ parsing */

static bool pl_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool pl_phone_char(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '(' || c == ')' || c == '.';
}

/* A word [w, end) of phone characters with a digit in it. */
static bool pl_phone_word(const char *w, const char *end)
{
    bool digit = false;
    for (; w < end; w++) {
        if (!pl_phone_char(*w))
            return false;
        digit |= *w >= '0' && *w <= '9';
    }
    return digit;
}

static const char *pl_word_end(const char *w)
{
    while (*w && !pl_blank(*w))
        w++;
    return w;
}

static bool pl_quote(char c)
{
    return c == '"' || c == '\'';
}

/* A quoted part at *p (pl_quote(**p)): its text [*from, *to), *p moved
 * past the closing quote. false when it is not closed. */
static bool pl_quoted(const char **p, const char **from, const char **to)
{
    const char *close = strchr(*p + 1, **p);
    if (!close)
        return false;
    *from = *p + 1;
    *to = close;
    *p = close + 1;
    return true;
}

/* NAME: a quoted part, else the words before the first phone word. */
static bool pl_name_span(const char **p, const char **from, const char **to)
{
    if (pl_quote(**p))
        return pl_quoted(p, from, to);
    *from = *p;
    for (const char *w = *p; *w; w = cmd_skip_blanks(pl_word_end(w))) {
        if (pl_phone_word(w, pl_word_end(w))) {
            *to = w;
            *p = w;
            return w > *from;
        }
    }
    return false;
}

/* PHONE: a quoted part, else the run of phone words. */
static bool pl_phone_span(const char **p, const char **from, const char **to)
{
    if (pl_quote(**p))
        return pl_quoted(p, from, to);
    *from = *to = *p;
    for (const char *w = *p; *w && pl_phone_word(w, pl_word_end(w));
         w = cmd_skip_blanks(*to)) {
        *to = pl_word_end(w);
        *p = *to;
    }
    return *to > *from;
}

enum ci_parse pl_parse_contact(const char *s, struct pl_contact_args *out)
{
    memset(out, 0, sizeof *out);
    const char *p = cmd_skip_blanks(s ? s : ""), *from, *to;
    if (!pl_name_span(&p, &from, &to))
        return CI_USAGE;
    enum ci_parse rc = ci_take(from, to, PL_ITEM_MAX, &out->name);
    p = cmd_skip_blanks(p);
    if (rc == CI_OK && !pl_phone_span(&p, &from, &to))
        rc = CI_USAGE;
    if (rc == CI_OK)
        rc = ci_take(from, to, PL_ITEM_MAX, &out->phone);
    if (rc == CI_OK)
        rc = ci_take(p, p + strlen(p), PL_ITEM_MAX, &out->note);
    return rc == CI_OK && (!out->name || !out->phone) ? CI_USAGE : rc;
}

void pl_contact_args_free(struct pl_contact_args *a)
{
    free(a->name);
    free(a->phone);
    free(a->note);
    memset(a, 0, sizeof *a);
}

/* The separator of WHEN => THEN: its place and length; NULL when none. */
static const char *pl_arrow(const char *s, size_t *len)
{
    static const char *const arrows[] = {"=>", "->", "\xe2\x86\x92" /* → */};
    for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++) {
        const char *a = strstr(s, arrows[i]);
        if (a) {
            *len = strlen(arrows[i]);
            return a;
        }
    }
    return NULL;
}

enum ci_parse pl_parse_line(const char *s, char **when, char **then)
{
    *when = *then = NULL;
    s = cmd_skip_blanks(s ? s : "");
    size_t len;
    const char *arrow = pl_arrow(s, &len);
    if (!arrow)
        return CI_USAGE;
    const char *w = s, *word = s;
    char first[8];
    if (cmd_next_word(&word, first, sizeof first) &&
        (cmd_word_is(first, "if") || cmd_word_is(first, "when")) && word <= arrow)
        w = word;   /* "if" or "when" goes without saying */
    enum ci_parse rc = ci_take(w, arrow, PL_ITEM_MAX, when);
    if (rc == CI_OK)
        rc = ci_take(arrow + len, arrow + len + strlen(arrow + len), PL_ITEM_MAX, then);
    if (rc == CI_OK && (!*when || !*then))
        rc = CI_USAGE;
    if (rc != CI_OK) {
        free(*when);
        free(*then);
        *when = *then = NULL;
    }
    return rc;
}

enum ci_parse pl_parse_reason(const char *s, char **out)
{
    *out = NULL;
    s = s ? s : "";
    enum ci_parse rc = ci_take(s, s + strlen(s), PL_ITEM_MAX, out);
    return rc == CI_OK && !*out ? CI_USAGE : rc;
}

const char *pl_parse_error(enum ci_parse rc, bool card)
{
    if (rc == CI_LONG_TEXT)
        return "Each part is at most 300 characters.";
    if (rc == CI_NO_MEMORY)
        return "Out of memory.";
    return card ? "Usage: /card add NAME PHONE [NOTE...], e.g. /card add Sam (sponsor) "
                  "+1 555 0100 any time. Quote a name or a phone of other words: /card add "
                  "\"Crisis line\" \"text HOME to 741741\"."
                : "Usage: /plan add WHEN => THEN, e.g. /plan add I pass the bar => call Sam; "
                  "/plan reason TEXT adds something you hold on to.";
}

long pl_edit(const void *old, size_t n, size_t size, size_t remove, const void *add, void *out,
             size_t max)
{
    if (remove > n || n - (remove ? 1 : 0) + (add ? 1 : 0) > max)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i + 1 != remove)
            memcpy((char *)out + size * k++, (const char *)old + size * i, size);
    if (add)
        memcpy((char *)out + size * k++, add, size);
    return (long)k;
}

/* ---------------------------------------------------------- sentences */

/* s starts with the word w (any case), followed by a blank. */
static bool pl_starts(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (!s[i] || (s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]) != w[i])
            return false;
    return pl_blank(s[n]);
}

/* "I" as a word of its own: "I call", "I'll", "I’m". */
static bool pl_says_i(const char *s)
{
    return s[0] == 'I' &&
           (pl_blank(s[1]) || s[1] == '\'' || strncmp(s + 1, "\xe2\x80\x99", 3) == 0);
}

char *pl_line_text(const struct proto_plan_line *l)
{
    struct text_buf b = {0};
    char *when = text_one_line(l->when), *then = text_one_line(l->then);
    if (when && then) {
        bool said = pl_starts(when, "if") || pl_starts(when, "when");
        text_buf_add(&b, "%s%s, %s%s", said ? "" : "If ", when, pl_says_i(then) ? "" : "I will ",
                     then);
    }
    free(when);
    free(then);
    return text_buf_take(&b);
}

static void pl_add_start(struct text_buf *b, size_t i, bool numbered)
{
    if (numbered)
        text_buf_add(b, "\n  %zu. ", i + 1);
    else
        text_buf_add(b, "\n  ");
}

void pl_add_lines(struct text_buf *b, const struct proto_plan_line *l, size_t n, bool numbered)
{
    for (size_t i = 0; i < n; i++) {
        char *line = pl_line_text(&l[i]);
        pl_add_start(b, i, numbered);
        text_buf_add(b, "%s", line ? line : "?");
        free(line);
    }
}

void pl_add_reasons(struct text_buf *b, const char *const *r, size_t n, bool numbered)
{
    for (size_t i = 0; i < n; i++) {
        char *reason = text_one_line(r[i]);
        pl_add_start(b, i, numbered);
        text_buf_add(b, "%s", reason ? reason : "?");
        free(reason);
    }
}

void pl_add_contacts(struct text_buf *b, const struct proto_contact *c, size_t n, bool numbered)
{
    for (size_t i = 0; i < n; i++) {
        char *name = text_one_line(c[i].name), *phone = text_one_line(c[i].phone);
        char *note = c[i].note && *c[i].note ? text_one_line(c[i].note) : NULL;
        pl_add_start(b, i, numbered);
        text_buf_add(b, "%s: %s", name ? name : "?", phone ? phone : "?");
        if (note)
            text_buf_add(b, " (%s)", note);
        free(name);
        free(phone);
        free(note);
    }
}

char *pl_card_text(const struct proto_contact *c, size_t n, const char *const *res, size_t nres,
                   bool resources)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "Your crisis card has nobody on it yet: /card add NAME PHONE [NOTE] "
                         "adds someone to call on a hard day.");
    } else {
        text_buf_add(&b, "Your crisis card (only you see it):");
        pl_add_contacts(&b, c, n, true);
    }
    char *help = resources ? saf_resources_text("Where to get help, any time:", res, nres) : NULL;
    if (resources)
        text_buf_add(&b, "\n%s", help ? help : SAF_FALLBACK);
    free(help);
    if (n)
        text_buf_add(&b, "\n/card add NAME PHONE [NOTE] adds someone; /card remove N takes "
                         "someone off.");
    return text_buf_take(&b);
}

char *pl_plan_text(const struct proto_plan_line *l, size_t n, const char *const *r, size_t nr)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "Your plan has no lines yet: /plan add WHEN => THEN, e.g. /plan add I "
                         "pass the bar => call Sam.");
    } else {
        text_buf_add(&b, "Your plan for hard moments (only you see it):");
        pl_add_lines(&b, l, n, true);
    }
    if (nr == 0) {
        text_buf_add(&b, "\n/plan reason TEXT adds something you hold on to.");
    } else {
        text_buf_add(&b, "\nWhat you hold on to:");
        pl_add_reasons(&b, r, nr, true);
    }
    if (n || nr)
        text_buf_add(&b, "\n/plan remove N takes a line out; /plan unreason N a reason.");
    return text_buf_take(&b);
}
