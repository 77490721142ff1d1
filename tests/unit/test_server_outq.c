/*
 * Fan-out buffers and outgoing queues: one encoded event shared by every
 * recipient's queue, bounded queues that refuse instead of growing, and
 * frame batching (one message as itself, several as a JSON array).
 * Leaks and double frees of shared buffers are caught by ASan/LSan.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outq.h"

static struct hbuf *buf(const char *s)
{
    struct hbuf *b = hbuf_take(strdup(s));
    cr_assert_not_null(b);
    return b;
}

/* Takes one frame and returns its payload as a NUL-terminated string. */
static char *take(struct outq *q, size_t cap, size_t *n_msgs)
{
    size_t len, n;
    unsigned char *f = outq_take_frame(q, 0, cap, &len, &n);
    cr_assert_not_null(f, "a frame was expected");
    char *s = malloc(len + 1);
    memcpy(s, f, len);
    s[len] = '\0';
    free(f);
    if (n_msgs)
        *n_msgs = n;
    return s;
}

Test(hbuf, take_sets_len_and_one_ref)
{
    struct hbuf *b = buf("{\"a\":1}");
    cr_expect_eq(b->refs, 1);
    cr_expect_eq(b->len, 7);
    cr_expect_str_eq(b->data, "{\"a\":1}");
    hbuf_unref(b);
    cr_expect_null(hbuf_take(NULL));
    hbuf_unref(NULL);   /* tolerated */
}

Test(hbuf, shared_by_several_queues_freed_after_last_unref)
{
    struct outq q[3];
    struct hbuf *b = buf("{\"type\":\"presence\"}");
    for (int i = 0; i < 3; i++) {
        outq_init(&q[i], 16, 1024);
        cr_assert_eq(outq_push(&q[i], b), 0);
        cr_expect_eq(b->refs, 2 + i, "each queue holds one reference");
    }
    hbuf_unref(b);                   /* the encoder's reference */
    cr_expect_eq(b->refs, 3);

    /* Taking a frame drops that queue's reference; the bytes stay valid for
     * the others (ASan would report a use after free otherwise). */
    size_t n;
    char *s = take(&q[0], 4096, &n);
    cr_expect_str_eq(s, "{\"type\":\"presence\"}");
    free(s);
    cr_expect_eq(b->refs, 2);
    outq_clear(&q[1]);
    cr_expect_eq(b->refs, 1);
    cr_expect_str_eq(b->data, "{\"type\":\"presence\"}");
    outq_clear(&q[2]);               /* last reference: freed here */
    outq_clear(&q[0]);
    cr_expect(outq_empty(&q[0]) && outq_empty(&q[2]));
}

Test(outq, refuses_past_max_msgs_without_queueing)
{
    struct outq q;
    outq_init(&q, 3, 1 << 20);
    struct hbuf *b = buf("x");
    for (int i = 0; i < 3; i++)
        cr_assert_eq(outq_push(&q, b), 0);
    cr_expect_eq(outq_push(&q, b), -1);
    cr_expect_eq(q.count, 3);
    cr_expect_eq(q.bytes, 3);
    cr_expect_eq(b->refs, 4, "a refused push takes no reference");
    outq_clear(&q);
    cr_expect_eq(b->refs, 1);
    cr_expect_eq(q.bytes, 0);
    hbuf_unref(b);
}

Test(outq, refuses_past_max_bytes_without_queueing)
{
    struct outq q;
    outq_init(&q, 100, 10);
    struct hbuf *four = buf("1234"), *three = buf("123"), *two = buf("12");
    cr_assert_eq(outq_push(&q, four), 0);
    cr_assert_eq(outq_push(&q, four), 0);   /* 8 bytes */
    cr_expect_eq(outq_push(&q, three), -1, "11 bytes would pass 10");
    cr_expect_eq(q.count, 2);
    cr_expect_eq(q.bytes, 8);
    cr_expect_eq(three->refs, 1);
    cr_expect_eq(outq_push(&q, two), 0, "exactly 10 bytes is within the bound");
    cr_expect_eq(q.bytes, 10);
    /* Taking frees room again. */
    size_t n;
    free(take(&q, 4, &n));
    cr_expect_eq(n, 1);
    cr_expect_eq(q.bytes, 6);
    cr_expect_eq(outq_push(&q, three), 0);
    outq_clear(&q);
    hbuf_unref(four);
    hbuf_unref(three);
    hbuf_unref(two);
}

Test(outq, empty_queue_gives_no_frame)
{
    struct outq q;
    outq_init(&q, 8, 1024);
    size_t len = 99, n = 99;
    cr_expect_null(outq_take_frame(&q, 16, 1024, &len, &n));
    cr_expect_eq(len, 0);
    cr_expect_eq(n, 0);
    outq_clear(&q);
}

Test(outq, one_message_goes_as_itself)
{
    struct outq q;
    outq_init(&q, 8, 1024);
    struct hbuf *b = buf("{\"type\":\"result\",\"id\":\"1\"}");
    outq_push(&q, b);
    hbuf_unref(b);
    size_t n;
    char *s = take(&q, 4096, &n);
    cr_expect_eq(n, 1);
    cr_expect_str_eq(s, "{\"type\":\"result\",\"id\":\"1\"}", "no array around one message");
    free(s);
    cr_expect(outq_empty(&q));
    cr_expect_eq(q.bytes, 0);
    outq_clear(&q);
}

