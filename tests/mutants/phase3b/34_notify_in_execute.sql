-- breaks: no-forbidden-statement (Option A)
-- extends: the real migration
-- mutant: a wake-up sent from a DO block through EXECUTE of a constant text, which the
-- statement check parses as SQL; nothing is left in the catalog.

DO $$
BEGIN
  EXECUTE 'SELECT pg_catalog.pg_notify(''queue_wake_outbound'', ''phase3b'')';
END
$$;
