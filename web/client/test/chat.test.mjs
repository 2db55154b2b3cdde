// Chat resume across reconnects: the client remembers the highest chat seq it saw
// and sends it as the hello's chat_since, so the server answers with exactly the
// messages missed (docs/activities.md "Chat").

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HomeroomClient } from '../homeroom.js'
import { FrameType } from '../frames.js'
import { FakeServer, eventually, fakeWebSocket } from './support/fake-server.mjs'

function chatClient(t, server, token) {
  const c = new HomeroomClient({ url: 'ws://fake/ws', session: server.session, token, backoff: { base: 2, cap: 10 }, WebSocket: fakeWebSocket(server) })
  t.after(() => c.close())
  c.histories = []
  c.messages = []
  c.addEventListener('app', (e) => {
    if (e.detail.type === 'chat_history') c.histories.push(e.detail)
    if (e.detail.type === 'chat_message') c.messages.push(e.detail)
  })
  return c
}

const seqs = (list) => list.map((m) => m.seq)

test('a reconnect sends chat_since and receives exactly the missed messages', async (t) => {
  const server = new FakeServer()
  server.chat = []
  server.postChat({ text: 'before the join' })
  const c = chatClient(t, server, 'tok.chat')
  assert.equal(c.chatSeq, 0)
  c.connect()
  await eventually(() => c.histories.length === 1, 'the join history')
  // A first join knows nothing: no chat_since, the recent history, reset.
  assert.equal('chat_since' in server.frames(FrameType.HELLO)[0], false)
  assert.equal(c.histories[0].reset, true)
  assert.deepEqual(seqs(c.histories[0].messages), [1])
  assert.equal(c.chatSeq, 1)

  server.postChat({ text: 'live one' })
  server.postChat({ text: 'live two' })
  await eventually(() => c.chatSeq === 3, 'live messages counted')
  assert.deepEqual(seqs(c.messages), [2, 3])

  // The connection drops; the class goes on without this client.
  server.down = true
  server.kick(1012, 'restart')
  await eventually(() => c.state === 'reconnecting', 'reconnecting')
  server.postChat({ text: 'missed one' })
  server.postChat({ text: 'missed two' })
  server.down = false
  c.retryNow()
  await eventually(() => c.histories.length === 2, 'the resume history')

  const hellos = server.frames(FrameType.HELLO)
  assert.equal(hellos.at(-1).chat_since, 3)
  assert.equal(c.histories[1].reset, false)
  assert.deepEqual(seqs(c.histories[1].messages), [4, 5], 'exactly the missed messages, no duplicate')
  assert.equal(c.chatSeq, 5)
})

test('chat_since is the highest seq seen, gaps (private messages of others) included', async (t) => {
  const server = new FakeServer()
  server.chat = []
  const c = chatClient(t, server, 'tok.gaps')
  c.connect()
  await eventually(() => c.histories.length === 1, 'the join history')
  // Seq 7 after 2: the ones between were private messages this member does not see.
  server.sendApp([...server.peers][0], { type: 'chat_message', seq: 7, id: 'c-x', user: 'u-x', text: 'hi', to: '' })
  server.sendApp([...server.peers][0], { type: 'chat_history', messages: [{ seq: 2, text: 'old' }], reset: false })
  await eventually(() => c.chatSeq === 7, 'seq 7 seen')
  server.kick(1012)
  await eventually(() => server.frames(FrameType.HELLO).length === 2, 'the rejoin')
  assert.equal(server.frames(FrameType.HELLO)[1].chat_since, 7)
})
