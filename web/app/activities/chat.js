// The chat of a session (docs/activities.md "Chat"), without the DOM: messages by
// seq, our messages on their way, who is muted, what is unread. ui/chat.js shows
// it; the test hook reads it.
//
// Messages are merged by seq, so a message arriving twice (live, then again in a
// history) is kept once. The client (web/client) remembers the highest seq seen
// and sends it as the hello's chat_since: after a reconnect the server sends a
// chat_history with exactly the missed messages, which are merged; a history
// with reset: true (a fresh join, or a gap too old) replaces the list.
//
// A message of ours is "sending" until the server echoes it (a chat_message with
// our id): after a reconnect, or after a temporary refusal (rate_limited,
// internal) with backoff, it is sent again with the same id, which the server
// does not duplicate. A permanent refusal (chat_locked, muted, too_large,
// forbidden) leaves it "failed", to try again by hand.

import { backoffDelay } from '../../client/backoff.js'
import { randomId } from '../classroom.js'

export const MAX_CHARS = 2000
const RESEND = { base: 500, cap: 8000 }

/** Why a message of ours was not sent, by error code. */
export const NOT_SENT = {
  chat_locked: 'chat is locked',
  muted: 'you are muted',
  too_large: 'too long',
  forbidden: 'not allowed',
  bad_frame: 'refused by the server',
}

/**
 * @typedef {object} ChatMessage as the server sends it
 * @property {number} seq
 * @property {string} id the sender's message id
 * @property {string} user
 * @property {string} name
 * @property {string} role
 * @property {string} to '' or 'staff'
 * @property {string} text '' once deleted
 * @property {string} at
 * @property {string} [deleted_at]
 * @property {string} [deleted_by]
 */

/** Events: `change` whenever what the panel shows changed. */
export class ChatLog extends EventTarget {
  /** @param {import('../classroom.js').Classroom} room */
  constructor(room) {
    super()
    this.room = room
    /** @type {Map<number, ChatMessage>} seq → message */
    this.messages = new Map()
    /** our id → {id, text, to, status: 'sending'|'failed', error, tries} */
    this.outbox = new Map()
    /** Am I muted? (session_state, participant.muted) */
    this.muted = false
    /** Users muted in this session, as far as this page saw (for staff: unmute). */
    this.mutedUsers = new Set()
    /** Messages up to this seq are read. */
    this.readSeq = 0
    this.#locked = null
    room.addEventListener('app', (e) => this.#onApp(e.detail))
    room.addEventListener('refused', (e) => this.#onRefused(e.detail))
    room.addEventListener('connection', () => {
      // Once per join: what the server did not confirm goes again.
      const live = room.client.state === 'live'
      if (live && !this.#live) this.#resendAll()
      this.#live = live
    })
    room.addEventListener('doc', () => this.#onDoc())
  }

  #locked
  #timer = null
  #tries = 0
  #live = false

  /** Messages, oldest first. */
  list() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq)
  }

  get lastSeq() {
    let last = 0
    for (const seq of this.messages.keys()) last = Math.max(last, seq)
    return last
  }

  /** Messages from others after readSeq (tombstones do not count). */
  unread() {
    let n = 0
    for (const m of this.messages.values()) if (m.seq > this.readSeq && m.user !== this.room.user && !m.deleted_at) n++
    return n
  }

  /** The person has the chat in view: everything so far is read. */
  markRead() {
    this.readSeq = Math.max(this.readSeq, this.lastSeq)
  }

  /** Why I may not write now ('' when I may). */
  get blocked() {
    if (this.room.role === 'observer') return 'Observers can read the chat but not write.'
    if (this.room.isStaff) return ''
    if (this.muted) return 'Your teacher has muted you in chat.'
    if (this.room.chatLocked) return 'Chat is locked by your teacher.'
    return ''
  }

  /**
   * Sends a message (to: '' everyone, 'staff' the teachers). Offline it waits and
   * goes out when the class is live again.
   * @returns {string} '' when queued, else why not
   */
  send(text, to = '') {
    text = text.trim()
    if (!text) return 'empty'
    if (text.length > MAX_CHARS) return `A message is at most ${MAX_CHARS} characters.`
    const msg = { id: `c-${randomId()}`, text, to, status: 'sending', error: '', tries: 0 }
    this.outbox.set(msg.id, msg)
    this.#send(msg)
    this.#changed()
    return ''
  }

  /** Sends a failed message again, with its id. */
  retry(id) {
    const msg = this.outbox.get(id)
    if (!msg) return
    msg.status = 'sending'
    msg.error = ''
    this.#send(msg)
    this.#changed()
  }

  /** Moderation: delete a message for everyone (a tombstone). */
  delete(seq) {
    return this.room.act({ type: 'chat_delete', seq })
  }

  mute(user, muted) {
    return this.room.muteUser(user, muted)
  }

  lock(locked) {
    return this.room.lockChat(locked)
  }

  /** A plain copy for the test hook. */
  snapshot() {
    return {
      messages: this.list(),
      pending: [...this.outbox.values()].map(({ id, text, to, status, error }) => ({ id, text, to, status, error })),
      lastSeq: this.lastSeq,
      chatSince: this.room.client.chatSeq,
      readSeq: this.readSeq,
      unread: this.unread(),
      muted: this.muted,
      mutedUsers: [...this.mutedUsers].sort(),
      locked: this.room.chatLocked,
      blocked: this.blocked,
    }
  }

  #send(msg) {
    msg.tries++
    this.room.client.sendApp({ type: 'chat_send', id: msg.id, text: msg.text, to: msg.to }) // dropped offline: resent when live
  }

  #resendAll() {
    clearTimeout(this.#timer)
    this.#timer = null
    for (const msg of this.outbox.values()) if (msg.status === 'sending') this.#send(msg)
  }

  /** After a temporary refusal: resend what is still sending, backed off. */
  #scheduleResend() {
    if (this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (this.room.client.state === 'live') this.#resendAll()
    }, backoffDelay(this.#tries++, RESEND) + RESEND.base)
  }

  #upsert(m) {
    const seq = Number(m.seq)
    this.messages.set(seq, { ...m, seq })
    if (this.outbox.delete(m.id) && this.outbox.size === 0) this.#tries = 0
  }

