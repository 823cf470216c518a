-- breaks: no-event-outbox-schema-change (DC-7)
-- extends: the real migration
-- runs as: superuser
-- mutant: every CHECK of event_outbox off through the flag the server acts on; pg_constraint
-- still lists all nine.

UPDATE pg_catalog.pg_class SET relchecks = 0 WHERE oid = 'public.event_outbox'::regclass;
