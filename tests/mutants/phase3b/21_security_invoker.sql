-- breaks: wrapper-added (Option A)
-- mutation: SECURITY DEFINER dropped; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -25,7 +25,7 @@
   p_executor_kind text,
   p_status text DEFAULT 'ok',
   p_metadata jsonb DEFAULT '{}'::jsonb
-) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
+) RETURNS jsonb LANGUAGE plpgsql SECURITY INVOKER
 SET search_path TO 'pg_catalog','public' AS $fn$
 DECLARE
   v_enabled boolean;
