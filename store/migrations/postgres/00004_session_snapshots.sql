-- +goose Up
-- session_snapshots keeps, for analysts, the state of each session document
-- as JSON at points in time: when the session compacts its stored document
-- and when it ends. state is the document's JSON rendering (meta, board,
-- hands, presence: docs/document.md); heads are its change hashes.
CREATE TABLE session_snapshots (
    id         bigserial PRIMARY KEY,
    session_id text NOT NULL,
    taken_at   timestamptz NOT NULL,
    heads      jsonb NOT NULL,
    size       integer NOT NULL,
    state      jsonb NOT NULL
);
CREATE INDEX session_snapshots_session ON session_snapshots (session_id, taken_at);

-- The newest snapshot of every session.
CREATE VIEW latest_session_snapshots AS
SELECT DISTINCT ON (session_id) session_id, taken_at, heads, size, state
FROM session_snapshots ORDER BY session_id, taken_at DESC, id DESC;

-- +goose Down
DROP VIEW latest_session_snapshots;
DROP TABLE session_snapshots;
