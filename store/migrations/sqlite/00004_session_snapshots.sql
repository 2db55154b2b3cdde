-- +goose Up
-- session_snapshots keeps, for analysts, the state of each session document
-- as JSON at points in time: when the session compacts its stored document
-- and when it ends. state is the document's JSON rendering (meta, board,
-- hands, presence: docs/document.md); heads are its change hashes.
CREATE TABLE session_snapshots (
    id         integer PRIMARY KEY AUTOINCREMENT,
    session_id text NOT NULL,
    taken_at   integer NOT NULL,
    heads      text NOT NULL,
    size       integer NOT NULL,
    state      text NOT NULL
);
CREATE INDEX session_snapshots_session ON session_snapshots (session_id, taken_at);

-- The newest snapshot of every session.
CREATE VIEW latest_session_snapshots AS
SELECT s.session_id, s.taken_at, s.heads, s.size, s.state
FROM session_snapshots s
WHERE s.id = (SELECT max(id) FROM session_snapshots t WHERE t.session_id = s.session_id);

-- +goose Down
DROP VIEW latest_session_snapshots;
DROP TABLE session_snapshots;
