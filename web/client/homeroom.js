// Reference client of the Homeroom wire protocol homeroom.v1 (docs/protocol.md).
//
// One HomeroomClient holds one live session over one WebSocket at a time and
// reconnects with backoff. The document and what the server is known to have of
// it live in a Replica (replica.js); this file is the connection and the frames.

import * as Automerge from '@automerge/automerge'
import {
  FrameType,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  decodeChanges,
  decodeJSON,
  decodeMessage,
  encodeChanges,
  encodeFrame,
  encodeJSON,
  packChanges,
} from './frames.js'
import { NO_RETRY_CODES, backoffDelay, closeName } from './backoff.js'
import { Replica } from './replica.js'
import { checkPoints, checkPressure, newStroke, toPlain } from './schema.js'

export { FrameType, SUBPROTOCOL, PROTOCOL_VERSION } from './frames.js'
export { CLOSE_NAMES, NO_RETRY_CODES, backoffDelay, closeName } from './backoff.js'
export { newStroke, toPlain } from './schema.js'

const WS_OPEN = 1
const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20
/** Least time between two presence frames, so cursor moves stay "a few per second". */
const PRESENCE_MIN_INTERVAL_MS = 250
/** Starts the subprotocol entry that carries the join token beside homeroom.v1. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'homeroom.token.'
/** A subprotocol name is an HTTP token (RFC 9110 tchar); every JWT character is one. */
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * @typedef {'connecting'|'live'|'reconnecting'|'offline'|'closed'} ClientState
 * offline: not connected and not retrying (before connect(), or after a close code in
 * NO_RETRY_CODES: 1000, 1009, 4000, and the join refusals 4001 unauthorized, 4002
 * token_expired, 4003 forbidden, 4005 bad_signature, 4009 removed, 4010
 * session_ended); closed: close() was called.
 */

/**
 * @typedef {object} CloseInfo how the last connection ended
 * @property {number} code close code (1006 when the connection failed without one)
 * @property {string} name its name, e.g. "token_expired" (see CLOSE_NAMES)
 * @property {string} reason the close reason, or else the message of the error frame
 *   the server sent just before closing (browsers may not pass the reason on)
 * @property {object} [error] that error frame, e.g. {code: "unauthorized", message: ...}
 */

/**
 * @typedef {object} ClientOptions
 * @property {string} url WebSocket URL of the gateway, e.g. ws://host/ws
 * @property {string} session live session to join
 * @property {string} token signed join token (a JWT from the institution's backend or
 *   `homeroom token`); it says who the user is (id, display name). Sent as the
 *   subprotocol entry `homeroom.token.<token>` beside `homeroom.v1`, never in the URL.
 *   The role comes from the user's enrollment; read both from `welcome` (`user`, `role`).
 * @property {typeof WebSocket} [WebSocket] constructor; default globalThis.WebSocket
 * @property {''|'sync'} [mode] "sync" forces the Automerge sync protocol; default ''
 * @property {import('./backoff.js').BackoffOptions} [backoff] default base 250 ms, cap 10 s
 * @property {number} [heartbeatMs] presence heartbeat while live; default 15000
 */

/**
 * A Homeroom session client. Events (all CustomEvent, payload in `detail`):
 * - `change` {doc, heads}: server data changed the document
 * - `local` {doc, heads}: a local edit (change() and the helpers) changed it
 * - `synced` {heads, mode}: the join finished; the client is live
 * - `ack` {ref}: the server applied a changes frame of ours
 * - `presence`, `app`: the frame's JSON payload
 * - `error`: an error frame's JSON, or {code, message, local: true} for a problem
 *   the client found itself (bad frame from the server, failed connection)
 * - `state` {state, previous, code?, name?, reason?, error?}: code, name, reason and
 *   error (see CloseInfo) when a close caused the change
 * - `retry` {attempt, delay, at}: the next connection attempt is scheduled in delay ms,
 *   at unix ms `at` (for a countdown); retryNow() brings it forward
 */
export class HomeroomClient extends EventTarget {
  #url
  #session
  #token
  #user = null
  #role = null
  #WebSocket
  #mode
  #backoff
  #heartbeatMs

