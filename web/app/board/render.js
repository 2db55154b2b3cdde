// Draws the board on a canvas: every stroke of the document, plus the strokes
// this person is drawing right now (the overlay, ahead of the document by up to
// one batch), minus the ones being erased. Redraws on the next animation frame
// after anything changed. Automerge keeps unchanged objects identical between
// document versions, so each stroke's outline is computed once per version of
// that stroke (WeakMap keyed by the stroke object).

import { getStroke } from 'perfect-freehand'
import { bounds, corners, outlinePath, TEXT_LINE, textLines } from './geometry.js'

const COLOR = /^#[0-9a-fA-F]{6}$/
const HIGHLIGHT_ALPHA = 0.35
const FREEHAND = {
  pen: { thinning: 0.6, smoothing: 0.5, streamline: 0.45 },
  highlighter: { thinning: 0, smoothing: 0.5, streamline: 0.45, start: { cap: false }, end: { cap: false } },
  eraser: { thinning: 0, smoothing: 0.5, streamline: 0.45 },
}
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif'

/** Freehand input points [[x, y, pressure?]] of a stroke. */
function freehandPoints(s) {
  const p = s.points
  const pr = s.pressure
  const withPressure = pr && pr.length * 2 === p.length
  const out = []
  for (let i = 0, j = 0; i + 1 < p.length; i += 2, j++) out.push(withPressure ? [p[i], p[i + 1], pr[j]] : [p[i], p[i + 1]])
  return [out, Boolean(withPressure)]
}

/** The filled outline of a pen, highlighter or eraser stroke. */
export function freehandPath(s, last = true) {
  const [pts, withPressure] = freehandPoints(s)
  const opts = FREEHAND[String(s.tool)] ?? FREEHAND.pen
  const outline = getStroke(pts, { size: Number(s.width) || 2, ...opts, simulatePressure: !withPressure, last })
  return new Path2D(outlinePath(outline))
}

export class BoardRenderer {
  /** The document's board map (Automerge), or null. */
  board = null
  /** Strokes being drawn here: id → plain stroke, drawn instead of the document's. */
  overlay = new Map()
  /** Ids being erased here, not drawn. */
  hidden = new Set()
  /** Called after each drawn frame with the time it was drawn (performance.now()). */
  onRendered = null
  frames = 0

  #canvas
  #ctx
  #view
  #paths = new WeakMap()
  #bounds = new WeakMap()
  #order = { board: null, ids: [] }
  #raf = 0
  #dpr = 1

  /**
   * @param {HTMLCanvasElement} canvas
   * @param {import('./view.js').View} view
   */
  constructor(canvas, view) {
    this.#canvas = canvas
    this.#ctx = canvas.getContext('2d')
    this.#view = view
    view.addEventListener('change', () => this.invalidate())
  }

  setBoard(board) {
    this.board = board
    this.invalidate()
  }

  /** Matches the canvas's pixels to its CSS size and the device pixel ratio. */
  resize() {
    const c = this.#canvas
    this.#dpr = window.devicePixelRatio || 1
    const w = Math.max(1, Math.round(c.clientWidth * this.#dpr))
    const h = Math.max(1, Math.round(c.clientHeight * this.#dpr))
    if (c.width !== w || c.height !== h) {
      c.width = w
      c.height = h
    }
    this.invalidate()
  }

  /** Redraws on the next animation frame. */
  invalidate() {
    if (!this.#raf) this.#raf = requestAnimationFrame(() => this.#draw())
  }

  /** Stroke ids in drawing order (by creation time, then id). */
  order() {
    const board = this.board
    if (!board) return []
    if (this.#order.board !== board) {
      const ids = Object.keys(board)
      ids.sort((a, b) => Number(board[a].created ?? 0) - Number(board[b].created ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      this.#order = { board, ids }
    }
    return this.#order.ids
  }

  /** Bounds of a document stroke (cached per stroke version). */
  boundsOf(s) {
    let b = this.#bounds.get(s)
    if (b === undefined) {
      b = bounds(s)
      this.#bounds.set(s, b)
    }
    return b
  }

  #draw() {
    this.#raf = 0
    const ctx = this.#ctx
    const v = this.#view
    const k = this.#dpr * v.scale
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, this.#canvas.width, this.#canvas.height)
    ctx.setTransform(k, 0, 0, k, -v.x * k, -v.y * k)
    const vx1 = v.x + this.#canvas.width / k
    const vy1 = v.y + this.#canvas.height / k
    const board = this.board ?? {}
    const drawn = new Set()
    for (const id of this.order()) {
      if (this.hidden.has(id)) continue
      const local = this.overlay.get(id)
      if (local) {
        this.#stroke(local, false)
        drawn.add(id)
        continue
      }
      const s = board[id]
      const b = this.boundsOf(s)
      if (!b || b[2] < v.x || b[0] > vx1 || b[3] < v.y || b[1] > vy1) continue
      this.#stroke(s, true)
    }
    for (const [id, s] of this.overlay) if (!drawn.has(id)) this.#stroke(s, false)
    this.frames++
    this.onRendered?.(performance.now())
  }

  /** Draws one stroke; cached is true for document strokes (outline cached). */
  #stroke(s, cached) {
    const ctx = this.#ctx
    const tool = String(s.tool)
    const color = COLOR.test(String(s.color)) ? String(s.color) : '#111827'
    const width = Math.max(0.5, Number(s.width) || 2)
    const p = s.points
    if (!p || p.length < 2) return
    ctx.save()
    ctx.fillStyle = color
    ctx.strokeStyle = color
    ctx.lineWidth = width
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    switch (tool) {
      case 'pen':
      case 'highlighter':
      case 'eraser': {
        if (tool === 'highlighter') {
          ctx.globalAlpha = HIGHLIGHT_ALPHA
          ctx.globalCompositeOperation = 'multiply' // ink under a highlighter stays dark
        }
        if (tool === 'eraser') ctx.globalCompositeOperation = 'destination-out'
        let path = cached ? this.#paths.get(s) : null
        if (!path) {
          path = freehandPath(s, cached)
          if (cached) this.#paths.set(s, path)
        }
        ctx.fill(path)
        break
      }
      case 'line':
        ctx.beginPath()
        ctx.moveTo(p[0], p[1])
        ctx.lineTo(p[2] ?? p[0], p[3] ?? p[1])
        ctx.stroke()
        break
      case 'rect': {
        const [x0, y0, x1, y1] = corners(p)
        ctx.strokeRect(x0, y0, x1 - x0, y1 - y0)
        break
      }
      case 'ellipse': {
        const [x0, y0, x1, y1] = corners(p)
        ctx.beginPath()
        ctx.ellipse((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, 0, 0, Math.PI * 2)
        ctx.stroke()
        break
      }
      case 'text': {
        ctx.font = `${width}px ${FONT}`
        ctx.textBaseline = 'top'
        textLines(s).forEach((line, i) => ctx.fillText(line, p[0], p[1] + i * width * TEXT_LINE))
        break
      }
      default: {
        // A tool this page does not know: its points as a plain line.
        ctx.beginPath()
        ctx.moveTo(p[0], p[1])
        for (let i = 2; i + 1 < p.length; i += 2) ctx.lineTo(p[i], p[i + 1])
        ctx.stroke()
      }
    }
    ctx.restore()
  }
}
