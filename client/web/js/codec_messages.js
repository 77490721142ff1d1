/*
 * codec_messages: the messages a server frame carries (PROTOCOL.md sections
 * 4, 6 and 7): results, whose `data` is read by the request type it answers;
 * errors; and events. Each is returned normalized (codec_objects.js says
 * how); a message type this client does not know is skipped, so an older
 * client keeps working against a newer server.
 */
import {
  CodecError, ERROR_CODES, ROOM_ROLES, STATUSES, hasOwn, isConversationName, isObject, isSignName,
} from './codec_base.js';
import { plainJson } from './codec_json.js';
import {
  ROOM_EVENT_TYPES, auditEntry, average, bool, buddy, buddyRequest, card, compact, day,
  exportPart, given, int, invite, list, malformed, meeting, member, milestone, modSettings, one,
  oneOf, optBool, optStr, ownCheckin, ping, plan, prefs, proposal, report, room, roomEvent,
  roomMember, said, sanction, settings, sharedCheckin, slot, sobriety, str, strOrNull, strings,
  supportDay, supportRequest, text, timeOrNull, u32, user,
} from './codec_objects.js';

/* ----------------------------------------------------------- results */

/* Requests whose result is {}: whatever a server puts in it means nothing. */
const NO_DATA = new Set([
  'account.delete', 'auth.logout', 'room.leave', 'room.role', 'mod.mute', 'mod.unmute',
  'mod.remove', 'mod.ban', 'mod.unban', 'mod.delete', 'mod.suspend', 'mod.unsuspend', 'block.add',
  'block.remove', 'report.resolve', 'room.invite_revoke', 'buddy.request', 'buddy.decline',
  'buddy.cancel', 'buddy.end', 'buddy.ping_seen', 'match.join', 'match.leave', 'match.accept',
  'match.decline', 'support.cancel', 'support.close', 'support.handback',
]);

const auth = (d) => ({ user: one(d, 'user', user), token: str(d, 'token') });
const meetingResult = (d) => ({ meeting: one(d, 'meeting', meeting) });
const withSettings = (d) => ({ settings: one(d, 'settings', settings) });
const withCard = (d) => ({ card: one(d, 'card', card) });
const withPlan = (d) => ({ plan: one(d, 'plan', plan) });
const withSobriety = (d) => ({ sobriety: one(d, 'sobriety', sobriety) });

const attendanceWeek = (o) => ({ week: day(o, 'week'), meetings: u32(o, 'meetings'), minutes: u32(o, 'minutes') });

const upcoming = (o) => ({
  room: str(o, 'room'),
  title: str(o, 'title'),
  starts_at: int(o, 'starts_at'),
  ends_at: int(o, 'ends_at'),
  tz: str(o, 'tz'),
  open: bool(o, 'open'),
});

/* match.status: the preferences in the pool only (dropped out of it); a
 * proposal when one waits (a null one is none). */
function matchStatus(d) {
  const inPool = bool(d, 'in_pool');
  return compact({
    in_pool: inPool,
    prefs: inPool ? one(d, 'prefs', prefs) : undefined,
    proposal: given(d, 'proposal') ? one(d, 'proposal', proposal) : undefined,
  });
}

/* support.ask: the crisis resources always with a crisis (even []), and
 * beside another urgency only when some are given. */
function asked(d) {
  const request = one(d, 'request', supportRequest);
  const crisis = request.urgency === 'crisis';
  if (!crisis && !given(d, 'resources')) return { request };
  const resources = strings(d, 'resources');
  return crisis || resources.length ? { request, resources } : { request };
}

/* An offer: the support.offer event's members (support.status lists them too). */
const supportOffer = (o) => ({ request: one(o, 'request', supportRequest), as: str(o, 'as') });

/* support.accept: the request as its helper sees it, conversation included. */
function accepted(d) {
  const request = one(d, 'request', supportRequest);
  if (request.conversation === undefined) throw malformed('conversation');
  return { request };
}

/* checkin.submit: the plan and the card come with a warning, and only then. */
function submitted(d) {
  const updated = bool(d, 'updated');
  const streak = u32(d, 'streak');
  const warning = bool(d, 'warning');
  return compact({
    checkin: one(d, 'checkin', ownCheckin),
    updated,
    streak,
    warning,
    plan: warning ? one(d, 'plan', plan) : undefined,
    card: warning ? one(d, 'card', card) : undefined,
  });
}

