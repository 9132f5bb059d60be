-- raqib store, PostgreSQL flavour: the analyst workspace (issue 6). Keep in step with
-- ../sqlite/0003_cases.sql.

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    member_id     TEXT NOT NULL REFERENCES members(id),
    key_id        TEXT NOT NULL REFERENCES api_keys(id),
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ,
    user_agent    TEXT
);
CREATE INDEX sessions_member ON sessions(member_id, created_at);

CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members(id),
    title       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_member_time ON cases(member_id, created_at);

CREATE TABLE case_events (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'assignee', 'item_added', 'note')),
    value       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_case ON case_events(case_id, kind, seq);

CREATE TABLE case_items (
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    item_kind   TEXT NOT NULL CHECK (item_kind IN ('hit', 'alert')),
    item_id     TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, item_kind, item_id)
);
CREATE INDEX case_items_item ON case_items(member_id, item_kind, item_id);

CREATE TABLE case_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    member_id   TEXT NOT NULL REFERENCES members(id),
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

-- raqib_append_only() comes from 0001_initial.sql.
CREATE TRIGGER cases_append_only BEFORE UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER case_items_append_only BEFORE UPDATE OR DELETE ON case_items
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();

CREATE FUNCTION raqib_session_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'sessions are kept for audit';
    END IF;
    IF OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.token_sha256 IS DISTINCT FROM OLD.token_sha256
       OR NEW.member_id IS DISTINCT FROM OLD.member_id OR NEW.key_id IS DISTINCT FROM OLD.key_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
       OR NEW.user_agent IS DISTINCT FROM OLD.user_agent THEN
        RAISE EXCEPTION 'a session can only be ended, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER sessions_end_only BEFORE UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION raqib_session_end_only();
