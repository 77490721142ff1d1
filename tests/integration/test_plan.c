/*
 * The crisis card and the trigger action plan through the real hearthd:
 * empty at first (the deployment's resources always there), written whole
 * and read back in order, replaced (and shrunk), limits refused without
 * touching what was stored, each member's their own, and kept across a
 * restart.
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

TestSuite(plan, .fini = stop_server, .timeout = 120);

/* The reply's "card" or "plan" object (borrowed from r). */
static json_t *part(json_t *r, const char *key)
{
    json_t *o = json_object_get(rw_data(r), key);
    cr_assert(json_is_object(o), "a result with %s", key);
    return o;
}

static json_t *contact(const char *name, const char *phone, const char *note)
{
    json_t *c = json_pack("{s:s, s:s}", "name", name, "phone", phone);
    if (note)
        json_object_set_new(c, "note", json_string(note));
    return c;
}

static json_t *line(const char *when, const char *then)
{
    return json_pack("{s:s, s:s}", "when", when, "then", then);
}

/* Asserts contact i of a card reads back as given (note NULL: absent). */
static void contact_is(json_t *card, size_t i, const char *name, const char *phone,
                       const char *note)
{
    json_t *c = json_array_get(json_object_get(card, "contacts"), i);
    cr_assert(c, "contact %zu", i);
    cr_assert_str_eq(rw_str(c, "name"), name);
    cr_assert_str_eq(rw_str(c, "phone"), phone);
    if (note)
        cr_assert_str_eq(rw_str(c, "note"), note);
    else
        cr_assert_null(json_object_get(c, "note"), "no note on contact %zu", i);
}

static void line_is(json_t *plan, size_t i, const char *when, const char *then)
{
    json_t *l = json_array_get(json_object_get(plan, "lines"), i);
    cr_assert(l, "line %zu", i);
    cr_assert_str_eq(rw_str(l, "when"), when);
    cr_assert_str_eq(rw_str(l, "then"), then);
}

static void reason_is(json_t *plan, size_t i, const char *text)
{
    const char *got = json_string_value(json_array_get(json_object_get(plan, "reasons"), i));
    cr_assert(got, "reason %zu", i);
    cr_assert_str_eq(got, text);
}

static size_t count(json_t *o, const char *key)
{
    json_t *a = json_object_get(o, key);
    cr_assert(json_is_array(a), "%s is an array", key);
    return json_array_size(a);
}

static json_t *plan_set(struct rawws *w, json_t *lines, json_t *reasons)
{
    return rw_call(w, "plan.set", json_pack("{s:o, s:o}", "lines", lines, "reasons", reasons));
}

/* Ann's card and plan as the tests leave them, checked. */
static void anns_card_is_the_short_one(json_t *card)
{
    cr_assert_eq(count(card, "contacts"), 1);
    contact_is(card, 0, "Sponsor Jo", "+44 7700 900123", NULL);
}

static void anns_plan_is_the_short_one(json_t *plan)
{
    cr_assert_eq(count(plan, "lines"), 1);
    line_is(plan, 0, "Payday", "Hand my card to my partner before I leave work");
    cr_assert_eq(count(plan, "reasons"), 1);
    reason_is(plan, 0, "Être là pour ma fille 👧");
}

/* Ann's short card and plan, written. */
static void write_anns_short_ones(struct rawws *w)
{
    rw_ok(rw_call(w, "card.set", json_pack("{s:[o]}", "contacts",
                                           contact("Sponsor Jo", "+44 7700 900123", NULL))));
    rw_ok(plan_set(w, json_pack("[o]", line("Payday",
                                            "Hand my card to my partner before I leave work")),
                   json_pack("[s]", "Être là pour ma fille 👧")));
}

