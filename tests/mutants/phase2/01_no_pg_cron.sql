-- breaks: no-pg-cron (WK-A)
-- mutant: installs an extension. pg_cron is not installable on the test server; pg_trgm
-- stands in for it (the check forbids any extension).
-- extends: the real migration, before its COMMIT
-- runs as: superuser

-- MUTANT: an extension installed
RESET ROLE;
CREATE EXTENSION pg_trgm;
