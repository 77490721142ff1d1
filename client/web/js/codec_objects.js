/*
 * codec_objects: reading what the server sends. Strict member readers (a
 * member the protocol says is always there must be, with its type), and the
 * objects several messages share (PROTOCOL.md section 5): user, member, room,
 * room event, meeting state, moderation settings, audit entry, report, slot,
 * invite, buddy, ping, preferences, proposal, support request, settings,
 * check-in, plan, card, milestone. Each reader returns the object normalized
 * the way a client reads it: defaults made explicit, members written only
 * when set dropped when unset, stray and unknown members dropped.
 */
import {
  ACCOUNT_ROLES, APPROACHES, CHECKIN_SHARES, CodecError, MEETING_MODES, PING_KINDS, ROOM_KINDS,
  ROOM_ROLES, SANCTION_KINDS, SOBRIETY_SHARES, STATUSES, SUPPORT_STATES, URGENCIES, VISIBILITIES, WEEKDAYS,
  hasOwn, isDay, isLanguage, isObject, isSignName, isStartTime, isTzName, utf8Bytes,
} from './codec_base.js';
import { isInteger, numberValue } from './codec_json.js';

/* ---------------------------------------------------------- readers */

/* A server message this client cannot read: a protocol error on the
 * server's side, reported like the C codec does (invalid_field). */
export function malformed(field) {
  return new CodecError('invalid_field',
    `The server sent a message with a missing or malformed '${field}'.`, { field });
}

const UINT32_MAX = 4294967295;

/* The member as sent; undefined when absent. */
export const member = (o, k) => (hasOwn(o, k) ? o[k] : undefined);
/* Absent and null read alike. */
export const given = (o, k) => member(o, k) !== undefined && member(o, k) !== null;

export function obj(o, k) {
  const v = member(o, k);
  if (!isObject(v)) throw malformed(k);
  return v;
}

export function str(o, k) {
  const v = member(o, k);
  if (typeof v !== 'string') throw malformed(k);
  return v;
}

/* A string, or undefined when absent or null. */
export function optStr(o, k) {
  return given(o, k) ? str(o, k) : undefined;
}

/* A member that is always there: a string, or null. */
export function strOrNull(o, k) {
  return member(o, k) === null ? null : str(o, k);
}

/* A string that holds at least one character. */
export function text(o, k) {
  const v = str(o, k);
  if (v === '') throw malformed(k);
  return v;
}

/* Words written only when said: absent, null and "" are none. */
export function said(o, k) {
  const v = optStr(o, k);
  return v === '' ? undefined : v;
}

export function int(o, k, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  const v = member(o, k);
  if (!isInteger(v) || v < min || v > max) throw malformed(k);
  return v;
}

export const u32 = (o, k) => int(o, k, 0, UINT32_MAX);

/* An integer that reads as `def` when absent or null. */
export function optInt(o, k, min, max, def) {
  return given(o, k) ? int(o, k, min, max) : def;
}

export function bool(o, k) {
  const v = member(o, k);
  if (typeof v !== 'boolean') throw malformed(k);
  return v;
}

export function optBool(o, k) {
  return given(o, k) ? bool(o, k) : false;
}

/* A timestamp that is always there: null, or a positive integer. */
export function timeOrNull(o, k) {
  if (member(o, k) === null) return null;
  return int(o, k, 1);
}

export function oneOf(o, k, words) {
  const v = str(o, k);
  if (!words.includes(v)) throw malformed(k);
  return v;
}

export function day(o, k) {
  const v = member(o, k);
  if (!isDay(v)) throw malformed(k);
  return v;
}

/* An array of strings (handles, crisis resources). */
export function strings(o, k) {
  const a = member(o, k);
  if (!Array.isArray(a) || !a.every((s) => typeof s === 'string')) throw malformed(k);
  return [...a];
}

/* An array of objects, each read by `read`. */
export function list(o, k, read, max = Infinity) {
  const a = member(o, k);
  if (!Array.isArray(a) || a.length > max) throw malformed(k);
  return a.map((item) => {
    if (!isObject(item)) throw malformed(k);
    return read(item);
  });
}

/* An object member read by `read`. */
export function one(o, k, read) {
  return read(obj(o, k));
}

