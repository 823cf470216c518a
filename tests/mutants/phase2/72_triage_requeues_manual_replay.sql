-- breaks: P-triage-status-vocabulary (DLR-A)
-- mutant: fn_job_dead_letter_triage_update re-enqueues a dead letter triaged manual_replay, though the replay gate is off.
-- patch: the real migration
@@ -293,6 +293,11 @@
       triage_note = COALESCE(p_triage_note, triage_note)
   WHERE id = p_dead_letter_id
   RETURNING * INTO v_row;
+  -- MUTANT: a manual_replay triage re-enqueues the dead letter (a replay the gate never allowed)
+  IF v_row.triage_status = 'manual_replay' THEN
+    INSERT INTO job_queue (job_kind, payload, idempotency_key, enqueued_by)
+    VALUES (v_row.job_kind, v_row.payload, v_row.idempotency_key, btrim(p_actor));
+  END IF;
   RETURN jsonb_build_object('refused', false, 'dead_letter_id', v_row.id,
                             'triage_status_before', v_before,
                             'triage_status_after', v_row.triage_status,
