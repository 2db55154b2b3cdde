#!/usr/bin/env node
// Interop driver for the Go integration tests:
//
//   node --experimental-websocket web/client/interop.mjs --url ws://127.0.0.1:PORT/ws \
//     --session S --token JWT --strokes 5 --wait-strokes N --timeout 10000 [--settle MS]
//
// Joins the session as the user the token names (its role comes from the user's
// enrollment), draws --strokes strokes (ids "js-<random>-<i>"), waits until
// the board holds at least --wait-strokes strokes and every own change is acked,
// (with --settle, until no change has arrived for MS milliseconds more)
// then prints one line of JSON, {"heads": [...sorted hex], "state": <doc JSON>},
// and exits 0. On timeout, a non-retryable close (a refused join: 4001 unauthorized,
// 4002 token_expired, 4003 forbidden, 4005 bad_signature, ...) or a permanent error
// frame it prints the reason on stderr and exits 1 (2 for bad arguments).

import { parseArgs } from 'node:util'
import { HomeroomClient } from './homeroom.js'

function usage(msg) {
  process.stderr.write(
    `interop: ${msg}\nusage: interop.mjs --url URL --session S --token JWT ` +
      `[--strokes 5] [--wait-strokes N] [--timeout 10000] [--settle 0] [--mode sync]\n`,
  )
  process.exit(2)
}

function int(values, name, dflt) {
  if (values[name] === undefined) return dflt
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < 0) usage(`--${name} must be a non-negative integer`)
  return n
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      url: { type: 'string' },
      session: { type: 'string' },
      token: { type: 'string' },
      strokes: { type: 'string' },
      'wait-strokes': { type: 'string' },
      timeout: { type: 'string' },
      mode: { type: 'string', default: '' },
      settle: { type: 'string' },
    },
  }))
} catch (err) {
  usage(err.message)
}
if (!values.url || !values.session || !values.token) usage('--url, --session and --token are required')
const strokes = int(values, 'strokes', 5)
const waitStrokes = int(values, 'wait-strokes', strokes)
const timeoutMs = int(values, 'timeout', 10_000)
const settleMs = int(values, 'settle', 0)

let client
try {
  client = new HomeroomClient({
    url: values.url,
    session: values.session,
    token: values.token,
    mode: values.mode,
  })
} catch (err) {
  process.stderr.write(`interop: ${err.message}\n`)
  process.exit(1)
}

function fail(msg) {
  process.stderr.write(`interop: ${msg}\n`)
  client.close()
  process.exit(1)
}

const timer = setTimeout(() => {
  const board = client.doc?.board ? Object.keys(client.doc.board).length : 0
  fail(
    `timeout after ${timeoutMs} ms: state=${client.state}, board has ${board} strokes ` +
      `(want ${waitStrokes}), ${client.pendingChanges} own changes not acked`,
  )
}, timeoutMs)

let drawn = false
const prefix = `js-${Math.random().toString(16).slice(2, 8)}-`

let settleTimer = null

function check() {
  if (!drawn || client.state !== 'live' || client.pendingChanges > 0) return
  if (Object.keys(client.doc.board).length < waitStrokes) return
  // With --settle, print only once no change has arrived for that long,
  // so the printed heads are a quiescent state others can be compared to.
  clearTimeout(settleTimer)
  settleTimer = setTimeout(finish, settleMs)
}

function finish() {
  clearTimeout(timer)
  process.stdout.write(JSON.stringify({ heads: client.heads, state: client.toJSON() }) + '\n')
  client.close()
  process.exit(0)
}

client.addEventListener('synced', () => {
  if (!drawn) {
    drawn = true
    for (let i = 0; i < strokes; i++) {
      const x = 10 * i
      client.addStroke({ id: `${prefix}${i}`, tool: 'pen', color: '#1e88e5', width: 2, points: [x, 0, x + 5, 5] })
      client.appendPoints(`${prefix}${i}`, [x + 10, 10])
    }
    client.setPresence({ cursor: [0, 0], status: 'active' })
  }
  check()
})
client.addEventListener('change', check)
client.addEventListener('ack', check)
client.addEventListener('error', (e) => {
  const err = e.detail
  if (err.local || !err.temporary) {
    process.stderr.write(`interop: error ${err.code}: ${err.message ?? ''}\n`)
  }
  // A refused join (ref 0) is followed by its close, which fail()s with code and reason.
  if (!err.local && !err.temporary && err.ref) fail(`server error ${err.code} (ref ${err.ref}): ${err.message ?? ''}`)
})
client.addEventListener('state', (e) => {
  const { state, code, name, reason } = e.detail
  if (state === 'offline') fail(`connection closed: ${code ?? ''} ${name ?? ''}: ${reason ?? ''}`)
})
client.connect()
