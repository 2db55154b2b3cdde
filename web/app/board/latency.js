// Remote stroke latency, for the test hook and the browser benchmark: from a
// stroke's `created` (its author's pointer-down) to the moment its change was
// applied here (appliedMs) and to the first frame that draws it here (ms). The
// two times come from two machines' clocks, so the figures mean something only
// when both pages share one clock, as in the browser tests.

/** Remote strokes older than this when they arrive are catch-up, not samples. */
const WINDOW_MS = 10_000
/** Samples kept (the oldest go first). */
const KEEP = 500

export class LatencyMeter {
  /** The last sample's ms to render, or null. */
  last = null
  /** [{id, ms, appliedMs}], oldest first. */
  samples = []

  #known = new Set()
  #awaiting = new Map()
  #primed = false
  #me

  /** @param {() => string|null} me my user id (my own strokes are not samples) */
  constructor(me) {
    this.#me = me
  }

  /**
   * Notes the strokes of a board version that are new here. The first board
   * seen (the join) is all catch-up.
   */
  applied(board, now = Date.now()) {
    for (const id of Object.keys(board)) {
      if (this.#known.has(id)) continue
      this.#known.add(id)
      const s = board[id]
      const created = Number(s.created)
      if (this.#primed && String(s.author) !== this.#me() && now - created < WINDOW_MS) this.#awaiting.set(id, { created, applied: now })
    }
    this.#primed = true
  }

  /** A frame was drawn: the strokes noted since are rendered. */
  rendered(now = Date.now()) {
    if (this.#awaiting.size === 0) return
    for (const [id, { created, applied }] of this.#awaiting) {
      this.last = now - created
      this.samples.push({ id, ms: this.last, appliedMs: applied - created })
    }
    if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP)
    this.#awaiting.clear()
  }
}
