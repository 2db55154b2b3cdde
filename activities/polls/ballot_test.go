package polls

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

func TestNewBallotKey(t *testing.T) {
	a, b := NewBallotKey(), NewBallotKey()
	if len(a) != 32 || len(b) != 32 {
		t.Fatalf("key sizes %d, %d, want 32", len(a), len(b))
	}
	if slices.Equal(a, b) {
		t.Fatal("two ballot keys are equal")
	}
}

func TestVoter(t *testing.T) {
	open := mustPoll(t, OpenRequest{Kind: "yes_no", Question: "q"})
	secret := mustPoll(t, OpenRequest{Kind: "yes_no", Question: "q", Anonymous: true})
	other := mustPoll(t, OpenRequest{Kind: "yes_no", Question: "q", Anonymous: true})

	if got := Voter(open, "u-1"); got != "u-1" {
		t.Errorf("Voter(not anonymous) = %q, want the user id", got)
	}

	v := Voter(secret, "u-1")
	if !regexp.MustCompile(`^v-[A-Za-z0-9_-]{43}$`).MatchString(v) {
		t.Errorf("Voter(anonymous) = %q, want v- and 43 base64url characters", v)
	}
	mac := hmac.New(sha256.New, secret.BallotKey)
	mac.Write([]byte("u-1"))
	if want := "v-" + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); v != want {
		t.Errorf("Voter(anonymous) = %q, want HMAC-SHA256 %q", v, want)
	}
	if Voter(secret, "u-1") != v {
		t.Error("Voter is not stable for one poll and user")
	}
	if Voter(secret, "u-2") == v {
		t.Error("two users have the same voter key")
	}
	if Voter(other, "u-1") == v {
		t.Error("one user has the same voter key in two polls")
	}

	erased := secret
	erased.BallotKey = nil
	if got := Voter(erased, "u-1"); got != "" {
		t.Errorf("Voter(anonymous, no key) = %q, want \"\"", got)
	}
}

func TestSubmission(t *testing.T) {
	quiz := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}, Correct: []int{0, 2}, Changeable: true})
	secret := mustPoll(t, OpenRequest{Kind: "single", Question: "q", Options: []string{"a", "b"}, Anonymous: true})
	text := mustPoll(t, OpenRequest{Kind: "text", Question: "q", Anonymous: true, Changeable: true})
	at := t0.Add(30 * time.Second)

	tests := []struct {
		name     string
		poll     activities.Poll
		a        AnswerRequest
		keepLink bool
		user     string // want
		choices  []int
		text     string
		score    float64 // -1 for nil
	}{
		{"quiz right, choices sorted", quiz, AnswerRequest{AttemptID: "a-1", Choices: []int{2, 0}}, false, "u-1", []int{0, 2}, "", 1},
		{"quiz wrong", quiz, AnswerRequest{AttemptID: "a-1", Choices: []int{1}}, false, "u-1", []int{1}, "", 0},
		{"quiz keepLink changes nothing", quiz, AnswerRequest{AttemptID: "a-1", Choices: []int{0}}, true, "u-1", []int{0}, "", 0},
		{"anonymous drops the user", secret, AnswerRequest{AttemptID: "a-1", Choices: []int{1}}, false, "", []int{1}, "", -1},
		{"anonymous keeps the link when allowed", secret, AnswerRequest{AttemptID: "a-1", Choices: []int{1}}, true, "u-1", []int{1}, "", -1},
		{"text trimmed", text, AnswerRequest{AttemptID: "a-1", Text: "  because \n"}, false, "", nil, "because", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.poll, tt.a); err != nil {
				t.Fatalf("Check: %v", err)
			}
			s := Submission(tt.poll, "u-1", tt.a, tt.keepLink, at)
			if s.Poll != tt.poll.ID || s.Session != tt.poll.Session || s.AttemptID != "a-1" || !s.SubmittedAt.Equal(at) {
				t.Errorf("Submission() = %+v: ids or time wrong", s)
			}
			if s.Voter != Voter(tt.poll, "u-1") {
				t.Errorf("Voter = %q, want %q", s.Voter, Voter(tt.poll, "u-1"))
			}
			if s.User != tt.user {
				t.Errorf("User = %q, want %q", s.User, tt.user)
			}
			if s.Replace != tt.poll.Changeable {
				t.Errorf("Replace = %v, want %v", s.Replace, tt.poll.Changeable)
			}
			if !slices.Equal(s.Choices, tt.choices) || s.Text != tt.text {
				t.Errorf("answer = %v %q, want %v %q", s.Choices, s.Text, tt.choices, tt.text)
			}
			switch {
			case tt.score < 0 && s.Score != nil:
				t.Errorf("Score = %v, want nil", *s.Score)
			case tt.score >= 0 && (s.Score == nil || *s.Score != tt.score):
				t.Errorf("Score = %v, want %v", s.Score, tt.score)
			}
		})
	}
}

func TestSubmissionDoesNotAliasRequest(t *testing.T) {
	p := mustPoll(t, OpenRequest{Kind: "multiple", Question: "q", Options: []string{"a", "b", "c"}})
	a := AnswerRequest{AttemptID: "a-1", Choices: []int{2, 1}}
	s := Submission(p, "u-1", a, false, t0)
	if !slices.Equal(a.Choices, []int{2, 1}) {
		t.Errorf("Submission sorted the request's choices in place: %v", a.Choices)
	}
	a.Choices[0] = 0
	if !slices.Equal(s.Choices, []int{1, 2}) {
		t.Errorf("the submission shares the request's choices: %v", s.Choices)
	}
}
