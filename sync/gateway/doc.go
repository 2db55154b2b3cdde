// Package gateway is where sockets enter Homeroom: the /ws endpoint that
// upgrades a request to homeroom.v1, reads and checks every frame (size,
// rate, shape) before it reaches a session, and the HTTP server around it
// with health, readiness and Prometheus metrics. Data flows one way from
// here: socket → gateway → rooms session → crdt → fan-out (sync/peer).
package gateway
