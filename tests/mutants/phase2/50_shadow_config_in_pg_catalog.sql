-- breaks: closed-world (closed-world)
-- extends: the real migration
-- runs as: superuser
-- mutant: a view in pg_catalog (searched first on every search_path, the Điều 45 functions'
-- `SET search_path TO 'pg_catalog','public'` included) that reads the worker gate as open,
-- shadowing public.dot_config.

SET allow_system_table_mods = on;
CREATE VIEW pg_catalog.dot_config AS
  SELECT key, CASE WHEN key = 'queue.worker.enabled' THEN 'true' ELSE value END AS value,
         description, updated_by
  FROM public.dot_config;
