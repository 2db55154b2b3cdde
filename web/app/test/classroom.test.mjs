// The classroom model and undo/redo against the client's fake server.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Classroom } from '../classroom.js'
import { History } from '../tools/history.js'
import { FakeServer, eventually, fakeWebSocket } from '../../client/test/support/fake-server.mjs'

function room(t, server, token, role = 'student') {
  server.identify = (tok) => (tok === token ? { user: `u-${token}`, role } : {})
  const r = new Classroom({ url: 'ws://fake/ws', session: server.session, token, claims: { sub: `u-${token}`, name: token }, WebSocket: fakeWebSocket(server) })
  r.notices = []
  r.addEventListener('notice', (e) => r.notices.push(e.detail))
  t.after(() => r.client.close())
  return r
}

const live = (r) => eventually(() => r.client.state === 'live', 'live')
const pen = { tool: 'pen', color: '#111827', width: 4, points: [0, 0, 10, 10] }

test('hands in raise order; the roster with live status; who may draw', async (t) => {
  const server = new FakeServer()
  const a = room(t, server, 'a')
  a.client.connect()
  await live(a)
  server.change((d) => {
    d.hands['u-z'] = 100
    d.hands['u-b'] = 200
    d.hands['u-y'] = 100
    d.presence['u-z'] = { name: 'Zed', role: 'student', status: 'online' }
    d.presence['u-b'] = { name: 'Bo', role: 'student', status: 'offline', left_at: Date.now() }
    d.presence['u-t'] = { name: 'Teach', role: 'teacher', status: 'online' }
    d.presence['u-old'] = { name: 'Old', role: 'student', status: 'offline', left_at: 1 }
  })
  await eventually(() => a.hands().length === 3, 'hands')
  assert.deepEqual(a.hands().map((h) => h.user), ['u-y', 'u-z', 'u-b'])
  assert.equal(a.hands()[1].name, 'Zed')
  a.peers.set('p9', { peer: 'p9', user: 'u-z', status: 'away' })
  const people = Object.fromEntries(a.participants().map((p) => [p.user, p.status]))
  assert.deepEqual(people, { 'u-t': 'here', 'u-a': 'here', 'u-z': 'away', 'u-b': 'reconnecting', 'u-old': 'offline' })
  assert.equal(a.participants()[0].user, 'u-t') // teachers first
  assert.equal(a.drawRefusal, '')
  server.change((d) => {
    d.meta.settings = { board_locked: true }
  })
  await eventually(() => a.boardLocked, 'locked')
  assert.match(a.drawRefusal, /locked/)
})

test('undo and redo of own drawings and erases, under fresh ids', async (t) => {
  const server = new FakeServer()
  const a = room(t, server, 'a')
  a.client.connect()
  await live(a)
  const h = new History(a)
  const id = a.addStroke(pen)
  h.drew([id])
  assert.ok(h.canUndo && !h.canRedo)
  assert.ok(h.undo())
  assert.equal(a.stroke(id), null)
  assert.ok(h.redo())
  const [again] = Object.keys(a.doc.board).filter((k) => k !== 'seed')
  assert.notEqual(again, id)
  assert.deepEqual(a.stroke(again).points, pen.points)
  assert.equal(a.stroke(again).author, 'u-a')

  const rec = a.stroke(again)
  a.deleteStrokes([again])
  h.erased([rec])
  assert.ok(h.undo()) // the erase
  assert.equal(Object.keys(a.doc.board).filter((k) => k !== 'seed').length, 1)
  await eventually(() => Object.keys(server.doc.board).length === 2, 'server has it')

  // Locked: undo is refused with a reason.
  server.change((d) => {
    d.meta.settings = { board_locked: true }
  })
  await eventually(() => a.boardLocked, 'locked')
  assert.equal(h.undo(), false)
  assert.match(a.notices.at(-1).text, /Cannot undo: the board is locked/)
})

test('act: offline actions are not queued, and the person is told', async (t) => {
  const server = new FakeServer()
  const a = room(t, server, 'a', 'teacher')
  assert.equal(a.lockBoard(true), false)
  assert.equal(a.notices.at(-1).code, 'offline')
  a.client.connect()
  await live(a)
  assert.equal(a.isStaff, true)
  assert.equal(a.lockBoard(true), true)
})

test('app frames: role changes, video fallback, refusals become notices', async (t) => {
  const server = new FakeServer()
  const a = room(t, server, 'a')
  a.client.connect()
  await live(a)
  const peer = [...server.peers][0]
  const app = (v) => peer.send([{ type: 0x07, payload: new TextEncoder().encode(JSON.stringify(v)) }])
  app({ type: 'session_state', video: { provider: 'jitsi', join_url: 'https://meet.example/x', fallback_url: 'https://backup.example/x' } })
  await eventually(() => a.video?.join_url, 'video')
  app({ type: 'video_fallback', url: 'https://backup.example/y', reason: 'error_rate' })
  await eventually(() => a.video.fallback, 'fallback')
  assert.equal(a.video.fallback_url, 'https://backup.example/y')
  app({ type: 'member.role', user: 'u-a', role: 'moderator' })
  await eventually(() => a.role === 'moderator', 'role')
  assert.ok(a.isStaff)
  const codes = a.notices.map((n) => n.code)
  assert.ok(codes.includes('video_fallback') && codes.includes('member.role'))
})

test('cursors: one per user, the latest; none for offline users or me', async (t) => {
  const server = new FakeServer()
  const a = room(t, server, 'a')
  a.client.connect()
  await live(a)
  server.change((d) => {
    d.presence['u-gone'] = { name: 'Gone', status: 'offline', left_at: 1 }
  })
  await eventually(() => a.doc.presence['u-gone'], 'roster')
  a.peers.set('p1', { peer: 'p1', user: 'u-b', cursor: [1, 1], at: 1 })
  a.peers.set('p2', { peer: 'p2', user: 'u-b', cursor: [2, 2], at: 2 })
  a.peers.set('p3', { peer: 'p3', user: 'u-gone', cursor: [3, 3], at: 3 })
  a.peers.set('p4', { peer: 'p4', user: 'u-a', cursor: [4, 4], at: 4 })
  a.peers.set('p5', { peer: 'p5', user: 'u-c', cursor: null, at: 5 })
  assert.deepEqual(a.cursors().map((p) => p.peer), ['p2'])
})
