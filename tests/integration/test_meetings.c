/*
 * Meetings through the real hearthd, with the clock driven by the test: a
 * whole meeting (open, hands, floor, a timed share with its warning and
 * hand-off, close), and who may do what.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(meetings, .fini = stop_server, .timeout = 120);

static json_t *req(struct rawws *w, const char *type, const char *room, json_t *fields)
{
    json_t *f = fields ? fields : json_object();
    json_object_set_new(f, "room", json_string(room));
    return rw_call(w, type, f);
}

static json_t *state_of(json_t *reply) { return json_object_get(rw_data(reply), "meeting"); }

static void person(struct rawws *w, const char *handle, const char *join)
{
    rw_open_ok(w, hd.port);
    rw_register(w, handle, PW);
    if (join)
        rw_ok(req(w, "room.join", join, NULL));
}

static const char *speaker(json_t *state) { return rw_str(state, "speaker"); }

Test(meetings, a_whole_meeting_on_the_test_clock)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws host, chair, carol, dan;
    person(&host, "alice", NULL);
    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s}", "room", "circle", "title", "Evening circle")));
    rw_ok(req(&host, "room.configure", "circle",
           json_pack("{s:b, s:s}", "meeting", 1, "format", "We open with a moment of silence.")));
    person(&chair, "bob", "circle");
    person(&carol, "carol", "circle");
    person(&dan, "dan", "circle");

    /* The host names bob chair; bob opens; everyone hears the format. */
    json_t *r = req(&host, "meeting.chair", "circle", json_pack("{s:s}", "handle", "bob"));
    cr_assert_str_eq(rw_str(state_of(r), "chair"), "bob");
    json_decref(r);
    rw_ok(req(&chair, "meeting.open", "circle", NULL));
    json_t *opened = rw_next_type(&carol, "meeting.opened", RW_TIMEOUT_MS);
    cr_assert(opened);
    cr_assert_str_eq(rw_str(opened, "format"), "We open with a moment of silence.");
    cr_assert_str_eq(rw_str(opened, "chair"), "bob");
    json_decref(opened);

    /* One speaker: carol may not post without the floor. */
    rw_refused(req(&carol, "room.send", "circle", json_pack("{s:s, s:s}", "text", "hi all", "cid", "c1")),
            "one_speaker");

    /* Hands, first come first served. */
    rw_ok(req(&carol, "meeting.hand", "circle", json_pack("{s:b}", "raised", 1)));
    r = req(&dan, "meeting.hand", "circle", json_pack("{s:b}", "raised", 1));
    json_t *q = json_object_get(state_of(r), "queue");
    cr_assert_eq(json_array_size(q), 2);
    cr_assert_str_eq(json_string_value(json_array_get(q, 0)), "carol");
    cr_assert_str_eq(json_string_value(json_array_get(q, 1)), "dan");
    json_decref(r);

    /* The chair gives the floor to the next in line. */
    r = req(&chair, "meeting.floor", "circle", NULL);
    json_t *st = state_of(r);
    cr_assert_str_eq(speaker(st), "carol");
    cr_assert_eq(json_array_size(json_object_get(st, "queue")), 1, "her hand went down");
    long long ends = json_integer_value(json_object_get(st, "share_ends_at"));
    cr_assert(ends > 0);
    json_decref(r);
    rw_ok(req(&carol, "room.send", "circle", json_pack("{s:s, s:s}", "text", "I'm Carol...", "cid", "c2")));
    rw_refused(req(&dan, "room.send", "circle", json_pack("{s:s, s:s}", "text", "me too", "cid", "d1")),
            "one_speaker");

    /* Four minutes in: no warning yet. At 4 minutes: one minute left. */
    hd_advance(&hd, 239 * 1000);
    r = req(&carol, "meeting.state", "circle", NULL);
    cr_assert_str_eq(speaker(state_of(r)), "carol");
    json_decref(r);
    hd_advance(&hd, 1000);
    json_t *warn = rw_next_type(&carol, "meeting.warning", RW_TIMEOUT_MS);
    cr_assert(warn, "the speaker is warned");
    cr_assert_eq(json_integer_value(json_object_get(warn, "seconds_left")), 60);
    json_decref(warn);
    warn = rw_next_type(&chair, "meeting.warning", RW_TIMEOUT_MS);
    cr_assert(warn, "and so is the chair");
    json_decref(warn);

    /* Time is up: the floor returns to the chair (no automatic turns). */
    hd_advance(&hd, 60 * 1000);
    r = req(&dan, "meeting.state", "circle", NULL);
    st = state_of(r);
    cr_assert(json_is_null(json_object_get(st, "speaker")), "the share ended on time");
    cr_assert_eq(json_array_size(json_object_get(st, "queue")), 1);
    json_decref(r);

    /* Automatic turn-taking hands the floor to dan at once; "done" ends it. */
    r = req(&chair, "meeting.mode", "circle", json_pack("{s:b}", "auto", 1));
    cr_assert_str_eq(speaker(state_of(r)), "dan");
    json_decref(r);
    r = req(&dan, "meeting.done", "circle", NULL);
    cr_assert(json_is_null(json_object_get(state_of(r), "speaker")));
    cr_assert_eq(json_array_size(json_object_get(state_of(r), "queue")), 0);
    json_decref(r);

    /* Open discussion: everyone posts. Then the chair closes. */
    rw_ok(req(&chair, "meeting.mode", "circle", json_pack("{s:s}", "mode", "open")));
    rw_ok(req(&dan, "room.send", "circle", json_pack("{s:s, s:s}", "text", "thanks all", "cid", "d2")));
    r = req(&chair, "meeting.close", "circle", NULL);
    cr_assert(json_is_false(json_object_get(state_of(r), "open")));
    json_decref(r);
    rw_refused(req(&carol, "meeting.hand", "circle", json_pack("{s:b}", "raised", 1)), "meeting_closed");

    /* Every member saw the meeting end. */
    json_t *last = NULL, *ev;
    while ((ev = rw_next_type(&carol, "meeting.state", 200))) {
        json_decref(last);
        last = ev;
    }
    cr_assert(last && json_is_false(json_object_get(json_object_get(last, "meeting"), "open")));
    json_decref(last);

    HD_FINISH(&hd, &host, &chair, &carol, &dan);
}

