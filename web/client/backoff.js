// Reconnect policy of docs/protocol.md ("Close codes").

/**
 * Close codes after which a client must not reconnect: normal, message too big,
 * protocol error, and the join refusals (a token or enrollment problem that
 * retrying with the same token cannot fix; sync/wire.Retryable on the Go side).
 */
export const NO_RETRY_CODES = Object.freeze(new Set([1000, 1009, 4000, 4001, 4002, 4003, 4005, 4009, 4010]))

/**
 * Names of the close codes a Homeroom server sends (docs/protocol.md), for
 * `state` events and messages people read.
 */
export const CLOSE_NAMES = Object.freeze({
  1000: 'normal',
  1006: 'abnormal',
  1009: 'message_too_big',
  1012: 'service_restart',
  4000: 'protocol_error',
  4001: 'unauthorized',
  4002: 'token_expired',
  4003: 'forbidden',
  4004: 'idle_timeout',
  4005: 'bad_signature',
  4008: 'slow_consumer',
  4009: 'removed',
  4010: 'session_ended',
  4011: 'internal_error',
  4013: 'session_full',
  4029: 'flood',
})

/**
 * The name of a close code, e.g. 4002 → "token_expired"; "close_<code>" for
 * codes the protocol does not define.
 * @param {number} code
 * @returns {string}
 */
export function closeName(code) {
  return CLOSE_NAMES[code] ?? `close_${code}`
}

/**
 * @typedef {object} BackoffOptions
 * @property {number} [base] first ceiling in ms; default 250
 * @property {number} [cap] largest ceiling in ms; default 10000
 */

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)).
 * @param {number} attempt 0 for the first retry
 * @param {BackoffOptions} [opts]
 * @param {() => number} [random] source of [0, 1) numbers; default Math.random
 * @returns {number} delay in ms
 */
export function backoffDelay(attempt, { base = 250, cap = 10_000 } = {}, random = Math.random) {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}
