/*
 * Moderation, blocks, reports and safety (PROTOCOL.md 5.16, 5.26-5.42,
 * 5.46-5.47, 6.9-6.15, sections 15-19):
 *
 * - in a room: "Report" on messages and people for everyone, "Block" and
 *   "Unblock" on people; for the room's moderators "Remove message", "Mute",
 *   "Unmute", "Remove from the room" and "Ban"; a room settings section for
 *   moderators (slow mode, lock, member limit, newcomer wait; for hosts also
 *   the meeting switch, format text, retention and "what is said here stays
 *   here");
 * - the Moderation screen: the reports queue (live), the audit log (a room's,
 *   or the whole server's for admins), who may need a kind word, and for
 *   admins suspending an account;
 * - what the person acted on learns (`moderated`), the answer to a report
 *   (`report.handled`), and the safety messages (`safety.notice`,
 *   `safety.check_in`, `safety.alert`), said kindly and privately.
 *
 * The client hides what the server would refuse anyway; the server decides.
 */
import { button, field, fill, fmtDuration, fmtTime, h, showError, uid } from '../dom.js';
import { busy, roomConfigured } from './meetings.js';

const MUTE_CHOICES = [
  ['15', '15 minutes'], ['60', '1 hour'], ['240', '4 hours'], ['1440', '1 day'], ['10080', '1 week'],
  ['', 'Until a moderator lifts it'],
];
const BAN_CHOICES = [
  ['60', '1 hour'], ['1440', '1 day'], ['10080', '1 week'], ['43200', '30 days'], ['', 'Until a moderator lifts it'],
];
const SUSPEND_CHOICES = [['1', '1 day'], ['7', '1 week'], ['30', '30 days'], ['', 'Until an admin lifts it']];
const SLOW_CHOICES = [0, 10, 30, 60, 120, 300, 600, 1800, 3600];
const NEWCOMER_CHOICES = [0, 60, 300, 600, 1800, 3600, 86400];
const RETENTION_CHOICES = [0, 1, 7, 30, 90, 365];
const REASON_MAX = 500;
const LOG_PAGE = 30;

/* ---------------------------------------------------------------- who may */

const RANK = { member: 0, moderator: 1, host: 2 };

function serverRole(app) {
  return app.me ? app.me.role : 'member';
}

/* 0: nobody; 1: room moderator; 2: host; 3: server moderator; 4: admin (15.1). */
function myRank(app, room) {
  const role = serverRole(app);
  if (role === 'admin') return 4;
  if (role === 'moderator') return 3;
  return RANK[room && room.role] || 0;
}

function isConversation(room) {
  return !!room && !!room.kind && room.kind !== 'room';
}

function moderates(app, room) {
  return !!room && !isConversation(room) && myRank(app, room) >= 1;
}

/* Whether the caller may act on this member (the table of 15.1, as far as a
 * member object tells: it does not say who is a server moderator). */
function mayActOn(app, room, member) {
  if (!app.me || member.handle === app.me.handle) return false;
  return myRank(app, room) > (RANK[member.role] || 0);
}

/* ---------------------------------------------------------------- words */

function seconds(n) {
  return fmtDuration(n * 1000);
}

/* fmtTime: only the time when it is today, else the day too. */
function untilWords(until) {
  return until ? `until ${fmtTime(until)}` : 'until a moderator lifts it';
}

function reasonWords(reason) {
  return reason ? ` The reason given: “${reason}”` : '';
}

/* What the person acted on reads (6.9): plain, without blame. */
export function moderatedSentence(ev) {
  const where = ev.room ? ` in ${ev.room}` : '';
  const why = reasonWords(ev.reason);
  switch (ev.action) {
    case 'mute':
      return `A moderator has paused your posting${where} ${untilWords(ev.until)}.${why} You can still read along, and you are still welcome here.`;
    case 'unmute':
      return `You can post${where} again.${why}`;
    case 'remove':
      return `A moderator took you out of ${ev.room || 'a room'}.${why} You may join it again later.`;
    case 'ban':
      return `A moderator has closed ${ev.room || 'a room'} to you ${untilWords(ev.until)}.${why} Your other rooms are as they were.`;
    case 'unban':
      return `You may join ${ev.room || 'the room'} again.${why}`;
    case 'suspend':
      return `Your account has been suspended ${ev.until ? `until ${fmtTime(ev.until)}` : 'until an admin lifts it'}.${why}`;
    case 'unsuspend':
      return `Your account is open again.${why}`;
    default:
      return `A moderator acted on your account${where}.${why}`;
  }
}

