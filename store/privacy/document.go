package privacy

import (
	"fmt"

	"github.com/homeroom-edu/homeroom/crdt"
)

// RedactSaved redacts a stored session document (a saved document and the
// change chunks appended to it, as a store's LoadDoc returns them): it
// loads it and, if it mentions user, returns the bytes of crdt.Redact's
// fresh copy, with changed set. With dryRun it only reports whether it
// would change anything (out is nil). Bytes that do not load are an
// error: the user may be in them, and nothing can take them out.
func RedactSaved(saved []byte, user, pseudonym string, dryRun bool) (out []byte, changed bool, err error) {
	d, err := crdt.Load(saved)
	if err != nil {
		return nil, false, fmt.Errorf("failed to load document to redact: %w", err)
	}
	mentions, err := d.Mentions(user)
	if err != nil || !mentions || dryRun {
		return nil, mentions, err
	}
	r, err := crdt.Redact(d, user, pseudonym)
	if err != nil {
		return nil, false, err
	}
	return r.Save(), true, nil
}
