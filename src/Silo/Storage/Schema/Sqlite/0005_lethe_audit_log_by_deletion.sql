-- A deletion's entries by request id, in order: the latest entry of each deletion (its current state)
-- is read without scanning the whole log.
CREATE INDEX lethe_audit_log_by_deletion ON lethe_audit_log (deletion_request_id, sequence)
    WHERE deletion_request_id IS NOT NULL;
