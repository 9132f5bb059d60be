-- raqib store, SQLite flavour: transaction monitoring (issue 6). Keep in step with
-- ../postgres/0002_monitoring.sql: same tables, same columns; only column types differ.

-- Every transaction a member sent for scoring (API) or scored in a batch run (CLI `--store`),
-- as the engine read it. `timestamp` is the event time in Unix seconds (the engine's clock);
-- `body` is the canonical transaction JSON (names, banks, countries, channel).
-- A re-sent transaction id is ignored, never overwritten.
CREATE TABLE transactions (
    member_id   TEXT NOT NULL REFERENCES members(id),
    tx_id       TEXT NOT NULL,
    timestamp   INTEGER NOT NULL,
    orig_acct   TEXT NOT NULL,
    bene_acct   TEXT NOT NULL,
    amount      REAL NOT NULL,
    currency    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (member_id, tx_id)
);
CREATE INDEX transactions_member_time ON transactions(member_id, timestamp);

-- Every version of an alert the engine emitted (raised, then closed; `revision` counts the
-- stored versions 1, 2, ...). The latest revision is the alert; older ones stay as history.
CREATE TABLE alerts (
    member_id    TEXT NOT NULL REFERENCES members(id),
    alert_id     TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    typology     TEXT NOT NULL,
    score        REAL NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    key_account  TEXT NOT NULL,
    accounts     TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    body         TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('api', 'cli')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (member_id, alert_id, revision)
);
CREATE INDEX alerts_member_time ON alerts(member_id, last_seen);
CREATE INDEX alerts_member_status ON alerts(member_id, status, typology);
CREATE INDEX alerts_member_key ON alerts(member_id, key_account);

-- Analysts' verdicts on alerts; a later decision supersedes an earlier one, both stay.
CREATE TABLE alert_decisions (
    id              TEXT PRIMARY KEY,
    member_id       TEXT NOT NULL REFERENCES members(id),
    alert_id        TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('true_match', 'false_positive', 'escalate')),
    comment         TEXT NOT NULL,
    decided_by_key  TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX alert_decisions_alert ON alert_decisions(member_id, alert_id, created_at);

CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
CREATE TRIGGER alerts_no_update BEFORE UPDATE ON alerts
BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts
BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
CREATE TRIGGER alert_decisions_no_update BEFORE UPDATE ON alert_decisions
BEGIN SELECT RAISE(ABORT, 'alert_decisions are append-only'); END;
CREATE TRIGGER alert_decisions_no_delete BEFORE DELETE ON alert_decisions
BEGIN SELECT RAISE(ABORT, 'alert_decisions are append-only'); END;
