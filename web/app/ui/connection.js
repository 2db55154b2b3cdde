// The connection state, always visible in the top bar: live; connecting;
// reconnecting with a countdown and a "Retry now" button; offline with the
// edits kept on this device; or stopped for good (told by notices.js).

import { h, icon, replace } from '../dom.js'
import { reconnectReason } from '../messages.js'

/**
 * @param {HTMLElement} el status container (role=status)
 * @param {import('../classroom.js').Classroom} room
 * @param {import('../storage.js').Persister|null} persister
 */
export function mountConnection(el, room, persister) {
  const c = room.client
  let reason = ''
  let tick = null

  function view() {
    const state = c.state
    const pending = c.pendingChanges
    const waiting = pending > 0 ? `${pending} ${pending === 1 ? 'change' : 'changes'} to send` : 'nothing to send'
    const kept = 'work kept on this device'
    const online = navigator.onLine
    if (room.stopped) return { kind: 'stopped', label: 'Disconnected', detail: room.stopped.title }
    switch (state) {
      case 'live':
        return { kind: 'live', label: 'Live', detail: pending > 0 ? `sending ${pending} ${pending === 1 ? 'edit' : 'edits'}…` : '' }
      case 'connecting':
        return { kind: 'connecting', label: 'Connecting…', detail: '' }
      case 'reconnecting': {
        if (!online) return { kind: 'offline', label: 'Offline', detail: `${kept}; syncs when you are back`, title: waiting }
        const at = c.nextRetryAt
        const secs = at ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 0
        const when = at ? (secs > 0 ? `retrying in ${secs} s` : 'retrying…') : 'connecting…'
        return { kind: 'reconnecting', label: 'Reconnecting', detail: `${when}; ${kept}`, title: `${reason ? `${reason} ` : ''}${waiting}`, retry: true }
      }
      default:
        return { kind: 'offline', label: 'Offline', detail: kept, title: waiting }
    }
  }

  function render() {
    const v = view()
    el.dataset.state = v.kind
    el.title = v.title ?? ''
    const retry = v.retry
      ? h('button', { class: 'link-button', type: 'button', 'aria-label': 'Retry connecting now', onclick: () => c.retryNow() }, 'Retry now')
      : null
    const saveError = persister?.lastError ? h('span', { class: 'conn-warn', text: `Not saved on this device: ${persister.lastError}` }) : null
    replace(
      el,
      h('span', { class: 'conn-dot', 'aria-hidden': 'true' }),
      v.kind === 'offline' ? icon('offline') : null,
      h('strong', { class: 'conn-label', text: v.label }),
      v.detail ? h('span', { class: 'conn-detail', text: v.detail }) : null,
      retry,
      saveError,
    )
    // The countdown ticks only while there is one to show.
    const ticking = v.kind === 'reconnecting'
    if (ticking && !tick) tick = setInterval(render, 500)
    if (!ticking && tick) {
      clearInterval(tick)
      tick = null
    }
  }

  room.addEventListener('connection', (e) => {
    if (e.detail?.state === 'reconnecting' && e.detail.name) reason = reconnectReason(e.detail)
    if (e.detail?.state === 'live') reason = ''
    render()
  })
  room.addEventListener('doc', render)
  c.addEventListener('ack', render)
  persister?.addEventListener('saved', render)
  persister?.addEventListener('error', render)
  window.addEventListener('online', render)
  window.addEventListener('offline', render)
  render()
  return { render }
}
