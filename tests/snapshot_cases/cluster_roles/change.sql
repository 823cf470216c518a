-- A new login superuser, and the owner role made one.
CREATE ROLE cg_case_root LOGIN SUPERUSER;
ALTER ROLE cg_case_owner SUPERUSER;

-- A login role made a member of the owner, and of the roles that run programs and write files.
GRANT cg_case_owner TO cg_case_app;
GRANT pg_execute_server_program, pg_write_server_files TO cg_case_app;

-- Role-wide settings: every foreign key and trigger off for the owner, a forged actor for the
-- application in another database, and one in this database.
ALTER ROLE cg_case_owner SET session_replication_role = replica;
ALTER ROLE cg_case_app IN DATABASE postgres SET app.heartbeat_actor = 'forged';
DO $$ BEGIN EXECUTE format('ALTER ROLE cg_case_app IN DATABASE %I SET app.heartbeat_actor = %L', current_database(), 'forged'); END $$;

-- A password set: its verifier is hashed, never shown.
ALTER ROLE cg_case_app PASSWORD 'not-in-any-report';
