package export

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/activities/attendance"
)

// Poll is one poll of the session with its results, as analysts see it:
// the correct options of a quiz are included, ballots are not (they are
// in the poll_submissions table, linked to users only where the
// institution's policy allows).
//
// Its fields are listed here rather than taken from activities.Poll, so
// that a field added to the record later (or its ballot key) never leaks
// into an export or the admin API: no answer and no voter is ever in it,
// only counts.
type Poll struct {
	ID         string    `json:"id"`
	CreatedBy  string    `json:"created_by"`
	Kind       string    `json:"kind"`
	Question   string    `json:"question"`
	Options    []string  `json:"options"`
	Correct    []int     `json:"correct,omitempty"`
	Anonymous  bool      `json:"anonymous"`
	Changeable bool      `json:"changeable"`
	OpenedAt   time.Time `json:"opened_at"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	Published  bool      `json:"published"`
	// Answers is how many answers the store holds, one per participant.
	Answers int `json:"answers"`
	// Results are nil until the poll closed and was aggregated.
	Results *activities.Results `json:"results"`
}

// Polls reads the polls of a session, oldest first, each with its stored
// answer count and results. The export and the admin API both show polls
// this way.
func Polls(ctx context.Context, st activities.Store, session string) ([]Poll, error) {
	polls, err := st.Polls(ctx, session)
	if err != nil {
		return nil, err
	}
	out := make([]Poll, 0, len(polls))
	for _, p := range polls {
		subs, err := st.Submissions(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		v := Poll{ID: p.ID, CreatedBy: p.CreatedBy, Kind: p.Kind, Question: p.Question, Options: p.Options,
			Correct: p.Correct, Anonymous: p.Anonymous, Changeable: p.Changeable, OpenedAt: p.OpenedAt.UTC(),
			ClosedAt: p.ClosedAt.UTC(), Published: p.Published, Answers: len(subs)}
		if v.Options == nil {
			v.Options = []string{}
		}
		if r, ok, err := st.PollResults(ctx, p.ID); err != nil {
			return nil, err
		} else if ok {
			if r.Counts == nil {
				r.Counts = []int{}
			}
			r.ComputedAt = r.ComputedAt.UTC()
			v.Results = &r
		}
		out = append(out, v)
	}
	return out, nil
}

// maxChat bounds the transcript read for one export.
const maxChat = 1_000_000

func (e *Session) collectActivities(ctx context.Context, st activities.Store) error {
	id := e.Session.ID
	recs, err := st.Attendance(ctx, id)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		// Not ended yet (or ended before attendance was kept): compute it
		// from the connections and events stored so far.
		if recs, err = liveAttendance(ctx, st, *e); err != nil {
			return err
		}
	}
	e.Attendance = append(e.Attendance, recs...)
	polls, err := Polls(ctx, st, id)
	if err != nil {
		return err
	}
	e.Polls = append(e.Polls, polls...)
	chat, err := st.ChatHistory(ctx, id, 0, maxChat)
	if err != nil {
		return err
	}
	e.Chat = append(e.Chat, chat...)
	return nil
}

func liveAttendance(ctx context.Context, st activities.Store, e Session) ([]activities.AttendanceRecord, error) {
	ivs, err := st.Intervals(ctx, e.Session.ID)
	if err != nil {
		return nil, err
	}
	evs, err := st.Events(ctx, e.Session.ID)
	if err != nil {
		return nil, err
	}
	if len(ivs) == 0 {
		return nil, nil
	}
	roster := make([]attendance.Participant, 0, len(e.Participants))
	for _, p := range e.Participants {
		roster = append(roster, attendance.Participant{User: p.UserID, Name: p.Name, Role: p.Role})
	}
	sched := attendance.Schedule{Session: e.Session.ID, Start: e.Session.StartsAt, End: e.Session.EndsAt}
	return attendance.Compute(attendance.Config{}, sched, roster, ivs, evs, time.Now(), false), nil
}

type table struct {
	name   string
	header []string
	rows   [][]string
}

// activityTables are the CSV files of the activities.
func (e Session) activityTables() []table {
	att := table{name: "attendance.csv", header: []string{"user_id", "name", "role", "status", "first_join", "last_leave",
		"connected_minutes", "active_minutes", "chat", "poll_answers", "hands", "strokes", "evidence", "final"}}
	for _, r := range e.Attendance {
		att.rows = append(att.rows, []string{r.User, r.Name, r.Role, r.Status, stamp(r.FirstJoin), stamp(r.LastLeave),
			minutes(r.ConnectedSeconds), minutes(r.ActiveSeconds),
			strconv.Itoa(r.Engagement[activities.EventChat]), strconv.Itoa(r.Engagement[activities.EventPollAnswer]),
			strconv.Itoa(r.Engagement[activities.EventHand]), strconv.Itoa(r.Engagement[activities.EventStroke]),
			r.Evidence, strconv.FormatBool(r.Final)})
	}
	polls := table{name: "poll_results.csv", header: []string{"poll_id", "question", "kind", "option_index", "option", "correct", "count", "total"}}
	for _, p := range e.Polls {
		total := ""
		var counts []int
		if p.Results != nil {
			total, counts = strconv.Itoa(p.Results.Total), p.Results.Counts
		}
		for i, opt := range p.Options {
			count := ""
			if i < len(counts) {
				count = strconv.Itoa(counts[i])
			}
			polls.rows = append(polls.rows, []string{p.ID, p.Question, p.Kind, strconv.Itoa(i), opt,
				strconv.FormatBool(slices.Contains(p.Correct, i)), count, total})
		}
		if len(p.Options) == 0 { // a text poll: one row with the total
			polls.rows = append(polls.rows, []string{p.ID, p.Question, p.Kind, "", "", "", "", total})
		}
	}
	chat := table{name: "chat.csv", header: []string{"seq", "sent_at", "user_id", "name", "role", "to", "text", "deleted_at", "deleted_by"}}
	for _, m := range e.Chat {
		chat.rows = append(chat.rows, []string{strconv.FormatInt(m.Seq, 10), stamp(m.SentAt), m.User, m.Name, m.Role, m.To,
			m.Text, stamp(m.DeletedAt), m.DeletedBy})
	}
	return []table{att, polls, chat}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func minutes(seconds int64) string {
	return strings.TrimSuffix(strconv.FormatFloat(float64(seconds)/60, 'f', 1, 64), ".0")
}
