package crdt

import "github.com/automerge/automerge-go"

// StrokeAuthor returns the author field of board[id], and whether that
// stroke exists. It reads two values, not the whole board, so the server
// can check ownership per change.
func (d *Doc) StrokeAuthor(id string) (author string, ok bool) {
	board, err := d.section(keyBoard)
	if err != nil {
		return "", false
	}
	v, err := board.Get(id)
	if err != nil || v.Kind() != automerge.KindMap {
		return "", false
	}
	a, err := v.Map().Get(keyAuthor)
	if err != nil {
		return "", true
	}
	s, _ := readString(a)
	return s, true
}
