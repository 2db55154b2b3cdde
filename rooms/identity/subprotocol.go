package identity

import "strings"

// SubprotocolPrefix starts the Sec-WebSocket-Protocol entry that carries a
// token beside homeroom.v1: "homeroom.token.<jwt>". Every JWT character is
// valid in a subprotocol name.
const SubprotocolPrefix = "homeroom.token."

// SubprotocolFor returns the subprotocol entry a client offers to present
// token, e.g. new WebSocket(url, ["homeroom.v1", SubprotocolFor(jwt)]). The
// server never selects it: it answers homeroom.v1.
func SubprotocolFor(token string) string {
	return SubprotocolPrefix + token
}

// TokenFromSubprotocols finds the token in the Sec-WebSocket-Protocol
// header values (r.Header.Values), each a comma-separated list with
// optional spaces and tabs around entries. ok is false when no entry, an
// empty one, or more than one entry carries a token. The token is returned
// as offered: Verify checks its syntax (refusing, say, inner spaces).
func TokenFromSubprotocols(values []string) (token string, ok bool) {
	n := 0
	for _, v := range values {
		for p := range strings.SplitSeq(v, ",") {
			if t, found := strings.CutPrefix(strings.Trim(p, " \t"), SubprotocolPrefix); found {
				token = t
				n++
			}
		}
	}
	if n != 1 || token == "" {
		return "", false
	}
	return token, true
}
