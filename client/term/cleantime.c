/*
 * Clean time, milestones and the member's settings as the terminal says
 * them (checkin.h): sobriety.get and .set in words, the milestone event,
 * what /settings KEY VALUE takes, and each setting in plain words. Pure.
 *
 * Setting a new date after a relapse is "a new start": the earlier days
 * still count and are kept in the member's history, which only they see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkin.h"

/* ---------------------------------------------------------- clean time */

/* What the result says of days: today (date + days), and its year. */
struct ct_now {
    int64_t day;      /* today's number; 0 when not counting */
    int year;         /* this year, for dates written without theirs */
};

static struct ct_now ct_now_of(const struct proto_result *res, const char *today)
{
    struct ct_now n = {0, 0};
    int64_t from;
    char name[CI_DAY];
    if (res->u.sobriety.date && ci_day_number(res->u.sobriety.date, &from)) {
        n.day = from + res->u.sobriety.days;
        ci_day_name(n.day, name);
        today = name;
    }
    int m, d;
    if (!ci_day_parts(today, &n.year, &m, &d))
        n.year = 0;
    return n;
}

/* "Next milestone: 6 months on Mon 30 Nov (in 4 days)." */
static void ct_add_next(struct text_buf *b, const struct proto_result *res, struct ct_now now,
                        const char *lead)
{
    if (!res->u.sobriety.has_next)
        return;
    const struct proto_milestone *m = &res->u.sobriety.next;
    char day[CI_DAY_WORDS];
    char *label = text_one_line(m->label);
    int64_t at;
    ci_fmt_day(m->date, now.year, day);
    text_buf_add(b, "%s%s on %s", lead, label ? label : "?", day);
    if (now.day && ci_day_number(m->date, &at) && at > now.day)
        text_buf_add(b, " (in %lld day%s)", (long long)(at - now.day),
                     ci_plural((unsigned long)(at - now.day)));
    text_buf_add(b, ".");
    free(label);
}

static void ct_add_reached(struct text_buf *b, const struct proto_result *res)
{
    for (size_t i = 0; i < res->u.sobriety.n_reached; i++) {
        char *label = text_one_line(res->u.sobriety.reached[i].label);
        text_buf_add(b, "%s%s", i ? ", " : " Reached: ", label ? label : "?");
        free(label);
    }
    if (res->u.sobriety.n_reached)
        text_buf_add(b, ".");
}

/* "Earlier: 45 days (2 Jan – 16 Feb), 504 days (...)." */
static void ct_add_history(struct text_buf *b, const struct proto_result *res, int year, bool utf8)
{
    for (size_t i = 0; i < res->u.sobriety.n_history; i++) {
        const struct proto_sobriety_period *h = &res->u.sobriety.history[i];
        char from[CI_DAY_WORDS], to[CI_DAY_WORDS];
        ci_fmt_date(h->from, year, from);
        ci_fmt_date(h->to, year, to);
        text_buf_add(b, "%s%u day%s (%s", i ? ", " : "\nEarlier: ", (unsigned)h->days,
                     ci_plural(h->days), from);
        if (strcmp(from, to) != 0)
            text_buf_add(b, " %s %s", utf8 ? "\xe2\x80\x93" : "-", to);
        text_buf_add(b, ")");
    }
    if (res->u.sobriety.n_history)
        text_buf_add(b, ". Every one of those days still counts.");
}

static void ct_add_not_counting(struct text_buf *b, const char *who)
{
    if (who)
        text_buf_add(b, "%s is not counting clean time.", who);
    else
        text_buf_add(b, "You are not counting clean time. /cleantime set YYYY-MM-DD counts "
                        "from that date (day 0); only you see it unless you choose otherwise "
                        "(/settings cleantime-share).");
}

/* The whose: NULL for one's own, else the handle made safe into who. */
static const char *ct_whose(const struct proto_result *res, const char *me, char who[MTG_NAME])
{
    const char *h = res->u.sobriety.handle;
    if (!h || !*h || (me && strcmp(h, me) == 0))
        return NULL;
    mtg_safe_name(res->u.sobriety.handle, who);
    return who;
}

