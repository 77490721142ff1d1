#include "net.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>
#include <openssl/ssl.h>

#include "dispatch.h"
#include "log.h"
#include "server.h"
#include "session.h"

#define FRAME_CAP_OUT (256 * 1024)   /* batch up to this many bytes per frame */
/* lws 4.1.6 keeps the close opcode's write type private
 * (lib/roles/ws/private-lib-roles-ws.h); lws_write() accepts it. */
#define HEARTH_LWS_WRITE_CLOSE ((enum lws_write_protocol)4)

struct net {
    struct server *srv;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    int port;
    struct lws_http_mount mount_root, mount_health;
    struct lws_protocol_vhost_options hdr[4];
    struct lws_protocol_vhost_options manifest_mime;
    char origins[CONFIG_MAX_ORIGINS + 4][300];
    int n_origins;
};

/* Per-connection data lws allocates for each hearth.v1 socket. */
struct pss {
    struct session *s;
    char *rx;                 /* reassembly of a fragmented message */
    size_t rx_len, rx_cap;
    bool counted;             /* counted in conns_by_addr */
    bool close_sent;          /* our close frame is out: write nothing more */
};

static struct net *net_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* ---- the fan-out transport ---- */

static void want_write(struct session *s)
{
    if (s->conn)
        lws_callback_on_writable((struct lws *)s->conn);
}

#define CLOSE_BACKSTOP_SECS 10

static void closing(struct session *s)
{
    if (s->conn)
        lws_set_timeout((struct lws *)s->conn, PENDING_TIMEOUT_USER_OK, CLOSE_BACKSTOP_SECS);
}

static const struct transport_ops lws_transport = {.want_write = want_write, .closing = closing};

/* ---- per-address connection counting ---- */

static intptr_t addr_count(struct server *srv, const char *addr)
{
    return (intptr_t)hmap_get(srv->conns_by_addr, addr);
}

static void addr_adjust(struct server *srv, const char *addr, int delta)
{
    intptr_t n = addr_count(srv, addr) + delta;
    if (n <= 0)
        hmap_del(srv->conns_by_addr, addr);
    else
        hmap_put(srv->conns_by_addr, addr, (void *)n);
}

/* ---- connection admission ---- */

static bool origin_allowed(struct net *n, struct lws *wsi)
{
    char origin[300];
    int len = lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN);
    if (len <= 0)
        return true; /* not a browser: Origin is a browser's promise, not ours to demand */
    for (int i = 0; i < n->n_origins; i++)
        if (strcmp(origin, n->origins[i]) == 0)
            return true;
    log_info("refused upgrade from origin %s", origin);
    return false;
}

static int admit(struct net *n, struct lws *wsi)
{
    char uri[64];
    if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 || strcmp(uri, "/ws") != 0)
        return -1;
    if (!origin_allowed(n, wsi))
        return -1;
    if (n->srv->shutting_down)
        return -1;
    char addr[64];
    lws_get_peer_simple(wsi, addr, sizeof addr);
    if (addr_count(n->srv, addr) >= (intptr_t)n->srv->cfg.max_conns_per_addr) {
        log_warn("refused connection from %s: %u connections already", addr,
                 n->srv->cfg.max_conns_per_addr);
        return -1;
    }
    return 0;
}

/* ---- auth deadline ---- */

static void on_auth_deadline(struct htimer *t, void *ud)
{
    struct session *s = ud;
    if (!s->user && session_alive(s)) {
        log_info("session %llu from %s: not authenticated in time", (unsigned long long)s->id,
                 s->addr);
        session_close(s, 4000, "authentication timeout");
    }
}

