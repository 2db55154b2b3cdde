package crdt

import (
	"maps"
	"slices"
	"testing"

	"github.com/automerge/automerge-go"
)

// compareIndexes fails unless a and b know the same objects and values.
func compareIndexes(t *testing.T, a, b *ObjectIndex) {
	t.Helper()
	if !maps.Equal(a.objs, b.objs) {
		t.Fatalf("objects differ: %d and %d", len(a.objs), len(b.objs))
	}
	if !maps.EqualFunc(a.live, b.live, func(x, y []OpID) bool {
		return len(x) == len(y) && !slices.ContainsFunc(x, func(id OpID) bool { return !slices.Contains(y, id) })
	}) {
		t.Fatalf("live values differ:\n%v\n%v", a.live, b.live)
	}
}

func TestBuildIndex(t *testing.T) {
	server := newServer(t)
	if err := server.SetPresence("t", Presence{Name: "T", Role: RoleTeacher, JoinedAt: 1, Status: StatusOnline}); err != nil {
		t.Fatal(err)
	}
	if err := server.AddStroke(stroke("s1", "t", 1, 2)); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "")
	client := replica(t, server)
	clientChange(t, client, "c1")
	if _, err := server.ApplyChanges(mustCommit(t, client, "").Chunks); err != nil {
		t.Fatal(err)
	}
	syncDocs(t, server, client)

	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	// root, 4 sections, meta has none, presence t, 2 strokes with a points list each
	if ix.Len() != 1+4+1+2*2 {
		t.Fatalf("%d objects", ix.Len())
	}
	byPlace := map[[3]string]ObjInfo{}
	for _, info := range ix.objs {
		byPlace[[3]string{info.Section, info.Entry, info.Field}] = info
	}
	srv, cl := server.Actor(), client.Actor()
	for _, want := range []ObjInfo{
		{Kind: ObjMap, Key: keyBoard, Section: keyBoard, Creator: srv},
		{Kind: ObjMap, Key: keyMeta, Section: keyMeta, Creator: srv},
		{Kind: ObjMap, Key: "t", Section: keyPresence, Entry: "t", Creator: srv},
		{Kind: ObjMap, Key: "s1", Section: keyBoard, Entry: "s1", Creator: srv},
		{Kind: ObjList, Key: keyPoints, Section: keyBoard, Entry: "s1", Field: keyPoints, Creator: srv},
		{Kind: ObjMap, Key: "c1", Section: keyBoard, Entry: "c1", Creator: cl},
		{Kind: ObjList, Key: keyPoints, Section: keyBoard, Entry: "c1", Field: keyPoints, Creator: cl},
	} {
		got, ok := byPlace[[3]string{want.Section, want.Entry, want.Field}]
		if !ok {
			t.Fatalf("nothing at %s/%s/%s", want.Section, want.Entry, want.Field)
		}
		parent, ok := ix.Lookup(got.Parent)
		if !ok || got.Kind != want.Kind || got.Key != want.Key || got.Creator != want.Creator {
			t.Errorf("%s/%s/%s: %+v", want.Section, want.Entry, want.Field, got)
		}
		if got.depth != parent.depth+1 {
			t.Errorf("%s/%s/%s: depth %d, parent's %d", want.Section, want.Entry, want.Field, got.depth, parent.depth)
		}
	}
	if root, ok := ix.Lookup(RootObj); !ok || root.depth != 0 || root.Kind != ObjMap {
		t.Fatalf("root: %+v", root)
	}

	// Adding changes the index has is harmless.
	all, err := server.AllChanges()
	if err != nil {
		t.Fatal(err)
	}
	again, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.AddChanges(all); err != nil {
		t.Fatal(err)
	}
	compareIndexes(t, ix, again)
	if err := again.AddChanges(server.Save()); !errorsIs(err, ErrChunkType) {
		t.Fatalf("AddChanges(document): %v", err)
	}
}

// TestBuildIndexReplacedSection: when the server replaces a section map,
// objects in either map belong to the section, and the index's view of
// which entries exist follows the new map.
func TestBuildIndexReplacedSection(t *testing.T) {
	server := newServer(t)
	if err := server.RaiseHand("u1", 1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, server, "")
	if err := server.Automerge().RootMap().Set(keyHands, automerge.NewMap()); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Automerge().Commit("reset hands"); err != nil {
		t.Fatal(err)
	}
	ix, err := BuildIndex(server)
	if err != nil {
		t.Fatal(err)
	}
	client := replica(t, server)
	if err := client.RaiseHand("u1", 2); err != nil {
		t.Fatal(err)
	}
	_, targets := inspectRaw(t, ix, mustCommit(t, client, "").Chunks)
	checkTargets(t, "raise in the new hands map", targets, "hands/u1/ set creates = 2")
}

// TestIndexUnknownParent: operations on objects the index never saw are
// indexed with no place, and what they make has no section.
func TestIndexUnknownParent(t *testing.T) {
	ix := NewObjectIndex()
	ix.Add([]Op{
		{ID: OpID{5, "aa"}, Obj: ObjID{1, "bb"}, Key: "x", Action: ActionMakeMap},
		{ID: OpID{6, "aa"}, Obj: ObjID{5, "aa"}, Key: "y", Action: ActionMakeList},
	})
	for _, id := range []ObjID{{5, "aa"}, {6, "aa"}} {
		info, ok := ix.Lookup(id)
		if !ok || info.Section != "" || info.depth != -1 {
			t.Fatalf("%s: %+v", id, info)
		}
	}
	targets, err := Inspect(ix, []Op{{ID: OpID{7, "aa"}, Obj: ObjID{6, "aa"}, ElemKey: true, Insert: true, Action: ActionSet}})
	if err != nil || targets[0].Section != "" || targets[0].Root {
		t.Fatalf("Inspect: %+v, %v", targets, err)
	}
}
