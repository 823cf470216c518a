-- The body of function public.fn_queue_heartbeat_register_passive(text, text, timestamp with time zone, text, text),
-- as ratified: migration 051 as reviewed and applied live (seed 001, KB-1B34, 2026-05-26).
-- Read by `clausegate pin` from 051_phase2.sql (sha256 af938af942f9a2d0…)
-- applied on PostgreSQL 16.13; compared token by token.

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
