/*
 * What the support modules share while a member is signed in (PROTOCOL.md
 * 5.62-5.70, 6.22-6.24, 22): the member's own request, the requests offered
 * to them, the people they are with, the queue, and the feed the views
 * redraw from (changed('mine' | 'resources' | 'offers' | 'helping' |
 * 'queue' | 'duty' | 'notes')); and the words and clocks both screens use.
 */
import { fmtDuration, h } from '../dom.js';
import { isServerModerator } from './roles.js';
import { changeFeed } from './changes.js';

export const URGENCIES = [
  { value: 'talk', label: "I'd like to talk to someone", short: 'would like to talk' },
  { value: 'craving', label: 'A craving is hitting now', short: 'a craving is hitting now' },
  { value: 'crisis', label: "I'm in crisis", short: 'in crisis' },
];

export const OPEN_STATES = new Set(['asking_buddies', 'asking_supporters', 'nobody_yet']);

export function urgencyShort(u) {
  return URGENCIES.find((x) => x.value === u)?.short || u;
}

export function newCid() {
  return `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function freshState() {
  return {
    me: null,
    /* The member's own request */
    mine: null,            /* the request object while open or accepted */
    mineAt: 0,             /* Date.now() when `mine` was written (waited_ms counts on from there) */
    resources: null,       /* crisis resources to show with it, or null */
    by: null,              /* why it is back in the queue: 'handed_back' / 'helper_lost' */
    previousHelper: null,
    ended: null,           /* {request, by} once it closed or was withdrawn, until asked again */
    askCid: newCid(),
    /* Helping others */
    onDuty: null,          /* the support.available setting: true / false / null (not known yet) */
    offers: new Map(),     /* id -> {request, as, at, hidden, dismiss (its alert)} */
    helping: new Map(),    /* id -> {request, at} */
    finished: [],          /* [{request, thanks, by, at}] conversations the member helped in that ended */
    queue: null,           /* [{request, at}] or null when not allowed */
    notes: [],             /* short sentences for the supporters screen ("someone else is with them") */
  };
}

export const state = freshState();
/* Which screen is open (kept across a reset). */
export const shown = { support: false, supporters: false };

export function resetState() {
  Object.assign(state, freshState());
}

export const { watch, changed, watchPanel } = changeFeed('support');

/* On screen and looked at: no alert needed. */
export function seeing(screen) {
  return shown[screen] && !document.hidden;
}

/* ---- the crisis resources (safety.resources, from the shell) ---- */

export const crisis = { resources: null, notice: '' };

export async function loadResources(app) {
  if (crisis.resources) return crisis.resources;
  try {
    const data = await app.crisisResources();
    crisis.resources = data.resources || [];
    crisis.notice = data.notice || '';
    changed('resources');
  } catch {
    /* Shown from the next support.update, or the fallback sentence. */
  }
  return crisis.resources;
}

/* ---- the protocol side ---- */

export function setMine(app, request, { resources } = {}) {
  if (!request) {
    state.mine = null;
    return;
  }
  const previous = state.mine;
  if (OPEN_STATES.has(request.state) || request.state === 'accepted') {
    if (previous && previous.id !== request.id) {
      state.resources = null;
      state.by = null;
    }
    if (previous?.helper && request.state !== 'accepted') state.previousHelper = previous.helper;
    state.mine = request;
    state.mineAt = Date.now();
    state.ended = null;
  } else {
    state.mine = null;
    state.ended = { request, at: Date.now() };
    state.askCid = newCid();
  }
  if (Array.isArray(resources)) state.resources = resources;
  else if (request.urgency === 'crisis' && !state.resources) loadResources(app);
}

/* A request offered to the member (support.offer, or standing in
 * support.status's offers after a sign-in): kept, and an alert the first
 * time unless the Supporters screen is being looked at. */
export function takeOffer(app, request, as) {
  if (!request || state.helping.has(request.id) || request.requester === state.me) return;
  const known = state.offers.get(request.id);
  state.offers.set(request.id, {
    request, as, at: Date.now(), hidden: known ? known.hidden : false, dismiss: known?.dismiss,
  });
  if (!known && !seeing('supporters')) {
    state.offers.get(request.id).dismiss = app.alert('support', `${request.requester} is asking for support.`, { go: ['supporters'] });
  }
  return !known;
}

/* support.status is the truth after every sign-in (PROTOCOL.md 5.69): the
 * member's own request, those they help, whether they are on duty, and the
 * offers still standing (a buddy's is not offered again after a reconnect). */
export async function loadStatus(app) {
  const data = await app.conn.request('support.status');
  if (data.mine) setMine(app, data.mine);
  else if (state.mine) {
    /* It ended while the link was down: support.status is the truth. */
    state.mine = null;
  }
  const helping = new Map();
  for (const r of data.helping || []) helping.set(r.id, { request: r, at: Date.now() });
  state.helping = helping;
  for (const id of helping.keys()) forgetOffer(id);
  state.onDuty = !!data.available;
  const standing = new Set();
  for (const { request, as } of data.offers || []) {
    standing.add(request.id);
    takeOffer(app, request, as);
  }
  /* Answered or withdrawn while the link was down. */
  for (const id of [...state.offers.keys()]) if (!standing.has(id)) forgetOffer(id);
  changed('mine');
  changed('helping');
  changed('offers');
  changed('duty');
}

/* The whole queue, for the server's moderators (PROTOCOL.md 5.68); a member
 * on duty has the same requests as offers. */
export async function loadQueue(app) {
  if (!isServerModerator(app)) {
    state.queue = null;
    changed('queue');
    return;
  }
  try {
    const data = await app.conn.request('support.queue');
    const now = Date.now();
    state.queue = (data.requests || []).map((r) => ({ request: r, at: now }));
  } catch (err) {
    if (err.code === 'not_on_duty') state.queue = null;
    else if (err.code !== 'offline') throw err;
  }
  changed('queue');
}

export function refreshAll(app) {
  const quietly = (p) => p.catch((err) => {
    if (err.code !== 'offline') console.warn('support: refresh failed', err);
  });
  return Promise.all([quietly(loadStatus(app)), quietly(loadQueue(app))]);
}

/* An offer that is no longer for the member: its alert goes too. */
export function forgetOffer(id) {
  state.offers.get(id)?.dismiss?.();
  state.offers.delete(id);
}

/* ---- waits, kept current by the screens' clock ---- */

export function waitedMs(request, at) {
  if (OPEN_STATES.has(request.state)) return request.waited_ms + Math.max(0, Date.now() - at);
  return request.waited_ms;
}

/* "just now", "3 minutes ago". */
export function ago(ms) {
  return ms < 60_000 ? 'just now' : `${fmtDuration(ms)} ago`;
}

/* A line whose text is kept current by the screen's clock. */
export function liveText(fn) {
  const el = h('span', { class: 'live-time' });
  el.refresh = () => { el.textContent = fn(); };
  el.refresh();
  return el;
}

export function refreshLiveTimes(root) {
  for (const el of root.querySelectorAll('.live-time')) el.refresh?.();
}
