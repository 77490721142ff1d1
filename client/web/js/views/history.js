/*
 * History: the member's own check-ins over time. Mood and craving as two
 * small charts (SVG, with the same numbers in words and in a table), the
 * weeks or months in summary, every check-in with its private note, and the
 * gratitude journal (PROTOCOL.md 5.74, 5.76, 5.78, 23.6).
 */
import { button, field, fill, fmtDay, h, showError } from '../dom.js';
import { addDays, daysBetween, errorSlot, getSigns, memberToday, moodWord, signLabel } from './checkin.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAGE = 20;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
function fmtShortDay(day) {
  return shortDay.format(new Date(`${day}T00:00:00Z`));
}

function average(values) {
  if (!values.length) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

function fmtAvg(v) {
  return Number(v).toFixed(1);
}

/*
 * A line chart of one measure over a run of days: dots for the days with a
 * value, joined when the days follow each other (a gap is left open).
 */
function lineChart({ days, values, min, max, ticks, width, name, describe }) {
  const height = 170;
  const pad = { left: 30, right: 12, top: 12, bottom: 28 };
  const plotW = Math.max(40, width - pad.left - pad.right);
  const plotH = height - pad.top - pad.bottom;
  const n = days.length;
  const x = (i) => pad.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v) => pad.top + ((max - v) / (max - min)) * plotH;

  const grid = ticks.map((t) => svg('g', { class: 'chart-tick' },
    svg('line', { x1: pad.left, x2: pad.left + plotW, y1: y(t), y2: y(t), class: 'chart-grid' }),
    svg('text', { x: pad.left - 8, y: y(t), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' }, String(t))));

  const labelIdx = n <= 1 ? [0] : [0, Math.floor((n - 1) / 2), n - 1];
  const xLabels = [...new Set(labelIdx)].map((i) => svg('text', {
    x: x(i), y: height - 8, 'text-anchor': n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle', class: 'chart-label',
  }, fmtShortDay(days[i])));

  const segments = [];
  let seg = [];
  days.forEach((d, i) => {
    const v = values.get(d);
    if (v === undefined) {
      if (seg.length) segments.push(seg);
      seg = [];
    } else {
      seg.push([x(i), y(v)]);
    }
  });
  if (seg.length) segments.push(seg);
  const paths = segments.filter((s) => s.length > 1).map((s) => svg('path', {
    d: s.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' '), class: 'chart-line',
  }));
  const dots = days.map((d, i) => {
    const v = values.get(d);
    if (v === undefined) return null;
    return svg('circle', { cx: x(i), cy: y(v), r: 4, class: 'chart-dot' }, svg('title', {}, `${fmtDay(d)}: ${name} ${v}`));
  });

  return svg('svg', {
    class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': describe,
  }, svg('line', { x1: pad.left, x2: pad.left, y1: pad.top, y2: pad.top + plotH, class: 'chart-axis' }), grid, xLabels, paths, dots);
}

const RANGES = [[14, 'The last 2 weeks'], [30, 'The last 30 days'], [90, 'The last 3 months'], [365, 'The last year']];

function createHistoryView(app) {
  const heading = h('h1', { tabindex: '-1' }, 'Your check-ins');
  const back = h('p', {}, h('a', { href: '#/checkin' }, 'Back to today’s check-in'));
  const intro = h('p', { class: 'muted' }, 'Only you can see this page, notes and all.');

  /* --- the charts --- */
  const range = h('select', { name: 'range' }, RANGES.map(([v, label]) => h('option', { value: String(v), selected: v === 30 }, label)));
  const rangeRow = field('Show', range);
  const chartSummary = h('p', { class: 'chart-summary' });
  const moodChart = h('div', { class: 'chart-wrap' });
  const cravingChart = h('div', { class: 'chart-wrap' });
  const tableBody = h('tbody');
  const chartTable = h('details', { class: 'chart-table' },
    h('summary', {}, 'Show these days as a table'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Check-ins as a table' }, h('table', {},
      h('caption', { class: 'sr-only' }, 'Your check-ins, day by day'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Mood (1 to 5)'),
        h('th', { scope: 'col' }, 'Craving (0 to 10)'), h('th', { scope: 'col' }, 'Warning signs'))),
      tableBody)));
  const chartError = errorSlot();
  const chartCard = h('section', { class: 'card stack', 'aria-labelledby': 'chart-title' },
    h('h2', { id: 'chart-title' }, 'Mood and craving'), rangeRow, chartSummary, chartError,
    h('h3', { class: 'chart-heading' }, 'Mood', h('span', { class: 'muted' }, ' (1 very low, 5 very good)')), moodChart,
    h('h3', { class: 'chart-heading' }, 'Craving', h('span', { class: 'muted' }, ' (0 none, 10 strongest)')), cravingChart,
    chartTable);

  /* --- weeks and months --- */
  const period = h('select', { name: 'period' }, h('option', { value: 'week' }, 'Week by week'), h('option', { value: 'month' }, 'Month by month'));
  const periodRow = field('Summary', period);
  const summaryFacts = h('p', {});
  const summaryBody = h('tbody');
  const firstCol = h('th', { scope: 'col' }, 'Week of');
  const summaryError = errorSlot();
  const summaryCard = h('section', { class: 'card stack', 'aria-labelledby': 'summary-title' },
    h('h2', { id: 'summary-title' }, 'Over time'), summaryFacts, periodRow, summaryError,
    /* Wider than a phone: it scrolls sideways, so it must take keyboard focus to be scrolled. */
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Summary by period' }, h('table', {},
      h('caption', { class: 'table-caption muted' }, 'Mood and craving are averages over the days you checked in.'),
      h('thead', {}, h('tr', {}, firstCol, h('th', { scope: 'col', class: 'num' }, 'Check-ins'), h('th', { scope: 'col', class: 'num' }, 'Mood'),
        h('th', { scope: 'col', class: 'num' }, 'Craving'), h('th', { scope: 'col', class: 'num' }, 'Meetings'))),
      summaryBody)));

  /* --- every check-in --- */
  const list = h('ol', { class: 'list checkin-list' });
  const listEmpty = h('p', { class: 'muted', hidden: true }, 'No check-ins yet. Your first one will show up here.');
  const listMore = button('Show earlier check-ins', () => loadList(true), { class: 'secondary', hidden: true });
  const listError = errorSlot();
  const listCard = h('section', { class: 'card stack', 'aria-labelledby': 'list-title' },
    h('h2', { id: 'list-title' }, 'Day by day'), listEmpty, list, listError, h('div', { class: 'row' }, listMore));

  /* --- the journal --- */
  const journal = h('ol', { class: 'list journal-list' });
  const journalEmpty = h('p', { class: 'muted', hidden: true }, 'Your gratitude journal fills up with what you are grateful for and your wins, one day at a time.');
  const journalMore = button('Show earlier entries', () => loadJournal(true), { class: 'secondary', hidden: true });
  const journalError = errorSlot();
  const journalCard = h('section', { class: 'card stack', 'aria-labelledby': 'journal-title' },
    h('h2', { id: 'journal-title' }, 'Gratitude journal'), journalEmpty, journal, journalError, h('div', { class: 'row' }, journalMore));

  const el = h('div', { class: 'recovery history-view stack' },
    heading, back, intro, chartCard, summaryCard, listCard, journalCard);

  let chartData = null;     /* {days, checkins} */
  let oldestListed = null;
  let oldestJournal = null;
  let lastWidth = 0;

  function renderCharts() {
    if (!chartData) return;
    const { days, checkins } = chartData;
    const width = Math.max(240, Math.floor(moodChart.clientWidth || 320));
    lastWidth = width;
    const moods = new Map();
    const cravings = new Map();
    for (const c of checkins) {
      moods.set(c.day, c.mood);
      if (c.craving !== undefined && c.craving !== null) cravings.set(c.day, c.craving);
    }
    const moodAvg = average([...moods.values()]);
    const cravingAvg = average([...cravings.values()]);
    const span = `${fmtDay(days[0])} to ${fmtDay(days[days.length - 1])}`;
    const moodWords = moods.size
      ? `Mood from ${span}: ${moods.size} check-in${moods.size === 1 ? '' : 's'}, lowest ${Math.min(...moods.values())}, highest ${Math.max(...moods.values())}, average ${fmtAvg(moodAvg)} of 5.`
      : `Mood from ${span}: no check-ins.`;
    const cravingWords = cravings.size
      ? `Craving from ${span}: said on ${cravings.size} day${cravings.size === 1 ? '' : 's'}, lowest ${Math.min(...cravings.values())}, highest ${Math.max(...cravings.values())}, average ${fmtAvg(cravingAvg)} of 10.`
      : `Craving from ${span}: not said on any day.`;
    fill(moodChart, lineChart({ days, values: moods, min: 1, max: 5, ticks: [1, 2, 3, 4, 5], width, name: 'mood', describe: moodWords }));
    fill(cravingChart, lineChart({ days, values: cravings, min: 0, max: 10, ticks: [0, 5, 10], width, name: 'craving', describe: cravingWords }));
    if (!checkins.length) {
      chartSummary.textContent = `No check-ins from ${span}. When you check in, your days show up here.`;
    } else {
      const parts = [`You checked in on ${checkins.length} of these ${days.length} days.`];
      parts.push(`Your mood averaged ${fmtAvg(moodAvg)} of 5.`);
      if (cravingAvg !== null) parts.push(`Your craving averaged ${fmtAvg(cravingAvg)} of 10.`);
      chartSummary.textContent = parts.join(' ');
    }
    fill(tableBody, [...checkins].sort((a, b) => (a.day < b.day ? 1 : -1)).map((c) => h('tr', {},
      h('th', { scope: 'row' }, fmtDay(c.day)),
      h('td', {}, `${c.mood} (${moodWord(c.mood).toLowerCase()})`),
      h('td', {}, c.craving !== undefined && c.craving !== null ? String(c.craving) : 'not said'),
      h('td', {}, c.signs?.length ? c.signs.map(signLabel).join(', ') : 'none'))));
    if (!checkins.length) tableBody.append(h('tr', {}, h('td', { colspan: '4' }, 'No check-ins in these days.')));
  }

  async function loadCharts() {
    showError(chartError, null);
    try {
      await getSigns(app).catch(() => null);
      const today = await memberToday(app);
      const n = Number(range.value);
      const from = addDays(today, -(n - 1));
      const data = await app.conn.request('checkin.list', { from, limit: 366 });
      const checkins = data.checkins || [];
      const last = checkins.reduce((m, c) => (c.day > m ? c.day : m), today);
      const count = Math.min(400, daysBetween(from, last) + 1);
      const days = Array.from({ length: count }, (_, i) => addDays(from, i));
      chartData = { days, checkins };
      renderCharts();
    } catch (err) {
      showError(chartError, err);
    }
  }

  async function loadSummary() {
    showError(summaryError, null);
    try {
      const p = period.value;
      const data = await app.conn.request('checkin.summary', { period: p, count: p === 'week' ? 8 : 6 });
      firstCol.textContent = p === 'week' ? 'Week of' : 'Month';
      const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
      const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
      /* Newest first: the empty periods at the end are from before the member began. */
      const periods = [...(data.periods || [])];
      while (periods.length > 1 && !periods.at(-1).checkins && !periods.at(-1).meetings) periods.pop();
      fill(summaryBody, periods.map((x) => h('tr', {},
        h('th', { scope: 'row' }, (p === 'week' ? shortDay : monthFmt).format(new Date(`${x.start}T00:00:00Z`))),
        h('td', { class: 'num' }, String(x.checkins)),
        h('td', { class: 'num' }, x.checkins ? fmtAvg(x.avg_mood) : 'none'),
        h('td', { class: 'num' }, x.avg_craving !== undefined && x.avg_craving !== null ? fmtAvg(x.avg_craving) : 'none'),
        h('td', { class: 'num' }, String(x.meetings)))));
      const facts = [data.streak > 0
        ? `Your check-in streak: ${data.streak} day${data.streak === 1 ? '' : 's'} in a row.`
        : 'No streak right now. Your next check-in starts a new one.'];
      if (data.longest > 0) facts.push(`Your longest so far: ${data.longest} day${data.longest === 1 ? '' : 's'}.`);
      if (data.goal > 0) facts.push(`Meetings this week: ${data.meetings_this_week} of your goal of ${data.goal}.`);
      summaryFacts.textContent = facts.join(' ');
    } catch (err) {
      showError(summaryError, err);
    }
  }

  function checkinItem(c) {
    const facts = [`Mood: ${moodWord(c.mood)} (${c.mood} of 5)`];
    if (c.craving !== undefined && c.craving !== null) facts.push(`Craving: ${c.craving} of 10`);
    return h('li', { class: 'checkin-item stack' },
      h('h3', {}, fmtDay(c.day)),
      h('p', {}, facts.join(' · ')),
      c.signs?.length ? h('p', {}, h('span', { class: 'muted' }, 'Warning signs: '), c.signs.map(signLabel).join(', ')) : null,
      c.grateful ? h('p', {}, h('span', { class: 'muted' }, 'Grateful for: '), c.grateful) : null,
      c.win ? h('p', {}, h('span', { class: 'muted' }, 'Win: '), c.win) : null,
      c.note ? h('p', { class: 'private-note' }, h('span', { class: 'muted' }, 'Private note: '), c.note) : null);
  }

  async function loadList(more) {
    showError(listError, null);
    try {
      const fields = { limit: PAGE };
      if (more && oldestListed) fields.to = addDays(oldestListed, -1);
      const data = await app.conn.request('checkin.list', fields);
      const items = data.checkins || [];
      if (!more) list.replaceChildren();
      for (const c of items) list.append(checkinItem(c));
      if (items.length) oldestListed = items[items.length - 1].day;
      listMore.hidden = items.length < PAGE;
      listEmpty.hidden = list.children.length > 0;
    } catch (err) {
      showError(listError, err);
    }
  }

  async function loadJournal(more) {
    showError(journalError, null);
    try {
      const fields = { limit: PAGE };
      if (more && oldestJournal) fields.before = oldestJournal;
      const data = await app.conn.request('checkin.journal', fields);
      const entries = data.entries || [];
      if (!more) journal.replaceChildren();
      for (const e of entries) {
        journal.append(h('li', { class: 'journal-item stack' },
          h('h3', {}, fmtDay(e.day)),
          e.grateful ? h('p', {}, h('span', { class: 'muted' }, 'Grateful for: '), e.grateful) : null,
          e.win ? h('p', {}, h('span', { class: 'muted' }, 'Win: '), e.win) : null));
      }
      if (entries.length) oldestJournal = entries[entries.length - 1].day;
      journalMore.hidden = entries.length < PAGE;
      journalEmpty.hidden = journal.children.length > 0;
    } catch (err) {
      showError(journalError, err);
    }
  }

  range.addEventListener('change', loadCharts);
  period.addEventListener('change', loadSummary);
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(() => {
      const w = Math.floor(moodChart.clientWidth);
      if (chartData && w && Math.abs(w - lastWidth) > 8) renderCharts();
    }).observe(moodChart);
  }

  return {
    el,
    show() {
      oldestListed = null;
      oldestJournal = null;
      loadCharts();
      loadSummary();
      loadList(false);
      loadJournal(false);
    },
  };
}

export function install(app) {
  app.addView({ id: 'history', title: 'Your check-ins', nav: false, create: createHistoryView });
}
