-- breaks: route-worker-unchanged (Option B)
-- mutation: Option B: fn_iu_route_worker_run is modified to ping a heartbeat; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- 053_phase3b.sql: Điều 45 Phase 3B, heartbeat caller hardening.
--
-- Rebuilt from the seed documents in shared/seeds/:
--   000_24d2cb8be27b22b0.txt  fn_queue_heartbeat_ping_external, copied character for character
--                             from the document's "Apply" section (a test compares the two), and
--                             its "single committed TX".
--
-- INFERRED: nothing in the function. The precondition below is this fixture's own guard: a
-- PL/pgSQL body is not checked against the catalog when it is created, so without it this file
-- would apply cleanly to a database that lacks fn_queue_heartbeat_tick or the Phase 3 state.
--
-- Apply on 052_phase3.sql with: psql -v ON_ERROR_STOP=1 -X -f 053_phase3b.sql

BEGIN;

-- Precondition: 052_phase3.sql is applied (parse-time references: a wrong state fails here).
SELECT 'public.fn_route_consumer_dry_run(text,integer)'::regprocedure AS requires_052_phase3,
       'public.fn_queue_heartbeat_tick(text,text,text,uuid,text,jsonb)'::regprocedure
         AS requires_050_tick;

SET LOCAL ROLE workflow_admin;

CREATE OR REPLACE FUNCTION fn_queue_heartbeat_ping_external(
  p_executor_name text,
  p_executor_kind text,
  p_status text DEFAULT 'ok',
  p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
SET search_path TO 'pg_catalog','public' AS $fn$
DECLARE
  v_enabled boolean;
  v_actor text := COALESCE(current_setting('app.heartbeat_actor', true), session_user::text);
  v_meta jsonb;
  v_result jsonb;
BEGIN
  -- Input validation
  IF p_executor_name IS NULL OR btrim(p_executor_name)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_name_required'); END IF;
  IF p_executor_kind IS NULL OR btrim(p_executor_kind)='' THEN RETURN jsonb_build_object('refused',true,'reason','executor_kind_required'); END IF;
  IF p_executor_kind NOT IN ('DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter') THEN
    RETURN jsonb_build_object('refused',true,'reason','executor_kind_not_in_vocab','value',p_executor_kind,
      'allowed',ARRAY['DOT','Agent','Hermes','Codex','PG_worker','external_worker','future_Kestra_adapter']);
  END IF;
  IF COALESCE(p_status,'ok') NOT IN ('ok','warn','error') THEN
    RETURN jsonb_build_object('refused',true,'reason','status_not_in_vocab','value',p_status);
  END IF;

  -- HARDENING: refuse to mark the legacy silent passive marker as healthy
  IF btrim(p_executor_name) = 'iu_outbound_default' THEN
    RETURN jsonb_build_object('refused',true,'reason','protected_legacy_silent_passive',
      'message','iu_outbound_default is a passive marker for the pre-Dieu45 route worker silent gap; external pings cannot overwrite it. Update fn_iu_route_worker_run callsite to register a separate active executor.');
  END IF;

  -- Strip caller-supplied identity keys; pin them ourselves for audit integrity
  v_meta := COALESCE(p_metadata,'{}'::jsonb) - 'ping_actor' - 'ping_origin' - 'ping_at' - 'ping_function';
  v_meta := v_meta || jsonb_build_object(
    'ping_origin','external_operator',
    'ping_actor', v_actor,
    'ping_at', now(),
    'ping_function','fn_queue_heartbeat_ping_external'
  );

  SELECT (value='true') INTO v_enabled FROM dot_config WHERE key='queue.heartbeat.enabled';
  IF NOT COALESCE(v_enabled,false) THEN
    RETURN jsonb_build_object('refused',true,'reason','queue.heartbeat.enabled=false');
  END IF;

  v_result := fn_queue_heartbeat_tick(
    p_executor_name := btrim(p_executor_name),
    p_executor_kind := p_executor_kind,
    p_status := COALESCE(p_status,'ok'),
    p_current_job_id := NULL,
    p_lease_owner := NULL,
    p_metadata := v_meta
  );
  RETURN v_result || jsonb_build_object('wrapper','fn_queue_heartbeat_ping_external');
END;
$fn$;

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

COMMIT;
