// The session's video block (docs/activities.md "Video"): the provider's link
// opens beside the board (embedded for providers that allow it, else in a new
// window), and the fallback link replaces it when a video_fallback frame comes;
// teachers can switch everyone to it (video_switch).
// Until the server sends session_state there is nothing to show, and it says so.

import { h, replace } from '../dom.js'

/** Providers whose meeting pages may be embedded in a frame. */
const EMBEDDABLE = new Set(['jitsi'])

/** Only http(s) links are ever opened or embedded. */
function safeURL(u) {
  try {
    const url = new URL(String(u))
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : ''
  } catch {
    return ''
  }
}

/**
 * @param {HTMLElement} panel the Video panel body
 * @param {HTMLElement} dock where an embedded meeting shows, beside the board
 * @param {import('../classroom.js').Classroom} room
 */
export function mountVideo(panel, dock, room) {
  let embedded = false

  function render() {
    const v = room.video
    const url = safeURL(v?.fallback ? v.fallback_url || v.join_url : v?.join_url)
    const provider = String(v?.provider ?? '')
    if (!url) {
      embedded = false
      replace(dock)
      dock.hidden = true
      replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Video' })), h('p', { class: 'empty', text: 'No video link for this class yet. It appears here when the teacher sets one.' }))
      return
    }
    const canEmbed = EMBEDDABLE.has(provider) && !v.fallback
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Video' })),
      v.fallback ? h('p', { class: 'video-fallback', role: 'status', text: 'Using the backup video link.' }) : null,
      h('p', { class: 'video-provider', text: provider ? `Provider: ${provider}` : '' }),
      h(
        'div',
        { class: 'video-actions' },
        canEmbed
          ? h('button', { class: 'btn', type: 'button', 'aria-pressed': String(embedded), onclick: () => ((embedded = !embedded), render()) }, embedded ? 'Hide video' : 'Show video beside the board')
          : null,
        h('a', { class: 'btn primary', href: url, target: '_blank', rel: 'noopener noreferrer', 'data-video-link': v.fallback ? 'fallback' : 'join' }, v.fallback ? 'Open the backup video' : 'Open the class video'),
        h('p', { class: 'video-host', text: `${new URL(url).host} · opens in a new window` }),
        h('button', { class: 'link-button', type: 'button', onclick: () => room.reportVideoError() && room.notify({ level: 'info', code: 'video_error', text: 'Thanks: the problem was reported.' }) }, 'Video not working?'),
        room.isStaff && !v.fallback && safeURL(v.fallback_url)
          ? h('button', { class: 'btn small', type: 'button', 'data-action': 'video-switch', onclick: () => room.act({ type: 'video_switch' }) }, 'Switch everyone to the backup link')
          : null,
      ),
    )
    const show = embedded && canEmbed
    dock.hidden = !show
    if (show && dock.querySelector('iframe')?.src !== url) {
      replace(dock, h('iframe', { src: url, title: 'Class video', allow: 'camera; microphone; fullscreen; display-capture; autoplay', referrerpolicy: 'no-referrer' }))
    } else if (!show) {
      replace(dock)
    }
  }
  room.addEventListener('video', render)
  render()
}
