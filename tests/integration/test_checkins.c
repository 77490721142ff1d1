/*
 * Daily check-ins through the real hearthd, with the clock and the
 * members' time zones driven by the test: one per local day, who sees a
 * shared one (a buddy, live or at sign-in; never a non-buddy, never a
 * moderator; never the note), the warning threshold and its alert only
 * with consent, streaks, sharing to a room, the summary and the journal.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(checkins, .fini = stop_server, .timeout = 120);

static void set(struct rawws *w, json_t *fields)
{
    rw_ok(rw_call(w, "settings.set", fields));
}

static long long server_now(struct rawws *w)
{
    json_t *r = rw_call(w, "ping", NULL);
    long long now = json_integer_value(json_object_get(rw_data(r), "ts"));
    json_decref(r);
    return now;
}

/* The local day of `ms` in zone tz, by the C library's own zone code. */
static void local_day(const char *tz, long long ms, char out[11])
{
    setenv("TZ", tz, 1);
    tzset();
    time_t t = (time_t)(ms / 1000);
    struct tm lt;
    localtime_r(&t, &lt);
    strftime(out, 11, "%Y-%m-%d", &lt);
}

/* checkin.submit; returns the result's data (a new reference). */
static json_t *submit(struct rawws *w, json_t *fields)
{
    json_t *r = rw_call(w, "checkin.submit", fields);
    json_t *d = json_incref(rw_data(r));
    json_decref(r);
    return d;
}

static void pair(struct rawws *a, const char *ah, struct rawws *b, const char *bh)
{
    rw_ok(rw_call(a, "buddy.request", json_pack("{s:s}", "handle", bh)));
    rw_ok(rw_call(b, "buddy.accept", json_pack("{s:s}", "handle", ah)));
}

Test(checkins, one_a_day_in_each_members_own_day)
{
    struct rawws east, west;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&east, hd.port, "kiri", PW);
    rw_person(&west, hd.port, "pago", PW);
    set(&east, json_pack("{s:s}", "tz", "Pacific/Kiritimati"));   /* UTC+14 */
    set(&west, json_pack("{s:s}", "tz", "Pacific/Pago_Pago"));    /* UTC-11 */
    rw_refused(rw_call(&east, "settings.set", json_pack("{s:s}", "tz", "Mars/Olympus_Mons")),
               "unknown_time_zone");

    long long now = server_now(&east);
    char kiri_day[11], pago_day[11];
    local_day("Pacific/Kiritimati", now, kiri_day);
    local_day("Pacific/Pago_Pago", now, pago_day);
    json_t *d = submit(&east, json_pack("{s:i, s:i}", "mood", 2, "craving", 6));
    cr_assert_str_eq(rw_str(json_object_get(d, "checkin"), "day"), kiri_day);
    cr_assert(json_is_false(json_object_get(d, "updated")));
    cr_assert_eq(json_integer_value(json_object_get(d, "streak")), 1);
    json_decref(d);
    d = submit(&west, json_pack("{s:i}", "mood", 4));
    cr_assert_str_eq(rw_str(json_object_get(d, "checkin"), "day"), pago_day);
    json_decref(d);
    cr_assert_str_neq(kiri_day, pago_day, "25 hours apart: never the same day");

    /* A second one that day replaces the first. */
    d = submit(&east, json_pack("{s:i, s:s}", "mood", 3, "grateful", "my sister called"));
    cr_assert(json_is_true(json_object_get(d, "updated")));
    json_decref(d);
    json_t *r = rw_call(&east, "checkin.list", NULL);
    json_t *list = json_object_get(rw_data(r), "checkins");
    cr_assert_eq(json_array_size(list), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(list, 0), "mood")), 3);
    json_decref(r);

    /* The next local day: a new check-in, and the streak grows. */
    hd_advance(&hd, DAY_MS);
    d = submit(&east, json_pack("{s:i, s:s}", "mood", 4, "win", "went to a meeting"));
    cr_assert_eq(json_integer_value(json_object_get(d, "streak")), 2);
    json_decref(d);
    hd_advance(&hd, 2 * DAY_MS);   /* a day missed */
    d = submit(&east, json_pack("{s:i}", "mood", 4));
    cr_assert_eq(json_integer_value(json_object_get(d, "streak")), 1, "a missed day starts again");
    json_decref(d);

    r = rw_call(&east, "checkin.journal", NULL);
    json_t *entries = json_object_get(rw_data(r), "entries");
    cr_assert_eq(json_array_size(entries), 2, "only the days with gratitude or a win");
    cr_assert_str_eq(rw_str(json_array_get(entries, 0), "win"), "went to a meeting");
    cr_assert_str_eq(rw_str(json_array_get(entries, 1), "grateful"), "my sister called");
    json_decref(r);

    r = rw_call(&east, "checkin.summary", json_pack("{s:s, s:i}", "period", "week", "count", 2));
    json_t *periods = json_object_get(rw_data(r), "periods");
    cr_assert_eq(json_array_size(periods), 2);
    int days = 0;
    for (size_t i = 0; i < 2; i++)
        days += (int)json_integer_value(json_object_get(json_array_get(periods, i), "checkins"));
    cr_assert_eq(days, 3, "three days checked in over the two weeks");
    cr_assert_eq(json_integer_value(json_object_get(rw_data(r), "longest")), 2);
    json_decref(r);
    HD_FINISH(&hd, &east, &west);
}

