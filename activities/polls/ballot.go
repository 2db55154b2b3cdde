package polls

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/homeroom-edu/homeroom/activities"
)

// BallotKeySize is the size in bytes of a poll's ballot key.
const BallotKeySize = 32

// NewBallotKey returns a fresh random ballot key for an anonymous poll.
// OpenRequest.Poll already gives one to every anonymous poll it opens.
func NewBallotKey() []byte {
	key := make([]byte, BallotKeySize)
	_, _ = rand.Read(key) // never fails (crypto/rand.Read)
	return key
}

// Voter returns the voter key of user in p, which the store keeps unique
// per poll: user itself for a poll that is not anonymous; for an anonymous
// one "v-" and the unpadded base64url HMAC-SHA256 of user under
// p.BallotKey, which no one can link back to user once the key is erased.
//
// Voter returns "" for an anonymous poll without a key (a closed one, see
// Check) rather than a hash anyone could recompute from the user id.
func Voter(p activities.Poll, user string) string {
	if !p.Anonymous {
		return user
	}
	if len(p.BallotKey) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, p.BallotKey)
	mac.Write([]byte(user))
	return "v-" + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// Submission returns the row that stores a, an answer of user to p
// accepted by Check, submitted at at. The user id is kept in it only for a
// poll that is not anonymous or when the institution's policy keeps ballot
// links (keepLink). Choices are stored sorted, a text trimmed, and the
// answer replaces an earlier one of the same voter if p is Changeable.
func Submission(p activities.Poll, user string, a AnswerRequest, keepLink bool, at time.Time) activities.Submission {
	s := activities.Submission{
		Poll:        p.ID,
		Session:     p.Session,
		Voter:       Voter(p, user),
		AttemptID:   a.AttemptID,
		SubmittedAt: at,
		Replace:     p.Changeable,
	}
	if !p.Anonymous || keepLink {
		s.User = user
	}
	if p.Kind == activities.KindText {
		s.Text = strings.TrimSpace(a.Text)
		return s
	}
	s.Choices = sortedSet(a.Choices)
	s.Score = Score(p, s.Choices)
	return s
}
