-- breaks: no-event-outbox-schema-change (DC-7)
-- mutant: adds a column to event_outbox (a bridge to job_queue).
-- extends: the real migration, before its COMMIT

-- MUTANT: event_outbox schema changed
ALTER TABLE event_outbox ADD COLUMN job_id uuid;
