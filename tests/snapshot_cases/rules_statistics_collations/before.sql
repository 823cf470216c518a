CREATE TABLE public.jobs (id int, state text, kind text);
CREATE TABLE public.jobs_log (id int);
