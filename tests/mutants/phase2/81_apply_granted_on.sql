-- breaks: fn-reap-apply-added (DC-3)
-- mutant (sly, every count equal, every proof passes): the apply reaper, SECURITY DEFINER,
-- granted to pg_monitor with the right to pass it on: a monitoring role can now reap.
-- extends: the real migration, before its COMMIT

-- MUTANT: EXECUTE on a definer function granted to another role, WITH GRANT OPTION
GRANT EXECUTE ON FUNCTION fn_job_reap_stale_leases_apply(text, integer) TO pg_monitor
  WITH GRANT OPTION;
