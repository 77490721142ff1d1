/*
 * codec_requests: every request of PROTOCOL.md section 5, checked the way the
 * server decodes it (section 4.1: the members in the order of each table, the
 * first failure reported with the server's error code and a sentence naming
 * the field) and normalized the way the server reads it: names folded,
 * defaults made explicit, null optional members and unknown members dropped.
 *
 * Each request type is a list of rules; a rule reads one member (or checks
 * several together) and writes what the server would read into the output.
 */
import {
  APPROACHES, CHECKIN_SHARES, CodecError, MEETING_MODES, PING_KINDS, SOBRIETY_SHARES,
  URGENCIES, VISIBILITIES, WEEKDAYS, codePoints, foldName, hasOwn, isConversationName, isDay,
  isExportId, isLanguage, isObject, isSignName, isStartTime, isTzName, orList, utf8Bytes,
} from './codec_base.js';
import { isInteger } from './codec_json.js';

/* ------------------------------------------------------------ reader */

/* One object being checked: the request itself, or an item of one of its
 * arrays (`where` is then "slot 2", "contact 1", ... for the sentences). */
class Fields {
  constructor(obj, id, where = '') {
    this.obj = obj;
    this.id = id;
    this.where = where;
    this.out = {};
  }

  /* A member as given: absent, undefined and null all read as not given. */
  get(key) {
    const v = hasOwn(this.obj, key) ? this.obj[key] : undefined;
    return v === null ? undefined : v;
  }

  given(key) {
    return this.get(key) !== undefined;
  }

  fail(field, message, code = 'invalid_field') {
    const text = this.where ? message.replace(/\.$/, ` (${this.where}).`) : message;
    throw new CodecError(code, text, { field, id: this.id });
  }

  put(key, value) {
    if (value !== undefined) this.out[key] = value;
  }
}

/* ------------------------------------------------ member readers */

/* A string member: undefined when an optional one is not given. */
function readString(f, key, required) {
  const v = f.get(key);
  if (v === undefined) {
    if (required) f.fail(key, `Field '${key}' is required.`);
    return undefined;
  }
  if (typeof v !== 'string') f.fail(key, `Field '${key}' must be a string.`);
  return v;
}

/* A string of min..max UTF-8 bytes (passwords, ids, codes). */
function bytes(key, min, max, { optional = false, code = 'invalid_field', msg } = {}) {
  return (f) => {
    const v = readString(f, key, !optional);
    if (v === undefined) return;
    const n = utf8Bytes(v);
    if (n < min || n > max) f.fail(key, msg ?? `Field '${key}' must be between ${min} and ${max} bytes.`, code);
    f.put(key, v);
  };
}

/* A string of min..max code points; `tooLong` is the code for more than max
 * (text_too_long for messages, invalid_field for titles and reasons); `def`
 * is written when it is not given, and with `drop` "" is not written. */
function chars(key, min, max, { optional = false, tooLong = 'invalid_field', def, drop } = {}) {
  return (f) => {
    const v = readString(f, key, !optional);
    if (v === undefined) {
      f.put(key, def);
      return;
    }
    const n = codePoints(v);
    const text = min > 0 ? `Field '${key}' must be between ${min} and ${max} characters.`
      : `Field '${key}' must be at most ${max} characters.`;
    if (n < min) f.fail(key, text);
    if (n > max) f.fail(key, text, tooLong);
    if (!(drop && v === '')) f.put(key, v);
  };
}

/* Free words that may be left out (a note, thanks, a check-in's words): at
 * most `max` code points, more is text_too_long, and "" is none. */
function words(key, max) {
  return chars(key, 0, max, { optional: true, tooLong: 'text_too_long', drop: true });
}

const NAME_MSG = (key) => `Field '${key}' must be 3 to 32 characters of a-z, 0-9, '_' or '-'.`;

/* A handle or room name, folded (section 2). `lenient` (auth.login) lets a
 * malformed one through as it is: the server answers it like a wrong password. */
