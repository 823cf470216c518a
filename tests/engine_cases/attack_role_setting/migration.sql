CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- Every foreign key and trigger off for the application's sessions.
ALTER ROLE attack_app SET session_replication_role = replica;
