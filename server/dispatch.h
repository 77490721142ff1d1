/*
 * The dispatcher: one complete client frame in, exactly one reply out
 * (now or when the work completes). It rate-limits, decodes through the
 * codec, enforces "authenticate first", and routes to the domain module.
 */
#ifndef HEARTH_DISPATCH_H
#define HEARTH_DISPATCH_H

#include <stddef.h>

struct session;

#define FLOOD_WINDOW_MS 10000
#define FLOOD_MAX_REFUSALS 50

void dispatch_frame(struct session *s, const char *buf, size_t len);

#endif
