CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The real gate opened, and a view in pg_catalog (searched first) that reads it as closed:
-- the spec's unqualified invariant would see the fake, as fn_worker_enabled() does.
SET allow_system_table_mods = on;
CREATE VIEW pg_catalog.gate_config AS
  SELECT 'worker.enabled'::text AS key, 'false'::text AS value;
RESET allow_system_table_mods;
UPDATE public.gate_config SET value = 'true' WHERE key = 'worker.enabled';
