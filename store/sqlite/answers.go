package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const submissionCols = `poll_id, session_id, voter, coalesce(user_id, ''), attempt_id, choices, text, score, submitted_at`

// SubmitAnswers implements activities.Store as a group commit: one
// IMMEDIATE transaction reads the batch's voters' stored answers, plans the
// outcomes (store/internal/records.Plan) and writes the rows. Holding the
// write lock from BEGIN serialises concurrent batches; the UNIQUE (poll_id,
// voter) of poll_submissions would refuse a second answer regardless.
func (s *Store) SubmitAnswers(ctx context.Context, subs []activities.Submission) ([]activities.SubmitResult, error) {
	if len(subs) == 0 {
		return []activities.SubmitResult{}, nil
	}
	var results []activities.SubmitResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		stored, err := storedAnswers(ctx, tx, records.Keys(subs))
		if err != nil {
			return err
		}
		res, rows, err := records.Plan(subs, stored)
		if err != nil {
			return err
		}
		if err := writeAnswers(ctx, tx, rows, stored); err != nil {
			return err
		}
		results = res
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("failed to submit answers: %w", err)
	}
	return results, nil
}

// storedAnswers reads the stored answers of keys.
func storedAnswers(ctx context.Context, tx *sql.Tx, keys []records.Key) (map[records.Key]activities.Submission, error) {
	stmt, err := tx.PrepareContext(ctx, `SELECT `+submissionCols+` FROM poll_submissions WHERE poll_id = ? AND voter = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	stored := make(map[records.Key]activities.Submission)
	for _, k := range keys {
		sub, err := scanSubmission(stmt.QueryRowContext(ctx, k.Poll, k.Voter))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		stored[k] = sub
	}
	return stored, nil
}

// writeAnswers inserts the rows whose key has no stored answer and
// replaces the others.
func writeAnswers(ctx context.Context, tx *sql.Tx, rows []activities.Submission, stored map[records.Key]activities.Submission) error {
	if len(rows) == 0 {
		return nil
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO poll_submissions
		(poll_id, session_id, voter, user_id, attempt_id, choices, text, score, submitted_at)
		VALUES (?1, ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, ?8, ?9)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	update, err := tx.PrepareContext(ctx, `UPDATE poll_submissions SET session_id = ?2, user_id = nullif(?4, ''),
		attempt_id = ?5, choices = ?6, text = ?7, score = ?8, submitted_at = ?9
		WHERE poll_id = ?1 AND voter = ?3`)
	if err != nil {
		return err
	}
	defer update.Close()
	for _, r := range rows {
		choices, err := jsonText(orEmpty(r.Choices))
		if err != nil {
			return err
		}
		stmt := insert
		if _, ok := stored[records.KeyOf(r)]; ok {
			stmt = update
		}
		if _, err := stmt.ExecContext(ctx, r.Poll, r.Session, r.Voter, r.User, r.AttemptID, choices, r.Text, r.Score, usec(r.SubmittedAt)); err != nil {
			return err
		}
	}
	return nil
}

// Submissions implements activities.Store: in the order submitted, then
// by voter.
func (s *Store) Submissions(ctx context.Context, poll string) ([]activities.Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+submissionCols+` FROM poll_submissions
		WHERE poll_id = ? ORDER BY submitted_at, voter`, poll)
	return list(rows, err, scanSubmission, "poll answers")
}

func scanSubmission(r row) (activities.Submission, error) {
	var s activities.Submission
	err := r.Scan(&s.Poll, &s.Session, &s.Voter, &s.User, &s.AttemptID, jsonCol{&s.Choices}, &s.Text, &s.Score,
		timeCol{&s.SubmittedAt})
	return records.Submission(s), err
}
