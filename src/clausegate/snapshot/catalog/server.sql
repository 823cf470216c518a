-- The server and database a snapshot was taken from, and for each gated kind whether this
-- session can read it: 'readable', 'absent' (nothing of the kind can exist here), or why
-- not, naming the role and the grant it lacks, so that a missing privilege is recorded
-- (and the checks that depend on the kind are BROKEN) instead of read as "nothing there".
-- One row, so no ORDER BY is needed.
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       current_database() AS database,
       -- The view and the function under it are both revoked from PUBLIC.
       CASE WHEN has_table_privilege('pg_catalog.pg_file_settings', 'SELECT')
                 AND has_function_privilege('pg_catalog.pg_show_all_file_settings()', 'EXECUTE')
            THEN 'readable'
            ELSE format('role %I may not read pg_file_settings (superuser, or GRANT SELECT ON'
                        ' pg_catalog.pg_file_settings and GRANT EXECUTE ON FUNCTION'
                        ' pg_catalog.pg_show_all_file_settings() TO %1$I)', current_user)
       END AS alter_system,
       CASE WHEN NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN 'absent'
            WHEN has_table_privilege(to_regclass('cron.job'), 'SELECT') THEN 'readable'
            ELSE format('pg_cron is installed but role %I may not read cron.job (GRANT USAGE ON'
                        ' SCHEMA cron and GRANT SELECT ON cron.job TO %1$I)', current_user)
       END AS cron_jobs,
       -- The password verifiers are in pg_authid, readable by superusers alone by default.
       CASE WHEN has_table_privilege('pg_catalog.pg_authid', 'SELECT') THEN 'readable'
            ELSE format('role %I may not read pg_authid, so a password set or changed is not'
                        ' seen (superuser, or GRANT SELECT ON pg_catalog.pg_authid TO %1$I)',
                        current_user)
       END AS role_passwords,
       -- Reading a file of the server needs pg_read_server_files (or superuser), its path
       -- pg_read_all_settings, and the list of included files pg_file_settings.
       CASE WHEN pg_has_role('pg_read_server_files', 'USAGE')
                 AND pg_has_role('pg_read_all_settings', 'USAGE')
                 AND has_function_privilege(
                       'pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)', 'EXECUTE')
                 AND has_table_privilege('pg_catalog.pg_file_settings', 'SELECT')
                 AND has_function_privilege('pg_catalog.pg_show_all_file_settings()', 'EXECUTE')
            THEN 'readable'
            ELSE format('role %I may not read the configuration files (superuser, or GRANT'
                        ' pg_read_server_files, pg_read_all_settings TO %1$I and GRANT EXECUTE'
                        ' ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint,'
                        ' boolean) TO %1$I, with the grants on pg_file_settings)', current_user)
       END AS config_files,
       -- Metadata is readable by anyone; the content of a large object only with SELECT on
       -- pg_largeobject. With no large object there is nothing to read.
       CASE WHEN NOT EXISTS (SELECT FROM pg_largeobject_metadata) THEN 'absent'
            WHEN has_table_privilege('pg_catalog.pg_largeobject', 'SELECT') THEN 'readable'
            ELSE format('role %I may not read the content of large objects (superuser, or'
                        ' GRANT SELECT ON pg_catalog.pg_largeobject TO %1$I)', current_user)
       END AS large_objects,
       -- pg_sequence_last_value needs SELECT or USAGE on each sequence.
       (SELECT CASE WHEN count(*) = 0 THEN 'readable'
                    ELSE format('role %I may not read the value of %s sequence(s) (%s): GRANT'
                                ' SELECT ON ALL SEQUENCES IN SCHEMA … TO %1$I',
                                current_user, count(*),
                                array_to_string((array_agg(u.name ORDER BY u.name))[1:3], ', ')
                                || CASE WHEN count(*) > 3 THEN ', …' ELSE '' END)
               END
        FROM (SELECT (quote_ident(n.nspname) || '.' || quote_ident(c.relname)) COLLATE "C" AS name
              FROM pg_class AS c
              JOIN pg_namespace AS n ON n.oid = c.relnamespace
              WHERE c.relkind = 'S'
                AND (n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                     OR (c.oid >= 16384 AND c.relpersistence <> 't'))
                -- CASE: has_sequence_privilege raises on a relation that is no sequence.
                AND CASE WHEN c.relkind = 'S'
                         THEN NOT has_sequence_privilege(c.oid, 'SELECT,USAGE') END) AS u
       ) AS sequence_values,
       -- pg_stat_activity shows the backend type and application of other roles' sessions
       -- only to members of pg_read_all_stats (and superusers).
       CASE WHEN pg_has_role('pg_read_all_stats', 'USAGE') THEN 'readable'
            ELSE format('role %I may not see the sessions of other roles in pg_stat_activity'
                        ' (GRANT pg_read_all_stats TO %1$I)', current_user)
       END AS sessions