Test(plan, empty_at_first_then_written_read_back_and_replaced)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws ann;
    rw_person(&ann, hd.port, "ann", PW);

    json_t *r = rw_call(&ann, "card.get", NULL);
    json_t *card = part(r, "card");
    cr_assert_eq(count(card, "contacts"), 0);
    cr_assert_eq(count(card, "resources"), 4, "the deployment's crisis resources");
    cr_assert(strstr(json_string_value(json_array_get(json_object_get(card, "resources"), 0)),
                     "988"));
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    json_t *plan = part(r, "plan");
    cr_assert_eq(count(plan, "lines"), 0);
    cr_assert_eq(count(plan, "reasons"), 0);
    json_decref(r);

    /* Written whole; the reply is the card as stored, in the order given. */
    r = rw_call(&ann, "card.set",
                json_pack("{s:[o, o, o]}", "contacts",
                          contact("Sponsor Jo", "+44 7700 900123", NULL),
                          contact("Zoë (sister)", "555-0100", "Any time, even 3 a.m. ☎"),
                          contact("小林さん", "03-1234-5678", "夜でも大丈夫")));
    card = part(r, "card");
    cr_assert_eq(count(card, "contacts"), 3);
    contact_is(card, 0, "Sponsor Jo", "+44 7700 900123", NULL);
    contact_is(card, 1, "Zoë (sister)", "555-0100", "Any time, even 3 a.m. ☎");
    cr_assert_eq(count(card, "resources"), 4, "the resources come with the card after a set too");
    json_decref(r);
    r = rw_call(&ann, "card.get", NULL);
    card = part(r, "card");
    cr_assert_eq(count(card, "contacts"), 3);
    contact_is(card, 0, "Sponsor Jo", "+44 7700 900123", NULL);
    contact_is(card, 1, "Zoë (sister)", "555-0100", "Any time, even 3 a.m. ☎");
    contact_is(card, 2, "小林さん", "03-1234-5678", "夜でも大丈夫");
    json_decref(r);

    r = plan_set(&ann,
                 json_pack("[o, o]", line("I pass the bar on Elm St", "Cross over and call Jo"),
                           line("Payday", "Hand my card to my partner before I leave work")),
                 json_pack("[s, s, s]", "Être là pour ma fille 👧", "Waking up clear",
                           "Two years of my life back"));
    plan = part(r, "plan");
    cr_assert_eq(count(plan, "lines"), 2);
    line_is(plan, 0, "I pass the bar on Elm St", "Cross over and call Jo");
    line_is(plan, 1, "Payday", "Hand my card to my partner before I leave work");
    cr_assert_eq(count(plan, "reasons"), 3);
    reason_is(plan, 0, "Être là pour ma fille 👧");
    reason_is(plan, 2, "Two years of my life back");
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    plan = part(r, "plan");
    cr_assert_eq(count(plan, "lines"), 2);
    line_is(plan, 1, "Payday", "Hand my card to my partner before I leave work");
    cr_assert_eq(count(plan, "reasons"), 3);
    reason_is(plan, 1, "Waking up clear");
    json_decref(r);

    /* A set replaces the whole thing: fewer rows leave nothing behind. */
    write_anns_short_ones(&ann);
    r = rw_call(&ann, "card.get", NULL);
    anns_card_is_the_short_one(part(r, "card"));
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    anns_plan_is_the_short_one(part(r, "plan"));
    json_decref(r);

    /* And to nothing at all. */
    r = rw_call(&ann, "card.set", json_pack("{s:[]}", "contacts"));
    card = part(r, "card");
    cr_assert_eq(count(card, "contacts"), 0);
    cr_assert_eq(count(card, "resources"), 4);
    json_decref(r);
    r = plan_set(&ann, json_array(), json_array());
    plan = part(r, "plan");
    cr_assert_eq(count(plan, "lines"), 0);
    cr_assert_eq(count(plan, "reasons"), 0);
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    cr_assert_eq(count(part(r, "plan"), "lines"), 0);
    json_decref(r);

    HD_FINISH(&hd, &ann);
}

