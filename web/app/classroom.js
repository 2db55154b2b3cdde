// The classroom model: one HomeroomClient (the protocol, web/client), what the
// page derives from it (who I am, whether I may draw, the hands queue, the
// roster with live status, cursors), the session's activity frames (video), and
// the privileged actions. UI modules read from here and listen to its events:
//
//   doc         the document changed (server or local edit)
//   connection  the connection state or the retry countdown changed
//   presence    cursors or statuses of others changed
//   video       the video block changed (session_state, video_fallback)
//   notice      something to tell the person: {level, code, text}
//   stopped     the server refused for good: {title, text, reason, code}
//   activities  the server announced its activities (session_state): chat,
//               polls and attendance panels may work
//   app         any app frame (the chat, poll and attendance panels read them)

import { HomeroomClient, newStroke, toPlain } from '../client/homeroom.js'
import { closeNotice, errorNotice, QUIET_CODES } from './messages.js'

const STAFF = new Set(['teacher', 'moderator'])
const WRITERS = new Set(['teacher', 'moderator', 'student'])
/** A roster entry that went offline this recently is shown as reconnecting. */
const RECONNECT_GRACE_MS = 20_000
/** Quiet notices (QUIET_CODES) are shown at most this often. */
const QUIET_EVERY_MS = 10_000

/** A random id part: 10 base-36 characters. */
export function randomId() {
  const b = new Uint8Array(8)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(36).padStart(2, '0')).join('').slice(0, 12)
}

