package chat

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// msg is a message from user with client id id, sent i seconds after t0.
func msg(user, id, to string, i int) activities.ChatMessage {
	return activities.ChatMessage{
		Session: "s-1", ClientID: id, User: user, Name: "Name " + user, Role: "student",
		To: to, Text: "text " + id, SentAt: t0.Add(time.Duration(i) * time.Second),
	}
}

func seqs(msgs []activities.ChatMessage) []int64 {
	var s []int64
	for _, m := range msgs {
		s = append(s, m.Seq)
	}
	return s
}

func span(from, to int64) []int64 {
	var s []int64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// post posts n public messages from u-1 with ids c-<first>… and fails on a
// duplicate.
func post(t *testing.T, h *History, first, n int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		if _, dup := h.Post(msg("u-1", fmt.Sprint("c-", i), "", i)); dup {
			t.Fatalf("message c-%d taken for a retry", i)
		}
	}
}

func TestPostAssignsSequence(t *testing.T) {
	h := NewHistory(0)
	for i := 1; i <= 3; i++ {
		m, dup := h.Post(msg("u-1", fmt.Sprint("c-", i), "", i))
		if dup || m.Seq != int64(i) || m.Text != fmt.Sprint("text c-", i) {
			t.Fatalf("post %d: %+v dup=%v", i, m, dup)
		}
	}
	if h.LastSeq() != 3 || h.Len() != 3 {
		t.Fatalf("Last %d Len %d", h.LastSeq(), h.Len())
	}
}

func TestResumeContinuesNumbering(t *testing.T) {
	h := NewHistory(10)
	h.Resume(41) // a reload that could not read the messages, only the last seq
	if h.Len() != 0 || h.LastSeq() != 41 {
		t.Fatalf("after Resume: Len %d LastSeq %d", h.Len(), h.LastSeq())
	}
	if m, _ := h.Post(msg("u-1", "c-x", "", 0)); m.Seq != 42 {
		t.Fatalf("first after Resume(41): seq %d", m.Seq)
	}
	// Nothing before 42 is held: a client at 41 is complete, one at 40 not.
	if got, ok := h.Since(41, nil); !ok || !slices.Equal(seqs(got), []int64{42}) {
		t.Fatalf("Since(41) = %v, %v", seqs(got), ok)
	}
	if _, ok := h.Since(40, nil); ok {
		t.Fatal("Since(40) complete after Resume(41)")
	}
	h.Resume(10) // never back
	if m, _ := h.Post(msg("u-1", "c-y", "", 0)); m.Seq != 43 {
		t.Fatalf("after Resume below LastSeq: seq %d", m.Seq)
	}
}

// reload is what a session does when it loads: the stored messages
// after last-size, oldest first, then the stored last seq.
func reload(stored []activities.ChatMessage, size int) *History {
	h := NewHistory(size)
	var last int64
	for _, m := range stored {
		last = max(last, m.Seq)
	}
	for _, m := range stored {
		if m.Seq > last-int64(size) {
			h.Restore(m)
		}
	}
	h.Resume(last)
	return h
}

