/*
 * The matching pool ("find me a buddy") through the real hearthd: who is
 * proposed to whom (and who never is), accepting, declining, lapsing on the
 * driven clock, leaving, the buddy limit, and a restart in the middle.
 *
 * "Nobody was proposed" is checked without waiting: settle() re-joins a
 * member, and that reply is sent only after every write queued before it
 * (a proposal included) has committed and its events have gone out.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define MINUTE_MS 60000LL
#define HOUR_MS (60 * MINUTE_MS)
#define NO_DAYS -1

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(match, .fini = stop_server, .timeout = 120);

struct prefs {
    int offset;
    const char *language, *approach;
    int clean_days;               /* NO_DAYS: not said */
    bool want_more;
};

static const struct prefs EN_ANY = {0, "en", "any", NO_DAYS, false};

static json_t *prefs_json(const struct prefs *p)
{
    json_t *o = json_pack("{s:i, s:s, s:s, s:b}", "utc_offset_minutes", p->offset, "language",
                          p->language, "approach", p->approach, "want_more_clean_time",
                          p->want_more);
    if (p->clean_days != NO_DAYS)
        json_object_set_new(o, "clean_days", json_integer(p->clean_days));
    return o;
}

static void join(struct rawws *w, const struct prefs *p)
{
    rw_ok(rw_call(w, "match.join", prefs_json(p)));
}

/* match.accept or match.decline of a proposal. */
static json_t *answer(struct rawws *w, const char *type, long long id)
{
    return rw_call(w, type, json_pack("{s:I}", "proposal", (json_int_t)id));
}

static long long int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* The match.proposal that reached w (asserted to be about `handle`). */
static json_t *proposal_event(struct rawws *w, const char *handle)
{
    json_t *e = rw_event(w, "match.proposal");
    cr_assert_str_eq(rw_str(e, "handle"), handle, "proposed %s instead of %s",
                     rw_str(e, "handle"), handle);
    return e;
}

/* a and b were proposed to each other; returns the proposal's id. */
static long long proposed(struct rawws *a, const char *a_handle, struct rawws *b,
                          const char *b_handle)
{
    json_t *ea = proposal_event(a, b_handle), *eb = proposal_event(b, a_handle);
    long long id = int_of(ea, "id");
    cr_assert_gt(id, 0);
    cr_assert_eq(int_of(eb, "id"), id, "both see the same proposal");
    json_decref(ea);
    json_decref(eb);
    return id;
}

static void updated(struct rawws *w, long long id, const char *state)
{
    json_t *e = rw_event(w, "match.update");
    cr_assert_eq(int_of(e, "id"), id);
    cr_assert_str_eq(rw_str(e, "state"), state);
    json_decref(e);
}

/* match.status's data (a new reference). */
static json_t *status(struct rawws *w)
{
    json_t *r = rw_call(w, "match.status", NULL);
    json_t *d = json_incref(rw_data(r));
    json_decref(r);
    return d;
}

static void expect_status(struct rawws *w, bool in_pool, long long proposal_id)
{
    json_t *d = status(w);
    cr_assert_eq(json_is_true(json_object_get(d, "in_pool")), in_pool, "in_pool should be %d",
                 in_pool);
    cr_assert_eq(json_object_get(d, "prefs") != NULL, in_pool, "prefs only in the pool");
    json_t *p = json_object_get(d, "proposal");
    if (proposal_id)
        cr_assert(p && int_of(p, "id") == proposal_id, "proposal %lld should be open",
                  proposal_id);
    else
        cr_assert_null(p, "no proposal should be open");
    json_decref(d);
}

/* Everything queued before it has committed and been told (see the top). */
static void settle(struct rawws *w, const struct prefs *p) { join(w, p); }

/* None of n members has been proposed anyone. Call after settle(). */
static void no_proposal(struct rawws **ws, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        expect_status(ws[i], true, 0);   /* a round trip: earlier events are queued by now */
        json_t *e = rw_next_type(ws[i], "match.proposal", 0);
        cr_assert_null(e, "member %zu was proposed %s", i, e ? rw_str(e, "handle") : "");
    }
}

/* A fresh server with ann, bob and cal signed in. */
static void three_people(struct rawws *ann, struct rawws *bob, struct rawws *cal)
{
    hd_start(&hd, hd_unlimited_rate);
    rw_person(ann, hd.port, "ann", PW);
    rw_person(bob, hd.port, "bob", PW);
    rw_person(cal, hd.port, "cal", PW);
}

