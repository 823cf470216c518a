-- The server's own objects changed: a privilege granted, an owner changed, a definition
-- edited in the catalog.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO PUBLIC;

ALTER FUNCTION pg_catalog.lower(text) OWNER TO pg_monitor;

UPDATE pg_catalog.pg_proc SET provolatile = 'v' WHERE oid = 'pg_catalog.upper(text)'::regprocedure;
