-- Policy documents (src/policy/policy-document.ts), one row per version: the newest is in force.
-- Each keeps who made it, why, when, and the readable lines of what changed from the one before.
CREATE TABLE policy_versions (
  version     integer PRIMARY KEY CHECK (version > 0),
  document    jsonb NOT NULL,
  -- 'person:<id>' or 'client:<id>' for an admin, 'system:seed' for the first version
  actor_id    text NOT NULL,
  reason      text NOT NULL,
  -- a rollback names the version whose document it restored
  rollback_of integer REFERENCES policy_versions (version),
  diff        jsonb NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now()
);
