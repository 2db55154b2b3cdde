// The session document kept in the browser (IndexedDB) as the user edits, so a
// tablet that loses its connection keeps its drawing across a reload and sends
// it when it is back. Like automerge-repo's storage: a full save, then small
// incremental saves appended after it, compacted into one full save once they
// outgrow it. Saves are debounced (300 ms, at most 1 s) and flushed when the
// page is hidden; a failed save keeps the document in memory and says so.
//
// Database "homeroom", version 1:
//   docs    key "<session>|<user>" → {key, heads, serverHeads, user, role, savedAt}
//   chunks  key [docKey, seq]      → {key, seq, bytes}   seq 0 is the full save

const DB_NAME = 'homeroom'
const DB_VERSION = 1
const DEBOUNCE_MS = 300
const MAX_WAIT_MS = 1000

/** @returns {Promise<IDBDatabase>} */
export function openDatabase(indexedDB = globalThis.indexedDB) {
  return new Promise((resolve, reject) => {
    if (!indexedDB) {
      reject(new Error('this browser has no IndexedDB'))
      return
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains('docs')) db.createObjectStore('docs', { keyPath: 'key' })
      if (!db.objectStoreNames.contains('chunks')) db.createObjectStore('chunks', { keyPath: ['key', 'seq'] })
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
    req.onblocked = () => reject(new Error('the local database is open in an older tab; close it and reload'))
  })
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'))
  })
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

const range = (key) => IDBKeyRange.bound([key, 0], [key, Number.MAX_SAFE_INTEGER])

/**
 * Forgets copies not saved for maxAgeMs (classes long over), so a shared tablet
 * does not keep every board it ever showed.
 * @param {IDBDatabase} db
 * @param {number} maxAgeMs
 * @returns {Promise<number>} how many copies were removed
 */
export async function pruneOld(db, maxAgeMs, now = Date.now()) {
  const tx = db.transaction(['docs', 'chunks'], 'readwrite')
  const docs = await request(tx.objectStore('docs').getAll())
  let removed = 0
  for (const d of docs) {
    if (now - (d.savedAt ?? 0) <= maxAgeMs) continue
    tx.objectStore('docs').delete(d.key)
    tx.objectStore('chunks').delete(range(d.key))
    removed++
  }
  await done(tx)
  return removed
}

/** One document's records in the database. */
export class DocStore {
  /**
   * @param {IDBDatabase} db
   * @param {string} key "<session>|<user>"
   */
  constructor(db, key) {
    this.db = db
    this.key = key
  }

  /**
   * The saved copy: its bytes (full save plus increments, in order) and what
   * HomeroomClient.restore needs; null when there is none.
   * @returns {Promise<{doc: Uint8Array, heads: string[], serverHeads: string[], user: string|null, role: string|null, chunks: number}|null>}
   */
  async load() {
    const tx = this.db.transaction(['docs', 'chunks'], 'readonly')
    const meta = await request(tx.objectStore('docs').get(this.key))
    const chunks = await request(tx.objectStore('chunks').getAll(range(this.key)))
    if (!meta || chunks.length === 0) return null
    const size = chunks.reduce((n, c) => n + c.bytes.length, 0)
    const doc = new Uint8Array(size)
    let at = 0
    for (const c of chunks) {
      doc.set(c.bytes, at)
      at += c.bytes.length
    }
    return { doc, heads: meta.heads, serverHeads: meta.serverHeads, user: meta.user, role: meta.role, chunks: chunks.length }
  }

  /** Replaces everything with one full save. */
  async putFull(bytes, meta) {
    const tx = this.db.transaction(['docs', 'chunks'], 'readwrite')
    tx.objectStore('chunks').delete(range(this.key))
    tx.objectStore('chunks').put({ key: this.key, seq: 0, bytes })
    tx.objectStore('docs').put({ ...meta, key: this.key, savedAt: Date.now() })
    await done(tx)
  }

  /** Appends an incremental save as chunk seq (or only updates meta when bytes is null). */
  async putIncrement(seq, bytes, meta) {
    const tx = this.db.transaction(['docs', 'chunks'], 'readwrite')
    if (bytes) tx.objectStore('chunks').put({ key: this.key, seq, bytes })
    tx.objectStore('docs').put({ ...meta, key: this.key, savedAt: Date.now() })
    await done(tx)
  }