/* Leaves out the members whose value is undefined (written only when set). */
export function compact(o) {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/* ---------------------------------------------------------- objects */

export const user = (o) => ({
  handle: str(o, 'handle'), role: oneOf(o, 'role', ACCOUNT_ROLES), status: oneOf(o, 'status', STATUSES),
});

/* A member object; servers before meetings sent no role: "member". */
export const roomMember = (o) => ({
  handle: str(o, 'handle'),
  status: oneOf(o, 'status', STATUSES),
  role: given(o, 'role') ? oneOf(o, 'role', ROOM_ROLES) : 'member',
});

/* A room object (section 5): the settings older servers did not send read
 * as off; "kind" is written for a conversation only, with its "peer" and how
 * far the peer got (absent from servers before receipts: 0). */
export function room(o) {
  const kind = given(o, 'kind') ? oneOf(o, 'kind', ROOM_KINDS) : 'room';
  const conv = kind !== 'room';
  const peer = conv ? str(o, 'peer') : undefined;
  const peerDelivered = conv ? optInt(o, 'peer_delivered', 0, Number.MAX_SAFE_INTEGER, 0) : undefined;
  const peerSeen = conv ? optInt(o, 'peer_seen', 0, Number.MAX_SAFE_INTEGER, 0) : undefined;
  if (conv && peerSeen > peerDelivered) throw malformed('peer_seen');
  return compact({
    room: str(o, 'room'),
    title: str(o, 'title'),
    topic: str(o, 'topic'),
    visibility: oneOf(o, 'visibility', VISIBILITIES),
    members: u32(o, 'members'),
    present: u32(o, 'present'),
    last_seq: int(o, 'last_seq', 0),
    joined: bool(o, 'joined'),
    meeting: optBool(o, 'meeting'),
    role: given(o, 'role') ? oneOf(o, 'role', ROOM_ROLES) : 'member',
    slow_seconds: optInt(o, 'slow_seconds', 0, UINT32_MAX, 0),
    locked: optBool(o, 'locked'),
    member_limit: optInt(o, 'member_limit', 0, UINT32_MAX, 0),
    newcomer_seconds: optInt(o, 'newcomer_seconds', 0, UINT32_MAX, 0),
    retention_days: optInt(o, 'retention_days', 0, UINT32_MAX, 0),
    ephemeral: optBool(o, 'ephemeral'),
    kind: conv ? kind : undefined,
    peer,
    peer_delivered: peerDelivered,
    peer_seen: peerSeen,
  });
}

export const ROOM_EVENT_TYPES = ['room.message', 'room.joined', 'room.left', 'room.removed'];

/*
 * A room event (section 6.2), live or from history. A hidden message carries
 * only its seq (stray members dropped, whatever their type); a removed one
 * has no text; the flags are written only when true.
 */
export function roomEvent(o) {
  const type = oneOf(o, 'type', ROOM_EVENT_TYPES);
  const head = { type, room: str(o, 'room'), seq: int(o, 'seq', 1), ts: int(o, 'ts') };
  if (type === 'room.removed') return { ...head, target_seq: int(o, 'target_seq', 1) };
  if (type === 'room.message' && optBool(o, 'hidden')) return { ...head, hidden: true };
  const ev = { ...head, handle: str(o, 'handle') };
  if (type === 'room.message') {
    const removed = optBool(o, 'removed');
    const cid = optStr(o, 'cid');
    return compact({ ...ev, removed: removed || undefined, text: removed ? undefined : str(o, 'text'), cid });
  }
  if (type === 'room.left') return compact({ ...ev, by_moderator: optBool(o, 'by_moderator') || undefined });
  return ev;
}

/* The meeting state object: every member always there, but the format text
 * (servers before it was in the state sent none: "", like a null one). */
export const meeting = (o) => ({
  room: str(o, 'room'),
  open: bool(o, 'open'),
  chair: strOrNull(o, 'chair'),
  mode: oneOf(o, 'mode', MEETING_MODES),
  auto: bool(o, 'auto'),
  speaker: strOrNull(o, 'speaker'),
  share_ends_at: timeOrNull(o, 'share_ends_at'),
  share_seconds: u32(o, 'share_seconds'),
  queue: strings(o, 'queue'),
  format: optStr(o, 'format') ?? '',
});

export const modSettings = (o) => ({
  slow_seconds: u32(o, 'slow_seconds'),
  locked: bool(o, 'locked'),
  member_limit: u32(o, 'member_limit'),
  newcomer_seconds: u32(o, 'newcomer_seconds'),
});

/* A mute or ban in force (mod.sanctions): every member always sent; "until"
 * and "actor" null when empty; a kind other than "mute" or "ban" is
 * malformed. */
export function sanction(o) {
  return {
    handle: str(o, 'handle'),
    kind: oneOf(o, 'kind', SANCTION_KINDS),
    ts: int(o, 'ts'),
    until: timeOrNull(o, 'until'),
    reason: str(o, 'reason'),
    actor: strOrNull(o, 'actor'),
  };
}

/* An audit log entry: "room" dropped when null, "seq" kept for a delete only
 * (and read whenever it is sent). */
export function auditEntry(o) {
  const action = str(o, 'action');
  const seq = action === 'delete' || hasOwn(o, 'seq') ? int(o, 'seq', 0) : undefined;
  return compact({
    id: int(o, 'id'),
    ts: int(o, 'ts'),
    room: optStr(o, 'room'),
    actor: str(o, 'actor'),
    action,
    target: strOrNull(o, 'target'),
    reason: str(o, 'reason'),
    seq: action === 'delete' ? seq : undefined,
    until: timeOrNull(o, 'until'),
  });
}

/* A report: "seq" for a message only (a null one dropped), and then with its room. */
export function report(o) {
  const r = {
    id: int(o, 'id', 1),
    ts: int(o, 'ts'),
    reporter: str(o, 'reporter'),
    room: strOrNull(o, 'room'),
    seq: given(o, 'seq') ? int(o, 'seq', 1) : undefined,
    target: str(o, 'target'),
    reason: str(o, 'reason'),
    excerpt: strOrNull(o, 'excerpt'),
    status: str(o, 'status'),
  };
  if (r.seq !== undefined && r.room === null) throw malformed('room');
  return compact(r);
}

/* A schedule slot, every rule checked; its days written in week order. */
export function slot(o) {
  const days = member(o, 'days');
  const ok = Array.isArray(days) && days.length > 0 && days.every((d) => WEEKDAYS.includes(d))
    && new Set(days).size === days.length;
  if (!ok) throw malformed('days');
  if (!isStartTime(member(o, 'start'))) throw malformed('start');
  const minutes = int(o, 'minutes', 5, 720);
  if (!isTzName(member(o, 'tz'))) throw malformed('tz');
  return { days: WEEKDAYS.filter((d) => days.includes(d)), start: o.start, minutes, tz: o.tz };
}

/* A live invite code: the creator, the end and the uses left only when there are some. */
export const invite = (o) => compact({
  code: str(o, 'code'),
  created_by: optStr(o, 'created_by'),
  created_at: int(o, 'created_at'),
  expires_at: given(o, 'expires_at') ? int(o, 'expires_at', 1) : undefined,
  uses_left: given(o, 'uses_left') ? int(o, 'uses_left', 0, 2147483647) : undefined,
});

export const buddy = (o) => ({
  handle: str(o, 'handle'),
  status: oneOf(o, 'status', STATUSES),
  since: int(o, 'since'),
  conversation: str(o, 'conversation'),
});

export const buddyRequest = (o) => ({ handle: str(o, 'handle'), ts: int(o, 'ts') });

/* A ping: its text with kind "text" only; the two times only once they happened. */
export function ping(o) {
  const kind = oneOf(o, 'kind', PING_KINDS);
  return compact({
    id: int(o, 'id', 1),
    from: str(o, 'from'),
    to: str(o, 'to'),
    kind,
    text: kind === 'text' ? str(o, 'text') : undefined,
    ts: int(o, 'ts'),
    delivered_at: given(o, 'delivered_at') ? int(o, 'delivered_at', 1) : undefined,
    seen_at: given(o, 'seen_at') ? int(o, 'seen_at', 1) : undefined,
  });
}

function language(o) {
  if (!isLanguage(member(o, 'language'))) throw malformed('language');
  return o.language;
}

/* Matching preferences: clean_days only when said. */
export const prefs = (o) => compact({
  utc_offset_minutes: int(o, 'utc_offset_minutes', -720, 840),
  language: language(o),
  approach: oneOf(o, 'approach', APPROACHES),
  clean_days: optInt(o, 'clean_days', 0, 36500, undefined),
  want_more_clean_time: bool(o, 'want_more_clean_time'),
});

export const proposal = (o) => ({
  id: int(o, 'id', 1),
  handle: str(o, 'handle'),
  utc_offset_minutes: int(o, 'utc_offset_minutes', -720, 840),
  language: language(o),
  approach: oneOf(o, 'approach', APPROACHES),
  more_clean_time: bool(o, 'more_clean_time'),
  expires_at: int(o, 'expires_at', 1),
});

/* A support request: the note only when there is one; the helper (required)
 * and the conversation only once someone answered, dropped before. */
export function supportRequest(o) {
  const state = oneOf(o, 'state', SUPPORT_STATES);
  const answered = state === 'accepted' || state === 'closed';
  return compact({
    id: int(o, 'id', 1),
    requester: str(o, 'requester'),
    urgency: oneOf(o, 'urgency', URGENCIES),
    note: said(o, 'note'),
    state,
    created_at: int(o, 'created_at'),
    waited_ms: int(o, 'waited_ms', 0),
    helper: answered ? str(o, 'helper') : undefined,
    conversation: answered ? optStr(o, 'conversation') : undefined,
  });
}

export function supportDay(o) {
  const d = {
    day: day(o, 'day'),
    requests: u32(o, 'requests'),
    answered: u32(o, 'answered'),
    median_wait_ms: int(o, 'median_wait_ms', 0),
    worst_wait_ms: int(o, 'worst_wait_ms', 0),
  };
  if (d.answered > d.requests) throw malformed('answered');
  return d;
}

/* The settings object: checkin_room with a "room" share only (required then),
 * milestone_room only when set (null and "" are none), read_receipts on
 * unless said (servers before receipts did not say). */
export function settings(o) {
  if (!isTzName(member(o, 'tz'))) throw malformed('tz');
  const share = oneOf(o, 'checkin_share', CHECKIN_SHARES);
  return compact({
    tz: o.tz,
    checkin_share: share,
    checkin_room: share === 'room' ? text(o, 'checkin_room') : undefined,
    warning_threshold: int(o, 'warning_threshold', 1, 11),
    alert_buddies: bool(o, 'alert_buddies'),
    isolation_nudges: bool(o, 'isolation_nudges'),
    isolation_days: int(o, 'isolation_days', 1, 14),
    meeting_goal: int(o, 'meeting_goal', 0, 21),
    sobriety_share: oneOf(o, 'sobriety_share', SOBRIETY_SHARES),
    milestone_room: said(o, 'milestone_room'),
    read_receipts: given(o, 'read_receipts') ? bool(o, 'read_receipts') : true,
  });
}

/* A check-in's signs: at most 32 different names. */
function signs(o) {
  const a = member(o, 'signs');
  const ok = Array.isArray(a) && a.length <= 32 && a.every(isSignName) && new Set(a).size === a.length;
  if (!ok) throw malformed('signs');
  return [...a];
}

/* A check-in object. `shared` (checkin.feed, checkin.shared): the handle is
 * required and the note, which is never shared, dropped if one strays in. */
export function checkin(o, shared) {
  return compact({
    handle: shared ? str(o, 'handle') : optStr(o, 'handle'),
    day: day(o, 'day'),
    ts: int(o, 'ts'),
    mood: int(o, 'mood', 1, 5),
    craving: optInt(o, 'craving', 0, 10, undefined),
    signs: signs(o),
    grateful: said(o, 'grateful'),
    win: said(o, 'win'),
    note: shared ? undefined : said(o, 'note'),
  });
}

export const ownCheckin = (o) => checkin(o, false);
export const sharedCheckin = (o) => checkin(o, true);

/* checkin.summary's averages: any JSON number in 0..max, to one decimal place. */
export function average(o, k, max) {
  const x = numberValue(member(o, k));
  if (!(x >= 0 && x <= max)) throw malformed(k);
  return Math.floor(x * 10 + 0.5) / 10;
}

export const contact = (o) => compact({ name: text(o, 'name'), phone: text(o, 'phone'), note: said(o, 'note') });

export const card = (o) => ({ contacts: list(o, 'contacts', contact, 20), resources: strings(o, 'resources') });

export function plan(o) {
  const lines = list(o, 'lines', (l) => ({ when: text(l, 'when'), then: text(l, 'then') }), 50);
  const reasons = strings(o, 'reasons');
  if (reasons.length > 50 || reasons.some((r) => r === '')) throw malformed('reasons');
  return { lines, reasons };
}

export const milestone = (o) => ({ key: text(o, 'key'), label: text(o, 'label'), date: day(o, 'date') });

function pastPeriod(o) {
  const p = { from: day(o, 'from'), to: day(o, 'to'), days: u32(o, 'days') };
  if (p.from > p.to) throw malformed('to');
  return p;
}

/* Clean time: without a date nothing is counted (no days, next or reached);
 * a null handle, date, next or history, and an empty history, are dropped. */
export function sobriety(o) {
  const date = given(o, 'date') ? day(o, 'date') : undefined;
  const s = compact({
    handle: optStr(o, 'handle'),
    date,
    days: u32(o, 'days'),
    next: given(o, 'next') ? one(o, 'next', milestone) : undefined,
    reached: list(o, 'reached', milestone),
    history: given(o, 'history') ? list(o, 'history', pastPeriod) : undefined,
  });
  if (date === undefined && (s.days || s.next || s.reached.length)) throw malformed('date');
  if (s.history && !s.history.length) delete s.history;
  return s;
}

/* An export part: at most 262144 bytes of the document. */
export function exportPart(o) {
  const part = {
    export: str(o, 'export'), part: u32(o, 'part'), parts: u32(o, 'parts'), data: str(o, 'data'),
  };
  if (!/^[0-9a-f]{1,64}$/.test(part.export)) throw malformed('export');
  if (part.part >= part.parts) throw malformed('part');
  if (utf8Bytes(part.data) > 262144) throw malformed('data');
  return part;
}
