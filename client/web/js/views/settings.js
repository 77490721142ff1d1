/*
 * Settings: the member's time zone, who sees their check-ins and clean time,
 * what happens on a hard day or when they go quiet, their meeting goal,
 * notifications on this device, their password, a copy of their data, and
 * deleting their account (PROTOCOL.md 5.5, 5.71-5.72, 5.85-5.86, 23.1, 24).
 */
import { busy, button, field, fill, h, localDay, showError, showFieldError, statusLine, timeZones } from '../dom.js';
import { choiceGroup, deviceTimeZone, errorSlot, getSettings, noteSettings, rememberKeepUtc } from './checkin.js';

const CONFIRM_PHRASE = 'delete my account';

function select(name, options) {
  return h('select', { name }, options.map(([value, label]) => h('option', { value: String(value) }, label)));
}

function range(from, to, label) {
  return Array.from({ length: to - from + 1 }, (_, i) => [from + i, label(from + i)]);
}

function createSettingsView(app) {
  const heading = h('h1', { tabindex: '-1' }, 'Settings');
  const intro = h('p', { class: 'muted' }, 'Everything here starts private. You decide what to share, and you can change your mind at any time.');
  const loadError = errorSlot();
  let settings = null;
  let rooms = [];

  /* --- time zone --- */
  const tz = h('select', { name: 'tz' });
  const tzRow = field('Your time zone', tz, { hint: 'Your days follow it: when a day starts for your check-ins, weeks and milestones.' });
  const tzDevice = button('Use this device’s time zone', () => { tz.value = deviceTimeZone(); }, { class: 'quiet' });
  const tzSave = h('button', { type: 'submit', class: 'primary' }, 'Save time zone');
  const tzStatus = statusLine('muted');
  const tzError = errorSlot();
  const tzForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'set-tz-title',
    onsubmit: (e) => { e.preventDefault(); save(tzSave, { tz: tzRow }, tzError, tzStatus, { tz: tz.value }); },
  }, h('h2', { id: 'set-tz-title' }, 'Time zone'), tzRow, h('div', { class: 'row' }, tzDevice), tzError, h('div', { class: 'row' }, tzSave), tzStatus);

  /* --- check-ins --- */
  const share = choiceGroup('Who sees your check-ins', {
    name: 'checkin_share',
    hint: 'Your private note is never shared, whatever you choose here.',
    options: [
      { value: 'private', label: 'Only me' },
      { value: 'buddies', label: 'My buddies' },
      { value: 'room', label: 'A room I am in' },
    ],
  });
  const shareRoom = h('select', { name: 'checkin_room' });
  const shareRoomRow = field('Room for your check-ins', shareRoom, {
    hint: 'Hearth posts a short message there in your name: your mood, craving, how many warning signs (never which), what you are grateful for and your win.',
  });
  const threshold = select('warning_threshold', range(1, 11, (n) => `${n} warning sign${n === 1 ? '' : 's'}`));
  const thresholdRow = field('A hard day is when I notice', threshold, {
    hint: 'On such a day your check-in brings up your plan and your crisis card at once.',
  });
  const alertBuddies = h('input', { type: 'checkbox', name: 'alert_buddies' });
  const alertRow = checkRow(alertBuddies, 'Let my buddies know on a hard day',
    'They hear that today may be hard and how many signs you noticed: never which, and nothing else of your check-in. At most once a day.');
  const nudges = h('input', { type: 'checkbox', name: 'isolation_nudges' });
  const nudgesRow = checkRow(nudges, 'Nudge my buddies if I go quiet',
    'If you neither check in nor sign in for a while, your buddies get one gentle nudge to reach out.');
  const quietDays = select('isolation_days', range(1, 14, (n) => `${n} day${n === 1 ? '' : 's'}`));
  const quietRow = field('Quiet for', quietDays);
  const goal = select('meeting_goal', [[0, 'No goal'], ...range(1, 21, (n) => `${n} meeting${n === 1 ? '' : 's'} a week`)]);
  const goalRow = field('Meetings I aim for', goal);
  const ciSave = h('button', { type: 'submit', class: 'primary' }, 'Save check-in settings');
  const ciStatus = statusLine('muted');
  const ciError = errorSlot();
  const ciRows = {
    checkin_share: share, checkin_room: shareRoomRow, warning_threshold: thresholdRow, alert_buddies: alertRow,
    isolation_nudges: nudgesRow, isolation_days: quietRow, meeting_goal: goalRow,
  };
  const ciForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'set-ci-title',
    onsubmit: (e) => { e.preventDefault(); saveCheckins(); },
  }, h('h2', { id: 'set-ci-title' }, 'Check-ins'), share, shareRoomRow, thresholdRow, alertRow, nudgesRow, quietRow, goalRow,
  ciError, h('div', { class: 'row' }, ciSave), ciStatus);
  share.addEventListener('change', () => { shareRoomRow.hidden = share.value() !== 'room'; });
  nudges.addEventListener('change', () => { quietDays.disabled = !nudges.checked; });

  /* --- clean time --- */
  const soberShare = choiceGroup('Who sees your clean time', {
    name: 'sobriety_share',
    hint: 'Your earlier periods are only ever shown to you.',
    options: [
      { value: 'private', label: 'Only me' },
      { value: 'buddies', label: 'My buddies (they also hear of your milestones)' },
      { value: 'everyone', label: 'Everyone signed in to Hearth' },
    ],
  });
  const milestoneRoom = h('select', { name: 'milestone_room' });
  const milestoneRow = field('Also tell a room of my milestones', milestoneRoom, {
    hint: 'When you share your clean time, Hearth posts “Reached 30 days clean today.” there in your name.',
  });
  const ctSave = h('button', { type: 'submit', class: 'primary' }, 'Save clean time settings');
  const ctStatus = statusLine('muted');
  const ctError = errorSlot();
  const ctForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'set-ct-title',
    onsubmit: (e) => { e.preventDefault(); saveCleanTime(); },
  }, h('h2', { id: 'set-ct-title' }, 'Clean time'), soberShare, milestoneRow,
  h('p', {}, h('a', { href: '#/cleantime' }, 'Your clean time and sobriety date')),
  ctError, h('div', { class: 'row' }, ctSave), ctStatus);
  soberShare.addEventListener('change', () => { milestoneRoom.disabled = soberShare.value() === 'private'; });

  /* --- conversations --- */
  const receipts = h('input', { type: 'checkbox', name: 'read_receipts' });
  const receiptsRow = checkRow(receipts, 'Show when I have read a conversation',
    'Your buddy sees “Seen” under their message once you have read it, and you see the same of theirs. Turn it off and neither of you sees it; “Delivered” still shows.');
  const rrSave = h('button', { type: 'submit', class: 'primary' }, 'Save conversation settings');
  const rrStatus = statusLine('muted');
  const rrError = errorSlot();
  const rrForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'set-rr-title',
    onsubmit: (e) => {
      e.preventDefault();
      save(rrSave, { read_receipts: receiptsRow }, rrError, rrStatus, { read_receipts: receipts.checked });
    },
  }, h('h2', { id: 'set-rr-title' }, 'Private conversations'), receiptsRow, rrError, h('div', { class: 'row' }, rrSave), rrStatus);

  /* --- notifications --- */
  const notify = h('input', { type: 'checkbox', name: 'notifications' });
  const notifyRow = checkRow(notify, 'Show notifications on this device',
    'A notification only ever says “Hearth” and what kind of news it is: never who, and never what anyone wrote.');
  const notifyStatus = statusLine('muted');
  const notifyCard = h('section', { class: 'card stack', 'aria-labelledby': 'set-notify-title' },
    h('h2', { id: 'set-notify-title' }, 'Notifications'), notifyRow, notifyStatus);
  notify.addEventListener('change', async () => {
    notifyStatus.textContent = '';
    if (notify.checked) {
      notify.disabled = true;
      const on = await app.notifications.enable().catch(() => false);
      notify.disabled = false;
      notify.checked = on;
      notifyStatus.textContent = on ? 'Notifications are on for this device.'
        : 'Your browser did not allow notifications. You can allow them for this site in the browser’s settings, then try again.';
    } else {
      app.notifications.disable();
      notifyStatus.textContent = 'Notifications are off for this device.';
    }
  });

  /* --- password --- */
  const oldPw = h('input', { type: 'password', name: 'old_password', autocomplete: 'current-password' });
  const newPw = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password' });
  const newPw2 = h('input', { type: 'password', name: 'new_password_again', autocomplete: 'new-password' });
  const pwRows = {
    old_password: field('Current password', oldPw),
    new_password: field('New password', newPw, { hint: 'At least 12 characters. A short sentence works well.' }),
    again: field('New password again', newPw2),
  };
  const pwSave = h('button', { type: 'submit', class: 'primary' }, 'Change password');
  const pwStatus = statusLine('muted');
  const pwError = errorSlot();
  const pwForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'set-pw-title',
    onsubmit: (e) => { e.preventDefault(); changePassword(); },
  }, h('h2', { id: 'set-pw-title' }, 'Password'), pwRows.old_password, pwRows.new_password, pwRows.again,
  pwError, h('div', { class: 'row' }, pwSave), pwStatus);

  /* --- your data --- */
  const exportButton = button('Download my data', () => exportData(), { class: 'secondary' });
  const exportStatus = statusLine('muted');
  const exportError = errorSlot();
  const exportLink = h('p', { hidden: true });
  const dataCard = h('section', { class: 'card stack', 'aria-labelledby': 'set-data-title' },
    h('h2', { id: 'set-data-title' }, 'Your data'),
    h('p', {}, 'Download a copy of everything Hearth holds about you: your check-ins and notes, your plan and card, your clean time, your buddies, your messages and more, as one JSON file.'),
    h('p', { class: 'muted' }, 'The file holds private things. Keep it somewhere only you can open.'),
    h('div', { class: 'row' }, exportButton), exportError, exportStatus, exportLink);

  /* --- delete --- */
  const delPw = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const delConfirm = h('input', { name: 'confirm', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const delRows = {
    password: field('Your password', delPw),
    confirm: field(`To confirm, type “${CONFIRM_PHRASE}”`, delConfirm),
  };
  const delButton = h('button', { type: 'submit', class: 'danger' }, 'Delete my account for good');
  const delStatus = statusLine('muted');
  const delError = errorSlot();
  const delForm = h('form', {
    class: 'stack', novalidate: true, 'aria-label': 'Delete your account',
    onsubmit: (e) => { e.preventDefault(); deleteAccount(); },
  }, delRows.password, delRows.confirm, delError, h('div', { class: 'row' }, delButton), delStatus);
  const delCard = h('section', { class: 'card stack delete-card', 'aria-labelledby': 'set-del-title' },
    h('h2', { id: 'set-del-title' }, 'Delete your account'),
    h('p', {}, 'This removes your account and everything personal for good: check-ins, journal, plan, card, clean time, buddies, pings and your messages. It cannot be undone. You may want to download your data first.'),
    h('details', {}, h('summary', {}, 'I want to delete my account'), delForm));

  const el = h('div', { class: 'recovery settings-view stack' },
    heading, intro, loadError, tzForm, ciForm, ctForm, rrForm, notifyCard, pwForm, dataCard, delCard);

  function checkRow(input, labelText, hintText) {
    const id = `chk-${input.name}`;
    input.id = id;
    const hint = h('p', { class: 'hint', id: `${id}-hint` }, hintText);
    const error = errorSlot();
    error.id = `${id}-err`;
    input.setAttribute('aria-describedby', `${id}-hint ${id}-err`);
    const row = h('div', { class: 'field check-field' }, h('div', { class: 'check-line' }, input, h('label', { for: id }, labelText)), hint, error);
    row.control = input;
    row.error = error;
    return row;
  }

  function roomOptions(sel, { none }) {
    const options = [];
    if (none) options.push(h('option', { value: '' }, none));
    for (const r of rooms) options.push(h('option', { value: r.room }, r.title || r.room));
    fill(sel, options);
  }

  /* A form the member is changing is not overwritten by a refresh. */
  const forms = [tzForm, ciForm, ctForm, rrForm];
  for (const f of forms) {
    f.addEventListener('input', () => { f.dataset.dirty = '1'; });
    f.addEventListener('change', () => { f.dataset.dirty = '1'; });
  }

  function render(s, only = null) {
    settings = s;
    if (only) delete only.dataset.dirty;
    const fresh = (f) => (only ? f === only : !f.dataset.dirty);
    if (fresh(tzForm)) renderTz(s);
    if (fresh(ciForm)) renderCheckins(s);
    if (fresh(ctForm)) renderCleanTime(s);
    if (fresh(rrForm)) receipts.checked = s.read_receipts !== false;
    notify.disabled = !app.notifications?.supported;
    notify.checked = !!app.notifications?.enabled();
    if (!app.notifications?.supported) notifyStatus.textContent = 'This browser cannot show notifications.';
  }

  function renderTz(s) {
    fill(tz, timeZones('UTC', s.tz, deviceTimeZone()).map((z) => h('option', { value: z }, z.replace(/_/g, ' '))));
    tz.value = s.tz;
    const here = deviceTimeZone();
    tzDevice.hidden = !here || here === s.tz;
    tzDevice.textContent = `Use this device’s time zone (${(here || '').replace(/_/g, ' ')})`;
  }

  function renderCheckins(s) {
    share.set(s.checkin_share);
    roomOptions(shareRoom, { none: rooms.length ? null : 'You are not in any room yet' });
    if (s.checkin_share === 'room' && s.checkin_room) {
      if (![...shareRoom.options].some((o) => o.value === s.checkin_room)) shareRoom.append(h('option', { value: s.checkin_room }, s.checkin_room));
      shareRoom.value = s.checkin_room;
    }
    shareRoomRow.hidden = s.checkin_share !== 'room';
    threshold.value = String(s.warning_threshold);
    alertBuddies.checked = !!s.alert_buddies;
    nudges.checked = !!s.isolation_nudges;
    quietDays.value = String(s.isolation_days);
    quietDays.disabled = !s.isolation_nudges;
    goal.value = String(s.meeting_goal);
  }

  function renderCleanTime(s) {
    soberShare.set(s.sobriety_share);
    roomOptions(milestoneRoom, { none: 'No room' });
    if (s.milestone_room && ![...milestoneRoom.options].some((o) => o.value === s.milestone_room)) {
      milestoneRoom.append(h('option', { value: s.milestone_room }, s.milestone_room));
    }
    milestoneRoom.value = s.milestone_room || '';
    milestoneRoom.disabled = s.sobriety_share === 'private';
  }

  async function save(control, rows, errorEl, statusEl, fields) {
    const form = control.form;
    statusEl.textContent = '';
    showFieldError(rows, errorEl, null);
    control.disabled = true;
    try {
      const data = await app.conn.request('settings.set', fields);
      noteSettings(data.settings);
      if ('tz' in fields) rememberKeepUtc(fields.tz === 'UTC' && deviceTimeZone() !== 'UTC');
      render(data.settings, form);
      statusEl.textContent = 'Saved.';
      return true;
    } catch (err) {
      if (err.code === 'unknown_time_zone' && !err.field) err.field = 'tz';
      if (err.code === 'not_member' || err.code === 'room_not_found') {
        err.field = err.field || ('checkin_room' in fields ? 'checkin_room' : 'milestone_room');
      }
      showFieldError(rows, errorEl, err);
      return false;
    } finally {
      control.disabled = false;
    }
  }

  function saveCheckins() {
    const fields = {
      checkin_share: share.value() || 'private',
      warning_threshold: Number(threshold.value),
      alert_buddies: alertBuddies.checked,
      isolation_nudges: nudges.checked,
      isolation_days: Number(quietDays.value),
      meeting_goal: Number(goal.value),
    };
    if (fields.checkin_share === 'room') {
      if (!shareRoom.value) {
        showError(shareRoomRow.error, { message: 'Choose the room to share in. You can join one under Rooms first.' });
        shareRoom.focus();
        return;
      }
      fields.checkin_room = shareRoom.value;
    }
    save(ciSave, ciRows, ciError, ciStatus, fields);
  }

  function saveCleanTime() {
    const fields = { sobriety_share: soberShare.value() || 'private' };
    if (fields.sobriety_share !== 'private') fields.milestone_room = milestoneRoom.value;
    save(ctSave, { sobriety_share: soberShare, milestone_room: milestoneRow }, ctError, ctStatus, fields);
  }

  async function changePassword() {
    pwStatus.textContent = '';
    showFieldError(pwRows, pwError, null);
    if (!oldPw.value) {
      showError(pwRows.old_password.error, { message: 'Write your current password.' });
      oldPw.focus();
      return;
    }
    if (new TextEncoder().encode(newPw.value).length < 12) {
      showError(pwRows.new_password.error, { message: 'The new password needs at least 12 characters.' });
      newPw.focus();
      return;
    }
    if (newPw.value !== newPw2.value) {
      showError(pwRows.again.error, { message: 'The two new passwords are not the same. Please type it again.' });
      newPw2.focus();
      return;
    }
    pwSave.disabled = true;
    try {
      const data = await app.conn.request('auth.password', { old_password: oldPw.value, new_password: newPw.value });
      app.replaceToken(data.token);
      oldPw.value = '';
      newPw.value = '';
      newPw2.value = '';
      pwStatus.textContent = 'Your password is changed. Your other devices will ask you to log in again.';
    } catch (err) {
      if (err.code === 'invalid_credentials') err = { message: 'That is not your current password.', field: 'old_password' };
      else if (err.code === 'password_policy' && !err.field) err.field = 'new_password';
      showFieldError(pwRows, pwError, err);
    } finally {
      pwSave.disabled = false;
    }
  }

  let exportUrl = null;
  async function exportData() {
    exportStatus.textContent = 'Gathering your data…';
    exportLink.hidden = true;
    const ok = await busy(exportButton, exportError, async () => {
      const first = await app.conn.request('account.export');
      const parts = [first.data];
      for (let i = 1; i < first.parts; i++) {
        exportStatus.textContent = `Gathering your data: part ${i + 1} of ${first.parts}…`;
        const next = await app.conn.request('account.export', { export: first.export, part: i });
        parts.push(next.data);
      }
      if (exportUrl) URL.revokeObjectURL(exportUrl);
      exportUrl = URL.createObjectURL(new Blob(parts, { type: 'application/json' }));
      const name = `hearth-data-${localDay()}.json`;
      const link = h('a', { href: exportUrl, download: name }, `Save ${name} again`);
      fill(exportLink, 'If the download did not start: ', link);
      exportLink.hidden = false;
      h('a', { href: exportUrl, download: name }).click();
      return true;
    });
    exportStatus.textContent = ok ? 'Your data is downloaded.' : '';
  }

  async function deleteAccount() {
    delStatus.textContent = '';
    showFieldError(delRows, delError, null);
    if (!delPw.value) {
      showError(delRows.password.error, { message: 'Write your password.' });
      delPw.focus();
      return;
    }
    if (delConfirm.value.trim().toLowerCase() !== CONFIRM_PHRASE) {
      showError(delRows.confirm.error, { message: `Type “${CONFIRM_PHRASE}” to confirm. This is here so that nobody deletes an account by accident.` });
      delConfirm.focus();
      return;
    }
    delButton.disabled = true;
    try {
      await app.conn.request('account.delete', { password: delPw.value, confirm: CONFIRM_PHRASE });
      delStatus.textContent = 'Your account is deleted. Take good care of yourself.';
      /* The server ends the session itself (session.revoked); in case that never arrives: */
      setTimeout(() => { if (app.me) app.forgetSession('Your account is deleted. Take good care of yourself.'); }, 3000);
    } catch (err) {
      if (err.code === 'invalid_credentials') err = { message: 'That is not your password.', field: 'password' };
      showFieldError(delRows, delError, err);
    } finally {
      delButton.disabled = false;
    }
  }

  async function load() {
    showError(loadError, null);
    try {
      const [s, list] = await Promise.all([
        getSettings(app, { fresh: true }),
        app.conn.request('room.list').catch(() => ({ rooms: [] })),
      ]);
      rooms = (list.rooms || []).filter((r) => r.joined && (!r.kind || r.kind === 'room'));
      render(s);
    } catch (err) {
      showError(loadError, err);
    }
  }

  return {
    el,
    show() {
      for (const s of [tzStatus, ciStatus, ctStatus, pwStatus, exportStatus, delStatus]) s.textContent = '';
      if (settings) render(settings);
      load();
    },
    hide() {
      for (const f of forms) delete f.dataset.dirty;
      if (exportUrl) URL.revokeObjectURL(exportUrl);
      exportUrl = null;
      exportLink.hidden = true;
    },
  };
}

export function install(app) {
  app.addView({ id: 'settings', title: 'Settings', nav: true, order: 90, create: createSettingsView });
}
