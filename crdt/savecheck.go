package crdt

import (
	"errors"
	"fmt"

	"github.com/automerge/automerge-go"
)

// ErrSaveBroken is returned by CheckSaved when a compact saved form does
// not load back to the document it was saved from.
var ErrSaveBroken = errors.New("crdt: saved document does not load to its heads")

// SaveForCheck is the first half of SaveChecked for callers that must not
// wait for the check: it returns the compact form and its heads, with
// check true when the form still has to be verified by CheckSaved (on any
// goroutine) and the result reported with RecordSaveCheck. Once the compact
// form is known to be broken it returns the change log with check false:
// that form always loads.
func (d *Doc) SaveForCheck() (b []byte, heads []Hash, check bool, err error) {
	if d.saveState == saveBroken {
		log, err := d.AllChanges()
		if err != nil {
			return nil, nil, false, fmt.Errorf("failed to save change log: %w", err)
		}
		return log, d.Heads(), false, nil
	}
	b = d.Save()
	am := d.am.Heads()
	return b, fromChangeHashes(am), !(d.saveState == saveOK && sameHeads(am, d.okHeads)), nil
}

// CheckSaved loads b into a scratch document and reports whether it has
// exactly heads. It touches no Doc, so it may run on any goroutine while
// the document's owner goes on.
func CheckSaved(b []byte, heads []Hash) error {
	loaded, err := automerge.Load(b)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSaveBroken, err)
	}
	if !sameHeads(loaded.Heads(), toChangeHashes(heads)) {
		return ErrSaveBroken
	}
	return nil
}

// RecordSaveCheck records the outcome of CheckSaved for the compact form
// saved at heads: a failure marks the compact form broken for good (later
// saves use the change log), a success lets SaveChecked skip the check
// while the document stays at heads or only gains its own commits.
func (d *Doc) RecordSaveCheck(heads []Hash, ok bool) {
	if !ok {
		d.saveState = saveBroken
		return
	}
	if d.saveState != saveBroken {
		d.saveState, d.okHeads = saveOK, toChangeHashes(heads)
	}
}
