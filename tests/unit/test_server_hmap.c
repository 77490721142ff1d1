/*
 * The string-keyed hash map behind users, rooms and throttle entries:
 * put/get/replace/delete, growth past many keys, tombstone reuse, and
 * iteration (every live key once, deleting the current key is allowed).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"

#define V(n) ((void *)(intptr_t)(n))
#define N(v) ((int)(intptr_t)(v))

/* A map that never frees a slot makes find() spin forever: fail instead. */
TestSuite(hmap, .timeout = 30);

Test(hmap, put_get_replace_del)
{
    struct hmap *m = hmap_new();
    cr_assert_not_null(m);
    cr_expect_eq(hmap_count(m), 0);
    cr_expect_null(hmap_get(m, "alice"));

    cr_assert_eq(hmap_put(m, "alice", V(1)), 0);
    cr_assert_eq(hmap_put(m, "bob", V(2)), 0);
    cr_expect_eq(hmap_count(m), 2);
    cr_expect_eq(N(hmap_get(m, "alice")), 1);
    cr_expect_eq(N(hmap_get(m, "bob")), 2);
    cr_expect_null(hmap_get(m, "Alice"), "keys are case-sensitive");
    cr_expect_null(hmap_get(m, "alic"));
    cr_expect_null(hmap_get(m, ""));

    cr_assert_eq(hmap_put(m, "alice", V(3)), 0);
    cr_expect_eq(hmap_count(m), 2, "replacing does not add");
    cr_expect_eq(N(hmap_get(m, "alice")), 3);

    cr_expect_eq(N(hmap_del(m, "alice")), 3, "del returns the value");
    cr_expect_null(hmap_get(m, "alice"));
    cr_expect_eq(hmap_count(m), 1);
    cr_expect_null(hmap_del(m, "alice"), "deleting twice finds nothing");
    cr_expect_null(hmap_del(m, "nobody"));
    cr_expect_eq(N(hmap_get(m, "bob")), 2);

    /* Re-inserting a deleted key works (reuses its tombstone). */
    cr_assert_eq(hmap_put(m, "alice", V(4)), 0);
    cr_expect_eq(N(hmap_get(m, "alice")), 4);
    cr_expect_eq(hmap_count(m), 2);

    cr_assert_eq(hmap_put(m, "", V(5)), 0, "the empty string is a key like any other");
    cr_expect_eq(N(hmap_get(m, "")), 5);
    hmap_free(m);
    hmap_free(NULL);
}

Test(hmap, keys_are_copied)
{
    struct hmap *m = hmap_new();
    char key[16];
    strcpy(key, "carol");
    hmap_put(m, key, V(7));
    strcpy(key, "XXXXX");            /* the caller reuses its buffer */
    cr_expect_eq(N(hmap_get(m, "carol")), 7);
    cr_expect_null(hmap_get(m, "XXXXX"));
    hmap_free(m);
}

Test(hmap, null_values_are_stored)
{
    /* A NULL value is indistinguishable from absence to hmap_get, but it
     * still counts and still iterates. */
    struct hmap *m = hmap_new();
    hmap_put(m, "k", NULL);
    cr_expect_eq(hmap_count(m), 1);
    size_t pos = 0;
    const char *k;
    void *v = V(1);
    cr_expect_eq(hmap_next(m, &pos, &k, &v), 0);
    cr_expect_str_eq(k, "k");
    cr_expect_null(v);
    hmap_free(m);
}

Test(hmap, ten_thousand_keys_with_growth)
{
    enum { COUNT = 10000 };
    struct hmap *m = hmap_new();
    char key[32];
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "user-%d", i);
        cr_assert_eq(hmap_put(m, key, V(i + 1)), 0);
        cr_assert_eq(hmap_count(m), (size_t)i + 1);
    }
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "user-%d", i);
        cr_assert_eq(N(hmap_get(m, key)), i + 1, "lost %s after growth", key);
    }
    cr_expect_null(hmap_get(m, "user-10000"));

    /* Delete the odd ones, then check both halves. */
    for (int i = 1; i < COUNT; i += 2) {
        snprintf(key, sizeof key, "user-%d", i);
        cr_assert_eq(N(hmap_del(m, key)), i + 1);
    }
    cr_expect_eq(hmap_count(m), COUNT / 2);
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "user-%d", i);
        if (i % 2)
            cr_assert_null(hmap_get(m, key), "%s came back", key);
        else
            cr_assert_eq(N(hmap_get(m, key)), i + 1, "lost %s", key);
    }
    hmap_free(m);
}

