/*
 * The buddy list and requests (PROTOCOL.md 5.48-5.53, 6.16-6.17, 20): each
 * buddy with their presence, a way to write to them (their private
 * conversation), the pings, and a quiet way to end a pairing; requests
 * waiting for the member (accept / decline) and their own (withdraw); a form
 * to ask someone by handle. Nothing ever says why a pairing ended or a
 * request went away: the server gives no reason, and none is suggested.
 */
import { busy, button, field, fill, fmtRelative, h, reconcile, showError, statusLine, uid } from '../dom.js';
import { STATUS_WORDS, changed, presenceDot, state } from './buddies_state.js';
import { PING_KINDS, sendPing } from './buddy_pings.js';

/* ---- the protocol side ---- */

function noteBuddy(app, b) {
  state.buddies.set(b.handle, { handle: b.handle, status: b.status, since: b.since, conversation: b.conversation });
  app.notePresence(b.handle, b.status);
}

export async function loadList(app) {
  const data = await app.conn.request('buddy.list');
  state.buddies.clear();
  for (const b of data.buddies || []) noteBuddy(app, b);
  state.incoming = new Map((data.incoming || []).map((r) => [r.handle, r]));
  state.outgoing = new Map((data.outgoing || []).map((r) => [r.handle, r]));
  if (Number.isInteger(data.limit)) state.limit = data.limit;
  state.loaded = true;
  changed('list');
}

export function listen(app) {
  app.conn.on('presence', (ev) => {
    const b = state.buddies.get(ev.handle);
    if (!b) return;
    b.status = ev.status;
    changed({ presence: ev.handle });
  });
  app.conn.on('buddy.request', (ev) => {
    state.incoming.set(ev.handle, { handle: ev.handle, ts: ev.ts });
    changed('list');
    app.alert('buddy', `${ev.handle} would like to be your buddy.`, { go: ['buddies'] });
  });
  app.conn.on('buddy.update', (ev) => {
    if (ev.state === 'paired') {
      const isNew = !state.buddies.has(ev.handle);
      noteBuddy(app, ev);
      state.incoming.delete(ev.handle);
      state.outgoing.delete(ev.handle);
      changed('list');
      if (isNew) app.toast(`You and ${ev.handle} are buddies now.`);
    } else if (ev.state === 'ended') {
      /* No reason is ever given, and none is shown. */
      state.buddies.delete(ev.handle);
      state.incoming.delete(ev.handle);
      state.outgoing.delete(ev.handle);
      changed('list');
    }
  });
}

/* ---- the Buddies screen's list, requests and asking ---- */

/* The sections in the screen's order: the buddies, requests for the member, theirs, asking. */
export function listSections(app) {
  const buddyList = h('ul', { class: 'list buddy-list', 'aria-label': 'Your buddies' });
  const buddyEmpty = h('p', { class: 'muted' }, 'No buddies yet. Ask someone you know below, or let us suggest someone.');
  const limitLine = h('p', { class: 'muted small' });
  const incomingList = h('ul', { class: 'list request-list', 'aria-label': 'Requests for you' });
  const incomingSection = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-incoming-h' },
    h('h2', { id: 'buddies-incoming-h' }, 'Asking to be your buddy'), incomingList);
  const outgoingList = h('ul', { class: 'list request-list', 'aria-label': 'Your requests' });
  const outgoingSection = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-outgoing-h' },
    h('h2', { id: 'buddies-outgoing-h' }, 'You asked'), outgoingList);
  const els = [
    h('section', { class: 'stack', 'aria-labelledby': 'buddies-list-h' },
      h('h2', { id: 'buddies-list-h' }, 'Your buddies'), buddyEmpty, buddyList, limitLine),
    incomingSection, outgoingSection,
    h('section', { class: 'card stack', 'aria-labelledby': 'buddies-ask-h' },
      h('h2', { id: 'buddies-ask-h' }, 'Ask someone to be your buddy'), askForm(app)),
  ];

  function render() {
    const handles = [...state.buddies.keys()].sort();
    reconcile(buddyList, handles.map((handle) => ({ key: handle, make: () => buddyCard(app, handle) })));
    for (const card of buddyList.children) card.update();
    buddyEmpty.hidden = handles.length > 0 || !state.loaded;
    buddyList.hidden = handles.length === 0;
    limitLine.textContent = handles.length >= state.limit
      ? `You have ${handles.length} buddies, the most this server allows. To pair with someone new, end a pairing first.`
      : '';

    const requests = (map, incoming) => [...map.values()].map((r) => ({
      key: `${r.handle} ${r.ts}`, make: () => requestItem(app, r, incoming),
    }));
    reconcile(incomingList, requests(state.incoming, true));
    incomingSection.hidden = state.incoming.size === 0;
    reconcile(outgoingList, requests(state.outgoing, false));
    outgoingSection.hidden = state.outgoing.size === 0;
  }

  function setStatus(handle) {
    [...buddyList.children].find((card) => card.dataset.key === handle)?.setStatus();
  }

  return { els, render, setStatus };
}