static void send_hello(struct session *s)
{
    const struct config *cfg = &s->srv->cfg;
    struct proto_event ev = {.type = PROTO_EVT_HELLO};
    ev.u.hello.protocol = PROTO_VERSION;
    ev.u.hello.server = "hearthd/" HEARTH_VERSION;
    ev.u.hello.limits.max_frame_bytes = PROTO_MAX_FRAME_BYTES;
    ev.u.hello.limits.max_text_chars = PROTO_MAX_TEXT_CHARS;
    ev.u.hello.limits.history_page_max = PROTO_HISTORY_MAX;
    ev.u.hello.limits.rate_per_sec = cfg->rate_per_sec;
    ev.u.hello.limits.rate_burst = cfg->rate_burst;
    ev.u.hello.limits.auth_timeout_ms = cfg->auth_timeout_ms;
    session_send_json(s, proto_event_encode(&ev));
}

/* ---- receiving ---- */

static int close_with(struct lws *wsi, enum lws_close_status code, const char *why)
{
    lws_close_reason(wsi, code, (unsigned char *)why, strlen(why));
    return -1;
}

/* A complete message. lws checks UTF-8 per fragment at best; check the
 * whole message so a code point split across fragments is judged right. */
static int deliver(struct pss *p, struct lws *wsi, const char *msg, size_t len)
{
    if (proto_utf8_chars(msg, len) < 0) {
        log_info("session %llu: invalid UTF-8, closing 1007", (unsigned long long)p->s->id);
        return close_with(wsi, LWS_CLOSE_STATUS_INVALID_PAYLOAD, "invalid UTF-8");
    }
    dispatch_frame(p->s, msg, len);
    return 0;
}

static int on_receive(struct pss *p, struct lws *wsi, const void *in, size_t len)
{
    if (lws_frame_is_binary(wsi))
        return close_with(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "text frames only");
    bool first = lws_is_first_fragment(wsi), final = lws_is_final_fragment(wsi);
    if (first)
        p->rx_len = 0;
    /* lws has no message-size cap of its own: count the fragments. */
    if (p->rx_len + len > PROTO_MAX_FRAME_BYTES) {
        log_info("session %llu: message over %d bytes, closing 1009",
                 (unsigned long long)p->s->id, PROTO_MAX_FRAME_BYTES);
        return close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too big");
    }
    if (first && final)
        return deliver(p, wsi, in, len);
    if (p->rx_len + len > p->rx_cap) {
        size_t cap = p->rx_cap ? p->rx_cap : 4096;
        while (cap < p->rx_len + len)
            cap *= 2;
        char *rx = realloc(p->rx, cap);
        if (!rx)
            return close_with(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, "out of memory");
        p->rx = rx;
        p->rx_cap = cap;
    }
    memcpy(p->rx + p->rx_len, in, len);
    p->rx_len += len;
    if (!final)
        return 0;
    size_t whole = p->rx_len;
    p->rx_len = 0;
    return deliver(p, wsi, p->rx, whole);
}

/* ---- writing: one lws_write per writeable callback ---- */

static int send_close(struct pss *p, struct lws *wsi, uint16_t code, const char *reason);

static int on_writeable(struct pss *p, struct lws *wsi)
{
    struct session *s = p->s;
    if (p->close_sent)
        return 0;
    if (!outq_empty(&s->out)) {
        size_t len, n;
        unsigned char *buf = outq_take_frame(&s->out, LWS_PRE, FRAME_CAP_OUT, &len, &n);
        if (!buf)
            return close_with(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, "out of memory");
        int w = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
        free(buf);
        if (w < (int)len)
            return -1;
        if (!outq_empty(&s->out) || s->close_code)
            lws_callback_on_writable(wsi);
        return 0;
    }
    if (s->close_code && !p->close_sent)
        return send_close(p, wsi, s->close_code, s->close_reason);
    return 0;
}

/* Debian's lws 4.1.6 is a _DEBUG build whose libuv glue calls close twice
 * ("uv repeat test"); the second call kills the socket before the polite
 * close frame goes out. So when we close from a writeable callback we send
 * the close frame ourselves and let the peer's answer (or a short timeout)
 * end the connection. */
