/*
 * Delivered and seen in private conversations through the real hearthd:
 * a message is delivered when it reaches the peer live or when they fetch
 * it later, seen after room.read; room.receipt reaches the other member
 * only (never a third person, never a moderator); the room object carries
 * the peer's marks after a reconnect and a restart; the read_receipts
 * setting; and a deleted account's marks are gone.
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

TestSuite(receipts, .fini = stop_server, .timeout = 120);

/* ann asks bob and bob accepts; returns their conversation's name. */
static char *pair(struct rawws *ann, const char *ann_handle, struct rawws *bob,
                  const char *bob_handle)
{
    rw_ok(rw_call(ann, "buddy.request", json_pack("{s:s}", "handle", bob_handle)));
    json_decref(rw_event(bob, "buddy.request"));
    json_t *r = rw_call(bob, "buddy.accept", json_pack("{s:s}", "handle", ann_handle));
    char *conv = strdup(rw_str(json_object_get(rw_data(r), "buddy"), "conversation"));
    json_decref(r);
    json_decref(rw_event(ann, "buddy.update"));
    json_decref(rw_event(bob, "buddy.update"));
    return conv;
}

/* Sends text in room; returns its seq. */
static long long say(struct rawws *w, const char *room, const char *text, const char *cid)
{
    json_t *r = rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text,
                                                  "cid", cid));
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    cr_assert_gt(seq, 0);
    return seq;
}

/* room.read; returns the seen mark the result says. */
static long long read_to(struct rawws *w, const char *room, long long seq)
{
    json_t *r = rw_call(w, "room.read", json_pack("{s:s, s:I}", "room", room, "seq", seq));
    long long seen = json_integer_value(json_object_get(rw_data(r), "seen"));
    json_decref(r);
    return seen;
}

static json_t *read_call(struct rawws *w, const char *room, long long seq)
{
    return rw_call(w, "room.read", json_pack("{s:s, s:I}", "room", room, "seq", seq));
}

/* The next room.receipt reaching w, checked: about `handle` in room. */
static void expect_receipt(struct rawws *w, const char *room, const char *handle,
                           long long delivered, long long seen)
{
    json_t *e = rw_event(w, "room.receipt");
    cr_assert_str_eq(rw_str(e, "room"), room);
    cr_assert_str_eq(rw_str(e, "handle"), handle);
    cr_assert_eq(json_integer_value(json_object_get(e, "delivered")), delivered,
                 "delivered %lld, want %lld", json_integer_value(json_object_get(e, "delivered")),
                 delivered);
    cr_assert_eq(json_integer_value(json_object_get(e, "seen")), seen, "seen %lld, want %lld",
                 json_integer_value(json_object_get(e, "seen")), seen);
    json_decref(e);
}

/* No room.receipt reached w, even one caused by a write still under way:
 * a request that goes through the writer comes back after every earlier
 * write's COMMIT, and what those caused is queued before its reply. */
static void no_receipt(struct rawws *w)
{
    rw_ok(rw_call(w, "checkin.list", NULL));
    rw_no_event(w, "room.receipt");
}

/* The conversation's object in w's room.list (a new reference; asserted). */
static json_t *listed(struct rawws *w, const char *room)
{
    json_t *r = rw_call(w, "room.list", NULL);
    json_t *rooms = json_object_get(rw_data(r), "rooms"), *o, *found = NULL;
    size_t i;
    json_array_foreach(rooms, i, o) if (!strcmp(rw_str(o, "room"), room)) found = json_incref(o);
    json_decref(r);
    cr_assert_not_null(found, "%s is not in the room list", room);
    return found;
}

static void expect_peer_marks(struct rawws *w, const char *room, long long delivered,
                              long long seen)
{
    json_t *o = listed(w, room);
    cr_assert_eq(json_integer_value(json_object_get(o, "peer_delivered")), delivered,
                 "peer_delivered %lld, want %lld",
                 json_integer_value(json_object_get(o, "peer_delivered")), delivered);
    cr_assert_eq(json_integer_value(json_object_get(o, "peer_seen")), seen,
                 "peer_seen %lld, want %lld", json_integer_value(json_object_get(o, "peer_seen")),
                 seen);
    json_decref(o);
}