function readName(f, key, { optional = false, lenient = false } = {}) {
  const v = readString(f, key, !optional);
  if (v === undefined) return undefined;
  const folded = foldName(v);
  if (folded === null && !lenient) f.fail(key, NAME_MSG(key));
  return folded ?? v;
}

function name(key, opts) {
  return (f) => f.put(key, readName(f, key, opts));
}

const CONVERSATION_MSG = "Field 'room' must be a room name, or a conversation's name: "
  + '"~" and 8 to 31 of a-z or 0-9 (lowercase).';

/* The `room` member: a room name (folded) or a private conversation's name
 * (section 20.1), which is never folded, so one with capitals is refused. */
function room({ optional = false } = {}) {
  return (f) => {
    const v = f.get('room');
    if (typeof v === 'string' && v.startsWith('~')) {
      if (!isConversationName(v)) f.fail('room', CONVERSATION_MSG);
      f.put('room', v);
      return;
    }
    f.put('room', readName(f, 'room', { optional }));
  };
}

/* An integer of min..max; `def` is written when it is not given. */
function integer(key, min, max, { required = false, def, msg } = {}) {
  return (f) => {
    const v = f.get(key);
    if (v === undefined) {
      if (required) f.fail(key, `Field '${key}' is required.`);
      f.put(key, def);
      return;
    }
    if (!isInteger(v) || v < min || v > max) {
      f.fail(key, msg ?? `Field '${key}' must be an integer between ${min} and ${max}.`);
    }
    f.put(key, v);
  };
}

/* A report's, ping's, proposal's or support request's number: required, 1 or more. */
function positive(key) {
  return integer(key, 1, Number.MAX_SAFE_INTEGER, {
    required: true, msg: `Field '${key}' must be a positive integer.`,
  });
}

/* An optional seq: `before` 1 or more, `after` 0 or more ("from the start"). */
function seq(key, min) {
  return integer(key, min, Number.MAX_SAFE_INTEGER, {
    msg: min ? `Field '${key}' must be a positive integer.`
      : `Field '${key}' must be an integer of 0 or more.`,
  });
}

function flag(key, { required = false, def } = {}) {
  return (f) => {
    const v = f.get(key);
    if (v === undefined) {
      if (required) f.fail(key, `Field '${key}' is required.`);
      f.put(key, def);
      return;
    }
    if (typeof v !== 'boolean') f.fail(key, `Field '${key}' must be true or false.`);
    f.put(key, v);
  };
}

/* One of a few words. Most are read as a string first ("must be a string"),
 * as the server does; `anyType` members get the sentence for any wrong value. */
function choice(key, allowed, msg, { required = false, def, anyType = false } = {}) {
  return (f) => {
    const v = anyType ? f.get(key) : readString(f, key, required);
    if (v === undefined) {
      if (required) f.fail(key, `Field '${key}' is required.`);
      f.put(key, def);
      return;
    }
    if (!allowed.includes(v)) f.fail(key, msg);
    f.put(key, v);
  };
}

const DAY_MSG = (key) => `Field '${key}' must be a date "YYYY-MM-DD" that exists, such as "2026-11-22".`;

function day(key, { required = false } = {}) {
  return (f) => {
    const v = readString(f, key, required);
    if (v !== undefined && !isDay(v)) f.fail(key, DAY_MSG(key));
    f.put(key, v);
  };
}

const TZ_MSG = "Field 'tz' must be a time zone name such as \"America/New_York\": 1 to 64 bytes "
  + "of A-Z, a-z, 0-9, '_', '+', '-' or '/'.";

function tz({ required = false } = {}) {
  return (f) => {
    const v = readString(f, 'tz', required);
    if (v !== undefined && !isTzName(v)) f.fail('tz', TZ_MSG);
    f.put('tz', v);
  };
}

