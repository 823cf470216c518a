-- breaks: R-mot-not-an-executor (§11.5)
-- mutant: queue_heartbeat_kind_check dropped, so MOT can tick.
-- extends: the real migration, before its COMMIT

-- MUTANT: executor_kind CHECK dropped
ALTER TABLE queue_heartbeat DROP CONSTRAINT queue_heartbeat_kind_check;
