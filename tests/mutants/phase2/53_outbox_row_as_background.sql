-- breaks: closed-world (closed-world)
-- mutant: the tolerance of background traffic applies in verify only.
-- 051_phase2.sql: Điều 45 Phase 2 (migration 051), heartbeat activation and lease / dead-letter
-- governance.
--
-- Rebuilt from the seed documents in shared/seeds/:
--   001_2b59d4df5ad7b13b.txt  everything this file adds: the 4 new dot_config keys and their
--                             values, queue.heartbeat.enabled flipped to true, the passive marker
--                             row of iu_outbound_default (PG_worker, last_tick_at bound to
--                             iu_route_worker_cursor.last_run_at, warn, 0 ticks, metadata
--                             marker=legacy_silent_passive), the 5 functions with their signatures,
--                             security modes, gates and the refusals its proofs report
--                             (already_registered, invalid_triage_status, actor_required, the
--                             dry_run_only and reaper_enabled gates, not_found), and the requeue
--                             dry run's would_action "refused: queue.dlq.replay_enabled=false".
--   002_60a760f98fe193c5.txt  the reaper's selection (state = 'leased' AND lease_until < now(),
--                             through job_queue_lease_until_idx) and its effect (attempts + 1,
--                             backoff, lease cleared).
--
-- INFERRED:
--   * the order of the checks in each function: input (actor, names, vocabulary) first, then
--     gates, then the row lookup; refusal objects carry "refused", "reason" and the offending
--     value, in the style of seed 000;
--   * gate refusals read "<key>=<value>" (queue.lease.reaper_enabled=false,
--     queue.lease.reaper_dry_run_only=true), as seed 000 does for queue.heartbeat.enabled;
--   * fn_job_dead_letter_triage_update is not gated (seed 001 names no gate for it);
--   * a reaped job that reaches max_attempts is moved to job_dead_letter with reason
--     lease_expired_max_attempts; the returned objects' keys beyond those seed 001 quotes;
--   * the wording of the passive marker's note.
--
-- Apply on 050_phase1.sql with: psql -v ON_ERROR_STOP=1 -X -f 051_phase2.sql

BEGIN;

-- Precondition: 050_phase1.sql is applied (parse-time references: a wrong state fails here).
SELECT 'public.fn_queue_heartbeat_tick(text,text,text,uuid,text,jsonb)'::regprocedure
         AS requires_050_phase1,
       'public.job_dead_letter'::regclass AS requires_050_dead_letter;

SET LOCAL ROLE workflow_admin;

INSERT INTO dot_config (key, value, description, updated_by) VALUES
  ('queue.lease.reaper_enabled', 'false', 'Master gate for fn_job_reap_stale_leases_apply',
   'dieu45_phase2_mig_051'),
  ('queue.lease.reaper_dry_run_only', 'true',
   'Safety gate; refuses mutation even with reaper_enabled=true', 'dieu45_phase2_mig_051'),
  ('queue.dlq.replay_enabled', 'false', 'Master gate for any DLQ replay mutator',
   'dieu45_phase2_mig_051'),
  ('queue.runtime.phase', 'phase2_governance', 'Phase marker', 'dieu45_phase2_mig_051');

CREATE FUNCTION fn_queue_heartbeat_register_passive(
  p_executor_name text,
  p_executor_kind text,
  p_last_observed_at timestamptz,
  p_actor text,
  p_note text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_enabled boolean;
  v_inserted text;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  IF p_executor_name IS NULL OR btrim(p_executor_name) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'executor_name_required');
  END IF;
  IF p_last_observed_at IS NULL THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'last_observed_at_required');
  END IF;
  SELECT (value = 'true') INTO v_enabled FROM dot_config WHERE key = 'queue.heartbeat.enabled';
  IF NOT COALESCE(v_enabled, false) THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'queue.heartbeat.enabled=false');
  END IF;

  -- Insert only: a passive marker never overwrites a row, whether a marker or a live executor.
  INSERT INTO queue_heartbeat (executor_name, executor_kind, last_tick_at, last_tick_status,
                               ticks_total, metadata)
  VALUES (btrim(p_executor_name), p_executor_kind, p_last_observed_at, 'warn', 0,
          jsonb_build_object(
            'marker', 'legacy_silent_passive',
            'registered_by', btrim(p_actor),
            'note', COALESCE(p_note, 'Passive marker mirroring the last observed run; '
                                     || 'not an active heartbeat claim.')))
  ON CONFLICT (executor_name) DO NOTHING
  RETURNING executor_name INTO v_inserted;
  IF v_inserted IS NULL THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'already_registered',
                              'executor_name', btrim(p_executor_name));
  END IF;

  RETURN jsonb_build_object('refused', false, 'executor_name', v_inserted,
                            'executor_kind', p_executor_kind,
                            'last_tick_at', p_last_observed_at, 'last_tick_status', 'warn',
                            'ticks_total', 0, 'marker', 'legacy_silent_passive');
END;
$fn$;
COMMENT ON FUNCTION fn_queue_heartbeat_register_passive(text, text, timestamptz, text, text) IS
  'Registers a passive heartbeat marker (warn, 0 ticks) for a silent executor; insert only.';

CREATE FUNCTION fn_job_reap_stale_leases_dry_run(p_limit integer DEFAULT 100) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path TO 'pg_catalog', 'public'
AS $fn$
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
$fn$;
COMMENT ON FUNCTION fn_job_reap_stale_leases_dry_run(integer) IS
  'Lists stale leases with what fn_job_reap_stale_leases_apply would do to each; changes nothing.';

