-- Every CHECK of account off: pg_constraint still lists both.
UPDATE pg_catalog.pg_class SET relchecks = 0 WHERE oid = 'public.account'::regclass;

-- The foreign key's triggers off on account, all triggers off on entry.
UPDATE pg_catalog.pg_class SET relhastriggers = false WHERE oid = 'public.account'::regclass;
ALTER TABLE entry DISABLE TRIGGER ALL;

-- A unique index no longer maintained, and a user trigger hidden as internal.
UPDATE pg_catalog.pg_index SET indisready = false
WHERE indexrelid = 'public.account_code_key'::regclass;
UPDATE pg_catalog.pg_trigger SET tgisinternal = true WHERE tgname = 'audit';
