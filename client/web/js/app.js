/*
 * app: the shell every screen lives in. It owns the sign-in state, the routes
 * (#/view/arg), the navigation, the link banner, alerts and notifications,
 * and the "I need support now" button that is on every screen. Feature
 * modules plug in through the `app` object (see js/README.md).
 */
import { Connection } from './conn.js';
import { button, fill, h } from './dom.js';

const TOKEN_KEY = 'hearth.token';
const NOTIFY_KEY = 'hearth.notifications';
const ALERT_LIMIT = 4;

/* What a discreet notification says: a kind of event, never its text. */
const NOTIFY_TITLES = {
  ping: 'A buddy reached out',
  message: 'A new private message',
  support: 'Someone may need support',
  buddy: 'News from a buddy',
  checkin: 'News from a buddy',
  milestone: 'News from a buddy',
  meeting: 'A meeting is starting',
  moderation: 'Something needs a moderator',
  celebrate: 'A milestone to celebrate',
  reminder: 'A reminder from Hearth',
  notice: 'A notice from Hearth',
};

function wsUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function storedToken() {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* Private mode without storage: the session lasts as long as the tab. */
  }
}

export function createApp(root) {
  const views = new Map();          /* id -> {spec, instance} */
  const roomExtensions = [];
  const signedInHandlers = [];
  const signedOutHandlers = [];
  const presence = new Map();       /* handle -> status */
  let current = null;               /* {id, instance} */
  let authView = null;
  let wasUp = false;
  let resources = null;             /* Promise of safety.resources */

  const linkBanner = h('div', { class: 'link-banner', role: 'status', 'aria-live': 'polite', hidden: true });
  const alerts = h('section', { class: 'alerts', 'aria-label': 'Alerts' });
  const toastEl = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
  const navList = h('ul', { class: 'nav-list' });
  const logoutButton = h('button', { type: 'button', class: 'quiet logout', onclick: () => app.logout() }, 'Log out');
  const nav = h('nav', { id: 'nav', class: 'nav', 'aria-label': 'Main' }, navList, logoutButton);
  const supportButton = h('button', {
    type: 'button', class: 'support-now', onclick: () => app.go('support'),
  }, 'I need support now');
  const whoEl = h('span', { class: 'who muted' });
  const header = h('header', { class: 'topbar' },
    h('a', { href: '#/rooms', class: 'brand' }, 'Hearth'), whoEl, supportButton);
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const shell = h('div', { class: 'shell' }, nav, h('div', { class: 'content' }, linkBanner, alerts, main));
  const skip = h('a', { href: '#main', class: 'skip-link', onclick: (e) => { e.preventDefault(); main.focus(); } },
    'Skip to content');
  fill(root, skip, header, shell, toastEl);

  const conn = new Connection(wsUrl(), {
    onLink: (state, detail) => showLink(state, detail),
    onSignedIn: (user, how) => signedIn(user, how),
  });

  const app = {
    conn,
    me: null,
    addView(spec) {
      views.set(spec.id, { spec, instance: null });
      renderNav();
    },
    addRoomExtension(ext) {
      roomExtensions.push(ext);
    },
    roomExtensions: () => roomExtensions,
    onSignedIn(fn) {
      signedInHandlers.push(fn);
    },
    /* fn() when the session ends on this device: forget what it kept. */
    onSignedOut(fn) {
      signedOutHandlers.push(fn);
    },
    go(id, arg) {
      const hash = `#/${id}${arg !== undefined && arg !== null ? `/${encodeURIComponent(arg)}` : ''}`;
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    toast(text) {
      toastEl.textContent = text;
      toastEl.classList.add('shown');
      clearTimeout(toastEl.timer);
      toastEl.timer = setTimeout(() => toastEl.classList.remove('shown'), 4000);
    },
    /*
     * Returns a function that takes the alert away (e.g. when what it announced
     * is gone). Options: go (the route of an "Open" button), quiet (no browser
     * notification), ownButtons (the content brings its own close button).
     */
    alert(kind, content, { go, quiet = false, ownButtons = false } = {}) {
      const dismiss = showAlert(kind, content, ownButtons ? null : go, ownButtons);
      if (!quiet) notify(kind);
      return dismiss;
    },
    refreshNav: () => renderNav(),
    /* The deployment's crisis resources; readable before signing in too. */
    crisisResources() {
      resources = resources || conn.send('safety.resources', {}, { beforeAuth: true })
        .catch((err) => { resources = null; throw err; });
      return resources;
    },
    presence(handle) {
      return presence.get(handle) || 'offline';
    },
    notePresence(handle, status) {
      presence.set(handle, status);
    },
    /* register and login: keep the token on this device until logout. */
    async signIn(type, fields) {
      const data = await conn.authenticate(type, fields);
      storeToken(data.token);
      return data;
    },
    async logout() {
      try {
        await conn.request('auth.logout');
      } catch {
        /* Offline: forgetting the token here still logs this device out. */
      }
      forgetSession('You have logged out.');
    },
    /* After a password change the server hands this connection a new token. */
    replaceToken(token) {
      conn.token = token;
      storeToken(token);
    },
    /* After account deletion or a revoked session. */
    forgetSession,
    notifications: {
      supported: typeof Notification !== 'undefined',
      enabled: () => notificationsOn(),
      async enable() {
        if (typeof Notification === 'undefined') return false;
        const answer = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
        const on = answer === 'granted';
        try { localStorage.setItem(NOTIFY_KEY, on ? 'on' : 'off'); } catch { /* no storage */ }
        return on;
      },
      disable() {
        try { localStorage.setItem(NOTIFY_KEY, 'off'); } catch { /* no storage */ }
      },
    },
  };

  function notificationsOn() {
    try {
      return typeof Notification !== 'undefined' && Notification.permission === 'granted' &&
        localStorage.getItem(NOTIFY_KEY) === 'on';
    } catch {
      return false;
    }
  }

  function notify(kind) {
    if (!notificationsOn() || (!document.hidden && document.hasFocus())) return;
    try {
      /* The tag folds repeats of one kind into one notification. */
      new Notification('Hearth', { body: NOTIFY_TITLES[kind] || 'Something new in Hearth', tag: `hearth-${kind}` });
    } catch {
      /* Some browsers allow notifications only from a service worker. */
    }
  }

  /* content: a sentence, or nodes (e.g. a list of resources). */
  function showAlert(kind, content, go, ownButtons) {
    const label = typeof content === 'string' ? content : content.textContent;
    const dismiss = ownButtons ? null
      : button('Dismiss', () => item.remove(), { class: 'quiet', 'aria-label': `Dismiss: ${label}` });
    const open = go ? button('Open', () => { item.remove(); app.go(...go); }, { class: 'quiet' }) : null;
    const item = h('div', { class: `alert alert-${kind}`, role: kind === 'support' ? 'alert' : 'status' },
      typeof content === 'string' ? h('p', {}, content) : content,
      ownButtons ? null : h('div', { class: 'row' }, open, dismiss));
    alerts.prepend(item);
    while (alerts.children.length > ALERT_LIMIT) alerts.lastChild.remove();
    return () => item.remove();
  }

  function forgetSession(message) {
    storeToken(null);
    for (const fn of signedOutHandlers) fn();
    conn.close();
    conn.token = null;
    app.me = null;
    presence.clear();
    alerts.replaceChildren();
    for (const [, v] of views) {
      v.instance?.reset?.();
      v.instance = null;
    }
    current = null;
    showSignedOut(message);
    conn.open();
  }

  function showLink(state, detail) {
    root.dataset.link = state;
    if (state === 'signed-out') {
      if (app.me) forgetSession(detail);
      else {
        storeToken(null);
        showSignedOut(detail);
      }
      return;
    }
    if (state === 'up') {
      linkBanner.hidden = true;
      if (wasUp) app.toast('Back online. Catching up on what you missed…');
      wasUp = true;
      return;
    }
    if (!app.me && !conn.token) return;
    if (state === 'down' || (state === 'connecting' && wasUp)) {
      fill(linkBanner, h('span', {}, 'The connection to Hearth dropped. Reconnecting by itself…'), ' ',
        button('Try now', () => conn.retryNow(), { class: 'quiet' }));
      linkBanner.hidden = false;
    }
  }

  function signedIn(user, { resumed }) {
    app.me = user;
    presence.set(user.handle, user.status);
    whoEl.textContent = `Signed in as ${user.handle}`;
    root.classList.add('signed-in');
    renderNav();
    if (!current) route();
    for (const fn of signedInHandlers) {
      try {
        fn({ resumed });
      } catch (err) {
        console.error('a sign-in handler failed', err);
      }
    }
  }

  function showSignedOut(message) {
    root.classList.remove('signed-in');
    whoEl.textContent = '';
    renderNav();
    const spec = views.get('auth')?.spec;
    if (!spec) return;
    authView = authView || spec.create(app);
    fill(main, authView.el);
    authView.show(message);
  }

  conn.on('presence', (ev) => {
    presence.set(ev.handle, ev.status);
    if (app.me && ev.handle === app.me.handle) app.me.status = ev.status;
  });

  function renderNav() {
    const entries = [...views.values()].map((v) => v.spec)
      .filter((s) => s.nav && app.me && (!s.visible || s.visible(app)))
      .sort((a, b) => (a.order || 0) - (b.order || 0));
    fill(navList, entries.map((s) => h('li', {},
      h('a', { href: `#/${s.id}`, 'aria-current': current && current.id === s.id ? 'page' : null }, s.title))));
  }

  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    return { id: parts[0] || 'rooms', arg: parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : undefined };
  }

  function route() {
    if (!app.me) {
      if (!conn.token) showSignedOut();
      return;
    }
    let { id, arg } = parseRoute();
    if (!views.has(id) || id === 'auth') id = 'rooms';
    const entry = views.get(id);
    if (!entry) return;
    if (current && current.id !== id) current.instance.hide?.();
    entry.instance = entry.instance || entry.spec.create(app);
    current = { id, instance: entry.instance };
    if (main.firstChild !== entry.instance.el) fill(main, entry.instance.el);
    document.title = `${entry.spec.title} · Hearth`;
    entry.instance.show(arg);
    renderNav();
  }

  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => conn.retryNow());
  window.addEventListener('offline', () => conn.networkLost());

  app.start = () => {
    conn.token = storedToken();
    if (!conn.token) showSignedOut();
    else fill(main, h('p', { class: 'muted' }, 'Signing you in…'));
    conn.open();
  };
  return app;
}
