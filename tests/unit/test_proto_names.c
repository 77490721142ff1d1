/*
 * proto_names: enum <-> wire names, error codes and sentences, name
 * folding, UTF-8 counting.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

Test(errors, every_code_has_a_name_and_a_sentence)
{
    for (int e = 0; e < PROTO_E__COUNT; e++) {
        const char *code = proto_err_code(e), *s = proto_err_sentence(e);
        size_t n;
        cr_assert(code && *code, "code %d has no wire name", e);
        cr_assert(s, "code %d has no sentence", e);
        n = strlen(s);
        cr_expect(n > 5 && s[0] >= 'A' && s[0] <= 'Z' && s[n - 1] == '.',
                  "sentence of %s is not a sentence: '%s'", code, s);
        for (int f = 0; f < e; f++)
            cr_expect_str_neq(code, proto_err_code(f), "codes %d and %d share a name", e, f);
    }
}

Test(errors, wire_names_are_stable)
{
    /* Clients switch on these strings: they must never change. */
    static const char *const want[PROTO_E__COUNT] = {
        "ok", "bad_json", "unknown_type", "invalid_field", "not_authenticated",
        "already_authenticated", "invalid_credentials", "handle_taken", "password_policy",
        "invite_required", "invite_invalid", "token_invalid", "login_throttled", "rate_limited",
        "room_not_found", "room_exists", "not_member", "forbidden", "text_too_long", "server_busy",
        "shutting_down", "internal", "not_a_meeting", "meeting_closed", "one_speaker",
        "queue_empty", "user_not_found", "muted", "banned", "room_locked", "room_full",
        "slow_mode", "newcomer_wait", "suspended", "message_not_found", "report_not_found",
        "unknown_time_zone", "already_buddies", "not_buddies", "buddy_limit",
        "request_not_found", "ping_not_found", "not_in_pool", "conversation", "support_taken",
        "support_closed", "not_on_duty", "unknown_sign", "future_date", "not_a_conversation"};
    for (int e = 0; e < PROTO_E__COUNT; e++) {
        cr_assert(want[e], "no expected name for code %d: extend this table", e);
        cr_expect_str_eq(proto_err_code(e), want[e]);
    }
}

Test(errors, meeting_codes_and_sentences)
{
    /* PROTOCOL.md section 9 fixes these sentences; the server sends them as they are. */
    static const struct { enum proto_err e; const char *code, *sentence; } want[] = {
        {PROTO_E_NOT_A_MEETING, "not_a_meeting", "This room is not a meeting room."},
        {PROTO_E_MEETING_CLOSED, "meeting_closed", "The meeting is not open right now."},
        {PROTO_E_ONE_SPEAKER, "one_speaker",
         "Only the person who has the floor can post right now; raise your hand to share."},
        {PROTO_E_QUEUE_EMPTY, "queue_empty", "Nobody has a hand raised."},
        {PROTO_E_USER_NOT_FOUND, "user_not_found",
         "There is no member of this room with that handle."},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        enum proto_err e = PROTO_E_INTERNAL;
        cr_expect_str_eq(proto_err_code(want[i].e), want[i].code);
        cr_expect_str_eq(proto_err_sentence(want[i].e), want[i].sentence);
        cr_expect(proto_err_parse(want[i].code, &e), "%s", want[i].code);
        cr_expect_eq(e, want[i].e, "%s", want[i].code);
    }
    /* The new codes are not "internal" in disguise. */
    cr_expect_str_neq(proto_err_sentence(PROTO_E_USER_NOT_FOUND),
                      proto_err_sentence(PROTO_E_INTERNAL));
}

