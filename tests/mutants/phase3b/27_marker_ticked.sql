-- breaks: no-false-heal (§15.5)
-- mutation: the migration ticks the marker through fn_queue_heartbeat_tick (the false heal seed 000 warns of); otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

SELECT fn_queue_heartbeat_tick('iu_outbound_default', 'PG_worker', 'ok', NULL, NULL,
  '{"marker": "legacy_silent_passive"}'::jsonb);
