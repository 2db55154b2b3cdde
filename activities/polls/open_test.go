package polls

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func TestOpenRequestPoll(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // 2 bytes, 1 character
	many := func(n int) []string {
		o := make([]string, n)
		for i := range o {
			o[i] = "option " + string(rune('A'+i))
		}
		return o
	}
	tests := []struct {
		name  string
		req   OpenRequest
		field string // the *OpenError's field; "" for success
		// On success:
		options []string
		correct []int
	}{
		{name: "single", req: OpenRequest{Kind: "single", Question: "Capital?", Options: []string{"Paris", "Lyon"}},
			options: []string{"Paris", "Lyon"}},
		{name: "multiple quiz sorted", req: OpenRequest{Kind: "multiple", Question: "Primes?", Options: []string{"2", "3", "4", "5"}, Correct: []int{3, 0, 1}},
			options: []string{"2", "3", "4", "5"}, correct: []int{0, 1, 3}},
		{name: "multiple quiz all correct", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b"}, Correct: []int{1, 0}},
			options: []string{"a", "b"}, correct: []int{0, 1}},
		{name: "single quiz", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{1}},
			options: []string{"a", "b"}, correct: []int{1}},
		{name: "options trimmed", req: OpenRequest{Kind: "single", Question: "  q \n", Options: []string{" a ", "\tb"}},
			options: []string{"a", "b"}},
		{name: "yes_no fixed options", req: OpenRequest{Kind: "yes_no", Question: "q"},
			options: []string{"Yes", "No"}},
		{name: "yes_no ignores options sent", req: OpenRequest{Kind: "yes_no", Question: "q", Options: []string{"Oui", "Non", "Peut-être"}, Correct: []int{0}},
			options: []string{"Yes", "No"}, correct: []int{0}},
		{name: "true_false fixed options", req: OpenRequest{Kind: "true_false", Question: "q", Options: []string{""}, Correct: []int{1}},
			options: []string{"True", "False"}, correct: []int{1}},
		{name: "text", req: OpenRequest{Kind: "text", Question: "Why?"}},
		{name: "text empty options list", req: OpenRequest{Kind: "text", Question: "Why?", Options: []string{}}},
		{name: "empty correct is a poll", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{}},
			options: []string{"a", "b"}},
		{name: "20 options", req: OpenRequest{Kind: "multiple", Question: "q", Options: many(20)}, options: many(20)},
		{name: "question of 500 characters", req: OpenRequest{Kind: "yes_no", Question: long(500)}, options: []string{"Yes", "No"}},
		{name: "option of 200 characters", req: OpenRequest{Kind: "single", Question: "q", Options: []string{long(200), "b"}},
			options: []string{long(200), "b"}},
		{name: "multi-line question", req: OpenRequest{Kind: "yes_no", Question: "line 1\nline 2\tend"}, options: []string{"Yes", "No"}},

		{name: "no kind", req: OpenRequest{Question: "q", Options: []string{"a", "b"}}, field: "kind"},
		{name: "unknown kind", req: OpenRequest{Kind: "ranking", Question: "q", Options: []string{"a", "b"}}, field: "kind"},
		{name: "kind is case-sensitive", req: OpenRequest{Kind: "Single", Question: "q", Options: []string{"a", "b"}}, field: "kind"},
		{name: "empty question", req: OpenRequest{Kind: "yes_no"}, field: "question"},
		{name: "blank question", req: OpenRequest{Kind: "yes_no", Question: " \n\t "}, field: "question"},
		{name: "question of 501 characters", req: OpenRequest{Kind: "yes_no", Question: long(501)}, field: "question"},
		{name: "question with NUL", req: OpenRequest{Kind: "yes_no", Question: "a\x00b"}, field: "question"},
		{name: "question not UTF-8", req: OpenRequest{Kind: "yes_no", Question: "a\xffb"}, field: "question"},
		{name: "single without options", req: OpenRequest{Kind: "single", Question: "q"}, field: "options"},
		{name: "single with one option", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a"}}, field: "options"},
		{name: "multiple with one option", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a"}}, field: "options"},
		{name: "21 options", req: OpenRequest{Kind: "single", Question: "q", Options: many(21)}, field: "options"},
		{name: "empty option", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", ""}}, field: "options"},
		{name: "blank option", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"  ", "b"}}, field: "options"},
		{name: "option of 201 characters", req: OpenRequest{Kind: "single", Question: "q", Options: []string{long(201), "b"}}, field: "options"},
		{name: "option with a line break", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a\nb", "c"}}, field: "options"},
		{name: "duplicate options", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b", "a"}}, field: "options"},
		{name: "duplicate after trimming", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", " a"}}, field: "options"},
		{name: "text with options", req: OpenRequest{Kind: "text", Question: "q", Options: []string{"a", "b"}}, field: "options"},
		{name: "text with correct", req: OpenRequest{Kind: "text", Question: "q", Correct: []int{0}}, field: "correct"},
		{name: "correct out of range", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{2}}, field: "correct"},
		{name: "negative correct", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b"}, Correct: []int{-1}}, field: "correct"},
		{name: "duplicate correct", req: OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{1, 1}}, field: "correct"},
		{name: "two correct for single", req: OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{0, 1}}, field: "correct"},
		{name: "two correct for yes_no", req: OpenRequest{Kind: "yes_no", Question: "q", Correct: []int{0, 1}}, field: "correct"},
		{name: "two correct for true_false", req: OpenRequest{Kind: "true_false", Question: "q", Correct: []int{0, 1}}, field: "correct"},
		{name: "yes_no correct out of range", req: OpenRequest{Kind: "yes_no", Question: "q", Correct: []int{2}}, field: "correct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.req.Poll("p-1", "ses_1", "u-teacher", t0)
			if tt.field != "" {
				var oe *OpenError
				if !errors.As(err, &oe) {
					t.Fatalf("Poll() error = %v, want an *OpenError on %q", err, tt.field)
				}
				if oe.Field != tt.field || oe.Msg == "" {
					t.Fatalf("Poll() error = %+v, want one on %q with a message", oe, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("Poll() error = %v", err)
			}
			if p.ID != "p-1" || p.Session != "ses_1" || p.CreatedBy != "u-teacher" || !p.OpenedAt.Equal(t0) || p.Kind != tt.req.Kind {
				t.Errorf("Poll() = %+v: ids, kind or time not kept", p)
			}
			if p.Question != strings.TrimSpace(tt.req.Question) {
				t.Errorf("Question = %q, want the trimmed %q", p.Question, tt.req.Question)
			}
			if !slices.Equal(p.Options, tt.options) {
				t.Errorf("Options = %q, want %q", p.Options, tt.options)
			}
			if !slices.Equal(p.Correct, tt.correct) || (tt.correct == nil) != (p.Correct == nil) {
				t.Errorf("Correct = %#v, want %#v", p.Correct, tt.correct)
			}
			if p.Closed() || p.Published {
				t.Errorf("a new poll is closed or published: %+v", p)
			}
		})
	}
}

func TestOpenRequestPollDoesNotAliasRequest(t *testing.T) {
	req := OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{2, 0}}
	p, err := req.Poll("p-1", "s", "u", t0)
	if err != nil {
		t.Fatal(err)
	}
	req.Options[0], req.Correct[0] = "changed", 1
	if p.Options[0] != "a" || !slices.Equal(p.Correct, []int{0, 2}) {
		t.Errorf("the poll shares memory with the request: %q %v", p.Options, p.Correct)
	}
	if !slices.Equal(req.Correct, []int{1, 0}) {
		t.Errorf("Poll sorted the request's Correct in place: %v", req.Correct)
	}
}