// TestRestoreAfterReload: a session reloaded from the store answers
// reconnects from the restored ring, recognises retries of stored sends,
// keeps tombstones, and numbers on.
func TestRestoreAfterReload(t *testing.T) {
	before := NewHistory(0)
	var stored []activities.ChatMessage
	for i := 1; i <= 30; i++ {
		to := activities.ToEveryone
		if i%4 == 0 {
			to = activities.ToStaff
		}
		m, _ := before.Post(msg("u-1", fmt.Sprint("c-", i), to, i))
		if i == 17 || i == 18 {
			continue // lost by the writer: never stored
		}
		stored = append(stored, m)
	}
	tomb, _ := before.Delete(25, "u-t", t0.Add(time.Hour))
	stored[len(stored)-6] = tomb // seq 25 (28 stored; 25 is the 23rd)
	if stored[len(stored)-6].Seq != 25 {
		t.Fatal("test setup: wrong index for seq 25")
	}

	h := reload(stored, 10) // holds 21..30
	if h.LastSeq() != 30 || h.Len() != 10 {
		t.Fatalf("LastSeq %d Len %d", h.LastSeq(), h.Len())
	}
	if got, ok := h.Since(24, nil); !ok || !slices.Equal(seqs(got), span(25, 30)) || got[0] != tomb {
		t.Fatalf("Since(24) = %v, %v", seqs(got), ok)
	}
	if _, ok := h.Since(19, nil); ok {
		t.Fatal("Since(19) complete although 20 is not held")
	}
	if got, dup := h.Post(msg("u-1", "c-22", "", 99)); !dup || got.Seq != 22 {
		t.Fatalf("retry of a restored send: %+v dup=%v", got, dup)
	}
	if got, dup := h.Post(msg("u-1", "c-25", "", 99)); !dup || got != tomb {
		t.Fatalf("retry of a restored tombstone: %+v dup=%v", got, dup)
	}
	if m, dup := h.Post(msg("u-2", "c-new", "", 99)); dup || m.Seq != 31 {
		t.Fatalf("first message after reload: %+v dup=%v", m, dup)
	}

	// With the gap of the lost messages inside the ring.
	g := reload(stored, 20) // holds 11..30 without 17, 18
	if got, ok := g.Since(15, nil); !ok || !slices.Equal(seqs(got), append(span(16, 16), span(19, 30)...)) {
		t.Fatalf("Since(15) across the gap = %v, %v", seqs(got), ok)
	}
	if got, ok := g.Since(17, nil); !ok || !slices.Equal(seqs(got), span(19, 30)) {
		t.Fatalf("Since(17), a lost seq = %v, %v", seqs(got), ok)
	}
	if _, ok := g.Delete(18, "u-t", t0); ok {
		t.Fatal("deleted a message that was never stored")
	}
	if m, ok := g.Delete(19, "u-t", t0); !ok || m.Seq != 19 {
		t.Fatalf("Delete(19) across the gap: %+v %v", m, ok)
	}
	for range 25 { // the gap leaves the ring
		g.Post(msg("u-3", "", "", 0))
	}
	if got, ok := g.Since(g.LastSeq()-3, nil); !ok || len(got) != 3 {
		t.Fatalf("after the gap left: %v %v", seqs(got), ok)
	}
	if _, ok := g.Since(g.LastSeq()-21, nil); ok {
		t.Fatal("complete beyond the ring")
	}
}

// TestRestoreIgnoresOlder: Restore skips what is not newer than what it
// holds.
func TestRestoreIgnoresOlder(t *testing.T) {
	h := NewHistory(0)
	a := msg("u-1", "c-1", "", 0)
	a.Seq = 5
	h.Restore(a)
	h.Restore(a)
	b := a
	b.Seq, b.ClientID = 3, "c-0"
	h.Restore(b)
	if h.Len() != 1 || h.LastSeq() != 5 {
		t.Fatalf("Len %d LastSeq %d", h.Len(), h.LastSeq())
	}
}

func TestRetryReturnsTheOriginal(t *testing.T) {
	h := NewHistory(0)
	first, _ := h.Post(msg("u-1", "c-1", "", 1))
	h.Post(msg("u-2", "c-2", "", 2))
	retry := msg("u-1", "c-1", "", 9) // a later retry of the same send
	got, dup := h.Post(retry)
	if !dup || got != first {
		t.Fatalf("retry: %+v dup=%v, want %+v", got, dup, first)
	}
	// The same id from another user is another message.
	other, dup := h.Post(msg("u-3", "c-1", "", 3))
	if dup || other.Seq != 3 {
		t.Fatalf("same id, other user: %+v dup=%v", other, dup)
	}
	if h.LastSeq() != 3 {
		t.Fatalf("Last %d: a retry was stored", h.LastSeq())
	}
}

// TestRetryAfterTheRing: a retry of a message that left the ring but is
// within the dedupe window is still recognised, with its original seq,
// time and audience; past the window it is a new message.
func TestRetryAfterTheRing(t *testing.T) {
	h := NewHistory(3)
	orig, _ := h.Post(msg("u-1", "c-old", activities.ToStaff, 0))
	post(t, h, 1, 10)
	retry := msg("u-1", "c-old", "", 99) // even if it now claims another audience
	got, dup := h.Post(retry)
	if !dup || got != orig {
		t.Fatalf("retry after the ring: %+v dup=%v, want %+v", got, dup, orig)
	}
	post(t, h, 11, DedupeWindow)
	if got, dup := h.Post(retry); dup || got.Seq != h.LastSeq() {
		t.Fatalf("retry past the dedupe window: %+v dup=%v", got, dup)
	}
}

