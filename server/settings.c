/* settings.get, settings.set, and when members were last seen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "days.h"
#include "log.h"
#include "pending.h"
#include "receipts.h"
#include "rooms.h"
#include "server.h"
#include "session.h"
#include "settings.h"
#include "tzcal.h"

static const struct member_settings defaults = {
    .tz = "UTC", .checkin_share = PROTO_SHARE_PRIVATE, .warning_threshold = 3,
    .isolation_days = 2, .sobriety_share = PROTO_SHARE_PRIVATE, .read_receipts = true};

const struct member_settings *settings_of(const struct user *u)
{
    return u->settings ? u->settings : &defaults;
}

struct member_settings *settings_edit(struct user *u)
{
    if (!u->settings && (u->settings = malloc(sizeof *u->settings)) != NULL)
        *u->settings = defaults;
    return u->settings;
}

void settings_free_user(struct user *u)
{
    free(u->settings);
    u->settings = NULL;
}

bool settings_local_day(const struct user *u, int64_t ms, char day[11])
{
    struct tzcal *cal = tzcal_open(settings_of(u)->tz);
    if (!cal && !(cal = tzcal_open("UTC")))   /* a zone ICU no longer knows: UTC days */
        return false;
    int64_t n;
    bool ok = tzcal_local_day(cal, ms, &n);
    tzcal_close(cal);
    return ok && days_name(n, day);
}

/* ---- loading and storing ---- */

static struct room *room_by_id(struct server *srv, int64_t id)
{
    return id ? rooms_by_id(srv, id) : NULL;
}

static void on_load(int64_t user_id, const char *handle, const struct hdb_settings *row, void *ud)
{
    struct server *srv = ud;
    struct user *u = server_user_upsert(srv, user_id, handle, -1, -1);
    struct member_settings *st = u ? settings_edit(u) : NULL;
    if (!st) {
        log_error("out of memory loading settings");
        return;
    }
    snprintf(st->tz, sizeof st->tz, "%s", row->tz);
    st->checkin_share = row->checkin_share >= 0 && row->checkin_share < PROTO_SHARE__COUNT
                            ? (enum proto_share)row->checkin_share : PROTO_SHARE_PRIVATE;
    st->checkin_room = room_by_id(srv, row->checkin_room_id);
    if (st->checkin_share == PROTO_SHARE_ROOM && !st->checkin_room)
        st->checkin_share = PROTO_SHARE_PRIVATE;   /* its room is gone: back to private */
    st->warning_threshold = (uint32_t)row->warning_threshold;
    st->alert_buddies = row->alert_buddies;
    st->isolation_nudges = row->isolation_nudges;
    st->isolation_days = (uint32_t)row->isolation_days;
    st->meeting_goal = (uint32_t)row->meeting_goal;
    st->sobriety_share = row->sobriety_share == PROTO_SHARE_BUDDIES ||
                                 row->sobriety_share == PROTO_SHARE_EVERYONE
                             ? (enum proto_share)row->sobriety_share : PROTO_SHARE_PRIVATE;
    st->milestone_room = room_by_id(srv, row->milestone_room_id);
    st->read_receipts = row->read_receipts;
    u->last_seen_at = row->last_seen_at;
    st->last_nudge_at = row->last_nudge_at;
    st->last_checkin_at = row->last_checkin_at;
}

int settings_load(struct server *srv)
{
    return hdb_load_settings(srv->db, on_load, srv) == HDB_OK ? 0 : -1;
}

static void on_seen_stored(struct hdb_job *job)
{
    if (job->out.rc != HDB_OK)
        log_error("could not store when a member was last seen");
    hdb_job_free(job);
}

void settings_went_offline(struct server *srv, struct user *u)
{
    if (u->deleted)
        return;   /* nothing of theirs is written any more */
    u->last_seen_at = clock_wall_ms(srv->clock);
    struct hdb_job *job = hdb_job_new(HDB_OP_SEEN, on_seen_stored, NULL);
    if (!job)
        return;
    job->in.user_id = u->id;
    job->in.now = u->last_seen_at;
    job->in.status = 0;
    server_submit(srv, job);
}

/* ---- settings.get ---- */

static void fill(struct proto_settings *out, const struct member_settings *st)
{
    *out = (struct proto_settings){
        .tz = st->tz, .checkin_share = st->checkin_share,
        .checkin_room = st->checkin_room ? st->checkin_room->name : NULL,
        .warning_threshold = st->warning_threshold, .alert_buddies = st->alert_buddies,
        .isolation_nudges = st->isolation_nudges, .isolation_days = st->isolation_days,
        .meeting_goal = st->meeting_goal, .sobriety_share = st->sobriety_share,
        .milestone_room = st->milestone_room ? st->milestone_room->name : NULL,
        .read_receipts = st->read_receipts};
}

