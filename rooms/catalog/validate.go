package catalog

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// MaxIDLength is the longest id (or user id) the catalog accepts.
	MaxIDLength = 128
	// MaxNameLength is the longest name or title, in characters.
	MaxNameLength = 200
	// MaxURLLength is the longest video URL, in bytes.
	MaxURLLength = 2048
)

// ValidID reports whether id is 1–128 characters of A–Z, a–z, 0–9 and
// . _ : - (ids are used in URLs and in the wire protocol's session field).
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > MaxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

func checkID(field, id string) error {
	if id == "" {
		return invalid(field, "is required")
	}
	if !ValidID(id) {
		return invalid(field, "must be 1–128 characters of A-Z a-z 0-9 . _ : -")
	}
	return nil
}

func checkName(field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return invalid(field, "must not be empty")
	case !utf8.ValidString(s):
		return invalid(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > MaxNameLength:
		return invalid(field, "must be at most 200 characters")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(field, "must not contain control characters")
	}
	return nil
}

// checkURL accepts "" or an absolute http or https URL with a host.
func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxURLLength {
		return invalid(field, "must be at most 2048 bytes")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "must be an absolute http or https URL")
	}
	return nil
}
