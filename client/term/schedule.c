/*
 * Weekly schedules, coming meetings and invite codes as the terminal
 * shows them: parsing what people type for /schedule add (DAYS HH:MM
 * MINUTES [TZ]) and /invite ([ROOM] [HOURS [USES]]), slot lines, the
 * coming meetings in the reader's own time, the local time zone's name,
 * and invite codes with when they stop working.
 *
 * Pure but for the time zone: callers pass the time; local times read the
 * TZ rules, as localtime does, and sch_local_zone reads where they come
 * from. A slot is shown in its own zone, as the room's host set it (a
 * 19:00 meeting stays at 19:00 there across daylight-saving changes); a
 * coming meeting is a UTC instant, shown in the reader's zone.
 *
 * Room names and handles from the server go through mtg_safe_name(),
 * zone names through sch_safe_zone(), titles and codes through
 * text_one_line().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hearth.h"

static const char *const day_names[7] = {"monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};
static const char *const day_abbr[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static const char *dash(bool utf8)
{
    return utf8 ? "\xE2\x80\x93" : "-";   /* U+2013 EN DASH */
}

/* ------------------------------------------------------------ parsing */

/* A day's name, s[0..n): its proto_weekday, -1 when it is none. */
static int day_index(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        if ((n == 3 || n == strlen(day_names[d])) && strncasecmp(s, day_names[d], n) == 0)
            return d;
    return -1;
}

/* One item of a day list, s[0..n): a word, a day or a range; 0 when it is
 * none of them. */
static uint8_t item_days(const char *s, size_t n)
{
    static const struct { const char *word; uint8_t days; } words[] = {
        {"daily", SCH_ALL_DAYS},    {"everyday", SCH_ALL_DAYS}, {"weekdays", SCH_WEEKDAYS},
        {"weekends", SCH_WEEKENDS}, {"weekend", SCH_WEEKENDS},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == n && strncasecmp(s, words[i].word, n) == 0)
            return words[i].days;
    const char *hyphen = memchr(s, '-', n);
    if (!hyphen) {
        int d = day_index(s, n);
        return d < 0 ? 0 : (uint8_t)(1u << d);
    }
    size_t first = (size_t)(hyphen - s);
    int from = day_index(s, first), to = day_index(hyphen + 1, n - first - 1);
    if (from < 0 || to < 0)
        return 0;
    uint8_t days = 0;
    for (int d = from;; d = (d + 1) % 7) {
        days |= (uint8_t)(1u << d);
        if (d == to)
            return days;
    }
}

bool sch_parse_days(const char *s, uint8_t *days)
{
    if (!s)
        return false;
    uint8_t all = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        uint8_t d = n ? item_days(s, n) : 0;
        if (!d)
            return false;
        all |= d;
        if (!comma)
            break;
        s = comma + 1;
    }
    *days = all;
    return true;
}

bool sch_parse_clock(const char *s, uint16_t *minute)
{
    const char *colon = s ? strchr(s, ':') : NULL;
    if (!colon || colon == s || colon - s > 2 || strlen(colon + 1) != 2)
        return false;
    char hours[3] = "";
    memcpy(hours, s, (size_t)(colon - s));
    unsigned long h, m;
    if (!cmd_parse_uint(hours, 0, 23, &h) || !cmd_parse_uint(colon + 1, 0, 59, &m))
        return false;
    *minute = (uint16_t)(h * 60 + m);
    return true;
}

static bool zone_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '+' || c == '-' || c == '/';
}

bool sch_zone_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > PROTO_TZ_MAX || s[0] == '/')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!zone_char(s[i]))
            return false;
    return true;
}

