/*
 * Weekly meeting schedules, invite codes and the server-wide audit log,
 * through the real hearthd with its clock driven by the test.
 *
 * The expected instants of a slot are worked out here with the C
 * library's own time zone code (TZ=...; localtime_r), independently of the
 * ICU calendar the server uses.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define MINUTE_MS 60000LL
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(schedule, .fini = stop_server, .timeout = 120);

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static long long server_now(struct rawws *w)
{
    json_t *r = rw_call(w, "ping", NULL);
    long long now = json_integer_value(json_object_get(rw_data(r), "ts"));
    json_decref(r);
    return now;
}

/* The slot "every <weekday> at <local time>" in zone tz that falls at the
 * instant `at` (rounded down to the minute); *start_ms is that instant. */
static json_t *slot_at(const char *tz, long long at, int minutes, bool every_day,
                       long long *start_ms)
{
    setenv("TZ", tz, 1);
    tzset();
    time_t t = (time_t)(at / 1000);
    struct tm lt;
    localtime_r(&t, &lt);
    *start_ms = (at / MINUTE_MS) * MINUTE_MS;
    char start[8];
    snprintf(start, sizeof start, "%02d:%02d", lt.tm_hour, lt.tm_min);
    json_t *days = json_array();
    for (int d = 0; d < 7; d++)
        if (every_day || d == (lt.tm_wday + 6) % 7)
            json_array_append_new(days, json_string(day_names[d]));
    return json_pack("{s:o, s:s, s:i, s:s}", "days", days, "start", start, "minutes", minutes,
                     "tz", tz);
}

static json_t *room_req(struct rawws *w, const char *type, const char *room, json_t *fields)
{
    if (!fields)
        fields = json_object();
    json_object_set_new(fields, "room", json_string(room));
    return rw_call(w, type, fields);
}

/* meeting.upcoming's list (a new reference). */
static json_t *upcoming(struct rawws *w, json_t *fields)
{
    json_t *r = rw_call(w, "meeting.upcoming", fields ? fields : json_object());
    json_t *list = json_incref(json_object_get(rw_data(r), "meetings"));
    json_decref(r);
    return list;
}

static long long int_at(json_t *list, size_t i, const char *key)
{
    return json_integer_value(json_object_get(json_array_get(list, i), key));
}

static void meeting_room(struct rawws *host, const char *room, const char *visibility)
{
    rw_ok(rw_call(host, "room.create", json_pack("{s:s, s:s, s:s}", "room", room, "title",
                                                 "Evening circle", "visibility", visibility)));
    rw_ok(room_req(host, "room.configure", room, json_pack("{s:b}", "meeting", 1)));
}

