/*
 * Moderation through the real hearthd: every action and its effect on the
 * person it targets, room settings on the test clock, take-downs that
 * leave no trace on disk, suspensions, the audit log, and who may do what.
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

TestSuite(moderation, .fini = stop_server, .timeout = 120);

static json_t *req(struct rawws *w, const char *type, const char *room, json_t *fields)
{
    json_t *f = fields ? fields : json_object();
    if (room)
        json_object_set_new(f, "room", json_string(room));
    return rw_call(w, type, f);
}

static json_t *say(struct rawws *w, const char *text)
{
    static int n;
    char cid[16];
    snprintf(cid, sizeof cid, "m%d", ++n);
    return req(w, "room.send", "porch", json_pack("{s:s, s:s}", "text", text, "cid", cid));
}

static json_t *act(struct rawws *w, const char *type, const char *handle, json_t *extra)
{
    json_t *f = extra ? extra : json_object();
    json_object_set_new(f, "handle", json_string(handle));
    return req(w, type, "porch", f);
}

/* host "hana" (room host), "moe" a room moderator, "troy" a member. */
static void setup(struct rawws *host, struct rawws *mod, struct rawws *troll)
{
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(host, hd.port);
    rw_register(host, "hana", PW);
    rw_ok(rw_call(host, "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    rw_open_ok(mod, hd.port);
    rw_register(mod, "moe", PW);
    rw_ok(req(mod, "room.join", "porch", NULL));
    rw_ok(req(host, "room.role", "porch", json_pack("{s:s, s:s}", "handle", "moe", "role", "moderator")));
    rw_open_ok(troll, hd.port);
    rw_register(troll, "troy", PW);
    rw_ok(req(troll, "room.join", "porch", NULL));
}

static void teardown(struct rawws *a, struct rawws *b, struct rawws *c)
{
    rw_close(a);
    rw_close(b);
    rw_close(c);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(moderation, mute_with_an_end_and_until_lifted)
{
    struct rawws host, mod, troll;
    setup(&host, &mod, &troll);
    rw_ok(act(&mod, "mod.mute", "troy", json_pack("{s:i, s:s}", "minutes", 10, "reason", "cool off")));
    json_t *ev = rw_next_type(&troll, "moderated", RW_TIMEOUT_MS);
    cr_assert(ev, "the muted person is told");
    cr_assert_str_eq(rw_str(ev, "action"), "mute");
    cr_assert_str_eq(rw_str(ev, "reason"), "cool off");
    cr_assert(json_integer_value(json_object_get(ev, "until")) > 0);
    json_decref(ev);

    json_t *r = say(&troll, "let me talk");
    rw_expect_error(r, "muted");
    long long wait = json_integer_value(json_object_get(r, "retry_after_ms"));
    cr_assert(wait > 9 * MIN_MS && wait <= 10 * MIN_MS, "wait %lld", wait);
    json_decref(r);
    rw_ok(say(&host, "the room goes on"));

    hd_advance(&hd, 10 * MIN_MS);
    rw_ok(say(&troll, "sorry about earlier"));

    rw_ok(act(&mod, "mod.mute", "troy", NULL)); /* until lifted */
    rw_refused(say(&troll, "hello?"), "muted");
    hd_advance(&hd, 365 * 24 * 60 * MIN_MS);
    rw_refused(say(&troll, "a year later?"), "muted");
    rw_ok(act(&mod, "mod.unmute", "troy", NULL));
    rw_ok(say(&troll, "thank you"));
    teardown(&host, &mod, &troll);
}

Test(moderation, remove_lets_them_back_but_ban_keeps_them_out)
{
    struct rawws host, mod, troll;
    setup(&host, &mod, &troll);
    rw_ok(act(&mod, "mod.remove", "troy", json_pack("{s:s}", "reason", "spam")));
    json_t *left = rw_next_type(&host, "room.left", RW_TIMEOUT_MS);
    cr_assert(left);
    cr_assert_str_eq(rw_str(left, "handle"), "troy");
    cr_assert(json_is_true(json_object_get(left, "by_moderator")));
    json_decref(left);
    rw_refused(say(&troll, "still here?"), "not_member");
    rw_ok(req(&troll, "room.join", "porch", NULL));

    rw_ok(act(&mod, "mod.ban", "troy", json_pack("{s:i}", "minutes", 60)));
    rw_refused(say(&troll, "hey"), "not_member");
    rw_refused(req(&troll, "room.join", "porch", NULL), "banned");
    hd_advance(&hd, 60 * MIN_MS);
    rw_ok(req(&troll, "room.join", "porch", NULL));

    rw_ok(act(&host, "mod.ban", "troy", NULL));
    rw_refused(req(&troll, "room.join", "porch", NULL), "banned");
    rw_ok(act(&host, "mod.unban", "troy", NULL));
    rw_ok(req(&troll, "room.join", "porch", NULL));
    teardown(&host, &mod, &troll);
}

/* Counts how often `needle` occurs in the file's bytes. */
static int occurrences(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 1 << 20, len = 0, n;
    char *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    int count = 0;
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(buf + i, needle, nl) == 0)
            count++;
    free(buf);
    return count;
}

Test(moderation, a_taken_down_message_is_gone_for_everyone_and_from_disk)
{
    struct rawws host, mod, troll;
    setup(&host, &mod, &troll);
    const char *canary = "CANARY-7f3a9c-hurtful-words";
    json_t *r = say(&troll, canary);
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    rw_ok(say(&host, "an ordinary message"));

    rw_ok(req(&mod, "mod.delete", "porch", json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "reason", "abuse")));
    json_t *ev = rw_next_type(&host, "room.removed", RW_TIMEOUT_MS);
    cr_assert(ev, "members are told");
    cr_assert_eq(json_integer_value(json_object_get(ev, "target_seq")), seq);
    cr_assert_null(json_object_get(ev, "handle"), "the moderator is not named");
    json_decref(ev);
    rw_refused(req(&mod, "mod.delete", "porch", json_pack("{s:I}", "seq", (json_int_t)seq)),
            "message_not_found");

    /* History keeps a marker, not the words. */
    r = req(&host, "room.history", "porch", NULL);
    json_t *e;
    size_t i;
    bool marker = false;
    json_array_foreach(json_object_get(rw_data(r), "events"), i, e) {
        if (json_integer_value(json_object_get(e, "seq")) == seq) {
            cr_assert(json_is_true(json_object_get(e, "removed")));
            cr_assert_null(json_object_get(e, "text"));
            marker = true;
        }
    }
    cr_assert(marker);
    json_decref(r);

    /* And the words are nowhere on disk, WAL included. */
    char path[300];
    snprintf(path, sizeof path, "%s/hearth.db", hd.data_dir);
    cr_assert_eq(occurrences(path, canary), 0, "the message text is still in the database");
    snprintf(path, sizeof path, "%s/hearth.db-wal", hd.data_dir);
    cr_assert_eq(occurrences(path, canary), 0, "the message text is still in the WAL");
    teardown(&host, &mod, &troll);
}

Test(moderation, room_settings_on_the_test_clock)
{
    struct rawws host, mod, troll, late, extra;
    setup(&host, &mod, &troll);
    json_t *r = req(&mod, "mod.settings", "porch", json_pack("{s:i}", "slow_seconds", 30));
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(rw_data(r), "settings"),
                                                    "slow_seconds")), 30);
    json_decref(r);
    json_t *ev = rw_next_type(&troll, "room.settings", RW_TIMEOUT_MS);
    cr_assert(ev, "members learn the new settings");
    json_decref(ev);
    rw_ok(say(&troll, "one"));
    r = say(&troll, "two");
    rw_expect_error(r, "slow_mode");
    cr_assert(json_integer_value(json_object_get(r, "retry_after_ms")) > 0);
    json_decref(r);
    rw_ok(say(&mod, "moderators are not slowed"));
    rw_ok(say(&mod, "not at all"));
    hd_advance(&hd, 30000);
    rw_ok(say(&troll, "two, later"));

    /* Newcomers wait a minute before their first post. */
    rw_ok(req(&mod, "mod.settings", "porch", json_pack("{s:i, s:i}", "slow_seconds", 0, "newcomer_seconds", 60)));
    rw_open_ok(&late, hd.port);
    rw_register(&late, "newbie", PW);
    rw_ok(req(&late, "room.join", "porch", NULL));
    rw_refused(say(&late, "hi!"), "newcomer_wait");
    hd_advance(&hd, 60000);
    rw_ok(say(&late, "hi, now"));

    /* Locked: no new members; a member limit: no more than that. */
    rw_ok(req(&mod, "mod.settings", "porch", json_pack("{s:b}", "locked", 1)));
    rw_open_ok(&extra, hd.port);
    rw_register(&extra, "outsider", PW);
    rw_refused(req(&extra, "room.join", "porch", NULL), "room_locked");
    rw_ok(req(&mod, "mod.settings", "porch", json_pack("{s:b, s:i}", "locked", 0, "member_limit", 4)));
    rw_refused(req(&extra, "room.join", "porch", NULL), "room_full");
    rw_ok(req(&mod, "mod.settings", "porch", json_pack("{s:i}", "member_limit", 0)));
    rw_ok(req(&extra, "room.join", "porch", NULL));
    rw_close(&late);
    rw_close(&extra);
    teardown(&host, &mod, &troll);
}

