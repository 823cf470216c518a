-- breaks: route-worker-unchanged (Option B)
-- mutation: Option B: fn_iu_route_worker_run is modified to ping a heartbeat; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

CREATE OR REPLACE FUNCTION fn_iu_route_worker_run(
  p_worker_name text DEFAULT 'iu_outbound_default',
  p_batch_limit integer DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql
SET search_path TO 'pg_catalog', 'public'
AS $fn$
DECLARE
  v_cursor iu_route_worker_cursor%ROWTYPE;
  v_limit integer := COALESCE(p_batch_limit,
                              fn_dot_config_get('iu.route_worker.batch_limit')::integer, 100);
  v_processed integer;
  v_last bigint;
BEGIN
  PERFORM fn_queue_heartbeat_ping_external('iu_outbound_default_active_v2', 'PG_worker');
  IF NOT fn_dot_config_enabled('iu.route_worker_enabled') THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'iu.route_worker_enabled=false');
  END IF;
  SELECT * INTO v_cursor FROM iu_route_worker_cursor WHERE worker_name = p_worker_name FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('refused', true, 'reason', 'unknown_worker',
                              'worker_name', p_worker_name);
  END IF;
  WITH batch AS (
    SELECT e.id
    FROM event_outbox AS e
    WHERE e.id > v_cursor.last_event_id
      AND e.status = 'pending'
      AND e.event_type IN (SELECT r.event_type FROM iu_sql_event_route AS r
                           WHERE r.consumer = p_worker_name AND r.enabled)
    ORDER BY e.id
    LIMIT v_limit
    FOR UPDATE SKIP LOCKED
  ), done AS (
    UPDATE event_outbox AS e SET status = 'dispatched', dispatched_at = now()
    FROM batch WHERE e.id = batch.id
    RETURNING e.id
  )
  SELECT count(*), max(id) INTO v_processed, v_last FROM done;
  UPDATE iu_route_worker_cursor
  SET last_event_id = COALESCE(v_last, last_event_id), last_run_at = now(),
      runs_total = runs_total + 1, last_status = 'ok'
  WHERE worker_name = p_worker_name;
  RETURN jsonb_build_object('refused', false, 'worker_name', p_worker_name,
                            'processed', v_processed,
                            'last_event_id', COALESCE(v_last, v_cursor.last_event_id));
END;
$fn$;
