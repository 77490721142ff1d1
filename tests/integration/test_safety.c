/*
 * Blocks, reports and safety through the real hearthd.
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

TestSuite(safety, .fini = stop_server, .timeout = 120);

static json_t *req(struct rawws *w, const char *type, const char *room, json_t *fields)
{
    json_t *f = fields ? fields : json_object();
    if (room)
        json_object_set_new(f, "room", json_string(room));
    return rw_call(w, type, f);
}

static long long say(struct rawws *w, const char *text)
{
    static int n;
    char cid[16];
    snprintf(cid, sizeof cid, "s%d", ++n);
    json_t *r = req(w, "room.send", "porch", json_pack("{s:s, s:s}", "text", text, "cid", cid));
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    return seq;
}

/* The next room.message seen by w (skipping other events). */
static json_t *next_message(struct rawws *w)
{
    json_t *m = rw_next_type(w, "room.message", RW_TIMEOUT_MS);
    cr_assert(m, "no room.message");
    return m;
}

static void person(struct rawws *w, const char *handle)
{
    rw_open_ok(w, hd.port);
    rw_register(w, handle, PW);
    rw_ok(req(w, "room.join", "porch", NULL));
}

/* "hope" hosts #porch; "ann" and "troy" are members. */
static void setup(struct rawws *host, struct rawws *ann, struct rawws *troy, const char *const *args)
{
    hd_start(&hd, args ? args : hd_unlimited_rate);
    rw_open_ok(host, hd.port);
    rw_register(host, "hope", PW);
    rw_ok(rw_call(host, "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    person(ann, "ann");
    person(troy, "troy");
}

Test(safety, a_blocked_person_never_reaches_you_and_is_not_told)
{
    struct rawws host, ann, troy;
    setup(&host, &ann, &troy, NULL);
    say(&troy, "before the block");
    json_decref(next_message(&ann));
    json_decref(next_message(&host));

    rw_ok(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "troy")));
    rw_refused(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "ann")), "forbidden");
    rw_refused(rw_call(&ann, "block.add", json_pack("{s:s}", "handle", "nobody")), "user_not_found");
    json_t *r = rw_call(&ann, "block.list", NULL);
    json_t *handles = json_object_get(rw_data(r), "handles");
    cr_assert_eq(json_array_size(handles), 1);
    cr_assert_str_eq(json_string_value(json_array_get(handles, 0)), "troy");
    json_decref(r);

    long long seq = say(&troy, "you can't get away from me");
    json_t *m = next_message(&ann);
    cr_assert(json_is_true(json_object_get(m, "hidden")));
    cr_assert_eq(json_integer_value(json_object_get(m, "seq")), seq, "the seq stays whole");
    cr_assert_null(json_object_get(m, "text"));
    cr_assert_null(json_object_get(m, "handle"));
    json_decref(m);
    m = next_message(&host);
    cr_assert_str_eq(rw_str(m, "text"), "you can't get away from me", "others see it as usual");
    json_decref(m);

    /* History hides it from ann too, whether from memory or (after a
     * restart) from the disk; and the block itself survives the restart. */
    HD_FINISH(&hd, &ann, &host);
    hd_restart(&hd);
    free(rw_login(&ann, hd.port, "ann", PW));
    free(rw_login(&host, hd.port, "hope", PW));
    r = req(&ann, "room.history", "porch", NULL);
    json_t *e;
    size_t i;
    bool seen = false;
    json_array_foreach(json_object_get(rw_data(r), "events"), i, e) {
        if (json_integer_value(json_object_get(e, "seq")) == seq) {
            cr_assert(json_is_true(json_object_get(e, "hidden")));
            cr_assert_null(json_object_get(e, "text"));
            seen = true;
        }
    }
    cr_assert(seen);
    json_decref(r);

    /* troy was never told anything. */
    rw_close(&troy);
    free(rw_login(&troy, hd.port, "troy", PW));
    while ((e = rw_next(&troy, 200))) {
        cr_assert(strncmp(rw_str(e, "type"), "block", 5) != 0);
        json_decref(e);
    }
    rw_ok(rw_call(&ann, "block.remove", json_pack("{s:s}", "handle", "troy")));
    say(&troy, "after the unblock");
    m = next_message(&ann);
    cr_assert_str_eq(rw_str(m, "text"), "after the unblock");
    json_decref(m);
    HD_FINISH(&hd, &host, &ann, &troy);
}

