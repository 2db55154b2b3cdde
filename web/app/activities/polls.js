// The polls and quizzes of a session (docs/activities.md "Polls and quizzes"),
// without the DOM. ui/polls.js shows them; the test hook reads them.
//
// Answers are idempotent: an answer gets one attempt_id, and that same id is sent
// again after a temporary refusal (internal, rate_limited; backed off), after a
// reconnect, and after a reload (unacknowledged answers are kept in localStorage)
// until the server acknowledges it with poll_ack, which it sends only once the
// answer is stored. The server stores an attempt once, however often it arrives.
// A refusal for good says why: the poll closed before the answer arrived, the
// student had already answered, the answer did not fit the poll.

import { backoffDelay } from '../../client/backoff.js'
import { randomId } from '../classroom.js'

export const KINDS = [
  { id: 'single', label: 'One choice' },
  { id: 'multiple', label: 'Several choices' },
  { id: 'yes_no', label: 'Yes / No' },
  { id: 'true_false', label: 'True / False' },
  { id: 'text', label: 'Short text' },
]
export const FIXED = { yes_no: ['Yes', 'No'], true_false: ['True', 'False'] }
const RESEND = { base: 500, cap: 8000 }

/**
 * What an answer's state means to the student. `status` is sending, received,
 * closed (the poll closed first), already (answered before), failed.
 */
export function answerText(a) {
  switch (a.status) {
    case 'received':
      return 'Your answer was received.'
    case 'closed':
      return 'The poll closed before your answer arrived, so it was not counted.'
    case 'already':
      return 'You had already answered this poll; your first answer is the one that counts.'
    case 'failed':
      return a.error === 'not_found' ? 'This poll no longer exists.' : `Your answer was not accepted${a.message ? `: ${a.message}` : ` (${a.error})`}.`
    default:
      return a.retrying ? 'Sending your answer… (the server asked to try again)' : 'Sending your answer…'
  }
}

/**
 * @typedef {object} PollEntry
 * @property {object} poll as in poll_started: id, kind, question, options, anonymous, changeable
 * @property {boolean} closed
 * @property {boolean} published results shown to the class (as far as this page knows)
 * @property {{counts: number[], answered: number, present: number}|null} tally staff only
 * @property {object|null} results counts, total, correct, correct_count, texts
 * @property {{attempt_id: string, choices?: number[], text?: string, status: string, error: string, message: string, retrying: boolean}|null} answer mine
 */

