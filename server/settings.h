/*
 * A member's own settings (issue 5): their time zone (their days, weeks
 * and milestones), who sees their check-ins and clean time, the warning
 * threshold and consent to alert buddies, isolation nudges, the weekly
 * meeting goal, read receipts in conversations. Kept in memory for every member who changed any (the
 * defaults otherwise) and on disk; settings.get and settings.set. Also
 * when each member was last seen, which deliveries and nudges count from.
 */
#ifndef HEARTH_SETTINGS_H
#define HEARTH_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

struct member_settings {
    char tz[PROTO_TZ_MAX + 1];
    enum proto_share checkin_share;
    struct room *checkin_room;     /* NULL unless shared to a room */
    uint32_t warning_threshold;
    bool alert_buddies, isolation_nudges;
    uint32_t isolation_days, meeting_goal;
    enum proto_share sobriety_share;
    struct room *milestone_room;   /* NULL = none */
    bool read_receipts;            /* tells and sees what was seen in conversations (receipts.c) */
    int64_t last_nudge_at;         /* wall ms their buddies were last nudged; 0 = never */
    char alerted_day[11];          /* the day buddies were last alerted (memory only) */
    int64_t last_checkin_at;       /* wall ms of their newest check-in; 0 = none */
};

int settings_load(struct server *srv);
/* u's settings; the defaults when u never changed any (never NULL). */
const struct member_settings *settings_of(const struct user *u);
/* u's settings to change in memory (made from the defaults on first use);
 * NULL when out of memory. */
struct member_settings *settings_edit(struct user *u);
void settings_free_user(struct user *u);
/* u's last connection closed: u was last seen now (kept on disk too). */
void settings_went_offline(struct server *srv, struct user *u);
/* The member's local day ("YYYY-MM-DD") at wall time `ms` in their zone. */
bool settings_local_day(const struct user *u, int64_t ms, char day[11]);

void settings_handle_get(struct session *s, const struct proto_request *req);
void settings_handle_set(struct session *s, const struct proto_request *req);

#endif
