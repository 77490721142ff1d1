/*
 * Buddies: the people a member pairs with (PROTOCOL.md sections 5.48-5.61,
 * 6.16-6.21, 20 and 21). One screen, "Buddies":
 *
 * - the buddy list, with each buddy's presence, a way to write to them (their
 *   private conversation), the four pings, and a quiet way to end a pairing;
 * - requests waiting for the member (accept / decline) and their own
 *   (withdraw), and a form to ask someone by handle;
 * - the pings of the last 7 days: received ones (buddy.ping_seen is sent once
 *   they have been on screen) and sent ones with whether they were delivered
 *   and seen;
 * - the matching pool: join with preferences, a proposal to accept or
 *   decline before it lapses, leave.
 *
 * Nothing ever says why a pairing ended or a request went away: the server
 * gives no reason, and the words here never suggest one.
 */
import { busy, button, field, fill, fmtRelative, fmtTime, h, showError, statusLine, uid } from '../dom.js';

export const PING_KINDS = [
  { kind: 'thinking_of_you', label: 'Thinking of you' },
  { kind: 'call_me', label: 'Call me' },
  { kind: 'struggling', label: "I'm struggling" },
];

const APPROACHES = [
  { value: 'any', label: 'Any approach is fine' },
  { value: '12_step', label: '12-step' },
  { value: 'smart', label: 'SMART Recovery' },
  { value: 'other', label: 'Another path' },
];

const COMMON_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'pl', 'ru', 'uk', 'ar', 'tr', 'fa',
  'hi', 'zh', 'ja', 'ko', 'vi', 'id', 'tl', 'sv', 'da', 'no', 'fi', 'el', 'he', 'ro', 'cs', 'hu'];

const STATUS_WORDS = { available: 'available', away: 'away', busy: 'busy', offline: 'offline' };

/* ---- shared state (the views come and go; this stays while signed in) ---- */

const state = {
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
};

function resetState() {
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

/* Everything that draws from the state registers here and is called on change. */
const watchers = new Set();
function changed(what) {
  for (const fn of watchers) {
    try {
      fn(what);
    } catch (err) {
      console.error('buddies: a view failed to update', err);
    }
  }
}

/* ---- words ---- */

export function receivedPingWords(p) {
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

export function utcOffsetWords(minutes) {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function offsetDifferenceWords(theirs, mine) {
  const diff = theirs - mine;
  if (diff === 0) return 'the same time zone as you';
  const hours = Math.abs(diff) / 60;
  const amount = Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${hours.toFixed(1)} hours`;
  return `${amount} ${diff > 0 ? 'ahead of' : 'behind'} you`;
}

let languageNames = null;
function languageName(code) {
  try {
    languageNames = languageNames || new Intl.DisplayNames(undefined, { type: 'language' });
    const name = languageNames.of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

function approachWords(value) {
  return APPROACHES.find((a) => a.value === value)?.label || value;
}

/* The device's offset from UTC, in the protocol's range. */
export function deviceUtcOffset() {
  const off = -new Date().getTimezoneOffset();
  return Math.max(-720, Math.min(840, off));
}

/* The browser's language as the protocol takes it: 2..8 lowercase letters. */
export function deviceLanguage() {
  const tag = String((typeof navigator !== 'undefined' && navigator.language) || 'en');
  const primary = tag.split(/[-_]/)[0].toLowerCase();
  return /^[a-z]{2,8}$/.test(primary) ? primary : 'en';
}

function newCid(prefix) {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${Date.now().toString(36)}-${rand}`;
}

/* Keeps a list's children equal to `nodes`, moving as few as it can (a moved node loses focus). */
function syncChildren(parent, nodes) {
  const want = new Set(nodes);
  for (const child of [...parent.children]) if (!want.has(child)) child.remove();
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null);
  });
}

/* ---- the protocol side ---- */

let app = null;

function noteBuddy(b) {
  state.buddies.set(b.handle, { handle: b.handle, status: b.status, since: b.since, conversation: b.conversation });
  app.notePresence?.(b.handle, b.status);
}

