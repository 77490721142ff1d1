/*
 * Room settings, above the conversation, for the room's moderators
 * (PROTOCOL.md 5.16, 5.30, 5.32, 15.5, 19): slow mode, lock, member limit and
 * newcomer wait; for hosts also the meeting switch, the format text,
 * retention and "what is said here stays here"; the mutes and bans in force
 * (mod.sanctions, 5.88), each ban with a button to lift it and each mute with
 * its end and a button to lift it.
 */
import { busy, field, fill, fmtDuration, fmtTime, h, uid } from '../dom.js';
import { hosts, moderates } from './roles.js';
import { keptPanels } from './room_panels.js';
import { inForce, loadSanctions, onSanctions, sanctionsIn } from './sanctions.js';

const SLOW_CHOICES = [0, 10, 30, 60, 120, 300, 600, 1800, 3600];
const NEWCOMER_CHOICES = [0, 60, 300, 600, 1800, 3600, 86400];
const RETENTION_CHOICES = [0, 1, 7, 30, 90, 365];

export function install(app) {
  /* room -> the format text as the meeting state last said it (PROTOCOL.md 5,
   * "Meeting state object"): the editor starts from what the room has. */
  const formats = new Map();
  const panels = keptPanels((roomCtx) => settingsSection(app, roomCtx, formats));
  app.conn.on('meeting.state', (ev) => {
    const m = ev.meeting;
    if (!m || !m.room) return;
    formats.set(m.room, m.format || '');
    for (const p of panels.shown(m.room)) p.formatChanged();
  });
  app.onSignedIn(({ resumed }) => {
    formats.clear();
    if (!resumed) panels.clear();
    else for (const p of panels.shown()) p.formatChanged();
  });
  onSanctions((room) => panels.get(room)?.sanctionsChanged());
  app.addRoomExtension({ panel: panels.panel });
}

function secondsChoices(values, current, offWord) {
  const all = [...new Set([...values, current])].sort((a, b) => a - b);
  return all.map((v) => h('option', { value: String(v), selected: v === current }, v === 0 ? offWord : fmtDuration(v * 1000)));
}

