// The chat and poll models (activities/) against the client's fake server: chat
// merged by seq across reconnects without duplicates, our messages resent with
// their id; poll answers resent with one attempt_id until acknowledged.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Classroom } from '../classroom.js'
import { ChatLog } from '../activities/chat.js'
import { PollBook, answerText } from '../activities/polls.js'
import { FrameType } from '../../client/frames.js'
import { FakeServer, eventually, fakeWebSocket } from '../../client/test/support/fake-server.mjs'

function newServer() {
  const server = new FakeServer()
  server.chat = []
  server.identify = (tok) => ({ user: `u-${tok}`, role: tok.startsWith('t') ? 'teacher' : 'student' })
  return server
}

function room(t, server, token) {
  const r = new Classroom({ url: 'ws://fake/ws', session: server.session, token, claims: { sub: `u-${token}`, name: token }, WebSocket: fakeWebSocket(server) })
  r.notices = []
  r.addEventListener('notice', (e) => r.notices.push(e.detail))
  t.after(() => r.client.close())
  return r
}

const live = (r) => eventually(() => r.client.state === 'live', 'live')
const seqs = (log) => log.list().map((m) => m.seq)
const peerOf = (server, user) => [...server.peers].find((p) => p.user === user)
const sent = (server, type) => server.frames(FrameType.APP).filter((m) => m.type === type)

/** Drops r's connection and keeps the server unreachable while fn runs. */
async function away(server, r, fn) {
  server.down = true
  server.kick(1012, 'restart')
  await eventually(() => r.client.state === 'reconnecting', 'reconnecting')
  await fn()
  server.down = false
  r.client.retryNow()
  await live(r)
}

test('chat: own echo once, missed messages merged by seq after a reconnect, unread counted', async (t) => {
  const server = newServer()
  server.postChat({ text: 'before anyone came' })
  const ada = room(t, server, 'ada')
  const log = new ChatLog(ada)
  ada.client.connect()
  await eventually(() => log.list().length === 1, 'the join history')
  assert.equal(log.unread(), 0, 'what was said before the join is not unread')

  assert.equal(log.send('hello class'), '')
  await eventually(() => log.outbox.size === 0, 'the echo')
  assert.deepEqual(seqs(log), [1, 2])
  assert.equal(log.list()[1].text, 'hello class')

  await away(server, ada, async () => {
    server.postChat({ user: 'u-bo', text: 'missed one' })
    server.postChat({ user: 'u-bo', text: 'missed two' })
    log.send('written offline') // sent once live again
    assert.equal(log.outbox.size, 1)
  })
  await eventually(() => log.outbox.size === 0 && log.list().length === 5, 'merged and sent')
  const hellos = server.frames(FrameType.HELLO)
  assert.equal(hellos.at(-1).chat_since, 2)
  assert.deepEqual(seqs(log), [1, 2, 3, 4, 5], 'no gap, no duplicate')
  assert.equal(log.list()[4].text, 'written offline')
  assert.equal(log.unread(), 2, 'the two missed messages from others')
  log.markRead()
  assert.equal(log.unread(), 0)
})

test('chat: a send whose echo was lost is resent with its id and kept once', async (t) => {
  const server = newServer()
  const ada = room(t, server, 'ada')
  const log = new ChatLog(ada)
  ada.client.connect()
  await live(ada)
  let drop = true
  server.onApp = (peer, msg) => {
    if (msg.type !== 'chat_send' || !drop) return true
    drop = false
    // Stored, but the connection breaks before the echo leaves.
    server.chat.push({ seq: 1, id: msg.id, user: peer.user, name: peer.user, role: 'student', to: '', text: msg.text, at: new Date().toISOString() })
    peer.close(1006)
    return false
  }
  log.send('once only')
  await eventually(() => log.outbox.size === 0 && ada.client.state === 'live', 'delivered after the reconnect')
  await eventually(() => sent(server, 'chat_send').length === 2, 'the resend')
  const [first, again] = sent(server, 'chat_send')
  assert.equal(again.id, first.id, 'the same id')
  assert.deepEqual(seqs(log), [1])
  assert.equal(server.chat.length, 1)
})

