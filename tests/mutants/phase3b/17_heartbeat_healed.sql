-- breaks: heartbeat-rows-untouched (§15.5)
-- mutation: the silent-gap marker is healed in place; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

UPDATE queue_heartbeat SET last_tick_at = now(), last_tick_status = 'ok', ticks_total = ticks_total + 1
WHERE executor_name = 'iu_outbound_default';
