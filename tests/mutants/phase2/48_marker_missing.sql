-- breaks: queue-heartbeat-rows (§15.5)
-- mutant: the passive marker row is deleted once registered.
-- extends: the real migration, before its COMMIT

-- MUTANT: passive marker removed
DELETE FROM queue_heartbeat WHERE executor_name = 'iu_outbound_default';
