-- The body of function public.fn_job_reap_stale_leases_dry_run(integer),
-- as ratified: migration 051 as reviewed and applied live (seed 001, KB-1B34, 2026-05-26).
-- Read by `clausegate pin` from 051_phase2.sql (sha256 af938af942f9a2d0…)
-- applied on PostgreSQL 16.13; compared token by token.

  SELECT jsonb_build_object(
    'dry_run', true,
    'stale_count', count(*),
    'jobs', COALESCE(jsonb_agg(jsonb_build_object(
        'job_id', s.id,
        'job_kind', s.job_kind,
        'lease_owner', s.lease_owner,
        'lease_until', s.lease_until,
        'attempts', s.attempts,
        'max_attempts', s.max_attempts,
        'would_action', CASE WHEN s.attempts + 1 >= s.max_attempts
                          THEN 'dead_letter' ELSE 'retry_waiting' END,
        'would_attempts', s.attempts + 1,
        'would_backoff_sec', CASE WHEN s.attempts + 1 < s.max_attempts
                               THEN fn_job_backoff_seconds(s.attempts + 1) END)
      ORDER BY s.lease_until, s.id), '[]'::jsonb))
  FROM (
    SELECT j.*
    FROM job_queue AS j
    WHERE j.state = 'leased' AND j.lease_until < now()
    ORDER BY j.lease_until, j.id
    LIMIT GREATEST(p_limit, 1)
  ) AS s
