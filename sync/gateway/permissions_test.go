package gateway_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// joinAs joins session as user with role, keeping a replica.
func joinAs(t *testing.T, ctx context.Context, env *gatewaytest.Env, session, user string, role catalog.Role) *raw {
	t.Helper()
	r := dialRaw(t, ctx, env)
	r.role = role
	r.join(ctx, session, user)
	return r
}

// commit commits what edit wrote on r's replica and returns the chunks.
func commit(t *testing.T, r *raw, edit func(d *crdt.Doc) error) []byte {
	t.Helper()
	if err := edit(r.doc); err != nil {
		t.Fatal(err)
	}
	a, err := r.doc.Commit("")
	if err != nil || a.Count == 0 {
		t.Fatalf("commit: %v (%d changes)", err, a.Count)
	}
	return a.Chunks
}

// commitRaw edits r's replica through automerge directly (what a hostile
// client can do) and returns the change.
func commitRaw(t *testing.T, r *raw, edit func(am *automerge.Doc) error) []byte {
	t.Helper()
	am := r.doc.Automerge()
	before := am.Heads()
	if err := edit(am); err != nil {
		t.Fatal(err)
	}
	if _, err := am.Commit("raw"); err != nil {
		t.Fatal(err)
	}
	chs, err := am.Changes(before...)
	if err != nil || len(chs) == 0 {
		t.Fatalf("raw edit made no change: %v", err)
	}
	return automerge.SaveChanges(chs)
}

// send sends chunks as changes frame ref and returns the server's answer:
// nil for an ack, the error frame otherwise.
func (r *raw) sendChanges(ctx context.Context, ref uint64, chunks []byte) *wire.Error {
	r.t.Helper()
	r.send(ctx, wire.AppendChanges(nil, ref, chunks))
	var answer *wire.Error
	r.until(ctx, func(f wire.Frame) bool {
		switch f.Type {
		case wire.TypeAck:
			var a wire.Ack
			json.Unmarshal(f.Payload, &a)
			return a.Ref == ref
		case wire.TypeError:
			var e wire.Error
			json.Unmarshal(f.Payload, &e)
			if e.Ref == ref {
				answer = &e
				return true
			}
		}
		return false
	})
	return answer
}

func (r *raw) sendApp(ctx context.Context, v any) {
	r.t.Helper()
	b, _ := json.Marshal(v)
	r.send(ctx, wire.EncodeFrame(wire.TypeApp, b))
}

func pen(id, author string) crdt.Stroke {
	return crdt.Stroke{ID: id, Author: author, Tool: "pen", Color: "#000000", Width: 2, Points: []float64{1, 2, 3, 4}}
}

