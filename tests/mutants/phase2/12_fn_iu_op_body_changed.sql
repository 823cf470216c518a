-- breaks: no-mark-cut-alias-touch (scope)
-- mutant (sly, every count equal): the body of the MARK alias fn_iu_op_mark changed in place.
-- extends: the real migration, before its COMMIT

-- MUTANT: fn_iu_op_mark body changed
CREATE OR REPLACE FUNCTION fn_iu_op_mark(p_unit_id bigint, p_actor text) RETURNS jsonb
LANGUAGE sql
SET search_path TO 'pg_catalog', 'public'
AS $fn$
  SELECT fn_iu_mark(p_unit_id, p_actor, 'operator (phase 2)')
$fn$;
