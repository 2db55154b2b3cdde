package catalog

import "time"

// Course belongs to one institution; its sessions are the live classes and
// its enrollments say who may join them.
type Course struct {
	ID            string    `json:"id"`
	InstitutionID string    `json:"institution_id"`
	Name          string    `json:"name"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Validate reports the first field that is not acceptable.
func (c Course) Validate() error {
	if err := checkID("course.id", c.ID); err != nil {
		return err
	}
	if err := checkID("course.institution_id", c.InstitutionID); err != nil {
		return err
	}
	return checkName("course.name", c.Name)
}
