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
/* Room for one check-in's sign names on the wire. */
struct checkin_signs {
    char names[PROTO_SIGNS_MAX][PROTO_SIGN_NAME_MAX + 1];
    const char *list[PROTO_SIGNS_MAX];
};
/* The wire form of a stored check-in (the row is left as it is); its
 * signs live in *buf, which must outlive `out`. */
void checkin_to_wire(struct proto_checkin *out, const struct hdb_checkin *row,
                     struct checkin_signs *buf, bool with_note);
/* A stored check-in as a checkin.shared event (never the note); NULL when
 * out of memory. */
struct hbuf *checkin_shared_event(const struct hdb_checkin *row);

#endif