/* The settings section above the conversation, for the room's moderators. */
function settingsSection(app, firstCtx, formats) {
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
  /* What you see is what is saved: the text the room has, edited here; empty clears it. */
  let formatEdited = false;   /* changed here since it was last filled in from the room */
  let formatAsked = false;    /* a meeting.state is on its way for the text */
  format.addEventListener('input', () => { formatEdited = true; });
  const formatRow = field('Meeting format', format, {
    hint: 'Shown to everyone during the meeting: the opening words, readings, how shares go. Empty means none.',
  });
  meeting.addEventListener('change', () => showFormat());
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
      /* Sent whenever it is on screen: a meeting room's text as shown (read from
       * the room, so unchanged when untouched), and for a room becoming a
       * meeting room what was written for it, empty or not. */
      if (!formatRow.hidden) fields.format = format.value;
      const data = await busy(confSave, confError, () => app.conn.request('room.configure', fields));
      if (data) {
        if ('format' in fields) formats.set(name, fields.format);
        formatEdited = false;
        if (roomCtx.room) {
          Object.assign(roomCtx.room, data.room);
          roomCtx.refresh();
        }
        app.toast(data.room.meeting ? 'Saved. This is a meeting room.' : 'Saved.');
      }
    },
  },
  h('div', { class: 'field mm-check' }, meeting, h('label', { for: meeting.id }, 'This is a meeting room: a chair, raised hands and timed shares')),
  formatRow, retentionRow,
  h('div', { class: 'field mm-check' }, ephemeral,
    h('label', { for: ephemeral.id }, 'What is said here stays here: messages are never saved')),
  confError, confSave);

  /* The mutes and bans in force (mod.sanctions): asked when the section is
   * opened (and on "Refresh": other moderators' actions are not pushed). */
  const sanctionsError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const bansList = h('ul', { class: 'list sanctions', 'aria-label': 'Banned from this room' });
  const mutesList = h('ul', { class: 'list sanctions', 'aria-label': 'Muted in this room' });
  const sanctionsNone = h('p', { class: 'muted' }, 'Nobody is muted or banned here.');
  const sanctionsLoading = h('p', { class: 'muted' }, 'Loading…');
  const bansHead = h('h3', {}, 'Banned');
  const mutesHead = h('h3', {}, 'Muted');
  const refreshButton = h('button', {
    type: 'button',
    onclick: () => busy(refreshButton, sanctionsError, () => loadSanctions(app, name)),
  }, 'Refresh');
  const sanctionsBox = h('details', {
    class: 'mod-part',
    ontoggle: () => {
      if (sanctionsBox.open) busy(null, sanctionsError, () => loadSanctions(app, name));
    },
  }, h('summary', {}, 'Mutes and bans'),
  h('div', { class: 'stack' }, sanctionsLoading, sanctionsNone, bansHead, bansList, mutesHead, mutesList,
    sanctionsError, refreshButton));

  function sanctionLine(s) {
    const end = s.until === null ? 'until a moderator lifts it' : `until ${fmtTime(s.until)}`;
    const by = s.actor ? ` by ${s.actor}` : '';
    const why = s.reason ? `: “${s.reason}”` : '';
    return `${s.kind === 'ban' ? 'Banned' : 'Muted'} ${end}${by}${why}`;
  }

  function liftButton(s) {
    const ban = s.kind === 'ban';
    const b = h('button', {
      type: 'button',
      onclick: async () => {
        const data = await busy(b, sanctionsError, () => app.conn.request(ban ? 'mod.unban' : 'mod.unmute',
          { room: name, handle: s.handle }));
        if (data) {
          app.toast(ban ? `${s.handle} may join this room again.` : `${s.handle} can post here again.`);
          busy(null, sanctionsError, () => loadSanctions(app, name));
        }
      },
    }, ban ? `Lift the ban on ${s.handle}` : `Lift the mute on ${s.handle}`);
    return b;
  }

  function drawSanctions() {
    const list = sanctionsIn(name);
    sanctionsLoading.hidden = !!list;
    const live = (list || []).filter((s) => inForce(s));
    const bans = live.filter((s) => s.kind === 'ban');
    const mutes = live.filter((s) => s.kind === 'mute');
    sanctionsNone.hidden = !list || live.length > 0;
    bansHead.hidden = bans.length === 0;
    mutesHead.hidden = mutes.length === 0;
    const item = (s) => h('li', { class: 'sanction' },
      h('span', { class: 'handle' }, s.handle), ' ',
      h('span', { class: 'muted small' }, sanctionLine(s)), ' ', liftButton(s));
    fill(bansList, ...bans.map(item));
    fill(mutesList, ...mutes.map(item));
  }
  drawSanctions();

  const logLink = h('a', { href: `#/moderation/${encodeURIComponent(name)}` }, 'Reports and log for this room');

  const confBox = h('details', { class: 'mod-part' }, h('summary', {}, 'Meetings and privacy'), confForm);
  const el = h('details', { class: 'mod-settings card' },
    h('summary', {}, 'Room settings'),
    h('div', { class: 'mod-parts' },
      h('details', { class: 'mod-part' }, h('summary', {}, 'Keeping the room calm'), modForm),
      confBox,
      sanctionsBox,
      h('p', {}, logLink)));

  /* The format field: shown for a meeting room once its text is known, and
   * for a room about to become one; the text refilled from the room unless
   * someone is editing it. */
  function showFormat() {
    const room = roomCtx.room || {};
    const known = formats.has(name);
    if (room.meeting && !known && !formatAsked && app.me) {
      formatAsked = true;
      app.conn.request('meeting.state', { room: name })
        .then((d) => { if (d?.meeting) formats.set(name, d.meeting.format || ''); })
        .catch(() => {})
        .finally(() => { formatAsked = false; showFormat(); });
    }
    formatRow.hidden = room.meeting ? !known : !meeting.checked;
    if (formatEdited || document.activeElement === format) return;
    format.value = room.meeting ? (formats.get(name) ?? '') : '';
  }

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
    confBox.hidden = !hosts(app, room);
    if (!confForm.contains(document.activeElement)) {
      meeting.checked = !!room.meeting;
      const days = room.retention_days || 0;
      fill(retention, [...new Set([...RETENTION_CHOICES, days])].sort((a, b) => a - b)
        .map((d) => h('option', { value: String(d), selected: d === days },
          d === 0 ? 'As long as the room exists' : `${d} day${d === 1 ? '' : 's'}`)));
      ephemeral.checked = !!room.ephemeral;
    }
    if (!confBox.hidden) showFormat();
  }

  draw();
  return {
    name,
    el,
    setCtx(ctx) {
      roomCtx = ctx;
      draw();
    },
    formatChanged() {
      if (!confBox.hidden) showFormat();
    },
    sanctionsChanged() {
      drawSanctions();
    },
  };
}
