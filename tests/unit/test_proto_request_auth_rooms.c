/*
 * proto_request, the general rules and the first requests: decoding
 * (server side) and encoding (client side) of auth, presence and room
 * requests beyond what the golden vectors check: decoded values, defaults,
 * pointer lifetimes, generated bounds, error ids and order, raw bytes, and
 * every type's round trip and encoder failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

Test(request, register_fields)
{
    struct proto_request r;
    must_decode("{\"type\":\"auth.register\",\"id\":\"r1\",\"handle\":\"Alice\","
                "\"password\":\"correct horse battery\",\"invite\":\"inv\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_AUTH_REGISTER);
    cr_expect_str_eq(r.id, "r1");
    cr_expect_str_eq(r.u.reg.handle, "alice");
    cr_expect_str_eq(r._folded[0], "alice");
    cr_expect_str_eq(r.u.reg.password, "correct horse battery");
    cr_expect_str_eq(r.u.reg.invite, "inv");
    proto_request_free(&r);
    cr_expect_null(r._root);
    proto_request_free(&r);   /* freeing twice is harmless */

    must_decode("{\"type\":\"auth.register\",\"id\":\"r1\",\"handle\":\"bob\","
                "\"password\":\"correct horse battery\"}", &r);
    cr_expect_null(r.u.reg.invite);
    proto_request_free(&r);
}

/* The folded name must survive a copy of the struct (the server copies
 * requests into work items for password hashing). */
Test(request, folded_name_survives_struct_copy)
{
    struct proto_request r, *copy = malloc(sizeof *copy);
    must_decode("{\"type\":\"room.send\",\"id\":\"1\",\"room\":\"LoBBy\",\"text\":\"hi\",\"cid\":\"c\"}",
                &r);
    *copy = r;
    memset(&r, 0x5A, sizeof r);   /* scribble over the original */
    cr_expect_str_eq(copy->u.send.room, "lobby");
    cr_expect_str_eq(copy->u.send.text, "hi");
    proto_request_free(copy);
    free(copy);
}

Test(request, login_passes_malformed_handle_through)
{
    struct proto_request r;
    must_decode("{\"type\":\"auth.login\",\"id\":\"1\",\"handle\":\"Not Valid!\",\"password\":\"x\"}", &r);
    cr_expect_str_eq(r.u.login.handle, "Not Valid!");
    proto_request_free(&r);
    must_decode("{\"type\":\"auth.login\",\"id\":\"1\",\"handle\":\"\",\"password\":\"x\"}", &r);
    cr_expect_str_eq(r.u.login.handle, "");
    proto_request_free(&r);
    must_decode("{\"type\":\"auth.login\",\"id\":\"1\",\"handle\":\"BoB\",\"password\":\"x\"}", &r);
    cr_expect_str_eq(r.u.login.handle, "bob");
    proto_request_free(&r);
}

Test(request, defaults)
{
    struct proto_request r;
    must_decode("{\"type\":\"room.create\",\"id\":\"1\",\"room\":\"x-y\",\"title\":\"T\"}", &r);
    cr_expect_str_eq(r.u.create.topic, "");
    cr_expect_eq(r.u.create.visibility, PROTO_VIS_OPEN);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.history\",\"id\":\"1\",\"room\":\"lobby\"}", &r);
    cr_expect_eq(r.u.history.before, 0);
    cr_expect_eq(r.u.history.after, 0);
    cr_expect_eq(r.u.history.limit, PROTO_HISTORY_DEFAULT);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.history\",\"id\":\"1\",\"room\":\"lobby\",\"after\":9007199254740993,"
                "\"limit\":100}", &r);
    cr_expect_eq(r.u.history.after, 9007199254740993ULL);
    cr_expect_eq(r.u.history.limit, 100);
    proto_request_free(&r);

    must_decode("{\"type\":\"presence.set\",\"id\":\"1\",\"status\":\"invisible\"}", &r);
    cr_expect_eq(r.u.presence.status, PROTO_STATUS_INVISIBLE);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.join\",\"id\":\"1\",\"room\":\"lobby\",\"invite\":null}", &r);
    cr_expect_null(r.u.join.invite);
    proto_request_free(&r);
}

Test(request, room_shared_member)
{
    static const char *const types[] = {"room.leave", "room.members", "room.invites"};
    for (int i = 0; i < 3; i++) {
        char buf[128];
        struct proto_request r;
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\",\"room\":\"Lobby\"}", types[i]);
        must_decode(buf, &r);
        cr_expect_str_eq(r.u.room.room, "lobby");
        proto_request_free(&r);
    }
}

