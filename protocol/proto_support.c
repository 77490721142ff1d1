/*
 * proto_support: support requests in the codec (PROTOCOL.md sections 5.62 to
 * 5.70, 6.22 to 6.24 and 22): the support request and support day objects,
 * both ways, and the members of the support.* requests (decoding; the
 * encoder is in proto_request_encode.c). The results and events that carry
 * the objects are in proto_result.c, proto_event.c and proto_frame.c.
 */
#include <stdint.h>
#include <string.h>

#include "hproto.h"
#include "proto_decode.h"
#include "proto_internal.h"

/* json_string() of a possibly NULL string: NULL stays NULL (an error). */
static json_t *str(const char *s)
{
    return s ? json_string(s) : NULL;
}

/* Accepted or closed: someone answered, so the request names its helper. */
static bool answered(enum proto_support_state st)
{
    return st == PROTO_SUPPORT_ACCEPTED || st == PROTO_SUPPORT_CLOSED;
}

bool proto__support_update_resources(const struct proto_support *s)
{
    return s->state == PROTO_SUPPORT_NOBODY_YET || s->urgency == PROTO_URGENCY_CRISIS;
}

/* --------------------------------------------------------------- encoders */

/*
 * {"id","requester","urgency","note"?,"state","created_at","waited_ms",
 * "helper"?,"conversation"?}: the note only when there is one (NULL and ""
 * are none); the helper always, and only, once answered (accepted or
 * closed); the conversation only then, and only when set (the two in it).
 */
