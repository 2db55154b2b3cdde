package rooms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// TestLiveSessionPersistsWithinSaveInterval: while the session is live, its
// changes reach the store within about SaveInterval, and renewed snapshots
// replace them (compaction) without losing any.
func TestLiveSessionPersistsWithinSaveInterval(t *testing.T) {
	st := store.NewMemory()
	r := NewRegistry(Config{SaveInterval: 20 * time.Millisecond, CursorInterval: 5 * time.Millisecond, SnapshotEvery: 5},
		st, nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	c := newFakeConn()
	m, err := r.Join(ctx, JoinRequest{Session: "durable", Name: "t", User: "t", Role: RoleTeacher}, c)
	if err != nil {
		t.Fatal(err)
	}
	replica, err := crdt.Load(c.frames[1].Payload)
	if err != nil {
		t.Fatal(err)
	}
	const strokes = 12 // more than SnapshotEvery: snapshots renew and compact
	for i := range strokes {
		if err := replica.AddStroke(crdt.Stroke{ID: fmt.Sprint("s", i), Author: "t", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}}); err != nil {
			t.Fatal(err)
		}
		a, err := replica.Commit("")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Changes(ctx, uint64(i+1), mustParse(t, a.Chunks), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	stored := func() int {
		b, err := st.LoadDoc(ctx, "durable")
		if err != nil || b == nil {
			return -1
		}
		d, err := crdt.Load(b)
		if err != nil {
			t.Fatalf("stored document does not load: %v", err)
		}
		s, _ := d.State()
		return len(s.Board)
	}
	if !waitFor(5*time.Second, func() bool { return stored() == strokes }) {
		t.Fatalf("the store holds %d of %d strokes while the session is live", stored(), strokes)
	}
	if r.Len() != 1 {
		t.Fatal("the session unloaded; this test is about a live one")
	}
}

// TestNewSessionStoresItsBase: a new session with a single change must be
// loadable from the store, which needs the document's creation too.
func TestNewSessionStoresItsBase(t *testing.T) {
	st := store.NewMemory()
	r := NewRegistry(Config{SaveInterval: 20 * time.Millisecond, CursorInterval: 5 * time.Millisecond}, st, nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	c := newFakeConn()
	m, err := r.Join(ctx, JoinRequest{Session: "fresh", Name: "t", User: "t", Role: RoleTeacher}, c)
	if err != nil {
		t.Fatal(err)
	}
	replica, _ := crdt.Load(c.frames[1].Payload)
	replica.AddStroke(crdt.Stroke{ID: "only", Author: "t", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}})
	a, _ := replica.Commit("")
	if err := m.Changes(ctx, 1, mustParse(t, a.Chunks), time.Now()); err != nil {
		t.Fatal(err)
	}
	ok := waitFor(5*time.Second, func() bool {
		b, _ := st.LoadDoc(ctx, "fresh")
		d, err := crdt.Load(b)
		if err != nil {
			return false
		}
		s, _ := d.State()
		_, has := s.Board["only"]
		return has && s.Meta.Session == "fresh"
	})
	if !ok {
		b, _ := st.LoadDoc(ctx, "fresh")
		_, err := crdt.Load(b)
		t.Fatalf("stored %d bytes that do not hold the stroke (%v)", len(b), err)
	}
}

// flakyStore fails every write while down, as a database outage does.
type flakyStore struct {
	DocStore
	mu       sync.Mutex
	down     bool
	failures int
}

func (f *flakyStore) fail() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		f.failures++
		return errors.New("store is down")
	}
	return nil
}

func (f *flakyStore) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *flakyStore) failed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}

func (f *flakyStore) SaveDoc(ctx context.Context, s string, doc []byte) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.DocStore.SaveDoc(ctx, s, doc)
}

func (f *flakyStore) AppendChanges(ctx context.Context, s string, chunks []byte) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.DocStore.AppendChanges(ctx, s, chunks)
}

// TestStoreOutageDoesNotStopTheClass: while the store fails, changes are
// still applied and acknowledged; when it returns, the queued writes
// drain and nothing is lost.
func TestStoreOutageDoesNotStopTheClass(t *testing.T) {
	mem := store.NewMemory()
	st := &flakyStore{DocStore: mem}
	r := NewRegistry(Config{SaveInterval: 10 * time.Millisecond, CursorInterval: 5 * time.Millisecond}, st, nil, nil)
	defer r.Shutdown(context.Background())
	ctx := context.Background()
	c := newFakeConn()
	m, err := r.Join(ctx, JoinRequest{Session: "outage", Name: "t", User: "t", Role: RoleTeacher}, c)
	if err != nil {
		t.Fatal(err)
	}
	replica, _ := crdt.Load(c.frames[1].Payload)
	st.setDown(true)
	const strokes = 5
	for i := range strokes {
		replica.AddStroke(crdt.Stroke{ID: fmt.Sprint("o", i), Author: "t", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}})
		a, _ := replica.Commit("")
		if err := m.Changes(ctx, uint64(i+1), mustParse(t, a.Chunks), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if !waitFor(5*time.Second, func() bool { return c.count(wire.TypeAck) == strokes && st.failed() > 0 }) {
		t.Fatalf("during the outage: %d acks, %d failed writes", c.count(wire.TypeAck), st.failed())
	}
	st.setDown(false)
	if !waitFor(10*time.Second, func() bool {
		b, _ := mem.LoadDoc(ctx, "outage")
		d, err := crdt.Load(b)
		if err != nil {
			return false
		}
		s, _ := d.State()
		return len(s.Board) == strokes
	}) {
		t.Fatal("the writes queued during the outage never reached the store")
	}
}

// TestSnapshotsForAnalysts: compactions and the session's end leave a
// JSON snapshot of the board in the store.
func TestSnapshotsForAnalysts(t *testing.T) {
	st := store.NewMemory()
	r := NewRegistry(Config{SaveInterval: 10 * time.Millisecond, CursorInterval: 5 * time.Millisecond, SnapshotEvery: 3},
		st, nil, nil)
	ctx := context.Background()
	c := newFakeConn()
	m, err := r.Join(ctx, JoinRequest{Session: "analysed", Name: "t", User: "t", Role: RoleTeacher}, c)
	if err != nil {
		t.Fatal(err)
	}
	replica, _ := crdt.Load(c.frames[1].Payload)
	for i := range 6 {
		replica.AddStroke(crdt.Stroke{ID: fmt.Sprint("a", i), Author: "t", Tool: "pen", Color: "#000000", Width: 1, Points: []float64{1, 2}})
		a, _ := replica.Commit("")
		if err := m.Changes(ctx, uint64(i+1), mustParse(t, a.Chunks), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if !waitFor(5*time.Second, func() bool { return c.count(wire.TypeAck) == 6 }) {
		t.Fatal("changes not acknowledged")
	}
	if err := r.Shutdown(ctx); err != nil { // the end of the session takes the last one
		t.Fatal(err)
	}
	snap, ok, err := st.LatestSnapshot(ctx, "analysed")
	if err != nil || !ok {
		t.Fatalf("no snapshot: %v", err)
	}
	var state crdt.State
	if err := json.Unmarshal(snap.State, &state); err != nil {
		t.Fatal(err)
	}
	if len(state.Board) != 6 || state.Meta.Session != "analysed" || len(snap.Heads) == 0 || snap.Size == 0 {
		t.Fatalf("snapshot = %d strokes, meta %+v, %d heads, %d bytes", len(state.Board), state.Meta, len(snap.Heads), snap.Size)
	}
}
