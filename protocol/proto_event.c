/*
 * proto_event: messages the server sends without being asked (hello, room
 * events, presence, session.revoked, meeting, room-role, moderation, report,
 * safety, buddy, ping, matching, support, check-in, milestone and receipt
 * events) and error replies.
 */
#include <limits.h>
#include <string.h>

#include "hproto.h"
#include "proto_internal.h"

static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

/* Integers on the wire fit in int64 (jansson's json_int_t). */
static json_t *u64(uint64_t v)
{
    return v > (uint64_t)LLONG_MAX ? NULL : json_integer((json_int_t)v);
}

static json_t *limits_to_json(const struct proto_limits *l)
{
    json_t *o = json_object();
    if (!o || !proto__set(o, "max_frame_bytes", json_integer(l->max_frame_bytes)) ||
        !proto__set(o, "max_text_chars", json_integer(l->max_text_chars)) ||
        !proto__set(o, "history_page_max", json_integer(l->history_page_max)) ||
        !proto__set(o, "rate_per_sec", json_integer(l->rate_per_sec)) ||
        !proto__set(o, "rate_burst", json_integer(l->rate_burst)) ||
        !proto__set(o, "auth_timeout_ms", json_integer(l->auth_timeout_ms))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * support.update's members: the request; the crisis resources always with
 * nobody_yet ([] when the deployment lists none), else when some are given,
 * and only for a crisis; thanks only with closed; by when said.
 */
static bool support_update_to_json(json_t *o, const struct proto_event *ev)
{
    const struct proto_support *q = &ev->u.support_update.request;
    const char *thanks = ev->u.support_update.thanks, *by = ev->u.support_update.by;
    size_t n = ev->u.support_update.n_resources;

    if ((n && !proto__support_update_resources(q)) || (thanks && q->state != PROTO_SUPPORT_CLOSED))
        return false;
    return proto__set(o, "type", json_string("support.update")) &&
           proto__set(o, "request", proto__support_to_json(q)) &&
           ((q->state != PROTO_SUPPORT_NOBODY_YET && !n) ||
            proto__set(o, "resources",
                       proto__strings_to_json(ev->u.support_update.resources, n))) &&
           (!thanks || proto__set(o, "thanks", json_string(thanks))) &&
           (!by || proto__set(o, "by", json_string(by)));
}

static json_t *event_to_json(const struct proto_event *ev)
{
    json_t *o;

    if (ev->type == PROTO_EVT_ROOM)
        return proto__room_event_to_json(&ev->u.room);
    o = json_object();
    if (!o)
        return NULL;
    switch (ev->type) {
    case PROTO_EVT_HELLO:
        if (proto__set(o, "type", json_string("hello")) &&
            proto__set(o, "protocol", json_integer(ev->u.hello.protocol)) &&
            proto__set(o, "server", str(ev->u.hello.server)) &&
            proto__set(o, "limits", limits_to_json(&ev->u.hello.limits)))
            return o;
        break;
    case PROTO_EVT_PRESENCE:
        if (proto__set(o, "type", json_string("presence")) &&
            proto__set(o, "handle", str(ev->u.presence.handle)) &&
            proto__set(o, "status", str(proto_status_name(ev->u.presence.status))))
            return o;
        break;
    case PROTO_EVT_SESSION_REVOKED:
        if (proto__set(o, "type", json_string("session.revoked")) &&
            proto__set(o, "reason", str(ev->u.revoked.reason)))
            return o;
        break;
    case PROTO_EVT_MEETING_STATE:
        if (proto__set(o, "type", json_string("meeting.state")) &&
            proto__set(o, "meeting", proto__meeting_to_json(&ev->u.meeting)))
            return o;
        break;
    case PROTO_EVT_MEETING_OPENED:
        /* A room without a format text sends "". */
        if (proto__set(o, "type", json_string("meeting.opened")) &&
            proto__set(o, "room", str(ev->u.opened.room)) &&
            proto__set(o, "chair", ev->u.opened.chair ? json_string(ev->u.opened.chair)
                                                      : json_null()) &&
            proto__set(o, "format", str(ev->u.opened.format ? ev->u.opened.format : "")))
            return o;
        break;
    case PROTO_EVT_MEETING_WARNING:
        if (proto__set(o, "type", json_string("meeting.warning")) &&
            proto__set(o, "room", str(ev->u.warning.room)) &&
            proto__set(o, "handle", str(ev->u.warning.handle)) &&
            proto__set(o, "seconds_left", json_integer(ev->u.warning.seconds_left)))
            return o;
        break;
    case PROTO_EVT_ROOM_ROLE:
        if (proto__set(o, "type", json_string("room.role")) &&
            proto__set(o, "room", str(ev->u.role.room)) &&
            proto__set(o, "handle", str(ev->u.role.handle)) &&
            proto__set(o, "role", str(proto_room_role_name(ev->u.role.role))))
            return o;
        break;
    case PROTO_EVT_MODERATED:
        /* room null for a server-wide suspension; until null when there is no end. */
        if (proto__set(o, "type", json_string("moderated")) &&
            proto__set(o, "room", ev->u.moderated.room ? json_string(ev->u.moderated.room)
                                                       : json_null()) &&
            proto__set(o, "action", str(ev->u.moderated.action)) &&
            proto__set(o, "until", proto__time_or_null(ev->u.moderated.until)) &&
            proto__set(o, "reason", str(ev->u.moderated.reason ? ev->u.moderated.reason : "")))
            return o;
        break;
    case PROTO_EVT_ROOM_SETTINGS:
        if (proto__set(o, "type", json_string("room.settings")) &&
            proto__set(o, "room", str(ev->u.settings.room)) &&
            proto__set(o, "settings", proto__mod_settings_to_json(&ev->u.settings.settings)))
            return o;
        break;
    case PROTO_EVT_REPORT_NEW:
        if (proto__set(o, "type", json_string("report.new")) &&
            proto__set(o, "report", proto__report_to_json(&ev->u.report_new)))
            return o;
        break;
    case PROTO_EVT_REPORT_HANDLED:
        /* Never the moderator's name or note: the number and the outcome only. */
        if (ev->u.handled.id >= 1 && proto__set(o, "type", json_string("report.handled")) &&
            proto__set(o, "id", json_integer(ev->u.handled.id)) &&
            proto__set(o, "outcome", str(ev->u.handled.outcome)))
            return o;
        break;
    case PROTO_EVT_SAFETY_NOTICE:
        /* No room and no seq: it is about the person, not a message. */
        if (proto__set(o, "type", json_string("safety.notice")) &&
            proto__set(o, "text", str(ev->u.safety.text)) &&
            proto__set(o, "resources",
                       proto__strings_to_json(ev->u.safety.resources, ev->u.safety.n)))
            return o;
        break;
    case PROTO_EVT_SAFETY_CHECK_IN:
        /* The room and seq of the message that prompted it. */
        if (ev->u.safety.seq != 0 && proto__set(o, "type", json_string("safety.check_in")) &&
            proto__set(o, "text", str(ev->u.safety.text)) &&
            proto__set(o, "resources",
                       proto__strings_to_json(ev->u.safety.resources, ev->u.safety.n)) &&
            proto__set(o, "room", str(ev->u.safety.room)) &&
            proto__set(o, "seq", u64(ev->u.safety.seq)))
            return o;
        break;
    case PROTO_EVT_SAFETY_ALERT:
        if (ev->u.alert.seq != 0 && proto__set(o, "type", json_string("safety.alert")) &&
            proto__set(o, "room", str(ev->u.alert.room)) &&
            proto__set(o, "handle", str(ev->u.alert.handle)) &&
            proto__set(o, "seq", u64(ev->u.alert.seq)))
            return o;
        break;
    case PROTO_EVT_BUDDY_REQUEST:
        if (proto__set(o, "type", json_string("buddy.request")) &&
            proto__merge(o, proto__buddy_request_to_json(&ev->u.buddy_request)))
            return o;
        break;
    case PROTO_EVT_BUDDY_UPDATE:
        /* "paired" carries the buddy object's members; any other state the handle only. */
        if (proto__set(o, "type", json_string("buddy.update")) &&
            proto__set(o, "state", str(ev->u.buddy_update.state)) &&
            (strcmp(ev->u.buddy_update.state, "paired") == 0
                 ? proto__merge(o, proto__buddy_to_json(&ev->u.buddy_update.buddy))
                 : proto__set(o, "handle", str(ev->u.buddy_update.buddy.handle))))
            return o;
        break;
    case PROTO_EVT_BUDDY_PING:
        if (proto__set(o, "type", json_string("buddy.ping")) &&
            proto__set(o, "ping", proto__ping_to_json(&ev->u.ping)))
            return o;
        break;
    case PROTO_EVT_PING_STATUS:
        if (ev->u.ping_status.id >= 1 && proto__set(o, "type", json_string("buddy.ping_status")) &&
            proto__set(o, "id", json_integer(ev->u.ping_status.id)) &&
            proto__set(o, "to", str(ev->u.ping_status.to)) &&
            proto__set(o, "state", str(ev->u.ping_status.state)) &&
            proto__set(o, "at", json_integer(ev->u.ping_status.at)))
            return o;
        break;
    case PROTO_EVT_MATCH_PROPOSAL:
        if (proto__set(o, "type", json_string("match.proposal")) &&
            proto__merge(o, proto__proposal_to_json(&ev->u.proposal)))
            return o;
        break;
    case PROTO_EVT_MATCH_UPDATE:
        if (ev->u.match_update.id >= 1 && proto__set(o, "type", json_string("match.update")) &&
            proto__set(o, "id", json_integer(ev->u.match_update.id)) &&
            proto__set(o, "state", str(ev->u.match_update.state)))
            return o;
        break;
    case PROTO_EVT_SUPPORT_OFFER:
        if (proto__set(o, "type", json_string("support.offer")) &&
            proto__set(o, "request", proto__support_to_json(&ev->u.offer.request)) &&
            proto__set(o, "as", str(ev->u.offer.as)))
            return o;
        break;
    case PROTO_EVT_SUPPORT_GONE:
        if (ev->u.gone.id >= 1 && proto__set(o, "type", json_string("support.gone")) &&
            proto__set(o, "id", json_integer(ev->u.gone.id)) &&
            proto__set(o, "reason", str(ev->u.gone.reason)))
            return o;
        break;
    case PROTO_EVT_SUPPORT_UPDATE:
        if (support_update_to_json(o, ev))
            return o;
        break;
    case PROTO_EVT_CHECKIN_SHARED:
        /* As buddies see it: whose, and never the note. */
        if (proto__set(o, "type", json_string("checkin.shared")) &&
            proto__set(o, "checkin", proto__checkin_to_json(&ev->u.shared, true)))
            return o;
        break;
    case PROTO_EVT_CHECKIN_ALERT:
        /* How many signs, never which. */
        if (ev->u.checkin_alert.signs >= 1 && proto__day_ok(ev->u.checkin_alert.day) &&
            proto__set(o, "type", json_string("checkin.alert")) &&
            proto__set(o, "handle", str(ev->u.checkin_alert.handle)) &&
            proto__set(o, "day", json_string(ev->u.checkin_alert.day)) &&
            proto__set(o, "signs", json_integer(ev->u.checkin_alert.signs)))
            return o;
        break;
    case PROTO_EVT_CHECKIN_NUDGE:
        if (ev->u.nudge.days >= 1 && proto__set(o, "type", json_string("checkin.nudge")) &&
            proto__set(o, "handle", str(ev->u.nudge.handle)) &&
            proto__set(o, "days", json_integer(ev->u.nudge.days)))
            return o;
        break;
    case PROTO_EVT_CHECKIN_REMINDER:
        if (ev->u.reminder.days >= 1 && proto__set(o, "type", json_string("checkin.reminder")) &&
            proto__set(o, "days", json_integer(ev->u.reminder.days)))
            return o;
        break;
    case PROTO_EVT_ROOM_RECEIPT:
        /* Only about a conversation; what was seen was delivered first. */
        if (proto_is_conversation_name(ev->u.receipt.room) &&
            ev->u.receipt.seen <= ev->u.receipt.delivered &&
            proto__set(o, "type", json_string("room.receipt")) &&
            proto__set(o, "room", json_string(ev->u.receipt.room)) &&
            proto__set(o, "handle", str(ev->u.receipt.handle)) &&
            proto__set(o, "delivered", u64(ev->u.receipt.delivered)) &&
            proto__set(o, "seen", u64(ev->u.receipt.seen)))
            return o;
        break;
    case PROTO_EVT_MILESTONE:
        if (proto__set(o, "type", json_string("milestone")) &&
            proto__set(o, "handle", str(ev->u.milestone.handle)) &&
            proto__set(o, "milestone", proto__milestone_to_json(&ev->u.milestone.milestone)) &&
            proto__set(o, "days", json_integer(ev->u.milestone.days)))
            return o;
        break;
    case PROTO_EVT_ROOM:        /* handled above */
    case PROTO_EVT__COUNT:
        break;
    }
    json_decref(o);
    return NULL;
}

char *proto_event_encode(const struct proto_event *ev)
{
    return ev ? proto__dump_and_free(event_to_json(ev)) : NULL;
}

char *proto_error_encode(const char *id, enum proto_err code, const char *message,
                         int64_t retry_after_ms)
{
    json_t *o = json_object(), *msg = NULL;

    if (!o)
        return NULL;
    /* "" is what proto_decode_error.id holds when no id could be read. */
    if (!proto__set(o, "type", json_string("error")) ||
        !proto__set(o, "id", (id && *id) ? json_string(id) : json_null()) ||
        !proto__set(o, "code", json_string(proto_err_code(code))))
        goto err;
    /* A caller's sentence that is not valid UTF-8 falls back to the default. */
    if (message)
        msg = json_string(message);
    if (!msg)
        msg = json_string(proto_err_sentence(code));
    if (!proto__set(o, "message", msg))
        goto err;
    if (retry_after_ms >= 0 && !proto__set(o, "retry_after_ms", json_integer(retry_after_ms)))
        goto err;
    return proto__dump_and_free(o);
err:
    json_decref(o);
    return NULL;
}
