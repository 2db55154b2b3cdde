// Join, live editing and reconnect logic of HomeroomClient against the in-process
// fake server (no Go server, no real sockets).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as A from '@automerge/automerge'
import { HomeroomClient } from '../homeroom.js'
import { FrameType } from '../frames.js'
import { FakeServer, eventually, fakeWebSocket } from './support/fake-server.mjs'

const fast = { base: 2, cap: 10 }

let clients = 0

/**
 * A client on the fake server, closed when test t ends (even if it fails). Each has
 * its own token, tok.N, which the fake server admits as user u-tok.N.
 */
function newClient(t, server, opts = {}) {
  const WebSocket = opts.WebSocket ?? fakeWebSocket(server)
  const token = `tok.${++clients}`
  const c = new HomeroomClient({ url: 'ws://fake/ws', session: server.session, token, backoff: fast, ...opts, WebSocket })
  t.after(() => c.close())
  c.states = []
  c.errors = []
  c.addEventListener('state', (e) => c.states.push(e.detail.state))
  c.addEventListener('error', (e) => c.errors.push(e.detail))
  return c
}

async function live(c) {
  await eventually(() => c.state === 'live', `client ${c.user ?? ''} live`)
}

function serverHeads(server) {
  return A.getHeads(server.doc).sort()
}

function boardIds(c) {
  return Object.keys(c.toJSON().board).sort()
}

const stroke = (id) => ({ id, tool: 'pen', color: '#000', width: 2, points: [1, 2, 3, 4] })

test('fresh join loads snapshot and changes, then goes live', async (t) => {
  const server = new FakeServer()
  server.identify = (token) => (token === 'tok.en.ada' ? { user: 'u-ada', role: 'teacher' } : {})
  const WebSocket = fakeWebSocket(server)
  const c = newClient(t, server, { WebSocket, token: 'tok.en.ada' })
  assert.equal(c.user, null)
  assert.equal(c.role, null)
  const synced = new Promise((r) => c.addEventListener('synced', (e) => r(e.detail), { once: true }))
  c.connect()
  assert.equal(c.state, 'connecting')
  const detail = await synced
  assert.equal(c.state, 'live')
  assert.equal(detail.mode, 'snapshot')
  // The token is a second subprotocol entry; the hello claims no identity.
  assert.deepEqual(WebSocket.sockets[0].protocols, ['homeroom.v1', 'homeroom.token.tok.en.ada'])
  assert.deepEqual(server.frames(FrameType.HELLO), [{ protocol: 1, session: 's1', heads: [], mode: '' }])
  assert.equal(c.user, 'u-ada') // from welcome
  assert.equal(c.role, 'teacher')
  assert.deepEqual(c.toJSON(), { meta: { schema: 1, session: 's1' }, board: { seed: { id: 'seed', points: [0, 0] } }, hands: {}, presence: {} })
  assert.deepEqual(c.serverHeads, serverHeads(server))
  assert.deepEqual(c.heads, serverHeads(server))
  assert.deepEqual(c.states, ['connecting', 'live'])
  c.close()
  assert.equal(c.state, 'closed')
})

test('local edits are sent with increasing refs, acked and broadcast', async (t) => {
  const server = new FakeServer()
  const a = newClient(t, server)
  const b = newClient(t, server)
  a.connect()
  b.connect()
  await live(a)
  await live(b)
  assert.match(a.user, /^u-tok\.\d+$/) // from the server's welcome
  assert.notEqual(a.user, b.user)
  let remote = 0
  b.addEventListener('change', () => remote++)

  a.addStroke(stroke('a1'))
  a.appendPoints('a1', [5, 6])
  a.raiseHand()
  assert.ok(a.pendingChanges > 0)
  await eventually(() => a.pendingChanges === 0, 'acks')
  assert.deepEqual(server.frames(FrameType.CHANGES).map((f) => f.ref), [1, 2, 3])
  assert.deepEqual(a.serverHeads, serverHeads(server))

  await eventually(() => boardIds(b).includes('a1'), 'broadcast to b')
  assert.ok(remote > 0)
  const s = b.toJSON().board.a1
  assert.deepEqual(s.points, [1, 2, 3, 4, 5, 6])
  assert.equal(s.author, a.user)
  assert.equal(typeof s.created, 'number')
  assert.equal(typeof b.toJSON().hands[a.user], 'number')
  // ids, colors and tools are scalar strings, not text
  assert.ok(A.isImmutableString(server.doc.board.a1.color))

  a.lowerHand()
  await eventually(() => !(a.user in b.toJSON().hands), 'hand lowered')
  a.close()
  b.close()
})