  #onApp(m) {
    switch (m.type) {
      case 'session_state':
        this.muted = Boolean(m.chat?.muted)
        if (this.muted) this.mutedUsers.add(this.room.user)
        break
      case 'chat_history': {
        const first = this.messages.size === 0
        if (m.reset) this.messages.clear()
        for (const x of m.messages ?? []) this.#upsert(x)
        // What was said before this page joined is history, not unread news.
        if (m.reset && first) this.readSeq = Math.max(this.readSeq, this.lastSeq)
        break
      }
      case 'chat_message':
        this.#upsert(m)
        break
      case 'chat_deleted': {
        const x = this.messages.get(Number(m.seq))
        if (x) this.messages.set(x.seq, { ...x, text: '', deleted_by: m.by, deleted_at: x.deleted_at || new Date().toISOString() })
        break
      }
      case 'participant.muted':
        if (m.muted) this.mutedUsers.add(m.user)
        else this.mutedUsers.delete(m.user)
        if (m.user === this.room.user) this.muted = Boolean(m.muted)
        break
      default:
        return
    }
    this.#changed()
  }

  #onRefused(err) {
    const msg = this.outbox.get(err.for)
    if (!msg) return
    if (err.temporary) {
      msg.status = 'sending'
      this.#scheduleResend()
    } else {
      msg.status = 'failed'
      msg.error = err.code
      if (err.code === 'muted') this.muted = true
    }
    this.#changed()
  }

  /** The lock lives in the document's settings: tell students when it changes. */
  #onDoc() {
    if (!this.room.client.doc) return
    const locked = this.room.chatLocked
    const before = this.#locked
    this.#locked = locked
    if (before === null || before === locked) return
    if (!this.room.isStaff) {
      this.room.notify(
        locked
          ? { level: 'warn', code: 'chat_locked', text: 'Your teacher locked the chat: you can read it but not write for now.' }
          : { level: 'info', code: 'chat_unlocked', text: 'Your teacher unlocked the chat.' },
      )
    }
    this.#changed()
  }

  #changed() {
    this.dispatchEvent(new Event('change'))
  }
}