function askForm(app) {
  const askInput = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '32' });
  const askField = field('Their handle', askInput, { hint: 'They can say yes or no. Nobody else is told.' });
  const askButton = h('button', { type: 'submit', class: 'primary' }, 'Ask to be buddies');
  const askStatus = statusLine();
  const form = h('form', { class: 'stack', novalidate: true }, askField, h('div', { class: 'row' }, askButton), askStatus);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    askStatus.textContent = '';
    const handle = askInput.value.trim().toLowerCase();
    if (!handle) {
      showError(askField.error, { message: 'Write the handle of the person you would like to ask.' });
      askInput.focus();
      return;
    }
    const ok = await busy(askButton, askField.error, () => app.conn.request('buddy.request', { handle }));
    if (ok === undefined) {
      askInput.focus();
      return;
    }
    askInput.value = '';
    if (!state.buddies.has(handle) && !state.incoming.has(handle)) {
      state.outgoing.set(handle, { handle, ts: Date.now() });
    }
    changed('list');
    askStatus.textContent = `We asked ${handle}. They will see it next time they are here.`;
  });
  return form;
}

function buddyCard(app, handle) {
  const headingId = uid('buddy');
  const dot = h('span', { class: 'buddy-presence' });
  const statusText = h('span', { class: 'buddy-status muted' });
  const status = statusLine('status buddy-line');
  const pingError = h('p', { class: 'field-error', role: 'alert', hidden: true });

  function setStatus() {
    const b = state.buddies.get(handle);
    const s = b ? (STATUS_WORDS[b.status] ? b.status : 'offline') : 'offline';
    fill(dot, presenceDot(s));
    statusText.textContent = STATUS_WORDS[s];
  }

  async function quickPing(kind, label, btn) {
    const result = await busy(btn, pingError, () => sendPing(app, { handle, kind }));
    if (!result) return;
    status.textContent = result.sent
      ? `Sent “${label}” to ${handle}.`
      : `You're offline; “${label}” will go to ${handle} when you're back.`;
  }

  /* The fourth ping: a few words of one's own. */
  const words = h('textarea', { rows: '2', maxlength: '500', class: 'ping-words' });
  const wordsField = field(`A few words for ${handle}`, words, { hint: 'Up to 500 characters.' });
  const sendWords = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const cancelWords = button('Cancel', () => toggleWords(false), { class: 'quiet' });
  const wordsForm = h('form', { id: uid('words'), class: 'ping-words-form stack', hidden: true },
    wordsField, h('div', { class: 'row' }, sendWords, cancelWords));
  wordsForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = words.value.trim();
    if (!text) {
      showError(wordsField.error, { message: 'Write a few words first.' });
      words.focus();
      return;
    }
    const result = await busy(sendWords, wordsField.error, () => sendPing(app, { handle, kind: 'text', text }));
    if (!result) return;
    words.value = '';
    toggleWords(false);
    status.textContent = result.sent
      ? `Sent your words to ${handle}.`
      : `You're offline; your words will go to ${handle} when you're back.`;
  });
  const wordsToggle = button('A few words…', () => toggleWords(wordsForm.hidden), {
    'aria-expanded': 'false', 'aria-controls': wordsForm.id,
  });
  function toggleWords(open) {
    wordsForm.hidden = !open;
    wordsToggle.setAttribute('aria-expanded', String(open));
    if (open) words.focus();
    else wordsToggle.focus();
  }

  const pingButtons = PING_KINDS.map(({ kind, label }) => {
    const b = button(label, () => quickPing(kind, label, b));
    return b;
  });
  const pings = h('div', { class: 'row ping-buttons', role: 'group', 'aria-label': `Send ${handle} a ping` },
    pingButtons, wordsToggle);

  /* Ending a pairing: asked once more, in place, and quietly. */
  const endConfirm = h('div', { class: 'confirm stack', hidden: true });
  const endButton = button('End pairing', () => {
    fill(endConfirm,
      h('p', {}, `End your pairing with ${handle}? They won't be told why, and your conversation stays readable to both of you.`),
      h('div', { class: 'row' },
        button('Yes, end it', async (e) => {
          const done = await busy(e.currentTarget, endError, () => app.conn.request('buddy.end', { handle }));
          if (done === undefined) return;
          state.buddies.delete(handle);
          changed('list');
          app.toast(`Your pairing with ${handle} has ended.`);
        }, { class: 'danger' }),
        button('Keep it', () => {
          endConfirm.hidden = true;
          endButton.focus();
        }, { class: 'quiet' })));
    endConfirm.hidden = false;
    endConfirm.querySelector('button')?.focus();
  }, { class: 'quiet', 'aria-label': `End pairing with ${handle}` });
  const endError = h('p', { class: 'field-error', role: 'alert', hidden: true });

  const message = button('Message', () => {
    const b = state.buddies.get(handle);
    if (b?.conversation) app.go('room', b.conversation);
  }, { class: 'primary', 'aria-label': `Message ${handle}` });

  const since = h('p', { class: 'muted small' });
  const el = h('li', { class: 'card buddy', 'aria-labelledby': headingId },
    h('div', { class: 'buddy-head' },
      h('h3', { id: headingId, class: 'buddy-name' }, dot, h('span', {}, handle)),
      statusText),
    since,
    h('div', { class: 'row' }, message),
    pings, wordsForm, pingError, status,
    h('div', { class: 'buddy-end' }, endButton, endConfirm, endError));

  function update() {
    setStatus();
    const b = state.buddies.get(handle);
    since.textContent = b?.since ? `Buddies since ${new Date(b.since).toLocaleDateString()}` : '';
  }
  el.update = update;
  el.setStatus = setStatus;
  return el;
}