Test(checkins, shared_with_buddies_never_with_anyone_else)
{
    struct rawws ann, bob, cal, ada;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cal, hd.port, "cal", PW);
    rw_person(&ada, hd.port, "ada", PW);
    rw_promote(&ada, &hd, "ada", "admin", PW);
    pair(&ann, "ann", &bob, "bob");

    /* Private by default: nobody sees it. */
    json_decref(submit(&ann, json_pack("{s:i, s:s}", "mood", 3, "note", "PRIVATE-NOTE-1")));
    rw_no_event(&bob, "checkin.shared");

    set(&ann, json_pack("{s:s}", "checkin_share", "buddies"));
    json_decref(submit(&ann, json_pack("{s:i, s:i, s:s}", "mood", 2, "craving", 7, "note",
                                      "PRIVATE-NOTE-2")));
    json_t *e = rw_event(&bob, "checkin.shared");
    json_t *c = json_object_get(e, "checkin");
    cr_assert_str_eq(rw_str(c, "handle"), "ann");
    cr_assert_eq(json_integer_value(json_object_get(c, "craving")), 7);
    cr_assert_null(json_object_get(c, "note"), "the note is never shared");
    json_decref(e);
    rw_no_event(&cal, "checkin.shared");
    rw_no_event(&ada, "checkin.shared");
    struct rawws *others[] = {&cal, &ada};
    for (int k = 0; k < 2; k++) {
        json_t *r = rw_call(others[k], "checkin.feed", NULL);
        cr_assert_eq(json_array_size(json_object_get(rw_data(r), "checkins")), 0,
                     "not a buddy, not a moderator: nothing");
        json_decref(r);
    }

    /* Away when it was shared: it comes right after signing in. */
    rw_close(&bob);
    rw_seen_offline(&ann, "bob");
    hd_advance(&hd, DAY_MS);
    json_decref(submit(&ann, json_pack("{s:i}", "mood", 5)));
    free(rw_login(&bob, hd.port, "bob", PW));
    e = rw_event(&bob, "checkin.shared");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "checkin"), "mood")), 5);
    json_decref(e);
    json_t *r = rw_call(&bob, "checkin.feed", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "checkins")), 2,
                 "the shared ones of the last week, not the private one");
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob, &cal, &ada);
}

Test(checkins, the_warning_threshold_and_an_alert_only_with_consent)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    pair(&ann, "ann", &bob, "bob");
    rw_ok(rw_call(&ann, "card.set", json_pack("{s:[{s:s, s:s}]}", "contacts", "name", "Sam",
                                              "phone", "+1 555 0100")));
    rw_ok(rw_call(&ann, "plan.set", json_pack("{s:[{s:s, s:s}], s:[s]}", "lines", "when",
                                              "I pass the bar", "then", "I call Sam",
                                              "reasons", "my kids")));
    rw_refused(rw_call(&ann, "checkin.submit", json_pack("{s:i, s:[s]}", "mood", 3, "signs",
                                                         "not_a_sign")),
               "unknown_sign");
    json_t *signs = rw_call(&ann, "checkin.signs", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(signs), "signs")), 10);
    json_decref(signs);

    json_t *d = submit(&ann, json_pack("{s:i, s:[s,s]}", "mood", 2, "signs", "isolating",
                                       "boredom"));
    cr_assert(json_is_false(json_object_get(d, "warning")), "two signs: under the default three");
    json_decref(d);
    d = submit(&ann, json_pack("{s:i, s:[s,s,s]}", "mood", 2, "signs", "isolating", "boredom",
                               "high_stress"));
    cr_assert(json_is_true(json_object_get(d, "warning")));
    cr_assert_str_eq(rw_str(json_array_get(json_object_get(json_object_get(d, "plan"), "lines"), 0),
                            "then"), "I call Sam", "the member's own plan comes with it");
    cr_assert_str_eq(rw_str(json_array_get(json_object_get(json_object_get(d, "card"), "contacts"),
                                           0), "name"), "Sam");
    cr_assert_gt(json_array_size(json_object_get(json_object_get(d, "card"), "resources")), 0);
    json_decref(d);
    rw_no_event(&bob, "checkin.alert");   /* no consent yet */

    set(&ann, json_pack("{s:b, s:i}", "alert_buddies", 1, "warning_threshold", 2));
    hd_advance(&hd, DAY_MS);
    set(&ann, json_pack("{s:s}", "checkin_share", "buddies"));
    json_t *d2 = submit(&ann, json_pack("{s:i, s:[s,s]}", "mood", 1, "signs", "isolating",
                                        "dishonesty"));
    cr_assert_eq(json_array_size(json_object_get(json_object_get(d2, "checkin"), "signs")), 2,
                 "shared with buddies, the member's own result still has every sign");
    json_decref(d2);
    json_t *shared = rw_event(&bob, "checkin.shared");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(shared, "checkin"), "signs")), 2);
    json_decref(shared);
    json_t *e = rw_event(&bob, "checkin.alert");
    cr_assert_str_eq(rw_str(e, "handle"), "ann");
    cr_assert_eq(json_integer_value(json_object_get(e, "signs")), 2, "how many, never which");
    json_decref(e);
    HD_FINISH(&hd, &ann, &bob);
}

