/*
 * What the server sends unasked, and its errors: proto_error_encode and
 * proto_event_encode of every event, meeting and moderation events
 * included.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"
#include "proto_fixture.h"

/* ---------------------------------------------------------------- errors */

Test(error, encode)
{
    char *s;
    expect_json(proto_error_encode("7", PROTO_E_RATE_LIMITED, "Slow down.", 2000),
                "{\"type\":\"error\",\"id\":\"7\",\"code\":\"rate_limited\","
                "\"message\":\"Slow down.\",\"retry_after_ms\":2000}");
    expect_json(proto_error_encode(NULL, PROTO_E_BAD_JSON, NULL, -1),
                "{\"type\":\"error\",\"id\":null,\"code\":\"bad_json\","
                "\"message\":\"The message is not a JSON object.\"}");
    /* "" is what an unreadable id decodes to: it is sent as null. */
    s = proto_error_encode("", PROTO_E_INVALID_FIELD, "x.", -1);
    cr_expect(strstr(s, "\"id\":null"), "%s", s);
    free(s);
    /* A message that is not UTF-8 falls back to the default sentence. */
    s = proto_error_encode("1", PROTO_E_FORBIDDEN, "bad \xff", 0);
    cr_expect(strstr(s, proto_err_sentence(PROTO_E_FORBIDDEN)), "%s", s);
    cr_expect(strstr(s, "\"retry_after_ms\":0"), "%s", s);
    free(s);
}

/* ---------------------------------------------------------------- events */

Test(event, encode_each)
{
    struct proto_event ev = {.type = PROTO_EVT_HELLO};
    char *s;

    ev.u.hello.protocol = PROTO_VERSION;
    ev.u.hello.server = "hearthd/0.1.0";
    ev.u.hello.limits = (struct proto_limits){65536, 4000, 100, 10, 20, 10000};
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"hello\",\"protocol\":1,\"server\":\"hearthd/0.1.0\",\"limits\":"
                "{\"max_frame_bytes\":65536,\"max_text_chars\":4000,\"history_page_max\":100,"
                "\"rate_per_sec\":10,\"rate_burst\":20,\"auth_timeout_ms\":10000}}");

    ev = (struct proto_event){.type = PROTO_EVT_ROOM};
    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_MESSAGE, .room = "lobby", .seq = 12,
                                          .ts = 1795000000000, .handle = "alice", .text = "hello",
                                          .cid = "c1"};
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":12,"
                "\"ts\":1795000000000,\"handle\":\"alice\",\"text\":\"hello\",\"cid\":\"c1\"}");
    ev.u.room.kind = PROTO_EV_JOINED;   /* text and cid are dropped */
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.joined\",\"room\":\"lobby\",\"seq\":12,"
                "\"ts\":1795000000000,\"handle\":\"alice\"}");
    ev.u.room.kind = PROTO_EV_LEFT;
    s = proto_event_encode(&ev);
    cr_expect(strstr(s, "\"type\":\"room.left\""));
    free(s);
    ev.u.room.kind = 7;
    cr_expect_null(proto_event_encode(&ev));
    ev.u.room.kind = PROTO_EV_MESSAGE;
    ev.u.room.text = NULL;
    cr_expect_null(proto_event_encode(&ev), "a message needs text");

    ev = (struct proto_event){.type = PROTO_EVT_PRESENCE};
    ev.u.presence.handle = "bob";
    ev.u.presence.status = PROTO_STATUS_OFFLINE;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"presence\",\"handle\":\"bob\",\"status\":\"offline\"}");

    ev = (struct proto_event){.type = PROTO_EVT_SESSION_REVOKED};
    ev.u.revoked.reason = "password_changed";
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"session.revoked\",\"reason\":\"password_changed\"}");

    ev.type = PROTO_EVT__COUNT;
    cr_expect_null(proto_event_encode(&ev));
    cr_expect_null(proto_event_encode(NULL));
}

/* -------------------------------------------------------------- meetings */

