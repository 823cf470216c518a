CREATE TABLE public.jobs (id int, state text);
CREATE VIEW public.v_queue AS SELECT id FROM public.jobs;
CREATE VIEW public.v_done AS SELECT id FROM public.jobs WHERE state = 'done';
CREATE MATERIALIZED VIEW public.mv_counts AS SELECT state, count(*) FROM public.jobs GROUP BY state;
