/*
 * Clean time: the sobriety date and the days since, the milestones reached
 * and the next one, a new start kept kindly in the member's own history, and
 * a buddy's clean time when they share it (PROTOCOL.md 5.83-5.84, 6.27, 23.8-23.9).
 */
import { busy, field, fill, fmtDay, h, showError, statusLine } from '../dom.js';
import { errorSlot, getSettings, memberToday } from './checkin.js';

function daysWord(n) {
  return `${n} day${n === 1 ? '' : 's'}`;
}

const SHARE_WORDS = {
  private: 'Only you see your clean time.',
  buddies: 'Your buddies see your clean time and hear of your milestones.',
  everyone: 'Everyone signed in to Hearth can see your clean time; your buddies hear of your milestones.',
};

/* A line or two for the check-in screen. */
export async function cleanTimeSummary(app) {
  const { sobriety: s } = await app.conn.request('sobriety.get');
  if (!s.date) {
    return h('p', {}, 'Counting clean time is up to you. ', h('a', { href: '#/cleantime' }, 'Start counting'), ' whenever you like.');
  }
  return h('div', { class: 'stack' },
    h('p', { class: 'big-number' }, h('span', { class: 'number' }, String(s.days)), ` ${s.days === 1 ? 'day' : 'days'} clean`),
    s.next ? h('p', { class: 'muted' }, `Next milestone: ${s.next.label}, on ${fmtDay(s.next.date)}.`) : null);
}

