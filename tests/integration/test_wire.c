/*
 * The transport and envelope rules, through the real hearthd: hello,
 * bad input of every kind, rate limits, the auth deadline, Origin,
 * per-address caps and a clean shutdown.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "hdproc.h"
#include "rawws.h"

static struct hdproc hd;

static void stop_server(void) { hd_cleanup(&hd); }

static const char *str(json_t *v, const char *key) { return json_string_value(json_object_get(v, key)); }

static void expect_error(json_t *r, const char *code)
{
    cr_assert(r, "no reply");
    cr_assert_str_eq(str(r, "type"), "error");
    cr_assert_str_eq(str(r, "code"), code, "expected %s, got %s (%s)", code, str(r, "code"),
                     str(r, "message"));
    cr_assert(str(r, "message") && strlen(str(r, "message")) > 10, "error without a sentence");
}

TestSuite(wire, .fini = stop_server, .timeout = 60);

Test(wire, hello_states_version_and_limits)
{
    hd_start(&hd, NULL);
    struct rawws w;
    cr_assert_eq(rw_open(&w, hd.port, "/ws", NULL), 0);
    json_t *hello = rw_next(&w, RW_TIMEOUT_MS);
    cr_assert(hello);
    cr_assert_str_eq(str(hello, "type"), "hello");
    cr_assert_eq(json_integer_value(json_object_get(hello, "protocol")), 1);
    json_t *limits = json_object_get(hello, "limits");
    cr_assert_eq(json_integer_value(json_object_get(limits, "max_frame_bytes")), 65536);
    cr_assert_eq(json_integer_value(json_object_get(limits, "max_text_chars")), 4000);
    json_decref(hello);
    HD_FINISH(&hd, &w);
}

Test(wire, bad_json_unknown_type_and_missing_field_keep_the_connection)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_send_str(&w, "{not json");
    json_t *r = rw_next_type(&w, "error", RW_TIMEOUT_MS);
    expect_error(r, "bad_json");
    cr_assert(json_is_null(json_object_get(r, "id")));
    json_decref(r);

    expect_error(r = rw_call(&w, "no.such.thing", NULL), "unknown_type");
    cr_assert_str_eq(str(r, "id"), "t1", "unknown types still echo the id");
    json_decref(r);

    expect_error(r = rw_call(&w, "auth.login", json_pack("{s:s}", "handle", "alice")),
                 "invalid_field");
    json_decref(r);

    r = rw_call(&w, "ping", NULL);
    cr_assert_str_eq(str(r, "type"), "result", "connection still serves after bad input");
    json_decref(r);
    HD_FINISH(&hd, &w);
}

Test(wire, requests_before_login_are_refused)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    json_t *r = rw_call(&w, "room.list", NULL);
    expect_error(r, "not_authenticated");
    json_decref(r);
    r = rw_call(&w, "room.send", json_pack("{s:s,s:s,s:s}", "room", "lobby", "text", "hi", "cid", "c1"));
    expect_error(r, "not_authenticated");
    json_decref(r);
    HD_FINISH(&hd, &w);
}

Test(wire, oversized_message_closes_1009)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    size_t len = 70000;
    char *big = malloc(len);
    memset(big, 'a', len);
    rw_send(&w, big, len, 1);
    cr_assert_eq(rw_wait_close(&w, RW_TIMEOUT_MS), 1009);
    rw_close(&w);

    /* Fragments that add up past the limit count as one message. */
    rw_open_ok(&w, hd.port);
    rw_send(&w, big, len, 8);
    cr_assert_eq(rw_wait_close(&w, RW_TIMEOUT_MS), 1009);
    rw_close(&w);
    free(big);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(wire, fragmented_message_under_the_limit_is_reassembled)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    const char *ping = "{\"type\":\"ping\",\"id\":\"frag\"}";
    rw_send(&w, ping, strlen(ping), 4);
    json_t *r = rw_next_type(&w, "result", RW_TIMEOUT_MS);
    cr_assert(r);
    cr_assert_str_eq(str(r, "id"), "frag");
    json_decref(r);
    HD_FINISH(&hd, &w);
}

Test(wire, invalid_utf8_closes_1007)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    const char bad[] = "{\"type\":\"ping\",\"id\":\"\xc3\x28\"}";
    rw_send(&w, bad, sizeof bad - 1, 1);
    cr_assert_eq(rw_wait_close(&w, RW_TIMEOUT_MS), 1007);
    HD_FINISH(&hd, &w);
}

Test(wire, unauthenticated_connection_closed_4000_when_the_clock_passes_10s)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    hd_advance(&hd, 9000);
    json_t *r = rw_call(&w, "ping", NULL);
    cr_assert(r, "still open at 9 s");
    json_decref(r);
    hd_advance(&hd, 1500);
    int code = rw_wait_close(&w, RW_TIMEOUT_MS);
    cr_assert_eq(code, 4000, "close code %d", code);
    HD_FINISH(&hd, &w);
}

