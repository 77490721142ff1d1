/*
 * What a member is told privately about safety and moderation (PROTOCOL.md
 * 6.9, 6.12-6.14, 15.7, sections 17-18): what a moderator did to them
 * (`moderated`), the answer to their report (`report.handled`), and the
 * caring cards with the crisis resources (`safety.notice` before the first
 * room, `safety.check_in` after words that can mean a crisis). All said
 * plainly and without blame.
 */
import { button, fmtTime, h } from '../dom.js';

/* fmtTime: only the time when it is today, else the day too. */
function untilWords(until) {
  return until ? `until ${fmtTime(until)}` : 'until a moderator lifts it';
}

function reasonWords(reason) {
  return reason ? ` The reason given: “${reason}”` : '';
}

/* What the person acted on reads (6.9): plain, without blame. */
function moderatedSentence(ev) {
  const where = ev.room ? ` in ${ev.room}` : '';
  const why = reasonWords(ev.reason);
  switch (ev.action) {
    case 'mute':
      return `A moderator has paused your posting${where} ${untilWords(ev.until)}.${why} You can still read along, and you are still welcome here.`;
    case 'unmute':
      return `You can post${where} again.${why}`;
    case 'remove':
      return `A moderator took you out of ${ev.room || 'a room'}.${why} You may join it again later.`;
    case 'ban':
      return `A moderator has closed ${ev.room || 'a room'} to you ${untilWords(ev.until)}.${why} Your other rooms are as they were.`;
    case 'unban':
      return `You may join ${ev.room || 'the room'} again.${why}`;
    case 'suspend':
      return `Your account has been suspended ${ev.until ? `until ${fmtTime(ev.until)}` : 'until an admin lifts it'}.${why}`;
    case 'unsuspend':
      return `Your account is open again.${why}`;
    default:
      return `A moderator acted on your account${where}.${why}`;
  }
}

export function install(app) {
  app.conn.on('moderated', (ev) => {
    const go = ev.room && (ev.action === 'unban' || ev.action === 'unmute') ? { go: ['room', ev.room] } : {};
    app.alert('notice', moderatedSentence(ev), go);
  });

  app.conn.on('report.handled', (ev) => {
    const said = ev.outcome === 'actioned'
      ? 'Thank you for your report. A moderator looked at it and took action.'
      : ev.outcome === 'dismissed'
        ? 'Thank you for your report. A moderator looked at it and found nothing that needed action this time.'
        : 'Thank you for your report. A moderator has looked at it.';
    app.alert('notice', said);
  });

  const cards = new Map();   /* title -> the dismiss function of the card shown */
  /* A caring card with the crisis resources; a newer one of the same kind takes the older one's place. */
  function showCare({ title, text, resources = [], offerSupport = false }) {
    cards.get(title)?.();
    const close = button('Close', () => {
      dismiss();
      document.getElementById('main')?.focus();
    }, { class: 'quiet', 'aria-label': `Close: ${title}` });
    const support = offerSupport ? button('Talk to someone now', () => {
      dismiss();
      app.go('support');
    }, { class: 'primary' }) : null;
    const dismiss = app.alert('notice', h('div', { class: 'care-card' },
      h('h2', {}, title),
      h('p', {}, text),
      resources.length ? h('ul', { class: 'care-resources' }, resources.map((r) => h('li', {}, r))) : null,
      h('div', { class: 'row' }, support, close)), { quiet: true, ownButtons: true });
    cards.set(title, dismiss);
  }

  app.conn.on('safety.notice', (ev) => showCare({
    title: 'Before you start',
    text: ev.text,
    resources: ev.resources,
  }));

  app.conn.on('safety.check_in', (ev) => showCare({
    title: 'We are glad you said something',
    text: ev.text,
    resources: ev.resources,
    offerSupport: true,
  }));
}
