-- The activities' records as package activities defines them (chat,
-- polls and quizzes, engagement events, attendance), the analysts' views
-- over them, and the institutions' secret-ballot policy.
--
-- The tables of 00002 were created schema-only and never written, so the
-- ones whose shape changed are dropped and created again. Rows carry
-- session_id without a foreign key so that they are purged by session id.
-- Times are integer microseconds since the Unix epoch (UTC), JSON is
-- text; the analysts' views show times as ISO 8601 text.

-- +goose Up
DROP TABLE engagement_events;
DROP TABLE poll_results;
DROP TABLE poll_submissions;
DROP TABLE polls;
DROP TABLE chat_messages;

-- The institution allows keeping the link between a voter and their answer
-- in anonymous polls (for analysts only).
ALTER TABLE institutions ADD COLUMN ballot_links integer NOT NULL DEFAULT 0;

-- chat_messages is the transcript; seq is the message's number in its
-- session. A deleted message keeps its row as a tombstone: body is '' and
-- deleted_at, deleted_by are set.
CREATE TABLE chat_messages (
    session_id text NOT NULL,
    seq        integer NOT NULL,
    client_id  text NOT NULL DEFAULT '',
    user_id    text NOT NULL,
    name       text NOT NULL DEFAULT '',
    role       text NOT NULL DEFAULT '',
    audience   text NOT NULL DEFAULT '', -- '' everyone, 'staff' teachers and moderators
    body       text NOT NULL,
    sent_at    integer NOT NULL,
    deleted_at integer,
    deleted_by text,
    PRIMARY KEY (session_id, seq)
);

-- polls holds polls and quizzes (correct not empty). ballot_key hashes the
-- voters of an anonymous poll while it is open; it is erased when the poll
-- closes, after which no answer can be linked to a person.
CREATE TABLE polls (
    id         text PRIMARY KEY NOT NULL,
    session_id text NOT NULL,
    created_by text NOT NULL,
    kind       text NOT NULL,
    question   text NOT NULL,
    options    text NOT NULL DEFAULT '[]',
    correct    text NOT NULL DEFAULT '[]',
    anonymous  integer NOT NULL DEFAULT 0,
    changeable integer NOT NULL DEFAULT 0,
    published  integer NOT NULL DEFAULT 0,
    opened_at  integer NOT NULL,
    closed_at  integer,
    ballot_key blob,
    CONSTRAINT polls_closed_without_key CHECK (closed_at IS NULL OR ballot_key IS NULL)
);
CREATE INDEX polls_session_id ON polls (session_id, opened_at);

-- poll_submissions keeps one answer per voter and poll. voter is the user
-- id, or for an anonymous poll a keyed hash of it; user_id is NULL unless
-- the link is kept. No foreign key to polls: a batch of answers commits
-- whatever order the poll's own row was written in.
CREATE TABLE poll_submissions (
    poll_id      text NOT NULL,
    session_id   text NOT NULL,
    voter        text NOT NULL,
    user_id      text,
    attempt_id   text NOT NULL,
    choices      text NOT NULL DEFAULT '[]',
    text         text NOT NULL DEFAULT '',
    score        real,
    submitted_at integer NOT NULL,
    PRIMARY KEY (poll_id, voter)
);
CREATE INDEX poll_submissions_session_id ON poll_submissions (session_id);

CREATE TABLE poll_results (
    poll_id       text PRIMARY KEY NOT NULL,
    counts        text NOT NULL DEFAULT '[]',
    total         integer NOT NULL,
    texts         text NOT NULL DEFAULT '[]',
    correct       text NOT NULL DEFAULT '[]',
    correct_count integer NOT NULL DEFAULT 0,
    computed_at   integer NOT NULL
);

