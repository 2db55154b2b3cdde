// window.homeroom: a read-only view of the page's state for browser tests (and
// for curious people in the console), so tests assert on state, not pixels.
// Every call returns a fresh plain copy; nothing here changes the page, except
// the clearly named testing.* helpers, which do only what the person could do
// by hand (and which the server checks like anything else).

const copy = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)))

/**
 * @param {object} o the page's parts (see main.js)
 */
export function installHook({ room, persister, draw, renderer, history, notices, tools, view, wire, latency, board, restored, chat, polls, attendance }) {
  const c = room.client
  const hook = {
    version: __HOMEROOM_VERSION__,
    session: room.session,

    /** Who I am and where the connection is. */
    state() {
      return copy({
        connection: c.state,
        user: room.user,
        role: room.role,
        name: room.name,
        peer: c.welcome?.peer ?? null,
        boardLocked: room.boardLocked,
        drawRefusal: room.drawRefusal,
        handRaised: room.handRaised,
        stopped: room.stopped,
        lastClose: c.lastClose,
        online: navigator.onLine,
        pendingChanges: c.pendingChanges,
        nextRetryAt: c.nextRetryAt,
        restored,
      })
    },

    /** The document as plain JSON. */
    doc: () => c.toJSON(),
    /** Sorted heads of the local document. */
    heads: () => c.heads,
    /** Sorted heads of the last server state seen. */
    serverHeads: () => c.serverHeads,
    hands: () => copy(room.hands()),
    participants: () => copy(room.participants()),
    cursors: () => copy(room.cursors()),
    notices: () => copy(notices.log),
    video: () => copy(room.video),

    /**
     * The chat: messages by seq (tombstones included), ours still on their way
     * (pending), unread count, whether I am muted, who is muted, the lock, and why I
     * may not write ('' when I may).
     */
    chat: () => copy(chat.snapshot()),
    /** Polls, newest first: the poll, closed, published, tally (staff), results, my answer. */
    polls: () => copy(polls.snapshot()),
    /** Attendance (staff): the last records received, whether asked, the CSV offered, downloads made. */
    attendance: () => copy(attendance.state()),

    counters() {
      return copy({
        ...wire,
        strokesDrawn: draw.strokesDrawn,
        resets: room.resets,
        framesRendered: renderer.frames,
        lastRemoteStrokeLatencyMs: latency.last,
        remoteStrokeLatencies: latency.samples,
      })
    },

    storage() {
      return copy({
        enabled: Boolean(persister),
        savedHeads: persister?.savedHeads ?? [],
        pending: persister?.pending ?? false,
        saves: persister?.saves ?? 0,
        lastError: persister?.lastError ?? null,
      })
    },

    /** What the controls show. */
    ui() {
      const hand = document.getElementById('hand')
      const badge = document.getElementById('lock-badge')
      return copy({
        tool: tools.tool,
        color: tools.ink,
        width: tools.width,
        canUndo: history.canUndo,
        canRedo: history.canRedo,
        handPressed: hand?.getAttribute('aria-pressed') === 'true',
        handLabel: hand?.textContent ?? '',
        lockBadge: badge && !badge.hidden ? badge.textContent : '',
        stoppedCard: document.getElementById('stopped')?.hidden === false ? document.getElementById('stopped').textContent : '',
        connectionText: document.getElementById('conn')?.textContent ?? '',
        connectionState: document.getElementById('conn')?.dataset.state ?? '',
        view: { x: view.x, y: view.y, scale: view.scale },
        handQueue: [...document.querySelectorAll('#panel-hands .hand-item')].map((li) => li.dataset.user),
        /** Badges on the panel tabs, by panel id ('' when none). */
        badges: Object.fromEntries([...document.querySelectorAll('#side [role=tab]')].map((t) => [t.dataset.panel, t.querySelector('.badge')?.textContent ?? ''])),
        /** What the chat panel shows: rows (data-seq or pending), and its status line. */
        chatRows: [...document.querySelectorAll('#panel-chat .chat-msg')].map((li) => ({
          seq: li.dataset.seq ? Number(li.dataset.seq) : null,
          text: li.querySelector('.chat-text, .chat-deleted')?.textContent ?? '',
          pending: li.classList.contains('pending'),
          deleted: li.classList.contains('deleted'),
        })),
        chatStatus: document.querySelector('#panel-chat .chat-status')?.textContent ?? '',
        chatInputDisabled: document.querySelector('#panel-chat .chat-input')?.disabled ?? null,
        /** The poll cards as shown: the answer line, and the bars of the tally or results chart. */
        pollCards: [...document.querySelectorAll('#panel-polls .poll-card')].map((c) => ({
          poll: c.dataset.poll,
          answer: c.querySelector('.poll-answer')?.textContent ?? '',
          form: Boolean(c.querySelector('.poll-answer-form')),
          tally: [...c.querySelectorAll('.poll-tally .poll-bar')].map((b) => Number(b.dataset.count)),
          results: [...c.querySelectorAll('.poll-results-chart .poll-bar')].map((b) => Number(b.dataset.count)),
        })),
      })
    },

    /** Viewport (client) coordinates of a board point: where to aim pointer events. */
    toClient(x, y) {
      const r = board.getBoundingClientRect()
      const [sx, sy] = view.toScreen(x, y)
      return [r.left + sx, r.top + sy]
    },

    testing: Object.freeze({
      /**
       * Writes a stroke straight through the client, skipping the page's own
       * lock check: what a modified page could send. The server decides.
       */
      forceStroke(points = [10, 10, 60, 60]) {
        const id = `${room.user}-forced-${Date.now().toString(36)}`
        c.addStroke({ id, tool: 'pen', color: '#dc2626', width: 4, points })
        return id
      },
    }),
  }
  Object.defineProperty(window, 'homeroom', { value: Object.freeze(hook), writable: false, configurable: false })
  return hook
}