static void set_read_receipts(struct rawws *w, bool on)
{
    json_t *r = rw_call(w, "settings.set", json_pack("{s:b}", "read_receipts", on));
    cr_assert_eq(json_is_true(json_object_get(json_object_get(rw_data(r), "settings"),
                                              "read_receipts")), on);
    json_decref(r);
}

Test(receipts, delivered_live_seen_after_reading_and_nobody_else_hears)
{
    struct rawws ann, bob, cat, mona;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cat, hd.port, "cat", PW);
    rw_person(&mona, hd.port, "mona", PW);
    rw_promote(&mona, &hd, "mona", "moderator", PW);
    /* cat and mona share a room with both of them, and so hear of them. */
    rw_ok(rw_call(&ann, "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    rw_ok(rw_call(&bob, "room.join", json_pack("{s:s}", "room", "porch")));
    rw_ok(rw_call(&cat, "room.join", json_pack("{s:s}", "room", "porch")));
    rw_ok(rw_call(&mona, "room.join", json_pack("{s:s}", "room", "porch")));
    char *conv = pair(&ann, "ann", &bob, "bob");
    expect_peer_marks(&ann, conv, 0, 0);

    long long s1 = say(&ann, conv, "hi bob", "a1");
    expect_receipt(&ann, conv, "bob", s1, 0);   /* it reached bob's connection */
    no_receipt(&bob);   /* ann's own message reaching ann is no news to bob */

    /* A burst is told in a receipt or a few, never one per message more than
     * needed, and the last one says everything. */
    long long last = 0;
    for (int i = 0; i < 5; i++) {
        char cid[8];
        snprintf(cid, sizeof cid, "b%d", i);
        last = say(&ann, conv, "and another thing", cid);
    }
    int receipts = 0;
    for (long long got = 0; got < last; receipts++) {
        json_t *e = rw_event(&ann, "room.receipt");
        got = json_integer_value(json_object_get(e, "delivered"));
        cr_assert_eq(json_integer_value(json_object_get(e, "seen")), 0);
        json_decref(e);
    }
    cr_assert_leq(receipts, 5, "%d receipts for 5 messages", receipts);
    no_receipt(&ann);

    /* bob reads: ann sees it. */
    cr_assert_eq(read_to(&bob, conv, s1), s1);
    expect_receipt(&ann, conv, "bob", last, s1);
    cr_assert_eq(read_to(&bob, conv, last), last);
    expect_receipt(&ann, conv, "bob", last, last);
    /* Idempotent: reading again changes nothing and tells nobody. */
    cr_assert_eq(read_to(&bob, conv, last), last);
    cr_assert_eq(read_to(&bob, conv, s1), last, "marks only grow");
    no_receipt(&ann);
    /* Past the newest seq counts as the newest. */
    cr_assert_eq(read_to(&bob, conv, last + 1000), last);
    no_receipt(&ann);
    rw_refused(read_call(&bob, conv, 0), "invalid_field");

    /* After a reconnect, the room object says where bob got to; bob sees ann's. */
    expect_peer_marks(&ann, conv, last, last);
    expect_peer_marks(&bob, conv, last, 0);

    /* bob's export holds his own marks. */
    json_t *r = rw_call(&bob, "account.export", NULL);
    cr_assert_eq(json_integer_value(json_object_get(rw_data(r), "parts")), 1);
    json_t *doc = json_loads(rw_str(rw_data(r), "data"), 0, NULL);
    json_decref(r);
    cr_assert_not_null(doc);
    json_t *mine = json_array_get(json_object_get(doc, "conversations"), 0);
    cr_assert_eq(json_array_size(json_object_get(doc, "conversations")), 1);
    cr_assert_str_eq(rw_str(mine, "room"), conv);
    cr_assert_str_eq(rw_str(mine, "kind"), "buddy");
    cr_assert_eq(json_integer_value(json_object_get(mine, "delivered")), last);
    cr_assert_eq(json_integer_value(json_object_get(mine, "seen")), last);
    json_decref(doc);

    /* Nobody else hears of it, nor may say they read it. */
    no_receipt(&cat);
    no_receipt(&mona);
    rw_refused(read_call(&cat, conv, 1), "room_not_found");
    rw_refused(read_call(&mona, conv, 1), "room_not_found");
    rw_refused(read_call(&ann, "porch", 1), "not_a_conversation");
    rw_refused(read_call(&cat, "porch", 1), "not_a_conversation");
    rw_refused(read_call(&ann, "nowhere", 1), "room_not_found");
    json_t *o = listed(&ann, "porch");
    cr_assert_null(json_object_get(o, "peer_delivered"), "a room has no marks");
    json_decref(o);

    free(conv);
    HD_FINISH(&hd, &ann, &bob, &cat, &mona);
}

Test(receipts, delivered_when_the_peer_comes_back_and_kept_across_a_restart)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    char *conv = pair(&ann, "ann", &bob, "bob");
    rw_close(&bob);
    rw_seen_offline(&ann, "bob");

    say(&ann, conv, "are you around?", "a1");
    long long s2 = say(&ann, conv, "no rush", "a2");
    no_receipt(&ann);   /* it reached none of bob's connections */
    expect_peer_marks(&ann, conv, 0, 0);

    /* bob comes back and catches up: delivered. */
    free(rw_login(&bob, hd.port, "bob", PW));
    json_t *r = rw_call(&bob, "room.history", json_pack("{s:s, s:i}", "room", conv, "after", 0));
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "events")), 2);
    json_decref(r);
    expect_receipt(&ann, conv, "bob", s2, 0);
    cr_assert_eq(read_to(&bob, conv, s2), s2);
    expect_receipt(&ann, conv, "bob", s2, s2);

    /* The marks outlive a restart. */
    HD_FINISH(&hd, &ann, &bob);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    free(rw_login(&bob, hd.port, "bob", PW));
    expect_peer_marks(&ann, conv, s2, s2);
    expect_peer_marks(&bob, conv, s2, 0);
    cr_assert_eq(read_to(&bob, conv, s2), s2, "already stored: nothing to write");
    no_receipt(&ann);
    /* and carry on from there */
    long long s3 = say(&ann, conv, "welcome back", "a3");
    expect_receipt(&ann, conv, "bob", s3, s2);
    cr_assert_eq(read_to(&bob, conv, s3), s3);
    expect_receipt(&ann, conv, "bob", s3, s3);

    free(conv);
    HD_FINISH(&hd, &ann, &bob);
}