function createCleanTimeView(app) {
  const heading = h('h1', { tabindex: '-1' }, 'Clean time');
  const loadError = errorSlot();
  const now = h('div', { class: 'stack' });
  const nowCard = h('section', { class: 'card stack', 'aria-labelledby': 'ct-now-title' },
    h('h2', { id: 'ct-now-title' }, 'Your count'), now);

  const date = h('input', { type: 'date', name: 'date', min: '1900-01-01' });
  const dateRow = field('Your sobriety date', date, { hint: 'The date itself is day 0; the next day is day 1.' });
  const save = h('button', { type: 'submit', class: 'primary' }, 'Start counting');
  const stop = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Stop counting');
  const status = statusLine('muted');
  const formError = errorSlot();
  const newStartNote = h('p', { class: 'hint', hidden: true },
    'Choosing a new date is a new start. The days you have counted so far are kept in your history below, and they still count.');
  const form = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'ct-date-title',
    onsubmit: (e) => { e.preventDefault(); setDate(date.value || ''); },
  }, h('h2', { id: 'ct-date-title' }, 'Your date'), dateRow, newStartNote, formError,
  h('div', { class: 'row' }, save, stop), status);
  stop.addEventListener('click', () => setDate(null));

  const reachedList = h('ul', { class: 'list milestone-list' });
  const reachedCard = h('section', { class: 'card stack', 'aria-labelledby': 'ct-reached-title', hidden: true },
    h('h2', { id: 'ct-reached-title' }, 'Milestones you reached'), reachedList);

  const historyList = h('ul', { class: 'list' });
  const historyCard = h('section', { class: 'card stack', 'aria-labelledby': 'ct-history-title', hidden: true },
    h('h2', { id: 'ct-history-title' }, 'Your earlier clean time'),
    h('p', { class: 'muted' }, 'Only you see this. Every one of these days counts.'), historyList);

  const shareLine = h('p', {});
  const shareCard = h('section', { class: 'card stack', 'aria-labelledby': 'ct-share-title' },
    h('h2', { id: 'ct-share-title' }, 'Who sees it'), shareLine,
    h('p', {}, h('a', { href: '#/settings' }, 'Change who sees your clean time')));

  const lookupInput = h('input', { name: 'handle', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const lookupRow = field('Their handle', lookupInput);
  const lookupButton = h('button', { type: 'submit', class: 'secondary' }, 'Look up');
  const lookupResult = statusLine('lookup-result');
  const lookupForm = h('form', {
    class: 'card stack', novalidate: true, 'aria-labelledby': 'ct-lookup-title',
    onsubmit: (e) => { e.preventDefault(); lookup(); },
  }, h('h2', { id: 'ct-lookup-title' }, 'A buddy’s clean time'),
  h('p', { class: 'muted' }, 'You can see someone’s clean time when they share it with you.'),
  lookupRow, h('div', { class: 'row' }, lookupButton), lookupResult);

  const el = h('div', { class: 'recovery cleantime-view stack' },
    heading, loadError, nowCard, form, reachedCard, historyCard, shareCard, lookupForm);

  let current = null;

  function render(s) {
    current = s;
    if (s.date) {
      fill(now,
        h('p', { class: 'big-number' }, h('span', { class: 'number' }, String(s.days)), ` ${s.days === 1 ? 'day' : 'days'} clean`),
        h('p', {}, `Counting since ${fmtDay(s.date)}.`),
        s.next ? h('p', {}, `Your next milestone is ${s.next.label}, on ${fmtDay(s.next.date)}.`) : null);
      date.value = s.date;
      save.textContent = 'Save new date';
      stop.hidden = false;
      newStartNote.hidden = false;
    } else {
      fill(now, h('p', {}, 'You are not counting clean time right now. That is completely fine. If and when you want to, choose your date below.'));
      date.value = '';
      save.textContent = 'Start counting';
      stop.hidden = true;
      newStartNote.hidden = true;
    }
    fill(reachedList, [...(s.reached || [])].reverse().map((m) => h('li', { class: 'milestone' },
      h('span', { class: 'badge' }, m.label), ` reached on ${fmtDay(m.date)}`)));
    reachedCard.hidden = !(s.reached && s.reached.length);
    const history = s.history || [];
    fill(historyList, history.map((p) => h('li', {},
      `${daysWord(p.days)}, from ${fmtDay(p.from)} to ${fmtDay(p.to)}`)));
    historyCard.hidden = history.length === 0;
  }

  async function setDate(value) {
    showError(dateRow.error, null);
    showError(formError, null);
    status.textContent = '';
    if (value === '') {
      showError(dateRow.error, { message: 'Choose a date first: today or a day before.' });
      date.focus();
      return;
    }
    const before = current;
    const control = value === null ? stop : save;
    await busy(control, formError, async () => {
      try {
        const data = await app.conn.request('sobriety.set', { date: value });
        const s = data.sobriety;
        render(s);
        /* The period just closed, as the server counted it. */
        const closed = before?.date && before.date !== value ? (s.history || [])[0] : null;
        const kept = closed && closed.days > 0 ? `The ${daysWord(closed.days)} you counted before ${closed.days === 1 ? 'is' : 'are'} kept in your history, and ${closed.days === 1 ? 'it still counts' : 'they still count'}.` : '';
        if (value === null) {
          status.textContent = closed ? `You stopped counting. ${kept}` : 'You are not counting.';
        } else if (closed) {
          status.textContent = `A new start. ${kept}`;
        } else {
          status.textContent = s.days === 0 ? 'Day 0. Every journey starts somewhere, and yours starts today.' : `You are counting: ${daysWord(s.days)} clean.`;
        }
      } catch (err) {
        if (err.code === 'future_date' || err.field === 'date' || /'date'/.test(err.message || '')) {
          showError(dateRow.error, err.code === 'future_date' ? { message: 'That date is after today. Choose today or a day before.' } : err);
          date.focus();
          return;
        }
        throw err;
      }
    });
  }

  async function lookup() {
    showError(lookupRow.error, null);
    lookupResult.textContent = '';
    const handle = lookupInput.value.trim();
    if (!handle) {
      showError(lookupRow.error, { message: 'Write their handle first.' });
      return;
    }
    await busy(lookupButton, lookupRow.error, async () => {
      try {
        const { sobriety: s } = await app.conn.request('sobriety.get', { handle });
        const who = s.handle || handle;
        lookupResult.textContent = s.date
          ? `${who}: ${daysWord(s.days)} clean, since ${fmtDay(s.date)}.${s.next ? ` Next: ${s.next.label}, on ${fmtDay(s.next.date)}.` : ''}`
          : `${who} is not counting clean time right now.`;
      } catch (err) {
        if (err.code === 'user_not_found') {
          lookupResult.textContent = 'Nobody by that handle shares their clean time with you.';
          return;
        }
        throw err;
      }
    });
  }

  async function load() {
    showError(loadError, null);
    try {
      const [data, settings, today] = await Promise.all([
        app.conn.request('sobriety.get'), getSettings(app), memberToday(app),
      ]);
      date.max = today;
      render(data.sobriety);
      shareLine.textContent = SHARE_WORDS[settings.sobriety_share] || SHARE_WORDS.private;
      if (settings.milestone_room && settings.sobriety_share !== 'private') {
        shareLine.textContent += ` Your milestones are also told in the room “${settings.milestone_room}”.`;
      }
    } catch (err) {
      showError(loadError, err);
    }
  }

  return { el, show() { status.textContent = ''; load(); } };
}

/* Milestones: the member's own, to celebrate; a buddy's, to cheer them on. */
function listenForMilestones(app) {
  app.conn.on('milestone', (ev) => {
    const m = ev.milestone || {};
    const mine = !ev.handle || (app.me && ev.handle === app.me.handle);
    if (mine) {
      const tell = (today) => {
        const when = !m.date || m.date === today ? ' today' : ` on ${fmtDay(m.date)}`;
        app.alert('celebrate', `You reached ${m.label} clean${when}. One day at a time, you got here. Well done.`, { go: ['cleantime'] });
      };
      /* It may come with the sign-in itself: ask the day once that is done. */
      setTimeout(() => memberToday(app).then(tell, () => tell(null)), 0);
    } else {
      app.alert('milestone', `${ev.handle} reached ${m.label} clean. A kind word from you would mean a lot.`, { go: ['buddies'] });
    }
  });
}

export function install(app) {
  app.addView({ id: 'cleantime', title: 'Clean time', nav: false, create: createCleanTimeView });
  listenForMilestones(app);
}
