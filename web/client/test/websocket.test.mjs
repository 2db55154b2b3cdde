// The client over real sockets: Node's built-in WebSocket (run with
// --experimental-websocket on Node 20) against the fake server behind `ws`,
// and the interop CLI end to end.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as A from '@automerge/automerge'
import { HomeroomClient } from '../homeroom.js'
import { FrameType } from '../frames.js'
import { FakeServer, eventually } from './support/fake-server.mjs'
import { serveWs } from './support/ws-server.mjs'

const interop = fileURLToPath(new URL('../interop.mjs', import.meta.url))

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--experimental-websocket', interop, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, stdout, stderr }),
    )
  })
}

// A JWT-shaped token (header.claims.signature, base64url).
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LWFkYSJ9.c2lnbmF0dXJlLV8tMDEy'

test('built-in WebSocket: subprotocol and token, binary frames, join, edit, reconnect', async (t) => {
  assert.equal(typeof globalThis.WebSocket, 'function', 'run with --experimental-websocket')
  const server = new FakeServer()
  server.identify = (token) => ({ user: token === TOKEN ? 'u-ada' : 'someone-else', role: 'moderator' })
  const ws = await serveWs(server)
  t.after(() => ws.close())
  const c = new HomeroomClient({ url: ws.url, session: 's1', token: TOKEN, backoff: { base: 5, cap: 20 } })
  t.after(() => c.close())
  c.connect()
  await eventually(() => c.state === 'live', 'live')
  assert.deepEqual(server.tokens, [TOKEN])
  assert.equal(c.user, 'u-ada')
  assert.equal(c.role, 'moderator')
  c.addStroke({ id: 'w1', tool: 'pen', color: '#000', width: 1, points: [0, 0] })
  await eventually(() => c.pendingChanges === 0, 'ack')
  server.kick(1012, 'service restart')
  await eventually(() => server.frames(FrameType.HELLO).length === 2 && c.state === 'live', 'rejoin')
  assert.equal(c.welcome.mode, 'changes')
  assert.deepEqual(c.heads, A.getHeads(server.doc).sort())
  c.close()
})

test('built-in WebSocket: a refused connection is retried with backoff', async (t) => {
  const server = new FakeServer()
  const ws = await serveWs(server)
  const url = ws.url
  await ws.close() // nothing listens on the port now
  let attempts = 0
  class Counting extends globalThis.WebSocket {
    constructor(...args) {
      super(...args)
      attempts++
    }
  }
  const c = new HomeroomClient({ url, session: 's1', token: TOKEN, WebSocket: Counting, backoff: { base: 5, cap: 20 } })
  t.after(() => c.close())
  c.connect()
  await eventually(() => attempts >= 3, 'three attempts')
  assert.equal(c.state, 'reconnecting')
})

test('interop CLI draws, waits for others and prints heads and state', async (t) => {
  const server = new FakeServer()
  const ws = await serveWs(server)
  t.after(() => ws.close())
  const pending = run(['--url', ws.url, '--session', 's1', '--token', TOKEN, '--strokes', '3', '--wait-strokes', '6', '--timeout', '30000'])
  // Someone else draws two more strokes; with the seed that makes 6.
  await eventually(() => Object.keys(server.doc.board).length >= 4, 'js strokes', 30_000)
  server.change((d) => {
    d.board.go1 = { id: new A.ImmutableString('go1'), points: [] }
    d.board.go2 = { id: new A.ImmutableString('go2'), points: [] }
  })
  const { code, stdout, stderr } = await pending
  assert.equal(code, 0, stderr)
  const lines = stdout.trim().split('\n')
  assert.equal(lines.length, 1)
  const out = JSON.parse(lines[0])
  assert.deepEqual(out.heads, A.getHeads(server.doc).sort())
  const js = Object.keys(out.state.board).filter((id) => id.startsWith('js-'))
  assert.equal(js.length, 3)
  assert.deepEqual(out.state.board[js[0]].points.length, 6)
  assert.equal(out.state.board[js[0]].color, '#1e88e5')
  assert.equal(Object.keys(out.state.board).length, 6)
})

test('interop CLI times out with a message', async (t) => {
  const server = new FakeServer()
  const ws = await serveWs(server)
  t.after(() => ws.close())
  const { code, stdout, stderr } = await run(['--url', ws.url, '--session', 's1', '--token', TOKEN, '--strokes', '1', '--wait-strokes', '50', '--timeout', '1500'])
  assert.equal(code, 1)
  assert.equal(stdout, '')
  assert.match(stderr, /timeout after 1500 ms: state=\w+, board has \d+ strokes \(want 50\)/)
})

test('built-in WebSocket: a refused join is final and says why', async (t) => {
  const server = new FakeServer()
  server.identify = () => ({ refuse: { close: 4002, code: 'unauthorized', message: 'join token expired: sign in again' } })
  const ws = await serveWs(server)
  t.after(() => ws.close())
  const c = new HomeroomClient({ url: ws.url, session: 's1', token: TOKEN, backoff: { base: 5, cap: 20 } })
  t.after(() => c.close())
  const offline = new Promise((r) => c.addEventListener('state', (e) => e.detail.state === 'offline' && r(e.detail)))
  c.connect()
  const detail = await offline
  assert.equal(detail.code, 4002)
  assert.equal(detail.name, 'token_expired')
  assert.equal(detail.reason, 'join token expired: sign in again')
  assert.equal(detail.error.code, 'unauthorized')
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(server.tokens.length, 1, 'no reconnect')
})

test('interop CLI exits 1 on a refused join, with the close code and reason', async (t) => {
  const server = new FakeServer()
  server.identify = () => ({ refuse: { close: 4005, code: 'unauthorized', message: 'join token signature is not valid' } })
  const ws = await serveWs(server)
  t.after(() => ws.close())
  const { code, stdout, stderr } = await run(['--url', ws.url, '--session', 's1', '--token', TOKEN, '--timeout', '10000'])
  assert.equal(code, 1)
  assert.equal(stdout, '')
  assert.match(stderr, /connection closed: 4005 bad_signature: join token signature is not valid/)
  assert.deepEqual(server.tokens, [TOKEN])
})

test('interop CLI rejects bad arguments', async () => {
  for (const args of [['--session', 's1', '--token', TOKEN], ['--url', 'ws://127.0.0.1:1/ws', '--session', 's1']]) {
    const { code, stderr } = await run(args)
    assert.equal(code, 2)
    assert.match(stderr, /--url, --session and --token are required/)
  }
  const { code, stderr } = await run(['--url', 'ws://127.0.0.1:1/ws', '--session', 's1', '--token', TOKEN, '--user', 'u'])
  assert.equal(code, 2, '--user is gone: identity comes from the token')
  assert.match(stderr, /--user/)
})