Test(schedule, slots_become_upcoming_meetings_in_utc)
{
    struct rawws host, ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&host, hd.port);
    rw_register(&host, "hope", PW);
    meeting_room(&host, "evening", "open");
    long long now = server_now(&host);

    long long ny_start, kol_start;
    json_t *weekly = slot_at("America/New_York", now + 2 * HOUR_MS, 60, false, &ny_start);
    json_t *daily = slot_at("Asia/Kolkata", now + 4 * HOUR_MS, 30, true, &kol_start);
    json_t *r = room_req(&host, "meeting.schedule", "evening",
                         json_pack("{s:[o,o]}", "slots", weekly, daily));
    json_t *slots = json_object_get(rw_data(r), "slots");
    cr_assert_eq(json_array_size(slots), 2, "the reply holds the stored slots");
    cr_assert_str_eq(rw_str(json_array_get(slots, 1), "tz"), "Asia/Kolkata");
    json_decref(r);

    rw_open_ok(&ann, hd.port);
    rw_register(&ann, "ann", PW);
    json_t *list = upcoming(&ann, json_pack("{s:i}", "days", 2));
    cr_assert_eq(json_array_size(list), 3, "weekly once, daily twice in two days");
    cr_assert_eq(int_at(list, 0, "starts_at"), ny_start);
    cr_assert_eq(int_at(list, 0, "ends_at"), ny_start + HOUR_MS);
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "tz"), "America/New_York");
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "title"), "Evening circle");
    cr_assert_eq(int_at(list, 1, "starts_at"), kol_start);
    cr_assert_eq(int_at(list, 2, "starts_at"), kol_start + DAY_MS, "Kolkata keeps no DST");
    json_decref(list);
    list = upcoming(&ann, json_pack("{s:i, s:i}", "days", 2, "limit", 1));
    cr_assert_eq(json_array_size(list), 1, "limit keeps the soonest");
    json_decref(list);

    /* Drive the clock into the New York meeting: it is listed as running,
     * then open once the chair opens it, then gone once it is over. */
    hd_advance(&hd, ny_start - now + 10 * MINUTE_MS);
    list = upcoming(&ann, json_pack("{s:i}", "days", 1));
    cr_assert_eq(int_at(list, 0, "starts_at"), ny_start, "a running meeting is still listed");
    cr_assert(json_is_false(json_object_get(json_array_get(list, 0), "open")));
    json_decref(list);
    rw_ok(room_req(&host, "meeting.open", "evening", NULL));
    list = upcoming(&ann, json_pack("{s:s}", "room", "evening"));
    cr_assert(json_is_true(json_object_get(json_array_get(list, 0), "open")));
    cr_assert(json_is_false(json_object_get(json_array_get(list, 1), "open")),
              "only the running one is open, not the room's later meetings");
    json_decref(list);
    hd_advance(&hd, 51 * MINUTE_MS);
    list = upcoming(&ann, json_pack("{s:i}", "days", 1));
    cr_assert_eq(json_array_size(list), 1, "only the next Kolkata meeting is left in a day");
    cr_assert_eq(int_at(list, 0, "starts_at"), kol_start);
    json_decref(list);
    list = upcoming(&ann, json_pack("{s:i}", "days", 7));
    long long last = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        cr_assert_geq(int_at(list, i, "starts_at"), last, "soonest first");
        last = int_at(list, i, "starts_at");
    }
    cr_assert_eq(int_at(list, json_array_size(list) - 1, "starts_at"), ny_start + 7 * DAY_MS,
                 "next week's New York meeting ends the week's list");
    json_decref(list);

    /* The schedule survives a restart. */
    HD_FINISH(&hd, &host, &ann);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    r = room_req(&ann, "meeting.schedule", "evening", NULL);
    slots = json_object_get(rw_data(r), "slots");
    cr_assert_eq(json_array_size(slots), 2, "anyone who can see the room reads it");
    cr_assert_str_eq(rw_str(json_array_get(slots, 0), "tz"), "America/New_York");
    json_decref(r);
    HD_FINISH(&hd, &ann);
}

