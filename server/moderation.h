/*
 * Moderation: what keeps a room safe. Room moderators, the host and server
 * staff mute, remove, ban and unban people, take messages down and set
 * slow mode, the lock, a member limit and a newcomer wait; admins suspend
 * accounts. Every action is stored with its audit line in one transaction
 * before anyone is told. The checks that other modules apply (may this
 * person post here, join here, sign in) live here too.
 */
#ifndef HEARTH_MODERATION_H
#define HEARTH_MODERATION_H

#include <stdbool.h>
#include <stdint.h>

#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

struct sanction {
    int64_t user_id;
    int kind;                  /* enum hdb_sanction */
    int64_t until;             /* wall ms; 0 = until lifted */
    int64_t ts;                /* when it was set */
    char handle[PROTO_HANDLE_MAX + 1];   /* the person's */
    char actor[PROTO_HANDLE_MAX + 1];    /* who set it; "" when not known */
    char *reason;              /* never NULL once stored ("" when none) */
};

/* Startup: the sanctions on record. */
int moderation_load(struct server *srv);
/* An account was deleted: its mutes and bans are forgotten (ids may be
 * reused by sqlite; nothing of theirs should land on someone new). */
void moderation_forget_user(struct server *srv, int64_t user_id);
/* The room is going away: its sanctions' memory. */
void moderation_free_sanctions(struct room *r);

/* May u post in r now? PROTO_OK, or the refusal and (for timed ones) the
 * ms to wait in *retry_ms (-1 when waiting will not help). */
enum proto_err moderation_may_post(struct server *srv, struct room *r, const struct user *u,
                                   int64_t *retry_ms);
/* A message of u's was accepted: slow mode counts from now. */
void moderation_posted(struct server *srv, struct room *r, const struct user *u);
/* May u join r (not yet a member)? PROTO_OK or the refusal. */
enum proto_err moderation_may_join(struct server *srv, const struct room *r, const struct user *u);

void moderation_handle_action(struct session *s, const struct proto_request *req);
void moderation_handle_settings(struct session *s, const struct proto_request *req);
void moderation_handle_log(struct session *s, const struct proto_request *req);
void moderation_handle_sanctions(struct session *s, const struct proto_request *req);

#endif