async function loadList() {
  const data = await app.conn.request('buddy.list');
  state.buddies.clear();
  for (const b of data.buddies || []) noteBuddy(b);
  state.incoming = new Map((data.incoming || []).map((r) => [r.handle, r]));
  state.outgoing = new Map((data.outgoing || []).map((r) => [r.handle, r]));
  if (Number.isInteger(data.limit)) state.limit = data.limit;
  state.loaded = true;
  changed('list');
}

async function loadPings() {
  const data = await app.conn.request('buddy.pings');
  const keep = new Map();
  for (const p of data.pings || []) keep.set(p.id, p);
  state.pings = keep;
  changed('pings');
}

async function loadMatch() {
  const data = await app.conn.request('match.status');
  state.match.in_pool = !!data.in_pool;
  state.match.prefs = data.prefs || null;
  const proposal = data.proposal || null;
  if (!proposal || !state.match.proposal || proposal.id !== state.match.proposal.id) state.match.waiting = false;
  state.match.proposal = proposal;
  changed('match');
}

function refreshAll() {
  const quietly = (p) => p.catch((err) => {
    if (err.code !== 'offline') console.warn('buddies: refresh failed', err);
  });
  return Promise.all([quietly(loadList()), quietly(loadPings()), quietly(loadMatch())]);
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
async function sendPing(fields) {
  const cid = fields.cid || newCid('p');
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

function resendUnsent() {
  for (const fields of [...state.unsent.values()]) {
    sendPing(fields).catch(() => { /* the buddy may have gone; nothing to show now */ });
  }
}

/* buddy.ping_seen for every received ping now on screen. */
function markShownPingsSeen() {
  if (!state.me) return;
  if (typeof document !== 'undefined' && document.hidden) return;
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

function subscribe() {
  const conn = app.conn;
  conn.on('presence', (ev) => {
    const b = state.buddies.get(ev.handle);
    if (!b) return;
    b.status = ev.status;
    changed({ presence: ev.handle });
  });
  conn.on('buddy.request', (ev) => {
    state.incoming.set(ev.handle, { handle: ev.handle, ts: ev.ts });
    changed('list');
    app.alert('buddy', `${ev.handle} would like to be your buddy.`, { go: ['buddies'] });
  });
  conn.on('buddy.update', (ev) => {
    if (ev.state === 'paired') {
      const isNew = !state.buddies.has(ev.handle);
      noteBuddy(ev);
      state.incoming.delete(ev.handle);
      state.outgoing.delete(ev.handle);
      /* Paired: the server took the member out of the pool. */
      state.match.in_pool = false;
      state.match.prefs = null;
      state.match.proposal = null;
      state.match.waiting = false;
      changed('list');
      changed('match');
      if (isNew) app.toast(`You and ${ev.handle} are buddies now.`);
    } else if (ev.state === 'ended') {
      /* No reason is ever given, and none is shown. */
      state.buddies.delete(ev.handle);
      state.incoming.delete(ev.handle);
      state.outgoing.delete(ev.handle);
      changed('list');
    }
  });
  conn.on('buddy.ping', (ev) => {
    const p = ev.ping;
    if (!p) return;
    addPing(p);
    changed('pings');
    if (p.to === state.me && !p.seen_at && (!viewShown() || document.hidden)) {
      app.alert('ping', pingAlertWords(p), { go: ['buddies'] });
    }
  });
  conn.on('buddy.ping_status', (ev) => {
    const p = state.pings.get(ev.id);
    if (!p) {
      loadPings().catch(() => {});
      return;
    }
    if (ev.state === 'delivered') p.delivered_at = p.delivered_at || ev.at;
    else if (ev.state === 'seen') {
      p.seen_at = p.seen_at || ev.at;
      p.delivered_at = p.delivered_at || ev.at;
    } else return;
    changed('pings');
  });
  conn.on('match.proposal', (ev) => {
    const { type, ...proposal } = ev;
    state.match.proposal = proposal;
    state.match.waiting = false;
    state.match.note = '';
    changed('match');
    app.alert('buddy', 'We found someone who might be a good buddy for you.', { go: ['buddies'] });
  });
  conn.on('match.update', (ev) => {
    const m = state.match;
    const ours = m.proposal && m.proposal.id === ev.id;
    if (ev.state === 'waiting') {
      if (ours) m.waiting = true;
    } else if (ev.state === 'paired') {
      m.note = m.proposal ? `You and ${m.proposal.handle} both said yes.` : '';
      m.proposal = null;
      m.waiting = false;
      m.in_pool = false;
      m.prefs = null;
    } else if (ev.state === 'declined') {
      if (ours) {
        m.proposal = null;
        m.waiting = false;
      }
      m.note = "It didn't work out this time. You're still in the pool, and we'll keep looking.";
    } else if (ev.state === 'lapsed') {
      if (ours) {
        m.proposal = null;
        m.waiting = false;
      }
      m.note = 'That suggestion ran out of time.';
      loadMatch().then(() => {
        m.note = m.in_pool
          ? "That suggestion ran out of time. You're still in the pool, and we'll keep looking."
          : "That suggestion ran out of time, so you're out of the pool for now. Join again whenever you like.";
        changed('match');
      }).catch(() => {});
    } else return;
    changed('match');
  });
  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && viewShown()) markShownPingsSeen();
    });
  }
}

