/*
 * The browser codec (client/web/js/codec.js) against every golden vector in
 * protocol/vectors/ (format: protocol/vectors/README.md), plus a few direct
 * checks. Run from the repository root: node --test tests/web/unit/
 *
 * The vectors are read with the codec's own strict JSON reader, not
 * JSON.parse: a vector whose frame says 7.0 must reach the codec as 7.0,
 * which is not the integer 7.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  CodecError, MAX_FRAME_BYTES, PROTOCOL_VERSION, SUBPROTOCOL, checkRequest, codePoints,
  decodeFrame, decodeRequest, decodeResult, encodeRequest, parseJson, utf8Bytes,
} from '../../../client/web/js/codec.js';
import { jsonText, plainJson } from '../../../client/web/js/codec_json.js';
import { REQUESTS } from '../../../client/web/js/codec_requests.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VECTORS = path.join(ROOT, 'protocol', 'vectors');

/*
 * Vectors this suite does not run, each with its reason. `frame_hex`
 * vectors are skipped as a kind (below): they carry bytes that are not UTF-8,
 * which a browser never sends or receives as text (the WebSocket API encodes
 * every string as UTF-8, and a frame that is not UTF-8 never reaches the page
 * as a string). Any other skip is listed here by file, and must exist.
 */
const SKIPPED = {};
const HEX_SKIP = 'frame_hex: bytes that are not UTF-8 never reach a browser as text';

function loadDir(sub) {
  return fs.readdirSync(path.join(VECTORS, sub))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: `${sub}/${f}`, v: parseJson(fs.readFileSync(path.join(VECTORS, sub, f), 'utf8')) }));
}

const valid = loadDir('valid');
const invalid = loadDir('invalid');

/* The frame's text: frame_text as given, else the compact JSON of `frame`
 * (with its numbers spelled as in the file). */
function frameText(v) {
  return v.frame_text ?? jsonText(v.frame);
}

/* The request type a result in the vector answers. */
function requestTypeOf(v) {
  return (id) => (v.request_types && Object.hasOwn(v.request_types, id) ? v.request_types[id] : v.request_type);
}

/* What a decode must throw: a CodecError with `code`, returned for more checks. */
function mustThrow(fn, code) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof CodecError, `expected CodecError '${code}', got ${err ? err.stack : 'success'}`);
  assert.equal(err.code, code, `code (message: ${err.message})`);
  return err;
}

function skipReason(name, v) {
  if (v.frame_hex !== undefined) return HEX_SKIP;
  return SKIPPED[name];
}

/* ------------------------------------------------------------ vectors */

function checkValidClient(v) {
  const got = checkRequest(parseJson(frameText(v)));
  assert.deepEqual(got, plainJson(v.expect ?? v.frame));
  // Normalizing is a fixed point, and what encodeRequest sends decodes the same.
  assert.deepEqual(checkRequest(got), got);
  assert.deepEqual(decodeRequest(encodeRequest(got)), got);
}

function checkInvalidClient(v) {
  const err = mustThrow(() => checkRequest(parseJson(frameText(v))), v.error);
  assert.equal(err.id, v.id, 'the id the error reply carries');
  assert.match(err.message, /^.{10,}\.$/s, 'the message is a sentence');
  if (v.field !== undefined) assert.ok(err.message.includes(`'${v.field}'`), `'${v.field}' in: ${err.message}`);
}

function checkValidServer(v) {
  const got = decodeFrame(frameText(v), requestTypeOf(v));
  const want = plainJson(v.expect ?? v.frame);
  assert.deepEqual(got, Array.isArray(want) ? want : [want]);
  // Re-encoding a decoded message is JSON of the normalized object: it reads back the same.
  for (const msg of got) assert.deepEqual(decodeFrame(JSON.stringify(msg), requestTypeOf(v)), [msg]);
}

function checkInvalidServer(v) {
  mustThrow(() => decodeFrame(frameText(v), requestTypeOf(v)), v.error);
}

const CHECKS = {
  valid: { client: checkValidClient, server: checkValidServer },
  invalid: { client: checkInvalidClient, server: checkInvalidServer },
};

for (const [kind, vectors] of [['valid', valid], ['invalid', invalid]]) {
  for (const { name, v } of vectors) {
    const check = CHECKS[kind][v.direction];
    const skip = skipReason(name, v);
    test(`vector ${name}`, { skip }, () => {
      assert.ok(check, `direction must be "client" or "server", not ${v.direction}`);
      check(v);
    });
  }
}

test('every listed skip names a vector that exists', () => {
  const names = new Set([...valid, ...invalid].map((x) => x.name));
  for (const name of Object.keys(SKIPPED)) assert.ok(names.has(name), `${name} is listed as skipped but is gone`);
});

test('the vectors cover every request and result type the codec knows', () => {
  const requests = new Set();
  const results = new Set();
  for (const { v } of valid) {
    if (v.direction === 'client') requests.add(plainJson(v.frame).type);
    if (v.request_type) results.add(v.request_type);
    for (const t of Object.values(v.request_types ?? {})) results.add(t);
  }
  for (const type of Object.keys(REQUESTS)) {
    assert.ok(requests.has(type), `no valid client vector for ${type}`);
    assert.ok(results.has(type), `no valid result vector for ${type}`);
  }
  assert.equal(requests.size, Object.keys(REQUESTS).length, 'a vector names a request the codec does not know');
});

