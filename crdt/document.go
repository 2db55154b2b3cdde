package crdt

import (
	"encoding/hex"
	"fmt"

	"github.com/automerge/automerge-go"
)

// Doc is one live session's document. It is not safe for concurrent use:
// one goroutine owns it.
type Doc struct {
	am *automerge.Doc
	// pending is set once a local edit has been written and not yet
	// committed.
	pending bool
	// unsent holds local changes committed but not yet returned by Commit:
	// automerge commits pending edits implicitly before most history
	// operations (Heads, Save, LoadIncremental, ...), so the Doc commits them
	// itself first and keeps the bytes for the next Commit.
	unsent Applied
	// hist guards automerge against changes that would corrupt the
	// document's saved form.
	hist history
	// saveState is what SaveChecked knows about the compact form, valid
	// while automerge's heads are okHeads.
	saveState saveState
	okHeads   []automerge.ChangeHash
	// known caches hashes automerge confirmed it has. A document never
	// loses a change, so a cached yes stays true; a no is always asked
	// again (changes may arrive through Automerge(), e.g. the sync
	// protocol). It spares a cgo call per dependency on the hot path.
	known map[Hash]struct{}
}

// saveState records whether the compact saved form is known to load. Local
// commits cannot break it (automerge writes them canonically), and once a
// change has broken it, it stays broken; only remote changes make it
// unknown again.
type saveState int

const (
	saveUnknown saveState = iota
	saveOK
	saveBroken
)

// New creates the document of session sessionID: meta, board, hands and
// presence in one initial change.
//
// Every replica of a session must share the object ids of board, hands and
// presence, or two replicas that each create "board" would conflict and one
// board would silently win. So only the server calls New; clients always
// start from the server's snapshot ([Doc.Save] and [Load], or
// Automerge.load in JavaScript) and never create these maps.
func New(sessionID string) (*Doc, error) {
	if sessionID == "" {
		return nil, fmt.Errorf("failed to create document: empty session id: %w", ErrSchema)
	}
	am := automerge.New()
	root := am.RootMap()
	meta := automerge.NewMap()
	if err := root.Set(keyMeta, meta); err != nil {
		return nil, fmt.Errorf("create session %q: %w", sessionID, err)
	}
	if err := meta.Set(keySchema, int64(SchemaVersion)); err != nil {
		return nil, fmt.Errorf("create session %q: %w", sessionID, err)
	}
	if err := meta.Set(keySession, sessionID); err != nil {
		return nil, fmt.Errorf("create session %q: %w", sessionID, err)
	}
	for _, k := range []string{keyBoard, keyHands, keyPresence} {
		if err := root.Set(k, automerge.NewMap()); err != nil {
			return nil, fmt.Errorf("create session %q: %w", sessionID, err)
		}
	}
	if _, err := am.Commit("homeroom: create session"); err != nil {
		return nil, fmt.Errorf("create session %q: %w", sessionID, err)
	}
	return &Doc{am: am}, nil
}

// Load reads a document written by [Doc.Save] or [Doc.SaveChecked]: a
// document chunk optionally followed by change chunks (for example changes
// appended to a snapshot by a store), or change chunks alone (a change log,
// as [Doc.AllChanges] returns). The bytes are checked with [ParseChunks]
// first, and changes are applied with the same checks as
// [Doc.ApplyChanges]; a second document chunk fails with [ErrChunkType]. A
// document written by a newer schema version fails with [ErrSchema].
func Load(b []byte) (*Doc, error) {
	chunks, err := ParseChunks(b, len(b)+DefaultMaxTotal)
	if err != nil {
		return nil, fmt.Errorf("failed to load document: %w", err)
	}
	if len(chunks) == 0 {
		return nil, fmt.Errorf("failed to load document: no chunks: %w", ErrTruncated)
	}
	d := &Doc{am: automerge.New()}
	if chunks[0].Type == ChunkDocument {
		if d.am, err = automerge.Load(chunks[0].Raw); err != nil {
			return nil, fmt.Errorf("failed to load document: %w", err)
		}
		chunks = chunks[1:]
	}
	if _, err := d.applyChunks(chunks); err != nil {
		return nil, fmt.Errorf("failed to load document: %w", err)
	}
	meta, err := d.readMeta()
	if err != nil {
		return nil, fmt.Errorf("failed to load document: %w", err)
	}
	if meta.Schema > SchemaVersion {
		return nil, fmt.Errorf("failed to load document: schema %d is newer than %d: %w", meta.Schema, SchemaVersion, ErrSchema)
	}
	return d, nil
}

