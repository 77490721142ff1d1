/*
 * Buddies, pings and private conversations through the real hearthd:
 * pairing (and what blocks do to it), presence between buddies, a private
 * conversation that only the two can read and that resumes like a room,
 * and pings live and kept for later, with delivered and seen.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define DAY_MS (24LL * 3600 * 1000)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(buddies, .fini = stop_server, .timeout = 120);

static json_t *buddy(struct rawws *w, const char *type, const char *handle)
{
    return rw_call(w, type, json_pack("{s:s}", "handle", handle));
}

/* The next event of `type` (asserted), as a new reference. */

/* The next event of `type` about `handle`, skipping others of that type
 * (one's own presence, say). */
static json_t *event_about(struct rawws *w, const char *type, const char *handle)
{
    for (;;) {
        json_t *e = rw_event(w, type);
        if (!strcmp(rw_str(e, "handle"), handle))
            return e;
        json_decref(e);
    }
}

/* buddy.list's member `key` (a new reference). */
static json_t *listed(struct rawws *w, const char *key)
{
    json_t *r = rw_call(w, "buddy.list", NULL);
    json_t *v = json_incref(json_object_get(rw_data(r), key));
    json_decref(r);
    return v;
}

static bool lists_handle(json_t *arr, const char *handle)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (!strcmp(rw_str(e, "handle"), handle)) return true;
    return false;
}

/* ann asks bob and bob accepts; returns their conversation's name. */
static char *pair(struct rawws *ann, const char *ann_handle, struct rawws *bob,
                  const char *bob_handle)
{
    rw_ok(buddy(ann, "buddy.request", bob_handle));
    json_decref(rw_event(bob, "buddy.request"));
    json_t *r = buddy(bob, "buddy.accept", ann_handle);
    char *conv = strdup(rw_str(json_object_get(rw_data(r), "buddy"), "conversation"));
    json_decref(r);
    json_t *e = rw_event(ann, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "paired");
    json_decref(e);
    e = rw_event(bob, "buddy.update");   /* both are told, every device */
    cr_assert_str_eq(rw_str(e, "state"), "paired");
    json_decref(e);
    return conv;
}

static json_t *say(struct rawws *w, const char *room, const char *text, const char *cid)
{
    return rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text,
                                             "cid", cid));
}

Test(buddies, asking_accepting_and_the_list)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);

    rw_ok(buddy(&ann, "buddy.request", "bob"));
    json_t *e = rw_event(&bob, "buddy.request");
    cr_assert_str_eq(rw_str(e, "handle"), "ann");
    json_decref(e);
    json_t *in = listed(&bob, "incoming"), *out = listed(&ann, "outgoing");
    cr_assert(lists_handle(in, "ann") && lists_handle(out, "bob"));
    json_decref(in);
    json_decref(out);
    rw_ok(buddy(&ann, "buddy.request", "bob"));   /* asking twice changes nothing */

    json_t *r = buddy(&bob, "buddy.accept", "ann");
    json_t *b = json_object_get(rw_data(r), "buddy");
    cr_assert_str_eq(rw_str(b, "handle"), "ann");
    cr_assert_str_eq(rw_str(b, "status"), "available", "a buddy's presence, no room shared");
    cr_assert_eq(rw_str(b, "conversation")[0], '~');
    json_decref(r);
    e = rw_event(&ann, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "paired");
    cr_assert_str_eq(rw_str(e, "handle"), "bob");
    json_decref(e);
    json_t *buddies = listed(&ann, "buddies");
    cr_assert(lists_handle(buddies, "bob"));
    json_decref(buddies);

    rw_refused(buddy(&ann, "buddy.request", "bob"), "already_buddies");
    rw_refused(buddy(&ann, "buddy.request", "ann"), "invalid_field");
    rw_refused(buddy(&ann, "buddy.request", "nobody"), "user_not_found");
    rw_refused(buddy(&ann, "buddy.accept", "bob"), "request_not_found");
    rw_refused(buddy(&ann, "buddy.decline", "bob"), "request_not_found");

    /* Buddies see each other's presence. */
    rw_ok(rw_call(&bob, "presence.set", json_pack("{s:s}", "status", "busy")));
    e = event_about(&ann, "presence", "bob");
    cr_assert_str_eq(rw_str(e, "status"), "busy");
    json_decref(e);

    /* Pairs outlive a restart. */
    HD_FINISH(&hd, &ann, &bob);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    buddies = listed(&ann, "buddies");
    cr_assert(lists_handle(buddies, "bob"));
    cr_assert_str_eq(rw_str(json_array_get(buddies, 0), "status"), "offline");
    json_decref(buddies);
    HD_FINISH(&hd, &ann);
}

