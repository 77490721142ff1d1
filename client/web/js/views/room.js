/*
 * The room screen: one room or private conversation — its messages (older
 * ones load as you scroll up), who is here and their status, and the
 * composer. Feature modules add panels (a meeting) and actions (moderation,
 * reports) through app.addRoomExtension (js/README.md).
 */
import { button, field, fill, fmtTime, h, place, reconcile, showError, statusLine } from '../dom.js';
import { RoomState, forgetShown, rememberShown } from './room_state.js';
import { roomLabel } from './rooms.js';

const ROOM_EVENTS = ['room.message', 'room.joined', 'room.left', 'room.removed'];
const NEAR_TOP_PX = 80;

function isConversation(name) {
  return name.startsWith('~');
}

function newCid() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/* A menu of actions (a disclosure with buttons), or nothing when there are none. */
function actionMenu(label, actions) {
  if (!actions.length) return null;
  const menu = h('details', { class: 'actions' },
    h('summary', { 'aria-label': label, title: label }, h('span', { 'aria-hidden': 'true' }, '⋯')));
  const list = h('div', { class: 'actions-list' });
  for (const a of actions)
    list.append(button(a.label, () => { menu.open = false; a.run(); }, { class: 'quiet' }));
  menu.append(list);
  return menu;
}

