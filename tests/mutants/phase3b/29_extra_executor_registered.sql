-- breaks: heartbeat-count-after-rollback (§15.5)
-- mutation: a third executor is registered durably; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

SELECT fn_queue_heartbeat_register_passive('iu_outbound_default_active_v2', 'PG_worker', now(),
  'dieu45_phase3b_mig_053');
