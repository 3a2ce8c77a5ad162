-- When a department last used a consent: written when the person signs in to that department
-- (one write per sign-in, never per token), so the account page can say when each department
-- last received the data.
ALTER TABLE consents ADD COLUMN last_used_at timestamptz;
