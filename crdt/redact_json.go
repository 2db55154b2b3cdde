package crdt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// RedactSnapshotJSON is [Redact] for the JSON rendering of a document (a
// [Snapshot]'s State, as analysts' tables keep it): it returns state
// without user's presence entry and raised hand, with the strokes user
// drew kept under pseudonym, as author and in their ids. Fields it does
// not know are kept, numbers keep their exact text, and keys come out
// sorted. changed is false, and out is state itself, when state does not
// name user in those places.
func RedactSnapshotJSON(state []byte, user, pseudonym string) (out []byte, changed bool, err error) {
	if err := checkRedact(user, pseudonym); err != nil {
		return nil, false, err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(state))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, false, fmt.Errorf("failed to redact snapshot: %w", err)
	}
	for _, key := range []string{keyPresence, keyHands} {
		if m, ok := doc[key].(map[string]any); ok {
			if _, ok := m[user]; ok {
				delete(m, user)
				changed = true
			}
		}
	}
	if board, ok := doc[keyBoard].(map[string]any); ok {
		renamed := map[string]any{}
		for id, v := range board {
			st, ok := v.(map[string]any)
			if !ok || st[keyAuthor] != user {
				continue
			}
			st[keyAuthor] = pseudonym
			if s, ok := st[keyID].(string); ok {
				st[keyID] = strings.ReplaceAll(s, user, pseudonym)
			}
			if nid := strings.ReplaceAll(id, user, pseudonym); nid != id {
				delete(board, id)
				renamed[nid] = st
			}
			changed = true
		}
		for id, st := range renamed {
			board[id] = st
		}
	}
	if !changed {
		return state, false, nil
	}
	out, err = json.Marshal(doc)
	if err != nil {
		return nil, false, fmt.Errorf("failed to redact snapshot: %w", err)
	}
	return out, true, nil
}
