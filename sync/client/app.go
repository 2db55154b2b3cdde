package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/homeroom-edu/homeroom/sync/wire"
)

// SendApp sends an app frame (chat, polls, actions; docs/activities.md)
// whose JSON is v. It fails when the client is not connected: app frames
// are not queued across reconnects, the caller retries (a chat message or
// a poll answer keeps its id, so a retry is never counted twice).
func (c *Client) SendApp(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode app frame: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.status == StatusClosed {
		return ErrClosed
	}
	if c.out == nil || !c.synced {
		return ErrNotConnected
	}
	c.out.push(wire.EncodeFrame(wire.TypeApp, b))
	return nil
}

// ChatSeq returns the highest chat seq the client has seen; it is sent in
// the hello of every reconnect so the server sends exactly what was
// missed.
func (c *Client) ChatSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chatSeq
}

// receiveAppLocked tracks the chat seq and hands the frame to OnApp.
func (c *Client) receiveAppLocked(payload []byte) {
	var head struct {
		Type     string `json:"type"`
		Seq      int64  `json:"seq"`
		Messages []struct {
			Seq int64 `json:"seq"`
		} `json:"messages"`
	}
	if json.Unmarshal(payload, &head) != nil {
		return
	}
	before := c.chatSeq
	switch head.Type {
	case "chat_message":
		c.chatSeq = max(c.chatSeq, head.Seq)
	case "chat_history":
		for _, m := range head.Messages {
			c.chatSeq = max(c.chatSeq, m.Seq)
		}
	}
	if c.chatSeq != before {
		c.notifyLocked() // wake Wait conditions on ChatSeq
	}
	if c.cfg.OnApp != nil {
		c.cfg.OnApp(head.Type, payload)
	}
}