Test(wire, rate_limit_then_flood_close_1008)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    /* The clock stands still, so the burst (20) is all there is. */
    char req[64];
    for (int i = 0; i < 25; i++) {
        snprintf(req, sizeof req, "{\"type\":\"ping\",\"id\":\"p%d\"}", i);
        rw_send_str(&w, req);
    }
    int results = 0, limited = 0;
    for (int i = 0; i < 25; i++) {
        json_t *r = rw_next(&w, RW_TIMEOUT_MS);
        cr_assert(r);
        if (!strcmp(str(r, "type"), "result"))
            results++;
        else {
            expect_error(r, "rate_limited");
            cr_assert(json_integer_value(json_object_get(r, "retry_after_ms")) > 0);
            limited++;
        }
        json_decref(r);
    }
    cr_assert_eq(results, 20);
    cr_assert_eq(limited, 5);

    /* After a second the bucket has refilled by the rate (10). */
    hd_advance(&hd, 1000);
    json_t *r = rw_call(&w, "ping", NULL);
    cr_assert_str_eq(str(r, "type"), "result");
    json_decref(r);

    /* Keep flooding: more than 50 refusals in 10 s cuts the connection.
     * 9 tokens are left and 5 refusals counted: the 55th ping is the 51st
     * refusal. Sending no more than that keeps the close clean (unread
     * bytes would make the kernel reset the socket). */
    for (int i = 0; i < 55; i++) {
        snprintf(req, sizeof req, "{\"type\":\"ping\",\"id\":\"f%d\"}", i);
        if (rw_send_str(&w, req) != 0)
            break;
    }
    cr_assert_eq(rw_wait_close(&w, RW_TIMEOUT_MS), 1008);
    HD_FINISH(&hd, &w);
}

Test(wire, foreign_origin_and_wrong_path_get_no_upgrade)
{
    hd_start(&hd, NULL);
    struct rawws w;
    cr_assert_neq(rw_open(&w, hd.port, "/ws", "https://evil.example"), 0);
    rw_close(&w);
    char own[64];
    snprintf(own, sizeof own, "http://127.0.0.1:%d", hd.port);
    cr_assert_eq(rw_open(&w, hd.port, "/ws", own), 0, "the server's own origin is allowed");
    rw_close(&w);
    cr_assert_neq(rw_open(&w, hd.port, "/elsewhere", NULL), 0);
    HD_FINISH(&hd, &w);
}

Test(wire, connections_per_address_are_capped)
{
    const char *args[] = {"--max-conns-per-addr", "3", NULL};
    hd_start(&hd, args);
    struct rawws w[4];
    for (int i = 0; i < 3; i++)
        rw_open_ok(&w[i], hd.port);
    cr_assert_neq(rw_open(&w[3], hd.port, "/ws", NULL), 0, "the fourth must be refused");
    rw_close(&w[3]);
    rw_close(&w[0]);
    /* A closed connection frees its place (the server notices the close
     * asynchronously, so retry a few times within the bound). */
    int rc = -1;
    for (int tries = 0; tries < 50 && rc != 0; tries++) {
        rc = rw_open(&w[0], hd.port, "/ws", NULL);
        if (rc != 0) {
            rw_close(&w[0]);
            nanosleep(&(struct timespec){0, 20000000}, NULL);
        }
    }
    cr_assert_eq(rc, 0);
    for (int i = 0; i < 3; i++)
        rw_close(&w[i]);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(wire, shutdown_tells_clients_1001_and_exits_0)
{
    hd_start(&hd, NULL);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "closer", "a long enough password");
    kill(hd.pid, SIGTERM);
    cr_assert_eq(rw_wait_close(&w, RW_TIMEOUT_MS), 1001);
    HD_FINISH(&hd, &w);
}

Test(wire, binds_only_the_configured_address)
{
    hd_start(&hd, NULL); /* --listen 127.0.0.1:0 */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)hd.port)};
    inet_pton(AF_INET, "127.0.0.2", &a.sin_addr); /* loopback too, but not what was asked */
    cr_assert_neq(connect(fd, (struct sockaddr *)&a, sizeof a), 0, "127.0.0.2 must not answer");
    close(fd);
    cr_assert_eq(hd_stop(&hd), 0);
}

Test(wire, one_person_cannot_escape_the_rate_with_more_connections)
{
    hd_start(&hd, NULL);
    struct rawws w[3];
    rw_open_ok(&w[0], hd.port);
    rw_register(&w[0], "spreader", "a long enough password");
    for (int i = 1; i < 3; i++)
        free(rw_login(&w[i], hd.port, "spreader", "a long enough password"));

    /* 15 pings on each connection: every connection is within its own burst
     * (20), but together they pass the person's burst (40). */
    char req[64];
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < 15; i++) {
            snprintf(req, sizeof req, "{\"type\":\"ping\",\"id\":\"c%dp%d\"}", c, i);
            rw_send_str(&w[c], req);
        }
    int ok = 0, limited = 0;
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < 15; i++) {
            json_t *r = rw_next(&w[c], RW_TIMEOUT_MS);
            cr_assert(r);
            if (!strcmp(str(r, "type"), "presence")) { /* her own status, not a reply */
                json_decref(r);
                i--;
                continue;
            }
            if (!strcmp(str(r, "type"), "result"))
                ok++;
            else {
                expect_error(r, "rate_limited");
                limited++;
            }
            json_decref(r);
        }
    cr_assert_eq(ok, 40);
    cr_assert_eq(limited, 5);
    for (int c = 0; c < 3; c++)
        rw_close(&w[c]);
    cr_assert_eq(hd_stop(&hd), 0);
}
