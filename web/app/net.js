// The WebSocket the client uses, wrapped to count what crosses it for the test
// hook (window.homeroom.counters): messages and frames each way. It changes
// nothing on the wire.

import { decodeMessage } from '../client/frames.js'

/**
 * @typedef {object} WireCounters
 * @property {number} messagesSent
 * @property {number} messagesReceived
 * @property {number} framesSent
 * @property {number} framesReceived
 * @property {number} bytesSent
 * @property {number} bytesReceived
 * @property {Record<number, number>} receivedByType frame type → count
 * @property {Record<number, number>} sentByType frame type → count
 */

/** @returns {WireCounters} */
export function newWireCounters() {
  return { messagesSent: 0, messagesReceived: 0, framesSent: 0, framesReceived: 0, bytesSent: 0, bytesReceived: 0, receivedByType: {}, sentByType: {} }
}

/** Frames in a message; 0 when it does not parse (the client reports that). */
function countFrames(bytes, byType) {
  try {
    const frames = decodeMessage(bytes)
    if (byType) for (const f of frames) byType[f.type] = (byType[f.type] ?? 0) + 1
    return frames.length
  } catch {
    return 0
  }
}

/**
 * A WebSocket constructor that counts into c.
 * @param {WireCounters} c
 * @param {typeof WebSocket} [Base]
 */
export function countingWebSocket(c, Base = globalThis.WebSocket) {
  return class CountingWebSocket extends Base {
    constructor(url, protocols) {
      super(url, protocols)
      this.addEventListener('message', (ev) => {
        if (!(ev.data instanceof ArrayBuffer)) return
        const bytes = new Uint8Array(ev.data)
        c.messagesReceived++
        c.bytesReceived += bytes.length
        c.framesReceived += countFrames(bytes, c.receivedByType)
      })
    }

    send(data) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
      c.messagesSent++
      c.bytesSent += bytes.length
      c.framesSent += countFrames(bytes, c.sentByType)
      super.send(data)
    }
  }
}
