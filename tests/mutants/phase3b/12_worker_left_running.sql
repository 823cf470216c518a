-- breaks: no-worker (Option B)
-- mutation: a worker session is started (through dblink) and keeps running after the migration; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration
-- runs as: superuser

CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('dieu45_worker', format('host=%s port=%s dbname=%s user=%s application_name=iu_outbound_worker',
       split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
       current_database(), current_user));
SELECT dblink_send_query('dieu45_worker', 'SELECT pg_sleep(900)');
