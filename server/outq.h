/*
 * Fan-out buffers and per-connection outgoing queues (ENGINEERING.md s.6).
 *
 * An event is encoded once into an hbuf; every recipient's queue holds a
 * reference to the same bytes. When a connection becomes writable, all it
 * has pending (up to a cap) goes out as one frame: a single message as
 * itself, several as a JSON array, which PROTOCOL.md allows. A queue is
 * bounded in messages and bytes; outq_push() refuses past the bound and
 * the caller cuts the slow reader, which then resumes from storage.
 */
#ifndef HEARTH_OUTQ_H
#define HEARTH_OUTQ_H

#include <stdbool.h>
#include <stddef.h>

struct hbuf {
    int refs;
    size_t len;
    char *data;                 /* JSON text, not NUL-counted in len */
};

/* Takes ownership of a malloc'd NUL-terminated string. NULL in -> NULL. */
struct hbuf *hbuf_take(char *json);
void hbuf_ref(struct hbuf *b);
void hbuf_unref(struct hbuf *b);

struct outq {
    struct hbuf **ring;
    size_t head, count, cap;
    size_t bytes;
    size_t max_msgs, max_bytes;
};

void outq_init(struct outq *q, size_t max_msgs, size_t max_bytes);
void outq_clear(struct outq *q);   /* drops every reference */
/* Queues a reference. Returns 0, or -1 when the bound would be passed
 * (nothing queued) or memory ran out. An empty queue always takes one
 * message, whatever its size. */
int outq_push(struct outq *q, struct hbuf *b);
static inline bool outq_empty(const struct outq *q) { return q->count == 0; }

/* Pops as many messages as fit in frame_cap bytes (always at least one)
 * into a new buffer that starts with `headroom` spare bytes (LWS_PRE).
 * Returns the buffer (free() it) and its payload length in *len, or NULL
 * when empty or out of memory. *n_msgs tells how many were packed. */
unsigned char *outq_take_frame(struct outq *q, size_t headroom, size_t frame_cap, size_t *len,
                               size_t *n_msgs);

#endif
