-- breaks: closed-world (closed-world)
-- extends: the real migration
-- mutant: a heal of the silent-gap marker prepared for two-phase commit: it holds its locks
-- and can be committed after the gate (or a verify) has looked. The gate rolls it back.

BEGIN;
UPDATE queue_heartbeat SET last_tick_at = now() WHERE executor_name = 'iu_outbound_default';
PREPARE TRANSACTION 'heal_later';
