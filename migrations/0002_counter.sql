-- Offline counter channel: service centres, their staff, and recovery requests that need a
-- second person's approval.

CREATE TABLE service_centres (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  district    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  person_id     uuid PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
  centre_id     text NOT NULL REFERENCES service_centres (id),
  role          text NOT NULL CHECK (role IN ('counter_staff', 'counter_supervisor')),
  -- shown to citizens in their activity log ("窗口 3 号 李"), not a legal name
  display_name  text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_centre_idx ON staff (centre_id);

CREATE TABLE counter_requests (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('rebind_phone', 'reset_password')),
  centre_id       text NOT NULL REFERENCES service_centres (id),
  requested_by    uuid NOT NULL REFERENCES staff (person_id),
  subject_person  uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  -- what the request would change, encrypted (a new phone number)
  payload_enc     text,
  reason          text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'expired')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  decided_by      uuid REFERENCES staff (person_id),
  decided_at      timestamptz
);
CREATE INDEX counter_requests_centre_idx ON counter_requests (centre_id, status);
