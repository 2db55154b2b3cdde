package catalogtest

import (
	"testing"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
)

// Run runs the Catalog conformance suite; newCatalog returns a fresh,
// empty catalog for each subtest (and may register cleanup with t).
func Run(t *testing.T, newCatalog func(t *testing.T) catalog.Catalog) {
	tests := []struct {
		name string
		fn   func(t *testing.T, c catalog.Catalog)
	}{
		{"InstitutionCreateGet", testInstitutionCreateGet},
		{"InstitutionCompareAndSet", testInstitutionCompareAndSet},
		{"InstitutionBallotLinks", testInstitutionBallotLinks},
		{"InstitutionInvalid", testInstitutionInvalid},
		{"InstitutionListPages", testInstitutionListPages},
		{"CourseNeedsInstitution", testCourseNeedsInstitution},
		{"CourseListByInstitution", testCourseListByInstitution},
		{"CourseCompareAndSet", testCourseCompareAndSet},
		{"SessionRoundTrip", testSessionRoundTrip},
		{"SessionNeedsCourse", testSessionNeedsCourse},
		{"SessionInvalid", testSessionInvalid},
		{"SessionCompareAndSet", testSessionCompareAndSet},
		{"SessionListByCourse", testSessionListByCourse},
		{"GetMissing", testGetMissing},
		{"EnrollmentLifecycle", testEnrollmentLifecycle},
		{"EnrollmentNeedsCourse", testEnrollmentNeedsCourse},
		{"EnrollmentListPages", testEnrollmentListPages},
		{"Admission", testAdmission},
		{"EventsEnrollment", testEventsEnrollment},
		{"EventsSession", testEventsSession},
		{"EventsUnsubscribe", testEventsUnsubscribe},
		{"EventsUnreadSubscriberDoesNotBlock", testEventsUnreadSubscriber},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newCatalog(t)) })
	}
}

// RunAudit runs the AuditLog conformance suite; newLog returns a fresh,
// empty log for each subtest.
func RunAudit(t *testing.T, newLog func(t *testing.T) catalog.AuditLog) {
	tests := []struct {
		name string
		fn   func(t *testing.T, l catalog.AuditLog)
	}{
		{"RecordList", testAuditRecordList},
		{"FilterAndLimit", testAuditFilterAndLimit},
		{"Invalid", testAuditInvalid},
		{"Concurrent", testAuditConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newLog(t)) })
	}
}
