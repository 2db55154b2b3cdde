package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/homeroom-edu/homeroom/activities"
	"io"
	"path/filepath"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/export"
)

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
	var all []export.Session
	acts, _ := st.(activities.Store)
	for _, id := range ids {
		e, err := export.Collect(ctx, st, st, acts, id)
		if err != nil {
			return err
		}
		if out == "" {
			all = append(all, e)
			continue
		}
		if err := e.WriteFiles(filepath.Join(out, id), format == "csv"); err != nil {
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
