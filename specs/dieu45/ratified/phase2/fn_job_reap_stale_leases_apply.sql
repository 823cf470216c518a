-- The body of function public.fn_job_reap_stale_leases_apply(text, integer),
-- as ratified: migration 051 as reviewed and applied live (seed 001, KB-1B34, 2026-05-26).
-- Read by `clausegate pin` from 051_phase2.sql (sha256 af938af942f9a2d0…)
-- applied on PostgreSQL 16.13; compared token by token.

DECLARE
  v_substrate boolean;
  v_reaper boolean;
  v_dry_run_only boolean;
  v_job job_queue%ROWTYPE;
  v_attempts integer;
  v_backoff integer;
  v_dead_letter_id uuid;
  v_error text;
  v_jobs jsonb := '[]'::jsonb;
  v_reset integer := 0;
  v_dead integer := 0;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  SELECT (value = 'true') INTO v_substrate FROM dot_config
  WHERE key = 'queue.job_substrate.enabled';
  IF NOT COALESCE(v_substrate, false) THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'queue.job_substrate.enabled=false');
  END IF;
  SELECT (value = 'true') INTO v_reaper FROM dot_config WHERE key = 'queue.lease.reaper_enabled';
  IF NOT COALESCE(v_reaper, false) THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_enabled=false');
  END IF;
  -- A missing safety gate counts as set: only an explicit 'false' lets the reaper write.
  SELECT (value <> 'false') INTO v_dry_run_only FROM dot_config
  WHERE key = 'queue.lease.reaper_dry_run_only';
  IF COALESCE(v_dry_run_only, true) THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'queue.lease.reaper_dry_run_only=true');
  END IF;

  FOR v_job IN
    SELECT * FROM job_queue
    WHERE state = 'leased' AND lease_until < now()
    ORDER BY lease_until, id
    LIMIT GREATEST(p_limit, 1)
    FOR UPDATE SKIP LOCKED
  LOOP
    v_attempts := v_job.attempts + 1;
    v_error := format('lease expired (owner %s, until %s); reaped by %s',
                      v_job.lease_owner, v_job.lease_until, btrim(p_actor));
    IF v_attempts >= v_job.max_attempts THEN
      INSERT INTO job_dead_letter (source_job_id, job_kind, payload, idempotency_key, attempts,
                                   max_attempts, last_error, last_lease_owner,
                                   dead_letter_reason, job_created_at)
      VALUES (v_job.id, v_job.job_kind, v_job.payload, v_job.idempotency_key, v_attempts,
              v_job.max_attempts, v_error, v_job.lease_owner, 'lease_expired_max_attempts',
              v_job.created_at)
      RETURNING id INTO v_dead_letter_id;
      DELETE FROM job_queue WHERE id = v_job.id;
      v_dead := v_dead + 1;
      v_jobs := v_jobs || jsonb_build_object(
        'job_id', v_job.id, 'action', 'dead_letter', 'attempts_before', v_job.attempts,
        'attempts_after', v_attempts, 'dead_letter_id', v_dead_letter_id);
    ELSE
      v_backoff := fn_job_backoff_seconds(v_attempts);
      UPDATE job_queue
      SET state = 'retry_waiting', attempts = v_attempts, last_error = v_error,
          run_after = now() + make_interval(secs => v_backoff),
          lease_owner = NULL, lease_until = NULL
      WHERE id = v_job.id;
      v_reset := v_reset + 1;
      v_jobs := v_jobs || jsonb_build_object(
        'job_id', v_job.id, 'action', 'retry_waiting', 'attempts_before', v_job.attempts,
        'attempts_after', v_attempts, 'backoff_sec', v_backoff);
    END IF;
  END LOOP;

  RETURN jsonb_build_object('refused', false, 'actor', btrim(p_actor),
                            'reaped', v_reset + v_dead, 'reset_count', v_reset,
                            'dead_lettered_count', v_dead, 'jobs', v_jobs);
END;