/* ------------------------------------------------------------- direct */

test('constants', () => {
  assert.equal(PROTOCOL_VERSION, 1);
  assert.equal(SUBPROTOCOL, 'hearth.v1');
  assert.equal(MAX_FRAME_BYTES, 65536);
});

test('lengths count code points and UTF-8 bytes, not UTF-16 units', () => {
  assert.equal(codePoints('🌱'), 1);
  assert.equal('🌱'.length, 2);
  assert.equal(utf8Bytes('🌱'), 4);
  assert.equal(codePoints('première 🌱'), 10);
  assert.equal(utf8Bytes('é€'), 5);
  assert.equal(codePoints(''), 0);
});

test('a request over 65536 bytes is refused before it is sent', () => {
  // A plan at every limit in three-byte characters: valid, but too big for one frame (section 5.82).
  const long = '€'.repeat(300);
  const req = {
    type: 'plan.set', id: 'big', lines: Array.from({ length: 50 }, () => ({ when: long, then: long })), reasons: [],
  };
  assert.doesNotThrow(() => checkRequest(req));
  const err = mustThrow(() => encodeRequest(req), 'frame_too_large');
  assert.equal(err.id, 'big');
  assert.equal(err.field, null);
  assert.match(err.message, /65536/);
});

test('encodeRequest returns the normalized frame text', () => {
  const text = encodeRequest({ type: 'room.send', id: '7', room: 'Lobby', text: 'hi 🌱', cid: 'c-1', extra: 1 });
  assert.deepEqual(JSON.parse(text), { type: 'room.send', id: '7', room: 'lobby', text: 'hi 🌱', cid: 'c-1' });
});

test('CodecError names the field in its message, like the server', () => {
  const err = mustThrow(() => checkRequest({ type: 'room.send', id: '3', room: 'lobby', text: '', cid: 'c' }),
    'invalid_field');
  assert.equal(err.field, 'text');
  assert.equal(err.id, '3');
  assert.equal(err.message, "Field 'text' must be between 1 and 4000 characters.");
  assert.ok(err instanceof Error);
});

test('strings the server would refuse as bad_json are refused before sending', () => {
  mustThrow(() => checkRequest({ type: 'room.send', id: '1', room: 'lobby', text: 'a\u0000b', cid: 'c' }), 'bad_json');
  mustThrow(() => checkRequest({ type: 'room.send', id: '1', room: 'lobby', text: '\ud800', cid: 'c' }), 'bad_json');
  mustThrow(() => checkRequest({ type: 'ping', id: '1', n: NaN }), 'bad_json');
  mustThrow(() => checkRequest([{ type: 'ping', id: '1' }]), 'bad_json');
  mustThrow(() => checkRequest(null), 'bad_json');
  // undefined members count as absent, as JSON.stringify leaves them out.
  assert.deepEqual(checkRequest({ type: 'meeting.floor', id: '1', room: 'circle', handle: undefined }),
    { type: 'meeting.floor', id: '1', room: 'circle' });
});

test('numbers that are not integers are refused where the protocol wants an integer', () => {
  mustThrow(() => checkRequest({ type: 'room.history', id: '1', room: 'lobby', limit: 2.5 }), 'invalid_field');
  mustThrow(() => decodeRequest('{"type":"room.history","id":"1","room":"lobby","limit":5.0}'), 'invalid_field');
  mustThrow(() => decodeRequest('{"type":"room.history","id":"1","room":"lobby","limit":5e0}'), 'invalid_field');
  assert.equal(decodeRequest('{"type":"room.history","id":"1","room":"lobby","limit":5}').limit, 5);
});

test('the strict reader refuses what JSON.parse would let through', () => {
  mustThrow(() => parseJson('{"a":1,"a":2}'), 'bad_json');
  mustThrow(() => parseJson('"\\u0000"'), 'bad_json');
  mustThrow(() => parseJson('"\\udc00\\ud800"'), 'bad_json');
  mustThrow(() => parseJson('[1,]'), 'bad_json');
  mustThrow(() => parseJson('01'), 'bad_json');
  mustThrow(() => parseJson('\ufeff{}'), 'bad_json');
  mustThrow(() => parseJson('99999999999999999999'), 'bad_json');
  assert.equal(parseJson('"\\ud83c\\udf31"'), '🌱');
  assert.deepEqual(parseJson('{"__proto__":1}'), JSON.parse('{"__proto__":1}'));
  assert.ok(Object.is(parseJson('-0'), 0));
});

test('a result whose request is unknown keeps its data as sent', () => {
  const [msg] = decodeFrame('{"type":"result","id":"9","data":{"x":[1,2.5]}}');
  assert.deepEqual(msg, { type: 'result', id: '9', data: { x: [1, 2.5] } });
});

test('a malformed result names the request it answers', () => {
  const err = mustThrow(() => decodeFrame('{"type":"result","id":"9","data":{}}', () => 'room.send'), 'invalid_field');
  assert.equal(err.id, '9');
  assert.equal(err.field, 'seq');
});

test('decodeResult reads one result data on its own', () => {
  assert.deepEqual(decodeResult('ping', { ts: 5, extra: true }), { ts: 5 });
  assert.deepEqual(decodeResult('room.leave', { anything: 1 }), {});
  mustThrow(() => decodeResult('no.such', {}), 'unknown_type');
});