/* A rule over members already read: at least one of `keys` was given. */
function atLeastOne(keys, msg) {
  return (f) => {
    if (!keys.some((k) => hasOwn(f.out, k))) f.fail(null, msg);
  };
}

/* ------------------------------------------- rules of one request */

const REASON = chars('reason', 0, 500, { optional: true });
const CID = bytes('cid', 1, 64, { optional: true });
const PASSWORD_MSG = (key) => `Field '${key}' must be between 12 and 256 bytes.`;

/* room.create: never a conversation's name (people cannot create those). */
function newRoom(f) {
  if (isConversationName(f.get('room'))) {
    f.fail('room', "Field 'room' cannot be a conversation's name: only rooms are created.");
  }
  f.put('room', readName(f, 'room'));
}

/* room.role: the host role cannot be given. */
function roomRole(f) {
  const v = readString(f, 'role', true);
  if (v === 'host') f.fail('role', 'Field \'role\' cannot be "host": the host role cannot be given.');
  if (v !== 'member' && v !== 'moderator') f.fail('role', 'Field \'role\' must be "member" or "moderator".');
  f.put('role', v);
}

/* room.history: paging forward (after) or back (before), not both. */
function notBoth(first, second) {
  return (f) => {
    if (hasOwn(f.out, first) && hasOwn(f.out, second)) {
      f.fail(second, `Fields '${first}' and '${second}' cannot be used together.`);
    }
  };
}

/* report.create names exactly one of a message (room and seq) and a person
 * (handle, room optional); checked after those members, before the reason. */
function reportTarget(f) {
  const hasSeq = hasOwn(f.out, 'seq');
  if (hasSeq === hasOwn(f.out, 'handle')) {
    f.fail(null, "Report either a message ('room' and 'seq') or a person ('handle').");
  }
  if (hasSeq && !hasOwn(f.out, 'room')) {
    f.fail('room', "Field 'room' is required to report a message (with 'seq').");
  }
}

/* meeting.schedule's slots (section 5.44): absent reads the schedule, an
 * array of 0..14 slots replaces it; each slot's days are written in week order. */
const SLOTS_MSG = "Field 'slots' must be an array of at most 14 slot objects.";
const DAYS_MSG = "Field 'days' must be an array of one or more different days: \"mon\", \"tue\", "
  + '"wed", "thu", "fri", "sat", "sun".';
const START_MSG = "Field 'start' must be a 24-hour time \"HH:MM\" from 00:00 to 23:59.";

function slots(f) {
  const a = f.get('slots');
  if (a === undefined) return;
  if (!Array.isArray(a) || a.length > 14) f.fail('slots', SLOTS_MSG);
  f.put('slots', eachObject(f, a, 'slots', SLOTS_MSG, 'slot', SLOT_RULES));
}

function slotDays(f) {
  const v = f.get('days');
  const ok = Array.isArray(v) && v.length > 0 && v.every((d) => WEEKDAYS.includes(d))
    && new Set(v).size === v.length;
  if (!ok) f.fail('days', DAYS_MSG);
  f.put('days', WEEKDAYS.filter((d) => v.includes(d)));
}

function slotStart(f) {
  const v = readString(f, 'start', true);
  if (!isStartTime(v)) f.fail('start', START_MSG);
  f.put('start', v);
}

const SLOT_RULES = [slotDays, slotStart, integer('minutes', 5, 720, { required: true }), tz({ required: true })];

/*
 * An array whose items are objects read by `rules`, each in its own Fields so
 * that a sentence names the item ("(slot 2)"); an item that is not an object
 * breaks the array itself (`msg`, naming `key`).
 */
function eachObject(f, items, key, msg, what, rules) {
  return items.map((item, i) => {
    if (!isObject(item)) f.fail(key, msg);
    const sub = new Fields(item, f.id, `${what} ${i + 1}`);
    for (const rule of rules) rule(sub);
    return sub.out;
  });
}