/* A summary period: the craving's average only when some check-in said one. */
const period = (o) => compact({
  start: day(o, 'start'),
  checkins: u32(o, 'checkins'),
  avg_mood: average(o, 'avg_mood', 5),
  avg_craving: given(o, 'avg_craving') ? average(o, 'avg_craving', 10) : undefined,
  meetings: u32(o, 'meetings'),
});

function summary(d) {
  const counts = {
    streak: u32(d, 'streak'),
    longest: u32(d, 'longest'),
    goal: u32(d, 'goal'),
    meetings_this_week: u32(d, 'meetings_this_week'),
  };
  return { periods: list(d, 'periods', period), ...counts };
}

/* A journal day has its gratitude, its win, or both. */
function journalEntry(o) {
  const e = compact({ day: day(o, 'day'), grateful: said(o, 'grateful'), win: said(o, 'win') });
  if (e.grateful === undefined && e.win === undefined) throw malformed('grateful');
  return e;
}

function sign(o) {
  if (!isSignName(member(o, 'name'))) throw malformed('name');
  return { name: o.name, label: text(o, 'label') };
}

const RESULTS = Object.freeze({
  'auth.register': auth,
  'auth.login': auth,
  'auth.resume': (d) => ({ user: one(d, 'user', user) }),
  'auth.password': (d) => ({ token: str(d, 'token') }),
  'presence.set': (d) => ({ status: oneOf(d, 'status', STATUSES) }),
  'room.list': (d) => ({ rooms: list(d, 'rooms', room) }),
  'room.create': (d) => ({ room: one(d, 'room', room) }),
  'room.join': (d) => ({ room: one(d, 'room', room), members: list(d, 'members', roomMember) }),
  'room.send': (d) => ({ seq: int(d, 'seq', 0), ts: int(d, 'ts'), duplicate: bool(d, 'duplicate') }),
  'room.history': (d) => ({
    events: list(d, 'events', roomEvent), has_more: bool(d, 'has_more'), truncated: bool(d, 'truncated'),
  }),
  'room.members': (d) => ({ members: list(d, 'members', roomMember) }),
  'room.read': (d) => ({ seen: int(d, 'seen', 0) }),
  'room.invite': (d) => ({ code: str(d, 'code'), expires_at: int(d, 'expires_at') }),
  ping: (d) => ({ ts: int(d, 'ts') }),
  'room.configure': (d) => ({ room: one(d, 'room', room) }),
  'meeting.chair': meetingResult,
  'meeting.open': meetingResult,
  'meeting.close': meetingResult,
  'meeting.hand': meetingResult,
  'meeting.floor': meetingResult,
  'meeting.done': meetingResult,
  'meeting.mode': meetingResult,
  'meeting.state': meetingResult,
  'mod.settings': (d) => ({ settings: one(d, 'settings', modSettings) }),
  'mod.log': (d) => ({ entries: list(d, 'entries', auditEntry), has_more: bool(d, 'has_more') }),
  'mod.sanctions': (d) => ({ sanctions: list(d, 'sanctions', sanction) }),
  'block.list': (d) => ({ handles: strings(d, 'handles') }),
  'report.create': (d) => ({ id: int(d, 'id', 1) }),
  'report.list': (d) => ({ reports: list(d, 'reports', report) }),
  'safety.resources': (d) => ({ resources: strings(d, 'resources'), notice: str(d, 'notice') }),
  'meeting.attendance': (d) => ({ weeks: list(d, 'weeks', attendanceWeek) }),
  'meeting.schedule': (d) => ({ room: str(d, 'room'), slots: list(d, 'slots', slot) }),
  'meeting.upcoming': (d) => ({ meetings: list(d, 'meetings', upcoming) }),
  'room.invites': (d) => ({ invites: list(d, 'invites', invite) }),
  'buddy.accept': (d) => ({ buddy: one(d, 'buddy', buddy) }),
  'buddy.list': (d) => ({
    buddies: list(d, 'buddies', buddy),
    incoming: list(d, 'incoming', buddyRequest),
    outgoing: list(d, 'outgoing', buddyRequest),
    limit: u32(d, 'limit'),
  }),
  // "duplicate" is written only when true.
  'buddy.ping': (d) => compact({ ping: one(d, 'ping', ping), duplicate: optBool(d, 'duplicate') || undefined }),
  'buddy.pings': (d) => ({ pings: list(d, 'pings', ping) }),
  'match.status': matchStatus,
  'support.ask': asked,
  'support.accept': accepted,
  'support.available': (d) => ({ on: bool(d, 'on') }),
  'support.queue': (d) => ({ requests: list(d, 'requests', supportRequest) }),
  'support.status': (d) => compact({
    mine: given(d, 'mine') ? one(d, 'mine', supportRequest) : undefined,
    helping: list(d, 'helping', supportRequest),
    /* servers before these two sent neither: off duty, nothing offered */
    available: optBool(d, 'available'),
    offers: given(d, 'offers') ? list(d, 'offers', supportOffer) : [],
  }),
  'support.stats': (d) => ({ days: list(d, 'days', supportDay) }),
  'settings.get': withSettings,
  'settings.set': withSettings,
  'checkin.submit': submitted,
  'checkin.list': (d) => ({ checkins: list(d, 'checkins', ownCheckin) }),
  'checkin.feed': (d) => ({ checkins: list(d, 'checkins', sharedCheckin) }),
  'checkin.summary': summary,
  'checkin.journal': (d) => ({ entries: list(d, 'entries', journalEntry) }),
  'checkin.signs': (d) => ({ signs: list(d, 'signs', sign) }),
  'card.get': withCard,
  'card.set': withCard,
  'plan.get': withPlan,
  'plan.set': withPlan,
  'sobriety.get': withSobriety,
  'sobriety.set': withSobriety,
  'account.export': exportPart,
});