char *ct_sobriety_text(const struct proto_result *res, const char *me, const char *today,
                       bool utf8)
{
    struct text_buf b = {0};
    char name[MTG_NAME], since[CI_DAY_WORDS];
    const char *who = ct_whose(res, me, name);
    struct ct_now now = ct_now_of(res, today);
    uint32_t days = res->u.sobriety.days;
    ci_fmt_day(res->u.sobriety.date, now.year, since);
    if (!res->u.sobriety.date)
        ct_add_not_counting(&b, who);
    else if (days == 0 && !who)
        text_buf_add(&b, "Your clean time starts today, %s: day 0. Every day from here counts.",
                     since);
    else
        text_buf_add(&b, "%s %s %u day%s clean, counting from %s.", who ? who : "You",
                     who ? "has" : "have", (unsigned)days, ci_plural(days), since);
    ct_add_next(&b, res, now, " Next milestone: ");
    ct_add_reached(&b, res);
    if (!who)
        ct_add_history(&b, res, now.year, utf8);
    return text_buf_take(&b);
}

char *ct_milestones_text(const struct proto_result *res, const char *me, const char *today)
{
    struct text_buf b = {0};
    char name[MTG_NAME], day[CI_DAY_WORDS];
    const char *who = ct_whose(res, me, name);
    struct ct_now now = ct_now_of(res, today);
    if (!res->u.sobriety.date) {
        ct_add_not_counting(&b, who);
        return text_buf_take(&b);
    }
    ci_fmt_day(res->u.sobriety.date, now.year, day);
    text_buf_add(&b, "%s%s milestones, counting from %s:", who ? who : "Your", who ? "'s" : "",
                 day);
    for (size_t i = 0; i < res->u.sobriety.n_reached; i++) {
        char *label = text_one_line(res->u.sobriety.reached[i].label);
        ci_fmt_day(res->u.sobriety.reached[i].date, now.year, day);
        text_buf_add(&b, "\n  %-10s %s", label ? label : "?", day);
        free(label);
    }
    if (res->u.sobriety.n_reached == 0)
        text_buf_add(&b, "\n  none yet: the first is the day after the date.");
    ct_add_next(&b, res, now, "\nNext: ");
    return text_buf_take(&b);
}

char *ct_set_text(const char *old_date, uint32_t old_days, const struct proto_result *res)
{
    struct text_buf b = {0};
    const char *date = res->u.sobriety.date;
    bool had = old_date && *old_date;
    const struct proto_sobriety_period *h = res->u.sobriety.n_history ? res->u.sobriety.history
                                                                      : NULL;
    if (had && h && h->from && strcmp(h->from, old_date) == 0)
        old_days = h->days;   /* the period as it was closed */
    struct ct_now now = ct_now_of(res, date);
    char day[CI_DAY_WORDS];
    ci_fmt_day(date, now.year, day);
    if (!date && !had)
        text_buf_add(&b, "You were not counting clean time.");
    else if (!date && old_days == 0)
        text_buf_add(&b, "You stopped counting. /cleantime set YYYY-MM-DD counts again whenever "
                         "you are ready.");
    else if (!date)
        text_buf_add(&b, "A new start. Your earlier time (%u day%s) is kept in your history "
                         "(/cleantime shows it); /cleantime set YYYY-MM-DD counts again whenever "
                         "you are ready.", (unsigned)old_days, ci_plural(old_days));
    else if (had && strcmp(old_date, date) == 0)
        text_buf_add(&b, "Your sobriety date is already %s.", day);
    else if (had)
        text_buf_add(&b, "A new start, counting from %s. Your earlier %u day%s still count, "
                         "kept in your history (/cleantime shows it).", day, (unsigned)old_days,
                     ci_plural(old_days));
    else
        text_buf_add(&b, "Counting your clean time from %s.", day);
    if (date)
        text_buf_add(&b, " Today is day %u.", (unsigned)res->u.sobriety.days);
    ct_add_next(&b, res, now, " Next milestone: ");
    return text_buf_take(&b);
}

