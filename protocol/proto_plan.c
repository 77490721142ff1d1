/*
 * proto_plan: the crisis card, the trigger action plan and clean time in the
 * codec (PROTOCOL.md sections 5.79 to 5.84, 6.27 and 23): the contact, card,
 * plan, milestone, sobriety and past period objects, both ways; the members
 * of the card.*, plan.* and sobriety.* requests, both ways; and their
 * results. checkin.submit's result carries the plan and the card too
 * (proto_checkin.c); the milestone event is in proto_event.c and
 * proto_frame.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hproto.h"
#include "proto_decode.h"
#include "proto_internal.h"

/* --------------------------------------------------------------- encoders */

/* {"name","phone","note"?}: the note only when there is one ("" is none). */
static json_t *contact_to_json(const struct proto_contact *c)
{
    json_t *o = json_object();
    if (!o || !c->name || !*c->name || !c->phone || !*c->phone ||
        !proto__set(o, "name", json_string(c->name)) ||
        !proto__set(o, "phone", json_string(c->phone)) ||
        (c->note && *c->note && !proto__set(o, "note", json_string(c->note)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *line_to_json(const struct proto_plan_line *l)
{
    json_t *o = json_object();
    if (!o || !l->when || !*l->when || !l->then || !*l->then ||
        !proto__set(o, "when", json_string(l->when)) ||
        !proto__set(o, "then", json_string(l->then))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *contact_one(const void *p) { return contact_to_json(p); }
static json_t *line_one(const void *p) { return line_to_json(p); }

/* Every reason 1 character or more (an empty one is no reason). */
static bool reasons_ok(const char *const *v, size_t n)
{
    if (n > PROTO_PLAN_LINES_MAX || (n && !v))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!v[i] || !*v[i])
            return false;
    return true;
}

json_t *proto__card_to_json(const struct proto_contact *contacts, size_t n,
                            const char *const *resources, size_t n_resources)
{
    json_t *o;
    if (n > PROTO_CARD_CONTACTS_MAX)
        return NULL;
    o = json_object();
    if (!o ||
        !proto__set(o, "contacts", proto__array_of(contacts, n, sizeof *contacts, contact_one)) ||
        !proto__set(o, "resources", proto__strings_to_json(resources, n_resources))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__plan_to_json(const struct proto_plan_line *lines, size_t n,
                            const char *const *reasons, size_t n_reasons)
{
    json_t *o;
    if (n > PROTO_PLAN_LINES_MAX || !reasons_ok(reasons, n_reasons))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "lines", proto__array_of(lines, n, sizeof *lines, line_one)) ||
        !proto__set(o, "reasons", proto__strings_to_json(reasons, n_reasons))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *proto__milestone_to_json(const struct proto_milestone *m)
{
    json_t *o;
    if (!m->key || !*m->key || !m->label || !*m->label || !proto__day_ok(m->date))
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "key", json_string(m->key)) ||
        !proto__set(o, "label", json_string(m->label)) ||
        !proto__set(o, "date", json_string(m->date))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *milestone_one(const void *p) { return proto__milestone_to_json(p); }

/* {"from","to","days"}: two dates, the first not after the second. */
static json_t *period_to_json(const struct proto_sobriety_period *p)
{
    json_t *o;
    if (!proto__day_ok(p->from) || !proto__day_ok(p->to) || strcmp(p->from, p->to) > 0)
        return NULL;
    o = json_object();
    if (!o || !proto__set(o, "from", json_string(p->from)) ||
        !proto__set(o, "to", json_string(p->to)) ||
        !proto__set(o, "days", json_integer(p->days))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *period_one(const void *p) { return period_to_json(p); }

/*
 * {"handle"?,"date"?,"days","next"?,"reached","history"?}: the handle when
 * it is someone else's; without a date (not counting) no days, next or
 * reached milestone; the history only when there is some.
 */
static json_t *sobriety_to_json(const struct proto_result *res)
{
    const struct proto_milestone *reached = res->u.sobriety.reached;
    const struct proto_sobriety_period *history = res->u.sobriety.history;
    const char *date = res->u.sobriety.date;
    size_t n_reached = res->u.sobriety.n_reached, n_history = res->u.sobriety.n_history;
    json_t *o;

    if (date ? !proto__day_ok(date)
             : (res->u.sobriety.days || res->u.sobriety.has_next || n_reached))
        return NULL;
    o = json_object();
    if (!o ||
        (res->u.sobriety.handle && !proto__set(o, "handle", json_string(res->u.sobriety.handle))) ||
        (date && !proto__set(o, "date", json_string(date))) ||
        !proto__set(o, "days", json_integer(res->u.sobriety.days)) ||
        (res->u.sobriety.has_next &&
         !proto__set(o, "next", proto__milestone_to_json(&res->u.sobriety.next))) ||
        !proto__set(o, "reached", proto__array_of(reached, n_reached, sizeof *reached,
                                                  milestone_one)) ||
        (n_history && !proto__set(o, "history", proto__array_of(history, n_history,
                                                                sizeof *history, period_one)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* --------------------------------------------------------------- decoders */

/* A string that holds at least one character. */
static bool get_text(json_t *o, const char *key, const char **out)
{
    return proto__get_str(o, key, out) && **out;
}

static bool contact_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_contact *c = item;
    (void)p;
    if (!json_is_object(o) || !get_text(o, "name", &c->name) ||
        !get_text(o, "phone", &c->phone) || !proto__get_opt_str(o, "note", &c->note))
        return false;
    if (c->note && !*c->note)
        c->note = NULL;   /* "" is no note */
    return true;
}

static bool line_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_plan_line *l = item;
    (void)p;
    return json_is_object(o) && get_text(o, "when", &l->when) && get_text(o, "then", &l->then);
}

size_t proto__card_pool_size(json_t *o)
{
    return proto__pool_size(json_array_size(json_object_get(o, "contacts")),
                            sizeof(struct proto_contact)) +
           proto__pool_size(json_array_size(json_object_get(o, "resources")), sizeof(char *));
}

size_t proto__plan_pool_size(json_t *o)
{
    return proto__pool_size(json_array_size(json_object_get(o, "lines")),
                            sizeof(struct proto_plan_line)) +
           proto__pool_size(json_array_size(json_object_get(o, "reasons")), sizeof(char *));
}

bool proto__card_from_json(json_t *o, struct proto__pool *p, struct proto_contact **contacts,
                           size_t *n, const char ***resources, size_t *n_resources)
{
    void *items = NULL;
    bool ok = json_is_object(o) &&
              json_array_size(json_object_get(o, "contacts")) <= PROTO_CARD_CONTACTS_MAX &&
              proto__pool_array(json_object_get(o, "contacts"), sizeof **contacts, contact_from, p,
                                &items, n) &&
              proto__pool_strings(json_object_get(o, "resources"), p, resources, n_resources);
    *contacts = items;
    return ok;
}

bool proto__plan_from_json(json_t *o, struct proto__pool *p, struct proto_plan_line **lines,
                           size_t *n, const char ***reasons, size_t *n_reasons)
{
    void *items = NULL;
    bool ok = json_is_object(o) &&
              json_array_size(json_object_get(o, "lines")) <= PROTO_PLAN_LINES_MAX &&
              proto__pool_array(json_object_get(o, "lines"), sizeof **lines, line_from, p, &items,
                                n) &&
              proto__pool_strings(json_object_get(o, "reasons"), p, reasons, n_reasons) &&
              reasons_ok(*reasons, *n_reasons);
    *lines = items;
    return ok;
}

bool proto__milestone_from_json(json_t *o, struct proto_milestone *m)
{
    memset(m, 0, sizeof *m);
    return json_is_object(o) && get_text(o, "key", &m->key) &&
           get_text(o, "label", &m->label) && proto__get_day(o, "date", &m->date);
}

static bool milestone_from(json_t *o, void *item, struct proto__pool *p)
{
    (void)p;
    return proto__milestone_from_json(o, item);
}

static bool period_from(json_t *o, void *item, struct proto__pool *p)
{
    struct proto_sobriety_period *q = item;
    (void)p;
    return json_is_object(o) && proto__get_day(o, "from", &q->from) &&
           proto__get_day(o, "to", &q->to) && strcmp(q->from, q->to) <= 0 &&
           proto__get_u32(o, "days", &q->days);
}

/* Absent and null read alike. */
static json_t *member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_null(v) ? NULL : v;
}

/* The sobriety object: days and reached always; without a date, days 0 and
 * no milestone; history absent (or null) when there is none. */
static enum proto_err sobriety_from(json_t *o, struct proto_result *out)
{
    json_t *date = member(o, "date"), *next = member(o, "next"), *reached, *history;
    struct proto__pool p;
    void *items;
    bool ok;

    if (!json_is_object(o) || !proto__get_opt_str(o, "handle", &out->u.sobriety.handle) ||
        (date && !proto__get_day(o, "date", &out->u.sobriety.date)) ||
        !proto__get_u32(o, "days", &out->u.sobriety.days))
        return PROTO_E_INVALID_FIELD;
    reached = json_object_get(o, "reached");
    history = member(o, "history");
    if (!date && (out->u.sobriety.days || next || json_array_size(reached)))
        return PROTO_E_INVALID_FIELD;
    out->u.sobriety.has_next = next != NULL;
    if (next && !proto__milestone_from_json(next, &out->u.sobriety.next))
        return PROTO_E_INVALID_FIELD;
    out->_alloc = proto__pool_open(
        &p, proto__pool_size(json_array_size(reached), sizeof *out->u.sobriety.reached) +
                proto__pool_size(json_array_size(history), sizeof *out->u.sobriety.history),
        &ok);
    if (!ok)
        return PROTO_E_INTERNAL;
    if (!proto__pool_array(reached, sizeof *out->u.sobriety.reached, milestone_from, &p, &items,
                           &out->u.sobriety.n_reached))
        return PROTO_E_INVALID_FIELD;
    out->u.sobriety.reached = items;
    if (history && !proto__pool_array(history, sizeof *out->u.sobriety.history, period_from, &p,
                                      &items, &out->u.sobriety.n_history))
        return PROTO_E_INVALID_FIELD;
    out->u.sobriety.history = history ? items : NULL;
    return PROTO_OK;
}

/* --------------------------------------------------------------- requests */

#define TEXT_MSG "Field '%s' must be between 1 and 300 characters."
#define CONTACTS_MSG \
    "Field 'contacts' must be an array of at most 20 contacts {\"name\",\"phone\",\"note\"}."
#define LINES_MSG "Field 'lines' must be an array of at most 50 lines {\"when\",\"then\"}."
#define REASONS_MSG "Field 'reasons' must be an array of at most 50 strings."
#define REASON_MSG "Field 'reasons' must hold strings of 1 to 300 characters."

static enum proto_err get_contact(struct dec *d, void *out)
{
    struct proto_contact *c = out;
    TRY(get_chars(d, "name", true, 1, PROTO_PLAN_TEXT_MAX, TEXT_MSG, &c->name));
    TRY(get_chars(d, "phone", true, 1, PROTO_PLAN_TEXT_MAX, TEXT_MSG, &c->phone));
    TRY(get_chars(d, "note", false, 0, PROTO_PLAN_TEXT_MAX,
                  "Field '%s' must be at most 300 characters.", &c->note));
    if (c->note && !*c->note)
        c->note = NULL;   /* "" is no note */
    return PROTO_OK;
}

static enum proto_err get_line(struct dec *d, void *out)
{
    struct proto_plan_line *l = out;
    TRY(get_chars(d, "when", true, 1, PROTO_PLAN_TEXT_MAX, TEXT_MSG, &l->when));
    return get_chars(d, "then", true, 1, PROTO_PLAN_TEXT_MAX, TEXT_MSG, &l->then);
}

/* A required array of at most `max` items, or the message `msg`. */
static enum proto_err get_array(struct dec *d, const char *key, size_t max, const char *msg,
                                json_t **out)
{
    *out = field(d, key);
    if (!*out)
        return fail(d, PROTO_E_INVALID_FIELD, "Field '%s' is required.", key);
    if (!json_is_array(*out) || json_array_size(*out) > max)
        return fail(d, PROTO_E_INVALID_FIELD, "%s", msg);
    return PROTO_OK;
}

/* Each item of the array `a` is an object whose members get() reads with
 * the request's own readers into items[i] (of `size` bytes); an error names
 * the item, counted from 1. */
static enum proto_err each_object(struct dec *d, json_t *a, const char *what, const char *msg,
                                  enum proto_err (*get)(struct dec *item, void *out),
                                  void *items, size_t size)
{
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *o = json_array_get(a, i);
        struct dec item = {.root = o, .out = d->out, .err = d->err};
        if (!json_is_object(o))
            return fail(d, PROTO_E_INVALID_FIELD, "%s", msg);
        TRY(in_item(d, what, i, get(&item, (char *)items + i * size)));
    }
    return PROTO_OK;
}

/* card.set: the contacts, calloc'd into out->_alloc (NULL when none). */
static enum proto_err get_card(struct dec *d)
{
    struct proto_request *r = d->out;
    json_t *a;

    TRY(get_array(d, "contacts", PROTO_CARD_CONTACTS_MAX, CONTACTS_MSG, &a));
    if (json_array_size(a) == 0)
        return PROTO_OK;
    r->u.card.contacts = r->_alloc = calloc(json_array_size(a), sizeof *r->u.card.contacts);
    if (!r->_alloc)
        return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
    r->u.card.n = json_array_size(a);
    return each_object(d, a, "contact", CONTACTS_MSG, get_contact, r->u.card.contacts,
                       sizeof *r->u.card.contacts);
}

/* plan.set: the lines, then the reasons, both required (may be []), in one
 * block in out->_alloc. */
static enum proto_err get_plan(struct dec *d)
{
    struct proto_request *r = d->out;
    struct proto__pool p;
    json_t *lines, *reasons;
    bool ok;

    TRY(get_array(d, "lines", PROTO_PLAN_LINES_MAX, LINES_MSG, &lines));
    TRY(get_array(d, "reasons", PROTO_PLAN_LINES_MAX, REASONS_MSG, &reasons));
    r->_alloc = proto__pool_open(
        &p, proto__pool_size(json_array_size(lines), sizeof *r->u.plan.lines) +
                proto__pool_size(json_array_size(reasons), sizeof *r->u.plan.reasons),
        &ok);
    if (!ok)
        return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
    r->u.plan.n = json_array_size(lines);
    r->u.plan.lines = proto__pool_take(&p, r->u.plan.n, sizeof *r->u.plan.lines);
    TRY(each_object(d, lines, "line", LINES_MSG, get_line, r->u.plan.lines,
                    sizeof *r->u.plan.lines));
    r->u.plan.n_reasons = json_array_size(reasons);
    r->u.plan.reasons = proto__pool_take(&p, r->u.plan.n_reasons, sizeof *r->u.plan.reasons);
    for (size_t i = 0; i < r->u.plan.n_reasons; i++) {
        const char *s = json_string_value(json_array_get(reasons, i));
        long n = s ? proto_utf8_chars(s, strlen(s)) : 0;
        if (n < 1 || n > PROTO_PLAN_TEXT_MAX)
            return in_item(d, "reason", i, fail(d, PROTO_E_INVALID_FIELD, REASON_MSG));
        r->u.plan.reasons[i] = s;
    }
    return PROTO_OK;
}

/* sobriety.set: date is required, and null is a value (stop counting). */
static enum proto_err get_sobriety(struct dec *d)
{
    json_t *v = json_object_get(d->root, "date");
    if (!v)
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'date' is required: a date \"YYYY-MM-DD\", or null to stop counting.");
    return json_is_null(v) ? PROTO_OK : get_day(d, "date", true, &d->out->u.sobriety.date);
}

enum proto_err proto__plan_request_decode(struct dec *d)
{
    switch (d->out->type) {
    case PROTO_REQ_CARD_SET:
        return get_card(d);
    case PROTO_REQ_PLAN_SET:
        return get_plan(d);
    case PROTO_REQ_SOBRIETY_SET:
        return get_sobriety(d);
    case PROTO_REQ_SOBRIETY_GET:
        /* A handle is a name like any other (slot 1). */
        return get_name_in(d, "handle", false, true, 1, &d->out->u.of.handle);
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_PLAN_GET:
        return PROTO_OK;
    default:
        break;
    }
    return fail(d, PROTO_E_INTERNAL, "%s", proto_err_sentence(PROTO_E_INTERNAL));
}

bool proto__plan_request_encode(json_t *o, const struct proto_request *r)
{
    const char *date = r->u.sobriety.date;
    json_t *v;
    bool ok;

    switch (r->type) {
    case PROTO_REQ_CARD_SET:
        return r->u.card.n <= PROTO_CARD_CONTACTS_MAX &&
               proto__set(o, "contacts", proto__array_of(r->u.card.contacts, r->u.card.n,
                                                         sizeof *r->u.card.contacts,
                                                         contact_one));
    case PROTO_REQ_PLAN_SET:
        /* The members of a plan object, beside type and id. */
        v = proto__plan_to_json(r->u.plan.lines, r->u.plan.n, r->u.plan.reasons,
                                r->u.plan.n_reasons);
        ok = v && json_object_update(o, v) == 0;
        json_decref(v);
        return ok;
    case PROTO_REQ_SOBRIETY_SET:
        /* No date: null, stop counting. */
        return (!date || proto__day_ok(date)) &&
               proto__set(o, "date", date ? json_string(date) : json_null());
    case PROTO_REQ_SOBRIETY_GET:
        return !r->u.of.handle || proto__set(o, "handle", json_string(r->u.of.handle));
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_PLAN_GET:
        return true;
    default:
        return false;
    }
}

/* ---------------------------------------------------------------- results */

bool proto__plan_result_encode(json_t *d, const struct proto_result *res)
{
    switch (res->type) {
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
        return proto__set(d, "card", proto__card_to_json(res->u.card.contacts, res->u.card.n,
                                                         res->u.card.resources,
                                                         res->u.card.n_resources));
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
        return proto__set(d, "plan", proto__plan_to_json(res->u.plan.lines, res->u.plan.n,
                                                         res->u.plan.reasons,
                                                         res->u.plan.n_reasons));
    case PROTO_REQ_SOBRIETY_GET:
    case PROTO_REQ_SOBRIETY_SET:
        return proto__set(d, "sobriety", sobriety_to_json(res));
    default:
        return false;
    }
}

enum proto_err proto__plan_result_decode(json_t *d, struct proto_result *out)
{
    json_t *o;
    struct proto__pool p;
    bool ok;

    switch (out->type) {
    case PROTO_REQ_CARD_GET:
    case PROTO_REQ_CARD_SET:
        o = json_object_get(d, "card");
        out->_alloc = proto__pool_open(&p, proto__card_pool_size(o), &ok);
        return !ok ? PROTO_E_INTERNAL
                   : FIELD_OK(proto__card_from_json(o, &p, &out->u.card.contacts, &out->u.card.n,
                                                    &out->u.card.resources,
                                                    &out->u.card.n_resources));
    case PROTO_REQ_PLAN_GET:
    case PROTO_REQ_PLAN_SET:
        o = json_object_get(d, "plan");
        out->_alloc = proto__pool_open(&p, proto__plan_pool_size(o), &ok);
        return !ok ? PROTO_E_INTERNAL
                   : FIELD_OK(proto__plan_from_json(o, &p, &out->u.plan.lines, &out->u.plan.n,
                                                    &out->u.plan.reasons,
                                                    &out->u.plan.n_reasons));
    case PROTO_REQ_SOBRIETY_GET:
    case PROTO_REQ_SOBRIETY_SET:
        return sobriety_from(json_object_get(d, "sobriety"), out);
    default:
        return PROTO_E_INTERNAL;
    }
}