/* The normalized `data` of a result that answers a request of `requestType`. */
export function decodeResult(requestType, data) {
  if (!hasOwn(RESULTS, requestType) && !NO_DATA.has(requestType)) {
    throw new CodecError('unknown_type', `There is no request type '${requestType}' to read a result for.`);
  }
  if (!isObject(data)) throw malformed('data');
  return NO_DATA.has(requestType) ? {} : RESULTS[requestType](data);
}

/* ------------------------------------------------------------ events */

/* support.update's crisis resources: always with nobody_yet (even []), else
 * only beside a crisis and when some are given; a stray list is ignored. */
function updateResources(o, request) {
  if (request.state === 'nobody_yet') return strings(o, 'resources');
  if (request.urgency !== 'crisis' || !given(o, 'resources')) return undefined;
  const resources = strings(o, 'resources');
  return resources.length ? resources : undefined;
}

/* support.update: thanks with closed only; by when said. */
function supportUpdate(o) {
  const request = one(o, 'request', supportRequest);
  return compact({
    request,
    resources: updateResources(o, request),
    thanks: request.state === 'closed' ? optStr(o, 'thanks') : undefined,
    by: optStr(o, 'by'),
  });
}

/* "paired" carries the buddy object's members; any other state only the handle. */
function buddyUpdate(o) {
  const state = str(o, 'state');
  return state === 'paired' ? { state, ...buddy(o) } : { state, handle: str(o, 'handle') };
}

/* room.receipt: about a conversation only; what was seen was delivered first. */
function roomReceipt(o) {
  const room = str(o, 'room');
  if (!isConversationName(room)) throw malformed('room');
  const r = { room, handle: str(o, 'handle'), delivered: int(o, 'delivered', 0), seen: int(o, 'seen', 0) };
  if (r.seen > r.delivered) throw malformed('seen');
  return r;
}

const limits = (o) => ({
  max_frame_bytes: u32(o, 'max_frame_bytes'),
  max_text_chars: u32(o, 'max_text_chars'),
  history_page_max: u32(o, 'history_page_max'),
  rate_per_sec: u32(o, 'rate_per_sec'),
  rate_burst: u32(o, 'rate_burst'),
  auth_timeout_ms: u32(o, 'auth_timeout_ms'),
});

