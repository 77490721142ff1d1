/*
 * Pings between buddies (PROTOCOL.md 5.54-5.56, 6.18-6.19, 20): the three
 * quick ones and a few words of one's own, sent with a cid (when the link is
 * down a ping waits and goes out with the same cid); the pings of the last 7
 * days, received ones (buddy.ping_seen is sent once they have been on
 * screen) and sent ones with whether they were delivered and seen; and the
 * small panel above a buddy conversation.
 */
import { busy, button, fill, fmtTime, h, reconcile, statusLine } from '../dom.js';
import { STATUS_WORDS, changed, presenceDot, state, watchPanel } from './buddies_state.js';

export const PING_KINDS = [
  { kind: 'thinking_of_you', label: 'Thinking of you' },
  { kind: 'call_me', label: 'Call me' },
  { kind: 'struggling', label: "I'm struggling" },
];

/* ---- words ---- */

function receivedPingWords(p) {
  switch (p.kind) {
    case 'thinking_of_you': return `${p.from} is thinking of you.`;
    case 'call_me': return `${p.from} would like you to call them.`;
    case 'struggling': return `${p.from} is struggling and reached out to you.`;
    case 'text': return `${p.from} wrote:`;
    default: return `${p.from} sent you a ping.`;
  }
}

function sentPingWords(p) {
  const what = PING_KINDS.find((k) => k.kind === p.kind)?.label;
  return what ? `To ${p.to}: “${what}”` : `To ${p.to}:`;
}

/* The alert says who, never the words: someone may be looking at the screen. */
function pingAlertWords(p) {
  switch (p.kind) {
    case 'thinking_of_you': return `${p.from} is thinking of you.`;
    case 'call_me': return `${p.from} would like you to call them.`;
    case 'struggling': return `${p.from} is reaching out to you.`;
    default: return `${p.from} sent you a few words.`;
  }
}

function pingStateWords(p) {
  if (p.seen_at) return { text: 'Seen', cls: 'seen', title: `Seen ${fmtTime(p.seen_at)}` };
  if (p.delivered_at) return { text: 'Delivered', cls: 'delivered', title: `Delivered ${fmtTime(p.delivered_at)}` };
  return { text: 'Not delivered yet', cls: 'waiting', title: `${p.to} will get it when they are next on Hearth.` };
}

/* ---- the protocol side ---- */

function newCid() {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function loadPings(app) {
  const data = await app.conn.request('buddy.pings');
  state.pings = new Map((data.pings || []).map((p) => [p.id, p]));
  changed('pings');
}

function addPing(p) {
  const old = state.pings.get(p.id);
  const merged = { ...old, ...p };
  /* A status we heard of live is not lost to an older copy. */
  if (old?.delivered_at && !merged.delivered_at) merged.delivered_at = old.delivered_at;
  if (old?.seen_at && !merged.seen_at) merged.seen_at = old.seen_at;
  state.pings.set(p.id, merged);
}

/* Sends a ping with a cid; when the link is down, it waits and goes out with the same cid. */
export async function sendPing(app, fields) {
  const cid = fields.cid || newCid();
  const withCid = { ...fields, cid };
  state.unsent.set(cid, withCid);
  try {
    const data = await app.conn.request('buddy.ping', withCid);
    state.unsent.delete(cid);
    addPing(data.ping);
    changed('pings');
    return { sent: true, ping: data.ping };
  } catch (err) {
    if (err.code === 'offline') return { sent: false, later: true };
    state.unsent.delete(cid);
    throw err;
  }
}

export function resendUnsent(app) {
  for (const fields of [...state.unsent.values()]) {
    sendPing(app, fields).catch(() => { /* the buddy may have gone; nothing to show now */ });
  }
}

/* buddy.ping_seen for every received ping now on screen. */
export function markShownPingsSeen(app) {
  if (!state.me || document.hidden) return;
  for (const p of state.pings.values()) {
    if (p.to !== state.me || p.seen_at || state.seenSent.has(p.id)) continue;
    state.seenSent.add(p.id);
    app.conn.request('buddy.ping_seen', { ping: p.id }).then(() => {
      const cur = state.pings.get(p.id);
      if (cur && !cur.seen_at) cur.seen_at = Date.now();
    }).catch((err) => {
      if (err.code === 'offline') state.seenSent.delete(p.id);
    });
  }
}

export function listen(app) {
  app.conn.on('buddy.ping', (ev) => {
    const p = ev.ping;
    if (!p) return;
    addPing(p);
    changed('pings');
    if (p.to === state.me && !p.seen_at && (!state.shown || document.hidden)) {
      app.alert('ping', pingAlertWords(p), { go: ['buddies'] });
    }
  });
  app.conn.on('buddy.ping_status', (ev) => {
    const p = state.pings.get(ev.id);
    if (!p) {
      loadPings(app).catch(() => {});
      return;
    }
    if (ev.state === 'delivered') p.delivered_at = p.delivered_at || ev.at;
    else if (ev.state === 'seen') {
      p.seen_at = p.seen_at || ev.at;
      p.delivered_at = p.delivered_at || ev.at;
    } else return;
    changed('pings');
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.shown) markShownPingsSeen(app);
  });
}

