#include "outq.h"

#include <stdlib.h>
#include <string.h>

struct hbuf *hbuf_take(char *json)
{
    if (!json)
        return NULL;
    struct hbuf *b = malloc(sizeof *b);
    if (!b) {
        free(json);
        return NULL;
    }
    b->refs = 1;
    b->data = json;
    b->len = strlen(json);
    return b;
}

void hbuf_ref(struct hbuf *b) { b->refs++; }

void hbuf_unref(struct hbuf *b)
{
    if (b && --b->refs == 0) {
        free(b->data);
        free(b);
    }
}

void outq_init(struct outq *q, size_t max_msgs, size_t max_bytes)
{
    memset(q, 0, sizeof *q);
    q->max_msgs = max_msgs;
    q->max_bytes = max_bytes;
}

void outq_clear(struct outq *q)
{
    for (size_t i = 0; i < q->count; i++)
        hbuf_unref(q->ring[(q->head + i) % q->cap]);
    free(q->ring);
    q->ring = NULL;
    q->head = q->count = q->cap = q->bytes = 0;
}

int outq_push(struct outq *q, struct hbuf *b)
{
    /* An empty queue takes any one message, however big (a full history
     * page can pass the byte bound by itself); past that, the bounds hold. */
    if (q->count > 0 && (q->count + 1 > q->max_msgs || q->bytes + b->len > q->max_bytes))
        return -1;
    if (q->count == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 8;
        struct hbuf **ring = malloc(cap * sizeof *ring);
        if (!ring)
            return -1;
        for (size_t i = 0; i < q->count; i++)
            ring[i] = q->ring[(q->head + i) % q->cap];
        free(q->ring);
        q->ring = ring;
        q->cap = cap;
        q->head = 0;
    }
    hbuf_ref(b);
    q->ring[(q->head + q->count) % q->cap] = b;
    q->count++;
    q->bytes += b->len;
    return 0;
}

static struct hbuf *peek(const struct outq *q, size_t i) { return q->ring[(q->head + i) % q->cap]; }

static void pop(struct outq *q)
{
    struct hbuf *b = peek(q, 0);
    q->bytes -= b->len;
    q->head = (q->head + 1) % q->cap;
    q->count--;
    hbuf_unref(b);
}

unsigned char *outq_take_frame(struct outq *q, size_t headroom, size_t frame_cap, size_t *len,
                               size_t *n_msgs)
{
    *len = 0;
    *n_msgs = 0;
    if (q->count == 0)
        return NULL;

    /* Count what fits: "[" + a + "," + b + ... + "]". The first message
     * always goes, even if it alone passes the cap. */
    size_t n = 1, total = peek(q, 0)->len;
    while (n < q->count && total + 2 + 1 + peek(q, n)->len <= frame_cap) {
        total += 1 + peek(q, n)->len;
        n++;
    }
    size_t payload = n == 1 ? total : total + 2;

    unsigned char *buf = malloc(headroom + payload);
    if (!buf)
        return NULL;
    unsigned char *p = buf + headroom;
    if (n > 1)
        *p++ = '[';
    for (size_t i = 0; i < n; i++) {
        struct hbuf *b = peek(q, 0);
        if (i > 0)
            *p++ = ',';
        memcpy(p, b->data, b->len);
        p += b->len;
        pop(q);
    }
    if (n > 1)
        *p++ = ']';
    *len = payload;
    *n_msgs = n;
    return buf;
}
