-- breaks: no-event-type-check-widening (DC-7)
-- mutant: widens event_type_registry's CHECK under the same name with
-- system/queue_worker_silent (seed 004 HB-B's Phase 3 widening, done early).
-- extends: the real migration, before its COMMIT

-- MUTANT: event_type_registry CHECK widened
ALTER TABLE event_type_registry
  DROP CONSTRAINT event_type_registry_event_type_check,
  ADD CONSTRAINT event_type_registry_event_type_check CHECK (event_type IN (
    'iu/created', 'iu/updated', 'iu/marked', 'iu/cut', 'iu/vector_sync_requested',
    'kb/article_published', 'kb/article_revised', 'kb/article_archived',
    'law/clause_referenced', 'dot/run_completed', 'dot/run_failed',
    'mail/sent', 'mail/bounced', 'system/healthcheck', 'system/queue_worker_silent'));
