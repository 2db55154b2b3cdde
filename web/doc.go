// Package web holds Homeroom's JavaScript: the reference client of
// homeroom.v1 in client/ (an ES module on @automerge/automerge, usable from
// Node and the browser) and, later, the browser classroom embedded in the
// binary. The Go side of this package is the interop tests that run the
// JavaScript client against a live server.
package web
