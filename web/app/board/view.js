// The board's viewport: which part of the (unbounded) board the screen shows.
// Local to each person; never in the document.
//
//   screen = (board - origin) * scale        board = screen / scale + origin

export const MIN_SCALE = 0.1
export const MAX_SCALE = 8

export class View extends EventTarget {
  x = 0
  y = 0
  scale = 1

  /** Board point under a screen point (CSS pixels relative to the board element). */
  toBoard(sx, sy) {
    return [sx / this.scale + this.x, sy / this.scale + this.y]
  }

  /** Screen point of a board point. */
  toScreen(bx, by) {
    return [(bx - this.x) * this.scale, (by - this.y) * this.scale]
  }

  /** Moves the view by a screen distance (a drag of dx, dy pixels). */
  panBy(dx, dy) {
    this.x -= dx / this.scale
    this.y -= dy / this.scale
    this.#changed()
  }

  /** Zooms by factor keeping the board point under (sx, sy) in place. */
  zoomAt(sx, sy, factor) {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor))
    if (next === this.scale) return
    const [bx, by] = this.toBoard(sx, sy)
    this.scale = next
    this.x = bx - sx / next
    this.y = by - sy / next
    this.#changed()
  }

  /** Shows the board rectangle [x0, y0, x1, y1] in a w × h screen, with a margin. */
  fit(bounds, w, h, margin = 40) {
    if (!bounds) {
      this.reset()
      return
    }
    const [x0, y0, x1, y1] = bounds
    const bw = Math.max(1, x1 - x0)
    const bh = Math.max(1, y1 - y0)
    const s = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min((w - 2 * margin) / bw, (h - 2 * margin) / bh, 2)))
    this.scale = s
    this.x = x0 - (w / s - bw) / 2
    this.y = y0 - (h / s - bh) / 2
    this.#changed()
  }

  reset() {
    this.x = 0
    this.y = 0
    this.scale = 1
    this.#changed()
  }

  #changed() {
    this.dispatchEvent(new Event('change'))
  }
}
