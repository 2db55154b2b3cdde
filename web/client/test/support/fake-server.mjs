// A small in-memory homeroom.v1 server for tests: enough of sync/gateway to drive
// the client through the join token check, the three join paths, acks, broadcasts,
// errors and closes. Transport-agnostic: attach() takes anything with send(bytes)
// and close(code).

import * as A from '@automerge/automerge'
import {
  FrameType,
  decodeChanges,
  decodeJSON,
  decodeMessage,
  encodeChanges,
  encodeJSON,
  encodeMessage,
} from '../../frames.js'

const json = (type, value) => ({ type, payload: encodeJSON(value) })

/** Prefix of the subprotocol entry carrying the join token (rooms/identity). */
export const TOKEN_PREFIX = 'homeroom.token.'

/**
 * The token among offered subprotocols, or '' when none or more than one carries one.
 * @param {Iterable<string>} protocols
 */
export function tokenFromProtocols(protocols) {
  const tokens = [...protocols].filter((p) => p.startsWith(TOKEN_PREFIX)).map((p) => p.slice(TOKEN_PREFIX.length))
  return tokens.length === 1 ? tokens[0] : ''
}

export class FakeServer {
  /** @param {{session?: string, maxMessageBytes?: number}} [opts] */
  constructor({ session = 's1', maxMessageBytes = 1 << 20 } = {}) {
    this.session = session
    this.maxMessageBytes = maxMessageBytes
    this.peers = new Set()
    /** Every frame received from clients, in order: {peer, type, value}. */
    this.log = []
    /** Hook run on each client changes frame before it is applied; return false to skip default handling. */
    this.onChanges = null
    /** Hook run on each client app frame; return false to skip default handling (chat_send). */
    this.onApp = null
    /**
     * Decides who a token is, like sync/gateway's authenticate: returns {user?, role?}
     * to admit (default: user "u-<token>", role student), or {refuse: {close, code,
     * message}} to send an error frame and close with close. A missing token is always
     * refused with 4001.
     * @type {(token: string, hello: object) => object}
     */
    this.identify = () => ({})
    /** Tokens offered by every connection, in order. */
    this.tokens = []
    /** While true, fakeWebSocket connections fail (1006) before they open. */
    this.down = false
    this.nextPeer = 1
    /**
     * The session's chat, oldest first, or null (the default) for a server that does
     * not speak activities. With a list, a join is answered with a chat_history (the
     * messages after the hello's chat_since, or all of them with reset: true), and
     * chat_send is posted (a repeated id answered with the stored message, to the
     * sender only), as rooms/chat.go does.
     * @type {object[]|null}
     */
    this.chat = null
    this.doc = A.from({
      meta: { schema: 1, session: new A.ImmutableString(session) },
      board: {},
      hands: {},
      presence: {},
    })
    // The cached snapshot lags one change behind, so a fresh join gets snapshot + changes.
    this.snapshot = A.save(this.doc)
    this.snapshotHeads = A.getHeads(this.doc)
    this.change((d) => {
      d.board.seed = { id: new A.ImmutableString('seed'), points: [0, 0] }
    })
  }

  /** Server-side edit, broadcast to every joined peer. */
  change(fn) {
    const before = A.getHeads(this.doc)
    this.doc = A.change(this.doc, fn)
    this.#broadcast(null, A.getChangesSince(this.doc, before))
  }

  /** Makes the server forget everything after heads (a server that lost state). */
  forgetAfter(heads) {
    this.doc = A.clone(A.view(this.doc, heads))
  }

  /** Closes every peer's connection with code. */
  kick(code, reason = '') {
    for (const p of [...this.peers]) p.close(code, reason)
  }

  /** Frames of one type received so far, decoded. */
  frames(type) {
    return this.log.filter((f) => f.type === type).map((f) => f.value)
  }

  /**
   * Connects a transport. Returns the peer; feed it with peer.receive(bytes) and
   * call peer.gone() when the transport closes.
   */
  attach(transport, { token = '' } = {}) {
    this.tokens.push(token)
    const peer = {
      id: `p-${this.nextPeer++}`,
      token,
      joined: false,
      syncState: null,
      send: (frames) => transport.send(encodeMessage(frames)),
      close: (code, reason) => {
        this.peers.delete(peer)
        transport.close(code, reason)
      },
      receive: (bytes) => this.#receive(peer, bytes),
      gone: () => this.peers.delete(peer),
    }
    return peer
  }