/* Who may do what: each action tried by each kind of person. */
enum who { ADMIN, HOST, MOD, CHAIR, MEMBER, OUTSIDER, N_WHO };
static const char *const names[N_WHO] = {"sam", "hope", "mona", "cole", "mel", "otto"};

Test(meetings, permission_matrix)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws w[N_WHO];
    for (int i = 0; i < N_WHO; i++) {
        rw_open_ok(&w[i], hd.port);
        rw_register(&w[i], names[i], PW);
    }
    rw_promote(&w[ADMIN], &hd, "sam", "admin", PW);

    rw_ok(rw_call(&w[HOST], "room.create", json_pack("{s:s, s:s}", "room", "hall", "title", "Hall")));
    rw_ok(req(&w[HOST], "room.configure", "hall", json_pack("{s:b}", "meeting", 1)));
    for (int i = 0; i < N_WHO; i++)
        if (i != HOST && i != OUTSIDER)
            rw_ok(req(&w[i], "room.join", "hall", NULL));
    rw_ok(req(&w[HOST], "room.role", "hall", json_pack("{s:s, s:s}", "handle", "mona", "role", "moderator")));
    rw_ok(req(&w[HOST], "meeting.chair", "hall", json_pack("{s:s}", "handle", "cole")));

    struct { const char *type; const char *fields; const char *want[N_WHO]; } actions[] = {
        /*                                        admin   host    mod          chair        member       outsider */
        {"room.configure", "{\"share_seconds\":240}", {"ok", "ok", "forbidden", "forbidden", "forbidden", "not_member"}},
        {"room.role", "{\"handle\":\"mel\",\"role\":\"member\"}", {"ok", "ok", "forbidden", "forbidden", "forbidden", "not_member"}},
        {"meeting.chair", "{\"handle\":\"cole\"}", {"ok", "ok", "forbidden", "forbidden", "forbidden", "not_member"}},
        {"meeting.open", "{}", {"ok", "ok", "ok", "ok", "forbidden", "not_member"}},
        {"meeting.mode", "{\"mode\":\"one_speaker\"}", {"ok", "ok", "ok", "ok", "forbidden", "not_member"}},
        {"meeting.floor", "{\"handle\":\"mel\"}", {"ok", "ok", "ok", "ok", "forbidden", "not_member"}},
        {"meeting.done", "{}", {"ok", "ok", "ok", "ok", "forbidden", "not_member"}},
        {"meeting.hand", "{\"raised\":false}", {"ok", "ok", "ok", "ok", "ok", "not_member"}},
        {"meeting.state", "{}", {"ok", "ok", "ok", "ok", "ok", "not_member"}},
        {"meeting.close", "{}", {"ok", "ok", "ok", "ok", "forbidden", "not_member"}},
    };
    for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
        for (int i = 0; i < N_WHO; i++) {
            /* Each try starts from an open meeting where the host has the
             * floor, so a member's "done" tries to end someone else's share. */
            rw_ok(req(&w[HOST], "meeting.open", "hall", NULL));
            rw_ok(req(&w[HOST], "meeting.floor", "hall", json_pack("{s:s}", "handle", "hope")));
            json_error_t jerr;
            json_t *fields = json_loads(actions[a].fields, 0, &jerr);
            json_t *r = req(&w[i], actions[a].type, "hall", fields);
            const char *want = actions[a].want[i];
            if (!strcmp(want, "ok"))
                cr_assert_str_eq(rw_str(r, "type"), "result", "%s by %s: %s (%s)", actions[a].type,
                                 names[i], rw_str(r, "code"), rw_str(r, "message"));
            else
                cr_assert_str_eq(rw_str(r, "code") ? rw_str(r, "code") : "ok", want, "%s by %s",
                                 actions[a].type, names[i]);
            json_decref(r);
        }
    }
    for (int i = 0; i < N_WHO; i++)
        rw_close(&w[i]);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(meetings, a_plain_room_is_not_a_meeting)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a;
    person(&a, "pat", NULL);
    rw_ok(rw_call(&a, "room.create", json_pack("{s:s, s:s}", "room", "chat", "title", "Chat")));
    rw_refused(req(&a, "meeting.open", "chat", NULL), "not_a_meeting");
    json_t *r = rw_call(&a, "room.list", NULL);
    json_t *room = json_array_get(json_object_get(rw_data(r), "rooms"), 0);
    cr_assert(json_is_false(json_object_get(room, "meeting")));
    cr_assert_str_eq(rw_str(room, "role"), "host");
    json_decref(r);
    HD_FINISH(&hd, &a);
}