-- session_events replaces engagement_events: joins, leaves, visibility and
-- engagement (activities.Event*), detail a short qualifier.
CREATE TABLE session_events (
    id         integer PRIMARY KEY AUTOINCREMENT,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    kind       text NOT NULL,
    at         integer NOT NULL,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX session_events_session_at ON session_events (session_id, at);

-- attendance_records holds each participant's attendance of a session
-- with its evidence; final is set for the records computed at its end.
CREATE TABLE attendance_records (
    session_id        text NOT NULL,
    user_id           text NOT NULL,
    name              text NOT NULL DEFAULT '',
    role              text NOT NULL,
    first_join        integer,
    last_leave        integer,
    connected_seconds integer NOT NULL DEFAULT 0,
    active_seconds    integer NOT NULL DEFAULT 0,
    engagement        text NOT NULL DEFAULT '{}',
    status            text NOT NULL,
    evidence          text NOT NULL DEFAULT '',
    computed_at       integer NOT NULL,
    final             integer NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, user_id)
);

-- Views for analysts (docs/analytics.md); their names and columns are
-- stable.

-- Every stored poll result with its question; counts[i] counts options[i].
CREATE VIEW poll_results_view AS
SELECT r.poll_id, p.session_id, p.question, p.kind, p.options, r.counts, r.total,
       r.correct_count, strftime('%Y-%m-%dT%H:%M:%fZ', p.closed_at / 1000000.0, 'unixepoch') AS closed_at
FROM poll_results r
JOIN polls p ON p.id = r.poll_id;

-- Attendance in minutes, one row per participant and session.
CREATE VIEW attendance_view AS
SELECT session_id, user_id, name, role, status,
       round(connected_seconds / 60.0, 1) AS connected_minutes,
       round(active_seconds / 60.0, 1) AS active_minutes,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_join / 1000000.0, 'unixepoch') AS first_join,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_leave / 1000000.0, 'unixepoch') AS last_leave,
       engagement, final
FROM attendance_records;

-- The chat transcript; a deleted message has a NULL body.
CREATE VIEW chat_transcript AS
SELECT session_id, seq, user_id, name, role, audience,
       strftime('%Y-%m-%dT%H:%M:%fZ', sent_at / 1000000.0, 'unixepoch') AS sent_at,
       CASE WHEN deleted_at IS NULL THEN body END AS body,
       strftime('%Y-%m-%dT%H:%M:%fZ', deleted_at / 1000000.0, 'unixepoch') AS deleted_at
FROM chat_messages;

-- +goose Down
DROP VIEW chat_transcript;
DROP VIEW attendance_view;
DROP VIEW poll_results_view;
DROP TABLE attendance_records;
DROP TABLE session_events;
DROP TABLE poll_results;
DROP TABLE poll_submissions;
DROP TABLE polls;
DROP TABLE chat_messages;
ALTER TABLE institutions DROP COLUMN ballot_links;

-- The tables of 00002 as they were.
CREATE TABLE chat_messages (
    id         integer PRIMARY KEY AUTOINCREMENT,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    body       text NOT NULL,
    sent_at    integer NOT NULL,
    deleted_at integer,
    deleted_by text
);
CREATE INDEX chat_messages_session_id ON chat_messages (session_id, id);

CREATE TABLE polls (
    id         text PRIMARY KEY NOT NULL,
    session_id text NOT NULL,
    created_by text NOT NULL,
    kind       text NOT NULL,
    question   text NOT NULL,
    options    text NOT NULL DEFAULT '[]',
    anonymous  integer NOT NULL DEFAULT 0,
    opened_at  integer NOT NULL,
    closed_at  integer
);
CREATE INDEX polls_session_id ON polls (session_id, opened_at);

CREATE TABLE poll_submissions (
    id           integer PRIMARY KEY AUTOINCREMENT,
    poll_id      text NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id      text NOT NULL,
    attempt_id   text NOT NULL,
    answer       text NOT NULL,
    submitted_at integer NOT NULL,
    UNIQUE (poll_id, user_id),
    UNIQUE (attempt_id)
);

CREATE TABLE poll_results (
    poll_id     text PRIMARY KEY REFERENCES polls (id) ON DELETE CASCADE,
    counts      text NOT NULL,
    total       integer NOT NULL,
    computed_at integer NOT NULL
);

CREATE TABLE engagement_events (
    id         integer PRIMARY KEY AUTOINCREMENT,
    session_id text NOT NULL,
    user_id    text NOT NULL,
    kind       text NOT NULL,
    at         integer NOT NULL,
    value      text
);
CREATE INDEX engagement_events_session_at ON engagement_events (session_id, at);
