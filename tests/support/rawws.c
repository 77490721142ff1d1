#include "rawws.h"
#include "hdproc.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

unsigned rw_batched_frames;

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 0 when len bytes were read, -2 when nothing came within the timeout,
 * -1 when the connection ended or failed. */
static int read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
    char *p = buf;
    while (len) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int ready = poll(&pf, 1, timeout_ms);
        if (ready == 0)
            return -2;
        if (ready < 0)
            return -1;
        ssize_t n = recv(fd, p, len, 0);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int open_with(struct rawws *w, int port, const char *path, const char *origin,
                     int rcvbuf)
{
    memset(w, 0, sizeof *w);
    w->pending = json_array();
    w->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf)
        setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(w->fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    int one = 1;
    setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char req[1024], origin_hdr[300] = "";
    if (origin)
        snprintf(origin_hdr, sizeof origin_hdr, "Origin: %s\r\n", origin);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hearth.v1\r\n%s\r\n",
                     path, port, origin_hdr);
    if (write_all(w->fd, req, (size_t)n) != 0)
        return -1;
    /* Read the response head byte by byte so no frame bytes are eaten. */
    char head[4096];
    size_t len = 0;
    while (len + 1 < sizeof head) {
        if (read_exact(w->fd, head + len, 1, RW_TIMEOUT_MS) != 0)
            break;
        len++;
        if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)
            break;
    }
    head[len] = '\0';
    int status = 0;
    if (sscanf(head, "HTTP/1.1 %d", &status) != 1)
        return -1;
    return status == 101 ? 0 : status;
}

int rw_open(struct rawws *w, int port, const char *path, const char *origin)
{
    return open_with(w, port, path, origin, 0);
}

int rw_open_small(struct rawws *w, int port)
{
    return open_with(w, port, "/ws", NULL, 4096);
}

void rw_close(struct rawws *w)
{
    if (w->fd > 0)
        close(w->fd);
    w->fd = -1;
    json_decref(w->pending);
    w->pending = NULL;
}

static int send_frame(struct rawws *w, int opcode, bool fin, const void *data, size_t len)
{
    unsigned char hdr[14];
    size_t h = 0;
    hdr[h++] = (unsigned char)((fin ? 0x80 : 0) | opcode);
    if (len < 126) {
        hdr[h++] = (unsigned char)(0x80 | len);
    } else if (len < 65536) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (unsigned char)(len >> 8);
        hdr[h++] = (unsigned char)len;
    } else {
        hdr[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            hdr[h++] = (unsigned char)((uint64_t)len >> (8 * i));
    }
    static const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    memcpy(hdr + h, mask, 4);
    h += 4;
    unsigned char *masked = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        masked[i] = ((const unsigned char *)data)[i] ^ mask[i % 4];
    int rc = write_all(w->fd, hdr, h) || write_all(w->fd, masked, len) ? -1 : 0;
    free(masked);
    return rc;
}

int rw_send(struct rawws *w, const void *data, size_t len, unsigned n_frags)
{
    if (n_frags <= 1)
        return send_frame(w, 1, true, data, len);
    size_t step = len / n_frags + 1, off = 0;
    for (unsigned i = 0; off < len || i == 0; i++) {
        size_t n = len - off < step ? len - off : step;
        bool last = off + n >= len;
        if (send_frame(w, i == 0 ? 1 : 0, last, (const char *)data + off, n) != 0)
            return -1;
        off += n;
    }
    return 0;
}

int rw_send_str(struct rawws *w, const char *s) { return rw_send(w, s, strlen(s), 1); }

/* Reads one whole message (reassembling fragments); answers pings.
 * Returns a malloc'd payload or NULL at close/timeout. */
static char *read_message(struct rawws *w, int timeout_ms, size_t *out_len)
{
    char *msg = NULL;
    size_t msg_len = 0;
    for (;;) {
        unsigned char h[2];
        int rc = read_exact(w->fd, h, 2, timeout_ms);
        if (rc == -2 && !msg)
            return NULL; /* nothing arrived in time: still open */
        if (rc != 0)
            break;
        int opcode = h[0] & 0x0f;
        bool fin = h[0] & 0x80;
        uint64_t len = h[1] & 0x7f;
        if (len == 126) {
            unsigned char e[2];
            if (read_exact(w->fd, e, 2, timeout_ms))
                break;
            len = ((uint64_t)e[0] << 8) | e[1];
        } else if (len == 127) {
            unsigned char e[8];
            if (read_exact(w->fd, e, 8, timeout_ms))
                break;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = (len << 8) | e[i];
        }
        char *payload = malloc(len + 1);
        if (read_exact(w->fd, payload, len, timeout_ms) != 0) {
            free(payload);
            break;
        }
        if (opcode == 8) { /* close */
            w->close_code = len >= 2 ? ((unsigned char)payload[0] << 8) | (unsigned char)payload[1]
                                     : 1005;
            free(payload);
            break;
        }
        if (opcode == 9) { /* ping -> pong */
            send_frame(w, 10, true, payload, len);
            free(payload);
            continue;
        }
        if (opcode == 10) {
            free(payload);
            continue;
        }
        msg = realloc(msg, msg_len + len + 1);
        memcpy(msg + msg_len, payload, len);
        msg_len += len;
        free(payload);
        if (fin) {
            msg[msg_len] = '\0';
            *out_len = msg_len;
            return msg;
        }
    }
    free(msg);
    if (!w->close_code)
        w->close_code = -1;
    return NULL;
}

