// Geometry of strokes in board coordinates: bounds, hit tests for the eraser,
// and the outlines shapes are drawn with. Pure functions on plain records or
// Automerge objects ({tool, width, points, text}); no DOM.

/** Font size of a text stroke is its width; lines are this much taller. */
export const TEXT_LINE = 1.25
/** Average glyph width relative to the font size, for bounds of text. */
const GLYPH = 0.6

/** [x0, y0, x1, y1] of a shape's two corners, ordered. */
export function corners(points) {
  const [ax, ay, bx = ax, by = ay] = points
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]
}

/** Lines of a text stroke. */
export function textLines(s) {
  return String(s.text ?? '').split('\n')
}

/**
 * Bounds [x0, y0, x1, y1] of a stroke including its width, or null without points.
 * @param {{tool: any, width: number, points: ArrayLike<number>, text?: any}} s
 */
export function bounds(s) {
  const p = s.points
  if (!p || p.length < 2) return null
  const w = Number(s.width) || 1
  if (String(s.tool) === 'text') {
    const lines = textLines(s)
    const long = Math.max(1, ...lines.map((l) => l.length))
    return [p[0], p[1], p[0] + long * w * GLYPH, p[1] + lines.length * w * TEXT_LINE]
  }
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (let i = 0; i + 1 < p.length; i += 2) {
    if (p[i] < x0) x0 = p[i]
    if (p[i] > x1) x1 = p[i]
    if (p[i + 1] < y0) y0 = p[i + 1]
    if (p[i + 1] > y1) y1 = p[i + 1]
  }
  const m = w / 2
  return [x0 - m, y0 - m, x1 + m, y1 + m]
}

/** Union of bounds, or null. */
export function union(a, b) {
  if (!a) return b
  if (!b) return a
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]
}

/** Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
export function segmentDistance2(px, py, ax, ay, bx, by) {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2
  t = Math.max(0, Math.min(1, t))
  const x = ax + t * dx - px
  const y = ay + t * dy - py
  return x * x + y * y
}

/** The polyline a stroke is drawn along (flat [x0, y0, ...]), for hit tests. */
export function outline(s) {
  const p = Array.from(s.points ?? [])
  switch (String(s.tool)) {
    case 'rect': {
      const [x0, y0, x1, y1] = corners(p)
      return [x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]
    }
    case 'ellipse': {
      const [x0, y0, x1, y1] = corners(p)
      const cx = (x0 + x1) / 2
      const cy = (y0 + y1) / 2
      const out = []
      for (let i = 0; i <= 48; i++) {
        const a = (i / 48) * Math.PI * 2
        out.push(cx + ((x1 - x0) / 2) * Math.cos(a), cy + ((y1 - y0) / 2) * Math.sin(a))
      }
      return out
    }
    case 'line':
      return p.slice(0, 4)
    default:
      return p
  }
}

/**
 * Does a circle of radius r at (x, y) touch the stroke?
 * @param {object} s stroke
 */
export function hits(s, x, y, r) {
  const b = bounds(s)
  if (!b || x < b[0] - r || x > b[2] + r || y < b[1] - r || y > b[3] + r) return false
  if (String(s.tool) === 'text') return true // inside the text's box
  const reach = r + (Number(s.width) || 1) / 2
  const reach2 = reach * reach
  const p = outline(s)
  if (p.length === 2) return (p[0] - x) ** 2 + (p[1] - y) ** 2 <= reach2
  for (let i = 0; i + 3 < p.length; i += 2) {
    if (segmentDistance2(x, y, p[i], p[i + 1], p[i + 2], p[i + 3]) <= reach2) return true
  }
  return false
}

/**
 * Points along the segment a→b, at most step apart (the eraser between two
 * pointer events), including b but not a.
 */
export function along(ax, ay, bx, by, step) {
  const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / step))
  const out = []
  for (let i = 1; i <= n; i++) out.push([ax + ((bx - ax) * i) / n, ay + ((by - ay) * i) / n])
  return out
}

/**
 * The SVG path of a closed outline (perfect-freehand's getStroke output), with
 * quadratic curves through the midpoints: the library's recommended rendering.
 * @param {number[][]} pts
 */
export function outlinePath(pts) {
  const n = pts.length
  if (n < 4) return ''
  const avg = (a, b) => (a + b) / 2
  let a = pts[0]
  let b = pts[1]
  const c = pts[2]
  let d = `M${a[0].toFixed(2)},${a[1].toFixed(2)} Q${b[0].toFixed(2)},${b[1].toFixed(2)} ${avg(b[0], c[0]).toFixed(2)},${avg(b[1], c[1]).toFixed(2)} T`
  for (let i = 2; i < n - 1; i++) {
    a = pts[i]
    b = pts[i + 1]
    d += `${avg(a[0], b[0]).toFixed(2)},${avg(a[1], b[1]).toFixed(2)} `
  }
  return d + 'Z'
}
