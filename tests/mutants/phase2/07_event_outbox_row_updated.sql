-- breaks: no-event-outbox-row-mutation (DC-7)
-- mutant (sly, every count equal): one pending event_outbox row marked dispatched in place.
-- extends: the real migration, before its COMMIT

-- MUTANT: an event_outbox row updated in place
UPDATE event_outbox SET status = 'dispatched', dispatched_at = now()
WHERE id = (SELECT min(id) FROM event_outbox WHERE status = 'pending');