// TestDocumentWriteRules: what a student, an observer and a teacher may
// write, checked operation by operation; refused changes never reach
// another replica.
func TestDocumentWriteRules(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	const session = "rules"
	teacher := joinAs(t, ctx, env, session, "teacher", catalog.RoleTeacher)
	ada := joinAs(t, ctx, env, session, "ada", catalog.RoleStudent)
	bob := joinAs(t, ctx, env, session, "bob", catalog.RoleStudent)
	eve := joinAs(t, ctx, env, session, "eve", catalog.RoleObserver)

	if e := teacher.sendChanges(ctx, 1, commit(t, teacher, func(d *crdt.Doc) error { return d.AddStroke(pen("t1", "teacher")) })); e != nil {
		t.Fatalf("teacher's stroke refused: %+v", e)
	}
	if e := bob.sendChanges(ctx, 1, commit(t, bob, func(d *crdt.Doc) error { return d.AddStroke(pen("b1", "bob")) })); e != nil {
		t.Fatalf("bob's own stroke refused: %+v", e)
	}
	// Ada must see both before she tries anything.
	ada.until(ctx, func(wire.Frame) bool {
		st, _ := ada.doc.State()
		return len(st.Board) == 2
	})
	eve.until(ctx, func(wire.Frame) bool {
		st, _ := eve.doc.State()
		return len(st.Board) == 2
	})

	refused := []struct {
		name string
		r    *raw
		edit func(d *crdt.Doc) error
		raw  func(am *automerge.Doc) error
		code wire.Code
	}{
		{"student extends the teacher's stroke", ada, func(d *crdt.Doc) error { return d.AppendPoints("t1", 9, 9) }, nil, wire.CodeForbidden},
		{"student deletes another student's stroke", ada, func(d *crdt.Doc) error { return d.DeleteStroke("b1") }, nil, wire.CodeForbidden},
		{"student draws as someone else", ada, func(d *crdt.Doc) error { return d.AddStroke(pen("a-fake", "bob")) }, nil, wire.CodeForbidden},
		{"student raises another student's hand", ada, func(d *crdt.Doc) error { return d.RaiseHand("bob", 1) }, nil, wire.CodeForbidden},
		{"student writes meta", ada, nil, func(am *automerge.Doc) error {
			return am.Path("meta", "session").Set("hijacked")
		}, wire.CodeForbidden},
		{"student replaces the whole board", ada, nil, func(am *automerge.Doc) error {
			return am.RootMap().Set("board", automerge.NewMap())
		}, wire.CodeForbidden},
		{"student writes another's presence", ada, func(d *crdt.Doc) error {
			return d.SetPresence("bob", crdt.Presence{Name: "x", Role: "student", Status: "away"})
		}, nil, wire.CodeForbidden},
		{"observer draws", eve, func(d *crdt.Doc) error { return d.AddStroke(pen("e1", "eve")) }, nil, wire.CodeForbidden},
	}
	for i, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			var chunks []byte
			if c.raw != nil {
				chunks = commitRaw(t, c.r, c.raw)
			} else {
				chunks = commit(t, c.r, c.edit)
			}
			e := c.r.sendChanges(ctx, uint64(100+i), chunks)
			if e == nil || e.Code != c.code || !e.Reset {
				t.Fatalf("answer = %+v, want %s with reset", e, c.code)
			}
		})
		// The refusing client would now reset; our raw replicas just
		// rejoin fresh so the next case starts from the server's state.
		c.r.conn.CloseNow()
		fresh := joinAs(t, ctx, env, session, map[*raw]string{ada: "ada", eve: "eve"}[c.r], c.r.role)
		*c.r = *fresh
	}

	// Allowed for a student: their own hand and their own stroke.
	if e := ada.sendChanges(ctx, 1, commit(t, ada, func(d *crdt.Doc) error { return d.RaiseHand("ada", 5) })); e != nil {
		t.Fatalf("own hand refused: %+v", e)
	}
	if e := ada.sendChanges(ctx, 2, commit(t, ada, func(d *crdt.Doc) error { return d.AddStroke(pen("a1", "ada")) })); e != nil {
		t.Fatalf("own stroke refused: %+v", e)
	}
	if e := ada.sendChanges(ctx, 3, commit(t, ada, func(d *crdt.Doc) error { return d.AppendPoints("a1", 5, 6) })); e != nil {
		t.Fatalf("extending own stroke refused: %+v", e)
	}
	// A teacher may edit anyone's stroke and lower anyone's hand.
	teacher.until(ctx, func(wire.Frame) bool {
		st, _ := teacher.doc.State()
		return len(st.Board) == 3 && st.Hands["ada"] != 0
	})
	if e := teacher.sendChanges(ctx, 2, commit(t, teacher, func(d *crdt.Doc) error { return d.DeleteStroke("b1") })); e != nil {
		t.Fatalf("teacher deleting a student's stroke refused: %+v", e)
	}
	if e := teacher.sendChanges(ctx, 3, commit(t, teacher, func(d *crdt.Doc) error { return d.LowerHand("ada") })); e != nil {
		t.Fatalf("teacher lowering a hand refused: %+v", e)
	}

	// Every replica converges on exactly the accepted changes.
	want := crdt.HashStrings(teacher.doc.Heads())
	for _, r := range []*raw{ada, bob, eve} {
		r.until(ctx, func(wire.Frame) bool { return slices.Equal(crdt.HashStrings(r.doc.Heads()), want) })
		st, _ := r.doc.State()
		if st.Meta.Session != session || len(st.Board) != 2 || st.Hands["ada"] != 0 {
			t.Fatalf("replica state after the refusals: %+v", st)
		}
	}
}

