/*
 * Weekly meeting schedules: a meeting room's slots ("Mondays and
 * Wednesdays at 19:00 for 60 minutes, America/New_York"), kept in memory
 * and on disk, and the list of coming meetings across the server
 * (meeting.upcoming), computed on the server's clock with the slots' own
 * time zones (tzcal.h) and sent as UTC instants for clients to show in
 * their own time.
 */
#ifndef HEARTH_SCHEDULE_H
#define HEARTH_SCHEDULE_H

#include <stdint.h>

#include "hproto.h"

struct server;
struct session;

struct room_slot {
    uint8_t days;                  /* bit 0 Monday .. bit 6 Sunday */
    uint16_t start_minute;         /* after local midnight */
    uint16_t minutes;
    char tz[PROTO_TZ_MAX + 1];
};

/* Startup: every room's slots from the database. */
int schedule_load(struct server *srv);

void schedule_handle(struct session *s, const struct proto_request *req);
void schedule_handle_upcoming(struct session *s, const struct proto_request *req);

#endif
