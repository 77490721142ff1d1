/*
 * The sentences of daily check-ins (checkin.h): the result, the warning
 * with the member's own plan and card, a buddy's shared check-in and
 * alert, the summary, the streak and the meeting goal, the list and the
 * journal. Pure.
 *
 * Nothing here scores or scolds: a low mood is said as a number, a missed
 * day is never mentioned, and a warning brings the member's own plan and
 * the people they chose, with one step to reach out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkin.h"

#define CI_BUDDIES_NAMED 5        /* buddies named in the offer to reach out */

static const char *const ci_month_name[12] = {"January", "February", "March", "April", "May",
                                              "June", "July", "August", "September", "October",
                                              "November", "December"};

void ci_add_said(struct text_buf *b, const char *label, const char *words)
{
    char *w = words && *words ? text_one_line(words) : NULL;
    size_t n = w ? strlen(w) : 0;
    if (n)
        text_buf_add(b, " %s: %s%s", label, w, strchr(".!?", w[n - 1]) ? "" : ".");
    free(w);
}

char *ci_result_text(const struct proto_checkin *c, bool updated, uint32_t streak)
{
    struct text_buf b = {0};
    char day[CI_DAY_WORDS];
    ci_fmt_day(c->day, 0, day);
    text_buf_add(&b, "%s for %s. Streak: %u day%s.",
                 updated ? "Updated your check-in" : "Checked in", day, (unsigned)streak,
                 ci_plural(streak));
    return text_buf_take(&b);
}

/* One step to reach out, naming the buddies (at most a few). */
static void ci_add_offer(struct text_buf *b, const char *const *buddies, size_t nb, bool oneshot)
{
    if (oneshot) {
        text_buf_add(b, "\nReach out now: `hearth ping BUDDY struggling` lets a buddy know, or "
                        "`hearth sos craving` asks someone on duty to talk with you.");
        return;
    }
    if (nb == 0) {
        text_buf_add(b, "\nReach out now: /sos craving asks someone on duty to talk with you.");
        return;
    }
    text_buf_add(b, "\nReach out now:");
    for (size_t i = 0; i < nb && i < CI_BUDDIES_NAMED; i++) {
        char who[MTG_NAME];
        mtg_safe_name(buddies[i], who);
        bool more = i + 1 < nb && i + 1 < CI_BUDDIES_NAMED;
        text_buf_add(b, " /ping %s struggling%s", who, more ? "," : "");
    }
    text_buf_add(b, " or /sos craving to talk with someone on duty.");
}

/* What would help on the next hard day, when it is missing. */
static void ci_add_prepare(struct text_buf *b, bool no_plan, bool no_card, bool oneshot)
{
    if (!no_plan && !no_card)
        return;
    text_buf_add(b, "\nWhen you feel up to it, %s%s%s%s help%s on days like this.",
                 oneshot ? "in `hearth`: " : "", no_plan ? "a plan (/plan add WHEN => THEN)" : "",
                 no_plan && no_card ? " and " : "",
                 no_card ? "people to call (/card add NAME PHONE)" : "",
                 no_plan && no_card ? "" : "s");
}

/* The member's own plan, reasons and people, as far as they wrote them. */
static void ci_add_own(struct text_buf *b, const struct proto_result *res)
{
    if (res->u.submitted.n_lines) {
        text_buf_add(b, " Here is what you planned for days like this:");
        pl_add_lines(b, res->u.submitted.lines, res->u.submitted.n_lines, false);
    }
    if (res->u.submitted.n_reasons) {
        text_buf_add(b, "\nWhat you hold on to:");
        pl_add_reasons(b, res->u.submitted.reasons, res->u.submitted.n_reasons, false);
    }
    if (res->u.submitted.n_contacts) {
        text_buf_add(b, "\nPeople you can call:");
        pl_add_contacts(b, res->u.submitted.contacts, res->u.submitted.n_contacts, false);
    }
}

char *ci_warning_text(const struct proto_result *res, const char *const *buddies, size_t nb,
                      bool oneshot)
{
    struct text_buf b = {0};
    text_buf_add(&b, "This looks like a hard day. Be gentle with yourself.");
    ci_add_own(&b, res);
    char *danger = saf_resources_text("If you are in danger now:", res->u.submitted.resources,
                                      res->u.submitted.n_resources);
    text_buf_add(&b, "\n%s", danger ? danger : SAF_FALLBACK);
    free(danger);
    ci_add_offer(&b, buddies, nb, oneshot);
    ci_add_prepare(&b, !res->u.submitted.n_lines, !res->u.submitted.n_contacts, oneshot);
    return text_buf_take(&b);
}

