#include "moderation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "fanout.h"
#include "log.h"
#include "meetings.h"
#include "pending.h"
#include "rooms.h"
#include "rooms_internal.h"
#include "server.h"

#define MINUTE_MS 60000LL
#define DAY_MS (24LL * 3600 * 1000)

/* ---- sanctions in memory ---- */

static struct sanction *sanction_find(const struct room *r, int64_t user_id, int kind, int64_t now)
{
    for (size_t i = 0; i < r->n_sanctions; i++) {
        struct sanction *x = &r->sanctions[i];
        if (x->user_id == user_id && x->kind == kind && (x->until == 0 || x->until > now))
            return x;
    }
    return NULL;
}

static void sanction_remove_at(struct room *r, size_t i)
{
    free(r->sanctions[i].reason);
    r->sanctions[i] = r->sanctions[--r->n_sanctions];
}

static void sanction_drop(struct room *r, int64_t user_id, int kind)
{
    for (size_t i = 0; i < r->n_sanctions; i++) {
        if (r->sanctions[i].user_id == user_id && r->sanctions[i].kind == kind) {
            sanction_remove_at(r, i);
            return;
        }
    }
}

/* Stores (or replaces) a sanction with what mod.sanctions shows of it:
 * the person's handle, when, who (actor NULL: not known) and why. A
 * reason that cannot be copied is kept as "" rather than losing the mute. */
static int sanction_put(struct room *r, int64_t user_id, int kind, int64_t until, int64_t ts,
                        const char *handle, const char *actor, const char *reason)
{
    sanction_drop(r, user_id, kind);
    if (r->n_sanctions == r->cap_sanctions) {
        size_t cap = r->cap_sanctions ? r->cap_sanctions * 2 : 4;
        struct sanction *v = realloc(r->sanctions, cap * sizeof *v);
        if (!v)
            return -1;
        r->sanctions = v;
        r->cap_sanctions = cap;
    }
    struct sanction *x = &r->sanctions[r->n_sanctions++];
    *x = (struct sanction){.user_id = user_id, .kind = kind, .until = until, .ts = ts};
    snprintf(x->handle, sizeof x->handle, "%s", handle ? handle : "");
    snprintf(x->actor, sizeof x->actor, "%s", actor ? actor : "");
    x->reason = strdup(reason ? reason : "");
    return x->reason ? 0 : -1;
}

static void on_load_sanction(const struct hdb_sanction_row *row, void *ud)
{
    struct room *r = rooms_by_id(ud, row->room_id);
    if (r && sanction_put(r, row->user_id, row->kind, row->until, row->ts, row->handle,
                          row->actor, row->reason) != 0)
        log_error("out of memory loading the sanctions of room %s", r->name);
}

void moderation_free_sanctions(struct room *r)
{
    for (size_t i = 0; i < r->n_sanctions; i++)
        free(r->sanctions[i].reason);
    free(r->sanctions);
    r->sanctions = NULL;
    r->n_sanctions = r->cap_sanctions = 0;
}

void moderation_forget_user(struct server *srv, int64_t user_id)
{
    size_t pos = 0;
    const char *k;
    void *v;
    while (hmap_next(srv->rooms, &pos, &k, &v) == 0) {
        struct room *r = v;
        for (size_t i = r->n_sanctions; i-- > 0;)
            if (r->sanctions[i].user_id == user_id)
                sanction_remove_at(r, i);
    }
}

int moderation_load(struct server *srv)
{
    return hdb_load_sanctions(srv->db, on_load_sanction, srv) == HDB_OK ? 0 : -1;
}

/* ---- the checks other modules apply ---- */

static bool is_staff(const struct user *u) { return u->role >= PROTO_ROLE_MODERATOR; }

