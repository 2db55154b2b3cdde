// What the browser classroom needs from the client beyond the protocol: saving and
// restoring the copy (a page reloaded while offline), the local-edit and retry
// events, retryNow/disconnect, stroke pressure and erasing.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as A from '@automerge/automerge'
import { HomeroomClient } from '../homeroom.js'
import { FrameType } from '../frames.js'
import { FakeServer, eventually, fakeWebSocket } from './support/fake-server.mjs'

const fast = { base: 2, cap: 10 }
let clients = 0

function newClient(t, server, opts = {}) {
  const token = opts.token ?? `tok.off${++clients}`
  const c = new HomeroomClient({ url: 'ws://fake/ws', session: server.session, token, backoff: fast, WebSocket: fakeWebSocket(server), ...opts })
  t.after(() => c.close())
  return c
}

const live = (c) => eventually(() => c.state === 'live', 'live')
const stroke = (id) => ({ id, tool: 'pen', color: '#000000', width: 2, points: [1, 2, 3, 4] })
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

test('save, then restore in a new client while offline: edits survive and reach the server', async (t) => {
  const server = new FakeServer()
  const first = newClient(t, server, { token: 'tok.tablet' })
  first.connect()
  await live(first)
  first.addStroke(stroke('online'))
  await eventually(() => first.pendingChanges === 0, 'ack')

  // The network goes; the tablet keeps drawing and saves as it goes.
  server.down = true
  server.kick(1006)
  await eventually(() => first.state === 'reconnecting', 'reconnecting')
  const base = first.save()
  assert.equal(base.user, 'u-tok.tablet')
  first.addStroke(stroke('offline-1'))
  const inc1 = first.saveSince(base.heads)
  first.addStroke(stroke('offline-2'))
  const inc2 = first.saveSince(A.getHeads(A.load(concat(base.doc, inc1))))
  const serverHeads = first.serverHeads
  first.close()

  // The page reloads, still offline: a new client from the saved bytes, no server.
  const second = newClient(t, server, { token: 'tok.tablet' })
  second.restore({ doc: concat(base.doc, inc1, inc2), serverHeads, user: base.user, role: base.role })
  assert.equal(second.user, 'u-tok.tablet')
  assert.deepEqual(Object.keys(second.toJSON().board).sort(), ['offline-1', 'offline-2', 'online', 'seed'])
  assert.deepEqual(second.serverHeads, serverHeads)
  assert.equal(second.pendingChanges, 2)
  second.addStroke(stroke('after-reload')) // a new actor, drawing on the restored copy

  second.connect()
  await eventually(() => second.state === 'reconnecting' || second.state === 'connecting', 'trying')
  server.down = false
  await live(second)
  assert.equal(second.welcome.mode, 'changes') // the hello named heads the server knows
  await eventually(() => second.pendingChanges === 0, 'offline edits acked')
  assert.deepEqual(Object.keys(server.doc.board).sort(), ['after-reload', 'offline-1', 'offline-2', 'online', 'seed'])
  assert.deepEqual(second.heads, A.getHeads(server.doc).sort())
})

test('restore is refused once connected; saveSince is null across a replaced copy', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  assert.equal(c.save(), null)
  c.connect()
  await live(c)
  assert.throws(() => c.restore({ doc: c.save().doc }), /before connect/)
  assert.equal(c.saveSince(['00'.repeat(32)]), null)
  assert.ok(c.saveSince(c.heads) instanceof Uint8Array)
})

test('local events for local edits only; deleteStrokes erases; pressure travels with points', async (t) => {
  const server = new FakeServer()
  const a = newClient(t, server)
  const b = newClient(t, server)
  const local = []
  a.addEventListener('local', (e) => local.push(e.detail.heads))
  a.connect()
  b.connect()
  await live(a)
  await live(b)
  a.addStroke({ ...stroke('p'), points: [0, 0], pressure: [0.25] })
  a.appendPoints('p', [1, 1, 2, 2], [0.5, 0.75])
  assert.equal(local.length, 2)
  assert.deepEqual(local[1], a.heads)
  a.change(() => {}) // nothing changed: no event, nothing sent
  assert.equal(local.length, 2)
  await eventually(() => b.toJSON().board.p?.points.length === 6, 'b has the stroke')
  assert.deepEqual(b.toJSON().board.p.pressure, [0.25, 0.5, 0.75])
  assert.throws(() => a.appendPoints('p', [3, 3], [0.5, 0.5]), /one value per point/)
  assert.throws(() => a.addStroke({ ...stroke('q'), pressure: [2] }), /pressure/)

  b.addStroke(stroke('b1'))
  await eventually(() => 'b1' in a.toJSON().board, 'a has b1')
  assert.equal(local.length, 2) // server data is a change event, not a local one
  a.deleteStrokes(['p', 'gone'])
  await eventually(() => !('p' in b.toJSON().board), 'erased everywhere')
})

test('retry events carry the countdown; retryNow and disconnect', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server, { backoff: { base: 60_000, cap: 60_000 } })
  const retries = []
  c.addEventListener('retry', (e) => retries.push(e.detail))
  c.connect()
  await live(c)
  assert.equal(c.nextRetryAt, null)

  c.disconnect() // as when the browser goes offline
  assert.equal(c.state, 'reconnecting')
  assert.equal(retries.length, 1)
  assert.equal(retries[0].attempt, 0)
  assert.ok(retries[0].at >= Date.now() - 5 && retries[0].at === c.nextRetryAt)
  assert.equal(retries[0].at - retries[0].delay <= Date.now(), true)

  c.retryNow() // a minute of backoff skipped
  await live(c)
  assert.equal(c.nextRetryAt, null)
  assert.equal(server.frames(FrameType.HELLO).length, 2)
  c.retryNow() // no-op while live
  assert.equal(server.frames(FrameType.HELLO).length, 2)
})
