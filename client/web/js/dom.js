/*
 * dom: building the page without innerHTML. Everything a person typed reaches
 * the page as text nodes only, so no message, note or handle can ever become
 * markup or script (the CSP forbids inline script too; this is the second
 * lock on the door).
 */

/*
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'Send'}, 'Send')
 * Props: `class`, `text`, `on<event>` handlers, `dataset` (object), boolean
 * attributes as true/false, anything else as an attribute. Children: nodes,
 * strings (as text), arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled')
      el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/* Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uniqueCounter = 0;
/* A fresh id for label/aria wiring. */
export function uid(prefix = 'f') {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/*
 * A labelled form row: the label, the control, an optional hint, and the
 * slot where an error about this control is written (aria-describedby ties
 * both to the control, so a screen reader reads them with it).
 */
export function field(labelText, control, { hint } = {}) {
  if (!control.id) control.id = uid('ctl');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: uid('err'), role: 'alert' });
  control.setAttribute('aria-describedby', [hintEl && hintEl.id, errorEl.id].filter(Boolean).join(' '));
  const row = h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hintEl, errorEl);
  row.control = control;
  row.error = errorEl;
  return row;
}

/*
 * Shows an error as a sentence next to what caused it. `err` is a server
 * error or a CodecError (both have .message); null clears it.
 */
export function showError(slot, err) {
  if (!slot) return;
  slot.textContent = err ? (err.message || String(err)) : '';
  slot.hidden = !err;
}

/* A status line that screen readers announce politely. */
export function statusLine(cls = 'status') {
  return h('p', { class: cls, role: 'status', 'aria-live': 'polite' });
}

export function button(label, onclick, props = {}) {
  return h('button', { type: 'button', onclick, ...props }, label);
}

/*
 * Runs an async action from a control: marks it busy while waiting and
 * writes any error into the slot. Returns the action's result, or undefined
 * after an error. The control is marked with aria-disabled, not disabled:
 * disabling the focused button would throw keyboard focus to the top of the
 * page. A second press while busy does nothing.
 */
export async function busy(control, slot, action) {
  showError(slot, null);
  if (control && control.dataset.busy) return undefined;
  if (control) {
    control.dataset.busy = '1';
    control.setAttribute('aria-disabled', 'true');
  }
  try {
    return await action();
  } catch (err) {
    showError(slot, err);
    return undefined;
  } finally {
    if (control) {
      delete control.dataset.busy;
      control.removeAttribute('aria-disabled');
    }
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
});
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/* A server timestamp (ms since the epoch) in the reader's local time. */
export function fmtTime(ts) {
  const d = new Date(ts);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFormat.format(d) : dateTimeFormat.format(d);
}

export function fmtDateTime(ts) {
  return dateTimeFormat.format(new Date(ts));
}

/* A protocol day "YYYY-MM-DD" as a short date (it names a calendar day, not an instant). */
export function fmtDay(day) {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/* Today as "YYYY-MM-DD" in the reader's own time zone. */
export function localDay(date = new Date()) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/* "in 3 minutes", "2 hours ago": for waits and deadlines. */
export function fmtRelative(ms) {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(ms);
  if (abs < 60_000) return rtf.format(Math.round(ms / 1000), 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(ms / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(ms / 3_600_000), 'hour');
  return rtf.format(Math.round(ms / 86_400_000), 'day');
}

/* A wait in words: "2 minutes", "45 seconds". */
export function fmtDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const hrs = Math.round(m / 60);
  if (hrs < 48) return `${hrs} hour${hrs === 1 ? '' : 's'}`;
  const days = Math.round(hrs / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/* The request member an error is about: a CodecError's .field, or the name a
 * server sentence quotes ("Field 'title' must be ..."). */
export function fieldOfError(err) {
  if (err && err.field) return err.field;
  const m = /Field '([a-z_]+)'/.exec((err && err.message) || '');
  return m ? m[1] : null;
}

/*
 * Writes an error next to the control it is about: rows maps member names to
 * dom.field rows; anything else goes to the fallback slot. Clears the others.
 */
export function showFieldError(rows, fallback, err) {
  for (const row of Object.values(rows)) showError(row.error, null);
  showError(fallback, null);
  if (!err) return;
  const row = rows[fieldOfError(err)];
  showError(row ? row.error : fallback, err);
}

/*
 * Brings a list's children in line with `items` ({key, make}) while leaving
 * the nodes whose key is unchanged where they are: focus inside them (an
 * open menu, a button) survives an update, and only new or changed items
 * are built.
 */
export function reconcile(list, items) {
  const existing = new Map([...list.children].map((node) => [node.dataset.key, node]));
  const wanted = items.map((item) => {
    const node = existing.get(item.key) || item.make();
    node.dataset.key = item.key;
    return node;
  });
  place(list, wanted);
}

/* Makes `nodes` the list's children in order, moving only what is out of place. */
export function place(list, nodes) {
  const keep = new Set(nodes);
  for (const node of [...list.children]) if (!keep.has(node)) node.remove();
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
}

/* Every IANA time zone the browser knows, with `extra` ones added, sorted. */
export function timeZones(...extra) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = []; /* an older browser: the extras still make a usable list */
  }
  const all = new Set(zones);
  for (const z of extra) if (z) all.add(z);
  return [...all].sort((a, b) => a.localeCompare(b));
}