// TestLockedBoard: a student drawing on a locked board is refused and told
// to reset; unlocking lets them draw again. Students cannot lock it.
func TestLockedBoard(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	const session = "locked"
	teacher := joinAs(t, ctx, env, session, "teacher", catalog.RoleTeacher)
	ada := joinAs(t, ctx, env, session, "ada", catalog.RoleStudent)

	ada.sendApp(ctx, map[string]string{"type": "board.lock"})
	if e := ada.expectError(ctx); e.Code != wire.CodeForbidden {
		t.Fatalf("student locking the board: %+v", e)
	}
	teacher.sendApp(ctx, map[string]string{"type": "board.lock"})
	ada.until(ctx, func(wire.Frame) bool {
		st, _ := ada.doc.State()
		return st.Meta.Settings.BoardLocked
	})
	e := ada.sendChanges(ctx, 1, commit(t, ada, func(d *crdt.Doc) error { return d.AddStroke(pen("a1", "ada")) }))
	if e == nil || e.Code != wire.CodeBoardLocked || !e.Reset {
		t.Fatalf("drawing on a locked board: %+v", e)
	}
	// Her hand is still hers to raise on a locked board, after a reset.
	ada.conn.CloseNow()
	ada = joinAs(t, ctx, env, session, "ada", catalog.RoleStudent)
	if e := ada.sendChanges(ctx, 1, commit(t, ada, func(d *crdt.Doc) error { return d.RaiseHand("ada", 1) })); e != nil {
		t.Fatalf("hand on a locked board: %+v", e)
	}
	teacher.sendApp(ctx, map[string]string{"type": "board.unlock"})
	ada.until(ctx, func(wire.Frame) bool {
		st, _ := ada.doc.State()
		return !st.Meta.Settings.BoardLocked
	})
	if e := ada.sendChanges(ctx, 2, commit(t, ada, func(d *crdt.Doc) error { return d.AddStroke(pen("a2", "ada")) })); e != nil {
		t.Fatalf("drawing after unlock: %+v", e)
	}
	// Both actions are in the audit log.
	entries, err := env.Catalog.List(ctx, catalog.AuditQuery{SessionID: session})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+":"+e.ActorID)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Contains(actions, "board.unlock:teacher") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		entries, _ = env.Catalog.List(ctx, catalog.AuditQuery{SessionID: session})
		actions = actions[:0]
		for _, e := range entries {
			actions = append(actions, e.Action+":"+e.ActorID)
		}
	}
	if !slices.Contains(actions, "board.lock:teacher") || !slices.Contains(actions, "board.unlock:teacher") {
		t.Fatalf("audit log = %v", actions)
	}
}

// TestEnrollmentChangesApplyMidSession: a removed enrollment disconnects
// the student with 4009, a downgrade to observer takes effect at once,
// and ending the session closes everyone with 4010.
func TestEnrollmentChangesApplyMidSession(t *testing.T) {
	env := startServer(t, gateway.Config{})
	ctx := testCtx(t)
	const session = "midsession"
	teacher := joinAs(t, ctx, env, session, "teacher", catalog.RoleTeacher)
	ada := joinAs(t, ctx, env, session, "ada", catalog.RoleStudent)
	bob := joinAs(t, ctx, env, session, "bob", catalog.RoleStudent)

	if err := env.Catalog.DeleteEnrollment(ctx, gatewaytest.Course, "ada"); err != nil {
		t.Fatal(err)
	}
	if code := ada.expectClose(ctx); code != 4009 {
		t.Fatalf("removed student closed with %d, want 4009", code)
	}

	env.Enroll(t, "bob", catalog.RoleObserver)
	bob.until(ctx, func(f wire.Frame) bool {
		var m map[string]string
		return f.Type == wire.TypeApp && json.Unmarshal(f.Payload, &m) == nil && m["type"] == "member.role" && m["role"] == "observer"
	})
	e := bob.sendChanges(ctx, 1, commit(t, bob, func(d *crdt.Doc) error { return d.RaiseHand("bob", 1) }))
	if e == nil || e.Code != wire.CodeForbidden {
		t.Fatalf("downgraded observer's change: %+v", e)
	}

	teacher.sendApp(ctx, map[string]string{"type": "session.end"})
	if code := teacher.expectClose(ctx); code != 4010 {
		t.Fatalf("teacher closed with %d after ending, want 4010", code)
	}
	// The catalog now says ended, so nobody can join again.
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, _ := env.Catalog.GetSession(ctx, session)
		if s.State == catalog.StateEnded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("catalog state = %s", s.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
