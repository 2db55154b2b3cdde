package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/store/postgres"
	"github.com/homeroom-edu/homeroom/store/postgres/pgtest"
	"github.com/homeroom-edu/homeroom/sync/client"
)

// appLog collects the app frames a client receives.
type appLog struct {
	mu     sync.Mutex
	frames []map[string]any
}

func (l *appLog) add(_ string, payload []byte) {
	var v map[string]any
	if json.Unmarshal(payload, &v) == nil {
		l.mu.Lock()
		l.frames = append(l.frames, v)
		l.mu.Unlock()
	}
}

func (l *appLog) count(typ string, match func(map[string]any) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, f := range l.frames {
		if f["type"] == typ && (match == nil || match(f)) {
			n++
		}
	}
	return n
}

func (l *appLog) last(typ string) map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.frames) - 1; i >= 0; i-- {
		if l.frames[i]["type"] == typ {
			return l.frames[i]
		}
	}
	return nil
}

func eventually(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestPostgresOutageDuringLiveSession cuts the node off from Postgres for
// 30 seconds in the middle of a class. The class goes on: board edits and
// chat keep flowing between the clients; a poll answer is acknowledged
// only once it is committed, after the database is back; then the writers
// drain and everything the clients were told is kept is in Postgres.
func TestPostgresOutageDuringLiveSession(t *testing.T) {
	if testing.Short() {
		t.Skip("a 30 s outage")
	}
	const outage = 30 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dbURL := pgtest.NewSchema(t)
	direct, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if err := direct.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seedOutageClass(t, ctx, direct)
	proxy := pgtest.NewProxy(t)

	secret := strings.Repeat("outage-test-secret-", 3)
	sctx, stopServe := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	served := make(chan int, 1)
	go func() {
		served <- run(sctx, []string{"serve", "--addr", "127.0.0.1:0", "--database-url", proxy.Via(t, dbURL),
			"--token-secret", secret, "--save-interval", "100ms", "--log-level", "error"}, pw, io.Discard)
		pw.Close()
	}()
	addr := scanListenAddr(pr)
	go io.Copy(io.Discard, pr)
	if addr == "" {
		stopServe()
		t.Fatalf("serve printed no address (exit %v)", <-served)
	}
	defer func() {
		stopServe()
		if code := <-served; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}()

	minter, err := identity.NewHS256Minter([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	join := func(user string, log *appLog) *client.Client {
		tok, err := minter.Mint(identity.Claims{UserID: user, Name: user, Role: "student", Session: "outage-live"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		c, err := client.New(client.Config{URL: "ws://" + addr + "/ws", Session: "outage-live", Token: tok, OnApp: log.add})
		if err != nil {
			t.Fatal(err)
		}
		c.Start(ctx)
		t.Cleanup(func() { c.Close() })
		if err := c.WaitSynced(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	var teacherLog, studentLog appLog
	teacher := join("out-teacher", &teacherLog)
	student := join("out-student", &studentLog)

	draw := func(id string) {
		t.Helper()
		if err := teacher.AddStroke(ctx, crdt.Stroke{ID: id, Tool: "pen", Color: "#000000", Width: 2, Points: []float64{1, 2, 3, 4}}); err != nil {
			t.Fatal(err)
		}
	}
	draw("before")
	if err := teacher.SendApp(ctx, map[string]any{"type": "poll_open", "kind": "yes_no", "question": "Still with me?"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, "poll_started", func() bool { return studentLog.count("poll_started", nil) == 1 })
	poll := studentLog.last("poll_started")["poll"].(map[string]any)["id"].(string)

	proxy.Down()
	downAt := time.Now()
	strokes, chats := []string{"before"}, 0
	answered := false
	for i := 0; time.Since(downAt) < outage; i++ {
		id := fmt.Sprintf("during-%02d", i)
		draw(id)
		strokes = append(strokes, id)
		if err := teacher.SendApp(ctx, map[string]any{"type": "chat_send", "id": fmt.Sprintf("c-%d", i), "text": "still here"}); err == nil {
			chats++
		}
		if !answered && time.Since(downAt) > 5*time.Second {
			if err := student.SendApp(ctx, map[string]any{"type": "poll_answer", "poll": poll, "attempt_id": "a-1", "choices": []int{0}}); err != nil {
				t.Fatal(err)
			}
			answered = true
		}
		// The class goes on: the student sees each stroke and message.
		eventually(t, ctx, "the stroke at the student", func() bool {
			st, err := student.State()
			return err == nil && st.Board[id].ID == id
		})
		eventually(t, ctx, "the chat message at the student", func() bool { return studentLog.count("chat_message", nil) == chats })
		time.Sleep(time.Second)
	}
	if n := studentLog.count("poll_ack", nil); n != 0 {
		t.Fatalf("a poll answer was acknowledged while the database was down (%d acks)", n)
	}
	proxy.Up()
	upAt := time.Now()

	// The answer is acknowledged once committed; the client retries with
	// the same attempt if the committer gave up on it during the outage.
	for studentLog.count("poll_ack", nil) == 0 {
		if ctx.Err() != nil {
			t.Fatal("the poll answer was never acknowledged after the database came back")
		}
		if studentLog.count("error", nil) > 0 || time.Since(upAt) > 5*time.Second {
			student.SendApp(ctx, map[string]any{"type": "poll_answer", "poll": poll, "attempt_id": "a-1", "choices": []int{0}})
		}
		time.Sleep(200 * time.Millisecond)
	}
	subs, err := direct.Submissions(ctx, poll)
	if err != nil || len(subs) != 1 {
		t.Fatalf("acknowledged answer: %d rows stored (%v), want 1", len(subs), err)
	}

	// The writers drain: every stroke and every message is in Postgres
	// while the node is still running.
	eventually(t, ctx, "the board and the transcript in Postgres", func() bool {
		saved, err := direct.LoadDoc(ctx, "outage-live")
		if err != nil || saved == nil {
			return false
		}
		doc, err := crdt.Load(saved)
		if err != nil {
			return false
		}
		st, err := doc.State()
		if err != nil {
			return false
		}
		for _, id := range strokes {
			if _, ok := st.Board[id]; !ok {
				return false
			}
		}
		msgs, err := direct.ChatHistory(ctx, "outage-live", 0, 1000)
		return err == nil && len(msgs) == chats
	})
	t.Logf("outage %v: %d strokes and %d chat messages during it; drained %v after the database returned",
		outage, len(strokes)-1, chats, time.Since(upAt).Round(time.Millisecond))
}

// scanListenAddr reads serve's output up to the line with its address.
func scanListenAddr(r io.Reader) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "homeroom listening on http://"); ok {
			addr, _, _ := strings.Cut(rest, " ")
			return addr
		}
	}
	return ""
}

func seedOutageClass(t *testing.T, ctx context.Context, st *postgres.Store) {
	t.Helper()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutInstitution(ctx, catalog.Institution{ID: "out-inst", Name: "Outage District"}))
	must(st.PutCourse(ctx, catalog.Course{ID: "out-course", InstitutionID: "out-inst", Name: "Resilience"}))
	must(st.PutSession(ctx, catalog.Session{ID: "outage-live", CourseID: "out-course", Title: "Live through an outage",
		StartsAt: time.Now().Add(-time.Minute), EndsAt: time.Now().Add(time.Hour), State: catalog.StateLive}))
	must(st.PutEnrollment(ctx, catalog.Enrollment{CourseID: "out-course", UserID: "out-teacher", Role: catalog.RoleTeacher}))
	must(st.PutEnrollment(ctx, catalog.Enrollment{CourseID: "out-course", UserID: "out-student", Role: catalog.RoleStudent}))
}