Test(errors, moderation_codes_and_sentences)
{
    /* PROTOCOL.md section 9 fixes these sentences; the server sends them as they are. */
    static const struct { enum proto_err e; const char *code, *sentence; } want[] = {
        {PROTO_E_MUTED, "muted", "A moderator has muted you in this room."},
        {PROTO_E_BANNED, "banned", "You are banned from this room."},
        {PROTO_E_ROOM_LOCKED, "room_locked",
         "This room is locked: it takes no new members right now."},
        {PROTO_E_ROOM_FULL, "room_full", "This room is full."},
        {PROTO_E_SLOW_MODE, "slow_mode",
         "This room is in slow mode; please wait before posting again."},
        {PROTO_E_NEWCOMER_WAIT, "newcomer_wait",
         "New members wait a little before their first post here."},
        {PROTO_E_SUSPENDED, "suspended", "This account is suspended."},
        {PROTO_E_MESSAGE_NOT_FOUND, "message_not_found",
         "There is no message with that number in this room."},
    };
    cr_assert_eq(sizeof want / sizeof want[0], PROTO_E_MESSAGE_NOT_FOUND + 1 - PROTO_E_MUTED,
                 "every moderation code is listed here");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        enum proto_err e = PROTO_E_INTERNAL;
        cr_expect_str_eq(proto_err_code(want[i].e), want[i].code);
        cr_expect_str_eq(proto_err_sentence(want[i].e), want[i].sentence);
        cr_expect(proto_err_parse(want[i].code, &e), "%s", want[i].code);
        cr_expect_eq(e, want[i].e, "%s", want[i].code);
    }
    /* The last code is a real one, and out of range still reads as internal. */
    cr_expect_str_eq(proto_err_code(PROTO_E_MESSAGE_NOT_FOUND), "message_not_found");
    cr_expect_str_eq(proto_err_code(PROTO_E__COUNT), "internal");
    cr_expect_str_neq(proto_err_sentence(PROTO_E_MESSAGE_NOT_FOUND),
                      proto_err_sentence(PROTO_E_INTERNAL));
}

Test(errors, parse_round_trip_and_unknown)
{
    enum proto_err e;
    for (int i = 1; i < PROTO_E__COUNT; i++) {
        cr_assert(proto_err_parse(proto_err_code(i), &e), "%s", proto_err_code(i));
        cr_expect_eq(e, i);
    }
    e = PROTO_E_BAD_JSON;
    cr_expect_not(proto_err_parse("no_such_code", &e));
    cr_expect_eq(e, PROTO_E_INTERNAL);
    e = PROTO_E_BAD_JSON;
    cr_expect_not(proto_err_parse("ok", &e), "ok is not an error code on the wire");
    cr_expect_eq(e, PROTO_E_INTERNAL);
    cr_expect_not(proto_err_parse(NULL, &e));
    cr_expect_not(proto_err_parse("RATE_LIMITED", &e));
}

Test(errors, out_of_range_is_internal)
{
    cr_expect_str_eq(proto_err_code(PROTO_E__COUNT), "internal");
    cr_expect_str_eq(proto_err_code((enum proto_err)-1), "internal");
    cr_expect_str_eq(proto_err_sentence((enum proto_err)999), proto_err_sentence(PROTO_E_INTERNAL));
}

Test(enums, status_role_visibility_round_trip)
{
    static const char *const st[] = {"offline", "available", "away", "busy", "invisible"};
    static const char *const ro[] = {"member", "moderator", "admin"};
    static const char *const vi[] = {"open", "invite"};
    enum proto_status s;
    enum proto_role r;
    enum proto_visibility v;

    for (int i = 0; i < PROTO_STATUS__COUNT; i++) {
        cr_expect_str_eq(proto_status_name(i), st[i]);
        cr_expect(proto_status_parse(st[i], &s) && (int)s == i);
    }
    for (int i = 0; i < PROTO_ROLE__COUNT; i++) {
        cr_expect_str_eq(proto_role_name(i), ro[i]);
        cr_expect(proto_role_parse(ro[i], &r) && (int)r == i);
    }
    for (int i = 0; i < PROTO_VIS__COUNT; i++) {
        cr_expect_str_eq(proto_visibility_name(i), vi[i]);
        cr_expect(proto_visibility_parse(vi[i], &v) && (int)v == i);
    }
    cr_expect_null(proto_status_name(PROTO_STATUS__COUNT));
    cr_expect_null(proto_role_name(PROTO_ROLE__COUNT));
    cr_expect_null(proto_visibility_name(PROTO_VIS__COUNT));
    cr_expect_not(proto_status_parse("Away", &s));
    cr_expect_not(proto_status_parse("", &s));
    cr_expect_not(proto_status_parse(NULL, &s));
    cr_expect_not(proto_role_parse("owner", &r));
    cr_expect_not(proto_visibility_parse("private", &v));
}

