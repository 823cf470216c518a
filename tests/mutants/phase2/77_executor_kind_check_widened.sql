-- breaks: R-executor-kind-vocabulary (§11.5)
-- mutant: queue_heartbeat_kind_check widened with an eighth kind, Kestra (the vocabulary of §11.5 is not to be widened).
-- extends: the real migration, before its COMMIT

-- MUTANT: executor vocabulary widened
ALTER TABLE queue_heartbeat DROP CONSTRAINT queue_heartbeat_kind_check;
ALTER TABLE queue_heartbeat ADD CONSTRAINT queue_heartbeat_kind_check CHECK (executor_kind IN (
  'DOT', 'Agent', 'Hermes', 'Codex', 'PG_worker', 'external_worker', 'future_Kestra_adapter', 'Kestra'));
