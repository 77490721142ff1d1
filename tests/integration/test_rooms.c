/*
 * Rooms and presence through the real hearthd: two people chat, history
 * pages both ways, sends are idempotent, invite-only rooms stay hidden,
 * and statuses travel live (invisible looks offline).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(rooms, .fini = stop_server, .timeout = 120);

static void create(struct rawws *w, const char *room, const char *vis)
{
    rw_ok(rw_call(w, "room.create", json_pack("{s:s, s:s, s:s}", "room", room, "title", "A room", "visibility", vis)));
}

static json_t *send_msg(struct rawws *w, const char *room, const char *text, const char *cid)
{
    return rw_call(w, "room.send", json_pack("{s:s, s:s, s:s}", "room", room, "text", text, "cid", cid));
}

static json_int_t num(json_t *v, const char *key) { return json_integer_value(json_object_get(v, key)); }

Test(rooms, two_people_chat_live_with_growing_seq)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a, b;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "ann", PW);
    rw_open_ok(&b, hd.port);
    rw_register(&b, "ben", PW);

    create(&a, "Lobby", "open");
    json_t *r = rw_call(&b, "room.list", NULL);
    json_t *rooms = json_object_get(rw_data(r), "rooms");
    cr_assert_eq(json_array_size(rooms), 1);
    cr_assert_str_eq(rw_str(json_array_get(rooms, 0), "room"), "lobby");
    cr_assert(json_is_false(json_object_get(json_array_get(rooms, 0), "joined")));
    json_decref(r);

    r = rw_call(&b, "room.join", json_pack("{s:s}", "room", "lobby"));
    json_t *members = json_object_get(rw_data(r), "members");
    cr_assert_eq(json_array_size(members), 2);
    json_decref(r);

    json_t *ev = rw_next_type(&a, "room.joined", RW_TIMEOUT_MS);
    cr_assert(ev);
    cr_assert_str_eq(rw_str(ev, "handle"), "ann", "the creator's own join comes first");
    cr_assert_eq(num(ev, "seq"), 1);
    json_decref(ev);
    ev = rw_next_type(&a, "room.joined", RW_TIMEOUT_MS);
    cr_assert(ev);
    cr_assert_str_eq(rw_str(ev, "handle"), "ben");
    cr_assert_eq(num(ev, "seq"), 2, "ann's own join was seq 1");
    json_decref(ev);

    r = send_msg(&a, "lobby", "hello ben", "c-1");
    cr_assert_eq(num(rw_data(r), "seq"), 3);
    json_decref(r);
    ev = rw_next_type(&b, "room.message", RW_TIMEOUT_MS);
    cr_assert(ev);
    cr_assert_str_eq(rw_str(ev, "text"), "hello ben");
    cr_assert_str_eq(rw_str(ev, "handle"), "ann");
    cr_assert_eq(num(ev, "seq"), 3);
    json_decref(ev);

    rw_ok(send_msg(&b, "lobby", "hi ann \xe2\x9d\xa4", "c-1")); /* cids are per person */
    ev = rw_next_type(&a, "room.message", RW_TIMEOUT_MS); /* ann's own echo first */
    cr_assert_eq(num(ev, "seq"), 3);
    json_decref(ev);
    ev = rw_next_type(&a, "room.message", RW_TIMEOUT_MS);
    cr_assert_str_eq(rw_str(ev, "text"), "hi ann \xe2\x9d\xa4");
    cr_assert_eq(num(ev, "seq"), 4);
    json_decref(ev);

    rw_ok(rw_call(&b, "room.leave", json_pack("{s:s}", "room", "lobby")));
    ev = rw_next_type(&a, "room.left", RW_TIMEOUT_MS);
    cr_assert_str_eq(rw_str(ev, "handle"), "ben");
    cr_assert_eq(num(ev, "seq"), 5);
    json_decref(ev);
    rw_expect_error(r = send_msg(&b, "lobby", "still here?", "c-2"), "not_member");
    json_decref(r);

    HD_FINISH(&hd, &a, &b);
}

