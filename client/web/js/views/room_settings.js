/*
 * Room settings, above the conversation, for the room's moderators
 * (PROTOCOL.md 5.16, 5.30, 5.32, 15.5, 19): slow mode, lock, member limit and
 * newcomer wait; for hosts also the meeting switch, the format text,
 * retention and "what is said here stays here"; lifting a ban.
 */
import { busy, field, fill, fmtDuration, h, uid } from '../dom.js';
import { hosts, moderates } from './roles.js';
import { keptPanels } from './room_panels.js';

const SLOW_CHOICES = [0, 10, 30, 60, 120, 300, 600, 1800, 3600];
const NEWCOMER_CHOICES = [0, 60, 300, 600, 1800, 3600, 86400];
const RETENTION_CHOICES = [0, 1, 7, 30, 90, 365];

export function install(app) {
  const panels = keptPanels((roomCtx) => settingsSection(app, roomCtx));
  app.onSignedIn(({ resumed }) => {
    if (!resumed) panels.clear();
  });
  app.addRoomExtension({ panel: panels.panel });
}

function secondsChoices(values, current, offWord) {
  const all = [...new Set([...values, current])].sort((a, b) => a - b);
  return all.map((v) => h('option', { value: String(v), selected: v === current }, v === 0 ? offWord : fmtDuration(v * 1000)));
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
    confBox.hidden = !hosts(app, room);
    if (!confForm.contains(document.activeElement)) {
      meeting.checked = !!room.meeting;
      const days = room.retention_days || 0;
      fill(retention, [...new Set([...RETENTION_CHOICES, days])].sort((a, b) => a - b)
        .map((d) => h('option', { value: String(d), selected: d === days },
          d === 0 ? 'As long as the room exists' : `${d} day${d === 1 ? '' : 's'}`)));
      ephemeral.checked = !!room.ephemeral;
    }
  }

  draw();
  return {
    name,
    el,
    setCtx(ctx) {
      roomCtx = ctx;
      draw();
    },
  };
}
