// The client's two Automerge replicas, and with them the answer to "what does the
// server already have?".
//
//   doc     the user's view: everything from the server plus local edits.
//   server  only what the server is known to have: the snapshot, changes the server
//           sent, local changes it acknowledged, and whatever the heads named in
//           `synced` or a sync message reach. It never gets a change before the
//           server has it.
//
// So getHeads(server) is exactly the "heads of the last server state seen" that
// `hello` carries, and getChangesSince(doc, those heads) is exactly what the server
// still lacks. Every change enters server only after (or together with) doc, so
// server ⊆ doc always holds; that lets sync mode rebuild server as doc restricted
// to the heads the server names. Automerge does the dedup (a change received twice)
// and the causal ordering (an ack or broadcast arriving before its dependency) for
// us. The price is a second copy of the document in memory.

import * as Automerge from '@automerge/automerge'
import { toPlain } from './schema.js'

/** Local and server-known replicas of one session document. */
export class Replica {
  /** @type {Automerge.Doc<any>|null} */
  doc = null
  /** @type {Automerge.Doc<any>|null} */
  server = null

  /** Sorted heads of the local document. */
  get heads() {
    return this.doc ? Automerge.getHeads(this.doc).sort() : []
  }

  /** Sorted heads of the server-known document: what `hello` sends. */
  get serverHeads() {
    return this.server ? Automerge.getHeads(this.server).sort() : []
  }

  /** Local changes the server is not known to have, in causal order. */
  unsent() {
    return this.doc ? Automerge.getChangesSince(this.doc, this.serverHeads) : []
  }

  /**
   * The user's own hand in the local document when the server is not known to have
   * it in that state (an unacknowledged raise or lower): {raised: unix ms} or
   * {raised: null} for lowered. Null when both agree or there is no user or copy.
   * @param {string|null} user
   * @returns {{raised: number|null}|null}
   */
  pendingHand(user) {
    if (!this.doc || !user) return null
    const mine = toPlain(this.doc.hands?.[user] ?? null)
    const theirs = toPlain(this.server?.hands?.[user] ?? null)
    return mine === theirs ? null : { raised: mine }
  }

  /**
   * Replaces both replicas with a copy saved earlier (see save): doc from its bytes,
   * server as doc restricted to the server heads it holds (nothing when none).
   * @param {Uint8Array} bytes Automerge.save output, optionally followed by saveSince chunks
   * @param {string[]} serverHeads heads of the server state as last seen
   */
  restore(bytes, serverHeads) {
    const doc = Automerge.load(bytes)
    const known = serverHeads.filter((h) => Automerge.hasHeads(doc, [h]))
    this.doc = doc
    this.server = known.length > 0 ? Automerge.clone(Automerge.view(doc, known)) : Automerge.init()
  }

  /** The whole local document, compact (Automerge.save). */
  save() {
    return Automerge.save(this.doc)
  }

  /**
   * The local changes after heads, in the incremental save format, or null when doc
   * does not hold heads (it was replaced since: save it whole).
   * @param {string[]} heads
   * @returns {Uint8Array|null}
   */
  saveSince(heads) {
    if (!this.doc || !Automerge.hasHeads(this.doc, heads)) return null
    return Automerge.saveSince(this.doc, heads)
  }

  /** Forgets both replicas (error with reset). */
  drop() {
    this.doc = null
    this.server = null
  }

  /** Sync mode may start without a copy: begin from an empty document (no maps). */
  ensure() {
    this.doc ??= Automerge.init()
    this.server ??= Automerge.init()
  }

  /**
   * Applies fn locally.
   * @returns {Uint8Array[]} the new change chunks (none if fn changed nothing)
   */
  change(fn) {
    const before = Automerge.getHeads(this.doc)
    this.doc = Automerge.change(this.doc, fn)
    return Automerge.getChangesSince(this.doc, before)
  }

  /**
   * The snapshot is the server's whole state: it replaces server, and merges into
   * doc so local edits not yet on the server survive.
   * @returns {boolean} whether doc changed
   */
  loadSnapshot(bytes) {
    this.server = Automerge.load(bytes)
    return this.#update(this.doc ? Automerge.loadIncremental(this.doc, bytes) : Automerge.load(bytes))
  }

  /**
   * Applies changes the server sent (ref 0). Duplicates are ignored.
   * @returns {boolean} whether doc changed
   */
  applyFromServer(chunks) {
    if (!this.doc) throw new Error('changes frame before snapshot')
    ;[this.server] = Automerge.applyChanges(this.server, chunks)
    return this.#update(Automerge.applyChanges(this.doc, chunks)[0])
  }

  /** Records that the server applied these local chunks (an ack). */
  acked(chunks) {
    ;[this.server] = Automerge.applyChanges(this.server, chunks)
  }

  /**
   * The server said it has heads (and so all their ancestors): advance server to
   * doc restricted to its current heads plus those of heads doc holds. Heads doc
   * does not hold yet are skipped; a later message covers them.
   */
  serverHas(heads) {
    if (heads.length === 0 || Automerge.hasHeads(this.server, heads)) return
    const known = heads.filter((h) => Automerge.hasHeads(this.doc, [h]))
    if (known.length === 0) return
    const target = [...Automerge.getHeads(this.server), ...known]
    this.server = Automerge.clone(Automerge.view(this.doc, target))
  }

  /**
   * Applies a sync message from the server.
   * @returns {[Automerge.SyncState, boolean]} the new sync state and whether doc changed
   */
  receiveSync(state, msg) {
    this.ensure()
    const [doc, next] = Automerge.receiveSyncMessage(this.doc, state, msg)
    const changed = this.#update(doc)
    if (next.theirHeads) this.serverHas(next.theirHeads)
    return [next, changed]
  }

  /**
   * The next sync message for the server, if there is anything to say.
   * @returns {[Automerge.SyncState, Uint8Array|null]}
   */
  generateSync(state) {
    return Automerge.generateSyncMessage(this.doc, state)
  }

  #update(doc) {
    const before = this.doc ? Automerge.getHeads(this.doc) : []
    this.doc = doc
    const after = Automerge.getHeads(doc)
    return before.length !== after.length || !after.every((h) => before.includes(h))
  }
}
