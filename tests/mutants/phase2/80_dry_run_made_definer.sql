-- breaks: fn-reap-dry-run-added (DC-3)
-- mutant (sly, every count equal, every proof passes): the reaper's dry run, which seed 001
-- lists as STABLE INVOKER, made SECURITY DEFINER: any role that may execute it (PUBLIC)
-- now reads job_queue with its owner's rights.
-- extends: the real migration, before its COMMIT

-- MUTANT: an INVOKER function of the phase made SECURITY DEFINER, EXECUTE left to PUBLIC
ALTER FUNCTION fn_job_reap_stale_leases_dry_run(integer) SECURITY DEFINER;
GRANT EXECUTE ON FUNCTION fn_job_reap_stale_leases_dry_run(integer) TO PUBLIC;
