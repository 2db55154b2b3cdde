package activities

// MaxClientID is the longest id a client may give a message of its own
// (a chat message id, a poll answer's attempt_id, a video error code).
const MaxClientID = 64

// PrintableASCII reports whether s holds only printable ASCII, space to
// tilde: what client-chosen ids and codes may hold, so they are safe in
// logs, JSON and SQL text alike.
func PrintableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
