package chat

import "github.com/homeroom-edu/homeroom/activities"

// Visible reports whether a viewer may see m: a message to everyone is
// seen by all; a message to the staff by the session's teachers and
// moderators and by its sender. A message with any other audience is seen
// by no one.
func Visible(m activities.ChatMessage, viewerUser string, viewerIsStaff bool) bool {
	switch m.To {
	case activities.ToEveryone:
		return true
	case activities.ToStaff:
		return viewerIsStaff || (viewerUser != "" && m.User == viewerUser)
	}
	return false
}

// VisibleTo is Visible for one viewer, in the form History.Since and
// History.Recent take.
func VisibleTo(viewerUser string, viewerIsStaff bool) func(activities.ChatMessage) bool {
	return func(m activities.ChatMessage) bool { return Visible(m, viewerUser, viewerIsStaff) }
}
