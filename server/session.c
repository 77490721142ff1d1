#include "session.h"
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "presence.h"
#include "server.h"

struct session *session_new(struct server *srv, void *conn, const char *addr)
{
    struct session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->id = ++srv->next_session_id;
    s->srv = srv;
    s->conn = conn;
    s->refs = 1; /* the transport's */
    snprintf(s->addr, sizeof s->addr, "%s", addr ? addr : "?");
    outq_init(&s->out, srv->cfg.max_queue_msgs, srv->cfg.max_queue_bytes);
    htimer_init(&s->auth_timer);
    server_track_session(srv, s);
    return s;
}

void session_ref(struct session *s) { s->refs++; }

void session_unref(struct session *s)
{
    if (--s->refs > 0)
        return;
    outq_clear(&s->out);
    free(s);
}

void session_transport_gone(struct session *s)
{
    if (s->gone)
        return;
    s->gone = true;
    s->conn = NULL;
    htimer_stop(s->srv->clock, &s->auth_timer);
    export_forget_session(s);
    if (s->user)
        presence_session_ended(s->srv, s);
    server_untrack_session(s->srv, s);
    outq_clear(&s->out);
    session_unref(s);
}

void session_close(struct session *s, uint16_t code, const char *reason)
{
    if (s->gone || s->close_code)
        return;
    s->close_code = code;
    snprintf(s->close_reason, sizeof s->close_reason, "%s", reason ? reason : "");
    if (s->user)
        presence_session_ended(s->srv, s);
    if (s->srv->transport->closing)
        s->srv->transport->closing(s);
    s->srv->transport->want_write(s);
}

void session_send(struct session *s, struct hbuf *b)
{
    if (!b || !session_alive(s))
        return;
    if (outq_push(&s->out, b) != 0) {
        /* A reader this far behind would hold memory for everyone: cut it;
         * it reconnects and resumes from storage. */
        log_info("session %llu: outgoing queue full (%zu messages, %zu bytes), closing 4001",
                 (unsigned long long)s->id, s->out.count, s->out.bytes);
        outq_clear(&s->out);
        session_close(s, 4001, "too slow");
        return;
    }
    s->srv->transport->want_write(s);
}

void session_send_json(struct session *s, char *json)
{
    struct hbuf *b = hbuf_take(json);
    if (!b) {
        log_error("session %llu: out of memory encoding a message", (unsigned long long)s->id);
        return;
    }
    session_send(s, b);
    hbuf_unref(b);
}

void session_reply_error(struct session *s, const char *id, enum proto_err code,
                         const char *message, int64_t retry_after_ms)
{
    session_send_json(s, proto_error_encode(id && *id ? id : NULL, code, message, retry_after_ms));
}

void session_reply(struct session *s, const char *id, const struct proto_result *res)
{
    char *json = proto_result_encode(id, res);
    if (!json) {
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    session_send_json(s, json);
}
