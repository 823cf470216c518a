-- breaks: no-forbidden-statement (scope)
-- extends: the real migration
-- mutant: only the hidden pg_notify of 56: a function created, called and dropped, so the
-- catalog, the counts and the closed world see nothing; its text is what shows it.

CREATE FUNCTION public.fn_mutant_wake() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM coalesce(NULL, pg_notify('queue_wake_outbound', 'phase2'));
END
$$;
SELECT public.fn_mutant_wake();
DROP FUNCTION public.fn_mutant_wake();