/* buddy.ping: text is required with kind "text" and only allowed with it. */
function pingText(f) {
  const text = readString(f, 'text', false);
  const textKind = f.out.kind === 'text';
  if (textKind && text === undefined) f.fail('text', 'Field \'text\' is required with kind "text".');
  if (!textKind && text !== undefined) f.fail('text', 'Field \'text\' is only allowed with kind "text".');
  if (text !== undefined) chars('text', 1, 500, { tooLong: 'text_too_long' })(f);
}

/* support.cancel, .accept, .handback: thanks belong to support.close alone,
 * and are refused rather than ignored so no words meant for a helper are lost. */
function noThanks(f) {
  if (f.given('thanks')) f.fail('thanks', "Field 'thanks' is only allowed with support.close.");
}

/* settings.set's checkin_room and milestone_room: a room name (folded; not a
 * conversation), or "" to clear it. */
function roomOrClear(key) {
  return (f) => f.put(key, f.get(key) === '' ? '' : readName(f, key, { optional: true }));
}

const SETTINGS_KEYS = [
  'tz', 'checkin_share', 'checkin_room', 'warning_threshold', 'alert_buddies', 'isolation_nudges',
  'isolation_days', 'meeting_goal', 'sobriety_share', 'milestone_room', 'read_receipts',
];

/* Sharing check-ins with a room and clearing the room in one request. */
function keepsCheckinRoom(f) {
  if (f.out.checkin_share === 'room' && f.out.checkin_room === '') {
    f.fail('checkin_room', 'Field \'checkin_room\' cannot be cleared while \'checkin_share\' is "room".');
  }
}

/* checkin.submit's signs: 0..32 different names; written only when there are some. */
function signs(f) {
  const v = f.get('signs');
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length > 32) {
    f.fail('signs', "Field 'signs' must be an array of at most 32 warning sign names.");
  }
  v.forEach((s, i) => {
    if (!isSignName(s)) {
      f.fail('signs', "Field 'signs' must hold warning sign names: 1 to 32 of a-z, 0-9 or '_', "
        + 'such as "isolating".');
    }
    if (v.indexOf(s) < i) f.fail('signs', "Field 'signs' names the same warning sign twice.");
  });
  if (v.length) f.put('signs', [...v]);
}

/* checkin.list: the range's end is not before its start. */
function rangeInOrder(f) {
  if (f.out.from !== undefined && f.out.to !== undefined && f.out.from > f.out.to) {
    f.fail('to', "Field 'to' must not be before 'from'.");
  }
}

/* card.set, plan.set: a required array of at most `max` items. */
function readArray(f, key, max, msg) {
  const a = f.get(key);
  if (a === undefined) f.fail(key, `Field '${key}' is required.`);
  if (!Array.isArray(a) || a.length > max) f.fail(key, msg);
  return a;
}

const CONTACTS_MSG = 'Field \'contacts\' must be an array of at most 20 contacts {"name","phone","note"}.';
const PLAN_TEXT = (key) => chars(key, 1, 300);
const CONTACT_RULES = [PLAN_TEXT('name'), PLAN_TEXT('phone'), chars('note', 0, 300, { optional: true, drop: true })];

function contacts(f) {
  const a = readArray(f, 'contacts', 20, CONTACTS_MSG);
  f.put('contacts', eachObject(f, a, 'contacts', CONTACTS_MSG, 'contact', CONTACT_RULES));
}

const LINES_MSG = 'Field \'lines\' must be an array of at most 50 lines {"when","then"}.';
const REASONS_MSG = "Field 'reasons' must be an array of at most 50 strings.";

/* plan.set: both arrays are checked before any of their items. */
function plan(f) {
  const lines = readArray(f, 'lines', 50, LINES_MSG);
  const reasons = readArray(f, 'reasons', 50, REASONS_MSG);
  f.put('lines', eachObject(f, lines, 'lines', LINES_MSG, 'line', [PLAN_TEXT('when'), PLAN_TEXT('then')]));
  reasons.forEach((r, i) => {
    const n = typeof r === 'string' ? codePoints(r) : 0;
    const reason = new Fields(f.obj, f.id, `reason ${i + 1}`);   // the sentence names the item
    if (n < 1 || n > 300) reason.fail('reasons', "Field 'reasons' must hold strings of 1 to 300 characters.");
  });
  f.put('reasons', [...reasons]);
}

