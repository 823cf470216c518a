-- breaks: fn-triage-update-added (DLR-A)
-- mutant (sly, every count equal): fn_job_dead_letter_triage_update made SECURITY INVOKER.
-- extends: the real migration, before its COMMIT

-- MUTANT: SECURITY DEFINER dropped
ALTER FUNCTION fn_job_dead_letter_triage_update(uuid, text, text, text) SECURITY INVOKER;
