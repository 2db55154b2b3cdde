import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as A from '@automerge/automerge'
import {
  FrameError,
  FrameType,
  appendUvarint,
  decodeChanges,
  decodeJSON,
  decodeMessage,
  encodeChanges,
  encodeFrame,
  encodeJSON,
  encodeMessage,
  packChanges,
  readUvarint,
} from '../frames.js'

test('frame type constants match docs/protocol.md', () => {
  assert.deepEqual({ ...FrameType }, {
    HELLO: 0x01, WELCOME: 0x02, SNAPSHOT: 0x03, CHANGES: 0x04, SYNC: 0x05,
    PRESENCE: 0x06, APP: 0x07, ACK: 0x08, ERROR: 0x09, SYNCED: 0x0a,
  })
})

test('uvarint round trips and matches Go binary.AppendUvarint', () => {
  const cases = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
  ]
  for (const [n, bytes] of cases) {
    const out = []
    appendUvarint(out, n)
    assert.deepEqual(out, bytes, `encode ${n}`)
    assert.deepEqual(readUvarint(Uint8Array.from(bytes), 0), [n, bytes.length], `decode ${n}`)
  }
  const out = []
  appendUvarint(out, Number.MAX_SAFE_INTEGER)
  assert.deepEqual(readUvarint(Uint8Array.from(out), 0), [Number.MAX_SAFE_INTEGER, out.length])
  assert.throws(() => appendUvarint([], -1), FrameError)
  assert.throws(() => appendUvarint([], 1.5), FrameError)
})

test('uvarint rejects truncated, overlong and too-large input', () => {
  assert.throws(() => readUvarint(Uint8Array.from([0x80, 0x80]), 0), /truncated varint/)
  assert.throws(() => readUvarint(new Uint8Array(11).fill(0x80), 0), /longer than 10 bytes/)
  // 2^63: a valid Go uvarint, but not a safe JavaScript integer.
  const big = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
  assert.throws(() => readUvarint(Uint8Array.from(big), 0), /exceeds 2\^53/)
})

test('messages carry several frames back to back', () => {
  const big = new Uint8Array(300).fill(7)
  const frames = [
    { type: FrameType.WELCOME, payload: encodeJSON({ protocol: 1 }) },
    { type: FrameType.SNAPSHOT, payload: big },
    { type: FrameType.SYNCED, payload: new Uint8Array(0) },
    { type: 0x42, payload: Uint8Array.of(1) }, // unknown types are kept, not rejected
  ]
  const msg = encodeMessage(frames)
  assert.equal(msg[0], FrameType.WELCOME)
  const back = decodeMessage(msg)
  assert.equal(back.length, 4)
  back.forEach((f, i) => {
    assert.equal(f.type, frames[i].type)
    assert.deepEqual(f.payload, frames[i].payload)
  })
  assert.deepEqual(encodeFrame(FrameType.ACK, Uint8Array.of(9)), Uint8Array.of(0x08, 0x01, 0x09))
})

test('malformed messages throw clear errors', () => {
  assert.throws(() => decodeMessage(new Uint8Array(0)), /empty/)
  // type, then a length varint cut short
  assert.throws(() => decodeMessage(Uint8Array.of(0x04, 0x80)), {
    name: 'FrameError',
    message: /frame 0 length at byte 1: truncated varint/,
  })
  // length 5 but only 2 bytes follow
  assert.throws(() => decodeMessage(Uint8Array.of(0x06, 0x05, 0x7b, 0x7d)), {
    name: 'FrameError',
    message: /frame 0 at byte 0: length 5 runs past the end of the message \(2 bytes left\)/,
  })
  // a good frame, then a truncated one
  const good = encodeFrame(FrameType.ACK, encodeJSON({ ref: 1 }))
  const bad = Uint8Array.of(...good, 0x08, 0x09, 0x7b)
  assert.throws(() => decodeMessage(bad), /frame 1 at byte 11: length 9 runs past the end/)
  assert.throws(() => encodeMessage([]), FrameError)
  assert.throws(() => encodeMessage([{ type: 256, payload: new Uint8Array(0) }]), FrameError)
})

test('JSON payloads', () => {
  const v = { heads: ['ab'], name: 'Zoë' }
  assert.deepEqual(decodeJSON(encodeJSON(v)), v)
  assert.throws(() => decodeJSON(new TextEncoder().encode('{"a":')), /json payload/)
  assert.throws(() => decodeJSON(new TextEncoder().encode('[1]')), /not an object/)
  assert.throws(() => decodeJSON(Uint8Array.of(0x7b, 0xff, 0x7d)), /json payload/) // not UTF-8
})

function someChanges(n) {
  let doc = A.from({ board: {} })
  for (let i = 0; i < n; i++) {
    doc = A.change(doc, (d) => {
      d.board[`s${i}`] = { points: Array.from({ length: 50 }, (_, k) => k * i) }
    })
  }
  return A.getAllChanges(doc)
}

test('changes payload round trips real Automerge chunks', () => {
  const chunks = someChanges(3)
  for (const ref of [0, 1, 300]) {
    const back = decodeChanges(encodeChanges(ref, chunks))
    assert.equal(back.ref, ref)
    assert.deepEqual(back.chunks, chunks)
  }
  assert.deepEqual(decodeChanges(encodeChanges(7, [])), { ref: 7, chunks: [] })
  // the chunks apply in another document
  const [doc] = A.applyChanges(A.init(), decodeChanges(encodeChanges(1, chunks)).chunks)
  assert.equal(Object.keys(doc.board).length, 3)
})

test('malformed changes payloads throw', () => {
  const [chunk] = someChanges(1)
  assert.throws(() => decodeChanges(new Uint8Array(0)), /changes ref at byte 0: truncated varint/)
  assert.throws(() => decodeChanges(Uint8Array.of(1, 0x85, 0x6f)), /change chunk 0 at byte 1: truncated header/)
  const badMagic = encodeChanges(1, [chunk])
  badMagic[1] = 0x00
  assert.throws(() => decodeChanges(badMagic), /bad magic/)
  const cut = encodeChanges(1, [chunk]).subarray(0, chunk.length) // one byte short
  assert.throws(() => decodeChanges(cut), /change chunk 0 at byte 1: length \d+ runs past the end/)
})

test('packChanges keeps every message within max_message_bytes', () => {
  const chunks = someChanges(10)
  const max = 21 + Math.max(...chunks.map((c) => c.length)) * 2
  const groups = packChanges(chunks, max)
  assert.ok(groups.length > 1)
  assert.deepEqual(groups.flat(), chunks)
  groups.forEach((g, i) => assert.ok(encodeFrame(FrameType.CHANGES, encodeChanges(1e9 + i, g)).length <= max))
  assert.throws(() => packChanges(chunks, 30), /exceeds max_message_bytes/)
  assert.deepEqual(packChanges([], 100), [])
})
