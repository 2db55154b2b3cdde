package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// Audit entries of a purge from the command line.
const (
	purgeActor  = "cli"
	purgeAction = "user.purge"
)

func runPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var user, databaseURL, dataDir string
	var yes, asJSON bool
	fs := newFlagSet("purge", "Delete or anonymise a user's personal data everywhere the store keeps it\n"+
		"(docs/privacy.md): enrollments, answers, attendance and events are deleted; chat\n"+
		"messages become tombstones of \"Deleted user\"; polls they created, audit entries and\n"+
		"the strokes they drew on boards are kept under a random pseudonym; session documents\n"+
		"and analysts' snapshots are rewritten without their presence and raised hand.\n\n"+
		"Without --yes this is a dry run: it prints what would be purged and changes nothing.\n"+
		"With --yes it purges and records an audit entry (action user.purge, actor cli,\n"+
		"target the pseudonym; the user id is recorded nowhere). Running it again is harmless.\n\n"+
		"Sessions that have not ended are left as they are (a node may hold one live, with the\n"+
		"user in memory) and listed as open sessions: end them and run the purge again.", stderr)
	fs.stringVar(&user, "user", "", "", "the user id to purge (as in enrollments and join tokens)")
	fs.boolVar(&yes, "yes", "", false, "purge for real; without it, only report what would be purged")
	fs.boolVar(&asJSON, "json", "", false, "print the report as JSON instead of text")
	fs.stringVar(&databaseURL, "database-url", "DATABASE_URL", "", "Postgres URL; empty: the embedded SQLite store in --data-dir")
	fs.stringVar(&dataDir, "data-dir", "HOMEROOM_DATA_DIR", "./data", "directory of the embedded SQLite store (homeroom.db)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if user == "" {
		return usageError(fs, "--user is required")
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
	purger, ok := st.(privacy.UserPurger)
	if !ok {
		return errors.New("this store cannot purge users")
	}
	if !yes {
		rep, err := purger.PlanPurge(ctx, user)
		if err != nil {
			return fmt.Errorf("plan purge: %w", err)
		}
		return printPurge(stdout, stderr, user, rep, asJSON)
	}
	rep, err := purger.PurgeUser(ctx, user, privacy.NewPseudonym())
	if rep.Total() > 0 || err == nil {
		detail := rep.String()
		if err != nil {
			detail = "incomplete: " + detail
		}
		if rerr := st.Record(context.WithoutCancel(ctx), catalog.AuditEntry{ActorID: purgeActor, ActorRole: purgeActor,
			Action: purgeAction, TargetID: rep.Pseudonym, Detail: detail}); rerr != nil {
			err = errors.Join(err, fmt.Errorf("record audit entry: %w", rerr))
		}
	}
	if perr := printPurge(stdout, stderr, user, rep, asJSON); perr != nil {
		return errors.Join(err, perr)
	}
	if err != nil {
		return fmt.Errorf("purge (partly done; run it again to finish): %w", err)
	}
	return nil
}

// printPurge writes the report: JSON, or a table of counts with what
// happened to each kind of record.
func printPurge(stdout, stderr io.Writer, user string, rep privacy.PurgeReport, asJSON bool) error {
	if len(rep.OpenSessions) > 0 {
		fmt.Fprintf(stderr, "warning: %d session(s) have not ended and were left as they are: %s\n"+
			"  end them (the admin API's PATCH /admin/sessions/{id} {\"state\": \"ended\"}) and run the purge again.\n",
			len(rep.OpenSessions), strings.Join(rep.OpenSessions, ", "))
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	if rep.DryRun {
		fmt.Fprintf(stdout, "Dry run: purging user %q would touch:\n", user)
	} else {
		fmt.Fprintf(stdout, "Purged user %q; pseudonym %s:\n", user, rep.Pseudonym)
	}
	for _, row := range []struct {
		what string
		n    int
		how  string
	}{
		{"enrollments", rep.Enrollments, "deleted"},
		{"chat messages", rep.ChatMessages, "author anonymised, text removed"},
		{"polls created", rep.Polls, "creator anonymised"},
		{"poll answers", rep.Submissions, "deleted (results stay)"},
		{"connections", rep.Intervals, "deleted"},
		{"attendance records", rep.Attendance, "deleted"},
		{"session events", rep.Events, "deleted"},
		{"audit entries", rep.Audit, "actor/target anonymised"},
		{"session documents", rep.Documents, "rewritten without the user"},
		{"snapshots", rep.Snapshots, "rewritten without the user"},
	} {
		fmt.Fprintf(stdout, "  %-20s %6d  %s\n", row.what, row.n, row.how)
	}
	fmt.Fprintf(stdout, "  sessions: %s\n", orNone(rep.Sessions))
	if rep.DryRun {
		fmt.Fprintln(stdout, "Nothing was changed. Run again with --yes to purge.")
	} else {
		fmt.Fprintf(stdout, "Recorded in the audit log as %s (target %s).\n", purgeAction, rep.Pseudonym)
	}
	return nil
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}
