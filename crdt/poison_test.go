package crdt

import (
	"bytes"
	"testing"
)

// Changes that automerge accepts but that break the document's saved form
// (see Doc.Save). ParseChunks cannot see them; SaveChecked must survive them.

// nonCanonicalChange re-encodes the action column of a one-op change as a
// repeat run of one instead of a literal run of one: the same op, other
// bytes.
func nonCanonicalChange(t *testing.T, server *Doc) []byte {
	t.Helper()
	client := replica(t, server)
	if err := client.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	body := bytes.Clone(splitChunk(mustCommit(t, client, "").Chunks))
	r := reader{b: body}
	r.take(r.uleb("")*32, "")
	r.take(r.uleb(""), "")
	r.uleb("")
	r.uleb("")
	r.sleb("")
	r.take(r.uleb(""), "")
	for n := r.uleb(""); n > 0; n-- {
		r.take(r.uleb(""), "")
	}
	var off, actionOff uint64
	for n := r.uleb(""); n > 0; n-- {
		spec, size := r.uleb(""), r.uleb("")
		if spec == actionColumn {
			actionOff = off
		}
		off += size
	}
	i := r.off + int(actionOff)
	if r.err != nil || body[i] != 0x7f {
		t.Fatalf("unexpected action column encoding % x (%v)", body[i:i+2], r.err)
	}
	body[i] = 0x01
	return frame(ChunkChange, body)
}

// danglingDelete deletes an op the server never saw: a second client
// lowers a hand raised by a first client, and the change's dependency on
// the raise is rewritten to the server's heads.
func danglingDelete(t *testing.T, server *Doc) []byte {
	t.Helper()
	base := server.Heads()
	c1 := replica(t, server)
	if err := c1.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, c1, "")
	c2 := replica(t, c1)
	if err := c2.LowerHand("u"); err != nil {
		t.Fatal(err)
	}
	body := splitChunk(mustCommit(t, c2, "").Chunks)
	if body[0] != 1 || len(base) != 1 {
		t.Fatalf("unexpected deps")
	}
	return frame(ChunkChange, append(append([]byte{1}, base[0][:]...), body[33:]...))
}

func TestSaveCheckedSurvivesPoison(t *testing.T) {
	for name, poison := range map[string]func(*testing.T, *Doc) []byte{
		"non-canonical encoding": nonCanonicalChange,
		"dangling pred":          danglingDelete,
	} {
		t.Run(name, func(t *testing.T) {
			server := newServer(t)
			if _, err := server.ApplyChanges(poison(t, server)); err != nil {
				t.Skipf("poison refused (%v): automerge or ParseChunks now catches it", err)
			}
			if _, err := Load(server.Save()); err == nil {
				t.Skip("Save now survives this poison")
			}
			b, compact, err := server.SaveChecked()
			if err != nil || compact {
				t.Fatalf("SaveChecked: compact %v, %v", compact, err)
			}
			l, err := Load(b)
			if err != nil {
				t.Fatalf("Load(SaveChecked): %v", err)
			}
			if mustJSON(t, l) != mustJSON(t, server) || !hashesEqual(l.Heads(), server.Heads()) {
				t.Fatal("reloaded document differs")
			}
			// Broken stays broken, without another check; local edits
			// still reach the change log.
			if err := server.RaiseHand("later", 1); err != nil {
				t.Fatal(err)
			}
			mustCommit(t, server, "")
			b, compact, err = server.SaveChecked()
			if err != nil || compact || server.saveState != saveBroken {
				t.Fatalf("second SaveChecked: compact %v, %v", compact, err)
			}
			if l, err := Load(b); err != nil || mustJSON(t, l) != mustJSON(t, server) {
				t.Fatalf("second reload: %v", err)
			}
		})
	}
	// A clean document stays compact; the check is redone only after
	// remote changes.
	d := newServer(t)
	if _, compact, err := d.SaveChecked(); err != nil || !compact || d.saveState != saveOK {
		t.Fatalf("clean SaveChecked: compact %v, %v", compact, err)
	}
	if err := d.RaiseHand("u", 1); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, d, "")
	if d.saveState != saveOK {
		t.Fatal("own commit invalidated the check")
	}
	if _, err := d.ApplyChanges(clientChange(t, replica(t, d), "remote").Chunks); err != nil {
		t.Fatal(err)
	}
	if d.saveState != saveUnknown {
		t.Fatal("remote change did not invalidate the check")
	}
	// Changes through the escape hatch are noticed by their heads.
	if _, compact, err := d.SaveChecked(); err != nil || !compact {
		t.Fatalf("SaveChecked: compact %v, %v", compact, err)
	}
	am := d.Automerge()
	if err := am.LoadIncremental(clientChange(t, replica(t, d), "hatch").Chunks); err != nil {
		t.Fatal(err)
	}
	d.saveState = saveOK // as if Automerge had been called long before
	if _, _, err := d.SaveChecked(); err != nil || !sameHeads(d.okHeads, am.Heads()) {
		t.Fatalf("heads not rechecked: %v", err)
	}
}