function createRoomView(app, states) {
  let state = null;
  let unlisten = null;
  let stickToBottom = true;

  const heading = h('h1', { class: 'room-title' });
  const facts = h('p', { class: 'muted small room-facts' });
  const leaveButton = button('Leave room', () => leave(), { class: 'quiet' });
  const openError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const panels = h('div', { class: 'room-panels' });
  const olderButton = button('Load earlier messages', () => older(), { class: 'quiet older' });
  const log = h('ol', { class: 'log', 'aria-label': 'Messages', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const scroller = h('div', { class: 'log-scroll', tabindex: '0', 'aria-label': 'Conversation' }, olderButton, log);
  const membersList = h('ul', { class: 'list members' });
  /* On a phone the list starts folded, so the conversation gets the screen. */
  const membersBox = h('details', { class: 'members-box', open: matchMedia('(min-width: 48rem)').matches },
    h('summary', {}, 'Who is here'), membersList);

  const text = h('textarea', { name: 'text', rows: '2', autocomplete: 'off' });
  const textRow = field('Message', text);
  const counter = h('span', { class: 'muted small counter', 'aria-live': 'polite' });
  const sendButton = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const composer = h('form', { class: 'composer', novalidate: true, onsubmit: (e) => { e.preventDefault(); send(); } },
    textRow, h('div', { class: 'row composer-actions' }, counter, sendButton));
  const loading = statusLine('muted');

  const el = h('div', { class: 'room-view' },
    h('div', { class: 'room-head' }, h('div', {}, heading, facts), leaveButton),
    openError, loading, panels,
    h('div', { class: 'room-body' }, h('div', { class: 'room-main' }, scroller, composer), membersBox));

  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  text.addEventListener('input', () => {
    const max = app.conn.limits.max_text_chars;
    const used = [...text.value].length;
    counter.textContent = used > max * 0.9 ? `${used} of ${max} characters` : '';
  });
  scroller.addEventListener('scroll', () => {
    stickToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    if (scroller.scrollTop < NEAR_TOP_PX && state && !state.olderDone) older();
  });

  const ctx = () => ({
    name: state.name, room: state.room, members: state.members, onChange: (fn) => state.onChange(fn),
    /* After an extension changed the room (room.configure), redraw it. */
    refresh: () => state.changed('room'),
  });

  function messageNode(ev) {
    const mine = app.me && ev.handle === app.me.handle;
    if (ev.type === 'room.joined') return h('li', { class: 'sys' }, `${ev.handle} joined`);
    if (ev.type === 'room.left')
      return h('li', { class: 'sys' }, ev.by_moderator ? `${ev.handle} was removed by a moderator` : `${ev.handle} left`);
    const actions = state.room && !ev.removed
      ? app.roomExtensions().flatMap((x) => (x.messageActions ? x.messageActions(ctx(), ev) : [])) : [];
    const body = ev.removed
      ? h('p', { class: 'msg-text removed' }, 'Removed by a moderator')
      : h('p', { class: 'msg-text' }, ev.text);
    return h('li', { class: `msg${mine ? ' mine' : ''}`, dataset: { seq: String(ev.seq) } },
      h('div', { class: 'msg-head' },
        h('span', { class: 'handle' }, ev.handle), ' ',
        h('time', { datetime: new Date(ev.ts).toISOString(), class: 'muted small' }, fmtTime(ev.ts)),
        actionMenu(`Actions for the message from ${ev.handle}`, actions)),
      body);
  }

  function pendingNode(cid, entry) {
    return h('li', { class: 'msg mine pending', dataset: { cid } },
      h('div', { class: 'msg-head' }, h('span', { class: 'handle' }, app.me.handle), ' ',
        h('span', { class: 'muted small' }, entry.waiting ? 'Waiting for the connection…' : 'Sending…')),
      h('p', { class: 'msg-text' }, entry.text));
  }

  /* Keys change when what a node shows changes, so reconcile rebuilds just those. */
  function logItems() {
    const items = [];
    for (const ev of state.ordered()) {
      if (state.holesBefore.has(ev.seq))
        items.push({ key: `hole-${ev.seq}`, make: () => h('li', { class: 'sys' }, 'Older messages here were erased.') });
      if (ev.type === 'room.message' && ev.hidden) continue;
      if (ev.type === 'room.removed') continue;
      items.push({ key: `${ev.seq}${ev.removed ? '-removed' : ''}`, make: () => messageNode(ev) });
    }
    const receipt = receiptWords();
    if (receipt) {
      const at = items.findIndex((it) => it.key === String(receipt.seq)) + 1;
      items.splice(at, 0, { key: `receipt-${receipt.seq}-${receipt.words}`, make: () => h('li', { class: 'receipt muted small' }, receipt.words) });
    }
    for (const [cid, entry] of state.pending)
      items.push({ key: `pending-${cid}${entry.waiting ? '-waiting' : ''}`, make: () => pendingNode(cid, entry) });
    if (!items.length) items.push({ key: 'empty', make: () => h('li', { class: 'sys' }, 'No messages yet. Say hello.') });
    return items;
  }

  /* Under one's own last message in a conversation: how far the other person got (section 20.1). */
  function receiptWords() {
    if (!isConversation(state.name) || !state.room) return null;
    const mine = state.ordered().filter((ev) => ev.type === 'room.message' && !ev.removed && ev.handle === app.me?.handle);
    const last = mine[mine.length - 1];
    if (!last) return null;
    const { peer_delivered: delivered = 0, peer_seen: seen = 0 } = state.room;
    const words = seen >= last.seq ? `Seen by ${state.room.peer}` : delivered >= last.seq ? 'Delivered' : 'Sent';
    return { seq: last.seq, words };
  }

  /* Tells the server what is on the screen in a conversation, while the page is in view. */
  function markRead() {
    if (!state || !state.opened || !isConversation(state.name) || document.visibilityState !== 'visible') return;
    if (state.last <= (state.readSent || 0)) return;
    const seq = state.last;
    state.readSent = seq;
    app.conn.request('room.read', { room: state.name, seq }).catch(() => {
      if (state && state.readSent === seq) state.readSent = 0; /* said again at the next chance */
    });
  }
  document.addEventListener('visibilitychange', markRead);

  function renderLog(rebuild) {
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    if (rebuild) fill(log);
    reconcile(log, logItems());
    olderButton.hidden = state.olderDone;
    if (stickToBottom) scroller.scrollTop = scroller.scrollHeight;
    else scroller.scrollTop = scroller.scrollHeight - fromBottom;
  }

  function renderMembers(rebuild) {
    const sorted = [...state.members.values()].sort((a, b) => a.handle.localeCompare(b.handle));
    if (rebuild) fill(membersList);
    reconcile(membersList, sorted.map((m) => {
      const status = app.me && m.handle === app.me.handle ? app.me.status : app.presence(m.handle);
      return { key: `${m.handle}:${status}:${m.role}`, make: () => memberNode(m, status) };
    }));
    membersBox.querySelector('summary').textContent = `Who is here (${sorted.length})`;
  }

  function memberNode(m, status) {
    const actions = m.handle === app.me?.handle ? []
      : app.roomExtensions().flatMap((x) => (x.memberActions ? x.memberActions(ctx(), m) : []));
    return h('li', { class: 'member' },
      h('span', { class: `dot presence-${status === 'invisible' ? 'offline' : status}`, 'aria-hidden': 'true' }),
      h('span', { class: 'handle' }, m.handle),
      h('span', { class: 'muted small' }, status),
      m.role !== 'member' ? h('span', { class: 'badge' }, m.role) : null,
      actionMenu(`Actions for ${m.handle}`, actions));
  }

  function renderHead() {
    const room = state.room;
    heading.textContent = room ? roomLabel(room) : state.name;
    const bits = [];
    if (room && room.topic) bits.push(room.topic);
    if (room && room.ephemeral) bits.push('What is said here stays here: messages are never saved.');
    else if (room && room.retention_days) bits.push(`Messages here are kept ${room.retention_days} days.`);
    if (room && room.slow_seconds) bits.push(`Slow mode: one post every ${room.slow_seconds} seconds.`);
    facts.textContent = bits.join(' ');
    leaveButton.hidden = isConversation(state.name);
    membersBox.hidden = isConversation(state.name);
    document.title = `${heading.textContent} · Hearth`;
  }

  /* A panel an extension hands back unchanged stays where it is (focus and scroll with it). */
  function renderPanels() {
    place(panels, app.roomExtensions().map((x) => (x.panel ? x.panel(ctx()) : null)).filter(Boolean));
  }

  /* 'room' and 'all' rebuild everything: a role or setting may change which actions are offered. */
  function render(what) {
    if (!state || !state.room) return;
    const rebuild = what === 'room' || what === 'all';
    if (rebuild) {
      renderHead();
      renderPanels();
    }
    if (rebuild || ['events', 'older', 'pending', 'receipt'].includes(what)) renderLog(rebuild);
    renderMembers(rebuild);
    if (what === 'events' || rebuild) {
      markRead();
      rememberShown(state.name, state.last);
    }
  }

  async function open(name) {
    if (unlisten) unlisten();
    state = states.get(name);
    if (!state) {
      state = new RoomState(app.conn, name);
      states.set(name, state);
    }
    unlisten = state.onChange((what) => render(what));
    showError(openError, null);
    stickToBottom = true;
    fill(log);
    fill(membersList);
    fill(panels);
    heading.textContent = name;
    facts.textContent = '';
    composer.hidden = true;
    try {
      if (!state.opened) {
        loading.textContent = 'Opening…';
        await openState(app, state);
      } else {
        await state.catchUp();
      }
      composer.hidden = false;
      render('all');
    } catch (err) {
      showError(openError, err);
    } finally {
      loading.textContent = '';
    }
  }

  async function older() {
    if (!state || state.loadingOlder) return;
    stickToBottom = false;
    try {
      await state.loadOlder();
    } catch (err) {
      showError(openError, err);
    }
  }

  async function send() {
    const body = text.value;
    if (!body.trim() || !state) return;
    showError(textRow.error, null);
    text.value = '';
    stickToBottom = true;
    try {
      await state.send(newCid(), body);
    } catch (err) {
      if (err.code === 'offline') return; /* kept, sent again after reconnecting */
      if (!text.value) text.value = body;
      showError(textRow.error, err);
      text.focus();
    }
  }

  async function leave() {
    try {
      await app.conn.request('room.leave', { room: state.name });
      states.delete(state.name);
      app.toast(`You left ${heading.textContent}.`);
      app.go('rooms');
    } catch (err) {
      showError(openError, err);
    }
  }

  return {
    el,
    show(name) {
      if (!name) {
        app.go('rooms');
        return;
      }
      open(name);
    },
    hide() {
      if (unlisten) unlisten();
      unlisten = null;
      state = null;
    },
    current: () => state && state.name,
  };
}

/* Fills a state for the first time: the room object, members, the newest page. */
async function openState(app, state) {
  if (isConversation(state.name)) {
    const { rooms } = await app.conn.request('room.list');
    state.room = rooms.find((r) => r.room === state.name);
    if (!state.room) throw new Error('This conversation is not available.');
    const { members } = await app.conn.request('room.members', { room: state.name });
    setMembers(app, state, members);
  } else {
    const data = await app.conn.request('room.join', { room: state.name });
    state.room = data.room;
    setMembers(app, state, data.members);
  }
  await state.loadRecent();
}

function setMembers(app, state, members) {
  state.members = new Map(members.map((m) => [m.handle, m]));
  for (const m of members) if (!app.me || m.handle !== app.me.handle) app.notePresence(m.handle, m.status);
}

export function install(app) {
  const states = new Map();   /* room name -> RoomState: the rooms opened on this page */
  let view = null;

  app.addView({
    id: 'room', title: 'Room', nav: false,
    create: () => {
      view = createRoomView(app, states);
      return view;
    },
  });

  for (const type of ROOM_EVENTS) {
    app.conn.on(type, (ev) => {
      const state = states.get(ev.room);
      if (state) state.live(ev);
      const showing = view && view.current() === ev.room;
      if (type === 'room.message' && isConversation(ev.room) && !showing && !ev.hidden && ev.handle !== app.me?.handle)
        app.alert('message', `New message from ${ev.handle}.`, { go: ['room', ev.room] });
      /* Left on another device, or removed by a moderator (who is told why by the 'moderated' notice). */
      if (type === 'room.left' && ev.handle === app.me?.handle) {
        states.delete(ev.room);
        if (showing) app.go('rooms');
      }
    });
  }
  app.conn.on('presence', () => {
    for (const state of states.values()) state.changed('members');
  });
  app.conn.on('room.role', (ev) => {
    const state = states.get(ev.room);
    if (!state) return;
    const member = state.members.get(ev.handle);
    if (member) member.role = ev.role;
    if (state.room && ev.handle === app.me?.handle) state.room.role = ev.role;
    state.changed('room');
  });
  app.onSignedOut(() => {
    states.clear();
    forgetShown();
  });
  app.conn.on('room.receipt', (ev) => {
    const state = states.get(ev.room);
    if (!state || !state.room) return;
    state.room.peer_delivered = ev.delivered;
    state.room.peer_seen = ev.seen;
    state.changed('receipt');
  });
  app.conn.on('room.settings', (ev) => {
    const state = states.get(ev.room);
    if (!state || !state.room) return;
    Object.assign(state.room, ev.settings);
    state.changed('room');
  });

  /* After a reconnect: catch every opened room up, refresh who is here, resend. */
  app.onSignedIn(async ({ resumed }) => {
    if (!resumed) {
      states.clear();
      return;
    }
    const conversations = [...states.values()].some((st) => st.opened && isConversation(st.name))
      ? (await app.conn.request('room.list').catch(() => ({ rooms: [] }))).rooms : [];
    for (const state of states.values()) {
      if (!state.opened) continue;
      try {
        /* Receipts are not replayed: the room object has the marks now. */
        const fresh = conversations.find((r) => r.room === state.name);
        if (fresh) state.room = fresh;
        state.readSent = 0;
        await state.catchUp();
        const { members } = await app.conn.request('room.members', { room: state.name });
        setMembers(app, state, members);
        state.resendPending();
        state.changed('all');
      } catch (err) {
        console.warn(`could not catch up ${state.name}`, err);
      }
    }
  });
}
