/*
 * account.export (export.h). The document is built on the writer thread
 * (HDB_OP_EXPORT) and kept here, cut into parts, with the session that
 * made it: only that session can read it, and it goes when the session
 * does or when its timer fires.
 *
 * The exports live in one list owned by the loop thread (there are few:
 * one per session that exported in the last EXPORT_KEEP_MS). An export
 * names its session by server and session id, never by pointer, so a
 * later session can never be taken for it even at the same address.
 */
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pending.h"
#include "pwhash.h"
#include "server.h"
#include "session.h"

#define EXPORT_ID_BYTES 8   /* 16 hex characters */

struct export {
    struct export *next;
    struct server *srv;
    uint64_t session_id;    /* the owner */
    char id[2 * EXPORT_ID_BYTES + 1];
    char *doc;
    size_t *cut;            /* part i is doc[cut[i] .. cut[i + 1]) */
    uint32_t parts;
    struct htimer expiry;
};

static struct export *exports;

/* The session's export and the link that points to it; NULL when none. */
static struct export **find(const struct session *s)
{
    for (struct export **e = &exports; *e; e = &(*e)->next)
        if ((*e)->srv == s->srv && (*e)->session_id == s->id)
            return e;
    return NULL;
}

/* Unlinks *link and frees it. */
static void export_drop(struct export **link)
{
    struct export *e = *link;
    *link = e->next;
    htimer_stop(e->srv->clock, &e->expiry);
    free(e->doc);
    free(e->cut);
    free(e);
}

void export_forget_session(struct session *s)
{
    struct export **link = find(s);
    if (link)
        export_drop(link);
}

static void on_expired(struct htimer *t, void *ud)
{
    for (struct export **e = &exports; *e; e = &(*e)->next)
        if (*e == ud) {
            export_drop(e);
            return;
        }
}

/* Where the part starting at `from` ends: PROTO_EXPORT_PART_MAX bytes on,
 * moved back to the start of the character there (the document is valid
 * UTF-8, so at most 3 continuation bytes). */
static size_t part_end(const char *doc, size_t len, size_t from)
{
    if (len - from <= PROTO_EXPORT_PART_MAX)
        return len;
    size_t end = from + PROTO_EXPORT_PART_MAX;
    while (end > from && ((unsigned char)doc[end] & 0xC0) == 0x80)
        end--;
    return end;
}

/* An export of `doc` (taken over) for session s, cut into parts; NULL
 * when out of memory (doc freed). */
static struct export *export_new(struct session *s, char *doc)
{
    struct export *e = calloc(1, sizeof *e);
    if (!e || random_hex(e->id, EXPORT_ID_BYTES) != 0)
        goto fail;
    size_t len = strlen(doc);
    if (len == 0)
        goto fail;
    for (size_t at = 0; at < len; at = part_end(doc, len, at))
        e->parts++;
    if (!(e->cut = malloc((e->parts + 1) * sizeof *e->cut)))
        goto fail;
    e->cut[0] = 0;
    for (uint32_t i = 0; i < e->parts; i++)
        e->cut[i + 1] = part_end(doc, len, e->cut[i]);
    e->srv = s->srv;
    e->session_id = s->id;
    e->doc = doc;
    htimer_init(&e->expiry);
    return e;
fail:
    if (e)
        free(e->cut);
    free(e);
    free(doc);
    return NULL;
}

static void reply_part(struct session *s, const char *id, const struct export *e, uint32_t part)
{
    size_t from = e->cut[part], n = e->cut[part + 1] - from;
    char *data = malloc(n + 1);
    if (!data) {
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    memcpy(data, e->doc + from, n);
    data[n] = '\0';
    struct proto_result res = {.type = PROTO_REQ_ACCOUNT_EXPORT};
    res.u.export.export_id = e->id;
    res.u.export.part = part;
    res.u.export.parts = e->parts;
    res.u.export.data = data;
    session_reply(s, id, &res);
    free(data);
}

static void on_built(struct hdb_job *job)
{
    struct pending *p = job->ud;
    struct session *s = p->s;
    if (job->out.rc != HDB_OK || !job->out.text) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else if (session_alive(s)) {
        struct export *e = export_new(s, job->out.text);
        job->out.text = NULL;
        if (!e) {
            pending_fail(p, PROTO_E_INTERNAL, NULL);
        } else {
            export_forget_session(s);   /* one per session: the new one replaces it */
            e->next = exports;
            exports = e;
            htimer_start(s->srv->clock, &e->expiry, EXPORT_KEEP_MS, on_expired, e);
            log_info("session %llu: an export of %u part(s) is ready", (unsigned long long)s->id,
                     e->parts);
            reply_part(s, p->id, e, 0);
        }
    }
    pending_end(p, job);
}

void export_handle(struct session *s, const struct proto_request *req)
{
    const char *want = req->u.export.export_id;
    if (!want) {
        struct hdb_job *job =
            pending_job(s, req->id, NULL, sizeof(struct pending), HDB_OP_EXPORT, on_built);
        if (job)
            pending_submit(job);
        return;
    }
    struct export **link = find(s), *e = link ? *link : NULL;
    if (!e || strcmp(e->id, want) != 0) {
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD,
                            "That export is no longer available; start a new one.", -1);
        return;
    }
    if (req->u.export.part >= e->parts) {
        char msg[96];
        snprintf(msg, sizeof msg, "That export has %u part(s), numbered from 0.", e->parts);
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD, msg, -1);
        return;
    }
    reply_part(s, req->id, e, req->u.export.part);
}
