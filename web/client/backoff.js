// Reconnect policy of docs/protocol.md ("Close codes").

/** Close codes after which a client must not reconnect: normal, message too big, protocol error. */
export const NO_RETRY_CODES = Object.freeze(new Set([1000, 1009, 4000]))

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
