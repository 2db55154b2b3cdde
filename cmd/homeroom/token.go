package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/homeroom-edu/homeroom/rooms/identity"
)

func runToken(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var c identity.Claims
	var ttl time.Duration
	var secret, privateKey, dataDir string
	fs := newFlagSet("token", "Mint a join token and print it on stdout, for development and tests. It is\n"+
		"signed HS256 with --token-secret, else EdDSA with --token-private-key, else HS256\n"+
		"with the development secret kept in --data-dir (created on first use). A client\n"+
		"presents it as the WebSocket subprotocol homeroom.token.<token> beside\n"+
		"homeroom.v1, or in the token field of its hello frame; never in the URL.", stderr)
	fs.stringVar(&c.Session, "session", "", "", "session the token admits to (claim sid); required unless --course is given")
	fs.stringVar(&c.UserID, "user", "", "", "user id (claim sub); required")
	fs.stringVar(&c.Role, "role", "", "", "teacher, moderator, student or observer (claim role); required")
	fs.stringVar(&c.Name, "name", "", "", "display name, 1-64 characters (claim name; default: the --user value)")
	fs.stringVar(&c.Course, "course", "", "", "course the token is limited to (claim course); without --session the token admits to every session of the course (default: none)")
	fs.stringVar(&c.Institution, "institution", "", "", "institution the token is limited to (claim inst; default: none)")
	fs.durationVar(&ttl, "ttl", "", 8*time.Hour, "lifetime of the token (claim exp = now + ttl)")
	fs.stringVar(&secret, "token-secret", "HOMEROOM_TOKEN_SECRET", "", "HS256 secret, at least 32 bytes; prefer the environment variable, a flag shows in ps (default: the development secret in --data-dir)")
	fs.stringVar(&privateKey, "token-private-key", "HOMEROOM_TOKEN_PRIVATE_KEY", "", "PEM file of an Ed25519 private key (PKCS #8, as openssl genpkey -algorithm ed25519 writes) to sign EdDSA instead (default: none)")
	fs.stringVar(&dataDir, "data-dir", "HOMEROOM_DATA_DIR", "./data", "data directory holding the development secret "+identity.DevSecretFile)
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := tokenFlags(&c, ttl, secret, privateKey); err != nil {
		fmt.Fprintf(stderr, "homeroom token: %v\n", err)
		return errUsage
	}

	minter, err := tokenMinter(secret, privateKey, dataDir, stderr)
	if err != nil {
		return err
	}
	token, err := minter.Mint(c, ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, token)
	return err
}

// tokenFlags checks the claims flags and fills in defaults.
func tokenFlags(c *identity.Claims, ttl time.Duration, secret, privateKey string) error {
	switch {
	case c.UserID == "":
		return errors.New("--user is required")
	case c.Session == "" && c.Course == "":
		return errors.New("--session (or --course) is required")
	case !identity.ValidRole(c.Role):
		return fmt.Errorf("--role %q: want teacher, moderator, student or observer", c.Role)
	case ttl <= 0:
		return fmt.Errorf("--ttl %v: want a positive duration", ttl)
	case secret != "" && privateKey != "":
		return errors.New("give --token-secret or --token-private-key, not both")
	}
	if c.Name == "" {
		c.Name = c.UserID
	}
	return nil
}

// tokenMinter returns a minter for the configured key, or for the
// development secret in dataDir, saying on stderr when it creates one.
func tokenMinter(secret, privateKey, dataDir string, stderr io.Writer) (*identity.Minter, error) {
	switch {
	case secret != "":
		m, err := identity.NewHS256Minter([]byte(secret))
		if err != nil {
			return nil, fmt.Errorf("--token-secret: %w", err)
		}
		return m, nil
	case privateKey != "":
		pemBytes, err := os.ReadFile(privateKey)
		if err != nil {
			return nil, fmt.Errorf("--token-private-key: %w", err)
		}
		key, err := identity.ParseEdDSAPrivateKeyPEM(pemBytes)
		if err != nil {
			return nil, fmt.Errorf("--token-private-key %s: %w", privateKey, err)
		}
		return identity.NewEdDSAMinter(key)
	}
	path := filepath.Join(dataDir, identity.DevSecretFile)
	_, statErr := os.Stat(path)
	dev, err := identity.LoadOrCreateDevSecret(dataDir)
	if err != nil {
		return nil, err
	}
	if errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintf(stderr, "homeroom token: created development token secret %s\n", path)
	}
	return identity.NewHS256Minter(dev)
}
