#include "pending.h"

#include <stdio.h>
#include <stdlib.h>

#include "rooms.h"
#include "server.h"

static void fill_job(struct hdb_job *job, const struct pending *p)
{
    job->in.user_id = p->u ? p->u->id : 0;
    job->in.room_id = p->room ? p->room->id : 0;
    job->in.now = clock_wall_ms(p->s->srv->clock);
}

struct hdb_job *pending_job(struct session *s, const char *id, struct room *r, size_t size,
                            enum hdb_op op, hdb_done_fn done)
{
    struct pending *p = calloc(1, size);
    struct hdb_job *job = p ? hdb_job_new(op, done, p) : NULL;
    if (!job) {
        free(p);
        session_reply_error(s, id, PROTO_E_INTERNAL, NULL, -1);
        return NULL;
    }
    p->s = s;
    p->u = s->user;
    p->room = r;
    snprintf(p->id, sizeof p->id, "%s", id);
    session_ref(s);
    fill_job(job, p);
    return job;
}

struct hdb_job *pending_next(struct pending *p, enum hdb_op op, hdb_done_fn done)
{
    struct hdb_job *job = hdb_job_new(op, done, p);
    if (!job) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
        pending_end(p, NULL);
        return NULL;
    }
    fill_job(job, p);
    return job;
}

void pending_submit(struct hdb_job *job)
{
    struct pending *p = job->ud;
    server_submit(p->s->srv, job);
}

void pending_fail(struct pending *p, enum proto_err code, const char *message)
{
    session_reply_error(p->s, p->id, code, message, -1);
}

void pending_end(struct pending *p, struct hdb_job *job)
{
    hdb_job_free(job);
    if (p->cleanup)
        p->cleanup(p);
    session_unref(p->s);
    free(p);
}

static void on_lookup(struct hdb_job *job)
{
    struct pending *p = job->ud;
    int rc = job->out.rc;
    int64_t id = job->out.user.id;
    int role = job->out.user.role;
    hdb_job_free(job);
    if (rc == HDB_OK) {
        p->found(p, id, role);
        return;
    }
    pending_fail(p, rc == HDB_E_NOT_FOUND ? PROTO_E_USER_NOT_FOUND : PROTO_E_INTERNAL,
                 rc == HDB_E_NOT_FOUND ? "There is no one by that handle." : NULL);
    pending_end(p, NULL);
}

void pending_lookup(struct pending *p, struct hdb_job *job, const char *handle,
                    pending_found_fn found)
{
    snprintf(p->handle, sizeof p->handle, "%s", handle);
    p->found = found;
    job->done = on_lookup;
    job->in.handle = p->handle;
    pending_submit(job);
}
