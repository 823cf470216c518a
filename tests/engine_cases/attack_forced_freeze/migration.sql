CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A row deleted and inserted again, then frozen by hand so that its xmin reads as old.
CREATE EXTENSION pg_surgery;
WITH d AS (DELETE FROM ledger WHERE id = 1 RETURNING *) INSERT INTO ledger SELECT * FROM d;
SELECT heap_force_freeze('ledger'::regclass, ARRAY(SELECT ctid FROM ledger WHERE id = 1));
DROP EXTENSION pg_surgery;
