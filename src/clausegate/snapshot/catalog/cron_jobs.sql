-- pg_cron jobs: they run on their own schedule, whatever a migration's transaction did.
-- Runs only where pg_cron is installed and cron.job is readable: see server.sql.
SELECT j.jobid::text COLLATE "C" AS identity,
       j.jobname,
       j.schedule,
       j.command,
       j.database,
       j.username,
       j.active,
       j.nodename,
       j.nodeport
FROM cron.job AS j
ORDER BY identity