Test(hmap, churn_with_tombstones_stays_correct)
{
    /* Insert/delete cycles leave tombstones behind; the map must rehash
     * them away rather than fill up (find() would then never terminate)
     * and must keep every live key reachable. */
    struct hmap *m = hmap_new();
    char key[32];
    hmap_put(m, "anchor", V(-1));
    for (int i = 0; i < 50000; i++) {
        snprintf(key, sizeof key, "tmp-%d", i);
        cr_assert_eq(hmap_put(m, key, V(i)), 0);
        if (i >= 8) {
            snprintf(key, sizeof key, "tmp-%d", i - 8);
            cr_assert_eq(N(hmap_del(m, key)), i - 8);
        }
    }
    cr_expect_eq(hmap_count(m), 9);
    cr_expect_eq(N(hmap_get(m, "anchor")), -1);
    for (int i = 50000 - 8; i < 50000; i++) {
        snprintf(key, sizeof key, "tmp-%d", i);
        cr_expect_eq(N(hmap_get(m, key)), i);
    }
    cr_expect_null(hmap_get(m, "never-there"), "a miss still terminates");
    hmap_free(m);
}

Test(hmap, iteration_visits_every_live_key_once)
{
    enum { COUNT = 1000 };
    struct hmap *m = hmap_new();
    char key[32];
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "r%d", i);
        hmap_put(m, key, V(i));
    }
    for (int i = 0; i < COUNT; i += 3) {   /* some tombstones in the way */
        snprintf(key, sizeof key, "r%d", i);
        hmap_del(m, key);
    }
    int seen[COUNT] = {0};
    size_t pos = 0, visits = 0;
    const char *k;
    void *v;
    while (hmap_next(m, &pos, &k, &v) == 0) {
        int i = N(v);
        cr_assert(i >= 0 && i < COUNT);
        snprintf(key, sizeof key, "r%d", i);
        cr_assert_str_eq(k, key, "key and value belong together");
        seen[i]++;
        visits++;
    }
    cr_expect_eq(visits, hmap_count(m));
    for (int i = 0; i < COUNT; i++)
        cr_expect_eq(seen[i], i % 3 == 0 ? 0 : 1, "r%d seen %d times", i, seen[i]);
    /* At the end it stays at the end. */
    cr_expect_eq(hmap_next(m, &pos, &k, &v), -1);

    /* An empty map iterates nothing. */
    struct hmap *e = hmap_new();
    pos = 0;
    cr_expect_eq(hmap_next(e, &pos, &k, &v), -1);
    hmap_free(e);
    hmap_free(m);
}

Test(hmap, delete_current_key_during_iteration)
{
    /* What throttle's prune and server shutdown do: walk the map and drop
     * entries as they go. Every key must be visited exactly once, and the
     * kept ones must survive. Values are heap-allocated so ASan sees any
     * double free or leak. */
    enum { COUNT = 500 };
    struct hmap *m = hmap_new();
    char key[32];
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "k%d", i);
        int *p = malloc(sizeof *p);
        *p = i;
        hmap_put(m, key, p);
    }
    int seen[COUNT] = {0};
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(m, &pos, &k, &v) == 0) {
        int i = *(int *)v;
        seen[i]++;
        if (i % 2 == 0)
            free(hmap_del(m, k));    /* frees k too: not used after this */
    }
    for (int i = 0; i < COUNT; i++)
        cr_expect_eq(seen[i], 1, "k%d seen %d times", i, seen[i]);
    cr_expect_eq(hmap_count(m), COUNT / 2);
    for (int i = 0; i < COUNT; i++) {
        snprintf(key, sizeof key, "k%d", i);
        int *p = hmap_get(m, key);
        if (i % 2 == 0) {
            cr_expect_null(p);
        } else {
            cr_assert_not_null(p, "lost %s", key);
            cr_expect_eq(*p, i);
        }
    }
    /* Free the rest the same way, deleting everything. */
    pos = 0;
    while (hmap_next(m, &pos, &k, &v) == 0)
        free(hmap_del(m, k));
    cr_expect_eq(hmap_count(m), 0);
    hmap_free(m);
}
