package chat

import (
	"strconv"
	"testing"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// BenchmarkHistoryPost is the session goroutine's cost per chat message
// in a busy session: the ring and the dedupe window full, every post
// evicting the oldest. Client ids are made up front so only Post is
// measured.
func BenchmarkHistoryPost(b *testing.B) {
	h := NewHistory(0)
	ids := make([]string, 1<<16)
	for i := range ids {
		ids[i] = "c-" + strconv.Itoa(i) + "-0123456789abcdef"
	}
	users := []string{"u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7", "u-8"}
	m := activities.ChatMessage{Session: "s-1", Name: "Ada", Role: "student", Text: "hello, is the homework due friday?", SentAt: time.Now()}
	for i := range DedupeWindow {
		m.User, m.ClientID = users[i%len(users)], "warm-"+strconv.Itoa(i)
		h.Post(m)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.User, m.ClientID = users[i%len(users)], ids[i%len(ids)]
		if _, dup := h.Post(m); dup {
			b.Fatal("a new message taken for a retry")
		}
		i++
	}
}

// BenchmarkHistorySince is a reconnecting student catching up on 100
// messages of a full ring.
func BenchmarkHistorySince(b *testing.B) {
	h := NewHistory(0)
	m := activities.ChatMessage{Session: "s-1", User: "u-1", Text: "hello", SentAt: time.Now()}
	for i := range DefaultHistorySize {
		m.ClientID = strconv.Itoa(i)
		if i%10 == 0 {
			m.To = activities.ToStaff
		} else {
			m.To = activities.ToEveryone
		}
		h.Post(m)
	}
	visible := VisibleTo("u-2", false)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := h.Since(h.LastSeq()-100, visible); !ok {
			b.Fatal("incomplete")
		}
	}
}
