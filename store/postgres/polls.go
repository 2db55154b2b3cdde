package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const pollCols = `id, session_id, created_by, kind, question, options, correct, anonymous, changeable, published, opened_at, closed_at, ballot_key`

// SavePoll implements activities.Store. A closed poll is stored without
// its ballot key.
func (s *Store) SavePoll(ctx context.Context, p activities.Poll) error {
	p = records.Poll(p)
	_, err := s.pool.Exec(ctx, `INSERT INTO polls (`+pollCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET session_id = $2, created_by = $3, kind = $4, question = $5, options = $6,
			correct = $7, anonymous = $8, changeable = $9, published = $10, opened_at = $11, closed_at = $12, ballot_key = $13`,
		p.ID, p.Session, p.CreatedBy, p.Kind, p.Question, jsonList(p.Options), jsonList(p.Correct),
		p.Anonymous, p.Changeable, p.Published, p.OpenedAt, optTime(p.ClosedAt), p.BallotKey)
	if err != nil {
		return fmt.Errorf("failed to save poll %q: %w", p.ID, err)
	}
	return nil
}

// jsonList is s as JSON for a jsonb column: [] for nil.
func jsonList[S ~[]E, E any](s S) []byte {
	if len(s) == 0 {
		return []byte("[]")
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("postgres: marshal %T: %v", s, err)) // unreachable: lists of ints and strings
	}
	return b
}

// Polls implements activities.Store: oldest first, then by id.
func (s *Store) Polls(ctx context.Context, session string) ([]activities.Poll, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+pollCols+` FROM polls WHERE session_id = $1 ORDER BY opened_at, id`, session)
	return list(rows, err, scanPoll, "polls")
}

func scanPoll(r pgx.Row) (activities.Poll, error) {
	var p activities.Poll
	var closed *time.Time
	err := r.Scan(&p.ID, &p.Session, &p.CreatedBy, &p.Kind, &p.Question, &p.Options, &p.Correct,
		&p.Anonymous, &p.Changeable, &p.Published, &p.OpenedAt, &closed, &p.BallotKey)
	p.ClosedAt = fromOpt(closed)
	return records.Poll(p), err
}

// SaveResults implements activities.Store.
func (s *Store) SaveResults(ctx context.Context, r activities.Results) error {
	r = records.Results(r)
	_, err := s.pool.Exec(ctx, `INSERT INTO poll_results (poll_id, counts, total, texts, correct, correct_count, computed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (poll_id) DO UPDATE SET counts = $2, total = $3, texts = $4, correct = $5, correct_count = $6, computed_at = $7`,
		r.Poll, jsonList(r.Counts), r.Total, jsonList(r.Texts), jsonList(r.Correct), r.CorrectCount, r.ComputedAt)
	if err != nil {
		return fmt.Errorf("failed to save results of poll %q: %w", r.Poll, err)
	}
	return nil
}

// PollResults implements activities.Store.
func (s *Store) PollResults(ctx context.Context, poll string) (activities.Results, bool, error) {
	r := activities.Results{Poll: poll}
	err := s.pool.QueryRow(ctx, `SELECT counts, total, texts, correct, correct_count, computed_at
		FROM poll_results WHERE poll_id = $1`, poll).
		Scan(&r.Counts, &r.Total, &r.Texts, &r.Correct, &r.CorrectCount, &r.ComputedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return activities.Results{}, false, nil
	}
	if err != nil {
		return activities.Results{}, false, fmt.Errorf("failed to read results of poll %q: %w", poll, err)
	}
	return records.Results(r), true, nil
}
