/*
 * Support requests through the real hearthd, with the clock driven by the
 * test: the whole routing chain (a buddy answers; no buddy, so a supporter
 * answers; nobody, so the person is told and shown the resources), a
 * crisis, withdrawing, handing back, a helper who drops out, blocks, the
 * queue, the figures, and a support conversation only the two can read.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define SECOND_MS 1000LL

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(support, .fini = stop_server, .timeout = 120);

static void on_duty(struct rawws *w)
{
    json_t *r = rw_call(w, "support.available", json_pack("{s:b}", "on", 1));
    cr_assert(json_is_true(json_object_get(rw_data(r), "on")));
    json_decref(r);
}

static const char *state_of(json_t *holder)
{
    return rw_str(json_object_get(holder, "request"), "state");
}

/* support.ask; returns the request id. */
static long long ask(struct rawws *w, const char *urgency, const char *note, const char *want)
{
    json_t *f = json_pack("{s:s}", "urgency", urgency);
    if (note)
        json_object_set_new(f, "note", json_string(note));
    json_t *r = rw_call(w, "support.ask", f);
    json_t *d = rw_data(r);
    cr_assert_str_eq(state_of(d), want);
    long long id = json_integer_value(json_object_get(json_object_get(d, "request"), "id"));
    json_decref(r);
    if (!strcmp(want, "asking_supporters")) {   /* no buddy online: moved on at once */
        json_t *e = rw_event(w, "support.update");
        cr_assert_str_eq(state_of(e), "asking_supporters");
        json_decref(e);
    }
    return id;
}

static json_t *on_request(struct rawws *w, const char *type, long long id)
{
    return rw_call(w, type, json_pack("{s:I}", "request", id));
}

/* The next support.offer, checked: which request, and why. */
static void offered(struct rawws *w, long long id, const char *as)
{
    json_t *e = rw_event(w, "support.offer");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "request"), "id")), id);
    cr_assert_str_eq(rw_str(e, "as"), as);
    json_decref(e);
}

/* The next support.update of the requester or helper: its state. */
static void updated(struct rawws *w, const char *state)
{
    json_t *e = rw_event(w, "support.update");
    cr_assert_str_eq(state_of(e), state);
    json_decref(e);
}

static void pair(struct rawws *a, const char *ah, struct rawws *b, const char *bh)
{
    rw_ok(rw_call(a, "buddy.request", json_pack("{s:s}", "handle", bh)));
    rw_ok(rw_call(b, "buddy.accept", json_pack("{s:s}", "handle", ah)));
}

static char *accept(struct rawws *w, long long id)
{
    json_t *r = on_request(w, "support.accept", id);
    json_t *req = json_object_get(rw_data(r), "request");
    cr_assert_str_eq(rw_str(req, "state"), "accepted");
    char *conv = strdup(rw_str(req, "conversation"));
    json_decref(r);
    return conv;
}

static json_t *say(struct rawws *w, const char *room, const char *text)
{
    static int n;
    char cid[16];
    snprintf(cid, sizeof cid, "s%d", ++n);
    return rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text,
                                             "cid", cid));
}

Test(support, a_buddy_answers_first)
{
    struct rawws ann, bob, sue;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&sue, hd.port, "sue", PW);
    pair(&ann, "ann", &bob, "bob");
    on_duty(&sue);

    long long id = ask(&ann, "craving", "it's bad tonight", "asking_buddies");
    json_t *e = rw_event(&bob, "support.offer");
    cr_assert_str_eq(rw_str(e, "as"), "buddy");
    cr_assert_str_eq(rw_str(json_object_get(e, "request"), "note"), "it's bad tonight");
    cr_assert_str_eq(rw_str(json_object_get(e, "request"), "urgency"), "craving");
    json_decref(e);
    rw_no_event(&sue, "support.offer");   /* supporters come after the buddy window */

    char *conv = accept(&bob, id);
    json_decref(rw_event(&bob, "support.update"));   /* the helper hears every change too */
    e = rw_event(&ann, "support.update");
    cr_assert_str_eq(state_of(e), "accepted");
    cr_assert_str_eq(rw_str(json_object_get(e, "request"), "helper"), "bob");
    cr_assert_str_eq(rw_str(json_object_get(e, "request"), "conversation"), conv);
    json_decref(e);
    rw_ok(say(&ann, conv, "thank you for picking up"));
    json_t *m = rw_event(&bob, "room.message");
    cr_assert_str_eq(rw_str(m, "text"), "thank you for picking up");
    json_decref(m);
    rw_refused(rw_call(&sue, "room.history", json_pack("{s:s}", "room", conv)), "room_not_found");

    hd_advance(&hd, 400 * SECOND_MS);
    rw_no_event(&ann, "support.update");   /* answered: no more stages */
    rw_ok(rw_call(&ann, "support.close", json_pack("{s:I, s:s}", "request", id, "thanks",
                                                   "you got me through it")));
    e = rw_event(&bob, "support.update");
    cr_assert_str_eq(state_of(e), "closed");
    cr_assert_str_eq(rw_str(e, "thanks"), "you got me through it");
    cr_assert_str_eq(rw_str(e, "by"), "requester");
    json_decref(e);
    rw_refused(say(&bob, conv, "are you ok?"), "support_closed");
    json_t *r = rw_call(&ann, "room.history", json_pack("{s:s}", "room", conv));
    cr_assert_gt(json_array_size(json_object_get(rw_data(r), "events")), 0, "still readable");
    json_decref(r);
    free(conv);
    HD_FINISH(&hd, &ann, &bob, &sue);
}