Test(schedule, who_may_set_it_and_what_is_refused)
{
    struct rawws host, ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&host, hd.port);
    rw_register(&host, "hope", PW);
    meeting_room(&host, "evening", "open");
    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s}", "room", "lobby", "title", "Lobby")));
    long long start;
    json_t *slot = slot_at("Europe/London", server_now(&host) + HOUR_MS, 60, true, &start);

    rw_open_ok(&ann, hd.port);
    rw_register(&ann, "ann", PW);
    rw_refused(room_req(&ann, "meeting.schedule", "evening",
                        json_pack("{s:[O]}", "slots", slot)), "not_member");
    rw_ok(room_req(&ann, "room.join", "evening", NULL));
    rw_refused(room_req(&ann, "meeting.schedule", "evening",
                        json_pack("{s:[O]}", "slots", slot)), "forbidden");
    rw_refused(room_req(&host, "meeting.schedule", "lobby",
                        json_pack("{s:[O]}", "slots", slot)), "not_a_meeting");
    json_t *mars = json_deep_copy(slot);
    json_object_set_new(mars, "tz", json_string("Mars/Olympus_Mons"));
    json_t *r = room_req(&host, "meeting.schedule", "evening", json_pack("{s:[o]}", "slots", mars));
    rw_expect_error(r, "unknown_time_zone");
    cr_assert(strstr(rw_str(r, "message"), "Mars/Olympus_Mons"), "the error names the zone");
    json_decref(r);
    rw_refused(room_req(&host, "meeting.schedule", "evening",
                        json_pack("{s:[{s:[s], s:s, s:i, s:s}]}", "slots", "days", "mon", "start",
                                  "25:00", "minutes", 60, "tz", "UTC")),
               "invalid_field");
    rw_refused(room_req(&host, "meeting.schedule", "nowhere", NULL), "room_not_found");

    rw_ok(room_req(&host, "meeting.schedule", "evening", json_pack("{s:[O]}", "slots", slot)));
    json_t *list = upcoming(&ann, NULL);
    cr_assert_eq(json_array_size(list), 7, "a daily slot, seven days ahead");
    json_decref(list);
    rw_ok(room_req(&host, "meeting.schedule", "evening", json_pack("{s:[]}", "slots")));
    list = upcoming(&ann, NULL);
    cr_assert_eq(json_array_size(list), 0, "an empty list clears the schedule");
    json_decref(list);

    r = room_req(&host, "mod.log", "evening", NULL);
    json_t *entries = json_object_get(rw_data(r), "entries");
    cr_assert_eq(json_array_size(entries), 2);
    cr_assert_str_eq(rw_str(json_array_get(entries, 0), "action"), "schedule");
    cr_assert_str_eq(rw_str(json_array_get(entries, 0), "actor"), "hope");
    json_decref(r);
    json_decref(slot);
    HD_FINISH(&hd, &host, &ann);
}

Test(schedule, invite_only_meetings_are_listed_to_members_only)
{
    struct rawws host, ann;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&host, hd.port);
    rw_register(&host, "hope", PW);
    meeting_room(&host, "private", "invite");
    long long start;
    json_t *slot = slot_at("UTC", server_now(&host) + HOUR_MS, 60, true, &start);
    rw_ok(room_req(&host, "meeting.schedule", "private", json_pack("{s:[o]}", "slots", slot)));

    rw_open_ok(&ann, hd.port);
    rw_register(&ann, "ann", PW);
    json_t *list = upcoming(&ann, NULL);
    cr_assert_eq(json_array_size(list), 0, "an invite-only room's meetings stay private");
    json_decref(list);
    rw_refused(rw_call(&ann, "meeting.upcoming", json_pack("{s:s}", "room", "private")),
               "room_not_found");
    list = upcoming(&host, NULL);
    cr_assert_eq(json_array_size(list), 7);
    cr_assert_eq(int_at(list, 0, "starts_at"), start);
    json_decref(list);
    HD_FINISH(&hd, &host, &ann);
}

/* ---- invite codes ---- */

static char *invite(struct rawws *w, const char *room, json_t *fields)
{
    json_t *r = room_req(w, "room.invite", room, fields);
    char *code = strdup(rw_str(rw_data(r), "code"));
    json_decref(r);
    return code;
}

static json_t *invites(struct rawws *w, const char *room)
{
    json_t *r = room_req(w, "room.invites", room, NULL);
    json_t *list = json_incref(json_object_get(rw_data(r), "invites"));
    json_decref(r);
    return list;
}

static json_t *join_with(struct rawws *w, const char *code)
{
    return room_req(w, "room.join", "circle", json_pack("{s:s}", "invite", code));
}

