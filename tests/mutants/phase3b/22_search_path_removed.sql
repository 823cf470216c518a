-- breaks: wrapper-added (Option A)
-- mutation: SET search_path removed; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -26,7 +26,7 @@
   p_status text DEFAULT 'ok',
   p_metadata jsonb DEFAULT '{}'::jsonb
 ) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
-SET search_path TO 'pg_catalog','public' AS $fn$
+AS $fn$
 DECLARE
   v_enabled boolean;
   v_actor text := COALESCE(current_setting('app.heartbeat_actor', true), session_user::text);