Test(outq, several_messages_go_as_one_array_in_order)
{
    struct outq q;
    outq_init(&q, 8, 1024);
    const char *msgs[] = {"{\"n\":1}", "{\"n\":2}", "{\"n\":3}"};
    for (int i = 0; i < 3; i++) {
        struct hbuf *b = buf(msgs[i]);
        outq_push(&q, b);
        hbuf_unref(b);
    }
    size_t n;
    char *s = take(&q, 4096, &n);
    cr_expect_eq(n, 3);
    cr_expect_str_eq(s, "[{\"n\":1},{\"n\":2},{\"n\":3}]");
    free(s);
    cr_expect(outq_empty(&q));
    outq_clear(&q);
}

Test(outq, frame_cap_splits_into_several_frames)
{
    struct outq q;
    outq_init(&q, 64, 4096);
    /* Five 5-byte messages; "[a,b]" is 2+5+1+5 = 13 bytes, "[a,b,c]" 19. */
    const char *msgs[] = {"\"aaa\"", "\"bbb\"", "\"ccc\"", "\"ddd\"", "\"eee\""};
    for (int i = 0; i < 5; i++) {
        struct hbuf *b = buf(msgs[i]);
        outq_push(&q, b);
        hbuf_unref(b);
    }
    size_t n;
    char *s = take(&q, 18, &n);      /* 19 would be one too many */
    cr_expect_eq(n, 2);
    cr_expect_str_eq(s, "[\"aaa\",\"bbb\"]");
    free(s);
    s = take(&q, 19, &n);            /* exactly the cap fits */
    cr_expect_eq(n, 3);
    cr_expect_str_eq(s, "[\"ccc\",\"ddd\",\"eee\"]");
    free(s);
    cr_expect(outq_empty(&q));

    /* A cap below two messages packs them one by one, each as itself. */
    for (int i = 0; i < 3; i++) {
        struct hbuf *b = buf(msgs[i]);
        outq_push(&q, b);
        hbuf_unref(b);
    }
    for (int i = 0; i < 3; i++) {
        s = take(&q, 12, &n);
        cr_expect_eq(n, 1);
        cr_expect_str_eq(s, msgs[i]);
        free(s);
    }
    outq_clear(&q);
}

Test(outq, message_larger_than_cap_still_goes_alone)
{
    struct outq q;
    outq_init(&q, 8, 4096);
    char big[201];
    memset(big, 'x', 200);
    big[0] = big[199] = '"';
    big[200] = '\0';
    struct hbuf *b1 = buf(big), *b2 = buf("{}");
    outq_push(&q, b1);
    outq_push(&q, b2);
    hbuf_unref(b1);
    hbuf_unref(b2);
    size_t n;
    char *s = take(&q, 64, &n);
    cr_expect_eq(n, 1, "the big one goes alone");
    cr_expect_str_eq(s, big);
    free(s);
    s = take(&q, 64, &n);
    cr_expect_eq(n, 1);
    cr_expect_str_eq(s, "{}");
    free(s);
    outq_clear(&q);
}

Test(outq, headroom_is_reserved_before_payload)
{
    struct outq q;
    outq_init(&q, 8, 4096);
    struct hbuf *a = buf("{\"a\":1}"), *b = buf("{\"b\":2}");
    outq_push(&q, a);
    outq_push(&q, b);
    hbuf_unref(a);
    hbuf_unref(b);
    enum { HEAD = 16 };
    size_t len, n;
    unsigned char *f = outq_take_frame(&q, HEAD, 4096, &len, &n);
    cr_assert_not_null(f);
    cr_expect_eq(n, 2);
    const char *want = "[{\"a\":1},{\"b\":2}]";
    cr_assert_eq(len, strlen(want), "len counts the payload only, not the headroom");
    cr_expect_eq(memcmp(f + HEAD, want, len), 0, "payload starts after the headroom");
    /* The whole headroom is ours to write (libwebsockets puts its header
     * there): ASan would flag a short allocation. */
    memset(f, 0xAB, HEAD);
    cr_expect_eq(memcmp(f + HEAD, want, len), 0);
    free(f);
    outq_clear(&q);
}

Test(outq, ring_wraps_correctly_over_many_cycles)
{
    struct outq q;
    outq_init(&q, 1000, 1 << 20);
    int next_push = 0, next_take = 0;
    char tmp[32];
    /* Uneven push/take counts move head around the ring and force growth
     * while the live range straddles the end of the array. */
    for (int cycle = 0; cycle < 500; cycle++) {
        int pushes = 1 + cycle % 7;
        for (int i = 0; i < pushes; i++) {
            snprintf(tmp, sizeof tmp, "%d", next_push++);
            struct hbuf *b = buf(tmp);
            cr_assert_eq(outq_push(&q, b), 0);
            hbuf_unref(b);
        }
        int takes = 1 + (cycle * 3) % 6;
        for (int i = 0; i < takes && !outq_empty(&q); i++) {
            size_t n;
            char *s = take(&q, 1, &n);   /* cap 1: one message per frame */
            cr_assert_eq(n, 1);
            snprintf(tmp, sizeof tmp, "%d", next_take++);
            cr_assert_str_eq(s, tmp, "FIFO order broken at cycle %d", cycle);
            free(s);
        }
        cr_assert_eq(q.count, (size_t)(next_push - next_take));
    }
    /* Drain the rest as one batched frame and check the order once more. */
    size_t n;
    size_t left = q.count;
    char *s = take(&q, 1 << 20, &n);
    cr_expect_eq(n, left);
    char *p = s + (left > 1);
    for (size_t i = 0; i < left; i++) {
        snprintf(tmp, sizeof tmp, "%d", next_take++);
        cr_assert_eq(strncmp(p, tmp, strlen(tmp)), 0, "at %s: %.20s", tmp, p);
        p += strlen(tmp) + 1;
    }
    free(s);
    cr_expect(outq_empty(&q));
    cr_expect_eq(q.bytes, 0);
    outq_clear(&q);
}
