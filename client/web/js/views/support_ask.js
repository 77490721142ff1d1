/*
 * Asking for support (PROTOCOL.md 5.62-5.63, 5.65, 6.24, 22), the 'support'
 * screen (not in the navigation: the shell's "I need support now" button
 * opens it): ask with an urgency and a few words, then see plainly where the
 * request stands (support.update), withdraw it, go to the conversation once
 * someone answered, end it with thanks. The crisis resources are shown at
 * once for a crisis and whenever nobody has answered yet.
 */
import { busy, button, field, fill, fmtDuration, h, showError, uid } from '../dom.js';
import {
  OPEN_STATES, URGENCIES, ago, changed, crisis, liveText, loadResources, loadStatus, newCid, refreshAll,
  refreshLiveTimes, resetState, setMine, seeing, shown, state, urgencyShort, watch, waitedMs,
} from './support_state.js';

export function install(app) {
  app.conn.on('support.update', (ev) => {
    const r = ev.request;
    if (!r || r.requester !== state.me) return;
    const by = ev.by || null;
    let resources = Array.isArray(ev.resources) ? ev.resources : undefined;
    if (!resources && r.state === 'nobody_yet') resources = [];
    setMine(app, r, { resources });
    if (r.state === 'asking_supporters') state.by = by;
    else if (OPEN_STATES.has(r.state) || r.state === 'accepted') state.by = null;
    if (state.ended) state.ended.by = by;
    changed('mine');
    requesterAlert(app, r, by);
  });
  app.addView({
    id: 'support',
    title: 'Support',
    nav: false,
    create: () => createSupportView(app),
  });
}

function requesterAlert(app, request, by) {
  if (seeing('support')) return;
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

function resourcesBlock(list, { urgent = false } = {}) {
  const items = list && list.length ? list : crisis.resources;
  const headingId = uid('crisis');
  return h('section', { class: `card crisis stack resources${urgent ? ' urgent' : ''}`, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, urgent ? 'Help you can reach right now' : 'If you are in danger'),
    h('p', {}, crisis.notice || 'Hearth is peer support, not a crisis service. If you are in danger or thinking about ending your life, please reach out now:'),
    items && items.length
      ? h('ul', { class: 'resource-list' }, items.map((t) => h('li', {}, t)))
      : h('p', {}, 'Call your local emergency number.'));
}

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

function createSupportView(app) {
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
    setMine(app, data.request, { resources: Array.isArray(data.resources) ? data.resources : undefined });
    if (!Array.isArray(data.resources) && urgency === 'crisis') loadResources(app);
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
    const list = state.mine && state.resources && state.resources.length ? state.resources : crisis.resources;
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
              if (error.textContent) loadStatus(app).catch(() => {});
              return;
            }
            if (state.mine && state.mine.id === r.id) {
              setMine(app, { ...r, state: 'cancelled' });
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
        if (thanksField.error.textContent && !/thank/i.test(thanksField.error.textContent)) loadStatus(app).catch(() => {});
        return;
      }
      if (state.mine && state.mine.id === r.id) {
        setMine(app, { ...r, state: 'closed' });
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

  const unwatch = watch((what) => {
    if (what === 'mine' || what === 'resources') render();
  });
  render();

  let ticker = null;
  return {
    el,
    show() {
      shown.support = true;
      if (!state.me && app.me) state.me = app.me.handle;
      loadResources(app);
      render();
      refreshAll(app);
      heading.focus();
      clearInterval(ticker);
      ticker = setInterval(() => refreshLiveTimes(el), 15_000);
    },
    hide() {
      shown.support = false;
      clearInterval(ticker);
    },
    reset() {
      shown.support = false;
      clearInterval(ticker);
      unwatch();
      resetState();
    },
  };
}
