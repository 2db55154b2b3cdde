package crdt

import "fmt"

// history is the Doc's Go-side view of which changes each actor has made,
// used to refuse changes that automerge would accept but that leave a
// document whose Save output automerge cannot load again: per actor, seq
// numbers must run 1, 2, 3, ... and op counters must grow.
//
// It is built lazily from automerge's history and kept current by the
// Doc's own applies and commits. Changes that reach automerge another way
// (through Doc.Automerge) make it stale; it is rebuilt when a change looks
// out of order and automerge's heads differ from the heads it expects.
type history struct {
	built  bool
	actors map[string]actorState
	heads  map[Hash]bool // the document's heads, as far as the Doc knows
}

type actorState struct {
	seq   uint64 // last seq
	maxOp uint64 // counter of the last op of that change
}

// next checks that c may follow the actor's changes in st.
func (st actorState) next(c Chunk) error {
	if c.Seq != st.seq+1 {
		return fmt.Errorf("change %s: actor %s seq %d follows seq %d: %w", c.Hash, c.ActorHex, c.Seq, st.seq, ErrRejected)
	}
	if c.StartOp <= st.maxOp {
		return fmt.Errorf("change %s: actor %s start op %d not after op %d: %w", c.Hash, c.ActorHex, c.StartOp, st.maxOp, ErrRejected)
	}
	return nil
}

func (st actorState) after(c Chunk) actorState {
	return actorState{seq: c.Seq, maxOp: c.StartOp + c.Ops - 1}
}

// add records a change that is now in the document.
func (h *history) add(c Chunk) {
	if !h.built {
		return
	}
	h.actors[c.ActorHex] = h.actors[c.ActorHex].after(c)
	for _, dep := range c.Deps {
		delete(h.heads, dep)
	}
	h.heads[c.Hash] = true
}

// rebuildHistory reads every change from automerge.
func (d *Doc) rebuildHistory() error {
	all, err := d.am.Changes()
	if err != nil {
		return fmt.Errorf("failed to read history: %w", err)
	}
	h := history{built: true, actors: map[string]actorState{}, heads: map[Hash]bool{}}
	for _, ch := range all {
		c, _, err := parseChunk(ch.Save(), DefaultMaxTotal, false)
		if err != nil {
			return fmt.Errorf("failed to read history: change %s: %w", ch.Hash(), err)
		}
		h.add(c)
	}
	for _, head := range d.am.Heads() {
		h.heads[Hash(head)] = true
	}
	d.hist = h
	return nil
}

// historyStale reports whether automerge's heads differ from the ones history
// expects, which means changes reached the document around the Doc.
func (d *Doc) historyStale() bool {
	heads := d.am.Heads()
	if len(heads) != len(d.hist.heads) {
		return true
	}
	for _, head := range heads {
		if !d.hist.heads[Hash(head)] {
			return true
		}
	}
	return false
}

// checkOrder checks that the fresh changes of a batch, in order, continue
// their actors' histories. It rebuilds a stale history once before
// refusing.
func (d *Doc) checkOrder(fresh []Chunk) error {
	if !d.hist.built {
		if err := d.rebuildHistory(); err != nil {
			return err
		}
	}
	err := d.hist.check(fresh)
	if err != nil && d.historyStale() {
		if rerr := d.rebuildHistory(); rerr != nil {
			return rerr
		}
		err = d.hist.check(fresh)
	}
	return err
}

func (h *history) check(fresh []Chunk) error {
	var batch map[string]actorState // actors changed earlier in the batch
	for _, c := range fresh {
		st, ok := batch[c.ActorHex]
		if !ok {
			st = h.actors[c.ActorHex]
		}
		if err := st.next(c); err != nil {
			return err
		}
		if batch == nil {
			batch = make(map[string]actorState, 1)
		}
		batch[c.ActorHex] = st.after(c)
	}
	return nil
}
