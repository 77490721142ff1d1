/*
 * codec: the browser client's side of the Hearth wire protocol
 * (protocol/PROTOCOL.md), checked against protocol/vectors/ by
 * tests/web/unit/. Plain ES module, no dependencies: it runs as it is in a
 * browser and in Node 18+.
 *
 * Requests are checked before they are sent exactly as the server decodes
 * them (same error code, same field), so a broken request never leaves the
 * page; server frames are read strictly and normalized, so the rest of the
 * client reads one shape (defaults explicit, stray members gone).
 *
 * The work is split by side: codec_requests.js (requests), codec_messages.js
 * and codec_objects.js (server messages), codec_json.js (a strict JSON
 * reader), codec_base.js (constants, the error, lengths and small shapes).
 */
import { CodecError, MAX_FRAME_BYTES, hasOwn, isObject, utf8Bytes } from './codec_base.js';
import { parseJson, unsendable } from './codec_json.js';
import { REQUESTS, checkMembers } from './codec_requests.js';
import { decodeResult, readMessage, resultData } from './codec_messages.js';

export {
  CodecError, MAX_FRAME_BYTES, PROTOCOL_VERSION, SUBPROTOCOL, codePoints, utf8Bytes,
} from './codec_base.js';
export { decodeResult, parseJson };

/* A request's id when the server could read it: a string of 1..64 bytes. */
function readableId(id) {
  return typeof id === 'string' && utf8Bytes(id) >= 1 && utf8Bytes(id) <= 64 ? id : null;
}

/*
 * Checks a request ({type, id, ...members}) as the server decodes it
 * (PROTOCOL.md section 4.1) and returns it normalized, as a new object.
 * Throws CodecError on the first failure, with the code and field the
 * server would report.
 */
export function checkRequest(obj) {
  if (!isObject(obj)) throw new CodecError('bad_json', 'The message must be a single JSON object.');
  const why = unsendable(obj);
  if (why) throw new CodecError('bad_json', `The request cannot be sent as JSON: ${why}.`);
  const id = readableId(hasOwn(obj, 'id') ? obj.id : undefined);
  const { type } = obj;
  if (typeof type !== 'string') {
    throw new CodecError('invalid_field', "Field 'type' is required and must be a string.", { field: 'type', id });
  }
  if (!hasOwn(REQUESTS, type)) {
    throw new CodecError('unknown_type', 'The server does not know this request type.', { id });
  }
  if (id === null) {
    throw new CodecError('invalid_field', "Field 'id' must be a string of 1 to 64 bytes.", { field: 'id' });
  }
  return checkMembers(obj, type, id);
}

/* A request frame received as text, decoded as the server does: strict JSON, then checkRequest. */
export function decodeRequest(text) {
  return checkRequest(parseJson(text));
}

/* checkRequest, then the frame's text, which must fit in one client frame. */
export function encodeRequest(obj) {
  const req = checkRequest(obj);
  const text = JSON.stringify(req);
  const size = utf8Bytes(text);
  if (size > MAX_FRAME_BYTES) {
    throw new CodecError('frame_too_large',
      `This is too long to send: it comes to ${size} bytes, and the server takes at most `
      + `${MAX_FRAME_BYTES} bytes in one message. Please shorten it.`, { id: req.id });
  }
  return text;
}

/*
 * Reads one frame from the server: an object, or an array of them (a batch),
 * in order. Returns the normalized messages, leaving out the types this
 * client does not know. `requestTypeOf(id)` names the request a result
 * answers, so its data can be read; without it the data is kept as sent.
 * Every message's shape is checked before any result's data, so the error
 * reported is the one the C codec (protocol/proto_frame.c) reports.
 */
export function decodeFrame(text, requestTypeOf = () => undefined) {
  const root = parseJson(text);
  if (!isObject(root) && !Array.isArray(root)) {
    throw new CodecError('bad_json', 'A server frame must be a JSON object or an array of objects.');
  }
  const messages = (Array.isArray(root) ? root : [root]).map((o) => readMessage(o)).filter((m) => m !== undefined);
  for (const msg of messages) {
    if (msg.type === 'result') msg.data = resultData(msg, requestTypeOf(msg.id));
  }
  return messages;
}
