CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- Column privileges on a catalog: every role may read the password verifiers.
GRANT SELECT (rolname, rolpassword) ON pg_catalog.pg_authid TO PUBLIC;
