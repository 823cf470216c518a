-- Objects a superuser makes in system schemas: pg_catalog is searched first, so each one
-- shadows a same-named object of public in every unqualified name.
CREATE FUNCTION pg_catalog.fn_dot_config_enabled(text) RETURNS boolean
  LANGUAGE sql AS 'SELECT true';

SET allow_system_table_mods = on;
CREATE TABLE pg_catalog.job_queue (id bigint PRIMARY KEY, payload text);
CREATE VIEW pg_catalog.dot_config AS SELECT 'queue.worker.enabled'::text AS key, 'true'::text AS value;

CREATE FUNCTION information_schema.fn_hidden() RETURNS integer LANGUAGE sql AS 'SELECT 1';
