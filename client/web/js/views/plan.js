/*
 * Plan: the crisis card (people to call, and the deployment's crisis
 * resources) and the trigger action plan ("when this happens, I will ...",
 * and the reasons the member holds on to), to read and to change
 * (PROTOCOL.md 5.79-5.82, 23.7). Nobody else can read either.
 */
import { button, field, fill, h, showError, statusLine, fieldOfError } from '../dom.js';
import { charCount, errorSlot } from './checkin.js';

const ITEM_MAX = 300;
const MAX_CONTACTS = 20;
const MAX_LINES = 50;
const MAX_REASONS = 50;
const FALLBACK_FRAME_BYTES = 65536;

/* A phone number someone can tap; other ways to reach a person stay text. */
function phoneLink(phone) {
  const digits = phone.replace(/\D/g, '');
  if (/^\+?[\d\s().-]+$/.test(phone.trim()) && digits.length >= 3) {
    return h('a', { href: `tel:${phone.trim().startsWith('+') ? '+' : ''}${digits}` }, phone);
  }
  return h('span', {}, phone);
}

/* The crisis card as something to read (also shown with a warning check-in). */
export function renderCard(card, { level = 2 } = {}) {
  const H = `h${level}`;
  const contacts = card.contacts || [];
  const resources = card.resources || [];
  return h('div', { class: 'crisis-card stack' },
    h(H, {}, 'People you can call'),
    contacts.length
      ? h('ul', { class: 'list contact-list' }, contacts.map((c) => h('li', { class: 'contact' },
        h('span', { class: 'contact-name' }, c.name), ' ', phoneLink(c.phone),
        c.note ? h('span', { class: 'muted contact-note' }, c.note) : null)))
      : h('p', { class: 'muted' }, 'No one on your card yet. You can add the people you would call on a hard day under Plan.'),
    resources.length ? h(H, {}, 'Help at any hour') : null,
    resources.length ? h('ul', { class: 'resource-list' }, resources.map((r) => h('li', {}, r))) : null);
}

/* The trigger action plan and the reasons, as something to read. */
export function renderPlan(plan, { level = 2 } = {}) {
  const H = `h${level}`;
  const lines = plan.lines || [];
  const reasons = plan.reasons || [];
  return h('div', { class: 'action-plan stack' },
    lines.length ? h(H, {}, 'When this happens, I will…') : null,
    lines.length ? h('ol', { class: 'list plan-lines' }, lines.map((l) => h('li', { class: 'plan-line' },
      h('span', { class: 'plan-when' }, h('span', { class: 'plan-key' }, 'When '), l.when),
      h('span', { class: 'plan-then' }, h('span', { class: 'plan-key' }, 'I will '), l.then)))) : null,
    reasons.length ? h(H, {}, 'What I hold on to') : null,
    reasons.length ? h('ul', { class: 'reason-list' }, reasons.map((r) => h('li', {}, r))) : null);
}

/* Bytes of the frame plan.set would send, counted as the server counts. */
function frameBytes(fields) {
  return new TextEncoder().encode(JSON.stringify({ type: 'plan.set', id: '999999999', ...fields })).length;
}

function tooLongSentence(bytes, limit) {
  const kb = (n) => Math.ceil(n / 1024);
  return `Your plan is too long to save in one go: it comes to about ${kb(bytes)} KB and the most is ${kb(limit)} KB. ` +
    'Shortening or removing a few lines will make it fit. Nothing was lost: your words are still here.';
}

