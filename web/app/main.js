// The browser classroom's entry point: reads the class link (/s/{session}#token=…),
// loads Automerge's wasm, restores the board kept on this device, builds the page
// and connects. Everything else lives in a module per concern:
//
//   classroom.js   the model over the reference client (web/client)
//   storage.js     the board kept in IndexedDB
//   board/         view (pan, zoom), geometry, canvas rendering, remote cursors,
//                  remote stroke latency
//   tools/         tool state, drawing gestures, undo and redo
//   input.js       pointer input on the board
//   ui/            toolbar, connection bar, notices, panels, hands, people, video,
//                  chat, polls, attendance
//   hook.js        window.homeroom for tests
//   sw.js          the service worker that keeps the page usable offline

import { initializeWasm } from '@automerge/automerge'
import { Classroom } from './classroom.js'
import { h, icon, replace } from './dom.js'
import { installHook } from './hook.js'
import { attachInput } from './input.js'
import { countingWebSocket, newWireCounters } from './net.js'
import { DocStore, openDatabase, Persister, pruneOld } from './storage.js'
import { jwtClaims, readLocation } from './token.js'
import { Cursors } from './board/cursors.js'
import { union } from './board/geometry.js'
import { LatencyMeter } from './board/latency.js'
import { BoardRenderer } from './board/render.js'
import { View } from './board/view.js'
import { DrawController } from './tools/draw.js'
import { History } from './tools/history.js'
import { ToolState } from './tools/state.js'
import { mountAttendance } from './ui/attendance.js'
import { mountChat } from './ui/chat.js'
import { mountConnection } from './ui/connection.js'
import { mountHands } from './ui/hands.js'
import { mountNotices } from './ui/notices.js'
import { mountPanels } from './ui/panels.js'
import { mountPeople } from './ui/people.js'
import { mountPolls } from './ui/polls.js'
import { mountShortcuts } from './ui/shortcuts.js'
import { TextEntry } from './ui/textentry.js'
import { mountToolbar } from './ui/toolbar.js'
import { mountVideo } from './ui/video.js'

/** Boards kept on this device are forgotten after this long without a save. */
const KEEP_MS = 30 * 24 * 3600 * 1000

const $ = (id) => document.getElementById(id)

main().catch((err) => fatal('The page could not start', String(err?.message ?? err)))

