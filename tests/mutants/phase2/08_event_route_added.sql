-- breaks: no-event-route-change (DC-7)
-- mutant (no CHECK, no count moves): a route from iu/created to a job_queue consumer, the
-- bridge DC-7 forbids (explicit id, so no sequence moves).
-- extends: the real migration, before its COMMIT

-- MUTANT: an event route into job_queue
INSERT INTO iu_sql_event_route (id, event_type, consumer, handler, enabled, priority)
VALUES (7, 'iu/created', 'job_queue_bridge', 'fn_job_enqueue', true, 100);
