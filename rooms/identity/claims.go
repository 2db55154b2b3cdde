package identity

import (
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Audience is the aud every Homeroom token must carry.
const Audience = "homeroom"

// Roles a token may grant. See docs/protocol.md for what each may do.
const (
	RoleTeacher   = "teacher"
	RoleModerator = "moderator"
	RoleStudent   = "student"
	RoleObserver  = "observer"
)

// MaxNameLen is the longest display name, in characters, a token may carry.
const MaxNameLen = 64

// ValidRole reports whether role is one of the four known roles.
func ValidRole(role string) bool {
	switch role {
	case RoleTeacher, RoleModerator, RoleStudent, RoleObserver:
		return true
	}
	return false
}

// Claims are what a verified join token says about its holder. The JSON
// claim name of each field is in its comment; aud is always "homeroom".
//
// Scope: a token with sid is valid for that one session; a token with
// course and no sid is valid for any session of that course; inst, when
// present, must also match. At least one of sid and course is required.
// See CheckScope.
type Claims struct {
	UserID      string    // "sub", required: stable user id
	Name        string    // "name", required: display name, 1–64 characters
	Role        string    // "role", required: teacher, moderator, student or observer
	Institution string    // "inst", optional: institution the token is limited to
	Course      string    // "course": course the token is limited to
	Session     string    // "sid": the one session the token is limited to
	ExpiresAt   time.Time // "exp", required (Unix seconds; UTC once verified)
	IssuedAt    time.Time // "iat", optional (Unix seconds); a future iat is refused
	ID          string    // "jti", optional: unique token id, for audit and revocation
}

// LogValue implements slog.LogValuer: the holder and scope, never the name
// or anything a token could be rebuilt from.
func (c Claims) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("user", c.UserID), slog.String("role", c.Role)}
	if c.Institution != "" {
		attrs = append(attrs, slog.String("inst", c.Institution))
	}
	if c.Course != "" {
		attrs = append(attrs, slog.String("course", c.Course))
	}
	if c.Session != "" {
		attrs = append(attrs, slog.String("session", c.Session))
	}
	return slog.GroupValue(attrs...)
}

// CheckScope reports whether c admits its holder to session, which belongs
// to course and institution. Every scope claim the token carries must equal
// the matching argument; an empty argument (not known) matches only an
// absent claim. So a session-scoped token needs only the session, while a
// course-scoped token can be checked only by a caller that knows the
// session's course. A mismatch wraps ErrWrongScope.
func CheckScope(c Claims, institution, course, session string) error {
	if c.Institution != "" && c.Institution != institution {
		return fmt.Errorf("%w: token is for institution %q, not %q", ErrWrongScope, c.Institution, institution)
	}
	if c.Course != "" && c.Course != course {
		return fmt.Errorf("%w: token is for course %q, not %q", ErrWrongScope, c.Course, course)
	}
	if c.Session != "" && c.Session != session {
		return fmt.Errorf("%w: token is for session %q, not %q", ErrWrongScope, c.Session, session)
	}
	if c.Session == "" && c.Course == "" {
		return fmt.Errorf("%w: token names no session or course", ErrWrongScope)
	}
	return nil
}

// validate checks the claims both Verify and Mint insist on; it wraps
// ErrClaims.
func (c Claims) validate() error {
	switch n := utf8.RuneCountInString(c.Name); {
	case c.UserID == "":
		return fmt.Errorf("%w: sub is missing", ErrClaims)
	case n == 0:
		return fmt.Errorf("%w: name is missing", ErrClaims)
	case n > MaxNameLen:
		return fmt.Errorf("%w: name is longer than %d characters", ErrClaims, MaxNameLen)
	case c.Role == "":
		return fmt.Errorf("%w: role is missing", ErrClaims)
	case !ValidRole(c.Role):
		return fmt.Errorf("%w: role %.32q is not teacher, moderator, student or observer", ErrClaims, c.Role)
	case c.Session == "" && c.Course == "":
		return fmt.Errorf("%w: token names no session (sid) or course", ErrClaims)
	case c.ExpiresAt.IsZero():
		return fmt.Errorf("%w: exp is missing", ErrClaims)
	}
	return nil
}

// tokenClaims is the JSON claims set on the wire.
type tokenClaims struct {
	jwt.RegisteredClaims        // sub, aud, exp, nbf, iat, jti (iss is ignored)
	Name                 string `json:"name"`
	Role                 string `json:"role"`
	Institution          string `json:"inst,omitempty"`
	Course               string `json:"course,omitempty"`
	Session              string `json:"sid,omitempty"`
}

func (t *tokenClaims) claims() Claims {
	c := Claims{
		UserID:      t.Subject,
		Name:        t.Name,
		Role:        t.Role,
		Institution: t.Institution,
		Course:      t.Course,
		Session:     t.Session,
		ID:          t.ID,
	}
	if t.ExpiresAt != nil {
		c.ExpiresAt = t.ExpiresAt.UTC()
	}
	if t.IssuedAt != nil {
		c.IssuedAt = t.IssuedAt.UTC()
	}
	return c
}

func newTokenClaims(c Claims) *tokenClaims {
	t := &tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   c.UserID,
			Audience:  jwt.ClaimStrings{Audience},
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
			ID:        c.ID,
		},
		Name:        c.Name,
		Role:        c.Role,
		Institution: c.Institution,
		Course:      c.Course,
		Session:     c.Session,
	}
	if !c.IssuedAt.IsZero() {
		t.IssuedAt = jwt.NewNumericDate(c.IssuedAt)
	}
	return t
}
