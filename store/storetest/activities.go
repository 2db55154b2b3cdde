package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// RunActivities checks an activities.Store against the contract of its
// doc comments; newStore returns an empty store for each subtest. Records
// come back in the stores' canonical form: times in UTC to the
// microsecond, empty lists and maps as nil.
func RunActivities(t *testing.T, newStore func(t *testing.T) activities.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s activities.Store)
	}{
		{"ChatAppendIsIdempotent", testChatAppendIdempotent},
		{"ChatHistoryPages", testChatHistoryPages},
		{"LastChatSeq", testLastChatSeq},
		{"DeleteChatLeavesATombstone", testDeleteChat},
		{"PollsSaveUpdateList", testPolls},
		{"SubmitOutcomes", testSubmitOutcomes},
		{"SubmitDuplicatesWithinABatch", testSubmitWithinBatch},
		{"SubmitRejectsIncomplete", testSubmitIncomplete},
		{"SubmitConcurrentOneAnswerPerVoter", testSubmitConcurrentVoter},
		{"SubmitConcurrentOverlappingBatches", testSubmitOverlappingBatches},
		{"Results", testResults},
		{"EventsInTimeOrder", testEvents},
		{"IntervalsByUserThenJoin", testIntervals},
		{"AttendanceReplaces", testAttendance},
		{"EmptyBatches", testEmptyBatches},
		{"TextAnyStoreCanHold", testTextAnyStoreCanHold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

// at0 is the start of the sessions the suite records, with microseconds
// to check they are kept.
var at0 = time.Date(2026, 11, 30, 9, 0, 0, 123456000, time.UTC)

// at returns at0 plus d.
func at(d time.Duration) time.Time { return at0.Add(d) }

// same fails t unless got and want have the same JSON form (which
// compares times by instant and in their text form, and tells nil from
// empty lists without omitempty).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Fatalf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

// ok fails t if err is not nil.
func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func chatMsg(session string, seq int64) activities.ChatMessage {
	return activities.ChatMessage{
		Session: session, Seq: seq, ClientID: fmt.Sprintf("c-%d", seq),
		User: "u-1", Name: "Ada", Role: "student", To: activities.ToEveryone,
		Text: fmt.Sprintf("message %d", seq), SentAt: at(time.Duration(seq) * time.Second),
	}
}

func history(t *testing.T, s activities.Store, session string, after int64, limit int) []activities.ChatMessage {
	t.Helper()
	msgs, err := s.ChatHistory(context.Background(), session, after, limit)
	ok(t, err)
	return msgs
}

func testChatAppendIdempotent(t *testing.T, s activities.Store) {
	ctx := context.Background()
	staff := chatMsg("ses-1", 2)
	staff.To, staff.Role, staff.User, staff.Name = activities.ToStaff, "teacher", "u-t", "Grace"
	first := []activities.ChatMessage{chatMsg("ses-1", 1), staff, chatMsg("ses-1", 3), chatMsg("ses-2", 1)}
	ok(t, s.AppendChat(ctx, first))

	// A retried batch, overlapping the first, with a seq twice in itself:
	// stored messages are skipped, not overwritten.
	again := chatMsg("ses-1", 2)
	again.Text = "rewritten"
	four, fourAgain := chatMsg("ses-1", 4), chatMsg("ses-1", 4)
	fourAgain.Text = "second copy"
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{again, chatMsg("ses-1", 3), four, fourAgain}))

	same(t, "history of ses-1", history(t, s, "ses-1", 0, 100), []activities.ChatMessage{first[0], staff, first[2], four})
	same(t, "history of ses-2", history(t, s, "ses-2", 0, 100), []activities.ChatMessage{first[3]})
}

func testChatHistoryPages(t *testing.T, s activities.Store) {
	ctx := context.Background()
	var all []activities.ChatMessage
	for seq := int64(1); seq <= 25; seq++ {
		all = append(all, chatMsg("ses-1", seq))
	}
	// Appended in two batches, the later seqs first.
	ok(t, s.AppendChat(ctx, all[12:]))
	ok(t, s.AppendChat(ctx, all[:12]))
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{chatMsg("ses-other", 5)}))

	var got []activities.ChatMessage
	for after := int64(0); ; {
		page := history(t, s, "ses-1", after, 10)
		if len(page) == 0 {
			break
		}
		if len(page) > 10 {
			t.Fatalf("page after %d has %d messages, limit 10", after, len(page))
		}
		got = append(got, page...)
		after = page[len(page)-1].Seq
	}
	same(t, "paged history", got, all)
	same(t, "after 20", history(t, s, "ses-1", 20, 100), all[20:])
	same(t, "after 3, limit 2", history(t, s, "ses-1", 3, 2), all[3:5])
	if got := history(t, s, "ses-1", 25, 10); len(got) != 0 {
		t.Fatalf("after the last = %v", got)
	}
	if got := history(t, s, "ses-1", 0, 0); len(got) != 0 {
		t.Fatalf("limit 0 = %d messages", len(got))
	}
	if got := history(t, s, "ses-missing", 0, 10); len(got) != 0 {
		t.Fatalf("history of a session without chat = %v", got)
	}
}

