// Package export turns a stored session into what analysts and records
// keep: the session from the catalog, its participants (the document's
// roster), its board (strokes oldest first, and an SVG picture), its
// raised hands, and with an activity store its attendance, polls with
// their results and its chat transcript, as JSON or CSV files. homeroom
// export and the admin API use it; it only reads.
package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/homeroom-edu/homeroom/activities"
	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Session is one exported session.
type Session struct {
	Session      catalog.Session  `json:"session"`
	Participants []Participant    `json:"participants"`
	Board        Board            `json:"board"`
	Hands        map[string]int64 `json:"hands"`
	Heads        []string         `json:"heads"`
	// Attendance, Polls and Chat are filled when Collect is given an
	// activity store.
	Attendance []activities.AttendanceRecord `json:"attendance"`
	Polls      []Poll                        `json:"polls"`
	Chat       []activities.ChatMessage      `json:"chat"`
}

// Participant is one entry of the session's roster.
type Participant struct {
	UserID   string `json:"user_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	JoinedAt int64  `json:"joined_at"`
	Status   string `json:"status"`
	LeftAt   int64  `json:"left_at,omitempty"`
}

// Board holds the strokes, oldest first.
type Board struct {
	Strokes []crdt.Stroke `json:"strokes"`
}

// Collect reads one session from the catalog, its document from docs and,
// when acts is not nil, its activities. A session never held live exports
// an empty board.
func Collect(ctx context.Context, cat catalog.Catalog, docs rooms.DocStore, acts activities.Store, id string) (Session, error) {
	ses, err := cat.GetSession(ctx, id)
	if err != nil {
		return Session{}, fmt.Errorf("session %q: %w", id, err)
	}
	saved, err := docs.LoadDoc(ctx, id)
	if err != nil {
		return Session{}, err
	}
	var doc *crdt.Doc
	if saved == nil {
		doc, err = crdt.New(id)
	} else {
		doc, err = crdt.Load(saved)
	}
	if err != nil {
		return Session{}, fmt.Errorf("document of session %q: %w", id, err)
	}
	state, err := doc.State()
	if err != nil {
		return Session{}, err
	}
	e := Session{Session: ses, Hands: state.Hands, Heads: crdt.HashStrings(doc.Heads()), Participants: []Participant{}}
	if saved == nil {
		e.Heads = []string{}
	}
	for user, p := range state.Presence {
		e.Participants = append(e.Participants, Participant{UserID: user, Name: p.Name, Role: p.Role,
			JoinedAt: p.JoinedAt, Status: p.Status, LeftAt: p.LeftAt})
	}
	slices.SortFunc(e.Participants, func(a, b Participant) int { return strings.Compare(a.UserID, b.UserID) })
	e.Board.Strokes = make([]crdt.Stroke, 0, len(state.Board))
	for _, s := range state.Board {
		e.Board.Strokes = append(e.Board.Strokes, s)
	}
	slices.SortFunc(e.Board.Strokes, func(a, b crdt.Stroke) int {
		if a.Created != b.Created {
			return int(a.Created - b.Created)
		}
		return strings.Compare(a.ID, b.ID)
	})
	e.Attendance, e.Polls, e.Chat = []activities.AttendanceRecord{}, []Poll{}, []activities.ChatMessage{}
	if acts != nil {
		if err := e.collectActivities(ctx, acts); err != nil {
			return Session{}, fmt.Errorf("activities of session %q: %w", id, err)
		}
	}
	return e, nil
}

// WriteSVG draws the session's board.
func (e Session) WriteSVG(w io.Writer) error {
	board := make(map[string]crdt.Stroke, len(e.Board.Strokes))
	for _, s := range e.Board.Strokes {
		board[s.ID] = s
	}
	return crdt.WriteSVG(w, board)
}

// WriteFiles writes the session into dir: session.json and board.svg, and
// with csv also participants.csv, strokes.csv and hands.csv.
func (e Session) WriteFiles(dir string, csvFiles bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	write := func(name string, fill func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := fill(f); err != nil {
			f.Close()
			return fmt.Errorf("export %s: %w", name, err)
		}
		return f.Close()
	}
	if err := write("board.svg", e.WriteSVG); err != nil {
		return err
	}
	if err := write("session.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}); err != nil {
		return err
	}
	if !csvFiles {
		return nil
	}
	rows := func(name string, header []string, records [][]string) error {
		return write(name, func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(header)
			cw.WriteAll(records)
			return errors.Join(cw.Error())
		})
	}
	var ps [][]string
	for _, p := range e.Participants {
		ps = append(ps, []string{p.UserID, p.Name, p.Role, itoa(p.JoinedAt), p.Status, itoa(p.LeftAt)})
	}
	if err := rows("participants.csv", []string{"user_id", "name", "role", "joined_at_ms", "status", "left_at_ms"}, ps); err != nil {
		return err
	}
	var ss [][]string
	for _, s := range e.Board.Strokes {
		ss = append(ss, []string{s.ID, s.Author, s.Tool, s.Color, strconv.FormatFloat(s.Width, 'g', -1, 64),
			strconv.Itoa(len(s.Points) / 2), itoa(s.Created), s.Text})
	}
	if err := rows("strokes.csv", []string{"id", "author", "tool", "color", "width", "points", "created_ms", "text"}, ss); err != nil {
		return err
	}
	var hs [][]string
	for _, user := range slices.Sorted(maps.Keys(e.Hands)) {
		hs = append(hs, []string{user, itoa(e.Hands[user])})
	}
	if err := rows("hands.csv", []string{"user_id", "raised_at_ms"}, hs); err != nil {
		return err
	}
	for _, t := range e.activityTables() {
		if err := rows(t.name, t.header, t.rows); err != nil {
			return err
		}
	}
	return nil
}

func itoa(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}
