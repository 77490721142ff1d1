/*
 * What the server acknowledged survives a kill -9: the reply to a send is
 * written only after COMMIT, so every acknowledged message must be in the
 * room after a restart, exactly once, with gap-free seqs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hdproc.h"
#include "rawws.h"

#define PW "correct horse battery"
#define TOTAL 1000

static struct hdproc hd;
static void stop_server(void) { hd_cleanup(&hd); }

TestSuite(durability, .fini = stop_server, .timeout = 180);

static void send_async(struct rawws *w, int i)
{
    char buf[160];
    snprintf(buf, sizeof buf,
             "{\"type\":\"room.send\",\"id\":\"s%d\",\"room\":\"vault\",\"text\":\"message %d\",\"cid\":\"m%d\"}",
             i, i, i);
    cr_assert_eq(rw_send_str(w, buf), 0);
}

/* Reads messages until `want` more send results arrived, marking them. */
static int collect_acks(struct rawws *w, bool *acked, int want)
{
    int got = 0;
    while (got < want) {
        json_t *m = rw_next(w, RW_TIMEOUT_MS);
        if (!m)
            break;
        const char *id = rw_str(m, "id");
        if (id && id[0] == 's' && !strcmp(rw_str(m, "type"), "result")) {
            acked[atoi(id + 1)] = true;
            got++;
        }
        json_decref(m);
    }
    return got;
}

Test(durability, kill9_during_1000_sends_loses_no_acknowledged_message)
{
    hd_start(&hd, hd_unlimited_rate);
    struct rawws w;
    rw_open_ok(&w, hd.port);
    rw_register(&w, "keeper", PW);
    json_decref(rw_call(&w, "room.create", json_pack("{s:s, s:s}", "room", "vault", "title", "Vault")));

    static bool acked[TOTAL];
    int sent = 0, acks = 0;
    /* Keep ~100 sends in flight; pull the plug halfway through. */
    while (sent < TOTAL && acks < TOTAL / 2) {
        for (int k = 0; k < 100 && sent < TOTAL; k++)
            send_async(&w, sent++);
        acks += collect_acks(&w, acked, 50);
    }
    for (int k = 0; k < 100 && sent < TOTAL; k++)
        send_async(&w, sent++);
    acks += collect_acks(&w, acked, 5);
    hd_kill9(&hd);
    /* Replies already on the wire before the kill are acknowledgements too. */
    acks += collect_acks(&w, acked, TOTAL);
    rw_close(&w);
    cr_assert(acks >= TOTAL / 2, "only %d acknowledged before the kill", acks);
    cr_log_info("%d of %d sends acknowledged before kill -9", acks, sent);

    hd_restart(&hd);
    free(rw_login(&w, hd.port, "keeper", PW));
    static bool stored[TOTAL];
    unsigned long long after = 0, expect_seq = 1;
    for (;;) {
        json_t *r = rw_call(&w, "room.history",
                            json_pack("{s:s, s:I, s:i}", "room", "vault", "after", (json_int_t)after, "limit", 100));
        json_t *d = rw_data(r), *ev;
        size_t i;
        json_array_foreach(json_object_get(d, "events"), i, ev) {
            cr_assert_eq((unsigned long long)json_integer_value(json_object_get(ev, "seq")), expect_seq,
                         "seqs are gap-free");
            expect_seq++;
            const char *cid = rw_str(ev, "cid");
            if (cid) {
                int n = atoi(cid + 1);
                cr_assert(!stored[n], "message %d stored twice", n);
                stored[n] = true;
            }
            after = (unsigned long long)json_integer_value(json_object_get(ev, "seq"));
        }
        bool more = json_is_true(json_object_get(d, "has_more"));
        json_decref(r);
        if (!more)
            break;
    }
    for (int i = 0; i < TOTAL; i++)
        cr_assert(!acked[i] || stored[i], "acknowledged message %d was lost", i);
    HD_FINISH(&hd, &w);
}
