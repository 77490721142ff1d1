/*
 * Clean time and milestones through the real hearthd: days and the next
 * milestone in the member's own zone, "future" judged by their calendar
 * near midnight, calendar-month milestones across month ends and leap
 * years, a new start that keeps the old period in history, sharing with
 * buddies (and nobody else), a milestone told once only (restarts
 * included), and one reached while away told at the next sign-in.
 *
 * The test clock starts at the real time, so every date here is worked
 * out from the server's clock (the ping result) with the C library.
 */
#define _DEFAULT_SOURCE   /* timegm(): UTC dates without touching TZ */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define MINUTE_MS (60LL * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(sobriety, .fini = stop_server, .timeout = 180);

/* ---- dates, with the C library ---- */

/* The server's clock now (ms). */
static long long server_now(struct rawws *w)
{
    json_t *r = rw_call(w, "ping", NULL);
    long long ts = json_integer_value(json_object_get(rw_data(r), "ts"));
    json_decref(r);
    return ts;
}

/* The local date in zone `tz` at `ms`. */
static void local_day(const char *tz, long long ms, char out[11])
{
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    if (old)
        setenv("TZ", old, 1);
    else
        unsetenv("TZ");
    free(old);
    tzset();
}

/* The UTC midnight of day `ymd` (ms). */
static long long day_ms(const char *ymd)
{
    struct tm tm = {0};
    cr_assert_eq(sscanf(ymd, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm) * 1000;
}

static void day_add(const char *ymd, int n, char out[11])
{
    time_t t = (time_t)((day_ms(ymd) + n * DAY_MS) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static long long days_between(const char *from, const char *to)
{
    return (day_ms(to) - day_ms(from)) / DAY_MS;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* ---- people and calls ---- */

static void settings(struct rawws *w, const char *key, const char *value)
{
    rw_ok(rw_call(w, "settings.set", json_pack("{s:s}", key, value)));
}

static json_t *set_date(struct rawws *w, const char *date)
{
    return rw_call(w, "sobriety.set", date ? json_pack("{s:s}", "date", date)
                                           : json_pack("{s:n}", "date"));
}

static json_t *get_of(struct rawws *w, const char *handle)
{
    return rw_call(w, "sobriety.get", handle ? json_pack("{s:s}", "handle", handle) : NULL);
}

/* The "sobriety" object of a result (borrowed from r). */
static json_t *sob(json_t *r)
{
    json_t *o = json_object_get(rw_data(r), "sobriety");
    cr_assert(json_is_object(o), "a sobriety object");
    return o;
}

static long long num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_integer(v), "%s is a number", key);
    return json_integer_value(v);
}

static const char *key_of(json_t *o, const char *member)
{
    return rw_str(json_object_get(o, member), "key");
}

/* The milestone event: key, date and days checked. */
static void expect_milestone(struct rawws *w, const char *handle, const char *key,
                             const char *date, long long days)
{
    json_t *e = rw_event(w, "milestone");
    cr_assert_str_eq(rw_str(e, "handle"), handle);
    json_t *m = json_object_get(e, "milestone");
    cr_assert_str_eq(rw_str(m, "key"), key);
    cr_assert_str_eq(rw_str(m, "date"), date);
    cr_assert_eq(num(e, "days"), days);
    json_decref(e);
}

/* ann asks bob and bob accepts. */
static void pair(struct rawws *ann, struct rawws *bob, const char *bob_handle,
                 const char *ann_handle)
{
    rw_ok(rw_call(ann, "buddy.request", json_pack("{s:s}", "handle", bob_handle)));
    json_decref(rw_event(bob, "buddy.request"));
    rw_ok(rw_call(bob, "buddy.accept", json_pack("{s:s}", "handle", ann_handle)));
    json_decref(rw_event(ann, "buddy.update"));
    json_decref(rw_event(bob, "buddy.update"));
}

/* ---- tests ---- */

Test(sobriety, days_next_milestone_and_stopping)
{
    struct rawws ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    char today[11], date[11], d[11];
    local_day("UTC", server_now(&ann), today);   /* a new member's days are UTC days */

    json_t *r = get_of(&ann, NULL);
    cr_assert_str_eq(rw_str(sob(r), "handle"), "ann");
    cr_assert_null(json_object_get(sob(r), "date"), "not counting yet");
    cr_assert_eq(json_array_size(json_object_get(sob(r), "reached")), 0);
    json_decref(r);

    day_add(today, -10, date);
    r = set_date(&ann, date);
    json_t *o = sob(r);
    cr_assert_str_eq(rw_str(o, "date"), date);
    cr_assert_eq(num(o, "days"), 10, "the date itself is day 0");
    json_t *reached = json_object_get(o, "reached");
    cr_assert_eq(json_array_size(reached), 2);
    cr_assert_str_eq(rw_str(json_array_get(reached, 0), "key"), "1d", "oldest first");
    cr_assert_str_eq(rw_str(json_array_get(reached, 1), "key"), "7d");
    cr_assert_str_eq(rw_str(json_array_get(reached, 1), "label"), "1 week");
    day_add(date, 7, d);
    cr_assert_str_eq(rw_str(json_array_get(reached, 1), "date"), d);
    cr_assert_str_eq(key_of(o, "next"), "30d");
    day_add(date, 30, d);
    cr_assert_str_eq(rw_str(json_object_get(o, "next"), "date"), d);
    cr_assert_str_eq(rw_str(json_object_get(o, "next"), "label"), "30 days");
    json_decref(r);
    rw_no_event(&ann, "milestone");   /* a back-dated date announces nothing */

    /* The day turns: 11 days (the clock moves to tomorrow's noon or later). */
    hd_advance(&hd, DAY_MS);
    r = get_of(&ann, "ann");
    cr_assert_eq(num(sob(r), "days"), 11);
    json_decref(r);

    /* Tomorrow is not a date one can have been clean since; nor is Feb 30. */
    local_day("UTC", server_now(&ann), today);
    day_add(today, 1, d);
    rw_refused(set_date(&ann, d), "future_date");
    rw_refused(set_date(&ann, "2025-02-30"), "invalid_field");

    /* Stopping keeps the period in history, ending today. */
    r = set_date(&ann, NULL);
    o = sob(r);
    cr_assert_null(json_object_get(o, "date"));
    json_t *h = json_array_get(json_object_get(o, "history"), 0);
    cr_assert_str_eq(rw_str(h, "from"), date);
    cr_assert_str_eq(rw_str(h, "to"), today);
    cr_assert_eq(num(h, "days"), 11);
    json_decref(r);
    HD_FINISH(&hd, &ann);
}

Test(sobriety, future_is_judged_by_the_members_own_day)
{
    struct rawws kim, pat;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&kim, hd.port, "kim", PW);
    rw_person(&pat, hd.port, "pat", PW);
    settings(&kim, "tz", "Pacific/Kiritimati");   /* UTC+14 */
    settings(&pat, "tz", "Pacific/Pago_Pago");    /* UTC-11 */

    /* To 23:55 in Kiritimati (09:55 UTC). */
    long long now = server_now(&kim);
    long long target = now - now % DAY_MS + 9 * HOUR_MS + 55 * MINUTE_MS;
    if (target <= now)
        target += DAY_MS;
    hd_advance(&hd, target - now);
    now = server_now(&kim);
    char k_today[11], p_today[11], k_tomorrow[11];
    local_day("Pacific/Kiritimati", now, k_today);
    local_day("Pacific/Pago_Pago", now, p_today);
    day_add(k_today, 1, k_tomorrow);
    cr_assert_eq(days_between(p_today, k_today), 1, "a day apart at 23:55 in Kiritimati");

    rw_ok(set_date(&kim, k_today));
    rw_refused(set_date(&kim, k_tomorrow), "future_date");
    rw_refused(set_date(&pat, k_today), "future_date");   /* the same instant, their yesterday */
    rw_ok(set_date(&pat, p_today));

    /* Ten minutes on it is tomorrow in Kiritimati, still yesterday in Pago Pago. */
    hd_advance(&hd, 10 * MINUTE_MS);
    json_t *r = set_date(&kim, k_tomorrow);
    cr_assert_str_eq(rw_str(sob(r), "date"), k_tomorrow);
    json_decref(r);
    rw_refused(set_date(&pat, k_today), "future_date");
    /* Pago Pago's midnight is an hour after Kiritimati's and a day behind. */
    hd_advance(&hd, HOUR_MS);
    rw_ok(set_date(&pat, k_today));
    rw_refused(set_date(&pat, k_tomorrow), "future_date");
    HD_FINISH(&hd, &kim, &pat);
}

Test(sobriety, calendar_months_across_month_ends_and_leap_years)
{
    struct rawws w;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&w, hd.port);

    /* To noon (UTC) on the 25th of February of the next year without a
     * 29th, before anyone signs up. */
    long long now = server_now(&w);
    char today[11];
    local_day("UTC", now, today);
    int y = atoi(today);
    char feb25[11];
    for (;; y++) {
        snprintf(feb25, sizeof feb25, "%04d-02-25", y);
        if (!leap(y) && day_ms(feb25) + 12 * HOUR_MS > now)
            break;
    }
    hd_advance(&hd, day_ms(feb25) + 12 * HOUR_MS - now);
    rw_close(&w);

    struct rawws ann, bob, cat;
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cat, hd.port, "cat", PW);
    char end_of_feb[24], aug31[24], feb29[24], jan30[24], mar1[24];   /* room for any int year */
    snprintf(end_of_feb, sizeof end_of_feb, "%04d-02-28", y);
    snprintf(aug31, sizeof aug31, "%04d-08-31", y - 1);   /* + 6 months: no Feb 31st */
    int l = y - 1;
    while (!leap(l))
        l--;
    snprintf(feb29, sizeof feb29, "%04d-02-29", l);       /* + years: no Feb 29th */
    char years_key[8];
    snprintf(years_key, sizeof years_key, y - l == 1 ? "1y" : "%dy", y - l);
    snprintf(jan30, sizeof jan30, "%04d-01-30", y);       /* + 30 days: over the month end */
    snprintf(mar1, sizeof mar1, "%04d-03-01", y);

    json_t *r = set_date(&ann, aug31);
    cr_assert_str_eq(key_of(sob(r), "next"), "6m");
    cr_assert_str_eq(rw_str(json_object_get(sob(r), "next"), "date"), end_of_feb);
    json_decref(r);
    r = set_date(&bob, feb29);
    cr_assert_str_eq(key_of(sob(r), "next"), years_key);
    cr_assert_str_eq(rw_str(json_object_get(sob(r), "next"), "date"), end_of_feb);
    json_decref(r);
    r = set_date(&cat, jan30);
    cr_assert_str_eq(key_of(sob(r), "next"), "30d");
    cr_assert_str_eq(rw_str(json_object_get(sob(r), "next"), "date"), mar1);
    json_decref(r);

    /* Four days on: each told on their day, with the days they had. */
    hd_advance(&hd, 4 * DAY_MS);
    expect_milestone(&ann, "ann", "6m", end_of_feb, days_between(aug31, end_of_feb));
    expect_milestone(&bob, "bob", years_key, end_of_feb, days_between(feb29, end_of_feb));
    expect_milestone(&cat, "cat", "30d", mar1, 30);
    r = get_of(&ann, NULL);
    cr_assert_str_eq(key_of(sob(r), "next"), "9m");
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob, &cat);
}

