package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
	"github.com/homeroom-edu/homeroom/store/sqlite"
)

// runCmd runs homeroom with args and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestPurgeDryRunThenPurge(t *testing.T) {
	dir := t.TempDir()
	seedExport(t, dir)
	_, before, _ := runCmd(t, "export", "--data-dir", dir, "--session", "alg-1")
	if !strings.Contains(before, `"ada"`) || !strings.Contains(before, `"Ada"`) {
		t.Fatalf("the seeded export does not show ada:\n%s", before)
	}

	code, out, errOut := runCmd(t, "purge", "--data-dir", dir, "--user", "ada")
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{`Dry run: purging user "ada" would touch:`, "chat messages", "session documents", "alg-1",
		"Nothing was changed. Run again with --yes to purge."} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if _, after, _ := runCmd(t, "export", "--data-dir", dir, "--session", "alg-1"); after != before {
		t.Fatal("the dry run changed the store")
	}

	code, out, errOut = runCmd(t, "purge", "--data-dir", dir, "--user", "ada", "--yes", "--json")
	if code != 0 {
		t.Fatalf("purge: exit %d: %s", code, errOut)
	}
	var rep privacy.PurgeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.DryRun || !strings.HasPrefix(rep.Pseudonym, privacy.PseudonymPrefix) || rep.ChatMessages != 1 ||
		rep.Submissions != 1 || rep.Attendance != 1 || rep.Documents != 1 || len(rep.Sessions) != 1 {
		t.Errorf("report = %+v", rep)
	}
	_, after, _ := runCmd(t, "export", "--data-dir", dir, "--session", "alg-1")
	if strings.Contains(after, `"ada"`) || strings.Contains(after, `"Ada"`) || !strings.Contains(after, rep.Pseudonym) ||
		!strings.Contains(after, privacy.DeletedName) {
		t.Errorf("export after the purge:\n%s", after)
	}

	// The audit entry names the pseudonym, never the user.
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "homeroom.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.List(ctx, catalog.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "user.purge" || entries[0].ActorID != "cli" ||
		entries[0].TargetID != rep.Pseudonym || !strings.Contains(entries[0].Detail, "documents=1") {
		t.Errorf("audit = %+v", entries)
	}
	for _, e := range entries {
		if e.ActorID == "ada" || e.TargetID == "ada" || strings.Contains(e.Detail, "ada") {
			t.Errorf("audit entry names the user: %+v", e)
		}
	}

	// Again: nothing left to purge.
	code, out, _ = runCmd(t, "purge", "--data-dir", dir, "--user", "ada", "--yes")
	if code != 0 || !strings.Contains(out, "sessions: none") {
		t.Errorf("second purge: exit %d\n%s", code, out)
	}
}

func TestPurgeHelpAndUsage(t *testing.T) {
	code, _, help := runCmd(t, "purge", "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	for _, flag := range []string{"-user", "-yes", "-json", "-database-url", "-data-dir", "DATABASE_URL", "HOMEROOM_DATA_DIR", "dry run"} {
		if !strings.Contains(help, flag) {
			t.Errorf("--help lacks %q:\n%s", flag, help)
		}
	}
	if code, _, _ := runCmd(t, "purge", "--data-dir", t.TempDir()); code != 2 {
		t.Errorf("without --user: exit %d, want 2", code)
	}
}