static void reply_settings(struct session *s, const char *id, enum proto_req_type type,
                           const struct member_settings *st)
{
    struct proto_result res = {.type = type};
    fill(&res.u.settings, st);
    session_reply(s, id, &res);
}

void settings_handle_get(struct session *s, const struct proto_request *req)
{
    reply_settings(s, req->id, PROTO_REQ_SETTINGS_GET, settings_of(s->user));
}

/* ---- settings.set ---- */

struct settings_op {
    struct pending p;
    struct member_settings next;   /* what memory becomes after COMMIT */
    struct hdb_settings row;       /* what the job writes (tz points into next) */
};

static void on_stored(struct hdb_job *job)
{
    struct settings_op *op = job->ud;
    struct member_settings *st = job->out.rc == HDB_OK ? settings_edit(op->p.u) : NULL;
    if (!st) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        op->next.last_nudge_at = st->last_nudge_at;   /* kept by their own writers */
        op->next.last_checkin_at = st->last_checkin_at;
        memcpy(op->next.alerted_day, st->alerted_day, sizeof st->alerted_day);
        bool receipts_changed = st->read_receipts != op->next.read_receipts;
        *st = op->next;
        if (receipts_changed)   /* the receipts it causes first, as room events come */
            receipts_setting_changed(op->p.u);
        reply_settings(op->p.s, op->p.id, PROTO_REQ_SETTINGS_SET, st);
    }
    pending_end(&op->p, job);
}

/* A room the member belongs to, for sharing into; "" means none. Answers
 * and returns false when it names no such room. */
static bool member_room(struct session *s, const struct proto_request *req, const char *name,
                        struct room **out)
{
    *out = NULL;
    if (!name || !*name)
        return true;
    struct room *r = rooms_member(s, req, name);
    if (r && r->kind != PROTO_KIND_ROOM) {
        session_reply_error(s, req->id, PROTO_E_CONVERSATION, NULL, -1);
        return false;
    }
    *out = r;
    return r != NULL;
}

/* The request applied to the current settings; false when refused (answered). */
static bool apply(struct session *s, const struct proto_request *req, struct member_settings *st)
{
    const struct proto_request *q = req;
    const struct proto_settings *in = &q->u.settings.set;
    if (q->u.settings.has_tz) {
        if (!tzcal_known(in->tz)) {
            session_reply_error(s, req->id, PROTO_E_UNKNOWN_TIME_ZONE, NULL, -1);
            return false;
        }
        snprintf(st->tz, sizeof st->tz, "%s", in->tz);
    }
    if (q->u.settings.has_checkin_room && !member_room(s, req, in->checkin_room, &st->checkin_room))
        return false;
    if (q->u.settings.has_milestone_room &&
        !member_room(s, req, in->milestone_room, &st->milestone_room))
        return false;
    if (q->u.settings.has_checkin_share)
        st->checkin_share = in->checkin_share;
    if (st->checkin_share == PROTO_SHARE_ROOM && !st->checkin_room) {
        session_reply_error(s, req->id, PROTO_E_INVALID_FIELD,
                            "Sharing check-ins with a room needs the room: set checkin_room.", -1);
        return false;
    }
    if (st->checkin_share != PROTO_SHARE_ROOM)
        st->checkin_room = NULL;
    if (q->u.settings.has_threshold)
        st->warning_threshold = in->warning_threshold;
    if (q->u.settings.has_alert)
        st->alert_buddies = in->alert_buddies;
    if (q->u.settings.has_nudges)
        st->isolation_nudges = in->isolation_nudges;
    if (q->u.settings.has_isolation_days)
        st->isolation_days = in->isolation_days;
    if (q->u.settings.has_goal)
        st->meeting_goal = in->meeting_goal;
    if (q->u.settings.has_sobriety_share)
        st->sobriety_share = in->sobriety_share;
    if (q->u.settings.has_read_receipts)
        st->read_receipts = in->read_receipts;
    return true;
}

void settings_handle_set(struct session *s, const struct proto_request *req)
{
    struct member_settings next = *settings_of(s->user);
    if (!apply(s, req, &next))
        return;
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct settings_op),
                                      HDB_OP_SETTINGS_PUT, on_stored);
    if (!job)
        return;
    struct settings_op *op = job->ud;
    op->next = next;
    op->row = (struct hdb_settings){
        .tz = op->next.tz, .checkin_share = next.checkin_share,
        .checkin_room_id = next.checkin_room ? next.checkin_room->id : 0,
        .warning_threshold = (int)next.warning_threshold, .alert_buddies = next.alert_buddies,
        .isolation_nudges = next.isolation_nudges, .isolation_days = (int)next.isolation_days,
        .meeting_goal = (int)next.meeting_goal, .sobriety_share = next.sobriety_share,
        .milestone_room_id = next.milestone_room ? next.milestone_room->id : 0,
        .read_receipts = next.read_receipts};
    job->in.settings = &op->row;
    pending_submit(job);
}
