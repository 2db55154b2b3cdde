package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestGamedayActivityFlags checks the chat and poll flags: documented in
// --help with their environment variables, and zero or negative values
// refused before anything connects.
func TestGamedayActivityFlags(t *testing.T) {
	var help bytes.Buffer
	_ = runGameday(context.Background(), []string{"--help"}, &bytes.Buffer{}, &help) // prints usage; its error is not the point
	for _, want := range []string{"--chat-rate", "HOMEROOM_GAMEDAY_CHAT_RATE", "-poll-window", "HOMEROOM_GAMEDAY_POLL_WINDOW",
		"-answer-timeout", "HOMEROOM_GAMEDAY_ANSWER_TIMEOUT", "chat ", "poll "} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, help.String())
		}
	}

	t.Setenv("HOMEROOM_GAMEDAY_SECRET", "0123456789abcdef0123456789abcdef")
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--scenario", "chat", "--chat-rate", "0"}, "", "--chat-rate"},
		{[]string{"--scenario", "poll", "--poll-window", "-1s"}, "", "--poll-window"},
		{[]string{"--scenario", "poll", "--answer-timeout", "0s"}, "", "--answer-timeout"},
		{[]string{"--scenario", "poll"}, "HOMEROOM_GAMEDAY_POLL_WINDOW=0s", "--poll-window"},
		{[]string{"--scenario", "chat", "--students", "10", "--chat-rate", "20"}, "", "chat rate"},
	} {
		t.Run(strings.Join(tc.args, " ")+" "+tc.env, func(t *testing.T) {
			if k, v, ok := strings.Cut(tc.env, "="); ok {
				t.Setenv(k, v)
			}
			var stderr bytes.Buffer
			args := append([]string{"--session", "s", "--url", "ws://127.0.0.1:1"}, tc.args...)
			err := runGameday(context.Background(), args, &bytes.Buffer{}, &stderr)
			if !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("%v: stderr %q; want a usage error naming %s", err, stderr.String(), tc.want)
			}
		})
	}
}
