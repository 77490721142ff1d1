/*
 * The Moderation screen (PROTOCOL.md 5.33-5.35, 5.40-5.41, 6.11, 6.15,
 * sections 15-18): who may need a kind word (safety.alert), the reports
 * queue (live), the audit log (a room's, or the whole server's for admins),
 * and for admins suspending an account. In the navigation for server
 * moderators and for anyone who moderates a room.
 *
 * In a room: moderation_room.js (actions) and room_settings.js; what a
 * member is told: safety_notices.js.
 */
import { busy, button, field, fill, fmtTime, h, showError } from '../dom.js';
import { isAdmin, isServerModerator, moderates } from './roles.js';
import { REASON_MAX, choiceSelect, reasonBox } from './moderation_dialog.js';

const SUSPEND_CHOICES = [['1', '1 day'], ['7', '1 week'], ['30', '30 days'], ['', 'Until an admin lifts it']];
const LOG_PAGE = 30;

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

export function install(app) {
  const modRooms = new Map();       /* room -> room object: rooms the member moderates */
  const needsCare = [];             /* safety.alert events seen this session */
  let view = null;
  let loadingRooms = null;

  /* Which rooms the member moderates: for the navigation and the log's room list. */
  function refreshModRooms() {
    if (loadingRooms) return loadingRooms;
    loadingRooms = app.conn.request('room.list').then(({ rooms }) => {
      const before = modRooms.size > 0;
      modRooms.clear();
      for (const r of rooms) if (r.joined && moderates(app, r)) modRooms.set(r.room, r);
      if (before !== modRooms.size > 0) app.refreshNav();
      view?.roomsChanged();
    }).catch(() => {}).finally(() => { loadingRooms = null; });
    return loadingRooms;
  }

  app.onSignedIn(({ resumed }) => {
    if (!resumed) needsCare.length = 0;
    refreshModRooms();
  });

  /* Joining or making a room may make the member its host; a role may change. */
  app.conn.on('room.joined', (ev) => {
    if (app.me && ev.handle === app.me.handle) refreshModRooms();
  });
  app.conn.on('room.role', (ev) => {
    if (app.me && ev.handle === app.me.handle) refreshModRooms();
  });

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

  app.addView({
    id: 'moderation', title: 'Moderation', nav: true, order: 80,
    visible: () => isServerModerator(app) || modRooms.size > 0,
    create: () => {
      view = createModerationView(app, { modRooms, needsCare, refreshModRooms });
      return view;
    },
  });
}

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
    if (isAdmin(app)) choices.unshift(h('option', { value: '' }, 'The whole server'));
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
      el.hidden = !isAdmin(app);
    },
  };
}