static const char *send_text(const struct proto_request *r) { return r->u.send.text; }

Test(request, text_bounds_by_code_point)
{
    static const struct string_bound text = {
        .head = "{\"type\":\"room.send\",\"id\":\"s\",\"room\":\"lobby\",\"cid\":\"c\",\"text\":\"",
        .field = "text", .id = "s", .max = 4000, .err = PROTO_E_TEXT_TOO_LONG, .value = send_text};
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1", "\\n",
                                         "\\u00e9", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
        expect_string_bound(&text, widths[w]);
}

Test(request, title_topic_bounds)
{
    struct proto_decode_error e;
    struct proto_request r;
    char buf[2048], *p;

    p = buf + sprintf(buf, "{\"type\":\"room.create\",\"id\":\"1\",\"room\":\"abc\",\"title\":\"");
    for (int i = 0; i < 80; i++)
        p += sprintf(p, "\xc3\xa9");
    strcpy(p, "\"}");
    must_decode(buf, &r);
    proto_request_free(&r);
    strcpy(p, "\xc3\xa9\"}");
    cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'title'"));
}

Test(request, error_id_is_kept_when_readable)
{
    struct proto_decode_error e;
    cr_expect_eq(must_fail("{\"type\":\"room.send\",\"id\":\"abc\",\"room\":\"lobby\",\"cid\":\"c\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.id, "abc");
    cr_expect_eq(e.code, PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'text'"), "%s", e.message);

    cr_expect_eq(must_fail("{\"type\":\"nope\",\"id\":\"k\"}", &e), PROTO_E_UNKNOWN_TYPE);
    cr_expect_str_eq(e.id, "k");
    cr_expect_eq(must_fail("{\"type\":\"nope\",\"id\":5}", &e), PROTO_E_UNKNOWN_TYPE);
    cr_expect_str_eq(e.id, "");
    cr_expect_eq(must_fail("[{\"type\":\"ping\",\"id\":\"1\"}]", &e), PROTO_E_BAD_JSON);
    cr_expect_str_eq(e.id, "");
    cr_expect_eq(must_fail("{\"type\":\"ping\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.id, "");
    cr_expect(strstr(e.message, "'id'"));
}

Test(request, first_bad_field_in_documented_order)
{
    struct proto_decode_error e;
    /* room, then text, then cid. */
    must_fail("{\"type\":\"room.send\",\"id\":\"1\",\"room\":\"a b\",\"text\":\"\",\"cid\":\"\"}", &e);
    cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    must_fail("{\"type\":\"room.send\",\"id\":\"1\",\"room\":\"ab1\",\"text\":\"\",\"cid\":\"\"}", &e);
    cr_expect(strstr(e.message, "'text'"), "%s", e.message);
    must_fail("{\"type\":\"room.send\",\"id\":\"1\",\"room\":\"ab1\",\"text\":\"x\",\"cid\":\"\"}", &e);
    cr_expect(strstr(e.message, "'cid'"), "%s", e.message);
    /* The type is checked before the id. */
    cr_expect_eq(must_fail("{\"id\":[]}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'type'"), "%s", e.message);
}

Test(request, raw_bytes)
{
    struct proto_decode_error e;
    struct proto_request r;
    static const char with_nul[] = "{\"type\":\"ping\",\"id\":\"1\"}\0garbage";
    cr_expect_eq(proto_request_decode(with_nul, sizeof with_nul - 1, &r, &e), PROTO_E_BAD_JSON);
    /* The length bounds the parse: the prefix alone is a good ping. */
    cr_expect_eq(proto_request_decode(with_nul, strlen(with_nul), &r, &e), PROTO_OK);
    proto_request_free(&r);
    cr_expect_eq(proto_request_decode(NULL, 0, &r, &e), PROTO_E_BAD_JSON);
    static const char bad_utf8[] = "{\"type\":\"ping\",\"id\":\"\xff\"}";
    cr_expect_eq(proto_request_decode(bad_utf8, sizeof bad_utf8 - 1, &r, &e), PROTO_E_BAD_JSON);
    cr_expect_eq(must_fail("{\"type\":\"ping\",\"id\":\"1\",\"id\":\"1\"}", &e), PROTO_E_BAD_JSON);
}

Test(request, encode_every_type_round_trips)
{
    struct proto_request in[PROTO_REQ__COUNT];
    memset(in, 0, sizeof in);
    for (int t = 0; t < PROTO_REQ__COUNT; t++) {
        in[t].type = t;
        in[t].id = "id-1";
    }
    in[PROTO_REQ_AUTH_REGISTER].u.reg.handle = "alice";
    in[PROTO_REQ_AUTH_REGISTER].u.reg.password = "correct horse battery";
    in[PROTO_REQ_AUTH_REGISTER].u.reg.invite = "inv";
    in[PROTO_REQ_AUTH_LOGIN].u.login.handle = "alice";
    in[PROTO_REQ_AUTH_LOGIN].u.login.password = "pw";
    in[PROTO_REQ_AUTH_RESUME].u.resume.token =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    in[PROTO_REQ_AUTH_PASSWORD].u.password.old_password = "pw";
    in[PROTO_REQ_AUTH_PASSWORD].u.password.new_password = "twelve bytes!";
    in[PROTO_REQ_PRESENCE_SET].u.presence.status = PROTO_STATUS_BUSY;
    in[PROTO_REQ_ROOM_CREATE].u.create.room = "lobby";
    in[PROTO_REQ_ROOM_CREATE].u.create.title = "Lobby";
    in[PROTO_REQ_ROOM_CREATE].u.create.topic = "Say hi";
    in[PROTO_REQ_ROOM_CREATE].u.create.visibility = PROTO_VIS_INVITE;
    in[PROTO_REQ_ROOM_JOIN].u.join.room = "lobby";
    in[PROTO_REQ_ROOM_LEAVE].u.room.room = "lobby";
    in[PROTO_REQ_ROOM_MEMBERS].u.room.room = "lobby";
    in[PROTO_REQ_ROOM_INVITE].u.invite.room = "lobby";
    in[PROTO_REQ_ROOM_INVITE].u.invite.hours = 720;
    in[PROTO_REQ_ROOM_INVITE].u.invite.uses = 1;
    in[PROTO_REQ_ROOM_INVITES].u.room.room = "lobby";
    in[PROTO_REQ_ROOM_INVITE_REVOKE].u.invite.room = "lobby";
    in[PROTO_REQ_ROOM_INVITE_REVOKE].u.invite.code = "k3J9-aa";
    in[PROTO_REQ_ROOM_SEND].u.send.room = "lobby";
    in[PROTO_REQ_ROOM_SEND].u.send.text = "hello \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_ROOM_SEND].u.send.cid = "c1";
    in[PROTO_REQ_ROOM_HISTORY].u.history.room = "lobby";
    in[PROTO_REQ_ROOM_HISTORY].u.history.before = 77;
    in[PROTO_REQ_ROOM_HISTORY].u.history.limit = 10;
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.room = "circle";
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.has_meeting = true;
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.meeting = true;
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.format = "Welcome \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.has_share = true;
    in[PROTO_REQ_ROOM_CONFIGURE].u.configure.share_seconds = 600;
    in[PROTO_REQ_ROOM_ROLE].u.role.room = "circle";
    in[PROTO_REQ_ROOM_ROLE].u.role.handle = "bob";
    in[PROTO_REQ_ROOM_ROLE].u.role.role = PROTO_RROLE_MODERATOR;
    in[PROTO_REQ_MEETING_CHAIR].u.who.room = "circle";
    in[PROTO_REQ_MEETING_CHAIR].u.who.handle = "alice";
    in[PROTO_REQ_MEETING_FLOOR].u.who.room = "circle";
    in[PROTO_REQ_MEETING_FLOOR].u.who.handle = "carol";
    in[PROTO_REQ_MEETING_HAND].u.hand.room = "circle";
    in[PROTO_REQ_MEETING_HAND].u.hand.raised = true;
    in[PROTO_REQ_MEETING_MODE].u.mode.room = "circle";
    in[PROTO_REQ_MEETING_MODE].u.mode.has_mode = true;
    in[PROTO_REQ_MEETING_MODE].u.mode.mode = PROTO_MODE_OPEN;
    in[PROTO_REQ_MEETING_MODE].u.mode.has_auto = true;
    in[PROTO_REQ_MEETING_MODE].u.mode.auto_floor = true;
    in[PROTO_REQ_MEETING_OPEN].u.room.room = "circle";
    in[PROTO_REQ_MEETING_CLOSE].u.room.room = "circle";
    in[PROTO_REQ_MEETING_DONE].u.room.room = "circle";
    in[PROTO_REQ_MEETING_STATE].u.room.room = "circle";
    in[PROTO_REQ_MOD_MUTE].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_MUTE].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_MUTE].u.mod.minutes = 60;
    in[PROTO_REQ_MOD_MUTE].u.mod.reason = "spam \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_MOD_UNMUTE].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_UNMUTE].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_REMOVE].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_REMOVE].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_REMOVE].u.mod.reason = "";
    in[PROTO_REQ_MOD_BAN].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_BAN].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_BAN].u.mod.minutes = 525600;
    in[PROTO_REQ_MOD_UNBAN].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_UNBAN].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_DELETE].u.mod.room = "lobby";
    in[PROTO_REQ_MOD_DELETE].u.mod.seq = 17;
    in[PROTO_REQ_MOD_DELETE].u.mod.reason = "doxxing";
    in[PROTO_REQ_MOD_SUSPEND].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_SUSPEND].u.mod.days = 3650;
    in[PROTO_REQ_MOD_UNSUSPEND].u.mod.handle = "troll";
    in[PROTO_REQ_MOD_SETTINGS].u.modset.room = "lobby";
    in[PROTO_REQ_MOD_SETTINGS].u.modset.has_slow = true;
    in[PROTO_REQ_MOD_SETTINGS].u.modset.has_locked = true;
    in[PROTO_REQ_MOD_SETTINGS].u.modset.has_limit = true;
    in[PROTO_REQ_MOD_SETTINGS].u.modset.has_newcomer = true;
    in[PROTO_REQ_MOD_SETTINGS].u.modset.set =
        (struct proto_mod_settings){.slow_seconds = 30, .locked = true, .member_limit = 0,
                                    .newcomer_seconds = 86400};
    in[PROTO_REQ_MOD_LOG].u.modlog.room = "lobby";
    in[PROTO_REQ_MOD_LOG].u.modlog.before = 12;
    in[PROTO_REQ_MOD_LOG].u.modlog.limit = 100;
    in[PROTO_REQ_BLOCK_ADD].u.block.handle = "troy";
    in[PROTO_REQ_BLOCK_REMOVE].u.block.handle = "troy";
    in[PROTO_REQ_REPORT_CREATE].u.report.room = "porch";
    in[PROTO_REQ_REPORT_CREATE].u.report.seq = 42;
    in[PROTO_REQ_REPORT_CREATE].u.report.reason = "cruel \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_REPORT_LIST].u.reports.all = true;
    in[PROTO_REQ_REPORT_RESOLVE].u.resolve.id = 12;
    in[PROTO_REQ_REPORT_RESOLVE].u.resolve.outcome = "actioned";
    in[PROTO_REQ_MEETING_ATTENDANCE].u.attendance.utc_offset_minutes = -300;
    in[PROTO_REQ_MEETING_ATTENDANCE].u.attendance.weeks = 8;
    in[PROTO_REQ_MEETING_SCHEDULE].u.schedule.room = "circle";
    in[PROTO_REQ_MEETING_SCHEDULE].u.schedule.has_slots = true;
    in[PROTO_REQ_MEETING_UPCOMING].u.upcoming.days = 14;
    in[PROTO_REQ_MEETING_UPCOMING].u.upcoming.limit = 200;
    in[PROTO_REQ_BUDDY_REQUEST].u.buddy.handle = "bob";
    in[PROTO_REQ_BUDDY_ACCEPT].u.buddy.handle = "bob";
    in[PROTO_REQ_BUDDY_DECLINE].u.buddy.handle = "bob";
    in[PROTO_REQ_BUDDY_CANCEL].u.buddy.handle = "bob";
    in[PROTO_REQ_BUDDY_END].u.buddy.handle = "bob";
    in[PROTO_REQ_BUDDY_PING].u.ping.handle = "bob";
    in[PROTO_REQ_BUDDY_PING].u.ping.kind = PROTO_PING_TEXT;
    in[PROTO_REQ_BUDDY_PING].u.ping.text = "thinking of you \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_BUDDY_PING].u.ping.cid = "p-1";
    in[PROTO_REQ_BUDDY_PING_SEEN].u.by_id.id = 41;
    in[PROTO_REQ_MATCH_JOIN].u.match = (struct proto_match_prefs){
        .utc_offset_minutes = -300, .language = "en", .approach = PROTO_APPROACH_SMART,
        .clean_days = 90, .want_more_clean_time = true};
    in[PROTO_REQ_MATCH_ACCEPT].u.by_id.id = 7;
    in[PROTO_REQ_MATCH_DECLINE].u.by_id.id = 7;
    in[PROTO_REQ_SUPPORT_ASK].u.ask.urgency = PROTO_URGENCY_CRAVING;
    in[PROTO_REQ_SUPPORT_ASK].u.ask.note = "rough night \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_SUPPORT_ASK].u.ask.cid = "s-1";
    in[PROTO_REQ_SUPPORT_CANCEL].u.support.request = 31;
    in[PROTO_REQ_SUPPORT_ACCEPT].u.support.request = 31;
    in[PROTO_REQ_SUPPORT_CLOSE].u.support.request = 31;
    in[PROTO_REQ_SUPPORT_CLOSE].u.support.thanks = "thank you \xf0\x9f\x8c\xb1";
    in[PROTO_REQ_SUPPORT_HANDBACK].u.support.request = 31;
    in[PROTO_REQ_SUPPORT_AVAILABLE].u.available.on = true;
    in[PROTO_REQ_SUPPORT_STATS].u.stats.days = 90;
    in[PROTO_REQ_SETTINGS_SET].u.settings.has_threshold = true;
    in[PROTO_REQ_SETTINGS_SET].u.settings.set.warning_threshold = 4;
    in[PROTO_REQ_CHECKIN_SUBMIT].u.checkin = (struct proto_checkin){
        .mood = 4, .craving = 2, .grateful = "my sister \xf0\x9f\x8c\xb1", .note = "slept badly"};
    in[PROTO_REQ_CHECKIN_LIST].u.range.from = "2026-11-01";
    in[PROTO_REQ_CHECKIN_LIST].u.range.limit = 366;
    in[PROTO_REQ_CHECKIN_JOURNAL].u.range.before = "2028-02-29";
    in[PROTO_REQ_CHECKIN_SUMMARY].u.summary.months = true;
    in[PROTO_REQ_SOBRIETY_SET].u.sobriety.date = "2026-05-31";
    in[PROTO_REQ_SOBRIETY_GET].u.of.handle = "bob";
    in[PROTO_REQ_ACCOUNT_EXPORT].u.export.export_id = "9f3ab2c41d";
    in[PROTO_REQ_ACCOUNT_EXPORT].u.export.part = 2;
    in[PROTO_REQ_ACCOUNT_DELETE].u.del.password = "correct horse battery";
    in[PROTO_REQ_ACCOUNT_DELETE].u.del.confirm = PROTO_DELETE_CONFIRM;
    in[PROTO_REQ_ROOM_READ].u.read.room = "~k3j9aa11";
    in[PROTO_REQ_ROOM_READ].u.read.seq = 7;
    in[PROTO_REQ_MOD_SANCTIONS].u.room.room = "lobby";

    for (int t = 0; t < PROTO_REQ__COUNT; t++) {
        struct proto_request out;
        struct proto_decode_error e;
        char *s = proto_request_encode(&in[t]), *s2;
        cr_assert(s, "encode %s", proto_req_name(t));
        cr_assert_eq(proto_request_decode(s, strlen(s), &out, &e), PROTO_OK, "%s: %s", s, e.message);
        cr_expect_eq(out.type, (enum proto_req_type)t);
        cr_expect_str_eq(out.id, "id-1");
        s2 = proto_request_encode(&out);
        cr_expect_str_eq(s, s2);
        free(s2);
        proto_request_free(&out);
        free(s);
    }
}