func TestOpenRequestPollBallotKey(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		p, err := OpenRequest{Kind: "yes_no", Question: "q", Anonymous: anonymous, Changeable: true}.Poll("p-1", "s", "u", t0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Anonymous != anonymous || !p.Changeable {
			t.Errorf("flags not kept: %+v", p)
		}
		if got := len(p.BallotKey); (got == BallotKeySize) != anonymous || (got == 0) == anonymous {
			t.Errorf("anonymous=%v: BallotKey of %d bytes", anonymous, got)
		}
	}
}

func TestOpenErrorMessages(t *testing.T) {
	// The messages go to the teacher: spot-check that they say what is
	// wrong, with the numbers a teacher can act on.
	tests := []struct {
		req  OpenRequest
		want string
	}{
		{OpenRequest{Kind: "poll", Question: "q"}, `unknown poll kind "poll"`},
		{OpenRequest{Kind: "single", Question: "q", Options: []string{"a"}}, "needs 2 to 20 options, got 1"},
		{OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b", "a"}}, `options 1 and 3 are the same ("a")`},
		{OpenRequest{Kind: "single", Question: "q", Options: []string{"a", ""}}, "option 2 is empty"},
		{OpenRequest{Kind: "yes_no", Question: strings.Repeat("x", 501)}, "501 characters long; the limit is 500"},
		{OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Correct: []int{2}}, "options are numbered 0 to 1"},
	}
	for _, tt := range tests {
		_, err := tt.req.Poll("p", "s", "u", t0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Poll(%+v) error = %v, want it to contain %q", tt.req, err, tt.want)
		}
	}
}

func TestNewPollID(t *testing.T) {
	re := regexp.MustCompile(`^p-[0-9a-f]{16}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewPollID()
		if !re.MatchString(id) {
			t.Fatalf("NewPollID() = %q, want p- and 16 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("NewPollID() repeated %q", id)
		}
		seen[id] = true
	}
}

// mustPoll opens a poll from req or fails the test.
func mustPoll(t testing.TB, req OpenRequest) activities.Poll {
	t.Helper()
	p, err := req.Poll(NewPollID(), "ses_1", "u-teacher", t0)
	if err != nil {
		t.Fatalf("open %+v: %v", req, err)
	}
	return p
}
