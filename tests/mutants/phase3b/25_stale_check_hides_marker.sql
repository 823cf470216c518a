-- breaks: stale-check-output (§15.5)
-- mutation: fn_queue_stale_check stops reporting passive markers; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

CREATE OR REPLACE FUNCTION fn_queue_stale_check() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path TO 'pg_catalog', 'public'
AS $fn$
  SELECT jsonb_build_object(
    'stale_count', count(*),
    'threshold_seconds', 300,
    'stale_executors', COALESCE(jsonb_agg(jsonb_build_object(
        'executor_name', h.executor_name,
        'executor_kind', h.executor_kind,
        'age_seconds', floor(extract(epoch FROM now() - h.last_tick_at))::bigint,
        'last_tick_at', h.last_tick_at,
        'ticks_total', h.ticks_total,
        'last_tick_status', h.last_tick_status,
        'is_stale', true)
      ORDER BY h.last_tick_at, h.executor_name), '[]'::jsonb))
  FROM queue_heartbeat AS h
  WHERE now() - h.last_tick_at > interval '300 seconds'
    AND h.metadata ->> 'marker' IS DISTINCT FROM 'legacy_silent_passive'
$fn$;
