package crdt

import (
	"fmt"
	"strings"

	"github.com/automerge/automerge-go"
)

// Applied describes changes added to a document, by [Doc.ApplyChanges] or
// [Doc.Commit].
type Applied struct {
	// Chunks is the new change chunks, concatenated, ready to broadcast.
	// It never aliases the caller's input. Nil when nothing was added.
	Chunks []byte
	// Hashes is the hash of each new change, in order.
	Hashes []Hash
	// Count is len(Hashes).
	Count int
}

func (a *Applied) add(h Hash, raw []byte) {
	a.Chunks = append(a.Chunks, raw...)
	a.Hashes = append(a.Hashes, h)
	a.Count++
}

// Commit turns the pending local edits into one change and returns every
// local change not yet returned, normally just that one. When nothing is
// pending it returns an Applied with Count 0 and nil Chunks.
func (d *Doc) Commit(msg string) (Applied, error) {
	if err := d.commitPending(msg); err != nil {
		return Applied{}, fmt.Errorf("failed to commit: %w", err)
	}
	out := d.unsent
	d.unsent = Applied{}
	return out, nil
}

// flush commits pending edits before an operation that would make automerge
// commit them implicitly; the change is kept for the next Commit. Commit
// only fails when there is nothing to commit, so its error is dropped.
func (d *Doc) flush() {
	_ = d.commitPending("")
}

func (d *Doc) commitPending(msg string) error {
	if !d.pending {
		return nil
	}
	d.pending = false
	ch, err := d.am.Commit(msg)
	if err != nil {
		// An edit that wrote no operation (say, deleting a missing key)
		// leaves nothing to commit; automerge-go reports that as an error.
		if strings.Contains(err.Error(), "Commit is empty") {
			return nil
		}
		return err
	}
	c, err := d.am.Change(ch)
	if err != nil {
		return fmt.Errorf("failed to read committed change %s: %w", ch, err)
	}
	raw := c.Save()
	d.unsent.add(Hash(ch), raw)
	if d.saveState == saveOK && sameHeads(d.am.Heads(), []automerge.ChangeHash{ch}) {
		// A local commit depends on every head, so it is the only one.
		d.okHeads = []automerge.ChangeHash{ch}
	}
	if d.hist.built {
		parsed, _, err := parseChunk(raw, DefaultMaxTotal, false)
		if err != nil {
			// Our own change should always parse; if not, start over.
			d.hist = history{}
			return nil
		}
		d.hist.add(parsed)
	}
	return nil
}

// touch marks the document as having pending edits. Edits call it before
// writing, so a partly failed edit is still committed.
func (d *Doc) touch() {
	d.pending = true
}
