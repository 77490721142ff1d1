/*
 * Meetings (PROTOCOL.md 5.16-5.25, 5.43-5.45, 6.5-6.7, section 14):
 *
 * - the "Meetings" screen: the coming meetings of every meeting room one can
 *   see, in the reader's own time with the slot's zone beside it when it
 *   differs, which ones are open now, the meeting rooms, and one's own
 *   attendance (private to the member);
 * - a room panel for meeting rooms: the format text, open or closed, the
 *   chair, who has the floor and the time left, the raised hands, and the
 *   buttons to raise a hand, to finish a share and, for those who run the
 *   meeting, to open, close, give the floor and set how it runs; the weekly
 *   schedule, which hosts can edit.
 *
 * The meeting's live state is only ever what the server last said
 * (meeting.state, always whole); the time left is counted down from
 * share_ends_at with this device's clock, corrected by the skew a `ping`
 * measured. Screen readers hear a change of speaker, never the seconds.
 */
import { button, field, fill, fmtDuration, h, showError, uid } from '../dom.js';

const DAYS = [
  ['mon', 'Mon', 'Monday'], ['tue', 'Tue', 'Tuesday'], ['wed', 'Wed', 'Wednesday'],
  ['thu', 'Thu', 'Thursday'], ['fri', 'Fri', 'Friday'], ['sat', 'Sat', 'Saturday'], ['sun', 'Sun', 'Sunday'],
];
const SHARE_MINUTES = [1, 2, 3, 4, 5, 7, 10, 15, 20, 30];
const MAX_SLOTS = 14;

/* ---------------------------------------------------------------- time */

/* The server's clock as this device best knows it (PROTOCOL.md 14.6). */
const clock = { offset: 0, measuring: null };

export function serverNow() {
  return Date.now() + clock.offset;
}

function measureSkew(app) {
  if (clock.measuring) return clock.measuring;
  const t0 = Date.now();
  clock.measuring = app.conn.request('ping').then((data) => {
    const t1 = Date.now();
    if (typeof data.ts === 'number') clock.offset = data.ts - Math.round((t0 + t1) / 2);
  }).catch(() => {}).finally(() => { clock.measuring = null; });
  return clock.measuring;
}

const localZone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
})();

/* "America/New_York" -> "New York"; "Etc/UTC" -> "UTC". */
export function zoneName(tz) {
  if (!tz) return '';
  if (/^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(tz)) return 'UTC';
  return tz.split('/').pop().replace(/_/g, ' ');
}

function formatter(opts, tz) {
  try {
    return new Intl.DateTimeFormat(undefined, tz ? { ...opts, timeZone: tz } : opts);
  } catch {
    return null; /* a zone this browser does not know */
  }
}

const timeOnly = { hour: 'numeric', minute: '2-digit' };

/* The slot's own wall time beside the reader's, when they differ:
 * "7:00 PM in New York" (with the weekday when that differs too). */
function zoneTime(ts, tz) {
  if (!tz) return null;
  const theirTime = formatter(timeOnly, tz);
  const theirDay = formatter({ weekday: 'short' }, tz);
  if (!theirTime || !theirDay) return null;
  const sameDay = theirDay.format(ts) === formatter({ weekday: 'short' }).format(ts);
  const sameTime = theirTime.format(ts) === formatter(timeOnly).format(ts);
  if (sameDay && sameTime) return null;
  return `${sameDay ? '' : `${theirDay.format(ts)} `}${theirTime.format(ts)} in ${zoneName(tz)}`;
}

function dayHeading(ts) {
  const d = new Date(ts);
  const today = new Date(serverNow());
  const tomorrow = new Date(today);
  tomorrow.setDate(today.getDate() + 1);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === tomorrow.toDateString()) return 'Tomorrow';
  return formatter({ weekday: 'long', month: 'long', day: 'numeric' }).format(d);
}

