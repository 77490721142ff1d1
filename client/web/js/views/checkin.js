/*
 * Check in: today's check-in (mood, craving, warning signs, a few words), who
 * will see it, the streak and clean time at a glance, and the buddies'
 * shared check-ins (PROTOCOL.md 5.73-5.78, 6.25-6.29, 23.2-23.6).
 *
 * This file also holds what the "my recovery" views share: the settings and
 * warning-sign caches, the member's own day, and day arithmetic.
 */
import { busy, fill, fmtDay, fmtTime, h, showError, statusLine, uid, field, fieldOfError } from '../dom.js';
import { renderCard, renderPlan } from './plan.js';
import { cleanTimeSummary } from './cleantime.js';

/* ---- shared by the recovery views ---- */

export const MOODS = [
  [1, 'Very low'],
  [2, 'Low'],
  [3, 'Okay'],
  [4, 'Good'],
  [5, 'Very good'],
];

export function moodWord(mood) {
  const m = MOODS.find(([v]) => v === mood);
  return m ? m[1] : String(mood);
}

export const TEXT_MAX = 500;

/* Characters as the protocol counts them (code points). */
export function charCount(s) {
  return [...s].length;
}

/* "2026-11-22" plus n days (n may be negative). */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/* Whole days from a to b ("YYYY-MM-DD" both). */
export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/* The calendar day of an instant in an IANA zone, as "YYYY-MM-DD". */
export function dayInZone(ts, tz) {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(new Date(ts));
    const get = (type) => parts.find((p) => p.type === type)?.value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return new Date(ts).toISOString().slice(0, 10);
  }
}

export function deviceTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/* An error slot written next to what caused it. */
export function errorSlot() {
  return h('p', { class: 'field-error', role: 'alert', hidden: true });
}

/* A set of radio buttons or checkboxes in a fieldset, with its legend, hint and error slot. */
export function choiceGroup(legend, { name, type = 'radio', options, hint, className = '' }) {
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  const error = errorSlot();
  error.id = uid('err');
  const inputs = [];
  const wrap = h('div', { class: `choices ${className}` });
  for (const opt of options) {
    const id = uid('opt');
    const input = h('input', { type, name, id, value: String(opt.value) });
    inputs.push(input);
    wrap.append(h('span', { class: 'choice' }, input, h('label', { for: id }, opt.label)));
  }
  const fs = h('fieldset', {
    class: 'choice-group', 'aria-describedby': [hintEl && hintEl.id, error.id].filter(Boolean).join(' '),
  }, h('legend', {}, legend), hintEl, wrap, error);
  fs.inputs = inputs;
  fs.error = error;
  fs.value = () => inputs.find((i) => i.checked)?.value ?? null;
  fs.values = () => inputs.filter((i) => i.checked).map((i) => i.value);
  fs.set = (value) => {
    const want = Array.isArray(value) ? value.map(String) : [String(value)];
    for (const i of inputs) i.checked = want.includes(i.value);
  };
  return fs;
}

/* What the views keep between screens; forgotten at every sign-in. */
const store = { settings: null, settingsP: null, signs: null, signsP: null, zoneP: null };

export function noteSettings(settings) {
  if (settings) store.settings = settings;
  return settings;
}

export async function getSettings(app, { fresh = false } = {}) {
  /* The time zone may be being set right after sign-in: the days follow it. */
  if (store.zoneP) await store.zoneP;
  if (store.settings && !fresh) return store.settings;
  if (!store.settingsP || fresh) {
    store.settingsP = app.conn.request('settings.get').then((d) => noteSettings(d.settings))
      .finally(() => { store.settingsP = null; });
  }
  return store.settingsP;
}

export async function getSigns(app, { fresh = false } = {}) {
  if (store.signs && !fresh) return store.signs;
  if (!store.signsP || fresh) {
    store.signsP = app.conn.request('checkin.signs').then((d) => { store.signs = d.signs || []; return store.signs; })
      .finally(() => { store.signsP = null; });
  }
  return store.signsP;
}

