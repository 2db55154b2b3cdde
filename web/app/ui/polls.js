// The poll panel (docs/activities.md "Polls and quizzes"). Built against the
// protocol draft; no automated tests yet. Until the server sends session_state
// (it speaks activities) the panel says polls are not available.
//
// Teachers write a poll or quiz (a quiz marks the correct options), open it,
// watch the live tally, close it and publish the results. Students answer once
// (or again, if the poll allows changes), see that the answer was received (the
// server acknowledges only after storing it), and see published results as a
// bar chart.

import { h, replace } from '../dom.js'
import { randomId } from '../classroom.js'

const KINDS = [
  { id: 'single', label: 'One choice' },
  { id: 'multiple', label: 'Several choices' },
  { id: 'yes_no', label: 'Yes / No' },
  { id: 'true_false', label: 'True / False' },
  { id: 'text', label: 'Short text' },
]
const FIXED = { yes_no: ['Yes', 'No'], true_false: ['True', 'False'] }

/**
 * @param {HTMLElement} panel the Polls panel body
 * @param {(n: number) => void} badge open polls I have not answered
 * @param {import('../classroom.js').Classroom} room
 */
export function mountPolls(panel, badge, room) {
  /** poll id → {poll, closed, tally, results, answer: {attempt_id, choices, text, status, error}} */
  const polls = new Map()
  const draft = { kind: 'single', question: '', options: ['', ''], correct: new Set(), anonymous: false, changeable: false }
  let composing = null // the teacher's composer open? null: open while there are no polls

  function entry(p) {
    let e = polls.get(p.id)
    if (!e) {
      e = { poll: p, closed: false, tally: null, results: null, answer: null, selected: new Set(), text: '' }
      polls.set(p.id, e)
    } else {
      e.poll = { ...e.poll, ...p }
    }
    return e
  }

  room.addEventListener('app', (ev) => {
    const m = ev.detail
    switch (m.type) {
      case 'session_state':
        for (const item of m.polls ?? []) {
          const e = entry(item.poll ?? item)
          if (item.results) e.results = item.results
          if (item.closed || item.poll?.closed_at || item.closed_at) e.closed = true
        }
        break
      case 'poll_started':
        entry(m.poll)
        break
      case 'poll_tally':
        if (polls.has(m.poll)) polls.get(m.poll).tally = m
        break
      case 'poll_closed':
        if (polls.has(m.poll)) polls.get(m.poll).closed = true
        break
      case 'poll_results':
        entry({ id: m.poll }).results = m.results
        break
      case 'poll_ack': {
        const e = polls.get(m.poll)
        if (e?.answer?.attempt_id === m.attempt_id) e.answer.status = 'received'
        break
      }
      default:
        return
    }
    render()
  })
  room.addEventListener('refused', (ev) => {
    for (const e of polls.values()) {
      if (e.answer?.attempt_id === ev.detail.for) {
        e.answer.status = 'failed'
        e.answer.error = ev.detail.code
        if (ev.detail.code === 'poll_closed') e.closed = true
      }
    }
    render()
  })
  room.addEventListener('activities', render)
  room.addEventListener('connection', () => {
    // An answer the server never acknowledged is sent again with the same attempt id.
    if (room.client.state === 'live') for (const e of polls.values()) if (e.answer?.status === 'sending') sendAnswer(e)
    render()
  })

  function options(p) {
    return p.options?.length ? p.options : FIXED[p.kind] ?? []
  }

  function answer(e) {
    const p = e.poll
    const a = { attempt_id: `a-${randomId()}`, status: 'sending' }
    if (p.kind === 'text') {
      if (!e.text.trim()) return
      a.text = e.text.trim()
    } else {
      if (e.selected.size === 0) return
      a.choices = [...e.selected].sort((x, y) => x - y)
    }
    e.answer = a
    sendAnswer(e)
    render()
  }

  function sendAnswer(e) {
    const a = e.answer
    const msg = { type: 'poll_answer', poll: e.poll.id, attempt_id: a.attempt_id }
    if (a.text !== undefined) msg.text = a.text
    else msg.choices = a.choices
    room.client.sendApp(msg) // offline: resent when live
  }

  function openPoll() {
    const question = draft.question.trim()
    if (!question) return room.notify({ level: 'warn', code: 'poll', text: 'Write the question first.' })
    const msg = { type: 'poll_open', kind: draft.kind, question, anonymous: draft.anonymous, changeable: draft.changeable }
    if (draft.kind === 'single' || draft.kind === 'multiple') {
      const opts = draft.options.map((o) => o.trim()).filter(Boolean)
      if (opts.length < 2) return room.notify({ level: 'warn', code: 'poll', text: 'A poll needs at least two options.' })
      msg.options = opts
    } else if (FIXED[draft.kind]) {
      msg.options = FIXED[draft.kind]
    }
    if (draft.correct.size > 0 && draft.kind !== 'text') msg.correct = [...draft.correct].filter((i) => i < (msg.options?.length ?? 0)).sort()
    if (room.act(msg)) {
      composing = false
      draft.question = ''
      draft.options = ['', '']
      draft.correct.clear()
      render()
    }
  }

  function render() {
    const staff = room.isStaff
    if (room.sessionState === null) {
      replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Polls' })), h('p', { class: 'empty', text: 'Polls are not available on this server yet.' }))
      badge(0)
      return
    }
    const list = [...polls.values()].reverse()
    badge(staff ? 0 : list.filter((e) => !e.closed && !e.answer).length)
    replace(
      panel,
      h('div', { class: 'panel-head' }, h('h2', { text: 'Polls' })),
      list.length > 0 ? h('div', { class: 'poll-list' }, ...list.map((e) => card(e, staff))) : h('p', { class: 'empty', text: staff ? 'No polls yet.' : 'No poll is open.' }),
      staff ? composer(composing ?? list.length === 0) : null,
    )
  }

  function composer(open) {
    const kind = h('select', { 'aria-label': 'Kind of poll', onchange: (e) => ((draft.kind = e.target.value), draft.correct.clear(), render()) }, ...KINDS.map((k) => h('option', { value: k.id, selected: k.id === draft.kind, text: k.label })))
    const question = h('input', { type: 'text', value: draft.question, placeholder: 'Question', 'aria-label': 'Question', oninput: (e) => (draft.question = e.target.value) })
    question.addEventListener('keydown', (e) => e.stopPropagation())
    const opts = draft.kind === 'single' || draft.kind === 'multiple' ? draft.options : FIXED[draft.kind] ?? []
    const rows = opts.map((o, i) => {
      const editable = draft.kind === 'single' || draft.kind === 'multiple'
      const field = editable
        ? h('input', { type: 'text', value: o, placeholder: `Option ${i + 1}`, 'aria-label': `Option ${i + 1}`, oninput: (e) => (draft.options[i] = e.target.value) })
        : h('span', { text: o })
      if (editable) field.addEventListener('keydown', (e) => e.stopPropagation())
      return h(
        'div',
        { class: 'poll-option-edit' },
        field,
        h('label', { class: 'check', title: 'Mark as a correct answer (a quiz)' }, h('input', { type: 'checkbox', checked: draft.correct.has(i), 'aria-label': `Option ${i + 1} is correct`, onchange: (e) => (e.target.checked ? draft.correct.add(i) : draft.correct.delete(i)) }), ' correct'),
      )
    })
    const details = h(
      'details',
      { class: 'poll-composer', open },
      h('summary', { text: 'New poll or quiz' }),
      h(
        'form',
        { onsubmit: (e) => (e.preventDefault(), openPoll()) },
        kind,
      question,
      ...rows,
      draft.kind === 'single' || draft.kind === 'multiple' ? h('button', { class: 'link-button', type: 'button', onclick: () => (draft.options.push(''), render()) }, 'Add an option') : null,
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: draft.anonymous, onchange: (e) => (draft.anonymous = e.target.checked) }), ' Anonymous (secret ballot)'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: draft.changeable, onchange: (e) => (draft.changeable = e.target.checked) }), ' Students may change their answer'),
        h('button', { class: 'btn small primary', type: 'submit' }, 'Open the poll'),
      ),
    )
    details.addEventListener('toggle', () => (composing = details.open))
    return details
  }

  function card(e, staff) {
    const p = e.poll
    const opts = options(p)
    const head = h('div', { class: 'poll-head' }, h('strong', { text: p.question ?? 'Poll' }), h('span', { class: `poll-state ${e.closed ? 'closed' : 'open'}`, text: e.closed ? 'closed' : 'open' }))
    const parts = [head]
    if (staff) {
      const t = e.tally
      if (t && !e.results) parts.push(chart(opts, t.counts ?? [], null), h('p', { class: 'poll-count', text: `${t.answered ?? 0} of ${t.present ?? '?'} answered` }))
      const actions = []
      if (!e.closed) {
        actions.push(h('button', { class: 'btn small primary', type: 'button', onclick: () => room.act({ type: 'poll_close', poll: p.id, publish: true }) }, 'Close and show results'))
        actions.push(h('button', { class: 'btn small', type: 'button', onclick: () => room.act({ type: 'poll_close', poll: p.id, publish: false }) }, 'Close'))
      } else if (!e.results) {
        actions.push(h('button', { class: 'btn small', type: 'button', onclick: () => room.act({ type: 'poll_publish', poll: p.id }) }, 'Show results to the class'))
      }
      parts.push(h('div', { class: 'poll-actions' }, ...actions))
    } else if (!e.closed && (!e.answer || p.changeable || e.answer.status === 'failed')) {
      parts.push(answerForm(e, opts))
    }
    if (e.answer) {
      const s = e.answer.status
      parts.push(h('p', { class: `poll-answer ${s}`, role: 'status', text: s === 'received' ? 'Your answer was received.' : s === 'failed' ? `Your answer was not accepted (${e.answer.error}).` : 'Sending your answer…' }))
    }
    if (e.results) parts.push(h('h4', { text: 'Results' }), results(opts, e.results))
    return h('article', { class: 'poll-card', 'data-poll': p.id }, ...parts)
  }

  function answerForm(e, opts) {
    const p = e.poll
    let field
    if (p.kind === 'text') {
      field = h('textarea', { rows: '2', 'aria-label': 'Your answer', oninput: (ev) => (e.text = ev.target.value) }, e.text)
      field.addEventListener('keydown', (ev) => ev.stopPropagation())
    } else {
      const multi = p.kind === 'multiple'
      field = h(
        'fieldset',
        { class: 'poll-options' },
        h('legend', { class: 'sr-only', text: p.question }),
        ...opts.map((o, i) =>
          h(
            'label',
            { class: 'poll-option' },
            h('input', {
              type: multi ? 'checkbox' : 'radio',
              name: `poll-${p.id}`,
              checked: e.selected.has(i),
              onchange: (ev) => {
                if (!multi) e.selected.clear()
                if (ev.target.checked) e.selected.add(i)
                else e.selected.delete(i)
              },
            }),
            ` ${o}`,
          ),
        ),
      )
    }
    return h('form', { class: 'poll-answer-form', onsubmit: (ev) => (ev.preventDefault(), answer(e)) }, field, h('button', { class: 'btn small primary', type: 'submit' }, e.answer ? 'Change my answer' : 'Answer'))
  }

  function results(opts, r) {
    if (r.texts?.length) return h('ul', { class: 'poll-texts' }, ...r.texts.map((t) => h('li', { text: t })))
    const correct = new Set(r.correct ?? [])
    const out = [chart(opts, r.counts ?? [], correct)]
    const total = r.total ?? 0
    out.push(h('p', { class: 'poll-count', text: `${total} ${total === 1 ? 'answer' : 'answers'}${correct.size > 0 ? ` · ${r.correct_count ?? 0} correct` : ''}` }))
    return h('div', {}, ...out)
  }

  /** Horizontal bars, with the numbers as text (the chart reads without seeing it). */
  function chart(opts, counts, correct) {
    const max = Math.max(1, ...counts)
    const total = counts.reduce((a, b) => a + b, 0)
    return h(
      'ul',
      { class: 'poll-chart', 'aria-label': 'Answers per option' },
      ...opts.map((o, i) => {
        const n = counts[i] ?? 0
        const fill = h('span', { class: 'poll-bar-fill' })
        fill.style.width = `${(n / max) * 100}%`
        const right = correct?.has(i)
        return h(
          'li',
          { class: `poll-bar${right ? ' correct' : ''}` },
          h('span', { class: 'poll-bar-label', text: `${o}${right ? ' ✓' : ''}` }),
          h('span', { class: 'poll-bar-track' }, fill),
          h('span', { class: 'poll-bar-n', text: `${n}${total ? ` (${Math.round((n / total) * 100)}%)` : ''}` }),
        )
      }),
    )
  }

  render()
  return { render }
}
