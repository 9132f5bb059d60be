-- Compact screenings (keep in step with ../sqlite/0004_compact_screenings.sql, which explains
-- the format): one zstd-compressed `{"request":…,"results":…}` document per screening, and the
-- list versions and matcher settings stored once per distinct content.

CREATE TABLE screening_contexts (
    id          TEXT PRIMARY KEY,
    lists       JSONB NOT NULL,
    config      JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TRIGGER screening_contexts_append_only BEFORE UPDATE OR DELETE ON screening_contexts
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();

ALTER TABLE screenings
    ADD COLUMN encoding TEXT,
    ADD COLUMN payload BYTEA,
    ADD COLUMN context_id TEXT REFERENCES screening_contexts(id);
