// Geometry, the view and the tool state: pure code, no DOM.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { along, bounds, corners, hits, outline, outlinePath, segmentDistance2, union } from '../board/geometry.js'
import { View } from '../board/view.js'
import { ToolState } from '../tools/state.js'

test('bounds include the width; text uses its size', () => {
  assert.deepEqual(bounds({ tool: 'pen', width: 4, points: [0, 0, 10, 20] }), [-2, -2, 12, 22])
  assert.equal(bounds({ tool: 'pen', width: 4, points: [] }), null)
  const b = bounds({ tool: 'text', width: 20, points: [5, 5], text: 'ab\nc' })
  assert.deepEqual(b, [5, 5, 5 + 2 * 20 * 0.6, 5 + 2 * 20 * 1.25])
  assert.deepEqual(union(null, [0, 0, 1, 1]), [0, 0, 1, 1])
  assert.deepEqual(union([0, 0, 1, 1], [-1, 2, 0, 3]), [-1, 0, 1, 3])
})

test('shapes: corners in order, outlines along their edges', () => {
  assert.deepEqual(corners([10, 10, 0, 5]), [0, 5, 10, 10])
  assert.deepEqual(outline({ tool: 'rect', points: [0, 0, 10, 10] }), [0, 0, 10, 0, 10, 10, 0, 10, 0, 0])
  assert.deepEqual(outline({ tool: 'line', points: [0, 0, 10, 10] }), [0, 0, 10, 10])
  assert.equal(outline({ tool: 'ellipse', points: [0, 0, 10, 10] }).length, 98)
})

test('hits: near the line, not inside a rectangle, anywhere on text', () => {
  const pen = { tool: 'pen', width: 2, points: [0, 0, 100, 0] }
  assert.ok(hits(pen, 50, 4, 3))
  assert.ok(!hits(pen, 50, 10, 3))
  const rect = { tool: 'rect', width: 2, points: [0, 0, 100, 100] }
  assert.ok(hits(rect, 0, 50, 2))
  assert.ok(!hits(rect, 50, 50, 2))
  assert.ok(hits({ tool: 'text', width: 20, points: [0, 0], text: 'hello' }, 30, 10, 1))
  assert.ok(hits({ tool: 'pen', width: 2, points: [5, 5] }, 6, 6, 2)) // a dot
  assert.equal(segmentDistance2(0, 5, -10, 0, 10, 0), 25)
})

test('along: steps between two pointer events', () => {
  const pts = along(0, 0, 10, 0, 3)
  assert.equal(pts.length, 4)
  assert.deepEqual(pts.at(-1), [10, 0])
})

test('outlinePath: a closed SVG path', () => {
  assert.equal(outlinePath([[0, 0]]), '')
  assert.match(outlinePath([[0, 0], [1, 0], [1, 1], [0, 1]]), /^M0\.00,0\.00 Q.* T.*Z$/)
})

test('view: zoom keeps the point under the pointer, limits apply', () => {
  const v = new View()
  let changes = 0
  v.addEventListener('change', () => changes++)
  v.panBy(100, 50)
  assert.deepEqual(v.toBoard(0, 0), [-100, -50])
  const before = v.toBoard(200, 100)
  v.zoomAt(200, 100, 2)
  assert.deepEqual(v.toBoard(200, 100), before)
  assert.deepEqual(v.toScreen(...before), [200, 100])
  v.zoomAt(0, 0, 1000)
  assert.equal(v.scale, 8)
  v.fit([0, 0, 100, 100], 300, 300, 50)
  assert.equal(v.scale, 2)
  assert.deepEqual(v.toScreen(50, 50), [150, 150])
  assert.ok(changes >= 4)
})

test('tool state: widths per tool, highlighter keeps its own color', () => {
  const s = new ToolState()
  assert.equal(s.width, 6)
  s.setTool('highlighter')
  assert.equal(s.ink, '#facc15')
  s.setColor('#1d4ed8')
  s.setTool('pen')
  assert.equal(s.ink, '#111827')
  s.setSize(99)
  assert.equal(s.size, 3)
  s.setTool('nope')
  assert.equal(s.tool, 'pen')
})

test('latency meter: samples only remote strokes that arrive after the join', async () => {
  const { LatencyMeter } = await import('../board/latency.js')
  const m = new LatencyMeter(() => 'me')
  const t = 100_000
  m.applied({ old: { author: 'them', created: t } }, t + 50) // the join: catch-up
  m.applied({ old: {}, mine: { author: 'me', created: t }, new: { author: 'them', created: t }, stale: { author: 'them', created: t - 60_000 } }, t + 20)
  m.rendered(t + 30)
  assert.deepEqual(m.samples, [{ id: 'new', ms: 30, appliedMs: 20 }])
  assert.equal(m.last, 30)
  m.rendered(t + 2000) // nothing new
  assert.equal(m.samples.length, 1)
})
