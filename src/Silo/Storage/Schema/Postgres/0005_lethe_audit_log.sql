-- Lethe's audit log: a hash chain, one row per lifecycle transition. payload_json is text, not jsonb,
-- so that its bytes stay exactly those that were hashed. Rows are never changed or removed.
CREATE TABLE lethe_audit_log (
    sequence bigint PRIMARY KEY CHECK (sequence >= 1),
    recorded_at timestamptz NOT NULL,
    kind text NOT NULL,
    model_id text NOT NULL,
    deletion_request_id text,
    payload_json text NOT NULL,
    previous_hash bytea NOT NULL CHECK (length(previous_hash) = 32),
    hash bytea NOT NULL CHECK (length(hash) = 32)
);

CREATE FUNCTION lethe_audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    RAISE EXCEPTION 'lethe_audit_log is append-only';
END
$f$;

CREATE TRIGGER lethe_audit_log_append_only BEFORE UPDATE OR DELETE ON lethe_audit_log
    FOR EACH ROW EXECUTE FUNCTION lethe_audit_log_refuse_change();

CREATE TRIGGER lethe_audit_log_no_truncate BEFORE TRUNCATE ON lethe_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION lethe_audit_log_refuse_change();