Test(buddies, declining_withdrawing_ending_and_asking_both_ways)
{
    struct rawws ann, bob, cal, dee;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cal, hd.port, "cal", PW);
    rw_person(&dee, hd.port, "dee", PW);

    rw_ok(buddy(&ann, "buddy.request", "bob"));
    rw_ok(buddy(&bob, "buddy.decline", "ann"));
    json_t *e = rw_event(&ann, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "ended", "told quietly, no reason");
    cr_assert_null(json_object_get(e, "reason"));
    json_decref(e);

    rw_ok(buddy(&ann, "buddy.request", "cal"));
    rw_ok(buddy(&ann, "buddy.cancel", "cal"));
    e = rw_event(&cal, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "ended");
    json_decref(e);
    json_t *in = listed(&cal, "incoming");
    cr_assert_eq(json_array_size(in), 0);
    json_decref(in);

    /* Two who ask each other are paired. */
    rw_ok(buddy(&cal, "buddy.request", "dee"));
    rw_ok(buddy(&dee, "buddy.request", "cal"));
    e = rw_event(&cal, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "paired");
    json_decref(e);

    rw_ok(buddy(&dee, "buddy.end", "cal"));
    e = rw_event(&cal, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "ended");
    json_decref(e);
    rw_refused(buddy(&dee, "buddy.end", "cal"), "not_buddies");
    HD_FINISH(&hd, &ann, &bob, &cal, &dee);
}

Test(buddies, the_limit_is_the_operators)
{
    struct rawws ann, bob, cal;
    const char *args[] = {"--rate", "100000", "--rate-burst", "100000", "--user-rate", "100000",
                          "--user-rate-burst", "100000", "--max-buddies", "1", NULL};
    hd_start(&hd, args);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cal, hd.port, "cal", PW);
    free(pair(&ann, "ann", &bob, "bob"));
    rw_refused(buddy(&ann, "buddy.request", "cal"), "buddy_limit");
    rw_ok(buddy(&cal, "buddy.request", "bob"));
    rw_refused(buddy(&bob, "buddy.accept", "cal"), "buddy_limit");
    json_t *r = rw_call(&cal, "buddy.list", NULL);
    cr_assert_eq(json_integer_value(json_object_get(rw_data(r), "limit")), 1);
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(buddies, blocks_keep_requests_hidden_and_end_pairings)
{
    struct rawws ann, bob, eve;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&eve, hd.port, "eve", PW);

    rw_ok(rw_call(&bob, "block.add", json_pack("{s:s}", "handle", "eve")));
    rw_ok(buddy(&eve, "buddy.request", "bob"));   /* eve is not told about the block */
    rw_no_event(&bob, "buddy.request");
    json_t *in = listed(&bob, "incoming");
    cr_assert_eq(json_array_size(in), 0, "a request across a block is never shown");
    json_decref(in);
    rw_refused(buddy(&bob, "buddy.accept", "eve"), "request_not_found");

    char *conv = pair(&ann, "ann", &bob, "bob");
    rw_ok(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "bob")));
    json_t *e = rw_event(&bob, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "ended", "bob only sees the pairing end");
    json_decref(e);
    rw_refused(say(&bob, conv, "still there?", "b1"), "not_buddies");
    free(conv);
    HD_FINISH(&hd, &ann, &bob, &eve);
}

