/*
 * proto_frame: splits a server frame (one object, or an array of objects
 * when the server batches) into messages and parses each one: result,
 * error or event. Unknown message types are skipped, so an older client
 * keeps working against a newer server. The allocations (a meeting.state
 * event's queue array, a safety event's or a support.update's resources
 * array, a checkin.shared's signs) live only while the callback runs.
 */
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

static bool parse_limits(json_t *o, struct proto_limits *l)
{
    return json_is_object(o) && proto__get_u32(o, "max_frame_bytes", &l->max_frame_bytes) &&
           proto__get_u32(o, "max_text_chars", &l->max_text_chars) &&
           proto__get_u32(o, "history_page_max", &l->history_page_max) &&
           proto__get_u32(o, "rate_per_sec", &l->rate_per_sec) &&
           proto__get_u32(o, "rate_burst", &l->rate_burst) &&
           proto__get_u32(o, "auth_timeout_ms", &l->auth_timeout_ms);
}

/*
 * support.update: the request; by and, with closed, thanks when given (a
 * stray thanks is dropped); the resources (allocated: release_msg() frees
 * them) required with nobody_yet, read with a crisis, dropped otherwise.
 */
static enum proto_err support_update_from(json_t *o, struct proto_event *ev)
{
    struct proto_support *q = &ev->u.support_update.request;
    json_t *res = json_object_get(o, "resources");

    ev->type = PROTO_EVT_SUPPORT_UPDATE;
    if (!proto__support_from_json(json_object_get(o, "request"), q) ||
        !proto__get_opt_str(o, "by", &ev->u.support_update.by) ||
        (q->state == PROTO_SUPPORT_CLOSED &&
         !proto__get_opt_str(o, "thanks", &ev->u.support_update.thanks)))
        return PROTO_E_INVALID_FIELD;
    if (!proto__support_update_resources(q) ||
        (q->state != PROTO_SUPPORT_NOBODY_YET && (!res || json_is_null(res))))
        return PROTO_OK;
    return proto__strings_from_json(res, &ev->u.support_update.resources,
                                    &ev->u.support_update.n_resources)
               ? PROTO_OK : PROTO_E_INVALID_FIELD;
}

/* checkin.shared: the check-in as buddies see it (a stray note is dropped);
 * its signs are allocated: release_msg() frees them. */
static enum proto_err checkin_shared_from(json_t *o, struct proto_event *ev)
{
    json_t *c = json_object_get(o, "checkin");
    struct proto__pool p;
    bool ok;
    void *mem = proto__pool_open(&p, proto__checkin_pool_size(c), &ok);

    ev->type = PROTO_EVT_CHECKIN_SHARED;
    if (!ok)
        return PROTO_E_INTERNAL;
    if (!proto__checkin_from_json(c, &ev->u.shared, true, &p)) {
        free(mem);
        memset(&ev->u.shared, 0, sizeof ev->u.shared);
        return PROTO_E_INVALID_FIELD;
    }
    ev->u.shared.signs = mem;   /* the only carve: NULL when there are no signs */
    return PROTO_OK;
}

/*
 * Parses one message into m. Returns PROTO_OK, PROTO_E_UNKNOWN_TYPE for a
 * type to skip, PROTO_E_BAD_JSON when it is not an object with a string
 * "type", PROTO_E_INVALID_FIELD when a known message is malformed.
 */
static enum proto_err parse_msg(json_t *o, struct proto_server_msg *m)
{
    struct proto_event *ev = &m->event;
    const char *type, *s;
    json_t *id;

    memset(m, 0, sizeof *m);
    m->_root = o;
    m->error.retry_after_ms = -1;
    if (!json_is_object(o) || !proto__get_str(o, "type", &type))
        return PROTO_E_BAD_JSON;

