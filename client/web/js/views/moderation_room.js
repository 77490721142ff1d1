/*
 * Moderation in a room (PROTOCOL.md 5.17, 5.26-5.31, 5.36-5.39, sections 15-17): "Report" on
 * messages and people for everyone, "Block" and "Unblock" on people; for the
 * host, naming room moderators; for the room's moderators "Remove message",
 * "Mute" (for someone not muted) or "Unmute" (for someone muted: the room's
 * sanctions, mod.sanctions, say who; both while they are not known yet),
 * "Remove from the room" and "Ban". The room settings are room_settings.js.
 */
import { field } from '../dom.js';
import { mayActOn, moderates, myRank } from './roles.js';
import { choiceSelect, openDialog, reasonBox } from './moderation_dialog.js';
import { installSanctions, loadSanctions, onSanctions, sanctionOf, sanctionsOrAsk } from './sanctions.js';

const MUTE_CHOICES = [
  ['15', '15 minutes'], ['60', '1 hour'], ['240', '4 hours'], ['1440', '1 day'], ['10080', '1 week'],
  ['', 'Until a moderator lifts it'],
];
const BAN_CHOICES = [
  ['60', '1 hour'], ['1440', '1 day'], ['10080', '1 week'], ['43200', '30 days'], ['', 'Until a moderator lifts it'],
];

export function install(app) {
  const blocked = new Set();        /* handles the member blocks (block.list) */
  const shownCtx = new Map();       /* room -> its view's last roomCtx: redrawn when its sanctions change */

  installSanctions(app);
  onSanctions((room) => shownCtx.get(room)?.refresh());

  app.onSignedIn(() => {
    app.conn.request('block.list').then((data) => {
      blocked.clear();
      for (const who of data.handles) blocked.add(who);
    }).catch(() => {});
  });

  app.addRoomExtension({
    messageActions(roomCtx, msg) {
      if (msg.removed || msg.hidden || !msg.seq) return [];
      const out = [];
      const mine = app.me && msg.handle === app.me.handle;
      if (!mine) {
        out.push({ label: 'Report message…', run: () => reportMessage(app, roomCtx, msg) });
      }
      if (moderates(app, roomCtx.room)) {
        out.push({ label: 'Remove message', run: () => removeMessage(app, roomCtx, msg) });
      }
      return out;
    },

    memberActions(roomCtx, member) {
      if (!app.me || member.handle === app.me.handle) return [];
      const who = member.handle;
      const out = [];
      if (blocked.has(who)) {
        out.push({ label: `Unblock ${who}`, run: () => setBlock(app, blocked, who, false) });
      } else {
        out.push({ label: `Block ${who}`, run: () => setBlock(app, blocked, who, true) });
      }
      out.push({ label: `Report ${who}…`, run: () => reportPerson(app, roomCtx, who) });
      /* Naming room moderators: the host and server moderators (5.17). */
      if (myRank(app, roomCtx.room) >= 2 && member.role !== 'host') {
        out.push(member.role === 'moderator'
          ? { label: `Make ${who} a member again`, run: () => setRole(app, roomCtx, who, 'member') }
          : { label: `Make ${who} a room moderator`, run: () => setRole(app, roomCtx, who, 'moderator') });
      }
      if (moderates(app, roomCtx.room) && mayActOn(app, roomCtx.room, member)) {
        shownCtx.set(roomCtx.name, roomCtx);
        const list = sanctionsOrAsk(app, roomCtx.name);
        const muted = list ? !!sanctionOf(list, who, 'mute') : null;   /* null: not known yet */
        if (muted !== true) out.push({ label: `Mute ${who}…`, run: () => mutePerson(app, roomCtx, who) });
        if (muted !== false) out.push({ label: `Unmute ${who}`, run: () => unmutePerson(app, roomCtx, who) });
        out.push(
          { label: `Remove ${who} from the room…`, run: () => removePerson(app, roomCtx, who) },
          { label: `Ban ${who}…`, run: () => banPerson(app, roomCtx, who) },
        );
      }
      return out;
    },
  });
}

async function setBlock(app, blocked, who, on) {
  try {
    await app.conn.request(on ? 'block.add' : 'block.remove', { handle: who });
    if (on) {
      blocked.add(who);
      app.toast(`You won't see ${who}'s messages any more. They are not told.`);
    } else {
      blocked.delete(who);
      app.toast(`You will see ${who}'s messages again.`);
    }
  } catch (err) {
    app.toast(err.message);
  }
}