Test(buddies, a_private_conversation_only_the_two_can_read)
{
    struct rawws ann, bob, ada, cal;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&ada, hd.port, "ada", PW);
    rw_person(&cal, hd.port, "cal", PW);
    rw_promote(&ada, &hd, "ada", "admin", PW);
    char *conv = pair(&ann, "ann", &bob, "bob");

    rw_ok(say(&ann, conv, "rough day, glad you're here", "a1"));
    json_t *m = rw_event(&bob, "room.message");
    cr_assert_str_eq(rw_str(m, "room"), conv);
    cr_assert_str_eq(rw_str(m, "text"), "rough day, glad you're here");
    json_decref(m);

    json_t *r = rw_call(&ann, "room.list", NULL);
    json_t *rooms = json_object_get(rw_data(r), "rooms"), *room;
    size_t i;
    bool seen = false;
    json_array_foreach(rooms, i, room) if (!strcmp(rw_str(room, "room"), conv)) {
        cr_assert_str_eq(rw_str(room, "kind"), "buddy");
        cr_assert_str_eq(rw_str(room, "peer"), "bob");
        seen = true;
    }
    cr_assert(seen, "the conversation is in its members' room list");
    json_decref(r);

    /* Nobody else, admins included, can read it, join it or find it. */
    struct rawws *others[] = {&ada, &cal};
    for (int k = 0; k < 2; k++) {
        rw_refused(rw_call(others[k], "room.history", json_pack("{s:s}", "room", conv)),
                   "room_not_found");
        rw_refused(rw_call(others[k], "room.join", json_pack("{s:s}", "room", conv)),
                   "room_not_found");
        rw_refused(say(others[k], conv, "let me in", "x1"), "room_not_found");
        r = rw_call(others[k], "room.list", NULL);
        json_array_foreach(json_object_get(rw_data(r), "rooms"), i, room)
            cr_assert_str_neq(rw_str(room, "room"), conv);
        json_decref(r);
    }
    rw_refused(rw_call(&ada, "mod.log", json_pack("{s:s}", "room", conv)), "room_not_found");
    /* Its members cannot turn it into something else. */
    rw_refused(rw_call(&ann, "room.invite", json_pack("{s:s}", "room", conv)), "conversation");
    rw_refused(rw_call(&ann, "room.leave", json_pack("{s:s}", "room", conv)), "conversation");
    rw_refused(rw_call(&ann, "mod.mute", json_pack("{s:s, s:s}", "room", conv, "handle", "bob")),
               "conversation");
    rw_refused(rw_call(&ann, "room.create", json_pack("{s:s, s:s}", "room", "~abcdefgh1",
                                                      "title", "Mine")),
               "invalid_field");

    /* It resumes like a room: bob was away for three messages. */
    long long last = 0;
    r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", conv));
    json_t *events = json_object_get(rw_data(r), "events");
    last = json_integer_value(json_object_get(json_array_get(events, json_array_size(events) - 1),
                                              "seq"));
    json_decref(r);
    rw_close(&bob);
    char cid[8];
    for (int k = 0; k < 3; k++) {
        snprintf(cid, sizeof cid, "m%d", k);
        rw_ok(say(&ann, conv, cid, cid));
    }
    free(rw_login(&bob, hd.port, "bob", PW));
    r = rw_call(&bob, "room.history", json_pack("{s:s, s:I}", "room", conv, "after", last));
    events = json_object_get(rw_data(r), "events");
    cr_assert_eq(json_array_size(events), 3, "exactly what was missed");
    cr_assert_str_eq(rw_str(json_array_get(events, 0), "text"), "m0");
    json_decref(r);

    /* Ended, it stays readable but quiet; paired again, it continues. */
    rw_ok(buddy(&ann, "buddy.end", "bob"));
    json_decref(rw_event(&ann, "buddy.update"));   /* ann's own devices learn it too */
    json_decref(rw_event(&bob, "buddy.update"));
    rw_refused(say(&ann, conv, "hello?", "a9"), "not_buddies");
    r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", conv));
    cr_assert_gt(json_array_size(json_object_get(rw_data(r), "events")), 0);
    json_decref(r);
    char *again = pair(&ann, "ann", &bob, "bob");
    cr_assert_str_eq(again, conv, "the same conversation continues");
    rw_ok(say(&bob, conv, "welcome back", "b1"));
    free(again);
    free(conv);
    HD_FINISH(&hd, &ann, &bob, &ada, &cal);
}