Test(support, no_buddy_so_supporters_and_the_first_answer_wins)
{
    struct rawws ann, sue, sam, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&sue, hd.port, "sue", PW);
    rw_person(&sam, hd.port, "sam", PW);
    rw_person(&bob, hd.port, "bob", PW);
    on_duty(&sue);
    on_duty(&sam);
    pair(&ann, "ann", &bob, "bob");
    rw_close(&bob);   /* ann's only buddy is offline: straight to supporters */
    rw_seen_offline(&ann, "bob");

    long long id = ask(&ann, "talk", NULL, "asking_supporters");
    offered(&sue, id, "supporter");
    offered(&sam, id, "supporter");
    json_t *r = rw_call(&sue, "support.queue", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "requests")), 1);
    json_decref(r);
    free(accept(&sue, id));
    json_t *e = rw_event(&sam, "support.gone");
    cr_assert_str_eq(rw_str(e, "reason"), "taken");
    json_decref(e);
    rw_refused(on_request(&sam, "support.accept", id), "support_taken");
    rw_refused(on_request(&ann, "support.accept", id), "request_not_found");

    /* Asking again while one is open answers the open one. */
    r = rw_call(&ann, "support.ask", json_pack("{s:s}", "urgency", "talk"));
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(rw_data(r), "request"), "id")),
                 id);
    json_decref(r);
    HD_FINISH(&hd, &ann, &sue, &sam);
}

Test(support, after_the_buddy_window_supporters_then_nobody_yet)
{
    struct rawws ann, bob, sue, late;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&sue, hd.port, "sue", PW);
    rw_person(&late, hd.port, "lou", PW);
    pair(&ann, "ann", &bob, "bob");
    on_duty(&sue);

    long long id = ask(&ann, "craving", NULL, "asking_buddies");
    offered(&bob, id, "buddy");
    hd_advance(&hd, 59 * SECOND_MS);
    rw_no_event(&sue, "support.offer");
    hd_advance(&hd, 2 * SECOND_MS);
    offered(&sue, id, "supporter");
    updated(&ann, "asking_supporters");

    hd_advance(&hd, 240 * SECOND_MS);   /* 301 s after asking */
    json_t *e = rw_event(&ann, "support.update");
    cr_assert_str_eq(state_of(e), "nobody_yet", "told honestly");
    cr_assert_gt(json_array_size(json_object_get(e, "resources")), 0, "with the resources");
    json_decref(e);

    /* Still open: someone who comes on duty now is offered it and answers. */
    on_duty(&late);
    offered(&late, id, "supporter");
    free(accept(&late, id));
    updated(&ann, "accepted");
    json_t *g = rw_event(&bob, "support.gone");
    cr_assert_str_eq(rw_str(g, "reason"), "taken");
    json_decref(g);
    HD_FINISH(&hd, &ann, &bob, &sue, &late);
}

