-- breaks: P-register-passive-never-heals (§15.5)
-- mutant: fn_queue_heartbeat_register_passive heals the marker it finds when a note is passed, and still answers already_registered.
-- patch: the real migration
@@ -74,6 +74,12 @@
     RETURN jsonb_build_object('refused', true, 'reason', 'queue.heartbeat.enabled=false');
   END IF;
 
+  -- MUTANT: a registration that carries a note heals the marker it finds (and still says
+  -- already_registered)
+  IF p_note IS NOT NULL THEN
+    UPDATE queue_heartbeat SET last_tick_at = now(), last_tick_status = 'ok'
+    WHERE executor_name = btrim(p_executor_name);
+  END IF;
   -- Insert only: a passive marker never overwrites a row, whether a marker or a live executor.
   INSERT INTO queue_heartbeat (executor_name, executor_kind, last_tick_at, last_tick_status,
                                ticks_total, metadata)
