-- Family proxy (亲友代办): a citizen names a helper who may sign in on their behalf to chosen
-- departments, for chosen scopes, for at most a year. Only person ids, client ids and scope
-- names are kept here: names and ID numbers stay encrypted in persons.
CREATE TABLE proxy_mandates (
  id           uuid PRIMARY KEY,
  citizen_id   uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  helper_id    uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  client_ids   text[] NOT NULL CHECK (cardinality(client_ids) BETWEEN 1 AND 50),
  scopes       text[] NOT NULL,
  valid_from   timestamptz NOT NULL,
  valid_until  timestamptz NOT NULL,
  created_via  text NOT NULL CHECK (created_via IN ('online', 'counter')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  accepted_at  timestamptz,
  revoked_at   timestamptz,
  CHECK (citizen_id <> helper_id),
  CHECK (valid_until > valid_from AND valid_until <= valid_from + interval '1 year')
);
CREATE INDEX proxy_mandates_helper_idx ON proxy_mandates (helper_id);
CREATE INDEX proxy_mandates_citizen_idx ON proxy_mandates (citizen_id);
