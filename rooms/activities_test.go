package rooms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/chat"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// actEnv is a registry with activities on a store, and helpers to join
// members and talk to them through app frames.
type actEnv struct {
	t  *testing.T
	r  *Registry
	st activities.Store
}

// activityStores lists the stores the activity tests run against; the
// Postgres one is added by activities_pg_test.go.
var activityStores = map[string]func(t *testing.T) activities.Store{
	"memory": func(*testing.T) activities.Store { return store.NewMemory() },
}

// forEachStore runs f against every activity store.
func forEachStore(t *testing.T, f func(t *testing.T, newStore func(t *testing.T) activities.Store)) {
	for _, name := range slices.Sorted(maps.Keys(activityStores)) {
		t.Run(name, func(t *testing.T) { f(t, activityStores[name]) })
	}
}

func newActEnv(t *testing.T, st activities.Store, cfg ActivityConfig) *actEnv {
	t.Helper()
	docs, ok := st.(DocStore)
	if !ok {
		docs = store.NewMemory()
	}
	r := NewRegistry(Config{CursorInterval: 5 * time.Millisecond}, docs, nil, nil)
	if cfg.TallyInterval == 0 {
		cfg.TallyInterval = 10 * time.Millisecond
	}
	if err := r.EnableActivities(cfg, st); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Shutdown(context.Background()) })
	return &actEnv{t: t, r: r, st: st}
}

type actMember struct {
	*Member
	c *fakeConn
}

func (e *actEnv) join(session, user string, role Role, mod ...func(*JoinRequest)) actMember {
	e.t.Helper()
	req := JoinRequest{Session: session, CourseID: "c1", User: user, Name: "Name " + user, Role: role,
		StartsAt: time.Now().Add(-time.Minute), EndsAt: time.Now().Add(time.Hour)}
	for _, f := range mod {
		f(&req)
	}
	c := newFakeConn()
	m, err := e.r.Join(context.Background(), req, c)
	if err != nil {
		e.t.Fatal(err)
	}
	return actMember{m, c}
}

func (m actMember) send(t *testing.T, v map[string]any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.App(context.Background(), wire.App{Type: v["type"].(string)}, b); err != nil {
		t.Fatal(err)
	}
}

// apps returns the payloads of the app frames of type typ sent to c.
func (c *fakeConn) apps(typ string) []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]any
	for _, f := range c.frames {
		if f.Type != wire.TypeApp {
			continue
		}
		var v map[string]any
		if json.Unmarshal(f.Payload, &v) == nil && v["type"] == typ {
			out = append(out, v)
		}
	}
	return out
}

// errs returns the error frames sent to c.
func (c *fakeConn) errs() []wire.Error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []wire.Error
	for _, f := range c.frames {
		var e wire.Error
		if f.Type == wire.TypeError && json.Unmarshal(f.Payload, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

func (c *fakeConn) hasError(code wire.Code) bool {
	return slices.ContainsFunc(c.errs(), func(e wire.Error) bool { return e.Code == code })
}

// payloads returns every frame payload sent to c.
func (c *fakeConn) payloads() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]byte, len(c.frames))
	for i, f := range c.frames {
		out[i] = f.Payload
	}
	return out
}

func (e *actEnv) eventually(what string, cond func() bool) {
	e.t.Helper()
	if !waitFor(10*time.Second, cond) {
		e.t.Fatalf("timed out waiting for %s", what)
	}
}

// openPoll has teacher open a poll and returns its id once student has it.
func (e *actEnv) openPoll(teacher, student actMember, poll map[string]any) string {
	e.t.Helper()
	poll["type"] = "poll_open"
	n := len(student.c.apps("poll_started"))
	teacher.send(e.t, poll)
	e.eventually("poll_started", func() bool { return len(student.c.apps("poll_started")) > n })
	started := student.c.apps("poll_started")
	return started[len(started)-1]["poll"].(map[string]any)["id"].(string)
}

