// Package web holds Homeroom's JavaScript and serves the browser classroom.
//
//   - client/ is the reference client of homeroom.v1 (an ES module on
//     @automerge/automerge, usable from Node and the browser);
//   - app/ is the classroom page built on it (whiteboard, hands, people,
//     connection state, offline storage), bundled by build.mjs (`make web`)
//     into static/, which this package embeds, so `go build` needs no Node.
//
// [Handler] serves the page at / and /s/{session} (the join token travels in
// the URL fragment, #token=…, so it never reaches the server) with its assets
// under /static/ and the service worker at /sw.js. It touches nothing else:
// the page talks to the node over /ws like any client.
//
// The tests here run the JavaScript client against a live server (interop)
// and drive the page in headless Chromium (browser_*_test.go).
package web
