/*
 * For moderators on the Supporters screen (PROTOCOL.md 5.68, 5.70, 22):
 * everyone waiting for an answer and for how long (never their words), and
 * the waiting times of the last 14 days: are enough people on duty?
 */
import { busy, button, fill, fmtDay, fmtDuration, fmtTime, h } from '../dom.js';
import { isServerModerator } from './roles.js';
import { liveText, loadQueue, state, urgencyShort, waitedMs } from './support_state.js';

const STATE_WORDS = {
  asking_buddies: 'asking their buddies',
  asking_supporters: 'asking supporters',
  nobody_yet: 'nobody has answered yet',
};

export function queueSections(app) {
  const queueList = h('ul', { class: 'list queue-list', 'aria-label': 'Waiting for an answer' });
  const queueEmpty = h('p', { class: 'muted' }, 'Nobody is waiting. Thank you for checking.');
  const queueError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const refresh = button('Refresh', async () => {
    await busy(refresh, queueError, () => loadQueue(app));
  }, { class: 'quiet', 'aria-label': 'Refresh who is waiting' });
  const queueSection = h('section', { class: 'card stack', 'aria-labelledby': 'queue-h' },
    h('div', { class: 'row spread' }, h('h2', { id: 'queue-h' }, 'Waiting for an answer'), refresh),
    queueEmpty, queueList, queueError);

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

  function render() {
    /* The whole queue is for moderators; a supporter on duty has the same requests as offers. */
    const q = isServerModerator(app) ? state.queue : null;
    queueSection.hidden = !q;
    statsSection.hidden = !isServerModerator(app);
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

  return { els: [queueSection, statsSection], render };
}
