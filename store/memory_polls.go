package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

// SavePoll implements activities.Store.
func (m *Memory) SavePoll(_ context.Context, p activities.Poll) error {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.polls == nil {
		a.polls = make(map[string]activities.Poll)
	}
	a.polls[p.ID] = records.Poll(p)
	return nil
}

// Polls implements activities.Store: oldest first, then by id.
func (m *Memory) Polls(_ context.Context, session string) ([]activities.Poll, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []activities.Poll{}
	for _, p := range a.polls {
		if p.Session == session {
			out = append(out, records.Poll(p))
		}
	}
	slices.SortFunc(out, func(a, b activities.Poll) int {
		return cmp.Or(a.OpenedAt.Compare(b.OpenedAt), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// SubmitAnswers implements activities.Store: the batch is planned and
// applied under one lock, so it is atomic like the databases' transaction.
func (m *Memory) SubmitAnswers(_ context.Context, subs []activities.Submission) ([]activities.SubmitResult, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	stored := make(map[records.Key]activities.Submission)
	for _, k := range records.Keys(subs) {
		if s, ok := a.answers[k.Poll][k.Voter]; ok {
			stored[k] = s
		}
	}
	results, rows, err := records.Plan(subs, stored)
	if err != nil {
		return nil, fmt.Errorf("failed to submit answers: %w", err)
	}
	if a.answers == nil {
		a.answers = make(map[string]map[string]activities.Submission)
	}
	for _, s := range rows {
		if a.answers[s.Poll] == nil {
			a.answers[s.Poll] = make(map[string]activities.Submission)
		}
		a.answers[s.Poll][s.Voter] = s
	}
	for i := range results {
		results[i].Existing = records.Submission(results[i].Existing) // the caller's own copy
	}
	return results, nil
}

// Submissions implements activities.Store: in the order submitted, then
// by voter.
func (m *Memory) Submissions(_ context.Context, poll string) ([]activities.Submission, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]activities.Submission, 0, len(a.answers[poll]))
	for _, s := range a.answers[poll] {
		out = append(out, records.Submission(s))
	}
	slices.SortFunc(out, func(a, b activities.Submission) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.Voter, b.Voter))
	})
	return out, nil
}

// SaveResults implements activities.Store.
func (m *Memory) SaveResults(_ context.Context, r activities.Results) error {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.results == nil {
		a.results = make(map[string]activities.Results)
	}
	a.results[r.Poll] = records.Results(r)
	return nil
}

// PollResults implements activities.Store.
func (m *Memory) PollResults(_ context.Context, poll string) (activities.Results, bool, error) {
	a := &m.act
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.results[poll]
	if !ok {
		return activities.Results{}, false, nil
	}
	return records.Results(r), true, nil
}