/* Pulls one frame from the socket into the pending queue. */
static bool pump(struct rawws *w, int timeout_ms)
{
    if (w->close_code)
        return false;
    size_t len;
    char *msg = read_message(w, timeout_ms, &len);
    if (!msg)
        return false;
    json_error_t err;
    json_t *v = json_loadb(msg, len, 0, &err);
    cr_assert(v != NULL, "server sent invalid JSON: %.200s", msg);
    free(msg);
    if (json_is_array(v)) {
        rw_batched_frames++;
        json_array_extend(w->pending, v);
    } else {
        json_array_append(w->pending, v);
    }
    json_decref(v);
    return true;
}

json_t *rw_next(struct rawws *w, int timeout_ms)
{
    if (json_array_size(w->pending) == 0 && !pump(w, timeout_ms))
        return NULL;
    json_t *v = json_incref(json_array_get(w->pending, 0));
    json_array_remove(w->pending, 0);
    return v;
}

static json_t *take_matching(struct rawws *w, const char *key, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(w->pending, i, v) {
        const char *s = json_string_value(json_object_get(v, key));
        if (s && strcmp(s, value) == 0) {
            json_incref(v);
            json_array_remove(w->pending, i);
            return v;
        }
    }
    return NULL;
}

json_t *rw_next_type(struct rawws *w, const char *type, int timeout_ms)
{
    for (;;) {
        json_t *v = take_matching(w, "type", type);
        if (v || !pump(w, timeout_ms))
            return v;
    }
}

json_t *rw_call(struct rawws *w, const char *type, json_t *fields)
{
    char id[16];
    snprintf(id, sizeof id, "t%u", ++w->next_id);
    json_t *req = fields ? fields : json_object();
    json_object_set_new(req, "type", json_string(type));
    json_object_set_new(req, "id", json_string(id));
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    rw_send_str(w, text);
    free(text);
    for (;;) {
        json_t *v = take_matching(w, "id", id);
        if (v || !pump(w, RW_TIMEOUT_MS))
            return v;
    }
}

int rw_wait_close(struct rawws *w, int timeout_ms)
{
    while (pump(w, timeout_ms))
        ;
    return w->close_code;
}

void rw_open_ok(struct rawws *w, int port)
{
    cr_assert_eq(rw_open(w, port, "/ws", NULL), 0, "websocket upgrade refused");
    json_t *hello = rw_next_type(w, "hello", RW_TIMEOUT_MS);
    cr_assert(hello, "no hello");
    json_decref(hello);
}

void rw_register(struct rawws *w, const char *handle, const char *password)
{
    json_t *r = rw_call(w, "auth.register",
                        json_pack("{s:s, s:s}", "handle", handle, "password", password));
    cr_assert(r, "no reply to auth.register");
    cr_assert_str_eq(json_string_value(json_object_get(r, "type")), "result",
                     "register failed: %s", json_string_value(json_object_get(r, "message")));
    json_decref(r);
}

const char *rw_str(json_t *v, const char *key) { return json_string_value(json_object_get(v, key)); }

json_t *rw_data(json_t *reply)
{
    cr_assert(reply, "no reply");
    cr_assert_str_eq(rw_str(reply, "type"), "result", "expected a result, got %s: %s",
                     rw_str(reply, "code"), rw_str(reply, "message"));
    return json_object_get(reply, "data");
}

void rw_expect_error(json_t *r, const char *code)
{
    cr_assert(r, "no reply");
    cr_assert_str_eq(rw_str(r, "type"), "error", "expected error %s, got a %s", code,
                     rw_str(r, "type"));
    cr_assert_str_eq(rw_str(r, "code"), code, "expected %s, got %s (%s)", code,
                     rw_str(r, "code"), rw_str(r, "message"));
    const char *msg = rw_str(r, "message");
    cr_assert(msg && strlen(msg) > 10, "error %s without a sentence", code);
}

char *rw_login(struct rawws *w, int port, const char *handle, const char *password)
{
    rw_open_ok(w, port);
    json_t *r = rw_call(w, "auth.login", json_pack("{s:s, s:s}", "handle", handle,
                                                   "password", password));
    char *token = strdup(json_string_value(json_object_get(rw_data(r), "token")));
    json_decref(r);
    return token;
}

void rw_ok(json_t *reply)
{
    rw_data(reply);
    json_decref(reply);
}

void rw_refused(json_t *reply, const char *code)
{
    rw_expect_error(reply, code);
    json_decref(reply);
}

void rw_seen_offline(struct rawws *observer, const char *handle)
{
    for (;;) {
        json_t *p = rw_next_type(observer, "presence", RW_TIMEOUT_MS);
        cr_assert(p, "expected %s to go offline", handle);
        bool gone = !strcmp(rw_str(p, "handle"), handle) &&
                    !strcmp(rw_str(p, "status"), "offline");
        json_decref(p);
        if (gone)
            return;
    }
}

void rw_promote(struct rawws *w, struct hdproc *h, const char *handle, const char *role,
                const char *password)
{
    const char *args[] = {"role", handle, role, NULL};
    char out[128];
    cr_assert_eq(hd_admin(h, args, out, sizeof out), 0, "hearthd admin role: %s", out);
    rw_close(w);
    free(rw_login(w, h->port, handle, password));
}

void rw_person(struct rawws *w, int port, const char *handle, const char *password)
{
    rw_open_ok(w, port);
    rw_register(w, handle, password);
}

void hd_finish(struct hdproc *h, struct rawws *const *ws, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rw_close(ws[i]);
    cr_assert_eq(hd_stop(h), 0, "hearthd exits cleanly");
}

json_t *rw_event(struct rawws *w, const char *type)
{
    json_t *e = rw_next_type(w, type, RW_TIMEOUT_MS);
    cr_assert(e, "expected a %s event", type);
    return e;
}

void rw_no_event(struct rawws *w, const char *type)
{
    rw_ok(rw_call(w, "ping", NULL));
    json_t *e = rw_next_type(w, type, 50);
    cr_assert_null(e, "no %s event expected", type);
}
