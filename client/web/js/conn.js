/*
 * conn: the one WebSocket to hearthd's /ws (PROTOCOL.md sections 1-11).
 *
 * - request(type, fields) gives a Promise of the result's data; replies are
 *   matched by id, never by order.
 * - Events are handed out by type to whoever subscribed with on().
 * - Requests go through a token bucket sized from hello's limits, so a busy
 *   screen queues its own requests instead of hitting rate_limited.
 * - When the link drops it reconnects by itself (backoff 0.25 s doubling to
 *   15 s, with jitter) and resumes with the token before anything else is
 *   sent. Close 4002 (session over) never reconnects.
 */
import { checkRequest, decodeFrame, encodeRequest, SUBPROTOCOL } from './codec.js';

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 15000;
const CLOSE_SESSION_REVOKED = 4002;
const CLOSE_NORMAL = 1000;

/* An error reply from the server, or the link failing under a request. */
export class RequestError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    this.retryAfterMs = extra.retry_after_ms;
    this.field = extra.field || null;
  }
}

const OFFLINE_MESSAGE = 'You are offline right now. Hearth is reconnecting; please try again in a moment.';

export class Connection {
  /*
   * url: the ws(s) URL of /ws. Callbacks:
   *   onLink(state, detail): 'connecting' | 'up' | 'down' | 'signed-out'
   *   onSignedIn(user, {resumed}): after auth succeeded (a resume after a reconnect too)
   */
  constructor(url, { onLink = () => {}, onSignedIn = () => {} } = {}) {
    this.url = url;
    this.onLink = onLink;
    this.onSignedIn = onSignedIn;
    this.limits = { max_frame_bytes: 65536, max_text_chars: 4000, history_page_max: 100, rate_per_sec: 10, rate_burst: 20 };
    this.token = null;
    this.ws = null;
    this.authed = false;
    this.nextId = 1;
    this.pending = new Map();       /* id -> {type, resolve, reject} */
    this.listeners = new Map();     /* type -> Set(fn) */
    this.queue = [];                /* frames waiting for a rate token */
    this.tokens = this.limits.rate_burst;
    this.lastRefill = Date.now();
    this.backoff = BACKOFF_FIRST_MS;
    this.reconnectTimer = null;
    this.pumpTimer = null;
    this.stopped = false;
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, msg) {
    for (const key of [type, '*']) {
      for (const fn of this.listeners.get(key) || []) {
        try {
          fn(msg);
        } catch (err) {
          console.error(`listener for ${type} failed`, err);
        }
      }
    }
  }

  /* Opens the socket (again). With a token, resumes as soon as it is open. */
  open() {
    this.stopped = false;
    clearTimeout(this.reconnectTimer);
    this.onLink('connecting');
    const ws = new WebSocket(this.url, SUBPROTOCOL);
    this.ws = ws;
    ws.onopen = () => {
      this.backoff = BACKOFF_FIRST_MS;
      if (this.token) this.resume();
      else this.onLink('open');
      this.pump();
    };
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closed(ws, ev.code);
  }

  /* Ends the link for good (after logout, or when the page goes away). */
  close() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    if (this.ws) this.ws.close(CLOSE_NORMAL);
  }

  async resume() {
    try {
      const data = await this.send('auth.resume', { token: this.token }, { beforeAuth: true });
      this.signedIn(data.user, true);
    } catch (err) {
      if (err.code === 'token_invalid' || err.code === 'suspended') this.signOut(err.message);
      /* Otherwise the link dropped again: closed() reconnects. */
    }
  }

  signedIn(user, resumed) {
    this.authed = true;
    this.onLink('up');
    this.onSignedIn(user, { resumed });
    this.pump();
  }

  /* The session is over (token refused, revoked, logged out elsewhere). */
  signOut(message) {
    this.token = null;
    this.authed = false;
    this.onLink('signed-out', message);
  }

  /* register/login: the caller keeps the token it returns. */
  async authenticate(type, fields) {
    const data = await this.send(type, fields, { beforeAuth: true });
    this.token = data.token;
    this.signedIn(data.user, false);
    return data;
  }

  /* A request from the app: refused at once while the link is down. */
  request(type, fields = {}) {
    if (!this.authed || !this.ws || this.ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new RequestError('offline', OFFLINE_MESSAGE));
    return this.send(type, fields);
  }

  /* Checks the request with the codec (a broken one never leaves the page), queues it. */
  send(type, fields, { beforeAuth = false } = {}) {
    const id = String(this.nextId++);
    let text;
    try {
      text = encodeRequest({ type, id, ...fields });
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { type, resolve, reject });
      this.queue[beforeAuth ? 'unshift' : 'push']({ id, text, beforeAuth });
      this.pump();
    });
  }

  /* Sends queued frames while the rate bucket has tokens. */
  pump() {
    clearTimeout(this.pumpTimer);
    const now = Date.now();
    const rate = this.limits.rate_per_sec || 10;
    this.tokens = Math.min(this.limits.rate_burst || 20, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    while (this.queue.length && this.ws && this.ws.readyState === WebSocket.OPEN) {
      const next = this.queue[0];
      if (!next.beforeAuth && !this.authed) break;
      if (this.tokens < 1) {
        this.pumpTimer = setTimeout(() => this.pump(), Math.ceil(1000 / rate));
        break;
      }
      this.tokens -= 1;
      this.queue.shift();
      this.ws.send(next.text);
    }
  }

  receive(text) {
    let messages;
    try {
      messages = decodeFrame(text, (id) => this.pending.get(id)?.type);
    } catch (err) {
      console.error('a frame from the server could not be read', err);
      return;
    }
    for (const msg of messages) this.dispatch(msg);
  }

  dispatch(msg) {
    if (msg.type === 'result' || msg.type === 'error') {
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      this.pending.delete(msg.id);
      if (msg.type === 'result') waiting.resolve(msg.data);
      else waiting.reject(new RequestError(msg.code, msg.message, msg));
      return;
    }
    if (msg.type === 'hello') {
      Object.assign(this.limits, msg.limits);
      this.tokens = Math.min(this.tokens, this.limits.rate_burst);
    }
    if (msg.type === 'session.revoked') this.signOut(revokedSentence(msg.reason));
    this.emit(msg.type, msg);
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.authed = false;
    this.queue = [];
    for (const [, waiting] of this.pending)
      waiting.reject(new RequestError('offline', 'The link dropped before the server answered.'));
    this.pending.clear();
    if (code === CLOSE_SESSION_REVOKED) {
      if (this.token) this.signOut(revokedSentence(null));
      return;
    }
    if (this.stopped) return;
    this.onLink('down');
    const wait = Math.min(this.backoff, BACKOFF_MAX_MS) * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => this.open(), wait);
  }

  /* The browser says the network is gone: a socket could hang for minutes
   * before TCP notices, so treat the link as lost now and say so. */
  networkLost() {
    const ws = this.ws;
    if (!ws) return;
    ws.close();
    this.closed(ws, 1006);
  }

  /* Reconnects now (a "try again" button, or the browser saying it is online). */
  retryNow() {
    if (this.ws || this.stopped) return;
    this.backoff = BACKOFF_FIRST_MS;
    this.open();
  }
}

function revokedSentence(reason) {
  switch (reason) {
    case 'logout': return 'You logged out on another tab or device. Please log in again.';
    case 'password_changed': return 'Your password was changed, so please log in again with the new one.';
    case 'suspended': return 'This account is suspended.';
    case 'account_deleted': return 'This account has been deleted.';
    default: return 'Your session has ended; please log in again.';
  }
}

/* Re-exported so views can check a request before they show it as sent. */
export { checkRequest };