Test(meeting_event, encode_each)
{
    struct proto_event ev = {.type = PROTO_EVT_MEETING_STATE};

    ev.u.meeting = sample_meeting();
    ev.u.meeting.n_queue = 1;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":\"bob\","
                "\"share_ends_at\":1795000300000,\"share_seconds\":300,\"queue\":[\"carol\"],"
                "\"format\":\"\"}}");

    ev = (struct proto_event){.type = PROTO_EVT_MEETING_OPENED};
    ev.u.opened.room = "circle";
    ev.u.opened.chair = "alice";
    ev.u.opened.format = "Welcome \xf0\x9f\x8c\xb1";
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":\"alice\","
                "\"format\":\"Welcome \xf0\x9f\x8c\xb1\"}");
    ev.u.opened.chair = NULL;
    ev.u.opened.format = NULL;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":null,\"format\":\"\"}");
    ev.u.opened.room = NULL;
    cr_expect_null(proto_event_encode(&ev));

    ev = (struct proto_event){.type = PROTO_EVT_MEETING_WARNING};
    ev.u.warning.room = "circle";
    ev.u.warning.handle = "bob";
    ev.u.warning.seconds_left = PROTO_SHARE_WARNING_S;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"meeting.warning\",\"room\":\"circle\",\"handle\":\"bob\","
                "\"seconds_left\":60}");
    ev.u.warning.handle = NULL;
    cr_expect_null(proto_event_encode(&ev));

    ev = (struct proto_event){.type = PROTO_EVT_ROOM_ROLE};
    ev.u.role.room = "circle";
    ev.u.role.handle = "bob";
    ev.u.role.role = PROTO_RROLE_MODERATOR;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"bob\","
                "\"role\":\"moderator\"}");
    ev.u.role.role = PROTO_RROLE__COUNT;
    cr_expect_null(proto_event_encode(&ev));
}

/* ------------------------------------------------------------ moderation */

Test(mod_event, room_events_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_ROOM};
    char *s;

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_REMOVED, .room = "lobby", .seq = 42,
                                          .ts = 1795000042000, .target_seq = 17};
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":1795000042000,"
                "\"target_seq\":17}");
    ev.u.room.handle = "mona";      /* never written: the moderator is not named */
    ev.u.room.removed = true;       /* flags of other kinds are not written */
    ev.u.room.by_moderator = true;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":1795000042000,"
                "\"target_seq\":17}");
    ev.u.room.target_seq = 0;
    cr_expect_null(proto_event_encode(&ev), "room.removed needs a target");

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_MESSAGE, .room = "lobby", .seq = 17,
                                          .ts = 5, .handle = "troll", .removed = true};
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":5,"
                        "\"handle\":\"troll\",\"removed\":true}", "no text needed when removed");
    free(s);
    ev.u.room.text = "secret";
    ev.u.room.by_moderator = true;
    s = proto_event_encode(&ev);
    cr_expect_null(strstr(s, "secret"), "a removed message never carries its text: %s", s);
    cr_expect_null(strstr(s, "by_moderator"), "%s", s);
    free(s);
    ev.u.room.removed = false;
    s = proto_event_encode(&ev);
    cr_expect_str_eq(s, "{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":5,"
                        "\"handle\":\"troll\",\"text\":\"secret\"}", "removed is written only when true");
    free(s);

    ev.u.room = (struct proto_room_event){.kind = PROTO_EV_LEFT, .room = "lobby", .seq = 43,
                                          .ts = 6, .handle = "troll", .by_moderator = true};
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":6,"
                "\"handle\":\"troll\",\"by_moderator\":true}");
    ev.u.room.by_moderator = false;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":6,"
                "\"handle\":\"troll\"}");
    ev.u.room.kind = PROTO_EV_JOINED;
    ev.u.room.by_moderator = true;
    s = proto_event_encode(&ev);
    cr_expect_null(strstr(s, "by_moderator"), "%s", s);
    free(s);
    ev.u.room.handle = NULL;
    cr_expect_null(proto_event_encode(&ev), "a joined event needs its handle");
}

Test(mod_event, moderated_and_settings_encode)
{
    struct proto_event ev = {.type = PROTO_EVT_MODERATED};

    ev.u.moderated.room = "lobby";
    ev.u.moderated.action = "mute";
    ev.u.moderated.until = 1795004200000;
    ev.u.moderated.reason = "Spam \xf0\x9f\x8c\xb1";
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"moderated\",\"room\":\"lobby\",\"action\":\"mute\","
                "\"until\":1795004200000,\"reason\":\"Spam \xf0\x9f\x8c\xb1\"}");
    ev.u.moderated.room = NULL;
    ev.u.moderated.action = "suspend";
    ev.u.moderated.until = 0;
    ev.u.moderated.reason = NULL;
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"moderated\",\"room\":null,\"action\":\"suspend\",\"until\":null,"
                "\"reason\":\"\"}");
    ev.u.moderated.action = NULL;
    cr_expect_null(proto_event_encode(&ev), "action missing");

    ev = (struct proto_event){.type = PROTO_EVT_ROOM_SETTINGS};
    ev.u.settings.room = "lobby";
    ev.u.settings.settings = sample_settings();
    expect_json(proto_event_encode(&ev),
                "{\"type\":\"room.settings\",\"room\":\"lobby\",\"settings\":{\"slow_seconds\":30,"
                "\"locked\":true,\"member_limit\":100000,\"newcomer_seconds\":86400}}");
    ev.u.settings.room = NULL;
    cr_expect_null(proto_event_encode(&ev), "room missing");
}
