#include "pwpool.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

struct pwpool {
    uv_loop_t *loop;
    unsigned running;
    struct pw_task *head, *tail;
    size_t queued;
};

struct pwpool *pwpool_new(uv_loop_t *loop)
{
    struct pwpool *p = calloc(1, sizeof *p);
    if (p)
        p->loop = loop;
    return p;
}

void pwpool_free(struct pwpool *p) { free(p); }

static char *dup_secret(const char *s, size_t *len)
{
    *len = strlen(s);
    char *d = malloc(*len + 1);
    if (d)
        memcpy(d, s, *len + 1);
    return d;
}

static void wipe(char *s, size_t len)
{
    if (s) {
        OPENSSL_cleanse(s, len);
        free(s);
    }
}

struct pw_task *pw_task_new(enum pw_kind kind, const char *password, const char *new_password)
{
    struct pw_task *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->password = dup_secret(password, &t->len);
    if (new_password)
        t->new_password = dup_secret(new_password, &t->new_len);
    if (!t->password || (new_password && !t->new_password)) {
        pw_task_free(t);
        return NULL;
    }
    return t;
}

void pw_task_free(struct pw_task *t)
{
    if (!t)
        return;
    wipe(t->password, t->len);
    wipe(t->new_password, t->new_len);
    free(t);
}

static void work(uv_work_t *req)
{
    struct pw_task *t = req->data;
    t->rc = 0;
    switch (t->kind) {
    case PW_HASH:
        t->rc = pwhash_hash(t->password, t->len, t->ln, t->out);
        break;
    case PW_VERIFY:
    case PW_VERIFY_AND_HASH:
        t->match = pwhash_verify(t->password, t->len, t->stored);
        if (t->kind == PW_VERIFY_AND_HASH && t->match == 1)
            t->rc = pwhash_hash(t->new_password, t->new_len, t->ln, t->out);
        /* The only moment the plain password is at hand: raise its cost. */
        if (t->kind == PW_VERIFY && t->match == 1 && pwhash_needs_rehash(t->stored, t->ln))
            t->rehashed = pwhash_hash(t->password, t->len, t->ln, t->out) == 0;
        break;
    }
    /* The secrets are no longer needed: wipe them on the worker. */
    wipe(t->password, t->len);
    wipe(t->new_password, t->new_len);
    t->password = t->new_password = NULL;
}

static void start_next(struct pwpool *p);

static void after_work(uv_work_t *req, int status)
{
    struct pw_task *t = req->data;
    struct pwpool *p = t->pool;
    p->running--;
    if (status != 0)
        t->rc = -1;
    start_next(p);
    t->done(t);
}

static void start_next(struct pwpool *p)
{
    while (p->running < PWPOOL_RUNNING_MAX && p->head) {
        struct pw_task *t = p->head;
        p->head = t->next;
        if (!p->head)
            p->tail = NULL;
        p->queued--;
        t->req.data = t;
        if (uv_queue_work(p->loop, &t->req, work, after_work) != 0) {
            t->rc = -1;
            t->done(t);
            continue;
        }
        p->running++;
    }
}

int pwpool_submit(struct pwpool *p, struct pw_task *t)
{
    if (p->queued >= PWPOOL_QUEUE_MAX)
        return -1;
    t->pool = p;
    t->next = NULL;
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    p->queued++;
    start_next(p);
    return 0;
}
