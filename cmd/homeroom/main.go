// Command homeroom is the Homeroom server and its tools, one binary with
// subcommands:
//
//	homeroom serve     run a node (WebSocket /ws, /healthz, /readyz, /metrics)
//	homeroom gameday   simulate a class of students against a running node
//	homeroom token     mint a development join token
//	homeroom migrate   apply pending database migrations
//	homeroom export    export sessions for analysts and records
//	homeroom purge     delete or anonymise a user's personal data
//
// Every flag can also be set from the environment variable named in its
// help text; flags win over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run a Homeroom node", runServe},
		{"gameday", "simulate students joining, drawing, chatting and voting", runGameday},
		{"token", "mint a development join token", runToken},
		{"migrate", "apply pending database migrations", runMigrate},
		{"export", "export sessions: participants, board (JSON, SVG), hands", runExport},
		{"purge", "delete or anonymise a user's personal data everywhere it is stored", runPurge},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "homeroom %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "homeroom: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// errUsage reports bad flags; the flag package has already said why.
var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "Homeroom: the real-time layer for live online classes.")
	fmt.Fprintln(w, "\nUsage: homeroom <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'homeroom <command> --help' for a command's flags.")
}