Test(rooms, retried_send_returns_the_first_result)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a, b;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "cora", PW);
    create(&a, "quiet", "open");
    json_t *first = send_msg(&a, "quiet", "only once", "same-cid");
    json_t *again = send_msg(&a, "quiet", "only once", "same-cid");
    cr_assert_eq(num(rw_data(first), "seq"), num(rw_data(again), "seq"));
    cr_assert(json_is_false(json_object_get(rw_data(first), "duplicate")));
    cr_assert(json_is_true(json_object_get(rw_data(again), "duplicate")));
    json_decref(first);
    json_decref(again);

    /* Even after a restart, when the retry cannot come from memory. */
    HD_FINISH(&hd, &a);
    hd_restart(&hd);
    free(rw_login(&b, hd.port, "cora", PW));
    json_t *late = send_msg(&b, "quiet", "only once", "same-cid");
    cr_assert(json_is_true(json_object_get(rw_data(late), "duplicate")));
    json_decref(late);
    json_t *h = rw_call(&b, "room.history", json_pack("{s:s}", "room", "quiet"));
    cr_assert_eq(json_array_size(json_object_get(rw_data(h), "events")), 2, "join + one message");
    json_decref(h);
    HD_FINISH(&hd, &b);
}

Test(rooms, text_limit_is_4000_characters)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "dev", PW);
    create(&a, "long", "open");
    /* 4000 two-byte characters fit; one more does not. */
    char *text = malloc(2 * 4001 + 1);
    for (int i = 0; i < 4001; i++)
        memcpy(text + 2 * i, "\xc3\xa9", 2);
    text[2 * 4001] = '\0';
    json_t *r = send_msg(&a, "long", text, "too-long");
    rw_expect_error(r, "text_too_long");
    json_decref(r);
    text[2 * 4000] = '\0';
    rw_ok(send_msg(&a, "long", text, "fits"));
    free(text);
    HD_FINISH(&hd, &a);
}

Test(rooms, history_pages_backwards_and_forwards)
{
    /* A small memory cache makes older pages come from the database. */
    const char *args[] = {"--rate", "10000", "--rate-burst", "10000", "--user-rate", "10000",
                          "--user-rate-burst", "10000", "--history-cache", "10", NULL};
    hd_start(&hd, args);
    struct rawws a;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "eve", PW);
    create(&a, "diary", "open");
    char text[32], cid[32];
    for (int i = 1; i <= 120; i++) {
        snprintf(text, sizeof text, "entry %d", i);
        snprintf(cid, sizeof cid, "c%d", i);
        rw_ok(send_msg(&a, "diary", text, cid));
    }
    /* seq 1 is the join; entries are seq 2..121. Walk back 50 at a time. */
    unsigned long long before = 0, seen = 0, expect_top = 121;
    for (int page = 0; page < 3; page++) {
        json_t *q = json_pack("{s:s, s:i}", "room", "diary", "limit", 50);
        if (before)
            json_object_set_new(q, "before", json_integer((json_int_t)before));
        json_t *r = rw_call(&a, "room.history", q);
        json_t *d = rw_data(r), *evs = json_object_get(d, "events");
        size_t n = json_array_size(evs);
        cr_assert(n > 0);
        cr_assert_eq(num(json_array_get(evs, n - 1), "seq"), (json_int_t)expect_top);
        for (size_t i = 1; i < n; i++)
            cr_assert_eq(num(json_array_get(evs, i), "seq"), num(json_array_get(evs, i - 1), "seq") + 1);
        before = (unsigned long long)num(json_array_get(evs, 0), "seq");
        expect_top = before - 1;
        seen += n;
        cr_assert_eq(json_is_true(json_object_get(d, "has_more")), page < 2);
        json_decref(r);
    }
    cr_assert_eq(seen, 121);

    /* Resume forwards from seq 100 (beyond the cache and within it). */
    json_t *r = rw_call(&a, "room.history", json_pack("{s:s, s:i, s:i}", "room", "diary", "after", 5, "limit", 100));
    json_t *evs = json_object_get(rw_data(r), "events");
    cr_assert_eq(json_array_size(evs), 100);
    cr_assert_eq(num(json_array_get(evs, 0), "seq"), 6);
    cr_assert(json_is_true(json_object_get(rw_data(r), "has_more")));
    json_decref(r);
    r = rw_call(&a, "room.history", json_pack("{s:s, s:i}", "room", "diary", "after", 115));
    evs = json_object_get(rw_data(r), "events");
    cr_assert_eq(json_array_size(evs), 6);
    cr_assert_str_eq(rw_str(json_array_get(evs, 5), "text"), "entry 120");
    cr_assert(json_is_false(json_object_get(rw_data(r), "has_more")));
    json_decref(r);
    HD_FINISH(&hd, &a);
}

