package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/export"
	"github.com/homeroom-edu/homeroom/store/sqlite"
)

// seedExport makes an embedded store with one session whose document holds
// two strokes, a raised hand and two participants.
func seedExport(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "homeroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.PutInstitution(ctx, catalog.Institution{ID: "inst", Name: "District"})
	st.PutCourse(ctx, catalog.Course{ID: "alg", InstitutionID: "inst", Name: "Algebra"})
	start := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for _, id := range []string{"alg-1", "alg-2"} {
		if _, err := st.PutSession(ctx, catalog.Session{ID: id, CourseID: "alg", Title: "Lesson " + id,
			StartsAt: start, EndsAt: start.Add(time.Hour), State: catalog.StateEnded}); err != nil {
			t.Fatal(err)
		}
	}
	doc, _ := crdt.New("alg-1")
	doc.SetPresence("ada", crdt.Presence{Name: "Ada", Role: "student", JoinedAt: 1000, Status: "offline", LeftAt: 5000})
	doc.SetPresence("rivera", crdt.Presence{Name: "Ms. Rivera", Role: "teacher", JoinedAt: 900, Status: "offline", LeftAt: 6000})
	doc.AddStroke(crdt.Stroke{ID: "s2", Author: "ada", Tool: "pen", Color: "#ff0000", Width: 2, Points: []float64{5, 5, 6, 6}, Created: 2000})
	doc.AddStroke(crdt.Stroke{ID: "s1", Author: "rivera", Tool: "text", Color: "#000000", Width: 2, Points: []float64{1, 1}, Text: "x, \"y\"", Created: 1500})
	doc.RaiseHand("ada", 3000)
	doc.Commit("")
	if err := st.SaveDoc(ctx, "alg-1", doc.Save()); err != nil {
		t.Fatal(err)
	}
	seedActivities(t, st, start)
}