static int send_close(struct pss *p, struct lws *wsi, uint16_t code, const char *reason)
{
    unsigned char buf[LWS_PRE + 2 + 64];
    size_t rlen = strlen(reason);
    if (rlen > 64)
        rlen = 64;
    buf[LWS_PRE] = (unsigned char)(code >> 8);
    buf[LWS_PRE + 1] = (unsigned char)(code & 0xff);
    memcpy(buf + LWS_PRE + 2, reason, rlen);
    p->close_sent = true;
    if (lws_write(wsi, buf + LWS_PRE, 2 + rlen, HEARTH_LWS_WRITE_CLOSE) < 0)
        return -1;
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, 2);
    return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
    struct pss *p = user;
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return admit(net_of(wsi), wsi);

    case LWS_CALLBACK_ESTABLISHED: {
        struct net *n = net_of(wsi);
        char addr[64];
        lws_get_peer_simple(wsi, addr, sizeof addr);
        p->s = session_new(n->srv, wsi, addr);
        if (!p->s)
            return -1;
        addr_adjust(n->srv, addr, +1);
        p->counted = true;
        htimer_start(n->srv->clock, &p->s->auth_timer, n->srv->cfg.auth_timeout_ms,
                     on_auth_deadline, p->s);
        log_debug("session %llu: connected from %s", (unsigned long long)p->s->id, addr);
        send_hello(p->s);
        return 0;
    }

    case LWS_CALLBACK_RECEIVE:
        if (!p || !p->s)
            return -1;
        return on_receive(p, wsi, in, len);

    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (!p || !p->s)
            return 0;
        return on_writeable(p, wsi);

    case LWS_CALLBACK_CLOSED:
        if (p && p->s) {
            struct session *s = p->s;
            log_debug("session %llu: closed", (unsigned long long)s->id);
            if (p->counted)
                addr_adjust(s->srv, s->addr, -1);
            p->s = NULL;
            session_transport_gone(s);
        }
        free(p ? p->rx : NULL);
        if (p)
            p->rx = NULL;
        return 0;

    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

/* Answers /healthz; everything else under "/" is the web root. */
static int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                         size_t len)
{
    if (reason == LWS_CALLBACK_HTTP) {
        static const char body[] = "ok\n";
        unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *pos = start,
                                            *end = buf + sizeof buf - 1;
        if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain", sizeof body - 1,
                                        &pos, end) ||
            lws_finalize_write_http_header(wsi, start, &pos, end))
            return 1;
        memcpy(start, body, sizeof body - 1);
        if (lws_write(wsi, start, sizeof body - 1, LWS_WRITE_HTTP_FINAL) != sizeof body - 1)
            return 1;
        if (lws_http_transaction_completed(wsi))
            return -1;
        return 0;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    {"http", http_callback, 0, 0, 0, NULL, 0},
    {PROTO_SUBPROTOCOL, ws_callback, sizeof(struct pss), 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0}, /* 4.1 has no LWS_PROTOCOL_LIST_TERM */
};

/* Idle sockets get a PING after 60 s and are dropped after 120 s silent. */
static const lws_retry_bo_t idle_policy = {
    .secs_since_valid_ping = 60,
    .secs_since_valid_hangup = 120,
};

static void default_origins(struct net *n)
{
    const struct config *c = &n->srv->cfg;
    const char *scheme = c->tls_cert[0] ? "https" : "http";
    int port = n->port;
    const char *hosts[] = {c->listen_host, "localhost", "127.0.0.1"};
    for (size_t i = 0; i < 3; i++) {
        if (i > 0 && strcmp(hosts[i], c->listen_host) == 0)
            continue;
        snprintf(n->origins[n->n_origins++], sizeof n->origins[0], "%s://%s:%d", scheme,
                 hosts[i], port);
    }
}

static void security_headers(struct net *n)
{
    /* Private by default: nothing loads from elsewhere, no referrer leaks. */
    static const char *const names[][2] = {
        {"content-security-policy:", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                                     "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"},
        {"x-content-type-options:", "nosniff"},
        {"referrer-policy:", "no-referrer"},
    };
    for (size_t i = 0; i < 3; i++) {
        n->hdr[i].name = names[i][0];
        n->hdr[i].value = names[i][1];
        n->hdr[i].next = i + 1 < 3 ? &n->hdr[i + 1] : NULL;
    }
}