Test(rooms, invite_only_rooms_stay_hidden_until_invited)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a, b;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "fay", PW);
    rw_open_ok(&b, hd.port);
    rw_register(&b, "gus", PW);
    create(&a, "circle", "invite");

    json_t *r = rw_call(&b, "room.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "rooms")), 0);
    json_decref(r);
    rw_expect_error(r = rw_call(&b, "room.join", json_pack("{s:s}", "room", "circle")), "invite_required");
    json_decref(r);
    rw_expect_error(r = rw_call(&b, "room.history", json_pack("{s:s}", "room", "circle")), "room_not_found");
    json_decref(r);
    rw_expect_error(r = rw_call(&b, "room.join", json_pack("{s:s, s:s}", "room", "circle", "invite", "nope")),
                    "invite_invalid");
    json_decref(r);

    r = rw_call(&a, "room.invite", json_pack("{s:s}", "room", "circle"));
    char *code = strdup(rw_str(rw_data(r), "code"));
    json_decref(r);
    rw_ok(rw_call(&b, "room.join", json_pack("{s:s, s:s}", "room", "circle", "invite", code)));
    r = rw_call(&b, "room.list", NULL);
    cr_assert_eq(json_array_size(json_object_get(rw_data(r), "rooms")), 1);
    json_decref(r);
    free(code);
    HD_FINISH(&hd, &a, &b);
}

/* Skips events until a presence event about `handle` arrives. */
static const char *presence_of(struct rawws *w, const char *handle, json_t **keep)
{
    for (;;) {
        json_t *ev = rw_next_type(w, "presence", RW_TIMEOUT_MS);
        cr_assert(ev, "no presence event for %s", handle);
        if (!strcmp(rw_str(ev, "handle"), handle)) {
            *keep = ev;
            return rw_str(ev, "status");
        }
        json_decref(ev);
    }
}

Test(rooms, presence_goes_live_to_people_sharing_a_room)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws a, b;
    json_t *ev;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "hal", PW);
    create(&a, "porch", "open");
    rw_open_ok(&b, hd.port);
    rw_register(&b, "ida", PW);
    cr_assert_str_eq(presence_of(&b, "ida", &ev), "available", "signing in shows her own status");
    json_decref(ev);
    rw_ok(rw_call(&b, "room.join", json_pack("{s:s}", "room", "porch")));
    cr_assert_str_eq(presence_of(&a, "ida", &ev), "available");
    json_decref(ev);

    rw_ok(rw_call(&b, "presence.set", json_pack("{s:s}", "status", "busy")));
    cr_assert_str_eq(presence_of(&a, "ida", &ev), "busy");
    json_decref(ev);
    cr_assert_str_eq(presence_of(&b, "ida", &ev), "busy", "her own devices hear it too");
    json_decref(ev);

    rw_ok(rw_call(&b, "presence.set", json_pack("{s:s}", "status", "invisible")));
    cr_assert_str_eq(presence_of(&a, "ida", &ev), "offline", "invisible looks offline to others");
    json_decref(ev);
    cr_assert_str_eq(presence_of(&b, "ida", &ev), "invisible", "but not to herself");
    json_decref(ev);
    json_t *r = rw_call(&a, "room.members", json_pack("{s:s}", "room", "porch"));
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(rw_data(r), "members"), i, m)
        if (!strcmp(rw_str(m, "handle"), "ida"))
            cr_assert_str_eq(rw_str(m, "status"), "offline");
    json_decref(r);

    rw_ok(rw_call(&b, "presence.set", json_pack("{s:s}", "status", "away")));
    cr_assert_str_eq(presence_of(&a, "ida", &ev), "away");
    json_decref(ev);
    rw_close(&b);
    cr_assert_str_eq(presence_of(&a, "ida", &ev), "offline", "gone when the last connection closes");
    json_decref(ev);
    HD_FINISH(&hd, &a);
}

