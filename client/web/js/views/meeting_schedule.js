/*
 * A meeting room's weekly schedule (PROTOCOL.md 5.44-5.45, 14.9): the next
 * meetings and the weekly times, in the meeting panel's "When we meet", and
 * the editor hosts change them with. Each slot keeps its own zone's wall
 * time; everyone sees it in their own time.
 */
import { busy, field, fill, fmtDuration, h, showError, timeZones, uid } from '../dom.js';
import { hosts } from './roles.js';
import { dayHeading, localZone, timeRange, zoneName, zoneTime } from './meeting_time.js';

const DAYS = [
  ['mon', 'Mon', 'Monday'], ['tue', 'Tue', 'Tuesday'], ['wed', 'Wed', 'Wednesday'],
  ['thu', 'Thu', 'Thursday'], ['fri', 'Fri', 'Friday'], ['sat', 'Sat', 'Saturday'], ['sun', 'Sun', 'Sunday'],
];
const MAX_SLOTS = 14;

/* "When we meet" in the meeting panel: loaded when it is opened. */
export function scheduleSection(app, name, getCtx) {
  const nextList = h('ul', { class: 'list meeting-next' });
  const slotsText = h('ul', { class: 'list meeting-slots' });
  const loadError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const editorHost = h('div', { class: 'meeting-schedule-editor' });
  const details = h('details', { class: 'meeting-schedule' },
    h('summary', {}, 'When we meet'),
    h('div', { class: 'stack' },
      h('div', {}, h('h3', { class: 'meeting-subhead' }, 'Next meetings'), nextList),
      h('div', {}, h('h3', { class: 'meeting-subhead' }, 'Every week'), slotsText),
      loadError, editorHost));
  let slots = null;
  let editor = null;

  async function load() {
    showError(loadError, null);
    try {
      const [sched, upcoming] = await Promise.all([
        app.conn.request('meeting.schedule', { room: name }),
        app.conn.request('meeting.upcoming', { room: name, days: 14, limit: 3 }),
      ]);
      slots = sched.slots;
      drawSlots();
      fill(nextList, upcoming.meetings.length ? upcoming.meetings.map(upcomingLine)
        : h('li', { class: 'muted' }, 'No meetings in the next two weeks.'));
      drawEditor();
    } catch (err) {
      showError(loadError, err);
    }
  }

  function drawSlots() {
    fill(slotsText, slots.length ? slots.map((s) => h('li', {}, slotSentence(s)))
      : h('li', { class: 'muted' }, 'No weekly times are set. The chair opens the meeting when it starts.'));
  }

  function drawEditor() {
    if (!hosts(app, getCtx().room || {})) {
      editorHost.replaceChildren();
      editor = null;
      return;
    }
    editor = scheduleEditor(app, name, slots, (saved) => {
      slots = saved;
      drawSlots();
      load();
    });
    fill(editorHost, editor);
  }

  details.addEventListener('toggle', () => {
    if (details.open) load();
  });

  return {
    el: details,
    update() {
      if (details.open && slots && !!editor !== hosts(app, getCtx().room || {})) drawEditor();
    },
  };
}

function slotSentence(s) {
  const days = DAYS.filter(([d]) => s.days.includes(d)).map(([, , long]) => `${long}s`);
  const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : days[0];
  return `${list} at ${s.start} ${zoneName(s.tz)} time, for ${fmtDuration(s.minutes * 60000)}`;
}

function upcomingLine(m) {
  const start = m.starts_at;
  const theirs = zoneTime(start, m.tz);
  return h('li', {},
    h('span', {}, `${dayHeading(start)}, ${timeRange(start, m.ends_at)}`),
    theirs ? h('span', { class: 'muted' }, ` (${theirs})`) : null,
    m.open ? h('span', { class: 'badge meeting-open' }, 'Open now') : null);
}

/* The host's editor: each slot is days, a start, a length and a zone. */
function scheduleEditor(app, room, slots, onSaved) {
  const list = h('div', { class: 'stack' });
  const formError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const addButton = h('button', { type: 'button', class: 'quiet' }, 'Add a weekly time');
  const saveButton = h('button', { type: 'submit', class: 'primary' }, 'Save the schedule');
  const rows = [];

  function slotRow(slot) {
    const row = { el: null };
    const legendText = () => `Weekly time ${rows.indexOf(row) + 1}`;
    const legend = h('legend', {});
    row.days = DAYS.map(([d, short, long]) => {
      const box = h('input', { type: 'checkbox', value: d, checked: slot.days.includes(d), id: uid('day'), 'aria-label': long });
      return { d, box, label: h('label', { for: box.id, title: long }, short) };
    });
    const daysBox = h('fieldset', { class: 'meeting-days' }, h('legend', {}, 'Days'),
      row.days.map((x) => h('span', { class: 'meeting-day' }, x.box, x.label)));
    row.start = h('input', { type: 'time', value: slot.start, required: true });
    row.minutes = h('input', { type: 'number', min: '5', max: '720', step: '5', value: String(slot.minutes), inputmode: 'numeric' });
    row.tz = h('select', {}, timeZones(slot.tz, localZone, 'UTC').map((z) => h('option', { value: z, selected: z === slot.tz }, z)));
    const remove = h('button', { type: 'button', class: 'quiet' });
    remove.addEventListener('click', () => {
      const i = rows.indexOf(row);
      rows.splice(i, 1);
      row.el.remove();
      renumber();
      (rows[i] || rows[i - 1])?.el.querySelector('input')?.focus() || addButton.focus();
    });
    row.el = h('fieldset', { class: 'meeting-slot' }, legend, daysBox,
      h('div', { class: 'row' }, field('Starts at', row.start), field('How long (minutes)', row.minutes)),
      field('Time zone', row.tz, { hint: 'The meeting keeps this wall-clock time when the clocks change.' }),
      remove);
    row.legend = legend;
    row.remove = remove;
    row.label = legendText;
    return row;
  }

  function renumber() {
    for (const r of rows) {
      r.legend.textContent = r.label();
      r.remove.textContent = `Remove weekly time ${rows.indexOf(r) + 1}`;
    }
    addButton.hidden = rows.length >= MAX_SLOTS;
  }

  function add(slot) {
    const row = slotRow(slot);
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  }

  for (const s of slots) add(s);
  addButton.addEventListener('click', () => {
    const row = add({ days: [], start: '19:00', minutes: 60, tz: localZone });
    row.days[0].box.focus();
  });

  const form = h('form', {
    class: 'stack meeting-schedule-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const out = rows.map((r) => ({
        days: r.days.filter((x) => x.box.checked).map((x) => x.d),
        start: r.start.value,
        minutes: Number(r.minutes.value),
        tz: r.tz.value,
      }));
      const empty = out.findIndex((s) => !s.days.length);
      if (empty >= 0) {
        showError(formError, { message: `Choose at least one day for weekly time ${empty + 1}.` });
        rows[empty].days[0].box.focus();
        return;
      }
      const data = await busy(saveButton, formError, () => app.conn.request('meeting.schedule', { room, slots: out }));
      if (data) {
        app.toast('The schedule is saved.');
        onSaved(data.slots);
      }
    },
  }, h('h3', { class: 'meeting-subhead' }, 'Change the schedule'),
  h('p', { class: 'hint' }, 'Times are in each slot\'s own time zone; everyone sees them in their own time.'),
  list, addButton, formError, saveButton);
  return form;
}