func answer(poll, attempt string, choices ...int) map[string]any {
	return map[string]any{"type": "poll_answer", "poll": poll, "attempt_id": attempt, "choices": choices}
}

func acksFor(c *fakeConn, attempt string) int {
	n := 0
	for _, a := range c.apps("poll_ack") {
		if a["attempt_id"] == attempt {
			n++
		}
	}
	return n
}

func TestPollAnswerRetriesStoreOneRow(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{})
		teacher := e.join("s1", "t1", RoleTeacher)
		ada := e.join("s1", "ada", RoleStudent)
		poll := e.openPoll(teacher, ada, map[string]any{"kind": "single", "question": "2+2?", "options": []string{"3", "4"}})

		// Three sends of one answer: two at once, one after the first ack.
		ada.send(t, answer(poll, "a-1", 1))
		ada.send(t, answer(poll, "a-1", 1))
		e.eventually("first ack", func() bool { return acksFor(ada.c, "a-1") >= 1 })
		ada.send(t, answer(poll, "a-1", 1))
		e.eventually("three acks", func() bool { return acksFor(ada.c, "a-1") == 3 })
		if errs := ada.c.errs(); len(errs) > 0 {
			t.Fatalf("errors for retries: %+v", errs)
		}
		subs, err := e.st.Submissions(context.Background(), poll)
		if err != nil || len(subs) != 1 || subs[0].AttemptID != "a-1" || !slices.Equal(subs[0].Choices, []int{1}) {
			t.Fatalf("stored %+v, %v; want one row for a-1", subs, err)
		}
	})
}

func TestPollConcurrentAnswersFromTwoConnections(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{})
		teacher := e.join("s1", "t1", RoleTeacher)
		tab := e.join("s1", "ada", RoleStudent)
		phone := e.join("s1", "ada", RoleStudent)
		poll := e.openPoll(teacher, tab, map[string]any{"kind": "yes_no", "question": "Ready?"})
		e.eventually("phone has the poll", func() bool { return len(phone.c.apps("poll_started")) == 1 })

		var wg sync.WaitGroup
		wg.Go(func() { tab.send(t, answer(poll, "tab-1", 0)) })
		wg.Go(func() { phone.send(t, answer(poll, "phone-1", 1)) })
		wg.Wait()
		e.eventually("one ack and one refusal", func() bool {
			acks := acksFor(tab.c, "tab-1") + acksFor(phone.c, "phone-1")
			refused := tab.c.hasError(wire.CodeAlreadyAnswered) || phone.c.hasError(wire.CodeAlreadyAnswered)
			return acks == 1 && refused
		})
		subs, err := e.st.Submissions(context.Background(), poll)
		if err != nil || len(subs) != 1 {
			t.Fatalf("stored %d rows (%v), want 1", len(subs), err)
		}
	})
}

func TestPollAnswerAfterCloseIsRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{})
		teacher := e.join("s1", "t1", RoleTeacher)
		ada := e.join("s1", "ada", RoleStudent)
		bob := e.join("s1", "bob", RoleStudent)
		poll := e.openPoll(teacher, ada, map[string]any{"kind": "multiple", "question": "Primes?", "options": []string{"2", "4", "5"}, "correct": []int{0, 2}})
		ada.send(t, answer(poll, "a-1", 0, 2))
		e.eventually("ada's ack", func() bool { return acksFor(ada.c, "a-1") == 1 })

		teacher.send(t, map[string]any{"type": "poll_close", "poll": poll, "publish": true})
		e.eventually("poll_closed", func() bool { return len(bob.c.apps("poll_closed")) == 1 })
		bob.send(t, answer(poll, "b-1", 0)) // a tablet that was offline
		e.eventually("refusal", func() bool { return bob.c.hasError(wire.CodePollClosed) })
		if acksFor(bob.c, "b-1") != 0 {
			t.Fatal("an answer after close was acknowledged")
		}
		// A retry of an answer stored before the close (its ack lost) is
		// acknowledged again, not refused.
		ada.send(t, answer(poll, "a-1", 0, 2))
		e.eventually("ada's second ack", func() bool { return acksFor(ada.c, "a-1") == 2 })
		e.eventually("results", func() bool { return len(bob.c.apps("poll_results")) == 1 })
		res := bob.c.apps("poll_results")[0]["results"].(map[string]any)
		if res["total"] != float64(1) || res["correct_count"] != float64(1) {
			t.Fatalf("results = %v; want total 1, correct_count 1", res)
		}
		subs, _ := e.st.Submissions(context.Background(), poll)
		if len(subs) != 1 {
			t.Fatalf("stored %d answers, want 1", len(subs))
		}
		if _, ok, err := e.st.PollResults(context.Background(), poll); !ok || err != nil {
			t.Fatalf("results not stored: %v", err)
		}
	})
}