char *ct_milestone_text(const char *handle, const char *me, const struct proto_milestone *m,
                        const char *today)
{
    struct text_buf b = {0};
    char who[MTG_NAME], day[CI_DAY_WORDS];
    bool own = !handle || !*handle || (me && strcmp(handle, me) == 0);
    bool now = m->date && today && strcmp(m->date, today) == 0;
    char *label = text_one_line(m->label);
    mtg_safe_name(handle, who);
    ci_fmt_day(m->date, 0, day);
    text_buf_add(&b, "%s reached %s clean", own ? "You" : who,
                 label && *label ? label : "a milestone");
    if (now)
        text_buf_add(&b, " today");
    else
        text_buf_add(&b, " on %s", day);
    if (own)
        text_buf_add(&b, ". Congratulations: every one of those days counts.");
    else
        text_buf_add(&b, ". /ping %s to celebrate.", who);
    free(label);
    return text_buf_take(&b);
}

/* ------------------------------------------------------------ settings */

static const char *const ct_names[CT__KEYS] = {
    [CT_TZ] = "tz", [CT_SHARE] = "share", [CT_THRESHOLD] = "threshold", [CT_ALERT] = "alert",
    [CT_NUDGES] = "nudges", [CT_QUIET_DAYS] = "quiet-days", [CT_GOAL] = "goal",
    [CT_CLEANTIME_SHARE] = "cleantime-share", [CT_MILESTONE_ROOM] = "milestone-room",
    [CT_READ_RECEIPTS] = "read-receipts",
};

/* A key as typed (any case, '_' for '-', a few other names): -1 when none. */
static int ct_key_of(const char *w)
{
    static const struct { const char *word; enum ct_key key; } more[] = {
        {"timezone", CT_TZ},         {"zone", CT_TZ},           {"checkin-share", CT_SHARE},
        {"alerts", CT_ALERT},        {"alert-buddies", CT_ALERT}, {"nudge", CT_NUDGES},
        {"quiet", CT_QUIET_DAYS},    {"meeting-goal", CT_GOAL},  {"cleantime", CT_CLEANTIME_SHARE},
        {"sobriety-share", CT_CLEANTIME_SHARE}, {"milestones-room", CT_MILESTONE_ROOM},
        {"receipts", CT_READ_RECEIPTS},
    };
    char k[24];
    size_t n = 0;
    for (; w[n] && n + 1 < sizeof k; n++)
        k[n] = w[n] == '_' ? '-' : w[n] >= 'A' && w[n] <= 'Z' ? (char)(w[n] - 'A' + 'a') : w[n];
    k[n] = '\0';
    for (int i = 0; i < CT__KEYS; i++)
        if (!w[n] && strcmp(k, ct_names[i]) == 0)
            return i;
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (!w[n] && strcmp(k, more[i].word) == 0)
            return (int)more[i].key;
    return -1;
}

/* private, buddies, and the third one this share takes (room or everyone). */
static bool ct_share(const char *w, enum proto_share third, enum proto_share *out)
{
    const enum proto_share ok[] = {PROTO_SHARE_PRIVATE, PROTO_SHARE_BUDDIES, third};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (cmd_word_is(w, proto_share_name(ok[i])))
            return (*out = ok[i], true);
    return false;
}

static bool ct_room(const char *w, char room[PROTO_HANDLE_MAX + 1])
{
    return proto_name_fold(w[0] == '#' ? w + 1 : w, room);
}

