-- breaks: closed-world (closed-world)
-- extends: the real migration
-- mutant: an event_outbox row changed and changed back: its content and md5 read as before,
-- but every row version the migration writes is seen.

UPDATE event_outbox SET actor_ref = actor_ref || '.' WHERE id = (SELECT min(id) FROM event_outbox);
UPDATE event_outbox SET actor_ref = rtrim(actor_ref, '.') WHERE id = (SELECT min(id) FROM event_outbox);