// seedActivities adds a chat (one message deleted), a closed quiz with
// its results and the final attendance to session alg-1.
func seedActivities(t *testing.T, st *sqlite.Store, start time.Time) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.AppendChat(ctx, []activities.ChatMessage{
		{Session: "alg-1", Seq: 1, ClientID: "c1", User: "rivera", Name: "Ms. Rivera", Role: "teacher", Text: "Welcome, all", SentAt: start.Add(time.Minute)},
		{Session: "alg-1", Seq: 2, ClientID: "c2", User: "ada", Name: "Ada", Role: "student", Text: "oops", SentAt: start.Add(2 * time.Minute)},
	}))
	must(st.DeleteChat(ctx, "alg-1", 2, "rivera", start.Add(3*time.Minute)))
	quiz := activities.Poll{ID: "p-1", Session: "alg-1", CreatedBy: "rivera", Kind: activities.KindSingle, Question: "2+2?",
		Options: []string{"3", "4"}, Correct: []int{1}, OpenedAt: start.Add(10 * time.Minute)}
	must(st.SavePoll(ctx, quiz))
	one := 1.0
	if _, err := st.SubmitAnswers(ctx, []activities.Submission{{Poll: "p-1", Session: "alg-1", Voter: "ada", User: "ada",
		AttemptID: "a-1", Choices: []int{1}, Score: &one, SubmittedAt: start.Add(11 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	quiz.ClosedAt, quiz.Published = start.Add(12*time.Minute), true
	must(st.SavePoll(ctx, quiz))
	must(st.SaveResults(ctx, activities.Results{Poll: "p-1", Counts: []int{0, 1}, Total: 1, Correct: []int{1}, CorrectCount: 1,
		ComputedAt: start.Add(12 * time.Minute)}))
	must(st.SaveAttendance(ctx, "alg-1", []activities.AttendanceRecord{{Session: "alg-1", User: "ada", Name: "Ada", Role: "student",
		FirstJoin: start.Add(time.Minute), LastLeave: start.Add(time.Hour), ConnectedSeconds: 3540, ActiveSeconds: 3000,
		Engagement: map[string]int{"chat": 1, "poll_answer": 1}, Status: activities.StatusPresent,
		Evidence: "joined on time; stayed to the end", ComputedAt: start.Add(time.Hour), Final: true}}))
}

func TestExportSessionJSON(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"export", "--data-dir", dir, "--session", "alg-1"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var e export.Session
	if err := json.Unmarshal(stdout.Bytes(), &e); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if e.Session.ID != "alg-1" || e.Session.CourseID != "alg" || e.Session.State != catalog.StateEnded {
		t.Errorf("session = %+v", e.Session)
	}
	wantP := []export.Participant{
		{UserID: "ada", Name: "Ada", Role: "student", JoinedAt: 1000, Status: "offline", LeftAt: 5000},
		{UserID: "rivera", Name: "Ms. Rivera", Role: "teacher", JoinedAt: 900, Status: "offline", LeftAt: 6000},
	}
	if len(e.Participants) != 2 || e.Participants[0] != wantP[0] || e.Participants[1] != wantP[1] {
		t.Errorf("participants = %+v", e.Participants)
	}
	if len(e.Board.Strokes) != 2 || e.Board.Strokes[0].ID != "s1" || e.Board.Strokes[1].ID != "s2" {
		t.Fatalf("strokes (oldest first) = %+v", e.Board.Strokes)
	}
	s := e.Board.Strokes[1]
	if s.Author != "ada" || s.Tool != "pen" || s.Color != "#ff0000" || s.Width != 2 || len(s.Points) != 4 || s.Created != 2000 {
		t.Errorf("stroke s2 = %+v", s)
	}
	if e.Board.Strokes[0].Text != "x, \"y\"" {
		t.Errorf("text stroke = %+v", e.Board.Strokes[0])
	}
	if e.Hands["ada"] != 3000 || len(e.Heads) == 0 {
		t.Errorf("hands %v heads %v", e.Hands, e.Heads)
	}
	if len(e.Chat) != 2 || e.Chat[0].Text != "Welcome, all" || e.Chat[0].Name != "Ms. Rivera" || e.Chat[0].Seq != 1 ||
		e.Chat[1].Text != "" || e.Chat[1].DeletedBy != "rivera" || !e.Chat[1].Deleted() {
		t.Errorf("chat = %+v", e.Chat)
	}
	if len(e.Polls) != 1 {
		t.Fatalf("polls = %+v", e.Polls)
	}
	p := e.Polls[0]
	if p.ID != "p-1" || p.Question != "2+2?" || p.Answers != 1 || !p.Published || p.Results == nil ||
		fmt.Sprint(p.Results.Counts) != "[0 1]" || p.Results.CorrectCount != 1 || fmt.Sprint(p.Correct) != "[1]" {
		t.Errorf("poll = %+v, results %+v", p, p.Results)
	}
	if len(e.Attendance) != 1 || e.Attendance[0].User != "ada" || e.Attendance[0].Status != "present" ||
		e.Attendance[0].ConnectedSeconds != 3540 || e.Attendance[0].Engagement["chat"] != 1 || !e.Attendance[0].Final {
		t.Errorf("attendance = %+v", e.Attendance)
	}
	// The raw JSON keeps the board under board.strokes.
	if !strings.Contains(stdout.String(), `"board": {`) || !strings.Contains(stdout.String(), `"strokes": [`) {
		t.Errorf("JSON layout:\n%s", stdout.String())
	}
}

func TestExportCourseCSV(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"export", "--data-dir", dir, "--course", "alg", "--format", "csv", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(out, "alg-1", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	ps := read("participants.csv")
	if len(ps) != 3 || strings.Join(ps[1], "|") != "ada|Ada|student|1000|offline|5000" {
		t.Errorf("participants.csv = %v", ps)
	}
	ss := read("strokes.csv")
	if len(ss) != 3 || strings.Join(ss[1], "|") != `s1|rivera|text|#000000|2|1|1500|x, "y"` || strings.Join(ss[2], "|") != "s2|ada|pen|#ff0000|2|2|2000|" {
		t.Errorf("strokes.csv = %v", ss)
	}
	if hs := read("hands.csv"); len(hs) != 2 || strings.Join(hs[1], "|") != "ada|3000" {
		t.Errorf("hands.csv = %v", hs)
	}
	if at := read("attendance.csv"); len(at) != 2 || strings.Join(at[1][:8], "|") != "ada|Ada|student|present|2026-11-30T08:01:00Z|2026-11-30T09:00:00Z|59|50" ||
		at[1][8] != "1" || at[1][9] != "1" || at[1][13] != "true" {
		t.Errorf("attendance.csv = %v", at)
	}
	if pr := read("poll_results.csv"); len(pr) != 3 || strings.Join(pr[1], "|") != "p-1|2+2?|single|0|3|false|0|1" ||
		strings.Join(pr[2], "|") != "p-1|2+2?|single|1|4|true|1|1" {
		t.Errorf("poll_results.csv = %v", pr)
	}
	if ch := read("chat.csv"); len(ch) != 3 || strings.Join(ch[1], "|") != "1|2026-11-30T08:01:00Z|rivera|Ms. Rivera|teacher||Welcome, all||" ||
		strings.Join(ch[2], "|") != "2|2026-11-30T08:02:00Z|ada|Ada|student|||2026-11-30T08:03:00Z|rivera" {
		t.Errorf("chat.csv = %v", ch)
	}
	svg, err := os.ReadFile(filepath.Join(out, "alg-1", "board.svg"))
	if err != nil || !bytes.Contains(svg, []byte(`<polyline id="s2"`)) || !bytes.Contains(svg, []byte(`<text id="s1"`)) {
		t.Errorf("board.svg: %v\n%s", err, svg)
	}
	// The course's other session, never held live, exports an empty board.
	if _, err := os.Stat(filepath.Join(out, "alg-2", "session.json")); err != nil {
		t.Errorf("alg-2 not exported: %v", err)
	}
}

func TestExportUsage(t *testing.T) {
	for _, args := range [][]string{{"export"}, {"export", "--session", "a", "--course", "b"}, {"export", "--session", "a", "--format", "csv"}} {
		if code := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
