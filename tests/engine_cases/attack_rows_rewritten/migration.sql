CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A row changed and changed back: its content reads as before.
UPDATE ledger SET actor = 'attacker' WHERE id = 7;
UPDATE ledger SET actor = 'legacy' WHERE id = 7;