/* " for Sun 22 Nov" when day is not today. */
static void ci_add_when(struct text_buf *b, const char *fmt, const char *day, const char *today)
{
    char words[CI_DAY_WORDS];
    if (day && today && strcmp(day, today) == 0)
        return;
    ci_fmt_day(day, 0, words);
    text_buf_add(b, fmt, words);
}

char *ci_shared_text(const struct proto_checkin *c, const char *today)
{
    struct text_buf b = {0};
    char who[MTG_NAME];
    mtg_safe_name(c->handle && *c->handle ? c->handle : "A buddy", who);
    text_buf_add(&b, "%s checked in", who);
    ci_add_when(&b, " for %s", c->day, today);
    text_buf_add(&b, ": mood %u/5", (unsigned)c->mood);
    if (c->craving >= 0)
        text_buf_add(&b, ", craving %d/10", (int)c->craving);
    if (c->n_signs)
        text_buf_add(&b, ", %zu warning sign%s", c->n_signs, ci_plural(c->n_signs));
    text_buf_add(&b, ".");
    ci_add_said(&b, "Grateful for", c->grateful);
    ci_add_said(&b, "Win of the day", c->win);
    return text_buf_take(&b);
}

char *ci_alert_text(const char *handle, const char *day, uint32_t signs, const char *today)
{
    struct text_buf b = {0};
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    bool now = day && today && strcmp(day, today) == 0;
    text_buf_add(&b, "%s's check-in", who);
    ci_add_when(&b, " for %s", day, today);
    text_buf_add(&b, " %s %u warning sign%s%s. Maybe reach out: /dm %s or /ping %s thinking",
                 now ? "shows" : "showed", (unsigned)signs, ci_plural(signs), now ? " today" : "",
                 who, who);
    return text_buf_take(&b);
}

char *ci_nudge_text(const char *handle, uint32_t days)
{
    struct text_buf b = {0};
    char who[MTG_NAME];
    mtg_safe_name(handle, who);
    text_buf_add(&b, "%s has been quiet for %u day%s. Maybe reach out: /ping %s thinking or /dm "
                     "%s", who, (unsigned)days, ci_plural(days), who, who);
    return text_buf_take(&b);
}

char *ci_reminder_text(uint32_t days)
{
    struct text_buf b = {0};
    text_buf_add(&b, "Welcome back. You had been quiet for %u day%s, so your buddies were "
                     "nudged to reach out, as you asked (/settings nudges). /checkin whenever "
                     "you are ready.", (unsigned)days, ci_plural(days));
    return text_buf_take(&b);
}

char *ci_streak_text(uint32_t streak, uint32_t longest)
{
    struct text_buf b = {0};
    if (streak == 0 && longest == 0)
        text_buf_add(&b, "No check-ins yet: /checkin whenever you are ready.");
    else if (streak == 0)
        text_buf_add(&b, "Your streak starts again with your next check-in (/checkin). Your "
                         "longest so far: %u day%s.", (unsigned)longest, ci_plural(longest));
    else if (longest > streak)
        text_buf_add(&b, "Streak: %u day%s in a row (longest: %u days).", (unsigned)streak,
                     ci_plural(streak), (unsigned)longest);
    else
        text_buf_add(&b, "Streak: %u day%s in a row%s.", (unsigned)streak, ci_plural(streak),
                     streak > 1 ? ", your longest yet" : "");
    return text_buf_take(&b);
}

char *ci_goal_text(uint32_t goal, uint32_t meetings)
{
    struct text_buf b = {0};
    if (goal == 0)
        text_buf_add(&b, "%u meeting%s this week (/goal N sets a weekly goal).",
                     (unsigned)meetings, ci_plural(meetings));
    else
        text_buf_add(&b, "%u of %u meeting%s this week.%s", (unsigned)meetings, (unsigned)goal,
                     ci_plural(goal), meetings >= goal ? " Goal reached: well done." : "");
    return text_buf_take(&b);
}

/* "week of Mon 16 Nov" or "November 2026". */
static void ci_period_label(const char *start, bool months, int this_year, char out[40])
{
    char day[CI_DAY_WORDS];
    int y, m, d;
    if (months && ci_day_parts(start, &y, &m, &d)) {
        snprintf(out, 40, "%s %04d", ci_month_name[m - 1], y);
        return;
    }
    ci_fmt_day(start, this_year, day);
    snprintf(out, 40, "week of %s", day);
}

