// The text tool's editor: a text box over the board where the person clicked.
// Enter adds the text to the board (Shift+Enter for a new line), Escape or an
// empty box cancels; leaving the box adds what was typed.

import { h } from '../dom.js'
import { FONT } from '../board/render.js'

export class TextEntry {
  #layer
  #view
  #tools
  #commit
  #box = null

  /**
   * @param {HTMLElement} layer positioned over the board
   * @param {import('../board/view.js').View} view
   * @param {import('../tools/state.js').ToolState} tools
   * @param {(x: number, y: number, text: string) => void} commit
   */
  constructor(layer, view, tools, commit) {
    this.#layer = layer
    this.#view = view
    this.#tools = tools
    this.#commit = commit
  }

  get open() {
    return this.#box !== null
  }

  /** Opens the editor at board point (x, y). */
  openAt(x, y) {
    this.close(true)
    const [sx, sy] = this.#view.toScreen(x, y)
    const size = this.#tools.width * this.#view.scale
    const box = h('textarea', {
      class: 'text-entry',
      rows: '1',
      'aria-label': 'Text to add to the board (Enter to add, Escape to cancel)',
      placeholder: 'Type, then Enter',
    })
    box.style.left = `${sx}px`
    box.style.top = `${sy}px`
    box.style.font = `${size}px ${FONT}`
    box.style.color = this.#tools.ink
    box.dataset.x = String(x)
    box.dataset.y = String(y)
    box.addEventListener('keydown', (e) => {
      e.stopPropagation() // typing is not shortcuts
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault()
        this.close(true)
      } else if (e.key === 'Escape') {
        e.preventDefault()
        this.close(false)
      }
    })
    box.addEventListener('input', () => {
      box.style.height = 'auto'
      box.style.height = `${box.scrollHeight}px`
    })
    box.addEventListener('blur', () => this.close(true))
    this.#box = box
    this.#layer.append(box)
    requestAnimationFrame(() => box.focus())
  }

  /** Closes the editor, adding its text when keep. */
  close(keep) {
    const box = this.#box
    if (!box) return
    this.#box = null
    box.remove()
    if (keep && box.value.trim()) this.#commit(Number(box.dataset.x), Number(box.dataset.y), box.value)
  }
}
