// Tiny DOM helpers: build elements without innerHTML (no markup from data ever
// reaches the parser), and icons.

import { ICONS } from './icons.js'

const SVG_NS = 'http://www.w3.org/2000/svg'

/**
 * Creates an element. attrs: "class", "text", "on<event>" handlers, booleans
 * (true sets the attribute empty, false omits it), anything else as an attribute.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') el.textContent = v
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c)
  return el
}

/**
 * An inline SVG icon (decorative: aria-hidden; the control carries the label).
 * @param {keyof typeof ICONS} name
 */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  svg.classList.add('icon')
  for (const d of ICONS[name] ?? []) {
    const p = document.createElementNS(SVG_NS, 'path')
    p.setAttribute('d', d)
    svg.append(p)
  }
  return svg
}

/** Replaces el's children. */
export function replace(el, ...children) {
  el.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false))
}

/** "2 min ago"-style age of a unix ms time. */
export function ago(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 45) return 'just now'
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min ago`
  return `${Math.round(m / 60)} h ago`
}

/** 1 → "1st", 2 → "2nd", ... */
export function ordinal(n) {
  const t = n % 100
  if (t >= 11 && t <= 13) return `${n}th`
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`
}
