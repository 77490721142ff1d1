/*
 * codec_json: a strict JSON reader for the protocol (PROTOCOL.md section 2).
 * JSON.parse cannot be used on the wire: it lets a repeated key win silently,
 * reads 5.0 as the integer 5 and rounds integers beyond 2^53. The protocol
 * refuses all three, and U+0000 and unpaired surrogate escapes too, so this
 * small reader does, the way the server's reader does.
 *
 * Values come back as plain JSON values, except numbers that are not exact
 * integers (5.0, 1e3, 2.5, 2^60): those are JsonNumber objects, so a member
 * that must be an integer can tell. plainJson() turns them into numbers.
 */
import { CodecError, hasOwn, isObject } from './codec_base.js';

/* A number as written: `text` is its spelling, `value` its nearest double. */
export class JsonNumber {
  constructor(text, value) {
    this.text = text;
    this.value = value;
  }
}

/* An integer the protocol can carry: JavaScript holds it exactly. */
export function isInteger(v) {
  return Number.isSafeInteger(v);
}

/* Any JSON number, as a double (checkin.summary's averages). */
export function numberValue(v) {
  if (typeof v === 'number') return v;
  return v instanceof JsonNumber ? v.value : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DEPTH = 256;   // deeper nesting is no protocol message; refuse it before the stack does
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const CONTROL = /[\u0000-\u001f]/;   // never raw inside a JSON string

function badJson(detail) {
  return new CodecError('bad_json', `The message is not valid JSON: ${detail}.`);
}

/* Reads `text` (one complete frame) or throws CodecError 'bad_json'. */
export function parseJson(text) {
  if (typeof text !== 'string') throw badJson('it is not text');
  const p = new Parser(text);
  p.space();
  const value = p.value(0);
  p.space();
  if (p.i !== text.length) throw badJson(`unexpected text at character ${p.i + 1}`);
  return value;
}

class Parser {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }

  space() {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  fail(what) {
    return badJson(this.i < this.s.length ? `${what} at character ${this.i + 1}` : 'it ends too early');
  }

  value(depth) {
    if (depth > MAX_DEPTH) throw badJson('it is nested too deeply');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    throw this.fail('unexpected character');
  }

  object(depth) {
    const out = {};
    this.i++;   // {
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s[this.i] !== '"') throw this.fail('expected a member name');
      const key = this.string();
      // Parsers disagree on which copy of a repeated key wins: refuse to guess.
      if (hasOwn(out, key)) throw badJson(`the key "${key}" appears twice`);
      this.space();
      if (this.s[this.i] !== ':') throw this.fail('expected ":"');
      this.i++;
      this.space();
      // defineProperty: a key "__proto__" must be a member like any other.
      Object.defineProperty(out, key, {
        value: this.value(depth + 1), enumerable: true, writable: true, configurable: true,
      });
      this.space();
      if (this.s[this.i] === ',') {
        this.i++;
        this.space();
      } else if (this.s[this.i] === '}') {
        this.i++;
        return out;
      } else {
        throw this.fail('expected "," or "}"');
      }
    }
  }

  array(depth) {
    const out = [];
    this.i++;   // [
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      if (this.s[this.i] === ',') {
        this.i++;
        this.space();
      } else if (this.s[this.i] === ']') {
        this.i++;
        return out;
      } else {
        throw this.fail('expected "," or "]"');
      }
    }
  }

  number() {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    const after = m ? this.s[this.i + m[0].length] : undefined;
    // "01" is no JSON number: a digit may not follow a leading zero.
    if (!m || (after >= '0' && after <= '9')) throw this.fail('malformed number');
    const text = m[0];
    this.i += text.length;
    const value = Number(text);
    if (m[2] || m[3]) {
      if (!Number.isFinite(value)) throw badJson(`the number ${text} is too large`);
      return new JsonNumber(text, value);
    }
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;   // no -0
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) throw badJson(`the integer ${text} is beyond 64 bits`);
    return new JsonNumber(text, value);   // an integer JavaScript cannot hold exactly
  }

  /*
   * A string literal. Its end is the first quote no backslash escapes; the
   * escapes inside are decoded by JSON.parse on that literal alone (fast, and
   * exactly JSON's grammar), then the protocol's own rules are checked:
   * no U+0000 and no unpaired surrogate.
   */
  string() {
    const start = this.i;
    let end = this.s.indexOf('"', start + 1);
    while (end !== -1 && escaped(this.s, end)) end = this.s.indexOf('"', end + 1);
    if (end === -1) throw badJson('a string never ends');
    const literal = this.s.slice(start, end + 1);
    let out;
    if (literal.includes('\\')) {
      try {
        out = JSON.parse(literal);
      } catch {
        throw badJson(`a malformed string at character ${start + 1}`);
      }
    } else {
      if (CONTROL.test(literal)) throw badJson(`a control character in a string at character ${start + 1}`);
      out = literal.slice(1, -1);
    }
    if (out.includes('\u0000')) throw badJson('a string holds U+0000');
    if (!isWellFormed(out)) throw badJson('a string holds an unpaired surrogate');
    this.i = end + 1;
    return out;
  }
}

/* Whether the character at `at` is escaped: an odd run of backslashes before it. */
function escaped(s, at) {
  let n = 0;
  while (s[at - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

/* No unpaired UTF-16 surrogate (String.prototype.isWellFormed is not in Node 18). */
export function isWellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);   // NaN past the end
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;   // a high half and its low half
  }
  return true;
}

/* A value with its JsonNumbers made plain numbers: what a caller keeps. */
export function plainJson(v) {
  if (v instanceof JsonNumber) return v.value;
  if (Array.isArray(v)) return v.map(plainJson);
  if (isObject(v)) {
    const out = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(out, k, {
        value: plainJson(v[k]), enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }
  return v;
}

/* Compact JSON text of a value, JsonNumbers written as they were spelled. */
export function jsonText(v) {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (isObject(v)) {
    const parts = Object.keys(v).filter((k) => v[k] !== undefined);
    return `{${parts.map((k) => `${JSON.stringify(k)}:${jsonText(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/*
 * Whether a value the application built can be sent as protocol JSON: only
 * JSON values (undefined members count as absent, as JSON.stringify drops
 * them), finite numbers, and strings without U+0000 or unpaired surrogates,
 * which the server refuses as bad_json. Returns a reason, or null.
 */
export function unsendable(v, depth = 0) {
  if (depth > MAX_DEPTH) return 'it is nested too deeply';
  if (v === null || typeof v === 'boolean' || v instanceof JsonNumber) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : `the number ${v} is not JSON`;
  if (typeof v === 'string') {
    if (v.includes('\u0000')) return 'a string holds U+0000';
    return isWellFormed(v) ? null : 'a string holds an unpaired surrogate';
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      const why = x === undefined ? 'an array holds undefined' : unsendable(x, depth + 1);
      if (why) return why;
    }
    return null;
  }
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const why = v[k] === undefined ? null : unsendable(v[k], depth + 1);
      if (why) return why;
    }
    return null;
  }
  return `a ${typeof v === 'object' ? 'non-plain object' : typeof v} is not JSON`;
}
