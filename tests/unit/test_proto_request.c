/*
 * proto_request: decoding (server side) and encoding (client side) of
 * requests, beyond what the golden vectors check: decoded values, defaults,
 * pointer lifetimes, generated bounds and encoder failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

static enum proto_err dec(const char *text, struct proto_request *r, struct proto_decode_error *e)
{
    return proto_request_decode(text, strlen(text), r, e);
}

static void must_decode(const char *text, struct proto_request *r)
{
    struct proto_decode_error e;
    enum proto_err rc = dec(text, r, &e);
    cr_assert(rc == PROTO_OK, "%s -> %s (%s)", text, proto_err_code(rc), e.message);
}

static enum proto_err must_fail(const char *text, struct proto_decode_error *e)
{
    struct proto_request r;
    enum proto_err rc = dec(text, &r, e);
    cr_assert(rc != PROTO_OK, "%s decoded but should not", text);
    cr_expect_null(r._root);
    return rc;
}

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
    static const char *const types[] = {"room.leave", "room.members", "room.invite"};
    for (int i = 0; i < 3; i++) {
        char buf[128];
        struct proto_request r;
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\",\"room\":\"Lobby\"}", types[i]);
        must_decode(buf, &r);
        cr_expect_str_eq(r.u.room.room, "lobby");
        proto_request_free(&r);
    }
}

/* Builds room.send with `n` copies of the UTF-8 sequence `ch`. */
static char *send_with(const char *ch, int n)
{
    size_t cl = strlen(ch), len = 128 + cl * (size_t)n;
    char *buf = malloc(len), *p;
    p = buf + sprintf(buf, "{\"type\":\"room.send\",\"id\":\"s\",\"room\":\"lobby\",\"cid\":\"c\",\"text\":\"");
    for (int i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    strcpy(p, "\"}");
    return buf;
}

Test(request, text_bounds_by_code_point)
{
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1", "\\n",
                                         "\\u00e9", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        struct proto_request r;
        struct proto_decode_error e;
        char *ok = send_with(widths[w], 4000), *bad = send_with(widths[w], 4001);
        must_decode(ok, &r);
        cr_expect_eq(proto_utf8_chars(r.u.send.text, strlen(r.u.send.text)), 4000);
        proto_request_free(&r);
        cr_expect_eq(must_fail(bad, &e), PROTO_E_TEXT_TOO_LONG, "width %zu", w);
        cr_expect_str_eq(e.id, "s");
        cr_expect(strstr(e.message, "'text'"));
        free(ok);
        free(bad);
    }
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
    in[PROTO_REQ_ROOM_INVITE].u.room.room = "lobby";
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
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"room.join\",\"id\":\"j\",\"room\":\"lobby\"}");
    free(s);
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

/* ------------------------------------------------------------- meetings */

Test(meeting_request, configure_parts)
{
    struct proto_request r;
    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"Circle\",\"meeting\":true}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_CONFIGURE);
    cr_expect_str_eq(r.u.configure.room, "circle");
    cr_expect(r.u.configure.has_meeting);
    cr_expect(r.u.configure.meeting);
    cr_expect_null(r.u.configure.format, "format NULL when absent");
    cr_expect_not(r.u.configure.has_share);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"meeting\":false,"
                "\"format\":\"\",\"share_seconds\":1800}", &r);
    cr_expect(r.u.configure.has_meeting);
    cr_expect_not(r.u.configure.meeting);
    cr_assert_not_null(r.u.configure.format, "an empty format is given, not absent");
    cr_expect_str_eq(r.u.configure.format, "");
    cr_expect(r.u.configure.has_share);
    cr_expect_eq(r.u.configure.share_seconds, 1800);
    proto_request_free(&r);

    must_decode("{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"share_seconds\":60,"
                "\"meeting\":null}", &r);
    cr_expect_not(r.u.configure.has_meeting, "null is absent");
    cr_expect(r.u.configure.has_share);
    cr_expect_eq(r.u.configure.share_seconds, 60);
    proto_request_free(&r);
}

Test(meeting_request, configure_share_bounds)
{
    static const struct { long v; bool ok; } cases[] = {
        {59, false}, {60, true}, {61, true}, {300, true}, {1799, true}, {1800, true},
        {1801, false}, {0, false}, {-60, false}, {4294967356L, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[160];
        struct proto_request r;
        struct proto_decode_error e;
        snprintf(buf, sizeof buf,
                 "{\"type\":\"room.configure\",\"id\":\"s\",\"room\":\"circle\",\"share_seconds\":%ld}",
                 cases[i].v);
        if (cases[i].ok) {
            must_decode(buf, &r);
            cr_expect_eq(r.u.configure.share_seconds, (uint32_t)cases[i].v);
            proto_request_free(&r);
        } else {
            cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD, "%ld", cases[i].v);
            cr_expect(strstr(e.message, "'share_seconds'"), "%s", e.message);
            cr_expect_str_eq(e.id, "s");
        }
    }
}

