-- Four-eyes change requests: a high-impact admin change waits here until a second admin with
-- a role its kind names approves it (or rejects it, or it lapses). Actors are named as in the
-- admin principal ('person:<id>' or 'client:<client_id>'); payloads hold ids and policy values,
-- never an ID number, name or secret in clear.
CREATE TABLE change_requests (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL,
  payload         jsonb NOT NULL,
  -- readable lines of what the change does (shown on the approvals page and in the audit trail)
  summary         jsonb NOT NULL,
  proposed_by     text NOT NULL,
  proposer_roles  text[] NOT NULL,
  reason          text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected', 'lapsed')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  decided_by      text,
  decided_roles   text[],
  decided_reason  text,
  decided_at      timestamptz,
  -- nobody approves their own request (withdrawing it is a rejection by its author)
  CHECK (status <> 'applied' OR decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX change_requests_status_idx ON change_requests (status, expires_at);
