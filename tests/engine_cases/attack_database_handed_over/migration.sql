CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- Another database of the cluster handed to the application's role.
ALTER DATABASE postgres OWNER TO attack_app;
