/*
 * What the buddies modules share while a member is signed in (the screens
 * come and go; this stays): the buddies, requests, pings and the matching
 * pool as the server last said, and the feed the views redraw from
 * (changed('list' | 'pings' | 'match' | {presence: handle})).
 */
import { h } from '../dom.js';
import { changeFeed } from './changes.js';

export const state = {
  me: null,
  loaded: false,
  buddies: new Map(),      /* handle -> buddy object */
  incoming: new Map(),     /* handle -> {handle, ts} */
  outgoing: new Map(),     /* handle -> {handle, ts} */
  limit: 5,
  pings: new Map(),        /* id -> ping object */
  seenSent: new Set(),     /* ping ids we told the server about */
  unsent: new Map(),       /* cid -> buddy.ping fields, waiting for the link */
  match: { in_pool: false, prefs: null, proposal: null, waiting: false, note: '' },
  shown: false,            /* the Buddies screen is open */
};

export function resetState() {
  state.me = null;
  state.loaded = false;
  state.buddies.clear();
  state.incoming.clear();
  state.outgoing.clear();
  state.limit = 5;
  state.pings.clear();
  state.seenSent.clear();
  state.unsent.clear();
  state.match = { in_pool: false, prefs: null, proposal: null, waiting: false, note: '' };
}

export const { watch, changed, watchPanel } = changeFeed('buddies');

export const STATUS_WORDS = { available: 'available', away: 'away', busy: 'busy', offline: 'offline' };

export function presenceDot(status) {
  const s = STATUS_WORDS[status] ? status : 'offline';
  return h('span', { class: `dot presence-${s}`, 'aria-hidden': 'true' });
}
