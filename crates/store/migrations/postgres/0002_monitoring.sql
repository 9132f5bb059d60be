-- raqib store, PostgreSQL flavour: transaction monitoring (issue 6). Keep in step with
-- ../sqlite/0002_monitoring.sql. `score`/`amount` are DOUBLE PRECISION (SQLite's REAL is
-- 8 bytes too); `body`/`accounts` are TEXT, the exact JSON the engine wrote.

CREATE TABLE transactions (
    member_id   TEXT NOT NULL REFERENCES members(id),
    tx_id       TEXT NOT NULL,
    timestamp   BIGINT NOT NULL,
    orig_acct   TEXT NOT NULL,
    bene_acct   TEXT NOT NULL,
    amount      DOUBLE PRECISION NOT NULL,
    currency    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (member_id, tx_id)
);
CREATE INDEX transactions_member_time ON transactions(member_id, timestamp);

CREATE TABLE alerts (
    member_id    TEXT NOT NULL REFERENCES members(id),
    alert_id     TEXT NOT NULL,
    revision     BIGINT NOT NULL,
    typology     TEXT NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    key_account  TEXT NOT NULL,
    accounts     TEXT NOT NULL,
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    body         TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('api', 'cli')),
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (member_id, alert_id, revision)
);
CREATE INDEX alerts_member_time ON alerts(member_id, last_seen);
CREATE INDEX alerts_member_status ON alerts(member_id, status, typology);
CREATE INDEX alerts_member_key ON alerts(member_id, key_account);

CREATE TABLE alert_decisions (
    id              TEXT PRIMARY KEY,
    member_id       TEXT NOT NULL REFERENCES members(id),
    alert_id        TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('true_match', 'false_positive', 'escalate')),
    comment         TEXT NOT NULL,
    decided_by_key  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_decisions_alert ON alert_decisions(member_id, alert_id, created_at);

CREATE TRIGGER transactions_append_only BEFORE UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER alerts_append_only BEFORE UPDATE OR DELETE ON alerts
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
CREATE TRIGGER alert_decisions_append_only BEFORE UPDATE OR DELETE ON alert_decisions
    FOR EACH ROW EXECUTE FUNCTION raqib_append_only();
