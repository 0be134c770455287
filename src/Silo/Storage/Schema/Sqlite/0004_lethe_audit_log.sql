-- Lethe's audit log: a hash chain, one row per lifecycle transition; recorded_at in microseconds since
-- the Unix epoch (UTC). Rows are never changed or removed.
CREATE TABLE lethe_audit_log (
    sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
    recorded_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    model_id TEXT NOT NULL,
    deletion_request_id TEXT,
    payload_json TEXT NOT NULL,
    previous_hash BLOB NOT NULL CHECK (length(previous_hash) = 32),
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TRIGGER lethe_audit_log_no_update BEFORE UPDATE ON lethe_audit_log
BEGIN
    SELECT RAISE(ABORT, 'lethe_audit_log is append-only');
END;

CREATE TRIGGER lethe_audit_log_no_delete BEFORE DELETE ON lethe_audit_log
BEGIN
    SELECT RAISE(ABORT, 'lethe_audit_log is append-only');
END;
