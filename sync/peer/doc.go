// Package peer holds the server's side of one WebSocket connection: a bounded
// send queue that never blocks the session that fills it, and the writer
// that drains it, coalescing every queued frame into one WebSocket message.
//
// A peer that cannot keep up loses its ephemeral frames first (presence);
// when durable frames no longer fit it is closed with 4008 slow_consumer and
// resyncs on reconnect, so it loses nothing. The package writes to the socket
// and nothing else; reading belongs to sync/gateway.
package peer
