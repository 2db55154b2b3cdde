package identity

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Accepted signing algorithms (the JWS "alg" header).
const (
	AlgHS256 = "HS256" // HMAC-SHA256 with a shared secret
	AlgEdDSA = "EdDSA" // Ed25519
)

// MinSecretLen is the shortest HS256 secret accepted, in bytes: the size of
// the SHA-256 output, as RFC 7518 §3.2 requires.
const MinSecretLen = 32

// MaxTokenLen is the longest token Verify reads, in bytes. Longer input is
// refused with ErrMalformed before any decoding.
const MaxTokenLen = 8 << 10

// VerifierConfig configures a Verifier. At least one key is required.
type VerifierConfig struct {
	// HS256Secret verifies HS256 tokens; at least MinSecretLen bytes.
	// Default: none, HS256 tokens are refused.
	HS256Secret []byte
	// EdDSAPublicKeys verify EdDSA tokens; a token verifies if any key
	// does (more than one during a key rotation). Default: none, EdDSA
	// tokens are refused.
	EdDSAPublicKeys []ed25519.PublicKey
	// Leeway is the clock skew tolerated on exp, nbf and iat. Default 30s.
	Leeway time.Duration
	// Now is the clock, for tests. Default time.Now.
	Now func() time.Time
}

// Validate reports whether the configuration can build a Verifier.
func (c VerifierConfig) Validate() error {
	if len(c.HS256Secret) == 0 && len(c.EdDSAPublicKeys) == 0 {
		return errors.New("no token key: configure an HS256 secret or an EdDSA public key")
	}
	if n := len(c.HS256Secret); n > 0 && n < MinSecretLen {
		return fmt.Errorf("HS256 secret is %d bytes, want at least %d", n, MinSecretLen)
	}
	for i, k := range c.EdDSAPublicKeys {
		if len(k) != ed25519.PublicKeySize {
			return fmt.Errorf("EdDSA public key %d is %d bytes, want %d", i, len(k), ed25519.PublicKeySize)
		}
	}
	if c.Leeway < 0 {
		return fmt.Errorf("leeway %v is negative", c.Leeway)
	}
	return nil
}

// Verifier checks join tokens. It is safe for concurrent use.
type Verifier struct {
	secret []byte                // nil: HS256 refused
	keys   []jwt.VerificationKey // ed25519.PublicKey; empty: EdDSA refused
	parser *jwt.Parser
}

// NewVerifier returns a Verifier for cfg, which must be valid.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v := &Verifier{}
	var methods []string
	if len(cfg.HS256Secret) > 0 {
		v.secret = append([]byte(nil), cfg.HS256Secret...)
		methods = append(methods, AlgHS256)
	}
	for _, k := range cfg.EdDSAPublicKeys {
		v.keys = append(v.keys, append(ed25519.PublicKey(nil), k...))
	}
	if len(v.keys) > 0 {
		methods = append(methods, AlgEdDSA)
	}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(methods),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithStrictDecoding(),
	)
	return v, nil
}

// Verify checks token's signature, times and claims and returns its
// claims. It does not check the scope: see CheckScope. Errors wrap one of
// ErrMalformed, ErrBadSignature, ErrExpired, ErrNotYetValid and ErrClaims,
// and never contain the token.
func (v *Verifier) Verify(token string) (Claims, error) {
	if err := checkSyntax(token); err != nil {
		return Claims{}, err
	}
	var tc tokenClaims
	tok, err := v.parser.ParseWithClaims(token, &tc, v.key)
	if err != nil {
		return Claims{}, v.classify(tok, err)
	}
	c := tc.claims()
	if err := c.validate(); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// errCrit refuses tokens with critical header extensions, none of which
// this verifier understands (RFC 7515 §4.1.11).
var errCrit = errors.New("crit header is not supported")

// key picks the key for the token's algorithm: the secret only for HS256,
// the public keys only for EdDSA, so a token cannot make one key serve an
// algorithm it was not configured for.
func (v *Verifier) key(t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		return nil, errCrit
	}
	switch t.Method.Alg() {
	case AlgHS256:
		if v.secret != nil {
			return v.secret, nil
		}
	case AlgEdDSA:
		if len(v.keys) > 0 {
			return jwt.VerificationKeySet{Keys: v.keys}, nil
		}
	}
	return nil, errors.New("algorithm not accepted")
}

func (v *Verifier) accepts(alg string) bool {
	return alg == AlgHS256 && v.secret != nil || alg == AlgEdDSA && len(v.keys) > 0
}

// classify maps a jwt error to one of the package's sentinels. It keeps
// only those parts of jwt's messages that cannot quote the input.
func (v *Verifier) classify(tok *jwt.Token, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("%w: %s", ErrMalformed, malformedDetail(err))
	case errors.Is(err, errCrit):
		return fmt.Errorf("%w: %v", ErrMalformed, errCrit)
	case errors.Is(err, jwt.ErrTokenUnverifiable), errors.Is(err, jwt.ErrTokenSignatureInvalid):
		var alg string
		if tok != nil {
			alg, _ = tok.Header["alg"].(string)
		}
		if !v.accepts(alg) {
			return fmt.Errorf("%w: algorithm %.16q is not accepted", ErrBadSignature, alg)
		}
		return fmt.Errorf("%w: %s signature does not verify", ErrBadSignature, alg)
	case errors.Is(err, jwt.ErrTokenExpired):
		return fmt.Errorf("%w: exp is past", ErrExpired)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return fmt.Errorf("%w: nbf is in the future", ErrNotYetValid)
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return fmt.Errorf("%w: iat is in the future", ErrNotYetValid)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return fmt.Errorf("%w: aud is not %q", ErrClaims, Audience)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		d := detail(err, jwt.ErrTokenInvalidClaims)
		return fmt.Errorf("%w: %s", ErrClaims, strings.TrimPrefix(d, jwt.ErrTokenRequiredClaimMissing.Error()+": "))
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return fmt.Errorf("%w: standard claims failed validation", ErrClaims)
	}
	return fmt.Errorf("%w: token could not be verified", ErrMalformed)
}

// malformedDetail says which decoding step failed, and for a claim of the
// wrong JSON type which claim, but never quotes the input: jwt's innermost
// errors (from encoding/json) may quote parts of the unverified payload.
func malformedDetail(err error) string {
	d := detail(err, jwt.ErrTokenMalformed)
	if i := strings.Index(d, ": "); i >= 0 {
		d = d[:i]
	}
	if ute, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && ute.Field != "" {
		field := ute.Field[strings.LastIndex(ute.Field, ".")+1:] // RegisteredClaims.sub → sub
		d += fmt.Sprintf(": %s is a JSON %s, want %s", field, ute.Value, ute.Type)
	}
	return d
}

// detail is err's message without the leading jwt sentinel text, which
// would repeat ours.
func detail(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

// checkSyntax refuses, before any decoding, input that cannot be a compact
// JWS: empty, too long, or with a byte outside base64url and '.'. (Go's
// base64 decoder skips CR and LF, so without this check a token with a
// newline inserted would still verify.)
func checkSyntax(token string) error {
	switch {
	case token == "":
		return fmt.Errorf("%w: empty", ErrMalformed)
	case len(token) > MaxTokenLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxTokenLen)
	}
	for i := 0; i < len(token); i++ {
		if !isTokenByte(token[i]) {
			return fmt.Errorf("%w: byte %d is not base64url or '.'", ErrMalformed, i)
		}
	}
	return nil
}

func isTokenByte(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.'
}