/** Events: `change` whenever a poll changed. */
export class PollBook extends EventTarget {
  /**
   * @param {import('../classroom.js').Classroom} room
   * @param {Storage|null} [storage] where unacknowledged answers survive a reload
   */
  constructor(room, storage = globalThis.localStorage ?? null) {
    super()
    this.room = room
    /** @type {Map<string, PollEntry>} in the order opened */
    this.polls = new Map()
    this.#storage = storage
    room.addEventListener('app', (e) => this.#onApp(e.detail))
    room.addEventListener('refused', (e) => this.#onRefused(e.detail))
    room.addEventListener('connection', () => {
      // Once per join: what the server did not confirm goes again.
      const live = room.client.state === 'live'
      if (live && !this.#live) this.#resendAll()
      this.#live = live
    })
  }

  #storage
  #timer = null
  #tries = 0
  #live = false

  /** Newest first. */
  list() {
    return [...this.polls.values()].reverse()
  }

  /** Open polls I have not answered (students). */
  waiting() {
    return this.list().filter((e) => !e.closed && !e.answer).length
  }

  /**
   * Opens a poll or quiz (staff). draft: {kind, question, options, correct: Set|number[],
   * anonymous, changeable}. Returns '' when sent, else what is missing.
   */
  open(draft) {
    const question = draft.question.trim()
    if (!question) return 'Write the question first.'
    const msg = { type: 'poll_open', kind: draft.kind, question, anonymous: Boolean(draft.anonymous), changeable: Boolean(draft.changeable) }
    if (draft.kind === 'single' || draft.kind === 'multiple') {
      const opts = draft.options.map((o) => o.trim())
      if (opts.filter(Boolean).length < 2) return 'A poll needs at least two options.'
      // Correct answers are marked on the rows as typed: keep the marks of the rows kept.
      const kept = opts.map((o, i) => [o, i]).filter(([o]) => o)
      msg.options = kept.map(([o]) => o)
      msg.correct = kept.flatMap(([, i], j) => (has(draft.correct, i) ? [j] : []))
    } else if (FIXED[draft.kind]) {
      msg.options = FIXED[draft.kind]
      msg.correct = [0, 1].filter((i) => has(draft.correct, i))
    }
    if (!msg.correct?.length) delete msg.correct
    else if (draft.kind !== 'multiple' && msg.correct.length > 1) return 'This kind of poll has one correct answer: mark only one.'
    return this.room.act(msg) ? '' : 'offline'
  }

  /**
   * Answers a poll: {choices: number[]} or {text}. An answer still on its way with
   * the same content keeps its attempt_id.
   */
  answer(id, { choices, text }) {
    const e = this.polls.get(id)
    if (!e || e.closed) return
    const a = e.answer
    const same = a && (text !== undefined ? a.text === text : JSON.stringify(a.choices) === JSON.stringify(choices))
    if (a?.status === 'sending' && same) return this.#send(e)
    if (a && !e.poll.changeable && (a.status === 'sending' || a.status === 'received' || a.status === 'already')) return
    e.answer = { attempt_id: `a-${randomId()}`, status: 'sending', error: '', message: '', retrying: false }
    if (text !== undefined) e.answer.text = text
    else e.answer.choices = [...choices].sort((x, y) => x - y)
    this.#keep(e)
    this.#send(e)
    this.#changed()
  }

  close(id, publish) {
    const e = this.polls.get(id)
    if (e && this.room.act({ type: 'poll_close', poll: id, publish: Boolean(publish) })) {
      e.published ||= Boolean(publish)
      this.#changed()
    }
  }

  publish(id) {
    const e = this.polls.get(id)
    if (e && this.room.act({ type: 'poll_publish', poll: id })) {
      e.published = true
      this.#changed()
    }
  }

  /** A plain copy for the test hook. */
  snapshot() {
    return this.list().map((e) => ({ ...e.poll, closed: e.closed, published: e.published, tally: e.tally, results: e.results, answer: e.answer }))
  }

  #entry(p) {
    let e = this.polls.get(p.id)
    if (!e) {
      e = { poll: { ...p }, closed: false, published: false, tally: null, results: null, answer: null }
      this.polls.set(p.id, e)
      // An answer kept from before a reload: sent again (the server acknowledges
      // it if it has it, or says the poll closed).
      if (this.#restore(e) && this.room.client.state === 'live') this.#send(e)
    } else {
      e.poll = { ...e.poll, ...p }
    }
    return e
  }

  #onApp(m) {
    if (m.type === 'session_state') {
      // The open polls as poll_started (and their tally, for staff), the results
      // this member may see, and the other closed ones as poll_closed.
      let any = false
      for (const item of m.polls ?? []) any = this.#apply(item) || any
      if (any) this.#changed()
      return
    }
    if (this.#apply(m)) this.#changed()
  }

  /** Applies one poll frame; false if it is not one. */
  #apply(m) {
    switch (m?.type) {
      case 'poll_started':
        this.#entry(m.poll)
        return true
      case 'poll_tally':
        this.#entry({ id: m.poll }).tally = { counts: m.counts ?? [], answered: m.answered ?? 0, present: m.present ?? 0 }
        return true
      case 'poll_closed':
        this.#entry({ id: m.poll }).closed = true
        return true
      case 'poll_results': {
        const e = this.#entry({ id: m.poll })
        e.results = m.results ?? {}
        e.closed = true // results come only after the close
        if (!this.room.isStaff) e.published = true
        return true
      }
      case 'poll_ack': {
        const e = this.polls.get(m.poll)
        // session_state repeats the acknowledgement of an answer this member
        // gave before a reload that forgot it: the poll is answered.
        if (e && !e.answer && m.attempt_id) e.answer = { attempt_id: m.attempt_id, status: 'sending', error: '', message: '', retrying: false }
        if (e?.answer?.attempt_id !== m.attempt_id) return false
        e.answer.status = 'received'
        e.answer.retrying = false
        this.#forget(e)
        return true
      }
      default:
        return false
    }
  }

  #onRefused(err) {
    const e = [...this.polls.values()].find((x) => x.answer && x.answer.attempt_id === err.for)
    if (!e) return
    const a = e.answer
    if (err.temporary) {
      a.retrying = true
      this.#scheduleResend()
    } else {
      a.status = { poll_closed: 'closed', already_answered: 'already' }[err.code] ?? 'failed'
      a.error = err.code
      a.message = err.message ?? ''
      if (err.code === 'poll_closed') e.closed = true
      this.#forget(e)
    }
    this.#changed()
  }

  #send(e) {
    const a = e.answer
    const msg = { type: 'poll_answer', poll: e.poll.id, attempt_id: a.attempt_id }
    if (a.text !== undefined) msg.text = a.text
    else msg.choices = a.choices
    this.room.client.sendApp(msg) // dropped offline: sent again when live
  }

  #resendAll() {
    clearTimeout(this.#timer)
    this.#timer = null
    for (const e of this.polls.values()) if (e.answer?.status === 'sending') this.#send(e)
  }

  #scheduleResend() {
    if (this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (this.room.client.state === 'live') this.#resendAll()
    }, backoffDelay(this.#tries++, RESEND) + RESEND.base)
  }

  // ---- unacknowledged answers kept across a reload ----

  get #key() {
    return `homeroom:answers:${this.room.session}:${this.room.user ?? ''}`
  }

  #kept() {
    try {
      return JSON.parse(this.#storage?.getItem(this.#key) ?? '{}') ?? {}
    } catch {
      return {}
    }
  }

  #write(kept) {
    try {
      if (Object.keys(kept).length === 0) this.#storage?.removeItem(this.#key)
      else this.#storage?.setItem(this.#key, JSON.stringify(kept))
    } catch {
      // no storage (private mode, quota): the answer lives as long as the page
    }
  }

  #keep(e) {
    const { attempt_id, choices, text } = e.answer
    this.#write({ ...this.#kept(), [e.poll.id]: { attempt_id, choices, text } })
  }

  #forget(e) {
    const kept = this.#kept()
    if (!(e.poll.id in kept)) return
    delete kept[e.poll.id]
    this.#write(kept)
    if (Object.keys(kept).length === 0) this.#tries = 0
  }

  #restore(e) {
    const a = this.#kept()[e.poll.id]
    if (!a?.attempt_id || e.answer) return false
    e.answer = { ...a, status: 'sending', error: '', message: '', retrying: false }
    return true
  }

  #changed() {
    this.dispatchEvent(new Event('change'))
  }
}

const has = (set, i) => (set instanceof Set ? set.has(i) : Array.isArray(set) && set.includes(i))
