-- The room model, the audit log and saved session documents.
-- Times are timestamptz (UTC, microseconds). Ids use the "C" collation so
-- that lists page in byte order, as catalog.Page promises.

-- +goose Up
CREATE TABLE institutions (
    id             text COLLATE "C" PRIMARY KEY,
    name           text NOT NULL,
    retention_days integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE courses (
    id             text COLLATE "C" PRIMARY KEY,
    institution_id text COLLATE "C" NOT NULL REFERENCES institutions (id),
    name           text NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX courses_institution_id ON courses (institution_id, id);

CREATE TABLE sessions (
    id         text COLLATE "C" PRIMARY KEY,
    course_id  text COLLATE "C" NOT NULL REFERENCES courses (id),
    title      text NOT NULL,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    state      text NOT NULL,
    settings   jsonb NOT NULL DEFAULT '{}',
    video      jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX sessions_course_id ON sessions (course_id, id);

CREATE TABLE enrollments (
    course_id  text COLLATE "C" NOT NULL REFERENCES courses (id),
    user_id    text COLLATE "C" NOT NULL,
    role       text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrollments_user_id ON enrollments (user_id);

-- audit_log keeps no foreign keys: entries outlive what they name.
CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor_id   text NOT NULL DEFAULT '',
    actor_role text NOT NULL DEFAULT '',
    action     text NOT NULL,
    session_id text NOT NULL DEFAULT '',
    target_id  text NOT NULL DEFAULT '',
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_session_id ON audit_log (session_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- session_documents holds each session's last saved Automerge document.
-- No foreign key: a document is purged by session id with the rest.
CREATE TABLE session_documents (
    session_id text PRIMARY KEY,
    doc        bytea NOT NULL,
    size       integer NOT NULL,
    saved_at   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE session_documents;
DROP TABLE audit_log;
DROP TABLE enrollments;
DROP TABLE sessions;
DROP TABLE courses;
DROP TABLE institutions;