Test(request, encode_omits_unset_optionals)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_HISTORY, .id = "h"};
    char *s;
    r.u.history.room = "lobby";
    s = proto_request_encode(&r);
    cr_assert(s);
    cr_expect_str_eq(s, "{\"type\":\"room.history\",\"id\":\"h\",\"room\":\"lobby\"}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_ROOM_JOIN, .id = "j"};
    r.u.join.room = "lobby";
    expect_json(proto_request_encode(&r),
                "{\"type\":\"room.join\",\"id\":\"j\",\"room\":\"lobby\"}");
}

Test(request, encode_refuses_missing_required)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_SEND, .id = "1"};
    r.u.send.room = "lobby";
    r.u.send.text = "hi";
    cr_expect_null(proto_request_encode(&r), "cid missing");
    r.u.send.cid = "c";
    r.id = NULL;
    cr_expect_null(proto_request_encode(&r), "id missing");
    r.id = "1";
    r.u.send.text = "bad \xff utf-8";
    cr_expect_null(proto_request_encode(&r), "invalid UTF-8");
    r.type = PROTO_REQ__COUNT;
    cr_expect_null(proto_request_encode(&r));
    cr_expect_null(proto_request_encode(NULL));
    r = (struct proto_request){.type = PROTO_REQ_PRESENCE_SET, .id = "1"};
    r.u.presence.status = PROTO_STATUS__COUNT;
    cr_expect_null(proto_request_encode(&r));
}