Test(plan, limits_are_refused_and_leave_what_was_stored)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws ann;
    rw_person(&ann, hd.port, "ann", PW);

    /* At the limits: 20 contacts, 50 lines and reasons, 300 characters
     * (ASCII here: a whole plan of 2-byte characters would not fit in one
     * 64 KiB frame). */
    char text[301 * 2 + 1];
    memset(text, 'x', 300);
    text[300] = '\0';
    json_t *contacts = json_array(), *lines = json_array(), *reasons = json_array();
    for (int i = 0; i < 50; i++) {
        if (i < 20)
            json_array_append_new(contacts, contact(text, text, text));
        json_array_append_new(lines, line(text, text));
        json_array_append_new(reasons, json_string(text));
    }
    json_t *r = rw_call(&ann, "card.set", json_pack("{s:o}", "contacts", contacts));
    cr_assert_eq(count(part(r, "card"), "contacts"), 20);
    contact_is(part(r, "card"), 19, text, text, text);
    json_decref(r);
    r = plan_set(&ann, lines, reasons);
    cr_assert_eq(count(part(r, "plan"), "lines"), 50);
    cr_assert_eq(count(part(r, "plan"), "reasons"), 50);
    line_is(part(r, "plan"), 49, text, text);
    reason_is(part(r, "plan"), 49, text);
    json_decref(r);
    /* Characters are code points, not bytes. */
    text[0] = '\0';
    for (int i = 0; i < 300; i++)
        strcat(text, "é");
    r = plan_set(&ann, json_array(), json_pack("[s]", text));
    reason_is(part(r, "plan"), 0, text);
    json_decref(r);
    /* An empty note is no note. */
    r = rw_call(&ann, "card.set", json_pack("{s:[o]}", "contacts", contact("Jo", "1", "")));
    contact_is(part(r, "card"), 0, "Jo", "1", NULL);
    json_decref(r);

    write_anns_short_ones(&ann);

    /* Past them, or malformed: refused by the codec, nothing written. */
    contacts = json_array();
    lines = json_array();
    reasons = json_array();
    for (int i = 0; i < 51; i++) {
        if (i < 21)
            json_array_append_new(contacts, contact("friend", "555-0100", NULL));
        json_array_append_new(lines, line("when", "then"));
        json_array_append_new(reasons, json_string("a reason"));
    }
    rw_refused(rw_call(&ann, "card.set", json_pack("{s:o}", "contacts", contacts)),
               "invalid_field");
    rw_refused(plan_set(&ann, lines, json_array()), "invalid_field");
    rw_refused(plan_set(&ann, json_array(), reasons), "invalid_field");
    strcat(text, "é");   /* 301 */
    rw_refused(plan_set(&ann, json_array(), json_pack("[s]", text)), "invalid_field");
    rw_refused(plan_set(&ann, json_pack("[o]", line("when", text)), json_array()),
               "invalid_field");
    rw_refused(rw_call(&ann, "card.set",
                       json_pack("{s:[o]}", "contacts", contact("Jo", "1", text))),
               "invalid_field");
    rw_refused(rw_call(&ann, "card.set",
                       json_pack("{s:[{s:s}]}", "contacts", "name", "no phone")),
               "invalid_field");
    rw_refused(rw_call(&ann, "card.set", json_pack("{s:s}", "contacts", "Jo")), "invalid_field");
    rw_refused(rw_call(&ann, "card.set", NULL), "invalid_field");
    rw_refused(plan_set(&ann, json_pack("[o]", line("", "then")), json_array()), "invalid_field");
    rw_refused(plan_set(&ann, json_array(), json_pack("[s]", "")), "invalid_field");
    rw_refused(rw_call(&ann, "plan.set", json_pack("{s:[]}", "lines")), "invalid_field");

    r = rw_call(&ann, "card.get", NULL);
    anns_card_is_the_short_one(part(r, "card"));
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    anns_plan_is_the_short_one(part(r, "plan"));
    json_decref(r);

    HD_FINISH(&hd, &ann);
}

Test(plan, each_member_has_their_own_and_it_survives_a_restart)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws ann, bob;
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    write_anns_short_ones(&ann);

    /* Bob sees only his own: nothing yet, then what he writes. */
    json_t *r = rw_call(&bob, "card.get", NULL);
    cr_assert_eq(count(part(r, "card"), "contacts"), 0);
    cr_assert_eq(count(part(r, "card"), "resources"), 4);
    json_decref(r);
    r = rw_call(&bob, "plan.get", NULL);
    cr_assert_eq(count(part(r, "plan"), "lines"), 0);
    cr_assert_eq(count(part(r, "plan"), "reasons"), 0);
    json_decref(r);
    rw_ok(rw_call(&bob, "card.set",
                  json_pack("{s:[o, o]}", "contacts", contact("Mum", "555-0199", "Landline"),
                            contact("Dev", "555-0142", NULL))));
    rw_ok(plan_set(&bob, json_pack("[o]", line("Friday night", "Meeting at 7, then cinema")),
                   json_array()));

    /* Ann's are untouched by Bob's. */
    r = rw_call(&ann, "card.get", NULL);
    anns_card_is_the_short_one(part(r, "card"));
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    anns_plan_is_the_short_one(part(r, "plan"));
    json_decref(r);

    HD_FINISH(&hd, &ann, &bob);
    hd_restart(&hd);

    free(rw_login(&ann, hd.port, "ann", PW));
    free(rw_login(&bob, hd.port, "bob", PW));
    r = rw_call(&ann, "card.get", NULL);
    anns_card_is_the_short_one(part(r, "card"));
    json_decref(r);
    r = rw_call(&ann, "plan.get", NULL);
    anns_plan_is_the_short_one(part(r, "plan"));
    json_decref(r);
    r = rw_call(&bob, "card.get", NULL);
    json_t *card = part(r, "card");
    cr_assert_eq(count(card, "contacts"), 2);
    contact_is(card, 0, "Mum", "555-0199", "Landline");
    contact_is(card, 1, "Dev", "555-0142", NULL);
    json_decref(r);
    r = rw_call(&bob, "plan.get", NULL);
    json_t *plan = part(r, "plan");
    cr_assert_eq(count(plan, "lines"), 1);
    line_is(plan, 0, "Friday night", "Meeting at 7, then cinema");
    cr_assert_eq(count(plan, "reasons"), 0);
    json_decref(r);

    HD_FINISH(&hd, &ann, &bob);
}
