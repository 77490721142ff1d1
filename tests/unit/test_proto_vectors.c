/*
 * Golden vectors: every file under protocol/vectors/ (format in
 * protocol/vectors/README.md) must behave as it says, and together they
 * must cover every request, result, event and error code.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hproto.h"

#define VEC_DIR HEARTH_SOURCE_DIR "/protocol/vectors"

struct names {
    char **v;
    size_t n;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted *.json file names of a directory (asserts it can be read). */
static struct names list_dir(const char *dir)
{
    struct names ns = {0};
    DIR *d = opendir(dir);
    struct dirent *e;

    cr_assert(d, "cannot open %s", dir);
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        ns.v = realloc(ns.v, (ns.n + 1) * sizeof *ns.v);
        cr_assert(ns.v);
        ns.v[ns.n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(ns.v, ns.n, sizeof *ns.v, cmp_str);
    return ns;
}

static void free_names(struct names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
}

static json_t *load_vector(const char *sub, const char *name)
{
    char path[1024];
    json_error_t err;
    json_t *v;

    snprintf(path, sizeof path, "%s/%s/%s", VEC_DIR, sub, name);
    v = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    cr_assert(v, "%s: not JSON: %s (line %d)", name, err.text, err.line);
    cr_assert(json_is_object(v), "%s: not an object", name);
    cr_assert(json_is_string(json_object_get(v, "description")), "%s: no description", name);
    return v;
}

static const char *direction(const json_t *v)
{
    const char *d = json_string_value(json_object_get(v, "direction"));
    return d ? d : "";
}

/* The bytes of the frame: frame_text, frame_hex or the dumped frame. */
static char *frame_bytes(const char *name, json_t *v, size_t *len)
{
    json_t *t = json_object_get(v, "frame_text"), *h = json_object_get(v, "frame_hex");
    json_t *f = json_object_get(v, "frame");
    char *out;

    if (json_is_string(t)) {
        *len = json_string_length(t);
        out = malloc(*len + 1);
        memcpy(out, json_string_value(t), *len + 1);
        return out;
    }
    if (json_is_string(h)) {
        const char *s = json_string_value(h);
        size_t n = strlen(s) / 2;
        out = malloc(n + 1);
        for (size_t i = 0; i < n; i++) {
            unsigned x;
            cr_assert(sscanf(s + 2 * i, "%2x", &x) == 1, "%s: bad frame_hex", name);
            out[i] = (char)x;
        }
        out[n] = 0;
        *len = n;
        return out;
    }
    cr_assert(f, "%s: no frame, frame_text or frame_hex", name);
    out = json_dumps(f, JSON_COMPACT | JSON_ENCODE_ANY);
    cr_assert(out);
    *len = strlen(out);
    return out;
}

static json_t *parse_or_fail(const char *name, const char *text)
{
    json_error_t err;
    json_t *v;
    cr_assert(text, "%s: encoder returned NULL", name);
    v = json_loads(text, 0, &err);
    cr_assert(v, "%s: encoder output is not JSON: %s", name, text);
    return v;
}

static void expect_json_equal(const char *name, json_t *want, json_t *got)
{
    if (!json_equal(want, got)) {
        char *w = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        cr_expect(0, "%s: re-encoded differs\n want %.600s\n got  %.600s", name, w, g);
        free(w);
        free(g);
    }
}

/* ------------------------------------------------------------ coverage */

static bool seen_req[PROTO_REQ__COUNT], seen_res[PROTO_REQ__COUNT];
static bool seen_err_reply[PROTO_E__COUNT], seen_err_decode[PROTO_E__COUNT];
#define ROOM_KINDS (PROTO_EV_REMOVED + 1)
static bool seen_evt[PROTO_EVT__COUNT], seen_room_kind[ROOM_KINDS], seen_batch;
/* Moderation shapes that only some room events have. */
static bool seen_removed_msg, seen_left_by_mod, seen_hidden_msg;

/* --------------------------------------------------------- client side */

static void check_valid_client(const char *name, json_t *v)
{
    json_t *frame = json_object_get(v, "frame"), *expect = json_object_get(v, "expect");
    struct proto_request req, again;
    struct proto_decode_error err;
    char *text, *enc, *enc2;
    json_t *got;

    cr_assert(json_is_object(frame), "%s: a valid client frame is an object", name);
    /* Both compact and indented text must decode the same. */
    for (int pass = 0; pass < 2; pass++) {
        text = json_dumps(frame, pass ? JSON_INDENT(2) : JSON_COMPACT);
        cr_assert(text);
        enum proto_err e = proto_request_decode(text, strlen(text), &req, &err);
        cr_assert(e == PROTO_OK, "%s: decode failed: %s (%s)", name, proto_err_code(e), err.message);
        cr_expect_str_eq(req.id, json_string_value(json_object_get(frame, "id")), "%s: id", name);
        seen_req[req.type] = true;

        enc = proto_request_encode(&req);
        got = parse_or_fail(name, enc);
        expect_json_equal(name, expect ? expect : frame, got);

        /* Encoding is a fixed point: decode(encode(x)) encodes to the same. */
        cr_assert(proto_request_decode(enc, strlen(enc), &again, &err) == PROTO_OK,
                  "%s: re-decode failed: %s", name, err.message);
        enc2 = proto_request_encode(&again);
        cr_expect_str_eq(enc, enc2, "%s: encode not stable", name);

        free(enc2);
        proto_request_free(&again);
        json_decref(got);
        free(enc);
        proto_request_free(&req);
        free(text);
    }
}

static void check_invalid_client(const char *name, json_t *v)
{
    const char *want_code = json_string_value(json_object_get(v, "error"));
    json_t *want_id = json_object_get(v, "id"), *field = json_object_get(v, "field");
    struct proto_request req;
    struct proto_decode_error err;
    enum proto_err want, e;
    size_t len;
    char *text = frame_bytes(name, v, &len), *reply;
    json_t *r;

    cr_assert(want_code && proto_err_parse(want_code, &want), "%s: bad \"error\"", name);
    cr_assert(json_is_null(want_id) || json_is_string(want_id), "%s: \"id\" must be null or a string",
              name);
    memset(&req, 0xA5, sizeof req);
    e = proto_request_decode(text, len, &req, &err);
    cr_expect(e == want, "%s: got %s, want %s (%s)", name, proto_err_code(e), want_code, err.message);
    cr_expect(err.code == e, "%s: err.code disagrees with the return value", name);
    cr_expect(req._root == NULL && req.id == NULL, "%s: failed decode left data in out", name);
    cr_expect_str_eq(err.id, json_is_string(want_id) ? json_string_value(want_id) : "",
                     "%s: err.id", name);
    len = strlen(err.message);
    cr_expect(len > 10 && err.message[len - 1] == '.', "%s: message is not a sentence: '%s'", name,
              err.message);
    if (json_is_string(field)) {
        char quoted[80];
        snprintf(quoted, sizeof quoted, "'%s'", json_string_value(field));
        cr_expect(strstr(err.message, quoted), "%s: message '%s' does not name %s", name,
                  err.message, quoted);
    }
    seen_err_decode[e] = true;

    /* The reply the server would send carries the same id (or null). */
    reply = proto_error_encode(err.id, err.code, err.message, -1);
    r = parse_or_fail(name, reply);
    cr_expect_str_eq(json_string_value(json_object_get(r, "code")), want_code, "%s: reply code", name);
    cr_expect(json_equal(json_object_get(r, "id"), want_id), "%s: reply id", name);
    json_decref(r);
    free(reply);
    free(text);
}

/* --------------------------------------------------------- server side */

struct srv_ctx {
    const char *name;
    json_t *vector;
    json_t *got;            /* re-encoded messages */
    enum proto_err result_err;   /* first proto_result_decode failure */
};

static const char *request_type_for(json_t *v, const char *id)
{
    json_t *map = json_object_get(v, "request_types");
    const char *t = id ? json_string_value(json_object_get(map, id)) : NULL;
    return t ? t : json_string_value(json_object_get(v, "request_type"));
}

static void on_msg(const struct proto_server_msg *m, void *ud)
{
    struct srv_ctx *c = ud;
    char *enc = NULL;

    switch (m->kind) {
    case PROTO_MSG_RESULT: {
        const char *tn = request_type_for(c->vector, m->id);
        enum proto_req_type t;
        struct proto_result res;
        enum proto_err e;

        cr_assert(tn && proto_req_parse(tn, &t), "%s: no request_type for result id %s", c->name,
                  m->id);
        e = proto_result_decode(t, m->data, &res);
        if (e != PROTO_OK) {
            cr_expect(res._root == NULL && res._alloc == NULL, "%s: failed decode kept data",
                      c->name);
            if (c->result_err == PROTO_OK)
                c->result_err = e;
            return;
        }
        seen_res[t] = true;
        enc = proto_result_encode(m->id, &res);
        proto_result_free(&res);
        break;
    }
    case PROTO_MSG_ERROR:
        cr_expect_str_eq(m->error.code_str, proto_err_code(m->error.code), "%s: code", c->name);
        seen_err_reply[m->error.code] = true;
        enc = proto_error_encode(m->id, m->error.code, m->error.message, m->error.retry_after_ms);
        break;
    case PROTO_MSG_EVENT:
        seen_evt[m->event.type] = true;
        if (m->event.type == PROTO_EVT_ROOM) {
            cr_assert((int)m->event.u.room.kind >= 0 && m->event.u.room.kind < ROOM_KINDS,
                      "%s: room event kind out of range", c->name);
            seen_room_kind[m->event.u.room.kind] = true;
            if (m->event.u.room.kind == PROTO_EV_MESSAGE && m->event.u.room.removed)
                seen_removed_msg = true;
            if (m->event.u.room.kind == PROTO_EV_LEFT && m->event.u.room.by_moderator)
                seen_left_by_mod = true;
            if (m->event.u.room.kind == PROTO_EV_MESSAGE && m->event.u.room.hidden)
                seen_hidden_msg = true;
        }
        enc = proto_event_encode(&m->event);
        break;
    }
    json_array_append_new(c->got, parse_or_fail(c->name, enc));
    free(enc);
}

static void check_valid_server(const char *name, json_t *v)
{
    json_t *frame = json_object_get(v, "frame"), *expect = json_object_get(v, "expect"), *want;
    struct srv_ctx c = {.name = name, .vector = v, .got = json_array()};
    size_t len;
    char *text = frame_bytes(name, v, &len);
    enum proto_err e;

    e = proto_frame_decode(text, len, on_msg, &c);
    cr_expect(e == PROTO_OK, "%s: frame decode: %s", name, proto_err_code(e));
    cr_expect(c.result_err == PROTO_OK, "%s: result decode: %s", name, proto_err_code(c.result_err));
    if (json_is_array(frame))
        seen_batch = true;
    want = expect ? expect : frame;
    if (json_is_object(want))
        want = json_pack("[O]", want);
    else
        json_incref(want);
    expect_json_equal(name, want, c.got);
    json_decref(want);
    json_decref(c.got);
    free(text);
}

static void check_invalid_server(const char *name, json_t *v)
{
    const char *want_code = json_string_value(json_object_get(v, "error"));
    struct srv_ctx c = {.name = name, .vector = v, .got = json_array()};
    enum proto_err want, e;
    size_t len;
    char *text = frame_bytes(name, v, &len);

    cr_assert(want_code && proto_err_parse(want_code, &want), "%s: bad \"error\"", name);
    e = proto_frame_decode(text, len, on_msg, &c);
    if (e == PROTO_OK)
        e = c.result_err;
    cr_expect(e == want, "%s: got %s, want %s", name, proto_err_code(e), want_code);
    json_decref(c.got);
    free(text);
}

/* ---------------------------------------------------------------- tests */

static void run_dir(const char *sub, bool valid, size_t *n_client, size_t *n_server)
{
    char dir[1024];
    struct names ns;

    snprintf(dir, sizeof dir, "%s/%s", VEC_DIR, sub);
    ns = list_dir(dir);
    for (size_t i = 0; i < ns.n; i++) {
        json_t *v = load_vector(sub, ns.v[i]);
        const char *d = direction(v);
        if (strcmp(d, "client") == 0) {
            (*n_client)++;
            (valid ? check_valid_client : check_invalid_client)(ns.v[i], v);
        } else if (strcmp(d, "server") == 0) {
            (*n_server)++;
            (valid ? check_valid_server : check_invalid_server)(ns.v[i], v);
        } else {
            cr_expect(0, "%s: direction must be \"client\" or \"server\"", ns.v[i]);
        }
        json_decref(v);
    }
    free_names(&ns);
}

Test(vectors, valid)
{
    size_t nc = 0, ns = 0;
    run_dir("valid", true, &nc, &ns);
    cr_log_info("valid vectors: %zu client, %zu server", nc, ns);
    cr_expect(nc >= 30 && ns >= 30, "too few valid vectors: %zu client, %zu server", nc, ns);

    for (int t = 0; t < PROTO_REQ__COUNT; t++) {
        cr_expect(seen_req[t], "no valid client vector for %s", proto_req_name(t));
        cr_expect(seen_res[t], "no valid result vector for %s", proto_req_name(t));
    }
    for (int e = 1; e < PROTO_E__COUNT; e++)
        cr_expect(seen_err_reply[e], "no valid error vector with code %s", proto_err_code(e));
    for (int t = 0; t < PROTO_EVT__COUNT; t++)
        cr_expect(seen_evt[t], "no valid vector for event type %d", t);
    for (int k = 0; k < ROOM_KINDS; k++)
        cr_expect(seen_room_kind[k], "no valid vector for room event kind %d", k);
    cr_expect(seen_removed_msg, "no valid vector with a removed room.message");
    cr_expect(seen_left_by_mod, "no valid vector with room.left by_moderator");
    cr_expect(seen_hidden_msg, "no valid vector with a hidden room.message");
    cr_expect(seen_batch, "no batched (array) server vector");
}

Test(vectors, invalid)
{
    size_t nc = 0, ns = 0;
    static const enum proto_err decode_codes[] = {PROTO_E_BAD_JSON, PROTO_E_UNKNOWN_TYPE,
                                                  PROTO_E_INVALID_FIELD, PROTO_E_PASSWORD_POLICY,
                                                  PROTO_E_TEXT_TOO_LONG};
    run_dir("invalid", false, &nc, &ns);
    cr_log_info("invalid vectors: %zu client, %zu server", nc, ns);
    cr_expect(nc >= 60 && ns >= 10, "too few invalid vectors: %zu client, %zu server", nc, ns);
    for (size_t i = 0; i < sizeof decode_codes / sizeof decode_codes[0]; i++)
        cr_expect(seen_err_decode[decode_codes[i]], "no invalid client vector gives %s",
                  proto_err_code(decode_codes[i]));
}
