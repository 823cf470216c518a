-- The honest migration, gated on clausegate's own cluster: nothing outside the database
-- and nothing of the cluster moves, so nothing new is reported.
CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
