/*
 * What the client reads: proto_frame_decode of single messages and batches
 * (results, errors, events, meeting and moderation events), delivered in
 * order and stopping at the first bad message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

/* ---------------------------------------------------------------- frames */

struct seen {
    int n;
    char log[16][64];
};

static void record(const struct proto_server_msg *m, void *ud)
{
    struct seen *s = ud;
    char *p = s->log[s->n++];
    switch (m->kind) {
    case PROTO_MSG_RESULT:
        snprintf(p, 64, "result %s", m->id);
        break;
    case PROTO_MSG_ERROR:
        snprintf(p, 64, "error %s %s/%s %lld", m->id ? m->id : "null", proto_err_code(m->error.code),
                 m->error.code_str, (long long)m->error.retry_after_ms);
        break;
    case PROTO_MSG_EVENT:
        if (m->event.type == PROTO_EVT_ROOM)
            snprintf(p, 64, "room %s %llu%s%s%s", m->event.u.room.room,
                     (unsigned long long)m->event.u.room.seq,
                     m->event.u.room.removed ? " removed" : "",
                     m->event.u.room.by_moderator ? " by_moderator" : "",
                     m->event.u.room.kind == PROTO_EV_REMOVED ? " target" : "");
        else if (m->event.type == PROTO_EVT_PRESENCE)
            snprintf(p, 64, "presence %s %s", m->event.u.presence.handle,
                     proto_status_name(m->event.u.presence.status));
        else if (m->event.type == PROTO_EVT_HELLO)
            snprintf(p, 64, "hello %u %u", m->event.u.hello.protocol,
                     m->event.u.hello.limits.rate_burst);
        else if (m->event.type == PROTO_EVT_MEETING_STATE)
            snprintf(p, 64, "meeting %s %zu %s", m->event.u.meeting.room, m->event.u.meeting.n_queue,
                     m->event.u.meeting.n_queue ? m->event.u.meeting.queue[m->event.u.meeting.n_queue - 1]
                                                : "-");
        else if (m->event.type == PROTO_EVT_MEETING_OPENED)
            snprintf(p, 64, "opened %s %s [%s]", m->event.u.opened.room,
                     m->event.u.opened.chair ? m->event.u.opened.chair : "(null)",
                     m->event.u.opened.format);
        else if (m->event.type == PROTO_EVT_MEETING_WARNING)
            snprintf(p, 64, "warning %s %s %u", m->event.u.warning.room, m->event.u.warning.handle,
                     m->event.u.warning.seconds_left);
        else if (m->event.type == PROTO_EVT_ROOM_ROLE)
            snprintf(p, 64, "role %s %s %s", m->event.u.role.room, m->event.u.role.handle,
                     proto_room_role_name(m->event.u.role.role));
        else if (m->event.type == PROTO_EVT_MODERATED)
            snprintf(p, 64, "moderated %s %s %lld [%s]",
                     m->event.u.moderated.room ? m->event.u.moderated.room : "(null)",
                     m->event.u.moderated.action, (long long)m->event.u.moderated.until,
                     m->event.u.moderated.reason);
        else if (m->event.type == PROTO_EVT_ROOM_SETTINGS)
            snprintf(p, 64, "settings %s %u %d %u %u", m->event.u.settings.room,
                     m->event.u.settings.settings.slow_seconds, m->event.u.settings.settings.locked,
                     m->event.u.settings.settings.member_limit,
                     m->event.u.settings.settings.newcomer_seconds);
        else
            snprintf(p, 64, "revoked %s", m->event.u.revoked.reason);
        break;
    }
}

static enum proto_err frame(const char *text, struct seen *s)
{
    memset(s, 0, sizeof *s);
    return proto_frame_decode(text, strlen(text), record, s);
}

/* Decodes `text`, which must return `rc` having delivered exactly the
 * messages `want` (NULL-terminated, as record() logs them), in order. */
static void expect_frame(const char *text, enum proto_err rc, const char *const want[])
{
    struct seen s;
    int n = 0;
    while (want[n])
        n++;
    cr_assert_eq(frame(text, &s), rc, "%s", text);
    cr_assert_eq(s.n, n, "%d messages delivered, want %d", s.n, n);
    for (int i = 0; i < n; i++)
        cr_expect_str_eq(s.log[i], want[i]);
}

