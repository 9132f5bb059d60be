-- Compact screenings (keep in step with ../postgres/0004_compact_screenings.sql).
--
-- A screening's request (as received) and answer (as sent) are stored together as one
-- zstd-compressed JSON document `{"request":…,"results":…}` in `payload`, with `encoding` naming
-- the format ('zstd+json'). The list versions and matcher settings, identical for every
-- screening on one lists load, are stored once in `screening_contexts` (id = SHA-256 of the
-- content) and referenced by `context_id`.
--
-- Rows written before this migration keep `encoding` NULL and their JSON in the old columns.
-- New rows put the JSON text 'null' in the old NOT NULL columns (request, results, lists,
-- config); readers go by `encoding`.

CREATE TABLE screening_contexts (
    id          TEXT PRIMARY KEY,
    lists       TEXT NOT NULL,
    config      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TRIGGER screening_contexts_no_update BEFORE UPDATE ON screening_contexts
BEGIN SELECT RAISE(ABORT, 'screening_contexts are append-only'); END;
CREATE TRIGGER screening_contexts_no_delete BEFORE DELETE ON screening_contexts
BEGIN SELECT RAISE(ABORT, 'screening_contexts are append-only'); END;

ALTER TABLE screenings ADD COLUMN encoding TEXT;
ALTER TABLE screenings ADD COLUMN payload BLOB;
ALTER TABLE screenings ADD COLUMN context_id TEXT REFERENCES screening_contexts(id);
