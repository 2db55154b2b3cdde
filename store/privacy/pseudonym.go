package privacy

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// DeletedName is the display name purged users' chat messages carry.
const DeletedName = "Deleted user"

// PseudonymPrefix starts every pseudonym, so that analysts can tell a
// purged user's rows from others'.
const PseudonymPrefix = "deleted-"

// NewPseudonym returns a fresh random pseudonym: "deleted-" and 16
// characters of base32, a valid catalog id.
//
// Pseudonyms are random rather than derived from the user id: a keyed hash
// would let whoever holds the key (every node, and so every operator)
// recompute it from a user id and re-link the rows. Nothing records which
// user a pseudonym replaced; the audit entry of a purge names the
// pseudonym only. The rows of one purge share its pseudonym, so that
// per-participant counts stay consistent; a later purge of the same user
// finds nothing to rename.
func NewPseudonym() string {
	return PseudonymPrefix + strings.ToLower(rand.Text()[:16])
}

// ErrInvalid is wrapped by the errors of purges asked with an empty user
// id or pseudonym, or a pseudonym equal to the user id.
var ErrInvalid = errors.New("invalid purge")

// Check reports whether user may be purged under pseudonym.
func Check(user, pseudonym string) error {
	switch {
	case user == "":
		return fmt.Errorf("%w: empty user id", ErrInvalid)
	case pseudonym == "":
		return fmt.Errorf("%w: empty pseudonym", ErrInvalid)
	case pseudonym == user:
		return fmt.Errorf("%w: the pseudonym is the user id", ErrInvalid)
	}
	return nil
}
