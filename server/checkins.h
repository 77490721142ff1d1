/*
 * Daily check-ins (issue 5): one per member per local day (a second that
 * day replaces it), private by default or shared with buddies (live, or
 * when they next sign in) or a chosen room (as a plain message); history,
 * weekly and monthly summaries with streaks and the meeting goal, the
 * gratitude-and-wins journal; the warning-sign threshold that shows the
 * member their plan and card and, with their consent, alerts buddies.
 */
#ifndef HEARTH_CHECKINS_H
#define HEARTH_CHECKINS_H

#include "hproto.h"

struct server;
struct session;

int checkins_init(struct server *srv);
void checkins_free(struct server *srv);
/* A session has just signed in: buddies' check-ins shared while it was away,
 * and a kind word if the member had gone quiet and their buddies were
 * nudged meanwhile. */
void checkins_deliver_waiting(struct session *s, int64_t since);
/* The hourly isolation check (checkins_nudge.c): members who asked for it
 * and have been quiet for their number of days get their buddies nudged,
 * once per quiet spell. */
void checkins_nudge_start(struct server *srv);
void checkins_welcome_back(struct session *s, int64_t since);

void checkins_handle_submit(struct session *s, const struct proto_request *req);
void checkins_handle_list(struct session *s, const struct proto_request *req);
void checkins_handle_summary(struct session *s, const struct proto_request *req);
void checkins_handle_journal(struct session *s, const struct proto_request *req);
void checkins_handle_signs(struct session *s, const struct proto_request *req);
void checkins_handle_feed(struct session *s, const struct proto_request *req);

#endif
