CREATE TABLE public.jobs (id int, owner text);
CREATE POLICY jobs_own ON public.jobs USING (owner = current_user);