/* sobriety.set: date is required, and null is a value here (stop counting). */
function sobrietyDate(f) {
  if (!hasOwn(f.obj, 'date') || f.obj.date === undefined) {
    f.fail('date', 'Field \'date\' is required: a date "YYYY-MM-DD", or null to stop counting.');
  }
  if (f.obj.date === null) f.out.date = null;
  else day('date', { required: true })(f);
}

/* account.export: a part of an earlier export (part 0 when not said), or a new export. */
function exportPart(f) {
  const id = readString(f, 'export', false);
  if (id !== undefined && !isExportId(id)) {
    f.fail('export', "Field 'export' must be the id an earlier account.export gave.");
  }
  const part = f.get('part');
  if (part !== undefined && !(isInteger(part) && part >= 0 && part <= 100000)) {
    f.fail('part', "Field 'part' must be an integer between 0 and 100000.");
  }
  if (id === undefined && part !== undefined) f.fail('part', "Field 'part' needs the field 'export'.");
  if (id !== undefined) {
    f.put('export', id);
    f.put('part', part ?? 0);
  }
}

function confirmDelete(f) {
  const v = readString(f, 'confirm', true);
  if (v !== 'delete my account') f.fail('confirm', 'Field \'confirm\' must be exactly "delete my account".');
  f.put('confirm', v);
}

/* ------------------------------------------------------ the table */

const ROOM = room();
const HANDLE = name('handle');
/* meeting.chair's handle: required, but null is a value (no chair: the host
 * chairs again), kept as null; absent is refused like any missing handle. */
const CHAIR = (f) => {
  if (hasOwn(f.obj, 'handle') && f.obj.handle === null) f.out.handle = null;
  else HANDLE(f);
};
const MODERATED = [ROOM, HANDLE];
const HISTORY_LIMIT = integer('limit', 1, 100, { def: 50 });
const OFFSET = (required) => integer('utc_offset_minutes', -720, 840, { required, def: required ? undefined : 0 });
const mustBe = (key, list) => `Field '${key}' must be ${orList(list.map((w) => `"${w}"`))}.`;

const MOD_SETTINGS = ['slow_seconds', 'locked', 'member_limit', 'newcomer_seconds'];
const CONFIGURE = ['meeting', 'format', 'share_seconds', 'retention_days', 'ephemeral'];
const listQuoted = (keys) => orList(keys.map((k) => `'${k}'`));

