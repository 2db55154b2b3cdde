package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const pollCols = `id, session_id, created_by, kind, question, options, correct, anonymous, changeable, published, opened_at, closed_at, ballot_key`

// SavePoll implements activities.Store. A closed poll is stored without
// its ballot key.
func (s *Store) SavePoll(ctx context.Context, p activities.Poll) error {
	p = records.Poll(p)
	options, err := jsonText(orEmpty(p.Options))
	if err != nil {
		return fmt.Errorf("failed to save poll %q: %w", p.ID, err)
	}
	correct, err := jsonText(orEmpty(p.Correct))
	if err != nil {
		return fmt.Errorf("failed to save poll %q: %w", p.ID, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO polls (`+pollCols+`)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
		ON CONFLICT (id) DO UPDATE SET session_id = ?2, created_by = ?3, kind = ?4, question = ?5, options = ?6,
			correct = ?7, anonymous = ?8, changeable = ?9, published = ?10, opened_at = ?11, closed_at = ?12, ballot_key = ?13`,
		p.ID, p.Session, p.CreatedBy, p.Kind, p.Question, options, correct, p.Anonymous, p.Changeable, p.Published,
		usec(p.OpenedAt), optUsec(p.ClosedAt), p.BallotKey)
	if err != nil {
		return fmt.Errorf("failed to save poll %q: %w", p.ID, err)
	}
	return nil
}

// orEmpty is s, or an empty list for nil, so that JSON columns hold [].
func orEmpty[S ~[]E, E any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}

// Polls implements activities.Store: oldest first, then by id.
func (s *Store) Polls(ctx context.Context, session string) ([]activities.Poll, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pollCols+` FROM polls WHERE session_id = ? ORDER BY opened_at, id`, session)
	return list(rows, err, scanPoll, "polls")
}

func scanPoll(r row) (activities.Poll, error) {
	var p activities.Poll
	err := r.Scan(&p.ID, &p.Session, &p.CreatedBy, &p.Kind, &p.Question, jsonCol{&p.Options}, jsonCol{&p.Correct},
		&p.Anonymous, &p.Changeable, &p.Published, timeCol{&p.OpenedAt}, optTimeCol{&p.ClosedAt}, &p.BallotKey)
	return records.Poll(p), err
}

// SaveResults implements activities.Store.
func (s *Store) SaveResults(ctx context.Context, r activities.Results) error {
	r = records.Results(r)
	counts, err1 := jsonText(orEmpty(r.Counts))
	texts, err2 := jsonText(orEmpty(r.Texts))
	correct, err3 := jsonText(orEmpty(r.Correct))
	if err := errors.Join(err1, err2, err3); err != nil {
		return fmt.Errorf("failed to save results of poll %q: %w", r.Poll, err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO poll_results (poll_id, counts, total, texts, correct, correct_count, computed_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
		ON CONFLICT (poll_id) DO UPDATE SET counts = ?2, total = ?3, texts = ?4, correct = ?5, correct_count = ?6, computed_at = ?7`,
		r.Poll, counts, r.Total, texts, correct, r.CorrectCount, usec(r.ComputedAt))
	if err != nil {
		return fmt.Errorf("failed to save results of poll %q: %w", r.Poll, err)
	}
	return nil
}

// PollResults implements activities.Store.
func (s *Store) PollResults(ctx context.Context, poll string) (activities.Results, bool, error) {
	r := activities.Results{Poll: poll}
	err := s.db.QueryRowContext(ctx, `SELECT counts, total, texts, correct, correct_count, computed_at
		FROM poll_results WHERE poll_id = ?`, poll).
		Scan(jsonCol{&r.Counts}, &r.Total, jsonCol{&r.Texts}, jsonCol{&r.Correct}, &r.CorrectCount, timeCol{&r.ComputedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return activities.Results{}, false, nil
	}
	if err != nil {
		return activities.Results{}, false, fmt.Errorf("failed to read results of poll %q: %w", poll, err)
	}
	return records.Results(r), true, nil
}
