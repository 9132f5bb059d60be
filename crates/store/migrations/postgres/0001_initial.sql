-- raqib store, PostgreSQL flavour. Keep in step with ../sqlite/0001_initial.sql.

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members(id),
    role           TEXT NOT NULL CHECK (role IN ('screener', 'analyst', 'admin')),
    secret_sha256  TEXT NOT NULL,
    label          TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ
);
CREATE INDEX api_keys_member ON api_keys(member_id);

CREATE TABLE screenings (
    id           TEXT PRIMARY KEY,
    member_id    TEXT NOT NULL REFERENCES members(id),
    key_id       TEXT NOT NULL,
    endpoint     TEXT NOT NULL,
    reference    TEXT,
    subject_key  TEXT NOT NULL,
    request      JSONB NOT NULL,
    results      JSONB NOT NULL,
    lists        JSONB NOT NULL,
    config       JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX screenings_member_time ON screenings(member_id, created_at);
CREATE INDEX screenings_member_ref ON screenings(member_id, reference);

CREATE TABLE hits (
    id             TEXT PRIMARY KEY,
    screening_id   TEXT NOT NULL REFERENCES screenings(id),
    member_id      TEXT NOT NULL REFERENCES members(id),
    subject_key    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    rank           BIGINT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    is_match       BOOLEAN NOT NULL,
    matched_name   TEXT NOT NULL,
    caption        TEXT NOT NULL,
    suppressed_by  TEXT,
    created_at     TIMESTAMPTZ NOT NULL
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
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX decisions_subject ON decisions(member_id, subject_key, entity_id, created_at);
CREATE INDEX decisions_hit ON decisions(hit_id);

CREATE TABLE list_loads (
    id          TEXT PRIMARY KEY,
    loaded_at   TIMESTAMPTZ NOT NULL,
    ok          BOOLEAN NOT NULL,
    lists       JSONB NOT NULL,
    error       TEXT,
    actor       TEXT NOT NULL
);

-- detail is TEXT (not JSONB) on purpose: the hash chain covers its exact bytes.
CREATE TABLE audit_log (
    seq          BIGSERIAL PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
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

CREATE FUNCTION raqib_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER screenings_append_only BEFORE UPDATE OR DELETE ON screenings
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER hits_append_only BEFORE UPDATE OR DELETE ON hits
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
