-- The account page and the counter console are built from ISSUER at every start and are no
-- longer stored: rows older versions wrote for them (with whatever issuer was set then) go.
DELETE FROM clients WHERE client_id IN ('tongban-account', 'tongban-counter');
