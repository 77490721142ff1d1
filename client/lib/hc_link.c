/*
 * hc_link: the lws side of the client. One lws context per client, on the
 * caller's libuv loop; at most one WebSocket link at a time.
 *
 * Every lws callback checks `wsi == c->wsi`: a link we gave up on (drop,
 * close) keeps sending callbacks until lws has torn it down, and those must
 * not touch the current link's state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hc_internal.h"

/* Far above any frame hearthd sends (it batches up to its frame cap); only
 * a guard against a runaway peer. */
#define HC__RX_MAX (16u * 1024u * 1024u)

static void connect_failed(struct hc_client *c, const char *in, size_t len);

static void rx_append(struct hc_client *c, const void *in, size_t len)
{
    if (c->rx_len + len + 1 > c->rx_cap) {
        size_t cap = c->rx_cap ? c->rx_cap : 4096;
        while (cap < c->rx_len + len + 1)
            cap *= 2;
        char *n = realloc(c->rx, cap);
        if (!n)
            abort();
        c->rx = n;
        c->rx_cap = cap;
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    c->rx[c->rx_len] = '\0';
}

void hc__link_reset_buffers(struct hc_client *c)
{
    struct hc__out *o = c->out_head;
    while (o) {
        struct hc__out *n = o->next;
        free(o);
        o = n;
    }
    c->out_head = c->out_tail = NULL;
    free(c->rx);
    c->rx = NULL;
    c->rx_len = c->rx_cap = 0;
}

static void on_receive(struct hc_client *c, struct lws *wsi, const void *in, size_t len)
{
    if (c->rx_len + len > HC__RX_MAX) {
        hc__link_kill(c);
        hc__link_down(c, "The server sent a message that is too big.");
        return;
    }
    rx_append(c, in, len);
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return;
    /* Take the message out of c first: a callback run by the dispatch may
     * drop the link and reset the buffers. */
    char *msg = c->rx;
    size_t n = c->rx_len;
    c->rx = NULL;
    c->rx_len = c->rx_cap = 0;
    if (lws_frame_is_binary(wsi)) {
        free(msg);   /* the protocol has no binary frames; ignore */
        return;
    }
    hc__dispatch_frame(c, msg, n);
    free(msg);
}

static int on_writeable(struct hc_client *c, struct lws *wsi)
{
    struct hc__out *o = c->out_head;
    if (!o)
        return 0;
    c->out_head = o->next;
    if (!c->out_head)
        c->out_tail = NULL;
    int n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
    size_t len = o->len;
    free(o);
    if (n < 0 || (size_t)n < len) {
        hc__link_down(c, "Could not write to the server.");
        return -1;
    }
    if (c->out_head)
        lws_callback_on_writable(wsi);
    return 0;
}

static const char *close_words(int code)
{
    switch (code) {
    case 0: return "The connection was lost.";
    case PROTO_CLOSE_NORMAL: return "The server closed the connection.";
    case PROTO_CLOSE_GOING_AWAY: return "The server is restarting.";
    case PROTO_CLOSE_POLICY: return "The server closed the connection (too many requests).";
    case PROTO_CLOSE_TOO_BIG: return "The server closed the connection (a message was too big).";
    case PROTO_CLOSE_AUTH_TIMEOUT: return "The server closed the connection (not signed in in time).";
    case PROTO_CLOSE_TOO_SLOW: return "The server closed the connection (this client fell behind).";
    case PROTO_CLOSE_REVOKED: return "The session was ended.";
    default: return "The server closed the connection.";
    }
}

static int hc__lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                      size_t len)
{
    struct lws_context *ctx = lws_get_context(wsi);
    struct hc_client *c = ctx ? lws_context_user(ctx) : NULL;

    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (!c || c->closing || wsi != c->wsi)
            return 0;
        c->link = HC__LINK_HELLO_WAIT;
        if (c->out_head)
            lws_callback_on_writable(wsi);
        return 0;

    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!c || c->closing || wsi != c->wsi)
            return 0;
        on_receive(c, wsi, in, len);
        return 0;

    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!c || c->closing || wsi != c->wsi)
            return 0;
        return on_writeable(c, wsi);

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (c && !c->closing && wsi == c->wsi && in && len >= 2) {
            const unsigned char *p = in;
            c->close_code = (p[0] << 8) | p[1];
        }
        return 0;

    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (c && !c->closing && wsi == c->wsi)
            connect_failed(c, in, in ? strnlen(in, len) : 0);
        return 0;

    case LWS_CALLBACK_CLIENT_CLOSED:
    case LWS_CALLBACK_WSI_DESTROY:
        if (c && !c->closing && wsi == c->wsi)
            hc__link_down(c, close_words(c->close_code));
        return 0;

    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols hc__protocols[] = {
    {PROTO_SUBPROTOCOL, hc__lws_cb, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},   /* 4.1 has no LWS_PROTOCOL_LIST_TERM */
};

/* Ping an idle link so a dead network path is noticed; lws hangs up when
 * nothing valid arrived for the hangup period. */
static const lws_retry_bo_t hc__idle_policy = {
    .secs_since_valid_ping = 25,
    .secs_since_valid_hangup = 50,
};

/* lws logs to stderr by default (NOTICEs such as "Using foreign event
 * loop...", and errors such as a refused certificate), which would garble
 * a terminal application. Its errors are kept instead: the latest one
 * explains the next connect failure better than lws's callback argument
 * ("connect SSL err 1" vs "SSL error: self-signed certificate"). With
 * HEARTH_LWS_LOG=<lws level mask> lws logs to stderr as usual. Process-wide
 * (lws logging is); all clients run on one thread. */
