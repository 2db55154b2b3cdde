package gateway

import (
	"context"
	"errors"

	"github.com/coder/websocket"
	"github.com/homeroom-edu/homeroom/rooms"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/rooms/identity"
	"github.com/homeroom-edu/homeroom/sync/wire"
)

// authenticate turns a hello and its token into a join request: the token
// says who the user is, the catalog says whether and as what they may join
// the session. Every refusal is a closeError with its own code and a
// reason the user can read; nothing here logs the token.
func (g *Gateway) authenticate(ctx context.Context, h wire.Hello, token string) (rooms.JoinRequest, error) {
	if token == "" {
		token = h.Token
	}
	if token == "" {
		return rooms.JoinRequest{}, refuse(wire.CloseUnauthorized, "a join token is required")
	}
	claims, err := g.tokens.Verify(token)
	switch {
	case errors.Is(err, identity.ErrExpired), errors.Is(err, identity.ErrNotYetValid):
		return rooms.JoinRequest{}, refuse(wire.CloseTokenExpired, "join token expired: sign in again")
	case errors.Is(err, identity.ErrBadSignature):
		return rooms.JoinRequest{}, refuse(wire.CloseBadSignature, "join token signature is not valid")
	case err != nil:
		return rooms.JoinRequest{}, refuse(wire.CloseUnauthorized, "join token is not valid")
	}

	adm, err := g.catalog.Admission(ctx, h.Session, claims.UserID)
	enrolled := err == nil
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		return rooms.JoinRequest{}, refuse(wire.CloseForbidden, "no such session")
	case err != nil && !errors.Is(err, catalog.ErrNotEnrolled):
		return rooms.JoinRequest{}, closeWith(wire.CloseInternal, "could not check enrollment")
	}
	if err := identity.CheckScope(claims, scopeOf(claims.Institution, adm.Course.InstitutionID),
		scopeOf(claims.Course, adm.Course.ID), scopeOf(claims.Session, adm.Session.ID)); err != nil {
		return rooms.JoinRequest{}, refuse(wire.CloseForbidden, "join token is for another session")
	}
	if adm.Session.State == catalog.StateEnded {
		return rooms.JoinRequest{}, refuse(wire.CloseSessionEnded, "this session has ended")
	}
	role := adm.Role
	if !enrolled {
		if !adm.Session.Settings.AdmitsGuest(h.Invite) {
			return rooms.JoinRequest{}, refuse(wire.CloseForbidden, "you are not enrolled in this course")
		}
		// A guest is at most a student, whatever the token claims.
		role = catalog.RoleStudent
		if claims.Role == string(catalog.RoleObserver) {
			role = catalog.RoleObserver
		}
	}
	return rooms.JoinRequest{
		Session:   adm.Session.ID,
		CourseID:  adm.Course.ID,
		User:      claims.UserID,
		Name:      claims.Name,
		Role:      role,
		Heads:     h.Heads,
		Mode:      h.Mode,
		Settings:  adm.Session.Settings,
		Guest:     !enrolled,
		StartsAt:  adm.Session.StartsAt,
		EndsAt:    adm.Session.EndsAt,
		Video:     adm.Session.Video,
		ChatSince: h.ChatSince,
	}, nil
}

// scopeOf returns what CheckScope must compare a claim with: the actual
// value when the token makes that claim, "" (matching an absent claim)
// when it does not, so a course-wide token is valid for its sessions.
func scopeOf(claim, actual string) string {
	if claim == "" {
		return ""
	}
	return actual
}

// refuse is a closeError whose reason also reaches the client in an
// error frame, so a browser can show it.
func refuse(code websocket.StatusCode, reason string) error {
	ec := wire.CodeForbidden
	switch code {
	case wire.CloseUnauthorized, wire.CloseTokenExpired, wire.CloseBadSignature:
		ec = wire.CodeUnauthorized
	case wire.CloseSessionEnded:
		ec = wire.CodeSessionEnded
	}
	return &closeError{code: code, reason: reason, frame: ec}
}
