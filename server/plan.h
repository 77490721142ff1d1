/*
 * The member's crisis card (people and numbers to call, with the
 * deployment's crisis resources) and trigger action plan ("if this
 * happens, I will ..." lines and their reasons for recovery). Both are the
 * member's alone: card.get/set, plan.get/set. Stored only on disk.
 */
#ifndef HEARTH_PLAN_H
#define HEARTH_PLAN_H

#include "hproto.h"

struct session;

void plan_handle_card_get(struct session *s, const struct proto_request *req);
void plan_handle_card_set(struct session *s, const struct proto_request *req);
void plan_handle_plan_get(struct session *s, const struct proto_request *req);
void plan_handle_plan_set(struct session *s, const struct proto_request *req);

#endif
