/*
 * Robustness: every truncation and many deterministic byte mutations of
 * good frames must decode or fail cleanly (no crash, no leak, no sanitizer
 * report), and a failure must always carry a code and a sentence.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

static const char *const client_frames[] = {
    "{\"type\":\"auth.register\",\"id\":\"1\",\"handle\":\"Alice\",\"password\":\"correct horse battery\",\"invite\":\"x\"}",
    "{\"type\":\"auth.login\",\"id\":\"2\",\"handle\":\"alice\",\"password\":\"pw\"}",
    "{\"type\":\"auth.resume\",\"id\":\"3\",\"token\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}",
    "{\"type\":\"room.create\",\"id\":\"4\",\"room\":\"Lobby\",\"title\":\"L\\u00e9\",\"topic\":\"t\",\"visibility\":\"invite\"}",
    "{\"type\":\"room.send\",\"id\":\"5\",\"room\":\"lobby\",\"text\":\"h\xc3\xa9llo \xf0\x9f\x8c\xb1\",\"cid\":\"c\"}",
    "{\"type\":\"room.history\",\"id\":\"6\",\"room\":\"lobby\",\"after\":5,\"limit\":10}",
    "{\"type\":\"presence.set\",\"id\":\"7\",\"status\":\"away\"}",
    "{\"type\":\"room.configure\",\"id\":\"8\",\"room\":\"Circle\",\"meeting\":true,\"format\":\"W\xc3\xa9lcome \xf0\x9f\x8c\xb1\",\"share_seconds\":300}",
    "{\"type\":\"room.role\",\"id\":\"9\",\"room\":\"circle\",\"handle\":\"Bob\",\"role\":\"moderator\"}",
    "{\"type\":\"meeting.floor\",\"id\":\"10\",\"room\":\"circle\",\"handle\":\"carol\"}",
    "{\"type\":\"meeting.mode\",\"id\":\"11\",\"room\":\"circle\",\"mode\":\"open\",\"auto\":true}",
    "{\"type\":\"meeting.hand\",\"id\":\"12\",\"room\":\"circle\",\"raised\":false}",
    "{\"type\":\"mod.mute\",\"id\":\"13\",\"room\":\"Lobby\",\"handle\":\"Troll\",\"minutes\":60,\"reason\":\"sp\xc3\xa4m \xf0\x9f\x8c\xb1\"}",
    "{\"type\":\"mod.ban\",\"id\":\"14\",\"room\":\"lobby\",\"handle\":\"troll\",\"minutes\":525600}",
    "{\"type\":\"mod.delete\",\"id\":\"15\",\"room\":\"lobby\",\"seq\":17,\"reason\":\"\\u00e9\"}",
    "{\"type\":\"mod.suspend\",\"id\":\"16\",\"handle\":\"troll\",\"days\":7,\"reason\":\"x\"}",
    "{\"type\":\"mod.unsuspend\",\"id\":\"17\",\"handle\":\"Troll\"}",
    "{\"type\":\"mod.remove\",\"id\":\"18\",\"room\":\"lobby\",\"handle\":\"troll\",\"reason\":\"\"}",
    "{\"type\":\"mod.settings\",\"id\":\"19\",\"room\":\"lobby\",\"slow_seconds\":30,\"locked\":true,\"member_limit\":100000,\"newcomer_seconds\":600}",
    "{\"type\":\"mod.log\",\"id\":\"20\",\"room\":\"lobby\",\"before\":12,\"limit\":100}",
    "{\"type\":\"meeting.schedule\",\"id\":\"21\",\"room\":\"Circle\",\"slots\":["
    "{\"days\":[\"mon\",\"wed\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"America/New_York\"},"
    "{\"days\":[\"sun\"],\"start\":\"09:30\",\"minutes\":90,\"tz\":\"Etc/GMT+5\"}]}",
    "{\"type\":\"meeting.upcoming\",\"id\":\"22\",\"room\":\"circle\",\"days\":14,\"limit\":200}",
    "{\"type\":\"room.invite\",\"id\":\"23\",\"room\":\"circle\",\"hours\":24,\"uses\":10}",
    "{\"type\":\"room.invite_revoke\",\"id\":\"24\",\"room\":\"circle\",\"code\":\"k3J9-aa\"}",
    "{\"type\":\"room.send\",\"id\":\"25\",\"room\":\"~k3j9aa11\",\"text\":\"hi \xf0\x9f\x8c\xb1\",\"cid\":\"c\"}",
    "{\"type\":\"buddy.request\",\"id\":\"26\",\"handle\":\"Bob\"}",
    "{\"type\":\"buddy.ping\",\"id\":\"27\",\"handle\":\"bob\",\"kind\":\"text\",\"text\":\"h\xc3\xa9y \xf0\x9f\x8c\xb1\",\"cid\":\"p\"}",
    "{\"type\":\"buddy.ping_seen\",\"id\":\"28\",\"ping\":41}",
    "{\"type\":\"match.join\",\"id\":\"29\",\"utc_offset_minutes\":-300,\"language\":\"en\","
    "\"approach\":\"12_step\",\"clean_days\":90,\"want_more_clean_time\":true}",
    "{\"type\":\"match.accept\",\"id\":\"30\",\"proposal\":7}",
    "{\"type\":\"support.ask\",\"id\":\"31\",\"urgency\":\"crisis\",\"note\":\"h\xc3\xa9lp \xf0\x9f\x8c\xb1\","
    "\"cid\":\"s\"}",
    "{\"type\":\"support.close\",\"id\":\"32\",\"request\":31,\"thanks\":\"m\xc3\xa9rci \xf0\x9f\x8c\xb1\"}",
    "{\"type\":\"support.cancel\",\"id\":\"33\",\"request\":31}",
    "{\"type\":\"support.available\",\"id\":\"34\",\"on\":true}",
    "{\"type\":\"support.stats\",\"id\":\"35\",\"days\":30}",
    "{\"type\":\"settings.set\",\"id\":\"36\",\"tz\":\"Europe/London\",\"checkin_share\":\"room\","
    "\"checkin_room\":\"Porch\",\"warning_threshold\":3,\"alert_buddies\":true,\"isolation_days\":2,"
    "\"meeting_goal\":3,\"sobriety_share\":\"everyone\",\"milestone_room\":\"\"}",
    "{\"type\":\"checkin.submit\",\"id\":\"37\",\"mood\":4,\"craving\":2,\"signs\":[\"isolating\","
    "\"high_stress\"],\"grateful\":\"t\u00e9a \xf0\x9f\x8c\xb1\",\"win\":\"w\",\"note\":\"n\"}",
    "{\"type\":\"checkin.list\",\"id\":\"38\",\"from\":\"2028-02-29\",\"to\":\"2028-03-01\",\"limit\":7}",
    "{\"type\":\"checkin.summary\",\"id\":\"39\",\"period\":\"month\",\"count\":12}",
    "{\"type\":\"card.set\",\"id\":\"40\",\"contacts\":[{\"name\":\"S\u00e4m\",\"phone\":\"555\","
    "\"note\":\"\xf0\x9f\x8c\xb1\"},{\"name\":\"M\",\"phone\":\"1\"}]}",
    "{\"type\":\"plan.set\",\"id\":\"41\",\"lines\":[{\"when\":\"w\",\"then\":\"t\"}],"
    "\"reasons\":[\"r\",\"\xf0\x9f\x8c\xb1\"]}",
    "{\"type\":\"sobriety.set\",\"id\":\"42\",\"date\":\"2026-05-31\"}",
};

static const char *const server_frames[] = {
    "[{\"type\":\"room.message\",\"room\":\"lobby\",\"seq\":1,\"ts\":2,\"handle\":\"a\",\"text\":\"\xf0\x9f\x8c\xb1\",\"cid\":\"c\"},"
    "{\"type\":\"presence\",\"handle\":\"b\",\"status\":\"away\"},"
    "{\"type\":\"result\",\"id\":\"1\",\"data\":{\"events\":[{\"type\":\"room.left\",\"room\":\"l\",\"seq\":3,\"ts\":4,\"handle\":\"x\"}],\"has_more\":true,\"truncated\":false}},"
    "{\"type\":\"error\",\"id\":null,\"code\":\"rate_limited\",\"message\":\"m\",\"retry_after_ms\":5}]",
    "{\"type\":\"hello\",\"protocol\":1,\"server\":\"s\",\"limits\":{\"max_frame_bytes\":1,\"max_text_chars\":2,"
    "\"history_page_max\":3,\"rate_per_sec\":4,\"rate_burst\":5,\"auth_timeout_ms\":6}}",
    "[{\"type\":\"meeting.state\",\"meeting\":{\"room\":\"c\",\"open\":true,\"chair\":\"a\",\"mode\":\"one_speaker\","
    "\"auto\":false,\"speaker\":\"b\",\"share_ends_at\":17,\"share_seconds\":300,\"queue\":[\"x\",\"y\",\"z\"]}},"
    "{\"type\":\"result\",\"id\":\"2\",\"data\":{\"meeting\":{\"room\":\"c\",\"open\":false,\"chair\":null,"
    "\"mode\":\"open\",\"auto\":true,\"speaker\":null,\"share_ends_at\":null,\"share_seconds\":60,\"queue\":[\"q\",\"r\"]}}},"
    "{\"type\":\"meeting.opened\",\"room\":\"c\",\"chair\":null,\"format\":\"\xf0\x9f\x8c\xb1\"},"
    "{\"type\":\"meeting.warning\",\"room\":\"c\",\"handle\":\"b\",\"seconds_left\":60},"
    "{\"type\":\"room.role\",\"room\":\"c\",\"handle\":\"b\",\"role\":\"moderator\"}]",
    "{\"type\":\"result\",\"id\":\"3\",\"data\":{\"room\":{\"room\":\"lobby\",\"title\":\"L\",\"topic\":\"\","
    "\"visibility\":\"open\",\"members\":1,\"present\":1,\"last_seq\":0,\"joined\":true,\"meeting\":true,"
    "\"role\":\"host\",\"slow_seconds\":30,\"locked\":true,\"member_limit\":9,\"newcomer_seconds\":600},"
    "\"members\":[{\"handle\":\"a\",\"status\":\"away\",\"role\":\"moderator\"}]}}",
    "[{\"type\":\"room.message\",\"room\":\"l\",\"seq\":17,\"ts\":1,\"handle\":\"t\",\"removed\":true,\"cid\":\"c\"},"
    "{\"type\":\"room.removed\",\"room\":\"l\",\"seq\":42,\"ts\":2,\"target_seq\":17},"
    "{\"type\":\"room.left\",\"room\":\"l\",\"seq\":43,\"ts\":3,\"handle\":\"t\",\"by_moderator\":true},"
    "{\"type\":\"moderated\",\"room\":null,\"action\":\"suspend\",\"until\":1795604800000,\"reason\":\"\xf0\x9f\x8c\xb1\"},"
    "{\"type\":\"room.settings\",\"room\":\"l\",\"settings\":{\"slow_seconds\":30,\"locked\":false,"
    "\"member_limit\":0,\"newcomer_seconds\":600}},"
    "{\"type\":\"error\",\"id\":\"4\",\"code\":\"muted\",\"message\":\"m\",\"retry_after_ms\":60000}]",
    "[{\"type\":\"result\",\"id\":\"5\",\"data\":{\"entries\":["
    "{\"id\":14,\"ts\":1,\"actor\":\"mona\",\"action\":\"delete\",\"target\":null,\"reason\":\"r\",\"seq\":17,\"until\":null},"
    "{\"id\":13,\"ts\":2,\"actor\":\"hal\",\"action\":\"ban\",\"target\":\"t\",\"reason\":\"\",\"until\":1795086400000}],"
    "\"has_more\":true}},"
    "{\"type\":\"result\",\"id\":\"6\",\"data\":{\"settings\":{\"slow_seconds\":30,\"locked\":true,"
    "\"member_limit\":5,\"newcomer_seconds\":0}}}]",
    "[{\"type\":\"result\",\"id\":\"7\",\"data\":{\"room\":\"c\",\"slots\":["
    "{\"days\":[\"mon\",\"wed\"],\"start\":\"19:00\",\"minutes\":60,\"tz\":\"America/New_York\"},"
    "{\"days\":[\"sat\"],\"start\":\"09:30\",\"minutes\":90,\"tz\":\"Europe/London\"}]}},"
    "{\"type\":\"result\",\"id\":\"8\",\"data\":{\"meetings\":[{\"room\":\"c\",\"title\":\"C\","
    "\"starts_at\":1,\"ends_at\":2,\"tz\":\"UTC\",\"open\":true}]}},"
    "{\"type\":\"result\",\"id\":\"9\",\"data\":{\"invites\":[{\"code\":\"k\",\"created_by\":\"a\","
    "\"created_at\":1,\"expires_at\":2,\"uses_left\":3},{\"code\":\"j\",\"created_at\":1}]}}]",
    "[{\"type\":\"result\",\"id\":\"10\",\"data\":{\"buddies\":[{\"handle\":\"b\",\"status\":\"away\","
    "\"since\":1,\"conversation\":\"~k3j9aa11\"}],\"incoming\":[{\"handle\":\"c\",\"ts\":2}],"
    "\"outgoing\":[{\"handle\":\"d\",\"ts\":3},{\"handle\":\"e\",\"ts\":4}],\"limit\":5}},"
    "{\"type\":\"result\",\"id\":\"11\",\"data\":{\"pings\":[{\"id\":2,\"from\":\"a\",\"to\":\"b\","
    "\"kind\":\"text\",\"text\":\"\xf0\x9f\x8c\xb1\",\"ts\":5,\"delivered_at\":6,\"seen_at\":7},"
    "{\"id\":1,\"from\":\"b\",\"to\":\"a\",\"kind\":\"call_me\",\"ts\":4}]}},"
    "{\"type\":\"result\",\"id\":\"12\",\"data\":{\"in_pool\":true,\"prefs\":{\"utc_offset_minutes\":60,"
    "\"language\":\"en\",\"approach\":\"any\",\"clean_days\":9,\"want_more_clean_time\":false},"
    "\"proposal\":{\"id\":3,\"handle\":\"f\",\"utc_offset_minutes\":0,\"language\":\"en\","
    "\"approach\":\"smart\",\"more_clean_time\":true,\"expires_at\":9}}},"
    "{\"type\":\"result\",\"id\":\"13\",\"data\":{\"rooms\":[{\"room\":\"~k3j9aa11\",\"title\":\"b\","
    "\"topic\":\"\",\"visibility\":\"invite\",\"members\":2,\"present\":1,\"last_seq\":4,\"joined\":true,"
    "\"kind\":\"buddy\",\"peer\":\"b\"}]}}]",
    "[{\"type\":\"buddy.request\",\"handle\":\"a\",\"ts\":1},"
    "{\"type\":\"buddy.update\",\"state\":\"paired\",\"handle\":\"a\",\"status\":\"busy\",\"since\":2,"
    "\"conversation\":\"~k3j9aa11\"},"
    "{\"type\":\"buddy.update\",\"state\":\"ended\",\"handle\":\"a\"},"
    "{\"type\":\"buddy.ping\",\"ping\":{\"id\":4,\"from\":\"a\",\"to\":\"b\",\"kind\":\"struggling\",\"ts\":3}},"
    "{\"type\":\"buddy.ping_status\",\"id\":4,\"to\":\"a\",\"state\":\"seen\",\"at\":5},"
    "{\"type\":\"match.proposal\",\"id\":3,\"handle\":\"f\",\"utc_offset_minutes\":-60,\"language\":\"es\","
    "\"approach\":\"12_step\",\"more_clean_time\":false,\"expires_at\":9},"
    "{\"type\":\"match.update\",\"id\":3,\"state\":\"waiting\"}]",
    "[{\"type\":\"result\",\"id\":\"14\",\"data\":{\"request\":{\"id\":3,\"requester\":\"a\","
    "\"urgency\":\"crisis\",\"note\":\"h\xc3\xa9lp\",\"state\":\"asking_buddies\",\"created_at\":1,"
    "\"waited_ms\":0},\"resources\":[\"r\",\"\xf0\x9f\x8c\xb1\"]}},"
    "{\"type\":\"result\",\"id\":\"15\",\"data\":{\"mine\":{\"id\":3,\"requester\":\"a\","
    "\"urgency\":\"talk\",\"state\":\"accepted\",\"created_at\":1,\"waited_ms\":5,\"helper\":\"b\","
    "\"conversation\":\"~k3j9aa11\"},\"helping\":[{\"id\":2,\"requester\":\"c\",\"urgency\":\"craving\","
    "\"state\":\"accepted\",\"created_at\":1,\"waited_ms\":9,\"helper\":\"a\",\"conversation\":\"~x7p2q9zz\"}]}},"
    "{\"type\":\"result\",\"id\":\"16\",\"data\":{\"requests\":[{\"id\":4,\"requester\":\"d\","
    "\"urgency\":\"talk\",\"note\":\"n\",\"state\":\"nobody_yet\",\"created_at\":1,\"waited_ms\":300000},"
    "{\"id\":5,\"requester\":\"e\",\"urgency\":\"crisis\",\"state\":\"asking_supporters\","
    "\"created_at\":2,\"waited_ms\":61000}]}},"
    "{\"type\":\"result\",\"id\":\"17\",\"data\":{\"days\":[{\"day\":\"2026-11-22\",\"requests\":3,"
    "\"answered\":2,\"median_wait_ms\":45000,\"worst_wait_ms\":400000}]}}]",
    "[{\"type\":\"support.offer\",\"request\":{\"id\":4,\"requester\":\"d\",\"urgency\":\"talk\","
    "\"note\":\"n\",\"state\":\"asking_supporters\",\"created_at\":1,\"waited_ms\":60000},\"as\":\"supporter\"},"
    "{\"type\":\"support.gone\",\"id\":4,\"reason\":\"taken\"},"
    "{\"type\":\"support.update\",\"request\":{\"id\":4,\"requester\":\"d\",\"urgency\":\"talk\","
    "\"state\":\"nobody_yet\",\"created_at\":1,\"waited_ms\":300000},\"resources\":[\"r\"],"
    "\"by\":\"helper_lost\"},"
    "{\"type\":\"support.update\",\"request\":{\"id\":4,\"requester\":\"d\",\"urgency\":\"talk\","
    "\"state\":\"closed\",\"created_at\":1,\"waited_ms\":9,\"helper\":\"b\",\"conversation\":\"~k3j9aa11\"},"
    "\"thanks\":\"\xf0\x9f\x8c\xb1\",\"by\":\"requester\"}]",
    "[{\"type\":\"result\",\"id\":\"18\",\"data\":{\"checkin\":{\"day\":\"2026-11-22\",\"ts\":1,"
    "\"mood\":2,\"craving\":6,\"signs\":[\"isolating\",\"boredom\",\"high_stress\"],\"note\":\"n\"},"
    "\"updated\":true,\"streak\":3,\"warning\":true,\"plan\":{\"lines\":[{\"when\":\"w\",\"then\":\"t\"}],"
    "\"reasons\":[\"r\"]},\"card\":{\"contacts\":[{\"name\":\"s\",\"phone\":\"1\",\"note\":\"x\"}],"
    "\"resources\":[\"\xf0\x9f\x8c\xb1\"]}}},"
    "{\"type\":\"result\",\"id\":\"19\",\"data\":{\"checkins\":[{\"handle\":\"b\",\"day\":\"2026-11-21\","
    "\"ts\":1,\"mood\":3,\"signs\":[\"a\"],\"grateful\":\"g\"},{\"handle\":\"c\",\"day\":\"2026-11-20\","
    "\"ts\":2,\"mood\":5,\"craving\":0,\"signs\":[]}]}},"
    "{\"type\":\"result\",\"id\":\"20\",\"data\":{\"periods\":[{\"start\":\"2026-11-16\",\"checkins\":6,"
    "\"avg_mood\":3.7,\"avg_craving\":0.5,\"meetings\":2}],\"streak\":6,\"longest\":9,\"goal\":3,"
    "\"meetings_this_week\":1}},"
    "{\"type\":\"result\",\"id\":\"21\",\"data\":{\"sobriety\":{\"handle\":\"b\",\"date\":\"2026-05-30\","
    "\"days\":9,\"next\":{\"key\":\"30d\",\"label\":\"30 days\",\"date\":\"2026-06-29\"},"
    "\"reached\":[{\"key\":\"1d\",\"label\":\"1 day\",\"date\":\"2026-05-31\"}],"
    "\"history\":[{\"from\":\"2025-01-01\",\"to\":\"2026-05-29\",\"days\":513}]}}},"
    "{\"type\":\"result\",\"id\":\"22\",\"data\":{\"settings\":{\"tz\":\"UTC\",\"checkin_share\":\"room\","
    "\"checkin_room\":\"porch\",\"warning_threshold\":3,\"alert_buddies\":false,\"isolation_nudges\":true,"
    "\"isolation_days\":2,\"meeting_goal\":0,\"sobriety_share\":\"private\",\"milestone_room\":\"m\"}}}]",
    "[{\"type\":\"checkin.shared\",\"checkin\":{\"handle\":\"a\",\"day\":\"2026-11-22\",\"ts\":1,"
    "\"mood\":4,\"craving\":1,\"signs\":[\"isolating\",\"boredom\"],\"win\":\"\xf0\x9f\x8c\xb1\"}},"
    "{\"type\":\"checkin.alert\",\"handle\":\"a\",\"day\":\"2026-11-22\",\"signs\":3},"
    "{\"type\":\"milestone\",\"handle\":\"a\",\"milestone\":{\"key\":\"1y\",\"label\":\"1 year\","
    "\"date\":\"2027-05-30\"},\"days\":365}]",
};

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void check_client(const char *buf, size_t len)
{
    struct proto_request r;
    struct proto_decode_error e;
    enum proto_err c = proto_request_decode(buf, len, &r, &e);
    if (c == PROTO_OK) {
        char *s = proto_request_encode(&r);
        cr_expect(s, "a decoded request must re-encode");
        free(s);
        proto_request_free(&r);
    } else {
        cr_expect(c > PROTO_OK && c < PROTO_E__COUNT);
        cr_expect(e.code == c && e.message[0], "failure without a sentence");
        cr_expect_null(r._root);
    }
}

/* Every result is tried as each request type whose data has arrays or
 * nested objects; every event is re-encoded. */
