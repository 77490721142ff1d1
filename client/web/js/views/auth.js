/*
 * The sign-in screen: log in or create an account with one form, and the
 * crisis resources for anyone, signed in or not (PROTOCOL.md 3.2, 18).
 */
import { busy, field, fill, h, showFieldError } from '../dom.js';

function createAuthView(app) {
  const handle = h('input', { name: 'handle', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: '32' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const invite = h('input', { name: 'invite', autocomplete: 'off' });
  const handleRow = field('Handle', handle, { hint: '3 to 32 letters, digits, - or _. Choose one that does not give away who you are.' });
  const passwordRow = field('Password', password, { hint: 'New accounts: at least 12 characters. A short sentence works well.' });
  const inviteRow = field('Invite code (if you were given one)', invite);
  const formError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });

  const loginButton = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const registerButton = h('button', { type: 'button', class: 'secondary' }, 'Create account');

  const rows = { handle: handleRow, password: passwordRow, invite: inviteRow };
  /* Errors that name no field but are about one. */
  const CODE_FIELDS = { handle_taken: 'handle', password_policy: 'password', invite_required: 'invite', invite_invalid: 'invite' };

  async function submit(type, control) {
    showFieldError(rows, formError, null);
    const fields = { handle: handle.value.trim(), password: password.value };
    if (type === 'auth.register' && invite.value.trim()) fields.invite = invite.value.trim();
    control.disabled = true;
    try {
      await app.signIn(type, fields);
      password.value = '';
    } catch (err) {
      if (CODE_FIELDS[err.code] && !err.field) err.field = CODE_FIELDS[err.code];
      showFieldError(rows, formError, err);
      if (err.field === 'invite') inviteRow.closest('details').open = true;
    } finally {
      control.disabled = false;
    }
  }

  const form = h('form', {
    class: 'card stack auth-form', 'aria-labelledby': 'auth-title', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); submit('auth.login', loginButton); },
  },
  h('h1', { id: 'auth-title' }, 'Welcome to Hearth'),
  h('p', {}, 'A place for people in recovery to meet, check in, and reach out when it gets hard.'),
  notice, handleRow, passwordRow,
  h('details', {}, h('summary', {}, 'I have an invite code'), inviteRow),
  formError,
  h('div', { class: 'row' }, loginButton, registerButton));
  registerButton.addEventListener('click', () => submit('auth.register', registerButton));

  const resourcesEl = h('div', { class: 'stack' });
  const resourcesError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const helpButton = h('button', { type: 'button', class: 'quiet' }, 'Show where to get help now');
  helpButton.addEventListener('click', () => busy(helpButton, resourcesError, async () => {
    const data = await app.crisisResources();
    fill(resourcesEl, h('p', {}, data.notice), h('ul', {}, data.resources.map((r) => h('li', {}, r))));
    helpButton.hidden = true;
  }));
  const help = h('section', { class: 'card crisis', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'In crisis right now?'),
    h('p', {}, 'Hearth is peer support, not a crisis service. If you are in danger, call your local emergency number.'),
    helpButton, resourcesError, resourcesEl);

  return {
    el: h('div', { class: 'auth stack' }, form, help),
    show(message) {
      notice.textContent = message || '';
      notice.hidden = !message;
      handle.focus();
    },
  };
}

export function install(app) {
  app.addView({ id: 'auth', title: 'Sign in', nav: false, create: createAuthView });
}