function timeRange(start, end) {
  const f = formatter(timeOnly);
  try {
    return f.formatRange(start, end);
  } catch {
    return `${f.format(start)} – ${f.format(end)}`;
  }
}

/* "4:12" */
function clockText(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/*
 * dom.busy() without its one snag: disabling the focused control throws
 * keyboard focus to the top of the page. The control is marked
 * aria-disabled instead, and a second press while waiting does nothing.
 */
export async function busy(control, slot, action) {
  showError(slot, null);
  if (control && control.dataset.busy) return undefined;
  if (control) {
    control.dataset.busy = '1';
    control.setAttribute('aria-disabled', 'true');
  }
  try {
    return await action();
  } catch (err) {
    showError(slot, err);
    return undefined;
  } finally {
    if (control) {
      delete control.dataset.busy;
      control.removeAttribute('aria-disabled');
    }
  }
}

/* ---------------------------------------------------------------- roles */

function serverModerator(app) {
  return !!app.me && (app.me.role === 'moderator' || app.me.role === 'admin');
}

/* room.configure, meeting.chair, meeting.schedule: the host and server moderators. */
function hosts(app, room) {
  return room.role === 'host' || serverModerator(app);
}

/* The chair, room moderators, the host, server moderators (14.2). */
function runs(app, room, state) {
  if (!app.me) return false;
  return hosts(app, room) || room.role === 'moderator' || (state && state.chair === app.me.handle);
}

function isConversation(room) {
  return !!room && !!room.kind && room.kind !== 'room';
}

/*
 * Keeps keyboard focus on "the same" control across a redraw (by data-key).
 * When that control went away (the floor came: "Raise my hand" gave way to
 * "Done"), focus goes to the first action there is, never to the page's top.
 */
function keepFocus(container, fallback, fn) {
  const active = document.activeElement;
  const inside = !!active && container.contains(active);
  const key = inside ? active.dataset.key : null;
  fn();
  if (!inside) return;
  const again = key ? container.querySelector(`[data-key="${CSS.escape(key)}"]`) : active;
  const usable = (el) => el && el.isConnected && !el.disabled && el.getClientRects().length > 0;
  if (usable(again)) {
    if (document.activeElement !== again) again.focus();
    return;
  }
  const next = [...fallback.querySelectorAll('button')].find(usable);
  if (next) next.focus();
}

/* The room view moves a panel out of the page and back when it redraws:
 * put keyboard focus back where it was once the panel is back. */
export function keepFocusAcross(el) {
  const active = document.activeElement;
  if (!active || !el.contains(active)) return;
  queueMicrotask(() => {
    if (el.isConnected && active.isConnected && document.activeElement !== active) active.focus({ preventScroll: true });
  });
}

/* ================================================================ install */

let configuredHook = null;

/* moderation.js's room settings changed a room object (room.configure): the
 * room view only hears of it at its next redraw, so the panel is told here. */
export function roomConfigured(name) {
  if (configuredHook) configuredHook(name);
}

export function install(app) {
  const states = new Map();   /* room -> meeting state object (as the server last said) */
  const formats = new Map();  /* room -> format text from meeting.opened (the only place it comes) */
  const warnings = new Map(); /* room -> meeting.warning for the current share */
  const panels = new Map();   /* room -> its panel, kept while the page lives (see panel() below) */

  function panelsFor(room) {
    const all = [...panels.values()].filter((p) => p.el.isConnected);
    return room === undefined ? all : all.filter((p) => p.name === room);
  }

  app.conn.on('meeting.state', (ev) => {
    const m = ev.meeting;
    if (!m || !m.room) return;
    const old = states.get(m.room);
    states.set(m.room, m);
    if (!old || old.speaker !== m.speaker || old.share_ends_at !== m.share_ends_at) {
      warnings.delete(m.room);
      if (m.speaker) measureSkew(app);
    }
    for (const p of panelsFor(m.room)) p.update();
    upcomingView?.noteState(m);
  });

  app.conn.on('meeting.opened', (ev) => {
    formats.set(ev.room, ev.format || '');
    for (const p of panelsFor(ev.room)) p.opened();
  });

  app.conn.on('meeting.warning', (ev) => {
    warnings.set(ev.room, ev);
    /* A sure point on the server's clock: seconds_left before share_ends_at. */
    const st = states.get(ev.room);
    if (st && st.speaker === ev.handle && st.share_ends_at && typeof ev.seconds_left === 'number')
      clock.offset = st.share_ends_at - ev.seconds_left * 1000 - Date.now();
    for (const p of panelsFor(ev.room)) p.update();
  });

  /* meeting.state is not replayed after a reconnect: ask again (13, item 10).
   * A new sign-in (not a resume) may be someone else: forget everything. */
  app.onSignedIn(({ resumed }) => {
    if (!resumed) {
      for (const p of panels.values()) p.dispose();
      panels.clear();
      states.clear();
      formats.clear();
      warnings.clear();
    }
    measureSkew(app);
    for (const p of panelsFor()) p.refresh();
  });

  configuredHook = (name) => {
    const p = panels.get(name);
    if (p) p.setCtx(p.ctx(), false);
  };

  let upcomingView = null;
  app.addView({
    id: 'meetings', title: 'Meetings', nav: true, order: 20,
    create: () => {
      upcomingView = createMeetingsView(app);
      return upcomingView;
    },
  });

  app.addRoomExtension({
    /*
     * The room view draws its panels again whenever the room object changes
     * (settings, roles), with a fresh roomCtx each time. The panel is made
     * once per room and handed back, so what a person is doing in it (an
     * open section, a half-edited schedule, keyboard focus) survives.
     */
    panel(roomCtx) {
      if (isConversation(roomCtx.room)) return null;
      let p = panels.get(roomCtx.name);
      if (!p) {
        p = meetingPanel(app, roomCtx, { states, formats, warnings });
        panels.set(roomCtx.name, p);
      } else {
        p.setCtx(roomCtx, !p.el.isConnected);
      }
      keepFocusAcross(p.el);
      return p.el;
    },
    memberActions(roomCtx, member) {
      const room = roomCtx.room;
      const state = states.get(roomCtx.name);
      if (!room || !room.meeting || !state || !state.open || !runs(app, room, state)) return [];
      if (state.speaker === member.handle) return [];
      return [{
        label: `Give ${member.handle} the floor`,
        run: () => app.conn.request('meeting.floor', { room: roomCtx.name, handle: member.handle })
          .then(() => app.toast(`${member.handle} has the floor.`))
          .catch((err) => app.toast(err.message)),
      }];
    },
  });
}

/* ================================================================ the room panel */

function meetingPanel(app, firstCtx, store) {
  const name = firstCtx.name;
  let roomCtx = firstCtx;
  const headId = uid('mtg');
  const p = { name, el: null };
  let ticker = null;
  let lastSpeaker;            /* undefined until the first state: no announcement then */
  let lastOpen;
  let loading = null;

  const statusBadge = h('span', { class: 'badge meeting-badge' });
  const chairLine = h('span', { class: 'muted small meeting-chair' });
  const formatBody = h('p', { class: 'meeting-format-text' });
  const format = h('details', { class: 'meeting-format', hidden: true },
    h('summary', {}, 'How this meeting works'), formatBody);
  const floorLine = h('p', { class: 'meeting-floor' });
  const timeLeft = h('span', { class: 'meeting-time' });
  const floorBox = h('div', { class: 'meeting-floor-box' }, floorLine);
  const warning = h('p', { class: 'meeting-warning', role: 'status', hidden: true });
  const announce = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const modeLine = h('p', { class: 'muted meeting-mode-line' });
  const queueTitleId = uid('q');
  const queueTitle = h('h3', { id: queueTitleId, class: 'meeting-subhead' }, 'Raised hands');
  const queueList = h('ol', { class: 'list meeting-queue', 'aria-labelledby': queueTitleId });
  const queueBox = h('div', { class: 'meeting-queue-box' }, queueTitle, queueList);
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });

  const handButton = h('button', { type: 'button', class: 'primary', dataset: { key: 'hand' } }, 'Raise my hand');
  const doneButton = h('button', { type: 'button', class: 'primary', dataset: { key: 'done' } }, 'Done');
  const endShareButton = h('button', { type: 'button', dataset: { key: 'end-share' } }, 'End this share');
  const openButton = h('button', { type: 'button', class: 'primary', dataset: { key: 'open' } }, 'Open the meeting');
  const closeButton = h('button', { type: 'button', dataset: { key: 'close' } }, 'Close the meeting');
  const confirmBox = h('div', { class: 'meeting-confirm', hidden: true });
  const actions = h('div', { class: 'row meeting-actions' },
    handButton, doneButton, openButton, endShareButton, closeButton);

  /* How it runs: for the people who run the meeting. */
  const modeSelect = h('select', { dataset: { key: 'mode' } },
    h('option', { value: 'one_speaker' }, 'Only the person with the floor'),
    h('option', { value: 'open' }, 'Everyone'));
  const autoBox = h('input', { type: 'checkbox', dataset: { key: 'auto' } });
  const autoId = uid('auto');
  autoBox.id = autoId;
  const shareSelect = h('select', { dataset: { key: 'share' } });
  const shareRow = field('Length of a share', shareSelect);
  const chairSelect = h('select', { dataset: { key: 'chair' } });
  const chairButton = h('button', { type: 'button', dataset: { key: 'chair-save' } }, 'Name the chair');
  const chairRow = field('Chair', chairSelect, { hint: 'When no chair is named, the host chairs.' });
  chairRow.append(chairButton);
  const runError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const runBox = h('details', { class: 'meeting-run' },
    h('summary', {}, 'Running the meeting'),
    h('div', { class: 'stack' },
      field('Who may post while the meeting is open', modeSelect),
      h('div', { class: 'field mm-check' }, autoBox,
        h('label', { for: autoId }, 'Pass the floor to the next raised hand by itself')),
      shareRow, chairRow, runError));

  const schedule = scheduleSection(app, name, () => roomCtx);

  const el = h('section', { class: 'meeting-panel card', 'aria-labelledby': headId },
    h('div', { class: 'meeting-head' }, h('h2', { id: headId }, 'Meeting'), statusBadge, chairLine),
    floorBox, warning, actions, confirmBox, error, queueBox, format, modeLine, announce,
    runBox, schedule.el);
  p.el = el;

  function state() {
    return store.states.get(name) || null;
  }

  function me() {
    return app.me ? app.me.handle : null;
  }

  /* ---- requests ---- */

  function act(control, type, fields = {}, slot = error) {
    return busy(control, slot, () => app.conn.request(type, { room: name, ...fields }).then((data) => {
      if (data && data.meeting) {
        store.states.set(name, data.meeting);
        update();
      }
      return data;
    }));
  }

  function refresh() {
    if (!roomCtx.room || !roomCtx.room.meeting) return Promise.resolve();
    if (loading) return loading;
    measureSkew(app);
    loading = app.conn.request('meeting.state', { room: name }).then((data) => {
      store.states.set(name, data.meeting);
      update();
    }).catch((err) => {
      if (err.code !== 'not_a_meeting' && err.code !== 'not_member') showError(error, err);
    }).finally(() => { loading = null; });
    return loading;
  }

  handButton.addEventListener('click', () => {
    const st = state();
    const raised = !!st && st.queue.includes(me());
    act(handButton, 'meeting.hand', { raised: !raised }).then((data) => {
      if (data) app.toast(raised ? 'Your hand is down.' : 'Your hand is up.');
    });
  });
  doneButton.addEventListener('click', () => act(doneButton, 'meeting.done').then((data) => {
    if (data) app.toast('Thank you for sharing.');
  }));
  endShareButton.addEventListener('click', () => act(endShareButton, 'meeting.done'));
  openButton.addEventListener('click', () => act(openButton, 'meeting.open'));
  closeButton.addEventListener('click', () => {
    if (!roomCtx.room.ephemeral) {
      act(closeButton, 'meeting.close');
      return;
    }
    /* In an ephemeral room closing the meeting erases what was said (19.3): ask first. */
    const yes = button('Close it', () => {
      confirmBox.hidden = true;
      act(closeButton, 'meeting.close').then(() => closeButton.focus());
    }, { class: 'danger' });
    const no = button('Keep it open', () => {
      confirmBox.hidden = true;
      closeButton.focus();
    });
    fill(confirmBox, h('p', {}, 'This room keeps nothing: when the meeting closes, what was said goes with it. Close it now?'),
      h('div', { class: 'row' }, yes, no));
    confirmBox.hidden = false;
    yes.focus();
  });

  modeSelect.addEventListener('change', () => act(modeSelect, 'meeting.mode', { mode: modeSelect.value }, runError));
  autoBox.addEventListener('change', () => act(autoBox, 'meeting.mode', { auto: autoBox.checked }, runError));
  shareSelect.addEventListener('change', () => busy(shareSelect, shareRow.error, async () => {
    const data = await app.conn.request('room.configure', { room: name, share_seconds: Number(shareSelect.value) });
    if (data && data.room) Object.assign(roomCtx.room, data.room);
    app.toast(`Shares are now ${fmtDuration(Number(shareSelect.value) * 1000)}.`);
  }));
  chairButton.addEventListener('click', () => {
    if (!chairSelect.value) return;
    act(chairButton, 'meeting.chair', { handle: chairSelect.value }, chairRow.error).then((data) => {
      if (data) app.toast(`${chairSelect.value} chairs the meeting now.`);
    });
  });

  /* ---- drawing ---- */

  function tick() {
    const st = state();
    if (!st || !st.speaker || !st.share_ends_at) {
      timeLeft.textContent = '';
      return;
    }
    const left = st.share_ends_at - serverNow();
    timeLeft.textContent = `${clockText(left)} left`;
  }

  function startTicker() {
    if (ticker) return;
    ticker = setInterval(() => {
      if (!el.isConnected) {
        stopTicker(); /* the room was left; update() starts it again */
        return;
      }
      tick();
    }, 1000);
  }

  function stopTicker() {
    clearInterval(ticker);
    ticker = null;
  }

  function speakerSentence(st) {
    if (!st.speaker) return null;
    if (st.speaker === me()) return `You have the floor. You have ${fmtDuration(st.share_ends_at - serverNow())}.`;
    return `${st.speaker} has the floor.`;
  }

  function update() {
    const room = roomCtx.room || {};
    el.hidden = !room.meeting;
    if (!room.meeting) {
      stopTicker();
      return;
    }
    const st = state();
    const runner = runs(app, room, st);
    const host = hosts(app, room);
    if (!st) {
      statusBadge.textContent = 'Loading…';
      fill(floorLine, 'Finding out where the meeting is…');
      for (const b of [handButton, doneButton, endShareButton, openButton, closeButton]) b.hidden = true;
      queueBox.hidden = true;
      runBox.hidden = true;
      modeLine.textContent = '';
      return;
    }

    keepFocus(el, actions, () => {
      statusBadge.textContent = st.open ? 'Open' : 'Closed';
      statusBadge.classList.toggle('meeting-open', st.open);
      const chair = st.chair ? (st.chair === me() ? 'You chair this meeting.' : `Chair: ${st.chair}`)
        : 'The host chairs this meeting.';
      chairLine.textContent = chair;

      const text = store.formats.get(name);
      format.hidden = !st.open || !text;
      formatBody.textContent = text || '';

      const speaking = st.speaker === me();
      if (!st.open) {
        fill(floorLine, runner ? 'The meeting is closed. Open it when people are ready.'
          : 'The meeting is closed. Until it opens, this is an ordinary room: everyone can post.');
      } else if (st.speaker) {
        fill(floorLine, h('strong', {}, speaking ? 'You have the floor' : `${st.speaker} has the floor`),
          ' · ', timeLeft);
      } else {
        fill(floorLine, runner ? 'Nobody has the floor. Give it to the next raised hand when you are ready.'
          : 'Nobody has the floor right now. Raise your hand to share.');
      }
      floorBox.classList.toggle('meeting-speaking', speaking);

      const warn = store.warnings.get(name);
      if (warn && st.speaker && warn.handle === st.speaker) {
        const says = warn.handle === me()
          ? 'About a minute left. Take your time to finish your thought.'
          : `${warn.handle} has about a minute left.`;
        if (warning.textContent !== says) warning.textContent = says; /* said once, not at every redraw */
        warning.hidden = false;
      } else {
        warning.hidden = true;
        warning.textContent = '';
      }

      if (st.open) {
        const share = fmtDuration(st.share_seconds * 1000);
        modeLine.textContent = st.mode === 'open'
          ? `Everyone may post. Shares are ${share}.`
          : `Only the person with the floor posts for now. Shares are ${share}.`;
      } else {
        modeLine.textContent = '';
      }

      /* The raised hands, in order: the first is next. */
      queueBox.hidden = !st.open;
      fill(queueList, st.queue.length ? st.queue.map((who, i) => h('li', { class: 'meeting-hand' },
        h('span', { class: `dot presence-${app.presence(who)}`, 'aria-hidden': 'true' }),
        h('span', {}, who === me() ? `${who} (you)` : who),
        i === 0 ? h('span', { class: 'badge' }, 'next') : null,
        runner ? h('button', {
          type: 'button', class: 'quiet', dataset: { key: `floor-${who}` }, 'aria-label': `Give the floor to ${who}`,
          onclick: (e) => act(e.currentTarget, 'meeting.floor', { handle: who }),
        }, 'Give the floor') : null))
        : h('li', { class: 'muted' }, 'No hands raised.'));

      const raised = st.queue.includes(me());
      handButton.hidden = !st.open || speaking;
      handButton.textContent = raised ? 'Lower my hand' : 'Raise my hand';
      handButton.classList.toggle('primary', !raised && !runner);
      doneButton.hidden = !(st.open && speaking);
      openButton.hidden = !(runner && !st.open);
      closeButton.hidden = !(runner && st.open);
      if (!(runner && st.open)) confirmBox.hidden = true;
      endShareButton.hidden = !(runner && st.open && st.speaker && !speaking);
      endShareButton.textContent = st.speaker ? `End ${st.speaker}'s share` : 'End this share';

      runBox.hidden = !runner;
      modeSelect.value = st.mode;
      autoBox.checked = !!st.auto;
      shareRow.hidden = !host;
      const minutes = Math.round(st.share_seconds / 60);
      const opts = [...new Set([...SHARE_MINUTES, minutes])].sort((a, b) => a - b);
      fill(shareSelect, opts.map((m) => h('option', { value: String(m * 60), selected: m === minutes },
        `${m} minute${m === 1 ? '' : 's'}`)));
      chairRow.hidden = !host;
      const members = roomCtx.members ? [...roomCtx.members.keys()].sort() : [];
      const chairNow = st.chair || '';
      fill(chairSelect, h('option', { value: '', disabled: true, selected: !chairNow }, 'Choose a member'),
        members.map((m) => h('option', { value: m, selected: m === chairNow }, m)));
    });

    /* A change of speaker (or the meeting opening or closing) is said once;
     * the seconds are never announced. */
    const said = [];
    if (lastOpen !== undefined && lastOpen !== st.open) said.push(st.open ? 'The meeting is open.' : 'The meeting has closed.');
    if (lastSpeaker !== undefined && lastSpeaker !== st.speaker && (st.speaker || st.open))
      said.push(st.speaker ? speakerSentence(st) : 'The floor is free.');
    if (said.length) announce.textContent = said.join(' ');
    lastSpeaker = st.speaker;
    lastOpen = st.open;

    tick();
    if (st.speaker) startTicker();
    else stopTicker();
    schedule.update();
  }

  function opened() {
    format.open = true;
    update();
  }

  let wasMeeting = !!(roomCtx.room && roomCtx.room.meeting);

  /* The room view drew the room again (fresh ctx); `opening`: it is being opened. */
  function setCtx(ctx, opening) {
    roomCtx = ctx;
    const now = !!(ctx.room && ctx.room.meeting);
    const turnedOn = now && !wasMeeting;
    wasMeeting = now;
    if (opening || turnedOn) refresh();
    update();
  }

  Object.assign(p, {
    update, refresh, opened, setCtx,
    ctx: () => roomCtx,
    dispose: stopTicker,
  });
  update();
  refresh();
  return p;
}