test('chat: a temporary refusal is resent with the same id; a permanent one waits for the person', async (t) => {
  const server = newServer()
  const ada = room(t, server, 'ada')
  const log = new ChatLog(ada)
  ada.client.connect()
  await live(ada)
  let refuse = 'rate_limited'
  server.onApp = (peer, msg) => {
    if (msg.type !== 'chat_send' || !refuse) return true
    server.sendError(peer, { code: refuse, temporary: refuse === 'rate_limited', for: msg.id, message: refuse })
    refuse = refuse === 'rate_limited' ? '' : refuse
    return false
  }
  log.send('slow down')
  await eventually(() => log.list().length === 1, 'sent after the backoff', 5000)
  const sends = sent(server, 'chat_send')
  assert.equal(sends.length, 2)
  assert.equal(sends[0].id, sends[1].id)

  refuse = 'chat_locked'
  log.send('while locked')
  await eventually(() => [...log.outbox.values()][0]?.status === 'failed', 'failed')
  assert.equal([...log.outbox.values()][0].error, 'chat_locked')
  refuse = ''
  log.retry([...log.outbox.keys()][0])
  await eventually(() => log.outbox.size === 0 && log.list().length === 2, 'sent by hand')
})

test('chat: muted, locked and deleted', async (t) => {
  const server = newServer()
  const ada = room(t, server, 'ada')
  const log = new ChatLog(ada)
  ada.client.connect()
  await live(ada)
  server.postChat({ user: 'u-ada', text: 'oops' })
  await eventually(() => log.list().length === 1, 'message')
  server.sendApp(peerOf(server, 'u-ada'), { type: 'chat_deleted', seq: 1, by: 'u-teach' })
  await eventually(() => log.list()[0].deleted_at, 'tombstone')
  assert.equal(log.list()[0].text, '')
  assert.equal(log.unread(), 0, 'tombstones are not unread')

  server.sendApp(peerOf(server, 'u-ada'), { type: 'participant.muted', user: 'u-ada', muted: true })
  await eventually(() => log.muted, 'muted')
  assert.match(log.blocked, /muted/)
  server.sendApp(peerOf(server, 'u-ada'), { type: 'participant.muted', user: 'u-ada', muted: false })
  await eventually(() => !log.muted, 'unmuted')

  server.change((d) => {
    d.meta.settings = { chat_locked: true }
  })
  await eventually(() => log.blocked.includes('locked'), 'locked')
  assert.ok(ada.notices.some((n) => n.code === 'chat_locked'), 'told')
})

/** A Storage on a Map. */
function memoryStorage() {
  const m = new Map()
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k), map: m }
}

const started = { type: 'poll_started', poll: { id: 'p-1', kind: 'single', question: 'Two plus two?', options: ['3', '4'], anonymous: false, changeable: false } }

test('polls: session_state lists frames: open polls, results, closed ones', async (t) => {
  const server = newServer()
  const ada = room(t, server, 'ada')
  const book = new PollBook(ada, null)
  ada.client.connect()
  await live(ada)
  server.sendApp(peerOf(server, 'u-ada'), {
    type: 'session_state',
    chat: { last_seq: 0 },
    polls: [started, { type: 'poll_results', poll: 'p-0', results: { counts: [1, 2], total: 3 } }, { type: 'poll_closed', poll: 'p-old' }],
  })
  await eventually(() => book.polls.size === 3, 'three polls')
  assert.equal(book.polls.get('p-1').closed, false)
  assert.equal(book.polls.get('p-1').poll.question, 'Two plus two?')
  assert.deepEqual(book.polls.get('p-0').results.counts, [1, 2])
  assert.equal(book.polls.get('p-0').closed, true)
  assert.equal(book.polls.get('p-old').closed, true)
  assert.equal(book.waiting(), 1)
})

