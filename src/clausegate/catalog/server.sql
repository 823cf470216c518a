-- The server and database a snapshot was taken from, and for each gated kind whether this
-- session can read it: 'readable', 'absent' (nothing of the kind can exist here), or why
-- not, so that a missing privilege is recorded instead of failing the whole snapshot.
-- One row, so no ORDER BY is needed.
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       current_database() AS database,
       CASE WHEN has_table_privilege('pg_catalog.pg_file_settings', 'SELECT') THEN 'readable'
            ELSE 'pg_file_settings is not readable (superuser or a grant on it is needed)'
       END AS alter_system,
       CASE WHEN NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN 'absent'
            WHEN has_table_privilege(to_regclass('cron.job'), 'SELECT') THEN 'readable'
            ELSE 'pg_cron is installed but cron.job is not readable (a grant on it is needed)'
       END AS cron_jobs