enum proto_err moderation_may_post(struct server *srv, struct room *r, const struct user *u,
                                   int64_t *retry_ms)
{
    int64_t now = clock_wall_ms(srv->clock);
    const struct sanction *mute = sanction_find(r, u->id, HDB_SANCTION_MUTE, now);
    *retry_ms = -1;
    if (mute) {
        *retry_ms = mute->until ? mute->until - now : -1;
        return PROTO_E_MUTED;
    }
    const struct room_member *m = room_member_of(r, u);
    if (!m || room_can_moderate(r, u))
        return PROTO_OK; /* moderators keep order; the pacing rules are not for them */
    int64_t newcomer_end = m->joined_at + (int64_t)r->mod.newcomer_seconds * 1000;
    if (r->mod.newcomer_seconds && now < newcomer_end) {
        *retry_ms = newcomer_end - now;
        return PROTO_E_NEWCOMER_WAIT;
    }
    int64_t slow_end = m->last_post_at + (int64_t)r->mod.slow_seconds * 1000;
    if (r->mod.slow_seconds && m->last_post_at && now < slow_end) {
        *retry_ms = slow_end - now;
        return PROTO_E_SLOW_MODE;
    }
    return PROTO_OK;
}

void moderation_posted(struct server *srv, struct room *r, const struct user *u)
{
    struct room_member *m = room_member_of(r, u);
    if (m)
        m->last_post_at = clock_wall_ms(srv->clock);
}

enum proto_err moderation_may_join(struct server *srv, const struct room *r, const struct user *u)
{
    if (sanction_find(r, u->id, HDB_SANCTION_BAN, clock_wall_ms(srv->clock)))
        return PROTO_E_BANNED;
    if (is_staff(u))
        return PROTO_OK; /* staff may enter a locked or full room to keep it safe */
    if (r->mod.locked)
        return PROTO_E_ROOM_LOCKED;
    if (r->mod.member_limit && r->n_members >= r->mod.member_limit)
        return PROTO_E_ROOM_FULL;
    return PROTO_OK;
}

/* ---- actions ---- */

struct mod_op {
    struct pending p;              /* p.room is NULL for suspend/unsuspend */
    int action;                    /* enum hdb_mod_action */
    char target[PROTO_HANDLE_MAX + 1];
    int64_t target_id;
    int64_t until;
    int64_t now;                   /* when it was asked: a mute's or ban's ts */
    uint64_t seq;
    char *reason;
};

static void mod_cleanup(struct pending *p) { free(((struct mod_op *)p)->reason); }

static int action_of(enum proto_req_type t)
{
    switch (t) {
    case PROTO_REQ_MOD_MUTE: return HDB_MOD_MUTE;
    case PROTO_REQ_MOD_UNMUTE: return HDB_MOD_UNMUTE;
    case PROTO_REQ_MOD_REMOVE: return HDB_MOD_REMOVE;
    case PROTO_REQ_MOD_BAN: return HDB_MOD_BAN;
    case PROTO_REQ_MOD_UNBAN: return HDB_MOD_UNBAN;
    case PROTO_REQ_MOD_DELETE: return HDB_MOD_DELETE;
    case PROTO_REQ_MOD_SUSPEND: return HDB_MOD_SUSPEND;
    default: return HDB_MOD_UNSUSPEND;
    }
}

/* Whether `actor` may act on a person with these roles; NULL when yes,
 * else the sentence to refuse with. Nobody acts on themselves or on an
 * admin; only admins act on server moderators; only the host and staff
 * act on room moderators; nobody below staff acts on the host. */
static const char *refusal(const struct room *r, const struct user *actor, int64_t target_id,
                           int target_role, enum proto_room_role target_room_role)
{
    if (target_id == actor->id)
        return "You cannot do that to yourself.";
    if (target_role == PROTO_ROLE_ADMIN ||
        (target_role == PROTO_ROLE_MODERATOR && actor->role != PROTO_ROLE_ADMIN))
        return "Server moderators and admins cannot be moderated here.";
    if (!r || is_staff(actor))
        return NULL;
    if (target_room_role == PROTO_RROLE_HOST)
        return "The room's host cannot be moderated here.";
    if (target_room_role == PROTO_RROLE_MODERATOR && room_role_of(r, actor) != PROTO_RROLE_HOST)
        return "Only the host can act on the room's moderators.";
    return NULL;
}

