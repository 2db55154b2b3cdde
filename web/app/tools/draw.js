// Turns a pointer gesture into board edits. A stroke is created in the document
// at the first point, so others see it start at once; further points are kept
// in the renderer's overlay (drawn every frame here) and sent in batches every
// BATCH_MS, so a stroke reaches the class while it is still being drawn. Shapes
// move their second corner in place; the eraser deletes the strokes it touches
// (own ones, or any for staff), hiding them here at once.

import { along, hits } from '../board/geometry.js'

/** How often points of a stroke in progress are sent (ms). */
export const BATCH_MS = 40
/** Points closer than this many screen pixels to the last one are skipped. */
const MIN_STEP_PX = 0.75

const SHAPES = new Set(['line', 'rect', 'ellipse'])
const round1 = (v) => Math.round(v * 10) / 10
const round2 = (v) => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100

export class DrawController extends EventTarget {
  /** The gesture in progress, or null. */
  active = null
  /** Strokes finished here (the hook's strokesDrawn). */
  strokesDrawn = 0

  #room
  #renderer
  #tools
  #history
  #view
  #timer = null

  /**
   * @param {object} o
   * @param {import('../classroom.js').Classroom} o.room
   * @param {import('../board/render.js').BoardRenderer} o.renderer
   * @param {import('./state.js').ToolState} o.tools
   * @param {import('./history.js').History} o.history
   * @param {import('../board/view.js').View} o.view
   */
  constructor({ room, renderer, tools, history, view }) {
    super()
    this.#room = room
    this.#renderer = renderer
    this.#tools = tools
    this.#history = history
    this.#view = view
  }