  /** @type {ClientState} */
  #state = 'offline'
  #stopped = true
  #attempt = 0
  #resendAttempt = 0
  #replica = new Replica()
  /** Current connection: {ws, welcome, synced, syncState}; null between connections. */
  #conn = null
  /** Unacknowledged changes frames of the current connection: ref → chunks. */
  #pending = new Map()
  #nextRef = 1
  #presence = { cursor: null, status: 'active' }
  #presenceSentAt = 0
  #timers = { retry: null, resend: null, heartbeat: null, presence: null }
  /** Unix ms of the scheduled connection attempt (see nextRetryAt). */
  #retryAt = null
  /** @type {CloseInfo|null} */
  #lastClose = null
  /** Own hand state to write again after the rejoin a reset caused; see #reset. */
  #reapply = null
  /** A re-applied hand change is in flight: a reset before the next ack drops it for good. */
  #reapplying = false
  /** The highest chat seq seen (chat_message, chat_history): the next hello's chat_since. */
  #chatSeq = 0

  /** @param {ClientOptions} opts */
  constructor({ url, session, token, WebSocket, mode = '', backoff = {}, heartbeatMs = 15_000 }) {
    super()
    if (!url || !session || !token) throw new TypeError('HomeroomClient: url, session and token are required')
    if (typeof token !== 'string' || !TOKEN_CHARS.test(token)) {
      throw new TypeError('HomeroomClient: token must be a JWT (letters, digits, "-", "_" and ".")')
    }
    this.#url = url
    this.#session = session
    this.#token = token
    this.#WebSocket = WebSocket ?? globalThis.WebSocket
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('HomeroomClient: no WebSocket constructor (in Node 20 run with --experimental-websocket)')
    }
    this.#mode = mode
    this.#backoff = backoff
    this.#heartbeatMs = heartbeatMs
  }

  /** The local document (server state plus local edits), or null before the first join. */
  get doc() {
    return this.#replica.doc
  }

  /** Sorted heads of the local document. */
  get heads() {
    return this.#replica.heads
  }

  /** Sorted heads of the last server state seen: what the next `hello` sends. */
  get serverHeads() {
    return this.#replica.serverHeads
  }

  /** Number of local changes the server is not yet known to have (sent or not). */
  get pendingChanges() {
    return this.#replica.unsent().length
  }

  /** @returns {ClientState} */
  get state() {
    return this.#state
  }

  /** User id from the last `welcome` (the token's subject), or null before the first. */
  get user() {
    return this.#user
  }

  /** Role from the last `welcome` (the user's enrollment decides it), or null before the first. */
  get role() {
    return this.#role
  }

  /**
   * The highest chat `seq` seen in `chat_message` and `chat_history` frames, 0 before
   * any. A reconnect sends it as the hello's `chat_since`, so the server answers with
   * exactly the messages missed (docs/activities.md "Chat").
   */
  get chatSeq() {
    return this.#chatSeq
  }

  /** When the next connection attempt is due (unix ms) while reconnecting, else null. */
  get nextRetryAt() {
    return this.#state === 'reconnecting' ? this.#retryAt : null
  }

  /** How the last connection ended ({@link CloseInfo}), or null if none has. */
  get lastClose() {
    return this.#lastClose
  }

  /** The last `welcome` payload, or null while not connected. */
  get welcome() {
    return this.#conn?.welcome ?? null
  }

  /** Opens the connection; retries with backoff until close(). No-op while connected or retrying. */
  connect() {
    if (!this.#stopped) return
    this.#stopped = false
    this.#attempt = 0
    this.#open('connecting')
  }

  /**
   * While reconnecting, tries now instead of waiting for the backoff (the user asked,
   * or the browser says the network is back). No-op otherwise.
   */
  retryNow() {
    if (this.#stopped || this.#state !== 'reconnecting' || this.#conn) return
    clearTimeout(this.#timers.retry)
    this.#open('reconnecting')
  }

  /**
   * Drops the current connection, as a lost network would, and reconnects with backoff
   * (e.g. the browser reports it went offline, so a half-open socket is not trusted).
   * No-op unless connected or connecting.
   */
  disconnect() {
    if (this.#stopped || !this.#conn) return
    this.#restart()
  }

  /**
   * Loads a copy saved earlier (save(), saveSince()) before connect(): the client can
   * edit it at once, offline, and the next join sends what the server lacks. user and
   * role are the ones of the saved copy's last welcome; the server's welcome replaces them.
   * @param {{doc: Uint8Array, serverHeads: string[], user?: string|null, role?: string|null}} saved
   */
  restore({ doc, serverHeads = [], user = null, role = null }) {
    if (!this.#stopped || this.#conn) throw new Error('HomeroomClient: restore() before connect()')
    this.#replica.restore(doc, serverHeads)
    this.#user ??= user
    this.#role ??= role
  }

  /**
   * The local document saved whole (Automerge.save) with what restore() needs, or null
   * before the first join.
   * @returns {{doc: Uint8Array, heads: string[], serverHeads: string[], user: string|null, role: string|null}|null}
   */
  save() {
    if (!this.#replica.doc) return null
    return { doc: this.#replica.save(), heads: this.heads, serverHeads: this.serverHeads, user: this.#user, role: this.#role }
  }

  /**
   * The changes after heads in Automerge's incremental save format (append them to a
   * save() to restore), or null when the document does not hold heads (it was replaced
   * by a reset since: save() it whole) or there is none.
   * @param {string[]} heads
   * @returns {Uint8Array|null}
   */
  saveSince(heads) {
    return this.#replica.saveSince(heads)
  }

  /** Closes the connection with 1000 and stops reconnecting. The document stays readable. */
  close() {
    this.#stopped = true
    clearTimeout(this.#timers.retry)
    this.#drop(1000)
    this.#setState('closed')
  }

  /**
   * Applies fn to the local document (Automerge.change) and sends the new change
   * when live. Offline, or before the join completes, it is only kept locally and
   * sent after the next `synced`.
   * @param {(doc: any) => void} fn
   * @returns {Automerge.Doc<any>} the new local document
   */
  change(fn) {
    this.#requireDoc()
    const chunks = this.#replica.change(fn)
    if (chunks.length === 0) return this.#replica.doc
    if (this.#conn?.synced) this.#sendChanges(this.#conn, chunks)
    this.#emit('local', { doc: this.#replica.doc, heads: this.#replica.heads })
    return this.#replica.doc
  }

  /**
   * Adds a stroke authored by this user, created now.
   * @param {import('./schema.js').StrokeInput} stroke
   */
  addStroke(stroke) {
    this.#requireDoc()
    const s = newStroke(stroke, this.#requireUser(), Date.now())
    return this.change((d) => {
      d.board[stroke.id] = s
    })
  }

  /**
   * Appends points to a stroke's flat point list, and their pressures to its pressure
   * list when the stroke has one.
   * @param {string} id
   * @param {number[]} pts flat [x, y, ...]
   * @param {number[]} [pressure] one per point, in [0, 1]
   */
  appendPoints(id, pts, pressure) {
    checkPoints(pts)
    if (pressure !== undefined) {
      checkPressure(pressure)
      if (pressure.length * 2 !== pts.length) throw new TypeError('pressure needs one value per point')
    }
    return this.change((d) => {
      const s = d.board[id]
      if (!s) throw new Error(`HomeroomClient: no stroke ${id}`)
      s.points.push(...pts)
      if (pressure?.length && s.pressure) s.pressure.push(...pressure)
    })
  }

  /**
   * Deletes strokes (the eraser). Ids the board no longer has are skipped.
   * @param {string[]} ids
   */
  deleteStrokes(ids) {
    return this.change((d) => {
      for (const id of ids) if (id in d.board) delete d.board[id]
    })
  }

  /** Raises this user's hand (hands[user] = now). */
  raiseHand() {
    this.#requireDoc()
    const user = this.#requireUser()
    return this.change((d) => {
      d.hands[user] = Date.now()
    })
  }

  /** Lowers this user's hand. */
  lowerHand() {
    this.#requireDoc()
    const user = this.#requireUser()
    return this.change((d) => {
      if (user in d.hands) delete d.hands[user]
    })
  }

  /** The document as plain JSON (strings for text and ImmutableString), or null. */
  toJSON() {
    const doc = this.#replica.doc
    return doc ? toPlain(Automerge.toJS(doc)) : null
  }

  /**
   * Updates this peer's ephemeral presence and sends it when live (throttled to a
   * few per second; the latest value always goes out).
   * @param {{cursor?: [number, number]|null, status?: 'active'|'away'}} p
   */
  setPresence({ cursor, status } = {}) {
    if (cursor !== undefined) this.#presence.cursor = cursor
    if (status !== undefined) this.#presence.status = status
    this.#sendPresence()
  }

  /**
   * Sends an `app` frame, e.g. {type: "chat.send", text: "hi"}. Dropped when not live.
   * @param {{type: string}} msg
   * @returns {boolean} whether it was sent
   */
  sendApp(msg) {
    if (!this.#conn?.synced) return false
    return this.#send(this.#conn, FrameType.APP, encodeJSON(msg))
  }

  // ---- connection lifecycle ----

  #open(state) {
    this.#retryAt = null
    this.#setState(state)
    let ws
    try {
      ws = new this.#WebSocket(this.#url, [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + this.#token])
    } catch (err) {
      this.#emit('error', { code: 'connect', message: err.message, local: true })
      this.#retry()
      return
    }
    ws.binaryType = 'arraybuffer'
    // lastError: the last error frame not about a frame of ours (ref 0), e.g. the
    // reason of a join refusal, which the server sends just before closing.
    const conn = { ws, welcome: null, synced: false, syncState: null, lastError: null }
    this.#conn = conn
    // Handlers of a replaced connection fall silent.
    ws.onopen = () => this.#conn === conn && this.#onOpen(conn)
    ws.onmessage = (ev) => this.#conn === conn && this.#onMessage(conn, ev.data)
    ws.onclose = (ev) => this.#conn === conn && this.#onClose(conn, ev.code, ev.reason)
    // A failed connection fires error. Browsers then fire close (1006), but Node
    // 20's WebSocket does not, so the error is taken as the close.
    ws.onerror = () => {
      if (this.#conn !== conn) return
      this.#onClose(conn, 1006, 'connection error')
      try {
        ws.close()
      } catch {
        // not open yet or already closing
      }
    }
  }

  #onOpen(conn) {
    // A server that accepts the upgrade always selects homeroom.v1 (never the token
    // entry); anything else is not a Homeroom server we can talk to.
    if (conn.ws.protocol !== SUBPROTOCOL) {
      this.#fail(`server chose subprotocol "${conn.ws.protocol}", want ${SUBPROTOCOL}`, false)
      return
    }
    // Who we are travels in the token; the hello only says where to and from what state.
    const hello = { protocol: PROTOCOL_VERSION, session: this.#session, heads: this.serverHeads, mode: this.#mode }
    if (this.#chatSeq > 0) hello.chat_since = this.#chatSeq
    this.#send(conn, FrameType.HELLO, encodeJSON(hello))
  }

  #onClose(conn, code, reason) {
    this.#teardown()
    this.#conn = null
    const error = conn.lastError ?? undefined
    const info = { code, name: closeName(code), reason: reason || error?.message || '' }
    if (error) info.error = error
    this.#lastClose = info
    if (this.#stopped) return
    if (NO_RETRY_CODES.has(code)) {
      this.#stopped = true
      this.#setState('offline', info)
      return
    }
    this.#retry(info)
  }

  /** Schedules the next connection attempt with backoff and full jitter. */
  #retry(info = {}, attempt = this.#attempt++) {
    clearTimeout(this.#timers.retry)
    const delay = backoffDelay(attempt, this.#backoff)
    this.#retryAt = Date.now() + delay
    this.#setState('reconnecting', info)
    this.#timers.retry = setTimeout(() => this.#open('reconnecting'), delay)
    this.#emit('retry', { attempt, delay, at: this.#retryAt })
  }

  /** Drops the current connection (its handlers fall silent) and reconnects. */
  #restart(attempt) {
    this.#drop(1000)
    if (!this.#stopped) this.#retry({}, attempt)
  }

  /** Reports a problem found by the client, then reconnects or, if !retry, stops. */
  #fail(message, retry = true) {
    this.#emit('error', { code: 'client', message, local: true })
    if (retry) {
      this.#restart()
      return
    }
    this.#drop(4000)
    this.#stopped = true
    this.#setState('offline')
  }

  #drop(code) {
    const conn = this.#conn
    this.#teardown()
    this.#conn = null
    if (!conn) return
    try {
      conn.ws.close(code)
    } catch {
      // already closing
    }
  }

  /** Forgets per-connection state. Unacked changes are resent after the next join. */
  #teardown() {
    this.#pending.clear()
    for (const k of ['resend', 'heartbeat', 'presence']) {
      clearTimeout(this.#timers[k])
      clearInterval(this.#timers[k])
      this.#timers[k] = null
    }
  }

  // ---- incoming frames ----

  #onMessage(conn, data) {
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
      this.#fail('text message from server; homeroom.v1 is binary only')
      return
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    try {
      for (const frame of decodeMessage(bytes)) {
        if (this.#conn !== conn) return // a frame dropped the connection
        this.#onFrame(conn, frame.type, frame.payload)
      }
    } catch (err) {
      if (this.#conn === conn) this.#fail(`bad message from server: ${err.message}`)
    }
  }

  #onFrame(conn, type, payload) {
    switch (type) {
      case FrameType.WELCOME:
        return this.#onWelcome(conn, decodeJSON(payload))
      case FrameType.SNAPSHOT:
        return this.#changed(this.#replica.loadSnapshot(payload.slice()))
      case FrameType.CHANGES:
        return this.#changed(this.#replica.applyFromServer(decodeChanges(payload).chunks))
      case FrameType.SYNC:
        return this.#onSync(conn, payload)
      case FrameType.SYNCED:
        return this.#onSynced(conn, decodeJSON(payload))
      case FrameType.ACK:
        return this.#onAck(decodeJSON(payload))
      case FrameType.ERROR:
        return this.#onError(conn, decodeJSON(payload))
      case FrameType.PRESENCE:
        return this.#emit('presence', decodeJSON(payload))
      case FrameType.APP:
        return this.#onApp(decodeJSON(payload))
      default:
        // Unknown frame types from the server are compatible additions: ignore.
    }
  }

  /** Notes the chat seq an app frame carries (see chatSeq), then hands the frame on. */
  #onApp(msg) {
    const chat = msg?.type === 'chat_message' ? [msg] : msg?.type === 'chat_history' ? (msg.messages ?? []) : []
    for (const m of chat) this.#chatSeq = Math.max(this.#chatSeq, Number(m?.seq) || 0)
    this.#emit('app', msg)
  }

  #onWelcome(conn, welcome) {
    if (welcome.protocol !== PROTOCOL_VERSION) {
      this.#fail(`server speaks protocol ${welcome.protocol}, want ${PROTOCOL_VERSION}`, false)
      return
    }
    conn.welcome = welcome
    if (welcome.user) this.#user = welcome.user
    if (welcome.role) this.#role = welcome.role
    if (welcome.mode === 'sync') {
      this.#replica.ensure()
      conn.syncState = Automerge.initSyncState()
      this.#sendSync(conn)
    }
  }

  #onSync(conn, payload) {
    conn.syncState ??= Automerge.initSyncState() // a resync the server asked for
    let changed
    ;[conn.syncState, changed] = this.#replica.receiveSync(conn.syncState, payload)
    this.#changed(changed)
    this.#sendSync(conn)
  }

  #onSynced(conn, { heads = [] }) {
    this.#replica.ensure()
    this.#replica.serverHas(heads)
    // After a reset the copy is the server's; write back what we still may (sent by #flush).
    if (this.#reapply) this.#reapplyHand(this.#reapply)
    this.#reapply = null
    conn.synced = true
    this.#attempt = 0
    this.#setState('live')
    this.#emit('synced', { heads, mode: conn.welcome?.mode })
    this.#flush(conn)
    this.#sendPresence(true)
    this.#timers.heartbeat = setInterval(() => this.#sendPresence(true), this.#heartbeatMs)
  }

  #onAck({ ref }) {
    const chunks = this.#pending.get(ref)
    if (!chunks) return
    this.#pending.delete(ref)
    this.#resendAttempt = 0
    this.#reapplying = false
    this.#replica.acked(chunks)
    this.#emit('ack', { ref })
  }

  #onError(conn, err) {
    if (!err.ref) conn.lastError = err
    this.#emit('error', err)
    if (err.reset) {
      this.#reset()
      return
    }
    if (!err.ref || !this.#pending.delete(err.ref)) return
    if (err.code === 'missing_deps') {
      // Resync; the join resends what the server lacks. Backed off until an ack, so
      // a change the server keeps refusing cannot turn this into a reconnect loop.
      this.#restart(this.#resendAttempt++)
    } else if (err.temporary) {
      this.#scheduleResend()
    }
    // Permanent rejections (bad_change, too_large) stay local-only; see README.
  }

  /**
   * The reset flow (an error frame with `reset: true`). The server refused for good a
   * change this client made, e.g. a student drawing on a locked board or touching
   * another student's hand or stroke. Every later local change depends on the refused
   * one, so the local copy cannot be patched; it is replaced:
   *
   *   1. note what this client still may write: its own hand, when the local document
   *      has it in another state (raised, or lowered) than the server is known to have,
   *      i.e. a raise or lower the server has not acknowledged;
   *   2. drop both replicas and rejoin with empty heads: a fresh snapshot join;
   *   3. after `synced`, set the hand as noted (raised with its original time, or
   *      lowered) on the server's document, unless it already is; it is sent like any
   *      local change.
   *
   * Everything else local that the server did not acknowledge is dropped: strokes,
   * appended points, any other edit. If the re-applied hand is itself refused with a
   * reset before any change of ours is acknowledged, it is dropped too, so a refusal
   * cannot turn into a rejoin loop.
   */
  #reset() {
    if (this.#replica.doc) {
      this.#reapply = this.#reapplying ? null : this.#replica.pendingHand(this.#user)
    }
    this.#reapplying = false
    this.#replica.drop()
    this.#restart()
  }

  /** Step 3 of #reset, on the fresh copy, before it is flushed. */
  #reapplyHand({ raised }) {
    const user = this.#user
    const hands = this.#replica.doc?.hands
    if (!user || !hands || (raised !== null) === (user in hands)) return // already so
    const chunks = this.#replica.change((d) => {
      if (raised === null) delete d.hands[user]
      else d.hands[user] = raised
    })
    if (chunks.length > 0) this.#reapplying = true
  }

  // ---- outgoing frames ----

  #send(conn, type, payload) {
    if (conn.ws.readyState !== WS_OPEN) return false
    conn.ws.send(encodeFrame(type, payload))
    return true
  }

  #sendChanges(conn, chunks) {
    const max = conn.welcome?.max_message_bytes || DEFAULT_MAX_MESSAGE_BYTES
    let groups
    try {
      groups = packChanges(chunks, max)
    } catch (err) {
      this.#emit('error', { code: 'too_large', message: err.message, local: true })
      return
    }
    for (const group of groups) {
      const ref = this.#nextRef++
      this.#pending.set(ref, group)
      this.#send(conn, FrameType.CHANGES, encodeChanges(ref, group))
    }
  }

  /** Sends every local change the server lacks (duplicates of in-flight ones are harmless). */
  #flush(conn) {
    const chunks = this.#replica.unsent()
    if (chunks.length > 0) this.#sendChanges(conn, chunks)
  }

  #scheduleResend() {
    if (this.#timers.resend) return
    const delay = backoffDelay(this.#resendAttempt++, this.#backoff)
    this.#timers.resend = setTimeout(() => {
      this.#timers.resend = null
      if (this.#conn?.synced) this.#flush(this.#conn)
    }, delay)
  }

  #sendSync(conn) {
    const [state, msg] = this.#replica.generateSync(conn.syncState)
    conn.syncState = state
    if (msg) this.#send(conn, FrameType.SYNC, msg)
  }

  #sendPresence(force = false) {
    const conn = this.#conn
    if (!conn?.synced) return
    const wait = this.#presenceSentAt + PRESENCE_MIN_INTERVAL_MS - Date.now()
    if (!force && wait > 0) {
      this.#timers.presence ??= setTimeout(() => {
        this.#timers.presence = null
        this.#sendPresence()
      }, wait)
      return
    }
    this.#presenceSentAt = Date.now()
    this.#send(conn, FrameType.PRESENCE, encodeJSON(this.#presence))
  }

  #changed(changed) {
    if (changed) this.#emit('change', { doc: this.#replica.doc, heads: this.#replica.heads })
  }

  #requireDoc() {
    if (!this.#replica.doc) throw new Error('HomeroomClient: no document yet; wait for the "synced" event')
  }

  #requireUser() {
    if (!this.#user) throw new Error('HomeroomClient: user id unknown until the first welcome')
    return this.#user
  }

  #setState(state, info = {}) {
    if (state === this.#state) return
    const previous = this.#state
    this.#state = state
    this.#emit('state', { state, previous, ...info })
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
