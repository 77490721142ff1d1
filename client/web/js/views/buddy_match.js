/*
 * The matching pool (PROTOCOL.md 5.57-5.61, 6.20-6.21, 21): join with
 * preferences (language, time zone, approach, optionally days clean), a
 * suggested buddy to accept or decline before the suggestion lapses, leave.
 * Nobody is told why it did not work out, and the words here never suggest
 * a reason.
 */
import { busy, button, field, fill, fmtRelative, fmtTime, h, showError, statusLine, uid } from '../dom.js';
import { changed, state } from './buddies_state.js';

const APPROACHES = [
  { value: 'any', label: 'Any approach is fine' },
  { value: '12_step', label: '12-step' },
  { value: 'smart', label: 'SMART Recovery' },
  { value: 'other', label: 'Another path' },
];

const COMMON_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'nl', 'pl', 'ru', 'uk', 'ar', 'tr', 'fa',
  'hi', 'zh', 'ja', 'ko', 'vi', 'id', 'tl', 'sv', 'da', 'no', 'fi', 'el', 'he', 'ro', 'cs', 'hu'];

const LANGUAGE_OTHER = '__other';

/* ---- words ---- */

function utcOffsetWords(minutes) {
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
function deviceUtcOffset() {
  const off = -new Date().getTimezoneOffset();
  return Math.max(-720, Math.min(840, off));
}

/* The browser's language as the protocol takes it: 2..8 lowercase letters. */
function deviceLanguage() {
  const tag = String((typeof navigator !== 'undefined' && navigator.language) || 'en');
  const primary = tag.split(/[-_]/)[0].toLowerCase();
  return /^[a-z]{2,8}$/.test(primary) ? primary : 'en';
}

/* ---- the protocol side ---- */

export async function loadMatch(app) {
  const data = await app.conn.request('match.status');
  state.match.in_pool = !!data.in_pool;
  state.match.prefs = data.prefs || null;
  const proposal = data.proposal || null;
  if (!proposal || !state.match.proposal || proposal.id !== state.match.proposal.id) state.match.waiting = false;
  state.match.proposal = proposal;
  changed('match');
}

export function listen(app) {
  /* Paired (by the pool or by a request): the server took the member out of the pool. */
  app.conn.on('buddy.update', (ev) => {
    if (ev.state !== 'paired') return;
    Object.assign(state.match, { in_pool: false, prefs: null, proposal: null, waiting: false });
    changed('match');
  });
  app.conn.on('match.proposal', (ev) => {
    const { type, ...proposal } = ev;
    state.match.proposal = proposal;
    state.match.waiting = false;
    state.match.note = '';
    changed('match');
    app.alert('buddy', 'We found someone who might be a good buddy for you.', { go: ['buddies'] });
  });
  app.conn.on('match.update', (ev) => {
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
      loadMatch(app).then(() => {
        m.note = m.in_pool
          ? "That suggestion ran out of time. You're still in the pool, and we'll keep looking."
          : "That suggestion ran out of time, so you're out of the pool for now. Join again whenever you like.";
        changed('match');
      }).catch(() => {});
    } else return;
    changed('match');
  });
}

/* ---- the Buddies screen's "Find a buddy" ---- */

export function matchSection(app) {
  const matchBody = h('div', { class: 'stack' });
  const matchStatus = statusLine();
  const el = h('section', { class: 'card stack', 'aria-labelledby': 'buddies-match-h' },
    h('h2', { id: 'buddies-match-h' }, 'Find a buddy'), matchStatus, matchBody);
  let editingPrefs = false;
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
      fill(matchBody, proposalBlock(app, m.proposal));
      return;
    }
    if (editingPrefs || !m.in_pool) {
      const intro = m.in_pool ? null : h('p', {},
        "Don't know anyone to ask? Join the matching pool and we'll suggest someone who talks your language, lives at similar hours, and fits your approach. You both choose; nobody is told why if it doesn't work out.");
      fill(matchBody, intro, matchForm(app, (saved) => {
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
        loadMatch(app).catch(() => {});
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

  return {
    el,
    render: renderMatch,
    /* A proposal's "answer in 23 hours" stays true (not while someone is using the form). */
    tick() {
      if (state.match.proposal && !matchBody.contains(document.activeElement)) renderMatch({ force: true });
    },
  };
}

function matchForm(app, onDone) {
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

function proposalBlock(app, p) {
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
      if (error.textContent) loadMatch(app).catch(() => {});
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
