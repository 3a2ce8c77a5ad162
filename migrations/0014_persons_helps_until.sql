-- Family proxy: the end of the latest mandate a person accepted as a helper (NULL: they never
-- did). It is read with the person at every sign-in, so that only helpers have their mandates
-- looked up; a revoked mandate leaves it as it is (the look-up then finds nothing).
ALTER TABLE persons ADD COLUMN helps_until timestamptz;

UPDATE persons p SET helps_until = m.until
  FROM (SELECT helper_id, max(valid_until) AS until FROM proxy_mandates
         WHERE accepted_at IS NOT NULL AND revoked_at IS NULL GROUP BY helper_id) m
 WHERE p.id = m.helper_id;
