/*
 * room_state: what the page knows of one room or conversation, kept by the
 * ordering rules of PROTOCOL.md section 8: `last` per room, duplicates
 * dropped, gaps repaired with room.history after=last, holes left by
 * retention accepted, and messages not yet confirmed kept by cid so they can
 * be sent again after a reconnect.
 */

const PAGE = 50;

export class RoomState {
  constructor(conn, name) {
    this.conn = conn;
    this.name = name;
    this.room = null;             /* the room object, kept current */
    this.members = new Map();     /* handle -> member object */
    this.events = new Map();      /* seq -> room event */
    this.last = 0;
    this.oldest = Infinity;       /* smallest seq held */
    this.olderDone = false;       /* no older page to fetch */
    this.holesBefore = new Set(); /* seqs with erased events right before them */
    this.acceptNext = false;      /* after a truncated catch-up: the next live event is applied whatever its seq */
    this.pending = new Map();     /* cid -> {text, waiting} for own messages not yet seen back */
    this.opened = false;
    this.catchingUp = null;
    this.listeners = new Set();
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed(what) {
    for (const fn of this.listeners) fn(what);
  }

  /* Applies one room event by its seq; returns false when it is a gap. */
  apply(ev, { truncated = false } = {}) {
    if (ev.seq <= this.last) return true;
    if (ev.seq !== this.last + 1 && !truncated && !this.acceptNext && this.last !== 0) return false;
    if (ev.seq !== this.last + 1 && this.last !== 0) this.holesBefore.add(ev.seq);
    this.acceptNext = false;
    this.store(ev);
    this.last = ev.seq;
    return true;
  }

  store(ev) {
    this.events.set(ev.seq, ev);
    this.oldest = Math.min(this.oldest, ev.seq);
    if (ev.type === 'room.removed') {
      const target = this.events.get(ev.target_seq);
      if (target) {
        delete target.text;
        target.removed = true;
      }
    }
    if (ev.type === 'room.message' && ev.cid) this.pending.delete(ev.cid);
    if (ev.type === 'room.joined' && !this.members.has(ev.handle))
      this.members.set(ev.handle, { handle: ev.handle, status: 'available', role: 'member' });
    if (ev.type === 'room.left') this.members.delete(ev.handle);
  }

  /* A live event: applied, or the gap before it repaired first. */
  async live(ev) {
    if (!this.opened) return;
    if (!this.apply(ev)) await this.catchUp();
    this.changed('events');
  }

  /* Pages forward from `last` until the room's newest event (resume, gap repair). */
  catchUp() {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = (async () => {
      try {
        for (;;) {
          const page = await this.conn.request('room.history', { room: this.name, after: this.last, limit: PAGE });
          for (const ev of page.events) this.apply(ev, { truncated: page.truncated });
          if (!page.has_more) {
            if (page.truncated) this.acceptNext = true;
            break;
          }
        }
      } finally {
        this.catchingUp = null;
      }
      this.changed('events');
    })();
    return this.catchingUp;
  }

  /* The newest page, when the room is first opened. */
  async loadRecent() {
    const page = await this.conn.request('room.history', { room: this.name, limit: PAGE });
    for (const ev of page.events) this.store(ev);
    if (page.events.length) this.last = Math.max(this.last, page.events[page.events.length - 1].seq);
    else this.last = this.room.last_seq;
    if (page.truncated && page.events.length) this.holesBefore.add(page.events[0].seq);
    this.olderDone = !page.has_more;
    this.opened = true;
  }

  /* The page before the oldest event held (scrolling up). */
  async loadOlder() {
    if (this.olderDone || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const before = this.oldest === Infinity ? this.last + 1 : this.oldest;
      const page = await this.conn.request('room.history', { room: this.name, before, limit: PAGE });
      for (const ev of page.events) this.store(ev);
      if (page.truncated) this.holesBefore.add(page.events.length ? page.events[0].seq : before);
      this.olderDone = !page.has_more;
    } finally {
      this.loadingOlder = false;
    }
    this.changed('older');
  }

  /* Sends (or sends again, after a reconnect) a message under its cid. */
  async send(cid, text) {
    this.pending.set(cid, { text, waiting: false });
    this.changed('pending');
    try {
      await this.conn.request('room.send', { room: this.name, text, cid });
    } catch (err) {
      /* Offline: kept, and sent again with the same cid after the resume.
       * Refused (muted, slow mode...): not stored, so it goes back to the
       * composer as a draft. */
      if (err.code === 'offline') this.pending.get(cid).waiting = true;
      else this.pending.delete(cid);
      this.changed('pending');
      throw err;
    }
  }

  resendPending() {
    for (const [cid, entry] of this.pending) this.send(cid, entry.text).catch(() => {});
  }

  /* Events in seq order, for display. */
  ordered() {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }
}

/*
 * What this device last showed of each room, for the "new" marks in the room
 * list. Kept in localStorage: room names and numbers only, never words.
 */
const SHOWN_KEY = 'hearth.shown';

function shownMarks() {
  try {
    return JSON.parse(localStorage.getItem(SHOWN_KEY) || '{}');
  } catch {
    return {};
  }
}

export function rememberShown(name, seq) {
  const marks = shownMarks();
  if ((marks[name] || 0) >= seq) return;
  marks[name] = seq;
  try {
    localStorage.setItem(SHOWN_KEY, JSON.stringify(marks));
  } catch {
    /* no storage: the marks last as long as the page */
  }
}

/* The newest seq this device showed of the room, or null when it never showed it. */
export function lastShown(name) {
  const seq = shownMarks()[name];
  return typeof seq === 'number' ? seq : null;
}

export function forgetShown() {
  try {
    localStorage.removeItem(SHOWN_KEY);
  } catch {
    /* nothing kept */
  }
}
