/*
 * Being there for others (PROTOCOL.md 5.64-5.67, 6.22-6.24, 22), the
 * 'supporters' screen ("Supporters" in the navigation): switch "available to
 * support" on or off, the requests offered to the member (accept; a request
 * someone else took simply goes away, it is never a failure, and so does
 * its alert), the people they are with (hand back, end), the conversations
 * that ended; for moderators the waiting queue and its waits
 * (support_queue.js).
 */
import { busy, button, fill, fmtDuration, h, reconcile, statusLine, uid } from '../dom.js';
import { isServerModerator } from './roles.js';
import {
  ago, changed, forgetOffer, liveText, loadQueue, loadStatus, refreshAll, refreshLiveTimes,
  resetState, seeing, shown, state, takeOffer, urgencyShort, waitedMs, watch,
} from './support_state.js';
import { helperControls } from './support_panel.js';
import { queueSections } from './support_queue.js';

const AS_WORDS = {
  buddy: 'You are their buddy.',
  supporter: 'You are on duty to support.',
  moderator: 'A crisis: you are a moderator on duty.',
};

function note(text) {
  state.notes = [text, ...state.notes].slice(0, 3);
  changed('notes');
}

function dropOffer(id) {
  forgetOffer(id);
  if (state.queue) state.queue = state.queue.filter((q) => q.request.id !== id);
  changed('offers');
  changed('queue');
}

/* A conversation the member helped in ended (kept to say so, with any thanks). */
function noteFinished(request, thanks, by) {
  state.finished = [{ request, thanks, by, at: Date.now() },
    ...state.finished.filter((f) => f.request.id !== request.id)].slice(0, 5);
}

async function acceptOffer(app, id, control, slot) {
  const who = state.offers.get(id)?.request.requester || 'them';
  return busy(control, slot, async () => {
    try {
      const { request: r } = await app.conn.request('support.accept', { request: id });
      forgetOffer(id);
      state.helping.set(r.id, { request: r, at: Date.now() });
      if (state.queue) state.queue = state.queue.filter((q) => q.request.id !== id);
      changed('offers');
      changed('helping');
      changed('queue');
      if (r.conversation) app.go('room', r.conversation);
    } catch (err) {
      /* Someone else answering first is good news, not a failure. */
      if (err.code === 'support_taken') {
        dropOffer(id);
        note(`Someone else is already with ${who}. Thank you for being ready.`);
      } else if (err.code === 'support_closed') {
        dropOffer(id);
        note(`${who}'s request has ended.`);
      } else if (err.code === 'request_not_found') {
        dropOffer(id);
        note(`${who}'s request is no longer waiting for you.`);
      } else {
        throw err;
      }
    }
  });
}

export function install(app) {
  app.conn.on('support.offer', (ev) => {
    const isNew = takeOffer(app, ev.request, ev.as);
    changed('offers');
    if (isNew && shown.supporters && state.queue) loadQueue(app).catch(() => {});
  });
  app.conn.on('support.gone', (ev) => {
    const offer = state.offers.get(ev.id);
    if (!offer) {
      if (state.queue) loadQueue(app).catch(() => {});
      return;
    }
    const who = offer.request.requester;
    dropOffer(ev.id);
    if (!offer.hidden) {
      note(ev.reason === 'taken'
        ? `Someone is with ${who} now. Thank you for being ready.`
        : `${who}'s request has ended.`);
    }
  });
  app.conn.on('support.update', (ev) => {
    const r = ev.request;
    if (!r || r.requester === state.me) return;
    if (r.helper !== state.me && !state.helping.has(r.id)) return;
    const was = state.helping.get(r.id);
    if (r.state === 'accepted' && r.helper === state.me) {
      state.helping.set(r.id, { request: r, at: Date.now() });
      forgetOffer(r.id);
    } else {
      state.helping.delete(r.id);
      /* A handback is the helper's own doing: their screen already said so. */
      if ((was || r.state === 'closed') && ev.by !== 'handed_back') {
        noteFinished(r, ev.thanks || '', ev.by || null);
        if (r.state === 'closed' && ev.by === 'requester' && !seeing('supporters')) {
          app.alert('support', ev.thanks
            ? `${r.requester} ended your conversation and left you a thank-you.`
            : `${r.requester} ended your conversation.`, { go: ['supporters'] });
        }
      }
    }
    changed('helping');
    changed('offers');
  });
  app.addView({
    id: 'supporters',
    title: 'Supporters',
    nav: true,
    order: 35,
    create: () => createSupportersView(app),
  });
}

