// Class links, tokens and the messages people read.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { classLink, jwtClaims, readLocation } from '../token.js'
import { closeNotice, errorNotice, reconnectReason } from '../messages.js'

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')

test('readLocation: the session from the path, the token from the fragment', () => {
  assert.deepEqual(readLocation({ pathname: '/s/algebra%201', hash: '#token=a.b.c' }), { session: 'algebra 1', token: 'a.b.c' })
  assert.deepEqual(readLocation({ pathname: '/s/x/', hash: '' }), { session: 'x', token: '' })
  assert.deepEqual(readLocation({ pathname: '/', hash: '#token=t' }), { session: '', token: 't' })
  assert.deepEqual(readLocation({ pathname: '/s/%E0%A4%A', hash: '' }), { session: '', token: '' })
  assert.equal(classLink('http://h:1', 'a b', 't'), 'http://h:1/s/a%20b#token=t')
})

test('jwtClaims: unverified claims, null for anything else', () => {
  const tok = `${b64({ alg: 'HS256' })}.${b64({ sub: 'u-ada', name: 'Ada Lovelace ✓', exp: 1 })}.sig`
  assert.deepEqual(jwtClaims(tok), { sub: 'u-ada', name: 'Ada Lovelace ✓', exp: 1 })
  assert.equal(jwtClaims('nope'), null)
  assert.equal(jwtClaims('a.!!!.c'), null)
})

test('every refusal has words; closes say what to do', () => {
  for (const code of ['board_locked', 'forbidden', 'too_large', 'rate_limited', 'unsupported', 'chat_locked', 'muted', 'poll_closed', 'bad_frame', 'something_new']) {
    const n = errorNotice({ code, message: 'm' })
    assert.ok(n && n.text.length > 10, code)
  }
  assert.match(errorNotice({ code: 'forbidden', reset: true }).text, /own drawings/)
  assert.equal(errorNotice({ code: 'removed' }), null) // the close tells it
  assert.equal(errorNotice({ code: 'connect', local: true }), null)
  for (const name of ['unauthorized', 'bad_signature', 'token_expired', 'forbidden', 'removed', 'session_ended', 'protocol_error', 'close_4999']) {
    const c = closeNotice({ code: 4000, name, reason: 'r' })
    assert.ok(c.title && c.text, name)
  }
  assert.match(closeNotice({ name: 'token_expired' }).title, /expired/)
  assert.equal(reconnectReason({ name: 'service_restart' }), 'The server is restarting.')
  assert.equal(reconnectReason({ name: 'abnormal' }), '')
})

test('attendance CSV: quoted fields, formulas defused', async () => {
  const { attendanceCSV, csvField } = await import('../ui/attendance.js')
  assert.equal(csvField('a,b'), '"a,b"')
  assert.equal(csvField('say "hi"'), '"say ""hi"""')
  assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)")
  assert.equal(csvField(undefined), '')
  const csv = attendanceCSV([{ user: 'u1', name: 'Ada', status: 'present', connected_seconds: 60, final: false }])
  assert.equal(csv.split('\r\n')[1], 'u1,Ada,,present,,,1,0,0,0,0,0,,false')
})

test('attendance CSV: the columns of the session export, minutes and engagement', async () => {
  const { attendanceCSV } = await import('../ui/attendance.js')
  const rec = {
    user: 'u-ada', name: 'Ada', role: 'student', status: 'late',
    first_join: '2026-11-30T08:01:00.250Z', last_leave: '2026-11-30T09:00:00Z',
    connected_seconds: 3540, active_seconds: 2990, engagement: { chat: 2, poll_answer: 1, hand: 0, stroke: 7 },
    evidence: 'joined 12m after start (late after 5m); 2 chat messages', final: true,
  }
  const [header, row, end] = attendanceCSV([rec]).split('\r\n')
  assert.equal(header, 'user_id,name,role,status,first_join,last_leave,connected_minutes,active_minutes,chat,poll_answers,hands,strokes,evidence,final')
  assert.equal(row, 'u-ada,Ada,student,late,2026-11-30T08:01:00Z,2026-11-30T09:00:00Z,59,49.8,2,1,0,7,joined 12m after start (late after 5m); 2 chat messages,true')
  assert.equal(end, '')
})
