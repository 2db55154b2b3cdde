package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// flagSet wraps flag.FlagSet so every flag may also come from an
// environment variable, named in its help text.
type flagSet struct {
	*flag.FlagSet
	env map[string]string // flag name → variable
}

func newFlagSet(name, summary string, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), env: map[string]string{}}
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: homeroom %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

func (fs *flagSet) withEnv(name, env, usage string) string {
	if env == "" {
		return usage
	}
	fs.env[name] = env
	return usage + " (env " + env + ")"
}

func (fs *flagSet) stringVar(p *string, name, env, def, usage string) {
	fs.StringVar(p, name, def, fs.withEnv(name, env, usage))
}

func (fs *flagSet) intVar(p *int, name, env string, def int, usage string) {
	fs.IntVar(p, name, def, fs.withEnv(name, env, usage))
}

func (fs *flagSet) floatVar(p *float64, name, env string, def float64, usage string) {
	fs.Float64Var(p, name, def, fs.withEnv(name, env, usage))
}

func (fs *flagSet) durationVar(p *time.Duration, name, env string, def time.Duration, usage string) {
	fs.DurationVar(p, name, def, fs.withEnv(name, env, usage))
}

func (fs *flagSet) boolVar(p *bool, name, env string, def bool, usage string) {
	fs.BoolVar(p, name, def, fs.withEnv(name, env, usage))
}

// parse applies environment variables for flags not given on the command
// line, then the command line itself.
func (fs *flagSet) parse(args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, env := range fs.env {
		v, ok := os.LookupEnv(env)
		if !ok || set[name] {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return fmt.Errorf("environment %s=%q: %w", env, v, err)
		}
	}
	return nil
}

// splitList parses a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
