package crdt

import "fmt"

// ApplyChanges adds remote changes to the document. b is zero or more
// concatenated change chunks, as automerge encodes them (JavaScript
// Automerge.getChanges or getLastLocalChange, automerge-go Change.Save, or
// the Chunks of an [Applied]).
//
// Everything checkable in Go is checked before automerge sees a byte (see
// [ParseChunks]); only change chunks are accepted ([ErrChunkType]
// otherwise). Changes the document already has, and repeats within b, are
// skipped without error. Every other change must depend only on changes in
// the document or earlier in b; if one does not, ApplyChanges returns an
// error wrapping [ErrMissingDeps] and applies nothing. Per actor, sequence
// numbers must continue without gaps and op counters must grow, otherwise
// the error wraps [ErrRejected] and nothing is applied: automerge accepts
// such changes but cannot load the document it saves afterwards. If
// automerge itself refuses a change, the error wraps [ErrRejected] too and
// Applied lists the changes that did get in.
//
// Pending local edits are committed first and returned by the next
// [Doc.Commit].
func (d *Doc) ApplyChanges(b []byte) (Applied, error) {
	chunks, err := ParseChunks(b, DefaultMaxTotal)
	if err != nil {
		return Applied{}, fmt.Errorf("failed to apply changes: %w", err)
	}
	return d.ApplyChunks(chunks)
}

// ApplyChunks is ApplyChanges for chunks the caller already parsed with
// ParseChunks (the server parses a frame once, on the connection's
// goroutine, and checks the same chunks against the write rules before
// applying them).
func (d *Doc) ApplyChunks(chunks []Chunk) (Applied, error) {
	a, err := d.applyChunks(chunks)
	if err != nil {
		return a, fmt.Errorf("failed to apply changes: %w", err)
	}
	return a, nil
}

func (d *Doc) applyChunks(chunks []Chunk) (Applied, error) {
	if len(chunks) == 0 {
		return Applied{}, nil
	}
	d.flush()
	fresh, err := d.freshChunks(chunks)
	if err != nil || len(fresh) == 0 {
		return Applied{}, err
	}
	if err := d.checkOrder(fresh); err != nil {
		return Applied{}, err
	}
	size := 0
	for _, c := range fresh {
		size += len(c.Raw)
	}
	batch := make([]byte, 0, size)
	for _, c := range fresh {
		batch = append(batch, c.Raw...)
	}
	d.remoteChanged()
	loadErr := d.am.LoadIncremental(batch)
	// LoadIncremental ignores chunks it cannot parse and queues changes it
	// cannot apply, so what counts is which changes the document now has.
	var a Applied
	in := make([]bool, len(fresh))
	for i, c := range fresh {
		if in[i] = d.has(c.Hash); in[i] {
			a.Hashes = append(a.Hashes, c.Hash)
			d.hist.add(c)
		}
	}
	a.Count = len(a.Hashes)
	if a.Count == len(fresh) {
		a.Chunks = batch
		return a, nil
	}
	for i, c := range fresh {
		if in[i] {
			a.Chunks = append(a.Chunks, c.Raw...)
		}
	}
	if loadErr == nil {
		loadErr = fmt.Errorf("automerge applied %d of %d changes", a.Count, len(fresh))
	}
	return a, fmt.Errorf("%v: %w", loadErr, ErrRejected)
}

// freshChunks drops chunks the document already has or that repeat earlier
// ones, and checks that every remaining chunk is a change whose
// dependencies are in the document or earlier in the batch.
func (d *Doc) freshChunks(chunks []Chunk) ([]Chunk, error) {
	// The new chunks, deduplicated, in the order given.
	inBatch := make(map[Hash]bool, len(chunks))
	pending := make([]Chunk, 0, len(chunks))
	for _, c := range chunks {
		if c.Type != ChunkChange && c.Type != ChunkCompressed {
			return nil, fmt.Errorf("%v where a change is expected: %w", c.Type, ErrChunkType)
		}
		if inBatch[c.Hash] || d.has(c.Hash) {
			continue
		}
		inBatch[c.Hash] = true
		pending = append(pending, c)
	}
	// Order them so every change follows its dependencies (a peer may
	// send a batch in any order); a dependency that is neither in the
	// document nor in the batch fails the whole batch.
	for _, c := range pending {
		for _, dep := range c.Deps {
			if !inBatch[dep] && !d.has(dep) {
				return nil, fmt.Errorf("change %s depends on %s: %w", c.Hash, dep, ErrMissingDeps)
			}
		}
	}
	placed := make(map[Hash]bool, len(pending))
	fresh := make([]Chunk, 0, len(pending))
	for len(pending) > 0 {
		rest := pending[:0]
		for _, c := range pending {
			ready := true
			for _, dep := range c.Deps {
				if inBatch[dep] && !placed[dep] {
					ready = false
					break
				}
			}
			if ready {
				placed[c.Hash] = true
				fresh = append(fresh, c)
			} else {
				rest = append(rest, c)
			}
		}
		if len(rest) == len(pending) {
			return nil, fmt.Errorf("change %s: %w (dependency cycle)", rest[0].Hash, ErrMissingDeps)
		}
		pending = rest
	}
	return fresh, nil
}

// ChangesSince returns, concatenated, the chunks of every change that is not
// an ancestor of heads: what a peer at heads is missing. Every head must be
// a change in the document, otherwise the error wraps [ErrUnknownHeads].
// Pending local edits are committed first and returned by the next
// [Doc.Commit].
func (d *Doc) ChangesSince(heads []Hash) ([]byte, error) {
	d.flush()
	for _, h := range heads {
		if !d.has(h) {
			return nil, fmt.Errorf("changes since %s: %w", h, ErrUnknownHeads)
		}
	}
	changes, err := d.am.Changes(toChangeHashes(heads)...)
	if err != nil {
		return nil, fmt.Errorf("changes since %v: %w", HashStrings(heads), err)
	}
	var out []byte
	for _, c := range changes {
		out = append(out, c.Save()...)
	}
	return out, nil
}

// AllChanges returns the chunks of every change in the document, in an
// order in which they can be applied.
func (d *Doc) AllChanges() ([]byte, error) {
	return d.ChangesSince(nil)
}