/* Sums what meeting.attendance says over all the weeks it lists. */
static void attendance(struct rawws *w, long long *meetings, long long *minutes, size_t *weeks)
{
    json_t *r = rw_call(w, "meeting.attendance", json_pack("{s:i}", "weeks", 52));
    json_t *list = json_object_get(rw_data(r), "weeks"), *wk;
    size_t i;
    *meetings = *minutes = 0;
    *weeks = json_array_size(list);
    json_array_foreach(list, i, wk) {
        *meetings += json_integer_value(json_object_get(wk, "meetings"));
        *minutes += json_integer_value(json_object_get(wk, "minutes"));
    }
    json_decref(r);
}

Test(meetings, attendance_is_private_and_counts_each_meeting_once)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws host, ann, bob;
    person(&host, "alice", NULL);
    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s}", "room", "circle", "title", "Circle")));
    rw_ok(req(&host, "room.configure", "circle", json_pack("{s:b}", "meeting", 1)));
    person(&ann, "annie", "circle");
    person(&bob, "bobby", NULL); /* never in the room */

    /* A thirty-minute meeting. */
    rw_ok(req(&host, "meeting.open", "circle", NULL));
    hd_advance(&hd, 30 * 60000);
    rw_ok(req(&host, "meeting.close", "circle", NULL));

    /* Another, where annie drops out for five minutes and comes back: the
     * same meeting, twenty minutes of it. */
    rw_ok(req(&host, "meeting.open", "circle", NULL));
    hd_advance(&hd, 10 * 60000);
    rw_close(&ann);
    for (;;) { /* wait until the server has seen her go */
        json_t *ev = rw_next_type(&host, "presence", RW_TIMEOUT_MS);
        cr_assert(ev, "no presence event");
        bool gone = !strcmp(rw_str(ev, "handle"), "annie") && !strcmp(rw_str(ev, "status"), "offline");
        json_decref(ev);
        if (gone)
            break;
    }
    hd_advance(&hd, 5 * 60000);
    free(rw_login(&ann, hd.port, "annie", PW));
    rw_ok(req(&ann, "meeting.state", "circle", NULL));
    hd_advance(&hd, 10 * 60000);
    rw_ok(req(&host, "meeting.close", "circle", NULL));

    long long meetings, minutes;
    size_t weeks;
    attendance(&ann, &meetings, &minutes, &weeks);
    cr_assert_eq(meetings, 2, "each meeting once, got %lld", meetings);
    cr_assert_eq(minutes, 50, "present 30 + 20 minutes, got %lld", minutes);
    attendance(&host, &meetings, &minutes, &weeks);
    cr_assert_eq(meetings, 2);
    cr_assert_eq(minutes, 55);
    attendance(&bob, &meetings, &minutes, &weeks);
    cr_assert_eq(weeks, 0, "nobody else's attendance shows");

    /* A meeting next week is a week of its own, listed first. */
    hd_advance(&hd, 8LL * 24 * 3600 * 1000);
    rw_ok(req(&host, "meeting.open", "circle", NULL));
    hd_advance(&hd, 15 * 60000);
    rw_ok(req(&host, "meeting.close", "circle", NULL));
    json_t *r = rw_call(&ann, "meeting.attendance", NULL);
    json_t *list = json_object_get(rw_data(r), "weeks");
    cr_assert_geq(json_array_size(list), 2);
    json_t *newest = json_array_get(list, 0);
    cr_assert_eq(json_integer_value(json_object_get(newest, "meetings")), 1);
    cr_assert_eq(json_integer_value(json_object_get(newest, "minutes")), 15);
    cr_assert_gt(strcmp(rw_str(newest, "week"), rw_str(json_array_get(list, 1), "week")), 0,
                 "newest first");
    json_decref(r);
    HD_FINISH(&hd, &host, &ann, &bob);
}

