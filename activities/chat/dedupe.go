package chat

import (
	"sort"
	"time"
)

// DedupeWindow is how many recent (user, client id) pairs a History
// remembers beyond its ring to recognise a retried send.
const DedupeWindow = 4096

type sentKey struct{ user, id string }

// sentRecord is what a History remembers of a message to answer its
// retry after the message has left the ring: everything a retry cannot
// repeat. The text is not kept: the retry carries it.
type sentRecord struct {
	seq     int64
	at      time.Time
	to      string
	deleted *deletion // set once deleted
}

type deletion struct {
	by string
	at time.Time
}

// sentIndex is a bounded set of the last max sends, by (user, client id),
// forgetting the oldest first. Sends are added in Seq order (posted, or
// restored oldest first), so order is sorted by Seq.
type sentIndex struct {
	max   int
	recs  map[sentKey]sentRecord
	order []sentKey // a ring, oldest at start once full
	start int
}

func newSentIndex(max int) sentIndex {
	return sentIndex{max: max, recs: make(map[sentKey]sentRecord)}
}

func (s *sentIndex) get(k sentKey) (sentRecord, bool) {
	r, ok := s.recs[k]
	return r, ok
}

// add records a new send; k is not in the set.
func (s *sentIndex) add(k sentKey, r sentRecord) {
	if len(s.order) < s.max {
		s.order = append(s.order, k)
	} else {
		delete(s.recs, s.order[s.start])
		s.order[s.start] = k
		s.start++
		if s.start == len(s.order) {
			s.start = 0
		}
	}
	s.recs[k] = r
}

func (s *sentIndex) delete(k sentKey, by string, at time.Time) {
	if r, ok := s.recs[k]; ok && r.deleted == nil {
		r.deleted = &deletion{by: by, at: at}
		s.recs[k] = r
	}
}

// deleteSeq marks the send of message seq deleted, if it is remembered.
func (s *sentIndex) deleteSeq(seq int64, by string, at time.Time) {
	n := len(s.order)
	key := func(i int) sentKey { return s.order[(s.start+i)%n] }
	i := sort.Search(n, func(i int) bool { return s.recs[key(i)].seq >= seq })
	if i < n && s.recs[key(i)].seq == seq {
		s.delete(key(i), by, at)
	}
}
