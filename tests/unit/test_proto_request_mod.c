/*
 * proto_request for moderation: the mod.* requests, decoded (targets and
 * folding, integer and reason bounds, defaults, the order of field errors)
 * and encoded (optional parts, refusals).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

Test(mod_request, targeted_fields_and_folding)
{
    static const struct { const char *name; enum proto_req_type t; bool timed; } types[] = {
        {"mod.mute", PROTO_REQ_MOD_MUTE, true}, {"mod.unmute", PROTO_REQ_MOD_UNMUTE, false},
        {"mod.remove", PROTO_REQ_MOD_REMOVE, false}, {"mod.ban", PROTO_REQ_MOD_BAN, true},
        {"mod.unban", PROTO_REQ_MOD_UNBAN, false}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char buf[256];
        struct proto_request r, *copy = malloc(sizeof *copy);
        struct proto_decode_error e;

        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"room\":\"LOBBY\",\"handle\":\"TroLL\","
                 "%s\"reason\":\"Spam \\u00e9\"}", types[i].name, types[i].timed ? "\"minutes\":90," : "");
        must_decode(buf, &r);
        cr_expect_eq(r.type, types[i].t, "%s", types[i].name);
        cr_expect_not(proto_req_allowed_unauthenticated(r.type), "%s needs auth", types[i].name);
        cr_expect_str_eq(r._folded[0], "lobby");
        cr_expect_str_eq(r._folded[1], "troll");
        cr_expect_eq(r.u.mod.minutes, types[i].timed ? 90u : 0u, "%s", types[i].name);
        cr_expect_eq(r.u.mod.days, 0);
        cr_expect_eq(r.u.mod.seq, 0);
        /* Folded names and the reason survive a struct copy (they point into _root). */
        *copy = r;
        memset(&r, 0x5A, sizeof r);
        cr_expect_str_eq(copy->u.mod.room, "lobby");
        cr_expect_str_eq(copy->u.mod.handle, "troll");
        cr_expect_str_eq(copy->u.mod.reason, "Spam \xc3\xa9");
        proto_request_free(copy);
        free(copy);

        /* Without the optional parts: reason NULL (not ""), minutes 0. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\","
                 "\"minutes\":null,\"reason\":null}", types[i].name);
        must_decode(buf, &r);
        cr_expect_null(r.u.mod.reason, "%s: absent reason is NULL", types[i].name);
        cr_expect_eq(r.u.mod.minutes, 0);
        proto_request_free(&r);

        /* Order: room, then handle. */
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"room\":\"l\",\"handle\":\"t\"}",
                 types[i].name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
        cr_expect(strstr(e.message, "'room'"), "%s: %s", types[i].name, e.message);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"t\","
                 "\"reason\":7}", types[i].name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
        cr_expect(strstr(e.message, "'handle'"), "%s: %s", types[i].name, e.message);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"m\",\"room\":\"lobby\"}", types[i].name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
        cr_expect(strstr(e.message, "'handle'"), "%s: %s", types[i].name, e.message);
        cr_expect_str_eq(e.id, "m");
    }
}

/* Decodes `type` with `key`: v and checks it is accepted iff ok. */
static void bound_case(const char *type, const char *prefix, const char *key, long long v, bool ok,
                       uint64_t (*got)(const struct proto_request *))
{
    char buf[256];
    struct proto_request r;
    struct proto_decode_error e;
    snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"b\",%s\"%s\":%lld}", type, prefix, key, v);
    if (ok) {
        must_decode(buf, &r);
        cr_expect_eq(got(&r), (uint64_t)v, "%s %s %lld", type, key, v);
        proto_request_free(&r);
    } else {
        char quoted[64];
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "%s %s %lld", type, key, v);
        snprintf(quoted, sizeof quoted, "'%s'", key);
        cr_expect(strstr(e.message, quoted), "%s", e.message);
        cr_expect_str_eq(e.id, "b");
    }
}

