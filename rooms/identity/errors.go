package identity

import "errors"

// Verification errors. Verify and CheckScope wrap exactly one of them (test
// with errors.Is) so the gateway can map each to its own close code or HTTP
// status. No error message ever contains the token text.
var (
	// ErrMalformed is returned for a token that is not a compact JWS
	// (three base64url segments of JSON), is too long, contains characters
	// outside the base64url alphabet and '.', or carries a claim of the
	// wrong JSON type. Retrying the same token cannot succeed.
	ErrMalformed = errors.New("malformed token")

	// ErrBadSignature is returned when the signature does not verify with
	// any configured key, or the token names an algorithm this server does
	// not accept for it (anything but HS256 with the secret and EdDSA with
	// the public keys: "none", RS256, HS512 and the rest are all refused).
	ErrBadSignature = errors.New("token signature is invalid")

	// ErrExpired is returned when the token's exp lies in the past (beyond
	// the leeway). The client should fetch a fresh token and reconnect.
	ErrExpired = errors.New("token has expired")

	// ErrNotYetValid is returned when the token's nbf or iat lies in the
	// future beyond the leeway: usually a clock skew between the minter and
	// this server.
	ErrNotYetValid = errors.New("token is not valid yet")

	// ErrClaims is returned for a correctly signed token whose claims are
	// unacceptable: audience other than "homeroom", a missing sub or exp,
	// a name outside 1–64 characters, an unknown role, or no session or
	// course scope.
	ErrClaims = errors.New("token claims are invalid")

	// ErrWrongScope is returned by CheckScope when a valid token was issued
	// for another session, course or institution than the one joined.
	ErrWrongScope = errors.New("token is not valid for this session")
)
