/*
 * A request waiting for its database job. Every asynchronous handler
 * (rooms, meetings, moderation, presence) needs the same things until the
 * job comes back after COMMIT: the session (referenced, so it is never
 * freed under the callback), the request id to answer, who asked and in
 * which room. A handler's own context begins with a struct pending.
 */
#ifndef HEARTH_PENDING_H
#define HEARTH_PENDING_H

#include <stddef.h>

#include "hdb.h"
#include "hproto.h"

struct room;
struct session;
struct user;

struct pending;
/* A context's own clean-up, run by pending_end() before it is freed. */
typedef void (*pending_cleanup_fn)(struct pending *p);
/* pending_lookup() found the account: continue with its id and role. */
typedef void (*pending_found_fn)(struct pending *p, int64_t user_id, int role);

struct pending {
    struct session *s;          /* referenced until pending_end() */
    struct user *u;             /* who asked; users live until shutdown */
    struct room *room;          /* NULL when the request is about no room */
    char id[PROTO_ID_MAX + 1];
    pending_cleanup_fn cleanup; /* may be NULL */
    pending_found_fn found;     /* pending_lookup()'s continuation */
    char handle[PROTO_HANDLE_MAX + 1];  /* pending_lookup()'s handle */
};

/* Allocates a zeroed context of `size` bytes (its first member a struct
 * pending, filled in) and a job whose ud is that context, with the job's
 * user_id, room_id and now set. On failure answers `internal` and returns
 * NULL. */
struct hdb_job *pending_job(struct session *s, const char *id, struct room *r, size_t size,
                            enum hdb_op op, hdb_done_fn done);
/* A further job for the same context (a request done in two steps); the
 * earlier job is the caller's to free. NULL (answered) on failure, after
 * which the context is released. */
struct hdb_job *pending_next(struct pending *p, enum hdb_op op, hdb_done_fn done);
/* Submits the job to the writer. */
void pending_submit(struct hdb_job *job);
/* Answers the request with an error (message NULL: the code's sentence). */
void pending_fail(struct pending *p, enum proto_err code, const char *message);
/* Frees the job (may be NULL) and releases its context: its cleanup, the
 * session reference and the context itself. */
void pending_end(struct pending *p, struct hdb_job *job);
/* Finds the account of `handle` on disk (for someone the loop has not seen
 * since it started: a troll who left can still be banned). `job` must be a
 * USER_BY_HANDLE job of p's (made by pending_job); on success found() runs
 * with the account, else the request is answered user_not_found and p
 * ends. */
void pending_lookup(struct pending *p, struct hdb_job *job, const char *handle,
                    pending_found_fn found);

#endif
