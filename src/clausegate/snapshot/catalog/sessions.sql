-- Sessions on every database of the cluster and background workers on the server, counted
-- by database, backend type and application name, so "no worker was started" can be shown
-- (a worker left on another database of the cluster is one too). Sessions on this database
-- and workers on none are named without a database. Left out: this session, the other
-- sessions of this clausegate process (by name, or by pid for those named otherwise), and the server's housekeeping processes and
-- parallel workers, which come and go on their own.
SELECT ((CASE WHEN a.datname IS NULL OR a.datname = current_database() THEN ''
              ELSE 'database ' || quote_ident(a.datname) || ': ' END)
        || a.backend_type
        || CASE WHEN COALESCE(a.application_name, '') = '' THEN ''
                ELSE ': ' || a.application_name END) COLLATE "C" AS identity,
       count(*) AS count
FROM pg_stat_activity AS a
WHERE a.pid <> pg_backend_pid()
  -- This clausegate process's own sessions: application_name `clausegate:<token> <purpose>`.
  AND COALESCE(a.application_name, '') NOT LIKE
      split_part(current_setting('application_name'), ' ', 1) || ' %'
  -- and those it named otherwise (the probes, under a neutral name), by pid.
  AND a.pid <> ALL (string_to_array(
        COALESCE(NULLIF(current_setting('clausegate.own_backends', true), ''), '0'), ',')::int[])
  AND a.backend_type NOT IN ('autovacuum launcher', 'autovacuum worker', 'background writer',
                             'checkpointer', 'walwriter', 'startup', 'archiver', 'logger',
                             'io worker', 'walsummarizer', 'parallel worker')
GROUP BY identity
ORDER BY identity