/* A number setting in [min, max] ("none" and "off" are 0 when min is). */
static bool ct_count(const char *w, unsigned long min, unsigned long max, uint32_t *out)
{
    unsigned long v;
    if (!mod_parse_setting(w, max, &v) || v < min)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* The value of key k (argv[1..argc)) into q; false when it is not one. */
static bool ct_value(enum ct_key k, int argc, char **argv, const char *zone,
                     char room[PROTO_HANDLE_MAX + 1], struct proto_request *q)
{
    struct proto_settings *set = &q->u.settings.set;
    const char *v = argc > 1 ? argv[1] : "";
    bool one = argc == 2;
    switch (k) {
    case CT_TZ:
        q->u.settings.has_tz = true;
        set->tz = argc == 1 || (one && cmd_word_is(v, "local")) ? zone : v;
        return argc <= 2 && sch_zone_name_ok(set->tz);
    case CT_SHARE:
        q->u.settings.has_checkin_share = true;
        if (!ct_share(v, PROTO_SHARE_ROOM, &set->checkin_share))
            return false;
        q->u.settings.has_checkin_room = set->checkin_share == PROTO_SHARE_ROOM;
        set->checkin_room = room;
        return q->u.settings.has_checkin_room ? argc == 3 && ct_room(argv[2], room) : one;
    case CT_THRESHOLD:
        q->u.settings.has_threshold = true;
        return one && ct_count(v, 1, 11, &set->warning_threshold);
    case CT_ALERT:
        q->u.settings.has_alert = true;
        return one && mtg_parse_onoff(v, &set->alert_buddies);
    case CT_NUDGES:
        q->u.settings.has_nudges = true;
        return one && mtg_parse_onoff(v, &set->isolation_nudges);
    case CT_QUIET_DAYS:
        q->u.settings.has_isolation_days = true;
        return one && ct_count(v, 1, 14, &set->isolation_days);
    case CT_GOAL:
        q->u.settings.has_goal = true;
        return one && ct_count(v, 0, 21, &set->meeting_goal);
    case CT_CLEANTIME_SHARE:
        q->u.settings.has_sobriety_share = true;
        return one && ct_share(v, PROTO_SHARE_EVERYONE, &set->sobriety_share);
    case CT_READ_RECEIPTS:
        q->u.settings.has_read_receipts = true;
        return one && mtg_parse_onoff(v, &set->read_receipts);
    default:
        q->u.settings.has_milestone_room = true;
        set->milestone_room = room;
        room[0] = '\0';
        return one && (cmd_word_is(v, "none") || cmd_word_is(v, "off") || ct_room(v, room));
    }
}

enum ci_parse ct_parse_setting(int argc, char **argv, const char *zone,
                               char room[PROTO_HANDLE_MAX + 1], struct proto_request *q,
                               enum ct_key *key)
{
    memset(q, 0, sizeof *q);
    q->type = PROTO_REQ_SETTINGS_SET;
    int k = argc > 0 ? ct_key_of(argv[0]) : -1;
    if (k < 0)
        return CI_BAD_WORD;
    *key = (enum ct_key)k;
    return ct_value(*key, argc, argv, zone, room, q) ? CI_OK : CI_USAGE;
}

const char *ct_setting_usage(enum ct_key k)
{
    static const char *const use[CT__KEYS] = {
        [CT_TZ] = "/settings tz [ZONE]: an IANA zone such as Europe/London; without one, this "
                  "computer's.",
        [CT_SHARE] = "/settings share private|buddies|room ROOM: who sees your check-ins.",
        [CT_THRESHOLD] = "/settings threshold N: 1 to 11 warning signs bring up your plan.",
        [CT_ALERT] = "/settings alert on|off: your buddies are told when a check-in reaches it.",
        [CT_NUDGES] = "/settings nudges on|off: your buddies are nudged when you go quiet.",
        [CT_QUIET_DAYS] = "/settings quiet-days N: 1 to 14 days without a check-in count as "
                          "quiet.",
        [CT_GOAL] = "/settings goal N (or /goal N): 0 to 21 meetings a week; 0 is no goal.",
        [CT_CLEANTIME_SHARE] = "/settings cleantime-share private|buddies|everyone: who sees "
                               "your clean time.",
        [CT_MILESTONE_ROOM] = "/settings milestone-room ROOM|none: a room told of your "
                              "milestones too.",
        [CT_READ_RECEIPTS] = "/settings read-receipts on|off: whether the person you talk with "
                             "privately sees what you have read, and you theirs.",
    };
    return k < CT__KEYS ? use[k] : "";
}

/* The words for share s of check-ins (or, cleantime, clean time). */
static void ct_add_share(struct text_buf *b, const struct proto_settings *s, bool cleantime)
{
    char room[MTG_NAME];
    switch (cleantime ? s->sobriety_share : s->checkin_share) {
    case PROTO_SHARE_BUDDIES:
        text_buf_add(b, cleantime ? "buddies: your buddies see it and hear of your milestones"
                                  : "buddies: your buddies see your check-ins (never the note)");
        break;
    case PROTO_SHARE_ROOM:
        mtg_safe_name(s->checkin_room, room);
        text_buf_add(b, "room %s: each day's first check-in is posted in #%s (never the note)",
                     room, room);
        break;
    case PROTO_SHARE_EVERYONE:
        text_buf_add(b, "everyone: anyone signed in may see it (/cleantime HANDLE)");
        break;
    default:
        text_buf_add(b, cleantime ? "private: only you see your clean time"
                                  : "private: your check-ins are yours alone");
        break;
    }
}

static void ct_add_value(struct text_buf *b, const struct proto_settings *s, enum ct_key k)
{
    char zone[SCH_ZONE], room[MTG_NAME];
    unsigned th = (unsigned)s->warning_threshold, days = (unsigned)s->isolation_days;
    switch (k) {
    case CT_TZ:
        sch_safe_zone(s->tz, zone);
        text_buf_add(b, "%s: your days, weeks and months", *zone ? zone : "UTC");
        break;
    case CT_SHARE:
    case CT_CLEANTIME_SHARE:
        ct_add_share(b, s, k == CT_CLEANTIME_SHARE);
        break;
    case CT_THRESHOLD:
        text_buf_add(b, "%u: that many warning signs in a check-in bring up your plan and card",
                     th);
        break;
    case CT_ALERT:
        text_buf_add(b, s->alert_buddies ? "on: your buddies are told when a check-in reaches "
                                           "it (how many signs, never which)"
                                         : "off: nobody is told when a check-in reaches it");
        break;
    case CT_NUDGES:
        text_buf_add(b, s->isolation_nudges ? "on: your buddies are nudged after %u quiet day%s"
                                            : "off: nobody is nudged when you go quiet (%u day%s)",
                     days, ci_plural(days));
        break;
    case CT_QUIET_DAYS:
        text_buf_add(b, "%u: days without a check-in or a sign-in that count as quiet", days);
        break;
    case CT_READ_RECEIPTS:
        text_buf_add(b, s->read_receipts
                            ? "on: in a private conversation, each of you sees what the other "
                              "has read"
                            : "off: nobody sees what you have read, nor you what they have read "
                              "(delivered still shows)");
        break;
    case CT_GOAL:
        if (s->meeting_goal)
            text_buf_add(b, "%u meeting%s a week", (unsigned)s->meeting_goal,
                         ci_plural(s->meeting_goal));
        else
            text_buf_add(b, "none (/goal N sets one)");
        break;
    default:
        mtg_safe_name(s->milestone_room, room);
        if (*room)
            text_buf_add(b, "#%s: your milestones are posted there too, while you share your "
                            "clean time", room);
        else
            text_buf_add(b, "none");
        break;
    }
}

char *ct_setting_line(const struct proto_settings *s, enum ct_key k)
{
    struct text_buf b = {0};
    k = k < CT__KEYS ? k : CT_TZ;
    text_buf_add(&b, "%s ", ct_names[k]);
    ct_add_value(&b, s, k);
    text_buf_add(&b, ".");
    return text_buf_take(&b);
}

char *ct_settings_text(const struct proto_settings *s)
{
    struct text_buf b = {0};
    text_buf_add(&b, "Your settings (only you see them; /settings KEY VALUE changes one):");
    for (int k = 0; k < CT__KEYS; k++) {
        text_buf_add(&b, "\n  %-16s ", ct_names[k]);
        ct_add_value(&b, s, (enum ct_key)k);
    }
    return text_buf_take(&b);
}