function createSupportersView(app) {
  const el = h('div', { class: 'view people supporters stack' });
  const heading = h('h1', { tabindex: '-1' }, 'Supporters');

  /* On duty */
  const duty = h('input', { type: 'checkbox', id: uid('duty') });
  const dutyError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const dutyStatus = statusLine();
  duty.addEventListener('change', async () => {
    const on = duty.checked;
    const data = await busy(duty, dutyError, () => app.conn.request('support.available', { on }));
    if (!data) {
      duty.checked = !on;
      return;
    }
    state.onDuty = !!data.on;
    dutyStatus.textContent = state.onDuty
      ? 'Thank you. While you are signed in, we will let you know when someone asks.'
      : 'You are off duty. Take care of yourself too.';
    changed('duty');
    if (isServerModerator(app)) loadQueue(app).catch(() => {});
  });
  const dutyCard = h('section', { class: 'card stack', 'aria-labelledby': 'duty-h' },
    h('h2', { id: 'duty-h' }, 'Be there for someone'),
    h('p', {}, 'When someone asks for support and their buddies cannot answer, we ask the people who are on duty. You can always let a request pass; nobody is told.'),
    h('div', { class: 'field check' }, duty, h('label', { for: duty.id }, "I'm available to support")),
    h('p', { class: 'hint' }, 'This counts only while you are signed in, on any of your devices.'),
    dutyError, dutyStatus);

  /* Notes: "someone else is with them" */
  const notesBox = h('div', { class: 'notes', role: 'status', 'aria-live': 'polite' });

  /* Offers */
  const offersList = h('ul', { class: 'list offer-list', 'aria-label': 'People asking for support' });
  const offersEmpty = h('p', { class: 'muted' }, 'Nobody is asking you right now.');

  /* Helping */
  const helpingList = h('ul', { class: 'list helping-list', 'aria-label': 'People you are with' });
  const helpingSection = h('section', { class: 'card stack', 'aria-labelledby': 'helping-h' },
    h('h2', { id: 'helping-h' }, 'You are with'), helpingList);
  const finishedBox = h('div', { class: 'stack slot' });

  const queue = queueSections(app);

  el.append(heading, dutyCard, notesBox,
    h('section', { class: 'card stack', 'aria-labelledby': 'offers-h' },
      h('h2', { id: 'offers-h' }, 'Asking for support'), offersEmpty, offersList),
    helpingSection, finishedBox, ...queue.els);

  function offerItem(id) {
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const item = h('li', { class: 'offer stack' });
    const accept = button('Accept', () => acceptOffer(app, id, accept, error), { class: 'primary' });
    const pass = button('Not now', () => {
      const offer = state.offers.get(id);
      if (offer) offer.hidden = true;
      changed('offers');
    }, { class: 'quiet' });
    item.update = () => {
      const offer = state.offers.get(id);
      if (!offer) return;
      const r = offer.request;
      accept.setAttribute('aria-label', `Accept ${r.requester}'s request`);
      pass.setAttribute('aria-label', `Not now: ${r.requester}'s request`);
      fill(item,
        h('h3', { class: 'offer-who' }, r.requester, ' ',
          h('span', { class: `badge urgency urgency-${r.urgency}` }, urgencyShort(r.urgency))),
        r.note ? h('blockquote', { class: 'note' }, r.note) : h('p', { class: 'muted' }, 'No words added.'),
        h('p', { class: 'muted small' }, AS_WORDS[offer.as] || AS_WORDS.supporter, ' ',
          liveText(() => `Asked ${ago(waitedMs(r, offer.at))}.`)),
        h('div', { class: 'row' }, accept, pass),
        error);
    };
    item.update();
    return item;
  }

  function helpingItem(id) {
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const item = h('li', { class: 'helping stack' });
    const entry = state.helping.get(id);
    const r = entry.request;
    const go = button('Go to the conversation', () => app.go('room', r.conversation), {
      class: 'primary', 'aria-label': `Go to the conversation with ${r.requester}`,
    });
    const { handback, close, confirm } = helperControls(app, r, {
      error,
      onFail: () => {
        if (error.textContent) loadStatus(app).catch(() => {});
      },
      onDone: (type) => {
        const was = state.helping.get(id);
        state.helping.delete(id);
        if (type === 'support.close' && was) noteFinished({ ...was.request, state: 'closed' }, '', 'helper');
        if (type === 'support.handback') {
          note(`We are asking others on duty to be with ${r.requester}. Thank you for the time you gave.`);
        }
        changed('helping');
      },
    });
    fill(item,
      h('h3', {}, r.requester, ' ', h('span', { class: `badge urgency urgency-${r.urgency}` }, urgencyShort(r.urgency))),
      r.note ? h('blockquote', { class: 'note' }, r.note) : null,
      h('p', { class: 'muted small' }, `They waited ${fmtDuration(r.waited_ms)}.`),
      h('div', { class: 'row' }, go, handback, close),
      confirm, error);
    return item;
  }

  function renderNotes() {
    fill(notesBox, state.notes.map((t) => h('p', { class: 'notice' }, t)));
  }

  function renderDuty() {
    duty.checked = !!state.onDuty;
  }

  function renderOffers() {
    const visible = [...state.offers.values()].filter((o) => !o.hidden)
      .sort((a, b) => a.request.created_at - b.request.created_at);
    reconcile(offersList, visible.map((o) => ({ key: String(o.request.id), make: () => offerItem(o.request.id) })));
    offersEmpty.hidden = visible.length > 0;
    offersList.hidden = visible.length === 0;
  }

  function renderHelping() {
    reconcile(helpingList, [...state.helping.keys()].map((id) => ({ key: String(id), make: () => helpingItem(id) })));
    helpingSection.hidden = state.helping.size === 0;
    fill(finishedBox, state.finished.map((f) => h('section', { class: 'card stack finished', 'aria-label': `Your conversation with ${f.request.requester}` },
      h('p', {}, f.request.state === 'closed'
        ? (f.by === 'requester' ? `${f.request.requester} ended your conversation.` : `Your conversation with ${f.request.requester} has ended.`)
        : `${f.request.requester} is being offered to others on duty now.`),
      f.thanks ? h('div', {}, h('p', {}, `${f.request.requester} left you a thank-you:`), h('blockquote', { class: 'note thanks' }, f.thanks)) : null,
      h('div', { class: 'row' },
        f.request.conversation ? button('Read the conversation', () => app.go('room', f.request.conversation), { class: 'quiet' }) : null,
        button('Dismiss', () => {
          state.finished = state.finished.filter((x) => x !== f);
          changed('helping');
        }, { class: 'quiet', 'aria-label': `Dismiss the note about ${f.request.requester}` })))));
  }

  const unwatch = watch((what) => {
    if (what === 'offers') {
      renderOffers();
      queue.render();
    } else if (what === 'helping') renderHelping();
    else if (what === 'queue') queue.render();
    else if (what === 'duty') renderDuty();
    else if (what === 'notes') renderNotes();
  });

  function renderAll() {
    renderDuty();
    renderNotes();
    renderOffers();
    renderHelping();
    queue.render();
  }
  renderAll();

  let ticker = null;
  return {
    el,
    show() {
      shown.supporters = true;
      if (!state.me && app.me) state.me = app.me.handle;
      /* Offers passed over come back when the screen is opened again. */
      for (const o of state.offers.values()) o.hidden = false;
      renderAll();
      refreshAll(app);
      clearInterval(ticker);
      let ticks = 0;
      ticker = setInterval(() => {
        refreshLiveTimes(el);
        /* Moderators get no events about requests not offered to them: look again now and then. */
        ticks += 1;
        if (isServerModerator(app) && ticks % 2 === 0) loadQueue(app).catch(() => {});
      }, 15_000);
    },
    hide() {
      shown.supporters = false;
      state.notes = [];
      clearInterval(ticker);
    },
    reset() {
      shown.supporters = false;
      clearInterval(ticker);
      unwatch();
      resetState();
    },
  };
}