enum sch_parse sch_parse_slot(int argc, char **argv, const char *zone, struct proto_slot *out)
{
    if (argc < 3 || argc > 4)
        return SCH_USAGE;
    unsigned long minutes;
    struct proto_slot slot = {.tz = argc == 4 ? argv[3] : zone};
    if (!sch_parse_days(argv[0], &slot.days))
        return SCH_BAD_DAYS;
    if (!sch_parse_clock(argv[1], &slot.start_minute))
        return SCH_BAD_TIME;
    if (!cmd_parse_uint(argv[2], PROTO_SLOT_MINUTES_MIN, PROTO_SLOT_MINUTES_MAX, &minutes))
        return SCH_BAD_LENGTH;
    if (!sch_zone_name_ok(slot.tz))
        return SCH_BAD_ZONE;
    slot.minutes = (uint16_t)minutes;
    *out = slot;
    return SCH_OK;
}

const char *sch_parse_error(enum sch_parse rc)
{
    switch (rc) {
    case SCH_BAD_DAYS:
        return "Days look like mon,wed or mon-fri (or daily, weekdays, weekends).";
    case SCH_BAD_TIME:
        return "The start time looks like 19:00 or 7:30 (a 24-hour clock).";
    case SCH_BAD_LENGTH:
        return "MINUTES is how long the meeting lasts: a whole number from 5 to 720.";
    case SCH_BAD_ZONE:
        return "A time zone looks like America/New_York or Europe/Berlin (leave it out for "
               "yours).";
    default:
        return "Usage: /schedule add DAYS HH:MM MINUTES [TZ]";
    }
}

bool sch_parse_invite(int argc, char **argv, const char **room, unsigned long *hours,
                      unsigned long *uses)
{
    int i = 0;
    *room = NULL;
    *hours = SCH_INVITE_HOURS_DEFAULT;
    *uses = 0;
    /* a room name may be all digits: "#123" names it */
    if (i < argc && strspn(argv[i], "0123456789") != strlen(argv[i]))
        *room = argv[i++];
    if (argc - i > 2)
        return false;
    if (i < argc && !cmd_parse_uint(argv[i], 1, SCH_INVITE_HOURS_MAX, hours))
        return false;
    return i + 1 >= argc || cmd_parse_uint(argv[i + 1], 1, SCH_INVITE_USES_MAX, uses);
}

/* ------------------------------------------------------------- slots */

void sch_fmt_days(uint8_t days, bool utf8, char out[SCH_DAYS])
{
    struct text_buf b = {0};
    days &= SCH_ALL_DAYS;
    if (days == SCH_ALL_DAYS)
        text_buf_add(&b, "Every day");
    for (int d = 0; d < 7 && days != SCH_ALL_DAYS; d++) {
        if (!(days & (1u << d)))
            continue;
        int last = d;
        while (last + 1 < 7 && (days & (1u << (last + 1))))
            last++;
        const char *sep = b.len ? ", " : "";
        if (last - d >= 2) {   /* three days or more in a row */
            text_buf_add(&b, "%s%s%s%s", sep, day_abbr[d], dash(utf8), day_abbr[last]);
            d = last;
        } else {
            text_buf_add(&b, "%s%s", sep, day_abbr[d]);
        }
    }
    char *s = text_buf_take(&b);
    snprintf(out, SCH_DAYS, "%s", s ? s : "?");
    free(s);
}

void sch_safe_zone(const char *in, char out[SCH_ZONE])
{
    size_t i = 0;
    for (; in && in[i] && i < PROTO_TZ_MAX; i++)
        out[i] = zone_char(in[i]) ? in[i] : '?';
    out[i] = '\0';
}

static void fmt_clock(unsigned minute, char out[8])
{
    snprintf(out, 8, "%02u:%02u", (minute / 60) % 24, minute % 60);
}

char *sch_slot_line(size_t number, const struct proto_slot *slot, bool utf8)
{
    struct text_buf b = {0};
    char days[SCH_DAYS], from[8], to[8], zone[SCH_ZONE];
    sch_fmt_days(slot->days, utf8, days);
    fmt_clock(slot->start_minute, from);
    fmt_clock((unsigned)slot->start_minute + slot->minutes, to);
    sch_safe_zone(slot->tz, zone);
    if (number)
        text_buf_add(&b, "%zu. ", number);
    text_buf_add(&b, "%s %s%s%s %s (%u min)", days, from, dash(utf8), to, zone,
                 (unsigned)slot->minutes);
    return text_buf_take(&b);
}

