package main

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

	"github.com/homeroom-edu/homeroom/crdt"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// export is what `homeroom export` writes for one session.
type export struct {
	Session      catalog.Session  `json:"session"`
	Participants []participant    `json:"participants"`
	Board        exportBoard      `json:"board"`
	Hands        map[string]int64 `json:"hands"`
	Heads        []string         `json:"heads"`
}

type participant struct {
	UserID   string `json:"user_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	JoinedAt int64  `json:"joined_at"`
	Status   string `json:"status"`
	LeftAt   int64  `json:"left_at,omitempty"`
}

type exportBoard struct {
	Strokes []crdt.Stroke `json:"strokes"`
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sessionID, courseID, format, out, databaseURL, dataDir string
	fs := newFlagSet("export", "Export sessions for analysts and records: the session, its participants (the\n"+
		"roster), the board (strokes as JSON and the board as an SVG picture) and the raised\n"+
		"hands. JSON goes to stdout unless --out names a directory, which gets one\n"+
		"directory per session. Chat, polls and attendance join when they are recorded.", stderr)
	fs.stringVar(&sessionID, "session", "", "", "the session to export")
	fs.stringVar(&courseID, "course", "", "", "export every session of this course instead")
	fs.stringVar(&format, "format", "", "json", "json, or csv (participants.csv, strokes.csv, hands.csv; needs --out)")
	fs.stringVar(&out, "out", "", "", "directory to write into (default: JSON on stdout)")
	fs.stringVar(&databaseURL, "database-url", "DATABASE_URL", "", "Postgres URL; empty: the embedded SQLite store in --data-dir")
	fs.stringVar(&dataDir, "data-dir", "HOMEROOM_DATA_DIR", "./data", "directory of the embedded SQLite store")
	if err := fs.parse(args); err != nil {
		return err
	}
	switch {
	case (sessionID == "") == (courseID == ""):
		return usageError(fs, "give exactly one of --session and --course")
	case format != "json" && format != "csv":
		return usageError(fs, "--format must be json or csv")
	case format == "csv" && out == "":
		return usageError(fs, "--format csv writes several files: give --out")
	}
	log, err := newLogger(stderr, "warn", "text")
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, databaseURL, dataDir, false, log)
	if err != nil {
		return err
	}
	defer closeStore()

	ids := []string{sessionID}
	if courseID != "" {
		ids = nil
		for page := (catalog.Page{Limit: 1000}); ; {
			list, err := st.ListSessions(ctx, courseID, page)
			if err != nil {
				return fmt.Errorf("list sessions of course %q: %w", courseID, err)
			}
			for _, s := range list {
				ids = append(ids, s.ID)
			}
			if len(list) < page.Limit {
				break
			}
			page.After = list[len(list)-1].ID
		}
	}
	var all []export
	for _, id := range ids {
		e, doc, err := collect(ctx, st, id)
		if err != nil {
			return err
		}
		if out == "" {
			all = append(all, e)
			continue
		}
		if err := writeExport(filepath.Join(out, id), format, e, doc); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported session %s to %s\n", id, filepath.Join(out, id))
	}
	if out != "" {
		return nil
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if courseID == "" {
		return enc.Encode(all[0])
	}
	return enc.Encode(all)
}

func usageError(fs *flagSet, msg string) error {
	fmt.Fprintln(fs.Output(), msg)
	return errUsage
}

// collect reads one session from the catalog and its document from the
// store.
func collect(ctx context.Context, st durable, id string) (export, *crdt.Doc, error) {
	ses, err := st.GetSession(ctx, id)
	if err != nil {
		return export{}, nil, fmt.Errorf("session %q: %w", id, err)
	}
	saved, err := st.LoadDoc(ctx, id)
	if err != nil {
		return export{}, nil, err
	}
	var doc *crdt.Doc
	if saved == nil {
		doc, err = crdt.New(id) // never held live: an empty board
	} else {
		doc, err = crdt.Load(saved)
	}
	if err != nil {
		return export{}, nil, fmt.Errorf("document of session %q: %w", id, err)
	}
	state, err := doc.State()
	if err != nil {
		return export{}, nil, err
	}
	e := export{Session: ses, Hands: state.Hands, Heads: crdt.HashStrings(doc.Heads()), Participants: []participant{}}
	if saved == nil {
		e.Heads = []string{}
	}
	for user, p := range state.Presence {
		e.Participants = append(e.Participants, participant{UserID: user, Name: p.Name, Role: p.Role,
			JoinedAt: p.JoinedAt, Status: p.Status, LeftAt: p.LeftAt})
	}
	slices.SortFunc(e.Participants, func(a, b participant) int { return strings.Compare(a.UserID, b.UserID) })
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
	return e, doc, nil
}

// writeExport writes one session's files into dir.
func writeExport(dir, format string, e export, doc *crdt.Doc) error {
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
	board := make(map[string]crdt.Stroke, len(e.Board.Strokes))
	for _, s := range e.Board.Strokes {
		board[s.ID] = s
	}
	if err := write("board.svg", func(w io.Writer) error { return crdt.WriteSVG(w, board) }); err != nil {
		return err
	}
	if err := write("session.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}); err != nil {
		return err
	}
	if format != "csv" {
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
	return rows("hands.csv", []string{"user_id", "raised_at_ms"}, hs)
}

func itoa(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}
