/*
 * Deleting an account through the real hearthd: only with the password and
 * the exact words; afterwards nothing of the person reaches anyone, nobody
 * can sign in as them, the handle is free for someone new who inherits
 * nothing, and a canary written into every kind of private text is
 * nowhere in the database file or its WAL. The operator may keep room
 * messages, anonymised.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define CANARY "CANARY-c41e-what-ann-said-and-wrote"

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(account, .fini = stop_server, .timeout = 120);

/* How often the canary occurs in a file of the data directory. */
static int on_disk(const char *file)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", hd.data_dir, file);
    FILE *f = fopen(p, "rb");
    if (!f)
        return 0;
    size_t n = strlen(CANARY), len = 0, cap = 1 << 20, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += got) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    int count = 0;
    for (size_t i = 0; i + n <= len; i++)
        count += memcmp(buf + i, CANARY, n) == 0;
    free(buf);
    return count;
}

static int canaries(void) { return on_disk("hearth.db") + on_disk("hearth.db-wal"); }

static json_t *say(struct rawws *w, const char *room, const char *text, const char *cid)
{
    return rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text,
                                             "cid", cid));
}

/* ann's life on Hearth, the canary in every private word; returns the
 * buddy conversation's name. */
static char *live(struct rawws *ann, struct rawws *bob)
{
    rw_ok(rw_call(bob, "room.create", json_pack("{s:s, s:s}", "room", "lobby", "title", "Lobby")));
    rw_ok(rw_call(ann, "room.join", json_pack("{s:s}", "room", "lobby")));
    rw_ok(say(ann, "lobby", CANARY " in the lobby", "a1"));
    rw_ok(rw_call(ann, "buddy.request", json_pack("{s:s}", "handle", "bob")));
    json_t *r = rw_call(bob, "buddy.accept", json_pack("{s:s}", "handle", "ann"));
    char *conv = strdup(rw_str(json_object_get(rw_data(r), "buddy"), "conversation"));
    json_decref(r);
    json_decref(rw_event(ann, "buddy.update"));   /* both hear of the pairing */
    json_decref(rw_event(bob, "buddy.update"));
    rw_ok(say(ann, conv, CANARY " just for bob", "a2"));
    rw_ok(say(bob, conv, "bob's own words stay his", "b1"));
    rw_ok(rw_call(ann, "checkin.submit", json_pack("{s:i, s:s, s:s}", "mood", 2, "note",
                                                   CANARY " in a note", "grateful",
                                                   CANARY " in the journal")));
    rw_ok(rw_call(ann, "card.set", json_pack("{s:[{s:s, s:s, s:s}]}", "contacts", "name", "Sam",
                                             "phone", "555", "note", CANARY " on the card")));
    rw_ok(rw_call(ann, "plan.set", json_pack("{s:[{s:s, s:s}], s:[s]}", "lines", "when", "I pass",
                                             "then", CANARY " in the plan", "reasons",
                                             CANARY " my reason")));
    rw_ok(rw_call(ann, "buddy.ping", json_pack("{s:s, s:s, s:s}", "handle", "bob", "kind", "text",
                                               "text", CANARY " in a ping")));
    rw_ok(rw_call(ann, "support.ask", json_pack("{s:s, s:s}", "urgency", "talk", "note",
                                                CANARY " asking")));
    rw_ok(rw_call(ann, "sobriety.set", json_pack("{s:s}", "date", "2026-01-01")));
    return conv;
}

static json_t *delete_account(struct rawws *w, const char *password, const char *confirm)
{
    return rw_call(w, "account.delete", json_pack("{s:s, s:s}", "password", password, "confirm",
                                                  confirm));
}

Test(account, deleted_means_gone_from_everyone_and_from_the_disk)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    char *conv = live(&ann, &bob);
    cr_assert_gt(canaries(), 0, "the canary was written");

    rw_refused(delete_account(&ann, "not my password!", "delete my account"),
               "invalid_credentials");
    rw_refused(delete_account(&ann, PW, "yes"), "invalid_field");
    rw_ok(rw_call(&ann, "checkin.list", NULL));   /* still here */

    rw_ok(delete_account(&ann, PW, "delete my account"));
    json_t *e = rw_event(&ann, "session.revoked");
    cr_assert_str_eq(rw_str(e, "reason"), "account_deleted");
    json_decref(e);
    cr_assert_eq(rw_wait_close(&ann, RW_TIMEOUT_MS), 4002);
    rw_close(&ann);

    e = rw_event(&bob, "buddy.update");
    cr_assert_str_eq(rw_str(e, "state"), "ended", "bob only sees the pairing end");
    json_decref(e);
    json_t *r = rw_call(&bob, "room.members", json_pack("{s:s}", "room", "lobby"));
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "members")), 1);
    json_decref(r);
    r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", conv));
    char *dump = json_dumps(rw_data(r), 0);
    cr_assert_null(strstr(dump, CANARY), "ann's words are gone from the conversation");
    cr_assert(strstr(dump, "bob's own words stay his"));
    free(dump);
    json_decref(r);
    r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", "lobby"));
    dump = json_dumps(rw_data(r), 0);
    cr_assert_null(strstr(dump, CANARY), "and from the room");
    cr_assert_null(strstr(dump, "\"ann\""), "and her name with them");
    free(dump);
    json_decref(r);
    cr_assert_eq(canaries(), 0, "nothing on disk, database or WAL, while it runs");

    /* Nobody signs in as her; the handle is free for someone new. */
    rw_open_ok(&ann, hd.port);
    rw_refused(rw_call(&ann, "auth.login", json_pack("{s:s, s:s}", "handle", "ann", "password",
                                                     PW)),
               "invalid_credentials");
    rw_register(&ann, "ann", PW);
    r = rw_call(&ann, "checkin.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "checkins")), 0,
                 "the new ann inherits nothing");
    json_decref(r);
    r = rw_call(&ann, "buddy.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "buddies")), 0);
    json_decref(r);
    rw_refused(rw_call(&ann, "room.history", json_pack("{s:s}", "room", conv)), "room_not_found");

    free(conv);
    HD_FINISH(&hd, &ann, &bob);
    cr_assert_eq(canaries(), 0, "nor after shutdown");
}

