-- breaks: gate-armed (Option A)
-- mutation: queue.heartbeat.enabled is flipped to false; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

UPDATE dot_config SET value = 'false' WHERE key = 'queue.heartbeat.enabled';