/* An audit log entry as a line (15.8). */
function auditSentence(e, showRoom) {
  const who = e.target || 'someone';
  const timed = e.until ? ` until ${fmtTime(e.until)}` : '';
  let did;
  switch (e.action) {
    case 'mute': did = `muted ${who}${timed}`; break;
    case 'unmute': did = `lifted the mute on ${who}`; break;
    case 'remove': did = `removed ${who} from the room`; break;
    case 'ban': did = `banned ${who}${timed}`; break;
    case 'unban': did = `lifted the ban on ${who}`; break;
    case 'delete': did = `took down message ${e.seq || ''}`.trim(); break;
    case 'settings': did = 'changed the room settings'; break;
    case 'schedule': did = 'changed the weekly schedule'; break;
    case 'revoke_invite': did = `revoked an invite code${e.target ? ` made by ${e.target}` : ''}`; break;
    case 'suspend': did = `suspended ${who}${timed}`; break;
    case 'unsuspend': did = `lifted the suspension of ${who}`; break;
    default: did = `${e.action}${e.target ? ` ${e.target}` : ''}`;
  }
  const where = showRoom ? (e.room ? ` in ${e.room}` : ' (whole server)') : '';
  return `${e.actor} ${did}${where}`;
}

function choiceSelect(choices, selected) {
  return h('select', {}, choices.map(([v, label]) => h('option', { value: v, selected: v === selected }, label)));
}

function reasonBox(rows = 2) {
  return h('textarea', { rows: String(rows), maxlength: String(REASON_MAX) });
}

/* ---------------------------------------------------------------- dialogs */

/*
 * A small modal dialog with a form: the native <dialog> keeps focus inside,
 * Escape closes it, and focus goes back where it was. `submit(errorSlot)`
 * returns true to close.
 */
