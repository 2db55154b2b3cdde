// Raised hands. Students have the raise-hand button (H); for teachers the same
// button shows how many hands are up and opens the Hands panel, which lists the
// queue in the order hands went up, where teachers lower one or all.

import { ago, h, icon, ordinal, replace } from '../dom.js'

/**
 * @param {HTMLButtonElement} button the raise-hand button in the top bar
 * @param {HTMLElement} panel the Hands panel body
 * @param {(n: number) => void} badge sets the count shown on the panel's tab
 * @param {import('../classroom.js').Classroom} room
 * @param {() => void} openPanel shows the Hands panel
 */
export function mountHands(button, panel, badge, room, openPanel) {
  let wasRaised = false
  let lowering = false // I lowered it myself

  function toggle() {
    if (room.isStaff) {
      openPanel()
      return
    }
    const refusal = room.client.doc ? (room.role === 'observer' ? 'Observers cannot raise a hand.' : '') : 'The class is still loading.'
    if (refusal) {
      room.notify({ level: 'warn', code: 'hand', text: refusal })
      return
    }
    if (room.handRaised) {
      lowering = true
      room.lowerHand()
    } else {
      room.raiseHand()
    }
  }
  button.addEventListener('click', toggle)

  function render() {
    const raised = room.handRaised
    const queue = room.hands()
    if (wasRaised && !raised && !lowering) {
      room.notify({ level: 'info', code: 'hand_lowered', text: 'Your teacher lowered your hand.' })
    }
    if (!raised) lowering = false
    wasRaised = raised
    const pos = queue.findIndex((q) => q.user === room.user)
    const staff = room.isStaff
    if (staff) {
      button.removeAttribute('aria-pressed')
      button.setAttribute('aria-label', `Raised hands: ${queue.length} (H)`)
      button.title = 'Show raised hands — H'
      button.classList.toggle('waiting', queue.length > 0)
      replace(button, icon('hand'), h('span', { text: queue.length > 0 ? `${queue.length} ${queue.length === 1 ? 'hand' : 'hands'} up` : 'No hands up' }))
    } else {
      button.classList.remove('waiting')
      button.setAttribute('aria-pressed', String(raised))
      button.setAttribute('aria-label', raised ? 'Lower your hand (H)' : 'Raise your hand (H)')
      button.title = raised ? 'Lower your hand — H' : 'Raise your hand — H'
      replace(button, icon('hand'), h('span', { text: raised ? `Hand up${pos >= 0 ? ` · ${ordinal(pos + 1)}` : ''}` : 'Raise hand' }))
    }
    badge(queue.length)

    const now = Date.now()
    const items = queue.map((q, i) =>
      h(
        'li',
        { class: 'hand-item', 'data-user': q.user },
        h('span', { class: 'hand-pos', text: String(i + 1) }),
        h('span', { class: 'hand-name', text: q.user === room.user ? `${q.name} (you)` : q.name }),
        h('span', { class: 'hand-age', text: ago(q.at, now) }),
        staff
          ? h('button', { class: 'btn small', type: 'button', 'aria-label': `Lower ${q.name}'s hand`, onclick: () => room.lowerHandOf(q.user) }, 'Lower')
          : null,
      ),
    )
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Raised hands' }), staff && queue.length > 0 ? h('button', { class: 'btn small', type: 'button', 'aria-label': 'Lower all hands', onclick: () => room.clearHands() }, 'Lower all') : null),
      queue.length > 0 ? h('ol', { class: 'hand-list', 'aria-label': 'Raised hands, first raised first' }, ...items) : h('p', { class: 'empty', text: 'No hands raised.' }),
    )
  }
  room.addEventListener('doc', render)
  room.addEventListener('connection', render)
  setInterval(render, 30_000) // "2 min ago" moves on
  render()
}
