-- Department apps disabled from the admin console: taken out of `clients` (so no instance serves
-- them) and kept here with their registration, to be enabled again as they were.
CREATE TABLE disabled_clients (
  client_id    text PRIMARY KEY,
  metadata     jsonb NOT NULL,
  disabled_at  timestamptz NOT NULL DEFAULT now()
);