Test(sobriety, a_new_start_keeps_the_old_period)
{
    struct rawws ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    char today[11], first[11], second[11], earlier[11], day_before[11];
    local_day("UTC", server_now(&ann), today);
    day_add(today, -40, first);
    day_add(today, -2, second);
    day_add(second, -1, day_before);
    day_add(today, -5, earlier);

    rw_ok(set_date(&ann, first));
    json_t *r = set_date(&ann, second);
    json_t *o = sob(r);
    cr_assert_str_eq(rw_str(o, "date"), second);
    cr_assert_eq(num(o, "days"), 2, "days start again");
    cr_assert_eq(json_array_size(json_object_get(o, "reached")), 1, "1 day");
    json_t *hist = json_object_get(o, "history");
    cr_assert_eq(json_array_size(hist), 1);
    cr_assert_str_eq(rw_str(json_array_get(hist, 0), "from"), first);
    cr_assert_str_eq(rw_str(json_array_get(hist, 0), "to"), day_before);
    cr_assert_eq(num(json_array_get(hist, 0), "days"), 37);
    json_decref(r);
    rw_no_event(&ann, "milestone");

    /* The same date again changes nothing; an earlier one corrects the
     * current start (it is not a new start: nothing moves to history). */
    r = set_date(&ann, second);
    cr_assert_eq(json_array_size(json_object_get(sob(r), "history")), 1);
    json_decref(r);
    r = set_date(&ann, earlier);
    cr_assert_str_eq(rw_str(sob(r), "date"), earlier);
    cr_assert_eq(num(sob(r), "days"), 5);
    cr_assert_eq(json_array_size(json_object_get(sob(r), "history")), 1);
    json_decref(r);

    /* Starting again today: two past periods, newest first. */
    r = set_date(&ann, today);
    o = sob(r);
    cr_assert_eq(num(o, "days"), 0);
    hist = json_object_get(o, "history");
    cr_assert_eq(json_array_size(hist), 2);
    cr_assert_str_eq(rw_str(json_array_get(hist, 0), "from"), earlier);
    cr_assert_str_eq(rw_str(json_array_get(hist, 1), "from"), first);
    json_decref(r);

    /* It is all still there after a restart. */
    HD_FINISH(&hd, &ann);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    r = get_of(&ann, NULL);
    cr_assert_str_eq(rw_str(sob(r), "date"), today);
    cr_assert_eq(json_array_size(json_object_get(sob(r), "history")), 2);
    json_decref(r);
    HD_FINISH(&hd, &ann);
}

