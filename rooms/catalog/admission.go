package catalog

// Admission is everything a join needs to decide, from one lookup. It is
// returned by Catalog.Admission:
//
//   - the session does not exist: ErrNotFound, zero Admission;
//   - the user is not enrolled in its course: ErrNotEnrolled with Session
//     and Course filled in (so the caller can still admit a guest, see
//     Settings.AdmitsGuest) and Role empty;
//   - otherwise: all three fields and a nil error.
//
// Admission does not look at the session's state or schedule: whether an
// enrolled user may join a scheduled or ended session is the caller's
// policy.
type Admission struct {
	Session Session
	Course  Course
	// Role is the user's enrolled role in Course, or "" when not enrolled.
	Role Role
}