/* An editable list of rows (contacts, plan lines, reasons) with add, remove and reorder. */
function editableList({ label, max, makeRow, addLabel, emptyText }) {
  const list = h('ol', { class: 'list edit-list' });
  const empty = h('p', { class: 'muted' }, emptyText);
  const add = button(addLabel, () => { addRow({}, true); }, { class: 'quiet' });
  const rows = [];

  function renumber() {
    rows.forEach((r, i) => {
      r.setIndex(i + 1, rows.length);
    });
    empty.hidden = rows.length > 0;
    add.disabled = rows.length >= max;
  }

  function addRow(value, focus) {
    if (rows.length >= max) return;
    const row = makeRow(value);
    const up = button('Up', () => move(row, -1, up), { class: 'quiet' });
    const down = button('Down', () => move(row, 1, down), { class: 'quiet' });
    const remove = button('Remove', () => {
      const i = rows.indexOf(row);
      rows.splice(i, 1);
      row.li.remove();
      renumber();
      const next = rows[i] || rows[i - 1];
      if (next) next.first.focus();
      else add.focus();
    }, { class: 'quiet' });
    const heading = h('p', { class: 'edit-item-title' });
    row.li = h('li', { class: 'edit-item stack' }, heading, row.el, h('div', { class: 'row edit-actions' }, up, down, remove));
    row.setIndex = (n, total) => {
      heading.textContent = `${label} ${n}`;
      up.setAttribute('aria-label', `Move ${label.toLowerCase()} ${n} up`);
      down.setAttribute('aria-label', `Move ${label.toLowerCase()} ${n} down`);
      remove.setAttribute('aria-label', `Remove ${label.toLowerCase()} ${n}`);
      up.disabled = n === 1;
      down.disabled = n === total;
      row.relabel(n);
    };
    rows.push(row);
    list.append(row.li);
    renumber();
    if (focus) row.first.focus();
  }

  function move(row, delta, pressed) {
    const i = rows.indexOf(row);
    const j = i + delta;
    if (j < 0 || j >= rows.length) return;
    rows.splice(i, 1);
    rows.splice(j, 0, row);
    if (delta < 0) list.insertBefore(row.li, rows[j + 1].li);
    else list.insertBefore(row.li, rows[j - 1].li.nextSibling);
    renumber();
    if (pressed.disabled) row.first.focus();
    else pressed.focus();
  }

  return {
    el: h('div', { class: 'stack' }, empty, list, h('div', { class: 'row' }, add)),
    /* values: the items; with none, one blank row to start from. */
    set(values) {
      rows.length = 0;
      list.replaceChildren();
      for (const v of values.length ? values : [{}]) addRow(v, false);
      renumber();
    },
    /* Rows left wholly blank are not items: they are dropped before saving. */
    dropBlank() {
      for (const row of [...rows]) {
        if (Object.values(row.rows).every((r) => !r.control.value.trim())) {
          rows.splice(rows.indexOf(row), 1);
          row.li.remove();
        }
      }
      renumber();
    },
    rows,
  };
}