/* Waits for a meeting.state event whose `key` is the string `want`
 * (earlier ones are skipped); false when none comes. */
static bool state_event_with(struct rawws *w, const char *key, const char *want)
{
    json_t *ev;
    while ((ev = rw_next_type(w, "meeting.state", RW_TIMEOUT_MS))) {
        json_t *v = json_object_get(json_object_get(ev, "meeting"), key);
        bool hit = json_is_string(v) && strcmp(json_string_value(v), want) == 0;
        json_decref(ev);
        if (hit)
            return true;
    }
    return false;
}

/* The format text is in the state (for whoever comes in mid-meeting and for
 * the host editing it), and a chair can be cleared: the host chairs again. */
Test(meetings, the_format_in_the_state_and_clearing_the_chair)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws host, bob, erin;
    person(&host, "alice", NULL);
    rw_ok(rw_call(&host, "room.create", json_pack("{s:s, s:s}", "room", "circle", "title", "Circle")));
    json_t *r = req(&host, "meeting.state", "circle", NULL);
    rw_refused(r, "not_a_meeting");
    rw_ok(req(&host, "room.configure", "circle",
              json_pack("{s:b, s:s}", "meeting", 1, "format", "Read the preamble.\nThen shares.")));
    person(&bob, "bob", "circle");
    r = req(&host, "meeting.chair", "circle", json_pack("{s:s}", "handle", "bob"));
    cr_assert_str_eq(rw_str(state_of(r), "format"), "Read the preamble.\nThen shares.");
    json_decref(r);
    rw_ok(req(&bob, "meeting.open", "circle", NULL));

    /* erin comes in after it opened: she missed meeting.opened, the state has the format. */
    person(&erin, "erin", "circle");
    r = req(&erin, "meeting.state", "circle", NULL);
    cr_assert(json_is_true(json_object_get(state_of(r), "open")));
    cr_assert_str_eq(rw_str(state_of(r), "format"), "Read the preamble.\nThen shares.");
    json_decref(r);

    /* The host edits it: everyone hears the new state; an explicit "" clears it. */
    rw_ok(req(&host, "room.configure", "circle", json_pack("{s:s}", "format", "Be kind.")));
    cr_assert(state_event_with(&erin, "format", "Be kind."));
    rw_ok(req(&host, "room.configure", "circle", json_pack("{s:s}", "format", "")));
    cr_assert(state_event_with(&erin, "format", ""));

    /* Clearing the chair: only the host may; null clears, absent is refused. */
    rw_refused(req(&erin, "meeting.chair", "circle", json_pack("{s:n}", "handle")), "forbidden");
    rw_refused(req(&bob, "meeting.chair", "circle", json_pack("{s:n}", "handle")), "forbidden");
    rw_refused(req(&host, "meeting.chair", "circle", NULL), "invalid_field");
    r = req(&host, "meeting.chair", "circle", json_pack("{s:n}", "handle"));
    cr_assert_str_eq(rw_str(state_of(r), "chair"), "alice", "nobody named: the host chairs");
    cr_assert(json_is_true(json_object_get(state_of(r), "open")), "the meeting goes on");
    json_decref(r);
    cr_assert(state_event_with(&bob, "chair", "alice"), "bob hears he no longer chairs");
    /* bob no longer runs it; the host does. */
    rw_refused(req(&bob, "meeting.close", "circle", NULL), "forbidden");
    rw_ok(req(&host, "meeting.chair", "circle", json_pack("{s:n}", "handle")));   /* again: fine */
    rw_ok(req(&host, "meeting.close", "circle", NULL));

    /* It is stored: after a restart the host still chairs, and once the host
     * leaves, nobody does (chair null). */
    HD_FINISH(&hd, &host, &bob, &erin);
    hd_restart(&hd);
    free(rw_login(&erin, hd.port, "erin", PW));
    r = req(&erin, "meeting.state", "circle", NULL);
    cr_assert_str_eq(rw_str(state_of(r), "chair"), "alice");
    cr_assert_str_eq(rw_str(state_of(r), "format"), "");
    json_decref(r);
    free(rw_login(&host, hd.port, "alice", PW));
    rw_ok(req(&host, "room.leave", "circle", NULL));
    r = req(&erin, "meeting.state", "circle", NULL);
    cr_assert(json_is_null(json_object_get(state_of(r), "chair")));
    json_decref(r);
    HD_FINISH(&hd, &host, &erin);
}