static void buddy_up(struct rawws *a, const char *a_handle, struct rawws *b,
                     const char *b_handle)
{
    rw_ok(rw_call(a, "buddy.request", json_pack("{s:s}", "handle", b_handle)));
    json_decref(rw_event(b, "buddy.request"));
    rw_ok(rw_call(b, "buddy.accept", json_pack("{s:s}", "handle", a_handle)));
    json_decref(rw_event(a, "buddy.update"));
    json_decref(rw_event(b, "buddy.update"));
}

Test(match, compatible_members_are_proposed_to_each_other)
{
    struct rawws ann, bob, cal, dee;
    three_people(&ann, &bob, &cal);
    rw_person(&dee, hd.port, "dee", PW);
    json_t *r = rw_call(&ann, "ping", NULL);
    long long now = int_of(rw_data(r), "ts");   /* the test clock stands still */
    json_decref(r);

    join(&ann, &(struct prefs){60, "en", "12_step", 100, false});
    expect_status(&ann, true, 0);
    join(&bob, &(struct prefs){240, "en", "any", NO_DAYS, false});   /* 3 h apart: still close */
    json_t *ea = proposal_event(&ann, "bob"), *eb = proposal_event(&bob, "ann");
    long long id = int_of(ea, "id");
    cr_assert_eq(int_of(eb, "id"), id);
    cr_assert_eq(int_of(ea, "utc_offset_minutes"), 240);
    cr_assert_str_eq(rw_str(ea, "language"), "en");
    cr_assert_str_eq(rw_str(ea, "approach"), "any");
    cr_assert(json_is_false(json_object_get(ea, "more_clean_time")));
    cr_assert_eq(int_of(ea, "expires_at"), now + 24 * HOUR_MS, "lapses after 24 hours");
    cr_assert_eq(int_of(eb, "utc_offset_minutes"), 60);
    cr_assert_str_eq(rw_str(eb, "approach"), "12_step");
    cr_assert(json_is_false(json_object_get(eb, "more_clean_time")),
              "bob gave no clean days: nothing to compare");
    cr_assert_null(json_object_get(eb, "clean_days"), "the other's clean days are never shown");
    json_decref(ea);
    json_decref(eb);

    json_t *d = status(&ann);
    json_t *prefs = json_object_get(d, "prefs");
    cr_assert_eq(int_of(prefs, "clean_days"), 100);
    cr_assert_str_eq(rw_str(prefs, "approach"), "12_step");
    cr_assert_str_eq(rw_str(json_object_get(d, "proposal"), "handle"), "bob");
    json_decref(d);
    expect_status(&bob, true, id);

    /* cal suits both, but each has a proposal open already. */
    const struct prefs cal_p = {120, "en", "any", NO_DAYS, false};
    join(&cal, &cal_p);
    settle(&cal, &cal_p);
    no_proposal((struct rawws *[]){&cal}, 1);
    join(&dee, &(struct prefs){120, "en", "smart", 3, true});   /* wants more, cal said none */
    settle(&cal, &cal_p);
    no_proposal((struct rawws *[]){&cal, &dee}, 2);
    join(&dee, &(struct prefs){120, "en", "smart", NO_DAYS, false});   /* replaces the wish */
    proposed(&cal, "cal", &dee, "dee");
    HD_FINISH(&hd, &ann, &bob, &cal, &dee);
}

Test(match, unsuited_members_wait_until_someone_suits)
{
    struct rawws ann, es, far, step;
    const struct prefs step_p = {0, "en", "12_step", NO_DAYS, false};
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&es, hd.port, "esme", PW);
    rw_person(&far, hd.port, "far", PW);
    rw_person(&step, hd.port, "step", PW);

    /* No two of these suit each other: language, a 4-hour gap, approach. */
    join(&ann, &(struct prefs){0, "en", "smart", NO_DAYS, false});
    join(&es, &(struct prefs){0, "es", "smart", NO_DAYS, false});
    join(&far, &(struct prefs){240, "en", "smart", NO_DAYS, false});
    join(&step, &step_p);
    settle(&step, &step_p);
    no_proposal((struct rawws *[]){&ann, &es, &far, &step}, 4);

    /* Any approach will do for step now: ann suits (far is still too far). */
    join(&step, &(struct prefs){0, "en", "any", NO_DAYS, false});
    proposed(&ann, "ann", &step, "step");
    HD_FINISH(&hd, &ann, &es, &far, &step);
}