static void on_msg(const struct proto_server_msg *m, void *ud)
{
    static const enum proto_req_type types[] = {
        PROTO_REQ_ROOM_HISTORY, PROTO_REQ_MEETING_STATE, PROTO_REQ_ROOM_JOIN,
        PROTO_REQ_ROOM_CONFIGURE, PROTO_REQ_MOD_LOG, PROTO_REQ_MOD_SETTINGS,
        PROTO_REQ_MEETING_SCHEDULE, PROTO_REQ_MEETING_UPCOMING, PROTO_REQ_ROOM_INVITES,
        PROTO_REQ_ROOM_LIST, PROTO_REQ_BUDDY_LIST, PROTO_REQ_BUDDY_PINGS, PROTO_REQ_MATCH_STATUS,
        PROTO_REQ_SUPPORT_ASK, PROTO_REQ_SUPPORT_ACCEPT, PROTO_REQ_SUPPORT_QUEUE,
        PROTO_REQ_SUPPORT_STATUS, PROTO_REQ_SUPPORT_STATS, PROTO_REQ_SETTINGS_GET,
        PROTO_REQ_CHECKIN_SUBMIT, PROTO_REQ_CHECKIN_LIST, PROTO_REQ_CHECKIN_FEED,
        PROTO_REQ_CHECKIN_SUMMARY, PROTO_REQ_CHECKIN_JOURNAL, PROTO_REQ_CHECKIN_SIGNS,
        PROTO_REQ_CARD_GET, PROTO_REQ_PLAN_GET, PROTO_REQ_SOBRIETY_GET};
    struct proto_result r;
    (void)ud;
    if (m->kind == PROTO_MSG_RESULT) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
            if (proto_result_decode(types[i], m->data, &r) == PROTO_OK) {
                char *s = proto_result_encode("x", &r);
                cr_expect(s, "a decoded result must re-encode");
                free(s);
                proto_result_free(&r);
            } else {
                cr_expect_null(r._alloc);
            }
        }
    } else if (m->kind == PROTO_MSG_EVENT) {
        char *s = proto_event_encode(&m->event);
        cr_expect(s, "a decoded event must re-encode");
        free(s);
    }
}