/* Builds room.configure whose format is `n` copies of the UTF-8 sequence `ch`. */
static char *configure_with_format(const char *ch, int n)
{
    size_t cl = strlen(ch), len = 128 + cl * (size_t)n;
    char *buf = malloc(len), *p;
    p = buf + sprintf(buf, "{\"type\":\"room.configure\",\"id\":\"f\",\"room\":\"circle\",\"format\":\"");
    for (int i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    strcpy(p, "\"}");
    return buf;
}

Test(meeting_request, configure_format_bounds_by_code_point)
{
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1",
                                         "\\n", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        struct proto_request r;
        struct proto_decode_error e;
        char *ok = configure_with_format(widths[w], PROTO_FORMAT_MAX),
             *bad = configure_with_format(widths[w], PROTO_FORMAT_MAX + 1);
        must_decode(ok, &r);
        cr_expect_eq(proto_utf8_chars(r.u.configure.format, strlen(r.u.configure.format)), 4000);
        proto_request_free(&r);
        cr_expect_eq(must_fail(bad, &e), PROTO_E_TEXT_TOO_LONG, "width %zu", w);
        cr_expect(strstr(e.message, "'format'"), "%s", e.message);
        cr_expect_str_eq(e.id, "f");
        free(ok);
        free(bad);
    }
}

Test(meeting_request, configure_needs_a_part)
{
    struct proto_decode_error e;
    cr_expect_eq(must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'meeting', 'format' or 'share_seconds'.");
    cr_expect_eq(must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\","
                           "\"meeting\":null,\"format\":null,\"share_seconds\":null}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'meeting', 'format' or 'share_seconds'.");
    /* A bad room is reported first, before the missing parts. */
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"c\"}", &e);
    cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\",\"meeting\":\"true\"}", &e);
    cr_expect(strstr(e.message, "'meeting'"), "%s", e.message);
    must_fail("{\"type\":\"room.configure\",\"id\":\"n\",\"room\":\"circle\",\"format\":[]}", &e);
    cr_expect(strstr(e.message, "'format'"), "%s", e.message);
}

Test(meeting_request, role_fields_and_folding)
{
    struct proto_request r, *copy = malloc(sizeof *copy);
    struct proto_decode_error e;

    must_decode("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"CIRCLE\",\"handle\":\"BoB\","
                "\"role\":\"moderator\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_ROOM_ROLE);
    cr_expect_eq(r.u.role.role, PROTO_RROLE_MODERATOR);
    cr_expect_str_eq(r._folded[0], "circle");
    cr_expect_str_eq(r._folded[1], "bob");
    /* Both folded names survive a struct copy (they point into _root). */
    *copy = r;
    memset(&r, 0x5A, sizeof r);
    cr_expect_str_eq(copy->u.role.room, "circle");
    cr_expect_str_eq(copy->u.role.handle, "bob");
    proto_request_free(copy);
    free(copy);

    must_decode("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                "\"role\":\"member\"}", &r);
    cr_expect_eq(r.u.role.role, PROTO_RROLE_MEMBER);
    proto_request_free(&r);

    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                           "\"role\":\"host\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'role'") && strstr(e.message, "host"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"bob\","
                           "\"role\":\"admin\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'role'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"b\u00f6b\","
                           "\"role\":\"member\"}", &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
    /* Order: room, handle, role. */
    must_fail("{\"type\":\"room.role\",\"id\":\"r\",\"room\":\"circle\",\"handle\":\"b\",\"role\":\"x\"}", &e);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
}

Test(meeting_request, chair_and_floor)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode("{\"type\":\"meeting.chair\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"Alice\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MEETING_CHAIR);
    cr_expect_str_eq(r.u.who.room, "circle");
    cr_expect_str_eq(r.u.who.handle, "alice");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.chair\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);

    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\"}", &r);
    cr_expect_eq(r.type, PROTO_REQ_MEETING_FLOOR);
    cr_expect_null(r.u.who.handle, "no handle: next in line");
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":null}", &r);
    cr_expect_null(r.u.who.handle);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"DAN\"}", &r);
    cr_expect_str_eq(r.u.who.handle, "dan");
    cr_expect_str_eq(r._folded[1], "dan");
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.floor\",\"id\":\"1\",\"room\":\"circle\",\"handle\":\"\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'handle'"), "%s", e.message);
}

