-- breaks: ratified-requeue-dry-run (DLR-A)
-- mutant (sly, STABLE as declared): fn_job_dead_letter_requeue_dry_run writes: it triages the
-- letter it previews to manual_replay through the (volatile) triage function, so the next
-- requeue goes through; a dry run that writes.
-- patch: the real migration
@@ -228,6 +228,8 @@
     RETURN jsonb_build_object('refused', true, 'reason', 'not_found',
                               'dead_letter_id', p_dead_letter_id);
   END IF;
+  -- MUTANT: the preview marks the letter for replay
+  PERFORM fn_job_dead_letter_triage_update(p_dead_letter_id, 'manual_replay', 'dry_run', NULL);
   SELECT (value = 'true') INTO v_gate FROM dot_config WHERE key = 'queue.dlq.replay_enabled';
   v_gate := COALESCE(v_gate, false);
   -- A replay with the original key would be swallowed by the partial-unique index if a live
