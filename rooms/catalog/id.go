package catalog

import (
	"crypto/rand"
	"strings"
)

// Prefixes of generated ids, one per record type.
const (
	PrefixInstitution = "ins"
	PrefixCourse      = "crs"
	PrefixSession     = "ses"
)

// NewID returns a fresh random id: prefix, "_", then 12 lower-case base32
// characters (60 random bits), e.g. NewID(PrefixCourse) = "crs_k2m7q4xbn3ad".
// Collisions are not checked here; a create that collides fails with
// ErrConflict.
func NewID(prefix string) string {
	return prefix + "_" + strings.ToLower(rand.Text()[:12])
}

// NewInviteToken returns a fresh guest invite token: 26 base32 characters,
// 130 random bits.
func NewInviteToken() string { return rand.Text() }
