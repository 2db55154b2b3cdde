// The attendance panel for teachers (docs/activities.md "Attendance",
// docs/attendance.md). Built against the protocol draft; no automated tests
// yet. It asks for the live records (attendance_request), shows who is present
// and for how long with the server's evidence, and downloads them as CSV.

import { h, replace } from '../dom.js'

const COLUMNS = ['user', 'name', 'role', 'status', 'first_join', 'last_leave', 'connected_seconds', 'active_seconds', 'evidence', 'computed_at', 'final']
const STATUS = { present: 'present', late: 'late', left_early: 'left early', absent: 'absent' }

/** One CSV field (RFC 4180), with spreadsheet formula starts defused. */
export function csvField(v) {
  let s = v === undefined || v === null ? '' : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Records as CSV, header first. */
export function attendanceCSV(records) {
  return [COLUMNS.join(','), ...records.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))].join('\r\n') + '\r\n'
}

/**
 * @param {HTMLElement} panel the Attendance panel body
 * @param {import('../classroom.js').Classroom} room
 */
export function mountAttendance(panel, room) {
  let records = null
  let asked = false

  room.addEventListener('app', (e) => {
    if (e.detail.type !== 'attendance') return
    records = e.detail.records ?? []
    asked = false
    render()
  })
  room.addEventListener('activities', render)

  function request() {
    if (room.act({ type: 'attendance_request' })) {
      asked = true
      render()
    }
  }

  function download() {
    const blob = new Blob([attendanceCSV(records ?? [])], { type: 'text/csv;charset=utf-8' })
    const a = h('a', { href: URL.createObjectURL(blob), download: `attendance-${room.session}.csv` })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
  }

  function render() {
    if (room.sessionState === null) {
      replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Attendance' })), h('p', { class: 'empty', text: 'Attendance is not available on this server yet.' }))
      return
    }
    const rows = (records ?? []).map((r) =>
      h(
        'tr',
        { title: r.evidence ?? '' },
        h('th', { scope: 'row', text: r.name || r.user }),
        h('td', { class: `att-${r.status}`, text: STATUS[r.status] ?? r.status }),
        h('td', { text: `${Math.round((r.connected_seconds ?? 0) / 60)} min` }),
      ),
    )
    replace(
      panel,
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { text: 'Attendance' }),
        h('button', { class: 'btn small', type: 'button', onclick: request, disabled: asked }, asked ? 'Asking…' : records ? 'Refresh' : 'Show'),
      ),
      records
        ? h(
            'div',
            {},
            h('table', { class: 'attendance' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Status' }), h('th', { scope: 'col', text: 'Here for' }))), h('tbody', {}, ...rows)),
            h('p', { class: 'empty', text: 'Live and provisional: the final records are computed when the class ends. Hover a row for the evidence.' }),
            h('button', { class: 'btn small', type: 'button', onclick: download }, 'Download CSV'),
          )
        : h('p', { class: 'empty', text: 'Who is present, late or gone, and for how long.' }),
    )
  }
  render()
}