static uint64_t got_minutes(const struct proto_request *r) { return r->u.mod.minutes; }
static uint64_t got_days(const struct proto_request *r) { return r->u.mod.days; }
static uint64_t got_seq(const struct proto_request *r) { return r->u.mod.seq; }
static uint64_t got_slow(const struct proto_request *r) { return r->u.modset.set.slow_seconds; }
static uint64_t got_limit(const struct proto_request *r) { return r->u.modset.set.member_limit; }
static uint64_t got_newcomer(const struct proto_request *r) { return r->u.modset.set.newcomer_seconds; }
static uint64_t got_log_limit(const struct proto_request *r) { return r->u.modlog.limit; }
static uint64_t got_before(const struct proto_request *r) { return (uint64_t)r->u.modlog.before; }

Test(mod_request, integer_bounds)
{
    static const char ROOM_HANDLE[] = "\"room\":\"lobby\",\"handle\":\"troll\",";
    static const struct {
        const char *type, *prefix, *key;
        long long lo, hi;
        uint64_t (*got)(const struct proto_request *);
    } cases[] = {
        {"mod.mute", ROOM_HANDLE, "minutes", 1, 525600, got_minutes},
        {"mod.ban", ROOM_HANDLE, "minutes", 1, 525600, got_minutes},
        {"mod.suspend", "\"handle\":\"troll\",", "days", 1, 3650, got_days},
        {"mod.delete", "\"room\":\"lobby\",", "seq", 1, 9007199254740991LL, got_seq},
        {"mod.settings", "\"room\":\"lobby\",", "slow_seconds", 0, 3600, got_slow},
        {"mod.settings", "\"room\":\"lobby\",", "member_limit", 0, 100000, got_limit},
        {"mod.settings", "\"room\":\"lobby\",", "newcomer_seconds", 0, 86400, got_newcomer},
        {"mod.log", "\"room\":\"lobby\",", "limit", 1, 100, got_log_limit},
        {"mod.log", "\"room\":\"lobby\",", "before", 1, 9007199254740991LL, got_before},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long lo = cases[i].lo, hi = cases[i].hi;
        bound_case(cases[i].type, cases[i].prefix, cases[i].key, lo - 1, false, cases[i].got);
        bound_case(cases[i].type, cases[i].prefix, cases[i].key, lo, true, cases[i].got);
        bound_case(cases[i].type, cases[i].prefix, cases[i].key, lo + 1, true, cases[i].got);
        bound_case(cases[i].type, cases[i].prefix, cases[i].key, hi, true, cases[i].got);
        if (hi < 9007199254740991LL) {
            bound_case(cases[i].type, cases[i].prefix, cases[i].key, hi + 1, false, cases[i].got);
            /* Far past 32 bits must not wrap into range. */
            bound_case(cases[i].type, cases[i].prefix, cases[i].key, 4294967296LL + lo, false,
                       cases[i].got);
        }
        bound_case(cases[i].type, cases[i].prefix, cases[i].key, -1, false, cases[i].got);
    }
}

static const char *mod_reason(const struct proto_request *r) { return r->u.mod.reason; }

Test(mod_request, reason_bounds_by_code_point)
{
    static const struct string_bound reason = {
        .head = "{\"type\":\"mod.mute\",\"id\":\"q\",\"room\":\"lobby\",\"handle\":\"troll\",\"reason\":\"",
        .field = "reason", .id = "q", .max = PROTO_REASON_MAX, .err = PROTO_E_INVALID_FIELD,
        .value = mod_reason};
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1",
                                         "\\n", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        struct proto_request r;
        char *empty = repeated(reason.head, widths[w], 0);
        expect_string_bound(&reason, widths[w]);
        must_decode(empty, &r);
        cr_assert_not_null(r.u.mod.reason, "an empty reason is given, not absent");
        cr_expect_str_eq(r.u.mod.reason, "");
        proto_request_free(&r);
        free(empty);
    }
}

