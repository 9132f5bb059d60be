-- raqib store, SQLite flavour. Keep in step with ../postgres/0001_initial.sql: same tables,
-- same columns, same meaning; only the column types differ (TEXT timestamps and JSON here).

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- Only the SHA-256 of the key's secret part is stored; the key is shown once at creation.
CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members(id),
    role           TEXT NOT NULL CHECK (role IN ('screener', 'analyst', 'admin')),
    secret_sha256  TEXT NOT NULL,
    label          TEXT,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT
);
CREATE INDEX api_keys_member ON api_keys(member_id);

-- One row per screened subject (a batch gives one row per query).
CREATE TABLE screenings (
    id           TEXT PRIMARY KEY,
    member_id    TEXT NOT NULL REFERENCES members(id),
    key_id       TEXT NOT NULL,
    endpoint     TEXT NOT NULL,
    reference    TEXT,
    subject_key  TEXT NOT NULL,
    request      TEXT NOT NULL,
    results      TEXT NOT NULL,
    lists        TEXT NOT NULL,
    config       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX screenings_member_time ON screenings(member_id, created_at);
CREATE INDEX screenings_member_ref ON screenings(member_id, reference);

CREATE TABLE hits (
    id             TEXT PRIMARY KEY,
    screening_id   TEXT NOT NULL REFERENCES screenings(id),
    member_id      TEXT NOT NULL REFERENCES members(id),
    subject_key    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    rank           INTEGER NOT NULL,
    score          REAL NOT NULL,
    is_match       INTEGER NOT NULL,
    matched_name   TEXT NOT NULL,
    caption        TEXT NOT NULL,
    suppressed_by  TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX hits_screening ON hits(screening_id);
CREATE INDEX hits_member_time ON hits(member_id, created_at);

CREATE TABLE decisions (
    id              TEXT PRIMARY KEY,
    hit_id          TEXT NOT NULL REFERENCES hits(id),
    member_id       TEXT NOT NULL REFERENCES members(id),
    subject_key     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('true_match', 'false_positive', 'escalate')),
    comment         TEXT NOT NULL,
    decided_by_key  TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX decisions_subject ON decisions(member_id, subject_key, entity_id, created_at);
CREATE INDEX decisions_hit ON decisions(hit_id);

CREATE TABLE list_loads (
    id          TEXT PRIMARY KEY,
    loaded_at   TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    lists       TEXT NOT NULL,
    error       TEXT,
    actor       TEXT NOT NULL
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    member_id    TEXT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT,
    object_id    TEXT,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_member ON audit_log(member_id, seq);

-- History tables refuse UPDATE and DELETE: there is no code path for them, and the
-- database enforces it too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER screenings_no_update BEFORE UPDATE ON screenings
BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
CREATE TRIGGER screenings_no_delete BEFORE DELETE ON screenings
BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
CREATE TRIGGER hits_no_update BEFORE UPDATE ON hits
BEGIN SELECT RAISE(ABORT, 'hits are append-only'); END;
CREATE TRIGGER hits_no_delete BEFORE DELETE ON hits
BEGIN SELECT RAISE(ABORT, 'hits are append-only'); END;