func TestPollResultsOnlyWhenPublished(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	teacher := e.join("s1", "t1", RoleTeacher)
	ada := e.join("s1", "ada", RoleStudent)
	poll := e.openPoll(teacher, ada, map[string]any{"kind": "true_false", "question": "The sky is green."})
	ada.send(t, answer(poll, "a-1", 1))
	e.eventually("ack", func() bool { return acksFor(ada.c, "a-1") == 1 })
	// A reloaded page learns it has answered from session_state.
	again := e.join("s1", "ada", RoleStudent)
	if st := again.c.apps("session_state")[0]["polls"].([]any); len(st) != 2 || st[1].(map[string]any)["attempt_id"] != "a-1" {
		t.Fatalf("session_state polls after answering = %v", st)
	}
	e.eventually("live tally", func() bool {
		ts := teacher.c.apps("poll_tally")
		return len(ts) > 0 && ts[len(ts)-1]["answered"] == float64(1)
	})
	if len(ada.c.apps("poll_tally")) != 0 {
		t.Fatal("a student received the live tally")
	}
	teacher.send(t, map[string]any{"type": "poll_close", "poll": poll})
	e.eventually("teacher's results", func() bool { return len(teacher.c.apps("poll_results")) == 1 })
	if len(ada.c.apps("poll_results")) != 0 {
		t.Fatal("results reached a student before they were published")
	}
	teacher.send(t, map[string]any{"type": "poll_publish", "poll": poll})
	e.eventually("published results", func() bool { return len(ada.c.apps("poll_results")) == 1 })
	counts := ada.c.apps("poll_results")[0]["results"].(map[string]any)["counts"]
	if fmt.Sprint(counts) != "[0 1]" {
		t.Fatalf("counts = %v, want [0 1]", counts)
	}
	e.eventually("publication stored", func() bool {
		ps, err := e.st.Polls(context.Background(), "s1")
		return err == nil && len(ps) == 1 && ps[0].Published && ps[0].Closed()
	})
}

