-- The body of function public.fn_job_dead_letter_requeue_dry_run(uuid),
-- as ratified: migration 051 as reviewed and applied live (seed 001, KB-1B34, 2026-05-26).
-- Read by `clausegate pin` from 051_phase2.sql (sha256 af938af942f9a2d0…)
-- applied on PostgreSQL 16.13; compared token by token.

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
