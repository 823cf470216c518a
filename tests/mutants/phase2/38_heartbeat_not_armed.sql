-- breaks: gate-heartbeat-armed (§15.5)
-- mutant: queue.heartbeat.enabled is set back to false once the marker is registered.
-- extends: the real migration, before its COMMIT

-- MUTANT: heartbeat gate left false
UPDATE dot_config SET value = 'false' WHERE key = 'queue.heartbeat.enabled';