static void notify_target(struct server *srv, const struct mod_op *op)
{
    struct user *u = server_user_get(srv, op->target);
    if (!u || op->action == HDB_MOD_DELETE)
        return;
    struct proto_event ev = {.type = PROTO_EVT_MODERATED};
    ev.u.moderated.room = op->p.room ? op->p.room->name : NULL;
    ev.u.moderated.action = hdb_mod_action_name(op->action);
    ev.u.moderated.reason = op->reason ? op->reason : "";
    ev.u.moderated.until = op->until;
    struct hbuf *b = hbuf_take(proto_event_encode(&ev));
    if (b) {
        fanout_user(u, b);
        hbuf_unref(b);
    }
}

/* Publishes the "left" event first so the person's own devices hear it. */
static void take_out(struct room *r, struct user *u, const struct hdb_event *left)
{
    room_publish(r, left);
    if (u) {
        meeting_member_left(r, u);
        room_member_remove(r, u);
    }
}

/* The action is stored with its audit line: now memory and people follow. */
static void apply(struct mod_op *op, const struct hdb_event *ev)
{
    struct server *srv = op->p.s->srv;
    struct room *r = op->p.room;
    struct user *target = server_user_get(srv, op->target);
    switch (op->action) {
    case HDB_MOD_MUTE:
        if (sanction_put(r, op->target_id, HDB_SANCTION_MUTE, op->until, op->now, op->target,
                         op->p.u->handle, op->reason) != 0)
            log_error("out of memory keeping a mute in room %s", r->name);
        break;
    case HDB_MOD_UNMUTE: sanction_drop(r, op->target_id, HDB_SANCTION_MUTE); break;
    case HDB_MOD_UNBAN: sanction_drop(r, op->target_id, HDB_SANCTION_BAN); break;
    case HDB_MOD_BAN:
        if (sanction_put(r, op->target_id, HDB_SANCTION_BAN, op->until, op->now, op->target,
                         op->p.u->handle, op->reason) != 0)
            log_error("out of memory keeping a ban in room %s", r->name);
        if (ev->seq)
            take_out(r, target, ev);
        break;
    case HDB_MOD_REMOVE: take_out(r, target, ev); break;
    case HDB_MOD_DELETE:
        room_cache_take_down(r, op->seq);
        room_publish(r, ev);
        break;
    default: break;
    }
    log_info("%s: %s %s %s", r ? r->name : "server", op->p.u->handle,
             hdb_mod_action_name(op->action), op->target[0] ? op->target : "a message");
    notify_target(srv, op);
    if (op->action == HDB_MOD_SUSPEND && target)
        accounts_end_sessions(target, "suspended");
}

static void on_action_stored(struct hdb_job *job)
{
    struct mod_op *op = job->ud;
    int rc = job->out.rc;
    if (rc == HDB_E_NOT_FOUND) {
        pending_fail(&op->p, op->action == HDB_MOD_DELETE ? PROTO_E_MESSAGE_NOT_FOUND
                                                          : PROTO_E_USER_NOT_FOUND, NULL);
    } else if (rc == HDB_E_ALREADY) {
        pending_fail(&op->p, PROTO_E_USER_NOT_FOUND, NULL);
    } else if (rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        apply(op, &job->out.event);
        struct proto_result res = {.type = PROTO_REQ_MOD_MUTE}; /* no data, like every action */
        session_reply(op->p.s, op->p.id, &res);
    }
    pending_end(&op->p, job);
}

/* Checks whom the action is on, then stores it (job: a MOD_ACTION job of
 * op's, or NULL to make one). */
static void act_on(struct mod_op *op, struct hdb_job *job, int64_t target_id, int target_role)
{
    struct room *r = op->p.room;
    struct user *known = op->target[0] ? server_user_get(op->p.s->srv, op->target) : NULL;
    enum proto_room_role room_role = r && known ? room_role_of(r, known) : PROTO_RROLE_MEMBER;
    bool must_be_member = op->action == HDB_MOD_MUTE || op->action == HDB_MOD_REMOVE;
    const char *no = op->action == HDB_MOD_DELETE
                         ? NULL : refusal(r, op->p.u, target_id, target_role, room_role);
    if (no) {
        pending_fail(&op->p, PROTO_E_FORBIDDEN, no);
        pending_end(&op->p, job);
        return;
    }
    if (must_be_member && !(known && room_has_member(r, known))) {
        pending_fail(&op->p, PROTO_E_USER_NOT_FOUND, NULL);
        pending_end(&op->p, job);
        return;
    }
    op->target_id = target_id;
    job->in.mod_action = op->action;
    job->in.target_id = target_id;
    job->in.until = op->until;
    job->in.reason = op->reason;
    job->in.seq = op->seq;
    pending_submit(job);
}

