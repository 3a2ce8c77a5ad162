-- Security admins: persons holding admin roles (src/admin/roles.ts). Read on every admin request,
-- so a role removed or an admin deactivated stops their console session at once.

CREATE TABLE admins (
  person_id   uuid PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
  roles       text[] NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- the actor who first made this person an admin ('cli:<user>', 'person:<id>', 'client:<id>')
  created_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
