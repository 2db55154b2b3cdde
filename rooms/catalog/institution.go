package catalog

import "time"

// MaxRetentionDays bounds Institution.RetentionDays (100 years).
const MaxRetentionDays = 36500

// Institution is a school or district: the top of the room model.
type Institution struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// RetentionDays is how long the data of this institution's ended
	// sessions is kept; 0 means the server's default applies.
	RetentionDays int `json:"retention_days"`
	// BallotLinks says the institution's policy allows keeping the link
	// between a voter and their answer in anonymous polls, for analysts
	// only; it is never sent to clients. Default false: the link is not
	// kept.
	BallotLinks bool `json:"ballot_links"`
	// CreatedAt and UpdatedAt are set by the catalog; see Catalog.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate reports the first field that is not acceptable.
func (in Institution) Validate() error {
	if err := checkID("institution.id", in.ID); err != nil {
		return err
	}
	if err := checkName("institution.name", in.Name); err != nil {
		return err
	}
	if in.RetentionDays < 0 || in.RetentionDays > MaxRetentionDays {
		return invalid("institution.retention_days", "must be between 0 and 36500")
	}
	return nil
}
