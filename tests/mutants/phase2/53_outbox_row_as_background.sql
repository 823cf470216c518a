-- breaks: closed-world (closed-world)
-- extends: the real migration
-- mutant: an event_outbox row without a phase-2 marker: in a live verify it would pass for
-- background traffic, but in a gate nothing else writes.

INSERT INTO event_outbox (event_id, event_type, domain, canonical_address, actor_ref, payload,
                          status, occurred_at, dispatched_at, last_error)
SELECT md5('background traffic')::uuid, event_type, domain, canonical_address, actor_ref,
       payload, status, occurred_at, dispatched_at, last_error
FROM event_outbox ORDER BY id LIMIT 1;