// TestRetryOfDeletedMessage: a retry of a deleted message is answered with
// the tombstone, in the ring and after it.
func TestRetryOfDeletedMessage(t *testing.T) {
	h := NewHistory(3)
	h.Post(msg("u-1", "c-a", "", 0))
	h.Post(msg("u-1", "c-b", "", 1))
	tomb, ok := h.Delete(1, "u-teacher", t0.Add(time.Minute))
	if !ok || tomb.Text != "" || !tomb.Deleted() || tomb.DeletedBy != "u-teacher" {
		t.Fatalf("Delete: %+v %v", tomb, ok)
	}
	if got, dup := h.Post(msg("u-1", "c-a", "", 5)); !dup || got != tomb {
		t.Fatalf("retry in the ring: %+v, want %+v", got, tomb)
	}
	post(t, h, 10, 5) // both leave the ring
	if _, ok := h.Delete(2, "u-mod", t0.Add(2*time.Minute)); ok {
		t.Fatal("Delete found a message that left the ring")
	}
	for _, tc := range []struct {
		id string
		by string
	}{{"c-a", "u-teacher"}, {"c-b", "u-mod"}} {
		got, dup := h.Post(msg("u-1", tc.id, "", 5))
		if !dup || got.Text != "" || !got.Deleted() || got.DeletedBy != tc.by {
			t.Fatalf("retry of %s after the ring: %+v dup=%v", tc.id, got, dup)
		}
	}
}

func TestDelete(t *testing.T) {
	h := NewHistory(0)
	post(t, h, 1, 3)
	at := t0.Add(time.Hour)
	tomb, ok := h.Delete(2, "u-mod", at)
	if !ok || tomb.Seq != 2 || tomb.Text != "" || !tomb.DeletedAt.Equal(at) || tomb.DeletedBy != "u-mod" {
		t.Fatalf("Delete(2): %+v %v", tomb, ok)
	}
	again, ok := h.Delete(2, "u-other", at.Add(time.Hour))
	if !ok || again != tomb {
		t.Fatalf("second Delete(2): %+v, want the first tombstone", again)
	}
	if _, ok := h.Delete(4, "u-mod", at); ok {
		t.Fatal("Delete of a seq never given")
	}
	got, _ := h.Since(0, nil)
	if len(got) != 3 || got[1] != tomb || got[0].Text == "" {
		t.Fatalf("history after delete: %+v", got)
	}
}

func TestSinceBoundaries(t *testing.T) {
	h := NewHistory(5)
	if got, ok := h.Since(0, nil); !ok || len(got) != 0 {
		t.Fatalf("empty history: %v %v", got, ok)
	}
	post(t, h, 1, 8) // seqs 1..8, ring holds 4..8
	for _, tc := range []struct {
		after int64
		want  []int64
		ok    bool
	}{
		{-1, nil, false},
		{0, nil, false},
		{2, nil, false},
		{3, span(4, 8), true},
		{6, span(7, 8), true},
		{8, nil, true},
		{9, nil, false}, // the client saw more than this history gave
	} {
		got, ok := h.Since(tc.after, nil)
		if ok != tc.ok || !slices.Equal(seqs(got), tc.want) {
			t.Errorf("Since(%d) = %v, %v; want %v, %v", tc.after, seqs(got), ok, tc.want, tc.ok)
		}
	}
}

func TestRecent(t *testing.T) {
	h := NewHistory(5)
	for i := 1; i <= 8; i++ {
		to := activities.ToEveryone
		if i%2 == 0 {
			to = activities.ToStaff
		}
		h.Post(msg("u-1", fmt.Sprint("c-", i), to, i))
	}
	if got := h.Recent(3, nil); !slices.Equal(seqs(got), []int64{6, 7, 8}) {
		t.Fatalf("Recent(3) = %v", seqs(got))
	}
	if got := h.Recent(100, nil); !slices.Equal(seqs(got), span(4, 8)) {
		t.Fatalf("Recent(100) = %v", seqs(got))
	}
	student := VisibleTo("u-2", false)
	if got := h.Recent(2, student); !slices.Equal(seqs(got), []int64{5, 7}) {
		t.Fatalf("Recent(2, student) = %v", seqs(got))
	}
	if got := h.Recent(0, nil); got != nil {
		t.Fatalf("Recent(0) = %v", got)
	}
}

