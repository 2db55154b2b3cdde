// Codec for the homeroom.v1 wire format (docs/protocol.md).
//
//   message := frame+
//   frame   := type:u8  length:uvarint  payload[length]
//
// This file knows bytes only: it never touches Automerge or sockets.

/**
 * Frame types of homeroom.v1, exactly as in docs/protocol.md.
 * @readonly
 * @enum {number}
 */
export const FrameType = Object.freeze({
  HELLO: 0x01,
  WELCOME: 0x02,
  SNAPSHOT: 0x03,
  CHANGES: 0x04,
  SYNC: 0x05,
  PRESENCE: 0x06,
  APP: 0x07,
  ACK: 0x08,
  ERROR: 0x09,
  SYNCED: 0x0a,
})

/** Protocol name offered as the WebSocket subprotocol. */
export const SUBPROTOCOL = 'homeroom.v1'

/** Protocol number carried in `hello` and `welcome`. */
export const PROTOCOL_VERSION = 1

/** Longest uvarint the protocol allows (a 64-bit value). */
const MAX_UVARINT_BYTES = 10

/** Magic bytes that start every Automerge chunk. */
const CHUNK_MAGIC = [0x85, 0x6f, 0x4a, 0x83]

/** Bytes before a chunk's length: magic (4), checksum (4), type (1). */
const CHUNK_PREFIX = 9

/** Thrown for any input that does not follow the wire format. */
export class FrameError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'FrameError'
  }
}

/**
 * Appends n as an unsigned LEB128 varint to out.
 * @param {number[]} out
 * @param {number} n a non-negative safe integer
 */
export function appendUvarint(out, n) {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new FrameError(`uvarint: ${n} is not a non-negative safe integer`)
  }
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
}

/**
 * Reads an unsigned LEB128 varint.
 * @param {Uint8Array} buf
 * @param {number} offset where the varint starts
 * @param {string} what names the field in error messages
 * @returns {[number, number]} the value and the offset after it
 */
export function readUvarint(buf, offset, what = 'uvarint') {
  let value = 0
  let scale = 1
  for (let i = 0; i < MAX_UVARINT_BYTES; i++) {
    if (offset + i >= buf.length) {
      throw new FrameError(`${what} at byte ${offset}: truncated varint`)
    }
    const b = buf[offset + i]
    value += (b & 0x7f) * scale
    if (b < 0x80) {
      if (!Number.isSafeInteger(value)) {
        throw new FrameError(`${what} at byte ${offset}: value exceeds 2^53`)
      }
      return [value, offset + i + 1]
    }
    scale *= 0x80
  }
  throw new FrameError(`${what} at byte ${offset}: varint longer than ${MAX_UVARINT_BYTES} bytes`)
}

/**
 * @typedef {object} Frame
 * @property {number} type one of {@link FrameType} (unknown types are kept)
 * @property {Uint8Array} payload
 */

/**
 * Encodes frames back to back into one message.
 * @param {Frame[]} frames
 * @returns {Uint8Array}
 */
