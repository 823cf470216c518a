-- breaks: R-triage-actor-required (DLR-A)
-- mutant: fn_job_dead_letter_triage_update lets a NULL actor past its actor check.
-- patch: the real migration
@@ -271,7 +271,8 @@
   v_before text;
   v_row job_dead_letter%ROWTYPE;
 BEGIN
-  IF p_actor IS NULL OR btrim(p_actor) = '' THEN
+  -- MUTANT: a NULL actor gets past the actor check
+  IF btrim(p_actor) = '' THEN
     RETURN jsonb_build_object('refused', true, 'reason', 'actor_required');
   END IF;
   -- Pinned to job_dead_letter_triage_status_check: refuse here rather than raise there.
