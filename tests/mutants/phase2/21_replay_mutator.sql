-- breaks: no-replay-mutator (DLR-A)
-- mutant: ships a dead-letter replay function.
-- extends: the real migration, before its COMMIT

-- MUTANT: a replay mutator shipped
CREATE FUNCTION fn_job_dead_letter_replay(p_dead_letter_id uuid,
                                          p_authorization_source text) RETURNS jsonb
LANGUAGE sql
SET search_path TO 'pg_catalog', 'public'
AS $fn$
  SELECT jsonb_build_object('refused', true, 'reason', 'not_yet')
$fn$;
