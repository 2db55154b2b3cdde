-- +goose Up
-- session_changes holds the Automerge changes a live session made since its
-- document in session_documents was saved, appended about once a second so
-- a node that dies loses at most that much. Saving a new document (a
-- compaction) deletes them.
CREATE TABLE session_changes (
    id          bigserial PRIMARY KEY,
    session_id  text NOT NULL,
    chunks      bytea NOT NULL,
    appended_at timestamptz NOT NULL
);
CREATE INDEX session_changes_session ON session_changes (session_id, id);

-- +goose Down
DROP TABLE session_changes;
