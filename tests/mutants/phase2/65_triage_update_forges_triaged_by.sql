-- breaks: ratified-triage-update (DLR-A)
-- mutant (sly): fn_job_dead_letter_triage_update records workflow_admin, not the actor, when
-- the actor is 'hermes': the audit trail names someone else.
-- patch: the real migration
@@ -289,7 +289,9 @@
   END IF;
 
   UPDATE job_dead_letter
-  SET triage_status = p_triage_status, triaged_at = now(), triaged_by = btrim(p_actor),
+  -- MUTANT: one actor's triage is recorded under another name
+  SET triage_status = p_triage_status, triaged_at = now(),
+      triaged_by = CASE WHEN btrim(p_actor) = 'hermes' THEN 'workflow_admin' ELSE btrim(p_actor) END,
       triage_note = COALESCE(p_triage_note, triage_note)
   WHERE id = p_dead_letter_id
   RETURNING * INTO v_row;
