package crdt

import (
	"encoding/hex"
	"fmt"

	"github.com/automerge/automerge-go"
)

// Hash is the SHA-256 hash that identifies an Automerge change.
type Hash [32]byte

// String returns the hash as lower-case hex.
func (h Hash) String() string {
	return hex.EncodeToString(h[:])
}

// MarshalText encodes the hash as lower-case hex, so hashes are strings in
// JSON.
func (h Hash) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(h)))
	hex.Encode(out, h[:])
	return out, nil
}

// UnmarshalText parses a hash written by [Hash.MarshalText].
func (h *Hash) UnmarshalText(b []byte) error {
	parsed, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = parsed
	return nil
}

// ParseHash parses a 64-character hex change hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fmt.Errorf("failed to parse hash %q: want %d hex digits, got %d", s, 2*len(h), len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("failed to parse hash %q: %w", s, err)
	}
	return h, nil
}

// ParseHashes parses every string with [ParseHash].
func ParseHashes(ss []string) ([]Hash, error) {
	hs := make([]Hash, 0, len(ss))
	for _, s := range ss {
		h, err := ParseHash(s)
		if err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, nil
}

// HashStrings returns the hex form of every hash.
func HashStrings(hs []Hash) []string {
	ss := make([]string, len(hs))
	for i, h := range hs {
		ss[i] = h.String()
	}
	return ss
}

func fromChangeHashes(chs []automerge.ChangeHash) []Hash {
	hs := make([]Hash, len(chs))
	for i, ch := range chs {
		hs[i] = Hash(ch)
	}
	return hs
}

func toChangeHashes(hs []Hash) []automerge.ChangeHash {
	chs := make([]automerge.ChangeHash, len(hs))
	for i, h := range hs {
		chs[i] = automerge.ChangeHash(h)
	}
	return chs
}