static void mutate_all(const char *const *frames, size_t n, void (*check)(const char *, size_t))
{
    for (size_t f = 0; f < n; f++) {
        size_t len = strlen(frames[f]);
        char *buf = malloc(len + 1);
        for (size_t cut = 0; cut <= len; cut++) {
            memcpy(buf, frames[f], cut);   /* exact-length copy: ASan sees any overread */
            check(buf, cut);
        }
        for (int i = 0; i < 3000; i++) {
            memcpy(buf, frames[f], len);
            for (int k = 1 + (int)(next() % 3); k > 0; k--) {
                static const char interesting[] = "\"{}[],:0-9\\ \x80\xc3\xff";
                buf[next() % len] = (next() & 1) ? (char)(next() & 0xff)
                                                 : interesting[next() % (sizeof interesting - 1)];
            }
            check(buf, len);
        }
        free(buf);
    }
}

static void check_server(const char *buf, size_t len)
{
    enum proto_err c = proto_frame_decode(buf, len, on_msg, NULL);
    cr_expect(c >= PROTO_OK && c < PROTO_E__COUNT);
}

Test(robust, client_frames)
{
    mutate_all(client_frames, sizeof client_frames / sizeof client_frames[0], check_client);
}

Test(robust, server_frames)
{
    mutate_all(server_frames, sizeof server_frames / sizeof server_frames[0], check_server);
}

