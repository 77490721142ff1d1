/*
 * Deleting an account (issue 5): everything personal really gone. In
 * memory first, so nothing of the person reaches anyone from now on: out
 * of every room, conversation, pairing, the matching pool and support
 * (their request ends; one they were helping goes back to the queue), their
 * clean time, settings and blocks forgotten; then on disk (rows deleted,
 * the WAL checkpointed); then every session of theirs is ended. The user
 * struct itself stays (out of the users map) until shutdown, because
 * sessions still closing point at it.
 */
#ifndef HEARTH_ACCOUNT_H
#define HEARTH_ACCOUNT_H

struct session;

/* The password was checked: erase s's user and answer request `id`. */
void account_erase(struct session *s, const char *id);

#endif
