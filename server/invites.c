/* room.invite, room.invites, room.invite_revoke. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invites.h"
#include "log.h"
#include "pending.h"
#include "pwhash.h"
#include "rooms.h"
#include "server.h"
#include "session.h"

#define HOUR_MS (3600LL * 1000)

struct invite_op {
    struct pending p;
    char code[PROTO_INVITE_MAX + 1];
    int64_t expires_at;
};

static struct hdb_job *invite_job(struct session *s, const struct proto_request *req,
                                  struct room *r, enum hdb_op kind, hdb_done_fn done)
{
    return pending_job(s, req->id, r, sizeof(struct invite_op), kind, done);
}

/* ---- room.invite ---- */

static void on_created(struct hdb_job *job)
{
    struct invite_op *op = job->ud;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        struct proto_result res = {.type = PROTO_REQ_ROOM_INVITE};
        res.u.invite.code = op->code;
        res.u.invite.expires_at = op->expires_at;
        session_reply(op->p.s, op->p.id, &res);
    }
    pending_end(&op->p, job);
}

void invites_handle_create(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.invite.room);
    if (!r)
        return;
    struct hdb_job *job = invite_job(s, req, r, HDB_OP_INVITE_CREATE, on_created);
    if (!job)
        return;
    struct invite_op *op = job->ud;
    if (random_hex(op->code, 10) != 0) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
        return;
    }
    unsigned hours = req->u.invite.hours ? req->u.invite.hours : 168;
    op->expires_at = job->in.now + (int64_t)hours * HOUR_MS;
    job->in.invite = op->code;
    job->in.expires_at = op->expires_at;
    job->in.uses = req->u.invite.uses;   /* 0: unlimited */
    pending_submit(job);
}

/* ---- room.invites ---- */

static void on_listed(struct hdb_job *job)
{
    struct invite_op *op = job->ud;
    size_t n = job->out.n_invites;
    struct proto_invite *list = job->out.rc == HDB_OK ? calloc(n ? n : 1, sizeof *list) : NULL;
    if (!list) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++) {
            const struct hdb_invite *in = &job->out.invites[i];
            list[i] = (struct proto_invite){.code = in->code, .created_by = in->created_by,
                                            .created_at = in->created_at,
                                            .expires_at = in->expires_at,
                                            .uses_left = in->uses_left};
        }
        struct proto_result res = {.type = PROTO_REQ_ROOM_INVITES};
        res.u.invites.invites = list;
        res.u.invites.n = n;
        session_reply(op->p.s, op->p.id, &res);
        free(list);
    }
    pending_end(&op->p, job);
}

void invites_handle_list(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.room.room);
    if (!r)
        return;
    struct hdb_job *job = invite_job(s, req, r, HDB_OP_INVITE_LIST, on_listed);
    if (!job)
        return;
    job->in.privileged = room_can_moderate(r, s->user);   /* every code, not only theirs */
    pending_submit(job);
}

/* ---- room.invite_revoke ---- */

static void on_revoked(struct hdb_job *job)
{
    struct invite_op *op = job->ud;
    int rc = job->out.rc;
    if (rc == HDB_E_INVITE) {
        pending_fail(&op->p, PROTO_E_INVITE_INVALID,
                     "There is no live invite code by that name in this room.");
    } else if (rc == HDB_E_DENIED) {
        pending_fail(&op->p, PROTO_E_FORBIDDEN,
                     "Only the person who made that code, or the room's moderators, can revoke it.");
    } else if (rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        log_info("an invite code of room %s was revoked by %s", op->p.room->name, op->p.u->handle);
        struct proto_result res = {.type = PROTO_REQ_ROOM_INVITE_REVOKE};
        session_reply(op->p.s, op->p.id, &res);
    }
    pending_end(&op->p, job);
}

void invites_handle_revoke(struct session *s, const struct proto_request *req)
{
    struct room *r = rooms_member(s, req, req->u.invite.room);
    if (!r)
        return;
    struct hdb_job *job = invite_job(s, req, r, HDB_OP_INVITE_REVOKE, on_revoked);
    if (!job)
        return;
    struct invite_op *op = job->ud;
    snprintf(op->code, sizeof op->code, "%s", req->u.invite.code ? req->u.invite.code : "");
    job->in.invite = op->code;
    job->in.privileged = room_can_moderate(r, s->user);   /* may revoke anyone's code */
    pending_submit(job);
}
