/*
 * Reports: any member can report a message or a person with a reason; the
 * moderators concerned see the open queue, act (with moderation.h) and
 * resolve it; the reporter learns it was handled, never by whom or how.
 */
#ifndef HEARTH_REPORTS_H
#define HEARTH_REPORTS_H

#include "hproto.h"

struct session;

void reports_handle_create(struct session *s, const struct proto_request *req);
void reports_handle_list(struct session *s, const struct proto_request *req);
void reports_handle_resolve(struct session *s, const struct proto_request *req);

#endif
