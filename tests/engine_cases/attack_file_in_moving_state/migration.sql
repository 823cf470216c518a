CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A file hidden among the server's moving state.
DO $$
BEGIN
  EXECUTE format('COPY (SELECT %L) TO %L', 'payload',
                 current_setting('data_directory') || '/pg_logical/attack.sh');
END
$$;
