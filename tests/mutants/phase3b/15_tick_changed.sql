-- breaks: tick-unchanged (Option A)
-- mutation: fn_queue_heartbeat_tick is replaced by a version that ignores queue.heartbeat.enabled; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

CREATE OR REPLACE FUNCTION fn_queue_heartbeat_tick(
  p_executor_name text,
  p_executor_kind text,
  p_status text DEFAULT 'ok',
  p_current_job_id uuid DEFAULT NULL,
  p_lease_owner text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS jsonb
LANGUAGE plpgsql
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_enabled boolean;
  v_row queue_heartbeat%ROWTYPE;
BEGIN
  IF p_executor_name IS NULL OR btrim(p_executor_name) = '' THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'executor_name_required');
  END IF;

  -- Kind, status and metadata are checked by the table's CHECKs: a bad value is an error.
  INSERT INTO queue_heartbeat AS h (executor_name, executor_kind, last_tick_at, last_tick_status,
                                    ticks_total, current_job_id, lease_owner, metadata)
  VALUES (p_executor_name, p_executor_kind, now(), COALESCE(p_status, 'ok'), 1,
          p_current_job_id, p_lease_owner, COALESCE(p_metadata, '{}'::jsonb))
  ON CONFLICT (executor_name) DO UPDATE
  SET executor_kind = EXCLUDED.executor_kind,
      last_tick_at = EXCLUDED.last_tick_at,
      last_tick_status = EXCLUDED.last_tick_status,
      ticks_total = h.ticks_total + 1,
      current_job_id = EXCLUDED.current_job_id,
      lease_owner = EXCLUDED.lease_owner,
      metadata = EXCLUDED.metadata
  RETURNING h.* INTO v_row;

  RETURN jsonb_build_object('refused', false, 'executor_name', v_row.executor_name,
                            'executor_kind', v_row.executor_kind,
                            'ticks_total', v_row.ticks_total,
                            'last_tick_at', v_row.last_tick_at,
                            'last_tick_status', v_row.last_tick_status);
END;
$fn$;
