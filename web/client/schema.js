// The Homeroom document schema as the client writes and renders it.
//
//   meta      {schema, session}                          written by the server
//   board     stroke id → {id, author, tool, color, width, points, pressure?, text?, created}
//   hands     user id → raised-at unix ms
//   presence  user id → {name, role, joined_at, status, left_at?}   written by the server
//
// Clients never create the top-level maps: they start from the server's snapshot.
// String scalars are written as ImmutableString (Automerge `str`), not collaborative text.

import * as Automerge from '@automerge/automerge'

/**
 * @typedef {object} StrokeInput
 * @property {string} id unique stroke id
 * @property {string} tool e.g. "pen", "highlighter", "text"
 * @property {string} color e.g. "#1e88e5"
 * @property {number} width line width in board units
 * @property {number[]} points flat [x0, y0, x1, y1, ...]
 * @property {number[]} [pressure] optional stylus pressure in [0, 1], one per point
 *   (x, y pair); absent when the input device reports none
 * @property {string} [text] content of a text stroke
 */

/**
 * Builds the document record of a new stroke.
 * @param {StrokeInput} input
 * @param {string} author user id of the writer
 * @param {number} created unix ms
 * @returns {object} a value to assign to `doc.board[id]` inside Automerge.change
 */
export function newStroke({ id, tool, color, width, points, pressure, text }, author, created) {
  if (typeof id !== 'string' || id === '') throw new TypeError('stroke id must be a non-empty string')
  checkPoints(points)
  if (pressure !== undefined) checkPressure(pressure)
  const s = {
    id: str(id),
    author: str(author),
    tool: str(tool),
    color: str(color),
    width,
    points: [...points],
    created,
  }
  if (pressure !== undefined) s.pressure = [...pressure]
  if (text !== undefined) s.text = str(text)
  return s
}

/**
 * Throws unless p is an array of finite numbers in [0, 1].
 * @param {number[]} p
 */
export function checkPressure(p) {
  if (!Array.isArray(p) || !p.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)) {
    throw new TypeError('pressure must be an array of numbers in [0, 1]')
  }
}

/**
 * Throws unless pts is a flat array of finite numbers with an even length.
 * @param {number[]} pts
 */
export function checkPoints(pts) {
  if (!Array.isArray(pts) || pts.length % 2 !== 0 || !pts.every(Number.isFinite)) {
    throw new TypeError('points must be a flat array of finite numbers [x0, y0, x1, y1, ...]')
  }
}

/** @param {string} s */
function str(s) {
  return new Automerge.ImmutableString(String(s))
}

/**
 * Renders an Automerge document (or any value in it) as plain JSON: ImmutableString
 * and text become strings, counters numbers, dates unix ms, bytes arrays of numbers.
 * @param {unknown} value
 * @returns {any}
 */
export function toPlain(value) {
  if (value === null || typeof value !== 'object') return value
  if (Automerge.isImmutableString(value)) return value.toString()
  if (Automerge.isCounter(value)) return value.value
  if (value instanceof Date) return value.getTime()
  if (value instanceof Uint8Array) return Array.from(value)
  if (Array.isArray(value)) return value.map(toPlain)
  const out = {}
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v)
  return out
}