export function signLabel(name) {
  return store.signs?.find((s) => s.name === name)?.label || name.replace(/_/g, ' ');
}

/* The member's today, by the server's clock in their own time zone. */
export async function memberToday(app) {
  const [settings, pong] = await Promise.all([getSettings(app), app.conn.request('ping')]);
  return dayInZone(pong.ts, settings.tz);
}

/* Who will see a check-in, said plainly. */
export function shareSentence(settings) {
  if (!settings) return '';
  switch (settings.checkin_share) {
    case 'buddies':
      return 'Your buddies will see this check-in: your mood, craving, warning signs, what you are grateful for and your win. Your note stays private.';
    case 'room':
      return `This check-in will be posted in the room “${settings.checkin_room}” as a short message: your mood, craving, how many warning signs (never which), what you are grateful for and your win. Your note stays private.`;
    default:
      return 'Only you will see this check-in.';
  }
}

const KEEP_UTC_KEY = 'hearth.keepUtc';

export function rememberKeepUtc(keep) {
  try {
    if (keep) localStorage.setItem(KEEP_UTC_KEY, '1');
    else localStorage.removeItem(KEEP_UTC_KEY);
  } catch { /* no storage */ }
}

function keepUtc() {
  try {
    return localStorage.getItem(KEEP_UTC_KEY) === '1';
  } catch {
    return false;
  }
}

/*
 * Days follow the member's time zone, which is "UTC" until set: on sign-in,
 * a member still on UTC gets this device's zone (unless they chose UTC).
 */
async function ensureTimeZone(app) {
  const { settings } = await app.conn.request('settings.get');
  noteSettings(settings);
  const here = deviceTimeZone();
  if (settings.tz !== 'UTC' || !here || here === 'UTC' || keepUtc()) return;
  try {
    const data = await app.conn.request('settings.set', { tz: here });
    noteSettings(data.settings);
  } catch {
    /* A zone the server does not know: the member can choose one in Settings. */
  }
}

/* ---- the check-in screen ---- */