func testLastChatSeq(t *testing.T, s activities.Store) {
	ctx := context.Background()
	last := func(session string) int64 {
		t.Helper()
		seq, err := s.LastChatSeq(ctx, session)
		ok(t, err)
		return seq
	}
	if got := last("ses-1"); got != 0 {
		t.Fatalf("LastChatSeq of an empty session = %d", got)
	}
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{chatMsg("ses-1", 7), chatMsg("ses-1", 3), chatMsg("ses-2", 40)}))
	if got := last("ses-1"); got != 7 {
		t.Fatalf("LastChatSeq = %d, want 7", got)
	}
	ok(t, s.DeleteChat(ctx, "ses-1", 7, "u-t", at(time.Minute)))
	if got := last("ses-1"); got != 7 {
		t.Fatalf("LastChatSeq after deleting the last = %d, want 7 (a tombstone keeps its seq)", got)
	}
}

func testDeleteChat(t *testing.T, s activities.Store) {
	ctx := context.Background()
	msgs := []activities.ChatMessage{chatMsg("ses-1", 1), chatMsg("ses-1", 2), chatMsg("ses-1", 3)}
	ok(t, s.AppendChat(ctx, msgs))
	ok(t, s.DeleteChat(ctx, "ses-1", 2, "u-t", at(time.Minute)))

	tomb := msgs[1]
	tomb.Text, tomb.DeletedAt, tomb.DeletedBy = "", at(time.Minute), "u-t"
	got := history(t, s, "ses-1", 0, 10)
	same(t, "history with a tombstone", got, []activities.ChatMessage{msgs[0], tomb, msgs[2]})
	if !got[1].Deleted() {
		t.Fatal("the deleted message does not report Deleted")
	}

	// Deleting again (a retried batch) keeps the first deletion.
	ok(t, s.DeleteChat(ctx, "ses-1", 2, "u-other", at(2*time.Minute)))
	same(t, "after a second delete", history(t, s, "ses-1", 1, 1), []activities.ChatMessage{tomb})

	// A message appended again after its deletion stays a tombstone.
	ok(t, s.AppendChat(ctx, msgs[1:2]))
	same(t, "after appending the deleted message again", history(t, s, "ses-1", 1, 1), []activities.ChatMessage{tomb})

	// Deleting a message that was never stored (its write was dropped)
	// changes nothing.
	ok(t, s.DeleteChat(ctx, "ses-1", 99, "u-t", at(time.Minute)))
	same(t, "after deleting a message not stored", history(t, s, "ses-1", 0, 10), []activities.ChatMessage{msgs[0], tomb, msgs[2]})
}

func testEmptyBatches(t *testing.T, s activities.Store) {
	ctx := context.Background()
	ok(t, s.AppendChat(ctx, nil))
	ok(t, s.AppendEvents(ctx, nil))
	ok(t, s.AppendIntervals(ctx, nil))
	ok(t, s.SaveAttendance(ctx, "ses-1", nil))
	res, err := s.SubmitAnswers(ctx, nil)
	if err != nil || len(res) != 0 {
		t.Fatalf("SubmitAnswers(nil) = %v, %v", res, err)
	}
	for name, get := range map[string]func() (int, error){
		"Polls":       func() (int, error) { l, err := s.Polls(ctx, "ses-1"); return len(l), err },
		"Submissions": func() (int, error) { l, err := s.Submissions(ctx, "p-1"); return len(l), err },
		"Events":      func() (int, error) { l, err := s.Events(ctx, "ses-1"); return len(l), err },
		"Intervals":   func() (int, error) { l, err := s.Intervals(ctx, "ses-1"); return len(l), err },
		"Attendance":  func() (int, error) { l, err := s.Attendance(ctx, "ses-1"); return len(l), err },
	} {
		if n, err := get(); err != nil || n != 0 {
			t.Fatalf("%s of an empty store = %d, %v", name, n, err)
		}
	}
	if _, found, err := s.PollResults(ctx, "p-1"); err != nil || found {
		t.Fatalf("PollResults of an empty store = %v, %v", found, err)
	}
}

// testTextAnyStoreCanHold checks that free text Postgres cannot hold (NUL,
// invalid UTF-8) is stored with U+FFFD in its place, in every store alike,
// instead of failing the batch (which a writer would retry forever).
func testTextAnyStoreCanHold(t *testing.T, s activities.Store) {
	ctx := context.Background()
	msg := chatMsg("ses-1", 1)
	msg.Text, msg.Name = "nul\x00here", "bad\xffbyte"
	ok(t, s.AppendChat(ctx, []activities.ChatMessage{msg}))
	msg.Text, msg.Name = "nul\uFFFDhere", "bad\uFFFDbyte"
	same(t, "chat", history(t, s, "ses-1", 0, 1), []activities.ChatMessage{msg})

	sub := answer("p-1", "v-1", "a-1")
	sub.Text = "\x00"
	res, err := s.SubmitAnswers(ctx, []activities.Submission{sub})
	if err != nil || res[0].Outcome != activities.Stored {
		t.Fatalf("SubmitAnswers = %v, %v", res, err)
	}
	sub.Text = "\uFFFD"
	same(t, "answers", submissions(t, s, "p-1"), []activities.Submission{sub})

	ev := activities.Event{Session: "ses-1", User: "u-1", Kind: activities.EventVideoError, At: at(0), Detail: "x\x00"}
	ok(t, s.AppendEvents(ctx, []activities.Event{ev}))
	evs, err := s.Events(ctx, "ses-1")
	ok(t, err)
	ev.Detail = "x\uFFFD"
	same(t, "events", evs, []activities.Event{ev})
}