/* The frames mutated above are good as they are, so the mutations start
 * from messages that reach every decoder (moderation ones included). */
static int results_ok;

static void count_results(const struct proto_server_msg *m, void *ud)
{
    static const enum proto_req_type types[] = {
        PROTO_REQ_ROOM_HISTORY, PROTO_REQ_MEETING_STATE, PROTO_REQ_ROOM_JOIN,
        PROTO_REQ_MOD_LOG, PROTO_REQ_MOD_SETTINGS, PROTO_REQ_MEETING_SCHEDULE,
        PROTO_REQ_MEETING_UPCOMING, PROTO_REQ_ROOM_INVITES, PROTO_REQ_BUDDY_LIST,
        PROTO_REQ_BUDDY_PINGS, PROTO_REQ_MATCH_STATUS, PROTO_REQ_ROOM_LIST, PROTO_REQ_SUPPORT_ASK,
        PROTO_REQ_SUPPORT_STATUS, PROTO_REQ_SUPPORT_QUEUE, PROTO_REQ_SUPPORT_STATS,
        PROTO_REQ_CHECKIN_SUBMIT, PROTO_REQ_CHECKIN_FEED, PROTO_REQ_CHECKIN_SUMMARY,
        PROTO_REQ_SOBRIETY_GET, PROTO_REQ_SETTINGS_GET};
    struct proto_result r;
    (void)ud;
    if (m->kind != PROTO_MSG_RESULT)
        return;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (proto_result_decode(types[i], m->data, &r) == PROTO_OK) {
            results_ok++;
            proto_result_free(&r);
            return;
        }
    }
    cr_expect(0, "result %s decodes as none of the tried types", m->id);
}

Test(robust, base_frames_are_valid)
{
    for (size_t f = 0; f < sizeof client_frames / sizeof client_frames[0]; f++) {
        struct proto_request r;
        struct proto_decode_error e;
        cr_expect_eq(proto_request_decode(client_frames[f], strlen(client_frames[f]), &r, &e), PROTO_OK,
                     "client frame %zu: %s", f, e.message);
        proto_request_free(&r);
    }
    results_ok = 0;
    for (size_t f = 0; f < sizeof server_frames / sizeof server_frames[0]; f++)
        cr_expect_eq(proto_frame_decode(server_frames[f], strlen(server_frames[f]), count_results, NULL),
                     PROTO_OK, "server frame %zu", f);
    cr_expect_eq(results_ok, 21, "all twenty-one results in the server frames decode");
}