Test(rooms, a_reader_that_falls_behind_is_cut_4001_and_resumes_from_storage)
{
    const char *args[] = {"--rate", "10000", "--rate-burst", "10000", "--user-rate", "10000",
                          "--user-rate-burst", "10000", "--queue-max-msgs", "32",
                          "--queue-max-bytes", "65536", NULL};
    hd_start(&hd, args);
    struct rawws a, slow, late;
    rw_open_ok(&a, hd.port);
    rw_register(&a, "hd_unlimited_rate", PW);
    create(&a, "busy", "open");
    cr_assert_eq(rw_open_small(&slow, hd.port), 0);
    json_decref(rw_next_type(&slow, "hello", RW_TIMEOUT_MS));
    rw_register(&slow, "slowpoke", PW);
    rw_ok(rw_call(&slow, "room.join", json_pack("{s:s}", "room", "busy")));

    /* 3000-character messages, 8 in flight at a time (so the sender's own
     * echoes stay under its 64 KiB bound), until the server
     * cuts the reader that reads nothing: its presence turns offline. The
     * kernel's socket buffers absorb a few MB first, hence the volume. */
    char *text = malloc(3001), req[3200];
    memset(text, 'x', 3000);
    text[3000] = '\0';
    int sent = 0, acked = 0;
    bool cut = false;
    while (!cut && sent < 6000) {
        for (int k = 0; k < 8; k++, sent++) {
            snprintf(req, sizeof req,
                     "{\"type\":\"room.send\",\"id\":\"b%d\",\"room\":\"busy\",\"text\":\"%s\",\"cid\":\"b%d\"}",
                     sent, text, sent);
            cr_assert_eq(rw_send_str(&a, req), 0);
        }
        while (acked < sent) {
            json_t *m = rw_next(&a, RW_TIMEOUT_MS);
            cr_assert(m, "the sender's connection ended (%d) after %d sends", a.close_code, sent);
            if (!strcmp(rw_str(m, "type"), "result"))
                acked++;
            else if (!strcmp(rw_str(m, "type"), "presence") &&
                     !strcmp(rw_str(m, "handle"), "slowpoke") && !strcmp(rw_str(m, "status"), "offline"))
                cut = true;
            json_decref(m);
        }
    }
    free(text);
    cr_assert(cut, "the slow reader was never cut");
    cr_log_info("slow reader cut after %d messages", sent);
    /* Whatever it had received, its connection ends with 4001. */
    cr_assert_eq(rw_wait_close(&slow, RW_TIMEOUT_MS), 4001);
    rw_close(&slow);

    /* Resuming from storage gives it every message. */
    rw_open_ok(&late, hd.port);
    json_t *lr = rw_call(&late, "auth.login", json_pack("{s:s, s:s}", "handle", "slowpoke", "password", PW));
    cr_assert(lr, "login after the cut: connection closed with %d", late.close_code);
    rw_data(lr);
    json_decref(lr);
    int messages = 0;
    unsigned long long after = 0;
    for (;;) {
        json_t *r = rw_call(&late, "room.history", json_pack("{s:s, s:I, s:i}", "room", "busy", "after",
                                                           (json_int_t)after, "limit", 100));
        json_t *d = rw_data(r), *ev;
        size_t i;
        json_array_foreach(json_object_get(d, "events"), i, ev) {
            if (!strcmp(rw_str(ev, "type"), "room.message"))
                messages++;
            after = (unsigned long long)num(ev, "seq");
        }
        bool more = json_is_true(json_object_get(d, "has_more"));
        json_decref(r);
        if (!more)
            break;
    }
    cr_assert_eq(messages, sent);
    HD_FINISH(&hd, &late, &a);
}