Test(schedule, invite_codes_expire_run_out_and_can_be_revoked)
{
    struct rawws host, ann, cal, dee;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&host, hd.port);
    rw_register(&host, "hope", PW);
    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s, s:s}", "room", "circle", "title",
                                                  "Circle", "visibility", "invite")));
    long long now = server_now(&host);
    json_t *r = room_req(&host, "room.invite", "circle", json_pack("{s:i}", "hours", 1));
    cr_assert_eq(json_integer_value(json_object_get(rw_data(r), "expires_at")), now + HOUR_MS);
    char *hourly = strdup(rw_str(rw_data(r), "code"));
    json_decref(r);
    char *once = invite(&host, "circle", json_pack("{s:i}", "uses", 1));
    char *spare = invite(&host, "circle", NULL);

    rw_open_ok(&ann, hd.port);
    rw_register(&ann, "ann", PW);
    rw_open_ok(&cal, hd.port);
    rw_register(&cal, "cal", PW);
    rw_open_ok(&dee, hd.port);
    rw_register(&dee, "dee", PW);
    rw_ok(join_with(&ann, once));
    rw_refused(join_with(&cal, once), "invite_invalid");   /* used up */

    /* A member sees only the codes they made; the host sees all live ones. */
    char *anns = invite(&ann, "circle", NULL);
    json_t *list = invites(&ann, "circle");
    cr_assert_eq(json_array_size(list), 1);
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "code"), anns);
    json_decref(list);
    list = invites(&host, "circle");
    cr_assert_eq(json_array_size(list), 3, "the used-up code is not listed");
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "code"), anns, "newest first");
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "created_by"), "ann");
    json_decref(list);

    rw_refused(room_req(&ann, "room.invite_revoke", "circle", json_pack("{s:s}", "code", spare)),
               "forbidden");
    rw_ok(room_req(&host, "room.invite_revoke", "circle", json_pack("{s:s}", "code", anns)));
    rw_refused(join_with(&cal, anns), "invite_invalid");
    rw_refused(room_req(&host, "room.invite_revoke", "circle", json_pack("{s:s}", "code", anns)),
               "invite_invalid");
    rw_refused(room_req(&cal, "room.invites", "circle", NULL), "room_not_found");

    hd_advance(&hd, HOUR_MS + 1);
    rw_refused(join_with(&cal, hourly), "invite_invalid");   /* expired */
    rw_ok(join_with(&dee, spare));

    r = room_req(&host, "mod.log", "circle", NULL);
    json_t *e = json_array_get(json_object_get(rw_data(r), "entries"), 0);
    cr_assert_str_eq(rw_str(e, "action"), "revoke_invite");
    cr_assert_str_eq(rw_str(e, "target"), "ann", "the log names whose code it was");
    cr_assert_null(json_object_get(e, "excerpt"));
    json_decref(r);
    free(hourly);
    free(once);
    free(spare);
    free(anns);
    HD_FINISH(&hd, &host, &ann, &cal, &dee);
}

Test(schedule, admins_read_the_server_wide_log)
{
    struct rawws admin, host, troll;
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(&admin, hd.port);
    rw_register(&admin, "ada", PW);
    rw_open_ok(&host, hd.port);
    rw_register(&host, "hope", PW);
    rw_open_ok(&troll, hd.port);
    rw_register(&troll, "troy", PW);
    rw_promote(&admin, &hd, "ada", "admin", PW);

    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    rw_ok(room_req(&troll, "room.join", "porch", NULL));
    rw_ok(room_req(&host, "mod.mute", "porch", json_pack("{s:s, s:s}", "handle", "troy",
                                                         "reason", "spam")));
    rw_ok(rw_call(&admin, "mod.suspend", json_pack("{s:s, s:i}", "handle", "troy", "days", 1)));

    rw_refused(rw_call(&host, "mod.log", NULL), "forbidden");
    json_t *r = rw_call(&admin, "mod.log", NULL);
    json_t *entries = json_object_get(rw_data(r), "entries");
    cr_assert_eq(json_array_size(entries), 2);
    cr_assert_str_eq(rw_str(json_array_get(entries, 0), "action"), "suspend");
    cr_assert_null(json_object_get(json_array_get(entries, 0), "room"), "server-wide: no room");
    cr_assert_str_eq(rw_str(json_array_get(entries, 1), "action"), "mute");
    cr_assert_str_eq(rw_str(json_array_get(entries, 1), "room"), "porch");
    json_decref(r);
    r = room_req(&host, "mod.log", "porch", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "entries")), 1,
                 "a room's own log does not show suspensions");
    json_decref(r);
    HD_FINISH(&hd, &admin, &host, &troll);
}