static void on_target_found(struct pending *p, int64_t id, int role)
{
    struct hdb_job *job = pending_next(p, HDB_OP_MOD_ACTION, on_action_stored);
    if (job)
        act_on((struct mod_op *)p, job, id, role);
}

/* Whether the caller may do `action`: a room's moderators in that room,
 * admins for suspensions. Sets *room (NULL for suspensions); answers the
 * request and returns false when not. */
static bool allowed(struct session *s, const struct proto_request *req, int action,
                    const char *room_name, struct room **room)
{
    *room = NULL;
    if (action == HDB_MOD_SUSPEND || action == HDB_MOD_UNSUSPEND) {
        if (s->user->role == PROTO_ROLE_ADMIN)
            return true;
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                            "Only admins can suspend or restore accounts.", -1);
        return false;
    }
    struct room *r = rooms_member(s, req, room_name);
    if (!r)
        return false;
    if (!room_can_moderate(r, s->user)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN, "Only the room's moderators can do that.",
                            -1);
        return false;
    }
    *room = r;
    return true;
}

void moderation_handle_action(struct session *s, const struct proto_request *req)
{
    int action = action_of(req->type);
    struct room *r;
    if (!allowed(s, req, action, req->u.mod.room, &r))
        return;
    const char *handle = action == HDB_MOD_DELETE ? NULL : req->u.mod.handle;
    struct user *known = handle ? server_user_get(s->srv, handle) : NULL;
    bool lookup = handle && !known;
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct mod_op),
                                      lookup ? HDB_OP_USER_BY_HANDLE : HDB_OP_MOD_ACTION,
                                      on_action_stored);
    if (!job)
        return;
    struct mod_op *op = job->ud;
    op->p.cleanup = mod_cleanup;
    op->action = action;
    op->seq = req->u.mod.seq;
    int64_t now = job->in.now;
    op->now = now;
    if (req->u.mod.minutes)
        op->until = now + (int64_t)req->u.mod.minutes * MINUTE_MS;
    if (req->u.mod.days)
        op->until = now + (int64_t)req->u.mod.days * DAY_MS;
    if (handle)
        snprintf(op->target, sizeof op->target, "%s", handle);
    if (req->u.mod.reason && !(op->reason = strdup(req->u.mod.reason))) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
        pending_end(&op->p, job);
    } else if (lookup) {
        pending_lookup(&op->p, job, handle, on_target_found);
    } else {
        act_on(op, job, known ? known->id : 0, known ? (int)known->role : 0);
    }
}

/* ---- settings ---- */

static void on_settings_stored(struct hdb_job *job)
{
    struct pending *p = job->ud;
    struct room *r = p->room;
    if (job->out.rc != HDB_OK) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        const struct hdb_room *row = &job->out.room;
        r->mod.slow_seconds = row->slow_seconds;
        r->mod.locked = row->locked;
        r->mod.member_limit = row->member_limit;
        r->mod.newcomer_seconds = row->newcomer_seconds;
        struct proto_event ev = {.type = PROTO_EVT_ROOM_SETTINGS};
        ev.u.settings.room = r->name;
        ev.u.settings.settings = r->mod;
        struct hbuf *b = hbuf_take(proto_event_encode(&ev));
        if (b) {
            fanout_room(r, b);
            hbuf_unref(b);
        }
        struct proto_result res = {.type = PROTO_REQ_MOD_SETTINGS};
        res.u.modset.settings = r->mod;
        session_reply(p->s, p->id, &res);
    }
    pending_end(p, job);
}