// TestSecretBallotNeverLeaks answers an anonymous poll from many students
// and inspects every frame every client received: no user id of a voter
// appears in any poll frame, and no frame links a user to a choice.
func TestSecretBallotNeverLeaks(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{})
		teacher := e.join("s1", "t1", RoleTeacher)
		var students []actMember
		for i := range 12 {
			students = append(students, e.join("s1", fmt.Sprintf("voter-%02d", i), RoleStudent))
		}
		poll := e.openPoll(teacher, students[0], map[string]any{"kind": "single", "question": "Favourite?",
			"options": []string{"red", "green", "blue"}, "anonymous": true})
		for i, s := range students {
			e.eventually("poll reached everyone", func() bool { return len(s.c.apps("poll_started")) == 1 })
			s.send(t, answer(poll, fmt.Sprintf("att-%02d", i), i%3))
		}
		for i, s := range students {
			e.eventually("acks", func() bool { return acksFor(s.c, fmt.Sprintf("att-%02d", i)) == 1 })
		}
		e.eventually("tally of 12", func() bool {
			ts := teacher.c.apps("poll_tally")
			return len(ts) > 0 && ts[len(ts)-1]["answered"] == float64(12)
		})
		teacher.send(t, map[string]any{"type": "poll_close", "poll": poll, "publish": true})
		for _, s := range students {
			e.eventually("results", func() bool { return len(s.c.apps("poll_results")) == 1 })
		}
		late := e.join("s1", "late", RoleTeacher) // gets the poll in session_state

		conns := []*fakeConn{teacher.c, late.c}
		for _, s := range students {
			conns = append(conns, s.c)
		}
		for _, c := range conns {
			for _, p := range c.payloads() {
				if !bytes.Contains(p, []byte(`"poll`)) && !bytes.Contains(p, []byte(`session_state`)) {
					continue // document frames and chat carry no ballots
				}
				for _, s := range students {
					if bytes.Contains(p, []byte(s.User)) {
						t.Fatalf("a poll frame names voter %s: %s", s.User, p)
					}
				}
				if bytes.Contains(p, []byte(`"voter`)) || bytes.Contains(p, []byte(`"choices`)) {
					t.Fatalf("a poll frame carries voters or choices: %s", p)
				}
			}
		}
		// The store keeps no link either: the poll's key is gone.
		subs, _ := e.st.Submissions(context.Background(), poll)
		for _, sub := range subs {
			if sub.User != "" || strings.HasPrefix(sub.Voter, "voter-") {
				t.Fatalf("stored submission links a user: %+v", sub)
			}
		}
		ps, _ := e.st.Polls(context.Background(), "s1")
		if len(ps) != 1 || len(ps[0].BallotKey) != 0 {
			t.Fatalf("closed anonymous poll still has its ballot key: %+v", ps)
		}
	})
}

func TestPollPermissions(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	teacher := e.join("s1", "t1", RoleTeacher)
	ada := e.join("s1", "ada", RoleStudent)
	obs := e.join("s1", "obs", RoleObserver)
	ada.send(t, map[string]any{"type": "poll_open", "kind": "yes_no", "question": "Mine?"})
	e.eventually("student refused", func() bool { return ada.c.hasError(wire.CodeForbidden) })
	poll := e.openPoll(teacher, ada, map[string]any{"kind": "yes_no", "question": "Ours?"})
	obs.send(t, answer(poll, "o-1", 0))
	e.eventually("observer refused", func() bool { return obs.c.hasError(wire.CodeForbidden) })
	ada.send(t, map[string]any{"type": "poll_close", "poll": poll})
	ada.send(t, answer(poll, "a-1", 5))
	e.eventually("bad answer", func() bool { return ada.c.hasError(wire.CodeBadAnswer) })
	if n := len(ada.c.errs()); n != 3 {
		t.Fatalf("student got %d errors, want 3 (open, close, bad answer): %+v", n, ada.c.errs())
	}
}

func chatSend(id, text, to string) map[string]any {
	return map[string]any{"type": "chat_send", "id": id, "text": text, "to": to}
}

func seqs(msgs []any) []int {
	var out []int
	for _, m := range msgs {
		out = append(out, int(m.(map[string]any)["seq"].(float64)))
	}
	return out
}

