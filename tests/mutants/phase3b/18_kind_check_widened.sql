-- breaks: kind-check-unchanged (§11.5)
-- mutation: queue_heartbeat_kind_check is widened to MOT; otherwise the text of fixtures/dieu45/053_phase3b.sql.
-- extends: the real migration, before its COMMIT

ALTER TABLE queue_heartbeat
  DROP CONSTRAINT queue_heartbeat_kind_check,
  ADD CONSTRAINT queue_heartbeat_kind_check CHECK (executor_kind IN (
    'DOT', 'Agent', 'Hermes', 'Codex', 'PG_worker', 'external_worker', 'future_Kestra_adapter', 'MOT'));