function openDialog({ title, intro, fields = [], submitLabel, danger = false, submit }) {
  const titleId = uid('dlg');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const ok = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submitLabel);
  const cancel = button('Cancel', () => dialog.close(), { class: 'quiet' });
  const form = h('form', { class: 'stack', novalidate: true }, intro ? h('p', {}, intro) : null, fields, error,
    h('div', { class: 'row mod-dialog-actions' }, ok, cancel));
  const dialog = h('dialog', { class: 'mod-dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title), form);
  const back = document.activeElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await busy(ok, error, () => submit(error));
    if (done) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    /* Back to what opened it; a menu item folded away with its menu, so then the menu itself. */
    const shown = (el) => el && el.isConnected && el.getClientRects().length > 0;
    const target = shown(back) ? back : back && back.closest && back.closest('details')?.querySelector(':scope > summary');
    if (shown(target)) target.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('textarea, select, input');
  (first || ok).focus();
  return dialog;
}

/* ================================================================ install */

export function install(app) {
  const blocked = new Set();        /* handles the member blocks (block.list) */
  const modRooms = new Map();       /* room -> room object: rooms the member moderates */
  const myReports = new Map();      /* report id -> what it was about, for report.handled */
  const needsCare = [];             /* safety.alert events seen this session (moderators) */
  const settingsPanels = new Map(); /* room -> settings section, kept across redraws */
  let view = null;
  let loadingRooms = null;

  function refreshBlocks() {
    return app.conn.request('block.list').then((data) => {
      blocked.clear();
      for (const who of data.handles) blocked.add(who);
    }).catch(() => {});
  }

  /* Which rooms the member moderates: for the navigation and the log's room list. */
  function refreshModRooms() {
    if (loadingRooms) return loadingRooms;
    loadingRooms = app.conn.request('room.list').then(({ rooms }) => {
      const before = modRooms.size > 0;
      modRooms.clear();
      for (const r of rooms) if (r.joined && moderates(app, r)) modRooms.set(r.room, r);
      if (before !== modRooms.size > 0) redrawNav();
      view?.roomsChanged();
    }).catch(() => {}).finally(() => { loadingRooms = null; });
    return loadingRooms;
  }

  /*
   * The navigation is drawn when a view is added or a route opens; whether
   * "Moderation" shows changes in between (making a room makes one its host).
   * The shell has no call to redraw it yet, but adding a view redraws it: a
   * hidden one that never shows in the navigation (and sends anyone who
   * opens its route to Rooms) does that without side effects.
   */
  function redrawNav() {
    if (typeof app.refreshNav === 'function') {
      app.refreshNav();
      return;
    }
    app.addView({
      id: 'moderation-nav', title: 'Moderation', nav: false,
      create: () => ({ el: h('div'), show: () => app.go('rooms') }),
    });
  }

  app.onSignedIn(({ resumed }) => {
    if (!resumed) {
      myReports.clear();
      needsCare.length = 0;
      settingsPanels.clear();
    }
    refreshBlocks();
    refreshModRooms();
  });

  /* Joining or making a room may make the member its host; a role may change. */
  app.conn.on('room.joined', (ev) => {
    if (app.me && ev.handle === app.me.handle) refreshModRooms();
  });
  app.conn.on('room.role', (ev) => {
    if (app.me && ev.handle === app.me.handle) refreshModRooms();
  });

  /* ---- what people are told ---- */

  app.conn.on('moderated', (ev) => {
    const go = ev.room && (ev.action === 'unban' || ev.action === 'unmute') ? { go: ['room', ev.room] } : {};
    app.alert('notice', moderatedSentence(ev), go);
  });

  app.conn.on('report.handled', (ev) => {
    myReports.delete(ev.id);
    const said = ev.outcome === 'actioned'
      ? 'Thank you for your report. A moderator looked at it and took action.'
      : ev.outcome === 'dismissed'
        ? 'Thank you for your report. A moderator looked at it and found nothing that needed action this time.'
        : 'Thank you for your report. A moderator has looked at it.';
    app.alert('notice', said);
  });

  app.conn.on('safety.notice', (ev) => showCare(app, {
    title: 'Before you start',
    text: ev.text,
    resources: ev.resources,
  }));

  app.conn.on('safety.check_in', (ev) => showCare(app, {
    title: 'We are glad you said something',
    text: ev.text,
    resources: ev.resources,
    offerSupport: true,
  }));

  app.conn.on('safety.alert', (ev) => {
    needsCare.unshift({ ...ev, at: Date.now() });
    if (needsCare.length > 50) needsCare.length = 50;
    app.alert('moderation', `${ev.handle} may be having a hard time in ${ev.room}. A kind word could help.`,
      { go: ['room', ev.room] });
    view?.careChanged();
  });

  app.conn.on('report.new', (ev) => {
    const r = ev.report;
    app.alert('moderation', `A new report about ${r.target}${r.room ? ` in ${r.room}` : ''} is waiting.`,
      { go: ['moderation'] });
    view?.reportArrived(r);
  });

  /* ---- the screen ---- */

  app.addView({
    id: 'moderation', title: 'Moderation', nav: true, order: 80,
    visible: () => serverRole(app) === 'moderator' || serverRole(app) === 'admin' || modRooms.size > 0,
    create: () => {
      view = createModerationView(app, { modRooms, needsCare, refreshModRooms });
      return view;
    },
  });

  /* ---- in a room ---- */

  app.addRoomExtension({
    panel(roomCtx) {
      if (isConversation(roomCtx.room)) return null;
      let s = settingsPanels.get(roomCtx.name);
      if (!s) {
        s = settingsSection(app, roomCtx);
        settingsPanels.set(roomCtx.name, s);
      }
      s.setCtx(roomCtx);
      const active = document.activeElement;
      if (active && s.el.contains(active)) {
        queueMicrotask(() => {
          if (s.el.isConnected && active.isConnected && document.activeElement !== active) active.focus({ preventScroll: true });
        });
      }
      return s.el;
    },

    messageActions(roomCtx, msg) {
      if (msg.removed || msg.hidden || !msg.seq) return [];
      const out = [];
      const mine = app.me && msg.handle === app.me.handle;
      if (!mine) {
        out.push({ label: 'Report message…', run: () => reportMessage(app, roomCtx, msg, myReports) });
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
      out.push({ label: `Report ${who}…`, run: () => reportPerson(app, roomCtx, who, myReports) });
      /* Naming room moderators: the host and server moderators (5.17). */
      if (myRank(app, roomCtx.room) >= 2 && member.role !== 'host') {
        out.push(member.role === 'moderator'
          ? { label: `Make ${who} a member again`, run: () => setRole(app, roomCtx, who, 'member') }
          : { label: `Make ${who} a room moderator`, run: () => setRole(app, roomCtx, who, 'moderator') });
      }
      if (moderates(app, roomCtx.room) && mayActOn(app, roomCtx.room, member)) {
        out.push(
          { label: `Mute ${who}…`, run: () => mutePerson(app, roomCtx, who) },
          { label: `Unmute ${who}`, run: () => unmutePerson(app, roomCtx, who) },
          { label: `Remove ${who} from the room…`, run: () => removePerson(app, roomCtx, who) },
          { label: `Ban ${who}…`, run: () => banPerson(app, roomCtx, who) },
        );
      }
      return out;
    },
  });
}

/* ---------------------------------------------------------------- kind words, privately */

function careHost() {
  return document.querySelector('.alerts') || document.getElementById('main') || document.body;
}

/* A private, in-page card with a caring sentence and the crisis resources
 * (safety.notice, safety.check_in). Never a browser notification. */
function showCare(app, { title, text, resources = [], offerSupport = false }) {
  const titleId = uid('care');
  const close = button('Close', () => {
    card.remove();
    document.getElementById('main')?.focus();
  }, { class: 'quiet', 'aria-label': `Close: ${title}` });
  const support = offerSupport ? button('Talk to someone now', () => {
    card.remove();
    app.go('support');
  }, { class: 'primary' }) : null;
  const card = h('section', { class: 'care-card', role: 'status', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title),
    h('p', {}, text),
    resources.length ? h('ul', { class: 'care-resources' }, resources.map((r) => h('li', {}, r))) : null,
    h('div', { class: 'row' }, support, close));
  const host = careHost();
  for (const old of host.querySelectorAll(':scope > .care-card')) {
    if (old.querySelector('h2')?.textContent === title) old.remove();
  }
  host.prepend(card);
}

/* ---------------------------------------------------------------- actions */

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

function reportMessage(app, roomCtx, msg, myReports) {
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
      const data = await app.conn.request('report.create', { room: roomCtx.name, seq: msg.seq, reason: reason.value.trim() });
      myReports.set(data.id, { room: roomCtx.name, seq: msg.seq });
      app.toast('Thank you. The moderators will look at it.');
      return true;
    },
  });
}

