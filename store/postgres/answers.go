package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/store/internal/records"
)

const submissionCols = `poll_id, session_id, voter, coalesce(user_id, ''), attempt_id, choices, text, score, submitted_at`

// SubmitAnswers implements activities.Store as a group commit: one
// transaction, three statements in the usual case (the batch's new
// answers inserted from arrays, ON CONFLICT DO NOTHING on poll_submissions'
// primary key, then the commit).
//
// The database's UNIQUE (poll_id, voter) is what keeps one answer per
// voter: an answer that conflicts with one committed by another batch, or
// stored before, is not inserted; its stored row is then locked and read,
// the batch's outcomes are planned again from it (store/internal/records
// .Plan) and the answers allowed to replace it update it. Rows are inserted
// and locked in key order, so concurrent batches do not deadlock.
func (s *Store) SubmitAnswers(ctx context.Context, subs []activities.Submission) ([]activities.SubmitResult, error) {
	if len(subs) == 0 {
		return []activities.SubmitResult{}, nil
	}
	if _, _, err := records.Plan(subs, nil); err != nil { // refuse a bad batch before any round trip
		return nil, fmt.Errorf("failed to submit answers: %w", err)
	}
	var results []activities.SubmitResult
	err := s.retryTx(ctx, func(tx pgx.Tx) error {
		var err error
		results, err = submitIn(ctx, tx, subs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("failed to submit answers: %w", err)
	}
	return results, nil
}

// submitIn plans and writes a batch in tx. Each round inserts the answers
// of voters not known to have one; those that conflict are read (locked)
// into stored for the next round. The second round inserts nothing new, so
// it is the last unless a conflicting row vanished in between.
func submitIn(ctx context.Context, tx pgx.Tx, subs []activities.Submission) ([]activities.SubmitResult, error) {
	stored := make(map[records.Key]activities.Submission)
	inserted := make(map[records.Key]bool)
	for range 3 {
		results, rows, err := records.Plan(subs, stored)
		if err != nil {
			return nil, err
		}
		var fresh, replacing []activities.Submission
		for _, r := range rows {
			k := records.KeyOf(r)
			switch _, known := stored[k]; {
			case known:
				replacing = append(replacing, r)
			case !inserted[k]:
				fresh = append(fresh, r)
			}
		}
		conflicts, err := insertAnswers(ctx, tx, fresh)
		if err != nil {
			return nil, err
		}
		for _, r := range fresh {
			if k := records.KeyOf(r); !conflicts[k] {
				inserted[k] = true
			}
		}
		if len(conflicts) > 0 {
			found, err := lockAnswers(ctx, tx, conflicts)
			if err != nil {
				return nil, err
			}
			maps.Copy(stored, found)
			continue
		}
		if err := updateAnswers(ctx, tx, replacing); err != nil {
			return nil, err
		}
		return results, nil
	}
	return nil, errors.New("stored answers kept changing under the batch")
}

// answerArgs are rows as the arrays of the unnest in insertAnswers and
// updateAnswers, in key order as Plan returns them.
func answerArgs(rows []activities.Submission) []any {
	n := len(rows)
	polls, sessions, voters, users, attempts := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	choices, texts, scores, at := make([]string, n), make([]string, n), make([]*float64, n), make([]time.Time, n)
	for i, r := range rows {
		polls[i], sessions[i], voters[i], users[i], attempts[i] = r.Poll, r.Session, r.Voter, r.User, r.AttemptID
		choices[i], texts[i], scores[i], at[i] = string(jsonList(r.Choices)), r.Text, r.Score, r.SubmittedAt
	}
	return []any{polls, sessions, voters, users, attempts, choices, texts, scores, at}
}

// answerArrays is the unnest of answerArgs.
const answerArrays = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
	$8::float8[], $9::timestamptz[]) AS x(poll, ses, voter, usr, attempt, choices, body, score, submitted)`

// insertAnswers inserts rows and returns the keys of those not inserted
// because the voter already has an answer.
func insertAnswers(ctx context.Context, tx pgx.Tx, rows []activities.Submission) (map[records.Key]bool, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	res, err := tx.Query(ctx, `INSERT INTO poll_submissions
			(poll_id, session_id, voter, user_id, attempt_id, choices, text, score, submitted_at)
		SELECT poll, ses, voter, nullif(usr, ''), attempt, choices::jsonb, body, score, submitted FROM `+answerArrays+`
		ON CONFLICT (poll_id, voter) DO NOTHING
		RETURNING poll_id, voter`, answerArgs(rows)...)
	if err != nil {
		return nil, err
	}
	written, err := pgx.CollectRows(res, func(r pgx.CollectableRow) (k records.Key, err error) {
		err = r.Scan(&k.Poll, &k.Voter)
		return k, err
	})
	if err != nil {
		return nil, err
	}
	if len(written) == len(rows) {
		return nil, nil
	}
	conflicts := make(map[records.Key]bool, len(rows)-len(written))
	for _, r := range rows {
		conflicts[records.KeyOf(r)] = true
	}
	for _, k := range written {
		delete(conflicts, k)
	}
	return conflicts, nil
}

// lockAnswers reads the stored answers of keys, locking their rows until
// the transaction ends.
func lockAnswers(ctx context.Context, tx pgx.Tx, keys map[records.Key]bool) (map[records.Key]activities.Submission, error) {
	var polls, voters []string
	for k := range keys {
		polls, voters = append(polls, k.Poll), append(voters, k.Voter)
	}
	rows, err := tx.Query(ctx, `SELECT `+submissionCols+` FROM poll_submissions
		WHERE (poll_id, voter) IN (SELECT * FROM unnest($1::text[], $2::text[]))
		ORDER BY poll_id, voter FOR UPDATE`, polls, voters)
	if err != nil {
		return nil, err
	}
	subs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (activities.Submission, error) { return scanSubmission(r) })
	if err != nil {
		return nil, err
	}
	found := make(map[records.Key]activities.Submission, len(subs))
	for _, s := range subs {
		found[records.KeyOf(s)] = s
	}
	return found, nil
}

// updateAnswers replaces the stored answers of rows' voters.
func updateAnswers(ctx context.Context, tx pgx.Tx, rows []activities.Submission) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE poll_submissions AS s SET session_id = x.ses, user_id = nullif(x.usr, ''),
			attempt_id = x.attempt, choices = x.choices::jsonb, text = x.body, score = x.score, submitted_at = x.submitted
		FROM `+answerArrays+`
		WHERE s.poll_id = x.poll AND s.voter = x.voter`, answerArgs(rows)...)
	return err
}

// Submissions implements activities.Store: in the order submitted, then
// by voter.
func (s *Store) Submissions(ctx context.Context, poll string) ([]activities.Submission, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+submissionCols+` FROM poll_submissions
		WHERE poll_id = $1 ORDER BY submitted_at, voter`, poll)
	return list(rows, err, scanSubmission, "poll answers")
}

func scanSubmission(r pgx.Row) (activities.Submission, error) {
	var s activities.Submission
	err := r.Scan(&s.Poll, &s.Session, &s.Voter, &s.User, &s.AttemptID, &s.Choices, &s.Text, &s.Score, &s.SubmittedAt)
	return records.Submission(s), err
}