    if (strcmp(type, "result") == 0) {
        m->kind = PROTO_MSG_RESULT;
        m->data = json_object_get(o, "data");
        return proto__get_str(o, "id", &m->id) && json_is_object(m->data)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "error") == 0) {
        m->kind = PROTO_MSG_ERROR;
        id = json_object_get(o, "id");
        if (json_is_string(id))
            m->id = json_string_value(id);
        else if (!json_is_null(id))
            return PROTO_E_INVALID_FIELD;
        if (!proto__get_str(o, "code", &m->error.code_str) ||
            !proto__get_str(o, "message", &m->error.message))
            return PROTO_E_INVALID_FIELD;
        /* A code this client does not know yet reads as "internal". */
        proto_err_parse(m->error.code_str, &m->error.code);
        if (json_object_get(o, "retry_after_ms") &&
            (!proto__get_i64(o, "retry_after_ms", &m->error.retry_after_ms) ||
             m->error.retry_after_ms < 0))
            return PROTO_E_INVALID_FIELD;
        return PROTO_OK;
    }

    m->kind = PROTO_MSG_EVENT;
    if (strcmp(type, "hello") == 0) {
        ev->type = PROTO_EVT_HELLO;
        return proto__get_u32(o, "protocol", &ev->u.hello.protocol) &&
                       proto__get_str(o, "server", &ev->u.hello.server) &&
                       parse_limits(json_object_get(o, "limits"), &ev->u.hello.limits)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "presence") == 0) {
        ev->type = PROTO_EVT_PRESENCE;
        return proto__get_str(o, "handle", &ev->u.presence.handle) &&
                       proto__get_str(o, "status", &s) &&
                       proto_status_parse(s, &ev->u.presence.status)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "session.revoked") == 0) {
        ev->type = PROTO_EVT_SESSION_REVOKED;
        return proto__get_str(o, "reason", &ev->u.revoked.reason) ? PROTO_OK
                                                                   : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "meeting.state") == 0) {
        /* Allocates the queue array: release_msg() frees it. */
        ev->type = PROTO_EVT_MEETING_STATE;
        return proto__meeting_from_json(json_object_get(o, "meeting"), &ev->u.meeting)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "meeting.opened") == 0) {
        ev->type = PROTO_EVT_MEETING_OPENED;
        return proto__get_str(o, "room", &ev->u.opened.room) &&
                       proto__get_nullable_str(o, "chair", &ev->u.opened.chair) &&
                       proto__get_str(o, "format", &ev->u.opened.format)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "meeting.warning") == 0) {
        ev->type = PROTO_EVT_MEETING_WARNING;
        return proto__get_str(o, "room", &ev->u.warning.room) &&
                       proto__get_str(o, "handle", &ev->u.warning.handle) &&
                       proto__get_u32(o, "seconds_left", &ev->u.warning.seconds_left)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "room.role") == 0) {
        ev->type = PROTO_EVT_ROOM_ROLE;
        return proto__get_str(o, "room", &ev->u.role.room) &&
                       proto__get_str(o, "handle", &ev->u.role.handle) &&
                       proto__get_str(o, "role", &s) && proto_room_role_parse(s, &ev->u.role.role)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "moderated") == 0) {
        ev->type = PROTO_EVT_MODERATED;
        return proto__get_nullable_str(o, "room", &ev->u.moderated.room) &&
                       proto__get_str(o, "action", &ev->u.moderated.action) &&
                       proto__get_time_or_null(o, "until", &ev->u.moderated.until) &&
                       proto__get_str(o, "reason", &ev->u.moderated.reason)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "room.settings") == 0) {
        ev->type = PROTO_EVT_ROOM_SETTINGS;
        return proto__get_str(o, "room", &ev->u.settings.room) &&
                       proto__mod_settings_from_json(json_object_get(o, "settings"),
                                                     &ev->u.settings.settings)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "report.new") == 0) {
        ev->type = PROTO_EVT_REPORT_NEW;
        return proto__report_from_json(json_object_get(o, "report"), &ev->u.report_new)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "report.handled") == 0) {
        ev->type = PROTO_EVT_REPORT_HANDLED;
        return proto__get_i64(o, "id", &ev->u.handled.id) && ev->u.handled.id >= 1 &&
                       proto__get_str(o, "outcome", &ev->u.handled.outcome)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "safety.notice") == 0 || strcmp(type, "safety.check_in") == 0) {
        /* Allocates the resources array: release_msg() frees it. A notice has no
         * room or seq (stray ones are ignored); a check-in names both. */
        bool check_in = strcmp(type, "safety.check_in") == 0;
        ev->type = check_in ? PROTO_EVT_SAFETY_CHECK_IN : PROTO_EVT_SAFETY_NOTICE;
        if (!proto__get_str(o, "text", &ev->u.safety.text) ||
            !proto__strings_from_json(json_object_get(o, "resources"), &ev->u.safety.resources,
                                      &ev->u.safety.n))
            return PROTO_E_INVALID_FIELD;
        if (check_in && (!proto__get_str(o, "room", &ev->u.safety.room) ||
                         !proto__get_u64(o, "seq", &ev->u.safety.seq) || ev->u.safety.seq == 0))
            return PROTO_E_INVALID_FIELD;
        return PROTO_OK;
    }
    if (strcmp(type, "safety.alert") == 0) {
        ev->type = PROTO_EVT_SAFETY_ALERT;
        return proto__get_str(o, "room", &ev->u.alert.room) &&
                       proto__get_str(o, "handle", &ev->u.alert.handle) &&
                       proto__get_u64(o, "seq", &ev->u.alert.seq) && ev->u.alert.seq != 0
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "buddy.request") == 0) {
        ev->type = PROTO_EVT_BUDDY_REQUEST;
        return proto__buddy_request_from_json(o, &ev->u.buddy_request) ? PROTO_OK
                                                                        : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "buddy.update") == 0) {
        /* "paired" carries the whole buddy; any other state only the handle. */
        ev->type = PROTO_EVT_BUDDY_UPDATE;
        if (!proto__get_str(o, "state", &ev->u.buddy_update.state))
            return PROTO_E_INVALID_FIELD;
        return (strcmp(ev->u.buddy_update.state, "paired") == 0
                    ? proto__buddy_from_json(o, &ev->u.buddy_update.buddy)
                    : proto__get_str(o, "handle", &ev->u.buddy_update.buddy.handle))
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "buddy.ping") == 0) {
        ev->type = PROTO_EVT_BUDDY_PING;
        return proto__ping_from_json(json_object_get(o, "ping"), &ev->u.ping)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "buddy.ping_status") == 0) {
        ev->type = PROTO_EVT_PING_STATUS;
        return proto__get_i64(o, "id", &ev->u.ping_status.id) && ev->u.ping_status.id >= 1 &&
                       proto__get_str(o, "to", &ev->u.ping_status.to) &&
                       proto__get_str(o, "state", &ev->u.ping_status.state) &&
                       proto__get_i64(o, "at", &ev->u.ping_status.at)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "match.proposal") == 0) {
        ev->type = PROTO_EVT_MATCH_PROPOSAL;
        return proto__proposal_from_json(o, &ev->u.proposal) ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "match.update") == 0) {
        ev->type = PROTO_EVT_MATCH_UPDATE;
        return proto__get_i64(o, "id", &ev->u.match_update.id) && ev->u.match_update.id >= 1 &&
                       proto__get_str(o, "state", &ev->u.match_update.state)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "support.offer") == 0) {
        ev->type = PROTO_EVT_SUPPORT_OFFER;
        return proto__support_from_json(json_object_get(o, "request"), &ev->u.offer.request) &&
                       proto__get_str(o, "as", &ev->u.offer.as)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "support.gone") == 0) {
        ev->type = PROTO_EVT_SUPPORT_GONE;
        return proto__get_i64(o, "id", &ev->u.gone.id) && ev->u.gone.id >= 1 &&
                       proto__get_str(o, "reason", &ev->u.gone.reason)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "support.update") == 0)
        return support_update_from(o, ev);
    if (strcmp(type, "checkin.shared") == 0)
        return checkin_shared_from(o, ev);
    if (strcmp(type, "checkin.alert") == 0) {
        ev->type = PROTO_EVT_CHECKIN_ALERT;
        return proto__get_str(o, "handle", &ev->u.checkin_alert.handle) &&
                       proto__get_day(o, "day", &ev->u.checkin_alert.day) &&
                       proto__get_u32(o, "signs", &ev->u.checkin_alert.signs) &&
                       ev->u.checkin_alert.signs >= 1
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "checkin.nudge") == 0) {
        ev->type = PROTO_EVT_CHECKIN_NUDGE;
        return proto__get_str(o, "handle", &ev->u.nudge.handle) &&
                       proto__get_u32(o, "days", &ev->u.nudge.days) && ev->u.nudge.days >= 1
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "checkin.reminder") == 0) {
        ev->type = PROTO_EVT_CHECKIN_REMINDER;
        return proto__get_u32(o, "days", &ev->u.reminder.days) && ev->u.reminder.days >= 1
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "room.receipt") == 0) {
        ev->type = PROTO_EVT_ROOM_RECEIPT;
        return proto__get_str(o, "room", &ev->u.receipt.room) &&
                       proto_is_conversation_name(ev->u.receipt.room) &&
                       proto__get_str(o, "handle", &ev->u.receipt.handle) &&
                       proto__get_u64(o, "delivered", &ev->u.receipt.delivered) &&
                       proto__get_u64(o, "seen", &ev->u.receipt.seen) &&
                       ev->u.receipt.seen <= ev->u.receipt.delivered
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (strcmp(type, "milestone") == 0) {
        ev->type = PROTO_EVT_MILESTONE;
        return proto__get_str(o, "handle", &ev->u.milestone.handle) &&
                       proto__milestone_from_json(json_object_get(o, "milestone"),
                                                  &ev->u.milestone.milestone) &&
                       proto__get_u32(o, "days", &ev->u.milestone.days)
                   ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    if (proto__room_event_kind_parse(type, &ev->u.room.kind)) {
        ev->type = PROTO_EVT_ROOM;
        return proto__room_event_from_json(o, &ev->u.room) ? PROTO_OK : PROTO_E_INVALID_FIELD;
    }
    return PROTO_E_UNKNOWN_TYPE;
}

/* Frees what parse_msg allocated for m (the queue of a meeting.state, the
 * resources of a safety.notice, safety.check_in or support.update, the signs
 * of a checkin.shared). */
static void release_msg(struct proto_server_msg *m)
{
    if (m->kind != PROTO_MSG_EVENT)
        return;
    if (m->event.type == PROTO_EVT_MEETING_STATE) {
        free((void *)m->event.u.meeting.queue);
        m->event.u.meeting.queue = NULL;
        m->event.u.meeting.n_queue = 0;
    } else if (m->event.type == PROTO_EVT_SAFETY_NOTICE ||
               m->event.type == PROTO_EVT_SAFETY_CHECK_IN) {
        free((void *)m->event.u.safety.resources);
        m->event.u.safety.resources = NULL;
        m->event.u.safety.n = 0;
    } else if (m->event.type == PROTO_EVT_SUPPORT_UPDATE) {
        free((void *)m->event.u.support_update.resources);
        m->event.u.support_update.resources = NULL;
        m->event.u.support_update.n_resources = 0;
    } else if (m->event.type == PROTO_EVT_CHECKIN_SHARED) {
        free((void *)m->event.u.shared.signs);
        m->event.u.shared.signs = NULL;
        m->event.u.shared.n_signs = 0;
    }
}

/* Parses one message, hands it to cb and releases it; PROTO_E_UNKNOWN_TYPE
 * (a message to skip) reads as success. */
static enum proto_err deliver(json_t *o, proto_msg_cb cb, void *ud)
{
    struct proto_server_msg m;
    enum proto_err e = parse_msg(o, &m);

    if (e == PROTO_OK && cb)
        cb(&m, ud);
    release_msg(&m);
    return e == PROTO_E_UNKNOWN_TYPE ? PROTO_OK : e;
}

enum proto_err proto_frame_decode(const char *buf, size_t len, proto_msg_cb cb, void *ud)
{
    json_error_t jerr;
    json_t *root;
    enum proto_err e = PROTO_OK;
    size_t n;

    root = buf ? json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!root)
        return PROTO_E_BAD_JSON;
    if (json_is_object(root)) {
        e = deliver(root, cb, ud);
    } else if (json_is_array(root)) {
        n = json_array_size(root);
        for (size_t i = 0; i < n && e == PROTO_OK; i++)
            e = deliver(json_array_get(root, i), cb, ud);
    } else {
        e = PROTO_E_BAD_JSON;
    }
    json_decref(root);
    return e;
}
