// Undo and redo of this person's own board actions: a drawing (any tool) and an
// erase. Others' edits are never undone here. Strokes are put back under fresh
// ids with their original author, time and content, so a redo never collides
// with a key another replica still remembers.

/**
 * @typedef {object} Action
 * @property {'draw'|'erase'} kind
 * @property {string[]} ids strokes of the action now on the board (draw done, erase undone)
 * @property {object[]} records the strokes' plain records, to put back
 */

export class History extends EventTarget {
  #done = []
  #undone = []
  #limit
  #room

  /**
   * @param {import('../classroom.js').Classroom} room
   * @param {number} [limit] actions kept; default 200
   */
  constructor(room, limit = 200) {
    super()
    this.#room = room
    this.#limit = limit
  }

  get canUndo() {
    return this.#done.length > 0
  }

  get canRedo() {
    return this.#undone.length > 0
  }

  /** Records a finished drawing (ids on the board now). */
  drew(ids) {
    const records = ids.map((id) => this.#room.stroke(id)).filter(Boolean)
    if (records.length > 0) this.#push({ kind: 'draw', ids, records })
  }

  /** Records an erase of these strokes (their records from before). */
  erased(records) {
    if (records.length > 0) this.#push({ kind: 'erase', ids: [], records })
  }

  /** Undoes the last action; false when there is none or drawing is refused. */
  undo() {
    return this.#move(this.#done, this.#undone, 'undo')
  }

  redo() {
    return this.#move(this.#undone, this.#done, 'redo')
  }

  /** Forgets everything (a fresh copy after a reset). */
  clear() {
    this.#done = []
    this.#undone = []
    this.#changed()
  }

  #move(from, to, dir) {
    const a = from.at(-1)
    if (!a) return false
    const refusal = this.#room.drawRefusal
    if (refusal) {
      this.#room.notify({ level: 'warn', code: 'undo', text: `Cannot ${dir}: ${refusal.charAt(0).toLowerCase()}${refusal.slice(1)}` })
      return false
    }
    from.pop()
    const removing = (a.kind === 'draw') === (dir === 'undo')
    if (removing) {
      const live = a.ids.filter((id) => this.#room.stroke(id))
      if (live.length > 0) a.records = live.map((id) => this.#room.stroke(id))
      this.#room.deleteStrokes(live)
      a.ids = []
    } else {
      a.ids = this.#room.putStrokes(a.records)
    }
    to.push(a)
    this.#changed()
    return true
  }

  #push(a) {
    this.#done.push(a)
    if (this.#done.length > this.#limit) this.#done.shift()
    this.#undone = []
    this.#changed()
  }

  #changed() {
    this.dispatchEvent(new Event('change'))
  }
}