async function setRole(app, roomCtx, who, role) {
  try {
    await app.conn.request('room.role', { room: roomCtx.name, handle: who, role });
    app.toast(role === 'moderator' ? `${who} is now a moderator of this room.` : `${who} is a member again.`);
  } catch (err) {
    app.toast(err.message);
  }
}

function reportMessage(app, roomCtx, msg) {
  const reason = reasonBox(3);
  reason.required = true;
  const row = field('What is wrong with it?', reason, {
    hint: `${msg.handle} is not told who reported it. The moderators see the message as it is now.`,
  });
  openDialog({
    title: 'Report this message',
    intro: `From ${msg.handle}: “${excerpt(msg.text)}”`,
    fields: [row],
    submitLabel: 'Send the report',
    submit: async () => {
      await app.conn.request('report.create', { room: roomCtx.name, seq: msg.seq, reason: reason.value.trim() });
      app.toast('Thank you. The moderators will look at it.');
      return true;
    },
  });
}

function reportPerson(app, roomCtx, who) {
  const reason = reasonBox(3);
  const row = field('What is happening?', reason, { hint: `${who} is not told who reported them.` });
  openDialog({
    title: `Report ${who}`,
    fields: [row],
    submitLabel: 'Send the report',
    submit: async () => {
      await app.conn.request('report.create', { handle: who, room: roomCtx.name, reason: reason.value.trim() });
      app.toast('Thank you. The moderators will look at it.');
      return true;
    },
  });
}

function excerpt(text) {
  const chars = [...(text || '')];
  return chars.length > 140 ? `${chars.slice(0, 140).join('')}…` : chars.join('');
}

function removeMessage(app, roomCtx, msg) {
  const reason = reasonBox();
  openDialog({
    title: 'Remove this message',
    intro: `The message from ${msg.handle} will be replaced by “removed by a moderator” for everyone, and its text erased.`,
    fields: [field('Reason (optional, for the log)', reason)],
    submitLabel: 'Remove message',
    danger: true,
    submit: async () => {
      await app.conn.request('mod.delete', { room: roomCtx.name, seq: msg.seq, reason: reason.value.trim() });
      app.toast('The message was removed.');
      return true;
    },
  });
}

function mutePerson(app, roomCtx, who) {
  const length = choiceSelect(MUTE_CHOICES, '60');
  const reason = reasonBox();
  openDialog({
    title: `Mute ${who}`,
    intro: `${who} can still read the room but cannot post in it.`,
    fields: [field('For how long', length), field('Reason (optional; they will see it)', reason)],
    submitLabel: `Mute ${who}`,
    submit: async () => {
      const fields = { room: roomCtx.name, handle: who, reason: reason.value.trim() };
      if (length.value) fields.minutes = Number(length.value);
      await app.conn.request('mod.mute', fields);
      app.toast(`${who} is muted in this room.`);
      loadSanctions(app, roomCtx.name).catch(() => {});
      return true;
    },
  });
}

async function unmutePerson(app, roomCtx, who) {
  try {
    await app.conn.request('mod.unmute', { room: roomCtx.name, handle: who });
    app.toast(`${who} can post here again.`);
    loadSanctions(app, roomCtx.name).catch(() => {});
  } catch (err) {
    app.toast(err.message);
  }
}

function removePerson(app, roomCtx, who) {
  const reason = reasonBox();
  openDialog({
    title: `Remove ${who} from the room`,
    intro: `${who} may join again later. To keep them out, ban them instead.`,
    fields: [field('Reason (optional; they will see it)', reason)],
    submitLabel: `Remove ${who}`,
    danger: true,
    submit: async () => {
      await app.conn.request('mod.remove', { room: roomCtx.name, handle: who, reason: reason.value.trim() });
      app.toast(`${who} was removed from the room.`);
      return true;
    },
  });
}

function banPerson(app, roomCtx, who) {
  const length = choiceSelect(BAN_CHOICES, '1440');
  const reason = reasonBox();
  openDialog({
    title: `Ban ${who}`,
    intro: `${who} leaves the room and cannot join it again until the ban ends.`,
    fields: [field('For how long', length), field('Reason (optional; they will see it)', reason)],
    submitLabel: `Ban ${who}`,
    danger: true,
    submit: async () => {
      const fields = { room: roomCtx.name, handle: who, reason: reason.value.trim() };
      if (length.value) fields.minutes = Number(length.value);
      await app.conn.request('mod.ban', fields);
      app.toast(`${who} is banned from this room.`);
      loadSanctions(app, roomCtx.name).catch(() => {});
      return true;
    },
  });
}