struct net *net_start(struct server *srv)
{
    struct net *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->srv = srv;
    srv->transport = &lws_transport;
    const struct config *cfg = &srv->cfg;

    /* HEARTH_LWS_LOG=bitmask turns on libwebsockets' own logs for debugging. */
    const char *lws_log = getenv("HEARTH_LWS_LOG");
    lws_set_log_level(lws_log ? atoi(lws_log) : LLL_ERR, NULL);

    struct lws_context_creation_info ci;
    memset(&ci, 0, sizeof ci);
    void *loops[] = {srv->loop};
    ci.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
                 LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    ci.foreign_loops = loops;
    ci.port = CONTEXT_PORT_NO_LISTEN;
    ci.user = n;
    n->ctx = lws_create_context(&ci);
    if (!n->ctx) {
        log_error("could not create the libwebsockets context");
        free(n);
        return NULL;
    }

    n->mount_health.mountpoint = "/healthz";
    n->mount_health.mountpoint_len = 8;
    n->mount_health.origin = "http";
    n->mount_health.origin_protocol = LWSMPRO_CALLBACK;
    n->mount_health.mount_next = &n->mount_root;
    n->mount_root.mountpoint = "/";
    n->mount_root.mountpoint_len = 1;
    n->mount_root.origin = cfg->web_root;
    n->mount_root.origin_protocol = LWSMPRO_FILE;
    n->mount_root.def = "index.html";
    /* lws knows no type for the web app manifest and would refuse to serve it. */
    n->mount_root.extra_mimetypes = &n->manifest_mime;
    n->manifest_mime.name = ".webmanifest";
    n->manifest_mime.value = "application/manifest+json";
    security_headers(n);

    struct lws_context_creation_info vi;
    memset(&vi, 0, sizeof vi);
    vi.vhost_name = "hearth";
    vi.port = cfg->listen_port;
    vi.iface = cfg->listen_host;
    vi.protocols = protocols;
    vi.mounts = &n->mount_health;
    vi.headers = &n->hdr[0];
    vi.retry_and_idle_policy = &idle_policy;
    vi.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
    /* lws binds [::] and ignores iface while IPv6 is on. */
    if (!strchr(cfg->listen_host, ':'))
        vi.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (cfg->tls_cert[0]) {
        vi.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        vi.ssl_cert_filepath = cfg->tls_cert;
        vi.ssl_private_key_filepath = cfg->tls_key;
        vi.alpn = "http/1.1";
        vi.ssl_options_set = SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                             SSL_OP_CIPHER_SERVER_PREFERENCE;
        /* Mozilla "intermediate" for TLS 1.2; 1.3 uses OpenSSL's defaults. */
        vi.ssl_cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                             "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                             "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                             "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
    }
    n->vh = lws_create_vhost(n->ctx, &vi);
    if (!n->vh) {
        log_error("could not listen on %s:%d (address in use, not available, or TLS files "
                  "unreadable)", cfg->listen_host, cfg->listen_port);
        lws_context_destroy(n->ctx);
        free(n);
        return NULL;
    }
    n->port = lws_get_vhost_listen_port(n->vh);
    for (int i = 0; i < cfg->n_origins; i++)
        snprintf(n->origins[n->n_origins++], sizeof n->origins[0], "%s", cfg->origins[i]);
    if (cfg->n_origins == 0)
        default_origins(n);
    return n;
}

int net_port(const struct net *n) { return n->port; }

void net_begin_close(struct net *n)
{
    if (n && n->ctx)
        lws_context_destroy(n->ctx); /* first call: starts closing on the loop */
}

void net_free(struct net *n)
{
    if (!n)
        return;
    if (n->ctx)
        lws_context_destroy(n->ctx); /* second call, after uv_run: frees it */
    free(n);
}
