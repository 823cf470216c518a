-- breaks: closed-world (closed-world)
-- extends: the real migration
-- runs as: superuser
-- mutant: a privilege on one of the server's own functions: any role may read its files.

GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO PUBLIC;