char *sch_schedule_text(const char *room, const struct proto_slot *slots, size_t n, bool utf8)
{
    struct text_buf b = {0};
    char name[MTG_NAME];
    mtg_safe_name(room, name);
    if (n == 0) {
        text_buf_add(&b, "#%s has no weekly meetings scheduled.", name);
        return text_buf_take(&b);
    }
    text_buf_add(&b, "Weekly meetings of #%s (each in its own time zone):", name);
    for (size_t i = 0; i < n; i++) {
        char *line = sch_slot_line(i + 1, &slots[i], utf8);
        text_buf_add(&b, "\n  %s", line ? line : "?");
        free(line);
    }
    return text_buf_take(&b);
}

/* ---------------------------------------------------- coming meetings */

static bool local_tm(int64_t ms, struct tm *tm)
{
    time_t t = (time_t)(ms / 1000);
    return localtime_r(&t, tm) != NULL;
}

void sch_fmt_day(int64_t ms, char out[16])
{
    struct tm tm;
    if (!local_tm(ms, &tm)) {
        snprintf(out, 16, "?");
        return;
    }
    /* tm_wday counts from Sunday; the week here starts on Monday */
    snprintf(out, 16, "%s %d %s", day_abbr[(tm.tm_wday + 6) % 7], tm.tm_mday,
             month_abbr[tm.tm_mon]);
}

static void fmt_local_clock(int64_t ms, char out[8])
{
    struct tm tm;
    if (local_tm(ms, &tm))
        fmt_clock((unsigned)(tm.tm_hour * 60 + tm.tm_min), out);
    else
        snprintf(out, 8, "--:--");
}

char *sch_upcoming_line(const struct proto_upcoming *u, int room_width, int64_t now_ms, bool utf8)
{
    struct text_buf b = {0};
    char day[16], from[8], to[8], room[MTG_NAME];
    sch_fmt_day(u->starts_at, day);
    fmt_local_clock(u->starts_at, from);
    fmt_local_clock(u->ends_at, to);
    mtg_safe_name(u->room, room);
    char *title = text_one_line(u->title);
    const char *state = u->open ? "open now"
                        : u->starts_at <= now_ms && now_ms < u->ends_at ? "running"
                                                                         : NULL;
    bool more = (title && *title) || state;
    text_buf_add(&b, "%s %s%s%s  %-*s", day, from, dash(utf8), to, more ? room_width : 0, room);
    if (title && *title)
        text_buf_add(&b, "  %s", title);
    if (state)
        text_buf_add(&b, "  (%s)", state);
    free(title);
    return text_buf_take(&b);
}

char *sch_upcoming_text(const struct proto_upcoming *u, size_t n, uint32_t days, const char *zone,
                        int64_t now_ms, bool utf8)
{
    struct text_buf b = {0};
    if (n == 0) {
        text_buf_add(&b, "No meetings scheduled in the next %u day%s.", (unsigned)days,
                     days == 1 ? "" : "s");
        return text_buf_take(&b);
    }
    int width = 0;
    char room[MTG_NAME], safe_zone[SCH_ZONE];
    for (size_t i = 0; i < n; i++) {
        mtg_safe_name(u[i].room, room);
        if ((int)strlen(room) > width)
            width = (int)strlen(room);
    }
    sch_safe_zone(zone, safe_zone);
    text_buf_add(&b, "Upcoming meetings (your time, %s):", *safe_zone ? safe_zone : "UTC");
    for (size_t i = 0; i < n; i++) {
        char *line = sch_upcoming_line(&u[i], width, now_ms, utf8);
        text_buf_add(&b, "\n  %s", line ? line : "?");
        free(line);
    }
    return text_buf_take(&b);
}

/* ----------------------------------------------------- the local zone */

