// The toolbar beside the board: tools, colors, sizes, undo and redo, zoom, and
// for teachers clear and lock. Every control has a label (aria-label and a
// tooltip naming its shortcut) and shows its state (aria-pressed).

import { h, icon, replace } from '../dom.js'
import { COLORS, SIZE_NAMES, TOOLS } from '../tools/state.js'

/**
 * @param {HTMLElement} el the toolbar container
 * @param {HTMLElement} zoomEl the zoom controls' container, over the board
 * @param {object} o
 * @param {import('../tools/state.js').ToolState} o.tools
 * @param {import('../tools/history.js').History} o.history
 * @param {import('../classroom.js').Classroom} o.room
 * @param {{zoomIn(): void, zoomOut(): void, fit(): void, scale(): number}} o.zoom
 * @param {() => void} o.clearBoard asks, then clears
 */
export function mountToolbar(el, zoomEl, { tools, history, room, zoom, clearBoard }) {
  const toolButtons = TOOLS.map((t) =>
    h('button', { class: 'tool', type: 'button', 'data-tool': t.id, 'aria-label': `${t.label} (${t.key.toUpperCase()})`, title: `${t.label} — ${t.key.toUpperCase()}`, onclick: () => tools.setTool(t.id) }, icon(t.icon)),
  )
  const swatches = COLORS.map((c, i) =>
    h('button', { class: 'swatch', type: 'button', 'data-color': c.value, 'aria-label': `${c.name} (${i + 1})`, title: `${c.name} — ${i + 1}`, onclick: () => tools.setColor(c.value) }, h('span', { class: 'swatch-dot' })),
  )
  swatches.forEach((b, i) => b.firstChild.style.setProperty('--swatch', COLORS[i].value))
  const sizes = SIZE_NAMES.map((name, i) =>
    h('button', { class: 'size', type: 'button', 'data-size': String(i), 'aria-label': `${name} size ([ and ] change)`, title: `${name} — [ / ]`, onclick: () => tools.setSize(i) }, h('span', { class: 'size-dot' })),
  )
  sizes.forEach((b, i) => b.firstChild.style.setProperty('--size', `${4 + i * 4}px`))
  const undo = h('button', { class: 'tool', type: 'button', 'aria-label': 'Undo (Ctrl+Z)', title: 'Undo — Ctrl+Z', onclick: () => history.undo() }, icon('undo'))
  const redo = h('button', { class: 'tool', type: 'button', 'aria-label': 'Redo (Ctrl+Shift+Z)', title: 'Redo — Ctrl+Shift+Z', onclick: () => history.redo() }, icon('redo'))
  const zoomLabel = h('span', { class: 'zoom-level', 'aria-live': 'off' })
  const zoomGroup = h(
    'div',
    { class: 'group zoom', role: 'group', 'aria-label': 'Zoom' },
    h('button', { class: 'tool', type: 'button', 'aria-label': 'Zoom out (-)', title: 'Zoom out — -', onclick: zoom.zoomOut }, icon('zoomOut')),
    zoomLabel,
    h('button', { class: 'tool', type: 'button', 'aria-label': 'Zoom in (+)', title: 'Zoom in — +', onclick: zoom.zoomIn }, icon('zoomIn')),
    h('button', { class: 'tool', type: 'button', 'aria-label': 'Fit the board (0)', title: 'Fit the board — 0', onclick: zoom.fit }, icon('fit')),
  )
  const lock = h('button', { class: 'tool staff', type: 'button', 'data-action': 'lock', onclick: () => room.lockBoard(!room.boardLocked) })
  const clear = h('button', { class: 'tool staff danger', type: 'button', 'data-action': 'clear', 'aria-label': 'Clear the board for everyone', title: 'Clear the board for everyone', onclick: clearBoard }, icon('trash'))
  const staff = h('div', { class: 'group staff-tools', role: 'group', 'aria-label': 'Teacher tools' }, lock, clear)

  replace(
    el,
    h('div', { class: 'group', role: 'group', 'aria-label': 'Tools' }, ...toolButtons),
    h('div', { class: 'group colors', role: 'group', 'aria-label': 'Colors' }, ...swatches),
    h('div', { class: 'group sizes', role: 'group', 'aria-label': 'Sizes' }, ...sizes),
    h('div', { class: 'group', role: 'group', 'aria-label': 'History' }, undo, redo),
    staff,
  )
  replace(zoomEl, zoomGroup)

  function update() {
    for (const b of toolButtons) b.setAttribute('aria-pressed', String(b.dataset.tool === tools.tool))
    for (const b of swatches) b.setAttribute('aria-pressed', String(b.dataset.color === tools.ink))
    for (const b of sizes) b.setAttribute('aria-pressed', String(Number(b.dataset.size) === tools.size))
    undo.disabled = !history.canUndo
    redo.disabled = !history.canRedo
    const locked = room.boardLocked
    lock.setAttribute('aria-pressed', String(locked))
    lock.setAttribute('aria-label', locked ? 'Unlock the board for students' : 'Lock the board for students')
    lock.title = locked ? 'Board locked — click to unlock' : 'Lock the board for students'
    replace(lock, icon(locked ? 'lock' : 'unlock'))
    staff.hidden = !room.isStaff
    const refusal = room.drawRefusal
    el.classList.toggle('refused', Boolean(refusal))
    el.title = refusal
    zoomLabel.textContent = `${Math.round(zoom.scale() * 100)}%`
  }
  tools.addEventListener('change', update)
  history.addEventListener('change', update)
  room.addEventListener('doc', update)
  room.addEventListener('connection', update)
  update()
  return { update }
}