Test(match, a_wish_for_more_clean_time_is_checked_both_ways)
{
    struct rawws wish, cand;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&wish, hd.port, "wish", PW);
    rw_person(&cand, hd.port, "cand", PW);
    join(&wish, &(struct prefs){0, "en", "any", 10, true});

    /* Unmet: cand said nothing, has fewer or as many days, has none of
     * their own to compare, or wants more than wish has. */
    const struct prefs unmet[] = {
        {0, "en", "any", NO_DAYS, false}, {0, "en", "any", 5, false},
        {0, "en", "any", 10, false},      {0, "en", "any", NO_DAYS, true},
        {0, "en", "any", 20, true},
    };
    for (size_t i = 0; i < sizeof unmet / sizeof unmet[0]; i++) {
        join(&cand, &unmet[i]);
        settle(&cand, &unmet[i]);
        no_proposal((struct rawws *[]){&wish, &cand}, 2);
    }
    /* Nor when wish wants more without saying their own. */
    const struct prefs more = {0, "en", "any", 20, false};
    join(&wish, &(struct prefs){0, "en", "any", NO_DAYS, true});
    join(&cand, &more);
    settle(&cand, &more);
    no_proposal((struct rawws *[]){&wish, &cand}, 2);
    join(&wish, &(struct prefs){0, "en", "any", 10, true});
    json_t *ew = proposal_event(&wish, "cand"), *ec = proposal_event(&cand, "wish");
    cr_assert(json_is_true(json_object_get(ew, "more_clean_time")), "cand has more than wish");
    cr_assert(json_is_false(json_object_get(ec, "more_clean_time")), "wish has fewer than cand");
    json_decref(ew);
    json_decref(ec);
    HD_FINISH(&hd, &wish, &cand);
}

Test(match, the_oldest_waiting_get_the_oldest_suitable_partner)
{
    struct rawws ann, xav, pia, quin;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&xav, hd.port, "xav", PW);
    rw_person(&pia, hd.port, "pia", PW);
    rw_person(&quin, hd.port, "quin", PW);
    join(&ann, &EN_ANY);
    join(&xav, &EN_ANY);
    long long id = proposed(&ann, "ann", &xav, "xav");
    /* pia and quin suit ann and xav but not each other: they wait. */
    join(&pia, &(struct prefs){0, "en", "smart", NO_DAYS, false});
    join(&quin, &(struct prefs){0, "en", "12_step", NO_DAYS, false});
    rw_ok(answer(&xav, "match.decline", id));
    proposed(&ann, "ann", &pia, "pia");
    proposed(&xav, "xav", &quin, "quin");
    HD_FINISH(&hd, &ann, &xav, &pia, &quin);
}

