CREATE OR REPLACE VIEW public.v_queue AS SELECT id FROM public.jobs WHERE state = 'queued';

ALTER VIEW public.v_done SET (security_barrier = true);

CREATE VIEW public.v_all WITH (security_invoker = true) AS SELECT * FROM public.jobs
    WITH CASCADED CHECK OPTION;

DROP MATERIALIZED VIEW public.mv_counts;

CREATE MATERIALIZED VIEW public.mv_counts AS SELECT state FROM public.jobs GROUP BY state
    WITH NO DATA;
