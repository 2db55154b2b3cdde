package polls

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/homeroom-edu/homeroom/activities"
)

func FuzzOpenRequest(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"single","question":"Capital?","options":["Paris","Lyon"],"correct":[0]}`,
		`{"kind":"multiple","question":"Primes","options":["2","3","4"," 5 "],"correct":[3,1,0],"anonymous":true}`,
		`{"kind":"yes_no","question":"ok?","correct":[1],"changeable":true}`,
		`{"kind":"true_false","question":"x","options":["a"]}`,
		`{"kind":"text","question":"why?","options":[]}`,
		`{"kind":"single","question":"q","options":["a","a"]}`,
		`{"kind":"single","question":"\u0000","options":["a\ud800","b"]}`,
		`{"kind":"multiple","question":"q","options":["a","b"],"correct":[1,1,-1,99]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req OpenRequest
		if json.Unmarshal(data, &req) != nil {
			return
		}
		p, err := req.Poll("p-1", "s", "u", t0)
		if err != nil {
			if _, ok := err.(*OpenError); !ok || err.Error() == "" {
				t.Fatalf("error %v is not an *OpenError with a message", err)
			}
			return
		}
		checkPoll(t, p)
	})
}

// checkPoll fails t unless p satisfies every invariant of an opened poll.
func checkPoll(t *testing.T, p activities.Poll) {
	t.Helper()
	checkText(t, "question", p.Question, MaxQuestion, true)
	switch p.Kind {
	case activities.KindSingle, activities.KindMultiple:
		if len(p.Options) < MinOptions || len(p.Options) > MaxOptions {
			t.Fatalf("%d options", len(p.Options))
		}
		for i, o := range p.Options {
			checkText(t, "option", o, MaxOption, false)
			if slices.Contains(p.Options[:i], o) {
				t.Fatalf("duplicate option %q", o)
			}
		}
	case activities.KindYesNo:
		if !slices.Equal(p.Options, []string{"Yes", "No"}) {
			t.Fatalf("yes_no options %q", p.Options)
		}
	case activities.KindTrueFalse:
		if !slices.Equal(p.Options, []string{"True", "False"}) {
			t.Fatalf("true_false options %q", p.Options)
		}
	case activities.KindText:
		if len(p.Options) != 0 || len(p.Correct) != 0 {
			t.Fatalf("text poll with options %q, correct %v", p.Options, p.Correct)
		}
	default:
		t.Fatalf("kind %q", p.Kind)
	}
	if len(p.Correct) > 1 && p.Kind != activities.KindMultiple {
		t.Fatalf("%s poll with %d correct answers", p.Kind, len(p.Correct))
	}
	if p.Correct != nil && len(p.Correct) == 0 {
		t.Fatal("empty non-nil Correct")
	}
	for i, c := range p.Correct {
		if c < 0 || c >= len(p.Options) || (i > 0 && c <= p.Correct[i-1]) {
			t.Fatalf("correct %v for %d options", p.Correct, len(p.Options))
		}
	}
	if p.Anonymous != (len(p.BallotKey) == BallotKeySize) {
		t.Fatalf("anonymous %v with a key of %d bytes", p.Anonymous, len(p.BallotKey))
	}
}

// checkText fails t unless s is trimmed valid UTF-8 of 1 to max
// characters without control characters but, if multiline, line breaks
// and tabs.
func checkText(t *testing.T, what, s string, max int, multiline bool) {
	t.Helper()
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || s != strings.TrimSpace(s) || n < 1 || n > max {
		t.Fatalf("%s %q: %d characters, trimmed %v", what, s, n, s == strings.TrimSpace(s))
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && strings.ContainsRune("\n\r\t", r)) {
			t.Fatalf("%s %q holds control character %U", what, s, r)
		}
	}
}