/* ---- the Buddies screen's "Pings" ---- */

export function pingsSection(app) {
  const receivedList = h('ul', { class: 'list ping-list', 'aria-label': 'Pings you received' });
  const sentList = h('ul', { class: 'list ping-list', 'aria-label': 'Pings you sent' });
  const receivedEmpty = h('p', { class: 'muted' }, 'No pings in the last 7 days.');
  const sentEmpty = h('p', { class: 'muted' }, 'You have not sent any pings in the last 7 days.');
  const el = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-pings-h' },
    h('h2', { id: 'buddies-pings-h' }, 'Pings'),
    h('p', { class: 'muted small' }, 'Pings from the last 7 days.'),
    h('h3', {}, 'Received'), receivedEmpty, receivedList,
    h('h3', {}, 'Sent'), sentEmpty, sentList);

  function render() {
    const all = [...state.pings.values()].sort((a, b) => b.ts - a.ts || b.id - a.id);
    const received = all.filter((p) => p.to === state.me);
    const sent = all.filter((p) => p.from === state.me);
    reconcile(receivedList, received.map((p) => ({ key: String(p.id), make: () => receivedPingItem(app, p) })));
    reconcile(sentList, sent.map((p) => ({ key: String(p.id), make: () => sentPingItem(p) })));
    for (const item of sentList.children) item.update();
    receivedEmpty.hidden = received.length > 0;
    receivedList.hidden = received.length === 0;
    sentEmpty.hidden = sent.length > 0;
    sentList.hidden = sent.length === 0;
    if (state.shown) markShownPingsSeen(app);
  }

  return { el, render };
}

function receivedPingItem(app, p) {
  const b = state.buddies.get(p.from);
  return h('li', { class: `ping ping-${p.kind}` },
    h('p', { class: 'ping-what' }, receivedPingWords(p)),
    p.kind === 'text' && p.text ? h('blockquote', { class: 'ping-text' }, p.text) : null,
    h('p', { class: 'muted small' }, h('time', { datetime: new Date(p.ts).toISOString() }, fmtTime(p.ts))),
    b?.conversation ? h('div', { class: 'row' },
      button('Write back', () => app.go('room', b.conversation), { class: 'quiet', 'aria-label': `Write back to ${p.from}` })) : null,
    p.kind === 'struggling'
      ? h('p', { class: 'hint' }, 'A message or a call can mean a lot right now.')
      : null);
}

function sentPingItem(p) {
  const badge = h('span', { class: 'badge ping-state' });
  const item = h('li', { class: 'ping ping-sent' },
    h('p', { class: 'ping-what' }, sentPingWords(p), ' ', badge),
    p.kind === 'text' && p.text ? h('blockquote', { class: 'ping-text' }, p.text) : null,
    h('p', { class: 'muted small' }, h('time', { datetime: new Date(p.ts).toISOString() }, `Sent ${fmtTime(p.ts)}`)));
  item.update = () => {
    const st = pingStateWords(state.pings.get(p.id) || p);
    badge.textContent = st.text;
    badge.title = st.title;
    badge.className = `badge ping-state ping-state-${st.cls}`;
  };
  return item;
}

/* ---- a small panel above a buddy conversation: their presence and the pings ---- */

export function conversationPanel(app, roomCtx) {
  const room = roomCtx.room;
  if (!room || room.kind !== 'buddy' || !room.peer) return null;
  const handle = room.peer;
  const status = h('span', { class: 'buddy-status muted' });
  const dot = h('span', { class: 'buddy-presence' });
  const note = statusLine('status small');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const buttons = PING_KINDS.map(({ kind, label }) => {
    const b = button(label, async () => {
      const r = await busy(b, error, () => sendPing(app, { handle, kind }));
      if (r) note.textContent = r.sent ? `Sent “${label}”.` : `It will go out when you're back online.`;
    }, { class: 'quiet' });
    return b;
  });
  const el = h('div', { class: 'conversation-panel buddy-panel' },
    h('p', {}, dot, h('span', {}, `Your buddy ${handle} `), status),
    h('div', { class: 'row', role: 'group', 'aria-label': `Send ${handle} a ping` }, buttons),
    note, error);
  function update() {
    const b = state.buddies.get(handle);
    const s = b ? b.status : app.presence(handle);
    fill(dot, presenceDot(s));
    status.textContent = b ? `(${STATUS_WORDS[s] || 'offline'})` : '(no longer paired)';
    for (const btn of buttons) btn.disabled = !b;
  }
  watchPanel(el, (what) => {
    if (what === 'list' || (what && what.presence === handle)) update();
  });
  update();
  return el;
}
