package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets a test start this binary as a real `homeroom` process
// (to kill it with SIGKILL): with HOMEROOM_TEST_RUN set, the test binary
// runs those arguments instead of the tests.
func TestMain(m *testing.M) {
	if args := os.Getenv("HOMEROOM_TEST_RUN"); args != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, strings.Fields(args), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}