Test(moderation, admins_suspend_accounts_server_wide)
{
    struct rawws host, mod, troll, admin, again;
    setup(&host, &mod, &troll);
    const char *role[] = {"role", "hana", "admin", NULL};
    char out[128];
    cr_assert_eq(hd_admin(&hd, role, out, sizeof out), 0);
    free(rw_login(&admin, hd.port, "hana", PW));

    rw_refused(req(&mod, "mod.suspend", NULL, json_pack("{s:s}", "handle", "troy")), "forbidden");
    rw_ok(req(&admin, "mod.suspend", NULL, json_pack("{s:s, s:i, s:s}", "handle", "troy", "days", 7,
                                                   "reason", "threats")));
    json_t *ev = rw_next_type(&troll, "session.revoked", RW_TIMEOUT_MS);
    cr_assert(ev);
    cr_assert_str_eq(rw_str(ev, "reason"), "suspended");
    json_decref(ev);
    cr_assert_eq(rw_wait_close(&troll, RW_TIMEOUT_MS), 4002);

    rw_open_ok(&again, hd.port);
    json_t *r = rw_call(&again, "auth.login", json_pack("{s:s, s:s}", "handle", "troy", "password", PW));
    rw_expect_error(r, "suspended");
    json_decref(r);
    /* A wrong password says nothing about the suspension. */
    rw_refused(rw_call(&again, "auth.login", json_pack("{s:s, s:s}", "handle", "troy", "password", "wrong password!")),
            "invalid_credentials");
    rw_ok(req(&admin, "mod.unsuspend", NULL, json_pack("{s:s}", "handle", "troy")));
    rw_ok(rw_call(&again, "auth.login", json_pack("{s:s, s:s}", "handle", "troy", "password", PW)));
    rw_close(&again);
    rw_close(&admin);
    teardown(&host, &mod, &troll);
}

