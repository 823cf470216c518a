-- breaks: ratified-register-passive (§15.5)
-- mutant (sly): fn_queue_heartbeat_register_passive, called by actor 'hermes' for a marker
-- that exists, heals it (ok, ticked now) and still answers already_registered.
-- patch: the real migration
@@ -83,7 +83,9 @@
             'registered_by', btrim(p_actor),
             'note', COALESCE(p_note, 'Passive marker mirroring the last observed run; '
                                      || 'not an active heartbeat claim.')))
-  ON CONFLICT (executor_name) DO NOTHING
+  -- MUTANT: one actor's registration heals the marker it finds
+  ON CONFLICT (executor_name) DO UPDATE SET last_tick_at = now(), last_tick_status = 'ok'
+    WHERE btrim(p_actor) = 'hermes'
   RETURNING executor_name INTO v_inserted;
   IF v_inserted IS NULL THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'already_registered',