export class Classroom extends EventTarget {
  /**
   * @param {object} o
   * @param {string} o.url gateway WebSocket URL
   * @param {string} o.session
   * @param {string} o.token join token
   * @param {object} o.claims the token's claims (unverified): sub, name
   * @param {typeof WebSocket} [o.WebSocket]
   */
  constructor({ url, session, token, claims, WebSocket }) {
    super()
    this.session = session
    this.claims = claims ?? {}
    this.client = new HomeroomClient({ url, session, token, WebSocket })
    /** peer id → {peer, user, name, cursor, status, at} from presence frames */
    this.peers = new Map()
    /** The video block of session_state, with fallback applied. */
    this.video = null
    /** The last session_state frame: null until the server speaks activities. */
    this.sessionState = null
    this.stopped = null
    this.resets = 0
    this.#roleOverride = null
    this.#quietAt = new Map()
    const c = this.client
    c.addEventListener('change', () => this.#emit('doc', { local: false }))
    c.addEventListener('local', () => this.#emit('doc', { local: true }))
    c.addEventListener('state', (e) => this.#onState(e.detail))
    c.addEventListener('retry', () => this.#emit('connection'))
    c.addEventListener('synced', () => this.#emit('connection'))
    c.addEventListener('presence', (e) => this.#onPresence(e.detail))
    c.addEventListener('app', (e) => this.#onApp(e.detail))
    c.addEventListener('error', (e) => this.#onError(e.detail))
  }

  #roleOverride
  #quietAt

  // ---- who and what ----

  /** My user id: the server's word once joined, the token's before (offline reload). */
  get user() {
    return this.client.user ?? this.claims.sub ?? null
  }

  get role() {
    return this.#roleOverride ?? this.client.role ?? null
  }

  get name() {
    return this.claims.name || this.user || 'me'
  }

  get isStaff() {
    return STAFF.has(this.role)
  }

  get doc() {
    return this.client.doc
  }

  get boardLocked() {
    return Boolean(this.client.doc?.meta?.settings?.board_locked)
  }

  /** Why I may not draw now, or '' when I may. */
  get drawRefusal() {
    if (this.stopped) return 'You are no longer connected to this class.'
    if (!this.client.doc) return 'The board is still loading.'
    if (this.role && !WRITERS.has(this.role)) return 'Observers can watch the board but not draw.'
    if (this.boardLocked && !this.isStaff) return 'The board is locked by your teacher.'
    return ''
  }

  /** May I erase (or undo into) this stroke? Own strokes, or any for staff. */
  mayEdit(stroke) {
    return this.isStaff || String(stroke?.author ?? '') === this.user
  }

  // ---- derived views of the document ----

  /** Raised hands in the order they were raised (then by user id): [{user, at, name}]. */
  hands() {
    const hands = this.client.doc?.hands ?? {}
    const roster = this.client.doc?.presence ?? {}
    return Object.entries(hands)
      .map(([user, at]) => ({ user, at: Number(at), name: String(roster[user]?.name ?? user) }))
      .sort((a, b) => a.at - b.at || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
  }

  /** Is my hand up? */
  get handRaised() {
    const u = this.user
    return Boolean(u && this.client.doc?.hands && u in this.client.doc.hands)
  }

  /**
   * The participants: roster entries with a live status: here, away (tab hidden),
   * reconnecting (dropped moments ago, or me while reconnecting), offline.
   * @returns {{user: string, name: string, role: string, status: string, me: boolean, hand: boolean}[]}
   */
  participants(now = Date.now()) {
    const doc = this.client.doc
    const roster = doc?.presence ?? {}
    const hands = doc?.hands ?? {}
    const away = new Set()
    for (const p of this.peers.values()) if (p.status === 'away') away.add(p.user)
    for (const p of this.peers.values()) if (p.status === 'active') away.delete(p.user)
    const out = []
    for (const [user, e] of Object.entries(roster)) {
      const me = user === this.user
      let status = String(e.status ?? 'offline')
      if (me) {
        status = this.#myStatus()
      } else if (status === 'offline') {
        status = now - Number(e.left_at ?? 0) < RECONNECT_GRACE_MS ? 'reconnecting' : 'offline'
      } else {
        status = status === 'away' || away.has(user) ? 'away' : 'here'
      }
      out.push({ user, name: String(e.name ?? user), role: String(e.role ?? ''), status, me, hand: user in hands })
    }
    const me = this.user
    if (me && !(me in roster)) {
      // Not in the roster yet (a page reloaded offline before the server wrote it).
      const status = this.#myStatus()
      out.push({ user: me, name: this.name, role: this.role ?? '', status, me: true, hand: me in hands })
    }
    const rank = { teacher: 0, moderator: 1, student: 2, observer: 3 }
    const live = { here: 0, away: 1, reconnecting: 2, offline: 3 }
    return out.sort((a, b) => (rank[a.role] ?? 9) - (rank[b.role] ?? 9) || live[a.status] - live[b.status] || a.name.localeCompare(b.name))
  }

  #myStatus() {
    const state = this.client.state
    if (state === 'live') return globalThis.document?.hidden ? 'away' : 'here'
    if (state === 'offline' || state === 'closed' || globalThis.navigator?.onLine === false) return 'offline'
    return 'reconnecting'
  }

  // ---- board edits (own strokes; the server checks the rest) ----

  /** Adds a stroke by me; returns its id. */
  addStroke({ tool, color, width, points, pressure, text }) {
    const id = `${this.user}-${randomId()}`
    const s = { id, tool, color, width, points }
    if (pressure) s.pressure = pressure
    if (text !== undefined) s.text = text
    this.client.addStroke(s)
    return id
  }

  appendPoints(id, pts, pressure) {
    if (!this.client.doc?.board?.[id]) return
    this.client.appendPoints(id, pts, pressure)
  }

  /** Sets points[from...] of a stroke in place (a shape's moving corner). */
  setPoints(id, from, values) {
    this.client.change((d) => {
      const pts = d.board[id]?.points
      if (!pts) return
      values.forEach((v, i) => {
        if (pts[from + i] !== v) pts[from + i] = v
      })
    })
  }

  deleteStrokes(ids) {
    if (ids.length > 0) this.client.deleteStrokes(ids)
  }

  /**
   * Puts strokes back (undo of an erase, redo of a drawing) under fresh ids, with
   * their original author and time. Returns the new ids, in order.
   * @param {object[]} records plain stroke records (toPlain)
   */
  putStrokes(records) {
    const ids = records.map((r) => `${this.user}-${randomId()}`)
    this.client.change((d) => {
      records.forEach((r, i) => {
        const input = { id: ids[i], tool: r.tool, color: r.color, width: r.width, points: r.points }
        if (Array.isArray(r.pressure)) input.pressure = r.pressure
        if (r.text !== undefined) input.text = r.text
        d.board[ids[i]] = newStroke(input, r.author, r.created)
      })
    })
    return ids
  }

  /** A stroke as plain JSON, or null. */
  stroke(id) {
    const s = this.client.doc?.board?.[id]
    return s ? toPlain(s) : null
  }

  raiseHand() {
    this.client.raiseHand()
  }

  lowerHand() {
    this.client.lowerHand()
  }

  // ---- privileged actions (app frames; the server checks the role) ----

  /**
   * Sends a privileged action or activity frame. Offline it is not queued (an
   * action taken minutes later would surprise everyone): the person is told.
   */
  act(msg) {
    if (this.client.sendApp(msg)) return true
    this.notify({ level: 'warn', code: 'offline', text: 'You are not connected right now; try again when the class is live.' })
    return false
  }

  lockBoard(locked) {
    return this.act({ type: locked ? 'board.lock' : 'board.unlock' })
  }

  clearBoard() {
    return this.act({ type: 'board.clear' })
  }

  lowerHandOf(user) {
    return this.act({ type: 'hand.lower', user })
  }

  clearHands() {
    return this.act({ type: 'hands.clear' })
  }

  reportVideoError() {
    return this.act({ type: 'video_error', code: 'join_failed' })
  }

  removeParticipant(user) {
    return this.act({ type: 'participant.remove', user })
  }

  endSession() {
    return this.act({ type: 'session.end' })
  }

  lockChat(locked) {
    return this.act({ type: locked ? 'chat.lock' : 'chat.unlock' })
  }

  muteUser(user, muted) {
    return this.act({ type: muted ? 'participant.mute' : 'participant.unmute', user })
  }

  get chatLocked() {
    return Boolean(this.client.doc?.meta?.settings?.chat_locked)
  }

  /** Display name of a user from the roster, else the id. */
  nameOf(user) {
    return String(this.client.doc?.presence?.[user]?.name ?? user)
  }

  // ---- presence ----

  /** My cursor in board coordinates, or null when the pointer left the board. */
  setCursor(cursor) {
    if (this.client.state === 'live') this.client.setPresence({ cursor })
  }

  setAway(away) {
    this.client.setPresence({ status: away ? 'away' : 'active' })
    this.#emit('presence')
  }

  /**
   * Remote cursors to draw: [{peer, user, name, cursor, at}], without mine. One per
   * user, the latest (a rejoin gets a new peer id and the server sends nothing for
   * the old one), and none for users the roster says are offline.
   */
  cursors() {
    const me = this.client.welcome?.peer
    const roster = this.client.doc?.presence ?? {}
    const byUser = new Map()
    for (const p of this.peers.values()) {
      if (p.peer === me || p.user === this.user || String(roster[p.user]?.status ?? '') === 'offline') continue
      const seen = byUser.get(p.user)
      if (!seen || p.at >= seen.at) byUser.set(p.user, p)
    }
    return [...byUser.values()].filter((p) => p.cursor)
  }

  // ---- notices ----

  /** Tells the person something (the notices UI shows it). */
  notify(n) {
    if (QUIET_CODES.has(n.code)) {
      const last = this.#quietAt.get(n.code) ?? 0
      if (Date.now() - last < QUIET_EVERY_MS) return
      this.#quietAt.set(n.code, Date.now())
    }
    this.#emit('notice', n)
  }

  // ---- incoming ----

  #onState(d) {
    if (d.state === 'offline' && d.code) {
      this.stopped = closeNotice({ code: d.code, name: d.name, reason: d.reason })
      this.#emit('stopped', this.stopped)
    }
    if (d.state !== 'live') {
      this.peers.clear() // presence is ephemeral: rebuilt after the next join
      this.#emit('presence')
    }
    this.#emit('connection', d)
  }

  #onPresence({ peers = [] }) {
    const now = Date.now()
    for (const p of peers) this.peers.set(p.peer, { ...p, at: now })
    this.#emit('presence')
  }

  #onApp(msg) {
    switch (msg.type) {
      case 'member.role':
        if (msg.user === this.user) {
          this.#roleOverride = msg.role
          this.notify({ level: 'info', code: 'member.role', text: `Your role in this class is now ${msg.role}.` })
          this.#emit('doc', { local: false })
        }
        break
      case 'session_state':
        this.sessionState = msg
        if (msg.video) {
          this.video = { ...msg.video }
          this.#emit('video')
        }
        this.#emit('activities', msg)
        break
      case 'video_fallback':
        this.video = { ...(this.video ?? {}), fallback: true, fallback_url: msg.url || this.video?.fallback_url }
        this.notify({
          level: 'warn',
          code: 'video_fallback',
          text: msg.reason === 'teacher' ? 'Your teacher switched the video to the backup link.' : 'Video had problems for many people: switched to the backup link.',
        })
        this.#emit('video')
        break
      case 'participant.muted':
        if (msg.user === this.user) {
          this.notify({ level: msg.muted ? 'warn' : 'info', code: 'muted', text: msg.muted ? 'Your teacher muted you.' : 'Your teacher unmuted you.' })
        }
        break
    }
    this.#emit('app', msg)
  }

  #onError(err) {
    if (err.reset) this.resets++
    const n = errorNotice(err)
    if (n) this.notify(n)
    if (err.for) this.#emit('refused', err) // an activity frame of ours, by its client id
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
