/* Shared by checkins.c (lists, feed, journal, signs), checkins_submit.c
 * (writing one, sharing it, the warning threshold) and checkins_summary.c. */
#ifndef HEARTH_CHECKINS_INTERNAL_H
#define HEARTH_CHECKINS_INTERNAL_H

#include <stdbool.h>

#include "hdb.h"
#include "hproto.h"

struct server;
struct session;
struct user;

bool checkin_sign_known(const struct server *srv, const char *name);
/* The wire form of a stored check-in. `signs` (PROTO_SIGNS_MAX slots)
 * receives the names, pointing into row->signs, which is cut up for it. */
void checkin_to_wire(struct proto_checkin *out, struct hdb_checkin *row, const char **signs,
                     bool with_note);
/* Every row of a check-in job as checkin.shared events (oldest first, never
 * the note): to one session (`only`), or to all of `to`'s connections. */
void checkin_send_shared(struct hdb_job *job, struct session *only, struct user *to);

#endif
