/*
 * "Running the meeting", in the meeting panel, for those who run it
 * (PROTOCOL.md 5.16, 5.18, 5.24, 14.2-14.5): who may post while it is open, passing the floor
 * to the next raised hand by itself, and for hosts the length of a share
 * and the chair.
 */
import { busy, field, fill, fmtDuration, h, uid } from '../dom.js';

const SHARE_MINUTES = [1, 2, 3, 4, 5, 7, 10, 15, 20, 30];

/* act(control, type, fields, slot): the panel's meeting request. */
export function runSection(app, name, { act, getCtx }) {
  const modeSelect = h('select', { dataset: { key: 'mode' } },
    h('option', { value: 'one_speaker' }, 'Only the person with the floor'),
    h('option', { value: 'open' }, 'Everyone'));
  const autoBox = h('input', { type: 'checkbox', id: uid('auto'), dataset: { key: 'auto' } });
  const shareSelect = h('select', { dataset: { key: 'share' } });
  const shareRow = field('Length of a share', shareSelect);
  const chairSelect = h('select', { dataset: { key: 'chair' } });
  const chairButton = h('button', { type: 'button', dataset: { key: 'chair-save' } }, 'Name the chair');
  /* meeting.chair with a null handle: nobody named, the host chairs again (5.18). */
  const unchairButton = h('button', { type: 'button', class: 'quiet', hidden: true, dataset: { key: 'chair-clear' } },
    'Chair it yourself again');
  const chairRow = field('Chair', chairSelect, { hint: 'When no chair is named, the host chairs.' });
  chairRow.append(h('div', { class: 'row' }, chairButton, unchairButton));
  const runError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const el = h('details', { class: 'meeting-run' },
    h('summary', {}, 'Running the meeting'),
    h('div', { class: 'stack' },
      field('Who may post while the meeting is open', modeSelect),
      h('div', { class: 'field mm-check' }, autoBox,
        h('label', { for: autoBox.id }, 'Pass the floor to the next raised hand by itself')),
      shareRow, chairRow, runError));

  modeSelect.addEventListener('change', () => act(modeSelect, 'meeting.mode', { mode: modeSelect.value }, runError));
  autoBox.addEventListener('change', () => act(autoBox, 'meeting.mode', { auto: autoBox.checked }, runError));
  shareSelect.addEventListener('change', () => busy(shareSelect, shareRow.error, async () => {
    const roomCtx = getCtx();
    const data = await app.conn.request('room.configure', { room: name, share_seconds: Number(shareSelect.value) });
    if (data && data.room) {
      Object.assign(roomCtx.room, data.room);
      roomCtx.refresh();
    }
    app.toast(`Shares are now ${fmtDuration(Number(shareSelect.value) * 1000)}.`);
  }));
  chairButton.addEventListener('click', () => {
    if (!chairSelect.value) return;
    act(chairButton, 'meeting.chair', { handle: chairSelect.value }, chairRow.error).then((data) => {
      if (data) app.toast(`${chairSelect.value} chairs the meeting now.`);
    });
  });

  unchairButton.addEventListener('click', () => {
    const self = unchairButton.dataset.self === 'yes';
    act(unchairButton, 'meeting.chair', { handle: null }, chairRow.error).then((data) => {
      if (data) app.toast(self ? 'You chair the meeting again.' : 'The host chairs the meeting again.');
    });
  });

  /* st: the meeting state; runner: the caller runs the meeting; host: hosts the room. */
  function update(st, { runner, host }) {
    el.hidden = !runner;
    modeSelect.value = st.mode;
    autoBox.checked = !!st.auto;
    shareRow.hidden = !host;
    const minutes = Math.round(st.share_seconds / 60);
    const opts = [...new Set([...SHARE_MINUTES, minutes])].sort((a, b) => a - b);
    fill(shareSelect, opts.map((m) => h('option', { value: String(m * 60), selected: m === minutes },
      `${m} minute${m === 1 ? '' : 's'}`)));
    chairRow.hidden = !host;
    const roomCtx = getCtx();
    const chairNow = st.chair || '';
    fillChairs(chairNow);
    /* Without a named chair the state names the host: clearing is offered only
     * while someone else chairs. */
    const hostHandle = [...(roomCtx.members?.values() || [])].find((m) => m.role === 'host')?.handle || null;
    const self = !!app.me && hostHandle === app.me.handle;
    unchairButton.hidden = !host || !chairNow || chairNow === hostHandle;
    unchairButton.dataset.self = self ? 'yes' : 'no';
    unchairButton.textContent = self ? 'Chair it yourself again' : 'Let the host chair again';
  }

  /* The members to choose from, as the room knows them now: also refilled when
   * the list is about to be used (someone may have joined since the meeting's
   * last change), keeping what was chosen. */
  function fillChairs(chosen = chairSelect.value) {
    const roomCtx = getCtx();
    const members = roomCtx.members ? [...roomCtx.members.keys()].sort() : [];
    fill(chairSelect, h('option', { value: '', disabled: true, selected: !chosen }, 'Choose a member'),
      members.map((m) => h('option', { value: m, selected: m === chosen }, m)));
  }
  chairSelect.addEventListener('focus', () => fillChairs());
  chairSelect.addEventListener('mousedown', () => fillChairs());

  return { el, update };
}
