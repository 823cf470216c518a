-- breaks: positive-tick (Option A)
-- mutation: the wrapper no longer tags its result; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -72,6 +72,6 @@
     p_lease_owner := NULL,
     p_metadata := v_meta
   );
-  RETURN v_result || jsonb_build_object('wrapper','fn_queue_heartbeat_ping_external');
+  RETURN v_result;
 END;
 $fn$;
