import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NO_RETRY_CODES, backoffDelay } from '../backoff.js'

test('full jitter under an exponential ceiling capped at 10 s', () => {
  const top = () => 0.999999
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, {}, top)), [249, 499, 999, 1999, 3999, 7999, 9999])
  assert.equal(backoffDelay(1000, {}, top), 9999)
  assert.equal(backoffDelay(3, {}, () => 0), 0)
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2)
    assert.ok(d >= 0 && d < 1000)
  }
  assert.equal(backoffDelay(2, { base: 10, cap: 25 }, top), 24)
})

test('no retry after normal, message too big and protocol error', () => {
  assert.deepEqual([...NO_RETRY_CODES].sort(), [1000, 1009, 4000])
})
