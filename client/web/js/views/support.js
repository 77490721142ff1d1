/*
 * Support: asking for someone to talk to, now, and being there for others
 * (PROTOCOL.md sections 5.62-5.70, 6.22-6.24 and 22).
 *
 * Two screens:
 * - 'support' (not in the navigation: the shell's "I need support now"
 *   button opens it): ask with an urgency and a few words, then see plainly
 *   where the request stands (support.update), withdraw it, go to the
 *   conversation once someone answered, end it with thanks. The crisis
 *   resources are shown at once for a crisis and whenever nobody has
 *   answered yet.
 * - 'supporters' ("Supporters" in the navigation): switch "available to
 *   support" on or off, the requests offered to the member (accept; a request
 *   someone else took simply goes away, it is never a failure), the people
 *   they are with (hand back, end), and for moderators and people on duty the
 *   waiting queue with its waits.
 */
import { busy, button, field, fill, fmtDay, fmtDuration, fmtTime, h, showError, statusLine, uid } from '../dom.js';

export const URGENCIES = [
  { value: 'talk', label: "I'd like to talk to someone", short: 'would like to talk' },
  { value: 'craving', label: 'A craving is hitting now', short: 'a craving is hitting now' },
  { value: 'crisis', label: "I'm in crisis", short: 'in crisis' },
];

const OPEN_STATES = new Set(['asking_buddies', 'asking_supporters', 'nobody_yet']);

function urgencyShort(u) {
  return URGENCIES.find((x) => x.value === u)?.short || u;
}

