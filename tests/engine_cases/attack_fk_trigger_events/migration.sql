CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The foreign key's INSERT check on entry fires on UPDATE instead (tgtype 5 → 17): an orphan
-- entry is accepted, and the constraint and trigger still read as before by name.
UPDATE pg_trigger SET tgtype = 17
WHERE tgrelid = 'entry'::regclass AND tgisinternal
  AND tgfoid = 'pg_catalog."RI_FKey_check_ins"'::regproc;
