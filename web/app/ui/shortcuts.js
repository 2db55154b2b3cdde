// Keyboard shortcuts for the board, and the help dialog that lists them (?).
// Keys typed into a text field are never shortcuts.

import { h, replace } from '../dom.js'
import { COLORS, TOOLS } from '../tools/state.js'

/**
 * @param {object} o
 * @param {HTMLDialogElement} o.dialog
 * @param {import('../tools/state.js').ToolState} o.tools
 * @param {import('../tools/history.js').History} o.history
 * @param {{zoomIn(): void, zoomOut(): void, fit(): void}} o.zoom
 * @param {() => void} o.toggleHand
 * @param {(held: boolean) => void} o.spaceHeld
 */
export function mountShortcuts({ dialog, tools, history, zoom, toggleHand, spaceHeld }) {
  const rows = [
    ...TOOLS.map((t) => [t.key.toUpperCase(), t.label]),
    ['1 – 7', `Colors (${COLORS.map((c) => c.name).join(', ')})`],
    ['[ and ]', 'Smaller / larger'],
    ['Ctrl+Z', 'Undo your last action'],
    ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
    ['+ / − / 0', 'Zoom in / out / fit the board'],
    ['Space + drag, or two fingers', 'Pan'],
    ['H', 'Raise or lower your hand'],
    ['?', 'This help'],
  ]
  replace(
    dialog,
    h('h2', { id: 'help-title', text: 'Keyboard shortcuts' }),
    h('table', { class: 'shortcuts' }, h('tbody', {}, ...rows.map(([k, what]) => h('tr', {}, h('th', { scope: 'row' }, h('kbd', { text: k })), h('td', { text: what }))))),
    h('form', { method: 'dialog' }, h('button', { class: 'btn', type: 'submit', 'aria-label': 'Close the shortcuts help' }, 'Close')),
  )
  dialog.setAttribute('aria-labelledby', 'help-title')

  const typing = (t) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))

  document.addEventListener('keydown', (e) => {
    if (typing(e.target) || dialog.open) return
    const mod = e.ctrlKey || e.metaKey
    const k = e.key.toLowerCase()
    if (mod && k === 'z') {
      e.preventDefault()
      if (e.shiftKey) history.redo()
      else history.undo()
      return
    }
    if (mod && k === 'y') {
      e.preventDefault()
      history.redo()
      return
    }
    if (mod || e.altKey) return
    if (e.key === ' ') {
      if (!e.repeat) spaceHeld(true)
      e.preventDefault()
      return
    }
    const tool = TOOLS.find((t) => t.key === k)
    if (tool) return tools.setTool(tool.id)
    if (/^[1-7]$/.test(e.key)) return tools.setColor(COLORS[Number(e.key) - 1].value)
    switch (e.key) {
      case '[':
        return tools.setSize(tools.size - 1)
      case ']':
        return tools.setSize(tools.size + 1)
      case '+':
      case '=':
        return zoom.zoomIn()
      case '-':
        return zoom.zoomOut()
      case '0':
        return zoom.fit()
      case 'h':
      case 'H':
        return toggleHand()
      case '?':
        dialog.showModal()
    }
  })
  document.addEventListener('keyup', (e) => {
    if (e.key === ' ') spaceHeld(false)
  })
  window.addEventListener('blur', () => spaceHeld(false))
}