function newCid() {
  return `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/* ---- shared state ---- */

const state = {
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
  onDuty: null,          /* true / false / null (not known) */
  offers: new Map(),     /* id -> {request, as, at, hidden} */
  helping: new Map(),    /* id -> {request, at} */
  finished: [],          /* [{request, thanks, by, how}] conversations the member helped in that ended */
  queue: null,           /* [{request, at}] or null when not allowed */
  notes: [],             /* short sentences for the supporters screen ("someone else is with them") */
};

function resetState() {
  Object.assign(state, {
    me: null, mine: null, mineAt: 0, resources: null, by: null, previousHelper: null, ended: null,
    askCid: newCid(), onDuty: null, offers: new Map(), helping: new Map(), finished: [], queue: null, notes: [],
  });
}

let app = null;
let crisisResources = null;      /* from safety.resources, fetched once */
let crisisNotice = '';
let supportShown = false;
let supportersShown = false;

const watchers = new Set();
function changed(what) {
  for (const fn of [...watchers]) {
    try {
      fn(what);
    } catch (err) {
      console.error('support: a view failed to update', err);
    }
  }
}

/* ---- the protocol side ---- */

function isModerator() {
  return app.me && (app.me.role === 'moderator' || app.me.role === 'admin');
}

const DUTY_KEY = 'hearth.support.available';

function rememberDuty(on) {
  try {
    localStorage.setItem(`${DUTY_KEY}.${state.me}`, on ? 'on' : 'off');
  } catch { /* no storage */ }
}

function rememberedDuty() {
  try {
    const v = localStorage.getItem(`${DUTY_KEY}.${state.me}`);
    return v === 'on' ? true : v === 'off' ? false : null;
  } catch {
    return null;
  }
}

function setMine(request, { resources } = {}) {
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
  else if (request.urgency === 'crisis' && !state.resources) loadResources();
}

async function loadResources() {
  if (crisisResources) return crisisResources;
  try {
    const data = await app.conn.request('safety.resources');
    crisisResources = data.resources || [];
    crisisNotice = data.notice || '';
    changed('resources');
  } catch {
    /* Shown from the next support.update, or the fallback sentence. */
  }
  return crisisResources;
}

async function loadStatus() {
  const data = await app.conn.request('support.status');
  if (data.mine) setMine(data.mine);
  else if (state.mine) {
    /* It ended while the link was down: support.status is the truth. */
    state.mine = null;
  }
  const helping = new Map();
  for (const r of data.helping || []) helping.set(r.id, { request: r, at: Date.now() });
  state.helping = helping;
  for (const id of helping.keys()) state.offers.delete(id);
  changed('mine');
  changed('helping');
}

async function loadQueue() {
  try {
    const data = await app.conn.request('support.queue');
    const now = Date.now();
    state.queue = (data.requests || []).map((r) => ({ request: r, at: now }));
    /* A member (not a moderator) sees the queue only while on duty. */
    if (!isModerator()) state.onDuty = true;
  } catch (err) {
    if (err.code === 'not_on_duty') {
      state.queue = null;
      state.onDuty = false;
    } else if (err.code !== 'offline') throw err;
  }
  if (isModerator() && state.onDuty === null) state.onDuty = rememberedDuty() ?? false;
  changed('queue');
  changed('duty');
}

function refreshAll() {
  const quietly = (p) => p.catch((err) => {
    if (err.code !== 'offline') console.warn('support: refresh failed', err);
  });
  return Promise.all([quietly(loadStatus()), quietly(loadQueue())]);
}

function note(text) {
  state.notes = [text, ...state.notes].slice(0, 3);
  changed('notes');
}

function dropOffer(id) {
  state.offers.delete(id);
  if (state.queue) state.queue = state.queue.filter((q) => q.request.id !== id);
  changed('offers');
  changed('queue');
}

async function acceptOffer(id, control, slot) {
  const offer = state.offers.get(id);
  const who = offer?.request.requester || 'them';
  showError(slot, null);
  if (control) control.disabled = true;
  try {
    const data = await app.conn.request('support.accept', { request: id });
    const r = data.request;
    state.offers.delete(id);
    state.helping.set(r.id, { request: r, at: Date.now() });
    if (state.queue) state.queue = state.queue.filter((q) => q.request.id !== id);
    changed('offers');
    changed('helping');
    changed('queue');
    if (r.conversation) app.go('room', r.conversation);
    return true;
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
      showError(slot, err);
    }
    return false;
  } finally {
    if (control) control.disabled = false;
  }
}

function requesterAlert(request, by) {
  if (supportShown && !document.hidden) return;
  switch (request.state) {
    case 'accepted':
      app.alert('support', `${request.helper} is here for you.`, { go: ['support'] });
      break;
    case 'nobody_yet':
      app.alert('support', 'Nobody has answered yet. Your request stays open, and there is other help you can reach now.', { go: ['support'] });
      break;
    case 'asking_supporters':
      if (by) app.alert('support', 'We are asking others on duty to support you.', { go: ['support'] });
      break;
    case 'closed':
      if (by === 'helper') app.alert('support', 'Your support conversation has ended.', { go: ['support'] });
      break;
    default:
      break;
  }
}

function subscribe() {
  const conn = app.conn;
  conn.on('support.offer', (ev) => {
    const r = ev.request;
    if (!r || state.helping.has(r.id) || r.requester === state.me) return;
    const known = state.offers.has(r.id);
    state.offers.set(r.id, { request: r, as: ev.as, at: Date.now(), hidden: known ? state.offers.get(r.id).hidden : false });
    changed('offers');
    if (!known && !(supportersShown && !document.hidden)) {
      app.alert('support', `${r.requester} is asking for support.`, { go: ['supporters'] });
    }
    if (!known && supportersShown && state.queue) loadQueue().catch(() => {});
  });
  conn.on('support.gone', (ev) => {
    const offer = state.offers.get(ev.id);
    if (!offer) {
      if (state.queue) loadQueue().catch(() => {});
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
  conn.on('support.update', (ev) => {
    const r = ev.request;
    if (!r) return;
    if (r.requester === state.me) {
      const by = ev.by || null;
      let resources = Array.isArray(ev.resources) ? ev.resources : undefined;
      if (!resources && r.state === 'nobody_yet') resources = [];
      setMine(r, { resources });
      if (r.state === 'asking_supporters') state.by = by;
      else if (OPEN_STATES.has(r.state) || r.state === 'accepted') state.by = null;
      if (state.ended) state.ended.by = by;
      changed('mine');
      requesterAlert(r, by);
      return;
    }
    if (r.helper === state.me || state.helping.has(r.id)) {
      const was = state.helping.get(r.id);
      if (r.state === 'accepted' && r.helper === state.me) {
        state.helping.set(r.id, { request: r, at: Date.now() });
        state.offers.delete(r.id);
      } else {
        state.helping.delete(r.id);
        /* A handback is the helper's own doing: their screen already said so. */
        if ((was || r.state === 'closed') && ev.by !== 'handed_back') {
          state.finished = [{ request: r, thanks: ev.thanks || '', by: ev.by || null, at: Date.now() },
            ...state.finished.filter((f) => f.request.id !== r.id)].slice(0, 5);
          if (r.state === 'closed' && ev.by === 'requester' && !(supportersShown && !document.hidden)) {
            app.alert('support', ev.thanks
              ? `${r.requester} ended your conversation and left you a thank-you.`
              : `${r.requester} ended your conversation.`, { go: ['supporters'] });
          }
        }
      }
      changed('helping');
      changed('offers');
    }
  });
}

/* ---- pieces shared by the screens ---- */

function resourcesBlock(list, { urgent = false, headingLevel = 'h2' } = {}) {
  const items = list && list.length ? list : crisisResources;
  const headingId = uid('crisis');
  return h('section', { class: `card crisis stack resources${urgent ? ' urgent' : ''}`, 'aria-labelledby': headingId },
    h(headingLevel, { id: headingId }, urgent ? 'Help you can reach right now' : 'If you are in danger'),
    h('p', {}, crisisNotice || 'Hearth is peer support, not a crisis service. If you are in danger or thinking about ending your life, please reach out now:'),
    items && items.length
      ? h('ul', { class: 'resource-list' }, items.map((t) => h('li', {}, t)))
      : h('p', {}, 'Call your local emergency number.'));
}

function waitedMs(request, at) {
  if (OPEN_STATES.has(request.state)) return request.waited_ms + Math.max(0, Date.now() - at);
  return request.waited_ms;
}

/* "just now", "3 minutes ago". */
function ago(ms) {
  return ms < 60_000 ? 'just now' : `${fmtDuration(ms)} ago`;
}

/* A line whose text is kept current by the screen's clock. */
function liveText(fn) {
  const el = h('span', { class: 'live-time' });
  el.refresh = () => { el.textContent = fn(); };
  el.refresh();
  return el;
}

function refreshLiveTimes(root) {
  for (const el of root.querySelectorAll('.live-time')) el.refresh?.();
}

/* ---- the requester's screen ---- */

function statusWords(r) {
  switch (r.state) {
    case 'asking_buddies':
      return {
        title: 'We are asking your buddies now.',
        more: 'If none of them can answer soon, we will ask everyone who is on duty to support, too.',
      };
    case 'asking_supporters':
      if (state.by === 'handed_back' && state.previousHelper) {
        return {
          title: `${state.previousHelper} could not stay, so we are asking the others on duty to support.`,
          more: 'Whoever answers next will start a new conversation with you.',
        };
      }
      if (state.by === 'helper_lost' && state.previousHelper) {
        return {
          title: `We lost the connection with ${state.previousHelper}, so we are asking the others on duty to support.`,
          more: 'Whoever answers next will start a new conversation with you.',
        };
      }
      return {
        title: 'We have asked everyone who is on duty to support.',
        more: 'The first person free will be with you.',
      };
    case 'nobody_yet':
      return {
        title: 'Nobody has answered yet.',
        more: 'Your request stays open and we keep asking, including people who come on duty later. You do not have to wait alone: the help listed on this screen is there right now.',
      };
    case 'accepted':
      return { title: `${r.helper} is here for you.`, more: '' };
    default:
      return { title: '', more: '' };
  }
}

function createSupportView() {
  const el = h('div', { class: 'view people support stack' });
  const heading = h('h1', { tabindex: '-1' }, 'Support');
  const statusBox = h('div', { class: 'stack slot' });
  const askBox = h('div', { class: 'stack slot' });
  const topResources = h('div', { class: 'slot' });
  const bottomResources = h('div', { class: 'slot' });
  /* One live region for the whole screen: the parts below are rebuilt, this stays. */
  const announcer = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  let announced = '';
  el.append(heading, announcer, topResources, statusBox, askBox, bottomResources);

  /* The ask form is built once, so a half-written note survives updates. */
  const radios = URGENCIES.map((u, i) => {
    const input = h('input', { type: 'radio', name: 'urgency', value: u.value, checked: i === 0, id: uid('urg') });
    input.addEventListener('change', () => renderResources());
    return { input, row: h('div', { class: 'choice' }, input, h('label', { for: input.id }, u.label)) };
  });
  const noteInput = h('textarea', { rows: '3', maxlength: '500' });
  const noteField = field('A few words (optional)', noteInput, {
    hint: 'Only the people we ask will read them. Up to 500 characters.',
  });
  const askButton = h('button', { type: 'submit', class: 'primary' }, 'Ask for support');
  const askError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const askForm = h('form', { class: 'card stack ask-form', novalidate: true },
    h('h2', {}, 'Ask for support'),
    h('p', {}, 'You do not have to face this alone. We will ask your buddies first, then everyone who is on duty to support. The first one free will talk with you, just the two of you.'),
    h('fieldset', { class: 'choices' }, h('legend', {}, 'What is happening?'), radios.map((r) => r.row)),
    noteField,
    h('div', { class: 'row' }, askButton),
    askError);
  askForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const urgency = radios.find((r) => r.input.checked)?.input.value || 'talk';
    const noteText = noteInput.value.trim();
    const fields = { urgency, cid: state.askCid };
    if (noteText) fields.note = noteText;
    showError(noteField.error, null);
    const data = await busy(askButton, askError, async () => {
      try {
        return await app.conn.request('support.ask', fields);
      } catch (err) {
        if (err.code === 'text_too_long' || err.field === 'note') showError(noteField.error, err);
        if (err.code === 'support_closed') state.askCid = newCid();
        if (err.code === 'text_too_long' || err.field === 'note') return undefined;
        throw err;
      }
    });
    if (!data) return;
    noteInput.value = '';
    setMine(data.request, { resources: Array.isArray(data.resources) ? data.resources : undefined });
    if (!Array.isArray(data.resources) && urgency === 'crisis') loadResources();
    state.by = null;
    changed('mine');
    heading.focus();
  });

  function crisisNow() {
    if (state.mine) return state.mine.urgency === 'crisis' || state.mine.state === 'nobody_yet';
    return radios.find((r) => r.input.checked)?.input.value === 'crisis';
  }

  function renderResources() {
    const urgent = crisisNow();
    const list = state.mine && state.resources && state.resources.length ? state.resources : crisisResources;
    if (urgent) {
      fill(topResources, resourcesBlock(list, { urgent: true }));
      fill(bottomResources);
    } else {
      fill(topResources);
      fill(bottomResources, resourcesBlock(list));
    }
  }

  function renderStatus() {
    const r = state.mine;
    if (!r) {
      if (state.ended) {
        fill(statusBox, endedBlock(state.ended));
        const text = state.ended.request.state === 'cancelled' ? 'You withdrew your request.' : 'Your support conversation has ended.';
        if (announced !== text) announcer.textContent = announced = text;
      } else fill(statusBox);
      askBox.hidden = false;
      if (!askBox.firstChild) askBox.append(askForm);
      return;
    }
    askBox.hidden = true;
    const words = statusWords(r);
    if (words.title !== announced) {
      announced = words.title;
      announcer.textContent = words.title;
    }
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const said = h('p', { class: 'muted' }, `You said: ${urgencyShort(r.urgency)}.`,
      r.note ? h('span', {}, ' ', h('q', { class: 'note' }, r.note)) : null);
    const waited = liveText(() => (r.state === 'accepted'
      ? `${r.helper} answered after ${fmtDuration(r.waited_ms)}.`
      : `You asked ${ago(waitedMs(r, state.mineAt))}.`));

    let actions;
    if (r.state === 'accepted') {
      const go = button('Go to the conversation', () => app.go('room', r.conversation), { class: 'primary' });
      actions = h('div', { class: 'stack' }, h('div', { class: 'row' }, go), closeBlock(r, error));
    } else {
      actions = withdrawBlock(r, error);
    }
    fill(statusBox, h('section', { class: `card stack support-status state-${r.state}`, 'aria-labelledby': 'support-status-h' },
      h('h2', { id: 'support-status-h' }, 'Your request'),
      h('div', { class: 'stack' },
        h('p', { class: 'support-state' }, words.title),
        words.more ? h('p', {}, words.more) : null),
      h('p', { class: 'muted small' }, waited),
      said,
      actions,
      error));
  }

  function withdrawBlock(r, error) {
    const confirm = h('div', { class: 'confirm stack', hidden: true });
    const withdraw = button('Withdraw my request', () => {
      fill(confirm,
        h('p', {}, 'Withdraw your request? You can ask again whenever you need.'),
        h('div', { class: 'row' },
          button('Yes, withdraw it', async (e) => {
            const ok = await busy(e.currentTarget, error, () => app.conn.request('support.cancel', { request: r.id }));
            if (ok === undefined) {
              if (error.textContent) loadStatus().catch(() => {});
              return;
            }
            if (state.mine && state.mine.id === r.id) {
              setMine({ ...r, state: 'cancelled' });
              changed('mine');
            }
          }),
          button('Keep asking', () => {
            confirm.hidden = true;
            withdraw.focus();
          }, { class: 'quiet' })));
      confirm.hidden = false;
      confirm.querySelector('button')?.focus();
    }, { class: 'quiet' });
    return h('div', { class: 'stack' }, h('div', { class: 'row' }, withdraw), confirm);
  }

  function closeBlock(r, error) {
    const thanks = h('textarea', { rows: '2', maxlength: '500' });
    const thanksField = field(`A thank-you for ${r.helper} (optional)`, thanks, { hint: `Only ${r.helper} will see it.` });
    const confirm = h('form', { class: 'confirm stack', hidden: true, novalidate: true },
      h('p', {}, 'End the conversation? You can still read it afterwards.'),
      thanksField,
      h('div', { class: 'row' },
        h('button', { type: 'submit', class: 'primary' }, 'End the conversation'),
        button('Not yet', () => {
          confirm.hidden = true;
          open.focus();
        }, { class: 'quiet' })));
    confirm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const fields = { request: r.id };
      const text = thanks.value.trim();
      if (text) fields.thanks = text;
      const submit = confirm.querySelector('button[type="submit"]');
      const ok = await busy(submit, thanksField.error, () => app.conn.request('support.close', fields));
      if (ok === undefined) {
        if (thanksField.error.textContent && !/thank/i.test(thanksField.error.textContent)) loadStatus().catch(() => {});
        return;
      }
      if (state.mine && state.mine.id === r.id) {
        setMine({ ...r, state: 'closed' });
        state.ended.by = 'requester';
        changed('mine');
      }
    });
    const open = button('End the conversation…', () => {
      confirm.hidden = false;
      thanks.focus();
    }, { class: 'quiet' });
    return h('div', { class: 'stack' }, h('div', { class: 'row' }, open), confirm);
  }

  function endedBlock({ request: r, by }) {
    let what;
    if (r.state === 'cancelled') what = 'You withdrew your request.';
    else if (by === 'helper') what = `${r.helper} ended your conversation.`;
    else what = `Your conversation with ${r.helper} has ended.`;
    return h('section', { class: 'card stack support-ended', 'aria-labelledby': 'support-ended-h' },
      h('h2', { id: 'support-ended-h' }, 'Thank you for reaching out'),
      h('p', {}, what),
      h('p', {}, 'Asking for help takes courage. Be gentle with yourself, and come back whenever you need to: you can ask again below.'),
      r.conversation ? h('div', { class: 'row' },
        button('Read the conversation again', () => app.go('room', r.conversation), { class: 'quiet' })) : null);
  }

  function render() {
    renderStatus();
    renderResources();
  }

  const watcher = (what) => {
    if (what === 'mine' || what === 'resources') render();
  };
  watchers.add(watcher);
  render();

  let ticker = null;
  return {
    el,
    show() {
      supportShown = true;
      if (!state.me && app.me) state.me = app.me.handle;
      loadResources();
      render();
      refreshAll();
      heading.focus();
      clearInterval(ticker);
      ticker = setInterval(() => refreshLiveTimes(el), 15_000);
    },
    hide() {
      supportShown = false;
      clearInterval(ticker);
    },
    reset() {
      supportShown = false;
      clearInterval(ticker);
      watchers.delete(watcher);
      resetState();
    },
  };
}

/* ---- the supporters' screen ---- */

const AS_WORDS = {
  buddy: 'You are their buddy.',
  supporter: 'You are on duty to support.',
  moderator: 'A crisis: you are a moderator on duty.',
};

const STATE_WORDS = {
  asking_buddies: 'asking their buddies',
  asking_supporters: 'asking supporters',
  nobody_yet: 'nobody has answered yet',
};

function createSupportersView() {
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
    rememberDuty(state.onDuty);
    dutyStatus.textContent = state.onDuty
      ? 'Thank you. While you are signed in, we will let you know when someone asks.'
      : 'You are off duty. Take care of yourself too.';
    if (!state.onDuty && !isModerator()) state.queue = null;
    changed('duty');
    loadQueue().catch(() => {});
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
  const offerItems = new Map();

  /* Helping */
  const helpingList = h('ul', { class: 'list helping-list', 'aria-label': 'People you are with' });
  const helpingSection = h('section', { class: 'card stack', 'aria-labelledby': 'helping-h' },
    h('h2', { id: 'helping-h' }, 'You are with'), helpingList);
  const helpingItems = new Map();
  const finishedBox = h('div', { class: 'stack slot' });

  /* Queue */
  const queueList = h('ul', { class: 'list queue-list', 'aria-label': 'Waiting for an answer' });
  const queueEmpty = h('p', { class: 'muted' }, 'Nobody is waiting. Thank you for checking.');
  const queueError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const refresh = button('Refresh', async () => {
    await busy(refresh, queueError, () => loadQueue());
  }, { class: 'quiet', 'aria-label': 'Refresh who is waiting' });
  const queueSection = h('section', { class: 'card stack', 'aria-labelledby': 'queue-h' },
    h('div', { class: 'row spread' }, h('h2', { id: 'queue-h' }, 'Waiting for an answer'), refresh),
    queueEmpty, queueList, queueError);

  /* Waiting times (moderators): are enough people on duty? */
  const statsBody = h('div', { class: 'stack' });
  const statsError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const statsSection = h('details', { class: 'card stats' },
    h('summary', {}, 'Waiting times, last 14 days'), statsBody, statsError);
  statsSection.addEventListener('toggle', () => {
    if (statsSection.open) loadStats();
  });
  async function loadStats() {
    const data = await busy(null, statsError, () => app.conn.request('support.stats', { days: 14 }));
    if (!data) return;
    const days = data.days || [];
    if (!days.length) {
      fill(statsBody, h('p', { class: 'muted' }, 'Nobody asked for support in these 14 days.'));
      return;
    }
    fill(statsBody,
      h('div', { class: 'table-wrap' }, h('table', { class: 'stats-table' },
        h('caption', { class: 'sr-only' }, 'Support requests per day (UTC), newest first'),
        h('thead', {}, h('tr', {},
          ['Day', 'Asked', 'Answered', 'Typical wait', 'Longest wait'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, days.map((d) => h('tr', {},
          h('th', { scope: 'row' }, fmtDay(d.day)),
          h('td', {}, String(d.requests)),
          h('td', {}, String(d.answered)),
          h('td', {}, d.answered ? fmtDuration(d.median_wait_ms) : '—'),
          h('td', {}, fmtDuration(d.worst_wait_ms))))))),
      h('p', { class: 'hint' }, 'A rising longest wait, or days with requests nobody answered, mean more supporters are needed on duty.'));
  }

  el.append(heading, dutyCard, notesBox,
    h('section', { class: 'card stack', 'aria-labelledby': 'offers-h' },
      h('h2', { id: 'offers-h' }, 'Asking for support'), offersEmpty, offersList),
    helpingSection, finishedBox, queueSection, statsSection);

  function offerItem(id) {
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const item = h('li', { class: 'offer stack' });
    const accept = button('Accept', () => acceptOffer(id, accept, error), { class: 'primary' });
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
    const confirm = h('div', { class: 'confirm stack', hidden: true });
    const ask = (text, label, type, cls) => {
      fill(confirm, h('p', {}, text), h('div', { class: 'row' },
        button(label, async (e) => {
          const ok = await busy(e.currentTarget, error, () => app.conn.request(type, { request: id }));
          if (ok === undefined) {
            if (error.textContent) loadStatus().catch(() => {});
            return;
          }
          const was = state.helping.get(id);
          state.helping.delete(id);
          if (type === 'support.close' && was) {
            state.finished = [{ request: { ...was.request, state: 'closed' }, thanks: '', by: 'helper', at: Date.now() },
              ...state.finished.filter((f) => f.request.id !== id)].slice(0, 5);
          }
          if (type === 'support.handback') {
            note(`We are asking others on duty to be with ${r.requester}. Thank you for the time you gave.`);
          }
          changed('helping');
        }, { class: cls }),
        button('Cancel', () => { confirm.hidden = true; }, { class: 'quiet' })));
      confirm.hidden = false;
      confirm.querySelector('button')?.focus();
    };
    const handback = button('Hand back', () => ask(
      `Hand ${r.requester} back? We will ask the others on duty right away, and your conversation ends.`,
      'Yes, hand back', 'support.handback', 'primary'), { class: 'quiet', 'aria-label': `Hand ${r.requester} back to the others on duty` });
    const close = button('End the conversation', () => ask(
      `End your conversation with ${r.requester}? You can both still read it.`,
      'Yes, end it', 'support.close', 'primary'), { class: 'quiet', 'aria-label': `End the conversation with ${r.requester}` });
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
    for (const id of [...offerItems.keys()]) if (!state.offers.has(id) || state.offers.get(id).hidden) offerItems.delete(id);
    const nodes = visible.map((o) => {
      let item = offerItems.get(o.request.id);
      if (!item) {
        item = offerItem(o.request.id);
        offerItems.set(o.request.id, item);
      }
      return item;
    });
    fillKeep(offersList, nodes);
    offersEmpty.hidden = nodes.length > 0;
    offersList.hidden = nodes.length === 0;
  }

  function renderHelping() {
    for (const id of [...helpingItems.keys()]) if (!state.helping.has(id)) helpingItems.delete(id);
    const nodes = [...state.helping.keys()].map((id) => {
      if (!helpingItems.has(id)) helpingItems.set(id, helpingItem(id));
      return helpingItems.get(id);
    });
    fillKeep(helpingList, nodes);
    helpingSection.hidden = nodes.length === 0;
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

  function renderQueue() {
    /* The whole queue is for moderators; a supporter on duty has the same requests as offers. */
    const q = isModerator() ? state.queue : null;
    queueSection.hidden = !q;
    statsSection.hidden = !isModerator();
    if (!q) return;
    fill(queueList, q.map(({ request: r, at }) => {
      const offered = state.offers.has(r.id);
      return h('li', { class: 'queued stack' },
        h('p', {}, h('strong', {}, r.requester), ` · ${urgencyShort(r.urgency)} · ${STATE_WORDS[r.state] || r.state}`),
        r.note ? h('blockquote', { class: 'note' }, r.note)
          : h('p', { class: 'muted small' }, 'Their words go only to those asked.'),
        h('p', { class: 'muted small' }, liveText(() => `Waiting ${fmtDuration(waitedMs(r, at))}, since ${fmtTime(r.created_at)}.`)),
        offered ? h('p', { class: 'small' }, 'You are asked too: answer it above.') : null);
    }));
    queueEmpty.hidden = q.length > 0;
    queueList.hidden = q.length === 0;
  }

  const watcher = (what) => {
    if (what === 'offers') {
      renderOffers();
      renderQueue();
    } else if (what === 'helping') renderHelping();
    else if (what === 'queue') renderQueue();
    else if (what === 'duty') renderDuty();
    else if (what === 'notes') renderNotes();
  };
  watchers.add(watcher);

  function renderAll() {
    renderDuty();
    renderNotes();
    renderOffers();
    renderHelping();
    renderQueue();
  }
  renderAll();

  let ticker = null;
  return {
    el,
    show() {
      supportersShown = true;
      if (!state.me && app.me) state.me = app.me.handle;
      /* Offers passed over come back when the screen is opened again. */
      for (const o of state.offers.values()) o.hidden = false;
      renderAll();
      refreshAll();
      clearInterval(ticker);
      let ticks = 0;
      ticker = setInterval(() => {
        refreshLiveTimes(el);
        /* Moderators get no events about requests not offered to them: look again now and then. */
        ticks += 1;
        if (isModerator() && ticks % 2 === 0) loadQueue().catch(() => {});
      }, 15_000);
    },
    hide() {
      supportersShown = false;
      state.notes = [];
      clearInterval(ticker);
    },
    reset() {
      supportersShown = false;
      clearInterval(ticker);
      watchers.delete(watcher);
      resetState();
    },
  };
}

/* Keeps a list's children equal to `nodes`, moving as few as it can. */
function fillKeep(parent, nodes) {
  const want = new Set(nodes);
  for (const child of [...parent.children]) if (!want.has(child)) child.remove();
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null);
  });
}

/* ---- a panel above a support conversation ---- */

function conversationPanel(roomCtx) {
  const room = roomCtx.room;
  if (!room || room.kind !== 'support') return null;
  const name = roomCtx.name || room.room;
  const el = h('div', { class: 'conversation-panel support-panel', role: 'region', 'aria-label': 'About this support conversation' });
  const created = Date.now();
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });

  function render() {
    const mine = state.mine && state.mine.conversation === name && state.mine.state === 'accepted' ? state.mine : null;
    const helping = [...state.helping.values()].map((x) => x.request).find((r) => r.conversation === name);
    if (mine) {
      fill(el, h('p', {}, `${mine.helper} is here for you.`),
        h('div', { class: 'row' }, button('End the conversation…', () => app.go('support'), { class: 'quiet' })), error);
    } else if (helping) {
      const confirm = h('div', { class: 'confirm stack', hidden: true });
      const ask = (text, label, type) => {
        fill(confirm, h('p', {}, text), h('div', { class: 'row' },
          button(label, async (e) => {
            const ok = await busy(e.currentTarget, error, () => app.conn.request(type, { request: helping.id }));
            if (ok === undefined) return;
            state.helping.delete(helping.id);
            changed('helping');
          }, { class: 'primary' }),
          button('Cancel', () => { confirm.hidden = true; }, { class: 'quiet' })));
        confirm.hidden = false;
        confirm.querySelector('button')?.focus();
      };
      const close = button('End the conversation', () => ask(
        `End your conversation with ${helping.requester}? You can both still read it.`, 'Yes, end it', 'support.close'),
      { class: 'quiet' });
      const back = button('Hand back', () => ask(
        `Hand ${helping.requester} back? We will ask the others on duty right away, and this conversation ends.`,
        'Yes, hand back', 'support.handback'),
      { class: 'quiet', 'aria-label': `Hand ${helping.requester} back to the others on duty` });
      fill(el,
        h('p', {}, `You are supporting ${helping.requester}`, helping.urgency ? ` (${urgencyShort(helping.urgency)})` : '', '.'),
        helping.note ? h('blockquote', { class: 'note' }, helping.note) : null,
        h('div', { class: 'row' }, close, back), confirm, error);
    } else {
      fill(el, h('p', { class: 'muted' }, 'This support conversation has ended. You can still read it.'));
    }
  }
  const watcher = (what) => {
    if (!el.isConnected && Date.now() - created > 5000) {
      watchers.delete(watcher);
      return;
    }
    if (what === 'mine' || what === 'helping') render();
  };
  watchers.add(watcher);
  render();
  return el;
}

export function install(theApp) {
  app = theApp;
  subscribe();
  app.addView({
    id: 'support',
    title: 'Support',
    nav: false,
    create: () => createSupportView(),
  });
  app.addView({
    id: 'supporters',
    title: 'Supporters',
    nav: true,
    order: 35,
    create: () => createSupportersView(),
  });
  app.addRoomExtension({ panel: conversationPanel });
  app.onSignedIn(() => {
    const handle = app.me?.handle || null;
    if (state.me && state.me !== handle) resetState();
    state.me = handle;
    refreshAll();
  });
}