/* The zone named by a path into a zoneinfo directory (also its posix/
 * and right/ variants): what follows "zoneinfo/"; NULL when none does. */
static const char *zone_in_path(const char *path)
{
    const char *p = path ? strstr(path, "zoneinfo/") : NULL;
    if (!p)
        return NULL;
    p += strlen("zoneinfo/");
    if (!strncmp(p, "posix/", 6) || !strncmp(p, "right/", 6))
        p += 6;
    return p;
}

static bool zone_installed(const char *name, const char *zoneinfo)
{
    char path[4096];
    struct stat st;
    if (!sch_zone_name_ok(name))
        return false;
    int n = snprintf(path, sizeof path, "%s/%s", zoneinfo, name);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void sch_zone_from(const char *tz, const char *link, const char *zoneinfo, char out[SCH_ZONE])
{
    const char *name = NULL;
    if (tz && *tz) {
        const char *t = tz[0] == ':' ? tz + 1 : tz;   /* POSIX: ":name" is a zone file */
        name = t[0] == '/' ? zone_in_path(t) : t;
        if (!zone_installed(name, zoneinfo))
            name = NULL;
    }
    if (!name) {
        name = zone_in_path(link);
        if (!zone_installed(name, zoneinfo))
            name = NULL;
    }
    snprintf(out, SCH_ZONE, "%s", name ? name : "UTC");
}

void sch_local_zone(char out[SCH_ZONE])
{
    char link[4096];
    ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    const char *dir = getenv("TZDIR");
    sch_zone_from(getenv("TZ"), n > 0 ? link : NULL, dir && *dir ? dir : "/usr/share/zoneinfo",
                  out);
}

/* ------------------------------------------------------------ invites */

char *sch_invite_made_text(const char *room, const char *code, int64_t expires_at, uint32_t uses,
                           int64_t now_ms)
{
    struct text_buf b = {0};
    char name[MTG_NAME], until[32];
    mtg_safe_name(room, name);
    char *c = text_one_line(code);
    text_buf_add(&b, "Invite code for #%s: %s (", name, c ? c : "");
    if (expires_at) {
        text_time(expires_at, now_ms, until);
        text_buf_add(&b, "works until %s", until);
    } else {
        text_buf_add(&b, "never expires");
    }
    if (uses)
        text_buf_add(&b, ", for %u join%s).", (unsigned)uses, uses == 1 ? "" : "s");
    else
        text_buf_add(&b, ", for any number of joins).");
    free(c);
    return text_buf_take(&b);
}

char *sch_invite_line(const struct proto_invite *inv, int64_t now_ms)
{
    struct text_buf b = {0};
    char by[MTG_NAME], until[32];
    mtg_safe_name(inv->created_by, by);
    char *c = text_one_line(inv->code);
    text_buf_add(&b, "%s  by %s  ", c ? c : "", *by ? by : "a deleted account");
    if (inv->expires_at) {
        text_time(inv->expires_at, now_ms, until);
        text_buf_add(&b, "until %s", until);
    } else {
        text_buf_add(&b, "never expires");
    }
    if (inv->uses_left < 0)
        text_buf_add(&b, "  any number of joins");
    else
        text_buf_add(&b, "  %d join%s left", (int)inv->uses_left, inv->uses_left == 1 ? "" : "s");
    free(c);
    return text_buf_take(&b);
}

char *sch_invites_text(const char *room, const struct proto_invite *inv, size_t n, int64_t now_ms)
{
    struct text_buf b = {0};
    char name[MTG_NAME];
    mtg_safe_name(room, name);
    if (n == 0) {
        text_buf_add(&b, "#%s has no invite codes that still work.", name);
        return text_buf_take(&b);
    }
    text_buf_add(&b, "Invite codes of #%s that still work, newest first:", name);
    for (size_t i = 0; i < n; i++) {
        char *line = sch_invite_line(&inv[i], now_ms);
        text_buf_add(&b, "\n  %s", line ? line : "?");
        free(line);
    }
    return text_buf_take(&b);
}
