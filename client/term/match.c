/*
 * The matching pool as the terminal shows it: what /match join takes, and
 * the sentences for a proposal, what became of it and the pool's status.
 * Pure: callers pass the time (text_time() reads the local time zone).
 *
 * A declined or lapsed proposal never says who said no.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddies.h"

/* ------------------------------------------------------------ parsing */

static bool parse_language(const char *s, char out[PROTO_LANGUAGE_MAX + 1])
{
    size_t n = strlen(s);
    if (n < 2 || n > PROTO_LANGUAGE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

bool mat_parse_approach(const char *s, enum proto_approach *out)
{
    static const struct { const char *word; enum proto_approach a; } words[] = {
        {"12_step", PROTO_APPROACH_12_STEP}, {"12-step", PROTO_APPROACH_12_STEP},
        {"12step", PROTO_APPROACH_12_STEP},  {"aa", PROTO_APPROACH_12_STEP},
        {"na", PROTO_APPROACH_12_STEP},      {"smart", PROTO_APPROACH_SMART},
        {"other", PROTO_APPROACH_OTHER},     {"any", PROTO_APPROACH_ANY},
    };
    char w[16];
    if (!s || strlen(s) >= sizeof w)
        return false;
    size_t i = 0;
    for (; s[i]; i++)
        w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    w[i] = '\0';
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(w, words[i].word) == 0) {
            *out = words[i].a;
            return true;
        }
    }
    return false;
}

enum mat_parse mat_parse_join(int argc, char **argv, int32_t utc_offset,
                              char lang[PROTO_LANGUAGE_MAX + 1], struct proto_match_prefs *out)
{
    memset(out, 0, sizeof *out);
    out->clean_days = -1;
    out->utc_offset_minutes = utc_offset;
    const char *pos[2];
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        unsigned long days;
        if (strcmp(argv[i], "--more-clean-time") == 0) {
            out->want_more_clean_time = true;
        } else if (strcmp(argv[i], "--clean-days") == 0) {
            if (i + 1 >= argc || !cmd_parse_uint(argv[++i], 0, MAT_CLEAN_DAYS_MAX, &days))
                return MAT_BAD_DAYS;
            out->clean_days = (int32_t)days;
        } else if (npos < 2 && argv[i][0] != '-') {
            pos[npos++] = argv[i];
        } else {
            return MAT_USAGE;
        }
    }
    if (npos != 2)
        return MAT_USAGE;
    if (!parse_language(pos[0], lang))
        return MAT_BAD_LANGUAGE;
    if (!mat_parse_approach(pos[1], &out->approach))
        return MAT_BAD_APPROACH;
    if (out->want_more_clean_time && out->clean_days < 0)
        return MAT_MORE_NEEDS_DAYS;
    out->language = lang;
    return MAT_OK;
}

const char *mat_parse_error(enum mat_parse rc)
{
    switch (rc) {
    case MAT_BAD_LANGUAGE:
        return "LANG is a language code of 2 to 8 letters, like en, es or pt.";
    case MAT_BAD_APPROACH:
        return "APPROACH is 12_step, smart, other or any (any: whatever the other person's).";
    case MAT_BAD_DAYS:
        return "--clean-days takes your days clean, a whole number from 0 to 36500.";
    case MAT_MORE_NEEDS_DAYS:
        return "--more-clean-time needs --clean-days N too: Hearth compares your days with theirs.";
    default:
        return "Usage: /match join LANG APPROACH [--clean-days N] [--more-clean-time]";
    }
}

/* ---------------------------------------------------------- sentences */

const char *mat_approach_words(enum proto_approach a)
{
    switch (a) {
    case PROTO_APPROACH_12_STEP: return "a 12-step program";
    case PROTO_APPROACH_SMART: return "SMART Recovery";
    case PROTO_APPROACH_OTHER: return "another approach";
    default: return "any approach";
    }
}

void mat_fmt_offset(int32_t minutes, char out[16])
{
    if (minutes == 0) {
        snprintf(out, 16, "UTC");
        return;
    }
    char sign = minutes < 0 ? '-' : '+';
    int32_t m = minutes < 0 ? -minutes : minutes;
    if (m % 60)
        snprintf(out, 16, "UTC%c%d:%02d", sign, (int)(m / 60), (int)(m % 60));
    else
        snprintf(out, 16, "UTC%c%d", sign, (int)(m / 60));
}

/* "en" from the server, for the terminal: letters only. */
static void safe_language(const char *in, char out[PROTO_LANGUAGE_MAX + 1])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p && n < PROTO_LANGUAGE_MAX; p++)
        out[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ? *p : '?';
    out[n] = '\0';
}

char *mat_proposal_text(const struct proto_match_proposal *p, int64_t now_ms)
{
    char who[MTG_NAME], zone[16], lang[PROTO_LANGUAGE_MAX + 1], until[32];
    mtg_safe_name(p->handle, who);
    mat_fmt_offset(p->utc_offset_minutes, zone);
    safe_language(p->language, lang);
    struct text_buf b = {0};
    text_buf_add(&b, "Hearth suggests a buddy: %s (%s, speaks %s, %s%s). /match accept or "
                     "/match decline", who, zone, lang, mat_approach_words(p->approach),
                 p->more_clean_time ? ", more clean time than you" : "");
    if (p->expires_at) {
        text_time(p->expires_at, now_ms, until);
        text_buf_add(&b, ", before %s", until);
    }
    text_buf_add(&b, ".");
    return text_buf_take(&b);
}

char *mat_update_text(const char *state, const char *handle)
{
    char who[MTG_NAME];
    mtg_safe_name(handle && *handle ? handle : "them", who);
    struct text_buf b = {0};
    if (!state)
        return NULL;
    if (strcmp(state, "waiting") == 0)
        text_buf_add(&b, "You said yes to %s. Waiting for them to answer.", who);
    else if (strcmp(state, "declined") == 0)
        text_buf_add(&b, "The match with %s will not go ahead. You stay in the pool: Hearth "
                         "keeps looking.", who);
    else if (strcmp(state, "lapsed") == 0)
        text_buf_add(&b, "The match with %s lapsed before both of you answered. /match shows "
                         "whether you are still in the pool.", who);
    return text_buf_take(&b);
}

static void add_prefs(struct text_buf *b, const struct proto_match_prefs *p)
{
    char zone[16], lang[PROTO_LANGUAGE_MAX + 1];
    mat_fmt_offset(p->utc_offset_minutes, zone);
    safe_language(p->language, lang);
    text_buf_add(b, "language %s, your time %s (matched within 3 hours), approach: %s", lang,
                 zone, mat_approach_words(p->approach));
    if (p->clean_days >= 0)
        text_buf_add(b, ", %ld day%s clean", (long)p->clean_days, p->clean_days == 1 ? "" : "s");
    if (p->want_more_clean_time)
        text_buf_add(b, ", looking for someone with more clean time");
    text_buf_add(b, ".");
}

char *mat_status_text(bool in_pool, const struct proto_match_prefs *prefs,
                      const struct proto_match_proposal *proposal, int64_t now_ms)
{
    struct text_buf b = {0};
    if (in_pool) {
        text_buf_add(&b, "You are in the matching pool: ");
        add_prefs(&b, prefs);
        text_buf_add(&b, " /match leave takes you out.");
    } else {
        text_buf_add(&b, "You are not in the matching pool. /match join LANG APPROACH finds you "
                         "a buddy.");
    }
    if (proposal) {
        char *p = mat_proposal_text(proposal, now_ms);
        text_buf_add(&b, "\n%s", p ? p : "");
        free(p);
    }
    return text_buf_take(&b);
}
