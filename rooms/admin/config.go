package admin

import (
	"errors"
	"strings"
)

// Config configures the admin API. The zero value is usable and disables
// the API.
type Config struct {
	// APIKey is the secret clients send as "Authorization: Bearer <key>".
	// Default "": the admin API is disabled and answers every request
	// with 404 not_found, so a node started without a key exposes nothing.
	APIKey string
	// MaxBodyBytes caps a request body; a larger one is refused with 400
	// invalid. Default 1 MiB.
	MaxBodyBytes int64
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	return c
}

// Validate reports a configuration that cannot work or is unsafe: a
// negative body limit, or a key shorter than 16 bytes or containing
// whitespace.
func (c Config) Validate() error {
	if c.MaxBodyBytes < 0 {
		return errors.New("admin: negative MaxBodyBytes")
	}
	if c.APIKey == "" {
		return nil
	}
	if len(c.APIKey) < 16 {
		return errors.New("admin: APIKey must be at least 16 bytes")
	}
	if strings.ContainsAny(c.APIKey, " \t\r\n") {
		return errors.New("admin: APIKey must not contain whitespace")
	}
	return nil
}