let shown = false;
function viewShown() {
  return shown;
}

/* ---- the screen ---- */

function presenceDot(status) {
  const s = STATUS_WORDS[status] ? status : 'offline';
  return h('span', { class: `dot presence-${s}`, 'aria-hidden': 'true' });
}

function buddyCard(handle) {
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
    const result = await busy(btn, pingError, () => sendPing({ handle, kind }));
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
    const result = await busy(sendWords, wordsField.error, () => sendPing({ handle, kind: 'text', text }));
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
  update();
  return { el, update, setStatus };
}

function requestItem(r, incoming) {
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const when = r.ts ? fmtRelative(r.ts - Date.now()) : '';
  if (incoming) {
    const accept = button('Accept', async () => {
      const data = await busy(accept, error, () => app.conn.request('buddy.accept', { handle: r.handle }));
      if (!data) return;
      if (data.buddy) noteBuddy(data.buddy);
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

function receivedPingItem(p) {
  const item = h('li', { class: `ping ping-${p.kind}` });
  const b = state.buddies.get(p.from);
  fill(item,
    h('p', { class: 'ping-what' }, receivedPingWords(p)),
    p.kind === 'text' && p.text ? h('blockquote', { class: 'ping-text' }, p.text) : null,
    h('p', { class: 'muted small' }, h('time', { datetime: new Date(p.ts).toISOString() }, fmtTime(p.ts))),
    b?.conversation ? h('div', { class: 'row' },
      button('Write back', () => app.go('room', b.conversation), { class: 'quiet', 'aria-label': `Write back to ${p.from}` })) : null,
    p.kind === 'struggling'
      ? h('p', { class: 'hint' }, 'A message or a call can mean a lot right now.')
      : null);
  return item;
}

function sentPingItem(p) {
  const badge = h('span', { class: 'badge ping-state' });
  const item = h('li', { class: 'ping ping-sent' },
    h('p', { class: 'ping-what' }, sentPingWords(p), ' ', badge),
    p.kind === 'text' && p.text ? h('blockquote', { class: 'ping-text' }, p.text) : null,
    h('p', { class: 'muted small' }, h('time', { datetime: new Date(p.ts).toISOString() }, `Sent ${fmtTime(p.ts)}`)));
  item.update = () => {
    const cur = state.pings.get(p.id) || p;
    const st = pingStateWords(cur);
    badge.textContent = st.text;
    badge.title = st.title;
    badge.className = `badge ping-state ping-state-${st.cls}`;
  };
  item.update();
  return item;
}

const LANGUAGE_OTHER = '__other';

function matchForm(onDone) {
  const prefs = state.match.in_pool ? state.match.prefs : null;
  const offset = deviceUtcOffset();

  const lang = prefs?.language || deviceLanguage();
  const codes = [...new Set([lang, deviceLanguage(), ...COMMON_LANGUAGES])];
  const language = h('select', {},
    codes.map((c) => h('option', { value: c, selected: c === lang }, `${languageName(c)} (${c})`)),
    h('option', { value: LANGUAGE_OTHER }, 'Another language…'));
  const otherLanguage = h('input', { type: 'text', inputmode: 'latin', autocomplete: 'off', spellcheck: 'false', maxlength: '8' });
  const otherField = field('Language code', otherLanguage, { hint: 'Two to eight letters, like “sw” for Swahili.' });
  otherField.hidden = true;
  language.addEventListener('change', () => {
    otherField.hidden = language.value !== LANGUAGE_OTHER;
    if (!otherField.hidden) otherLanguage.focus();
  });

  const approach = h('select', {}, APPROACHES.map((a) =>
    h('option', { value: a.value, selected: (prefs?.approach || 'any') === a.value }, a.label)));
  const days = h('input', {
    type: 'number', min: '0', max: '36500', step: '1', inputmode: 'numeric',
    value: prefs && Number.isInteger(prefs.clean_days) ? String(prefs.clean_days) : '',
  });
  const more = h('input', { type: 'checkbox', checked: !!prefs?.want_more_clean_time });
  const moreId = uid('more');
  more.id = moreId;
  const daysField = field('Days clean (optional)', days, { hint: 'Never shown to anyone. It is only compared, so that you can ask for someone further along.' });
  const moreRow = h('div', { class: 'field check' }, more, h('label', { for: moreId }, "I'd like a buddy with more clean time than me"));

  const languageField = field('Language to talk in', language);
  const approachField = field('Your approach to recovery', approach);
  const submit = h('button', { type: 'submit', class: 'primary' }, prefs ? 'Save my preferences' : 'Join the matching pool');
  const formError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'stack match-form', novalidate: true },
    h('p', { class: 'muted' }, `Your time zone, from this device: ${utcOffsetWords(offset)}. We look for someone within three hours of you.`),
    languageField, otherField, approachField, daysField, moreRow,
    h('div', { class: 'row' }, submit, prefs ? button('Cancel', () => onDone(false), { class: 'quiet' }) : null),
    formError);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of [languageField, otherField, daysField]) showError(f.error, null);
    let code = language.value;
    if (code === LANGUAGE_OTHER) {
      code = otherLanguage.value.trim().toLowerCase();
      if (!/^[a-z]{2,8}$/.test(code)) {
        showError(otherField.error, { message: 'Use two to eight letters a to z, like “sw”.' });
        otherLanguage.focus();
        return;
      }
    }
    const fields = { utc_offset_minutes: offset, language: code, approach: approach.value };
    const rawDays = days.value.trim();
    if (rawDays !== '') {
      const n = Number(rawDays);
      if (!Number.isInteger(n) || n < 0 || n > 36500) {
        showError(daysField.error, { message: 'Days clean is a whole number from 0 to 36500, or leave it empty.' });
        days.focus();
        return;
      }
      fields.clean_days = n;
    }
    if (more.checked) {
      if (fields.clean_days === undefined) {
        showError(daysField.error, { message: 'To find someone with more clean time, add your days clean (nobody else sees them).' });
        days.focus();
        return;
      }
      fields.want_more_clean_time = true;
    }
    const ok = await busy(submit, formError, () => app.conn.request('match.join', fields));
    if (ok === undefined) return;
    state.match.in_pool = true;
    state.match.prefs = { ...fields, want_more_clean_time: !!fields.want_more_clean_time };
    state.match.note = '';
    changed('match');
    onDone(true);
  });
  return form;
}