  #receive(peer, bytes) {
    for (const { type, payload } of decodeMessage(bytes)) {
      const value = type === FrameType.CHANGES ? decodeChanges(payload) : type === FrameType.SYNC ? payload : decodeJSON(payload)
      this.log.push({ peer: peer.id, type, value })
      if (type === FrameType.HELLO) this.#hello(peer, value)
      else if (type === FrameType.CHANGES) this.#changes(peer, value)
      else if (type === FrameType.SYNC) this.#sync(peer, value)
      else if (type === FrameType.PRESENCE) this.#presence(peer, value)
      else if (type === FrameType.APP) this.#app(peer, value)
    }
  }

  #hello(peer, hello) {
    const who = peer.token
      ? this.identify(peer.token, hello)
      : { refuse: { close: 4001, code: 'unauthorized', message: 'a join token is required' } }
    if (who.refuse) {
      const { close, code, message } = who.refuse
      this.sendError(peer, { code, message })
      peer.close(close, message)
      return
    }
    peer.user = who.user || `u-${peer.token}`
    peer.role = who.role || 'student'
    peer.name = who.name || peer.user
    const heads = hello.heads ?? []
    const known = heads.every((h) => A.hasHeads(this.doc, [h]))
    const mode = hello.mode === 'sync' || !known ? 'sync' : heads.length === 0 ? 'snapshot' : 'changes'
    const welcome = json(FrameType.WELCOME, {
      protocol: 1,
      server: 'fake',
      session: this.session,
      peer: peer.id,
      user: peer.user,
      role: peer.role,
      mode,
      heads: A.getHeads(this.doc),
      max_message_bytes: this.maxMessageBytes,
    })
    const synced = json(FrameType.SYNCED, { heads: A.getHeads(this.doc) })
    this.peers.add(peer)
    if (mode === 'snapshot') {
      const since = A.getChangesSince(this.doc, this.snapshotHeads)
      peer.send([
        welcome,
        { type: FrameType.SNAPSHOT, payload: this.snapshot },
        { type: FrameType.CHANGES, payload: encodeChanges(0, since) },
        synced,
      ])
    } else if (mode === 'changes') {
      peer.send([welcome, { type: FrameType.CHANGES, payload: encodeChanges(0, A.getChangesSince(this.doc, heads)) }, synced])
    } else {
      peer.syncState = A.initSyncState()
      peer.send([welcome])
      this.#syncReply(peer)
    }
    peer.joined = mode !== 'sync'
    if (this.chat) {
      const since = hello.chat_since ?? 0
      const resume = since > 0 && (this.chat.length === 0 || this.chat[0].seq <= since + 1)
      const messages = resume ? this.chat.filter((m) => m.seq > since) : this.chat
      peer.send([json(FrameType.APP, { type: 'chat_history', messages, reset: !resume })])
    }
  }

  /**
   * Posts a chat message as user and sends it to every joined peer.
   * @param {{user?: string, id?: string, text: string, to?: string}} m
   */
  postChat({ user = 'u-server', id = `c-${this.chat.length + 1}`, text, to = '' }) {
    const msg = { seq: (this.chat.at(-1)?.seq ?? 0) + 1, id, user, name: user, role: 'student', to, text, at: new Date().toISOString() }
    this.chat.push(msg)
    for (const p of this.peers) if (p.joined) p.send([json(FrameType.APP, { type: 'chat_message', ...msg })])
    return msg
  }

  #app(peer, msg) {
    if (this.onApp && this.onApp(peer, msg) === false) return
    if (msg.type === 'chat_send' && this.chat) this.#chatSend(peer, msg)
  }

  #chatSend(peer, { id, text, to }) {
    const sent = this.chat.find((m) => m.user === peer.user && m.id === id)
    if (sent) peer.send([json(FrameType.APP, { type: 'chat_message', ...sent })])
    else this.postChat({ user: peer.user, id, text, to })
  }

  #changes(peer, { ref, chunks }) {
    if (this.onChanges && this.onChanges(peer, ref, chunks) === false) return
    this.applyFromPeer(peer, chunks)
    peer.send([json(FrameType.ACK, { ref })])
  }

  /** Applies a peer's chunks and broadcasts the new ones to the others. */
  applyFromPeer(peer, chunks) {
    const before = A.getHeads(this.doc)
    ;[this.doc] = A.applyChanges(this.doc, chunks)
    this.#broadcast(peer, A.getChangesSince(this.doc, before))
  }

  #sync(peer, msg) {
    const before = A.getHeads(this.doc)
    ;[this.doc, peer.syncState] = A.receiveSyncMessage(this.doc, peer.syncState, msg)
    this.#broadcast(peer, A.getChangesSince(this.doc, before))
    this.#syncReply(peer)
  }

  #syncReply(peer) {
    let msg
    ;[peer.syncState, msg] = A.generateSyncMessage(this.doc, peer.syncState)
    if (msg) {
      peer.send([{ type: FrameType.SYNC, payload: msg }])
      return
    }
    const theirs = peer.syncState.theirHeads
    if (!peer.joined && theirs && A.hasHeads(this.doc, theirs)) {
      peer.joined = true
      peer.send([json(FrameType.SYNCED, { heads: A.getHeads(this.doc) })])
    }
  }

  #presence(peer, p) {
    const frame = json(FrameType.PRESENCE, { peers: [{ peer: peer.id, user: peer.user, name: peer.name, ...p }] })
    for (const other of this.peers) if (other !== peer && other.joined) other.send([frame])
  }

  #broadcast(from, chunks) {
    if (chunks.length === 0) return
    const frame = { type: FrameType.CHANGES, payload: encodeChanges(0, chunks) }
    for (const p of this.peers) if (p !== from && p.joined) p.send([frame])
  }

  /** Sends an app frame to a peer. */
  sendApp(peer, msg) {
    peer.send([json(FrameType.APP, msg)])
  }

  /** Sends an error frame to a peer. */
  sendError(peer, err) {
    peer.send([json(FrameType.ERROR, { ref: 0, temporary: false, reset: false, ...err })])
  }
}

