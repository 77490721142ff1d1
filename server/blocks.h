/*
 * Personal blocks: someone you block never reaches you again. Their room
 * messages come to you as {"hidden":true} placeholders (so your seq stream
 * stays whole) and they are never told. Kept in memory as a set of
 * (blocker, blocked) pairs, loaded at startup, written through the db.
 */
#ifndef HEARTH_BLOCKS_H
#define HEARTH_BLOCKS_H

#include <stdbool.h>
#include <stdint.h>

#include "hproto.h"

struct server;
struct session;

int blocks_load(struct server *srv);
void blocks_free(struct server *srv);
/* Does viewer block author? */
bool blocks_hides(struct server *srv, int64_t viewer_id, int64_t author_id);
/* Does anyone block author? (lets the common case skip per-reader work) */
bool blocks_anyone_blocks(struct server *srv, int64_t author_id);
/* An account was deleted: every block by or of it is forgotten. */
void blocks_forget_user(struct server *srv, int64_t user_id);

void blocks_handle_add(struct session *s, const struct proto_request *req);
void blocks_handle_remove(struct session *s, const struct proto_request *req);
void blocks_handle_list(struct session *s, const struct proto_request *req);

#endif
