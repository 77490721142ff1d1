/*
 * Retention through the real hearthd, with canaries on disk: a room that
 * keeps messages one day erases them after a day (database and WAL), and in
 * an ephemeral room ("what is said here stays here") the words never reach
 * the disk at all and are gone from memory when the meeting closes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define HOUR_MS (3600LL * 1000)

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(retention, .fini = stop_server, .timeout = 120);

static json_t *req(struct rawws *w, const char *type, json_t *fields)
{
    json_object_set_new(fields, "room", json_string("quiet"));
    return rw_call(w, type, fields);
}

/* How often `needle` occurs in a file of the data directory. */
static int on_disk(const char *file, const char *needle)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", hd.data_dir, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t nl = strlen(needle), len = 0, cap = 1 << 20, n;
    char *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += n) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    int count = 0;
    for (size_t i = 0; i + nl <= len; i++)
        count += memcmp(buf + i, needle, nl) == 0;
    free(buf);
    return count;
}

/* Is a message with this text in the newest history page? Also reports
 * whether the page says some events were removed. */
static bool in_history(struct rawws *w, const char *text, bool *truncated)
{
    json_t *r = req(w, "room.history", json_object());
    json_t *d = rw_data(r), *e;
    size_t i;
    bool found = false;
    json_array_foreach(json_object_get(d, "events"), i, e) {
        const char *t = rw_str(e, "text");
        found |= t && !strcmp(t, text);
    }
    if (truncated)
        *truncated = json_is_true(json_object_get(d, "truncated"));
    json_decref(r);
    return found;
}

static void two_people(struct rawws *host, struct rawws *ann, json_t *settings)
{
    hd_start(&hd, hd_unlimited_rate);
    rw_open_ok(host, hd.port);
    rw_register(host, "hope", PW);
    rw_ok(rw_call(host, "room.create", json_pack("{s:s, s:s}", "room", "quiet", "title", "Quiet")));
    rw_ok(req(host, "room.configure", settings));
    rw_open_ok(ann, hd.port);
    rw_register(ann, "ann", PW);
    rw_ok(req(ann, "room.join", json_object()));
}

Test(retention, messages_older_than_the_limit_are_erased)
{
    struct rawws host, ann;
    two_people(&host, &ann, json_pack("{s:i}", "retention_days", 1));
    const char *canary = "CANARY-retention-4d1e-my-old-secret";
    rw_ok(req(&ann, "room.send", json_pack("{s:s, s:s}", "text", canary, "cid", "c1")));
    cr_assert_gt(on_disk("hearth.db", canary) + on_disk("hearth.db-wal", canary), 0,
                 "an ordinary room stores its messages");

    hd_advance(&hd, 23 * HOUR_MS);
    cr_assert(in_history(&host, canary, NULL), "still kept before a day has passed");
    hd_advance(&hd, 2 * HOUR_MS);
    rw_ok(req(&ann, "room.send", json_pack("{s:s, s:s}", "text", "a new day", "cid", "c2")));
    bool truncated = false;
    cr_assert_not(in_history(&host, canary, &truncated), "gone after a day");
    cr_assert(truncated, "the page says something was removed");
    cr_assert_eq(on_disk("hearth.db", canary), 0, "erased from the database");
    cr_assert_eq(on_disk("hearth.db-wal", canary), 0, "and from the WAL");
    HD_FINISH(&hd, &host, &ann);
}

Test(retention, what_is_said_in_an_ephemeral_room_stays_there)
{
    struct rawws host, ann;
    two_people(&host, &ann, json_pack("{s:b, s:b}", "meeting", 1, "ephemeral", 1));
    rw_ok(req(&host, "meeting.open", json_object()));
    rw_ok(req(&host, "meeting.mode", json_pack("{s:s}", "mode", "open")));

    const char *canary = "CANARY-ephemeral-9b2c-what-I-said-tonight";
    json_t *r = req(&ann, "room.send", json_pack("{s:s, s:s}", "text", canary, "cid", "e1"));
    long long seq = json_integer_value(json_object_get(rw_data(r), "seq"));
    json_decref(r);
    json_t *m = rw_next_type(&host, "room.message", RW_TIMEOUT_MS);
    cr_assert(m);
    cr_assert_str_eq(rw_str(m, "text"), canary, "delivered live like any message");
    cr_assert_eq(json_integer_value(json_object_get(m, "seq")), seq);
    json_decref(m);
    r = req(&ann, "room.send", json_pack("{s:s, s:s}", "text", canary, "cid", "e1"));
    cr_assert(json_is_true(json_object_get(rw_data(r), "duplicate")), "a retry is still recognised");
    json_decref(r);
    cr_assert(in_history(&host, canary, NULL), "there while the meeting is open");
    cr_assert_eq(on_disk("hearth.db", canary), 0, "never written to the database");
    cr_assert_eq(on_disk("hearth.db-wal", canary), 0, "nor to the WAL");

    rw_ok(req(&host, "meeting.close", json_object()));
    bool truncated = false;
    cr_assert_not(in_history(&host, canary, &truncated), "gone when the meeting closes");
    cr_assert(truncated);
    HD_FINISH(&hd, &host, &ann);
    cr_assert_eq(on_disk("hearth.db", canary), 0);
    cr_assert_eq(on_disk("hearth.db-wal", canary), 0);
}
