BEGIN;
DO $role$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'case_migrator') THEN
    CREATE ROLE case_migrator NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$role$;
GRANT CREATE ON SCHEMA public TO case_migrator;
COMMIT;