func TestChatReconnectNoGapNoDuplicate(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{Chat: chat.LimiterConfig{StudentRate: 100, StudentBurst: 100}})
		teacher := e.join("s1", "t1", RoleTeacher)
		ada := e.join("s1", "ada", RoleStudent)
		bob := e.join("s1", "bob", RoleStudent)
		for i := range 5 {
			teacher.send(t, chatSend(fmt.Sprintf("t-%d", i), fmt.Sprintf("hello %d", i), ""))
		}
		e.eventually("ada has 5", func() bool { return len(ada.c.apps("chat_message")) == 5 })
		last := ada.c.apps("chat_message")[4]["seq"].(float64)
		ada.Leave()

		// While ada is away: public messages, a private one from bob to the
		// staff, and a deletion.
		for i := range 6 {
			bob.send(t, chatSend(fmt.Sprintf("b-%d", i), fmt.Sprintf("bob %d", i), ""))
		}
		bob.send(t, chatSend("b-private", "I need help", "staff"))
		e.eventually("teacher has 12", func() bool { return len(teacher.c.apps("chat_message")) == 12 })
		teacher.send(t, map[string]any{"type": "chat_delete", "seq": last + 2})
		e.eventually("deletion", func() bool { return len(bob.c.apps("chat_deleted")) == 1 })
		if n := len(bob.c.apps("chat_message")); n != 12 {
			t.Fatalf("bob got %d messages, want 12 (his private one echoed)", n)
		}

		// A message ada had is deleted while she is away too.
		teacher.send(t, map[string]any{"type": "chat_delete", "seq": last - 1})
		e.eventually("second deletion", func() bool { return len(bob.c.apps("chat_deleted")) == 2 })
		back := e.join("s1", "ada", RoleStudent, func(r *JoinRequest) { r.ChatSince = int64(last) })
		hist := back.c.apps("chat_history")
		if len(hist) != 1 || hist[0]["reset"] != false {
			t.Fatalf("history frames = %v, want one resume", hist)
		}
		msgs := hist[0]["messages"].([]any)
		// First the tombstone of the message she had, then what she missed.
		if old := msgs[0].(map[string]any); old["seq"] != last-1 || old["text"] != "" {
			t.Fatalf("first history entry = %v, want the tombstone of seq %v", old, last-1)
		}
		msgs = msgs[1:]
		got := seqs(msgs)
		want := []int{int(last) + 1, int(last) + 2, int(last) + 3, int(last) + 4, int(last) + 5, int(last) + 6}
		if !slices.Equal(got, want) {
			t.Fatalf("missed messages %v, want exactly %v (no gap, no duplicate, no private)", got, want)
		}
		del := msgs[1].(map[string]any)
		if del["text"] != "" || del["deleted_by"] != "t1" {
			t.Fatalf("deleted message = %v, want a tombstone", del)
		}
		// A fresh join without chat_since gets the recent history, reset.
		fresh := e.join("s1", "cat", RoleStudent)
		if h := fresh.c.apps("chat_history"); len(h) != 1 || h[0]["reset"] != true || len(h[0]["messages"].([]any)) != 11 {
			t.Fatalf("fresh join history = %v", h)
		}
		// Bob, who wrote privately, sees his own private message too.
		bob2 := e.join("s1", "bob", RoleStudent)
		if h := bob2.c.apps("chat_history"); len(h) != 1 || len(h[0]["messages"].([]any)) != 12 {
			t.Fatalf("bob's fresh join history = %v", h)
		}
		// The transcript reaches the store off the hot path.
		e.eventually("transcript stored", func() bool {
			msgs, err := e.st.ChatHistory(context.Background(), "s1", 0, 100)
			return err == nil && len(msgs) == 12 && msgs[6].Deleted()
		})
	})
}

func TestChatRetryIsNotDuplicated(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	ada := e.join("s1", "ada", RoleStudent)
	bob := e.join("s1", "bob", RoleStudent)
	ada.send(t, chatSend("m-1", "hi", ""))
	ada.send(t, chatSend("m-1", "hi", ""))
	e.eventually("echoes", func() bool { return len(ada.c.apps("chat_message")) == 2 })
	if n := len(bob.c.apps("chat_message")); n != 1 {
		t.Fatalf("bob got %d copies, want 1", n)
	}
	a := ada.c.apps("chat_message")
	if a[0]["seq"] != a[1]["seq"] {
		t.Fatalf("a retry got a new seq: %v", a)
	}
}