Test(receipts, read_receipts_off_tells_no_seen_either_way)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    char *conv = pair(&ann, "ann", &bob, "bob");
    json_t *r = rw_call(&bob, "settings.get", NULL);
    cr_assert(json_is_true(json_object_get(json_object_get(rw_data(r), "settings"),
                                           "read_receipts")), "on by default");
    json_decref(r);

    long long s1 = say(&ann, conv, "hi", "a1");
    expect_receipt(&ann, conv, "bob", s1, 0);
    set_read_receipts(&bob, false);
    no_receipt(&ann);   /* nothing was seen yet: nothing to take back */

    /* bob reads: ann is not told, not even that something happened. */
    cr_assert_eq(read_to(&bob, conv, s1), s1);
    no_receipt(&ann);
    expect_peer_marks(&ann, conv, s1, 0);
    /* Delivered still works. */
    long long s2 = say(&ann, conv, "still there?", "a2");
    expect_receipt(&ann, conv, "bob", s2, 0);
    cr_assert_eq(read_to(&bob, conv, s2), s2);
    no_receipt(&ann);

    /* Reciprocal: bob does not see what ann read either. */
    long long b1 = say(&bob, conv, "yes, sorry", "b1");
    expect_receipt(&bob, conv, "ann", b1, 0);   /* delivered to ann */
    cr_assert_eq(read_to(&ann, conv, b1), b1);
    no_receipt(&bob);
    expect_peer_marks(&bob, conv, b1, 0);

    /* bob turns them back on: both hear what the other has seen. */
    set_read_receipts(&bob, true);
    expect_receipt(&ann, conv, "bob", b1, s2);
    expect_receipt(&bob, conv, "ann", b1, b1);
    expect_peer_marks(&ann, conv, b1, s2);
    expect_peer_marks(&bob, conv, b1, b1);
    /* ann turns hers off: the seen marks are taken back both ways. */
    set_read_receipts(&ann, false);
    expect_receipt(&bob, conv, "ann", b1, 0);
    expect_receipt(&ann, conv, "bob", b1, 0);
    expect_peer_marks(&ann, conv, b1, 0);

    /* The setting outlives a restart. */
    HD_FINISH(&hd, &ann, &bob);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    r = rw_call(&ann, "settings.get", NULL);
    cr_assert(json_is_false(json_object_get(json_object_get(rw_data(r), "settings"),
                                            "read_receipts")));
    json_decref(r);
    expect_peer_marks(&ann, conv, b1, 0);

    free(conv);
    HD_FINISH(&hd, &ann);
}

