package sqlpurge

import (
	"context"
	"errors"
	"fmt"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/store/privacy"
)

// PurgeUser implements privacy.UserPurger's PurgeUser over db. Documents
// are redacted one transaction per session, then the snapshots, the
// activities' records and the catalog (enrollments, audit log) one
// transaction each, in that order: what finds the user's sessions goes
// last, so a run that fails part-way is finished by running it again.
// Errors name no user.
func PurgeUser(ctx context.Context, db DB, user, pseudonym string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, pseudonym); err != nil {
		return privacy.PurgeReport{}, err
	}
	return purgeUser(ctx, db, user, pseudonym, false)
}

// PlanPurge implements privacy.UserPurger's PlanPurge over db: the
// transactions of PurgeUser, rolled back.
func PlanPurge(ctx context.Context, db DB, user string) (privacy.PurgeReport, error) {
	if err := privacy.Check(user, privacy.NewPseudonym()); err != nil {
		return privacy.PurgeReport{}, err
	}
	return purgeUser(ctx, db, user, "", true)
}

func purgeUser(ctx context.Context, db DB, user, pseudonym string, dry bool) (privacy.PurgeReport, error) {
	rep := privacy.PurgeReport{Pseudonym: pseudonym, DryRun: dry}
	write := pseudonym
	if dry {
		write = privacy.NewPseudonym() // written, then rolled back
	}
	traces, err := db.Traced(ctx, user)
	if err != nil {
		return rep, err
	}
	candidates, err := db.Candidates(ctx, user)
	if err != nil {
		return rep, err
	}
	all := privacy.Sorted(append(candidates, traces...))
	openList, err := db.Open(ctx, all)
	if err != nil {
		return rep, err
	}
	open := make(map[string]bool, len(openList))
	for _, id := range openList {
		open[id] = true
	}
	// Sessions not ended are left as they are, document and records: a
	// node may hold one live, with the user in memory, and its next save
	// would be appended to (and break) a rewritten document, or overwrite
	// it. They are reported, and their records find them again when the
	// purge is run once they have ended.
	skip := append([]string{}, openList...) // never nil
	touched := traces
	var errs []error
	for _, id := range all {
		changed, err := redactDocument(ctx, db, id, user, write, dry || open[id])
		switch {
		case err != nil:
			errs = append(errs, err)
		case changed:
			touched = append(touched, id)
			if !open[id] {
				rep.Documents++
			}
		}
	}
	n, snapped, err := redactSnapshots(ctx, db, user, write, skip, dry)
	if err != nil {
		errs = append(errs, err)
	}
	rep.Snapshots, touched = n, append(touched, snapped...)
	var act privacy.PurgeReport
	err = inTx(ctx, db, dry, func(tx Tx) error {
		act = privacy.PurgeReport{} // counts of this attempt only
		return tx.Activities(ctx, user, write, skip, &act)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("failed to purge activities: %w", err))
	} else {
		rep.Add(act)
	}
	var removed []string
	err = inTx(ctx, db, dry, func(tx Tx) (err error) {
		removed, rep.Audit, err = tx.Catalog(ctx, user, write, skip)
		return err
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("failed to purge enrollments and audit log: %w", err))
	} else if rep.Enrollments = len(removed); !dry {
		events := make([]catalog.Event, len(removed))
		for i, course := range removed {
			events[i] = catalog.Event{Kind: catalog.EnrollmentRemoved, CourseID: course, UserID: user}
		}
		db.Publish(events)
	}
	rep.Sessions, rep.OpenSessions = privacy.Sorted(touched), []string{}
	for _, id := range rep.Sessions {
		if open[id] {
			rep.OpenSessions = append(rep.OpenSessions, id)
		}
	}
	return rep, errors.Join(errs...)
}
