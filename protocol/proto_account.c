/* Your data on the wire: account.export (the document in parts) and
 * account.delete (confirmed with the password). */
#include <string.h>

#include "proto_decode.h"
#include "proto_internal.h"

/* An export id: 1..64 lowercase hex characters (the server makes them). */
static bool export_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > PROTO_EXPORT_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

enum proto_err proto__account_request_decode(struct dec *d)
{
    struct proto_request *r = d->out;
    if (r->type == PROTO_REQ_ACCOUNT_DELETE) {
        TRY(get_bytes(d, "password", true, 1, PROTO_PASSWORD_MAX, PROTO_E_INVALID_FIELD,
                      "Field '%s' must be between 1 and 256 bytes.", &r->u.del.password));
        TRY(get_bytes(d, "confirm", true, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "",
                      &r->u.del.confirm));
        if (strcmp(r->u.del.confirm, PROTO_DELETE_CONFIRM) != 0)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'confirm' must be exactly \"" PROTO_DELETE_CONFIRM "\".");
        return PROTO_OK;
    }
    bool has_part = false;
    int64_t part = 0;
    TRY(get_bytes(d, "export", false, 0, SIZE_MAX, PROTO_E_INVALID_FIELD, "",
                  &r->u.export.export_id));
    if (r->u.export.export_id && !export_id_ok(r->u.export.export_id))
        return fail(d, PROTO_E_INVALID_FIELD,
                    "Field 'export' must be the id an earlier account.export gave.");
    json_t *v = field(d, "part");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
            return fail(d, PROTO_E_INVALID_FIELD,
                        "Field 'part' must be an integer between 0 and 100000.");
        has_part = true;
        part = json_integer_value(v);
    }
    if (has_part && !r->u.export.export_id)
        return fail(d, PROTO_E_INVALID_FIELD, "Field 'part' needs the field 'export'.");
    r->u.export.part = (uint32_t)part;
    return PROTO_OK;
}

bool proto__account_request_encode(json_t *o, const struct proto_request *r)
{
    if (r->type == PROTO_REQ_ACCOUNT_DELETE)
        return r->u.del.password && r->u.del.confirm &&
               proto__set(o, "password", json_string(r->u.del.password)) &&
               proto__set(o, "confirm", json_string(r->u.del.confirm));
    if (!r->u.export.export_id)
        return r->u.export.part == 0;
    return export_id_ok(r->u.export.export_id) &&
           proto__set(o, "export", json_string(r->u.export.export_id)) &&
           proto__set(o, "part", json_integer(r->u.export.part));
}

bool proto__account_result_encode(json_t *d, const struct proto_result *res)
{
    if (res->type != PROTO_REQ_ACCOUNT_EXPORT)
        return false;
    const char *id = res->u.export.export_id, *data = res->u.export.data;
    uint32_t part = res->u.export.part, parts = res->u.export.parts;
    return export_id_ok(id) && data && part < parts && strlen(data) <= PROTO_EXPORT_PART_MAX &&
           proto__set(d, "export", json_string(id)) && proto__set(d, "part", json_integer(part)) &&
           proto__set(d, "parts", json_integer(parts)) && proto__set(d, "data", json_string(data));
}

enum proto_err proto__account_result_decode(json_t *d, struct proto_result *out)
{
    if (out->type != PROTO_REQ_ACCOUNT_EXPORT)
        return PROTO_E_INTERNAL;
    const char **id = &out->u.export.export_id, **data = &out->u.export.data;
    uint32_t *part = &out->u.export.part, *parts = &out->u.export.parts;
    return proto__get_str(d, "export", id) && export_id_ok(*id) &&
                   proto__get_u32(d, "part", part) && proto__get_u32(d, "parts", parts) &&
                   *part < *parts && proto__get_str(d, "data", data) &&
                   strlen(*data) <= PROTO_EXPORT_PART_MAX
               ? PROTO_OK
               : PROTO_E_INVALID_FIELD;
}
