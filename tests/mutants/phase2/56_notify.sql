-- breaks: no-forbidden-statement (scope)
-- extends: the real migration
-- mutant: a NOTIFY, and a pg_notify call hidden in the body of a function the migration
-- creates, calls and drops again; a notification leaves nothing in the catalog.

NOTIFY queue_wake_outbound, 'phase2';

CREATE FUNCTION public.fn_mutant_wake() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "pg_catalog"."pg_notify"('queue_wake_outbound', 'phase2');
END
$$;
SELECT public.fn_mutant_wake();
DROP FUNCTION public.fn_mutant_wake();
