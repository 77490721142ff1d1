/*
 * The meeting panel above a meeting room's conversation (PROTOCOL.md
 * 5.18-5.25, 6.5-6.7, section 14): the format text, open or closed, the
 * chair, who has the floor and the time left, the raised hands, and the
 * buttons to raise a hand, to finish a share and, for those who run the
 * meeting, to open, close and give the floor; "Running the meeting"
 * (meeting_run.js) and "When we meet" (meeting_schedule.js) below.
 *
 * The meeting's live state is only ever what the server last said
 * (meeting.state, always whole); the time left is counted down from
 * share_ends_at (meeting_time.js). Screen readers hear a change of speaker,
 * never the seconds.
 */
import { busy, button, fill, fmtDuration, h, showError, uid } from '../dom.js';
import { hosts, myRank } from './roles.js';
import { keptPanels } from './room_panels.js';
import { clockText, measureSkew, serverNow, setServerNow } from './meeting_time.js';
import { runSection } from './meeting_run.js';
import { scheduleSection } from './meeting_schedule.js';

/* The chair, room moderators, the host, server moderators (14.2). */
function runs(app, room, state) {
  if (!app.me) return false;
  return myRank(app, room) >= 1 || (!!state && state.chair === app.me.handle);
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

export function install(app) {
  const store = {
    states: new Map(),   /* room -> meeting state object (as the server last said) */
    /* room -> the format text: from the meeting state, or from meeting.opened
     * (servers before the state carried it sent it only there) */
    formats: new Map(),
    warnings: new Map(), /* room -> meeting.warning for the current share */
    /* A new state (event or result). A server that sends the format sends it
     * in every state: its text wins, and "" after a text means it was cleared. */
    put(m) {
      const old = this.states.get(m.room);
      this.states.set(m.room, m);
      if (m.format) this.formats.set(m.room, m.format);
      else if (old && old.format) this.formats.delete(m.room);
    },
  };
  const panels = keptPanels((roomCtx) => meetingPanel(app, roomCtx, store));

  app.conn.on('meeting.state', (ev) => {
    const m = ev.meeting;
    if (!m || !m.room) return;
    const old = store.states.get(m.room);
    store.put(m);
    if (!old || old.speaker !== m.speaker || old.share_ends_at !== m.share_ends_at) {
      store.warnings.delete(m.room);
      if (m.speaker) measureSkew(app);
    }
    for (const p of panels.shown(m.room)) p.update();
  });

  app.conn.on('meeting.opened', (ev) => {
    store.formats.set(ev.room, ev.format || '');
    for (const p of panels.shown(ev.room)) p.opened();
  });

  app.conn.on('meeting.warning', (ev) => {
    store.warnings.set(ev.room, ev);
    /* A sure point on the server's clock: seconds_left before share_ends_at. */
    const st = store.states.get(ev.room);
    if (st && st.speaker === ev.handle && st.share_ends_at && typeof ev.seconds_left === 'number')
      setServerNow(st.share_ends_at - ev.seconds_left * 1000);
    for (const p of panels.shown(ev.room)) p.update();
  });

  /* meeting.state is not replayed after a reconnect: ask again (13, item 10).
   * A new sign-in (not a resume) may be someone else: forget everything. */
  app.onSignedIn(({ resumed }) => {
    if (!resumed) {
      for (const p of panels.all()) p.dispose();
      panels.clear();
      store.states.clear();
      store.formats.clear();
      store.warnings.clear();
    }
    measureSkew(app);
    for (const p of panels.shown()) p.refresh();
  });

  app.addRoomExtension({
    panel: panels.panel,
    memberActions(roomCtx, member) {
      const room = roomCtx.room;
      const state = store.states.get(roomCtx.name);
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

function meetingPanel(app, firstCtx, store) {
  const name = firstCtx.name;
  let roomCtx = firstCtx;
  const headId = uid('mtg');
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

  const run = runSection(app, name, { act, getCtx: () => roomCtx });
  const schedule = scheduleSection(app, name, () => roomCtx);

  const el = h('section', { class: 'meeting-panel card', 'aria-labelledby': headId },
    h('div', { class: 'meeting-head' }, h('h2', { id: headId }, 'Meeting'), statusBadge, chairLine),
    floorBox, warning, actions, confirmBox, error, queueBox, format, modeLine, announce,
    run.el, schedule.el);

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
        store.put(data.meeting);
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
      store.put(data.meeting);
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

  function drawFloor(st, runner, speaking) {
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
  }

  /* The raised hands, in order: the first is next. */
  function drawHands(st, runner) {
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
  }

  function drawButtons(st, runner, speaking) {
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
  }

  /* A change of speaker (or the meeting opening or closing) is said once;
   * the seconds are never announced. */
  function announceChange(st) {
    const said = [];
    if (lastOpen !== undefined && lastOpen !== st.open) said.push(st.open ? 'The meeting is open.' : 'The meeting has closed.');
    if (lastSpeaker !== undefined && lastSpeaker !== st.speaker && (st.speaker || st.open))
      said.push(st.speaker ? speakerSentence(st) : 'The floor is free.');
    if (said.length) announce.textContent = said.join(' ');
    lastSpeaker = st.speaker;
    lastOpen = st.open;
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
      run.el.hidden = true;
      modeLine.textContent = '';
      return;
    }

    keepFocus(el, actions, () => {
      statusBadge.textContent = st.open ? 'Open' : 'Closed';
      statusBadge.classList.toggle('meeting-open', st.open);
      chairLine.textContent = st.chair ? (st.chair === me() ? 'You chair this meeting.' : `Chair: ${st.chair}`)
        : 'The host chairs this meeting.';

      const text = store.formats.get(name);
      const showFormat = st.open && !!text;
      /* Shown for the first time (someone who came in mid-meeting, or after a
       * reload): open, as when the meeting opens; later it stays as it was left. */
      if (showFormat && format.hidden) format.open = true;
      format.hidden = !showFormat;
      formatBody.textContent = text || '';

      const speaking = st.speaker === me();
      drawFloor(st, runner, speaking);
      if (st.open) {
        const share = fmtDuration(st.share_seconds * 1000);
        modeLine.textContent = st.mode === 'open'
          ? `Everyone may post. Shares are ${share}.`
          : `Only the person with the floor posts for now. Shares are ${share}.`;
      } else {
        modeLine.textContent = '';
      }
      drawHands(st, runner);
      drawButtons(st, runner, speaking);
      run.update(st, { runner, host });
    });

    announceChange(st);
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

  update();
  refresh();
  return { name, el, update, refresh, opened, setCtx, dispose: stopTicker };
}