Test(sobriety, shared_with_buddies_and_their_room_only)
{
    struct rawws ann, bob, cat;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cat, hd.port, "cat", PW);
    pair(&ann, &bob, "bob", "ann");
    rw_ok(rw_call(&ann, "room.create", json_pack("{s:s, s:s, s:s}", "room", "porch", "title",
                                                 "The porch", "visibility", "open")));
    rw_ok(rw_call(&cat, "room.join", json_pack("{s:s}", "room", "porch")));

    char today[11], date[11], week[11];
    local_day("UTC", server_now(&ann), today);
    day_add(today, -5, date);
    day_add(date, 7, week);
    rw_ok(set_date(&ann, date));

    /* Private until ann shares: to a buddy it is as if she were not there. */
    rw_refused(get_of(&bob, "ann"), "user_not_found");
    settings(&ann, "sobriety_share", "buddies");
    settings(&ann, "milestone_room", "porch");
    json_t *r = get_of(&bob, "ann");
    cr_assert_str_eq(rw_str(sob(r), "handle"), "ann");
    cr_assert_str_eq(rw_str(sob(r), "date"), date);
    cr_assert_eq(num(sob(r), "days"), 5);
    cr_assert_null(json_object_get(sob(r), "history"), "history is ann's own");
    json_decref(r);
    rw_refused(get_of(&cat, "ann"), "user_not_found");
    rw_refused(get_of(&cat, "nobody"), "user_not_found");

    /* A week: ann, her buddy and her room hear of it; cat only in the room. */
    hd_advance(&hd, 2 * DAY_MS + HOUR_MS);
    expect_milestone(&ann, "ann", "7d", week, 7);
    expect_milestone(&bob, "ann", "7d", week, 7);
    json_t *m = rw_event(&cat, "room.message");
    cr_assert_str_eq(rw_str(m, "room"), "porch");
    cr_assert_str_eq(rw_str(m, "handle"), "ann");
    cr_assert_str_eq(rw_str(m, "text"), "Reached 1 week clean today.");
    json_decref(m);
    rw_no_event(&cat, "milestone");

    /* Shared with everyone: cat may look too. */
    settings(&ann, "sobriety_share", "everyone");
    r = get_of(&cat, "ann");
    cr_assert_eq(num(sob(r), "days"), 7);
    cr_assert_str_eq(key_of(sob(r), "next"), "30d");
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob, &cat);
}

