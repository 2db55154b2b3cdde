package polls

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestCheck(t *testing.T) {
	single := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b", "c"}})
	multiple := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}})
	yesNo := mustPoll(t, OpenRequest{Kind: "yes_no", Question: "q"})
	trueFalse := mustPoll(t, OpenRequest{Kind: "true_false", Question: "q", Correct: []int{0}})
	text := mustPoll(t, OpenRequest{Kind: "text", Question: "q"})
	anonymous := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Anonymous: true})
	closed := single
	closed.ClosedAt = t0.Add(time.Minute)
	keyErased := anonymous
	keyErased.BallotKey = nil

	ok := func(p activities.Poll, choices []int, text string) AnswerRequest {
		return AnswerRequest{Poll: p.ID, AttemptID: "a-1", Choices: choices, Text: text}
	}
	tests := []struct {
		name string
		poll activities.Poll
		a    AnswerRequest
		code string // "" for accepted
	}{
		{"single", single, ok(single, []int{2}, ""), ""},
		{"single first", single, ok(single, []int{0}, ""), ""},
		{"multiple one", multiple, ok(multiple, []int{1}, ""), ""},
		{"multiple unsorted", multiple, ok(multiple, []int{2, 0}, ""), ""},
		{"multiple all", multiple, ok(multiple, []int{0, 1, 2}, ""), ""},
		{"yes_no", yesNo, ok(yesNo, []int{1}, ""), ""},
		{"true_false", trueFalse, ok(trueFalse, []int{0}, ""), ""},
		{"text", text, ok(text, nil, "because"), ""},
		{"text empty choices", text, ok(text, []int{}, "because"), ""},
		{"text of 500 characters", text, ok(text, nil, strings.Repeat("ü", 500)), ""},
		{"text multi-line", text, ok(text, nil, "one\ntwo"), ""},
		{"anonymous", anonymous, ok(anonymous, []int{1}, ""), ""},
		{"attempt id of 64 bytes", single, AnswerRequest{AttemptID: strings.Repeat("x", 64), Choices: []int{0}}, ""},
		{"attempt id with space and tilde", single, AnswerRequest{AttemptID: "a ~1", Choices: []int{0}}, ""},

		{"missing attempt id", single, AnswerRequest{Choices: []int{0}}, CodeBadAnswer},
		{"attempt id of 65 bytes", single, AnswerRequest{AttemptID: strings.Repeat("x", 65), Choices: []int{0}}, CodeBadAnswer},
		{"attempt id not ASCII", single, AnswerRequest{AttemptID: "a-é", Choices: []int{0}}, CodeBadAnswer},
		{"attempt id with control", single, AnswerRequest{AttemptID: "a-\n", Choices: []int{0}}, CodeBadAnswer},
		{"attempt id with DEL", single, AnswerRequest{AttemptID: "a-\x7f", Choices: []int{0}}, CodeBadAnswer},
		{"single none", single, ok(single, nil, ""), CodeBadAnswer},
		{"single two", single, ok(single, []int{0, 1}, ""), CodeBadAnswer},
		{"single out of range", single, ok(single, []int{3}, ""), CodeBadAnswer},
		{"single negative", single, ok(single, []int{-1}, ""), CodeBadAnswer},
		{"single with text", single, ok(single, []int{0}, "hi"), CodeBadAnswer},
		{"yes_no two", yesNo, ok(yesNo, []int{0, 1}, ""), CodeBadAnswer},
		{"yes_no out of range", yesNo, ok(yesNo, []int{2}, ""), CodeBadAnswer},
		{"true_false none", trueFalse, ok(trueFalse, []int{}, ""), CodeBadAnswer},
		{"true_false two", trueFalse, ok(trueFalse, []int{1, 0}, ""), CodeBadAnswer},
		{"multiple none", multiple, ok(multiple, []int{}, ""), CodeBadAnswer},
		{"multiple duplicate", multiple, ok(multiple, []int{1, 1}, ""), CodeBadAnswer},
		{"multiple too many", multiple, ok(multiple, []int{0, 1, 2, 0}, ""), CodeBadAnswer},
		{"multiple out of range", multiple, ok(multiple, []int{0, 3}, ""), CodeBadAnswer},
		{"text with choices", text, ok(text, []int{0}, "hi"), CodeBadAnswer},
		{"text empty", text, ok(text, nil, ""), CodeBadAnswer},
		{"text blank", text, ok(text, nil, " \n "), CodeBadAnswer},
		{"text of 501 characters", text, ok(text, nil, strings.Repeat("ü", 501)), CodeBadAnswer},
		{"text with NUL", text, ok(text, nil, "a\x00"), CodeBadAnswer},
		{"text not UTF-8", text, ok(text, nil, "\xc3"), CodeBadAnswer},
		{"closed", closed, ok(closed, []int{0}, ""), CodePollClosed},
		{"closed and bad choice", closed, ok(closed, []int{9}, ""), CodePollClosed},
		{"anonymous with its key erased", keyErased, ok(keyErased, []int{0}, ""), CodePollClosed},
		{"closed without attempt id", closed, AnswerRequest{Choices: []int{0}}, CodeBadAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.a.Choices)
			err := Check(tt.poll, tt.a)
			if !slices.Equal(before, tt.a.Choices) {
				t.Errorf("Check modified the choices: %v, were %v", tt.a.Choices, before)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("Check() = %v, want an *AnswerError %s", err, tt.code)
			}
			if ae.Code != tt.code || ae.Msg == "" {
				t.Errorf("Check() = %+v, want code %s and a message", ae, tt.code)
			}
		})
	}
}

func TestScore(t *testing.T) {
	single := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{1}})
	multiple := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c", "d"}, Correct: []int{0, 2}})
	poll := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b"}})
	text := mustPoll(t, OpenRequest{Kind: "text", Question: "q"})
	tests := []struct {
		name    string
		poll    activities.Poll
		choices []int
		want    float64 // -1 for nil
	}{
		{"single right", single, []int{1}, 1},
		{"single wrong", single, []int{0}, 0},
		{"multiple right", multiple, []int{0, 2}, 1},
		{"multiple right unsorted", multiple, []int{2, 0}, 1},
		{"multiple subset", multiple, []int{0}, 0},
		{"multiple superset", multiple, []int{0, 1, 2}, 0},
		{"multiple other", multiple, []int{1, 3}, 0},
		{"multiple none", multiple, nil, 0},
		{"not a quiz", poll, []int{0}, -1},
		{"text", text, nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.poll, tt.choices)
			switch {
			case tt.want < 0 && got != nil:
				t.Errorf("Score() = %v, want nil", *got)
			case tt.want >= 0 && (got == nil || *got != tt.want):
				t.Errorf("Score() = %v, want %v", got, tt.want)
			}
		})
	}
}
