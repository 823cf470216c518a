CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The ledger's CHECK off: pg_constraint still lists it.
UPDATE pg_catalog.pg_class SET relchecks = 0 WHERE oid = 'public.ledger'::regclass;
