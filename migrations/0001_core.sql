-- Core schema: persons, credentials, department apps (clients), consents, audit log.
-- Personal data is stored encrypted ("<key id>.<base64url(iv|ciphertext|tag)>") and looked up
-- through blind indexes (base64url HMAC-SHA-256 under a separate key).

CREATE TABLE persons (
  id               uuid PRIMARY KEY,
  id_number_enc    text NOT NULL,
  id_number_index  text NOT NULL UNIQUE,
  name_enc         text NOT NULL,
  phone_enc        text,
  birthdate        date NOT NULL,
  gender           text NOT NULL CHECK (gender IN ('male', 'female')),
  proofing         text NOT NULL CHECK (proofing IN ('none', 'remote', 'in_person')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE credentials (
  id               uuid PRIMARY KEY,
  person_id        uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  method           text NOT NULL,
  identifier_index text NOT NULL,
  secret_hash      text,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_used_at     timestamptz,
  UNIQUE (method, identifier_index)
);
CREATE INDEX credentials_person_idx ON credentials (person_id);

CREATE TABLE clients (
  client_id   text PRIMARY KEY,
  metadata    jsonb NOT NULL,
  source      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consents (
  person_id     uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  client_id     text NOT NULL,
  scopes        text[] NOT NULL,
  claims        text[] NOT NULL,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  withdrawn_at  timestamptz,
  PRIMARY KEY (person_id, client_id)
);

CREATE TABLE audit_log (
  seq            bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  type           text NOT NULL,
  subject_index  text,
  client_id      text,
  source         text,
  data           jsonb NOT NULL,
  prev_hash      text NOT NULL,
  hash           text NOT NULL
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_index, seq);
