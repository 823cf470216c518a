-- breaks: metadata-identity-pinned (Option A)
-- mutation: caller-supplied ping_* keys win over the pinned ones; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -51,13 +51,12 @@
   END IF;

   -- Strip caller-supplied identity keys; pin them ourselves for audit integrity
-  v_meta := COALESCE(p_metadata,'{}'::jsonb) - 'ping_actor' - 'ping_origin' - 'ping_at' - 'ping_function';
-  v_meta := v_meta || jsonb_build_object(
+  v_meta := jsonb_build_object(
     'ping_origin','external_operator',
     'ping_actor', v_actor,
     'ping_at', now(),
     'ping_function','fn_queue_heartbeat_ping_external'
-  );
+  ) || COALESCE(p_metadata,'{}'::jsonb);

   SELECT (value='true') INTO v_enabled FROM dot_config WHERE key='queue.heartbeat.enabled';
   IF NOT COALESCE(v_enabled,false) THEN
