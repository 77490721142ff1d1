/*
 * Support: asking for someone to talk to, now, and being there for others
 * (PROTOCOL.md section 22). Put together from:
 *
 * - support_ask.js: the 'support' screen, for the person asking;
 * - supporters.js: the 'supporters' screen, for those on duty (and
 *   support_queue.js, the moderators' queue and waiting times);
 * - support_panel.js: the panel above a support conversation;
 *
 * which share support_state.js.
 */
import { refreshAll, resetState, state } from './support_state.js';
import * as ask from './support_ask.js';
import * as supporters from './supporters.js';
import * as panel from './support_panel.js';

export function install(app) {
  ask.install(app);
  supporters.install(app);
  panel.install(app);
  app.onSignedIn(() => {
    const handle = app.me?.handle || null;
    if (state.me && state.me !== handle) resetState();
    state.me = handle;
    refreshAll(app);
  });
}
