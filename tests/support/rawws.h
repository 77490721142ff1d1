/*
 * Test support: a deliberately plain, blocking WebSocket client over a raw
 * socket. Tests need to send what no well-behaved library would (invalid
 * UTF-8, oversized or fragmented messages, junk JSON) and to see the exact
 * close code, so this speaks the framing itself. Not for the product.
 */
#ifndef HEARTH_TEST_RAWWS_H
#define HEARTH_TEST_RAWWS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define RW_TIMEOUT_MS 15000   /* a bound on every wait, so a broken server fails fast */

struct rawws {
    int fd;
    int close_code;           /* 0 while open; the server's code once closed; -1 if dropped */
    json_t *pending;          /* messages received but not consumed (array) */
    unsigned next_id;
};

/* Connects and upgrades. origin may be NULL; path usually "/ws".
 * Returns 0, or the HTTP status when the upgrade was refused (or -1). */
int rw_open(struct rawws *w, int port, const char *path, const char *origin);
/* The same with a tiny receive buffer, to play a reader that falls behind. */
int rw_open_small(struct rawws *w, int port);
void rw_close(struct rawws *w);

/* Sends one message as a text frame (or split into n_frags fragments). */
int rw_send(struct rawws *w, const void *data, size_t len, unsigned n_frags);
int rw_send_str(struct rawws *w, const char *s);

/* Next server message (arrays are split into their elements), or NULL at
 * close/timeout. The caller json_decref()s it. */
json_t *rw_next(struct rawws *w, int timeout_ms);
/* Next message whose "type" is `type` (others stay queued). */
json_t *rw_next_type(struct rawws *w, const char *type, int timeout_ms);
/* Sends {"type":type,"id":auto,...fields} and returns the reply with that
 * id (result or error). Events received meanwhile stay queued. */
json_t *rw_call(struct rawws *w, const char *type, json_t *fields);
/* Waits for the server to close; returns its close code (or -1). */
int rw_wait_close(struct rawws *w, int timeout_ms);
/* Frames received in total whose payload was a JSON array (batching). */
extern unsigned rw_batched_frames;

/* Helpers: open + read hello; register or log in. Assert on failure. */
void rw_open_ok(struct rawws *w, int port);
void rw_register(struct rawws *w, const char *handle, const char *password);



/* Small accessors for tests. */
const char *rw_str(json_t *v, const char *key);
json_t *rw_data(json_t *reply);              /* reply's "data" (borrowed), asserts it is a result */
void rw_expect_error(json_t *reply, const char *code);
/* Asserts a result (rw_ok) or that error code (rw_refused); frees the reply. */
void rw_ok(json_t *reply);
void rw_refused(json_t *reply, const char *code);
/* Opens a connection and registers `handle` (asserts success). */
void rw_person(struct rawws *w, int port, const char *handle, const char *password);
struct hdproc;
/* The end of a test: closes the n connections, stops hearthd and asserts it
 * exited cleanly. HD_FINISH(&hd, &ann, &bob) counts them itself. */
void hd_finish(struct hdproc *h, struct rawws *const *ws, size_t n);
#define HD_FINISH(h, ...)                                                                  \
    hd_finish((h), (struct rawws *[]){__VA_ARGS__},                                         \
              sizeof((struct rawws *[]){__VA_ARGS__}) / sizeof(struct rawws *))
/* The next event of `type` (asserted; others stay queued). The caller
 * json_decref()s it. */
json_t *rw_event(struct rawws *w, const char *type);
/* Nothing of `type` reached w: a round trip first, so anything the server
 * sent before it would be queued by now. */
void rw_no_event(struct rawws *w, const char *type);
/* Waits until `observer` sees `handle` go offline (a presence event): the
 * server has noticed a closed connection before the test goes on or moves
 * the clock (the socket and the clock's pipe are separate inputs). */
void rw_seen_offline(struct rawws *observer, const char *handle);
struct hdproc;
/* Gives `handle` a server-wide role with `hearthd admin role` and signs w
 * in again (roles apply from the next sign-in). */
void rw_promote(struct rawws *w, struct hdproc *h, const char *handle, const char *role,
                const char *password);
/* Opens a connection and logs in (asserts success); returns the token. */
char *rw_login(struct rawws *w, int port, const char *handle, const char *password);
#endif
