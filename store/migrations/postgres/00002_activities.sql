-- Activities of live sessions: chat, polls, attendance and engagement.
-- Schema only; written by the activities work. Rows carry session_id
-- without a foreign key so that they are purged by session id.

-- +goose Up
CREATE TABLE chat_messages (
    id         bigserial PRIMARY KEY,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    body       text NOT NULL,
    sent_at    timestamptz NOT NULL,
    deleted_at timestamptz,
    deleted_by text
);
CREATE INDEX chat_messages_session_id ON chat_messages (session_id, id);

CREATE TABLE polls (
    id         text PRIMARY KEY,
    session_id text NOT NULL,
    created_by text NOT NULL,
    kind       text NOT NULL,
    question   text NOT NULL,
    options    jsonb NOT NULL DEFAULT '[]',
    anonymous  boolean NOT NULL DEFAULT false,
    opened_at  timestamptz NOT NULL,
    closed_at  timestamptz
);
CREATE INDEX polls_session_id ON polls (session_id, opened_at);

CREATE TABLE poll_submissions (
    id           bigserial PRIMARY KEY,
    poll_id      text NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id      text NOT NULL,
    attempt_id   text NOT NULL,
    answer       jsonb NOT NULL,
    submitted_at timestamptz NOT NULL,
    UNIQUE (poll_id, user_id),
    UNIQUE (attempt_id)
);

CREATE TABLE poll_results (
    poll_id     text PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
    counts      jsonb NOT NULL,
    total       integer NOT NULL,
    computed_at timestamptz NOT NULL
);

CREATE TABLE attendance_intervals (
    id         bigserial PRIMARY KEY,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    role       text NOT NULL,
    joined_at  timestamptz NOT NULL,
    left_at    timestamptz
);
CREATE INDEX attendance_intervals_session_user ON attendance_intervals (session_id, user_id, joined_at);

CREATE TABLE engagement_events (
    id         bigserial PRIMARY KEY,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    kind       text NOT NULL,
    at         timestamptz NOT NULL,
    value      jsonb
);
CREATE INDEX engagement_events_session_at ON engagement_events (session_id, at);

-- +goose Down
DROP TABLE engagement_events;
DROP TABLE attendance_intervals;
DROP TABLE poll_results;
DROP TABLE poll_submissions;
DROP TABLE polls;
DROP TABLE chat_messages;