Test(receipts, a_deleted_accounts_marks_are_gone)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);   /* the newest account: a new one gets its id */
    char *conv = pair(&ann, "ann", &bob, "bob");
    long long s1 = say(&ann, conv, "hi", "a1");
    expect_receipt(&ann, conv, "bob", s1, 0);
    cr_assert_eq(read_to(&bob, conv, s1), s1);
    expect_receipt(&ann, conv, "bob", s1, s1);

    rw_ok(rw_call(&bob, "account.delete", json_pack("{s:s, s:s}", "password", PW, "confirm",
                                                    "delete my account")));
    rw_close(&bob);
    json_decref(rw_event(&ann, "buddy.update"));
    no_receipt(&ann);
    expect_peer_marks(&ann, conv, 0, 0);
    json_t *o = listed(&ann, conv);
    cr_assert_str_eq(rw_str(o, "peer"), "~former", "the conversation stays, its peer nobody");
    json_decref(o);

    /* Someone new takes the handle (and the id): they inherit no marks. */
    rw_person(&bob, hd.port, "bob", PW);
    char *conv2 = pair(&ann, "ann", &bob, "bob");
    cr_assert_str_neq(conv2, conv, "a new conversation");
    expect_peer_marks(&ann, conv2, 0, 0);
    expect_peer_marks(&bob, conv2, 0, 0);
    json_t *r = rw_call(&bob, "room.list", NULL);
    char *dump = json_dumps(rw_data(r), 0);
    cr_assert_null(strstr(dump, conv), "the old conversation is not theirs");
    free(dump);
    json_decref(r);
    rw_refused(read_call(&bob, conv, s1), "room_not_found");

    /* Nor on disk. */
    HD_FINISH(&hd, &ann, &bob);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    expect_peer_marks(&ann, conv, 0, 0);
    expect_peer_marks(&ann, conv2, 0, 0);

    free(conv);
    free(conv2);
    HD_FINISH(&hd, &ann);
}

Test(receipts, an_invisible_member_is_not_given_away)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    char *conv = pair(&ann, "ann", &bob, "bob");
    long long s1 = say(&ann, conv, "hi", "a1");
    expect_receipt(&ann, conv, "bob", s1, 0);

    /* Invisible, bob looks offline: nothing that reaches him, nor his reading, says otherwise. */
    rw_ok(rw_call(&bob, "presence.set", json_pack("{s:s}", "status", "invisible")));
    long long s2 = say(&ann, conv, "are you there?", "a2");
    cr_assert_eq(read_to(&bob, conv, s2), s2);
    no_receipt(&ann);
    expect_peer_marks(&ann, conv, s1, 0);

    /* Seen again: ann hears what happened meanwhile. */
    rw_ok(rw_call(&bob, "presence.set", json_pack("{s:s}", "status", "available")));
    expect_receipt(&ann, conv, "bob", s2, s2);
    expect_peer_marks(&ann, conv, s2, s2);

    free(conv);
    HD_FINISH(&hd, &ann, &bob);
}