void moderation_handle_settings(struct session *s, const struct proto_request *req)
{
    struct room *r;
    if (!allowed(s, req, HDB_MOD_SETTINGS, req->u.modset.room, &r))
        return;
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct pending), HDB_OP_MOD_SETTINGS,
                                      on_settings_stored);
    if (!job)
        return;
    const struct proto_mod_settings *set = &req->u.modset.set;
    job->in.set.has_slow = req->u.modset.has_slow;
    job->in.set.slow_seconds = set->slow_seconds;
    job->in.set.has_locked = req->u.modset.has_locked;
    job->in.set.locked = set->locked;
    job->in.set.has_limit = req->u.modset.has_limit;
    job->in.set.member_limit = set->member_limit;
    job->in.set.has_newcomer = req->u.modset.has_newcomer;
    job->in.set.newcomer_seconds = set->newcomer_seconds;
    pending_submit(job);
}

/* ---- the audit log ---- */

static void on_log_read(struct hdb_job *job)
{
    struct pending *p = job->ud;
    size_t n = job->out.n_audit;
    struct proto_audit_entry *e = job->out.rc == HDB_OK ? calloc(n ? n : 1, sizeof *e) : NULL;
    if (!e) {
        pending_fail(p, PROTO_E_INTERNAL, NULL);
    } else {
        for (size_t i = 0; i < n; i++) {
            const struct hdb_audit *a = &job->out.audit[i];
            e[i] = (struct proto_audit_entry){.id = a->id, .ts = a->ts, .actor = a->actor,
                                              .action = a->action, .target = a->target,
                                              .reason = a->reason, .seq = a->seq,
                                              .until = a->until, .room = a->room};
        }
        struct proto_result res = {.type = PROTO_REQ_MOD_LOG};
        res.u.modlog.entries = e;
        res.u.modlog.n = n;
        res.u.modlog.has_more = job->out.has_more;
        session_reply(p->s, p->id, &res);
        free(e);
    }
    pending_end(p, job);
}

void moderation_handle_log(struct session *s, const struct proto_request *req)
{
    struct room *r = NULL;
    if (!req->u.modlog.room) {   /* the server-wide log: every room and the suspensions */
        if (s->user->role != PROTO_ROLE_ADMIN) {
            session_reply_error(s, req->id, PROTO_E_FORBIDDEN,
                                "Only admins can read the server-wide log; name a room.", -1);
            return;
        }
    } else if (!allowed(s, req, HDB_MOD_SETTINGS, req->u.modlog.room, &r)) {
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, r, sizeof(struct pending), HDB_OP_AUDIT_LIST,
                                      on_log_read);
    if (!job)
        return;
    job->in.before = req->u.modlog.before > 0 ? (uint64_t)req->u.modlog.before : 0;
    job->in.limit = req->u.modlog.limit ? req->u.modlog.limit : 50;
    pending_submit(job);
}

/* ---- the sanctions in force ---- */

static int sanction_order(const void *a, const void *b)
{
    const struct proto_sanction *x = a, *y = b;
    int c = strcmp(x->handle, y->handle);
    if (c)
        return c;
    return (x->kind == PROTO_SANCTION_BAN ? 0 : 1) - (y->kind == PROTO_SANCTION_BAN ? 0 : 1);
}

/* From memory, judged by the server's clock: a timed one past its end is
 * not listed (nor enforced), though it stays on record until lifted. */
void moderation_handle_sanctions(struct session *s, const struct proto_request *req)
{
    struct room *r;
    if (!allowed(s, req, HDB_MOD_SETTINGS, req->u.room.room, &r))
        return;
    int64_t now = clock_wall_ms(s->srv->clock);
    struct proto_sanction *v = calloc(r->n_sanctions ? r->n_sanctions : 1, sizeof *v);
    if (!v) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_sanctions; i++) {
        const struct sanction *x = &r->sanctions[i];
        if (x->until && x->until <= now)
            continue;
        v[n++] = (struct proto_sanction){
            .handle = x->handle, .ts = x->ts, .until = x->until, .reason = x->reason,
            .kind = x->kind == HDB_SANCTION_BAN ? PROTO_SANCTION_BAN : PROTO_SANCTION_MUTE,
            .actor = x->actor[0] ? x->actor : NULL};
    }
    qsort(v, n, sizeof *v, sanction_order);
    struct proto_result res = {.type = PROTO_REQ_MOD_SANCTIONS};
    res.u.sanctions.sanctions = v;
    res.u.sanctions.n = n;
    session_reply(s, req->id, &res);
    free(v);
}