func TestChatModeration(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	teacher := e.join("s1", "t1", RoleTeacher)
	ada := e.join("s1", "ada", RoleStudent)
	bob := e.join("s1", "bob", RoleStudent)
	obs := e.join("s1", "obs", RoleObserver)

	obs.send(t, chatSend("o-1", "hello", ""))
	e.eventually("observer refused", func() bool { return obs.c.hasError(wire.CodeForbidden) })

	ada.send(t, chatSend("a-1", "rude words", ""))
	e.eventually("delivered", func() bool { return len(bob.c.apps("chat_message")) == 1 })
	seq := bob.c.apps("chat_message")[0]["seq"]
	bob.send(t, map[string]any{"type": "chat_delete", "seq": seq})
	e.eventually("student may not delete", func() bool { return bob.c.hasError(wire.CodeForbidden) })
	teacher.send(t, map[string]any{"type": "chat_delete", "seq": seq})
	e.eventually("tombstone to everyone", func() bool {
		return len(ada.c.apps("chat_deleted")) == 1 && len(obs.c.apps("chat_deleted")) == 1
	})

	teacher.send(t, map[string]any{"type": "participant.mute", "user": "ada"})
	e.eventually("muted", func() bool { return len(ada.c.apps("participant.muted")) == 1 })
	ada.send(t, chatSend("a-2", "again", ""))
	e.eventually("muted refusal", func() bool { return ada.c.hasError(wire.CodeMuted) })

	teacher.send(t, map[string]any{"type": "chat.lock"})
	bob.send(t, chatSend("b-1", "anyone?", ""))
	e.eventually("locked refusal", func() bool { return bob.c.hasError(wire.CodeChatLocked) })
	teacher.send(t, chatSend("t-1", "quiet please", ""))
	e.eventually("teacher may chat while locked", func() bool { return len(bob.c.apps("chat_message")) == 2 })

	// A private message reaches the staff and its sender only.
	teacher.send(t, map[string]any{"type": "chat.unlock"})
	bob.send(t, chatSend("b-2", "question", "staff"))
	e.eventually("teacher has the private message", func() bool { return len(teacher.c.apps("chat_message")) == 3 })
	for _, m := range ada.c.apps("chat_message") {
		if m["to"] == "staff" {
			t.Fatal("a student received another's private message")
		}
	}
	if e := bob.c.errs(); len(e) != 2 {
		t.Fatalf("bob's errors = %+v, want forbidden and chat_locked", e)
	}
}

func TestChatRateLimit(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	ada := e.join("s1", "ada", RoleStudent)
	for i := range 10 {
		ada.send(t, chatSend(fmt.Sprintf("m-%d", i), "spam", ""))
	}
	e.eventually("rate limited", func() bool { return ada.c.hasError(wire.CodeRateLimited) })
	if n := len(ada.c.apps("chat_message")); n < 1 || n > 6 {
		t.Fatalf("%d of 10 messages got through a burst of 5", n)
	}
}

func TestVideoFallbackWhenErrorRatePassesThreshold(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{VideoErrorThreshold: 0.3, VideoErrorMinimum: 2})
	video := func(r *JoinRequest) {
		r.Video = catalog.Video{Provider: catalog.ProviderZoom, JoinURL: "https://zoom.example/j/1", FallbackURL: "https://meet.example/room"}
	}
	teacher := e.join("s1", "t1", RoleTeacher, video)
	var students []actMember
	for i := range 5 {
		students = append(students, e.join("s1", fmt.Sprintf("s%d", i), RoleStudent))
	}
	st := students[0].c.apps("session_state")[0]["video"].(map[string]any)
	if st["join_url"] != "https://zoom.example/j/1" || st["fallback"] != false {
		t.Fatalf("session_state video = %v", st)
	}
	students[0].send(t, map[string]any{"type": "video_error", "code": "join_failed"})
	students[1].send(t, map[string]any{"type": "video_error", "code": "join_failed"}) // 2 of 6: 0.33
	e.eventually("fallback to everyone", func() bool {
		for _, c := range append([]actMember{teacher}, students...) {
			fb := c.c.apps("video_fallback")
			if len(fb) != 1 || fb[0]["url"] != "https://meet.example/room" || fb[0]["reason"] != "error_rate" {
				return false
			}
		}
		return true
	})
	late := e.join("s1", "s9", RoleStudent)
	if st := late.c.apps("session_state")[0]["video"].(map[string]any); st["fallback"] != true {
		t.Fatalf("a late joiner is not told about the fallback: %v", st)
	}
}

