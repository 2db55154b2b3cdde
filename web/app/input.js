// Pointer input on the board (mouse, touch and stylus alike, through pointer
// events): one pointer draws with the current tool; two touches pinch to zoom and
// pan; the middle button, the pan tool or a held Space pan; the wheel pans, and
// with Ctrl (or a trackpad pinch) zooms. Once a stylus has been seen, touches
// only pan, so a palm resting on the tablet does not draw.

/**
 * @param {object} o
 * @param {HTMLElement} o.el the board element (pointer target)
 * @param {import('./board/view.js').View} o.view
 * @param {import('./tools/state.js').ToolState} o.tools
 * @param {import('./tools/draw.js').DrawController} o.draw
 * @param {(x: number, y: number) => void} o.onText a text tool click at a board point
 * @param {(cursor: number[]|null) => void} o.onCursor the pointer's board point, or null when it left
 * @returns {{spaceHeld: (held: boolean) => void}}
 */
export function attachInput({ el, view, tools, draw, onText, onCursor }) {
  const pointers = new Map() // id → {x, y, type}
  let mode = null // 'draw' | 'pan' | 'pinch'
  let drawPointer = null
  let penSeen = false
  let space = false
  let pinch = null // {dist, mx, my}

  const local = (e) => {
    const r = el.getBoundingClientRect()
    return [e.clientX - r.left, e.clientY - r.top]
  }
  const touches = () => [...pointers.values()].filter((p) => p.type === 'touch')

  function startPinch() {
    const [a, b] = touches()
    pinch = { dist: Math.hypot(a.x - b.x, a.y - b.y) || 1, mx: (a.x + b.x) / 2, my: (a.y + b.y) / 2 }
  }

  el.addEventListener('pointerdown', (e) => {
    if (e.target !== el && !e.target.closest?.('canvas')) return // controls over the board
    const [x, y] = local(e)
    pointers.set(e.pointerId, { x, y, type: e.pointerType })
    el.setPointerCapture?.(e.pointerId)
    if (e.pointerType === 'pen') penSeen = true
    if (e.pointerType === 'touch' && touches().length >= 2) {
      if (mode === 'draw') draw.cancel()
      mode = 'pinch'
      startPinch()
      return
    }
    if (mode) return
    const panning = e.button === 1 || tools.tool === 'pan' || space || (penSeen && e.pointerType === 'touch')
    if (panning) {
      mode = 'pan'
      el.classList.add('panning')
      return
    }
    if (e.button !== 0) return
    e.preventDefault()
    const [bx, by] = view.toBoard(x, y)
    if (tools.tool === 'text') {
      onText(bx, by)
      return
    }
    if (draw.begin(bx, by, e.pressure, e.pointerType === 'pen')) {
      mode = 'draw'
      drawPointer = e.pointerId
    }
  })

  el.addEventListener('pointermove', (e) => {
    const [x, y] = local(e)
    const p = pointers.get(e.pointerId)
    if (e.pointerType !== 'touch' || mode === 'draw') onCursor(view.toBoard(x, y))
    if (!p) return
    const dx = x - p.x
    const dy = y - p.y
    p.x = x
    p.y = y
    if (mode === 'draw' && e.pointerId === drawPointer) {
      const events = e.getCoalescedEvents?.() ?? []
      for (const ev of events.length > 0 ? events : [e]) {
        const [cx, cy] = local(ev)
        const [bx, by] = view.toBoard(cx, cy)
        draw.move(bx, by, ev.pressure)
      }
    } else if (mode === 'pan') {
      view.panBy(dx, dy)
    } else if (mode === 'pinch' && pinch) {
      const [a, b] = touches()
      if (!a || !b) return
      const dist = Math.hypot(a.x - b.x, a.y - b.y) || 1
      const mx = (a.x + b.x) / 2
      const my = (a.y + b.y) / 2
      view.panBy(mx - pinch.mx, my - pinch.my)
      view.zoomAt(mx, my, dist / pinch.dist)
      pinch = { dist, mx, my }
    }
  })

  const up = (e) => {
    if (!pointers.delete(e.pointerId)) return
    if (mode === 'draw' && e.pointerId === drawPointer) {
      draw.end()
      drawPointer = null
      mode = null
    } else if (mode === 'pinch') {
      if (touches().length >= 2) startPinch()
      else if (pointers.size === 0) mode = null
      else mode = 'pan'
    } else if (pointers.size === 0) {
      mode = null
    }
    if (!mode) el.classList.remove('panning')
  }
  el.addEventListener('pointerup', up)
  el.addEventListener('pointercancel', up)
  el.addEventListener('pointerleave', (e) => {
    if (e.pointerType !== 'touch' && !pointers.has(e.pointerId)) onCursor(null)
  })

  el.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault()
      const [x, y] = local(e)
      if (e.ctrlKey || e.metaKey) view.zoomAt(x, y, Math.exp(-e.deltaY * 0.01))
      else view.panBy(-e.deltaX, -e.deltaY)
    },
    { passive: false },
  )
  el.addEventListener('contextmenu', (e) => e.preventDefault())

  return {
    spaceHeld(held) {
      space = held
      el.classList.toggle('pan-ready', held || tools.tool === 'pan')
    },
  }
}