Test(meeting_request, hand_and_mode)
{
    struct proto_request r;
    struct proto_decode_error e;

    must_decode("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":true}", &r);
    cr_expect(r.u.hand.raised);
    cr_expect_str_eq(r.u.hand.room, "circle");
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":false}", &r);
    cr_expect_not(r.u.hand.raised);
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'raised'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"meeting.hand\",\"id\":\"1\",\"room\":\"circle\",\"raised\":0}", &e),
                 PROTO_E_INVALID_FIELD);

    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"open\"}", &r);
    cr_expect(r.u.mode.has_mode);
    cr_expect_eq(r.u.mode.mode, PROTO_MODE_OPEN);
    cr_expect_not(r.u.mode.has_auto);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"auto\":true}", &r);
    cr_expect_not(r.u.mode.has_mode);
    cr_expect(r.u.mode.has_auto);
    cr_expect(r.u.mode.auto_floor);
    proto_request_free(&r);
    must_decode("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"one_speaker\","
                "\"auto\":false}", &r);
    cr_expect(r.u.mode.has_mode && r.u.mode.has_auto);
    cr_expect_eq(r.u.mode.mode, PROTO_MODE_ONE_SPEAKER);
    cr_expect_not(r.u.mode.auto_floor);
    proto_request_free(&r);
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\"}", &e),
                 PROTO_E_INVALID_FIELD);
    cr_expect_str_eq(e.message, "Give at least one of 'mode' or 'auto'.");
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"mode\":\"host\"}",
                           &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'mode'"), "%s", e.message);
    cr_expect_eq(must_fail("{\"type\":\"meeting.mode\",\"id\":\"1\",\"room\":\"circle\",\"auto\":\"yes\"}",
                           &e), PROTO_E_INVALID_FIELD);
    cr_expect(strstr(e.message, "'auto'"), "%s", e.message);
}

Test(meeting_request, room_only_types)
{
    static const struct { const char *name; enum proto_req_type t; } types[] = {
        {"meeting.open", PROTO_REQ_MEETING_OPEN}, {"meeting.close", PROTO_REQ_MEETING_CLOSE},
        {"meeting.done", PROTO_REQ_MEETING_DONE}, {"meeting.state", PROTO_REQ_MEETING_STATE}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char buf[128];
        struct proto_request r;
        struct proto_decode_error e;
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\",\"room\":\"Circle\"}", types[i].name);
        must_decode(buf, &r);
        cr_expect_eq(r.type, types[i].t, "%s", types[i].name);
        cr_expect_str_eq(r.u.room.room, "circle");
        cr_expect_not(proto_req_allowed_unauthenticated(r.type), "%s needs auth", types[i].name);
        proto_request_free(&r);
        snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":\"1\"}", types[i].name);
        cr_expect_eq(must_fail(buf, &e), PROTO_E_INVALID_FIELD);
        cr_expect(strstr(e.message, "'room'"), "%s", e.message);
    }
}

Test(meeting_request, encode_optional_parts)
{
    struct proto_request r = {.type = PROTO_REQ_ROOM_CONFIGURE, .id = "c"};
    char *s;

    r.u.configure.room = "circle";
    r.u.configure.has_share = true;
    r.u.configure.share_seconds = 120;
    r.u.configure.meeting = true;   /* ignored: has_meeting is false */
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"share_seconds\":120}");
    free(s);
    r.u.configure.has_share = false;
    r.u.configure.has_meeting = true;
    r.u.configure.meeting = false;
    r.u.configure.format = "";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"room.configure\",\"id\":\"c\",\"room\":\"circle\",\"meeting\":false,"
                        "\"format\":\"\"}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MEETING_MODE, .id = "m"};
    r.u.mode.room = "circle";
    r.u.mode.has_auto = true;
    r.u.mode.mode = PROTO_MODE_OPEN;   /* ignored: has_mode is false */
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"meeting.mode\",\"id\":\"m\",\"room\":\"circle\",\"auto\":false}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MEETING_FLOOR, .id = "f"};
    r.u.who.room = "circle";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"meeting.floor\",\"id\":\"f\",\"room\":\"circle\"}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MEETING_HAND, .id = "h"};
    r.u.hand.room = "circle";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"meeting.hand\",\"id\":\"h\",\"room\":\"circle\",\"raised\":false}",
                     "raised is always written");
    free(s);
}

