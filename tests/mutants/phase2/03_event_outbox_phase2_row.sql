-- breaks: no-event-outbox-phase2-row (DC-7)
-- mutant: emits an event_outbox row with the migration's own actor (explicit id, so no
-- sequence moves).
-- extends: the real migration, before its COMMIT

-- MUTANT: an event_outbox row from phase 2
INSERT INTO event_outbox (id, event_id, event_type, domain, canonical_address, actor_ref,
                          payload, status, occurred_at)
VALUES (200001, md5('phase2-mutant')::uuid, 'system/healthcheck', 'system',
        'system://queue/phase2_governance', 'dot:dieu45_phase2_mig_051', '{}', 'pending',
        now());