test('reconnect sends the last server heads, gets what it missed, then sends offline edits', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  c.addStroke(stroke('before'))
  await eventually(() => c.pendingChanges === 0, 'ack')
  const seen = c.serverHeads

  // Keep the client away until the offline edits are made.
  server.down = true
  server.kick(4008, 'slow_consumer')
  await eventually(() => c.state === 'reconnecting', 'reconnecting')
  c.addStroke(stroke('offline-1')) // offline edits just queue
  c.addStroke(stroke('offline-2'))
  server.change((d) => {
    d.board.server = { id: new A.ImmutableString('server'), points: [] }
  })
  server.down = false
  await live(c)
  const hellos = server.frames(FrameType.HELLO)
  assert.equal(hellos.length, 2)
  assert.deepEqual(hellos[1].heads, seen)
  assert.equal(c.welcome.mode, 'changes')

  await eventually(() => c.pendingChanges === 0, 'offline edits acked')
  assert.deepEqual(boardIds(c), ['before', 'offline-1', 'offline-2', 'seed', 'server'])
  assert.deepEqual(c.heads, serverHeads(server))
  assert.deepEqual(c.serverHeads, serverHeads(server))
  assert.deepEqual(c.states, ['connecting', 'live', 'reconnecting', 'live'])
  c.close()
})

test('a change applied by the server but never acked is not lost nor doubled', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.onChanges = (peer, ref, chunks) => {
    server.onChanges = null
    server.applyFromPeer(peer, chunks)
    peer.close(4011, 'internal_error') // applied, but the ack never leaves
    return false
  }
  c.addStroke(stroke('lost-ack'))
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin')
  await eventually(() => c.pendingChanges === 0, 'server has everything')
  assert.deepEqual(c.serverHeads, serverHeads(server))
  assert.equal(server.frames(FrameType.CHANGES).length, 1) // nothing to resend
  c.close()
})

test('a token is required and must be a JWT', () => {
  const WebSocket = fakeWebSocket(new FakeServer())
  assert.throws(() => new HomeroomClient({ url: 'ws://fake/ws', session: 's1', WebSocket }), /url, session and token are required/)
  assert.throws(() => new HomeroomClient({ url: 'ws://fake/ws', session: 's1', token: 'a b', WebSocket }), /token must be a JWT/)
})

test('a refused join is final, with the reason of the error frame before the close', async (t) => {
  const refusals = [
    [4001, 'unauthorized', 'unauthorized', 'join token is not valid'],
    [4002, 'token_expired', 'unauthorized', 'join token expired: sign in again'],
    [4003, 'forbidden', 'forbidden', 'you are not enrolled in this course'],
    [4005, 'bad_signature', 'unauthorized', 'join token signature is not valid'],
    [4009, 'removed', 'removed', 'you were removed from this session'],
    [4010, 'session_ended', 'session_ended', 'this session has ended'],
  ]
  for (const [close, name, code, message] of refusals) {
    const server = new FakeServer()
    server.identify = () => ({ refuse: { close, code, message } })
    const c = newClient(t, server)
    const offline = new Promise((r) => c.addEventListener('state', (e) => e.detail.state === 'offline' && r(e.detail)))
    c.connect()
    const detail = await offline
    assert.equal(detail.code, close)
    assert.equal(detail.name, name)
    assert.equal(detail.reason, message)
    assert.equal(detail.error.code, code)
    assert.deepEqual(c.lastClose, { code: close, name, reason: message, error: detail.error })
    assert.deepEqual(c.errors.map((e) => e.code), [code])
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(server.tokens.length, 1, `no retry after ${close}`)
    assert.equal(c.state, 'offline')
  }
})

test('a join without a token is refused with 4001 by the fake server too', async (t) => {
  const server = new FakeServer()
  const WS = fakeWebSocket(server)
  class NoToken extends WS {
    constructor(url, protocols) {
      super(url, [protocols[0]])
    }
  }
  const c = newClient(t, server, { WebSocket: NoToken })
  c.connect()
  await eventually(() => c.state === 'offline', 'offline')
  assert.equal(c.lastClose.name, 'unauthorized')
  assert.equal(c.lastClose.reason, 'a join token is required')
})

test('removed or session ended while live: final, no reconnect', async (t) => {
  for (const [close, code] of [
    [4009, 'removed'],
    [4010, 'session_ended'],
  ]) {
    const server = new FakeServer()
    const c = newClient(t, server)
    c.connect()
    await live(c)
    for (const p of server.peers) server.sendError(p, { code, message: `bye (${code})` })
    server.kick(close) // no close reason: the error frame supplies it
    await eventually(() => c.state === 'offline', `offline after ${close}`)
    assert.deepEqual({ ...c.lastClose, error: undefined }, { code: close, name: code, reason: `bye (${code})`, error: undefined })
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(server.frames(FrameType.HELLO).length, 1)
  }
})