// Save returns the whole document, compacted into one document chunk.
// Pending edits are committed first and returned by the next [Doc.Commit].
//
// automerge re-encodes every change when it saves a document and checks the
// hashes when it loads one. A crafted change that automerge accepted, but
// whose bytes are not the ones automerge would write (a non-canonical
// column encoding, an operation that overwrites an operation the document
// does not have, ...), makes the saved form fail to load. [ParseChunks]
// refuses the cheap cases; [Doc.SaveChecked] covers the rest.
func (d *Doc) Save() []byte {
	d.flush()
	return d.am.Save()
}

// SaveChecked is [Doc.Save] made safe against changes that break the saved
// form: it loads the compact form in a scratch document and, if that fails
// or yields other heads, returns the change log instead ([Doc.AllChanges]:
// larger, but always loadable by [Load] and by automerge JavaScript's
// load). compact reports which form was returned. Serve and persist
// snapshots with it: a compact form that does not load breaks every client
// that joins.
//
// The check costs a full load (about 200 ms for 2,000 strokes) and is only
// repeated when other changes have reached the document since the last one
// (through [Doc.ApplyChanges] or [Doc.Automerge]): the document's own
// commits cannot break the compact form, and once broken it stays broken,
// so later calls return the change log at once.
func (d *Doc) SaveChecked() (b []byte, compact bool, err error) {
	if d.saveState != saveBroken {
		b = d.Save()
		heads := d.am.Heads()
		if d.saveState == saveOK && sameHeads(heads, d.okHeads) {
			return b, true, nil
		}
		if loaded, lerr := automerge.Load(b); lerr == nil && sameHeads(loaded.Heads(), heads) {
			d.saveState, d.okHeads = saveOK, heads
			return b, true, nil
		}
		d.saveState = saveBroken
	}
	log, err := d.AllChanges()
	if err != nil {
		return nil, false, fmt.Errorf("failed to save change log: %w", err)
	}
	return log, false, nil
}

func sameHeads(a, b []automerge.ChangeHash) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[automerge.ChangeHash]bool, len(a))
	for _, h := range a {
		set[h] = true
	}
	for _, h := range b {
		if !set[h] {
			return false
		}
	}
	return true
}

// Heads returns the hashes of the document's current heads. Pending edits
// are committed first and returned by the next [Doc.Commit].
func (d *Doc) Heads() []Hash {
	d.flush()
	return fromChangeHashes(d.am.Heads())
}

// HasAll reports whether every hash is a change in the document.
func (d *Doc) HasAll(hs []Hash) bool {
	d.flush()
	for _, h := range hs {
		if !d.has(h) {
			return false
		}
	}
	return true
}

func (d *Doc) has(h Hash) bool {
	if _, ok := d.known[h]; ok {
		return true
	}
	if _, err := d.am.Change(automerge.ChangeHash(h)); err != nil {
		return false
	}
	if d.known == nil {
		d.known = make(map[Hash]struct{})
	}
	d.known[h] = struct{}{}
	return true
}

// Actor returns the hex actor id the document's local edits are written
// with.
func (d *Doc) Actor() string {
	return d.am.ActorID()
}

// SetActor changes the actor id of later local edits. Pending edits are
// committed first, under the old actor. The id is hex with an even number
// of digits (automerge generates 16-byte ids).
func (d *Doc) SetActor(actorHex string) error {
	if actorHex == "" || len(actorHex)%2 != 0 {
		return fmt.Errorf("failed to set actor %q: want an even number of hex digits", actorHex)
	}
	if _, err := hex.DecodeString(actorHex); err != nil {
		return fmt.Errorf("failed to set actor %q: %w", actorHex, err)
	}
	d.flush()
	if err := d.am.SetActorID(actorHex); err != nil {
		return fmt.Errorf("failed to set actor %q: %w", actorHex, err)
	}
	return nil
}

// Automerge returns the underlying automerge document, for the automerge
// sync protocol (automerge.NewSyncState). Pending edits are committed first
// and returned by the next [Doc.Commit]. Bytes handed to automerge through
// it bypass [ParseChunks], and edits made through it are not tracked by
// Commit.
func (d *Doc) Automerge() *automerge.Doc {
	d.flush()
	d.remoteChanged()
	return d.am
}

// remoteChanged notes that changes not written by this Doc may have reached
// automerge.
func (d *Doc) remoteChanged() {
	if d.saveState == saveOK {
		d.saveState = saveUnknown
	}
}
