import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CLOSE_NAMES, NO_RETRY_CODES, backoffDelay, closeName } from '../backoff.js'

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

test('no retry after normal, message too big, protocol error and a refused join', () => {
  // sync/wire.Retryable: 4001 unauthorized, 4002 token expired, 4003 forbidden,
  // 4005 bad signature, 4009 removed, 4010 session ended are final too.
  assert.deepEqual([...NO_RETRY_CODES].sort(), [1000, 1009, 4000, 4001, 4002, 4003, 4005, 4009, 4010])
  for (const code of [1006, 1012, 4004, 4008, 4011, 4013, 4029]) assert.ok(!NO_RETRY_CODES.has(code), `${code} is retried`)
})

test('close codes have names', () => {
  for (const code of NO_RETRY_CODES) assert.ok(CLOSE_NAMES[code], `${code} has a name`)
  assert.equal(closeName(4002), 'token_expired')
  assert.equal(closeName(4005), 'bad_signature')
  assert.equal(closeName(4999), 'close_4999')
})