Test(account, the_operator_may_keep_room_messages_anonymised)
{
    struct rawws ann, bob;
    const char *args[] = {"--rate", "100000", "--rate-burst", "100000", "--user-rate", "100000",
                          "--user-rate-burst", "100000", "--deleted-messages", "anonymise", NULL};
    hd_start(&hd, args);
    rw_person(&ann, hd.port, "ann", PW);
    rw_person(&bob, hd.port, "bob", PW);
    free(live(&ann, &bob));
    rw_ok(delete_account(&ann, PW, "delete my account"));
    rw_close(&ann);

    json_t *r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", "lobby"));
    char *dump = json_dumps(rw_data(r), 0);
    cr_assert(strstr(dump, CANARY " in the lobby"), "the room keeps what was said");
    cr_assert_null(strstr(dump, "\"ann\""), "by nobody in particular");
    free(dump);
    json_decref(r);
    HD_FINISH(&hd, &bob);
    hd_restart(&hd);
    free(rw_login(&bob, hd.port, "bob", PW));
    r = rw_call(&bob, "room.history", json_pack("{s:s}", "room", "lobby"));
    dump = json_dumps(rw_data(r), 0);
    cr_assert(strstr(dump, CANARY " in the lobby"), "also after a restart");
    free(dump);
    json_decref(r);
    HD_FINISH(&hd, &bob);
}

Test(account, nothing_of_theirs_lands_on_someone_new)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&bob, hd.port, "bob", PW);   /* first, so ann's account id is the newest and comes back */
    rw_ok(rw_call(&bob, "room.create", json_pack("{s:s, s:s}", "room", "lobby", "title", "Lobby")));
    rw_person(&ann, hd.port, "ann", PW);
    rw_ok(rw_call(&ann, "room.join", json_pack("{s:s}", "room", "lobby")));
    rw_ok(rw_call(&bob, "mod.mute", json_pack("{s:s, s:s}", "room", "lobby", "handle", "ann")));
    rw_ok(delete_account(&ann, PW, "delete my account"));
    rw_close(&ann);

    rw_person(&ann, hd.port, "ann", PW);
    rw_ok(rw_call(&ann, "room.join", json_pack("{s:s}", "room", "lobby")));
    rw_ok(say(&ann, "lobby", "hello, I'm new here", "n1"));   /* the old mute is not hers */
    HD_FINISH(&hd, &ann, &bob);
}

static void join_pool(struct rawws *w)
{
    rw_ok(rw_call(w, "match.join", json_pack("{s:i, s:s, s:s}", "utc_offset_minutes", 0,
                                             "language", "en", "approach", "any")));
}

Test(account, a_new_account_is_not_held_to_an_old_decline)
{
    struct rawws ann, bob;
    hd_start(&hd, hd_unlimited_rate);
    rw_person(&bob, hd.port, "bob", PW);   /* first, so ann's account id is the newest and comes back */
    rw_person(&ann, hd.port, "ann", PW);
    join_pool(&bob);
    join_pool(&ann);
    json_t *e = rw_event(&ann, "match.proposal");
    long long id = json_integer_value(json_object_get(e, "id"));
    json_decref(e);
    json_decref(rw_event(&bob, "match.proposal"));
    rw_ok(rw_call(&ann, "match.decline", json_pack("{s:I}", "proposal", id)));
    json_decref(rw_event(&bob, "match.update"));   /* declined */
    rw_ok(delete_account(&ann, PW, "delete my account"));
    rw_close(&ann);

    rw_person(&ann, hd.port, "ann", PW);
    join_pool(&ann);
    e = rw_event(&bob, "match.proposal");   /* the pair the old account declined was not hers */
    cr_assert_str_eq(rw_str(e, "handle"), "ann");
    json_decref(e);
    HD_FINISH(&hd, &ann, &bob);
}
