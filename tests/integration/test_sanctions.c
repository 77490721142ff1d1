/*
 * mod.sanctions through the real hearthd: who may ask, what is listed (and
 * in which order), timed sanctions ending on the test clock, unmute and
 * unban taking entries away, replaced sanctions, the list after a restart
 * (who set each one and why come back from the audit log), and a private
 * conversation refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define MIN_MS 60000LL

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(sanctions, .fini = stop_server, .timeout = 120);

static json_t *req(struct rawws *w, const char *type, json_t *fields)
{
    json_t *f = fields ? fields : json_object();
    json_object_set_new(f, "room", json_string("porch"));
    return rw_call(w, type, f);
}

static json_t *act(struct rawws *w, const char *type, const char *handle, json_t *extra)
{
    json_t *f = extra ? extra : json_object();
    json_object_set_new(f, "handle", json_string(handle));
    return req(w, type, f);
}

/* The sanctions list as `w` gets it (the reply is kept in *reply: the
 * caller json_decref()s it). */
static json_t *listed(struct rawws *w, json_t **reply)
{
    *reply = req(w, "mod.sanctions", NULL);
    json_t *v = json_object_get(rw_data(*reply), "sanctions");
    cr_assert(json_is_array(v), "a sanctions array");
    return v;
}

/* Entry i is `handle`'s `kind`. */
static json_t *entry(json_t *list, size_t i, const char *handle, const char *kind)
{
    json_t *e = json_array_get(list, i);
    cr_assert(e, "entry %zu exists", i);
    cr_assert_str_eq(rw_str(e, "handle"), handle, "entry %zu", i);
    cr_assert_str_eq(rw_str(e, "kind"), kind, "entry %zu", i);
    return e;
}

static long long num(json_t *e, const char *key)
{
    return json_integer_value(json_object_get(e, key));
}

enum who { HOST, MOD, STAFF, TROY, TIM, MIM, GHOST, OUTSIDER, N_WHO };
static const char *const names[N_WHO] = {"hana", "moe", "sam", "troy", "tim", "mim", "ghost",
                                         "ozzy"};

