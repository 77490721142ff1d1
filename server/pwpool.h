/*
 * Password work on the libuv thread pool: at most two hashes at once
 * (each takes ~0.5 s and 128 MiB at the default cost), the rest wait in a
 * bounded FIFO so a burst of logins cannot exhaust memory.
 */
#ifndef HEARTH_PWPOOL_H
#define HEARTH_PWPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "pwhash.h"

#define PWPOOL_RUNNING_MAX 2
#define PWPOOL_QUEUE_MAX 64

enum pw_kind {
    PW_HASH,            /* password -> out */
    PW_VERIFY,          /* password vs stored -> match; if it matches and stored is weaker
                           than ln, the password rehashed at ln -> out (rehashed) */
    PW_VERIFY_AND_HASH, /* password vs stored -> match; if it matches, new_password -> out */
};

struct pw_task {
    enum pw_kind kind;
    unsigned ln;                     /* cost for hashing */
    char *password, *new_password;   /* owned; wiped and freed by the pool */
    size_t len, new_len;
    char stored[PWHASH_MAX];
    /* results */
    int match;                       /* 1 match, 0 no, -1 malformed stored hash */
    int rc;                          /* 0 ok, -1 crypto failure */
    bool rehashed;                   /* PW_VERIFY: out holds a stronger hash */
    char out[PWHASH_MAX];
    /* completion, on the loop */
    void (*done)(struct pw_task *t);
    void *ud;
    /* pool's */
    uv_work_t req;
    struct pwpool *pool;
    struct pw_task *next;
};

struct pwpool *pwpool_new(uv_loop_t *loop);
void pwpool_free(struct pwpool *p);
/* Allocates a task with copies of the passwords (new_password may be NULL). */
struct pw_task *pw_task_new(enum pw_kind kind, const char *password, const char *new_password);
void pw_task_free(struct pw_task *t);
/* Returns 0, or -1 when the waiting queue is full (the caller answers
 * server_busy and frees the task). */
int pwpool_submit(struct pwpool *p, struct pw_task *t);

#endif
