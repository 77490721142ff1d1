/*
 * Retention: a room may keep its messages only N days. Once an hour (on
 * the server's clock) every such room's older messages are erased from
 * the disk (rows deleted, WAL checkpointed) and from memory. Ephemeral
 * rooms, whose messages are never written at all, are handled where
 * messages are sent (rooms.c) and where meetings close (meetings.c).
 */
#ifndef HEARTH_RETENTION_H
#define HEARTH_RETENTION_H

#define RETENTION_SWEEP_MS (60LL * 60 * 1000)

struct server;

/* Arms the hourly sweep. */
void retention_start(struct server *srv);

#endif