async function main() {
  registerServiceWorker()
  const { session, token } = readLocation(location)
  if (!session || !token) {
    showJoin()
    return
  }
  const claims = jwtClaims(token) ?? {}
  document.title = `${session} · Homeroom`
  $('title').textContent = session
  await initializeWasm(fetch('/static/automerge.wasm')).catch((err) => {
    throw new Error(`the board engine did not load (${err.message}); check the connection and reload`)
  })

  const wire = newWireCounters()
  const wsURL = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  const room = new Classroom({ url: wsURL, session, token, claims, WebSocket: countingWebSocket(wire) })

  // The board kept on this device: restore it before connecting, so an offline
  // reload shows (and keeps editing) what was drawn.
  const { persister, restored, storageError } = await openStorage(room, session, claims)

  const view = new View()
  const tools = new ToolState()
  const history = new History(room)
  const board = $('board')
  const renderer = new BoardRenderer($('canvas'), view)
  const cursors = new Cursors($('cursors'), view)
  const draw = new DrawController({ room, renderer, tools, history, view })
  const notices = mountNotices($('notices'), $('stopped'), room)
  const text = new TextEntry($('overlay'), view, tools, (x, y, t) => draw.text(x, y, t))

  const center = () => [board.clientWidth / 2, board.clientHeight / 2]
  const zoom = {
    zoomIn: () => view.zoomAt(...center(), 1.25),
    zoomOut: () => view.zoomAt(...center(), 0.8),
    fit: () => {
      let b = null
      for (const s of Object.values(room.doc?.board ?? {})) b = union(b, renderer.boundsOf(s))
      view.fit(b, board.clientWidth, board.clientHeight)
    },
    scale: () => view.scale,
  }
  const clearBoard = () => confirmDialog('Clear the board for everyone?', 'Every drawing on the board is removed, for the whole class. This cannot be undone.', 'Clear board', () => room.clearBoard())

  const panels = mountPanels($('side'), room)
  const toolbar = mountToolbar($('toolbar'), $('zoom'), { tools, history, room, zoom, clearBoard })
  mountConnection($('conn'), room, persister)
  mountHands($('hand'), panels.body('hands'), panels.badge('hands'), room, () => {
    panels.select('hands')
    document.body.classList.add('side-open')
    $('panel-toggle').setAttribute('aria-expanded', 'true')
  })
  mountPeople(panels.body('people'), panels.badge('people'), room, confirmDialog)
  mountVideo(panels.body('video'), $('video-dock'), room)
  // Activities (docs/activities.md): chat, polls and quizzes, attendance.
  const chat = mountChat(panels.body('chat'), panels.badge('chat'), room, () => panels.showing('chat'))
  const polls = mountPolls(panels.body('polls'), panels.badge('polls'), room)
  const attendance = mountAttendance(panels.body('attendance'), room)
  $('side').addEventListener('panel', (e) => {
    chat.render()
    if (e.detail.id === 'attendance') attendance.shown()
  })
  document.addEventListener('visibilitychange', () => chat.render())
  const input = attachInput({
    el: board,
    view,
    tools,
    draw,
    onText: (x, y) => (room.drawRefusal ? room.notify({ level: 'warn', code: 'draw_refused', text: room.drawRefusal }) : text.openAt(x, y)),
    onCursor: (p) => room.setCursor(p ? [Math.round(p[0]), Math.round(p[1])] : null),
  })
  mountShortcuts({ dialog: $('help'), tools, history, zoom, toggleHand: () => $('hand').click(), spaceHeld: input.spaceHeld })
  $('help-button').addEventListener('click', () => $('help').showModal())
  $('panel-toggle').addEventListener('click', () => {
    const open = document.body.classList.toggle('side-open')
    $('panel-toggle').setAttribute('aria-expanded', String(open))
  })

  // Rendering, and the latency of remote strokes (board/latency.js).
  const latency = new LatencyMeter(() => room.user)
  const sync = () => {
    const b = room.doc?.board
    renderer.setBoard(b ?? null)
    if (!b) return
    const n = Object.keys(b).length
    $('canvas').setAttribute('aria-label', `The class whiteboard: ${n === 0 ? 'empty' : `${n} ${n === 1 ? 'drawing' : 'drawings'}`}`)
    latency.applied(b)
  }
  renderer.onRendered = () => latency.rendered()
  room.addEventListener('doc', () => {
    sync()
    lockBadge(room)
  })
  room.addEventListener('connection', () => lockBadge(room))
  room.addEventListener('presence', () => cursors.update(room.cursors()))
  room.addEventListener('doc', () => cursors.update(room.cursors())) // roster changes
  view.addEventListener('change', () => {
    cursors.relayout()
    moveGrid(board, view)
    toolbar.update()
  })
  room.client.addEventListener('error', (e) => {
    if (e.detail.reset) history.clear() // the copy was replaced: old actions point nowhere
  })
  new ResizeObserver(() => renderer.resize()).observe($('canvas'))
  renderer.resize()
  moveGrid(board, view)
  sync()
  lockBadge(room)

  // Presence: away while the tab is hidden; the save is flushed then too.
  document.addEventListener('visibilitychange', () => {
    room.setAway(document.hidden)
    if (document.hidden) persister?.flush()
  })
  window.addEventListener('pagehide', () => persister?.flush())
  // The browser knows about the network before the socket does.
  window.addEventListener('offline', () => room.client.disconnect())
  window.addEventListener('online', () => room.client.retryNow())
  room.addEventListener('stopped', (e) => {
    // Nothing more will sync: a removed student's or an ended class's board is not kept here.
    if (e.detail.code === 'removed' || e.detail.code === 'session_ended') persister?.clear()
  })
  if (storageError) room.notify({ level: 'warn', code: 'storage', text: `This browser cannot keep the board on this device (${storageError}); it works while connected.` })
  persister?.addEventListener('error', (e) => room.notify({ level: 'warn', code: 'storage', text: `Could not save the board on this device: ${e.detail.message}` }))

  installHook({ room, persister, draw, renderer, history, notices, tools, view, wire, latency, board, restored, chat: chat.log, polls: polls.book, attendance })
  document.body.classList.add('ready')
  room.client.connect()
  if (document.hidden) room.setAway(true)
}