Test(match, accepting_by_both_makes_them_buddies)
{
    struct rawws ann, bob, cal;
    three_people(&ann, &bob, &cal);
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    long long id = proposed(&ann, "ann", &bob, "bob");

    rw_refused(answer(&cal, "match.accept", id), "request_not_found");   /* not cal's */
    rw_refused(answer(&ann, "match.accept", id + 1000), "request_not_found");
    rw_ok(answer(&ann, "match.accept", id));
    updated(&ann, id, "waiting");
    rw_no_event(&bob, "match.update");
    expect_status(&ann, true, id);

    rw_ok(answer(&bob, "match.accept", id));
    updated(&ann, id, "paired");
    updated(&bob, id, "paired");
    json_t *e = rw_event(&ann, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "paired");
    cr_assert_str_eq(rw_str(e, "handle"), "bob");
    json_decref(e);
    json_decref(rw_event(&bob, "buddy.update"));
    json_t *r = rw_call(&bob, "buddy.list", NULL);
    json_t *buddies = json_object_get(rw_data(r), "buddies");
    cr_assert_eq(json_array_size(buddies), 1);
    cr_assert_str_eq(rw_str(json_array_get(buddies, 0), "handle"), "ann");
    json_decref(r);
    expect_status(&ann, false, 0);
    expect_status(&bob, false, 0);
    rw_refused(answer(&bob, "match.accept", id), "request_not_found");

    /* Buddies already: never proposed to each other again. */
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    settle(&bob, &EN_ANY);
    no_proposal((struct rawws *[]){&ann, &bob}, 2);
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(match, a_declined_pair_is_never_proposed_again)
{
    struct rawws ann, bob, cal;
    three_people(&ann, &bob, &cal);
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    long long id = proposed(&ann, "ann", &bob, "bob");
    rw_ok(answer(&bob, "match.decline", id));
    updated(&ann, id, "declined");
    updated(&bob, id, "declined");
    expect_status(&ann, true, 0);
    expect_status(&bob, true, 0);
    rw_refused(answer(&ann, "match.accept", id), "request_not_found");

    rw_ok(rw_call(&ann, "match.leave", NULL));
    join(&ann, &EN_ANY);
    rw_ok(rw_call(&bob, "match.leave", NULL));
    join(&bob, &EN_ANY);
    settle(&bob, &EN_ANY);
    no_proposal((struct rawws *[]){&ann, &bob}, 2);

    HD_FINISH(&hd, &ann, &bob, &cal);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    free(rw_login(&bob, hd.port, "bob", PW));
    free(rw_login(&cal, hd.port, "cal", PW));
    settle(&bob, &EN_ANY);
    no_proposal((struct rawws *[]){&ann, &bob}, 2);
    join(&cal, &EN_ANY);
    proposed(&ann, "ann", &cal, "cal");   /* ann has waited longest */
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(match, a_block_either_way_keeps_two_apart)
{
    struct rawws ann, bob, cal;
    three_people(&ann, &bob, &cal);
    rw_ok(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "bob")));
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    settle(&bob, &EN_ANY);
    no_proposal((struct rawws *[]){&ann, &bob}, 2);

    rw_ok(rw_call(&cal, "block.add", json_pack("{s:s}", "handle", "ann")));
    join(&cal, &EN_ANY);
    long long id = proposed(&bob, "bob", &cal, "cal");
    settle(&cal, &EN_ANY);
    no_proposal((struct rawws *[]){&ann}, 1);

    /* A block while a proposal is open ends it like a decline. */
    rw_ok(rw_call(&bob, "block.add", json_pack("{s:s}", "handle", "cal")));
    updated(&bob, id, "declined");
    updated(&cal, id, "declined");
    expect_status(&cal, true, 0);
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(match, an_unanswered_proposal_lapses)
{
    struct rawws ann, bob, cal;
    three_people(&ann, &bob, &cal);
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    long long id = proposed(&ann, "ann", &bob, "bob");
    rw_ok(answer(&ann, "match.accept", id));
    updated(&ann, id, "waiting");

    hd_advance(&hd, 24 * HOUR_MS - MINUTE_MS);
    expect_status(&bob, true, id);
    hd_advance(&hd, 2 * MINUTE_MS);
    updated(&ann, id, "lapsed");
    updated(&bob, id, "lapsed");
    expect_status(&ann, true, 0);    /* she accepted: she stays */
    expect_status(&bob, false, 0);   /* he never answered: he is out */

    join(&cal, &EN_ANY);
    proposed(&ann, "ann", &cal, "cal");
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(match, the_pool_and_open_proposals_survive_a_restart)
{
    struct rawws ann, bob, cal, dee;
    const struct prefs es = {-300, "es", "smart", 30, false};
    three_people(&ann, &bob, &cal);
    rw_person(&dee, hd.port, "dee", PW);
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    long long ab = proposed(&ann, "ann", &bob, "bob");
    rw_ok(answer(&ann, "match.accept", ab));
    updated(&ann, ab, "waiting");
    join(&cal, &es);
    join(&dee, &es);
    long long cd = proposed(&cal, "cal", &dee, "dee");
    json_t *before = status(&cal);

    HD_FINISH(&hd, &ann, &bob, &cal, &dee);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    free(rw_login(&bob, hd.port, "bob", PW));
    free(rw_login(&cal, hd.port, "cal", PW));
    free(rw_login(&dee, hd.port, "dee", PW));

    json_t *after = status(&cal);
    cr_assert(json_equal(before, after), "cal's pool entry and proposal are as they were");
    json_decref(before);
    json_decref(after);
    expect_status(&ann, true, ab);
    rw_ok(answer(&bob, "match.accept", ab));   /* ann's accept was kept */
    updated(&ann, ab, "paired");
    updated(&bob, ab, "paired");

    hd_advance(&hd, 24 * HOUR_MS + MINUTE_MS);   /* its timer was set again */
    updated(&cal, cd, "lapsed");
    updated(&dee, cd, "lapsed");
    expect_status(&cal, false, 0);
    expect_status(&dee, false, 0);
    HD_FINISH(&hd, &ann, &bob, &cal, &dee);
}

Test(match, leaving_the_pool)
{
    struct rawws ann, bob, cal;
    three_people(&ann, &bob, &cal);
    rw_refused(rw_call(&ann, "match.leave", NULL), "not_in_pool");
    join(&ann, &EN_ANY);
    rw_ok(rw_call(&ann, "match.leave", NULL));
    expect_status(&ann, false, 0);
    rw_refused(rw_call(&ann, "match.leave", NULL), "not_in_pool");

    /* Leaving with a proposal open declines it; the other stays. */
    join(&ann, &EN_ANY);
    join(&bob, &EN_ANY);
    long long id = proposed(&ann, "ann", &bob, "bob");
    rw_ok(rw_call(&ann, "match.leave", NULL));
    updated(&ann, id, "declined");
    updated(&bob, id, "declined");
    expect_status(&bob, true, 0);
    join(&ann, &EN_ANY);
    settle(&ann, &EN_ANY);
    no_proposal((struct rawws *[]){&ann, &bob}, 2);

    /* Joining again replaces the wishes. */
    const struct prefs fr = {0, "fr", "any", NO_DAYS, false};
    join(&bob, &fr);
    json_t *d = status(&bob);
    cr_assert_str_eq(rw_str(json_object_get(d, "prefs"), "language"), "fr");
    json_decref(d);
    join(&cal, &fr);
    proposed(&bob, "bob", &cal, "cal");
    HD_FINISH(&hd, &ann, &bob, &cal);
}

Test(match, nobody_past_the_buddy_limit)
{
    struct rawws ann, bob, cal, dee, eve, fay;
    const char *args[] = {"--rate", "100000", "--rate-burst", "100000", "--user-rate", "100000",
                          "--user-rate-burst", "100000", "--max-buddies", "1", NULL};
    hd_start(&hd, args);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    rw_person(&cal, hd.port, "cal", PW);
    rw_person(&dee, hd.port, "dee", PW);
    rw_person(&eve, hd.port, "eve", PW);
    rw_person(&fay, hd.port, "fay", PW);
    buddy_up(&ann, "ann", &bob, "bob");
    rw_refused(rw_call(&ann, "match.join", prefs_json(&EN_ANY)), "buddy_limit");
    expect_status(&ann, false, 0);

    /* cal fills up while a proposal is open: the second accept fails. */
    join(&cal, &EN_ANY);
    join(&dee, &EN_ANY);
    long long id = proposed(&cal, "cal", &dee, "dee");
    buddy_up(&cal, "cal", &eve, "eve");
    rw_ok(answer(&cal, "match.accept", id));
    updated(&cal, id, "waiting");
    rw_refused(answer(&dee, "match.accept", id), "buddy_limit");
    updated(&cal, id, "declined");
    updated(&dee, id, "declined");

    /* cal waited longest but is full: fay is proposed to dee. */
    join(&fay, &EN_ANY);
    proposed(&dee, "dee", &fay, "fay");
    settle(&fay, &EN_ANY);
    no_proposal((struct rawws *[]){&cal}, 1);
    HD_FINISH(&hd, &ann, &bob, &cal, &dee, &eve, &fay);
}

Test(match, a_pairing_that_ends_lets_matching_run_again)
{
    struct rawws cal, eve, gus;
    const char *args[] = {"--max-buddies", "1", NULL};
    hd_start(&hd, args);
    rw_person(&cal, hd.port, "cal", PW);
    rw_person(&eve, hd.port, "eve", PW);
    rw_person(&gus, hd.port, "gus", PW);

    /* cal waits in the pool and fills up meanwhile: gus is not proposed to her. */
    join(&cal, &EN_ANY);
    buddy_up(&cal, "cal", &eve, "eve");
    settle(&gus, &EN_ANY);
    no_proposal((struct rawws *[]){&cal, &gus}, 2);

    /* Her pairing ends: she is under the limit again, and matching runs at once. */
    rw_ok(rw_call(&cal, "buddy.end", json_pack("{s:s}", "handle", "eve")));
    proposed(&cal, "cal", &gus, "gus");
    HD_FINISH(&hd, &cal, &eve, &gus);
}