function reportPerson(app, roomCtx, who, myReports) {
  const reason = reasonBox(3);
  const row = field('What is happening?', reason, { hint: `${who} is not told who reported them.` });
  openDialog({
    title: `Report ${who}`,
    fields: [row],
    submitLabel: 'Send the report',
    submit: async () => {
      const data = await app.conn.request('report.create', { handle: who, room: roomCtx.name, reason: reason.value.trim() });
      myReports.set(data.id, { room: roomCtx.name, handle: who });
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
      return true;
    },
  });
}

async function unmutePerson(app, roomCtx, who) {
  try {
    await app.conn.request('mod.unmute', { room: roomCtx.name, handle: who });
    app.toast(`${who} can post here again.`);
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
      return true;
    },
  });
}

/* ---------------------------------------------------------------- room settings */

function secondsChoices(values, current, offWord) {
  const all = [...new Set([...values, current])].sort((a, b) => a - b);
  return all.map((v) => h('option', { value: String(v), selected: v === current }, v === 0 ? offWord : seconds(v)));
}

/* The settings section above the conversation, for the room's moderators. */
function settingsSection(app, firstCtx) {
  let roomCtx = firstCtx;
  const name = firstCtx.name;

  /* mod.settings: the four moderation settings (15.5). */
  const slow = h('select', {});
  const newcomer = h('select', {});
  const limit = h('input', { type: 'number', min: '0', max: '100000', inputmode: 'numeric' });
  const locked = h('input', { type: 'checkbox', id: uid('lock') });
  const slowRow = field('Slow mode: time between posts', slow);
  const newcomerRow = field('New members wait before their first post', newcomer);
  const limitRow = field('Most members', limit, { hint: '0 means no limit.' });
  const lockedRow = h('div', { class: 'field mm-check' }, locked,
    h('label', { for: locked.id }, 'Lock the room: nobody new can join'));
  const modError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const modSave = h('button', { type: 'submit', class: 'primary' }, 'Save the room settings');
  const modForm = h('form', {
    class: 'stack', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const data = await busy(modSave, modError, () => app.conn.request('mod.settings', {
        room: name,
        slow_seconds: Number(slow.value),
        newcomer_seconds: Number(newcomer.value),
        member_limit: Number(limit.value || 0),
        locked: locked.checked,
      }));
      if (data) {
        if (roomCtx.room) Object.assign(roomCtx.room, data.settings);
        app.toast('The room settings are saved.');
      }
    },
  }, slowRow, newcomerRow, limitRow, lockedRow, modError, modSave);

  /* room.configure: meeting and retention, for the host and server moderators (14.1, 19.1). */
  const meeting = h('input', { type: 'checkbox', id: uid('mtg') });
  const format = h('textarea', { rows: '3', maxlength: '4000' });
  const retention = h('select', {});
  const ephemeral = h('input', { type: 'checkbox', id: uid('eph') });
  let formatTouched = false;
  format.addEventListener('input', () => { formatTouched = true; });
  const formatRow = field('Meeting format', format, {
    hint: 'Shown to everyone when the meeting opens. Leave it empty to keep the text it has.',
  });
  const retentionRow = field('Keep messages', retention);
  const confError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const confSave = h('button', { type: 'submit', class: 'primary' }, 'Save meeting and privacy settings');
  const confForm = h('form', {
    class: 'stack', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const fields = {
        room: name, meeting: meeting.checked, retention_days: Number(retention.value), ephemeral: ephemeral.checked,
      };
      if (formatTouched && format.value.trim()) fields.format = format.value;
      const data = await busy(confSave, confError, () => app.conn.request('room.configure', fields));
      if (data) {
        formatTouched = false;
        format.value = '';
        if (roomCtx.room) Object.assign(roomCtx.room, data.room);
        roomConfigured(name);
        app.toast(data.room.meeting ? 'Saved. This is a meeting room.' : 'Saved.');
      }
    },
  },
  h('div', { class: 'field mm-check' }, meeting, h('label', { for: meeting.id }, 'This is a meeting room: a chair, raised hands and timed shares')),
  formatRow, retentionRow,
  h('div', { class: 'field mm-check' }, ephemeral,
    h('label', { for: ephemeral.id }, 'What is said here stays here: messages are never saved')),
  confError, confSave);

  /* Lifting a ban: the person is no longer in the member list. */
  const unbanWho = h('input', { autocapitalize: 'none', spellcheck: 'false', maxlength: '32' });
  const unbanRow = field('Handle', unbanWho);
  const unbanButton = h('button', { type: 'submit' }, 'Lift the ban');
  const unbanForm = h('form', {
    class: 'stack', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const who = unbanWho.value.trim();
      const data = await busy(unbanButton, unbanRow.error, () => app.conn.request('mod.unban', { room: name, handle: who }));
      if (data) {
        unbanWho.value = '';
        app.toast(`${who} may join this room again.`);
      }
    },
  }, unbanRow, unbanButton);

  const logLink = h('a', { href: `#/moderation/${encodeURIComponent(name)}` }, 'Reports and log for this room');

  const confBox = h('details', { class: 'mod-part' }, h('summary', {}, 'Meetings and privacy'), confForm);
  const el = h('details', { class: 'mod-settings card' },
    h('summary', {}, 'Room settings'),
    h('div', { class: 'mod-parts' },
      h('details', { class: 'mod-part' }, h('summary', {}, 'Keeping the room calm'), modForm),
      confBox,
      h('details', { class: 'mod-part' }, h('summary', {}, 'Lift a ban'), unbanForm),
      h('p', {}, logLink)));

  function draw() {
    const room = roomCtx.room || {};
    el.hidden = !moderates(app, room);
    if (el.hidden) return;
    /* Do not overwrite what someone is typing. */
    if (!modForm.contains(document.activeElement)) {
      fill(slow, secondsChoices(SLOW_CHOICES, room.slow_seconds || 0, 'Off'));
      fill(newcomer, secondsChoices(NEWCOMER_CHOICES, room.newcomer_seconds || 0, 'No wait'));
      limit.value = String(room.member_limit || 0);
      locked.checked = !!room.locked;
    }
    confBox.hidden = myRank(app, room) < 2;
    if (!confForm.contains(document.activeElement)) {
      meeting.checked = !!room.meeting;
      const days = room.retention_days || 0;
      fill(retention, [...new Set([...RETENTION_CHOICES, days])].sort((a, b) => a - b)
        .map((d) => h('option', { value: String(d), selected: d === days },
          d === 0 ? 'As long as the room exists' : `${d} day${d === 1 ? '' : 's'}`)));
      ephemeral.checked = !!room.ephemeral;
    }
  }

  return {
    el,
    setCtx(ctx) {
      roomCtx = ctx;
      draw();
    },
  };
}

