-- raqib store, SQLite flavour: the analyst workspace (issue 6). Keep in step with
-- ../postgres/0003_cases.sql: same tables, same columns; only the column types differ.

-- Browser sessions. The token (256 random bits) lives only in the HttpOnly cookie; the
-- store keeps its SHA-256, so a leaked database does not hand out live sessions. A session
-- belongs to the key that signed in: revoking the key ends its sessions too.
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    member_id     TEXT NOT NULL REFERENCES members(id),
    key_id        TEXT NOT NULL REFERENCES api_keys(id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    ended_at      TEXT,
    user_agent    TEXT
);
CREATE INDEX sessions_member ON sessions(member_id, created_at);

-- A case groups hits and alerts about one subject. Title and subject never change; status,
-- assignee, items and notes are events, so nothing about a case is ever updated.
CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members(id),
    title       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX cases_member_time ON cases(member_id, created_at);

-- The case's history, numbered per case (seq) so "latest status" is unambiguous.
-- kind: status (value = open|escalated|closed), assignee (value = who, '' = nobody),
-- item_added (value = 'hit:<id>' or 'alert:<id>'), note (value = the note id).
-- detail: JSON text with the rest (comment, previous value).
CREATE TABLE case_events (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'assignee', 'item_added', 'note')),
    value       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_case ON case_events(case_id, kind, seq);

-- Hits and alerts in a case (the id is the hit id or the alert id).
CREATE TABLE case_items (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    item_kind   TEXT NOT NULL CHECK (item_kind IN ('hit', 'alert')),
    item_id     TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (case_id, item_kind, item_id)
);
CREATE INDEX case_items_item ON case_items(member_id, item_kind, item_id);

CREATE TABLE case_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

-- History refuses UPDATE and DELETE. A session may be ended once (ended_at set from NULL)
-- and nothing else about it changes.
CREATE TRIGGER cases_no_update BEFORE UPDATE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are append-only'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are append-only'); END;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events are append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events are append-only'); END;
CREATE TRIGGER case_items_no_update BEFORE UPDATE ON case_items
BEGIN SELECT RAISE(ABORT, 'case_items are append-only'); END;
CREATE TRIGGER case_items_no_delete BEFORE DELETE ON case_items
BEGIN SELECT RAISE(ABORT, 'case_items are append-only'); END;
CREATE TRIGGER case_notes_no_update BEFORE UPDATE ON case_notes
BEGIN SELECT RAISE(ABORT, 'case_notes are append-only'); END;
CREATE TRIGGER case_notes_no_delete BEFORE DELETE ON case_notes
BEGIN SELECT RAISE(ABORT, 'case_notes are append-only'); END;
CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
BEGIN SELECT RAISE(ABORT, 'sessions are kept for audit'); END;
CREATE TRIGGER sessions_end_only BEFORE UPDATE ON sessions
WHEN OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.token_sha256 IS NOT OLD.token_sha256
  OR NEW.member_id IS NOT OLD.member_id OR NEW.key_id IS NOT OLD.key_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at
  OR NEW.user_agent IS NOT OLD.user_agent
BEGIN SELECT RAISE(ABORT, 'a session can only be ended, once'); END;