func TestVideoErrorBelowThresholdAndSwitchPermission(t *testing.T) {
	e := newActEnv(t, store.NewMemory(), ActivityConfig{VideoErrorThreshold: 0.5, VideoErrorMinimum: 1})
	video := func(r *JoinRequest) {
		r.Video = catalog.Video{Provider: catalog.ProviderJitsi, JoinURL: "https://jitsi.example/a", FallbackURL: "https://jitsi.example/b"}
	}
	teacher := e.join("s1", "t1", RoleTeacher, video)
	a := e.join("s1", "a", RoleStudent)
	b := e.join("s1", "b", RoleStudent)
	a.send(t, map[string]any{"type": "video_error", "code": "no_audio"}) // 1 of 3
	b.send(t, map[string]any{"type": "video_switch"})
	e.eventually("student may not switch", func() bool { return b.c.hasError(wire.CodeForbidden) })
	if len(teacher.c.apps("video_fallback")) != 0 {
		t.Fatal("fallback sent below the threshold")
	}
	teacher.send(t, map[string]any{"type": "video_switch"})
	e.eventually("teacher switch", func() bool {
		fb := a.c.apps("video_fallback")
		return len(fb) == 1 && fb[0]["reason"] == "teacher"
	})
}

func TestAttendanceLiveAndFinal(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(*testing.T) activities.Store) {
		e := newActEnv(t, newStore(t), ActivityConfig{})
		teacher := e.join("s1", "t1", RoleTeacher)
		ada := e.join("s1", "ada", RoleStudent)
		bob := e.join("s1", "bob", RoleStudent)
		ada.send(t, chatSend("a-1", "present!", ""))
		e.eventually("chat", func() bool { return len(bob.c.apps("chat_message")) == 1 })
		bob.Leave()

		teacher.send(t, map[string]any{"type": "attendance_request"})
		e.eventually("live attendance", func() bool { return len(teacher.c.apps("attendance")) == 1 })
		recs := teacher.c.apps("attendance")[0]["records"].([]any)
		byUser := map[string]map[string]any{}
		for _, r := range recs {
			m := r.(map[string]any)
			byUser[m["user"].(string)] = m
		}
		if byUser["ada"] == nil || byUser["bob"] == nil || byUser["t1"] == nil {
			t.Fatalf("live attendance lacks someone: %v", recs)
		}
		if byUser["ada"]["engagement"].(map[string]any)["chat"] != float64(1) {
			t.Fatalf("ada's engagement = %v", byUser["ada"]["engagement"])
		}
		if byUser["ada"]["evidence"] == "" || byUser["ada"]["final"] != false {
			t.Fatalf("ada's record = %v", byUser["ada"])
		}
		ada.send(t, map[string]any{"type": "attendance_request"})
		e.eventually("student refused", func() bool { return ada.c.hasError(wire.CodeForbidden) })

		teacher.send(t, map[string]any{"type": "session.end"})
		e.eventually("final attendance stored", func() bool {
			recs, err := e.st.Attendance(context.Background(), "s1")
			if err != nil || len(recs) != 3 {
				return false
			}
			for _, r := range recs {
				if !r.Final || r.Status == "" {
					return false
				}
			}
			return true
		})
		ivs, _ := e.st.Intervals(context.Background(), "s1")
		if len(ivs) != 3 {
			t.Fatalf("stored %d connection intervals, want 3", len(ivs))
		}
	})
}

func TestVideoErrorCodesBoundTheMetric(t *testing.T) {
	for code, want := range map[string]string{"join_failed": "join_failed", "no_audio": "no_audio", "made-up-by-a-client": "other"} {
		if got := videoErrorLabel(code); got != want {
			t.Errorf("label of %q = %q, want %q", code, got, want)
		}
	}
	e := newActEnv(t, store.NewMemory(), ActivityConfig{})
	a := e.join("s1", "a", RoleStudent)
	a.send(t, map[string]any{"type": "video_error", "code": "bad\ncode"})
	e.eventually("refusal", func() bool { return a.c.hasError(wire.CodeBadFrame) })
}