function createCheckinView(app) {
  const heading = h('h1', { tabindex: '-1' }, 'Check in');
  const intro = h('p', { class: 'muted' }, 'How is today going? It takes about a minute, and only your mood is needed.');
  const todayNote = h('p', { class: 'checkin-today', hidden: true });

  const mood = choiceGroup('How are you feeling today?', {
    name: 'mood', className: 'mood-choices',
    options: MOODS.map(([v, word]) => ({ value: v, label: [h('span', { class: 'choice-num' }, String(v)), ' ', h('span', { class: 'choice-word' }, word)] })),
  });
  const craving = choiceGroup('Craving today', {
    name: 'craving', className: 'craving-choices',
    hint: '0 is no craving at all, 10 the strongest. You can leave it unsaid.',
    options: [{ value: '', label: 'Rather not say' },
      ...Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) }))],
  });
  const signsBox = choiceGroup('Warning signs you noticed', {
    name: 'signs', type: 'checkbox', className: 'sign-choices',
    hint: 'Noticing them takes courage. Tick any that fit today; none is fine too.', options: [],
  });
  const signsWrap = signsBox.querySelector('.choices');

  const textRows = {};
  function textArea(name, label, hint) {
    const ta = h('textarea', { name, rows: '2' });
    const row = field(label, ta, { hint });
    const counter = h('span', { class: 'counter muted', 'aria-hidden': 'true' });
    row.append(counter);
    ta.addEventListener('input', () => {
      const n = charCount(ta.value);
      counter.textContent = n > TEXT_MAX - 100 ? `${n} of ${TEXT_MAX}` : '';
      counter.classList.toggle('over', n > TEXT_MAX);
    });
    textRows[name] = row;
    return row;
  }
  const gratefulRow = textArea('grateful', 'Something you are grateful for', null);
  const winRow = textArea('win', 'Today’s win, big or small', null);
  const noteRow = textArea('note', 'A private note', 'Only you will ever see this note, whatever your settings.');

  const shareNote = h('p', { class: 'share-note' });
  const shareLink = h('a', { href: '#/settings' }, 'Change who sees your check-ins');
  const formError = errorSlot();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Check in');
  const resultLine = statusLine('checkin-result');
  const warningBox = h('section', { class: 'card warning-panel', hidden: true, 'aria-labelledby': 'warning-title' });

  const form = h('form', {
    class: 'card stack checkin-form', novalidate: true, 'aria-labelledby': 'checkin-form-title',
    onsubmit: (e) => { e.preventDefault(); send(); },
  },
  h('h2', { id: 'checkin-form-title', class: 'sr-only' }, 'Today’s check-in'),
  todayNote, mood, craving, signsBox, gratefulRow, winRow, noteRow,
  h('div', { class: 'share-box' }, shareNote, shareLink),
  formError, h('div', { class: 'row' }, submit), resultLine);

  const progress = h('div', { class: 'stack' });
  const progressError = errorSlot();
  const progressCard = h('section', { class: 'card stack progress-card', 'aria-labelledby': 'progress-title' },
    h('h2', { id: 'progress-title' }, 'Your progress'), progress, progressError,
    h('p', { class: 'row' },
      h('a', { href: '#/history' }, 'Your check-ins and journal'),
      h('a', { href: '#/cleantime' }, 'Clean time and milestones')));

  const feedList = h('ul', { class: 'list feed-list' });
  const feedCard = h('section', { class: 'card stack', 'aria-labelledby': 'feed-title', hidden: true },
    h('h2', { id: 'feed-title' }, 'Your buddies this week'),
    h('p', { class: 'muted' }, 'Check-ins your buddies chose to share with you.'), feedList);

  const el = h('div', { class: 'recovery checkin-view stack' }, heading, intro, form, warningBox, progressCard, feedCard);

  let today = null;
  let shownSigns = [];

  function renderSigns(signs, keep = []) {
    shownSigns = signs;
    signsWrap.replaceChildren();
    signsBox.inputs.length = 0;
    for (const s of signs) {
      const id = uid('sign');
      const input = h('input', { type: 'checkbox', name: 'signs', id, value: s.name, checked: keep.includes(s.name) });
      signsBox.inputs.push(input);
      signsWrap.append(h('span', { class: 'choice' }, input, h('label', { for: id }, s.label)));
    }
    signsBox.hidden = signs.length === 0;
  }

  function fillForm(c) {
    mood.set(c ? c.mood : []);
    craving.set(c && c.craving !== undefined && c.craving !== null ? c.craving : '');
    signsBox.set(c ? c.signs || [] : []);
    for (const name of ['grateful', 'win', 'note']) {
      textRows[name].control.value = (c && c[name]) || '';
      textRows[name].control.dispatchEvent(new Event('input'));
    }
  }

  function markToday(c) {
    if (c) {
      todayNote.textContent = `You checked in today at ${fmtTime(c.ts)}. Anything you change here replaces today’s check-in.`;
      todayNote.hidden = false;
      submit.textContent = 'Update today’s check-in';
    } else {
      todayNote.hidden = true;
      submit.textContent = 'Check in';
    }
  }

  function clearErrors() {
    for (const g of [mood, craving, signsBox]) showError(g.error, null);
    for (const row of Object.values(textRows)) showError(row.error, null);
    showError(formError, null);
  }

  function showSendError(err) {
    const f = fieldOfError(err);
    if (f && textRows[f]) showError(textRows[f].error, err);
    else if (f === 'mood') showError(mood.error, err);
    else if (f === 'craving') showError(craving.error, err);
    else if (f === 'signs' || err.code === 'unknown_sign') showError(signsBox.error, err);
    else showError(formError, err);
  }

  async function send() {
    clearErrors();
    resultLine.textContent = '';
    const fields = {};
    const m = mood.value();
    if (!m) {
      showError(mood.error, { message: 'Choose how you are feeling. There is no wrong answer.' });
      mood.inputs[0].focus();
      return;
    }
    fields.mood = Number(m);
    const c = craving.value();
    if (c !== null && c !== '') fields.craving = Number(c);
    fields.signs = signsBox.values();
    for (const name of ['grateful', 'win', 'note']) {
      const text = textRows[name].control.value.trim();
      if (charCount(text) > TEXT_MAX) {
        showError(textRows[name].error, { message: `This is ${charCount(text)} characters; the most is ${TEXT_MAX}. Could you shorten it a little?` });
        textRows[name].control.focus();
        return;
      }
      if (text) fields[name] = text;
    }
    submit.disabled = true;
    try {
      const data = await app.conn.request('checkin.submit', fields);
      afterSubmit(data);
    } catch (err) {
      if (err.code === 'unknown_sign') {
        const kept = fields.signs;
        try {
          renderSigns(await getSigns(app, { fresh: true }), kept);
        } catch { /* keep the old list */ }
        showError(signsBox.error, { message: 'The list of warning signs has changed, so it was refreshed. Please look at your choices again and send once more.' });
      } else {
        showSendError(err);
      }
    } finally {
      submit.disabled = false;
    }
  }

  function afterSubmit(data) {
    const { checkin, streak, warning } = data;
    delete form.dataset.touched;
    today = checkin.day;
    markToday(checkin);
    const parts = [data.updated ? 'Today’s check-in is updated. Thank you.' : 'Thank you for checking in.'];
    if (streak > 1) parts.push(`That is ${streak} days in a row.`);
    resultLine.textContent = parts.join(' ');
    if (warning) showWarning(data.plan, data.card);
    else warningBox.hidden = true;
    loadProgress();
  }

  function showWarning(plan, card) {
    const title = h('h2', { id: 'warning-title', tabindex: '-1' }, 'This looks like a hard day');
    const hasPlan = plan && (plan.lines?.length || plan.reasons?.length);
    fill(warningBox,
      title,
      h('p', {}, 'Thank you for being honest about it. Hard days come and go, and you do not have to face this one alone.'),
      hasPlan ? h('p', {}, 'Here is what you planned for days like this:') :
        h('p', {}, 'When you feel up to it, you can write a plan for days like this under ', h('a', { href: '#/plan' }, 'Plan'), '.'),
      hasPlan ? renderPlan(plan, { level: 3 }) : null,
      card ? renderCard(card, { level: 3 }) : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: () => app.go('support') }, 'Talk to someone now'),
        h('a', { href: '#/plan' }, 'See or change your plan')));
    warningBox.hidden = false;
    title.focus();
  }

  async function loadProgress() {
    showError(progressError, null);
    try {
      const [summary, clean] = await Promise.all([
        app.conn.request('checkin.summary', { period: 'week', count: 1 }),
        cleanTimeSummary(app),
      ]);
      const items = [];
      if (summary.streak > 0) {
        items.push(h('p', { class: 'big-number' },
          h('span', { class: 'number' }, String(summary.streak)),
          ` day${summary.streak === 1 ? '' : 's'} of check-ins in a row`,
          summary.longest > summary.streak ? h('span', { class: 'muted' }, ` · your longest is ${summary.longest}`) : null));
      } else {
        items.push(h('p', {}, 'Each day you check in adds to your streak. Today is a good day to start.'));
      }
      if (summary.goal > 0) {
        items.push(h('p', {}, `Meetings this week: ${summary.meetings_this_week} of your goal of ${summary.goal}.`));
      } else if (summary.meetings_this_week > 0) {
        items.push(h('p', {}, `Meetings this week: ${summary.meetings_this_week}.`));
      }
      items.push(clean);
      fill(progress, items);
    } catch (err) {
      showError(progressError, err);
    }
  }

  async function loadFeed() {
    try {
      const data = await app.conn.request('checkin.feed');
      const list = data.checkins || [];
      fill(feedList, list.map((c) => feedItem(c)));
      feedCard.hidden = list.length === 0;
    } catch {
      feedCard.hidden = true;
    }
  }

  async function load() {
    showError(formError, null);
    try {
      const [settings, signs] = await Promise.all([getSettings(app), getSigns(app)]);
      shareNote.textContent = shareSentence(settings);
      if (!shownSigns.length || shownSigns !== signs) renderSigns(signs, signsBox.values());
      const [day, latest] = await Promise.all([memberToday(app), app.conn.request('checkin.list', { limit: 1 })]);
      today = day;
      const last = latest.checkins?.[0];
      intro.textContent = `${fmtDay(day)}. How is today going? It takes about a minute, and only your mood is needed.`;
      if (last && last.day === day) {
        if (!form.dataset.touched) fillForm(last);
        markToday(last);
      } else {
        markToday(null);
        if (!form.dataset.touched) fillForm(null);
      }
    } catch (err) {
      showError(formError, err);
    }
    loadProgress();
    loadFeed();
  }

  form.addEventListener('input', () => { form.dataset.touched = '1'; });

  return {
    el,
    show() {
      warningBox.hidden = true;
      resultLine.textContent = '';
      load();
    },
    reset() {
      today = null;
    },
  };
}

