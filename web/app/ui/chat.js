// The chat panel (docs/activities.md "Chat"). Built against the protocol draft;
// no automated tests yet. Until the server sends session_state (it speaks
// activities) the panel says chat is not available.
//
// Messages are kept by seq; a message of ours is "sending" until the server
// echoes it (chat_message with our id), and is resent with the same id after a
// reconnect (the server does not duplicate it). A refusal names our id in `for`.
// Teachers delete messages, mute senders and lock the chat. Messages from others
// that arrive while the panel is not in view count as unread on the tab.

import { h, icon, replace } from '../dom.js'
import { randomId } from '../classroom.js'

const MAX_CHARS = 2000

/**
 * @param {HTMLElement} panel the Chat panel body
 * @param {(n: number) => void} badge unread count on the tab
 * @param {import('../classroom.js').Classroom} room
 * @param {() => boolean} showing whether the panel is in view
 */
export function mountChat(panel, badge, room, showing) {
  const messages = new Map() // seq → message
  const outbox = new Map() // our id → {id, text, to, status: 'sending'|'failed', error}
  let readSeq = 0
  let muted = false
  let draft = ''
  let toStaff = false

  const list = h('ol', { class: 'chat-list', 'aria-label': 'Chat messages', 'aria-live': 'polite' })
  const input = h('textarea', { class: 'chat-input', rows: '2', maxlength: String(MAX_CHARS), 'aria-label': 'Message to the class', placeholder: 'Write a message…' })
  const privately = h('input', { type: 'checkbox', id: 'chat-private' })
  const send = h('button', { class: 'btn small primary', type: 'submit' }, 'Send')
  const status = h('p', { class: 'chat-status', role: 'status' })
  const lock = h('button', { class: 'btn small', type: 'button', onclick: () => room.lockChat(!room.chatLocked) })
  const form = h(
    'form',
    { class: 'chat-form', onsubmit: (e) => (e.preventDefault(), submit()) },
    input,
    h('div', { class: 'chat-row' }, h('label', { class: 'check', for: 'chat-private' }, privately, ' Only to the teacher'), send),
  )
  input.addEventListener('keydown', (e) => {
    e.stopPropagation() // typing is not shortcuts
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault()
      submit()
    }
  })
  input.addEventListener('input', () => (draft = input.value))
  privately.addEventListener('change', () => (toStaff = privately.checked))

  function submit() {
    const text = input.value.trim()
    if (!text) return
    if (text.length > MAX_CHARS) {
      room.notify({ level: 'warn', code: 'too_large', text: `A message is at most ${MAX_CHARS} characters.` })
      return
    }
    const msg = { id: `c-${randomId()}`, text, to: toStaff ? 'staff' : '', status: 'sending' }
    outbox.set(msg.id, msg)
    input.value = draft = ''
    trySend(msg)
    render()
  }

  function trySend(msg) {
    msg.status = 'sending'
    room.client.sendApp({ type: 'chat_send', id: msg.id, text: msg.text, to: msg.to }) // offline: resent when live
  }

  function upsert(m) {
    messages.set(Number(m.seq), { ...m, seq: Number(m.seq) })
    outbox.delete(m.id)
  }

  room.addEventListener('app', (e) => {
    const m = e.detail
    switch (m.type) {
      case 'session_state':
        muted = Boolean(m.chat?.muted)
        break
      case 'chat_history':
        if (m.reset) messages.clear()
        for (const x of m.messages ?? []) upsert(x)
        break
      case 'chat_message':
        upsert(m)
        break
      case 'chat_deleted': {
        const x = messages.get(Number(m.seq))
        if (x) messages.set(x.seq, { ...x, text: '', deleted_by: m.by, deleted_at: Date.now() })
        break
      }
      case 'participant.muted':
        if (m.user === room.user) muted = Boolean(m.muted)
        break
      default:
        return
    }
    render()
  })
  room.addEventListener('refused', (e) => {
    const msg = outbox.get(e.detail.for)
    if (!msg) return
    msg.status = e.detail.temporary ? 'sending' : 'failed'
    msg.error = e.detail.code
    render()
  })
  room.addEventListener('connection', () => {
    if (room.client.state === 'live') for (const msg of outbox.values()) if (msg.status === 'sending') trySend(msg)
    render()
  })
  room.addEventListener('doc', render)
  room.addEventListener('activities', render)

  function render() {
    const available = room.sessionState !== null
    const staff = room.isStaff
    const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq)
    const last = sorted.at(-1)?.seq ?? 0
    if (showing()) readSeq = last
    badge(sorted.filter((m) => m.seq > readSeq && m.user !== room.user && !m.deleted_at).length)
    if (!available) {
      replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Chat' })), h('p', { class: 'empty', text: 'Chat is not available on this server yet.' }))
      return
    }
    const locked = room.chatLocked
    const blocked = !staff && (locked || muted) ? (muted ? 'Your teacher has muted you in chat.' : 'Chat is locked by your teacher.') : ''
    input.disabled = send.disabled = Boolean(blocked) || room.role === 'observer'
    status.textContent = blocked
    lock.textContent = locked ? 'Unlock chat' : 'Lock chat'
    lock.setAttribute('aria-pressed', String(locked))
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8
    replace(list, ...sorted.map((m) => item(m, staff)), ...[...outbox.values()].map(pendingItem))
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Chat' }), staff ? lock : null),
      list,
      status,
      form,
    )
    if (atBottom) list.scrollTop = list.scrollHeight
    if (document.activeElement !== input && input.value !== draft) input.value = draft
  }

  function item(m, staff) {
    const mine = m.user === room.user
    const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    const actions =
      staff && !m.deleted_at
        ? h(
            'span',
            { class: 'chat-actions' },
            h('button', { class: 'link-button', type: 'button', 'aria-label': `Delete ${m.name}'s message`, onclick: () => room.act({ type: 'chat_delete', seq: m.seq }) }, 'Delete'),
            !mine ? h('button', { class: 'link-button', type: 'button', 'aria-label': `Mute ${m.name}`, onclick: () => room.muteUser(m.user, true) }, 'Mute') : null,
          )
        : null
    return h(
      'li',
      { class: `chat-msg${mine ? ' mine' : ''}${m.to === 'staff' ? ' private' : ''}`, 'data-seq': String(m.seq) },
      h('div', { class: 'chat-meta' }, h('strong', { text: mine ? 'You' : m.name || m.user }), m.role && m.role !== 'student' ? h('span', { class: 'role', text: m.role }) : null, m.to === 'staff' ? h('span', { class: 'chat-private', text: 'to the teacher' }) : null, h('time', { text: time }), actions),
      m.deleted_at ? h('p', { class: 'chat-deleted', text: 'Message removed by the teacher.' }) : h('p', { class: 'chat-text', text: m.text }),
    )
  }

  function pendingItem(msg) {
    return h(
      'li',
      { class: `chat-msg mine pending ${msg.status}` },
      h('div', { class: 'chat-meta' }, h('strong', { text: 'You' }), h('span', { class: 'chat-sending', text: msg.status === 'failed' ? `not sent (${msg.error})` : 'sending…' })),
      h('p', { class: 'chat-text', text: msg.text }),
      msg.status === 'failed' ? h('button', { class: 'link-button', type: 'button', onclick: () => (trySend(msg), render()) }, icon('redo'), 'Try again') : null,
    )
  }

  render()
  return { render }
}