/* ================================================================ the Moderation screen */

function createModerationView(app, { modRooms, needsCare, refreshModRooms }) {
  /* Reports */
  const filter = h('select', {},
    h('option', { value: 'open' }, 'Open reports'), h('option', { value: 'all' }, 'All reports, resolved too'));
  const reportList = h('ul', { class: 'list mod-reports', 'aria-labelledby': 'mod-reports-title' });
  const reportError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const reportStatus = h('p', { class: 'muted', role: 'status' });
  filter.addEventListener('change', () => loadReports());

  /* The audit log */
  const logRoom = h('select', {});
  const logList = h('ol', { class: 'list mod-log', 'aria-labelledby': 'mod-log-title' });
  const logError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const olderButton = button('Show older entries', () => loadLog(true), { class: 'quiet' });
  let logBefore = null;
  logRoom.addEventListener('change', () => loadLog(false));

  /* People who may need a kind word (safety.alert) */
  const careList = h('ul', { class: 'list mod-care' });

  /* Accounts (admins) */
  const accounts = accountsSection(app);

  let scope = null;   /* a room name from the route: show that room's reports and log */

  const el = h('div', { class: 'stack moderation' },
    h('h1', {}, 'Moderation'),
    h('section', { class: 'card', 'aria-labelledby': 'mod-care-title' },
      h('h2', { id: 'mod-care-title' }, 'Who may need a kind word'),
      h('p', { class: 'hint' }, 'When someone writes words that can mean they are in crisis, Hearth offers them help privately. Their message stays in the room. You might reach out gently.'),
      careList),
    h('section', { 'aria-labelledby': 'mod-reports-title' },
      h('h2', { id: 'mod-reports-title' }, 'Reports'),
      field('Show', filter), reportStatus, reportError, reportList),
    h('section', { 'aria-labelledby': 'mod-log-title' },
      h('h2', { id: 'mod-log-title' }, 'What moderators did'),
      field('Log of', logRoom), logError, logList, olderButton),
    accounts.el);

  function drawCare() {
    fill(careList, needsCare.length ? needsCare.map((c) => h('li', { class: 'mod-care-item' },
      h('span', {}, `${c.handle} in ${c.room}, ${fmtTime(c.at)}`),
      h('a', { href: `#/room/${encodeURIComponent(c.room)}` }, `Go to ${c.room}`)))
      : h('li', { class: 'muted' }, 'Nobody right now.'));
  }

  function reportItem(r) {
    const open = r.status === 'open';
    const subject = r.seq ? `A message by ${r.target}${r.room ? ` in ${r.room}` : ''}`
      : `About ${r.target}${r.room ? `, in ${r.room}` : ''}`;
    const note = h('input', { maxlength: String(REASON_MAX) });
    const noteRow = field('Note for the moderators (optional)', note, { hint: 'The reporter never sees it.' });
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const resolve = (outcome, control) => busy(control, error, async () => {
      try {
        await app.conn.request('report.resolve', { report: r.id, outcome, note: note.value.trim() });
      } catch (err) {
        if (err.code === 'report_not_found') {
          app.toast('Someone has already handled that report.');
          loadReports();
          return;
        }
        throw err;
      }
      app.toast(outcome === 'actioned' ? 'Marked as acted on. The reporter is told.' : 'Dismissed. The reporter is told.');
      loadReports();
    });
    const acted = h('button', { type: 'button', class: 'primary' }, 'Mark as acted on');
    acted.addEventListener('click', () => resolve('actioned', acted));
    const dismiss = h('button', { type: 'button' }, 'Dismiss');
    dismiss.addEventListener('click', () => resolve('dismissed', dismiss));
    const takeDown = r.seq && r.room && r.excerpt !== null ? h('button', { type: 'button', class: 'quiet' }, 'Remove the message') : null;
    takeDown?.addEventListener('click', () => busy(takeDown, error, async () => {
      try {
        await app.conn.request('mod.delete', { room: r.room, seq: r.seq, reason: 'Reported' });
        app.toast('The message was removed.');
      } catch (err) {
        if (err.code !== 'message_not_found') throw err;
        app.toast('That message was already removed.');
      }
      takeDown.remove();
    }));
    return h('li', { class: 'mod-report' },
      h('div', { class: 'row' }, h('strong', {}, subject),
        open ? null : h('span', { class: 'badge' }, r.status === 'dismissed' ? 'dismissed' : r.status === 'actioned' ? 'acted on' : 'resolved')),
      h('p', { class: 'muted small' }, `Reported by ${r.reporter}, ${fmtTime(r.ts)}`),
      h('p', {}, h('span', { class: 'muted' }, 'Why: '), r.reason),
      r.seq ? (r.excerpt !== null
        ? h('blockquote', { class: 'mod-excerpt' }, r.excerpt)
        : h('p', { class: 'muted' }, 'The message had already been removed.')) : null,
      open ? h('div', { class: 'stack' }, noteRow,
        h('div', { class: 'row' }, acted, dismiss, takeDown,
          r.room ? h('a', { href: `#/room/${encodeURIComponent(r.room)}` }, `Go to ${r.room}`) : null),
        error) : null);
  }

  async function loadReports() {
    showError(reportError, null);
    reportStatus.textContent = 'Loading reports…';
    try {
      const fields = { status: filter.value };
      if (scope) fields.room = scope;
      const { reports } = await app.conn.request('report.list', fields);
      fill(reportList, reports.length ? reports.map(reportItem)
        : h('li', { class: 'muted' }, filter.value === 'open' ? 'No open reports. Thank you for keeping an eye out.' : 'No reports yet.'));
      reportStatus.textContent = '';
    } catch (err) {
      reportStatus.textContent = '';
      fill(reportList);
      showError(reportError, err);
    }
  }

  function drawRoomChoices() {
    const keep = logRoom.value || scope || '';
    const choices = [...modRooms.values()].sort((a, b) => a.room.localeCompare(b.room))
      .map((r) => h('option', { value: r.room }, `${r.title} (${r.room})`));
    if (scope && !modRooms.has(scope)) choices.unshift(h('option', { value: scope }, scope));
    if (serverRole(app) === 'admin') choices.unshift(h('option', { value: '' }, 'The whole server'));
    fill(logRoom, choices);
    if ([...logRoom.options].some((o) => o.value === keep)) logRoom.value = keep;
  }

  async function loadLog(more) {
    showError(logError, null);
    if (!more) {
      logBefore = null;
      fill(logList);
    }
    if (!logRoom.options.length) {
      fill(logList, h('li', { class: 'muted' }, 'You do not moderate a room yet.'));
      olderButton.hidden = true;
      return;
    }
    const fields = { limit: LOG_PAGE };
    if (logRoom.value) fields.room = logRoom.value;
    if (logBefore) fields.before = logBefore;
    const data = await busy(olderButton, logError, () => app.conn.request('mod.log', fields));
    if (!data) return;
    const showRoom = !logRoom.value;
    for (const e of data.entries) {
      logList.append(h('li', { class: 'mod-log-entry' },
        h('span', {}, auditSentence(e, showRoom)),
        e.reason ? h('span', { class: 'muted' }, ` — “${e.reason}”`) : null,
        h('span', { class: 'muted small mod-log-time' }, fmtTime(e.ts))));
      logBefore = logBefore === null ? e.id : Math.min(logBefore, e.id);
    }
    if (!logList.children.length) logList.append(h('li', { class: 'muted' }, 'Nothing has been done here yet.'));
    olderButton.hidden = !data.has_more;
  }

  return {
    el,
    async show(arg) {
      scope = arg || null;
      drawCare();
      accounts.draw();
      await refreshModRooms();
      drawRoomChoices();
      if (scope) logRoom.value = scope;
      loadReports();
      loadLog(false);
    },
    roomsChanged() {
      if (el.isConnected) drawRoomChoices();
    },
    careChanged() {
      if (el.isConnected) drawCare();
    },
    reportArrived(r) {
      if (!el.isConnected) return;
      if (scope && r.room !== scope) return;
      const empty = reportList.querySelector(':scope > li.muted');
      if (empty) empty.remove();
      reportList.prepend(reportItem(r));
    },
  };
}

