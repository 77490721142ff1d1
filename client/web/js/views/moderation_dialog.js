/*
 * The moderation dialogs (report, remove, mute, ban) and the fields they and
 * the Moderation screen share.
 */
import { busy, button, h, uid } from '../dom.js';

export const REASON_MAX = 500;

export function choiceSelect(choices, selected) {
  return h('select', {}, choices.map(([v, label]) => h('option', { value: v, selected: v === selected }, label)));
}

export function reasonBox(rows = 2) {
  return h('textarea', { rows: String(rows), maxlength: String(REASON_MAX) });
}

/*
 * A small modal dialog with a form: the native <dialog> keeps focus inside,
 * Escape closes it, and focus goes back where it was. `submit(errorSlot)`
 * returns true to close.
 */
export function openDialog({ title, intro, fields = [], submitLabel, danger = false, submit }) {
  const titleId = uid('dlg');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const ok = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submitLabel);
  const cancel = button('Cancel', () => dialog.close(), { class: 'quiet' });
  const form = h('form', { class: 'stack', novalidate: true }, intro ? h('p', {}, intro) : null, fields, error,
    h('div', { class: 'row mod-dialog-actions' }, ok, cancel));
  const dialog = h('dialog', { class: 'mod-dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title), form);
  const back = document.activeElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const done = await busy(ok, error, () => submit(error));
    if (done) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    /* Back to what opened it; a menu item folded away with its menu, so then the menu itself. */
    const shown = (el) => el && el.isConnected && el.getClientRects().length > 0;
    const target = shown(back) ? back : back && back.closest && back.closest('details')?.querySelector(':scope > summary');
    if (shown(target)) target.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('textarea, select, input');
  (first || ok).focus();
  return dialog;
}