test('no reconnect after 1000, 1009 or 4000', async (t) => {
  for (const code of [1000, 1009, 4000]) {
    const server = new FakeServer()
    const c = newClient(t, server)
    c.connect()
    await live(c)
    server.kick(code)
    await eventually(() => c.state === 'offline', `offline after ${code}`)
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(server.frames(FrameType.HELLO).length, 1, `no retry after ${code}`)
    // offline edits keep working on the local copy
    c.addStroke(stroke('x'))
    assert.ok(boardIds(c).includes('x'))
  }
})

test('backoff retries while the server is unreachable', async (t) => {
  const server = new FakeServer()
  const WS = fakeWebSocket(server)
  let refuse = 3
  class Flaky extends WS {
    constructor(url, protocols) {
      super(url, protocols)
      if (refuse-- > 0) this.close(1006, 'refused')
    }
  }
  const c = newClient(t, server, { WebSocket: Flaky })
  c.connect()
  await live(c)
  assert.equal(Flaky.sockets.length, 4)
  assert.deepEqual(c.states, ['connecting', 'reconnecting', 'live'])
  c.close()
})

test('error with reset drops the local copy and rejoins with empty heads', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.onChanges = (peer) => {
    server.sendError(peer, { code: 'bad_change', message: 'no', reset: true })
    return false
  }
  c.addStroke(stroke('rejected'))
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin')
  server.onChanges = null
  assert.deepEqual(server.frames(FrameType.HELLO)[1].heads, [])
  assert.equal(c.welcome.mode, 'snapshot')
  assert.deepEqual(boardIds(c), ['seed'])
  assert.deepEqual(c.heads, serverHeads(server))
  assert.equal(c.errors[0].code, 'bad_change')
  c.close()
})

/**
 * Makes server refuse, like a locked board, every changes frame that adds a stroke:
 * an error with reset: true and nothing applied. Frames whose dependencies are
 * unknown (sent after the refused one, on the dropped connection) are ignored.
 */
function lockBoard(server) {
  server.onChanges = (peer, ref, chunks) => {
    const [after] = A.applyChanges(A.clone(server.doc), chunks)
    const applied = A.hasHeads(after, chunks.map((c) => A.decodeChange(c).hash))
    if (applied && Object.keys(after.board).length === Object.keys(server.doc.board).length) return true
    if (applied) server.sendError(peer, { code: 'board_locked', message: 'the board is locked', ref, reset: true })
    return false
  }
}

test('reset: the own raised hand is raised again after the fresh rejoin, strokes are dropped', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  lockBoard(server)
  // Two frames: the stroke is refused, so the hand (which depends on it) never lands.
  c.addStroke(stroke('locked'))
  c.raiseHand()
  const raisedAt = c.toJSON().hands[c.user]
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin after reset')
  assert.deepEqual(server.frames(FrameType.HELLO)[1].heads, [], 'fresh join')
  assert.equal(c.welcome.mode, 'snapshot')
  await eventually(() => c.pendingChanges === 0, 'hand acked')
  assert.equal(A.toJS(server.doc).hands[c.user], raisedAt, 'hand raised again, at its original time')
  assert.equal(server.doc.board.locked, undefined)
  assert.deepEqual(boardIds(c), ['seed'])
  assert.deepEqual(c.heads, serverHeads(server))
  assert.deepEqual(c.errors.map((e) => e.code), ['board_locked'])
})

test('reset: an unacknowledged lower is applied again; an acknowledged hand is left alone', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  c.raiseHand()
  await eventually(() => c.pendingChanges === 0, 'raise acked')
  lockBoard(server)
  c.addStroke(stroke('locked'))
  c.lowerHand()
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin after reset')
  await eventually(() => c.pendingChanges === 0 && !(c.user in A.toJS(server.doc).hands), 'hand lowered on the server')
  assert.deepEqual(c.toJSON().hands, {})

  // Now the hand state is on the server: a refused stroke re-applies nothing.
  const changes = server.frames(FrameType.CHANGES).length
  c.addStroke(stroke('locked-2'))
  await eventually(() => server.frames(FrameType.HELLO).length === 3 && c.state === 'live', 'second rejoin')
  await new Promise((r) => setTimeout(r, 20))
  assert.equal(server.frames(FrameType.CHANGES).length, changes + 1, 'only the refused stroke was sent')
  assert.deepEqual(c.heads, serverHeads(server))
})

test('reset: a re-applied hand that is refused again is dropped, not looped', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.onChanges = (peer, ref) => {
    server.sendError(peer, { code: 'forbidden', message: 'no', ref, reset: true })
    return false
  }
  c.raiseHand()
  await eventually(() => server.frames(FrameType.HELLO).length === 3 && c.state === 'live', 'two rejoins')
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(server.frames(FrameType.HELLO).length, 3)
  assert.equal(server.frames(FrameType.CHANGES).length, 2, 'the raise, then its one re-application')
  assert.deepEqual(c.toJSON().hands, {})
})

