import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as A from '@automerge/automerge'
import { checkPoints, newStroke, toPlain } from '../schema.js'

test('newStroke writes scalar strings and copies points', () => {
  const pts = [1, 2.5, 3, 4]
  let doc = A.from({ board: {} })
  doc = A.change(doc, (d) => {
    d.board.s1 = newStroke({ id: 's1', tool: 'text', color: '#f00', width: 3, points: pts, text: 'hi' }, 'u-1', 42)
  })
  pts.push(9, 9)
  const s = doc.board.s1
  for (const k of ['id', 'author', 'tool', 'color', 'text']) assert.ok(A.isImmutableString(s[k]), k)
  assert.deepEqual(toPlain(s), { id: 's1', author: 'u-1', tool: 'text', color: '#f00', width: 3, points: [1, 2.5, 3, 4], text: 'hi', created: 42 })
  assert.throws(() => newStroke({ id: '', points: [] }, 'u', 1), /id/)
})

test('checkPoints wants a flat even list of finite numbers', () => {
  checkPoints([])
  checkPoints([0, 1])
  for (const bad of [[1], [[1, 2]], [1, NaN], ['1', 2], null]) assert.throws(() => checkPoints(bad), TypeError)
})

test('toPlain renders text, counters, dates and bytes', () => {
  let doc = A.from({ t: 'text', n: new A.Counter(3), d: new Date(5), b: new Uint8Array([1, 2]), l: [{ s: new A.ImmutableString('x') }] })
  assert.deepEqual(toPlain(doc), { t: 'text', n: 3, d: 5, b: [1, 2], l: [{ s: 'x' }] })
  assert.deepEqual(toPlain(A.toJS(doc)), toPlain(doc))
})