/* Suspending and restoring accounts: admins only (15.6). */
function accountsSection(app) {
  const who = h('input', { autocapitalize: 'none', spellcheck: 'false', maxlength: '32' });
  const whoRow = field('Handle', who);
  const days = choiceSelect(SUSPEND_CHOICES, '7');
  const reason = reasonBox();
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const suspend = h('button', { type: 'button', class: 'danger' }, 'Suspend the account');
  const restore = h('button', { type: 'button' }, 'Lift the suspension');
  suspend.addEventListener('click', () => busy(suspend, whoRow.error, async () => {
    const fields = { handle: who.value.trim(), reason: reason.value.trim() };
    if (days.value) fields.days = Number(days.value);
    await app.conn.request('mod.suspend', fields);
    app.toast(`${fields.handle} is suspended.`);
  }));
  restore.addEventListener('click', () => busy(restore, whoRow.error, async () => {
    const handle = who.value.trim();
    await app.conn.request('mod.unsuspend', { handle, reason: reason.value.trim() });
    app.toast(`${handle} may sign in again.`);
  }));
  const el = h('details', { class: 'card mod-accounts' },
    h('summary', {}, 'Accounts (admins)'),
    h('div', { class: 'stack' },
      h('p', { class: 'hint' }, 'A suspension signs the person out everywhere and keeps them out of Hearth until it ends.'),
      whoRow, field('For how long', days), field('Reason (optional; they will see it)', reason), error,
      h('div', { class: 'row' }, suspend, restore)));
  return {
    el,
    draw() {
      el.hidden = serverRole(app) !== 'admin';
    },
  };
}