CREATE FUNCTION fn_job_reap_stale_leases_apply(p_actor text, p_limit integer DEFAULT 100)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public'
AS $fn$
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
$fn$;
COMMENT ON FUNCTION fn_job_reap_stale_leases_apply(text, integer) IS
  'Resets stale leases to retry_waiting with backoff, or dead-letters them at max_attempts. '
  'Triple-gated: queue.job_substrate.enabled, queue.lease.reaper_enabled, '
  'NOT queue.lease.reaper_dry_run_only.';

CREATE FUNCTION fn_job_dead_letter_requeue_dry_run(p_dead_letter_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_dl job_dead_letter%ROWTYPE;
  v_gate boolean;
  v_collision boolean;
BEGIN
  SELECT * INTO v_dl FROM job_dead_letter WHERE id = p_dead_letter_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'not_found',
                              'dead_letter_id', p_dead_letter_id);
  END IF;
  SELECT (value = 'true') INTO v_gate FROM dot_config WHERE key = 'queue.dlq.replay_enabled';
  v_gate := COALESCE(v_gate, false);
  -- A replay with the original key would be swallowed by the partial-unique index if a live
  -- job already holds it.
  v_collision := v_dl.idempotency_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM job_queue AS j
    WHERE j.job_kind = v_dl.job_kind AND j.idempotency_key = v_dl.idempotency_key);

  RETURN jsonb_build_object(
    'refused', false,
    'dry_run', true,
    'dead_letter_id', v_dl.id,
    'source_job_id', v_dl.source_job_id,
    'job_kind', v_dl.job_kind,
    'triage_status', v_dl.triage_status,
    'attempts', v_dl.attempts,
    'replay_gate_enabled', v_gate,
    'idempotency_collision', v_collision,
    'would_action', CASE
      WHEN NOT v_gate THEN 'refused: queue.dlq.replay_enabled=false'
      WHEN v_dl.triage_status <> 'manual_replay'
        THEN 'refused: triage_status=' || v_dl.triage_status || ' (manual_replay required)'
      WHEN v_collision THEN 'refused: idempotency_collision'
      ELSE 'requeue'
    END);
END;
$fn$;
COMMENT ON FUNCTION fn_job_dead_letter_requeue_dry_run(uuid) IS
  'Previews a replay of one dead letter: gate, triage status, idempotency collision.';

CREATE FUNCTION fn_job_dead_letter_triage_update(
  p_dead_letter_id uuid,
  p_triage_status text,
  p_actor text,
  p_triage_note text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_before text;
  v_row job_dead_letter%ROWTYPE;
BEGIN
  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
  END IF;
  -- Pinned to job_dead_letter_triage_status_check: refuse here rather than raise there.
  IF p_triage_status IS NULL OR p_triage_status NOT IN (
      'pending', 'acknowledged', 'manual_replay', 'escalated', 'closed') THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'invalid_triage_status',
                              'value', p_triage_status,
                              'allowed', ARRAY['pending', 'acknowledged', 'manual_replay',
                                               'escalated', 'closed']);
  END IF;
  SELECT triage_status INTO v_before FROM job_dead_letter WHERE id = p_dead_letter_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'not_found',
                              'dead_letter_id', p_dead_letter_id);
  END IF;

  UPDATE job_dead_letter
  SET triage_status = p_triage_status, triaged_at = now(), triaged_by = btrim(p_actor),
      triage_note = COALESCE(p_triage_note, triage_note)
  WHERE id = p_dead_letter_id
  RETURNING * INTO v_row;
  RETURN jsonb_build_object('refused', false, 'dead_letter_id', v_row.id,
                            'triage_status_before', v_before,
                            'triage_status_after', v_row.triage_status,
                            'triaged_by', v_row.triaged_by, 'triaged_at', v_row.triaged_at);
END;
$fn$;
COMMENT ON FUNCTION fn_job_dead_letter_triage_update(uuid, text, text, text) IS
  'Sets the triage status of one dead letter; never requeues.';

-- Arm the heartbeat protocol (no worker is started) and surface the §15.5 silent gap: a
-- passive marker bound to the route worker's real last run.
DO $activate$
DECLARE
  v_result jsonb;
BEGIN
  UPDATE dot_config SET value = 'true', updated_by = 'dieu45_phase2_mig_051'
  WHERE key = 'queue.heartbeat.enabled' AND value = 'false';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'queue.heartbeat.enabled is not the false that Phase 1 shipped';
  END IF;

  SELECT fn_queue_heartbeat_register_passive(
           'iu_outbound_default', 'PG_worker', c.last_run_at, 'dieu45_phase2_mig_051',
           'Passive marker for the pre-Điều 45 route worker silent gap (§15.5); '
           || 'not an active heartbeat claim.')
  INTO v_result
  FROM iu_route_worker_cursor AS c
  WHERE c.worker_name = 'iu_outbound_default';
  IF v_result IS NULL OR (v_result ->> 'refused')::boolean THEN
    RAISE EXCEPTION 'passive marker for iu_outbound_default not registered: %', v_result;
  END IF;
END
$activate$;

-- The mutation: an event_outbox row without a phase-2 marker; in a live verify it would
-- pass for background traffic, in a gate nothing else writes.
INSERT INTO event_outbox (event_id, event_type, domain, canonical_address, actor_ref, payload,
                          status, occurred_at, dispatched_at, last_error)
SELECT md5('background traffic')::uuid, event_type, domain, canonical_address, actor_ref,
       payload, status, occurred_at, dispatched_at, last_error
FROM event_outbox ORDER BY id LIMIT 1;

COMMIT;
