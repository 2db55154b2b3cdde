-- The analysts' view of sessions: each session with its course and
-- institution, its schedule and state, and counts of what happened in it
-- (docs/analytics.md). Its name and columns are stable; times are ISO 8601
-- text as in the other views.

-- +goose Up
CREATE VIEW sessions_view AS
SELECT s.id AS session_id, s.title, s.state,
       strftime('%Y-%m-%dT%H:%M:%fZ', s.starts_at / 1000000.0, 'unixepoch') AS starts_at,
       strftime('%Y-%m-%dT%H:%M:%fZ', s.ends_at / 1000000.0, 'unixepoch') AS ends_at,
       c.id AS course_id, c.name AS course_name,
       i.id AS institution_id, i.name AS institution_name,
       (SELECT count(*) FROM attendance_records a WHERE a.session_id = s.id) AS participants,
       (SELECT count(*) FROM attendance_records a WHERE a.session_id = s.id AND a.status IN ('present', 'late', 'left_early')) AS attended,
       (SELECT count(*) FROM polls p WHERE p.session_id = s.id) AS polls,
       (SELECT count(*) FROM chat_messages m WHERE m.session_id = s.id) AS chat_messages,
       (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(taken_at) / 1000000.0, 'unixepoch') FROM session_snapshots n WHERE n.session_id = s.id) AS last_snapshot_at
FROM sessions s
JOIN courses c ON c.id = s.course_id
JOIN institutions i ON i.id = c.institution_id;

-- +goose Down
DROP VIEW sessions_view;