Test(support, a_crisis_shows_the_resources_and_alerts_moderators_at_once)
{
    struct rawws ann, mod, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&mod, hd.port, "mia", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_promote(&mod, &hd, "mia", "moderator", PW);
    on_duty(&mod);
    pair(&ann, "ann", &bob, "bob");

    json_t *r = rw_call(&ann, "support.ask", json_pack("{s:s}", "urgency", "crisis"));
    cr_assert_gt(json_array_size(json_object_get(rw_data(r), "resources")), 0);
    long long id = json_integer_value(json_object_get(json_object_get(rw_data(r), "request"), "id"));
    json_decref(r);
    offered(&mod, id, "moderator");
    offered(&bob, id, "buddy");

    /* Withdrawing tells everyone it was offered to. */
    rw_ok(on_request(&ann, "support.cancel", id));
    json_t *e = rw_event(&mod, "support.gone");
    cr_assert_str_eq(rw_str(e, "reason"), "withdrawn");
    json_decref(e);
    e = rw_event(&bob, "support.gone");
    cr_assert_str_eq(rw_str(e, "reason"), "withdrawn");
    json_decref(e);
    rw_refused(on_request(&bob, "support.accept", id), "request_not_found");
    r = rw_call(&ann, "support.status", NULL);
    cr_assert_null(json_object_get(rw_data(r), "mine"));
    json_decref(r);
    HD_FINISH(&hd, &ann, &mod, &bob);
}

Test(support, handed_back_or_helper_lost_goes_back_to_the_queue)
{
    struct rawws ann, sue, sam;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&sue, hd.port, "sue", PW);
    rw_person(&sam, hd.port, "sam", PW);
    on_duty(&sue);
    on_duty(&sam);

    long long id = ask(&ann, "talk", NULL, "asking_supporters");
    offered(&sue, id, "supporter");
    offered(&sam, id, "supporter");
    free(accept(&sue, id));
    updated(&ann, "accepted");
    json_decref(rw_event(&sam, "support.gone"));
    rw_refused(on_request(&sam, "support.handback", id), "request_not_found");
    rw_ok(on_request(&sue, "support.handback", id));
    json_t *e = rw_event(&ann, "support.update");
    cr_assert_str_eq(state_of(e), "asking_supporters");
    cr_assert_str_eq(rw_str(e, "by"), "handed_back");
    json_decref(e);
    offered(&sam, id, "supporter");
    rw_no_event(&sue, "support.offer");   /* not offered again to the one who gave it back */

    free(accept(&sam, id));
    updated(&ann, "accepted");
    /* The helper drops out. sue shares a room with sam, so her seeing sam
     * go offline says the server noticed before the clock moves. */
    rw_ok(rw_call(&sue, "room.create", json_pack("{s:s, s:s}", "room", "duty", "title", "Duty")));
    rw_ok(rw_call(&sam, "room.join", json_pack("{s:s}", "room", "duty")));
    rw_close(&sam);
    rw_seen_offline(&sue, "sam");
    hd_advance(&hd, 119 * SECOND_MS);
    rw_no_event(&ann, "support.update");
    hd_advance(&hd, 2 * SECOND_MS);
    e = rw_event(&ann, "support.update");
    cr_assert_str_eq(rw_str(e, "by"), "helper_lost");
    cr_assert_str_eq(state_of(e), "asking_supporters");
    json_decref(e);
    offered(&sue, id, "supporter");
    HD_FINISH(&hd, &ann, &sue);
}

