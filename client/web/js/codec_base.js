/*
 * codec_base: what every part of the codec shares: the protocol's constants
 * (PROTOCOL.md section 11), the error the codec throws, counting lengths the
 * way the protocol counts them, and the shapes of names, days, time zones and
 * the other small words of the protocol. No JSON here.
 */

export const PROTOCOL_VERSION = 1;
export const SUBPROTOCOL = 'hearth.v1';
export const MAX_FRAME_BYTES = 65536;

/*
 * A request that breaks a rule of the protocol, or a server frame this client
 * cannot read. `code` is the protocol's error code (the one the server would
 * answer with), `field` the member at fault (null when none, or several),
 * `id` the request's id when it could be read.
 */
export class CodecError extends Error {
  constructor(code, message, { field = null, id = null } = {}) {
    super(message);
    this.name = 'CodecError';
    this.code = code;
    this.field = field;
    this.id = id;
  }
}

/* Lengths in the protocol are code points, never UTF-16 units ("🌱" is 1). */
export function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // The low half of a surrogate pair belongs to the code point just counted.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = s.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/* Bytes of the UTF-8 encoding, as the server counts passwords, ids and frames.
 * A lone surrogate counts 3, as TextEncoder writes it (U+FFFD). */
export function utf8Bytes(s) {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/* A JSON object: a plain object (not an array, null, or a number the JSON
 * reader wrapped). */
export function isObject(v) {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/* ----------------------------------------------------------- names */

const NAME_MIN = 3;
const NAME_MAX = 32;

/* A handle or room name after ASCII case folding (section 2), or null when
 * the string is not one: 3..32 of a-z 0-9 _ -. Nothing but A-Z is folded. */
export function foldName(s) {
  if (s.length < NAME_MIN || s.length > NAME_MAX) return null;
  const folded = s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return /^[a-z0-9_-]+$/.test(folded) ? folded : null;
}

export const CONVERSATION_PREFIX = '~';

/* A private conversation's name (section 20.1): "~" and 8..31 of a-z 0-9,
 * never folded. */
export function isConversationName(s) {
  return typeof s === 'string' && /^~[a-z0-9]{8,31}$/.test(s);
}

/* ----------------------------------------------------- small words */

/* A day "YYYY-MM-DD" that exists in the Gregorian calendar. */
export function isDay(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= lengths[month - 1];
}

/* A time zone name's shape: 1..64 of A-Z a-z 0-9 _ + - / (whether the zone
 * exists is for the server to say). */
export function isTzName(s) {
  return typeof s === 'string' && /^[A-Za-z0-9_+\-/]{1,64}$/.test(s);
}

/* A schedule slot's start "HH:MM", 00:00..23:59, exactly five characters. */
export function isStartTime(s) {
  return typeof s === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(s);
}

/* A warning sign's name: 1..32 of a-z 0-9 _. */
export function isSignName(s) {
  return typeof s === 'string' && /^[a-z0-9_]{1,32}$/.test(s);
}

/* A language for the matching pool: 2..8 lowercase letters. */
export function isLanguage(s) {
  return typeof s === 'string' && /^[a-z]{2,8}$/.test(s);
}

/* 1..64 lowercase hex characters: an export's id. */
export function isExportId(s) {
  return typeof s === 'string' && /^[0-9a-f]{1,64}$/.test(s);
}

/* The days of a schedule slot, in week order (Monday first). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/* The words the protocol switches on. */
export const STATUSES = ['offline', 'available', 'away', 'busy', 'invisible'];
export const ACCOUNT_ROLES = ['member', 'moderator', 'admin'];
export const ROOM_ROLES = ['member', 'moderator', 'host'];
export const VISIBILITIES = ['open', 'invite'];
export const MEETING_MODES = ['one_speaker', 'open'];
export const ROOM_KINDS = ['room', 'buddy', 'support'];
export const SANCTION_KINDS = ['mute', 'ban'];
export const PING_KINDS = ['thinking_of_you', 'call_me', 'struggling', 'text'];
export const APPROACHES = ['12_step', 'smart', 'other', 'any'];
export const URGENCIES = ['talk', 'craving', 'crisis'];
export const SUPPORT_STATES = [
  'asking_buddies', 'asking_supporters', 'nobody_yet', 'accepted', 'closed', 'cancelled',
];
export const CHECKIN_SHARES = ['private', 'buddies', 'room'];
export const SOBRIETY_SHARES = ['private', 'buddies', 'everyone'];

/* The error codes of PROTOCOL.md section 9. */
export const ERROR_CODES = [
  'bad_json', 'unknown_type', 'invalid_field', 'not_authenticated', 'already_authenticated',
  'invalid_credentials', 'handle_taken', 'password_policy', 'invite_required', 'invite_invalid',
  'token_invalid', 'login_throttled', 'rate_limited', 'room_not_found', 'room_exists', 'not_member',
  'forbidden', 'text_too_long', 'server_busy', 'shutting_down', 'internal', 'not_a_meeting',
  'meeting_closed', 'one_speaker', 'queue_empty', 'user_not_found', 'muted', 'banned', 'room_locked',
  'room_full', 'slow_mode', 'newcomer_wait', 'suspended', 'message_not_found', 'report_not_found',
  'unknown_time_zone', 'already_buddies', 'not_buddies', 'buddy_limit', 'request_not_found',
  'ping_not_found', 'not_in_pool', 'conversation', 'support_taken', 'support_closed', 'not_on_duty',
  'unknown_sign', 'future_date', 'not_a_conversation',
];

/* "a", "a or b", "a, b or c": for sentences that list the allowed words. */
export function orList(words) {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