/* A buddy's shared check-in, in words. */
function feedItem(c) {
  const facts = [`Feeling ${moodWord(c.mood).toLowerCase()} (${c.mood} of 5)`];
  if (c.craving !== undefined && c.craving !== null) facts.push(`craving ${c.craving} of 10`);
  if (c.signs?.length) facts.push(`noticed ${c.signs.map(signLabel).join(', ').toLowerCase()}`);
  return h('li', { class: 'feed-item stack' },
    h('p', {}, h('strong', {}, c.handle), h('span', { class: 'muted' }, ` · ${fmtDay(c.day)}`)),
    h('p', {}, `${facts.join('; ')}.`),
    c.grateful ? h('p', {}, h('span', { class: 'muted' }, 'Grateful for: '), c.grateful) : null,
    c.win ? h('p', {}, h('span', { class: 'muted' }, 'Win: '), c.win) : null,
    h('p', {}, h('a', { href: '#/buddies' }, `Say hello to ${c.handle}`)));
}

/* A buddy's news: always an invitation to reach out, never an alarm. */
function listenForBuddies(app) {
  const buddy = () => ['buddies'];
  app.conn.on('checkin.shared', (ev) => {
    const c = ev.checkin;
    if (!c || !c.handle || (app.me && c.handle === app.me.handle)) return;
    app.alert('checkin', `${c.handle} checked in: feeling ${moodWord(c.mood).toLowerCase()} today.`, { go: buddy() });
  });
  app.conn.on('checkin.alert', (ev) => {
    app.alert('checkin', `${ev.handle} may be having a hard day. A ping, a call or a kind word from you could mean a lot.`, { go: buddy() });
  });
  app.conn.on('checkin.nudge', (ev) => {
    const days = ev.days === 1 ? 'a day' : `${ev.days} days`;
    app.alert('buddy', `It has been ${days} since ${ev.handle} was around. Maybe send a ping to say you are thinking of them.`, { go: buddy() });
  });
  app.conn.on('checkin.reminder', () => {
    app.alert('reminder', 'Welcome back. We missed you. A check-in takes a minute, whenever you are ready.', { go: ['checkin'] });
  });
}

export function install(app) {
  app.addView({ id: 'checkin', title: 'Check in', nav: true, order: 40, create: createCheckinView });
  listenForBuddies(app);
  app.onSignedIn(() => {
    store.settings = null;
    store.signs = null;
    const zoneP = ensureTimeZone(app).catch(() => {}).finally(() => {
      if (store.zoneP === zoneP) store.zoneP = null;
    });
    store.zoneP = zoneP;
  });
}
