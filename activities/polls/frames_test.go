package polls

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestFrames(t *testing.T) {
	quiz := activities.Poll{
		ID: "p-1", Session: "ses_1", CreatedBy: "u-teacher", Kind: "single", Question: "Capital?",
		Options: []string{"Paris", "Lyon"}, Correct: []int{0}, Changeable: true,
		OpenedAt: time.Date(2026, 11, 29, 10, 0, 0, 123e6, time.FixedZone("CET", 3600)),
	}
	text := activities.Poll{ID: "p-2", CreatedBy: "u-teacher", Kind: "text", Question: "Why?", Anonymous: true,
		OpenedAt: t0, BallotKey: []byte("0123456789abcdef0123456789abcdef")}
	tally := NewTally(quiz)
	tally.Add("u-1", []int{0}, "")
	tally.Add("u-2", []int{1}, "")
	tally.Add("u-3", []int{0}, "")

	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"started quiz", Started(quiz),
			`{"type":"poll_started","poll":{"id":"p-1","created_by":"u-teacher","kind":"single","question":"Capital?","options":["Paris","Lyon"],"anonymous":false,"changeable":true,"opened_at":"2026-11-29T09:00:00.123Z"}}`},
		{"started text", Started(text),
			`{"type":"poll_started","poll":{"id":"p-2","created_by":"u-teacher","kind":"text","question":"Why?","options":[],"anonymous":true,"changeable":false,"opened_at":"2026-11-29T10:00:00Z"}}`},
		{"ack", Ack("p-1", "a-1"), `{"type":"poll_ack","poll":"p-1","attempt_id":"a-1"}`},
		{"tally", TallyFrame(quiz, tally, 30), `{"type":"poll_tally","poll":"p-1","counts":[2,1],"answered":3,"present":30}`},
		{"tally text", TallyFrame(text, NewTally(text), 0), `{"type":"poll_tally","poll":"p-2","counts":[],"answered":0,"present":0}`},
		{"closed", Closed("p-1"), `{"type":"poll_closed","poll":"p-1"}`},
		{"results poll", ResultsFrame(activities.Results{Poll: "p-1", Counts: []int{3, 4}, Total: 7, ComputedAt: t0}),
			`{"type":"poll_results","poll":"p-1","results":{"counts":[3,4],"total":7}}`},
		{"results quiz", ResultsFrame(activities.Results{Poll: "p-1", Counts: []int{3, 4}, Total: 7, Correct: []int{1}, CorrectCount: 4}),
			`{"type":"poll_results","poll":"p-1","results":{"counts":[3,4],"total":7,"correct":[1],"correct_count":4}}`},
		{"results quiz nobody right", ResultsFrame(activities.Results{Poll: "p-1", Counts: []int{3, 0}, Total: 3, Correct: []int{1}}),
			`{"type":"poll_results","poll":"p-1","results":{"counts":[3,0],"total":3,"correct":[1],"correct_count":0}}`},
		{"results text", ResultsFrame(activities.Results{Poll: "p-2", Counts: []int{}, Total: 2, Texts: []string{"b", "a"}}),
			`{"type":"poll_results","poll":"p-2","results":{"counts":[],"total":2,"texts":["b","a"]}}`},
		{"results text without answers", ResultsFrame(Aggregate(text, nil, nil, t0)),
			`{"type":"poll_results","poll":"p-2","results":{"counts":[],"total":0,"texts":[]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if string(tt.got) != tt.want {
				t.Errorf("payload\n got %s\nwant %s", tt.got, tt.want)
			}
		})
	}
}

// TestFramesKeepTheBallotSecret runs anonymous polls of every kind with 50
// voters, answers changed included, through every frame and checks that
// no payload holds a user id, a voter key or the ballot key, and that
// poll_started holds no correct answer.
func TestFramesKeepTheBallotSecret(t *testing.T) {
	requests := []OpenRequest{
		{Kind: "single", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{1}, Anonymous: true, Changeable: true},
		{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{0, 2}, Anonymous: true},
		{Kind: "yes_no", Question: "q", Anonymous: true, Changeable: true},
		{Kind: "true_false", Question: "q", Correct: []int{1}, Anonymous: true},
		{Kind: "text", Question: "q", Anonymous: true, Changeable: true},
	}
	rnd := rand.New(rand.NewPCG(3, 3))
	for _, req := range requests {
		t.Run(req.Kind, func(t *testing.T) {
			p := mustPoll(t, req)
			key := slices.Clone(p.BallotKey)
			var out [][]byte
			out = append(out, Started(p))
			if bytes.Contains(out[0], []byte("correct")) {
				t.Errorf("poll_started holds the correct answers: %s", out[0])
			}

			tally := NewTally(p)
			var subs []activities.Submission
			var secrets []string // user ids and voter keys
			for i := range 50 {
				user := fmt.Sprintf("u-student-%02d", i)
				voter := Voter(p, user)
				secrets = append(secrets, user, voter)
				for attempt := range 1 + rnd.IntN(2) {
					a := AnswerRequest{Poll: p.ID, AttemptID: fmt.Sprintf("a-%d-%d", i, attempt)}
					if p.Kind == "text" {
						a.Text = fmt.Sprintf("text %d", rnd.IntN(100))
					} else {
						a.Choices = []int{rnd.IntN(len(p.Options))}
					}
					if err := Check(p, a); err != nil {
						t.Fatalf("Check: %v", err)
					}
					// keepLink: the user id is in the stored rows, and
					// still must reach no frame.
					s := Submission(p, user, a, true, t0.Add(time.Duration(i)*time.Second))
					subs = append(subs, s)
					tally.Add(s.Voter, s.Choices, s.Text)
					out = append(out, Ack(p.ID, a.AttemptID), TallyFrame(p, tally, 50))
				}
			}
			p.ClosedAt = t0.Add(time.Hour)
			p.BallotKey = nil
			r := Aggregate(p, subs, rnd, p.ClosedAt)
			out = append(out, Closed(p.ID), ResultsFrame(r))
			if r.Total != 50 {
				t.Errorf("Total = %d, want 50", r.Total)
			}

			all := bytes.Join(out, []byte("\n"))
			for _, s := range secrets {
				if bytes.Contains(all, []byte(s)) {
					t.Errorf("a payload holds %q", s)
				}
			}
			for _, k := range []string{string(key), hex.EncodeToString(key), base64.StdEncoding.EncodeToString(key),
				base64.RawURLEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key)} {
				if bytes.Contains(all, []byte(k)) {
					t.Error("a payload holds the ballot key")
				}
			}
			for _, b := range out {
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil || m["type"] == "" {
					t.Errorf("payload %s: not a typed JSON object (%v)", b, err)
				}
			}
		})
	}
}