static void ci_add_period(struct text_buf *b, const struct proto_checkin_period *p)
{
    if (p->checkins == 0) {
        text_buf_add(b, "no check-ins");
    } else {
        text_buf_add(b, "%u day%s checked in, mood %.1f/5", (unsigned)p->checkins,
                     ci_plural(p->checkins), p->avg_mood);
        if (p->avg_craving >= 0)
            text_buf_add(b, ", craving %.1f/10", p->avg_craving);
    }
    if (p->meetings)
        text_buf_add(b, ", %u meeting%s", (unsigned)p->meetings, ci_plural(p->meetings));
    else
        text_buf_add(b, ", no meetings");
}

char *ci_summary_text(const struct proto_result *res, bool months, int this_year)
{
    const struct proto_checkin_period *p = res->u.summary.periods;
    size_t n = res->u.summary.n;
    struct text_buf b = {0};
    char label[40];
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        ci_period_label(p[i].start, months, this_year, label);
        width = (int)strlen(label) > width ? (int)strlen(label) : width;
    }
    text_buf_add(&b, "Your check-ins, %s (newest first):",
                 months ? "month by month" : "week by week");
    for (size_t i = 0; i < n; i++) {
        ci_period_label(p[i].start, months, this_year, label);
        text_buf_add(&b, "\n  %-*s  ", width, label);
        ci_add_period(&b, &p[i]);
    }
    char *streak = ci_streak_text(res->u.summary.streak, res->u.summary.longest);
    char *goal = ci_goal_text(res->u.summary.goal, res->u.summary.meetings_this_week);
    text_buf_add(&b, "\n%s\n%s", streak ? streak : "", goal ? goal : "");
    free(streak);
    free(goal);
    return text_buf_take(&b);
}

static const char *ci_label(const char *name, const struct proto_sign *list, size_t n)
{
    for (size_t i = 0; name && i < n; i++)
        if (list[i].name && strcmp(list[i].name, name) == 0 && list[i].label)
            return list[i].label;
    return name;
}

char *ci_list_text(const struct proto_checkin *c, size_t n, const struct proto_sign *list,
                   size_t nl, int this_year)
{
    struct text_buf b = {0};
    if (n == 0)
        text_buf_add(&b, "No check-ins yet: /checkin whenever you are ready.");
    else
        text_buf_add(&b, "Your last %zu check-in%s (newest first; only you see the notes):", n,
                     ci_plural(n));
    for (size_t i = 0; i < n; i++) {
        char day[CI_DAY_WORDS];
        ci_fmt_day(c[i].day, this_year, day);
        text_buf_add(&b, "\n  %s  mood %u/5", day, (unsigned)c[i].mood);
        if (c[i].craving >= 0)
            text_buf_add(&b, ", craving %d/10", (int)c[i].craving);
        for (size_t k = 0; k < c[i].n_signs; k++) {
            char *label = text_one_line(ci_label(c[i].signs[k], list, nl));
            if (k == 0)
                text_buf_add(&b, ", %zu warning sign%s: ", c[i].n_signs, ci_plural(c[i].n_signs));
            text_buf_add(&b, "%s%s", k ? ", " : "", label ? label : "?");
            free(label);
        }
        text_buf_add(&b, ".");
        ci_add_said(&b, "Grateful for", c[i].grateful);
        ci_add_said(&b, "Win", c[i].win);
        ci_add_said(&b, "Note", c[i].note);
    }
    return text_buf_take(&b);
}

char *ci_journal_text(const struct proto_journal_entry *e, size_t n, int this_year)
{
    struct text_buf b = {0};
    if (n == 0)
        text_buf_add(&b, "Your journal is empty so far. What you are grateful for and your wins, "
                         "from your check-ins, gather here.");
    else
        text_buf_add(&b, "Your gratitude journal (newest first):");
    for (size_t i = 0; i < n; i++) {
        char day[CI_DAY_WORDS];
        ci_fmt_day(e[i].day, this_year, day);
        text_buf_add(&b, "\n  %s ", day);
        ci_add_said(&b, "Grateful for", e[i].grateful);
        ci_add_said(&b, "Win", e[i].win);
    }
    return text_buf_take(&b);
}