async function openStorage(room, session, claims) {
  try {
    const db = await openDatabase()
    await pruneOld(db, KEEP_MS).catch(() => 0)
    const store = new DocStore(db, `${session}|${claims.sub ?? ''}`)
    let loaded = null
    try {
      loaded = await store.load()
      if (loaded) room.client.restore(loaded)
    } catch (err) {
      loaded = null
      await store.clear() // unreadable: start from the server's copy
      room.notify({ level: 'warn', code: 'storage', text: `The board kept on this device could not be read and was reset (${err.message}).` })
    }
    return { persister: new Persister(room.client, store, loaded), restored: Boolean(loaded), storageError: '' }
  } catch (err) {
    return { persister: null, restored: false, storageError: String(err?.message ?? err) }
  }
}

function lockBadge(room) {
  const badge = $('lock-badge')
  const locked = room.boardLocked
  badge.hidden = !locked
  if (locked) replace(badge, icon('lock'), h('span', { text: room.isStaff ? 'Board locked for students' : 'The board is locked by your teacher' }))
  document.body.classList.toggle('board-locked', locked && !room.isStaff)
}

/** The dot grid moves and scales with the board. */
function moveGrid(board, view) {
  const step = 24 * view.scale
  board.style.backgroundSize = `${step}px ${step}px`
  board.style.backgroundPosition = `${(-view.x * view.scale) % step}px ${(-view.y * view.scale) % step}px`
}

function confirmDialog(title, text, action, onConfirm) {
  const dialog = $('confirm')
  replace(
    dialog,
    h('h2', { id: 'confirm-title', text: title }),
    h('p', { text }),
    h(
      'form',
      { method: 'dialog', class: 'dialog-actions' },
      h('button', { class: 'btn', type: 'submit', value: 'cancel', autofocus: true }, 'Cancel'),
      h('button', { class: 'btn danger', type: 'submit', value: 'ok' }, action),
    ),
  )
  dialog.setAttribute('aria-labelledby', 'confirm-title')
  dialog.onclose = () => dialog.returnValue === 'ok' && onConfirm()
  dialog.returnValue = ''
  dialog.showModal()
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without it the page still works online; it just cannot reload offline.
  })
}

/** The page without a class link: how to get one. */
function showJoin() {
  document.body.classList.add('join-page')
  const input = h('input', { id: 'join-link', type: 'url', required: true, placeholder: 'http://…/s/algebra-1#token=…', 'aria-label': 'Class link', autocomplete: 'off' })
  replace(
    $('stopped'),
    h(
      'form',
      {
        class: 'stopped-card join',
        onsubmit: (e) => {
          e.preventDefault()
          try {
            const u = new URL(input.value.trim(), location.href)
            if (u.origin === location.origin && readLocation(u).session && readLocation(u).token) location.href = u.href
            else input.setCustomValidity('That is not a class link for this server.')
          } catch {
            input.setCustomValidity('That is not a link.')
          }
          input.reportValidity()
        },
      },
      h('h2', { text: 'Join your class' }),
      h('p', { text: 'Open the class link your teacher sent you, or paste it here.' }),
      input,
      h('button', { class: 'btn primary', type: 'submit' }, 'Join'),
    ),
  )
  input.addEventListener('input', () => input.setCustomValidity(''))
  $('stopped').hidden = false
}

function fatal(title, text) {
  replace($('stopped'), h('div', { class: 'stopped-card', role: 'alert', 'data-code': 'fatal' }, h('h2', { text: title }), h('p', { text })))
  $('stopped').hidden = false
}
