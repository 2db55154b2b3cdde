import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as A from '@automerge/automerge'
import { Replica } from '../replica.js'

function serverDoc() {
  return A.from({ board: {}, hands: {} })
}

function heads(doc) {
  return A.getHeads(doc).sort()
}

test('server heads follow snapshot, broadcasts and acks, never local edits', () => {
  let server = serverDoc()
  const r = new Replica()
  r.loadSnapshot(A.save(server))
  assert.deepEqual(r.serverHeads, heads(server))

  const local = r.change((d) => {
    d.board.a = 1
  })
  assert.equal(local.length, 1)
  assert.deepEqual(r.serverHeads, heads(server), 'a local edit is not on the server')
  assert.deepEqual(r.unsent(), local)

  const before = A.getHeads(server)
  server = A.change(server, (d) => {
    d.board.b = 2
  })
  const remote = A.getChangesSince(server, before)
  assert.equal(r.applyFromServer(remote), true)
  assert.equal(r.applyFromServer(remote), false, 'a duplicate changes nothing')
  assert.deepEqual(r.serverHeads, heads(server))
  assert.deepEqual(r.unsent(), local)

  r.acked(local)
  ;[server] = A.applyChanges(server, local)
  assert.deepEqual(r.serverHeads, heads(server))
  assert.deepEqual(r.heads, heads(server))
  assert.deepEqual(r.unsent(), [])
})

test('a broadcast that depends on an unacked local change waits for the ack', () => {
  let server = serverDoc()
  const r = new Replica()
  r.loadSnapshot(A.save(server))
  const local = r.change((d) => {
    d.board.a = 1
  })
  // The server applies our change and someone builds on it.
  ;[server] = A.applyChanges(server, local)
  const mid = A.getHeads(server)
  server = A.change(server, (d) => {
    d.board.b = 2
  })
  const snapshotHeads = r.serverHeads
  r.applyFromServer(A.getChangesSince(server, mid))
  assert.deepEqual(r.heads, heads(server), 'doc has both')
  assert.deepEqual(r.serverHeads, snapshotHeads, 'the broadcast is queued behind our unacked change')
  assert.ok(r.unsent().some((c) => Buffer.compare(c, local[0]) === 0))
  r.acked(local)
  assert.deepEqual(r.serverHeads, heads(server))
})

test('serverHas restricts doc to the heads the server names', () => {
  const r = new Replica()
  r.ensure()
  r.change((d) => {
    d.x = 1
  })
  const first = r.heads
  r.change((d) => {
    d.y = 2
  })
  r.serverHas(first)
  assert.deepEqual(r.serverHeads, first)
  assert.equal(r.unsent().length, 1)
  r.serverHas(['ff'.repeat(32)]) // unknown heads are skipped
  assert.deepEqual(r.serverHeads, first)
  r.serverHas(r.heads)
  assert.deepEqual(r.unsent(), [])
})