Test(frame, batch_in_order)
{
    expect_frame("[{\"type\":\"room.joined\",\"room\":\"lobby\",\"seq\":3,\"ts\":1,\"handle\":\"b\"},"
                 "{\"type\":\"presence\",\"handle\":\"b\",\"status\":\"away\"},"
                 "{\"type\":\"result\",\"id\":\"9\",\"data\":{}},"
                 "{\"type\":\"error\",\"id\":null,\"code\":\"bad_json\",\"message\":\"x\"},"
                 "{\"type\":\"error\",\"id\":\"4\",\"code\":\"rate_limited\",\"message\":\"x\","
                 "\"retry_after_ms\":1500},"
                 "{\"type\":\"session.revoked\",\"reason\":\"logout\"}]",
                 PROTO_OK,
                 (const char *const[]){"room lobby 3", "presence b away", "result 9",
                                       "error null bad_json/bad_json -1",
                                       "error 4 rate_limited/rate_limited 1500", "revoked logout",
                                       NULL});
}

Test(frame, single_object_and_hello)
{
    expect_frame("{\"type\":\"hello\",\"protocol\":1,\"server\":\"hearthd/0.1.0\",\"limits\":"
                 "{\"max_frame_bytes\":65536,\"max_text_chars\":4000,\"history_page_max\":100,"
                 "\"rate_per_sec\":10,\"rate_burst\":20,\"auth_timeout_ms\":10000},"
                 "\"motd\":\"welcome\"}",
                 PROTO_OK, (const char *const[]){"hello 1 20", NULL});
}

Test(frame, unknown_types_and_codes)
{
    /* A newer server's message types are skipped; its error codes read as internal. */
    expect_frame("[{\"type\":\"room.reaction\",\"x\":1},"
                 "{\"type\":\"error\",\"id\":\"5\",\"code\":\"quota_exceeded\",\"message\":\"m\"},"
                 "{\"type\":\"presence\",\"handle\":\"c\",\"status\":\"busy\"}]",
                 PROTO_OK,
                 (const char *const[]){"error 5 internal/quota_exceeded -1", "presence c busy", NULL});
}