Test(enums, room_role_and_meeting_mode)
{
    static const char *const rr[] = {"member", "moderator", "host"};
    static const char *const mm[] = {"one_speaker", "open"};
    enum proto_room_role r;
    enum proto_meeting_mode m;

    cr_assert_eq(PROTO_RROLE__COUNT, 3);
    cr_assert_eq(PROTO_MODE__COUNT, 2);
    for (int i = 0; i < PROTO_RROLE__COUNT; i++) {
        r = PROTO_RROLE__COUNT;
        cr_expect_str_eq(proto_room_role_name(i), rr[i]);
        cr_expect(proto_room_role_parse(rr[i], &r) && (int)r == i, "%s", rr[i]);
    }
    for (int i = 0; i < PROTO_MODE__COUNT; i++) {
        m = PROTO_MODE__COUNT;
        cr_expect_str_eq(proto_meeting_mode_name(i), mm[i]);
        cr_expect(proto_meeting_mode_parse(mm[i], &m) && (int)m == i, "%s", mm[i]);
    }
    cr_expect_null(proto_room_role_name(PROTO_RROLE__COUNT));
    cr_expect_null(proto_room_role_name((enum proto_room_role)-1));
    cr_expect_null(proto_meeting_mode_name(PROTO_MODE__COUNT));
    cr_expect_null(proto_meeting_mode_name((enum proto_meeting_mode)-1));
    r = PROTO_RROLE_MODERATOR;
    cr_expect_not(proto_room_role_parse("admin", &r), "admin is a server role only");
    cr_expect_not(proto_room_role_parse("Host", &r));
    cr_expect_not(proto_room_role_parse(NULL, &r));
    cr_expect_eq(r, PROTO_RROLE_MODERATOR, "a failed parse leaves *out alone");
    m = PROTO_MODE_OPEN;
    cr_expect_not(proto_meeting_mode_parse("one-speaker", &m));
    cr_expect_not(proto_meeting_mode_parse("", &m));
    cr_expect_not(proto_meeting_mode_parse(NULL, &m));
    cr_expect_eq(m, PROTO_MODE_OPEN);
    /* The defaults are the zero values, so a zeroed struct means member / one_speaker. */
    cr_expect_eq(PROTO_RROLE_MEMBER, 0);
    cr_expect_eq(PROTO_MODE_ONE_SPEAKER, 0);
}

Test(enums, request_names)
{
    static const char *const want[PROTO_REQ__COUNT] = {
        "auth.register", "auth.login", "auth.resume", "auth.logout", "auth.password",
        "presence.set", "room.list", "room.create", "room.join", "room.leave", "room.send",
        "room.history", "room.members", "room.invite", "ping", "room.configure", "room.role",
        "meeting.chair", "meeting.open", "meeting.close", "meeting.hand", "meeting.floor",
        "meeting.done", "meeting.mode", "meeting.state", "mod.mute", "mod.unmute", "mod.remove",
        "mod.ban", "mod.unban", "mod.delete", "mod.settings", "mod.log", "mod.suspend",
        "mod.unsuspend", "block.add", "block.remove", "block.list", "report.create",
        "report.list", "report.resolve", "safety.resources", "meeting.attendance",
        "meeting.schedule", "meeting.upcoming", "room.invites", "room.invite_revoke",
        "buddy.request", "buddy.accept", "buddy.decline", "buddy.cancel", "buddy.end",
        "buddy.list", "buddy.ping", "buddy.ping_seen", "buddy.pings", "match.join",
        "match.leave", "match.status", "match.accept", "match.decline", "support.ask",
        "support.cancel", "support.accept", "support.close", "support.handback",
        "support.available", "support.queue", "support.status", "support.stats",
        "settings.get", "settings.set", "checkin.submit", "checkin.list", "checkin.summary",
        "checkin.journal", "checkin.signs", "checkin.feed", "card.get", "card.set", "plan.get",
        "plan.set", "sobriety.set", "sobriety.get", "account.export", "account.delete",
        "room.read", "mod.sanctions"};
    enum proto_req_type t;
    for (int i = 0; i < PROTO_REQ__COUNT; i++) {
        cr_assert(want[i], "no expected name for request %d: extend this table", i);
        cr_expect_str_eq(proto_req_name(i), want[i]);
        cr_expect(proto_req_parse(want[i], &t) && (int)t == i);
    }
    cr_expect_null(proto_req_name(PROTO_REQ__COUNT));
    cr_expect_not(proto_req_parse("room.explode", &t));
    cr_expect_not(proto_req_parse("result", &t));
    cr_expect_not(proto_req_parse("mod", &t));
    cr_expect_not(proto_req_parse("mod.kick", &t));
    cr_expect_not(proto_req_parse("MOD.MUTE", &t));
}

