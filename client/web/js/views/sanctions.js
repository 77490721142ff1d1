/*
 * The mutes and bans in force in a room, as its moderators last asked
 * (mod.sanctions, PROTOCOL.md 5.88). No event keeps it current: it is asked
 * again when a moderator opens the list, after each mute, unmute, ban or
 * unban made here, and when someone is taken out of a room whose list is
 * known (another moderator may have banned them). Shared by the member
 * actions (moderation_room.js: "Mute" or "Unmute") and the room settings
 * (room_settings.js: the bans to lift, the mutes and their end).
 */
const known = new Map();     /* room -> the sanctions list, by handle (the server's order) */
const asking = new Map();    /* room -> the request under way */
const failed = new Set();    /* rooms whose list was refused: not asked again by itself */
const listeners = new Set(); /* fn(room) after a room's list changed */

export function installSanctions(app) {
  const forget = () => {
    known.clear();
    failed.clear();
  };
  app.onSignedIn(forget);
  app.onSignedOut(forget);
  /* Someone removed by a moderator: perhaps banned, by someone else. */
  app.conn.on('room.left', (ev) => {
    if (ev.by_moderator && known.has(ev.room)) loadSanctions(app, ev.room).catch(() => {});
  });
}

/* The room's list, or null while it is not known. */
export function sanctionsIn(room) {
  return known.get(room) || null;
}

/* Whether the room's list was asked for and refused (not a moderator here). */
export function sanctionsFailed(room) {
  return failed.has(room);
}

/* Asks the server for the room's list (one request at a time per room). */
export function loadSanctions(app, room) {
  if (asking.has(room)) return asking.get(room);
  const p = app.conn.request('mod.sanctions', { room })
    .then((data) => {
      failed.delete(room);
      known.set(room, data.sanctions);
      for (const fn of listeners) fn(room);
      return data.sanctions;
    }, (err) => {
      failed.add(room);
      throw err;
    })
    .finally(() => asking.delete(room));
  asking.set(room, p);
  return p;
}

/* The list as known, asked for the first time when it is not. */
export function sanctionsOrAsk(app, room) {
  const list = sanctionsIn(room);
  if (!list && !failed.has(room) && !asking.has(room)) loadSanctions(app, room).catch(() => {});
  return list;
}

export function onSanctions(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/* Still in force by this device's clock (the server judged it when it answered). */
export function inForce(s, now = Date.now()) {
  return s.until === null || s.until > now;
}

/* handle's sanction of this kind in the list, or undefined. */
export function sanctionOf(list, handle, kind) {
  return (list || []).find((s) => s.handle === handle && s.kind === kind && inForce(s));
}