Test(frame, stops_at_first_bad_message)
{
    struct seen s;
    cr_expect_eq(frame("[{\"type\":\"presence\",\"handle\":\"c\",\"status\":\"busy\"},"
                       "{\"type\":\"presence\",\"handle\":\"c\"},"
                       "{\"type\":\"presence\",\"handle\":\"d\",\"status\":\"away\"}]", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(s.n, 1, "messages before the bad one were delivered, none after");
    cr_expect_eq(frame("[{\"type\":\"ping\"},5]", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("\"hello\"", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("", &s), PROTO_E_BAD_JSON);
    cr_expect_eq(proto_frame_decode(NULL, 0, record, &s), PROTO_E_BAD_JSON);
    cr_expect_eq(frame("{\"type\":\"result\",\"id\":\"1\",\"id\":\"2\",\"data\":{}}", &s),
                 PROTO_E_BAD_JSON, "duplicate keys");
    cr_expect_eq(s.n, 0);
}

Test(frame, null_callback_and_empty_batch)
{
    cr_expect_eq(proto_frame_decode("[]", 2, NULL, NULL), PROTO_OK);
    static const char one[] = "{\"type\":\"result\",\"id\":\"1\",\"data\":{}}";
    cr_expect_eq(proto_frame_decode(one, sizeof one - 1, NULL, NULL), PROTO_OK);
}

struct decode_in_cb {
    int results;
    uint64_t seq;
};

/* The documented client pattern: decode result data inside the callback,
 * keep the decoded result after the frame is gone. */
static void decode_send(const struct proto_server_msg *m, void *ud)
{
    struct decode_in_cb *c = ud;
    struct proto_result r;
    if (m->kind != PROTO_MSG_RESULT)
        return;
    cr_assert_eq(proto_result_decode(PROTO_REQ_ROOM_SEND, m->data, &r), PROTO_OK);
    c->results++;
    c->seq = r.u.send.seq;
    proto_result_free(&r);
}

Test(frame, result_data_for_proto_result_decode)
{
    struct decode_in_cb c = {0};
    const char *text = "[{\"type\":\"result\",\"id\":\"1\",\"data\":{\"seq\":5,\"ts\":1,\"duplicate\":false}},"
                       "{\"type\":\"result\",\"id\":\"2\",\"data\":{\"seq\":6,\"ts\":2,\"duplicate\":true}}]";
    cr_assert_eq(proto_frame_decode(text, strlen(text), decode_send, &c), PROTO_OK);
    cr_expect_eq(c.results, 2);
    cr_expect_eq(c.seq, 6);
}

/* -------------------------------------------------------------- meetings */

Test(meeting_frame, events_decode_in_order)
{
    expect_frame("[{\"type\":\"meeting.opened\",\"room\":\"circle\",\"chair\":null,\"format\":\"Hi.\"},"
                 "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                 "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":null,"
                 "\"share_ends_at\":null,\"share_seconds\":300,\"queue\":[\"carol\",\"dan\"]}},"
                 "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"circle\",\"open\":true,"
                 "\"chair\":\"alice\",\"mode\":\"one_speaker\",\"auto\":false,\"speaker\":\"carol\","
                 "\"share_ends_at\":1795000300000,\"share_seconds\":300,\"queue\":[]}},"
                 "{\"type\":\"meeting.warning\",\"room\":\"circle\",\"handle\":\"carol\",\"seconds_left\":60},"
                 "{\"type\":\"room.role\",\"room\":\"circle\",\"handle\":\"bob\",\"role\":\"host\"}]",
                 PROTO_OK,
                 (const char *const[]){"opened circle (null) [Hi.]", "meeting circle 2 dan",
                                       "meeting circle 0 -", "warning circle carol 60",
                                       "role circle bob host", NULL});
}

Test(meeting_frame, bad_meeting_stops_the_batch)
{
    struct seen s;
    /* The second state has a bad queue entry after an allocated good one: no leak, no delivery. */
    expect_frame("[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,"
                 "\"chair\":null,\"mode\":\"open\",\"auto\":true,\"speaker\":null,"
                 "\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"a\"]}},"
                 "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,"
                 "\"chair\":null,\"mode\":\"open\",\"auto\":true,\"speaker\":null,"
                 "\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"a\",{}]}},"
                 "{\"type\":\"presence\",\"handle\":\"d\",\"status\":\"away\"}]",
                 PROTO_E_INVALID_FIELD, (const char *const[]){"meeting c 1 a", NULL});
    cr_expect_eq(frame("{\"type\":\"meeting.opened\",\"room\":\"c\",\"format\":\"x\"}", &s),
                 PROTO_E_INVALID_FIELD, "chair is always present");
    cr_expect_eq(frame("{\"type\":\"meeting.warning\",\"room\":\"c\",\"handle\":\"b\",\"seconds_left\":1.5}",
                       &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.role\",\"room\":\"c\",\"handle\":\"b\"}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(s.n, 0);
}

/* The queue lives while the callback runs; each message gets its own. */
struct queue_copy {
    int n;
    char first[4][16];
};

static void copy_queue(const struct proto_server_msg *m, void *ud)
{
    struct queue_copy *c = ud;
    if (m->kind != PROTO_MSG_EVENT || m->event.type != PROTO_EVT_MEETING_STATE)
        return;
    cr_assert(m->event.u.meeting.n_queue >= 1 && m->event.u.meeting.queue);
    snprintf(c->first[c->n++], 16, "%s", m->event.u.meeting.queue[0]);
}

Test(meeting_frame, queue_per_message)
{
    struct queue_copy c = {0};
    static const char text[] =
        "[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,"
        "\"mode\":\"open\",\"auto\":true,\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":60,"
        "\"queue\":[\"ann\",\"ben\"]}},"
        "{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":null,"
        "\"mode\":\"open\",\"auto\":true,\"speaker\":\"ann\",\"share_ends_at\":5,\"share_seconds\":60,"
        "\"queue\":[\"ben\"]}}]";
    cr_assert_eq(proto_frame_decode(text, sizeof text - 1, copy_queue, &c), PROTO_OK);
    cr_assert_eq(c.n, 2);
    cr_expect_str_eq(c.first[0], "ann");
    cr_expect_str_eq(c.first[1], "ben");
    /* Without a callback the queue is still released (ASan reports a leak otherwise). */
    cr_expect_eq(proto_frame_decode(text, sizeof text - 1, NULL, NULL), PROTO_OK);
}

/* ------------------------------------------------------------ moderation */

Test(mod_frame, events_decode_in_order)
{
    expect_frame("[{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":17,\"ts\":1,\"handle\":\"t\","
                 "\"removed\":true},"
                 "{\"type\":\"room.removed\",\"room\":\"lobby\",\"seq\":42,\"ts\":2,\"target_seq\":17},"
                 "{\"type\":\"room.left\",\"room\":\"lobby\",\"seq\":43,\"ts\":3,\"handle\":\"t\","
                 "\"by_moderator\":true},"
                 "{\"type\":\"moderated\",\"room\":\"lobby\",\"action\":\"ban\",\"until\":1795086400000,"
                 "\"reason\":\"x\"},"
                 "{\"type\":\"moderated\",\"room\":null,\"action\":\"suspend\",\"until\":null,"
                 "\"reason\":\"\"},"
                 "{\"type\":\"room.settings\",\"room\":\"lobby\",\"settings\":{\"slow_seconds\":30,"
                 "\"locked\":true,\"member_limit\":0,\"newcomer_seconds\":600}},"
                 "{\"type\":\"error\",\"id\":\"s\",\"code\":\"slow_mode\",\"message\":\"m\","
                 "\"retry_after_ms\":12000},"
                 "{\"type\":\"error\",\"id\":\"t\",\"code\":\"suspended\",\"message\":\"m\"},"
                 "{\"type\":\"session.revoked\",\"reason\":\"suspended\"}]",
                 PROTO_OK,
                 (const char *const[]){"room lobby 17 removed", "room lobby 42 target",
                                       "room lobby 43 by_moderator",
                                       "moderated lobby ban 1795086400000 [x]",
                                       "moderated (null) suspend 0 []", "settings lobby 30 1 0 600",
                                       "error s slow_mode/slow_mode 12000",
                                       "error t suspended/suspended -1", "revoked suspended", NULL});
}

/* Reads a frame's single room event into *ev (strings borrowed: checked in the callback). */
struct one_room_event {
    int n;
    bool text_null, handle_null, removed, by_moderator;
    uint64_t target_seq;
};

static void grab_room_event(const struct proto_server_msg *m, void *ud)
{
    struct one_room_event *c = ud;
    cr_assert(m->kind == PROTO_MSG_EVENT && m->event.type == PROTO_EVT_ROOM);
    c->n++;
    c->text_null = m->event.u.room.text == NULL;
    c->handle_null = m->event.u.room.handle == NULL;
    c->removed = m->event.u.room.removed;
    c->by_moderator = m->event.u.room.by_moderator;
    c->target_seq = m->event.u.room.target_seq;
}

Test(mod_frame, room_event_rules)
{
    struct one_room_event c;
    struct seen s;
    static const char removed_with_text[] =
        "{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\",\"removed\":true,"
        "\"text\":\"gone\"}";
    static const char removed_with_handle[] =
        "{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"handle\":\"mona\",\"target_seq\":1}";

    memset(&c, 0, sizeof c);
    cr_assert_eq(proto_frame_decode(removed_with_text, sizeof removed_with_text - 1, grab_room_event, &c),
                 PROTO_OK);
    cr_expect_eq(c.n, 1);
    cr_expect(c.removed);
    cr_expect(c.text_null, "the text of a removed message is never handed out");
    memset(&c, 0, sizeof c);
    cr_assert_eq(proto_frame_decode(removed_with_handle, sizeof removed_with_handle - 1,
                                    grab_room_event, &c), PROTO_OK);
    cr_expect(c.handle_null, "room.removed names nobody");
    cr_expect_eq(c.target_seq, 1);

    /* Only removed messages may lack text; the flags are booleans; target_seq >= 1. */
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\"}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"removed\":false}", &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"removed\":null,\"text\":\"x\"}", &s), PROTO_OK, "null reads as false");
    cr_expect_eq(frame("{\"type\":\"room.message\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"removed\":true}", &s),
                 PROTO_E_INVALID_FIELD, "a removed message keeps its author");
    cr_expect_eq(frame("{\"type\":\"room.left\",\"room\":\"l\",\"seq\":1,\"ts\":1,\"handle\":\"t\","
                       "\"by_moderator\":\"yes\"}", &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":0}", &s),
                 PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":\"1\"}",
                       &s), PROTO_E_INVALID_FIELD);
    cr_expect_eq(frame("{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":2,\"ts\":1,\"target_seq\":1}", &s),
                 PROTO_OK);
}

Test(mod_frame, moderated_and_settings_rules)
{
    struct seen s;
    static const char *const bad[] = {
        "{\"type\":\"moderated\",\"action\":\"mute\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":5,\"action\":\"mute\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":null,\"until\":null,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":0,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":-1,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":1.5,\"reason\":\"\"}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":null}",
        "{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"mute\",\"until\":null,\"reason\":null}",
        "{\"type\":\"room.settings\",\"room\":\"l\"}",
        "{\"type\":\"room.settings\",\"settings\":{\"slow_seconds\":0,\"locked\":false,\"member_limit\":0,"
        "\"newcomer_seconds\":0}}",
        "{\"type\":\"room.settings\",\"room\":\"l\",\"settings\":{\"slow_seconds\":0,\"locked\":false,"
        "\"member_limit\":0}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(frame(bad[i], &s), PROTO_E_INVALID_FIELD, "case %zu: %s", i, bad[i]);
    cr_expect_eq(s.n, 0);
    /* An action this client does not know is still delivered (the set may grow). */
    expect_frame("{\"type\":\"moderated\",\"room\":\"l\",\"action\":\"warn\",\"until\":null,"
                 "\"reason\":\"\"}",
                 PROTO_OK, (const char *const[]){"moderated l warn 0 []", NULL});
}