Test(enums, allowed_before_auth)
{
    for (int i = 0; i < PROTO_REQ__COUNT; i++) {
        bool want = i == PROTO_REQ_AUTH_REGISTER || i == PROTO_REQ_AUTH_LOGIN ||
                    i == PROTO_REQ_AUTH_RESUME || i == PROTO_REQ_PING ||
                    i == PROTO_REQ_SAFETY_RESOURCES;
        cr_expect_eq(proto_req_allowed_unauthenticated(i), want, "%s", proto_req_name(i));
    }
}

/* ------------------------------------------------------------- folding */

static void fold_ok(const char *in, const char *want)
{
    char out[PROTO_HANDLE_MAX + 1];
    cr_expect(proto_name_fold(in, out), "'%s' should fold", in);
    cr_expect_str_eq(out, want);
}

static void fold_bad(const char *in)
{
    char out[PROTO_HANDLE_MAX + 1];
    cr_expect_not(proto_name_fold(in, out), "'%s' should be refused", in);
}

Test(fold, accepts_and_folds)
{
    fold_ok("alice", "alice");
    fold_ok("Alice", "alice");
    fold_ok("ALICE_01", "alice_01");
    fold_ok("a-b", "a-b");
    fold_ok("___", "___");
    fold_ok("123", "123");
    fold_ok("ZzZ", "zzz");
    fold_ok("abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345");   /* 32 */
    fold_ok("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_9876", "abcdefghijklmnopqrstuvwxyz-_9876");
}

Test(fold, refuses)
{
    fold_bad(NULL);
    fold_bad("");
    fold_bad("ab");                                       /* 2 */
    fold_bad("abcdefghijklmnopqrstuvwxyz0123456");        /* 33 */
    fold_bad("a very long handle that goes on and on and on and on and on");
    fold_bad("al ice");
    fold_bad("al.ice");
    fold_bad("alice!");
    fold_bad("al@ce");
    fold_bad("alicé");          /* non-ASCII letters do not fold */
    fold_bad("ÀLICE");
    fold_bad("\xc4\xb1nfo");    /* dotless i: no Unicode folding tricks */
    fold_bad("ab\t");
    fold_bad("[ab]");
    fold_bad("ab`");            /* just past 'z'/before 'a' in ASCII */
    fold_bad("ab{");
    fold_bad("ab@");            /* just before 'A' */
    fold_bad("ab/");            /* just before '0' */
    fold_bad("ab:");
}

/* -------------------------------------------------------------- UTF-8 */

static long u8(const char *s)
{
    return proto_utf8_chars(s, strlen(s));
}

Test(utf8, counts_code_points)
{
    cr_expect_eq(u8(""), 0);
    cr_expect_eq(proto_utf8_chars(NULL, 0), 0);
    cr_expect_eq(u8("abc"), 3);
    cr_expect_eq(u8("\xc3\xa9"), 1);                     /* é */
    cr_expect_eq(u8("\xe2\x82\xac"), 1);                 /* € */
    cr_expect_eq(u8("\xf0\x9f\x8c\xb1"), 1);             /* U+1F331 */
    cr_expect_eq(u8("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x8c\xb1z"), 5);
    cr_expect_eq(proto_utf8_chars("a\0b", 3), 3, "NUL counts as a code point");
    cr_expect_eq(proto_utf8_chars("abc", 2), 2, "len bounds the count");
}

