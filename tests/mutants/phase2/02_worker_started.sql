-- breaks: no-worker-started (WK-A)
-- mutant: leaves a session running on the database after the migration (a 'worker' sleeping
-- in a second connection; dblink stands for any way to start one). The extension itself also
-- breaks no-pg-cron.
-- extends: the real migration, before its COMMIT
-- runs as: superuser

-- MUTANT: a worker session started and left running
RESET ROLE;
CREATE EXTENSION dblink;
SELECT dblink_connect('queue_worker',
         format('host=%s port=%s dbname=%s user=%s',
                split_part(current_setting('unix_socket_directories'), ',', 1),
                current_setting('port'), current_database(), current_user));
SELECT dblink_send_query('queue_worker', 'SELECT pg_sleep(300)');
