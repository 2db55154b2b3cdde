// The attendance panel for teachers (docs/activities.md "Attendance",
// docs/attendance.md). It asks for the live records (attendance_request) when
// the panel is first shown and on Refresh, shows who is here now and for how
// long, with the server's evidence for each status, and downloads the records
// as CSV, in the columns of the session export's attendance.csv
// (store/export), so a spreadsheet reads both alike.

import { h, replace } from '../dom.js'

const HEADER = ['user_id', 'name', 'role', 'status', 'first_join', 'last_leave', 'connected_minutes', 'active_minutes', 'chat', 'poll_answers', 'hands', 'strokes', 'evidence', 'final']
const STATUS = { present: 'present', late: 'late', left_early: 'left early', absent: 'absent' }

/** One CSV field (RFC 4180), with spreadsheet formula starts defused. */
export function csvField(v) {
  let s = v === undefined || v === null ? '' : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A time as the export writes it: RFC 3339 in UTC, whole seconds; '' when unset. */
function stamp(t) {
  if (!t) return ''
  const d = new Date(t)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d+Z$/, 'Z')
}

/** Seconds as minutes with one decimal, without a trailing ".0" (as the export). */
export function minutes(seconds) {
  return (Math.round(((seconds ?? 0) / 60) * 10) / 10).toString()
}

/** Records as CSV, header first. */
export function attendanceCSV(records) {
  const rows = records.map((r) => {
    const e = r.engagement ?? {}
    return [r.user, r.name, r.role, r.status, stamp(r.first_join), stamp(r.last_leave), minutes(r.connected_seconds), minutes(r.active_seconds), e.chat ?? 0, e.poll_answer ?? 0, e.hand ?? 0, e.stroke ?? 0, r.evidence, Boolean(r.final)]
  })
  return [HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** "12 min", "1 h 05 min", "< 1 min". */
function duration(seconds) {
  const m = Math.floor((seconds ?? 0) / 60)
  if (m < 1) return '< 1 min'
  if (m < 60) return `${m} min`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

const clock = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/**
 * @param {HTMLElement} panel the Attendance panel body
 * @param {import('../classroom.js').Classroom} room
 * @returns {{request(): void, shown(): void, state(): object}}
 */
export function mountAttendance(panel, room) {
  let records = null
  let asked = false
  let at = null // when the records arrived
  let downloads = 0

  room.addEventListener('app', (e) => {
    if (e.detail.type !== 'attendance') return
    records = e.detail.records ?? []
    asked = false
    at = Date.now()
    render()
  })
  room.addEventListener('activities', render)
  room.addEventListener('connection', () => {
    if (room.client.state !== 'live' && asked) {
      asked = false // the answer will not come on this connection
      render()
    }
  })

  function request() {
    if (room.act({ type: 'attendance_request' })) {
      asked = true
      render()
    }
  }

  function download() {
    const blob = new Blob([attendanceCSV(records ?? [])], { type: 'text/csv;charset=utf-8' })
    const a = h('a', { href: URL.createObjectURL(blob), download: `attendance-${room.session}.csv`, hidden: true })
    document.body.append(a)
    a.click()
    a.remove()
    downloads++
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
  }

  function row(r) {
    const here = r.first_join && !r.last_leave
    const when = here ? `here now, since ${clock(r.first_join)}` : r.first_join ? `left at ${clock(r.last_leave)}` : 'never joined'
    return h(
      'tr',
      { 'data-user': r.user },
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'att-name', text: r.name || r.user }),
        h('span', { class: `att-when${here ? ' here' : ''}`, text: when }),
        r.evidence ? h('details', { class: 'att-evidence' }, h('summary', { text: 'Why' }), h('p', { text: r.evidence })) : null,
      ),
      h('td', { class: `att-${r.status}`, text: STATUS[r.status] ?? r.status }),
      h('td', { class: 'att-time', text: duration(r.connected_seconds), title: `active ${duration(r.active_seconds)}` }),
    )
  }

  function render() {
    if (room.sessionState === null) {
      replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Attendance' })), h('p', { class: 'empty', text: 'Attendance is not available on this server yet.' }))
      return
    }
    const button = h('button', { class: 'btn small', type: 'button', 'data-action': 'attendance-refresh', onclick: request, disabled: asked }, asked ? 'Asking…' : records ? 'Refresh' : 'Show')
    const people = (records ?? [])
      .filter((r) => r.role !== 'observer')
      .sort((a, b) => (a.role !== 'student') - (b.role !== 'student') || (a.name || a.user).localeCompare(b.name || b.user))
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Attendance' }), button),
      records
        ? h(
            'div',
            {},
            h(
              'table',
              { class: 'attendance' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Status' }), h('th', { scope: 'col', text: 'Here for' }))),
              h('tbody', {}, ...people.map(row)),
            ),
            h('p', { class: 'empty', text: `As of ${clock(at)}; provisional until the class ends, when the final records are kept.` }),
            h('button', { class: 'btn small', type: 'button', 'data-action': 'attendance-csv', onclick: download }, 'Download CSV'),
          )
        : h('p', { class: 'empty', text: 'Who is here, late or gone, and for how long.' }),
    )
  }
  render()

  return {
    request,
    /** The panel came into view: ask once, when nothing was asked yet. */
    shown() {
      if (!records && !asked && room.client.state === 'live' && room.isStaff) request()
    },
    state: () => ({ records, asked, csv: records ? attendanceCSV(records) : '', downloads }),
  }
}
