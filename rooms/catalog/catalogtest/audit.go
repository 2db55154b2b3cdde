package catalogtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

func testAuditRecordList(t *testing.T, l catalog.AuditLog) {
	ctx := context.Background()
	if got := must(l.List(ctx, catalog.AuditQuery{}))(t); len(got) != 0 {
		t.Fatalf("empty log lists %v", got)
	}
	at := time.Date(2031, 9, 1, 9, 0, 0, 0, time.UTC)
	want := []catalog.AuditEntry{
		{At: at, ActorID: "admin", ActorRole: "admin", Action: "session.create", SessionID: "ses-1", TargetID: "ses-1"},
		{At: at.Add(time.Second), ActorID: "u-t", ActorRole: "teacher", Action: "board.lock", SessionID: "ses-1", Detail: "locked"},
	}
	for _, e := range want {
		if err := l.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	sameJSON(t, must(l.List(ctx, catalog.AuditQuery{}))(t), []catalog.AuditEntry{want[1], want[0]})

	before := time.Now().Add(-time.Second)
	if err := l.Record(ctx, catalog.AuditEntry{ActorID: "admin", ActorRole: "admin", Action: "course.create"}); err != nil {
		t.Fatal(err)
	}
	got := must(l.List(ctx, catalog.AuditQuery{Limit: 1}))(t)
	if len(got) != 1 || got[0].Action != "course.create" || got[0].At.Before(before) {
		t.Fatalf("newest = %+v, want course.create stamped now", got)
	}
}

func testAuditFilterAndLimit(t *testing.T, l catalog.AuditLog) {
	ctx := context.Background()
	at := time.Date(2031, 9, 1, 9, 0, 0, 0, time.UTC)
	for i := range 30 {
		sid := "ses-a"
		if i%3 == 0 {
			sid = "ses-b"
		}
		e := catalog.AuditEntry{At: at.Add(time.Duration(i) * time.Second), ActorID: "admin", ActorRole: "admin",
			Action: "session.update", SessionID: sid, Detail: fmt.Sprint(i)}
		if err := l.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	b := must(l.List(ctx, catalog.AuditQuery{SessionID: "ses-b"}))(t)
	if len(b) != 10 || b[0].Detail != "27" || b[9].Detail != "0" {
		t.Fatalf("ses-b entries = %+v", b)
	}
	a := must(l.List(ctx, catalog.AuditQuery{SessionID: "ses-a", Limit: 5}))(t)
	if len(a) != 5 || a[0].Detail != "29" || a[4].Detail != "23" {
		t.Fatalf("ses-a newest 5 = %+v", a)
	}
	if n := len(must(l.List(ctx, catalog.AuditQuery{SessionID: "ses-none"}))(t)); n != 0 {
		t.Fatalf("unknown session lists %d entries", n)
	}
	if n := len(must(l.List(ctx, catalog.AuditQuery{}))(t)); n != 30 {
		t.Fatalf("all = %d entries, want 30", n)
	}
}

func testAuditInvalid(t *testing.T, l catalog.AuditLog) {
	wantErr(t, l.Record(context.Background(), catalog.AuditEntry{ActorID: "admin"}), catalog.ErrInvalid)
}

func testAuditConcurrent(t *testing.T, l catalog.AuditLog) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if err := l.Record(ctx, catalog.AuditEntry{ActorID: fmt.Sprint(w), ActorRole: "admin", Action: "x", Detail: fmt.Sprint(i)}); err != nil {
					t.Error(err)
					return
				}
				if _, err := l.List(ctx, catalog.AuditQuery{Limit: 10}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := len(must(l.List(ctx, catalog.AuditQuery{Limit: 1000}))(t)); n != 400 {
		t.Fatalf("recorded %d entries, want 400", n)
	}
}
