/*
 * Pings between buddies: "thinking of you", "call me when you can", "I'm
 * struggling", or a line of free text. A ping reaches the buddy at once
 * when they are online, else it is kept and delivered when they next sign
 * in; the sender learns "delivered" and "seen". Pings are kept 7 days.
 */
#ifndef HEARTH_PINGS_H
#define HEARTH_PINGS_H

#include "hproto.h"

struct server;
struct session;

#define PINGS_KEPT_DAYS 7

/* A session has just signed in: hand it the pings that waited. */
void pings_deliver_waiting(struct session *s);
/* The hourly sweep: forget pings older than PINGS_KEPT_DAYS. */
void pings_purge(struct server *srv, int64_t now);

void pings_handle_send(struct session *s, const struct proto_request *req);
void pings_handle_seen(struct session *s, const struct proto_request *req);
void pings_handle_list(struct session *s, const struct proto_request *req);

#endif
