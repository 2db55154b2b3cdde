// Package rooms owns live sessions: the registry that loads a session's
// document on first join and unloads it when idle, and the Session itself,
// one goroutine per live session that is the only writer of its document.
//
// Everything a participant does reaches the session as an event on its
// inbox; the session applies it to the crdt document and fans the result
// out to every member's send queue, encoded once. The room model
// (institutions, courses, enrollments) and permissions join this package
// with their own files. rooms never touches a socket: members are reached
// through the small Conn interface that sync/peer implements.
package rooms