test('missing_deps resyncs and resends', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.onChanges = (peer, ref) => {
    server.onChanges = null
    peer.send([{ type: FrameType.ERROR, payload: new TextEncoder().encode(JSON.stringify({ code: 'missing_deps', ref, temporary: true })) }])
    return false
  }
  c.addStroke(stroke('retry'))
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.pendingChanges === 0, 'resent after resync')
  assert.ok(server.doc.board.retry)
  c.close()
})

test('a temporary error (rate_limited) resends without reconnecting', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.onChanges = (peer, ref) => {
    server.onChanges = null
    server.sendError(peer, { code: 'rate_limited', ref, temporary: true })
    return false
  }
  c.addStroke(stroke('limited'))
  await eventually(() => c.pendingChanges === 0, 'resent')
  assert.equal(server.frames(FrameType.HELLO).length, 1)
  assert.deepEqual(server.frames(FrameType.CHANGES).map((f) => f.ref), [1, 2])
  c.close()
})

test('sync mode: forced, and as fallback when the server lost state', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server, { mode: 'sync' })
  c.connect()
  await live(c)
  assert.equal(c.welcome.mode, 'sync')
  assert.deepEqual(c.serverHeads, serverHeads(server))
  assert.deepEqual(boardIds(c), ['seed'])

  const base = A.getHeads(server.doc)
  c.addStroke(stroke('kept'))
  await eventually(() => c.pendingChanges === 0, 'ack')
  server.forgetAfter(base) // the server loses 'kept'
  server.kick(1012, 'restart')
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin')
  assert.equal(c.welcome.mode, 'sync')
  await eventually(() => server.doc.board.kept !== undefined, 'server got kept back via sync')
  assert.deepEqual(c.serverHeads, serverHeads(server))
  assert.equal(c.pendingChanges, 0)
  c.close()
})

test('large backlogs are split to fit max_message_bytes', async (t) => {
  const server = new FakeServer({ maxMessageBytes: 600 })
  const c = newClient(t, server)
  c.connect()
  await live(c)
  server.down = true
  server.kick(4004)
  await eventually(() => c.state === 'reconnecting', 'reconnecting')
  for (let i = 0; i < 6; i++) c.addStroke(stroke(`s${i}`))
  server.down = false
  await eventually(() => c.state === 'live' && c.pendingChanges === 0, 'backlog acked')
  const frames = server.frames(FrameType.CHANGES)
  assert.ok(frames.length > 1 && frames.length < 6, `${frames.length} frames`)
  c.close()
})

test('presence: sent on join, on setPresence (throttled) and as heartbeat; received as events', async (t) => {
  const server = new FakeServer()
  const a = newClient(t, server, { heartbeatMs: 20 })
  const b = newClient(t, server)
  a.connect()
  b.connect()
  await live(a)
  await live(b)
  const seen = []
  b.addEventListener('presence', (e) => seen.push(e.detail))
  const fromA = () => server.log.filter((f) => f.type === FrameType.PRESENCE && f.peer === a.welcome.peer)
  await eventually(() => fromA().length > 0, 'presence on join')
  assert.deepEqual(fromA()[0].value, { cursor: null, status: 'active' })
  for (let i = 0; i < 20; i++) a.setPresence({ cursor: [i, i] })
  await eventually(() => fromA().some((f) => f.value.cursor?.[0] === 19), 'latest cursor sent')
  // 20 moves in one tick: at most the first and the last go out.
  const sent = new Set(fromA().map((f) => f.value.cursor?.[0]).filter((x) => x !== undefined))
  assert.deepEqual([...sent].filter((x) => x !== 0 && x !== 19), [])
  const n = fromA().length
  await eventually(() => fromA().length > n + 1, 'heartbeats')
  assert.equal(seen.at(-1).peers[0].user, a.user)
  a.close()
  b.close()
})

test('app frames and change() before the first join', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server)
  assert.throws(() => c.addStroke(stroke('early')), /no document yet/)
  assert.equal(c.sendApp({ type: 'chat.send', text: 'hi' }), false)
  c.connect()
  await live(c)
  assert.equal(c.sendApp({ type: 'chat.send', text: 'hi' }), true)
  await eventually(() => server.frames(FrameType.APP).length === 1, 'app frame')
  assert.deepEqual(server.frames(FrameType.APP)[0], { type: 'chat.send', text: 'hi' })
  c.close()
})

test('a server choosing another subprotocol stops the client', async (t) => {
  const server = new FakeServer()
  const c = newClient(t, server, { WebSocket: fakeWebSocket(server, { protocol: '' }) })
  c.connect()
  await eventually(() => c.state === 'offline', 'offline')
  assert.match(c.errors[0].message, /subprotocol/)
})
