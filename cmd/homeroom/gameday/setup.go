package gameday

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The admin set-up of a run (Config.AdminKey): everything the node's
// catalog must hold before the first join, made through the admin API
// (docs/api.md). Every step may be repeated: a record that exists (409)
// is reused, enrollments are upserts.

// enrollChunk is how many enrollments one bulk request carries.
const enrollChunk = 1000

// adminTimeout bounds one admin API request.
const adminTimeout = 30 * time.Second

// setup creates (or reuses) the run's institution and course, creates the
// session live (or makes an existing one live), and enrolls every user of
// the run in the session's course.
func (r *runner) setup(ctx context.Context) error {
	a := r.adminClient()
	session := r.cfg.Session
	inst, course := derivedID(session, "inst"), derivedID(session, "course")
	err := a.create(ctx, "/admin/institutions", map[string]any{"id": inst, "name": "Homeroom gameday"})
	if err != nil {
		return fmt.Errorf("institution %q: %w", inst, err)
	}
	err = a.create(ctx, "/admin/courses", map[string]any{"id": course, "institution_id": inst, "name": "Gameday " + session})
	if err != nil {
		return fmt.Errorf("course %q: %w", course, err)
	}
	if course, err = a.liveSession(ctx, session, course, r.cfg.tokenTTL()); err != nil {
		return fmt.Errorf("session %q: %w", session, err)
	}
	users := r.roster()
	for start := 0; start < len(users); start += enrollChunk {
		chunk := users[start:min(start+enrollChunk, len(users))]
		body := make([]map[string]string, len(chunk))
		for i, u := range chunk {
			body[i] = map[string]string{"user_id": u.id, "role": string(u.role)}
		}
		path := "/admin/courses/" + url.PathEscape(course) + "/enrollments"
		if _, err := a.do(ctx, http.MethodPost, path, body, nil, http.StatusOK); err != nil {
			return fmt.Errorf("enroll users %d-%d of %d in course %q: %w", start+1, start+len(chunk), len(users), course, err)
		}
	}
	return nil
}

// liveSession creates the session live in course, or reuses the one that
// exists, starting it if it is scheduled. It returns the course the
// session belongs to, where the run's users must be enrolled.
func (a *adminClient) liveSession(ctx context.Context, id, course string, length time.Duration) (string, error) {
	now := time.Now().UTC()
	status, err := a.do(ctx, http.MethodPost, "/admin/sessions", map[string]any{
		"id": id, "course_id": course, "title": "Gameday " + id, "state": "live",
		"starts_at": now.Add(-time.Minute), "ends_at": now.Add(length),
	}, nil, http.StatusCreated, http.StatusConflict)
	if err != nil || status == http.StatusCreated {
		return course, err
	}
	var s struct {
		CourseID string `json:"course_id"`
		State    string `json:"state"`
	}
	path := "/admin/sessions/" + url.PathEscape(id)
	if _, err := a.do(ctx, http.MethodGet, path, nil, &s, http.StatusOK); err != nil {
		return "", err
	}
	switch s.State {
	case "live":
	case "scheduled":
		if _, err := a.do(ctx, http.MethodPatch, path, map[string]string{"state": "live"}, nil, http.StatusOK); err != nil {
			return "", fmt.Errorf("start it: %w", err)
		}
	default:
		return "", fmt.Errorf("it exists and is %s: choose another session", s.State)
	}
	return s.CourseID, nil
}

// derivedID is the id of the run's institution or course (kind): the
// session id and kind, e.g. "gameday-1a2b3c4d.course", or a hash of a
// session id too long for that.
func derivedID(session, kind string) string {
	id := session + "." + kind
	if len(id) > 128 {
		sum := sha256.Sum256([]byte(session))
		id = "gameday-" + hex.EncodeToString(sum[:8]) + "." + kind
	}
	return id
}

// adminClient returns a client of the node's admin API with the run's key.
func (r *runner) adminClient() *adminClient {
	return &adminClient{base: strings.TrimSuffix(r.cfg.AdminURL, "/"), key: r.cfg.AdminKey, http: &http.Client{}}
}

// adminClient makes requests of the admin API.
type adminClient struct {
	base string // http://host:port, no trailing slash
	key  string
	http *http.Client
}

// create POSTs a record; 201 (created) and 409 (already there) both do.
func (a *adminClient) create(ctx context.Context, path string, body any) error {
	_, err := a.do(ctx, http.MethodPost, path, body, nil, http.StatusCreated, http.StatusConflict)
	return err
}

// do sends body (unless nil) as JSON and decodes the answer into out
// (unless nil). A status not in want is an error quoting the API's error
// message.
func (a *adminClient) do(ctx context.Context, method, path string, body, out any, want ...int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("failed to %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("failed to read the answer to %s %s: %w", method, path, err)
	}
	for _, w := range want {
		if resp.StatusCode != w {
			continue
		}
		if out != nil && w < 300 {
			if err := json.Unmarshal(data, out); err != nil {
				return w, fmt.Errorf("%s %s: bad answer: %w", method, path, err)
			}
		}
		return w, nil
	}
	return resp.StatusCode, fmt.Errorf("%s %s: %s", method, path, apiError(resp.StatusCode, data))
}

// apiError describes an admin API error answer,
// {"error": {"code": ..., "message": ...}}, or whatever else came.
func apiError(status int, body []byte) error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
		return fmt.Errorf("%d %s: %s", status, e.Error.Code, e.Error.Message)
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return fmt.Errorf("%d %s: %s", status, http.StatusText(status), bytes.TrimSpace(body))
}
