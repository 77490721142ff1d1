#include "blocks.h"
#include "buddies.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "pending.h"
#include "server.h"

/* srv->blocks: "blocker:blocked" -> the blocked person's handle (owned);
 * srv->blocked_by: "blocked" -> how many people block them (intptr_t). */

static void pair_key(char *out, size_t len, int64_t a, int64_t b)
{
    snprintf(out, len, "%" PRId64 ":%" PRId64, a, b);
}

static void id_key(char *out, size_t len, int64_t id) { snprintf(out, len, "%" PRId64, id); }

static void count_adjust(struct server *srv, int64_t blocked, int delta)
{
    char key[32];
    id_key(key, sizeof key, blocked);
    intptr_t n = (intptr_t)hmap_get(srv->blocked_by, key) + delta;
    if (n <= 0)
        hmap_del(srv->blocked_by, key);
    else
        hmap_put(srv->blocked_by, key, (void *)n);
}

static int remember(struct server *srv, int64_t blocker, int64_t blocked, const char *handle)
{
    char key[48];
    pair_key(key, sizeof key, blocker, blocked);
    if (hmap_get(srv->blocks, key))
        return 0;
    char *h = strdup(handle);
    if (!h || hmap_put(srv->blocks, key, h) != 0) {
        free(h);
        return -1;
    }
    count_adjust(srv, blocked, +1);
    return 0;
}

static void forget(struct server *srv, int64_t blocker, int64_t blocked)
{
    char key[48];
    pair_key(key, sizeof key, blocker, blocked);
    char *h = hmap_del(srv->blocks, key);
    if (h) {
        free(h);
        count_adjust(srv, blocked, -1);
    }
}

bool blocks_hides(struct server *srv, int64_t viewer_id, int64_t author_id)
{
    char key[48];
    pair_key(key, sizeof key, viewer_id, author_id);
    return hmap_get(srv->blocks, key) != NULL;
}

bool blocks_anyone_blocks(struct server *srv, int64_t author_id)
{
    char key[32];
    id_key(key, sizeof key, author_id);
    return hmap_get(srv->blocked_by, key) != NULL;
}

static void on_load(int64_t blocker, int64_t blocked, const char *handle, void *ud)
{
    if (remember(ud, blocker, blocked, handle) != 0)
        log_error("out of memory loading blocks");
}

int blocks_load(struct server *srv)
{
    srv->blocks = hmap_new();
    srv->blocked_by = hmap_new();
    if (!srv->blocks || !srv->blocked_by)
        return -1;
    return hdb_load_blocks(srv->db, on_load, srv) == HDB_OK ? 0 : -1;
}

void blocks_forget_user(struct server *srv, int64_t user_id)
{
    /* Every block by them or of them: collect the pairs, then forget them
     * (the map must not change while it is walked). */
    char prefix[32], suffix[32];
    snprintf(prefix, sizeof prefix, "%" PRId64 ":", user_id);
    snprintf(suffix, sizeof suffix, ":%" PRId64, user_id);
    size_t pos = 0, n = 0, cap = 0, plen = strlen(prefix), slen = strlen(suffix);
    int64_t (*pairs)[2] = NULL;
    const char *k;
    void *v;
    while (hmap_next(srv->blocks, &pos, &k, &v) == 0) {
        size_t klen = strlen(k);
        bool by = !strncmp(k, prefix, plen), of = klen > slen && !strcmp(k + klen - slen, suffix);
        if (!by && !of)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            void *grown = realloc(pairs, cap * sizeof *pairs);
            if (!grown)
                break;
            pairs = grown;
        }
        sscanf(k, "%" SCNd64 ":%" SCNd64, &pairs[n][0], &pairs[n][1]);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        forget(srv, pairs[i][0], pairs[i][1]);
    free(pairs);
}

void blocks_free(struct server *srv)
{
    if (srv->blocks) {
        size_t pos = 0;
        const char *k;
        void *v;
        while (hmap_next(srv->blocks, &pos, &k, &v) == 0)
            free(v);
        hmap_free(srv->blocks);
    }
    hmap_free(srv->blocked_by);
    srv->blocks = srv->blocked_by = NULL;
}

/* ---- requests ---- */

struct block_op {
    struct pending p;
    bool on;
    int64_t target_id;
};

static void on_block_stored(struct hdb_job *job)
{
    struct block_op *op = job->ud;
    struct server *srv = op->p.s->srv;
    if (job->out.rc != HDB_OK) {
        pending_fail(&op->p, PROTO_E_INTERNAL, NULL);
    } else {
        if (op->on) {
            remember(srv, op->p.u->id, op->target_id, op->p.handle);
            struct user *blocked = server_user_get(srv, op->p.handle);
            if (blocked)   /* a buddy (or a request) between them ends, quietly */
                buddies_blocked(op->p.s, blocked);
        } else
            forget(srv, op->p.u->id, op->target_id);
        /* an open match proposal between them ends; a lifted block may allow one */
        match_block_changed(srv, op->p.u, server_user_get(srv, op->p.handle));
        struct proto_result res = {.type = PROTO_REQ_BLOCK_ADD};
        session_reply(op->p.s, op->p.id, &res);
    }
    pending_end(&op->p, job);
}

/* The target may be anyone with an account, known in memory or not. */
static void on_target_found(struct pending *p, int64_t id, int role)
{
    struct block_op *op = (struct block_op *)p;
    struct hdb_job *job = pending_next(p, HDB_OP_BLOCK_SET, on_block_stored);
    if (!job)
        return;
    op->target_id = id;
    job->in.target_id = id;
    job->in.meeting = op->on; /* the op's on/off switch */
    pending_submit(job);
}

static void set_block(struct session *s, const struct proto_request *req, bool on)
{
    const char *handle = req->u.block.handle;
    if (!strcmp(handle, s->user->handle)) {
        session_reply_error(s, req->id, PROTO_E_FORBIDDEN, "You cannot block yourself.", -1);
        return;
    }
    struct hdb_job *job = pending_job(s, req->id, NULL, sizeof(struct block_op),
                                      HDB_OP_USER_BY_HANDLE, on_block_stored);
    if (!job)
        return;
    struct block_op *op = job->ud;
    op->on = on;
    pending_lookup(&op->p, job, handle, on_target_found);
}

void blocks_handle_add(struct session *s, const struct proto_request *req) { set_block(s, req, true); }

void blocks_handle_remove(struct session *s, const struct proto_request *req)
{
    set_block(s, req, false);
}

void blocks_handle_list(struct session *s, const struct proto_request *req)
{
    struct server *srv = s->srv;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%" PRId64 ":", s->user->id);
    size_t plen = strlen(prefix), n = 0, pos = 0;
    const char *k;
    void *v;
    const char **handles = calloc(hmap_count(srv->blocks) + 1, sizeof *handles);
    if (!handles) {
        session_reply_error(s, req->id, PROTO_E_INTERNAL, NULL, -1);
        return;
    }
    while (hmap_next(srv->blocks, &pos, &k, &v) == 0)
        if (!strncmp(k, prefix, plen))
            handles[n++] = v;
    struct proto_result res = {.type = PROTO_REQ_BLOCK_LIST};
    res.u.blocks.handles = handles;
    res.u.blocks.n = n;
    session_reply(s, req->id, &res);
    free(handles);
}
