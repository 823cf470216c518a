-- The body of function public.fn_queue_heartbeat_ping_external(text, text, text, jsonb),
-- as ratified: seed 000 (KB-2818, Phase 3B), the function as printed.
-- Copied from the seed: the text between its $fn$ quotes, compared token by token.

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