Test(checkins, shared_with_a_room_in_plain_words)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_ok(rw_call(&ann, "room.create", json_pack("{s:s, s:s}", "room", "circle", "title", "Circle")));
    rw_ok(rw_call(&bob, "room.join", json_pack("{s:s}", "room", "circle")));
    rw_refused(rw_call(&ann, "settings.set", json_pack("{s:s}", "checkin_share", "room")),
               "invalid_field");
    rw_refused(rw_call(&ann, "settings.set", json_pack("{s:s, s:s}", "checkin_share", "room",
                                                       "checkin_room", "nowhere")),
               "room_not_found");
    set(&ann, json_pack("{s:s, s:s}", "checkin_share", "room", "checkin_room", "circle"));
    json_decref(submit(&ann, json_pack("{s:i, s:i, s:[s], s:s, s:s}", "mood", 4, "craving", 1,
                                      "signs", "boredom", "grateful", "the sun",
                                      "note", "PRIVATE-NOTE-3")));
    json_t *m = rw_event(&bob, "room.message");
    cr_assert_str_eq(rw_str(m, "handle"), "ann");
    cr_assert_str_eq(rw_str(m, "text"),
                     "Checked in: mood 4/5, craving 1/10, 1 warning sign. Grateful for: the sun.");
    json_decref(m);
    HD_FINISH(&hd, &ann, &bob);
}

Test(checkins, a_muted_member_s_check_in_is_not_posted_in_the_room)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_ok(rw_call(&ann, "room.create", json_pack("{s:s, s:s}", "room", "circle", "title", "Circle")));
    rw_ok(rw_call(&bob, "room.join", json_pack("{s:s}", "room", "circle")));
    set(&bob, json_pack("{s:s, s:s}", "checkin_share", "room", "checkin_room", "circle"));
    rw_ok(rw_call(&ann, "mod.mute", json_pack("{s:s, s:s}", "room", "circle", "handle", "bob")));

    /* The check-in itself is kept; only the post in the room is held back. */
    json_decref(submit(&bob, json_pack("{s:i}", "mood", 3)));
    rw_no_event(&ann, "room.message");
    json_t *r = rw_call(&bob, "checkin.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "checkins")), 1);
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob);
}

Test(checkins, a_quiet_member_s_buddies_are_nudged_once)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    pair(&ann, "ann", &bob, "bob");
    json_decref(submit(&ann, json_pack("{s:i}", "mood", 3)));
    rw_close(&ann);
    rw_seen_offline(&bob, "ann");
    hd_advance(&hd, 3 * DAY_MS);
    rw_no_event(&bob, "checkin.nudge");   /* not asked for: never */

    free(rw_login(&ann, hd.port, "ann", PW));
    set(&ann, json_pack("{s:b, s:i}", "isolation_nudges", 1, "isolation_days", 2));
    json_decref(submit(&ann, json_pack("{s:i}", "mood", 3)));
    rw_close(&ann);
    rw_seen_offline(&bob, "ann");
    hd_advance(&hd, 47 * HOUR_MS);
    rw_no_event(&bob, "checkin.nudge");
    hd_advance(&hd, 2 * HOUR_MS);
    json_t *e = rw_event(&bob, "checkin.nudge");
    cr_assert_str_eq(rw_str(e, "handle"), "ann");
    cr_assert_eq(json_integer_value(json_object_get(e, "days")), 2);
    json_decref(e);
    hd_advance(&hd, 2 * DAY_MS);
    rw_no_event(&bob, "checkin.nudge");   /* once per quiet spell */

    free(rw_login(&ann, hd.port, "ann", PW));
    e = rw_event(&ann, "checkin.reminder");
    cr_assert_geq(json_integer_value(json_object_get(e, "days")), 4);
    json_decref(e);
    HD_FINISH(&hd, &ann, &bob);
}
