// Remote cursors over the board: a dot and a name for each person whose
// presence carries a cursor (ephemeral presence frames, never the document).
// Moves ease between the few updates a second presence brings.

import { h } from '../dom.js'

const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#c2410c', '#0e7490', '#be185d', '#4d7c0f']

/** A stable color for a user id. */
export function userColor(user) {
  let x = 0
  for (const ch of String(user)) x = (x * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[x % PALETTE.length]
}

export class Cursors {
  #layer
  #view
  #els = new Map()

  /**
   * @param {HTMLElement} layer positioned over the board
   * @param {import('./view.js').View} view
   */
  constructor(layer, view) {
    this.#layer = layer
    this.#view = view
  }

  /** @param {{peer: string, user: string, name: string, cursor: number[]}[]} list */
  update(list) {
    const seen = new Set()
    for (const p of list) {
      seen.add(p.peer)
      let el = this.#els.get(p.peer)
      if (!el) {
        el = h('div', { class: 'cursor', 'data-user': p.user }, h('span', { class: 'cursor-dot' }), h('span', { class: 'cursor-name', text: p.name || p.user }))
        el.style.setProperty('--who', userColor(p.user))
        this.#layer.append(el)
        this.#els.set(p.peer, el)
      }
      el.dataset.x = String(p.cursor[0])
      el.dataset.y = String(p.cursor[1])
      this.#place(el)
    }
    for (const [peer, el] of this.#els) {
      if (!seen.has(peer)) {
        el.remove()
        this.#els.delete(peer)
      }
    }
  }

  /** Re-places every cursor after the view moved. */
  relayout() {
    for (const el of this.#els.values()) this.#place(el, true)
  }

  get count() {
    return this.#els.size
  }

  #place(el, instant = false) {
    const [sx, sy] = this.#view.toScreen(Number(el.dataset.x), Number(el.dataset.y))
    el.classList.toggle('instant', instant)
    el.style.transform = `translate(${sx.toFixed(1)}px, ${sy.toFixed(1)}px)`
  }
}