func FuzzAnswer(f *testing.F) {
	f.Add(uint8(0), uint8(3), uint8(1), false, false, []byte(`{"poll":"p-1","attempt_id":"a-1","choices":[1]}`))
	f.Add(uint8(1), uint8(5), uint8(0b101), true, false, []byte(`{"attempt_id":"a-1","choices":[4,0,2]}`))
	f.Add(uint8(1), uint8(5), uint8(0), false, false, []byte(`{"attempt_id":"a-1","choices":[1,1]}`))
	f.Add(uint8(2), uint8(0), uint8(1), true, false, []byte(`{"attempt_id":"a","choices":[-1]}`))
	f.Add(uint8(3), uint8(0), uint8(2), false, true, []byte(`{"attempt_id":"a","choices":[0]}`))
	f.Add(uint8(4), uint8(0), uint8(0), true, false, []byte(`{"attempt_id":"a-\u00e9","text":" hi \u0000"}`))
	f.Add(uint8(4), uint8(0), uint8(0), false, false, []byte(`{"attempt_id":"a","text":"why not","choices":[]}`))
	kinds := []string{"single", "multiple", "yes_no", "true_false", "text"}
	f.Fuzz(func(t *testing.T, kind, options, correct uint8, anonymous, closed bool, data []byte) {
		req := OpenRequest{Kind: kinds[int(kind)%len(kinds)], Question: "q", Anonymous: anonymous, Changeable: kind >= 128}
		if req.Kind == "single" || req.Kind == "multiple" {
			for i := range MinOptions + int(options)%(MaxOptions-MinOptions+1) {
				req.Options = append(req.Options, string(rune('a'+i)))
			}
		}
		for i := range 8 {
			if correct&(1<<i) != 0 {
				req.Correct = append(req.Correct, i)
			}
		}
		p, err := req.Poll("p-1", "s", "u-teacher", t0)
		if err != nil {
			req.Correct = nil
			if p, err = req.Poll("p-1", "s", "u-teacher", t0); err != nil {
				t.Fatalf("open %+v: %v", req, err)
			}
		}
		if closed {
			p.ClosedAt = t0
		}
		var a AnswerRequest
		if json.Unmarshal(data, &a) != nil {
			return
		}
		err = Check(p, a)
		if err != nil {
			ae, ok := err.(*AnswerError)
			if !ok || (ae.Code != CodeBadAnswer && ae.Code != CodePollClosed) || ae.Msg == "" {
				t.Fatalf("error %#v is not an *AnswerError with a known code and a message", err)
			}
			return
		}
		checkAnswer(t, p, a)

		s := Submission(p, "u-1", a, false, t0)
		if s.Voter == "" || (p.Anonymous && (s.User != "" || s.Voter == "u-1")) {
			t.Fatalf("submission %+v of anonymous=%v", s, p.Anonymous)
		}
		if !slices.IsSorted(s.Choices) || len(s.Choices) != len(a.Choices) {
			t.Fatalf("choices %v stored as %v", a.Choices, s.Choices)
		}
		if (s.Score != nil) != p.Quiz() || (s.Score != nil && *s.Score != 0 && *s.Score != 1) {
			t.Fatalf("score %v of quiz=%v", s.Score, p.Quiz())
		}
		tally := NewTally(p)
		tally.Add(s.Voter, s.Choices, s.Text)
		tally.Add(s.Voter, s.Choices, s.Text)
		sum := 0
		for _, c := range tally.Counts() {
			sum += c
		}
		if tally.Answered() != 1 || sum != len(s.Choices) || len(tally.Texts()) != min(1, len(s.Text)) {
			t.Fatalf("tally of one answer: %v, %d, %q", tally.Counts(), tally.Answered(), tally.Texts())
		}
		r := Aggregate(p, []activities.Submission{s}, nil, t0)
		if r.Total != 1 {
			t.Fatalf("results of one answer: %+v", r)
		}
	})
}

// checkAnswer fails t unless a, accepted by Check, is a valid answer to p.
func checkAnswer(t *testing.T, p activities.Poll, a AnswerRequest) {
	t.Helper()
	if p.Closed() {
		t.Fatal("answer to a closed poll accepted")
	}
	if n := len(a.AttemptID); n < 1 || n > MaxAttemptID || strings.ContainsFunc(a.AttemptID, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
		t.Fatalf("attempt id %q accepted", a.AttemptID)
	}
	if p.Kind == activities.KindText {
		if len(a.Choices) != 0 {
			t.Fatalf("choices %v for a text poll", a.Choices)
		}
		checkText(t, "text answer", strings.TrimSpace(a.Text), MaxText, true)
		return
	}
	if a.Text != "" {
		t.Fatalf("text %q for a choice poll", a.Text)
	}
	n := len(a.Choices)
	if n < 1 || (n > 1 && p.Kind != activities.KindMultiple) {
		t.Fatalf("%d choices for a %s poll", n, p.Kind)
	}
	for i, c := range a.Choices {
		if c < 0 || c >= len(p.Options) || slices.Contains(a.Choices[:i], c) {
			t.Fatalf("choices %v for %d options", a.Choices, len(p.Options))
		}
	}
}
