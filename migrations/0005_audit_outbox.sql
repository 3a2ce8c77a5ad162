-- Audit events committed in the same transaction as the action they record, waiting to be
-- linked into the hash chain. The chain writer moves each row into audit_log (insert there and
-- delete here in one transaction) right after the action commits; a sweep at start-up and
-- every few seconds moves what a crashed process left behind.
CREATE TABLE audit_outbox (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL,
  type           text NOT NULL,
  subject_index  text,
  client_id      text,
  source         text,
  data           jsonb NOT NULL
);
CREATE INDEX audit_outbox_subject_idx ON audit_outbox (subject_index, id);
