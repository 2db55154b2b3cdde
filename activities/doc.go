// Package activities holds what the live activities of a session share:
// the records of chat, polls and quizzes, attendance and engagement, and
// the Store interface that keeps them. The logic of each activity lives in
// a package below (chat, polls, attendance); the session goroutine in
// rooms drives them and the store packages implement Store.
//
// The wire messages are documented in docs/activities.md.
package activities
