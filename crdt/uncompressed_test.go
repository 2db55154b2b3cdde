package crdt

import (
	"bytes"
	"fmt"
	"testing"
)

func TestUncompressedFindsWhatSaveHides(t *testing.T) {
	d := newServer(t)
	for i := range 50 {
		if err := d.SetPresence(fmt.Sprintf("user-%02d", i), Presence{Name: fmt.Sprintf("Student Number %02d", i),
			Role: RoleStudent, JoinedAt: int64(i), Status: StatusOnline}); err != nil {
			t.Fatal(err)
		}
	}
	mustCommit(t, d, "roster")
	saved := d.Save()
	if bytes.Contains(saved, []byte("Student Number 42")) {
		t.Skip("automerge stored the names uncompressed; nothing to show")
	}
	changes := mustChanges(t, d)
	for _, in := range [][]byte{saved, append(append([]byte{}, saved...), changes...)} {
		plain, err := Uncompressed(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{"Student Number 42", "user-07"} {
			if !bytes.Contains(plain, []byte(needle)) {
				t.Errorf("uncompressed bytes lack %q", needle)
			}
		}
	}
	if _, err := Uncompressed(saved[:len(saved)-3]); err == nil {
		t.Error("truncated input accepted")
	}
}