Test(meeting_request, encode_refuses_missing_required)
{
    struct proto_request r = {.type = PROTO_REQ_MEETING_CHAIR, .id = "1"};
    r.u.who.room = "circle";
    cr_expect_null(proto_request_encode(&r), "chair needs a handle");
    r = (struct proto_request){.type = PROTO_REQ_ROOM_ROLE, .id = "1"};
    r.u.role.room = "circle";
    r.u.role.handle = "bob";
    r.u.role.role = PROTO_RROLE__COUNT;
    cr_expect_null(proto_request_encode(&r), "bad role");
    r = (struct proto_request){.type = PROTO_REQ_MEETING_MODE, .id = "1"};
    r.u.mode.room = "circle";
    r.u.mode.has_mode = true;
    r.u.mode.mode = PROTO_MODE__COUNT;
    cr_expect_null(proto_request_encode(&r), "bad mode");
    r = (struct proto_request){.type = PROTO_REQ_MEETING_STATE, .id = "1"};
    cr_expect_null(proto_request_encode(&r), "room missing");
}

/* ----------------------------------------------------------- moderation */

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

/* Builds mod.mute whose reason is `n` copies of the UTF-8 sequence `ch`. */
static char *mute_with_reason(const char *ch, int n)
{
    size_t cl = strlen(ch), len = 128 + cl * (size_t)n;
    char *buf = malloc(len), *p;
    p = buf + sprintf(buf, "{\"type\":\"mod.mute\",\"id\":\"q\",\"room\":\"lobby\",\"handle\":\"troll\","
                           "\"reason\":\"");
    for (int i = 0; i < n; i++, p += cl)
        memcpy(p, ch, cl);
    strcpy(p, "\"}");
    return buf;
}

Test(mod_request, reason_bounds_by_code_point)
{
    static const char *const widths[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8c\xb1",
                                         "\\n", "\\ud83c\\udf31"};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        struct proto_request r;
        struct proto_decode_error e;
        char *ok = mute_with_reason(widths[w], PROTO_REASON_MAX),
             *bad = mute_with_reason(widths[w], PROTO_REASON_MAX + 1),
             *empty = mute_with_reason(widths[w], 0);
        must_decode(ok, &r);
        cr_expect_eq(proto_utf8_chars(r.u.mod.reason, strlen(r.u.mod.reason)), PROTO_REASON_MAX);
        proto_request_free(&r);
        must_decode(empty, &r);
        cr_assert_not_null(r.u.mod.reason, "an empty reason is given, not absent");
        cr_expect_str_eq(r.u.mod.reason, "");
        proto_request_free(&r);
        cr_expect_eq(must_fail(bad, &e), PROTO_E_INVALID_FIELD, "width %zu", w);
        cr_expect(strstr(e.message, "'reason'"), "%s", e.message);
        cr_expect_str_eq(e.id, "q");
        free(ok);
        free(bad);
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
    char *s;

    r.u.mod.room = "lobby";
    r.u.mod.handle = "troll";
    r.u.mod.days = 3;   /* ignored: mute has minutes */
    r.u.mod.seq = 9;    /* ignored */
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.mute\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\"}");
    free(s);
    r.u.mod.minutes = 5;
    r.u.mod.reason = "";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.mute\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\","
                        "\"minutes\":5,\"reason\":\"\"}");
    free(s);

    r.type = PROTO_REQ_MOD_UNBAN;   /* minutes is not an unban member */
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.unban\",\"id\":\"m\",\"room\":\"lobby\",\"handle\":\"troll\","
                        "\"reason\":\"\"}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MOD_SUSPEND, .id = "s"};
    r.u.mod.room = "lobby";   /* never written: suspend is server-wide */
    r.u.mod.handle = "troll";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.suspend\",\"id\":\"s\",\"handle\":\"troll\"}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MOD_SETTINGS, .id = "t"};
    r.u.modset.room = "lobby";
    r.u.modset.has_limit = true;
    r.u.modset.set.member_limit = 0;
    r.u.modset.set.slow_seconds = 30;   /* ignored: has_slow is false */
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.settings\",\"id\":\"t\",\"room\":\"lobby\",\"member_limit\":0}");
    free(s);

    r = (struct proto_request){.type = PROTO_REQ_MOD_LOG, .id = "l"};
    r.u.modlog.room = "lobby";
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.log\",\"id\":\"l\",\"room\":\"lobby\"}");
    free(s);
}

Test(mod_request, encode_refuses_missing_required)
{
    struct proto_request r = {.type = PROTO_REQ_MOD_DELETE, .id = "1"};
    char *s;
    r.u.mod.room = "lobby";
    cr_expect_null(proto_request_encode(&r), "delete needs a seq");
    r.u.mod.seq = 1;
    s = proto_request_encode(&r);
    cr_expect_str_eq(s, "{\"type\":\"mod.delete\",\"id\":\"1\",\"room\":\"lobby\",\"seq\":1}");
    free(s);
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
