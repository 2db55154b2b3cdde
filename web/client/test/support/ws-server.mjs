// Serves a FakeServer over real WebSockets (the `ws` package), so tests can run
// the client on Node's built-in WebSocket and the interop CLI end to end.

import { WebSocketServer } from 'ws'
import { tokenFromProtocols } from './fake-server.mjs'

/**
 * Listens on a random local port. The upgrade is refused unless the client offers
 * homeroom.v1, like sync/gateway; the token entry (homeroom.token.<jwt>) is handed to
 * the fake server, never selected.
 * @param {import('./fake-server.mjs').FakeServer} server
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serveWs(server) {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/ws',
    handleProtocols: (offered) => (offered.has('homeroom.v1') ? 'homeroom.v1' : false),
  })
  await new Promise((resolve) => wss.once('listening', resolve))
  wss.on('connection', (sock, req) => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
    const peer = server.attach(
      {
        send: (bytes) => sock.send(bytes, { binary: true }),
        close: (code, reason) => sock.close(code, reason),
      },
      { token: tokenFromProtocols(offered) },
    )
    sock.on('message', (data, isBinary) => {
      if (!isBinary) return sock.close(4000, 'protocol_error')
      peer.receive(new Uint8Array(data))
    })
    sock.on('close', () => peer.gone())
  })
  const { port } = wss.address()
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}
