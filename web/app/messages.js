// What the page tells a person when the server refuses something: one table per
// source (error frames, close codes), so no refusal is ever silent and every
// message says what happened and what to do. Codes are docs/protocol.md's.

/**
 * @typedef {object} Notice
 * @property {'info'|'warn'|'error'} level
 * @property {string} code the protocol code it explains
 * @property {string} text what a teacher or student reads
 */

/**
 * Error frames (docs/protocol.md "Errors", docs/activities.md). A function gets the
 * frame and returns the text; the server's message is added where it helps.
 * @type {Record<string, {level: Notice['level'], text: string | ((err: any) => string)}>}
 */
const ERRORS = {
  board_locked: { level: 'warn', text: 'The board is locked by your teacher, so your last drawing was not kept.' },
  forbidden: {
    level: 'warn',
    text: (e) =>
      e.reset
        ? 'You can only change your own drawings, so your last change was undone.'
        : `You are not allowed to do that in this class${e.message ? ` (${e.message})` : ''}.`,
  },
  too_large: { level: 'warn', text: 'That change is too big for the board and was not kept. Try a smaller drawing or clear some space.' },
  bad_change: { level: 'error', text: (e) => `The server could not read a change from this device and did not keep it (${e.message}).` },
  rate_limited: { level: 'info', text: 'You are drawing faster than the class connection allows; your drawing is catching up.' },
  missing_deps: { level: 'info', text: 'Catching up with the board…' },
  internal: { level: 'warn', text: 'The server had a problem; your last change will be sent again.' },
  unsupported: { level: 'info', text: (e) => `This server does not support that yet${e.message ? ` (${e.message})` : ''}.` },
  chat_locked: { level: 'warn', text: 'Chat is locked by your teacher.' },
  muted: { level: 'warn', text: 'Your teacher has muted you in chat.' },
  poll_closed: { level: 'warn', text: 'The poll closed before your answer arrived.' },
  already_answered: { level: 'info', text: 'You already answered this poll.' },
  bad_answer: { level: 'warn', text: (e) => `That answer was not accepted${e.message ? ` (${e.message})` : ''}.` },
  not_found: { level: 'warn', text: 'That poll no longer exists.' },
  bad_frame: { level: 'error', text: (e) => `The server refused a message from this page (${e.message}).` },
}

/** Codes a page shows at most once in a while: they repeat while drawing. */
export const QUIET_CODES = new Set(['rate_limited', 'missing_deps', 'internal'])

/**
 * The notice for an error frame (or a local error the client found).
 * @param {{code: string, message?: string, reset?: boolean, local?: boolean}} err
 * @returns {Notice|null} null for errors that come with a close (told by closeNotice)
 */
export function errorNotice(err) {
  if (['unauthorized', 'session_ended', 'removed'].includes(err.code)) return null
  if (err.local) {
    if (err.code === 'connect') return null // the connection state says it
    return { level: 'warn', code: err.code, text: `Connection problem: ${err.message}` }
  }
  const row = ERRORS[err.code]
  if (!row) return { level: 'warn', code: err.code, text: `The server refused that (${err.code}${err.message ? `: ${err.message}` : ''}).` }
  const text = typeof row.text === 'function' ? row.text(err) : row.text
  return { level: row.level, code: err.code, text }
}

/**
 * Close codes after which the page stops (NO_RETRY_CODES): a title and what to do.
 * @type {Record<string, {title: string, text: string}>}
 */
const STOPS = {
  unauthorized: { title: 'This join link is not valid', text: 'Ask your teacher for a new link to the class.' },
  bad_signature: { title: 'This join link is not valid', text: 'It was not issued for this server. Ask your teacher for a new link.' },
  token_expired: { title: 'Your join link has expired', text: 'Ask your teacher (or your school portal) for a new link, then open it.' },
  forbidden: { title: 'You cannot join this class', text: 'You are not enrolled in this course, or the link is for another class.' },
  removed: { title: 'You were removed from this class', text: 'Your teacher removed you from this session. Talk to your teacher if this is a mistake.' },
  session_ended: { title: 'This class has ended', text: 'Thanks for joining. The board is kept by your school.' },
  protocol_error: { title: 'This page cannot talk to the server', text: 'The server speaks another version. Reload the page; if it persists, tell your school.' },
  message_too_big: { title: 'A change was too big to send', text: 'Reload the page to continue.' },
  normal: { title: 'Disconnected', text: 'The connection was closed. Reload the page to join again.' },
}

/**
 * The card for a close after which the client does not reconnect.
 * @param {{code: number, name: string, reason?: string}} close
 * @returns {{title: string, text: string, reason: string, code: string}}
 */
export function closeNotice(close) {
  const row = STOPS[close.name] ?? { title: 'Disconnected', text: 'Reload the page to join again.' }
  return { ...row, reason: close.reason ?? '', code: close.name }
}

/**
 * Why the page is reconnecting, for the connection bar (retryable closes).
 * @param {{code?: number, name?: string}} info
 */
export function reconnectReason(info) {
  switch (info?.name) {
    case 'service_restart':
      return 'The server is restarting.'
    case 'session_full':
      return 'The class is full right now.'
    case 'slow_consumer':
      return 'The connection fell behind.'
    case 'flood':
      return 'Too many messages were sent.'
    case 'idle_timeout':
      return 'The connection went quiet.'
    default:
      return ''
  }
}