test('polls: one attempt_id, resent after a temporary error, a reconnect and a reload, until poll_ack', async (t) => {
  const server = newServer()
  const storage = memoryStorage()
  const ada = room(t, server, 'ada')
  const book = new PollBook(ada, storage)
  ada.client.connect()
  await live(ada)
  server.sendApp(peerOf(server, 'u-ada'), started)
  await eventually(() => book.polls.size === 1, 'the poll')

  let step = 0
  server.onApp = (peer, msg) => {
    if (msg.type !== 'poll_answer') return true
    step++
    if (step === 1) server.sendError(peer, { code: 'internal', temporary: true, for: msg.attempt_id, message: 'saving' })
    if (step === 2) peer.close(1006) // no ack: the connection broke
    return false // step 3: no answer at all (the page is reloaded below)
  }
  book.answer('p-1', { choices: [1] })
  const attempt = book.polls.get('p-1').answer.attempt_id
  assert.ok(storage.map.size === 1, 'kept until acknowledged')
  await eventually(() => step === 3, 'resent after the error and after the reconnect', 5000)
  assert.equal(book.polls.get('p-1').answer.status, 'sending')
  assert.match(answerText(book.polls.get('p-1').answer), /Sending/)

  // The page reloads: a new book on the same storage sends the kept answer again.
  ada.client.close()
  const again = room(t, server, 'ada')
  const book2 = new PollBook(again, storage)
  server.onApp = (peer, msg) => {
    if (msg.type === 'poll_answer') server.sendApp(peer, { type: 'poll_ack', poll: msg.poll, attempt_id: msg.attempt_id })
    return false
  }
  again.client.connect()
  await live(again)
  server.sendApp(peerOf(server, 'u-ada'), started)
  await eventually(() => book2.polls.get('p-1')?.answer?.status === 'received', 'acknowledged')
  const attempts = new Set(sent(server, 'poll_answer').map((m) => m.attempt_id))
  assert.deepEqual([...attempts], [attempt], 'one attempt id throughout')
  assert.equal(sent(server, 'poll_answer').length, 4)
  assert.equal(storage.map.size, 0, 'forgotten once acknowledged')
  // Answered, and the poll does not allow changes: nothing more is sent.
  book2.answer('p-1', { choices: [0] })
  assert.equal(sent(server, 'poll_answer').length, 4)
})

test('polls: poll_closed and already_answered say so', async (t) => {
  const server = newServer()
  const ada = room(t, server, 'ada')
  const book = new PollBook(ada, null)
  ada.client.connect()
  await live(ada)
  const peer = peerOf(server, 'u-ada')
  server.sendApp(peer, started)
  server.sendApp(peer, { ...started, poll: { ...started.poll, id: 'p-2' } })
  await eventually(() => book.polls.size === 2, 'the polls')
  server.onApp = (p, msg) => {
    if (msg.type === 'poll_answer') {
      const code = msg.poll === 'p-1' ? 'poll_closed' : 'already_answered'
      server.sendError(p, { code, temporary: false, for: msg.attempt_id, message: code })
    }
    return false
  }
  book.answer('p-1', { choices: [0] })
  book.answer('p-2', { choices: [1] })
  await eventually(() => book.polls.get('p-1').answer.status === 'closed' && book.polls.get('p-2').answer.status === 'already', 'refused')
  assert.equal(book.polls.get('p-1').closed, true)
  assert.match(answerText(book.polls.get('p-1').answer), /closed before your answer arrived/)
  assert.match(answerText(book.polls.get('p-2').answer), /already answered/)
  assert.ok(ada.notices.some((n) => n.code === 'poll_closed') && ada.notices.some((n) => n.code === 'already_answered'), 'told')
})

test('polls: the composer sends options and the correct marks of the rows kept', async (t) => {
  const server = newServer()
  const teach = room(t, server, 'teach')
  const book = new PollBook(teach, null)
  teach.client.connect()
  await live(teach)
  assert.equal(book.open({ kind: 'single', question: ' ', options: ['a', 'b'], correct: new Set() }), 'Write the question first.')
  assert.match(book.open({ kind: 'single', question: 'Q', options: ['a', ''], correct: new Set() }), /two options/)
  assert.equal(book.open({ kind: 'single', question: 'Q?', options: ['a', '', 'c'], correct: new Set([2]) }), '')
  assert.equal(book.open({ kind: 'true_false', question: 'Sky blue?', options: [], correct: new Set([0]) }), '')
  await eventually(() => sent(server, 'poll_open').length === 2, 'sent')
  const [single, tf] = sent(server, 'poll_open')
  assert.deepEqual(single.options, ['a', 'c'])
  assert.deepEqual(single.correct, [1])
  assert.deepEqual(tf.correct, [0])
})
