-- Of two audit rows naming the same predecessor only one can commit, so the chain cannot fork
-- and writers need no lock: a writer whose head went stale gets a unique violation and retries.
CREATE UNIQUE INDEX audit_log_prev_hash_key ON audit_log (prev_hash);
