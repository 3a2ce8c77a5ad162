-- Signing keys kept in PostgreSQL so every instance follows a rotation made from the admin
-- console without a restart. The private JWK is encrypted with the data key (field cipher,
-- context 'signing-key:<kid>'); a key no longer published keeps its row (history) without it.
CREATE TABLE signing_keys (
  kid           text PRIMARY KEY,
  alg           text NOT NULL,
  status        text NOT NULL CHECK (status IN ('next', 'active', 'retired', 'removed')),
  jwk_enc       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  activated_at  timestamptz,
  retired_at    timestamptz,
  removed_at    timestamptz,
  CHECK ((status = 'removed') = (jwk_enc IS NULL))
);
-- at most one signing key per algorithm
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (alg) WHERE status = 'active';

-- The file or environment document the keys were last taken from (its digest): a changed
-- document (an operator's rotation and restart) replaces the keys; an unchanged one leaves the
-- console's rotations standing.
CREATE TABLE signing_key_source (
  id        int PRIMARY KEY CHECK (id = 1),
  digest    text NOT NULL,
  taken_at  timestamptz NOT NULL DEFAULT now()
);

-- Audit search (admin console): by type, department and time, newest first.
CREATE INDEX audit_log_type_idx ON audit_log (type, seq);
CREATE INDEX audit_log_client_idx ON audit_log (client_id, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);