function requestItem(app, r, incoming) {
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const when = r.ts ? fmtRelative(r.ts - Date.now()) : '';
  if (incoming) {
    const accept = button('Accept', async () => {
      const data = await busy(accept, error, () => app.conn.request('buddy.accept', { handle: r.handle }));
      if (!data) return;
      if (data.buddy) noteBuddy(app, data.buddy);
      state.incoming.delete(r.handle);
      changed('list');
    }, { class: 'primary', 'aria-label': `Accept ${r.handle} as your buddy` });
    const decline = button('Decline', async () => {
      const data = await busy(decline, error, () => app.conn.request('buddy.decline', { handle: r.handle }));
      if (data === undefined) return;
      state.incoming.delete(r.handle);
      changed('list');
    }, { class: 'quiet', 'aria-label': `Decline ${r.handle}'s request` });
    return h('li', { class: 'request' },
      h('p', {}, h('strong', {}, r.handle), ' would like to be your buddy. ', h('span', { class: 'muted' }, when)),
      h('div', { class: 'row' }, accept, decline), error);
  }
  const cancel = button('Withdraw', async () => {
    const data = await busy(cancel, error, () => app.conn.request('buddy.cancel', { handle: r.handle }));
    if (data === undefined) return;
    state.outgoing.delete(r.handle);
    changed('list');
  }, { class: 'quiet', 'aria-label': `Withdraw your request to ${r.handle}` });
  return h('li', { class: 'request' },
    h('p', {}, 'You asked ', h('strong', {}, r.handle), '. ', h('span', { class: 'muted' }, when)),
    h('div', { class: 'row' }, cancel), error);
}