Test(moderation, the_audit_log_records_who_did_what_and_why)
{
    struct rawws host, mod, troll;
    setup(&host, &mod, &troll);
    rw_ok(act(&mod, "mod.mute", "troy", json_pack("{s:i, s:s}", "minutes", 5, "reason", "shouting")));
    rw_ok(act(&mod, "mod.unmute", "troy", NULL));
    json_t *r = say(&troll, "words nobody should keep");
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    rw_ok(req(&host, "mod.delete", "porch", json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "reason", "slur")));

    rw_refused(req(&troll, "mod.log", "porch", NULL), "forbidden");
    r = req(&mod, "mod.log", "porch", json_pack("{s:i}", "limit", 2));
    json_t *entries = json_object_get(rw_data(r), "entries");
    cr_assert_eq(json_array_size(entries), 2);
    json_t *newest = json_array_get(entries, 0);
    cr_assert_str_eq(rw_str(newest, "action"), "delete", "newest first");
    cr_assert_str_eq(rw_str(newest, "actor"), "hana");
    cr_assert_str_eq(rw_str(newest, "reason"), "slur");
    cr_assert_eq(json_integer_value(json_object_get(newest, "seq")), seq);
    char *dump = json_dumps(newest, 0);
    cr_assert_null(strstr(dump, "words nobody"), "the log holds no message text");
    free(dump);
    cr_assert(json_is_true(json_object_get(rw_data(r), "has_more")));
    long long before = json_integer_value(json_object_get(json_array_get(entries, 1), "id"));
    json_decref(r);
    r = req(&mod, "mod.log", "porch", json_pack("{s:I}", "before", (json_int_t)before));
    entries = json_object_get(rw_data(r), "entries");
    /* the mute is the oldest line: room.role is not a moderation action */
    json_t *oldest = json_array_get(entries, json_array_size(entries) - 1);
    cr_assert_str_eq(rw_str(oldest, "action"), "mute");
    cr_assert_str_eq(rw_str(oldest, "actor"), "moe");
    cr_assert_str_eq(rw_str(oldest, "target"), "troy");
    cr_assert_str_eq(rw_str(oldest, "reason"), "shouting");
    json_decref(r);
    teardown(&host, &mod, &troll);
}