/**
 * An in-process WebSocket constructor bound to server, with the browser API the
 * client uses (onopen/onmessage/onclose, binaryType, protocol, readyState).
 * Delivery is asynchronous in both directions, like a real socket.
 * @param {FakeServer} server
 * @param {{protocol?: string}} [opts] protocol the "server" selects; default homeroom.v1
 */
export function fakeWebSocket(server, { protocol } = {}) {
  const sockets = []
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = url
      this.protocols = protocols
      this.protocol = protocol ?? protocols[0]
      this.readyState = 0
      this.binaryType = 'blob'
      sockets.push(this)
      if (server.down) {
        this.readyState = 3
        later(() => this.onclose?.({ code: 1006, reason: '', wasClean: false }))
        return
      }
      this.peer = server.attach(
        {
          send: (bytes) => {
            if (this.readyState !== 1) return
            const data = toArrayBuffer(bytes)
            later(() => this.onmessage?.({ data }))
          },
          close: (code, reason) => this.#closed(code, reason),
        },
        { token: tokenFromProtocols(protocols) },
      )
      later(() => {
        this.readyState = 1
        this.onopen?.({})
      })
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('fake socket: not open')
      const bytes = new Uint8Array(data).slice()
      later(() => this.peer.receive(bytes))
    }

    close(code = 1005, reason = '') {
      this.peer.gone()
      this.#closed(code, reason)
    }

    #closed(code, reason) {
      if (this.readyState >= 2) return
      this.readyState = 3
      later(() => this.onclose?.({ code, reason, wasClean: true }))
    }
  }
  FakeWebSocket.sockets = sockets
  return FakeWebSocket
}

function later(fn) {
  setImmediate(fn)
}

function toArrayBuffer(bytes) {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
}

/**
 * Resolves when predicate() is true, polling every few ms; rejects after timeout.
 * @param {() => boolean} predicate
 * @param {string} what described in the timeout error
 */
export async function eventually(predicate, what = 'condition', timeout = 10_000) {
  const deadline = Date.now() + timeout
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}
