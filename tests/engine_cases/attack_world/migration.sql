-- The honest migration: one note function.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
