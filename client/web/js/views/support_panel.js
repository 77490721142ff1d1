/*
 * The panel above a support conversation (PROTOCOL.md 5.65-5.66, 22): for
 * the person who asked, who is with them; for the supporter, who they are
 * supporting, and handing back or ending it. The supporter's two controls
 * (helperControls) serve the Supporters screen too.
 */
import { busy, button, fill, h } from '../dom.js';
import { changed, state, urgencyShort, watchPanel } from './support_state.js';

/*
 * "Hand back" and "End the conversation" for the supporter of request r,
 * each asked once more in place (in `confirm`). onDone(type) after the
 * server agreed, onFail() after it did not (the error is in `error`).
 */
export function helperControls(app, r, { error, inConversation = false, onDone, onFail }) {
  const confirm = h('div', { class: 'confirm stack', hidden: true });
  const ask = (text, label, type) => {
    fill(confirm, h('p', {}, text), h('div', { class: 'row' },
      button(label, async (e) => {
        const ok = await busy(e.currentTarget, error, () => app.conn.request(type, { request: r.id }));
        if (ok === undefined) onFail?.();
        else onDone(type);
      }, { class: 'primary' }),
      button('Cancel', () => { confirm.hidden = true; }, { class: 'quiet' })));
    confirm.hidden = false;
    confirm.querySelector('button')?.focus();
  };
  const handback = button('Hand back', () => ask(
    `Hand ${r.requester} back? We will ask the others on duty right away, and ${inConversation ? 'this' : 'your'} conversation ends.`,
    'Yes, hand back', 'support.handback'), { class: 'quiet', 'aria-label': `Hand ${r.requester} back to the others on duty` });
  const close = button('End the conversation', () => ask(
    `End your conversation with ${r.requester}? You can both still read it.`, 'Yes, end it', 'support.close'),
  { class: 'quiet', 'aria-label': inConversation ? null : `End the conversation with ${r.requester}` });
  return { handback, close, confirm };
}

export function install(app) {
  app.addRoomExtension({ panel: (roomCtx) => conversationPanel(app, roomCtx) });
}

function conversationPanel(app, roomCtx) {
  const room = roomCtx.room;
  if (!room || room.kind !== 'support') return null;
  const name = roomCtx.name || room.room;
  const el = h('div', { class: 'conversation-panel support-panel', role: 'region', 'aria-label': 'About this support conversation' });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });

  function render() {
    const mine = state.mine && state.mine.conversation === name && state.mine.state === 'accepted' ? state.mine : null;
    const helping = [...state.helping.values()].map((x) => x.request).find((r) => r.conversation === name);
    if (mine) {
      fill(el, h('p', {}, `${mine.helper} is here for you.`),
        h('div', { class: 'row' }, button('End the conversation…', () => app.go('support'), { class: 'quiet' })), error);
    } else if (helping) {
      const { handback, close, confirm } = helperControls(app, helping, {
        error,
        inConversation: true,
        onDone: () => {
          state.helping.delete(helping.id);
          changed('helping');
        },
      });
      fill(el,
        h('p', {}, `You are supporting ${helping.requester}`, helping.urgency ? ` (${urgencyShort(helping.urgency)})` : '', '.'),
        helping.note ? h('blockquote', { class: 'note' }, helping.note) : null,
        h('div', { class: 'row' }, close, handback), confirm, error);
    } else {
      fill(el, h('p', { class: 'muted' }, 'This support conversation has ended. You can still read it.'));
    }
  }
  watchPanel(el, (what) => {
    if (what === 'mine' || what === 'helping') render();
  });
  render();
  return el;
}
