/*
 * Buddies: the people a member pairs with (PROTOCOL.md sections 20 and 21).
 * One screen, "Buddies", put together from:
 *
 * - buddy_list.js: the buddy list and requests, and asking someone;
 * - buddy_pings.js: the pings of the last 7 days, sent and received, and the
 *   panel above a buddy conversation;
 * - buddy_match.js: the matching pool;
 *
 * which share buddies_state.js.
 */
import { h } from '../dom.js';
import { resetState, state, watch } from './buddies_state.js';
import * as list from './buddy_list.js';
import * as pings from './buddy_pings.js';
import * as match from './buddy_match.js';

function refreshAll(app) {
  const quietly = (p) => p.catch((err) => {
    if (err.code !== 'offline') console.warn('buddies: refresh failed', err);
  });
  return Promise.all([quietly(list.loadList(app)), quietly(pings.loadPings(app)), quietly(match.loadMatch(app))]);
}

function createView(app) {
  const buddies = list.listSections(app);
  const pingList = pings.pingsSection(app);
  const pool = match.matchSection(app);
  const el = h('div', { class: 'view people buddies stack' },
    h('h1', { tabindex: '-1' }, 'Buddies'),
    h('p', { class: 'muted' },
      'A buddy is someone you look out for, and who looks out for you. You see when they are around, can send a quick ping, and have a private conversation only the two of you can read.'),
    buddies.els, pingList.el, pool.el);

  function renderAll() {
    buddies.render();
    pingList.render();
    pool.render();
  }
  const unwatch = watch((what) => {
    if (what === 'list') buddies.render();
    else if (what === 'pings') pingList.render();
    else if (what === 'match') pool.render();
    else if (what && what.presence) buddies.setStatus(what.presence);
  });
  renderAll();

  let ticker = null;
  return {
    el,
    show() {
      state.shown = true;
      if (!state.me && app.me) state.me = app.me.handle;
      renderAll();
      refreshAll(app).then(() => pings.markShownPingsSeen(app));
      pings.markShownPingsSeen(app);
      clearInterval(ticker);
      ticker = setInterval(() => pool.tick(), 60_000);
    },
    hide() {
      state.shown = false;
      clearInterval(ticker);
    },
    reset() {
      state.shown = false;
      clearInterval(ticker);
      unwatch();
      resetState();
    },
  };
}

export function install(app) {
  list.listen(app);
  pings.listen(app);
  match.listen(app);
  app.addView({
    id: 'buddies',
    title: 'Buddies',
    nav: true,
    order: 30,
    create: () => createView(app),
  });
  app.addRoomExtension({ panel: (roomCtx) => pings.conversationPanel(app, roomCtx) });
  app.onSignedIn(({ resumed }) => {
    const handle = app.me?.handle || null;
    if (state.me && state.me !== handle) resetState();
    state.me = handle;
    if (resumed) pings.resendUnsent(app);
    refreshAll(app).then(() => {
      if (state.shown) pings.markShownPingsSeen(app);
    });
  });
}
