ALTER TABLE public.jobs ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.jobs FORCE ROW LEVEL SECURITY;

ALTER POLICY jobs_own ON public.jobs TO pg_monitor USING (owner = session_user);

CREATE POLICY jobs_insert ON public.jobs AS RESTRICTIVE FOR INSERT WITH CHECK (id > 0);
