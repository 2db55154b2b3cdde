// The chat panel (docs/activities.md "Chat"), over the ChatLog model
// (activities/chat.js). Until the server sends session_state (it speaks
// activities) the panel says chat is not available.
//
// The form is built once and never replaced, so typing is not interrupted by
// what arrives meanwhile (strokes, messages); only the list and the status line
// are redrawn. Teachers delete messages, mute and unmute students and lock the
// chat. Messages from others that arrive while the panel is not in view count
// as unread on the tab.

import { h, icon, replace } from '../dom.js'
import { ChatLog, MAX_CHARS, NOT_SENT } from '../activities/chat.js'

/**
 * @param {HTMLElement} panel the Chat panel body
 * @param {(n: number) => void} badge unread count on the tab
 * @param {import('../classroom.js').Classroom} room
 * @param {() => boolean} showing whether the panel is in view
 * @returns {{render(): void, log: ChatLog}}
 */
export function mountChat(panel, badge, room, showing) {
  const log = new ChatLog(room)

  const list = h('ol', { class: 'chat-list', 'aria-label': 'Chat messages', 'aria-live': 'polite' })
  const input = h('textarea', { class: 'chat-input', rows: '2', maxlength: String(MAX_CHARS), 'aria-label': 'Message to the class', placeholder: 'Write a message…' })
  const privately = h('input', { type: 'checkbox', id: 'chat-private' })
  const privateLabel = h('label', { class: 'check', for: 'chat-private' }, privately, ' Only to the teacher')
  const send = h('button', { class: 'btn small primary', type: 'submit' }, 'Send')
  const status = h('p', { class: 'chat-status', role: 'status' })
  const lock = h('button', { class: 'btn small', type: 'button', 'data-action': 'chat-lock', onclick: () => log.lock(!room.chatLocked) })
  const unavailable = h('p', { class: 'empty', text: 'Chat is not available on this server yet.' })
  const form = h('form', { class: 'chat-form', onsubmit: (e) => (e.preventDefault(), submit()) }, input, h('div', { class: 'chat-row' }, privateLabel, send))
  replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Chat' }), lock), unavailable, list, status, form)

  input.addEventListener('keydown', (e) => {
    e.stopPropagation() // typing is not shortcuts
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      submit()
    }
  })

  function submit() {
    const why = log.send(input.value, privately.checked && !room.isStaff ? 'staff' : '')
    if (why === 'empty') return
    if (why) {
      room.notify({ level: 'warn', code: 'too_large', text: why })
      return
    }
    input.value = ''
  }

  /** The controls: whether chat exists here, who may write, the lock. */
  function renderControls() {
    const available = room.sessionState !== null
    const staff = room.isStaff
    unavailable.hidden = available
    list.hidden = form.hidden = !available
    lock.hidden = !available || !staff
    privateLabel.hidden = staff
    const blocked = available ? log.blocked : ''
    input.disabled = send.disabled = privately.disabled = Boolean(blocked)
    status.textContent = blocked
    const locked = room.chatLocked
    lock.textContent = locked ? 'Unlock chat' : 'Lock chat'
    lock.setAttribute('aria-pressed', String(locked))
    if (staff && locked && available) status.textContent = 'Chat is locked: students can read but not write.'
  }

  function renderList() {
    const staff = room.isStaff
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8
    replace(list, ...log.list().map((m) => item(m, staff)), ...[...log.outbox.values()].map(pendingItem))
    if (atBottom) list.scrollTop = list.scrollHeight
  }

  function renderBadge() {
    if (showing()) log.markRead()
    badge(log.unread())
  }

  function render() {
    renderControls()
    renderList()
    renderBadge()
  }

  log.addEventListener('change', render)
  room.addEventListener('activities', render)
  room.addEventListener('connection', renderControls)
  room.addEventListener('doc', renderControls) // the lock, a role change

  function item(m, staff) {
    const mine = m.user === room.user
    const who = m.name || m.user
    const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    const muted = log.mutedUsers.has(m.user)
    const actions =
      staff && !m.deleted_at
        ? h(
            'span',
            { class: 'chat-actions' },
            h('button', { class: 'link-button', type: 'button', 'data-action': 'chat-delete', 'aria-label': `Delete ${who}'s message`, onclick: () => log.delete(m.seq) }, 'Delete'),
            !mine && m.role === 'student'
              ? h('button', { class: 'link-button', type: 'button', 'data-action': muted ? 'unmute' : 'mute', 'aria-label': `${muted ? 'Unmute' : 'Mute'} ${who}`, onclick: () => log.mute(m.user, !muted) }, muted ? 'Unmute' : 'Mute')
              : null,
          )
        : null
    return h(
      'li',
      { class: `chat-msg${mine ? ' mine' : ''}${m.to === 'staff' ? ' private' : ''}${m.deleted_at ? ' deleted' : ''}`, 'data-seq': String(m.seq) },
      h(
        'div',
        { class: 'chat-meta' },
        h('strong', { text: mine ? 'You' : who }),
        m.role && m.role !== 'student' ? h('span', { class: 'role', text: m.role }) : null,
        staff && muted ? h('span', { class: 'chat-muted', text: 'muted' }) : null,
        m.to === 'staff' ? h('span', { class: 'chat-private', text: 'to the teacher' }) : null,
        h('time', { datetime: m.at, text: time }),
      ),
      m.deleted_at ? h('p', { class: 'chat-deleted', text: 'Message removed by the teacher.' }) : h('p', { class: 'chat-text', text: m.text }),
      actions,
    )
  }

  function pendingItem(msg) {
    const failed = msg.status === 'failed'
    return h(
      'li',
      { class: `chat-msg mine pending ${msg.status}`, 'data-id': msg.id },
      h('div', { class: 'chat-meta' }, h('strong', { text: 'You' }), h('span', { class: 'chat-sending', text: failed ? `not sent: ${NOT_SENT[msg.error] ?? msg.error}` : 'sending…' })),
      h('p', { class: 'chat-text', text: msg.text }),
      failed ? h('button', { class: 'link-button', type: 'button', onclick: () => log.retry(msg.id) }, icon('redo'), 'Try again') : null,
    )
  }

  render()
  return { render, log }
}