Test(safety, reports_reach_the_moderators_and_the_reporter_hears_back)
{
    struct rawws host, ann, troy;
    setup(&host, &ann, &troy, NULL);
    long long seq = say(&troy, "hurtful words");
    json_t *r = req(&ann, "report.create", "porch", json_pack("{s:I, s:s}", "seq", (json_int_t)seq,
                                                              "reason", "this is harassment"));
    long long id = json_integer_value(json_object_get(rw_data(r), "id"));
    json_decref(r);
    json_t *ev = rw_next_type(&host, "report.new", RW_TIMEOUT_MS);
    cr_assert(ev, "the host (a moderator) is alerted");
    json_t *rep = json_object_get(ev, "report");
    cr_assert_str_eq(rw_str(rep, "excerpt"), "hurtful words");
    cr_assert_str_eq(rw_str(rep, "target"), "troy");
    cr_assert_str_eq(rw_str(rep, "reporter"), "ann");
    json_decref(ev);

    rw_refused(rw_call(&ann, "report.list", NULL), "forbidden");
    r = req(&host, "report.list", "porch", NULL);
    json_t *list = json_object_get(rw_data(r), "reports");
    cr_assert_eq(json_array_size(list), 1);
    cr_assert_str_eq(rw_str(json_array_get(list, 0), "status"), "open");
    json_decref(r);

    rw_ok(rw_call(&host, "report.resolve", json_pack("{s:I, s:s, s:s}", "report", (json_int_t)id,
                                                   "outcome", "actioned", "note", "muted for a day")));
    ev = rw_next_type(&ann, "report.handled", RW_TIMEOUT_MS);
    cr_assert(ev, "the reporter is told it was handled");
    cr_assert_str_eq(rw_str(ev, "outcome"), "actioned");
    cr_assert_null(json_object_get(ev, "note"), "but not the moderator's note");
    json_decref(ev);
    rw_refused(rw_call(&host, "report.resolve", json_pack("{s:I, s:s}", "report", (json_int_t)id,
                                                        "outcome", "dismissed")), "report_not_found");
    r = rw_call(&host, "report.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "reports")), 0, "the queue is empty");
    json_decref(r);

    /* A person can be reported too; the audit log records the handling. */
    r = rw_call(&ann, "report.create", json_pack("{s:s, s:s, s:s}", "handle", "troy", "room", "porch",
                                                 "reason", "keeps messaging me"));
    rw_data(r);
    json_decref(r);
    r = req(&host, "mod.log", "porch", NULL);
    json_t *newest = json_array_get(json_object_get(rw_data(r), "entries"), 0);
    cr_assert_str_eq(rw_str(newest, "action"), "report");
    cr_assert_str_eq(rw_str(newest, "target"), "troy");
    json_decref(r);
    HD_FINISH(&hd, &host, &ann, &troy);
}

Test(safety, resources_before_sign_in_and_the_notice_once)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    json_t *r = rw_call(&w, "safety.resources", NULL);
    json_t *res = json_object_get(rw_data(r), "resources");
    cr_assert_eq(json_array_size(res), 4);
    cr_assert(strstr(json_string_value(json_array_get(res, 0)), "988"));
    cr_assert(strstr(rw_str(rw_data(r), "notice"), "not a crisis service"));
    json_decref(r);

    rw_register(&w, "newcomer", PW);
    rw_ok(rw_call(&w, "room.create", json_pack("{s:s, s:s}", "room", "first", "title", "First")));
    json_t *ev = rw_next_type(&w, "safety.notice", RW_TIMEOUT_MS);
    cr_assert(ev, "told on the first room");
    cr_assert_eq(json_array_size(json_object_get(ev, "resources")), 4);
    json_decref(ev);
    rw_ok(rw_call(&w, "room.create", json_pack("{s:s, s:s}", "room", "second", "title", "Second")));
    cr_assert_null(rw_next_type(&w, "safety.notice", 300), "and only once");
    HD_FINISH(&hd, &w);
    hd_restart(&hd);
    free(rw_login(&w, hd.port, "newcomer", PW));
    rw_ok(rw_call(&w, "room.create", json_pack("{s:s, s:s}", "room", "third", "title", "Third")));
    cr_assert_null(rw_next_type(&w, "safety.notice", 300), "not even after a restart");
    HD_FINISH(&hd, &w);
}

Test(safety, crisis_words_are_delivered_and_met_with_care)
{
    const char *args[] = {"--rate", "10000", "--rate-burst", "10000", "--user-rate", "10000",
                          "--user-rate-burst", "10000", "--crisis-resource",
                          "Samaritans: call 116 123 (UK)", "--crisis-pattern", "Give Up", NULL};
    struct rawws host, ann, troy;
    setup(&host, &ann, &troy, args);
    say(&ann, "just an ordinary day");
    cr_assert_null(rw_next_type(&ann, "safety.check_in", 300), "ordinary words: nothing");
    json_decref(next_message(&troy));

    long long seq = say(&ann, "honestly I want to GIVE UP tonight");
    json_t *m = next_message(&troy);
    cr_assert_str_eq(rw_str(m, "text"), "honestly I want to GIVE UP tonight", "still delivered");
    json_decref(m);
    json_t *ev = rw_next_type(&ann, "safety.check_in", RW_TIMEOUT_MS);
    cr_assert(ev, "the sender is met with care");
    cr_assert_eq(json_integer_value(json_object_get(ev, "seq")), seq);
    json_t *res = json_object_get(ev, "resources");
    cr_assert_eq(json_array_size(res), 1, "the operator's own resources");
    cr_assert_str_eq(json_string_value(json_array_get(res, 0)), "Samaritans: call 116 123 (UK)");
    json_decref(ev);
    ev = rw_next_type(&host, "safety.alert", RW_TIMEOUT_MS);
    cr_assert(ev, "the room's moderator is alerted");
    cr_assert_str_eq(rw_str(ev, "handle"), "ann");
    json_decref(ev);
    cr_assert_null(rw_next_type(&troy, "safety.alert", 300), "members are not");
    HD_FINISH(&hd, &host, &ann, &troy);
}
