/* room.configure and room.role: the host's settings for a room. Stored
 * first; memory and members follow after COMMIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fanout.h"
#include "log.h"
#include "meetings.h"
#include "pending.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

struct admin_op {
    struct pending p;
    struct user *target;
    enum proto_room_role role;
    char *format;              /* configure: a copy the job reads */
};

static struct hdb_job *admin_start(struct session *s, const struct proto_request *req,
                                   struct room *r, enum hdb_op kind, hdb_done_fn done)
{
    return pending_job(s, req->id, r, sizeof(struct admin_op), kind, done);
}

static void admin_end(struct hdb_job *job)
{
    struct admin_op *op = job->ud;
    free(op->format);
    pending_end(&op->p, job);
}

/* A member room whose settings the caller may change, or NULL (answered). */
static struct room *configurable(struct session *s, const struct proto_request *req,
                                 const char *name)
{
    struct room *r = rooms_member(s, req, name);
    if (r && !room_can_configure(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only the room's host can change its settings.", -1);
        return NULL;
    }
    return r;
}

/* ---- room.configure ---- */

static void on_configured(struct hdb_job *job)
{
    struct admin_op *op = job->ud;
    struct room *r = op->p.room;
    const struct hdb_room *row = &job->out.room;
    char *format = row->format ? strdup(row->format) : NULL;
    if (job->out.rc != HDB_OK || !format) {
        free(format);
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        r->meeting = row->meeting;
        r->share_seconds = row->share_seconds;
        r->retention_days = row->retention_days;
        r->ephemeral = row->ephemeral;
        free(r->format);
        r->format = format;
        log_info("room %s configured by %s (meeting %s)", r->name, op->p.u->handle,
                 r->meeting ? "on" : "off");
        meeting_settings_changed(op->p.s->srv, r);
        struct proto_result res = {.type = PROTO_REQ_ROOM_CONFIGURE};
        room_fill(&res.u.configure.room, r, op->p.u);
        session_reply(op->p.s, op->p.id, &res);
    }
    admin_end(job);
}

void rooms_handle_configure(struct session *s, const struct proto_request *req)
{
    struct room *r = configurable(s, req, req->u.configure.room);
    if (!r)
        return;
    struct hdb_job *job = admin_start(s, req, r, HDB_OP_ROOM_CONFIGURE, on_configured);
    if (!job)
        return;
    struct admin_op *op = job->ud;
    job->in.has_meeting = req->u.configure.has_meeting;
    job->in.meeting = req->u.configure.meeting;
    job->in.share_seconds = req->u.configure.has_share ? req->u.configure.share_seconds : 0;
    job->in.set.has_retention = req->u.configure.has_retention;
    job->in.set.retention_days = req->u.configure.retention_days;
    job->in.set.has_ephemeral = req->u.configure.has_ephemeral;
    job->in.set.ephemeral = req->u.configure.ephemeral;
    if (req->u.configure.format) {
        if (!(op->format = strdup(req->u.configure.format))) {
            session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
            admin_end(job);
            return;
        }
        job->in.format = op->format;
    }
    pending_submit(job);
}

/* ---- room.role ---- */

static void on_role_stored(struct hdb_job *job)
{
    struct admin_op *op = job->ud;
    struct room *r = op->p.room;
    if (job->out.rc == HDB_E_ALREADY || !room_has_member(r, op->target)) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_USER_NOT_FOUND, NULL, -1);
    } else if (job->out.rc != HDB_OK) {
        session_reply_error(op->p.s, op->p.id, PROTO_E_INTERNAL, NULL, -1);
    } else {
        room_set_role(r, op->target, op->role);
        log_info("room %s: %s is now %s", r->name, op->target->handle,
                 proto_room_role_name(op->role));
        struct proto_event ev = {.type = PROTO_EVT_ROOM_ROLE};
        ev.u.role.room = r->name;
        ev.u.role.handle = op->target->handle;
        ev.u.role.role = op->role;
        struct hbuf *b = hbuf_take(proto_event_encode(&ev));
        if (b) {
            fanout_room(r, b);
            hbuf_unref(b);
        }
        struct proto_result res = {.type = PROTO_REQ_ROOM_ROLE};
        session_reply(op->p.s, op->p.id, &res);
    }
    admin_end(job);
}

void rooms_handle_role(struct session *s, const struct proto_request *req)
{
    struct room *r = configurable(s, req, req->u.role.room);
    if (!r)
        return;
    struct user *target = room_member_by_handle(r, req->u.role.handle);
    if (!target) {
        session_reply_error(s, req->id, PROTO_E_USER_NOT_FOUND, NULL, -1);
        return;
    }
    if (room_role_of(r, target) == PROTO_RROLE_HOST) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN, "The host's role cannot be changed.", -1);
        return;
    }
    struct hdb_job *job = admin_start(s, req, r, HDB_OP_MEMBER_ROLE, on_role_stored);
    if (!job)
        return;
    struct admin_op *op = job->ud;
    op->target = target;
    op->role = req->u.role.role;
    job->in.target_id = target->id;
    job->in.role = (int)req->u.role.role;
    pending_submit(job);
}
