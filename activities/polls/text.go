package polls

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText trims s and checks that what remains is valid UTF-8 of 1 to
// max runes without control characters (tabs and line breaks are allowed
// when multiline). what names the text in the message, which is empty when
// the text is fine.
//
// Control characters are refused because NUL cannot be stored in Postgres
// text and the others have no business in a question or an answer.
func cleanText(s string, max int, multiline bool, what string) (string, string) {
	if !utf8.ValidString(s) {
		return "", what + " is not valid UTF-8"
	}
	s = strings.TrimSpace(s)
	n := 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			return "", fmt.Sprintf("%s contains a control character (%U)", what, r)
		}
	}
	switch {
	case n == 0:
		return "", what + " is empty"
	case n > max:
		return "", fmt.Sprintf("%s is %d characters long; the limit is %d", what, n, max)
	}
	return s, ""
}
