DROP INDEX public.jobs_state_idx;

CREATE INDEX jobs_state_idx ON public.jobs (state) WHERE state <> 'done';

CREATE INDEX jobs_lease_idx ON public.jobs (lower(state), lease_until);

ALTER INDEX public.jobs_lease_idx ALTER COLUMN 1 SET STATISTICS 300;

COMMENT ON INDEX public.jobs_lease_idx IS 'for the reaper';

DROP INDEX public.jobs_gone_idx;