Test(support, blocks_queue_figures_and_a_restart)
{
    struct rawws ann, sue, sam, ada;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&sue, hd.port, "sue", PW);
    rw_person(&sam, hd.port, "sam", PW);
    rw_person(&ada, hd.port, "ada", PW);
    rw_promote(&ada, &hd, "ada", "admin", PW);
    on_duty(&sue);
    on_duty(&sam);
    rw_ok(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "sam")));

    rw_refused(rw_call(&ann, "support.queue", NULL), "not_on_duty");
    long long id = ask(&ann, "talk", "private words", "asking_supporters");
    offered(&sue, id, "supporter");
    rw_no_event(&sam, "support.offer");   /* a block stands between them */

    json_t *r = rw_call(&ada, "support.queue", NULL);
    json_t *q = json_array_get(json_object_get(rw_data(r), "requests"), 0);
    cr_assert_str_eq(rw_str(q, "requester"), "ann", "moderators see who waits");
    cr_assert_null(json_object_get(q, "note"), "but not the words, unless offered them");
    cr_assert_geq(json_integer_value(json_object_get(q, "waited_ms")), 0);
    json_decref(r);

    hd_advance(&hd, 30 * SECOND_MS);
    free(accept(&sue, id));
    r = rw_call(&ada, "support.stats", NULL);
    json_t *day = json_array_get(json_object_get(rw_data(r), "days"), 0);
    cr_assert_eq(json_integer_value(json_object_get(day, "requests")), 1);
    cr_assert_eq(json_integer_value(json_object_get(day, "answered")), 1);
    cr_assert_eq(json_integer_value(json_object_get(day, "median_wait_ms")), 30 * SECOND_MS);
    json_decref(r);
    rw_refused(rw_call(&sue, "support.stats", NULL), "forbidden");
    const char *cli[] = {"support-stats", NULL};
    char table[512];
    cr_assert_eq(hd_admin(&hd, cli, table, sizeof table), 0);
    cr_assert(strstr(table, "median wait") && strstr(table, "30 s"),
              "the operator's table: %s", table);

    /* The answered request survives a restart. */
    HD_FINISH(&hd, &ann, &sue, &sam, &ada);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    r = rw_call(&ann, "support.status", NULL);
    json_t *mine = json_object_get(rw_data(r), "mine");
    cr_assert_eq(json_integer_value(json_object_get(mine, "id")), id);
    cr_assert_str_eq(rw_str(mine, "state"), "accepted");
    cr_assert_str_eq(rw_str(mine, "helper"), "sue");
    json_decref(r);
    HD_FINISH(&hd, &ann);
}

/* support.status's offers (index i) and duty, checked. */
static void status_shows(struct rawws *w, bool available, long long offer_id, const char *as)
{
    json_t *r = rw_call(w, "support.status", NULL);
    json_t *d = rw_data(r), *offers = json_object_get(d, "offers");
    cr_assert(json_is_boolean(json_object_get(d, "available")));
    cr_assert_eq(json_is_true(json_object_get(d, "available")), available);
    cr_assert(json_is_array(offers));
    if (!offer_id) {
        cr_assert_eq(json_array_size(offers), 0, "nothing stands offered");
    } else {
        cr_assert_eq(json_array_size(offers), 1);
        json_t *o = json_array_get(offers, 0);
        cr_assert_eq(json_integer_value(json_object_get(json_object_get(o, "request"), "id")),
                     offer_id);
        cr_assert_str_eq(rw_str(o, "as"), as);
    }
    json_decref(r);
}

Test(support, status_after_a_reconnect_shows_duty_and_standing_offers)
{
    struct rawws ann, bob, sue;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&sue, hd.port, "sue", PW);
    pair(&ann, "ann", &bob, "bob");
    status_shows(&sue, false, 0, NULL);
    on_duty(&sue);
    status_shows(&sue, true, 0, NULL);

    long long id = ask(&ann, "craving", "payday", "asking_buddies");
    offered(&bob, id, "buddy");
    status_shows(&ann, false, 0, NULL);   /* one's own request is "mine", never an offer */
    status_shows(&sue, true, 0, NULL);    /* still the buddies' turn */

    /* bob reloads: the offer is not sent again, but support.status has it, note and all. */
    rw_close(&bob);
    free(rw_login(&bob, hd.port, "bob", PW));
    rw_no_event(&bob, "support.offer");
    json_t *r = rw_call(&bob, "support.status", NULL);
    json_t *o = json_array_get(json_object_get(rw_data(r), "offers"), 0);
    cr_assert_str_eq(rw_str(json_object_get(o, "request"), "note"), "payday");
    cr_assert_str_eq(rw_str(json_object_get(o, "request"), "state"), "asking_buddies");
    cr_assert_str_eq(rw_str(o, "as"), "buddy");
    json_decref(r);

    /* Past the buddy window sue is offered it too; her duty survives a reconnect. */
    hd_advance(&hd, 61 * SECOND_MS);
    offered(&sue, id, "supporter");
    rw_close(&sue);
    free(rw_login(&sue, hd.port, "sue", PW));
    status_shows(&sue, true, id, "supporter");
    status_shows(&bob, false, id, "buddy");

    /* bob answers it: it stands offered to nobody any more. */
    free(accept(&bob, id));
    status_shows(&sue, true, 0, NULL);
    status_shows(&bob, false, 0, NULL);
    rw_ok(rw_call(&sue, "support.available", json_pack("{s:b}", "on", 0)));
    status_shows(&sue, false, 0, NULL);
    HD_FINISH(&hd, &ann, &bob, &sue);
}
