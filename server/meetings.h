/*
 * Meetings: a meeting room's live state (open or not, the floor, raised
 * hands, the share timer) and the meeting.* requests. The state lives in
 * memory only: a restart closes open meetings, which clients learn from
 * meeting.state. Share times run on the server's clock (clock.h), so tests
 * drive a whole meeting without waiting.
 */
#ifndef HEARTH_MEETINGS_H
#define HEARTH_MEETINGS_H

#include <stdbool.h>

#include "hproto.h"

struct room;
struct server;
struct session;
struct user;

void meeting_free(struct room *r);
/* Whether the chair has opened r's meeting. */
bool meeting_is_open(const struct room *r);
/* False while an open meeting is in one-speaker mode and u neither has
 * the floor nor runs the meeting. */
bool meeting_may_post(const struct room *r, const struct user *u);
/* u left the room: their hand goes down; a share of theirs ends. */
void meeting_member_left(struct room *r, struct user *u);
/* The room's settings changed (room.configure, chair): a room that is no
 * longer a meeting room closes its meeting; members get the new state. */
void meeting_settings_changed(struct server *srv, struct room *r);

void meetings_handle_chair(struct session *s, const struct proto_request *req);
void meetings_handle_open(struct session *s, const struct proto_request *req);
void meetings_handle_close(struct session *s, const struct proto_request *req);
void meetings_handle_hand(struct session *s, const struct proto_request *req);
void meetings_handle_floor(struct session *s, const struct proto_request *req);
void meetings_handle_done(struct session *s, const struct proto_request *req);
void meetings_handle_mode(struct session *s, const struct proto_request *req);
void meetings_handle_state(struct session *s, const struct proto_request *req);
void meetings_handle_attendance(struct session *s, const struct proto_request *req);
/* u came online (first connection) or went offline (last): attendance in
 * the open meetings of u's rooms starts or stops. */
void meetings_presence_changed(struct server *srv, struct user *u);
/* u joined r: if its meeting is open and u is online, u is present. */
void meeting_member_joined(struct room *r, struct user *u);

#endif