func TestVisible(t *testing.T) {
	pub := msg("u-1", "c-1", activities.ToEveryone, 0)
	priv := msg("u-1", "c-2", activities.ToStaff, 0)
	odd := msg("u-1", "c-3", "teachers", 0)
	for _, tc := range []struct {
		name  string
		m     activities.ChatMessage
		user  string
		staff bool
		want  bool
	}{
		{"public to a student", pub, "u-2", false, true},
		{"public to staff", pub, "u-t", true, true},
		{"private to another student", priv, "u-2", false, false},
		{"private to its sender", priv, "u-1", false, true},
		{"private to staff", priv, "u-t", true, true},
		{"private to an unnamed viewer", msg("", "c-4", activities.ToStaff, 0), "", false, false},
		{"unknown audience", odd, "u-t", true, false},
	} {
		if got := Visible(tc.m, tc.user, tc.staff); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// TestReconnectGetsExactlyTheMissedMessages: a student saw up to seq k and
// dropped; 30 messages follow, some private (to the staff, from them and
// from others) and one deleted. On reconnect Since(k) gives exactly the
// missed messages the student may see, in order, with no gap and no
// duplicate; staff get all 30.
func TestReconnectGetsExactlyTheMissedMessages(t *testing.T) {
	h := NewHistory(0)
	const me = "u-me"
	seen := map[int64]bool{}
	for i := range 12 {
		m, _ := h.Post(msg("u-1", fmt.Sprint("before-", i), "", i))
		seen[m.Seq] = true
	}
	k := h.LastSeq()

	var wantStudent, wantStaff []int64
	var deleted int64
	for i := range 30 {
		user, to := "u-1", activities.ToEveryone
		switch i % 5 {
		case 1:
			to = activities.ToStaff // someone else's private message
		case 3:
			user, to = me, activities.ToStaff // mine, private
		case 4:
			user = me
		}
		m, dup := h.Post(msg(user, fmt.Sprint("after-", i), to, 100+i))
		if dup {
			t.Fatal("a new message taken for a retry")
		}
		wantStaff = append(wantStaff, m.Seq)
		if Visible(m, me, false) {
			wantStudent = append(wantStudent, m.Seq)
		}
		if i == 7 {
			deleted = m.Seq - 2 // a public message from earlier in the gap
		}
	}
	if _, ok := h.Delete(deleted, "u-teacher", t0.Add(time.Hour)); !ok {
		t.Fatal("Delete failed")
	}

	got, complete := h.Since(k, VisibleTo(me, false))
	if !complete {
		t.Fatal("Since(k) incomplete with the gap inside the ring")
	}
	if !slices.Equal(seqs(got), wantStudent) {
		t.Fatalf("student got %v, want %v", seqs(got), wantStudent)
	}
	for _, m := range got {
		if seen[m.Seq] {
			t.Fatalf("seq %d sent again", m.Seq)
		}
		if m.To == activities.ToStaff && m.User != me {
			t.Fatalf("another's private message %d leaked", m.Seq)
		}
		if m.Seq == deleted && (m.Text != "" || !m.Deleted()) {
			t.Fatalf("deleted message %d sent with its text: %+v", m.Seq, m)
		}
	}
	if !slices.ContainsFunc(got, func(m activities.ChatMessage) bool { return m.Seq == deleted }) {
		t.Fatal("the tombstone is missing: the client would keep the text")
	}
	staff, complete := h.Since(k, VisibleTo("u-teacher", true))
	if !complete || !slices.Equal(seqs(staff), wantStaff) {
		t.Fatalf("staff got %v (complete %v), want %v", seqs(staff), complete, wantStaff)
	}
	// The client's next resume point is the last it received; nothing more
	// is missing after it.
	if more, ok := h.Since(got[len(got)-1].Seq, VisibleTo(me, false)); !ok || len(more) != 0 {
		t.Fatalf("after catching up: %v %v", seqs(more), ok)
	}
}

// TestReconnectTooLate: a client whose last seq fell out of the ring gets
// complete=false, and Recent gives what to show instead.
func TestReconnectTooLate(t *testing.T) {
	h := NewHistory(10)
	post(t, h, 1, 5)
	k := h.LastSeq()
	post(t, h, 100, 20)
	if _, complete := h.Since(k, nil); complete {
		t.Fatal("complete although messages after k were dropped from the ring")
	}
	if got := h.Recent(10, nil); !slices.Equal(seqs(got), span(16, 25)) {
		t.Fatalf("Recent = %v", seqs(got))
	}
}
