// Messages to the person: short notices (a refusal, a lowered hand) that fade,
// announced to screen readers, and the card shown when the server refuses for
// good (removed, session ended, token expired), which stays.

import { h, replace } from '../dom.js'

const SHOW_MS = { info: 4000, warn: 7000, error: 12000 }
const MAX_SHOWN = 4

/**
 * @param {HTMLElement} el the notices region (aria-live)
 * @param {HTMLElement} card the stopped card container
 * @param {import('../classroom.js').Classroom} room
 * @returns {{log: object[]}} every notice shown, for the test hook
 */
export function mountNotices(el, card, room) {
  const log = []

  function show(n) {
    log.push({ ...n, at: Date.now() })
    if (log.length > 100) log.shift()
    const item = h(
      'div',
      { class: `notice ${n.level}`, role: n.level === 'info' ? 'status' : 'alert', 'data-code': n.code },
      h('span', { class: 'notice-text', text: n.text }),
      h('button', { class: 'notice-close', type: 'button', 'aria-label': 'Dismiss', text: '×', onclick: () => item.remove() }),
    )
    el.append(item)
    while (el.children.length > MAX_SHOWN) el.firstElementChild.remove()
    setTimeout(() => item.remove(), SHOW_MS[n.level] ?? 5000)
  }

  function stopped(s) {
    log.push({ level: 'error', code: s.code, text: `${s.title}. ${s.text}`, at: Date.now() })
    replace(
      card,
      h(
        'div',
        { class: 'stopped-card', role: 'alertdialog', 'aria-labelledby': 'stopped-title', 'aria-describedby': 'stopped-text', 'data-code': s.code },
        h('h2', { id: 'stopped-title', text: s.title }),
        h('p', { id: 'stopped-text', text: s.text }),
        s.reason ? h('p', { class: 'stopped-reason', text: `Server: ${s.reason}` }) : null,
        h('button', { class: 'btn', type: 'button', onclick: () => (card.hidden = true) }, 'Look at the board'),
      ),
    )
    card.hidden = false
    card.querySelector('button')?.focus()
  }

  room.addEventListener('notice', (e) => show(e.detail))
  room.addEventListener('stopped', (e) => stopped(e.detail))
  return { log, show }
}
