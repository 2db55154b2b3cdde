// The side panel: tabs for People, Hands, Video, and the activities of
// docs/activities.md: Chat, Polls and (for teachers) Attendance. Each panel body
// is filled by its own module in ui/; this file only owns the tabs and badges.

import { h, icon } from '../dom.js'

export const PANELS = [
  { id: 'people', label: 'People', icon: 'people' },
  { id: 'hands', label: 'Hands', icon: 'hand' },
  { id: 'video', label: 'Video', icon: 'video' },
  // ---- activities (docs/activities.md) ----
  // ui/chat.js, ui/polls.js and ui/attendance.js (models in activities/) each
  // show "not available on this server yet" until the server sends session_state.
  { id: 'chat', label: 'Chat', icon: 'chat' },
  { id: 'polls', label: 'Polls', icon: 'poll' },
  { id: 'attendance', label: 'Attendance', icon: 'attendance', staff: true },
]

/**
 * @param {HTMLElement} side the side panel container
 * @param {import('../classroom.js').Classroom} room
 * @returns {{body(id: string): HTMLElement, badge(id: string): (n: number) => void, select(id: string): void, showing(id: string): boolean}}
 */
export function mountPanels(side, room) {
  const tabs = new Map()
  const bodies = new Map()
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Class panels' })
  const wrap = h('div', { class: 'panel-bodies' })
  for (const p of PANELS) {
    const tab = h(
      'button',
      { class: 'tab', type: 'button', role: 'tab', id: `tab-${p.id}`, 'aria-controls': `panel-${p.id}`, 'aria-selected': 'false', 'aria-label': p.label, title: p.label, 'data-panel': p.id, onclick: () => select(p.id) },
      icon(p.icon),
      h('span', { class: 'tab-label', text: p.label }),
      h('span', { class: 'badge', hidden: true }),
    )
    const body = h('section', { class: 'panel', role: 'tabpanel', id: `panel-${p.id}`, 'aria-labelledby': `tab-${p.id}`, 'data-panel': p.id, hidden: true })
    tabs.set(p.id, tab)
    bodies.set(p.id, body)
    tablist.append(tab)
    wrap.append(body)
  }
  side.replaceChildren(tablist, wrap)

  let current = null
  function select(id) {
    current = id
    for (const [pid, tab] of tabs) {
      const on = pid === id
      tab.setAttribute('aria-selected', String(on))
      tab.tabIndex = on ? 0 : -1
      bodies.get(pid).hidden = !on
    }
    side.dispatchEvent(new CustomEvent('panel', { detail: { id } }))
  }
  /** Is this panel in front of the person (selected, and the side panel shown)? */
  function showing(id) {
    if (current !== id || document.hidden) return false
    return getComputedStyle(side).transform === 'none' || document.body.classList.contains('side-open')
  }
  // Arrow keys move between tabs (the ARIA tabs pattern).
  tablist.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    const visible = [...tabs.values()].filter((t) => !t.hidden)
    const i = visible.indexOf(document.activeElement)
    if (i < 0) return
    e.preventDefault()
    const next = visible[(i + (e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length]
    next.focus()
    select(next.dataset.panel)
  })

  function roles() {
    for (const p of PANELS) if (p.staff) tabs.get(p.id).hidden = !room.isStaff
  }
  room.addEventListener('doc', roles)
  room.addEventListener('connection', roles)
  roles()
  select('people')

  return {
    showing,
    body: (id) => bodies.get(id),
    badge: (id) => (n) => {
      const b = tabs.get(id).querySelector('.badge')
      b.hidden = !n
      b.textContent = n ? String(n) : ''
    },
    select,
  }
}
