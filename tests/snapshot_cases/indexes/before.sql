CREATE TABLE public.jobs (id int, state text, lease_until timestamptz);
CREATE INDEX jobs_state_idx ON public.jobs (state);
CREATE INDEX jobs_gone_idx ON public.jobs (id);