static void setup(struct rawws *w)
{
    hd_start(&hd, hd_unlimited_rate);
    for (int i = 0; i < N_WHO; i++)
        rw_person(&w[i], hd.port, names[i], PW);
    rw_promote(&w[STAFF], &hd, "sam", "moderator", PW);
    rw_ok(rw_call(&w[HOST], "room.create",
                  json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    for (int i = MOD; i <= MIM; i++)
        rw_ok(req(&w[i], "room.join", NULL));
    rw_ok(act(&w[HOST], "room.role", "moe", json_pack("{s:s}", "role", "moderator")));
}

Test(sanctions, who_may_ask_what_is_listed_expiry_and_lifting)
{
    struct rawws w[N_WHO];
    json_t *r, *list, *e;
    setup(w);

    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 0, "nobody is muted or banned yet");
    json_decref(r);

    /* Who may ask: the room's moderators (room moderator, host, server staff). */
    rw_refused(req(&w[MIM], "mod.sanctions", NULL), "forbidden");
    rw_refused(req(&w[OUTSIDER], "mod.sanctions", NULL), "not_member");
    rw_refused(rw_call(&w[MOD], "mod.sanctions", json_pack("{s:s}", "room", "nowhere")),
               "room_not_found");
    listed(&w[STAFF], &r);
    json_decref(r);
    listed(&w[HOST], &r);
    json_decref(r);

    rw_ok(act(&w[MOD], "mod.mute", "troy", json_pack("{s:i, s:s}", "minutes", 10, "reason",
                                                     "cool off")));
    rw_ok(act(&w[HOST], "mod.mute", "tim", NULL));
    rw_ok(act(&w[HOST], "mod.ban", "tim", json_pack("{s:s}", "reason", "abuse")));
    rw_ok(act(&w[STAFF], "mod.ban", "ghost", json_pack("{s:i}", "minutes", 60)));

    /* By handle; a ban before a mute of the same person. ghost never joined. */
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 4, "%s", json_dumps(list, 0));
    e = entry(list, 0, "ghost", "ban");
    cr_assert_str_eq(rw_str(e, "actor"), "sam");
    cr_assert_str_eq(rw_str(e, "reason"), "");
    cr_assert_eq(num(e, "until") - num(e, "ts"), 60 * MIN_MS, "until: when it was set + 60 min");
    e = entry(list, 1, "tim", "ban");
    cr_assert_str_eq(rw_str(e, "actor"), "hana");
    cr_assert_str_eq(rw_str(e, "reason"), "abuse");
    cr_assert(json_is_null(json_object_get(e, "until")), "no end: null");
    cr_assert(num(e, "ts") > 0);
    e = entry(list, 2, "tim", "mute");
    cr_assert(json_is_null(json_object_get(e, "until")));
    e = entry(list, 3, "troy", "mute");
    cr_assert_str_eq(rw_str(e, "actor"), "moe");
    cr_assert_str_eq(rw_str(e, "reason"), "cool off");
    long long troy_until = num(e, "until");
    cr_assert_eq(troy_until - num(e, "ts"), 10 * MIN_MS);
    json_decref(r);

    /* The server's clock ends a timed one: listed up to its end, not at it. */
    hd_advance(&hd, 10 * MIN_MS - 1000);
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 4, "troy's mute has a second left");
    json_decref(r);
    hd_advance(&hd, 1000);
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 3, "troy's mute ended: %s", json_dumps(list, 0));
    entry(list, 2, "tim", "mute");
    json_decref(r);
    rw_ok(req(&w[TROY], "room.send", json_pack("{s:s, s:s}", "text", "back", "cid", "t1")));

    /* Replacing a mute replaces its entry: one per person and kind. */
    rw_ok(act(&w[MOD], "mod.mute", "troy", json_pack("{s:i}", "minutes", 5)));
    rw_ok(act(&w[HOST], "mod.mute", "troy", json_pack("{s:s}", "reason", "again")));
    list = listed(&w[HOST], &r);
    cr_assert_eq(json_array_size(list), 4);
    e = entry(list, 3, "troy", "mute");
    cr_assert(json_is_null(json_object_get(e, "until")), "the new mute has no end");
    cr_assert_str_eq(rw_str(e, "actor"), "hana");
    cr_assert_str_eq(rw_str(e, "reason"), "again");
    json_decref(r);

    /* Lifting takes an entry away. */
    rw_ok(act(&w[MOD], "mod.unmute", "troy", NULL));
    rw_ok(act(&w[HOST], "mod.unmute", "tim", NULL));
    rw_ok(act(&w[STAFF], "mod.unban", "ghost", NULL));
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 1, "%s", json_dumps(list, 0));
    entry(list, 0, "tim", "ban");
    json_decref(r);

    /* A ban that ended by the clock is not listed either. */
    rw_ok(act(&w[MOD], "mod.ban", "ghost", json_pack("{s:i}", "minutes", 1)));
    hd_advance(&hd, MIN_MS);
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 1);
    entry(list, 0, "tim", "ban");
    json_decref(r);

    /* After a restart: the same list, with who set each one and why. */
    rw_ok(act(&w[MOD], "mod.mute", "troy", json_pack("{s:s}", "reason", "still at it")));
    for (int i = 0; i < N_WHO; i++)
        rw_close(&w[i]);
    cr_assert_eq(hd_stop(&hd), 0);
    hd_restart(&hd);
    free(rw_login(&w[MOD], hd.port, "moe", PW));
    /* The test clock starts again where it first started: ghost's ended ban
     * (still on record) is live again until the clock passes its end. */
    list = listed(&w[MOD], &r);
    entry(list, 0, "ghost", "ban");
    json_decref(r);
    hd_advance(&hd, 12 * MIN_MS);
    list = listed(&w[MOD], &r);
    cr_assert_eq(json_array_size(list), 2, "%s", json_dumps(list, 0));
    e = entry(list, 0, "tim", "ban");
    cr_assert_str_eq(rw_str(e, "actor"), "hana");
    cr_assert_str_eq(rw_str(e, "reason"), "abuse");
    e = entry(list, 1, "troy", "mute");
    cr_assert_str_eq(rw_str(e, "actor"), "moe");
    cr_assert_str_eq(rw_str(e, "reason"), "still at it");
    cr_assert(json_is_null(json_object_get(e, "until")));
    json_decref(r);
    rw_close(&w[MOD]);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(sanctions, a_conversation_has_none)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_ok(rw_call(&ann, "buddy.request", json_pack("{s:s}", "handle", "bob")));
    json_decref(rw_event(&bob, "buddy.request"));
    json_t *r = rw_call(&bob, "buddy.accept", json_pack("{s:s}", "handle", "ann"));
    char *conv = strdup(rw_str(json_object_get(rw_data(r), "buddy"), "conversation"));
    json_decref(r);
    rw_refused(rw_call(&ann, "mod.sanctions", json_pack("{s:s}", "room", conv)), "conversation");
    free(conv);
    HD_FINISH(&hd, &ann, &bob);
}