function proposalBlock(p) {
  const mine = state.match.prefs?.utc_offset_minutes ?? deviceUtcOffset();
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const left = p.expires_at - Date.now();
  const facts = h('ul', { class: 'facts' },
    h('li', {}, `Time zone ${utcOffsetWords(p.utc_offset_minutes)}, ${offsetDifferenceWords(p.utc_offset_minutes, mine)}`),
    h('li', {}, `Talks in ${languageName(p.language)}`),
    h('li', {}, p.approach === 'any' ? 'Open to any approach' : `Approach: ${approachWords(p.approach)}`),
    p.more_clean_time ? h('li', {}, 'Has more clean time than you') : null);
  const waiting = state.match.waiting;
  const accept = button('Accept', async () => {
    const ok = await busy(accept, error, () => app.conn.request('match.accept', { proposal: p.id }));
    if (ok === undefined) {
      if (error.textContent) loadMatch().catch(() => {});
      return;
    }
    if (state.match.proposal?.id === p.id && state.buddies.get(p.handle) === undefined) state.match.waiting = true;
    changed('match');
  }, { class: 'primary', 'aria-label': `Accept ${p.handle} as your buddy` });
  const decline = button('Decline', async () => {
    const ok = await busy(decline, error, () => app.conn.request('match.decline', { proposal: p.id }));
    if (ok === undefined) return;
    if (state.match.proposal?.id === p.id) state.match.proposal = null;
    state.match.note = "Thanks for letting us know. You're still in the pool, and we'll keep looking.";
    changed('match');
  }, { class: 'quiet', 'aria-label': `Decline the suggestion of ${p.handle}` });
  return h('div', { class: 'proposal stack', role: 'group', 'aria-label': `Suggested buddy: ${p.handle}` },
    h('h3', {}, 'Someone who might fit: ', h('strong', {}, p.handle)),
    facts,
    waiting
      ? h('p', { class: 'ok-text' }, `You said yes. Waiting for ${p.handle} to answer.`)
      : h('p', { class: 'muted' }, `Please answer ${left > 0 ? fmtRelative(left) : 'soon'} (by ${fmtTime(p.expires_at)}).`),
    waiting ? null : h('div', { class: 'row' }, accept, decline),
    error);
}