/* ================================================================ the weekly schedule */

function scheduleSection(app, name, getCtx) {
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

function zoneChoices(current) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set(zones);
  for (const z of [current, localZone, 'UTC']) if (z) all.add(z);
  return [...all].sort();
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
    row.tz = h('select', {}, zoneChoices(slot.tz).map((z) => h('option', { value: z, selected: z === slot.tz }, z)));
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

/* ================================================================ the Meetings screen */

function createMeetingsView(app) {
  const upcomingList = h('div', { class: 'stack meeting-upcoming' });
  const upcomingError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const roomsList = h('ul', { class: 'list meeting-rooms' });
  const roomsError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const attendanceList = h('ul', { class: 'list meeting-attendance' });
  const attendanceError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const loadingLine = h('p', { class: 'muted', role: 'status' });
  const zoneNote = h('p', { class: 'muted' },
    `Times are shown in your own time (${zoneName(localZone)}).`);
  let timer = null;
  let shown = [];   /* the meetings listed, to refresh when one opens or closes */

  const el = h('div', { class: 'stack meetings' },
    h('h1', {}, 'Meetings'),
    h('section', { 'aria-labelledby': 'mtg-upcoming' },
      h('h2', { id: 'mtg-upcoming' }, 'Coming up'), zoneNote, loadingLine, upcomingError, upcomingList),
    h('section', { 'aria-labelledby': 'mtg-rooms' },
      h('h2', { id: 'mtg-rooms' }, 'Meeting rooms'), roomsError, roomsList),
    h('details', { class: 'card meeting-attendance-box' },
      h('summary', {}, 'Your attendance'),
      h('p', { class: 'hint' }, 'Only you can see this.'),
      attendanceError, attendanceList));
  const attendance = el.querySelector('.meeting-attendance-box');
  attendance.addEventListener('toggle', () => {
    if (attendance.open) loadAttendance();
  });

  function goLink(room, title) {
    return h('a', { href: `#/room/${encodeURIComponent(room)}`, class: 'meeting-go', 'aria-label': `Go to ${title}` }, 'Go');
  }

  function meetingItem(m) {
    const now = serverNow();
    const theirs = zoneTime(m.starts_at, m.tz);
    let state = null;
    if (m.open) state = h('span', { class: 'badge meeting-open' }, 'Open now');
    else if (m.starts_at <= now && now < m.ends_at) state = h('span', { class: 'badge' }, 'Starting: waiting for the chair');
    else if (m.starts_at - now < 3600000) state = h('span', { class: 'muted small' }, `Starts in ${fmtDuration(m.starts_at - now)}`);
    return h('li', { class: 'meeting-item' },
      h('div', { class: 'meeting-item-main' },
        h('span', { class: 'meeting-item-title' }, m.title),
        h('span', {}, timeRange(m.starts_at, m.ends_at),
          theirs ? h('span', { class: 'muted' }, ` (${theirs})`) : null),
        state),
      goLink(m.room, m.title));
  }

  async function loadUpcoming() {
    showError(upcomingError, null);
    if (!upcomingList.children.length) loadingLine.textContent = 'Looking for meetings…';
    try {
      const { meetings } = await app.conn.request('meeting.upcoming', { days: 7, limit: 50 });
      shown = meetings;
      const groups = new Map();
      for (const m of meetings) {
        const day = dayHeading(m.starts_at);
        if (!groups.has(day)) groups.set(day, []);
        groups.get(day).push(m);
      }
      fill(upcomingList, meetings.length ? [...groups].map(([day, list]) => {
        const id = uid('day');
        return h('div', { class: 'meeting-day-group' },
          h('h3', { id, class: 'meeting-subhead' }, day),
          h('ul', { class: 'list', 'aria-labelledby': id }, list.map(meetingItem)));
      }) : h('p', { class: 'muted' }, 'No meetings are scheduled in the next week. Meeting rooms below may still open at any time.'));
    } catch (err) {
      showError(upcomingError, err);
    } finally {
      loadingLine.textContent = '';
    }
  }

  async function loadRooms() {
    showError(roomsError, null);
    try {
      const { rooms } = await app.conn.request('room.list');
      const meetingRooms = rooms.filter((r) => r.meeting && !isConversation(r));
      fill(roomsList, meetingRooms.length ? meetingRooms.map((r) => h('li', { class: 'meeting-item' },
        h('div', { class: 'meeting-item-main' },
          h('span', { class: 'meeting-item-title' }, r.title),
          r.topic ? h('span', { class: 'muted' }, r.topic) : null,
          h('span', { class: 'muted small' }, [r.joined ? 'You are a member' : 'Open to join',
            r.ephemeral ? 'nothing said here is kept' : null].filter(Boolean).join(' · '))),
        goLink(r.room, r.title)))
        : h('li', { class: 'muted' }, 'There are no meeting rooms yet.'));
    } catch (err) {
      showError(roomsError, err);
    }
  }

  async function loadAttendance() {
    showError(attendanceError, null);
    try {
      const { weeks } = await app.conn.request('meeting.attendance', {
        utc_offset_minutes: -new Date().getTimezoneOffset(), weeks: 12,
      });
      fill(attendanceList, weeks.length ? weeks.map((w) => h('li', {},
        `Week of ${formatter({ month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${w.week}T00:00:00Z`))}: `,
        `${w.meetings} meeting${w.meetings === 1 ? '' : 's'}, ${fmtDuration(w.minutes * 60000)}`))
        : h('li', { class: 'muted' }, 'No meetings yet in the last 12 weeks. Whenever you are ready, you are welcome.'));
    } catch (err) {
      showError(attendanceError, err);
    }
  }

  function refresh() {
    loadUpcoming();
    loadRooms();
    if (attendance.open) loadAttendance();
  }

  app.onSignedIn(() => {
    if (el.isConnected) refresh();
  });

  return {
    el,
    show() {
      refresh();
      clearInterval(timer);
      timer = setInterval(() => {
        if (el.isConnected) loadUpcoming();
      }, 60000);
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
    reset() {
      clearInterval(timer);
    },
    /* A meeting listed here opened or closed: its "Open now" changes. */
    noteState(st) {
      if (!el.isConnected) return;
      const listed = shown.find((m) => m.room === st.room);
      if (listed && listed.open !== st.open) loadUpcoming();
    },
  };
}