Test(sobriety, told_once_across_a_restart)
{
    struct rawws ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    char today[11], date[11], week[11];
    local_day("UTC", server_now(&ann), today);
    day_add(today, -6, date);
    day_add(date, 7, week);
    rw_ok(set_date(&ann, date));
    hd_advance(&hd, DAY_MS + HOUR_MS);
    expect_milestone(&ann, "ann", "7d", week, 7);
    hd_advance(&hd, 2 * HOUR_MS);
    rw_no_event(&ann, "milestone");

    /* The restarted clock is back at the real time: reach the day again. */
    HD_FINISH(&hd, &ann);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    rw_no_event(&ann, "milestone");
    hd_advance(&hd, DAY_MS + 2 * HOUR_MS);
    rw_no_event(&ann, "milestone");
    json_t *r = get_of(&ann, NULL);
    cr_assert_str_eq(key_of(sob(r), "next"), "30d");
    json_decref(r);
    HD_FINISH(&hd, &ann);
}

Test(sobriety, reached_while_away_is_told_at_sign_in)
{
    struct rawws ann, bob, ann2;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    pair(&ann, &bob, "bob", "ann");
    settings(&ann, "sobriety_share", "buddies");
    char today[11], date[11], week[11], month[11];
    local_day("UTC", server_now(&ann), today);
    day_add(today, -6, date);
    day_add(date, 7, week);
    day_add(date, 30, month);
    rw_ok(set_date(&ann, date));

    /* Away on the day: her buddy hears at once, she hears when she is back
     * (once, on her first device only). */
    rw_close(&ann);
    rw_seen_offline(&bob, "ann");
    hd_advance(&hd, DAY_MS + HOUR_MS);
    expect_milestone(&bob, "ann", "7d", week, 7);
    free(rw_login(&ann, hd.port, "ann", PW));
    expect_milestone(&ann, "ann", "7d", week, 7);
    free(rw_login(&ann2, hd.port, "ann", PW));
    rw_no_event(&ann2, "milestone");
    rw_no_event(&ann, "milestone");

    /* Away again on the 30th day, and the server restarts before she is
     * back: she still hears of it. */
    rw_close(&ann);
    rw_close(&ann2);
    rw_seen_offline(&bob, "ann");
    hd_advance(&hd, days_between(today, month) * DAY_MS);
    expect_milestone(&bob, "ann", "30d", month, 30);
    HD_FINISH(&hd, &bob);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    expect_milestone(&ann, "ann", "30d", month, 30);
    rw_no_event(&ann, "milestone");
    HD_FINISH(&hd, &ann);
}