/* Each event's members, beside its "type". */
const EVENTS = Object.freeze({
  hello: (o) => ({ protocol: u32(o, 'protocol'), server: str(o, 'server'), limits: one(o, 'limits', limits) }),
  presence: (o) => ({ handle: str(o, 'handle'), status: oneOf(o, 'status', STATUSES) }),
  'session.revoked': (o) => ({ reason: str(o, 'reason') }),
  'meeting.state': (o) => ({ meeting: one(o, 'meeting', meeting) }),
  'meeting.opened': (o) => ({ room: str(o, 'room'), chair: strOrNull(o, 'chair'), format: str(o, 'format') }),
  'meeting.warning': (o) => ({ room: str(o, 'room'), handle: str(o, 'handle'), seconds_left: u32(o, 'seconds_left') }),
  'room.role': (o) => ({ room: str(o, 'room'), handle: str(o, 'handle'), role: oneOf(o, 'role', ROOM_ROLES) }),
  moderated: (o) => ({
    room: strOrNull(o, 'room'), action: str(o, 'action'), until: timeOrNull(o, 'until'), reason: str(o, 'reason'),
  }),
  'room.settings': (o) => ({ room: str(o, 'room'), settings: one(o, 'settings', modSettings) }),
  'report.new': (o) => ({ report: one(o, 'report', report) }),
  'report.handled': (o) => ({ id: int(o, 'id', 1), outcome: str(o, 'outcome') }),
  // A notice is about the person, not a message: a stray room or seq is dropped.
  'safety.notice': (o) => ({ text: str(o, 'text'), resources: strings(o, 'resources') }),
  'safety.check_in': (o) => ({
    text: str(o, 'text'), resources: strings(o, 'resources'), room: str(o, 'room'), seq: int(o, 'seq', 1),
  }),
  'safety.alert': (o) => ({ room: str(o, 'room'), handle: str(o, 'handle'), seq: int(o, 'seq', 1) }),
  'buddy.request': buddyRequest,
  'buddy.update': buddyUpdate,
  'buddy.ping': (o) => ({ ping: one(o, 'ping', ping) }),
  'buddy.ping_status': (o) => ({
    id: int(o, 'id', 1), to: str(o, 'to'), state: str(o, 'state'), at: int(o, 'at'),
  }),
  'match.proposal': proposal,
  'match.update': (o) => ({ id: int(o, 'id', 1), state: str(o, 'state') }),
  'support.offer': supportOffer,
  'support.gone': (o) => ({ id: int(o, 'id', 1), reason: str(o, 'reason') }),
  'support.update': supportUpdate,
  'checkin.shared': (o) => ({ checkin: one(o, 'checkin', sharedCheckin) }),
  'checkin.alert': (o) => ({ handle: str(o, 'handle'), day: day(o, 'day'), signs: int(o, 'signs', 1, 4294967295) }),
  'checkin.nudge': (o) => ({ handle: str(o, 'handle'), days: int(o, 'days', 1, 4294967295) }),
  'checkin.reminder': (o) => ({ days: int(o, 'days', 1, 4294967295) }),
  milestone: (o) => ({ handle: str(o, 'handle'), milestone: one(o, 'milestone', milestone), days: u32(o, 'days') }),
  'room.receipt': roomReceipt,
});

/* ----------------------------------------------------------- messages */

/* An error reply: its id is null when the request's id was unreadable ("" is
 * no id either); a code this client does not know reads as "internal", as
 * section 9 asks; retry_after_ms only with the codes that carry it. */
function errorReply(o) {
  const id = member(o, 'id');
  if (id !== null && typeof id !== 'string') throw malformed('id');
  const code = str(o, 'code');
  return compact({
    type: 'error',
    id: id || null,
    code: ERROR_CODES.includes(code) ? code : 'internal',
    message: str(o, 'message'),
    retry_after_ms: hasOwn(o, 'retry_after_ms') ? int(o, 'retry_after_ms', 0) : undefined,
  });
}

/* A result: its data is read afterwards, for the request it answers (decodeResult). */
function resultReply(o) {
  const id = str(o, 'id');
  const data = member(o, 'data');
  if (!isObject(data)) throw malformed('data');
  return { type: 'result', id, data };
}

/*
 * One message of a frame, normalized, except a result's data, which needs the
 * request it answers; undefined for a type to skip. Not an object, or no
 * string "type": bad_json, as the server's own reader says.
 */
export function readMessage(o) {
  if (!isObject(o) || typeof member(o, 'type') !== 'string') {
    throw new CodecError('bad_json', 'Every message from the server must be a JSON object with a "type".');
  }
  const { type } = o;
  if (type === 'result') return resultReply(o);
  if (type === 'error') return errorReply(o);
  if (ROOM_EVENT_TYPES.includes(type)) return roomEvent(o);
  if (hasOwn(EVENTS, type)) return { type, ...EVENTS[type](o) };
  return undefined;
}

/* A result's data for the request `requestType` it answers; kept as sent
 * (numbers made plain) when the request is not known. */
export function resultData(msg, requestType) {
  if (requestType === undefined || requestType === null) return plainJson(msg.data);
  try {
    return decodeResult(requestType, msg.data);
  } catch (e) {
    // The id lets a caller fail the request this reply was for.
    if (e instanceof CodecError && e.id === null) e.id = msg.id;
    throw e;
  }
}
