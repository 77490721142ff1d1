/*
 * A room's invite codes: making one (room.invite, with a lifetime and a
 * number of uses), listing the live ones (room.invites) and revoking one
 * (room.invite_revoke). Members see and revoke their own codes; the room's
 * moderators all of them. A code is checked and used up by room.join.
 */
#ifndef HEARTH_INVITES_H
#define HEARTH_INVITES_H

#include "hproto.h"

struct session;

void invites_handle_create(struct session *s, const struct proto_request *req);
void invites_handle_list(struct session *s, const struct proto_request *req);
void invites_handle_revoke(struct session *s, const struct proto_request *req);

#endif
