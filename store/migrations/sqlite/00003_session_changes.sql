-- +goose Up
-- session_changes holds the Automerge changes a live session made since its
-- document in session_documents was saved, appended about once a second so
-- a node that dies loses at most that much. Saving a new document (a
-- compaction) deletes them.
CREATE TABLE session_changes (
    id          integer PRIMARY KEY AUTOINCREMENT,
    session_id  text NOT NULL,
    chunks      blob NOT NULL,
    appended_at integer NOT NULL
);
CREATE INDEX session_changes_session ON session_changes (session_id, id);

-- +goose Down
DROP TABLE session_changes;
