CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- Data outside every table.
SELECT lo_from_bytea(0, 'payload');