/* Every action, tried by every kind of person, on an ordinary member. */
enum who { ADMIN, HOST, MOD, MEMBER, OUTSIDER, N_WHO };
static const char *const names[N_WHO] = {"ada", "hal", "meg", "mim", "ozzy"};

Test(moderation, permission_matrix)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws w[N_WHO], target;
    for (int i = 0; i < N_WHO; i++) {
        rw_open_ok(&w[i], hd.port);
        rw_register(&w[i], names[i], PW);
    }
    rw_promote(&w[ADMIN], &hd, "ada", "admin", PW);
    rw_ok(rw_call(&w[HOST], "room.create", json_pack("{s:s, s:s}", "room", "porch", "title", "Porch")));
    for (int i = 0; i < N_WHO; i++)
        if (i != HOST && i != OUTSIDER)
            rw_ok(req(&w[i], "room.join", "porch", NULL));
    rw_ok(req(&w[HOST], "room.role", "porch", json_pack("{s:s, s:s}", "handle", "meg", "role", "moderator")));
    rw_open_ok(&target, hd.port);
    rw_register(&target, "tess", PW);

    static const char *const actions[] = {"mod.mute", "mod.unmute", "mod.remove", "mod.ban",
                                          "mod.unban", "mod.settings", "mod.log", "mod.delete",
                                          "mod.sanctions"};
    /*                                   admin  host   mod   member       outsider */
    const char *want[N_WHO] = {"ok", "ok", "ok", "forbidden", "not_member"};
    for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
        for (int i = 0; i < N_WHO; i++) {
            /* tess is back in the room, free to speak, with a message to take down */
            rw_ok(act(&w[HOST], "mod.unban", "tess", NULL));
            rw_ok(act(&w[HOST], "mod.unmute", "tess", NULL));
            json_t *j = req(&target, "room.join", "porch", NULL);
            json_decref(j);
            json_t *m = say(&target, "a message");
            long long seq = json_integer_value(json_object_get(rw_data(m), "seq"));
            json_decref(m);
            json_t *fields = json_object();
            if (!strcmp(actions[a], "mod.settings"))
                json_object_set_new(fields, "slow_seconds", json_integer(0));
            else if (!strcmp(actions[a], "mod.delete"))
                json_object_set_new(fields, "seq", json_integer(seq));
            else if (strcmp(actions[a], "mod.log") != 0 && strcmp(actions[a], "mod.sanctions") != 0)
                json_object_set_new(fields, "handle", json_string("tess"));
            json_t *r = req(&w[i], actions[a], "porch", fields);
            const char *code = rw_str(r, "code") ? rw_str(r, "code") : "ok";
            cr_assert_str_eq(code, want[i], "%s by %s: %s", actions[a], names[i], rw_str(r, "message"));
            json_decref(r);
        }
    }

    /* Whom one may act on: not oneself, not the host (below staff), not a
     * room moderator (below the host), never an admin. */
    rw_refused(act(&w[MOD], "mod.mute", "meg", NULL), "forbidden");
    rw_refused(act(&w[MOD], "mod.mute", "hal", NULL), "forbidden");
    rw_refused(act(&w[MOD], "mod.mute", "ada", NULL), "forbidden");
    rw_ok(act(&w[HOST], "mod.mute", "meg", NULL));
    rw_refused(act(&w[HOST], "mod.mute", "ada", NULL), "forbidden");
    rw_ok(act(&w[ADMIN], "mod.mute", "hal", NULL));
    rw_refused(act(&w[MOD], "mod.mute", "nobody", NULL), "user_not_found");
    for (int i = 0; i < N_WHO; i++)
        rw_close(&w[i]);
    HD_FINISH(&hd, &target);
}