export const REQUESTS = Object.freeze({
  'auth.register': [
    HANDLE,
    bytes('password', 12, 256, { code: 'password_policy', msg: PASSWORD_MSG('password') }),
    bytes('invite', 1, 64, { optional: true }),
  ],
  'auth.login': [name('handle', { lenient: true }), bytes('password', 1, 256)],
  'auth.resume': [bytes('token', 64, 64, { msg: "Field 'token' must be 64 lowercase hexadecimal characters." }),
    (f) => {
      if (!/^[0-9a-f]{64}$/.test(f.out.token)) {
        f.fail('token', "Field 'token' must be 64 lowercase hexadecimal characters.");
      }
    }],
  'auth.logout': [],
  'auth.password': [
    bytes('old_password', 1, 256),
    bytes('new_password', 12, 256, { code: 'password_policy', msg: PASSWORD_MSG('new_password') }),
  ],
  'presence.set': [choice('status', ['available', 'away', 'busy', 'invisible'],
    "Field 'status' must be one of available, away, busy or invisible.", { required: true })],
  'room.list': [],
  'room.create': [
    newRoom,
    chars('title', 1, 80),
    chars('topic', 0, 300, { optional: true, def: '' }),
    choice('visibility', VISIBILITIES, mustBe('visibility', VISIBILITIES), { def: 'open', anyType: true }),
  ],
  'room.join': [ROOM, bytes('invite', 1, 64, { optional: true })],
  'room.leave': [ROOM],
  'room.send': [ROOM, chars('text', 1, 4000, { tooLong: 'text_too_long' }), bytes('cid', 1, 64)],
  'room.history': [ROOM, seq('before', 1), seq('after', 0), notBoth('before', 'after'), HISTORY_LIMIT],
  'room.members': [ROOM],
  'room.invite': [ROOM, integer('hours', 1, 720, { def: 168 }), integer('uses', 1, 1000)],
  ping: [],
  'room.configure': [
    ROOM,
    flag('meeting'),
    chars('format', 0, 4000, { optional: true, tooLong: 'text_too_long' }),
    integer('share_seconds', 60, 1800),
    integer('retention_days', 0, 3650),
    flag('ephemeral'),
    atLeastOne(CONFIGURE, `Give at least one of ${listQuoted(CONFIGURE)}.`),
  ],
  'room.role': [ROOM, HANDLE, roomRole],
  'meeting.chair': [ROOM, CHAIR],
  'meeting.open': [ROOM],
  'meeting.close': [ROOM],
  'meeting.hand': [ROOM, flag('raised', { required: true })],
  'meeting.floor': [ROOM, name('handle', { optional: true })],
  'meeting.done': [ROOM],
  'meeting.mode': [
    ROOM,
    choice('mode', MEETING_MODES, mustBe('mode', MEETING_MODES), { anyType: true }),
    flag('auto'),
    atLeastOne(['mode', 'auto'], "Give at least one of 'mode' or 'auto'."),
  ],
  'meeting.state': [ROOM],
  'mod.mute': [...MODERATED, integer('minutes', 1, 525600), REASON],
  'mod.unmute': [...MODERATED, REASON],
  'mod.remove': [...MODERATED, REASON],
  'mod.ban': [...MODERATED, integer('minutes', 1, 525600), REASON],
  'mod.unban': [...MODERATED, REASON],
  'mod.delete': [ROOM, integer('seq', 1, Number.MAX_SAFE_INTEGER, {
    required: true, msg: "Field 'seq' must be a positive integer.",
  }), REASON],
  'mod.settings': [
    ROOM,
    integer('slow_seconds', 0, 3600),
    flag('locked'),
    integer('member_limit', 0, 100000),
    integer('newcomer_seconds', 0, 86400),
    atLeastOne(MOD_SETTINGS, `Give at least one of ${listQuoted(MOD_SETTINGS)}.`),
  ],
  'mod.log': [room({ optional: true }), seq('before', 1), HISTORY_LIMIT],
  'mod.suspend': [HANDLE, integer('days', 1, 3650), REASON],
  'mod.unsuspend': [HANDLE, REASON],
  'block.add': [HANDLE],
  'block.remove': [HANDLE],
  'block.list': [],
  'report.create': [
    room({ optional: true }),
    seq('seq', 1),
    name('handle', { optional: true }),
    reportTarget,
    chars('reason', 1, 500),
  ],
  'report.list': [room({ optional: true }),
    choice('status', ['open', 'all'], 'Field \'status\' must be "open" or "all".', { def: 'open', anyType: true })],
  'report.resolve': [
    positive('report'),
    choice('outcome', ['actioned', 'dismissed'], mustBe('outcome', ['actioned', 'dismissed']), { required: true }),
    chars('note', 0, 500, { optional: true }),
  ],
  'safety.resources': [],
  'meeting.attendance': [OFFSET(false), integer('weeks', 1, 52, { def: 12 })],
  'meeting.schedule': [ROOM, slots],
  'meeting.upcoming': [room({ optional: true }), integer('days', 1, 14, { def: 7 }),
    integer('limit', 1, 200, { def: 50 })],
  'room.invites': [ROOM],
  'room.invite_revoke': [ROOM, bytes('code', 1, 64)],
  'buddy.request': [HANDLE],
  'buddy.accept': [HANDLE],
  'buddy.decline': [HANDLE],
  'buddy.cancel': [HANDLE],
  'buddy.end': [HANDLE],
  'buddy.list': [],
  'buddy.ping': [HANDLE, choice('kind', PING_KINDS, mustBe('kind', PING_KINDS), { required: true }), pingText, CID],
  'buddy.ping_seen': [positive('ping')],
  'buddy.pings': [],
  'match.join': [
    OFFSET(true),
    (f) => {
      const v = readString(f, 'language', true);
      if (!isLanguage(v)) f.fail('language', 'Field \'language\' must be 2 to 8 lowercase letters a-z, such as "en".');
      f.put('language', v);
    },
    choice('approach', APPROACHES, mustBe('approach', APPROACHES), { required: true }),
    integer('clean_days', 0, 36500),
    flag('want_more_clean_time', { def: false }),
  ],
  'match.leave': [],
  'match.status': [],
  'match.accept': [positive('proposal')],
  'match.decline': [positive('proposal')],
  'support.ask': [choice('urgency', URGENCIES, mustBe('urgency', URGENCIES), { required: true }),
    words('note', 500), CID],
  'support.cancel': [positive('request'), noThanks],
  'support.accept': [positive('request'), noThanks],
  'support.close': [positive('request'), words('thanks', 500)],
  'support.handback': [positive('request'), noThanks],
  'support.available': [flag('on', { required: true })],
  'support.queue': [],
  'support.status': [],
  'support.stats': [integer('days', 1, 90, { def: 14 })],
  'settings.get': [],
  'settings.set': [
    tz(),
    choice('checkin_share', CHECKIN_SHARES, mustBe('checkin_share', CHECKIN_SHARES)),
    roomOrClear('checkin_room'),
    integer('warning_threshold', 1, 11),
    flag('alert_buddies'),
    flag('isolation_nudges'),
    integer('isolation_days', 1, 14),
    integer('meeting_goal', 0, 21),
    choice('sobriety_share', SOBRIETY_SHARES, mustBe('sobriety_share', SOBRIETY_SHARES)),
    roomOrClear('milestone_room'),
    flag('read_receipts'),
    atLeastOne(SETTINGS_KEYS, 'Give at least one setting to change: a member of the settings '
      + "object, such as 'tz' or 'warning_threshold'."),
    keepsCheckinRoom,
  ],
  'checkin.submit': [
    integer('mood', 1, 5, { required: true }),
    integer('craving', 0, 10),
    signs,
    words('grateful', 500),
    words('win', 500),
    words('note', 500),
  ],
  'checkin.list': [day('from'), day('to'), rangeInOrder, integer('limit', 1, 366, { def: 30 })],
  'checkin.summary': [choice('period', ['week', 'month'], mustBe('period', ['week', 'month']), { def: 'week' }),
    integer('count', 1, 52, { def: 8 })],
  'checkin.journal': [day('before'), integer('limit', 1, 100, { def: 30 })],
  'checkin.signs': [],
  'checkin.feed': [],
  'card.get': [],
  'card.set': [contacts],
  'plan.get': [],
  'plan.set': [plan],
  'sobriety.set': [sobrietyDate],
  'sobriety.get': [name('handle', { optional: true })],
  'account.export': [exportPart],
  'account.delete': [bytes('password', 1, 256), confirmDelete],
  // A room's name decodes too: the server answers not_a_conversation.
  'room.read': [ROOM, positive('seq')],
  'mod.sanctions': [ROOM],
});

/* Reads the members of a request whose type and id are already checked. */
export function checkMembers(obj, type, id) {
  const f = new Fields(obj, id);
  for (const rule of REQUESTS[type]) rule(f);
  return { type, id, ...f.out };
}
