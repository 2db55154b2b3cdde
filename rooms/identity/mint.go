package identity

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Minter signs join tokens, for development, tests and the `homeroom token`
// command; an institution's backend does the same with any JWT library
// (see the package documentation for the claims). It is safe for
// concurrent use.
type Minter struct {
	method jwt.SigningMethod
	key    any
}

// NewHS256Minter returns a Minter that signs HS256 with secret, which must
// be at least MinSecretLen bytes.
func NewHS256Minter(secret []byte) (*Minter, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("HS256 secret is %d bytes, want at least %d", len(secret), MinSecretLen)
	}
	return &Minter{method: jwt.SigningMethodHS256, key: append([]byte(nil), secret...)}, nil
}

// NewEdDSAMinter returns a Minter that signs EdDSA (Ed25519) with key.
func NewEdDSAMinter(key ed25519.PrivateKey) (*Minter, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("EdDSA private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	return &Minter{method: jwt.SigningMethodEdDSA, key: append(ed25519.PrivateKey(nil), key...)}, nil
}

// Mint signs c. IssuedAt defaults to now; a ttl > 0 sets ExpiresAt to
// IssuedAt + ttl, a ttl of 0 keeps c.ExpiresAt, which must then be set.
// Times are truncated to whole seconds. The claims must pass the checks
// Verify applies (wrapping ErrClaims otherwise).
func (m *Minter) Mint(c Claims, ttl time.Duration) (string, error) {
	if ttl < 0 {
		return "", fmt.Errorf("ttl %v is negative", ttl)
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = time.Now()
	}
	if ttl > 0 {
		c.ExpiresAt = c.IssuedAt.Add(ttl)
	}
	if err := c.validate(); err != nil {
		return "", err
	}
	s, err := jwt.NewWithClaims(m.method, newTokenClaims(c)).SignedString(m.key)
	if err != nil {
		return "", fmt.Errorf("failed to sign token: %w", err)
	}
	return s, nil
}