json_t *proto__support_to_json(const struct proto_support *s)
{
    json_t *o;
    if (s->id < 1 || s->waited_ms < 0 ||
        (answered(s->state) ? !s->helper : (s->helper || s->conversation)))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "id", json_integer(s->id)) ||
        !proto__set(o, "requester", str(s->requester)) ||
        !proto__set(o, "urgency", str(proto_urgency_name(s->urgency))) ||
        (s->note && *s->note && !proto__set(o, "note", json_string(s->note))) ||
        !proto__set(o, "state", str(proto_support_state_name(s->state))) ||
        !proto__set(o, "created_at", json_integer(s->created_at)) ||
        !proto__set(o, "waited_ms", json_integer(s->waited_ms)) ||
        (s->helper && !proto__set(o, "helper", json_string(s->helper))) ||
        (s->conversation && !proto__set(o, "conversation", json_string(s->conversation)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"request","as"}: an offer as support.status lists it (the support.offer
 * event's members but its type). */
json_t *proto__support_offer_to_json(const struct proto_support_offer *f)
{
    json_t *o = json_object();
    if (!o || !f->as || !proto__set(o, "request", proto__support_to_json(&f->request)) ||
        !proto__set(o, "as", json_string(f->as))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* {"day","requests","answered","median_wait_ms","worst_wait_ms"}: a day in
 * the shape "YYYY-MM-DD", no more answered than asked, no negative wait. */
json_t *proto__support_day_to_json(const struct proto_support_day *d)
{
    json_t *o;
    if (!d->day || !proto__date_ok(d->day, strlen(d->day)) || d->answered > d->requests ||
        d->median_wait_ms < 0 || d->worst_wait_ms < 0)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "day", json_string(d->day)) ||
        !proto__set(o, "requests", json_integer(d->requests)) ||
        !proto__set(o, "answered", json_integer(d->answered)) ||
        !proto__set(o, "median_wait_ms", json_integer(d->median_wait_ms)) ||
        !proto__set(o, "worst_wait_ms", json_integer(d->worst_wait_ms))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* --------------------------------------------------------------- decoders */

bool proto__support_from_json(json_t *o, struct proto_support *s)
{
    const char *urgency, *state;

    memset(s, 0, sizeof *s);
    if (!json_is_object(o) || !proto__get_i64(o, "id", &s->id) || s->id < 1 ||
        !proto__get_str(o, "requester", &s->requester) ||
        !proto__get_str(o, "urgency", &urgency) || !proto_urgency_parse(urgency, &s->urgency) ||
        !proto__get_opt_str(o, "note", &s->note) || !proto__get_str(o, "state", &state) ||
        !proto_support_state_parse(state, &s->state) ||
        !proto__get_i64(o, "created_at", &s->created_at) ||
        !proto__get_i64(o, "waited_ms", &s->waited_ms) || s->waited_ms < 0)
        return false;
    if (s->note && !*s->note)
        s->note = NULL;   /* "" is no note */
    /* Not answered: a stray helper or conversation is dropped. */
    return !answered(s->state) || (proto__get_str(o, "helper", &s->helper) &&
                                   proto__get_opt_str(o, "conversation", &s->conversation));
}

bool proto__support_offer_from_json(json_t *o, struct proto_support_offer *f)
{
    memset(f, 0, sizeof *f);
    return json_is_object(o) &&
           proto__support_from_json(json_object_get(o, "request"), &f->request) &&
           proto__get_str(o, "as", &f->as);
}

bool proto__support_day_from_json(json_t *o, struct proto_support_day *d)
{
    json_t *day = json_object_get(o, "day");

    memset(d, 0, sizeof *d);
    if (!json_is_object(o) || !json_is_string(day) ||
        !proto__date_ok(json_string_value(day), json_string_length(day)) ||
        !proto__get_u32(o, "requests", &d->requests) ||
        !proto__get_u32(o, "answered", &d->answered) || d->answered > d->requests ||
        !proto__get_i64(o, "median_wait_ms", &d->median_wait_ms) || d->median_wait_ms < 0 ||
        !proto__get_i64(o, "worst_wait_ms", &d->worst_wait_ms) || d->worst_wait_ms < 0)
        return false;
    d->day = json_string_value(day);
    return true;
}

/* --------------------------------------------------------------- requests */

/*
 * The members of each support request, in the order of PROTOCOL.md: a
 * request's number is "request" ("id" is the request's own id), and the
 * requester's thanks go with support.close only: beside another request
 * they are refused, so that no words meant for a helper are silently lost.
 */
enum proto_err proto__support_request_decode(struct dec *d)
{
    struct proto_request *r = d->out;
    const char *s;

    switch (r->type) {
    case PROTO_REQ_SUPPORT_ASK:
        TRY(get_bytes(d, "urgency", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "", &s));
        if (!proto_urgency_parse(s, &r->u.ask.urgency))
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'urgency' must be \"talk\", \"craving\" or \"crisis\".");
        TRY(get_words(d, "note", PROTO_NOTE_MAX, &r->u.ask.note));
        return get_bytes(d, "cid", false, 1, PROTO_CID_MAX, PROTO_E_INVALID_FIELD,
                         "Field '%s' must be between 1 and 64 bytes.", &r->u.ask.cid);
    case PROTO_REQ_SUPPORT_CANCEL:
    case PROTO_REQ_SUPPORT_ACCEPT:
    case PROTO_REQ_SUPPORT_HANDBACK:
        TRY(get_number(d, "request", &r->u.support.request));
        if (field(d, "thanks"))
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'thanks' is only allowed with support.close.");
        return PROTO_OK;
    case PROTO_REQ_SUPPORT_CLOSE:
        TRY(get_number(d, "request", &r->u.support.request));
        return get_words(d, "thanks", PROTO_NOTE_MAX, &r->u.support.thanks);
    case PROTO_REQ_SUPPORT_AVAILABLE:
        return get_flag(d, "on", true, NULL, &r->u.available.on);
    case PROTO_REQ_SUPPORT_STATS:
        return get_range_or(d, "days", 1, SUPPORT_DAYS_MAX, SUPPORT_DAYS_DEFAULT,
                            &r->u.stats.days);
    case PROTO_REQ_SUPPORT_QUEUE:
    case PROTO_REQ_SUPPORT_STATUS:
        return PROTO_OK;
    default:
        break;
    }
    return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
}
