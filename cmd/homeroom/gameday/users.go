package gameday

import (
	"fmt"

	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
)

// The users a run joins as. The ids are the same for every run, so a
// course set up once (without an admin key) serves any number of runs.
const (
	teacherID  = "gameday-teacher"
	verifierID = "gameday-verifier"
)

// user is who one gameday client joins as: the subject, display name and
// role of its join token, and of its enrollment.
type user struct {
	id   string
	name string
	role catalog.Role
}

func teacherUser() user { return user{id: teacherID, name: "Teacher", role: catalog.RoleTeacher} }

func verifierUser() user {
	return user{id: verifierID, name: "Gameday verifier", role: catalog.RoleObserver}
}

// studentUser returns the i-th student (from 0): gameday-s0001 and on.
func studentUser(i int) user {
	return user{id: fmt.Sprintf("gameday-s%04d", i+1), name: fmt.Sprintf("Student %04d", i+1), role: catalog.RoleStudent}
}

// roster lists every user of the run: the teacher, the verifier, then the
// students in order.
func (r *runner) roster() []user {
	all := make([]user, 0, r.cfg.Students+2)
	all = append(all, teacherUser(), verifierUser())
	for i := range r.cfg.Students {
		all = append(all, studentUser(i))
	}
	return all
}

// token mints u's join token for the run's session, valid for
// Config.tokenTTL from now. Tokens are minted just before each dial.
func (r *runner) token(u user) (string, error) {
	tok, err := r.minter.Mint(identity.Claims{
		UserID: u.id, Name: u.name, Role: string(u.role), Session: r.cfg.Session,
	}, r.cfg.tokenTTL())
	if err != nil {
		return "", fmt.Errorf("failed to mint the join token of %s: %w", u.id, err)
	}
	return tok, nil
}