Test(utf8, boundaries_valid)
{
    cr_expect_eq(u8("\x7f"), 1);                         /* U+007F */
    cr_expect_eq(u8("\xc2\x80"), 1);                     /* U+0080, smallest 2-byte */
    cr_expect_eq(u8("\xdf\xbf"), 1);                     /* U+07FF */
    cr_expect_eq(u8("\xe0\xa0\x80"), 1);                 /* U+0800, smallest 3-byte */
    cr_expect_eq(u8("\xed\x9f\xbf"), 1);                 /* U+D7FF, just below surrogates */
    cr_expect_eq(u8("\xee\x80\x80"), 1);                 /* U+E000, just above */
    cr_expect_eq(u8("\xef\xbf\xbf"), 1);                 /* U+FFFF */
    cr_expect_eq(u8("\xf0\x90\x80\x80"), 1);             /* U+10000, smallest 4-byte */
    cr_expect_eq(u8("\xf4\x8f\xbf\xbf"), 1);             /* U+10FFFF, the largest */
    cr_expect_eq(u8("\xef\xbb\xbf"), 1);                 /* a BOM is just a code point */
}

Test(utf8, rejects_invalid)
{
    cr_expect_eq(u8("\x80"), -1);                        /* lone continuation */
    cr_expect_eq(u8("a\xbf"), -1);
    cr_expect_eq(u8("\xc0\x80"), -1);                    /* overlong NUL */
    cr_expect_eq(u8("\xc0\xaf"), -1);                    /* overlong '/' */
    cr_expect_eq(u8("\xc1\xbf"), -1);                    /* overlong U+007F */
    cr_expect_eq(u8("\xe0\x80\xaf"), -1);                /* overlong 3-byte */
    cr_expect_eq(u8("\xe0\x9f\xbf"), -1);                /* overlong U+07FF */
    cr_expect_eq(u8("\xf0\x80\x80\xaf"), -1);            /* overlong 4-byte */
    cr_expect_eq(u8("\xf0\x8f\xbf\xbf"), -1);            /* overlong U+FFFF */
    cr_expect_eq(u8("\xed\xa0\x80"), -1);                /* U+D800 */
    cr_expect_eq(u8("\xed\xbf\xbf"), -1);                /* U+DFFF */
    cr_expect_eq(u8("\xed\xa0\xbd\xed\xb2\xa9"), -1);    /* CESU-8 surrogate pair */
    cr_expect_eq(u8("\xf4\x90\x80\x80"), -1);            /* U+110000 */
    cr_expect_eq(u8("\xf5\x80\x80\x80"), -1);
    cr_expect_eq(u8("\xf8\x88\x80\x80\x80"), -1);        /* 5-byte form */
    cr_expect_eq(u8("\xfe"), -1);
    cr_expect_eq(u8("\xff"), -1);
    cr_expect_eq(u8("\xc3"), -1);                        /* truncated */
    cr_expect_eq(u8("\xe2\x82"), -1);
    cr_expect_eq(u8("\xf0\x9f\x8c"), -1);
    cr_expect_eq(u8("\xc3\x28"), -1);                    /* bad continuation */
    cr_expect_eq(u8("\xe2\x28\xa1"), -1);
    cr_expect_eq(u8("\xe2\x82\x28"), -1);
    cr_expect_eq(u8("\xf0\x9f\x28\xb1"), -1);
    cr_expect_eq(u8("\xf0\x9f\x8c\x28"), -1);
    /* A valid sequence cut by len is truncated. */
    cr_expect_eq(proto_utf8_chars("\xe2\x82\xac", 2), -1);
}

Test(utf8, long_strings)
{
    static char buf[4 * 4001 + 1];
    for (int i = 0; i < 4001; i++)
        memcpy(buf + 4 * i, "\xf0\x9f\x8c\xb1", 4);
    buf[4 * 4001] = 0;
    cr_expect_eq(proto_utf8_chars(buf, 4 * 4000), 4000);
    cr_expect_eq(proto_utf8_chars(buf, 4 * 4001), 4001);
    cr_expect_eq(proto_utf8_chars(buf, 4 * 4000 + 1), -1);
}