static bool hc__lws_echo;
static char hc__lws_err[200];

static void hc__lws_emit(int level, const char *line)
{
    if (hc__lws_echo) {
        lwsl_emit_stderr(level, line);
        return;
    }
    if (!(level & LLL_ERR))
        return;
    size_t n = strcspn(line, "\r\n");
    if (n >= sizeof hc__lws_err)
        n = sizeof hc__lws_err - 1;
    memcpy(hc__lws_err, line, n);
    hc__lws_err[n] = '\0';
}

static void connect_failed(struct hc_client *c, const char *in, size_t len)
{
    char why[300];
    if (hc__lws_err[0])
        snprintf(why, sizeof why, "%s", hc__lws_err);
    else if (in && len == 25 && memcmp(in, "closed before established", 25) == 0)
        snprintf(why, sizeof why, "connection refused, or closed before the WebSocket opened");
    else if (in && len)
        snprintf(why, sizeof why, "%.*s", (int)len, in);
    else
        snprintf(why, sizeof why, "cannot resolve or reach the host");
    hc__lws_err[0] = '\0';
    hc__link_down(c, why);
}

int hc__link_context_new(struct hc_client *c)
{
    static bool log_set;
    if (!log_set) {
        const char *e = getenv("HEARTH_LWS_LOG");
        hc__lws_echo = e != NULL;
        lws_set_log_level(e ? atoi(e) : LLL_ERR, hc__lws_emit);
        log_set = true;
    }

    struct lws_context_creation_info info;
    void *loops[1] = {c->loop};
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = hc__protocols;
    /* TLS setup costs a client SSL_CTX (and the system CA store) per
     * context: only for wss. */
    info.options = LWS_SERVER_OPTION_LIBUV | (c->url.tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0);
    info.foreign_loops = loops;
    info.user = c;
    info.gid = -1;
    info.uid = -1;
    /* One link plus lws's event pipe; a small table instead of one sized
     * for the process fd limit. */
    info.fd_limit_per_thread = 16;
    info.timeout_secs = 15;
    info.connect_timeout_secs = 10;
    info.client_ssl_ca_filepath = c->ca_file;
    c->ctx = lws_create_context(&info);
    return c->ctx ? 0 : -ENOMEM;
}

void hc__link_connect(struct hc_client *c)
{
    if (c->closing || c->link != HC__LINK_NONE)
        return;
    uv_timer_stop(&c->reconnect_timer);
    c->idle = false;
    c->link = HC__LINK_OPENING;
    c->close_code = 0;
    hc__set_state(c, HC_CONNECTING, 0);
    if (c->closing || c->link != HC__LINK_OPENING)
        return;

    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = c->ctx;
    i.address = c->url.host;
    i.port = c->url.port;
    i.path = c->url.path;
    i.host = c->url.host_header;
    i.protocol = PROTO_SUBPROTOCOL;
    i.local_protocol_name = PROTO_SUBPROTOCOL;
    i.ietf_version_or_minus_one = -1;
    i.alpn = "http/1.1";
    i.retry_and_idle_policy = &hc__idle_policy;
    if (c->url.tls) {
        i.ssl_connection = LCCSCF_USE_SSL;
        if (c->tls_insecure)
            i.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
                                LCCSCF_ALLOW_INSECURE | LCCSCF_ALLOW_EXPIRED;
    }
    i.pwsi = &c->wsi;
    c->wsi = NULL;
    hc__lws_err[0] = '\0';
    struct lws *w = lws_client_connect_via_info(&i);
    if (!w && c->link == HC__LINK_OPENING) {
        c->wsi = NULL;
        connect_failed(c, NULL, 0);
    }
}

static void reconnect_cb(uv_timer_t *t)
{
    hc__link_connect(t->data);
}

void hc__link_connect_soon(struct hc_client *c)
{
    if (c->closing || c->link != HC__LINK_NONE)
        return;
    uv_timer_start(&c->reconnect_timer, reconnect_cb, 0, 0);
}

void hc__link_schedule(struct hc_client *c)
{
    if (c->closing)
        return;
    if (!c->reconnect || c->session_over || c->idle) {
        hc__set_state(c, HC_DISCONNECTED, 0);
        return;
    }
    uint32_t rnd;
    hc__random(&rnd, sizeof rnd);
    uint32_t d = hc__backoff_delay(c->backoff_min, c->backoff_max, c->attempt, rnd);
    if (c->attempt < 32)
        c->attempt++;
    uv_timer_start(&c->reconnect_timer, reconnect_cb, d, 0);
    hc__set_state(c, HC_DISCONNECTED, d);
}

int hc__link_send(struct hc_client *c, const char *json)
{
    size_t len = strlen(json);
    struct hc__out *o = malloc(sizeof *o + LWS_PRE + len);
    if (!o)
        return -ENOMEM;
    o->next = NULL;
    o->len = len;
    memcpy(o->buf + LWS_PRE, json, len);
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    if (c->wsi && c->link >= HC__LINK_HELLO_WAIT)
        lws_callback_on_writable(c->wsi);
    return 0;
}

void hc__link_kill(struct hc_client *c)
{
    struct lws *w = c->wsi;
    c->wsi = NULL;
    if (w)
        lws_set_timeout(w, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}
