package gameday

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/homeroom-edu/homeroom/crdt"
)

// replica is a full copy of the session document kept by a client: loaded
// from the server's snapshot, then every changes frame applied. The
// client's reader applies; the convergence check reads; the teacher also
// edits. The mutex makes those safe together.
type replica struct {
	mu  sync.Mutex
	doc *crdt.Doc
	err error // first failure; the replica is broken after it
}

var errNoDoc = errors.New("no snapshot received")

// load replaces the document with a snapshot.
func (r *replica) load(snapshot []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	doc, err := crdt.Load(snapshot)
	if err != nil {
		r.fail(fmt.Errorf("failed to load snapshot: %w", err))
		return
	}
	r.doc = doc
}

// apply adds the change chunks of one changes frame.
func (r *replica) apply(chunks []byte) {
	if len(chunks) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.doc == nil {
		r.fail(fmt.Errorf("failed to apply changes: %w", errNoDoc))
		return
	}
	if _, err := r.doc.ApplyChanges(chunks); err != nil {
		r.fail(err)
	}
}

// edit runs fn with the document.
func (r *replica) edit(fn func(*crdt.Doc) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.doc == nil {
		return errNoDoc
	}
	return fn(r.doc)
}

// failure returns the replica's first failure, or nil.
func (r *replica) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func (r *replica) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// docState is what two replicas must agree on.
type docState struct {
	heads []crdt.Hash // sorted
	json  []byte
	err   error
}

func (s docState) equal(o docState) bool {
	return s.err == nil && o.err == nil && slices.Equal(s.heads, o.heads) && bytes.Equal(s.json, o.json)
}

// state returns the document's heads and content.
func (r *replica) state() docState {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.err != nil:
		return docState{err: r.err}
	case r.doc == nil:
		return docState{err: errNoDoc}
	}
	js, err := r.doc.JSON()
	heads := r.doc.Heads()
	slices.SortFunc(heads, func(a, b crdt.Hash) int { return bytes.Compare(a[:], b[:]) })
	return docState{heads: heads, json: js, err: err}
}

// heads returns the sorted heads, cheaply, for polling.
func (r *replica) heads() []crdt.Hash {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.doc == nil || r.err != nil {
		return nil
	}
	heads := r.doc.Heads()
	slices.SortFunc(heads, func(a, b crdt.Hash) int { return bytes.Compare(a[:], b[:]) })
	return heads
}

// hasAll reports whether the document holds every change in hs.
func (r *replica) hasAll(hs []crdt.Hash) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.doc != nil && r.doc.HasAll(hs)
}

// missing returns how many changes of this document are not ancestors of
// heads: what a replica at heads lacks.
func (r *replica) missing(heads []crdt.Hash) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.doc == nil {
		return -1
	}
	b, err := r.doc.ChangesSince(heads)
	if err != nil {
		return -1
	}
	return crdt.CountChunks(b)
}
