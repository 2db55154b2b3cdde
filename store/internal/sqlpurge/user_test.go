package sqlpurge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// fakeDB records the steps a purge takes, each transaction's statements
// followed by "commit" or "rollback".
type fakeDB struct{ steps []string }

func (f *fakeDB) log(format string, args ...any) {
	f.steps = append(f.steps, fmt.Sprintf(format, args...))
}

func (f *fakeDB) Traced(context.Context, string) ([]string, error) {
	f.log("traced")
	return []string{"ses-1"}, nil
}

func (f *fakeDB) Candidates(context.Context, string) ([]string, error) {
	f.log("candidates")
	return []string{"ses-2", "ses-1"}, nil
}

func (f *fakeDB) Open(_ context.Context, ids []string) ([]string, error) {
	f.log("open %v", ids)
	return []string{"ses-2"}, nil
}

func (f *fakeDB) Tx(_ context.Context, fn func(tx Tx) error) error {
	err := fn(fakeTx{f})
	if err != nil {
		f.log("rollback")
	} else {
		f.log("commit")
	}
	return err
}

func (f *fakeDB) Publish(events []catalog.Event) {
	for _, ev := range events {
		f.log("publish %s %s %s", ev.Kind, ev.CourseID, ev.UserID)
	}
}

type fakeTx struct{ f *fakeDB }

func (t fakeTx) Document(_ context.Context, session string) ([]byte, int64, bool, error) {
	t.f.log("document %s", session)
	return nil, 0, false, nil
}

func (t fakeTx) ReplaceDocument(_ context.Context, session string, _ []byte, _ int64) error {
	t.f.log("replace document %s", session)
	return nil
}

func (t fakeTx) Snapshots(_ context.Context, _ string, skip []string) ([]Snapshot, error) {
	t.f.log("snapshots skip %v", skip)
	return nil, nil
}

func (t fakeTx) ReplaceSnapshot(_ context.Context, id int64, _ []byte) error {
	t.f.log("replace snapshot %d", id)
	return nil
}

func (t fakeTx) Activities(_ context.Context, _, _ string, skip []string, rep *privacy.PurgeReport) error {
	t.f.log("activities skip %v", skip)
	rep.ChatMessages, rep.Events = 2, 1
	return nil
}

func (t fakeTx) Catalog(_ context.Context, _, _ string, skip []string) ([]string, int, error) {
	t.f.log("catalog skip %v", skip)
	return []string{"crs"}, 3, nil
}

func (t fakeTx) Count(context.Context, string, []string) (int, error) { return 0, nil }

func (t fakeTx) Delete(context.Context, string, []string) (int, error) { return 0, nil }

// TestPurgeOrder checks the order of a purge's steps and transactions:
// the sessions found first, then a document per session (those of open
// sessions only read, and rolled back), the snapshots, the activities
// and the catalog, and the catalog's events once it has committed; a
// dry run rolls every transaction back and publishes nothing.
func TestPurgeOrder(t *testing.T) {
	ctx := context.Background()
	for _, dry := range []bool{false, true} {
		f := &fakeDB{}
		var rep privacy.PurgeReport
		var err error
		if dry {
			rep, err = PlanPurge(ctx, f, "u-1")
		} else {
			rep, err = PurgeUser(ctx, f, "u-1", "deleted-x")
		}
		if err != nil {
			t.Fatal(err)
		}
		end := map[bool]string{false: "commit", true: "rollback"}[dry]
		want := []string{"traced", "candidates", "open [ses-1 ses-2]",
			"document ses-1", end, "document ses-2", "rollback",
			"snapshots skip [ses-2]", end, "activities skip [ses-2]", end, "catalog skip [ses-2]", end}
		if !dry {
			want = append(want, fmt.Sprintf("publish %s crs u-1", catalog.EnrollmentRemoved))
		}
		if !slices.Equal(f.steps, want) {
			t.Errorf("dry run %v: steps\n%s\nwant\n%s", dry, strings.Join(f.steps, "\n"), strings.Join(want, "\n"))
		}
		if rep.DryRun != dry || rep.Enrollments != 1 || rep.Audit != 3 || rep.ChatMessages != 2 || rep.Events != 1 ||
			!slices.Equal(rep.Sessions, []string{"ses-1"}) || len(rep.OpenSessions) != 0 {
			t.Errorf("dry run %v: report %+v", dry, rep)
		}
	}
}

// TestTracesQuery checks that the parameter stands for every mention of
// the user, in the seven tables that name them.
func TestTracesQuery(t *testing.T) {
	q := TracesQuery("$1")
	if strings.Contains(q, "@") || strings.Count(q, "$1") != 10 || strings.Count(q, "SELECT") != 7 {
		t.Errorf("TracesQuery(\"$1\") = %s", q)
	}
}
