// The participant list: everyone in the session's roster with their role and
// status: here, away (their tab is hidden), reconnecting, offline.

import { h, icon, replace } from '../dom.js'
import { userColor } from '../board/cursors.js'

const STATUS_TEXT = { here: 'here', away: 'away', reconnecting: 'reconnecting', offline: 'offline' }

/**
 * @param {HTMLElement} panel the People panel body
 * @param {(n: number) => void} badge sets the number present on the tab
 * @param {import('../classroom.js').Classroom} room
 * @param {(title: string, text: string, action: string, then: () => void) => void} confirm asks first
 */
export function mountPeople(panel, badge, room, confirm) {
  function render() {
    const list = room.participants()
    const present = list.filter((p) => p.status === 'here' || p.status === 'away').length
    badge(present)
    const items = list.map((p) =>
      h(
        'li',
        { class: `person ${p.status}`, 'data-user': p.user, 'data-status': p.status },
        h('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(p.name) }),
        h('span', { class: 'person-name' }, p.name, p.me ? h('span', { class: 'me', text: ' (you)' }) : null),
        p.role && p.role !== 'student' ? h('span', { class: 'role', text: p.role }) : null,
        p.hand ? h('span', { class: 'person-hand', 'aria-label': 'hand raised', title: 'Hand raised' }, icon('hand')) : null,
        h('span', { class: 'status', text: STATUS_TEXT[p.status] ?? p.status }),
        room.isStaff && !p.me && p.role !== 'teacher'
          ? h(
              'button',
              {
                class: 'link-button remove',
                type: 'button',
                'aria-label': `Remove ${p.name} from the class`,
                title: 'Remove from the class',
                onclick: () => confirm(`Remove ${p.name}?`, `${p.name} leaves the class now and cannot join this session again.`, 'Remove', () => room.removeParticipant(p.user)),
              },
              icon('close'),
            )
          : null,
      ),
    )
    for (const [i, p] of list.entries()) items[i].querySelector('.avatar').style.setProperty('--who', userColor(p.user))
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: `People · ${present} here` })),
      room.client.state !== 'live' && room.doc && list.length > 1 ? h('p', { class: 'stale', text: 'Not connected: this is who was here at your last connection.' }) : null,
      list.length > 0 ? h('ul', { class: 'people-list' }, ...items) : h('p', { class: 'empty', text: 'Nobody has joined yet.' }),
      room.role === 'teacher'
        ? h(
            'button',
            {
              class: 'btn small danger end-class',
              type: 'button',
              onclick: () => confirm('End the class for everyone?', 'Everyone is disconnected and nobody can join this session again.', 'End class', () => room.endSession()),
            },
            'End class',
          )
        : null,
    )
  }
  room.addEventListener('doc', render)
  room.addEventListener('presence', render)
  room.addEventListener('connection', render)
  document.addEventListener('visibilitychange', render)
  setInterval(render, 5000) // reconnecting → offline after the grace period
  render()
}

function initials(name) {
  const parts = String(name).trim().split(/\s+/).filter(Boolean)
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts.at(-1)[0] : '')).toUpperCase()
}