static json_t *ping(struct rawws *w, const char *to, const char *kind, const char *text,
                    const char *cid)
{
    json_t *f = json_pack("{s:s, s:s}", "handle", to, "kind", kind);
    if (text)
        json_object_set_new(f, "text", json_string(text));
    if (cid)
        json_object_set_new(f, "cid", json_string(cid));
    return rw_call(w, "buddy.ping", f);
}

Test(buddies, pings_live_and_kept_for_later)
{
    struct rawws ann, bob, cal;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cal, hd.port, "cal", PW);
    free(pair(&ann, "ann", &bob, "bob"));

    /* Live: delivered at once, then seen. */
    json_t *r = ping(&ann, "bob", "thinking_of_you", NULL, "p1");
    json_t *p = json_object_get(rw_data(r), "ping");
    long long id = json_integer_value(json_object_get(p, "id"));
    cr_assert(json_object_get(p, "delivered_at"), "bob is online: delivered at once");
    json_decref(r);
    json_t *e = rw_event(&bob, "buddy.ping");
    cr_assert_str_eq(rw_str(json_object_get(e, "ping"), "from"), "ann");
    cr_assert_str_eq(rw_str(json_object_get(e, "ping"), "kind"), "thinking_of_you");
    json_decref(e);
    rw_ok(rw_call(&bob, "buddy.ping_seen", json_pack("{s:I}", "ping", id)));
    e = rw_event(&ann, "buddy.ping_status");
    cr_assert_str_eq(rw_str(e, "state"), "seen");
    cr_assert_eq(json_integer_value(json_object_get(e, "id")), id);
    json_decref(e);
    rw_refused(rw_call(&ann, "buddy.ping_seen", json_pack("{s:I}", "ping", id)), "ping_not_found");

    r = ping(&ann, "bob", "thinking_of_you", NULL, "p1");
    cr_assert(json_is_true(json_object_get(rw_data(r), "duplicate")), "a retry is not sent twice");
    json_decref(r);
    rw_refused(ping(&ann, "cal", "call_me", NULL, NULL), "not_buddies");

    /* Kept: bob is away; the ping waits and comes right after sign-in. */
    rw_close(&bob);
    rw_seen_offline(&ann, "bob");
    r = ping(&ann, "bob", "text", "call me when you can, no rush", NULL);
    cr_assert_null(json_object_get(json_object_get(rw_data(r), "ping"), "delivered_at"));
    long long kept = json_integer_value(json_object_get(json_object_get(rw_data(r), "ping"), "id"));
    json_decref(r);
    free(rw_login(&bob, hd.port, "bob", PW));
    e = rw_event(&bob, "buddy.ping");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "ping"), "id")), kept);
    cr_assert_str_eq(rw_str(json_object_get(e, "ping"), "text"), "call me when you can, no rush");
    json_decref(e);
    e = rw_event(&ann, "buddy.ping_status");
    cr_assert_str_eq(rw_str(e, "state"), "delivered");
    json_decref(e);
    rw_close(&bob);
    free(rw_login(&bob, hd.port, "bob", PW));
    rw_no_event(&bob, "buddy.ping");   /* delivered once, not on every sign-in */

    r = rw_call(&bob, "buddy.pings", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "pings")), 2);
    json_decref(r);
    hd_advance(&hd, 8 * DAY_MS);
    r = rw_call(&bob, "buddy.pings", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "pings")), 0, "kept 7 days");
    json_decref(r);
    HD_FINISH(&hd, &ann, &bob, &cal);
}