function createPlanView(app) {
  const heading = h('h1', { tabindex: '-1' }, 'Your plan');
  const intro = h('p', {}, 'Your crisis card and your plan for hard moments. Only you can see them; they also come up by themselves when a check-in shows a hard day.');
  const loadError = errorSlot();

  /* --- the crisis card --- */
  const cardView = h('div', { class: 'stack' });
  const cardEditButton = button('Edit the people on your card', () => editCard(true), { class: 'secondary' });
  const cardStatus = statusLine('muted');
  const cardError = errorSlot();
  const cardSave = h('button', { type: 'submit', class: 'primary' }, 'Save card');
  const cardCancel = button('Cancel', () => editCard(false), { class: 'quiet' });
  const contactList = editableList({
    label: 'Person', max: MAX_CONTACTS, addLabel: 'Add a person',
    emptyText: 'No one on your card yet. Who would you call on a hard day? A sponsor, a friend, a helpline.',
    makeRow(v) {
      const name = h('input', { name: 'name', value: v.name || '', autocomplete: 'off' });
      const phone = h('input', { name: 'phone', value: v.phone || '', autocomplete: 'off', inputmode: 'tel' });
      const note = h('input', { name: 'note', value: v.note || '', autocomplete: 'off' });
      const rows = {
        name: field('Name', name),
        phone: field('Phone, or how to reach them', phone),
        note: field('Note (optional)', note, { hint: 'For example: any time, day or night.' }),
      };
      return {
        el: h('div', { class: 'edit-fields' }, rows.name, rows.phone, rows.note),
        first: name, rows,
        relabel(n) {
          name.setAttribute('aria-label', `Name, person ${n}`);
          phone.setAttribute('aria-label', `Phone, person ${n}`);
          note.setAttribute('aria-label', `Note, person ${n}`);
        },
        value: () => {
          const c = { name: name.value.trim(), phone: phone.value.trim() };
          if (note.value.trim()) c.note = note.value.trim();
          return c;
        },
      };
    },
  });
  const cardForm = h('form', {
    class: 'stack', hidden: true, novalidate: true, 'aria-label': 'Edit your crisis card',
    onsubmit: (e) => { e.preventDefault(); saveCard(); },
  }, contactList.el, cardError, h('div', { class: 'row' }, cardSave, cardCancel));
  const cardSection = h('section', { class: 'card stack', 'aria-labelledby': 'card-title' },
    h('h2', { id: 'card-title' }, 'Crisis card'),
    cardView, h('div', { class: 'row' }, cardEditButton), cardForm, cardStatus);

  /* --- the trigger action plan --- */
  const planView = h('div', { class: 'stack' });
  const planEditButton = button('Edit your plan', () => editPlan(true), { class: 'secondary' });
  const planStatus = statusLine('muted');
  const planError = errorSlot();
  const planSave = h('button', { type: 'submit', class: 'primary' }, 'Save plan');
  const planCancel = button('Cancel', () => editPlan(false), { class: 'quiet' });
  const lineList = editableList({
    label: 'Line', max: MAX_LINES, addLabel: 'Add a line',
    emptyText: 'No lines yet. Think of a moment that is hard for you, and what you will do when it comes.',
    makeRow(v) {
      const when = h('textarea', { name: 'when', rows: '2' });
      when.value = v.when || '';
      const then = h('textarea', { name: 'then', rows: '2' });
      then.value = v.then || '';
      const rows = {
        when: field('When this happens…', when),
        then: field('…I will', then),
      };
      return {
        el: h('div', { class: 'edit-fields' }, rows.when, rows.then),
        first: when, rows,
        relabel(n) {
          when.setAttribute('aria-label', `When, line ${n}`);
          then.setAttribute('aria-label', `I will, line ${n}`);
        },
        value: () => ({ when: when.value.trim(), then: then.value.trim() }),
      };
    },
  });
  const reasonList = editableList({
    label: 'Reason', max: MAX_REASONS, addLabel: 'Add a reason',
    emptyText: 'No reasons yet. What do you hold on to? A person, a hope, a morning.',
    makeRow(v) {
      const reason = h('input', { name: 'reason', value: typeof v === 'string' ? v : '', autocomplete: 'off' });
      const rows = { reason: field('A reason I hold on to', reason) };
      return {
        el: h('div', { class: 'edit-fields' }, rows.reason),
        first: reason, rows,
        relabel(n) { reason.setAttribute('aria-label', `Reason ${n}`); },
        value: () => reason.value.trim(),
      };
    },
  });
  const planForm = h('form', {
    class: 'stack', hidden: true, novalidate: true, 'aria-label': 'Edit your plan',
    onsubmit: (e) => { e.preventDefault(); savePlan(); },
  },
  h('h3', {}, 'When this happens, I will…'),
  h('p', { class: 'hint' }, 'For example: when I walk past the old bar on payday, I will take the other street and call Sam.'),
  lineList.el,
  h('h3', {}, 'What I hold on to'), reasonList.el,
  planError, h('div', { class: 'row' }, planSave, planCancel));
  const planSection = h('section', { class: 'card stack', 'aria-labelledby': 'plan-title' },
    h('h2', { id: 'plan-title' }, 'Trigger action plan'),
    planView, h('div', { class: 'row' }, planEditButton), planForm, planStatus);

  const el = h('div', { class: 'recovery plan-view stack' }, heading, intro, loadError, cardSection, planSection);

  let card = { contacts: [], resources: [] };
  let plan = { lines: [], reasons: [] };

  function renderCardView() {
    fill(cardView, renderCard(card, { level: 3 }));
  }

  function renderPlanView() {
    const empty = !plan.lines.length && !plan.reasons.length;
    fill(planView, empty
      ? h('p', { class: 'muted' }, 'Your plan is empty for now. Writing down what you will do when a hard moment comes makes it easier to do it then.')
      : renderPlan(plan, { level: 3 }));
  }

  function editCard(on) {
    showError(cardError, null);
    cardStatus.textContent = '';
    if (on) contactList.set(card.contacts);
    cardForm.hidden = !on;
    cardView.hidden = on;
    cardEditButton.hidden = on;
    if (on) (contactList.rows[0]?.first || cardForm.querySelector('button')).focus();
    else cardEditButton.focus();
  }

  function editPlan(on) {
    showError(planError, null);
    planStatus.textContent = '';
    if (on) {
      lineList.set(plan.lines);
      reasonList.set(plan.reasons);
    }
    planForm.hidden = !on;
    planView.hidden = on;
    planEditButton.hidden = on;
    if (on) (lineList.rows[0]?.first || planForm.querySelector('button')).focus();
    else planEditButton.focus();
  }

  /* Checks each item before sending; returns false after writing the first problem next to it. */
  function checkRows(list, checks, errorEl) {
    list.dropBlank();
    for (const row of list.rows) for (const r of Object.values(row.rows)) showError(r.error, null);
    for (const row of list.rows) {
      for (const [name, required] of checks) {
        const r = row.rows[name];
        const text = r.control.value.trim();
        let message = null;
        if (required && !text) message = 'Please fill this in, or remove the whole item.';
        else if (charCount(text) > ITEM_MAX) message = `This is ${charCount(text)} characters; the most is ${ITEM_MAX}. Could you shorten it?`;
        if (message) {
          showError(r.error, { message });
          r.control.focus();
          showError(errorEl, { message: 'Something needs a look before saving; it is marked above.' });
          return false;
        }
      }
    }
    return true;
  }

  /* A server error naming an item ("(contact 2)", "(line 3)", "(reason 1)") goes next to it. */
  function placeError(err, list, word, errorEl) {
    const m = new RegExp(`\\(${word} (\\d+)\\)`).exec(err.message || '');
    const f = fieldOfError(err);
    if (m) {
      const row = list.rows[Number(m[1]) - 1];
      const r = row && (row.rows[f] || Object.values(row.rows)[0]);
      if (r) {
        showError(r.error, err);
        r.control.focus();
        return;
      }
    }
    showError(errorEl, err);
  }

  async function saveCard() {
    showError(cardError, null);
    if (!checkRows(contactList, [['name', true], ['phone', true], ['note', false]], cardError)) return;
    cardSave.disabled = true;
    try {
      const data = await app.conn.request('card.set', { contacts: contactList.rows.map((r) => r.value()) });
      card = data.card;
      renderCardView();
      editCard(false);
      cardStatus.textContent = 'Your card is saved.';
    } catch (err) {
      placeError(err, contactList, 'contact', cardError);
    } finally {
      cardSave.disabled = false;
    }
  }

  async function savePlan() {
    showError(planError, null);
    const okLines = checkRows(lineList, [['when', true], ['then', true]], planError);
    if (!okLines || !checkRows(reasonList, [['reason', true]], planError)) return;
    const fields = { lines: lineList.rows.map((r) => r.value()), reasons: reasonList.rows.map((r) => r.value()) };
    const limit = app.conn.limits?.max_frame_bytes || FALLBACK_FRAME_BYTES;
    const bytes = frameBytes(fields);
    if (bytes > limit) {
      showError(planError, { message: tooLongSentence(bytes, limit) });
      return;
    }
    planSave.disabled = true;
    try {
      const data = await app.conn.request('plan.set', fields);
      plan = data.plan;
      renderPlanView();
      editPlan(false);
      planStatus.textContent = 'Your plan is saved.';
    } catch (err) {
      if (err.code === 'frame_too_large') showError(planError, { message: tooLongSentence(frameBytes(fields), limit) });
      else if (/\(line \d+\)/.test(err.message || '')) placeError(err, lineList, 'line', planError);
      else placeError(err, reasonList, 'reason', planError);
    } finally {
      planSave.disabled = false;
    }
  }

  async function load() {
    showError(loadError, null);
    try {
      const [c, p] = await Promise.all([app.conn.request('card.get'), app.conn.request('plan.get')]);
      card = c.card;
      plan = p.plan;
      if (cardForm.hidden) renderCardView();
      if (planForm.hidden) renderPlanView();
    } catch (err) {
      showError(loadError, err);
    }
  }

  return {
    el,
    show() { load(); },
  };
}

export function install(app) {
  app.addView({ id: 'plan', title: 'Plan', nav: true, order: 50, create: createPlanView });
}

