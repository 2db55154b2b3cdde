// The poll panel (docs/activities.md "Polls and quizzes"), over the PollBook
// model (activities/polls.js). Until the server sends session_state (it speaks
// activities) the panel says polls are not available.
//
// Teachers write a poll or quiz (a quiz marks the correct options), open it,
// watch the live tally, close it and publish the results. Students answer once
// (or again, if the poll allows changes), see that the answer was received (the
// server acknowledges only after storing it), and see published results as a
// bar chart.
//
// Nothing the person is typing into is replaced by what arrives: the composer is
// rebuilt only when the teacher changes its shape (kind, another option), and a
// poll's card only when that poll changed.

import { h, replace } from '../dom.js'
import { answerText, FIXED, KINDS, PollBook } from '../activities/polls.js'

/**
 * @param {HTMLElement} panel the Polls panel body
 * @param {(n: number) => void} badge open polls I have not answered
 * @param {import('../classroom.js').Classroom} room
 * @returns {{render(): void, book: PollBook}}
 */
export function mountPolls(panel, badge, room) {
  const book = new PollBook(room)
  const draft = { kind: 'single', question: '', options: ['', ''], correct: new Set(), anonymous: false, changeable: false }
  let composing = null // the teacher's composer open? null: open while there are no polls
  /** poll id → {el, sig}: a card is rebuilt only when its poll changed. */
  const cards = new Map()

  const unavailable = h('p', { class: 'empty', text: 'Polls are not available on this server yet.' })
  const empty = h('p', { class: 'empty' })
  const cardList = h('div', { class: 'poll-list' })
  const composerForm = h('form', { onsubmit: (e) => (e.preventDefault(), openPoll()) })
  const composer = h('details', { class: 'poll-composer' }, h('summary', { text: 'New poll or quiz' }), composerForm)
  composer.addEventListener('toggle', () => (composing = composer.open))
  replace(panel, h('div', { class: 'panel-head' }, h('h2', { text: 'Polls' })), unavailable, composer, empty, cardList)
  buildComposer()

  function openPoll() {
    const why = book.open(draft)
    if (why === 'offline') return
    if (why) {
      room.notify({ level: 'warn', code: 'poll', text: why })
      return
    }
    composing = false
    Object.assign(draft, { question: '', options: ['', ''], anonymous: false, changeable: false })
    draft.correct.clear()
    buildComposer()
    render()
  }

  function render() {
    const staff = room.isStaff
    const available = room.sessionState !== null
    unavailable.hidden = available
    const list = available ? book.list() : []
    composer.hidden = !available || !staff
    if (!composer.hidden) composer.open = composing ?? list.length === 0
    empty.hidden = !available || list.length > 0
    empty.textContent = staff ? 'No polls yet.' : 'No poll is open.'
    badge(staff || !available ? 0 : book.waiting())

    const els = list.map((e) => {
      const sig = JSON.stringify([staff, e])
      let c = cards.get(e.poll.id)
      if (!c || c.sig !== sig) {
        c = { el: card(e, staff), sig }
        cards.set(e.poll.id, c)
      }
      return c.el
    })
    // Re-order only when needed: moving a node out of the page takes its focus.
    if (els.length !== cardList.children.length || els.some((el, i) => cardList.children[i] !== el)) replace(cardList, ...els)
  }

  book.addEventListener('change', render)
  room.addEventListener('activities', render)
  room.addEventListener('connection', render)

  // ---- the teacher's composer ----

  function buildComposer() {
    const choice = draft.kind === 'single' || draft.kind === 'multiple'
    const kind = h('select', { 'aria-label': 'Kind of poll', onchange: (e) => ((draft.kind = e.target.value), draft.correct.clear(), buildComposer()) }, ...KINDS.map((k) => h('option', { value: k.id, selected: k.id === draft.kind, text: k.label })))
    const question = h('input', { type: 'text', value: draft.question, placeholder: 'Question', 'aria-label': 'Question', maxlength: '500', oninput: (e) => (draft.question = e.target.value) })
    const opts = choice ? draft.options : FIXED[draft.kind] ?? []
    const rows = opts.map((o, i) =>
      h(
        'div',
        { class: 'poll-option-edit' },
        choice ? h('input', { type: 'text', value: o, placeholder: `Option ${i + 1}`, 'aria-label': `Option ${i + 1}`, maxlength: '200', oninput: (e) => (draft.options[i] = e.target.value) }) : h('span', { class: 'poll-fixed', text: o }),
        h(
          'label',
          { class: 'check', title: 'Mark as a correct answer (makes it a quiz)' },
          h('input', { type: 'checkbox', checked: draft.correct.has(i), 'aria-label': `Option ${i + 1} is correct`, onchange: (e) => (e.target.checked ? draft.correct.add(i) : draft.correct.delete(i)) }),
          ' correct',
        ),
      ),
    )
    const add = choice && draft.options.length < 20
      ? h('button', { class: 'link-button', type: 'button', onclick: () => (draft.options.push(''), buildComposer(), composerForm.querySelector(`[aria-label="Option ${draft.options.length}"]`)?.focus()) }, 'Add an option')
      : null
    replace(
      composerForm,
      kind,
      question,
      ...rows,
      add,
      draft.kind !== 'text' ? h('p', { class: 'poll-hint', text: 'Mark a correct answer to make it a quiz.' }) : null,
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: draft.anonymous, onchange: (e) => (draft.anonymous = e.target.checked) }), ' Anonymous (secret ballot)'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: draft.changeable, onchange: (e) => (draft.changeable = e.target.checked) }), ' Students may change their answer'),
      h('button', { class: 'btn small primary', type: 'submit', 'data-action': 'poll-open' }, 'Open the poll'),
    )
    // Typing is not shortcuts.
    for (const input of composerForm.querySelectorAll('input[type=text]')) input.addEventListener('keydown', (e) => e.stopPropagation())
  }

  // ---- a poll ----

  function options(p, results) {
    if (p.options?.length) return p.options
    if (FIXED[p.kind]) return FIXED[p.kind]
    return (results?.counts ?? []).map((_, i) => `Option ${i + 1}`) // known only by its results (joined after the close)
  }

  function card(e, staff) {
    const p = e.poll
    const opts = options(p, e.results)
    const quiz = e.results?.correct?.length > 0
    const parts = [
      h(
        'div',
        { class: 'poll-head' },
        h('strong', { class: 'poll-question', text: p.question ?? 'Poll' }),
        h('span', { class: `poll-state ${e.closed ? 'closed' : 'open'}`, text: e.closed ? 'closed' : 'open' }),
      ),
    ]
    const tags = [p.anonymous ? 'anonymous' : '', quiz ? 'quiz' : '', p.changeable ? 'answers can change' : ''].filter(Boolean)
    if (tags.length) parts.push(h('p', { class: 'poll-tags', text: tags.join(' · ') }))
    if (staff) {
      const t = e.tally
      if (t && !e.results) {
        parts.push(chart(opts, t.counts, null, 'poll-tally'), h('p', { class: 'poll-count', text: t.present > 0 ? `${t.answered} of ${t.present} answered` : `${t.answered} answered` }))
      } else if (!e.results && !e.closed) {
        parts.push(h('p', { class: 'poll-count', text: 'No answers yet.' }))
      }
      const actions = []
      if (!e.closed) {
        actions.push(h('button', { class: 'btn small primary', type: 'button', 'data-action': 'poll-close-publish', onclick: () => book.close(p.id, true) }, 'Close and show results'))
        actions.push(h('button', { class: 'btn small', type: 'button', 'data-action': 'poll-close', onclick: () => book.close(p.id, false) }, 'Close'))
      } else if (!e.results) {
        actions.push(h('p', { class: 'poll-count', text: 'Counting the answers…' }))
      } else if (!e.published) {
        actions.push(h('button', { class: 'btn small', type: 'button', 'data-action': 'poll-publish', onclick: () => book.publish(p.id) }, 'Show results to the class'))
      } else {
        actions.push(h('p', { class: 'poll-count', text: 'The class sees these results.' }))
      }
      parts.push(h('div', { class: 'poll-actions' }, ...actions))
    } else {
      const s = e.answer?.status
      if (!e.closed && (!e.answer || s === 'failed' || (s === 'received' && p.changeable))) parts.push(answerForm(e, opts))
      if (e.answer) parts.push(h('p', { class: `poll-answer ${s}`, role: 'status', text: answerText(e.answer) }))
      if (e.closed && !e.results) parts.push(h('p', { class: 'poll-count', text: 'Closed. Your teacher may show the results.' }))
    }
    if (e.results) parts.push(h('h3', { class: 'poll-results-title', text: 'Results' }), results(opts, e.results))
    return h('article', { class: 'poll-card', 'data-poll': p.id, 'aria-label': p.question ?? 'Poll' }, ...parts)
  }

  function answerForm(e, opts) {
    const p = e.poll
    const before = new Set(e.answer?.choices ?? [])
    let field
    if (p.kind === 'text') {
      field = h('textarea', { rows: '2', 'aria-label': 'Your answer', maxlength: '500' }, e.answer?.text ?? '')
      field.addEventListener('keydown', (ev) => ev.stopPropagation())
    } else {
      const multi = p.kind === 'multiple'
      field = h(
        'fieldset',
        { class: 'poll-options' },
        h('legend', { class: 'sr-only', text: p.question }),
        ...opts.map((o, i) =>
          h('label', { class: 'poll-option' }, h('input', { type: multi ? 'checkbox' : 'radio', name: `poll-${p.id}`, value: String(i), checked: before.has(i) }), ` ${o}`),
        ),
      )
    }
    const submit = (ev) => {
      ev.preventDefault()
      if (p.kind === 'text') {
        const text = field.value.trim()
        if (text) book.answer(p.id, { text })
        return
      }
      const choices = [...field.querySelectorAll('input:checked')].map((x) => Number(x.value))
      if (choices.length === 0) return room.notify({ level: 'info', code: 'poll', text: 'Choose an answer first.' })
      book.answer(p.id, { choices })
    }
    return h('form', { class: 'poll-answer-form', onsubmit: submit }, field, h('button', { class: 'btn small primary', type: 'submit', 'data-action': 'poll-answer' }, e.answer?.status === 'received' ? 'Change my answer' : 'Answer'))
  }

  function results(opts, r) {
    if (r.texts) {
      return r.texts.length
        ? h('ul', { class: 'poll-texts' }, ...r.texts.map((t) => h('li', { text: t })))
        : h('p', { class: 'poll-count', text: 'No answers.' })
    }
    const correct = new Set(r.correct ?? [])
    const total = r.total ?? 0
    return h(
      'div',
      { class: 'poll-results' },
      chart(opts, r.counts ?? [], correct, 'poll-results-chart'),
      h('p', { class: 'poll-count', text: `${total} ${total === 1 ? 'answer' : 'answers'}${correct.size > 0 ? ` · ${r.correct_count ?? 0} correct` : ''}` }),
    )
  }

  /** Horizontal bars, with the numbers as text (the chart reads without seeing it). */
  function chart(opts, counts, correct, cls) {
    const max = Math.max(1, ...counts)
    const total = counts.reduce((a, b) => a + b, 0)
    return h(
      'ul',
      { class: `poll-chart ${cls}`, 'aria-label': 'Answers per option' },
      ...opts.map((o, i) => {
        const n = counts[i] ?? 0
        const fill = h('span', { class: 'poll-bar-fill' })
        fill.style.width = `${(n / max) * 100}%`
        const right = correct?.has(i)
        return h(
          'li',
          { class: `poll-bar${right ? ' correct' : ''}`, 'data-count': String(n) },
          h('span', { class: 'poll-bar-label', title: o, text: `${o}${right ? ' ✓' : ''}` }),
          h('span', { class: 'poll-bar-track' }, fill),
          h('span', { class: 'poll-bar-n', text: `${n}${total ? ` (${Math.round((n / total) * 100)}%)` : ''}` }),
        )
      }),
    )
  }

  render()
  return { render, book }
}
