// Package wire defines Homeroom's WebSocket protocol, homeroom.v1: the frame
// types, their binary layout, the JSON payloads, and the tables of error and
// close codes that clients see. It is pure encoding: it does no I/O and knows
// nothing of sessions or documents. docs/protocol.md is its specification.
package wire