  /**
   * Starts a gesture at board point (x, y).
   * @param {number} pressure the pointer's pressure
   * @param {boolean} realPressure whether the device measures it (a stylus)
   * @returns {boolean} false when drawing is refused (the person is told)
   */
  begin(x, y, pressure = 0.5, realPressure = false) {
    this.cancel()
    const refusal = this.#room.drawRefusal
    if (refusal) {
      this.#room.notify({ level: 'warn', code: 'draw_refused', text: refusal })
      return false
    }
    const tool = this.#tools.tool
    if (tool === 'eraser') {
      this.active = { tool, erased: [], pending: [], last: [x, y] }
      this.#eraseAt(x, y)
      return true
    }
    x = round1(x)
    y = round1(y)
    const s = { tool, color: this.#tools.ink, width: this.#tools.width }
    if (SHAPES.has(tool)) s.points = [x, y, x, y]
    else s.points = [x, y]
    if (realPressure && (tool === 'pen' || tool === 'highlighter')) s.pressure = [round2(pressure)]
    const id = this.#room.addStroke(s)
    this.active = { id, ...s, points: [...s.points], pressure: s.pressure ? [...s.pressure] : undefined, sent: s.points.length, sentPressure: s.pressure?.length ?? 0 }
    this.#renderer.overlay.set(id, this.active)
    this.#renderer.invalidate()
    this.dispatchEvent(new CustomEvent('begin', { detail: { id, tool } }))
    return true
  }

  /** Continues the gesture to board point (x, y). */
  move(x, y, pressure = 0.5) {
    const a = this.active
    if (!a) return
    if (a.tool === 'eraser') {
      const step = Math.max(1, this.#eraserRadius() / 2)
      for (const [px, py] of along(a.last[0], a.last[1], x, y, step)) this.#eraseAt(px, py)
      a.last = [x, y]
      this.#schedule()
      return
    }
    x = round1(x)
    y = round1(y)
    if (SHAPES.has(a.tool)) {
      a.points[2] = x
      a.points[3] = y
    } else {
      const n = a.points.length
      const min = MIN_STEP_PX / this.#view.scale
      if (Math.abs(a.points[n - 2] - x) < min && Math.abs(a.points[n - 1] - y) < min) return
      a.points.push(x, y)
      if (a.pressure) a.pressure.push(round2(pressure))
    }
    this.#renderer.invalidate()
    this.#schedule()
  }

  /** Finishes the gesture: the last batch goes out, and it becomes undoable. */
  end() {
    const a = this.active
    if (!a) return
    this.#flush()
    this.active = null
    if (a.tool === 'eraser') {
      this.#history.erased(a.erased)
      for (const r of a.erased) this.#renderer.hidden.delete(r.id)
      this.#renderer.invalidate()
      return
    }
    this.#renderer.overlay.delete(a.id)
    this.#renderer.invalidate()
    if (SHAPES.has(a.tool) && a.points[0] === a.points[2] && a.points[1] === a.points[3]) {
      this.#room.deleteStrokes([a.id]) // a click, not a shape
      return
    }
    if (!this.#room.stroke(a.id)) return // refused meanwhile (reset) or cleared
    this.strokesDrawn++
    this.#history.drew([a.id])
    this.dispatchEvent(new CustomEvent('end', { detail: { id: a.id, tool: a.tool } }))
  }

  /** Abandons the gesture (a second finger turned it into a pinch): the stroke is removed. */
  cancel() {
    const a = this.active
    if (!a) return
    clearTimeout(this.#timer)
    this.#timer = null
    this.active = null
    if (a.tool === 'eraser') {
      this.#flushErase(a)
      this.#history.erased(a.erased)
      for (const r of a.erased) this.#renderer.hidden.delete(r.id)
      this.#renderer.invalidate()
      return
    }
    this.#renderer.overlay.delete(a.id)
    if (this.#room.stroke(a.id)) this.#room.deleteStrokes([a.id])
    this.#renderer.invalidate()
  }

  /** Adds a text stroke at board point (x, y). */
  text(x, y, text) {
    const refusal = this.#room.drawRefusal
    if (refusal) {
      this.#room.notify({ level: 'warn', code: 'draw_refused', text: refusal })
      return null
    }
    if (!text.trim()) return null
    const id = this.#room.addStroke({ tool: 'text', color: this.#tools.ink, width: this.#tools.width, points: [round1(x), round1(y)], text })
    this.strokesDrawn++
    this.#history.drew([id])
    return id
  }

  #schedule() {
    this.#timer ??= setTimeout(() => {
      this.#timer = null
      this.#flush()
    }, BATCH_MS)
  }

  /** Sends what the document does not have yet of the gesture. */
  #flush() {
    clearTimeout(this.#timer)
    this.#timer = null
    const a = this.active
    if (!a) return
    if (a.tool === 'eraser') {
      this.#flushErase(a)
      return
    }
    if (!this.#room.stroke(a.id)) {
      // The stroke is gone from under us (a reset, the teacher cleared the board).
      this.active = null
      this.#renderer.overlay.delete(a.id)
      this.#renderer.invalidate()
      return
    }
    if (SHAPES.has(a.tool)) {
      this.#room.setPoints(a.id, 2, a.points.slice(2, 4))
      return
    }
    if (a.points.length > a.sent) {
      const pts = a.points.slice(a.sent)
      const pr = a.pressure ? a.pressure.slice(a.sentPressure) : undefined
      this.#room.appendPoints(a.id, pts, pr)
      a.sent = a.points.length
      a.sentPressure = a.pressure?.length ?? 0
    }
  }

  #flushErase(a) {
    if (a.pending.length === 0) return
    this.#room.deleteStrokes(a.pending)
    a.pending = []
  }

  #eraserRadius() {
    return this.#tools.width / 2 / this.#view.scale
  }

  #eraseAt(x, y) {
    const a = this.active
    const board = this.#room.doc?.board
    if (!board) return
    const r = this.#eraserRadius()
    for (const id of Object.keys(board)) {
      if (this.#renderer.hidden.has(id)) continue
      const s = board[id]
      if (!this.#room.mayEdit(s) || !hits(s, x, y, r)) continue
      this.#renderer.hidden.add(id)
      a.erased.push(this.#room.stroke(id))
      a.pending.push(id)
      this.#renderer.invalidate()
    }
  }
}
