package catalog

import "time"

import "context"

// DefaultPageLimit is the number of records a list returns when
// Page.Limit is 0.
const DefaultPageLimit = 100

// Page selects one page of a list. Lists are sorted by id (by user id for
// enrollments); pass the last id of one page as After to get the next.
type Page struct {
	// After returns only records whose id sorts after it (byte order).
	// Default "": from the start.
	After string
	// Limit is the most records returned. Default (0) DefaultPageLimit;
	// implementations impose no maximum, callers do.
	Limit int
}

// Size is the number of records the page holds at most: Limit, or
// DefaultPageLimit when it is not set.
func (p Page) Size() int {
	if p.Limit <= 0 {
		return DefaultPageLimit
	}
	return p.Limit
}

// StoredTime is how catalogs keep every time: in UTC, to the microsecond,
// so that every implementation returns the same values.
func StoredTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Catalog stores the room model. Implementations are safe for concurrent
// use and must pass catalogtest.Run.
//
// Put methods of institutions, courses and sessions are compare-and-set on
// UpdatedAt, so a read-modify-write never silently loses a concurrent one:
//   - a record with a zero UpdatedAt is created; ErrConflict if its id
//     exists;
//   - otherwise it replaces the stored record only if UpdatedAt equals the
//     stored UpdatedAt (the caller read the latest version); ErrConflict if
//     the record changed since, ErrNotFound if there is none.
//
// Puts validate the record (ErrInvalid), check that its parent exists
// (ErrConflict), set CreatedAt (kept from the stored record on update) and
// UpdatedAt (strictly increasing per record), and return the record as
// stored. Times are stored in UTC, truncated to the microsecond.
type Catalog interface {
	PutInstitution(ctx context.Context, in Institution) (Institution, error)
	GetInstitution(ctx context.Context, id string) (Institution, error)
	ListInstitutions(ctx context.Context, p Page) ([]Institution, error)

	// PutCourse needs an existing institution.
	PutCourse(ctx context.Context, c Course) (Course, error)
	GetCourse(ctx context.Context, id string) (Course, error)
	// ListCourses lists the courses of institutionID, or of every
	// institution when it is "".
	ListCourses(ctx context.Context, institutionID string, p Page) ([]Course, error)

	// PutSession needs an existing course. It emits SessionEnded when the
	// session enters StateEnded and SessionChanged for any other write.
	PutSession(ctx context.Context, s Session) (Session, error)
	GetSession(ctx context.Context, id string) (Session, error)
	// ListSessions lists the sessions of courseID, or of every course
	// when it is "".
	ListSessions(ctx context.Context, courseID string, p Page) ([]Session, error)

	// PutEnrollment creates or replaces (upserts) the user's enrollment;
	// it needs an existing course and emits EnrollmentChanged.
	PutEnrollment(ctx context.Context, e Enrollment) (Enrollment, error)
	GetEnrollment(ctx context.Context, courseID, userID string) (Enrollment, error)
	// DeleteEnrollment removes the enrollment (ErrNotFound if there is
	// none) and emits EnrollmentRemoved.
	DeleteEnrollment(ctx context.Context, courseID, userID string) error
	// ListEnrollments lists a course's enrollments by user id; a course
	// that does not exist has none.
	ListEnrollments(ctx context.Context, courseID string, p Page) ([]Enrollment, error)

	// Admission answers a join: see Admission.
	Admission(ctx context.Context, sessionID, userID string) (Admission, error)

	// Subscribe returns a channel of change events and a function that
	// ends the subscription and closes the channel (safe to call more than
	// once). Writers never wait for subscribers: a subscriber that falls
	// behind loses events and receives one Resync event instead. Events
	// arrive within seconds of the write, in write order per record;
	// implementations shared by several nodes report every node's writes.
	Subscribe() (<-chan Event, func())
}
