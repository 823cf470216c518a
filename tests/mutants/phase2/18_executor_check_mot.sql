-- breaks: no-executor-vocab-widening (§11.5)
-- mutant (sly, every count equal): queue_heartbeat_kind_check widened under the same name
-- with MOT.
-- extends: the real migration, before its COMMIT

-- MUTANT: executor_kind vocabulary widened with MOT
ALTER TABLE queue_heartbeat
  DROP CONSTRAINT queue_heartbeat_kind_check,
  ADD CONSTRAINT queue_heartbeat_kind_check CHECK (executor_kind IN (
    'DOT', 'Agent', 'Hermes', 'Codex', 'PG_worker', 'external_worker',
    'future_Kestra_adapter', 'MOT'));