export function encodeMessage(frames) {
  if (frames.length === 0) throw new FrameError('message: no frames')
  const parts = []
  let size = 0
  for (const { type, payload } of frames) {
    if (!Number.isInteger(type) || type < 0 || type > 0xff) {
      throw new FrameError(`frame type ${type} is not a byte`)
    }
    const head = [type]
    appendUvarint(head, payload.length)
    parts.push(head, payload)
    size += head.length + payload.length
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Encodes a single frame as a whole message.
 * @param {number} type
 * @param {Uint8Array} payload
 * @returns {Uint8Array}
 */
export function encodeFrame(type, payload) {
  return encodeMessage([{ type, payload }])
}

/**
 * Splits a message into its frames. Payloads are views into buf, not copies.
 * @param {Uint8Array} buf
 * @returns {Frame[]}
 * @throws {FrameError} on an empty message, a truncated varint or a length past the end
 */
export function decodeMessage(buf) {
  if (buf.length === 0) throw new FrameError('message: empty')
  const frames = []
  let at = 0
  while (at < buf.length) {
    const start = at
    const type = buf[at]
    const [length, body] = readUvarint(buf, at + 1, `frame ${frames.length} length`)
    if (length > buf.length - body) {
      throw new FrameError(
        `frame ${frames.length} at byte ${start}: length ${length} runs past the end ` +
          `of the message (${buf.length - body} bytes left)`,
      )
    }
    frames.push({ type, payload: buf.subarray(body, body + length) })
    at = body + length
  }
  return frames
}

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Encodes a JSON object payload.
 * @param {object} value
 * @returns {Uint8Array}
 */
export function encodeJSON(value) {
  return utf8Encoder.encode(JSON.stringify(value))
}

/**
 * Decodes a JSON object payload.
 * @param {Uint8Array} payload
 * @returns {Record<string, any>}
 * @throws {FrameError} when the payload is not UTF-8 JSON or not an object
 */
export function decodeJSON(payload) {
  let value
  try {
    value = JSON.parse(utf8Decoder.decode(payload))
  } catch (err) {
    throw new FrameError(`json payload: ${err.message}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FrameError('json payload: not an object')
  }
  return value
}

/**
 * Encodes a `changes` payload: ref, then Automerge change chunks back to back.
 * @param {number} ref 0 from the server, > 0 from a client
 * @param {Uint8Array[]} chunks as returned by Automerge.getChanges
 * @returns {Uint8Array}
 */
export function encodeChanges(ref, chunks) {
  const head = []
  appendUvarint(head, ref)
  const out = new Uint8Array(head.length + chunks.reduce((n, c) => n + c.length, 0))
  out.set(head, 0)
  let at = head.length
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * Decodes a `changes` payload. Chunks are split by their own headers
 * (`magic | checksum:4 | type:1 | length:uleb | body`); checksums are not verified
 * here, Automerge does that when the chunks are applied.
 * @param {Uint8Array} payload
 * @returns {{ref: number, chunks: Uint8Array[]}}
 * @throws {FrameError} on a bad ref, a bad magic or a chunk running past the end
 */
export function decodeChanges(payload) {
  const [ref, first] = readUvarint(payload, 0, 'changes ref')
  const chunks = []
  let at = first
  while (at < payload.length) {
    const start = at
    const name = `change chunk ${chunks.length} at byte ${start}`
    if (payload.length - at < CHUNK_PREFIX) {
      throw new FrameError(`${name}: truncated header`)
    }
    for (let i = 0; i < CHUNK_MAGIC.length; i++) {
      if (payload[at + i] !== CHUNK_MAGIC[i]) throw new FrameError(`${name}: bad magic`)
    }
    const [length, body] = readUvarint(payload, at + CHUNK_PREFIX, `${name} length`)
    if (length > payload.length - body) {
      throw new FrameError(
        `${name}: length ${length} runs past the end of the payload (${payload.length - body} bytes left)`,
      )
    }
    at = body + length
    chunks.push(payload.subarray(start, at))
  }
  return { ref, chunks }
}

/**
 * Groups chunks so each group's `changes` message stays within maxMessageBytes
 * (frame header and ref included). A single chunk that cannot fit throws.
 * @param {Uint8Array[]} chunks
 * @param {number} maxMessageBytes as announced in `welcome`
 * @returns {Uint8Array[][]}
 */
export function packChanges(chunks, maxMessageBytes) {
  // Worst case overhead: type (1) + length uvarint (10) + ref uvarint (10).
  const budget = maxMessageBytes - 21
  const groups = []
  let group = []
  let size = 0
  for (const c of chunks) {
    if (c.length > budget) {
      throw new FrameError(`change of ${c.length} bytes exceeds max_message_bytes ${maxMessageBytes}`)
    }
    if (size + c.length > budget) {
      groups.push(group)
      group = []
      size = 0
    }
    group.push(c)
    size += c.length
  }
  if (group.length > 0) groups.push(group)
  return groups
}