function createView() {
  const el = h('div', { class: 'view people buddies stack' });
  const heading = h('h1', { tabindex: '-1' }, 'Buddies');
  const intro = h('p', { class: 'muted' },
    'A buddy is someone you look out for, and who looks out for you. You see when they are around, can send a quick ping, and have a private conversation only the two of you can read.');

  /* Buddies */
  const buddyList = h('ul', { class: 'list buddy-list', 'aria-label': 'Your buddies' });
  const buddyEmpty = h('p', { class: 'muted' }, 'No buddies yet. Ask someone you know below, or let us suggest someone.');
  const limitLine = h('p', { class: 'muted small' });
  const cards = new Map();

  /* Requests */
  const incomingItems = new Map();
  const outgoingItems = new Map();
  const incomingList = h('ul', { class: 'list request-list', 'aria-label': 'Requests for you' });
  const incomingSection = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-incoming-h' },
    h('h2', { id: 'buddies-incoming-h' }, 'Asking to be your buddy'), incomingList);
  const outgoingList = h('ul', { class: 'list request-list', 'aria-label': 'Your requests' });
  const outgoingSection = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-outgoing-h' },
    h('h2', { id: 'buddies-outgoing-h' }, 'You asked'), outgoingList);

  const askInput = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '32' });
  const askField = field('Their handle', askInput, { hint: 'They can say yes or no. Nobody else is told.' });
  const askButton = h('button', { type: 'submit', class: 'primary' }, 'Ask to be buddies');
  const askStatus = statusLine();
  const askForm = h('form', { class: 'stack', novalidate: true }, askField, h('div', { class: 'row' }, askButton), askStatus);
  askForm.addEventListener('submit', async (e) => {
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

  /* Pings */
  const receivedList = h('ul', { class: 'list ping-list', 'aria-label': 'Pings you received' });
  const sentList = h('ul', { class: 'list ping-list', 'aria-label': 'Pings you sent' });
  const receivedEmpty = h('p', { class: 'muted' }, 'No pings in the last 7 days.');
  const sentEmpty = h('p', { class: 'muted' }, 'You have not sent any pings in the last 7 days.');
  const receivedItems = new Map();
  const sentItems = new Map();

  /* Matching */
  const matchBody = h('div', { class: 'stack' });
  const matchStatus = statusLine();
  let editingPrefs = false;

  el.append(
    heading, intro,
    h('section', { class: 'stack', 'aria-labelledby': 'buddies-list-h' },
      h('h2', { id: 'buddies-list-h' }, 'Your buddies'), buddyEmpty, buddyList, limitLine),
    incomingSection, outgoingSection,
    h('section', { class: 'card stack', 'aria-labelledby': 'buddies-ask-h' },
      h('h2', { id: 'buddies-ask-h' }, 'Ask someone to be your buddy'), askForm),
    h('section', { class: 'card stack', 'aria-labelledby': 'buddies-pings-h' },
      h('h2', { id: 'buddies-pings-h' }, 'Pings'),
      h('p', { class: 'muted small' }, 'Pings from the last 7 days.'),
      h('h3', {}, 'Received'), receivedEmpty, receivedList,
      h('h3', {}, 'Sent'), sentEmpty, sentList),
    h('section', { class: 'card stack', 'aria-labelledby': 'buddies-match-h' },
      h('h2', { id: 'buddies-match-h' }, 'Find a buddy'), matchStatus, matchBody));

  function renderList() {
    const handles = [...state.buddies.keys()].sort();
    for (const [handle] of cards) if (!state.buddies.has(handle)) cards.delete(handle);
    const nodes = handles.map((handle) => {
      let card = cards.get(handle);
      if (!card) {
        card = buddyCard(handle);
        cards.set(handle, card);
      }
      card.update();
      return card.el;
    });
    syncChildren(buddyList, nodes);
    buddyEmpty.hidden = handles.length > 0 || !state.loaded;
    buddyList.hidden = handles.length === 0;
    limitLine.textContent = handles.length >= state.limit
      ? `You have ${handles.length} buddies, the most this server allows. To pair with someone new, end a pairing first.`
      : '';

    const keyed = (map, items, incoming) => [...map.values()].map((r) => {
      const key = `${r.handle} ${r.ts}`;
      if (!items.has(key)) items.set(key, requestItem(r, incoming));
      return items.get(key);
    });
    const incoming = keyed(state.incoming, incomingItems, true);
    syncChildren(incomingList, incoming);
    incomingSection.hidden = incoming.length === 0;
    const outgoing = keyed(state.outgoing, outgoingItems, false);
    syncChildren(outgoingList, outgoing);
    outgoingSection.hidden = outgoing.length === 0;
  }

  function renderPings() {
    const all = [...state.pings.values()].sort((a, b) => b.ts - a.ts || b.id - a.id);
    const received = all.filter((p) => p.to === state.me);
    const sent = all.filter((p) => p.from === state.me);
    syncChildren(receivedList, received.map((p) => {
      let item = receivedItems.get(p.id);
      if (!item) {
        item = receivedPingItem(p);
        receivedItems.set(p.id, item);
      }
      return item;
    }));
    syncChildren(sentList, sent.map((p) => {
      let item = sentItems.get(p.id);
      if (!item) {
        item = sentPingItem(p);
        sentItems.set(p.id, item);
      }
      item.update();
      return item;
    }));
    receivedEmpty.hidden = received.length > 0;
    receivedList.hidden = received.length === 0;
    sentEmpty.hidden = sent.length > 0;
    sentList.hidden = sent.length === 0;
    if (shown) markShownPingsSeen();
  }

  let matchKey = null;
  function renderMatch({ force = false } = {}) {
    const m = state.match;
    matchStatus.textContent = m.note || '';
    /* Rebuild only when what is shown changes: a half-filled form is kept. */
    const key = JSON.stringify([m.in_pool, m.prefs, m.proposal, m.waiting, editingPrefs]);
    if (key === matchKey && !force) return;
    matchKey = key;
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    if (m.proposal) {
      fill(matchBody, proposalBlock(m.proposal));
      return;
    }
    if (editingPrefs || !m.in_pool) {
      const intro = m.in_pool ? null : h('p', {},
        "Don't know anyone to ask? Join the matching pool and we'll suggest someone who talks your language, lives at similar hours, and fits your approach. You both choose; nobody is told why if it doesn't work out.");
      fill(matchBody, intro, matchForm((saved) => {
        editingPrefs = false;
        if (saved) m.note = '';
        renderMatch();
        matchBody.querySelector('button')?.focus();
      }));
      return;
    }
    const p = m.prefs;
    const leave = button('Leave the pool', async () => {
      const ok = await busy(leave, error, () => app.conn.request('match.leave'));
      if (ok === undefined) {
        loadMatch().catch(() => {});
        return;
      }
      m.in_pool = false;
      m.prefs = null;
      m.note = 'You left the matching pool. You can join again whenever you like.';
      changed('match');
    }, { class: 'quiet' });
    fill(matchBody,
      h('p', {}, "You're in the matching pool. We'll let you know when we find someone who fits."),
      p ? h('ul', { class: 'facts' },
        h('li', {}, `Language: ${languageName(p.language)}`),
        h('li', {}, `Time zone: ${utcOffsetWords(p.utc_offset_minutes)}`),
        h('li', {}, `Approach: ${approachWords(p.approach)}`),
        Number.isInteger(p.clean_days) ? h('li', {}, `Days clean: ${p.clean_days} (only you see this)`) : null,
        p.want_more_clean_time ? h('li', {}, 'Looking for someone with more clean time') : null) : null,
      h('div', { class: 'row' },
        button('Change my preferences', () => {
          editingPrefs = true;
          renderMatch();
          matchBody.querySelector('select')?.focus();
        }),
        leave),
      error);
  }

  const watcher = (what) => {
    if (what === 'list') renderList();
    else if (what === 'pings') renderPings();
    else if (what === 'match') renderMatch();
    else if (what && what.presence) cards.get(what.presence)?.setStatus();
  };
  watchers.add(watcher);
  renderList();
  renderPings();
  renderMatch();

  let ticker = null;
  return {
    el,
    show() {
      shown = true;
      if (!state.me && app.me) state.me = app.me.handle;
      renderList();
      renderPings();
      renderMatch();
      refreshAll().then(() => markShownPingsSeen());
      markShownPingsSeen();
      /* A proposal's "answer in 23 hours" stays true (not while someone is using the form). */
      clearInterval(ticker);
      ticker = setInterval(() => {
        if (state.match.proposal && !matchBody.contains(document.activeElement)) renderMatch({ force: true });
      }, 60_000);
    },
    hide() {
      shown = false;
      clearInterval(ticker);
    },
    reset() {
      shown = false;
      clearInterval(ticker);
      watchers.delete(watcher);
      resetState();
    },
  };
}

/* A small panel above a buddy conversation: their presence and the pings. */
function conversationPanel(roomCtx) {
  const room = roomCtx.room;
  if (!room || room.kind !== 'buddy' || !room.peer) return null;
  const handle = room.peer;
  const status = h('span', { class: 'buddy-status muted' });
  const dot = h('span', { class: 'buddy-presence' });
  const note = statusLine('status small');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const buttons = PING_KINDS.map(({ kind, label }) => {
    const b = button(label, async () => {
      const r = await busy(b, error, () => sendPing({ handle, kind }));
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
  const watcher = (what) => {
    if (!el.isConnected && el.dataset.mounted) {
      watchers.delete(watcher);
      return;
    }
    if (el.isConnected) el.dataset.mounted = '1';
    if (what === 'list' || (what && what.presence === handle)) update();
  };
  watchers.add(watcher);
  update();
  return el;
}

export function install(theApp) {
  app = theApp;
  subscribe();
  app.addView({
    id: 'buddies',
    title: 'Buddies',
    nav: true,
    order: 30,
    create: () => createView(),
  });
  app.addRoomExtension({ panel: conversationPanel });
  app.onSignedIn(({ resumed }) => {
    const handle = app.me?.handle || null;
    if (state.me && state.me !== handle) resetState();
    state.me = handle;
    if (resumed) resendUnsent();
    refreshAll().then(() => {
      if (shown) markShownPingsSeen();
    });
  });
}

/* For other modules (support): is this handle a buddy, and their conversation. */
export function buddyOf(handle) {
  return state.buddies.get(handle) || null;
}
