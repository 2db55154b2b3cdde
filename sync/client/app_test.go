package client_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/client"
	"github.com/homeroom-edu/homeroom/sync/gateway"
)

// chatLog records the chat seqs a client receives, live and in history.
type chatLog struct {
	mu   sync.Mutex
	seqs []int64
}

func (l *chatLog) onApp(typ string, payload []byte) {
	var v struct {
		Seq      int64 `json:"seq"`
		Messages []struct {
			Seq int64 `json:"seq"`
		} `json:"messages"`
	}
	if json.Unmarshal(payload, &v) != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch typ {
	case "chat_message":
		l.seqs = append(l.seqs, v.Seq)
	case "chat_history":
		for _, m := range v.Messages {
			l.seqs = append(l.seqs, m.Seq)
		}
	}
}

func (l *chatLog) get() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.seqs)
}

// TestChatResumesAcrossReconnect: a client that goes offline and comes
// back gets exactly the messages it missed, through its hello's
// chat_since: every seq once, in order.
func TestChatResumesAcrossReconnect(t *testing.T) {
	env := startServer(t, gateway.Config{})
	env.Session(t, "chat", catalog.Settings{})
	ctx := waitCtx(t)
	var seen chatLog
	teacher := newClientAs(t, env, "chat", "teacher", catalog.RoleTeacher, nil)
	student := newClient(t, env, "chat", "ada", func(c *client.Config) { c.OnApp = seen.onApp })
	for _, c := range []*client.Client{teacher, student} {
		if err := c.WaitSynced(ctx); err != nil {
			t.Fatal(err)
		}
	}
	send := func(i int) {
		t.Helper()
		if err := teacher.SendApp(ctx, map[string]any{"type": "chat_send", "id": fmt.Sprintf("m-%d", i), "text": fmt.Sprint("message ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		send(i)
	}
	if err := student.Wait(ctx, func(c *client.Client) bool { return c.ChatSeq() == 3 }); err != nil {
		t.Fatalf("live messages: %v (seen %v)", err, seen.get())
	}
	student.SetOffline(true)
	for i := 3; i < 8; i++ {
		send(i)
	}
	student.SetOffline(false)
	if err := student.Wait(ctx, func(c *client.Client) bool { return c.ChatSeq() == 8 }); err != nil {
		t.Fatalf("after reconnect: %v (seen %v)", err, seen.get())
	}
	if got := seen.get(); !slices.Equal(got, []int64{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("seqs seen = %v, want 1..8 once each", got)
	}
}
