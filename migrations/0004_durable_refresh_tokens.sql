-- Offline access survives the loss of Redis: refresh tokens live here (not in Redis), with a
-- copy of the grant each was issued under, written when the refresh token is. A grant without
-- a refresh token stays in Redis only. Payloads are oidc-provider's own (opaque tokens: no
-- personal data beyond the account id); rows past expires_at are swept.

CREATE TABLE oidc_grants (
  id          text PRIMARY KEY,
  account_id  text NOT NULL,
  client_id   text NOT NULL,
  payload     jsonb NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX oidc_grants_account_client_idx ON oidc_grants (account_id, client_id);
CREATE INDEX oidc_grants_expires_idx ON oidc_grants (expires_at);

CREATE TABLE oidc_refresh_tokens (
  id           text PRIMARY KEY,
  grant_id     text NOT NULL,
  account_id   text NOT NULL,
  client_id    text NOT NULL,
  payload      jsonb NOT NULL,
  expires_at   timestamptz NOT NULL,
  -- set once, by the one rotation that wins (UPDATE ... WHERE consumed_at IS NULL)
  consumed_at  timestamptz
);
CREATE INDEX oidc_refresh_tokens_grant_idx ON oidc_refresh_tokens (grant_id);
CREATE INDEX oidc_refresh_tokens_account_client_idx ON oidc_refresh_tokens (account_id, client_id);
CREATE INDEX oidc_refresh_tokens_expires_idx ON oidc_refresh_tokens (expires_at);