Test(mod_request, delete_suspend_unsuspend)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode("{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"Lobby\",\"seq\":17,\"reason\":\"x\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_DELETE);
    cr_expect_str_eq(r.u.mod.room, "lobby");
    cr_expect_null(r.u.mod.handle, "delete names no handle");
    cr_expect_eq(r.u.mod.seq, 17);
    cr_expect_str_eq(r.u.mod.reason, "x");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Field 'seq' is required.");
    cr_expect_eq(must_fail("{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\",\"seq\":null}", &e),
                 PROTO_E_INVALID_FIELD, "a required seq may not be null");
    cr_expect_eq(must_fail("{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\",\"seq\":1.0}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'seq'"), "%s", e.message);
    /* A handle on a delete is ignored like any unknown member. */
    must_decode("{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\",\"seq\":2,\"handle\":\"b b\"}", &r);
    cr_expect_null(r.u.mod.handle);
    proto_request_free(&r);

    must_decode("{\"type\":\"mod.suspend\",\"id\":\"2\",\"handle\":\"TROLL\",\"days\":7,\"room\":\"lobby\"}",
                &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_SUSPEND);
    cr_expect_null(r.u.mod.room, "suspend has no room, even when one is sent");
    cr_expect_str_eq(r.u.mod.handle, "troll");
    cr_expect_str_eq(r._folded[1], "troll");
    cr_expect_eq(r.u.mod.days, 7);
    cr_expect_eq(r.u.mod.minutes, 0);
    cr_expect_null(r.u.mod.reason);
    proto_request_free(&r);
    /* A room that is not even a valid name is still ignored. */
    must_decode("{\"type\":\"mod.unsuspend\",\"id\":\"3\",\"handle\":\"troll\",\"room\":5}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_UNSUSPEND);
    cr_expect_null(r.u.mod.room);
    cr_expect_str_eq(r.u.mod.handle, "troll");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"mod.unsuspend\",\"id\":\"3\",\"handle\":\"tr\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
    /* days is for suspend only: on a mute it is an unknown member. */
    must_decode("{\"type\":\"mod.mute\",\"id\":\"4\",\"room\":\"lobby\",\"handle\":\"troll\",\"days\":0}", &r);
    cr_expect_eq(r.u.mod.days, 0);
    proto_request_free(&r);
    /* Order for suspend: handle, days, reason. */
    must_fail("{\"type\":\"mod.suspend\",\"id\":\"5\",\"handle\":\"t\",\"days\":0,\"reason\":1}", &e);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
    must_fail("{\"type\":\"mod.suspend\",\"id\":\"5\",\"handle\":\"troll\",\"days\":0,\"reason\":1}", &e);
    cr_expect(strstr(e.message, "'days'"), "%s", e.message);
    must_fail("{\"type\":\"mod.suspend\",\"id\":\"5\",\"handle\":\"troll\",\"days\":1,\"reason\":1}", &e);
    cr_expect(strstr(e.message, "'reason'"), "%s", e.message);
}

Test(mod_request, settings_parts)
{
    struct proto_request r;
    struct proto_decode_error e;
    static const char NEED[] =
        "Give at least one of 'slow_seconds', 'locked', 'member_limit' or 'newcomer_seconds'.";

    must_decode("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"Lobby\",\"locked\":false}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_SETTINGS);
    cr_expect_str_eq(r.u.modset.room, "lobby");
    cr_expect(r.u.modset.has_locked, "false is given, not absent");
    cr_expect_not(r.u.modset.set.locked);
    cr_expect_not(r.u.modset.has_slow || r.u.modset.has_limit || r.u.modset.has_newcomer);
    proto_request_free(&r);

    must_decode("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"lobby\",\"slow_seconds\":0,"
                "\"member_limit\":25,\"newcomer_seconds\":600,\"locked\":null}", &r);
    cr_expect(r.u.modset.has_slow && r.u.modset.has_limit && r.u.modset.has_newcomer);
    cr_expect_not(r.u.modset.has_locked, "null is absent");
    cr_expect_eq(r.u.modset.set.slow_seconds, 0);
    cr_expect_eq(r.u.modset.set.member_limit, 25);
    cr_expect_eq(r.u.modset.set.newcomer_seconds, 600);
    proto_request_free(&r);

    cr_expect_eq(must_fail("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"lobby\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, NEED);
    cr_expect_eq(must_fail("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"lobby\",\"slow_seconds\":null,"
                           "\"locked\":null,\"member_limit\":null,\"newcomer_seconds\":null}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, NEED);
    /* The room is checked first, then the parts in order. */
    must_fail("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"l\"}", &e);
    cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    must_fail("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"lobby\",\"locked\":\"no\","
              "\"member_limit\":-1}", &e);
    cr_expect(strstr(e.message, "'locked'"), "%s", e.message);
    must_fail("{\"type\":\"mod.settings\",\"id\":\"s\",\"room\":\"lobby\",\"locked\":true,"
              "\"member_limit\":\"5\"}", &e);
    cr_expect(strstr(e.message, "'member_limit'"), "%s", e.message);
}

Test(mod_request, log_defaults)
{
    struct proto_request r;
    must_decode("{\"type\":\"mod.log\",\"id\":\"l\",\"room\":\"LOBBY\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MOD_LOG);
    cr_expect_str_eq(r.u.modlog.room, "lobby");
    cr_expect_eq(r.u.modlog.before, 0, "before 0: the newest");
    cr_expect_eq(r.u.modlog.limit, 50, "limit defaults to 50, never 0");
    proto_request_free(&r);
    must_decode("{\"type\":\"mod.log\",\"id\":\"l\",\"room\":\"lobby\",\"before\":12,\"limit\":null}", &r);
    cr_expect_eq(r.u.modlog.before, 12);
    cr_expect_eq(r.u.modlog.limit, 50);
    proto_request_free(&r);
}

Test(mod_request, encode_omits_unset_optionals)
{
    struct proto_request r = {.type = PROTO_REQ_MOD_MUTE, .id = "m"};

    r.u.mod.room = "lobby";
    r.u.mod.handle = "troll";
    r.u.mod.days = 3;   /* ignored: mute has minutes */
    r.u.mod.seq = 9;    /* ignored */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.mute\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\"}");
    r.u.mod.minutes = 5;
    r.u.mod.reason = "";
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.mute\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\","
                "\"minutes\":5,\"reason\":\"\"}");

    r.type = PROTO_REQ_MOD_UNBAN;   /* minutes is not an unban member */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.unban\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\","
                "\"reason\":\"\"}");

    r = (struct proto_request){.type = PROTO_REQ_MOD_SUSPEND, .id = "s"};
    r.u.mod.room = "lobby";   /* never written: suspend is server-wide */
    r.u.mod.handle = "troll";
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.suspend\",\"id\":\"s\",\"handle\":\"troll\"}");

    r = (struct proto_request){.type = PROTO_REQ_MOD_SETTINGS, .id = "t"};
    r.u.modset.room = "lobby";
    r.u.modset.has_limit = true;
    r.u.modset.set.member_limit = 0;
    r.u.modset.set.slow_seconds = 30;   /* ignored: has_slow is false */
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.settings\",\"id\":\"t\",\"room\":\"lobby\",\"member_limit\":0}");

    r = (struct proto_request){.type = PROTO_REQ_MOD_LOG, .id = "l"};
    r.u.modlog.room = "lobby";
    expect_json(proto_request_encode(&r), "{\"type\":\"mod.log\",\"id\":\"l\",\"room\":\"lobby\"}");
}

Test(mod_request, encode_refuses_missing_required)
{
    struct proto_request r = {.type = PROTO_REQ_MOD_DELETE, .id = "1"};
    r.u.mod.room = "lobby";
    cr_expect_null(proto_request_encode(&r), "delete needs a seq");
    r.u.mod.seq = 1;
    expect_json(proto_request_encode(&r),
                "{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\",\"seq\":1}");
    r.u.mod.room = NULL;
    cr_expect_null(proto_request_encode(&r), "delete needs a room");

    r = (struct proto_request){.type = PROTO_REQ_MOD_BAN, .id = "1"};
    r.u.mod.room = "lobby";
    cr_expect_null(proto_request_encode(&r), "ban needs a handle");
    r = (struct proto_request){.type = PROTO_REQ_MOD_UNSUSPEND, .id = "1"};
    cr_expect_null(proto_request_encode(&r), "unsuspend needs a handle");
    r.u.mod.handle = "troll";
    r.u.mod.reason = "bad \xff";
    cr_expect_null(proto_request_encode(&r), "a reason that is not UTF-8");
    r = (struct proto_request){.type = PROTO_REQ_MOD_LOG, .id = "1"};
    r.u.modlog.room = "lobby";
    r.u.modlog.before = -1;
    cr_expect_null(proto_request_encode(&r), "a negative before");
}
