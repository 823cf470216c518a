-- breaks: event-outbox-checks-unchanged (DC-7)
-- mutant (9 CHECKs still): event_outbox_status_check widened under the same name.
-- extends: the real migration, before its COMMIT

-- MUTANT: an event_outbox CHECK widened
ALTER TABLE event_outbox
  DROP CONSTRAINT event_outbox_status_check,
  ADD CONSTRAINT event_outbox_status_check
    CHECK (status IN ('pending', 'dispatched', 'failed', 'skipped', 'queued'));
