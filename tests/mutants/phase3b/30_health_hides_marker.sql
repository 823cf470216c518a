-- breaks: health-still-stale (§15.5)
-- mutation: v_queue_health stops counting passive markers; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

CREATE OR REPLACE VIEW v_queue_health AS
SELECT
  (SELECT count(*) FROM job_queue WHERE state = 'queued') AS jobs_queued,
  (SELECT count(*) FROM job_queue WHERE state = 'leased') AS jobs_leased,
  (SELECT count(*) FROM job_queue WHERE state = 'retry_waiting') AS jobs_retry_waiting,
  (SELECT count(*) FROM job_queue WHERE state = 'succeeded') AS jobs_succeeded,
  (SELECT count(*) FROM job_queue WHERE state = 'cancelled') AS jobs_cancelled,
  (SELECT count(*) FROM job_queue WHERE state = 'leased' AND lease_until < now())
    AS leases_expired,
  (SELECT count(*) FROM job_dead_letter) AS dead_letter_total,
  (SELECT count(*) FROM job_dead_letter WHERE triage_status = 'pending') AS dead_letter_pending,
  hb.executors_total,
  hb.executors_fresh,
  hb.executors_stale,
  hb.oldest_tick_at,
  300 AS heartbeat_threshold_seconds
FROM (
  SELECT count(*) AS executors_total,
         count(*) FILTER (WHERE now() - last_tick_at <= interval '300 seconds') AS executors_fresh,
         count(*) FILTER (WHERE now() - last_tick_at > interval '300 seconds') AS executors_stale,
         min(last_tick_at) AS oldest_tick_at
  FROM queue_heartbeat
  WHERE metadata ->> 'marker' IS DISTINCT FROM 'legacy_silent_passive'
) AS hb;