  /** Forgets this document (removed from the class, class ended). */
  async clear() {
    const tx = this.db.transaction(['docs', 'chunks'], 'readwrite')
    tx.objectStore('chunks').delete(range(this.key))
    tx.objectStore('docs').delete(this.key)
    await done(tx)
  }
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Saves a HomeroomClient's document into a DocStore as it changes. State for the
 * test hook: savedHeads (the local heads on disk), saves, pending, lastError.
 */
export class Persister extends EventTarget {
  #client
  #store
  #timer = null
  #firstDirtyAt = 0
  #running = null
  #again = false
  #seq = 0
  #incBytes = 0
  #fullBytes = 0
  savedHeads = []
  savedServerHeads = []
  saves = 0
  lastError = null

  /**
   * @param {import('../client/homeroom.js').HomeroomClient} client
   * @param {DocStore} store
   * @param {{heads: string[], serverHeads: string[], chunks: number, doc: Uint8Array}|null} loaded what load() returned
   */
  constructor(client, store, loaded = null) {
    super()
    this.#client = client
    this.#store = store
    if (loaded) {
      this.savedHeads = loaded.heads
      this.savedServerHeads = loaded.serverHeads
      this.#seq = loaded.chunks
      this.#fullBytes = loaded.doc.length
    }
    for (const ev of ['local', 'change', 'ack', 'synced']) client.addEventListener(ev, () => this.saveSoon())
  }

  /** True while the document has edits not yet on disk. */
  get pending() {
    const c = this.#client
    if (!c.doc) return false
    return !sameList(c.heads, this.savedHeads) || !sameList(c.serverHeads, this.savedServerHeads) || this.#running !== null
  }

  /** Schedules a save: 300 ms after the last edit, at most 1 s after the first. */
  saveSoon() {
    const now = Date.now()
    if (!this.#timer) this.#firstDirtyAt = now
    clearTimeout(this.#timer)
    const wait = Math.min(DEBOUNCE_MS, Math.max(0, this.#firstDirtyAt + MAX_WAIT_MS - now))
    this.#timer = setTimeout(() => this.flush(), wait)
  }

  /** Saves now (and again after, if edits arrive meanwhile). */
  async flush() {
    clearTimeout(this.#timer)
    this.#timer = null
    if (this.#running) {
      this.#again = true
      return this.#running
    }
    this.#running = this.#save()
      .catch((err) => {
        this.lastError = String(err?.message ?? err)
        this.dispatchEvent(new CustomEvent('error', { detail: { message: this.lastError } }))
      })
      .finally(() => {
        this.#running = null
        if (this.#again) {
          this.#again = false
          this.saveSoon()
        }
      })
    return this.#running
  }

  /** Forgets the saved copy and stops saving. */
  async clear() {
    clearTimeout(this.#timer)
    this.#timer = null
    this.#client = { doc: null, addEventListener() {} }
    await this.#store.clear()
  }

  async #save() {
    const c = this.#client
    if (!c.doc) return // dropped by a reset: the next snapshot brings a new copy
    const heads = c.heads
    const serverHeads = c.serverHeads
    if (sameList(heads, this.savedHeads) && sameList(serverHeads, this.savedServerHeads)) return
    const meta = { heads, serverHeads, user: c.user, role: c.role }
    const inc = this.savedHeads.length > 0 && !sameList(heads, this.savedHeads) ? c.saveSince(this.savedHeads) : null
    const compact = this.#seq === 0 || this.#incBytes > this.#fullBytes
    if (sameList(heads, this.savedHeads) && this.#seq > 0) {
      await this.#store.putIncrement(this.#seq, null, meta) // only the server heads moved
    } else if (inc && !compact) {
      await this.#store.putIncrement(this.#seq, inc, meta)
      this.#seq++
      this.#incBytes += inc.length
    } else {
      const full = c.save()
      await this.#store.putFull(full.doc, meta)
      this.#seq = 1
      this.#incBytes = 0
      this.#fullBytes = full.doc.length
    }
    this.savedHeads = heads
    this.savedServerHeads = serverHeads
    this.saves++
    this.dispatchEvent(new CustomEvent('saved', { detail: { heads } }))
  }
}
