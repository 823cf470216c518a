-- breaks: wrapper-added (Option A)
-- mutation: the wrapper's signature gains a job id (a different function than the seed's); otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- patch: the real migration
@@ -24,7 +24,8 @@
   p_executor_name text,
   p_executor_kind text,
   p_status text DEFAULT 'ok',
-  p_metadata jsonb DEFAULT '{}'::jsonb
+  p_metadata jsonb DEFAULT '{}'::jsonb,
+  p_current_job_id uuid DEFAULT NULL
 ) RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER
 SET search_path TO 'pg_catalog','public' AS $fn$
 DECLARE
@@ -68,7 +69,7 @@
     p_executor_name := btrim(p_executor_name),
     p_executor_kind := p_executor_kind,
     p_status := COALESCE(p_status,'ok'),
-    p_current_job_id := NULL,
+    p_current_job_id := p_current_job_id,
     p_lease_owner := NULL,
     p_metadata := v_meta
   );
