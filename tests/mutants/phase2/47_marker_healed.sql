-- breaks: stale-check-shows-the-gap (§15.5)
-- mutant (sly, every count equal): the passive marker 'healed': its last tick made fresh.
-- extends: the real migration, before its COMMIT

-- MUTANT: passive marker healed
UPDATE queue_heartbeat SET last_tick_at = now(), last_tick_status = 'ok', ticks_total = 1
WHERE executor_name = 'iu_outbound_default';
