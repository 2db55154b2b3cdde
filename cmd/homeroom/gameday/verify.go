package gameday

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
)

// verifyStable is how long the server's document must not change before
// the documents are compared in full. The fresh client's own join makes
// the server write one more roster change (batched, 250ms by default), so
// heads that agree at once are not yet the end state.
const verifyStable = time.Second

// verify joins a fresh client, which receives the server's current
// document (snapshot and tail), then waits until the teacher and every
// replica student hold the same document as it, or Config.QuietTimeout
// passes. Heads are polled first, as they are cheap; once they have agreed
// and stood still for verifyStable, heads and content are compared in
// full, and the comparison counts only if the server's document did not
// move meanwhile.
func (r *runner) verify(ctx context.Context, t *teacher) {
	var docs []checked // the teacher's first, if there is one
	if t != nil {
		docs = append(docs, checked{"the teacher's document", &t.doc, t.isDone})
	}
	for _, s := range r.students {
		if s.replica != nil {
			docs = append(docs, checked{fmt.Sprintf("the replica of %s", s.who.name), s.replica, s.isDone})
		}
	}
	if missing := r.cfg.Replicas - (len(docs) - btoi(t != nil)); missing > 0 {
		r.problem("%d replica students never started", missing)
	}

	fresh, err := r.connectFull(ctx, verifierUser(), nil)
	if err != nil {
		r.problem("verifier could not join: %v", err)
		return
	}
	defer fresh.close()

	deadline := time.Now().Add(r.cfg.QuietTimeout)
	var last []crdt.Hash
	var since time.Time
	var res comparison
	for {
		want := fresh.doc.heads()
		if !slices.Equal(want, last) {
			last, since = want, time.Now()
		}
		agree := want != nil
		for _, d := range docs {
			agree = agree && slices.Equal(d.doc.heads(), want)
		}
		timeUp := time.Now().After(deadline) || ctx.Err() != nil
		if (agree && time.Since(since) >= verifyStable) || timeUp {
			res = compare(fresh, docs, t != nil)
			if res.stable && res.all() || timeUp {
				break
			}
		}
		if sleep(ctx, 100*time.Millisecond) != nil {
			continue // timeUp on the next pass
		}
	}
	for _, d := range res.diffs {
		r.problem("%s", d)
	}
	r.mu.Lock()
	r.replicasConverged = res.replicas
	r.teacherConverged = res.teacher
	r.mu.Unlock()
}

// checked is one document the convergence check compares.
type checked struct {
	name  string
	doc   *replica
	ended func() bool // its connection is gone
}

// comparison is one full comparison of every document with the fresh
// client's.
type comparison struct {
	replicas int      // replicas equal to the server's document
	teacher  bool     // the teacher's document is equal too
	diffs    []string // how the others differ
	stable   bool     // the server's document did not change meanwhile
}

func (c comparison) all() bool { return len(c.diffs) == 0 }

func compare(fresh *fullClient, docs []checked, withTeacher bool) comparison {
	want := fresh.doc.state()
	var c comparison
	if want.err != nil {
		c.diffs = append(c.diffs, fmt.Sprintf("verifier document: %v", want.err))
	}
	for i, d := range docs {
		got := d.doc.state()
		ok := got.equal(want)
		switch {
		case withTeacher && i == 0:
			c.teacher = ok
		case ok:
			c.replicas++
		}
		if !ok {
			diff := describeDiff(got, want, d.doc, &fresh.doc)
			if d.ended() {
				diff += " (its connection ended early)"
			}
			c.diffs = append(c.diffs, fmt.Sprintf("%s differs from the server: %s", d.name, diff))
		}
	}
	c.stable = slices.Equal(fresh.doc.heads(), want.heads)
	return c
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// describeDiff says how got differs from want: an error, behind or ahead
// of it (one holds the other's heads), diverged, or equal heads with
// different content (which would be an Automerge bug).
func describeDiff(got, want docState, gotDoc, wantDoc *replica) string {
	switch {
	case got.err != nil:
		return got.err.Error()
	case slices.Equal(got.heads, want.heads):
		return "same heads, different content"
	}
	how := "diverged"
	switch {
	case wantDoc.hasAll(got.heads):
		how = fmt.Sprintf("behind by %d changes", wantDoc.missing(got.heads))
	case gotDoc.hasAll(want.heads):
		how = fmt.Sprintf("ahead by %d changes", gotDoc.missing(want.heads))
	}
	return fmt.Sprintf("%s: heads %s, server %s", how, short(got.heads), short(want.heads))
}

func short(hs []crdt.Hash) string {
	out := "["
	for i, h := range hs {
		if i > 0 {
			out += " "
		}
		out += h.String()[:8]
	}
	return out + "]"
}
