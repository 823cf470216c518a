-- breaks: closed-world (closed-world)
-- mutant: a heal of the silent-gap marker prepared for two-phase commit: it holds its locks
-- and can be committed after the gate (or a verify) has looked. The gate rolls it back.
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

COMMIT;

-- The mutation: the heal, prepared to be committed later.
BEGIN;
SET LOCAL ROLE workflow_admin;
UPDATE queue_heartbeat SET last_tick_at = now() WHERE executor_name = 'iu_outbound_default';
PREPARE TRANSACTION 'heal_later';
