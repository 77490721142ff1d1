/*
 * Who may do what in a room (PROTOCOL.md 15.1), as far as the client can
 * tell: it hides what the server would refuse anyway; the server decides.
 */
const RANK = { member: 0, moderator: 1, host: 2 };

/* A private conversation (a buddy's, a support one), not a room. */
export function isConversation(room) {
  return !!room && !!room.kind && room.kind !== 'room';
}

export function isServerModerator(app) {
  return !!app.me && (app.me.role === 'moderator' || app.me.role === 'admin');
}

export function isAdmin(app) {
  return !!app.me && app.me.role === 'admin';
}

/* 0: nobody; 1: room moderator; 2: host; 3: server moderator; 4: admin. */
export function myRank(app, room) {
  if (isAdmin(app)) return 4;
  if (isServerModerator(app)) return 3;
  return RANK[room && room.role] || 0;
}

/* The room's moderators: slow mode, mutes, removals, bans. */
export function moderates(app, room) {
  return !!room && !isConversation(room) && myRank(app, room) >= 1;
}

/* room.configure, room.role, meeting.chair, meeting.schedule: the host and server moderators. */
export function hosts(app, room) {
  return myRank(app, room) >= 2;
}

/* Whether the caller may act on this member (a member object does not say
 * who is a server moderator, so this is as far as it tells). */
export function mayActOn(app, room, member) {
  if (!app.me || member.handle === app.me.handle) return false;
  return myRank(app, room) > (RANK[member.role] || 0);
}
